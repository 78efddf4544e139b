//! Zoom's events over a WebSocket event subscription, for deployments Zoom
//! cannot reach: zlack connects out to Zoom instead of receiving webhooks.
//!
//! One process at a time holds the connection (a database lease; Zoom
//! serves one connection per subscription anyway). The holder sends a
//! heartbeat every interval and replaces a connection whose heartbeats go
//! unanswered for two; reconnects with a fresh server-to-server token ahead
//! of the token's expiry; and stores every event through the same inbox as
//! the webhook route, so an event is one inbox row whichever way it came.
//! Zoom never delivers events that happened while no connection was open:
//! the `on_connected` hook runs after every (re)connect so the caller can
//! ask Zoom about what may have been missed.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::clock::{Millis, SharedClock};
use crate::config::{Secret, ZoomWebSocket};
use crate::flows::credentials::{CredError, subscription_token};
use crate::ingest::Ingestor;
use crate::services::Services;
use crate::store::InboundEvent;

/// How long the connection lease lasts without renewal: another process
/// takes over this long after the holder died.
pub const LEASE_TTL_MS: Millis = 6_000;
/// How often the holder renews its lease (and a waiting process tries it).
const LEASE_EVERY: Duration = Duration::from_secs(2);
/// How long the opening handshake may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// The first wait before a reconnect; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Longest a token is kept before reconnecting with a fresh one; a token
/// closer than this to expiry is replaced at three quarters of its life.
const TOKEN_MARGIN_MS: Millis = 5 * 60 * 1000;
/// Least time a token is kept, whatever its expiry says (at most a
/// heartbeat interval): a token that expires at once would otherwise make
/// the client reconnect at full speed.
const MIN_TOKEN_KEEP: Duration = Duration::from_secs(60);
/// How long a connection this client closes (or that Zoom replaces) is
/// still read for the events Zoom had already sent on it.
const DRAIN: Duration = Duration::from_secs(2);
/// How many times an event is offered to the store before it is given up:
/// an event that can never be stored must not hold up those after it.
const STORE_ATTEMPTS: u32 = 8;
/// Events read but not yet stored; when it is full the client stops
/// reading (Zoom's frames wait in the connection) but keeps its heartbeats
/// and its lease.
const QUEUE: usize = 1024;

/// How long to keep a token with `left_ms` of life before replacing it.
fn token_keep(left_ms: Millis, heartbeat: Duration) -> Duration {
    let left = left_ms.max(0);
    let keep = left - (left / 4).min(TOKEN_MARGIN_MS);
    Duration::from_millis(keep as u64).max(MIN_TOKEN_KEEP.min(heartbeat))
}

/// Called after every successful (re)connect.
pub type OnConnected = Arc<dyn Fn() + Send + Sync>;

/// The lease name for `subscription_id`.
pub fn lease_name(subscription_id: &str) -> String {
    format!("zoom:ws:{subscription_id}")
}

/// A frame from Zoom. Fields beyond `module` and `content` are not
/// documented; `success` is `false` on a refused connection.
#[derive(Debug, Deserialize)]
struct Frame {
    #[serde(default)]
    module: String,
    #[serde(default)]
    content: Option<serde_json::Value>,
    #[serde(default)]
    success: Option<bool>,
}

/// What one frame from Zoom means to the connection.
#[derive(Debug, PartialEq, Eq)]
enum Read {
    /// An event to store (the content: the event's JSON text).
    Event(String),
    /// The answer to a heartbeat.
    HeartbeatAnswer,
    /// Zoom refused the connection (a `success: false` frame).
    Refused,
    /// Something else: logged and tolerated.
    Other(String),
}

fn read_frame(text: &str) -> Read {
    let Ok(frame) = serde_json::from_str::<Frame>(text) else {
        return Read::Other("not a JSON object".into());
    };
    if frame.success == Some(false) {
        return Read::Refused;
    }
    match frame.module.as_str() {
        "message" => match frame.content {
            Some(serde_json::Value::String(event)) => Read::Event(event),
            // Tolerate an event sent as an object rather than as text.
            Some(event @ serde_json::Value::Object(_)) => Read::Event(event.to_string()),
            _ => Read::Other("message without content".into()),
        },
        "heartbeat" => Read::HeartbeatAnswer,
        other => Read::Other(format!("module {other:?}")),
    }
}

