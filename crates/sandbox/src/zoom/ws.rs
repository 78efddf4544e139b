//! Zoom's WebSocket event subscriptions: `GET /ws?subscriptionId=…&access_token=…`
//! with a live server-to-server token. One connection per subscription:
//! a new one closes the old. Events are delivered only while a
//! connection is open, as `{"module":"message","content":"<event JSON>"}`;
//! heartbeats (`{"module":"heartbeat"}`) are answered unless a test says
//! otherwise. A connection is closed when its token expires, and that is
//! counted, so tests see whether a client renewed its token in time.

use super::layer::ZoomError;
use super::state::{Shared, Subject};
use crate::ids;
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::{Notify, mpsc, oneshot};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new().route("/ws", get(connect))
}

/// What a test asks of an open connection.
enum Command {
    /// Send this text; answers whether it was written.
    Send(String, oneshot::Sender<bool>),
    /// Close the connection.
    Close,
    /// A new connection to the subscription replaces this one.
    Replaced,
}

struct Conn {
    id: u64,
    commands: mpsc::UnboundedSender<Command>,
}

/// The subscriptions and their connections.
#[derive(Default)]
pub(crate) struct Hub {
    data: Mutex<HubData>,
    /// Wakes waiters whenever a connection opens or closes.
    changed: Notify,
}

struct HubData {
    subscriptions: HashSet<String>,
    open: HashMap<String, Conn>,
    made: HashMap<String, usize>,
    tokens: HashMap<String, HashSet<String>>,
    answer_heartbeats: bool,
    heartbeats: usize,
    closed_for_expiry: usize,
    /// Handshakes begun (answered or not).
    handshakes: usize,
    /// How long each handshake waits before it is answered.
    handshake_delay: std::time::Duration,
    /// Sent once on a connection as a newer one replaces it, just before
    /// it is closed.
    farewell: Option<String>,
}

impl Default for HubData {
    fn default() -> Self {
        Self {
            subscriptions: HashSet::new(),
            open: HashMap::new(),
            made: HashMap::new(),
            tokens: HashMap::new(),
            answer_heartbeats: true,
            heartbeats: 0,
            closed_for_expiry: 0,
            handshakes: 0,
            handshake_delay: std::time::Duration::ZERO,
            farewell: None,
        }
    }
}

impl Hub {
    fn data(&self) -> MutexGuard<'_, HubData> {
        self.data.lock().expect("fake Zoom WebSocket lock")
    }

    pub(crate) fn add_subscription(&self, id: &str) {
        self.data().subscriptions.insert(id.to_owned());
    }

    pub(crate) fn set_answer_heartbeats(&self, answer: bool) {
        self.data().answer_heartbeats = answer;
    }

    pub(crate) fn set_handshake_delay(&self, delay: std::time::Duration) {
        self.data().handshake_delay = delay;
    }

    pub(crate) fn handshakes(&self) -> usize {
        self.data().handshakes
    }

    pub(crate) fn set_farewell(&self, text: String) {
        self.data().farewell = Some(text);
    }

    pub(crate) fn connections_made(&self, subscription: &str) -> usize {
        self.data().made.get(subscription).copied().unwrap_or(0)
    }

    pub(crate) fn tokens_used(&self, subscription: &str) -> usize {
        self.data().tokens.get(subscription).map_or(0, HashSet::len)
    }

    pub(crate) fn is_open(&self, subscription: &str) -> bool {
        self.data().open.contains_key(subscription)
    }

    pub(crate) fn heartbeats(&self) -> usize {
        self.data().heartbeats
    }

    pub(crate) fn closed_for_expiry(&self) -> usize {
        self.data().closed_for_expiry
    }

    /// Writes `text` on the subscription's open connection; false when
    /// none is open (the text is dropped, as Zoom drops events then).
    pub(crate) async fn send(&self, subscription: &str, text: String) -> bool {
        let (done, written) = oneshot::channel();
        let sent = self
            .data()
            .open
            .get(subscription)
            .is_some_and(|conn| conn.commands.send(Command::Send(text, done)).is_ok());
        sent && written.await.unwrap_or(false)
    }

    pub(crate) fn cut(&self, subscription: &str) {
        if let Some(conn) = self.data().open.get(subscription) {
            let _ = conn.commands.send(Command::Close);
        }
    }

    /// Waits until `check` holds, re-checking whenever a connection opens
    /// or closes; false after `timeout`.
    pub(crate) async fn wait(
        &self,
        timeout: std::time::Duration,
        check: impl Fn(&Self) -> bool,
    ) -> bool {
        let until = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.changed.notified();
            if check(self) {
                return true;
            }
            if tokio::time::timeout_at(until, changed).await.is_err() {
                return check(self);
            }
        }
    }
}

