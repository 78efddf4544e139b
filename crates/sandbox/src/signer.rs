//! A client that sends signed Slack requests and Zoom webhooks to zlack.

use crate::sign::{slack_signature, unix_now, zoom_signature};
use serde_json::Value;

// A secret neither side knows, for requests that must fail verification.
const FORGED_SECRET: &str = "not-the-signing-secret";
const SLACK_USER_AGENT: &str = "Slackbot 1.0 (+https://api.slack.com/robots)";
const ZOOM_USER_AGENT: &str = "Zoom Marketplace/1.0a";

/// How [`Signer::raw`] signs a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignAs {
    /// `X-Slack-Request-Timestamp` and `X-Slack-Signature` for `timestamp`.
    Slack {
        /// Unix seconds to sign with and send.
        timestamp: i64,
    },
    /// `x-zm-request-timestamp` and `x-zm-signature` for `timestamp`.
    Zoom {
        /// Unix seconds to sign with and send.
        timestamp: i64,
    },
    /// Both header pairs with the current time, signed with a wrong secret.
    Forged,
    /// No signature headers at all.
    Unsigned,
}

/// Sends correctly signed requests to a zlack server.
#[derive(Clone)]
pub struct Signer {
    client: reqwest::Client,
    base_url: String,
    slack_secret: String,
    zoom_secret: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for the zlack server at `base_url`, e.g. `http://127.0.0.1:1234`.
    pub fn new(base_url: &str, slack_signing_secret: &str, zoom_webhook_secret: &str) -> Self {
        Self {
            client: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            slack_secret: slack_signing_secret.to_owned(),
            zoom_secret: zoom_webhook_secret.to_owned(),
        }
    }

    /// POSTs form `fields` to `/slack/commands`, signed now.
    ///
    /// Takes string slices or owned strings, so the output of
    /// [`crate::slash_command_fields`] can be passed directly.
    pub async fn slack_command<K: AsRef<str>, V: AsRef<str>>(
        &self,
        fields: &[(K, V)],
    ) -> reqwest::Response {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        let body = serde_urlencoded::to_string(pairs).expect("form fields encode");
        self.slack_form("/slack/commands", body).await
    }

    /// POSTs a JSON `body` to `/slack/events`, signed now.
    pub async fn slack_event(&self, body: &Value) -> reqwest::Response {
        let bytes = body.to_string().into_bytes();
        let sig = SignAs::Slack {
            timestamp: unix_now(),
        };
        self.raw("/slack/events", "application/json", bytes, sig)
            .await
    }

    /// Like [`Signer::slack_event`], as Slack's retry number `retry_num`
    /// (headers `x-slack-retry-num` and `x-slack-retry-reason`).
    pub async fn slack_event_retry(
        &self,
        body: &Value,
        retry_num: u32,
        reason: &str,
    ) -> reqwest::Response {
        let bytes = body.to_string().into_bytes();
        let sig = SignAs::Slack {
            timestamp: unix_now(),
        };
        self.request("/slack/events", "application/json", bytes, sig)
            .header("x-slack-retry-num", retry_num.to_string())
            .header("x-slack-retry-reason", reason)
            .send()
            .await
            .expect("send a retried Slack event to zlack")
    }

    /// POSTs `payload=<json>` to `/slack/interactions`, signed now.
    pub async fn slack_interaction(&self, payload: &Value) -> reqwest::Response {
        let json = payload.to_string();
        let body = serde_urlencoded::to_string([("payload", json.as_str())]).expect("form encodes");
        self.slack_form("/slack/interactions", body).await
    }

    /// POSTs a JSON `body` to `/zoom/webhook` with Zoom's signature headers.
    pub async fn zoom_webhook(&self, body: &Value) -> reqwest::Response {
        let bytes = body.to_string().into_bytes();
        let sig = SignAs::Zoom {
            timestamp: unix_now(),
        };
        self.raw(
            "/zoom/webhook",
            "application/json; charset=utf-8",
            bytes,
            sig,
        )
        .await
    }

    /// POSTs raw bytes to `path`, signed as `sig` says: for stale, forged or
    /// unsigned requests.
    pub async fn raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        sig: SignAs,
    ) -> reqwest::Response {
        self.request(path, content_type, body, sig)
            .send()
            .await
            .unwrap_or_else(|e| panic!("send a request to zlack at {path}: {e}"))
    }

    async fn slack_form(&self, path: &str, body: String) -> reqwest::Response {
        let sig = SignAs::Slack {
            timestamp: unix_now(),
        };
        let content_type = "application/x-www-form-urlencoded";
        self.raw(path, content_type, body.into_bytes(), sig).await
    }

    fn request(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        sig: SignAs,
    ) -> reqwest::RequestBuilder {
        let url = format!("{}{}", self.base_url, path);
        let mut builder = self.client.post(url).header("content-type", content_type);
        for (name, value) in self.signature_headers(&body, sig) {
            builder = builder.header(name, value);
        }
        builder.body(body)
    }

    fn signature_headers(&self, body: &[u8], sig: SignAs) -> Vec<(&'static str, String)> {
        let slack = |secret: &str, ts: i64| {
            [
                ("x-slack-request-timestamp", ts.to_string()),
                ("x-slack-signature", slack_signature(secret, ts, body)),
            ]
        };
        let zoom = |secret: &str, ts: i64| {
            [
                ("x-zm-request-timestamp", ts.to_string()),
                ("x-zm-signature", zoom_signature(secret, ts, body)),
            ]
        };
        match sig {
            SignAs::Slack { timestamp } => {
                let mut headers = slack(&self.slack_secret, timestamp).to_vec();
                headers.push(("user-agent", SLACK_USER_AGENT.to_owned()));
                headers
            }
            SignAs::Zoom { timestamp } => {
                let mut headers = zoom(&self.zoom_secret, timestamp).to_vec();
                headers.push(("user-agent", ZOOM_USER_AGENT.to_owned()));
                headers
            }
            SignAs::Forged => {
                let now = unix_now();
                slack(FORGED_SECRET, now)
                    .into_iter()
                    .chain(zoom(FORGED_SECRET, now))
                    .collect()
            }
            SignAs::Unsigned => Vec::new(),
        }
    }
}
