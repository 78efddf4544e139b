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
use crate::store::InboundEvent;
use crate::zoom::inbound::Webhook;

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
    if !hook.payload.is_object() {
        return Err(AppError::BadRequest("payload must be an object".into()));
    }
    // A deauthorization deletes data: it must name this app, whatever the
    // signature says (another app of the same account shares no secret,
    // but the client id is what Zoom documents to check).
    if hook.event == "app_deauthorized" {
        let ours = state
            .svc
            .config
            .zoom
            .client_id
            .as_deref()
            .unwrap_or_default();
        let theirs = hook.payload["client_id"].as_str().unwrap_or_default();
        let same: bool = subtle::ConstantTimeEq::ct_eq(ours.as_bytes(), theirs.as_bytes()).into();
        if ours.is_empty() || !same {
            return Err(AppError::Unauthorized(
                "app_deauthorized for another client",
            ));
        }
    }
    state
        .ingest(InboundEvent {
            source: "zoom.webhook",
            dedupe_key: hook.dedupe_key(),
            tenant: hook.payload["account_id"]
                .as_str()
                .filter(|a| !a.is_empty())
                .map(|a| format!("zoom:{a}"))
                .unwrap_or_default(),
            kind: hook.event,
            body: body.to_vec(),
        })
        .await?;
    Ok(StatusCode::OK.into_response())
}
