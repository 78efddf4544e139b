//! Group commit for the inbox: requests arriving together are stored in one
//! transaction, so each ack waits for a durable commit without every request
//! paying for its own.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::clock::SharedClock;
use crate::store::{InboundEvent, Ingested, Store};
use crate::worker::pressure::AckPressure;

/// Requests stored per transaction at most.
const MAX_BATCH: usize = 512;

/// The request was not stored, so it must not be acknowledged; the
/// sender retries.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the inbox could not store the request: {0}")]
pub struct IngestError(String);

type Reply = oneshot::Sender<Result<Ingested, IngestError>>;

/// Hands verified requests to the batching writer.
#[derive(Debug, Clone)]
pub struct Ingestor {
    queue: mpsc::Sender<(InboundEvent, Reply)>,
    /// Counts requests waiting here, for the worker to yield to.
    waiting: Arc<AckPressure>,
    /// The time requests are received at.
    clock: SharedClock,
}

impl Ingestor {
    /// Starts the writer; it stops once every `Ingestor` clone is dropped
    /// and the queue is drained. The jobs it queues go to the local worker
    /// as they commit (see [`crate::store::LocalRunner`]).
    /// `waiting` counts the requests waiting to be stored.
    pub fn spawn(
        store: Store,
        clock: SharedClock,
        waiting: Arc<AckPressure>,
    ) -> (Self, JoinHandle<()>) {
        let (queue, rx) = mpsc::channel(MAX_BATCH * 8);
        let task = tokio::spawn(write_batches(rx, store, Arc::clone(&clock)));
        (
            Self {
                queue,
                waiting,
                clock,
            },
            task,
        )
    }

    /// The current time, as requests are received at.
    pub fn now_ms(&self) -> crate::clock::Millis {
        self.clock.now_ms()
    }

    /// Returns once the event is committed (or known to be a redelivery).
    pub async fn ingest(&self, event: InboundEvent) -> Result<Ingested, IngestError> {
        let _waiting = self.waiting.enter();
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((event, reply))
            .await
            .map_err(|_| IngestError("shutting down".into()))?;
        answer
            .await
            .map_err(|_| IngestError("writer stopped".into()))?
    }
}

async fn write_batches(
    mut rx: mpsc::Receiver<(InboundEvent, Reply)>,
    store: Store,
    clock: SharedClock,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (events, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
        let started = std::time::Instant::now();
        let result = store.ingest_batch(&events, clock.now_ms()).await;
        metrics::histogram!("zlack_inbox_commit_seconds").record(started.elapsed().as_secs_f64());
        metrics::histogram!("zlack_inbox_batch_size").record(events.len() as f64);
        match result {
            Ok(outcomes) => {
                let mut new = 0u64;
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    if let Ingested::Stored { .. } = outcome {
                        new += 1;
                    }
                    let _ = reply.send(Ok(outcome));
                }
                metrics::counter!("zlack_inbox_stored_total").increment(new);
                metrics::counter!("zlack_inbox_duplicates_total")
                    .increment(events.len() as u64 - new);
            }
            Err(error) if events.len() > 1 => {
                // One bad request must not fail the others committed with it:
                // store them one by one.
                tracing::warn!(%error, batch = events.len(), "inbox batch failed; storing one by one");
                for (event, reply) in events.into_iter().zip(replies) {
                    let single = store
                        .ingest_batch(std::slice::from_ref(&event), clock.now_ms())
                        .await;
                    let _ = reply.send(
                        single
                            .map(|mut o| o.remove(0))
                            .map_err(|e| IngestError(e.to_string())),
                    );
                }
            }
            Err(error) => {
                tracing::error!(%error, "inbox commit failed");
                for reply in replies {
                    let _ = reply.send(Err(IngestError(error.to_string())));
                }
            }
        }
    }
}
