//! The one error type every handler returns: a status and a short message
//! for the client; internal details are logged once and never sent.

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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::NotConfigured { .. } | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        match &self {
            Self::Unavailable(detail) => tracing::error!(%detail, "request failed"),
            Self::Unauthorized(why) => tracing::info!(why, "request refused"),
            other => tracing::debug!(error = %other, "request refused"),
        }
        (status, format!("{self}\n")).into_response()
    }
}
