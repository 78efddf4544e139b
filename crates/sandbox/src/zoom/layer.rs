//! Cross-cutting parts of the fake Zoom: recording, faults, bearer auth and
//! Zoom's error bodies.

use super::state::{Shared, Subject};
use crate::args::{self, Args};
use crate::fault::{self, Dialect};
use crate::http;
use crate::record::RecordedCall;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

/// Query parameters and body of the request, parsed once by [`record`].
#[derive(Debug, Clone)]
pub(crate) struct Params(pub(crate) Args);

/// An error answer in one of Zoom's two JSON shapes.
#[derive(Debug)]
pub(crate) struct ZoomError {
    status: StatusCode,
    body: Value,
}

impl ZoomError {
    /// The REST shape: `{"code":code,"message":message}`.
    pub(crate) fn api(status: StatusCode, code: i64, message: &str) -> Self {
        Self::with_body(status, json!({"code": code, "message": message}))
    }

    /// The OAuth shape: `{"reason":reason,"error":error}`.
    pub(crate) fn oauth(status: StatusCode, reason: &str, error: &str) -> Self {
        Self::with_body(status, json!({"reason": reason, "error": error}))
    }

    pub(crate) fn with_body(status: StatusCode, body: Value) -> Self {
        Self { status, body }
    }
}

impl IntoResponse for ZoomError {
    fn into_response(self) -> Response {
        http::json(self.status, &self.body)
    }
}

/// `"{METHOD} {path}"` without the `/v2` prefix, as calls are recorded.
fn label(method: &str, path: &str) -> String {
    format!("{method} {}", path.strip_prefix("/v2").unwrap_or(path))
}

/// Records every request and applies faults before the handler runs.
///
/// A fault key matches when it is a prefix of the recorded method
/// (`"POST /users/me/meetings"`) or equals the route template
/// (`"POST /users/{userId}/meetings"`).
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let received_at = Instant::now();
    let (mut parts, body) = request.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let method = label(parts.method.as_str(), parts.uri.path());
    let template = parts
        .extensions
        .get::<MatchedPath>()
        .map(|p| label(parts.method.as_str(), p.as_str()));
    let args = args::parse(&parts.headers, parts.uri.query(), &bytes, &[]);
    let bearer = http::bearer(&parts.headers);
    let basic = http::basic(&parts.headers);
    let fault = shared
        .faults
        .take(|key| method.starts_with(key) || template.as_deref() == Some(key));
    let response = match fault::apply(fault, Dialect::Zoom).await {
        Some(response) => response,
        None => {
            parts.extensions.insert(Params(args.clone()));
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    };
    shared.recorder.push(RecordedCall {
        method,
        args: Value::Object(args),
        bearer,
        basic,
        received_at,
        status: response.status().as_u16(),
        error: None,
    });
    response
}

/// The subject of a valid bearer token; extracting it answers 401 with
/// Zoom's error 124 otherwise.
pub(crate) struct Caller(pub(crate) Subject);

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = ZoomError;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        let token = http::bearer(&parts.headers);
        match shared.data().authenticate(token.as_deref()) {
            Ok(subject) => Ok(Self(subject)),
            Err(message) => Err(ZoomError::api(StatusCode::UNAUTHORIZED, 124, message)),
        }
    }
}

/// Answers unknown routes the way Zoom does.
pub(crate) async fn not_found() -> ZoomError {
    ZoomError::api(StatusCode::NOT_FOUND, 404, "Not Found")
}
