//! Zoom's webhook URL: verify, answer URL validation, store, acknowledge.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::AppState;
use super::error::AppError;
use super::extract::{JsonBody, VerifiedZoom, parse_json, zoom_webhook_secret};
use crate::signature::zoom_encrypted_token;
use crate::zoom::inbound::{Refused, Webhook};

pub fn router() -> Router<AppState> {
    Router::new().route("/zoom/webhook", post(webhook))
}

async fn webhook(
    State(state): State<AppState>,
    request: VerifiedZoom<JsonBody>,
) -> Result<Response, AppError> {
    let body = request.body;
    let hook: Webhook = parse_json(&body)?;
    if hook.event.is_empty() {
        return Err(AppError::BadRequest("event is empty".into()));
    }
    if hook.event == Webhook::URL_VALIDATION {
        let plain = hook
            .plain_token()
            .ok_or_else(|| AppError::BadRequest("payload.plainToken missing".into()))?;
        let secret = zoom_webhook_secret(&state)?;
        let encrypted = zoom_encrypted_token(secret.expose(), &plain);
        return Ok(axum::Json(serde_json::json!({
            "plainToken": plain,
            "encryptedToken": encrypted,
        }))
        .into_response());
    }
    let client_id = state.svc.config.zoom.client_id.as_deref();
    let event = hook
        .into_inbound(body.to_vec(), client_id)
        .map_err(|refused| match refused {
            Refused::Malformed(why) => AppError::BadRequest(why),
            Refused::ForeignDeauthorization => {
                AppError::Unauthorized("app_deauthorized for another client")
            }
        })?;
    state.ingest(event).await?;
    Ok(StatusCode::OK.into_response())
}
