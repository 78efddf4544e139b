//! Liveness, readiness and metrics, and the middleware that measures
//! every request by route template.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use crate::store::JobStatus;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
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

async fn metrics(State(state): State<AppState>) -> Response {
    // Depths are read from the database at scrape time, so every replica
    // reports the shared queue, not just its own share.
    if let Ok(backlog) = state.svc.store.inbox_backlog().await {
        metrics::gauge!("zlack_inbox_backlog").set(backlog as f64);
    }
    // Waiting and dead jobs only: both counts read small partial indexes,
    // while finished jobs (kept for a week) may be a million rows.
    if let Ok((queued, dead)) = state.svc.store.unfinished_job_counts().await {
        metrics::gauge!("zlack_jobs", "status" => JobStatus::Queued.as_str()).set(queued as f64);
        metrics::gauge!("zlack_jobs", "status" => JobStatus::Dead.as_str()).set(dead as f64);
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(),
    )
        .into_response()
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
