//! Liveness, readiness and metrics, and the middleware that measures
//! every request by route template.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use sha2::Digest as _;

use crate::store::{JobStatus, Store};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
}

/// `/metrics` alone: merged into the main router, or served on
/// `ZLACK_METRICS_LISTEN` instead.
pub fn metrics_router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn ready(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.svc.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready\n").into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check: database failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database did not answer\n").into_response(),
    }
}

/// Renders what the recorder holds. No database query: the queue depths
/// come from [`refresh_queue_gauges`], which the app runs in the
/// background, so a scrape costs the same whatever the database does.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.svc.config.metrics.token
        && !bearer_matches(&headers, token.expose())
    {
        return (
            StatusCode::UNAUTHORIZED,
            [(WWW_AUTHENTICATE, "Bearer")],
            "unauthorized\n",
        )
            .into_response();
    }
    crate::telemetry::refresh_process();
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(),
    )
        .into_response()
}

/// Whether `Authorization` is `Bearer <token>`, compared in constant time.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    let Some(given) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    // Hashed first, so the comparison also hides the token's length.
    let given = sha2::Sha256::digest(given.trim().as_bytes());
    let wanted = sha2::Sha256::digest(token.as_bytes());
    given.ct_eq(&wanted).into()
}

/// Reads the inbox backlog and the waiting and dead job counts into their
/// gauges. Every replica reads the shared queue, so any one's view is the
/// whole. Waiting and dead jobs only: both counts read small partial
/// indexes, while finished jobs (kept for a week) may be a million rows.
pub async fn refresh_queue_gauges(store: &Store) {
    match store.inbox_backlog().await {
        Ok(backlog) => metrics::gauge!("zlack_inbox_backlog").set(backlog as f64),
        Err(error) => tracing::debug!(%error, "metrics: cannot read the inbox backlog"),
    }
    match store.unfinished_job_counts().await {
        Ok((queued, dead)) => {
            metrics::gauge!("zlack_job_queue_depth", "status" => JobStatus::Queued.as_str())
                .set(queued as f64);
            metrics::gauge!("zlack_job_queue_depth", "status" => JobStatus::Dead.as_str())
                .set(dead as f64);
        }
        Err(error) => tracing::debug!(%error, "metrics: cannot count the jobs"),
    }
}

/// Counts and times every request. Labels come from fixed sets only (the
/// route templates, [`method_label`], the status codes zlack answers
/// with), so no client can add series to `/metrics`.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("zlack_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("zlack_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// A request method as a label: the standard ones by name, any other as
/// `other` (methods are client text, and each label value is a new series).
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}
