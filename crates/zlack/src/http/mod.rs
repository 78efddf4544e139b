//! The HTTP surface. Each area has its own `router()`; [`router`] is the
//! one place that merges them.

mod calendar;
mod call_page;
mod cookies;
pub mod error;
pub mod extract;
mod flow_state;
mod headers;
mod landing;
mod limitations;
mod ops;
mod pages;
mod preview;
mod privacy;
pub mod serve;
mod slack;
mod slack_install;
mod slack_signin;
mod slack_status;
mod zoom;
mod zoom_connect;
mod zoom_org;
mod zoom_org_switch;

use axum::Router;
use axum::extract::MatchedPath;
use axum::http::Request;
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::ingest::Ingestor;
use crate::services::Services;
use crate::store::{InboundEvent, Ingested};

use error::AppError;

/// What every handler gets: the services, the inbox writer and the metrics.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Config, store, API clients and clock.
    pub svc: Services,
    /// Stores verified requests before they are acknowledged.
    pub ingestor: Ingestor,
    /// Renders the Prometheus metrics page.
    pub metrics: PrometheusHandle,
}

impl AppState {
    /// Stores a verified request durably; the caller acks only after this.
    pub async fn ingest(&self, event: InboundEvent) -> Result<Ingested, AppError> {
        let source = event.source;
        // Text columns cannot hold NUL on PostgreSQL; no real event has one.
        if event.has_nul() {
            return Err(AppError::BadRequest(
                "NUL characters are not accepted".into(),
            ));
        }
        let outcome = self
            .ingestor
            .ingest(event)
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        if outcome == Ingested::Duplicate {
            tracing::debug!(source, "redelivery acknowledged, not stored again");
        }
        Ok(outcome)
    }
}

/// Every area's routes, with request spans named by route template.
/// `/metrics` is among them unless `ZLACK_METRICS_LISTEN` gives it a
/// listener of its own ([`metrics_router`]).
pub fn router(state: AppState) -> Router {
    let mut routes = Router::new()
        .merge(calendar::router())
        .merge(call_page::router())
        .merge(landing::router())
        .merge(ops::router())
        .merge(preview::router())
        .merge(privacy::router())
        .merge(limitations::router())
        .merge(slack::router())
        .merge(slack_install::router())
        .merge(slack_signin::router())
        .merge(slack_status::router())
        .merge(zoom_connect::router())
        .merge(zoom_org_switch::router())
        .merge(zoom::router());
    if state.svc.config.metrics.listen.is_none() {
        routes = routes.merge(ops::metrics_router());
    }
    instrumented(routes, state)
}

/// `/metrics` alone, for the `ZLACK_METRICS_LISTEN` listener.
pub fn metrics_router(state: AppState) -> Router {
    instrumented(ops::metrics_router(), state)
}

/// Reads the queue depths `/metrics` reports (see [`ops::refresh_queue_gauges`]).
pub async fn refresh_queue_gauges(store: &crate::store::Store) {
    ops::refresh_queue_gauges(store).await;
}

fn instrumented(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .route_layer(axum::middleware::from_fn(ops::track_requests))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map(MatchedPath::as_str)
                        .unwrap_or("unmatched");
                    let method = ops::method_label(request.method());
                    tracing::info_span!("request", method, route)
                })
                // Refusals are logged once by `AppError`; routine responses only
                // when asked for with ZLACK_LOG=debug.
                .on_response(DefaultOnResponse::new().level(Level::DEBUG))
                .on_failure(DefaultOnFailure::new().level(Level::DEBUG)),
        )
        .with_state(state)
}