async fn connect(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let subscription = query.get("subscriptionId").cloned().unwrap_or_default();
    let token = query.get("access_token").cloned().unwrap_or_default();
    let delay = {
        let mut hub = shared.ws.data();
        hub.handshakes += 1;
        hub.handshake_delay
    };
    tokio::time::sleep(delay).await;
    let expires_at = {
        let data = shared.data();
        match data.authenticate(Some(&token)) {
            Ok(Subject::Account(_)) => data.access_expiry(&token),
            Ok(Subject::User(_)) => {
                return ZoomError::api(StatusCode::FORBIDDEN, 124, "Invalid access token.")
                    .into_response();
            }
            Err(message) => {
                return ZoomError::api(StatusCode::UNAUTHORIZED, 124, message).into_response();
            }
        }
    };
    if !shared.ws.data().subscriptions.contains(&subscription) {
        return ZoomError::api(StatusCode::NOT_FOUND, 404, "Subscription not found.")
            .into_response();
    }
    upgrade.on_upgrade(move |socket| serve(shared, subscription, token, expires_at, socket))
}

async fn serve(
    shared: Arc<Shared>,
    subscription: String,
    token: String,
    expires_at: Option<Instant>,
    socket: WebSocket,
) {
    let id = ids::next();
    let (commands, mut rx) = mpsc::unbounded_channel();
    {
        let mut hub = shared.ws.data();
        // Zoom serves one connection per subscription: the new one wins.
        if let Some(old) = hub.open.insert(subscription.clone(), Conn { id, commands }) {
            let _ = old.commands.send(Command::Replaced);
        }
        *hub.made.entry(subscription.clone()).or_default() += 1;
        hub.tokens
            .entry(subscription.clone())
            .or_default()
            .insert(token);
    }
    shared.ws.changed.notify_waiters();
    let (mut tx, mut incoming) = socket.split();
    let hello = json!({"module": "build_connection", "success": true, "content": "connected"});
    let mut open = tx
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_ok();
    let expiry = async {
        match expires_at {
            Some(at) => tokio::time::sleep_until(at.into()).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(expiry);
    while open {
        tokio::select! {
            () = &mut expiry => {
                shared.ws.data().closed_for_expiry += 1;
                break;
            }
            command = rx.recv() => match command {
                Some(Command::Send(text, done)) => {
                    let written = tx.send(Message::Text(text.into())).await.is_ok();
                    let _ = done.send(written);
                    open = written;
                }
                Some(Command::Replaced) => {
                    let farewell = shared.ws.data().farewell.take();
                    if let Some(text) = farewell {
                        let _ = tx.send(Message::Text(text.into())).await;
                    }
                    break;
                }
                Some(Command::Close) | None => break,
            },
            message = incoming.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let frame: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                    if frame["module"] == "heartbeat" {
                        let answer = {
                            let mut hub = shared.ws.data();
                            hub.heartbeats += 1;
                            hub.answer_heartbeats
                        };
                        if answer {
                            let reply = json!({"module": "heartbeat", "success": true, "content": "heartbeat"});
                            open = tx.send(Message::Text(reply.to_string().into())).await.is_ok();
                        }
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = tx.send(Message::Close(None)).await;
    {
        let mut hub = shared.ws.data();
        if hub.open.get(&subscription).is_some_and(|c| c.id == id) {
            hub.open.remove(&subscription);
        }
    }
    shared.ws.changed.notify_waiters();
}