/// The subscription URL with its query; it holds the token, so it is
/// never logged.
fn connect_url(ws: &ZoomWebSocket, token: &Secret) -> Url {
    let mut url = ws.url.clone();
    url.query_pairs_mut()
        .append_pair("subscriptionId", &ws.subscription_id)
        .append_pair("access_token", token.expose());
    url
}

/// Why a connection ended or was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The handshake failed (network, TLS, or a non-101 answer).
    ConnectFailed,
    /// Zoom refused the token: the next attempt asks for a new one.
    TokenRefused,
    /// The token nears its expiry: reconnect with a fresh one.
    TokenRenewal,
    /// Two heartbeats went unanswered.
    HeartbeatTimeout,
    /// Zoom (or the network) closed the connection.
    Closed,
    /// Another process holds the lease now.
    LeaseLost,
    /// No token could be had.
    TokenUnavailable,
}

impl Reason {
    /// The `reason` label of `zlack_zoom_ws_reconnects_total`.
    pub fn label(self) -> &'static str {
        match self {
            Self::ConnectFailed => "connect_failed",
            Self::TokenRefused => "token_refused",
            Self::TokenRenewal => "token_renewal",
            Self::HeartbeatTimeout => "heartbeat_timeout",
            Self::Closed => "closed",
            Self::LeaseLost => "lease_lost",
            Self::TokenUnavailable => "token_unavailable",
        }
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the subscription's connection with `token`.
pub async fn connect(ws: &ZoomWebSocket, token: &Secret) -> Result<Socket, Reason> {
    let url = connect_url(ws, token);
    match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio_tungstenite::connect_async(url.as_str()),
    )
    .await
    {
        Ok(Ok((socket, _))) => Ok(socket),
        Ok(Err(tungstenite::Error::Http(response)))
            if matches!(response.status().as_u16(), 401 | 403) =>
        {
            tracing::warn!(
                status = response.status().as_u16(),
                "Zoom refused the event subscription's token"
            );
            Err(Reason::TokenRefused)
        }
        Ok(Err(error)) => {
            // Only the kind: some errors quote the request, which holds the token.
            tracing::warn!(
                error = error_kind(&error),
                "could not connect to Zoom's event subscription"
            );
            Err(Reason::ConnectFailed)
        }
        Err(_) => {
            tracing::warn!("connecting to Zoom's event subscription timed out");
            Err(Reason::ConnectFailed)
        }
    }
}

fn error_kind(error: &tungstenite::Error) -> String {
    match error {
        tungstenite::Error::Http(response) => format!("HTTP {}", response.status().as_u16()),
        tungstenite::Error::Io(e) => format!("I/O: {}", e.kind()),
        tungstenite::Error::Tls(_) => "TLS".into(),
        tungstenite::Error::Url(_) => "bad URL".into(),
        tungstenite::Error::Protocol(p) => format!("protocol: {p}"),
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => "closed".into(),
        _ => "other".into(),
    }
}

/// Connects with `token`, sends one heartbeat and waits up to `timeout`
/// for its answer, then closes; for `zlack doctor`. The error says what
/// failed, never with the URL or the token.
pub async fn probe(ws: &ZoomWebSocket, token: &Secret, timeout: Duration) -> Result<(), String> {
    let url = connect_url(ws, token);
    let mut socket = match tokio::time::timeout(
        CONNECT_TIMEOUT.min(timeout * 2),
        tokio_tungstenite::connect_async(url.as_str()),
    )
    .await
    {
        Ok(Ok((socket, _))) => socket,
        Ok(Err(error)) => return Err(format!("could not connect: {}", error_kind(&error))),
        Err(_) => return Err("connecting timed out".into()),
    };
    let answered = async {
        socket
            .send(Message::Text(r#"{"module":"heartbeat"}"#.into()))
            .await
            .map_err(|e| error_kind(&e))?;
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Text(text)) => match read_frame(text.as_str()) {
                    Read::HeartbeatAnswer => return Ok(()),
                    Read::Refused => return Err("Zoom refused the connection".to_owned()),
                    _ => {}
                },
                Ok(Message::Close(_)) => return Err("Zoom closed the connection".to_owned()),
                Ok(_) => {}
                Err(e) => return Err(error_kind(&e)),
            }
        }
        Err("Zoom closed the connection".to_owned())
    };
    let result = tokio::time::timeout(timeout, answered)
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "no heartbeat answer within {} s",
                timeout.as_secs_f64()
            ))
        });
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(None)).await;
    result
}

