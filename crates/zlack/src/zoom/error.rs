//! Zoom's failures sorted by what the caller should do: wait as told, try
//! again, refresh the token, ask the user to authorize again, or give up.
//!
//! No message built here carries a token, code, verifier, client secret or
//! URL: transport errors lose their URL, and text Zoom sends back is scrubbed
//! of what we sent and of anything that looks like a URL or a credential.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::http_client::retry_after;

/// A failure of the OAuth token or revoke endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// The code or refresh token was refused: expired, already used, revoked,
    /// or (4711) minted for other scopes. Only a new authorization helps, so
    /// this is what marks a user's link broken; 5xx and timeouts never land
    /// here.
    #[error("Zoom refused the authorization grant; the user must authorize again")]
    InvalidGrant,
    /// Our client id or secret was refused, or the app is disabled: an
    /// operator problem that no user can fix by re-authorizing.
    #[error("Zoom refused the app's client credentials")]
    InvalidClient,
    /// HTTP 429; wait this long.
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    /// 5xx, timeout or connection failure; the same request may succeed later.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Anything else, e.g. a redirect URI mismatch (a configuration error).
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}

impl OAuthError {
    /// Whether the same request may succeed later without anyone acting.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RateLimited(_) | Self::Transient(_))
    }
}

/// A failure of a REST API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoomError {
    /// 401 or code 124: the access token expired or was invalidated. Refresh
    /// once and retry; a second 401 means the grant is gone.
    #[error("Zoom refused the access token")]
    Unauthorized,
    /// HTTP 429; `daily` when the daily quota (not the per-second one) ran out,
    /// e.g. the 100 meeting creations a user may make per day (reset 00:00
    /// UTC); `retry_after` comes from `Retry-After` (30 s when absent, at
    /// most an hour), so a caller may prefer to wait for the next UTC day.
    #[error("rate limited for {retry_after:?} (daily quota: {daily})")]
    RateLimited { retry_after: Duration, daily: bool },
    /// The token's own user, or the host a meeting was asked for, cannot use
    /// Zoom: status `inactive`, or code 1001 "User does not exist" where the
    /// user must exist (Zoom answers so for a deactivated host).
    #[error("the Zoom user is deactivated or no longer exists")]
    AccountDeactivated,
    /// 404, with Zoom's code (1001 user, 3001 meeting).
    #[error("not found (Zoom code {code})")]
    NotFound { code: i64 },
    /// 403, code 200 "No permission", or 4700 (token lacks scopes).
    #[error("forbidden (Zoom code {code}): {message}")]
    Forbidden { code: i64, message: String },
    /// Only from the Zoom Phone API: the user has no Zoom Phone (404, code
    /// 1001 "User does not exist"), the account has none (403 "Zoom Phone
    /// has not been enabled for this account", code 2031 or 2013), or the
    /// user was taken off Zoom Phone (status `deactivate`, code 0).
    #[error("Zoom Phone is not available to this user (Zoom code {code})")]
    PhoneUnavailable { code: i64 },
    /// 5xx, timeout or connection failure.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Any other answer, or a success body we could not read.
    #[error("Zoom error {code} (HTTP {status}): {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// Zoom's error code, or 0 when the body had none.
        code: i64,
        /// Zoom's message, scrubbed of URLs and credentials.
        message: String,
    },
}

impl ZoomError {
    /// Whether the same call may succeed later without anyone acting.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::Transient(_))
    }

    /// Whether Zoom says the user cannot use Zoom Phone (see
    /// [`ZoomError::PhoneUnavailable`]); no retry or new authorization helps.
    pub fn is_phone_unavailable(&self) -> bool {
        matches!(self, Self::PhoneUnavailable { .. })
    }
}

/// OAuth codes meaning the grant is dead: 4711 refresh token for other
/// scopes, 4733 bad or expired code, 4735 bad refresh token, 4741 revoked.
const DEAD_GRANT_CODES: &[i64] = &[4711, 4733, 4735, 4741];
/// 4702/4704 bad client id or secret, 4717 app disabled.
const BAD_CLIENT_CODES: &[i64] = &[4702, 4704, 4717];
/// `invalid_request` reasons Zoom gives for a dead code or token.
const DEAD_GRANT_REASONS: &[&str] = &[
    "invalid token",
    "invalid authorization code",
    "invalid refresh token",
    "code_verifier",
    "code verifier",
    "expired",
    "revoked",
];

