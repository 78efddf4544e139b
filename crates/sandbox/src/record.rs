//! What the fakes received, and waiting for it without polling.

use serde_json::Value;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// One request received by a fake, with the status it was answered with.
#[derive(Debug, Clone)]
pub struct RecordedCall {
    /// Slack: the Web API method (`"chat.postMessage"`), `"response_url"` or
    /// `"oauth.v2.authorize"`. Zoom: `"{HTTP method} {path}"` with the path as
    /// received minus the `/v2` prefix, e.g. `"POST /users/me/meetings"`.
    pub method: String,
    /// A JSON object: form fields (with JSON-looking values of Slack's
    /// structured arguments parsed) or the JSON body, query parameters merged in.
    pub args: Value,
    /// The token from `Authorization: Bearer …`.
    pub bearer: Option<String>,
    /// Client id and secret from `Authorization: Basic …`.
    pub basic: Option<(String, String)>,
    /// When the request arrived.
    pub received_at: Instant,
    /// The HTTP status the fake answered.
    pub status: u16,
    /// Slack: the `error` of an `{"ok": false}` answer (Slack answers most
    /// errors with HTTP 200). `None` for successes and for Zoom.
    pub error: Option<String>,
}

impl RecordedCall {
    /// Answered with success: HTTP 2xx and, for Slack, `"ok": true`.
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status) && self.error.is_none()
    }

    /// A string argument, if present and a string.
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args.get(key).and_then(Value::as_str)
    }
}

/// Calls in arrival order plus a wake-up for waiters.
#[derive(Default)]
pub(crate) struct Recorder {
    calls: Mutex<Vec<RecordedCall>>,
    arrived: Notify,
}

impl Recorder {
    pub(crate) fn push(&self, call: RecordedCall) {
        self.calls.lock().expect("recorder lock").push(call);
        self.arrived.notify_waiters();
    }

    pub(crate) fn all(&self) -> Vec<RecordedCall> {
        self.calls.lock().expect("recorder lock").clone()
    }

    pub(crate) fn matching(&self, pred: impl Fn(&str) -> bool) -> Vec<RecordedCall> {
        let calls = self.calls.lock().expect("recorder lock");
        calls.iter().filter(|c| pred(&c.method)).cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.calls.lock().expect("recorder lock").clear();
    }

    /// Waits until at least `n` calls satisfy `pred`; panics after `timeout`
    /// with the list of methods that did arrive, to make failures readable.
    pub(crate) async fn wait_for(
        &self,
        what: &str,
        pred: impl Fn(&str) -> bool,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedCall> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Register interest before checking, so a push between the check
            // and the await cannot be missed.
            let notified = self.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let found = self.matching(&pred);
            if found.len() >= n {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let found = self.matching(&pred);
                if found.len() >= n {
                    return found;
                }
                let seen: Vec<String> = self.all().into_iter().map(|c| c.method).collect();
                panic!(
                    "timed out after {timeout:?} waiting for {n} call(s) to {what:?}; \
                     got {} matching; all calls received: {seen:?}",
                    found.len()
                );
            }
        }
    }
}
