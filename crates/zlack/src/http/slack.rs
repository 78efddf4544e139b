//! Slack's three request URLs: commands, events and interactivity. Each
//! verifies, stores the request in the inbox and acknowledges; the worker
//! does the rest.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

use super::AppState;
use super::error::AppError;
use super::extract::{FormBody, JsonBody, VerifiedSlack, parse_form, parse_json};
use crate::slack::inbound::{EventEnvelope, Interaction, InteractionForm, SlashCommand};
use crate::slack::{to_inbox, views};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/slack/commands", post(command))
        .route("/slack/events", post(event))
        .route("/slack/interactions", post(interaction))
}

#[derive(Deserialize)]
struct SslCheck {
    ssl_check: Option<String>,
}

async fn command(
    State(state): State<AppState>,
    request: VerifiedSlack<FormBody>,
) -> Result<Response, AppError> {
    let body = request.body;
    if parse_form::<SslCheck>(&body)?.ssl_check.as_deref() == Some("1") {
        return Ok(StatusCode::OK.into_response());
    }
    let command: SlashCommand = parse_form(&body)?;
    state
        .ingest(to_inbox::command(&command, body.to_vec()))
        .await?;
    Ok(StatusCode::OK.into_response())
}

async fn event(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: VerifiedSlack<JsonBody>,
) -> Result<Response, AppError> {
    let body = request.body;
    match parse_json::<EventEnvelope>(&body)? {
        EventEnvelope::UrlVerification { challenge } => {
            Ok(axum::Json(serde_json::json!({ "challenge": challenge })).into_response())
        }
        EventEnvelope::EventCallback {
            event_id,
            event,
            team_id,
        } => {
            if event_id.is_empty() {
                return Err(AppError::BadRequest("event_id is empty".into()));
            }
            if let Some(retry) = headers
                .get("x-slack-retry-num")
                .and_then(|v| v.to_str().ok())
            {
                tracing::debug!(%event_id, retry, "Slack redelivered an event");
            }
            let row = to_inbox::event(&event_id, team_id.as_deref(), event.kind, body.to_vec());
            state.ingest(row).await?;
            Ok(StatusCode::OK.into_response())
        }
        EventEnvelope::AppRateLimited {
            team_id,
            minute_rate_limited,
        } => {
            tracing::warn!(
                ?team_id,
                ?minute_rate_limited,
                "Slack paused event delivery: app_rate_limited"
            );
            Ok(StatusCode::OK.into_response())
        }
    }
}

/// A `view_submission` is answered in the response itself: with the
/// modal's errors (nothing stored), or empty once stored (it closes).
async fn interaction(
    State(state): State<AppState>,
    request: VerifiedSlack<FormBody>,
) -> Result<Response, AppError> {
    let body = request.body;
    let form: InteractionForm = parse_form(&body)?;
    let payload: Interaction = parse_json(form.payload.as_bytes())?;
    if payload.kind == "view_submission" {
        let full: serde_json::Value = parse_json(form.payload.as_bytes())?;
        if let Some(answer) = views::answer(&full, state.svc.clock.now_ms()) {
            return Ok(axum::Json(answer).into_response());
        }
    }
    state
        .ingest(to_inbox::interaction(&payload, body.to_vec()))
        .await?;
    Ok(StatusCode::OK.into_response())
}
