//! The one error type every handler returns: a status and a short message
//! for the client; internal details are logged once and never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("request body is larger than 1 MiB")]
    PayloadTooLarge,
    #[error("content type must be {0}")]
    UnsupportedMediaType(&'static str),
    #[error("{service} is not configured yet: set {key}")]
    NotConfigured {
        service: &'static str,
        key: &'static str,
    },
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