/// Sorts a non-2xx answer of the token or revoke endpoint. `sent` lists the
/// secrets in the request, which are cut from any message.
pub(crate) fn oauth_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    sent: &[&str],
) -> OAuthError {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return OAuthError::RateLimited(retry_after(headers));
    }
    if is_transient(status) {
        return OAuthError::Transient(format!("HTTP {}", status.as_u16()));
    }
    let body = ErrorBody::parse(body);
    let error = body.error.to_ascii_lowercase();
    let reason = body.message.to_ascii_lowercase();
    let code = body.code.unwrap_or_default();
    if BAD_CLIENT_CODES.contains(&code) || error == "invalid_client" {
        return OAuthError::InvalidClient;
    }
    let dead_reason = DEAD_GRANT_REASONS.iter().any(|r| reason.contains(r));
    if DEAD_GRANT_CODES.contains(&code)
        || error == "invalid_grant"
        || (error == "invalid_request" && dead_reason)
    {
        return OAuthError::InvalidGrant;
    }
    // RFC 6749 §5.2: a bare 401 from the token endpoint is client auth.
    if status == StatusCode::UNAUTHORIZED && error.is_empty() && code == 0 {
        return OAuthError::InvalidClient;
    }
    let mut detail = format!("HTTP {}", status.as_u16());
    if !error.is_empty() {
        detail.push_str(&format!(" {}", scrub(&body.error, sent)));
    }
    if let Some(code) = body.code {
        detail.push_str(&format!(" (code {code})"));
    }
    if !body.message.is_empty() {
        detail.push_str(&format!(": {}", scrub(&body.message, sent)));
    }
    OAuthError::Unexpected(detail)
}

/// Sorts a non-2xx REST answer. `must_exist` says the user addressed is the
/// token's own or the would-be host, so "User does not exist" means the
/// account was deactivated rather than a bad lookup.
pub(crate) fn api_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    must_exist: bool,
) -> ZoomError {
    let body = ErrorBody::parse(body);
    let code = body.code.unwrap_or(0);
    if status == StatusCode::TOO_MANY_REQUESTS {
        let daily_header = headers
            .get("x-ratelimit-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("daily-limit"));
        let daily = daily_header || body.message.to_ascii_lowercase().contains("daily");
        return ZoomError::RateLimited {
            retry_after: retry_after(headers),
            daily,
        };
    }
    if is_transient(status) {
        return ZoomError::Transient(format!("HTTP {}", status.as_u16()));
    }
    if status == StatusCode::UNAUTHORIZED || code == 124 {
        return ZoomError::Unauthorized;
    }
    if code == 1001 && must_exist {
        return ZoomError::AccountDeactivated;
    }
    let message = scrub(&body.message, &[]);
    if status == StatusCode::NOT_FOUND {
        return ZoomError::NotFound { code };
    }
    if status == StatusCode::FORBIDDEN || code == 200 || code == 4700 {
        return ZoomError::Forbidden { code, message };
    }
    ZoomError::Api {
        status: status.as_u16(),
        code,
        message,
    }
}

/// A transport failure, without the URL (which may carry a token).
pub(crate) fn transport(error: reqwest::Error) -> String {
    error.without_url().to_string()
}

/// A body that is not what we expected, described without its content
/// (serde's messages can quote values, such as a `start_url`).
pub(crate) fn unreadable(error: &serde_json::Error) -> String {
    format!(
        "unreadable response ({:?} error at line {}, column {})",
        error.classify(),
        error.line(),
        error.column()
    )
}

fn is_transient(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT
}

/// Zoom's two error shapes: REST `{code, message}` and OAuth
/// `{error, reason}` (sometimes with a numeric `code` too).
#[derive(Debug, Default)]
struct ErrorBody {
    code: Option<i64>,
    error: String,
    message: String,
}

impl ErrorBody {
    fn parse(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let code = match value.get("code") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Self {
            code,
            error: text("error").unwrap_or_default(),
            message: text("reason")
                .or_else(|| text("message"))
                .unwrap_or_default(),
        }
    }
}

/// Zoom's text, made safe to log: what we sent is cut out, and so is every
/// word that looks like a URL or an opaque credential.
fn scrub(text: &str, sent: &[&str]) -> String {
    let mut text = text.to_owned();
    for secret in sent.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, "[redacted]");
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|word| {
            let bare = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if word.contains("://") || (word.contains('?') && word.contains('=')) {
                "[url]"
            } else if bare.len() >= 24 && !bare.contains('@') {
                "[redacted]"
            } else {
                word
            }
        })
        .collect();
    let joined = words.join(" ");
    match joined.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &joined[..cut]),
        None => joined,
    }
}

#[cfg(test)]
mod tests;
