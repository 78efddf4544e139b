//! A thin Slack Web API client: one shared HTTP client, a configurable base
//! URL, and errors sorted into "wait as told", "try again" and "give up".

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Map, Value};

use crate::config::Secret;
use crate::http_client::retry_after;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlackError {
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Slack answered `ok: false` with this error code.
    #[error("{0}")]
    Api(String),
}

/// Errors Slack documents as temporary on its side.
const TRANSIENT_CODES: &[&str] = &[
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
];

#[derive(Debug, Clone)]
pub struct SlackApi {
    http: reqwest::Client,
    base: String,
}

impl SlackApi {
    pub fn new(http: reqwest::Client, base: &url::Url) -> Self {
        Self {
            http,
            base: base.as_str().trim_end_matches('/').to_owned(),
        }
    }

    /// Calls `method` form-encoded (every method accepts that; objects and
    /// arrays travel as JSON strings, as Slack documents).
    pub async fn call(
        &self,
        method: &str,
        token: &Secret,
        args: &Map<String, Value>,
    ) -> Result<Value, SlackError> {
        let form: Vec<(&str, String)> = args
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.as_str(), text)
            })
            .collect();
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .bearer_auth(token.expose())
            .form(&form)
            .send()
            .await
            .map_err(|e| SlackError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(SlackError::RateLimited(retry_after(response.headers())));
        }
        if status.is_server_error() {
            return Err(SlackError::Transient(format!("HTTP {status}")));
        }
        let body: Value = response.json().await.map_err(|_| {
            SlackError::Transient(format!("HTTP {status} with a body that is not JSON"))
        })?;
        if body.get("ok").and_then(Value::as_bool) == Some(true) {
            return Ok(body);
        }
        let code = body
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("unknown_error")
            .to_owned();
        if code == "ratelimited" || code == "rate_limited" {
            return Err(SlackError::RateLimited(Duration::from_secs(30)));
        }
        if TRANSIENT_CODES.contains(&code.as_str()) {
            return Err(SlackError::Transient(code));
        }
        Err(SlackError::Api(code))
    }
}
