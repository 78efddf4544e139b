//! Socket Mode: `apps.connections.open` hands out one-time `ws://` URLs
//! served here; envelopes pushed by the test go to one open connection
//! each, in turn, and come again (`retry_attempt`, `retry_reason`) to
//! another connection when not acknowledged in time.

use super::api::{Ctx, Reply, SlackError};
use super::state::Shared;
use crate::args::Args;
use crate::ids;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

/// Deliveries of one envelope at most, the first included.
const MAX_DELIVERIES: u32 = 100;

/// An acknowledgement the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketAck {
    /// The envelope acknowledged.
    pub envelope_id: String,
    /// The connection it came over.
    pub connection: u64,
    /// The answer sent with the ack (a `view_submission`'s
    /// `response_action`, say), if any.
    pub payload: Option<Value>,
}

pub(crate) enum Out {
    Text(String),
    /// A close frame, then the connection ends.
    Close,
    /// The TCP connection drops with no close frame.
    Abort,
    /// A WebSocket ping.
    Ping,
    /// The connection goes silent: nothing is read or answered any more,
    /// as when a network path dies.
    Freeze,
    /// The fake stops reading and sends this many pings with the largest
    /// payload allowed: the answers pile up until the client's writes
    /// block. Then it waits, like [`Out::Freeze`].
    Flood(usize),
}

struct Conn {
    tx: mpsc::UnboundedSender<Out>,
    /// Sent `disconnect`: no new envelopes go there.
    leaving: bool,
}

struct Pending {
    kind: String,
    payload: Value,
    accepts_response_payload: bool,
    attempt: u32,
    sent_to: Option<u64>,
    acked: bool,
}

#[derive(Default)]
pub(crate) struct HubData {
    pub(crate) app_token: Option<String>,
    ws_base: String,
    tickets: HashSet<String>,
    conns: BTreeMap<u64, Conn>,
    next_conn: u64,
    opened: usize,
    turn: usize,
    envelopes: HashMap<String, Pending>,
    acks: Vec<SocketAck>,
    pongs: usize,
    floods: usize,
    redelivery: Option<Duration>,
}

/// The Socket Mode side of the fake Slack.
#[derive(Default)]
pub(crate) struct Hub {
    data: Mutex<HubData>,
    pub(crate) changed: Notify,
}

