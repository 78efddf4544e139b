//! `GET /v2/whiteboards/{whiteboardId}` and the whiteboard preview images
//! its `preview_link` points at (which, like Zoom's, need the user's token).

use super::layer::{Caller, ZoomError};
use super::state::{Shared, Subject};
use crate::http;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use std::sync::Arc;

/// A whiteboard: what `GET` answers, who may read it, and its preview.
#[derive(Debug, Clone)]
pub(crate) struct Whiteboard {
    pub(crate) body: Value,
    pub(crate) readers: Vec<String>,
    pub(crate) deleted: bool,
    pub(crate) preview: (String, Vec<u8>),
}

/// A 1×1 transparent PNG.
pub const PREVIEW_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v2/whiteboards", get(list))
        .route("/v2/whiteboards/{whiteboardId}", get(get_whiteboard))
        .route("/wb/preview/{whiteboardId}", get(preview))
}

fn not_found() -> ZoomError {
    ZoomError::api(StatusCode::NOT_FOUND, 404, "Whiteboard not found.")
}

/// The board `id` as `caller` may see it: missing and deleted boards are
/// 404, boards the caller may not read 403.
fn readable(shared: &Shared, caller: &Subject, id: &str) -> Result<Whiteboard, ZoomError> {
    let data = shared.data();
    if data.whiteboards_disabled {
        return Err(ZoomError::api(
            StatusCode::FORBIDDEN,
            4711,
            "Whiteboard is not enabled for this account.",
        ));
    }
    let board = data
        .whiteboards
        .get(id)
        .filter(|b| !b.deleted)
        .ok_or_else(not_found)?;
    let allowed = match caller {
        Subject::User(user) => board.readers.iter().any(|r| r == user),
        Subject::Account(_) => true,
    };
    if !allowed {
        return Err(ZoomError::api(
            StatusCode::FORBIDDEN,
            4700,
            "You do not have access to this whiteboard.",
        ));
    }
    Ok(board.clone())
}

/// `GET /whiteboards`: the boards the caller may read; refused for an
/// account with whiteboards turned off.
async fn list(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
) -> Result<Response, ZoomError> {
    let data = shared.data();
    if data.whiteboards_disabled {
        return Err(ZoomError::api(
            StatusCode::FORBIDDEN,
            4711,
            "Whiteboard is not enabled for this account.",
        ));
    }
    let boards: Vec<Value> = data
        .whiteboards
        .values()
        .filter(|b| !b.deleted)
        .filter(|b| match &caller {
            Subject::User(user) => b.readers.iter().any(|r| r == user),
            Subject::Account(_) => true,
        })
        .map(|b| b.body.clone())
        .collect();
    let body = serde_json::json!({"page_size": 10, "next_page_token": "", "whiteboards": boards});
    Ok(http::json(StatusCode::OK, &body))
}

async fn get_whiteboard(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, ZoomError> {
    let board = readable(&shared, &caller, &id)?;
    Ok(http::json(StatusCode::OK, &board.body))
}

async fn preview(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, ZoomError> {
    let board = readable(&shared, &caller, &id)?;
    let (content_type, bytes) = board.preview;
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}