/// Reconnect delays: doubling from [`FIRST_BACKOFF`] up to
/// [`MAX_BACKOFF`], each drawn between half and all of its step, so
/// replicas that lost Zoom together do not come back together.
#[derive(Debug, Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let step = FIRST_BACKOFF
            .saturating_mul(1 << self.failures.min(10))
            .min(MAX_BACKOFF);
        self.failures = self.failures.saturating_add(1);
        let half = step / 2;
        half + half.mul_f64(rand::random::<f64>())
    }

    fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Starts the client; it runs until `stop` is cancelled, then closes its
/// connection and releases its lease.
pub fn spawn(
    svc: Services,
    ingestor: Ingestor,
    ws: ZoomWebSocket,
    on_connected: OnConnected,
    stop: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    let (events, queue) = mpsc::channel(QUEUE);
    let storer = tokio::spawn(store_events(svc.clone(), ingestor, queue, stop.clone()));
    let client = Client {
        lease: lease_name(&ws.subscription_id),
        svc,
        ws,
        on_connected,
        events,
        stop,
    };
    tokio::spawn(async move {
        client.run().await;
        // The storer ends once the client's sender is gone and the queue
        // is drained.
        let _ = storer.await;
    })
}

struct Client {
    svc: Services,
    ws: ZoomWebSocket,
    lease: String,
    on_connected: OnConnected,
    events: mpsc::Sender<String>,
    stop: CancellationToken,
}

/// How holding the lease while waiting ended.
enum Held {
    Waited,
    LeaseLost,
    Stopped,
}

impl Client {
    async fn run(self) {
        let mut backoff = Backoff::default();
        let mut stale: Option<Secret> = None;
        let mut holding = false;
        while !self.stop.is_cancelled() {
            match self.take_lease().await {
                Some(true) => {}
                Some(false) => {
                    if holding {
                        holding = false;
                        tracing::info!("another process holds the Zoom event subscription now");
                    }
                    if self.pause(LEASE_EVERY).await {
                        break;
                    }
                    continue;
                }
                None => break,
            }
            if !holding {
                holding = true;
                tracing::info!("this process holds the Zoom event subscription");
            }
            let reason = self.session(&mut stale, &mut backoff).await;
            metrics::gauge!("zlack_zoom_ws_connected").set(0.0);
            let Some(reason) = reason else { break };
            metrics::counter!("zlack_zoom_ws_reconnects_total", "reason" => reason.label())
                .increment(1);
            match reason {
                Reason::TokenRenewal => {
                    tracing::info!("reconnecting to Zoom with a fresh token");
                    continue;
                }
                Reason::LeaseLost => continue,
                _ => {}
            }
            let wait = backoff.next();
            tracing::info!(
                reason = reason.label(),
                wait_ms = wait.as_millis() as u64,
                "reconnecting to Zoom's event subscription"
            );
            match self.hold_for(wait).await {
                Held::Waited | Held::LeaseLost => {}
                Held::Stopped => break,
            }
        }
        metrics::gauge!("zlack_zoom_ws_connected").set(0.0);
        if let Err(error) = self
            .svc
            .store
            .release_lease(&self.lease, &self.svc.process_id)
            .await
        {
            tracing::warn!(%error, "could not release the Zoom event subscription lease");
        }
    }

    /// Takes or renews the lease: `Some(held)`, or `None` once stopped.
    async fn take_lease(&self) -> Option<bool> {
        loop {
            let now = self.svc.clock.now_ms();
            match self
                .svc
                .store
                .try_lease(&self.lease, &self.svc.process_id, now, LEASE_TTL_MS)
                .await
            {
                Ok(held) => return Some(held),
                Err(error) => {
                    tracing::warn!(%error, "could not take the Zoom event subscription lease");
                    if self.pause(LEASE_EVERY).await {
                        return None;
                    }
                }
            }
        }
    }

    /// Sleeps `wait`; true when stopped meanwhile.
    async fn pause(&self, wait: Duration) -> bool {
        tokio::select! {
            () = self.stop.cancelled() => true,
            () = sleep(wait) => false,
        }
    }

    /// Waits `wait` while keeping the lease.
    async fn hold_for(&self, wait: Duration) -> Held {
        let until = Instant::now() + wait;
        loop {
            let next = (Instant::now() + LEASE_EVERY).min(until);
            tokio::select! {
                () = self.stop.cancelled() => return Held::Stopped,
                () = sleep_until(next) => {}
            }
            if Instant::now() >= until {
                return Held::Waited;
            }
            match self.take_lease().await {
                Some(true) => {}
                Some(false) => return Held::LeaseLost,
                None => return Held::Stopped,
            }
        }
    }

