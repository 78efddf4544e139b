//! One Socket Mode connection: reads envelopes, stores each through the
//! group commit and acknowledges it only once stored; answers pings and
//! notices when the link went quiet.

use std::sync::Arc;
use std::time::Instant;

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
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
    let (out, mut outgoing) = mpsc::channel::<Message>(settings.outgoing.max(1));
    // Cancelled when the writer gives up: a peer that stopped reading.
    let stuck = CancellationToken::new();
    // One writer, so acks, pongs and pings never interleave mid-frame; each
    // send flushes. A send or the close that takes longer than
    // `write_timeout` ends the connection rather than hanging it.
    let writer = {
        let stuck = stuck.clone();
        let write_timeout = settings.write_timeout;
        tokio::spawn(async move {
            while let Some(message) = outgoing.recv().await {
                match tokio::time::timeout(write_timeout, sink.send(message)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return,
                    Err(_) => {
                        tracing::warn!("Socket Mode peer stopped reading; connection dropped");
                        stuck.cancel();
                        return;
                    }
                }
            }
            let _ = tokio::time::timeout(write_timeout, sink.close()).await;
        })
    };
    // Envelopes read but not yet stored and acknowledged: at most
    // `in_flight`; reading pauses while they are all taken.
    let permits = Arc::new(Semaphore::new(settings.in_flight.max(1)));
    let mut in_flight = JoinSet::new();
    let mut last_frame = Instant::now();
    let ended = loop {
        let permit = tokio::select! {
            _ = retire.cancelled() => break None,
            _ = stuck.cancelled() => break Some("write_timeout"),
            permit = Arc::clone(&permits).acquire_owned() => permit.expect("never closed"),
        };
        let next = tokio::select! {
            _ = retire.cancelled() => break None,
            _ = stuck.cancelled() => break Some("write_timeout"),
            next = tokio::time::timeout(settings.ping_interval, stream.next()) => next,
        };
        let message = match next {
            Err(_) if last_frame.elapsed() >= settings.dead_after => break Some("dead"),
            Err(_) => {
                // A full queue means the writer is behind; no ping needed.
                let _ = out.try_send(Message::Ping(Default::default()));
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
                handle(frame, &ingestor, &out, &notify, &mut in_flight, permit);
            }
            // tungstenite only queues its own pong until the next write;
            // ours replaces it and the writer flushes it now. Dropped when
            // the queue is full: the peer is not reading anyway.
            Message::Ping(data) => {
                let _ = out.try_send(Message::Pong(data));
            }
            Message::Close(_) => break Some("closed"),
            _ => {}
        }
        // Reap finished envelopes so the set stays small on long connections.
        while in_flight.try_join_next().is_some() {}
    };
    while in_flight.join_next().await.is_some() {}
    drop(out);
    // The writer bounds each send and the close; this bounds the lot.
    let mut writer = writer;
    if tokio::time::timeout(settings.write_timeout * 2, &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    } else {
        // Read on until the peer closes too: a socket dropped with unread
        // frames (envelopes Slack sent meanwhile, left unacknowledged for
        // redelivery) is reset, and a reset can discard the acks just sent.
        let _ = tokio::time::timeout(settings.write_timeout, async {
            while let Some(Ok(_)) = stream.next().await {}
        })
        .await;
    }
    metrics::gauge!("zlack_slack_socket_connections").decrement(1.0);
    if let Some(reason) = ended {
        let _ = notify.send(Notice::Lost(reason));
    }
}

fn handle(
    frame: Frame,
    ingestor: &Ingestor,
    out: &mpsc::Sender<Message>,
    notify: &mpsc::UnboundedSender<Notice>,
    in_flight: &mut JoinSet<()>,
    permit: OwnedSemaphorePermit,
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
    // Every envelope is acknowledged from its own task, holding its permit
    // until the ack is queued: a full outgoing queue slows reading down.
    let out = out.clone();
    let ack = move |envelope_id: String, answer: Option<serde_json::Value>| async move {
        let mut text = serde_json::json!({ "envelope_id": envelope_id });
        if let Some(answer) = answer {
            text["payload"] = answer;
        }
        let text = text.to_string();
        // Fails only once the writer is gone; the connection ends then.
        let _ = out.send(Message::Text(text.into())).await;
        metrics::histogram!("zlack_slack_socket_ack_seconds")
            .record(received.elapsed().as_secs_f64());
        drop(permit);
    };
    let row = match to_inbox::envelope_at(&kind, frame.payload.as_deref(), ingestor.now_ms()) {
        Ok(Envelope::Store(row)) if row.has_nul() => {
            // PostgreSQL text cannot hold NUL: such a row would fail to
            // store on every redelivery. No real envelope has one.
            refused("nul");
            tracing::warn!("Socket Mode envelope with NUL characters refused");
            in_flight.spawn(ack(envelope_id, None));
            return;
        }
        Ok(Envelope::Store(row)) => row,
        Ok(Envelope::Answer(answer)) => {
            tracing::debug!("view submission answered with errors; not stored");
            in_flight.spawn(ack(envelope_id, Some(answer)));
            return;
        }
        Ok(Envelope::Ignore(what)) => {
            tracing::debug!(what, "Socket Mode envelope acknowledged and ignored");
            in_flight.spawn(ack(envelope_id, None));
            return;
        }
        Err(error) => {
            // Redelivery would bring the same bytes back: ack and drop.
            refused("malformed");
            tracing::warn!(%error, "Socket Mode envelope refused");
            in_flight.spawn(ack(envelope_id, None));
            return;
        }
    };
    let ingestor = ingestor.clone();
    in_flight.spawn(async move {
        match ingestor.ingest(row).await {
            Ok(_) => ack(envelope_id, None).await,
            // Unacknowledged, Slack delivers it again.
            Err(error) => {
                tracing::warn!(%error, "Socket Mode envelope not stored; not acknowledged")
            }
        }
    });
}

/// Counts an envelope acknowledged but dropped, by why.
fn refused(reason: &'static str) {
    metrics::counter!("zlack_slack_socket_envelopes_refused_total", "reason" => reason)
        .increment(1);
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
