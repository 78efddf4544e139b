//! `GET /calendar/{id}.ics?sig=…`: a scheduled meeting as an iCalendar
//! file, for the card's "Add to calendar". The link is signed (HMAC with a
//! key derived from the vault's key); a link whose signature does not
//! match, or whose meeting is not a scheduled one, is refused without
//! saying which.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use zlack_domain::schedule::ics::{CalendarEvent, calendar};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar/{file}", get(ics))
}

#[derive(Deserialize)]
struct Signed {
    #[serde(default)]
    sig: String,
}

async fn ics(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(signed): Query<Signed>,
) -> Response {
    let svc = &state.svc;
    let id = file
        .strip_suffix(".ics")
        .filter(|id| !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|id| id.parse::<i64>().ok());
    let Some(id) = id.filter(|id| svc.store.calendar_signature_ok(*id, &signed.sig)) else {
        return not_found();
    };
    let scheduled = match svc.store.scheduled(id).await {
        Ok(Some(s)) => s,
        Ok(None) => return not_found(),
        Err(error) => {
            tracing::warn!(%error, "could not read a scheduled meeting for its calendar file");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again shortly").into_response();
        }
    };
    let (Some(join_url), Ok(starts), Ok(stamp)) = (
        scheduled.join_url.as_deref(),
        jiff::Timestamp::from_millisecond(scheduled.starts_at),
        jiff::Timestamp::from_millisecond(svc.clock.now_ms()),
    ) else {
        return not_found();
    };
    let host = svc.config.public_url.host_str().unwrap_or("zlack");
    let uid = format!("zlack-{}@{host}", scheduled.id);
    let topic = scheduled.topic.as_deref().unwrap_or("Zoom");
    let revisions = (scheduled.updated_at - scheduled.created_at).max(0) / 1000;
    let body = calendar(&CalendarEvent {
        uid: &uid,
        topic,
        starts,
        duration_minutes: u32::try_from(scheduled.duration_minutes).unwrap_or(0),
        join_url,
        stamp,
        sequence: u32::try_from(revisions).unwrap_or(u32::MAX),
        cancelled: scheduled.cancelled_at.is_some(),
    });
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"zoom-meeting-{id}.ics\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "no such calendar file",
    )
        .into_response()
}
