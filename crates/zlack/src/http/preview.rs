//! `GET /preview/{token}`: whiteboard preview images for unfurls (see
//! [`crate::flows::preview`]).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use crate::flows::preview::{self, Refusal};

/// Longest token accepted; real ones are far shorter.
const TOKEN_MAX: usize = 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/preview/{token}", get(image))
}

async fn image(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if token.len() > TOKEN_MAX {
        return refused(StatusCode::BAD_REQUEST, "malformed preview link");
    }
    match preview::image(&state.svc, &token).await {
        Ok(image) => (
            [
                (header::CONTENT_TYPE, image.content_type),
                (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; sandbox".to_owned(),
                ),
            ],
            image.bytes,
        )
            .into_response(),
        Err(Refusal::Malformed) => refused(StatusCode::BAD_REQUEST, "malformed preview link"),
        Err(Refusal::Forbidden) => refused(
            StatusCode::FORBIDDEN,
            "this preview link is not valid or has expired",
        ),
        Err(Refusal::Unavailable) => refused(StatusCode::NOT_FOUND, "no preview available"),
        Err(Refusal::Later) => {
            let mut response = refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "Zoom is busy; try again shortly",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
            response
        }
    }
}

fn refused(status: StatusCode, why: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        why,
    )
        .into_response()
}
