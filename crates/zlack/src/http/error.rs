//! The one error type every handler returns: a status and a short message
//! for the client; internal details are logged once and never sent.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request was refused; each variant is one status code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the body or query could not be parsed; the text says why.
    #[error("{0}")]
    BadRequest(String),
    /// 401: the request's signature did not check out, for the given reason.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 408: the request's body did not arrive in time.
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    /// 413: the body is over [`MAX_BODY`](super::extract::MAX_BODY).
    #[error("request body is larger than 1 MiB")]
    PayloadTooLarge,
    /// 415: the route takes only the given media type.
    #[error("content type must be {0}")]
    UnsupportedMediaType(&'static str),
    /// 503: the route needs a setting the operator has not made yet.
    #[error("{service} is not configured yet: set {key}")]
    NotConfigured {
        /// `Slack` or `Zoom`.
        service: &'static str,
        /// The `ZLACK_*` key to set.
        key: &'static str,
    },
    /// 503: an internal failure; the detail is logged, never sent.
    #[error("temporarily unavailable, try again")]
    Unavailable(String),
}

impl From<crate::store::StoreError> for AppError {
    fn from(error: crate::store::StoreError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::NotConfigured { .. } | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        match &self {
            Self::Unavailable(detail) => tracing::error!(%detail, "request failed"),
            Self::Unauthorized(why) => refused(why),
            other => tracing::debug!(error = %other, "request refused"),
        }
        (status, format!("{self}\n")).into_response()
    }
}

/// How often, at most, refused requests are logged.
pub const REFUSALS_LOGGED_EVERY: Duration = Duration::from_secs(60);

/// The refusals since the last log line about them.
struct RefusalLog {
    logged_at: Option<Instant>,
    unlogged: u64,
}

/// Process-wide, like the log and metrics they feed.
static REFUSALS: Mutex<RefusalLog> = Mutex::new(RefusalLog {
    logged_at: None,
    unlogged: 0,
});

/// Records a request refused as forged or unauthenticated (a bad
/// signature, an OAuth state that is not ours). Anyone can send these as
/// fast as they like, so each is counted in
/// `zlack_http_refused_total{reason}` (`why` is always a fixed text from
/// the code) and logged only when no refusal was logged in the last
/// minute; that line says how many went unlogged before it. A wrong
/// signing secret still shows at once.
pub fn refused(why: &'static str) {
    metrics::counter!("zlack_http_refused_total", "reason" => why).increment(1);
    let unlogged = {
        let mut log = REFUSALS.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        if log
            .logged_at
            .is_some_and(|at| now.duration_since(at) < REFUSALS_LOGGED_EVERY)
        {
            log.unlogged += 1;
            return;
        }
        log.logged_at = Some(now);
        std::mem::take(&mut log.unlogged)
    };
    tracing::info!(
        why,
        unlogged_before = unlogged,
        "request refused; more refusals within a minute are only counted (zlack_http_refused_total)"
    );
}