    /// A fresh token and a connection made with it, the lease renewed
    /// meanwhile (the handshake may take longer than the lease lasts):
    /// `Err(None)` once stopped, `Err(Some(reason))` when none was made.
    async fn open(
        &self,
        stale: &mut Option<Secret>,
    ) -> Result<(Socket, Secret, Option<Instant>), Option<Reason>> {
        let fetched = self
            .leased(subscription_token(&self.svc, stale.as_ref()))
            .await?;
        let (token, expires_at) = match fetched {
            Ok(got) => got,
            Err(error) => {
                if let CredError::RateLimited(wait) = error {
                    let _ = self.hold_for(wait).await;
                }
                tracing::warn!(%error, "no Zoom token for the event subscription");
                return Err(Some(Reason::TokenUnavailable));
            }
        };
        *stale = None;
        let renew_at = expires_at
            .map(|at| Instant::now() + token_keep(at - self.svc.clock.now_ms(), self.ws.heartbeat));
        match self.leased(connect(&self.ws, &token)).await? {
            Ok(socket) => Ok((socket, token, renew_at)),
            Err(reason) => {
                if reason == Reason::TokenRefused {
                    *stale = Some(token);
                }
                Err(Some(reason))
            }
        }
    }

    /// Runs `work` while renewing the lease: `Err(None)` once stopped,
    /// `Err(Some(LeaseLost))` when the lease is lost meanwhile.
    async fn leased<T>(&self, work: impl Future<Output = T>) -> Result<T, Option<Reason>> {
        tokio::pin!(work);
        let mut renew = tokio::time::interval_at(Instant::now() + LEASE_EVERY, LEASE_EVERY);
        renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut renewed = Instant::now();
        loop {
            tokio::select! {
                () = self.stop.cancelled() => return Err(None),
                done = &mut work => return Ok(done),
                _ = renew.tick() => {
                    if let Some(lost) = self.renew(&mut renewed).await {
                        return Err(Some(lost));
                    }
                }
            }
        }
    }

    /// Renews the lease; `Some(LeaseLost)` once it is lost (or could not
    /// be renewed for as long as it lasts).
    async fn renew(&self, renewed: &mut Instant) -> Option<Reason> {
        match self
            .svc
            .store
            .try_lease(
                &self.lease,
                &self.svc.process_id,
                self.svc.clock.now_ms(),
                LEASE_TTL_MS,
            )
            .await
        {
            Ok(true) => {
                *renewed = Instant::now();
                None
            }
            Ok(false) => {
                tracing::info!("lost the Zoom event subscription lease; closing the connection");
                Some(Reason::LeaseLost)
            }
            Err(error) => {
                tracing::warn!(%error, "could not renew the Zoom event subscription lease");
                // Another process may take it once it runs out.
                (renewed.elapsed() >= Duration::from_millis(LEASE_TTL_MS as u64))
                    .then_some(Reason::LeaseLost)
            }
        }
    }

    /// One connection, from the token to its end; `None` once stopped. A
    /// token due for renewal is replaced by connecting anew first: Zoom
    /// then closes the old connection, which is read to its end.
    async fn session(&self, stale: &mut Option<Secret>, backoff: &mut Backoff) -> Option<Reason> {
        let (mut socket, mut token, mut renew_at) = match self.open(stale).await {
            Ok(opened) => opened,
            Err(reason) => return reason,
        };
        let mut pending = None;
        loop {
            tracing::info!(
                subscription = %self.ws.subscription_id,
                "connected to Zoom's event subscription"
            );
            metrics::gauge!("zlack_zoom_ws_connected").set(1.0);
            (self.on_connected)();
            let reason = self
                .read(&mut socket, renew_at, backoff, &mut pending)
                .await;
            if reason != Some(Reason::TokenRenewal) {
                if reason == Some(Reason::TokenRefused) {
                    *stale = Some(token);
                }
                self.drain(socket, &mut pending, true).await;
                return reason;
            }
            metrics::counter!("zlack_zoom_ws_reconnects_total", "reason" => Reason::TokenRenewal.label())
                .increment(1);
            tracing::info!("reconnecting to Zoom with a fresh token");
            // Ask for a new token even if the stored one is not due yet.
            *stale = Some(token);
            let opened = self.open(stale).await;
            let replaced = opened.is_ok();
            let (next, next_token, next_renew_at) = match opened {
                Ok(opened) => opened,
                Err(reason) => {
                    self.drain(socket, &mut pending, true).await;
                    return reason;
                }
            };
            // Zoom closes the old connection now that the new one is open.
            self.drain(socket, &mut pending, !replaced).await;
            (socket, token, renew_at) = (next, next_token, next_renew_at);
        }
    }