impl Hub {
    pub(crate) fn data(&self) -> MutexGuard<'_, HubData> {
        self.data.lock().expect("fake Socket Mode lock")
    }

    pub(crate) fn set_base(&self, http_base: &str) {
        self.data().ws_base = http_base.replacen("http://", "ws://", 1);
    }

    pub(crate) fn redelivery(&self) -> Duration {
        self.data().redelivery.unwrap_or(Duration::from_secs(3))
    }

    pub(crate) fn set_redelivery(&self, after: Duration) {
        self.data().redelivery = Some(after);
    }

    pub(crate) fn open_connections(&self) -> Vec<u64> {
        self.data().conns.keys().copied().collect()
    }

    pub(crate) fn opened(&self) -> usize {
        self.data().opened
    }

    pub(crate) fn acks(&self) -> Vec<SocketAck> {
        self.data().acks.clone()
    }

    /// Sends `disconnect` with `reason`; no new envelopes go there.
    pub(crate) fn disconnect(&self, connection: u64, reason: &str) {
        let frame = json!({
            "type": "disconnect",
            "reason": reason,
            "debug_info": {"host": "applink-fake"}
        });
        let mut data = self.data();
        if let Some(conn) = data.conns.get_mut(&connection) {
            conn.leaving = true;
            let _ = conn.tx.send(Out::Text(frame.to_string()));
        }
    }

    /// Queues `out` for connection `connection`.
    pub(crate) fn send(&self, connection: u64, out: Out) {
        if let Some(conn) = self.data().conns.get(&connection) {
            let _ = conn.tx.send(out);
        }
    }

    /// Silences a connection; no envelopes go there any more.
    pub(crate) fn freeze(&self, connection: u64) {
        self.freeze_with(connection, Out::Freeze);
    }

    /// Sends `out` (which silences it) to a connection no envelopes go to
    /// any more.
    pub(crate) fn freeze_with(&self, connection: u64, out: Out) {
        if let Some(conn) = self.data().conns.get_mut(&connection) {
            conn.leaving = true;
            let _ = conn.tx.send(out);
        }
    }

    /// Floods sent in full (see [`Out::Flood`]).
    pub(crate) fn floods(&self) -> usize {
        self.data().floods
    }

    pub(crate) fn pongs(&self) -> usize {
        self.data().pongs
    }

    /// Ends a connection, with a close frame or (`abrupt`) without.
    pub(crate) fn close(&self, connection: u64, abrupt: bool) {
        if let Some(conn) = self.data().conns.get_mut(&connection) {
            conn.leaving = true;
            let _ = conn.tx.send(if abrupt { Out::Abort } else { Out::Close });
        }
    }

    /// Queues an envelope and delivers it now if a connection is open.
    pub(crate) fn push(
        self: &Arc<Self>,
        kind: &str,
        payload: Value,
        accepts_response_payload: bool,
    ) -> String {
        let id = ids::random_hex(32);
        let pending = Pending {
            kind: kind.to_owned(),
            payload,
            accepts_response_payload,
            attempt: 0,
            sent_to: None,
            acked: false,
        };
        self.data().envelopes.insert(id.clone(), pending);
        self.deliver(&id, None);
        let hub = Arc::clone(self);
        let envelope = id.clone();
        tokio::spawn(async move { hub.redeliver_until_acked(&envelope).await });
        id
    }

    /// Sends the envelope again, acknowledged or not, as Slack sometimes does.
    pub(crate) fn redeliver(&self, id: &str) {
        self.deliver(id, Some("timeout"));
    }

    async fn redeliver_until_acked(&self, id: &str) {
        loop {
            tokio::time::sleep(self.redelivery()).await;
            let done = {
                let data = self.data();
                data.envelopes
                    .get(id)
                    .is_none_or(|p| p.acked || p.attempt + 1 >= MAX_DELIVERIES)
            };
            if done {
                return;
            }
            self.deliver(id, Some("timeout"));
        }
    }

    /// Sends envelope `id` to the next open connection that is not leaving,
    /// preferring one it was not sent to before.
    fn deliver(&self, id: &str, retry_reason: Option<&str>) {
        let mut data = self.data();
        let open: Vec<u64> = data
            .conns
            .iter()
            .filter(|(_, c)| !c.leaving)
            .map(|(id, _)| *id)
            .collect();
        let Some(pending) = data.envelopes.get(id) else {
            return;
        };
        let elsewhere: Vec<u64> = open
            .iter()
            .copied()
            .filter(|c| Some(*c) != pending.sent_to)
            .collect();
        let candidates = if elsewhere.is_empty() {
            open
        } else {
            elsewhere
        };
        if candidates.is_empty() {
            return;
        }
        data.turn = data.turn.wrapping_add(1);
        let target = candidates[data.turn % candidates.len()];
        let pending = data.envelopes.get_mut(id).expect("checked above");
        if retry_reason.is_some() {
            pending.attempt += 1;
        }
        pending.sent_to = Some(target);
        let frame = json!({
            "envelope_id": id,
            "type": pending.kind,
            "payload": pending.payload,
            "accepts_response_payload": pending.accepts_response_payload,
            "retry_attempt": pending.attempt,
            "retry_reason": retry_reason.unwrap_or(""),
        });
        if let Some(conn) = data.conns.get(&target) {
            let _ = conn.tx.send(Out::Text(frame.to_string()));
        }
        drop(data);
        self.changed.notify_waiters();
    }

    /// How often envelope `id` was sent (zero while no connection was open).
    pub(crate) fn deliveries(&self, id: &str) -> u32 {
        self.data()
            .envelopes
            .get(id)
            .filter(|p| p.sent_to.is_some())
            .map_or(0, |p| p.attempt + 1)
    }

    fn ack(&self, connection: u64, text: &str) {
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return;
        };
        let Some(id) = value.get("envelope_id").and_then(Value::as_str) else {
            return;
        };
        let mut data = self.data();
        if let Some(pending) = data.envelopes.get_mut(id) {
            pending.acked = true;
        }
        data.acks.push(SocketAck {
            envelope_id: id.to_owned(),
            connection,
            payload: value.get("payload").cloned(),
        });
        drop(data);
        self.changed.notify_waiters();
    }
}

