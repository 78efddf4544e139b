//! Injected misbehaviour, shared by both fakes.

use crate::http;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A fault to inject into a fake's answers.
///
/// Each fake renders a fault in its own dialect; a fault meant for the other
/// service still works: [`Fault::SlackError`] on Zoom answers HTTP 400
/// `{"code":300,"message":error}`, and [`Fault::ZoomError`] on Slack answers
/// the given status with `{"ok":false,"error":message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 429 with `Retry-After`.
    RateLimited {
        /// Value of the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// An HTTP 5xx answer.
    ServerError {
        /// The status to answer, e.g. 500 or 503.
        status: u16,
    },
    /// Do what was asked, then answer this 5xx status instead of the
    /// result, as when an answer is lost on its way back (Slack fake;
    /// the Zoom fake answers the status without doing anything).
    AnswerLost {
        /// The status to answer, e.g. 502 or 504.
        status: u16,
    },
    /// Answer normally, but only after `delay`.
    Slow {
        /// How long to hold the request.
        delay: Duration,
    },
    /// HTTP 200 `{"ok":false,"error":error}`.
    SlackError {
        /// The Slack error string, e.g. `"channel_not_found"`.
        error: String,
    },
    /// A Zoom JSON error body `{"code":code,"message":message}`.
    ZoomError {
        /// HTTP status.
        status: u16,
        /// Zoom's error code, e.g. 124.
        code: i64,
        /// Zoom's message.
        message: String,
    },
}

/// Which service's error format to answer in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Dialect {
    Slack,
    Zoom,
}

enum Limit {
    Times(usize),
    Until(Instant),
}

struct Rule {
    key: String,
    fault: Fault,
    limit: Limit,
}

/// Pending faults, consulted in the order they were added.
#[derive(Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<Rule>>,
}

impl Faults {
    pub(crate) fn add_times(&self, key: &str, fault: Fault, times: usize) {
        if times > 0 {
            self.push(key, fault, Limit::Times(times));
        }
    }

    pub(crate) fn add_for(&self, key: &str, fault: Fault, duration: Duration) {
        self.push(key, fault, Limit::Until(Instant::now() + duration));
    }

    fn push(&self, key: &str, fault: Fault, limit: Limit) {
        let rule = Rule {
            key: key.to_owned(),
            fault,
            limit,
        };
        self.rules.lock().expect("faults lock").push(rule);
    }

    /// The fault for a call whose rule key satisfies `matches`, using up one
    /// of its repetitions.
    pub(crate) fn take(&self, matches: impl Fn(&str) -> bool) -> Option<Fault> {
        let now = Instant::now();
        let mut rules = self.rules.lock().expect("faults lock");
        rules.retain(|r| match r.limit {
            Limit::Times(n) => n > 0,
            Limit::Until(end) => now < end,
        });
        let rule = rules.iter_mut().find(|r| matches(&r.key))?;
        if let Limit::Times(n) = &mut rule.limit {
            *n -= 1;
        }
        Some(rule.fault.clone())
    }
}

/// Applies `fault`: `None` means "answer normally" (possibly after a delay).
pub(crate) async fn apply(fault: Option<Fault>, dialect: Dialect) -> Option<Response> {
    let fault = fault?;
    let status =
        |code: u16| StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let response = match (fault, dialect) {
        (Fault::Slow { delay }, _) => {
            tokio::time::sleep(delay).await;
            return None;
        }
        (Fault::RateLimited { retry_after_secs }, dialect) => {
            let body = match dialect {
                Dialect::Slack => json!({"ok": false, "error": "ratelimited"}),
                Dialect::Zoom => json!({
                    "code": 429,
                    "message": "You have reached the maximum per-second rate limit for this API. Try again later."
                }),
            };
            let response = http::json(StatusCode::TOO_MANY_REQUESTS, &body);
            http::with_retry_after(response, retry_after_secs)
        }
        (Fault::AnswerLost { .. }, Dialect::Slack) => return None,
        (Fault::AnswerLost { status: code }, Dialect::Zoom) => {
            let body = json!({"code": code, "message": "Bad Gateway"});
            http::json(status(code), &body)
        }
        (Fault::ServerError { status: code }, Dialect::Slack) => {
            http::json(status(code), &json!({"ok": false, "error": "fatal_error"}))
        }
        (Fault::ServerError { status: code }, Dialect::Zoom) => {
            let body = json!({"code": code, "message": "Internal Server Error"});
            http::json(status(code), &body)
        }
        (Fault::SlackError { error }, Dialect::Slack) => {
            http::json(StatusCode::OK, &json!({"ok": false, "error": error}))
        }
        (Fault::SlackError { error }, Dialect::Zoom) => http::json(
            StatusCode::BAD_REQUEST,
            &json!({"code": 300, "message": error}),
        ),
        (
            Fault::ZoomError {
                status: code,
                message,
                ..
            },
            Dialect::Slack,
        ) => http::json(status(code), &json!({"ok": false, "error": message})),
        (
            Fault::ZoomError {
                status: code,
                code: zoom_code,
                message,
            },
            Dialect::Zoom,
        ) => http::json(
            status(code),
            &json!({"code": zoom_code, "message": message}),
        ),
    };
    Some(response)
}