    /// Ends a connection: sends Close unless Zoom is closing it, then reads
    /// what Zoom had already sent until its Close arrives, for at most
    /// [`DRAIN`], queueing the events among it.
    async fn drain(&self, mut socket: Socket, pending: &mut Option<String>, close: bool) {
        let until = Instant::now() + DRAIN;
        let drained = async {
            if let Some(event) = pending.take()
                && self.events.send(event).await.is_err()
            {
                return;
            }
            if close {
                let _ = socket.send(Message::Close(None)).await;
            }
            while let Some(message) = socket.next().await {
                match message {
                    Ok(Message::Text(text)) => {
                        if let Read::Event(event) = read_frame(text.as_str()) {
                            metrics::counter!("zlack_zoom_ws_events_total").increment(1);
                            if self.events.send(event).await.is_err() {
                                return;
                            }
                        }
                    }
                    Ok(Message::Close(_)) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        };
        if tokio::time::timeout_at(until, drained).await.is_err() {
            tracing::info!("Zoom did not close the event subscription's connection in time");
        }
        if pending.take().is_some() {
            tracing::warn!(
                "a Zoom event was lost: the queue stayed full while the connection closed"
            );
        }
        let _ = tokio::time::timeout(Duration::from_millis(200), socket.close(None)).await;
    }

    /// Reads events and answers until the connection must end. An event
    /// that finds the queue full waits in `pending` and the connection is
    /// not read meanwhile, but heartbeats and the lease go on.
    async fn read(
        &self,
        socket: &mut Socket,
        renew_at: Option<Instant>,
        backoff: &mut Backoff,
        pending: &mut Option<String>,
    ) -> Option<Reason> {
        let heartbeat = self.ws.heartbeat;
        let mut beat = tokio::time::interval_at(Instant::now() + heartbeat, heartbeat);
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut renew = tokio::time::interval_at(Instant::now() + LEASE_EVERY, LEASE_EVERY);
        renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut renewed = Instant::now();
        let mut unanswered = 0u32;
        let token_due = async {
            match renew_at {
                Some(at) => sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(token_due);
        loop {
            tokio::select! {
                () = self.stop.cancelled() => return None,
                () = &mut token_due => return Some(Reason::TokenRenewal),
                _ = beat.tick() => {
                    // Answers are not read while the queue is full.
                    if pending.is_none() {
                        if unanswered >= 2 {
                            tracing::warn!("Zoom answered no heartbeat for two intervals; reconnecting");
                            return Some(Reason::HeartbeatTimeout);
                        }
                        unanswered += 1;
                    }
                    let sent = socket.send(Message::Text(r#"{"module":"heartbeat"}"#.into())).await;
                    if let Err(error) = sent {
                        tracing::warn!(error = error_kind(&error), "could not send a heartbeat to Zoom");
                        return Some(Reason::Closed);
                    }
                }
                _ = renew.tick() => {
                    if let Some(lost) = self.renew(&mut renewed).await {
                        return Some(lost);
                    }
                }
                permit = self.events.reserve(), if pending.is_some() => {
                    let Ok(permit) = permit else { return None };
                    if let Some(event) = pending.take() {
                        permit.send(event);
                    }
                }
                message = socket.next(), if pending.is_none() => {
                    let text = match message {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Close(_))) | None => {
                            tracing::info!("Zoom closed the event subscription's connection");
                            return Some(Reason::Closed);
                        }
                        Some(Ok(_)) => continue,
                        Some(Err(error)) => {
                            tracing::warn!(error = error_kind(&error), "the event subscription's connection failed");
                            return Some(Reason::Closed);
                        }
                    };
                    match read_frame(text.as_str()) {
                        Read::Event(event) => {
                            backoff.reset();
                            metrics::counter!("zlack_zoom_ws_events_total").increment(1);
                            match self.events.try_send(event) {
                                Ok(()) => {}
                                Err(mpsc::error::TrySendError::Full(event)) => {
                                    tracing::warn!("Zoom events are queued faster than they are stored; reading waits");
                                    *pending = Some(event);
                                }
                                Err(mpsc::error::TrySendError::Closed(_)) => return None,
                            }
                        }
                        Read::HeartbeatAnswer => {
                            backoff.reset();
                            unanswered = 0;
                        }
                        Read::Refused => {
                            tracing::warn!("Zoom refused the event subscription's connection");
                            return Some(Reason::TokenRefused);
                        }
                        Read::Other(what) => {
                            tracing::debug!(frame = %what, "ignored a frame from Zoom");
                        }
                    }
                }
            }
        }
    }
}

/// Stores each event read, in order, retrying a failed store: Zoom never
/// sends an event twice over a WebSocket. An event still not stored after
/// [`STORE_ATTEMPTS`] tries is given up (its kind logged and counted), so
/// one that can never be stored does not hold up the rest. After `stop`,
/// what is queued is tried once more, then the task ends with the queue.
async fn store_events(
    svc: Services,
    ingestor: Ingestor,
    queue: mpsc::Receiver<String>,
    stop: CancellationToken,
) {
    let client_id = svc.config.zoom.client_id.clone();
    let ingest = |event: InboundEvent| {
        let ingestor = ingestor.clone();
        async move {
            ingestor
                .ingest(event)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
    let longest_wait = Duration::from_secs(5);
    store_each(
        client_id.as_deref(),
        &svc.clock,
        ingest,
        queue,
        stop,
        longest_wait,
    )
    .await;
}

async fn store_each<F, Fut>(
    client_id: Option<&str>,
    clock: &SharedClock,
    ingest: F,
    mut queue: mpsc::Receiver<String>,
    stop: CancellationToken,
    longest_wait: Duration,
) where
    F: Fn(InboundEvent) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    while let Some(text) = queue.recv().await {
        let hook = match crate::zoom::inbound::parse(text.as_bytes()) {
            Ok(hook) => hook,
            Err(refused) => {
                tracing::warn!(%refused, "ignored a malformed event from Zoom's event subscription");
                metrics::counter!("zlack_zoom_ws_malformed_total").increment(1);
                continue;
            }
        };
        if let Some(sent) = hook.event_ts {
            let lag = (clock.now_ms() - sent).max(0);
            metrics::histogram!("zlack_zoom_ws_event_lag_seconds").record(lag as f64 / 1000.0);
        }
        let event = match hook.into_inbound(text.into_bytes(), client_id) {
            Ok(event) => event,
            Err(refused) => {
                tracing::warn!(%refused, "refused an event from Zoom's event subscription");
                metrics::counter!("zlack_zoom_ws_malformed_total").increment(1);
                continue;
            }
        };
        let mut backoff = Backoff::default();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            match ingest(event.clone()).await {
                Ok(()) => break,
                Err(error) if attempts >= STORE_ATTEMPTS => {
                    tracing::error!(%error, kind = %event.kind, attempts, "gave up storing a Zoom event");
                    metrics::counter!("zlack_zoom_ws_events_lost_total").increment(1);
                    break;
                }
                Err(error) if !stop.is_cancelled() => {
                    let wait = backoff.next().min(longest_wait);
                    tracing::warn!(%error, kind = %event.kind, "could not store a Zoom event; retrying");
                    tokio::select! {
                        () = stop.cancelled() => {}
                        () = sleep(wait) => {}
                    }
                }
                Err(error) => {
                    tracing::error!(%error, kind = %event.kind, "a Zoom event was lost at shutdown");
                    metrics::counter!("zlack_zoom_ws_events_lost_total").increment(1);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_by_module() {
        assert_eq!(
            read_frame(r#"{"module":"message","content":"{\"event\":\"meeting.started\"}"}"#),
            Read::Event(r#"{"event":"meeting.started"}"#.into())
        );
        assert_eq!(
            read_frame(r#"{"module":"heartbeat","success":true}"#),
            Read::HeartbeatAnswer
        );
        assert_eq!(
            read_frame(r#"{"module":"build_connection","success":false}"#),
            Read::Refused
        );
        assert!(matches!(
            read_frame(r#"{"module":"build_connection","success":true}"#),
            Read::Other(_)
        ));
        assert!(matches!(read_frame("nonsense"), Read::Other(_)));
        assert!(matches!(
            read_frame(r#"{"module":"message"}"#),
            Read::Other(_)
        ));
    }

    #[test]
    fn the_url_carries_the_subscription_and_the_token() {
        let ws = ZoomWebSocket {
            subscription_id: "sub 1".into(),
            url: Url::parse("wss://ws.zoom.us/ws").unwrap(),
            heartbeat: Duration::from_secs(30),
        };
        let url = connect_url(&ws, &Secret::new("t&k"));
        assert_eq!(
            url.as_str(),
            "wss://ws.zoom.us/ws?subscriptionId=sub+1&access_token=t%26k"
        );
    }

    #[tokio::test]
    async fn an_event_that_could_not_be_stored_is_retried_and_order_is_kept() {
        use std::sync::Mutex;
        let stored = Arc::new(Mutex::new(Vec::new()));
        let failures = Arc::new(std::sync::atomic::AtomicUsize::new(2));
        let ingest = |event: InboundEvent| {
            let stored = stored.clone();
            let failures = failures.clone();
            async move {
                let left = failures.load(std::sync::atomic::Ordering::SeqCst);
                if left > 0 {
                    failures.store(left - 1, std::sync::atomic::Ordering::SeqCst);
                    return Err("database unavailable".to_owned());
                }
                stored.lock().unwrap().push(event.kind);
                Ok(())
            }
        };
        let (tx, rx) = mpsc::channel(8);
        for event in ["meeting.started", "meeting.ended"] {
            let text =
                format!(r#"{{"event":"{event}","event_ts":1,"payload":{{"account_id":"A"}}}}"#);
            tx.send(text).await.unwrap();
        }
        tx.send("not an event".to_owned()).await.unwrap();
        drop(tx);
        let clock: SharedClock = crate::clock::ManualClock::at_ms(1_000);
        store_each(
            None,
            &clock,
            ingest,
            rx,
            CancellationToken::new(),
            Duration::from_millis(1),
        )
        .await;
        assert_eq!(
            *stored.lock().unwrap(),
            vec!["meeting.started".to_owned(), "meeting.ended".to_owned()]
        );
        assert_eq!(failures.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn an_event_that_can_never_be_stored_does_not_hold_up_the_next() {
        use std::sync::Mutex;
        let stored = Arc::new(Mutex::new(Vec::new()));
        let ingest = |event: InboundEvent| {
            let stored = stored.clone();
            async move {
                if event.kind == "poison" {
                    return Err("cannot be stored".to_owned());
                }
                stored.lock().unwrap().push(event.kind);
                Ok(())
            }
        };
        let (tx, rx) = mpsc::channel(8);
        for event in ["poison", "meeting.ended"] {
            tx.send(format!(r#"{{"event":"{event}","payload":{{}}}}"#))
                .await
                .unwrap();
        }
        drop(tx);
        let clock: SharedClock = crate::clock::ManualClock::at_ms(1_000);
        let stored_all = store_each(
            None,
            &clock,
            ingest,
            rx,
            CancellationToken::new(),
            Duration::from_millis(1),
        );
        tokio::time::timeout(Duration::from_secs(60), stored_all)
            .await
            .expect("the poison event was given up");
        assert_eq!(*stored.lock().unwrap(), vec!["meeting.ended".to_owned()]);
    }

    #[test]
    fn a_token_is_kept_a_least_time_whatever_its_expiry() {
        let heartbeat = Duration::from_secs(30);
        assert_eq!(token_keep(0, heartbeat), heartbeat);
        assert_eq!(token_keep(-5_000, heartbeat), heartbeat);
        assert_eq!(
            token_keep(3_600_000, heartbeat),
            Duration::from_secs(55 * 60)
        );
        assert_eq!(
            token_keep(8_000, Duration::from_secs(1)),
            Duration::from_secs(6)
        );
        assert_eq!(token_keep(0, Duration::from_secs(600)), MIN_TOKEN_KEEP);
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_its_cap() {
        let mut backoff = Backoff::default();
        let first = backoff.next();
        assert!(first >= FIRST_BACKOFF / 2 && first <= FIRST_BACKOFF);
        for _ in 0..20 {
            assert!(backoff.next() <= MAX_BACKOFF);
        }
        let last = backoff.next();
        assert!(last >= MAX_BACKOFF / 2);
        backoff.reset();
        assert!(backoff.next() <= FIRST_BACKOFF);
    }
}
