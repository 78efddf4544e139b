//! Socket Mode: with an app-level token, zlack opens WebSocket connections
//! to Slack and receives commands, events and interactions over them, so
//! Slack needs no way in. Each envelope becomes an inbox row with its HTTP
//! twin's dedupe key, kind and tenant (see [`crate::slack::to_inbox`]) and
//! is acknowledged only once stored.
//!
//! A few connections are kept open, each in its own slot. When Slack asks
//! to recycle one (`refresh_requested`, `warning`), the slot opens the
//! replacement first and retires the old one only after the replacement
//! said `hello` and the old one's envelopes are stored and acknowledged.

mod connection;
mod open;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::config::{Config, Secret};
use crate::ingest::Ingestor;
use connection::{Live, Notice};
pub use open::{Backoff, OpenError, open};

/// Timings and counts; the defaults suit Slack, tests shorten them.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Connections kept open (Slack allows up to ten per app).
    pub connections: usize,
    /// First reconnection delay; it doubles with each failure.
    pub backoff_base: Duration,
    /// Longest reconnection delay.
    pub backoff_cap: Duration,
    /// How often to try again after Slack disabled Socket Mode or refused
    /// the token: someone has to change a setting first.
    pub refused_retry: Duration,
    /// A quiet connection is pinged this often.
    pub ping_interval: Duration,
    /// A connection silent this long (no frame, no pong) is replaced.
    pub dead_after: Duration,
    /// How long connecting and waiting for `hello` may take.
    pub hello_timeout: Duration,
    /// A connection that lasted this long resets the backoff.
    pub stable_after: Duration,
    /// Envelopes per connection read but not yet stored and acknowledged;
    /// reading pauses while this many are.
    pub in_flight: usize,
    /// Frames (acks, pongs, pings) queued for sending per connection.
    pub outgoing: usize,
    /// Longest a send or the closing handshake may take: a peer that
    /// stopped reading cannot hold a connection, or shutdown, open.
    pub write_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            connections: 2,
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(120),
            refused_retry: Duration::from_secs(300),
            ping_interval: Duration::from_secs(10),
            dead_after: Duration::from_secs(35),
            hello_timeout: Duration::from_secs(10),
            stable_after: Duration::from_secs(60),
            in_flight: 512,
            outgoing: 1024,
            write_timeout: Duration::from_secs(5),
        }
    }
}

struct Ctx {
    client: reqwest::Client,
    api_url: Url,
    token: Secret,
    ingestor: Ingestor,
    settings: Settings,
}

/// Starts Socket Mode when an app-level token is configured. The task ends
/// after `stop`, once every envelope read is stored and acknowledged and
/// the connections are closed.
pub fn spawn(
    config: &Config,
    ingestor: Ingestor,
    settings: Settings,
    stop: CancellationToken,
) -> Option<JoinHandle<()>> {
    let token = config.slack.app_token.clone()?;
    let ctx = Arc::new(Ctx {
        client: crate::http_client::build(),
        api_url: config.slack.api_url.clone(),
        token,
        ingestor,
        settings,
    });
    tracing::info!(connections = ctx.settings.connections, "Slack: Socket Mode");
    Some(tokio::spawn(async move {
        let mut slots = tokio::task::JoinSet::new();
        for _ in 0..ctx.settings.connections.max(1) {
            slots.spawn(slot(Arc::clone(&ctx), stop.clone()));
        }
        while slots.join_next().await.is_some() {}
    }))
}

fn reconnected(reason: &'static str) {
    metrics::counter!("zlack_slack_socket_reconnects_total", "reason" => reason).increment(1);
}

/// Keeps one connection open until `stop`.
async fn slot(ctx: Arc<Ctx>, stop: CancellationToken) {
    let settings = &ctx.settings;
    let mut backoff = Backoff::new(settings.backoff_base, settings.backoff_cap);
    let mut next: Option<(Live, Instant)> = None;
    loop {
        let (mut current, since) = match next.take() {
            Some(live) => live,
            None => match establish(&ctx, &mut backoff, &stop).await {
                Some(live) => (live, Instant::now()),
                None => return,
            },
        };
        let notice = tokio::select! {
            _ = stop.cancelled() => {
                current.retire().await;
                return;
            }
            notice = current.notices.recv() => notice.unwrap_or(Notice::Lost("closed")),
        };
        if since.elapsed() >= settings.stable_after {
            backoff.reset();
        }
        match notice {
            Notice::Disconnect(reason) if reason == "link_disabled" => {
                reconnected("link_disabled");
                tracing::error!(
                    retry_in = ?settings.refused_retry,
                    "Slack disabled Socket Mode for this app (link_disabled): turn Socket Mode on again in the app's settings, or unset ZLACK_SLACK_APP_TOKEN and use request URLs"
                );
                current.retire().await;
                if sleep_or_stop(settings.refused_retry, &stop).await {
                    return;
                }
            }
            Notice::Disconnect(reason) => {
                reconnected(match reason.as_str() {
                    "refresh_requested" => "refresh_requested",
                    "warning" => "warning",
                    _ => "disconnect",
                });
                // The old connection keeps reading until the new one is up.
                let replacement = establish(&ctx, &mut backoff, &stop).await;
                current.retire().await;
                match replacement {
                    Some(live) => next = Some((live, Instant::now())),
                    None => return,
                }
            }
            Notice::Lost(reason) => {
                reconnected(reason);
                tracing::warn!(reason, "Socket Mode connection lost; reconnecting");
                current.retire().await;
                if sleep_or_stop(backoff.next(None), &stop).await {
                    return;
                }
            }
        }
    }
}

/// Opens a connection, retrying with backoff; `None` once stopped.
async fn establish(ctx: &Ctx, backoff: &mut Backoff, stop: &CancellationToken) -> Option<Live> {
    loop {
        let attempt = async {
            let url = open(&ctx.client, &ctx.api_url, &ctx.token).await?;
            connection::connect(&url, &ctx.settings, ctx.ingestor.clone())
                .await
                .map_err(|reason| OpenError::Failed(reason.into()))
        };
        let result = tokio::select! {
            _ = stop.cancelled() => return None,
            result = attempt => result,
        };
        let wait = match result {
            Ok(live) => return Some(live),
            Err(error @ OpenError::Refused(_)) => {
                tracing::error!(%error, retry_in = ?ctx.settings.refused_retry, "Socket Mode cannot connect");
                ctx.settings.refused_retry
            }
            Err(OpenError::RateLimited(after)) => {
                tracing::warn!(?after, "apps.connections.open is rate limited");
                backoff.next(Some(after))
            }
            Err(error @ OpenError::Failed(_)) => {
                tracing::warn!(%error, "Socket Mode cannot connect; retrying");
                backoff.next(None)
            }
        };
        if sleep_or_stop(wait, stop).await {
            return None;
        }
    }
}

/// Waits `wait`; true when stopped meanwhile.
async fn sleep_or_stop(wait: Duration, stop: &CancellationToken) -> bool {
    tokio::select! {
        _ = stop.cancelled() => true,
        _ = tokio::time::sleep(wait) => false,
    }
}
