//! One Socket Mode connection: reads envelopes, stores each through the
//! group commit and acknowledges it only once stored; answers pings and
//! notices when the link went quiet.

use std::time::Instant;

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

use super::Settings;
use crate::ingest::Ingestor;
use crate::slack::to_inbox::{self, Envelope};

/// How a connection ended, or what it asks of its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Slack sent `disconnect` with this reason (`refresh_requested`,
    /// `warning`, `link_disabled`, …); the connection still reads.
    Disconnect(String),
    /// The connection is gone; the text says why, for the log and the
    /// reconnect metric's `reason`.
    Lost(&'static str),
}

/// A connection that said `hello`, reading in its own task.
pub struct Live {
    /// Disconnect requests and the connection's end.
    pub notices: mpsc::UnboundedReceiver<Notice>,
    retire: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Live {
    /// Stops reading, waits until every envelope already read is stored
    /// and acknowledged (or failed to store), then closes the connection.
    pub async fn retire(self) {
        self.retire.cancel();
        let _ = self.task.await;
    }
}

/// The frames Slack sends, read as far as zlack needs.
#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    envelope_id: Option<String>,
    #[serde(default)]
    payload: Option<Box<RawValue>>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    retry_attempt: Option<u32>,
    #[serde(default)]
    num_connections: Option<u32>,
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects to `url` and waits for `hello`.
pub async fn connect(
    url: &url::Url,
    settings: &Settings,
    ingestor: Ingestor,
) -> Result<Live, &'static str> {
    let (mut socket, _) = tokio::time::timeout(
        settings.hello_timeout,
        tokio_tungstenite::connect_async(url.as_str()),
    )
    .await
    .map_err(|_| "connect_timeout")?
    .map_err(|error| {
        tracing::warn!(error = %redact(&error), "Socket Mode connection failed");
        "connect_failed"
    })?;
    let hello = tokio::time::timeout(settings.hello_timeout, async {
        while let Some(message) = socket.next().await {
            if let Ok(Message::Text(text)) = message {
                if let Ok(frame) = serde_json::from_str::<Frame>(&text)
                    && frame.kind == "hello"
                {
                    return Some(frame);
                }
            } else if message.is_err() {
                return None;
            }
        }
        None
    })
    .await;
    let Ok(Some(hello)) = hello else {
        let _ = socket.close(None).await;
        return Err("no_hello");
    };
    tracing::info!(
        num_connections = hello.num_connections,
        "Socket Mode connection open"
    );
    let (notify, notices) = mpsc::unbounded_channel();
    let retire = CancellationToken::new();
    let task = tokio::spawn(run(
        socket,
        ingestor,
        settings.clone(),
        notify,
        retire.clone(),
    ));
    Ok(Live {
        notices,
        retire,
        task,
    })
}

/// Errors from tungstenite may quote the URL, whose ticket must not be logged.
fn redact(error: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Io(e) => format!("I/O error: {}", e.kind()),
        Error::Http(response) => format!("HTTP {}", response.status()),
        Error::Tls(_) => "TLS error".into(),
        _ => "WebSocket handshake failed".into(),
    }
}