/// `apps.connections.open`: a one-time URL for the app-level token.
pub(crate) fn open(ctx: &Ctx<'_>, _args: &Args) -> Reply {
    let hub = &ctx.shared.socket;
    let ticket = ids::random_hex(32);
    let mut data = hub.data();
    data.tickets.insert(ticket.clone());
    let url = format!("{}/link/?ticket={ticket}", data.ws_base);
    Ok(json!({ "url": url }))
}

/// Who may call `apps.connections.open`: only the configured app token.
pub(crate) fn authenticate(shared: &Shared, bearer: Option<&str>) -> Result<(), SlackError> {
    let expected = shared.socket.data().app_token.clone();
    match bearer {
        None => Err(SlackError::new("not_authed")),
        Some(token) if Some(token) == expected.as_deref() => Ok(()),
        Some(token) if shared.data().tokens.contains_key(token) => {
            Err(SlackError::new("not_allowed_token_type"))
        }
        Some(_) => Err(SlackError::new("invalid_auth")),
    }
}

/// `GET /link/?ticket=…`: the WebSocket behind a URL handed out once.
pub(crate) async fn link(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let ticket = query.get("ticket").cloned().unwrap_or_default();
    if !shared.socket.data().tickets.remove(&ticket) {
        return (StatusCode::UNAUTHORIZED, "invalid or used ticket").into_response();
    }
    ws.on_upgrade(move |socket| serve(shared, socket))
}

async fn serve(shared: Arc<Shared>, socket: WebSocket) {
    let hub = &shared.socket;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (id, count) = {
        let mut data = hub.data();
        data.next_conn += 1;
        data.opened += 1;
        let id = data.next_conn;
        data.conns.insert(id, Conn { tx, leaving: false });
        (id, data.conns.len())
    };
    let (mut sink, mut stream) = socket.split();
    let hello = json!({
        "type": "hello",
        "num_connections": count,
        "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
        "connection_info": {"app_id": crate::API_APP_ID}
    });
    let greeted = sink.send(Message::Text(hello.to_string().into())).await;
    hub.changed.notify_waiters();
    if greeted.is_ok() {
        exchange(hub, id, &mut rx, &mut sink, &mut stream).await;
    }
    hub.data().conns.remove(&id);
    hub.changed.notify_waiters();
}

/// Neither reads nor writes until the test ends the connection.
async fn frozen(rx: &mut mpsc::UnboundedReceiver<Out>) {
    while let Some(out) = rx.recv().await {
        if matches!(out, Out::Abort | Out::Close) {
            return;
        }
    }
}

/// Sends what the test queues and records acks, until either side ends.
async fn exchange(
    hub: &Hub,
    id: u64,
    rx: &mut mpsc::UnboundedReceiver<Out>,
    sink: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
) {
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Some(Out::Close) => {
                    let _ = sink.send(Message::Close(None)).await;
                    return;
                }
                Some(Out::Ping) => {
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        return;
                    }
                }
                Some(Out::Freeze) => return frozen(rx).await,
                Some(Out::Flood(n)) => {
                    let payload = vec![b'p'; 125];
                    let mut open = true;
                    for _ in 0..n {
                        if sink.send(Message::Ping(payload.clone().into())).await.is_err() {
                            open = false;
                            break;
                        }
                    }
                    // Over, whether sent in full or the client hung up.
                    hub.data().floods += 1;
                    hub.changed.notify_waiters();
                    if open {
                        frozen(rx).await;
                    }
                    return;
                }
                Some(Out::Abort) | None => return,
            },
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => hub.ack(id, text.as_str()),
                Some(Ok(Message::Pong(_))) => {
                    hub.data().pongs += 1;
                    hub.changed.notify_waiters();
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