async fn run(
    socket: Socket,
    ingestor: Ingestor,
    settings: Settings,
    notify: mpsc::UnboundedSender<Notice>,
    retire: CancellationToken,
) {
    metrics::gauge!("zlack_slack_socket_connections").increment(1.0);
    let (mut sink, mut stream) = socket.split();
    let (out, mut outgoing) = mpsc::unbounded_channel::<Message>();
    // One writer, so acks, pongs and pings never interleave mid-frame; each
    // send flushes.
    let writer = tokio::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            if sink.send(message).await.is_err() {
                return;
            }
        }
        let _ = sink.close().await;
    });
    let mut in_flight = JoinSet::new();
    let mut last_frame = Instant::now();
    let ended = loop {
        let next = tokio::select! {
            _ = retire.cancelled() => break None,
            next = tokio::time::timeout(settings.ping_interval, stream.next()) => next,
        };
        let message = match next {
            Err(_) if last_frame.elapsed() >= settings.dead_after => break Some("dead"),
            Err(_) => {
                let _ = out.send(Message::Ping(Default::default()));
                continue;
            }
            Ok(None) => break Some("closed"),
            Ok(Some(Err(_))) => break Some("error"),
            Ok(Some(Ok(message))) => message,
        };
        last_frame = Instant::now();
        match message {
            Message::Text(text) => {
                let Ok(frame) = serde_json::from_str::<Frame>(&text) else {
                    tracing::debug!("Socket Mode sent a frame that is not JSON; ignored");
                    continue;
                };
                handle(frame, &ingestor, &out, &notify, &mut in_flight);
            }
            // tungstenite only queues its own pong until the next write;
            // ours replaces it and the writer flushes it now.
            Message::Ping(data) => {
                let _ = out.send(Message::Pong(data));
            }
            Message::Close(_) => break Some("closed"),
            _ => {}
        }
        // Reap finished envelopes so the set stays small on long connections.
        while in_flight.try_join_next().is_some() {}
    };
    while in_flight.join_next().await.is_some() {}
    drop(out);
    let _ = writer.await;
    metrics::gauge!("zlack_slack_socket_connections").decrement(1.0);
    if let Some(reason) = ended {
        let _ = notify.send(Notice::Lost(reason));
    }
}

fn handle(
    frame: Frame,
    ingestor: &Ingestor,
    out: &mpsc::UnboundedSender<Message>,
    notify: &mpsc::UnboundedSender<Notice>,
    in_flight: &mut JoinSet<()>,
) {
    let Some(envelope_id) = frame.envelope_id else {
        match frame.kind.as_str() {
            "disconnect" => {
                let reason = frame.reason.unwrap_or_default();
                tracing::info!(%reason, "Slack asked to disconnect a Socket Mode connection");
                let _ = notify.send(Notice::Disconnect(reason));
            }
            kind => tracing::debug!(kind, "Socket Mode frame ignored"),
        }
        return;
    };
    let received = Instant::now();
    let kind = frame.kind;
    metrics::counter!("zlack_slack_socket_envelopes_total", "type" => envelope_type(&kind))
        .increment(1);
    if let Some(retry) = frame.retry_attempt.filter(|n| *n > 0) {
        tracing::debug!(%envelope_id, retry, "Slack redelivered an envelope");
    }
    let ack = {
        let out = out.clone();
        move |envelope_id: &str| {
            let text = serde_json::json!({ "envelope_id": envelope_id }).to_string();
            let _ = out.send(Message::Text(text.into()));
            metrics::histogram!("zlack_slack_socket_ack_seconds")
                .record(received.elapsed().as_secs_f64());
        }
    };
    let row = match to_inbox::envelope(&kind, frame.payload.as_deref()) {
        Ok(Envelope::Store(row)) => row,
        Ok(Envelope::Ignore(what)) => {
            tracing::debug!(what, "Socket Mode envelope acknowledged and ignored");
            return ack(&envelope_id);
        }
        Err(error) => {
            // Redelivery would bring the same bytes back: ack and drop.
            tracing::warn!(%error, "Socket Mode envelope refused");
            return ack(&envelope_id);
        }
    };
    if row.kind.contains('\0') || row.dedupe_key.contains('\0') {
        tracing::warn!("Socket Mode envelope with NUL characters refused");
        return ack(&envelope_id);
    }
    let ingestor = ingestor.clone();
    in_flight.spawn(async move {
        match ingestor.ingest(row).await {
            Ok(_) => ack(&envelope_id),
            // Unacknowledged, Slack delivers it again.
            Err(error) => {
                tracing::warn!(%error, "Socket Mode envelope not stored; not acknowledged")
            }
        }
    });
}

/// The envelope type as a metric label, from a fixed set.
fn envelope_type(kind: &str) -> &'static str {
    match kind {
        "events_api" => "events_api",
        "slash_commands" => "slash_commands",
        "interactive" => "interactive",
        _ => "other",
    }
}
