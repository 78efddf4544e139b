//! The open connections and what each is doing. When a limit is reached,
//! the connection that has gone longest without progress gives way: one
//! still waiting for its request headers (a half-sent request, or an idle
//! keep-alive), else one still sending its request body. Slack, Zoom and
//! browsers send a request in milliseconds, so the one that gives way is
//! almost always a client that stalled on purpose.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

/// What a connection is doing. Only the first two may be evicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Waiting for a request's headers.
    Headers,
    /// The request's headers are in; its body is still arriving.
    Body,
    /// The request is being handled (or answered); never evicted.
    Handling,
    /// Evicted or shutting down.
    Closing,
}

// The state word: the phase in the top two bits, and for `Headers` and
// `Body` the milliseconds since the registry's start at which it began.
const SHIFT: u32 = 62;
const SINCE: u64 = (1 << SHIFT) - 1;

fn pack(phase: Phase, since: u64) -> u64 {
    let tag: u64 = match phase {
        Phase::Headers => 0,
        Phase::Body => 1,
        Phase::Handling => 2,
        Phase::Closing => 3,
    };
    (tag << SHIFT) | (since & SINCE)
}

fn unpack(word: u64) -> (Phase, u64) {
    let phase = match word >> SHIFT {
        0 => Phase::Headers,
        1 => Phase::Body,
        2 => Phase::Handling,
        _ => Phase::Closing,
    };
    (phase, word & SINCE)
}

/// One open connection.
#[derive(Debug)]
pub(super) struct Conn {
    state: AtomicU64,
    closing: CancellationToken,
    epoch: Instant,
}

impl Conn {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(SINCE)
    }

    fn phase(&self) -> (Phase, u64) {
        unpack(self.state.load(Ordering::Acquire))
    }

    /// Moves from `from` to `to` unless the connection is closing; false
    /// when it is.
    fn shift(&self, from: &[Phase], to: Phase) -> bool {
        let next = pack(to, self.now());
        self.state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
                from.contains(&unpack(word).0).then_some(next)
            })
            .is_ok()
    }

    /// A request's headers arrived. False when the connection is closing:
    /// then the request is not handled.
    pub fn begin_request(&self, has_body: bool) -> bool {
        let to = if has_body {
            Phase::Body
        } else {
            Phase::Handling
        };
        self.shift(&[Phase::Headers], to)
    }

    /// The request's body has been read to its end.
    pub fn body_done(&self) {
        self.shift(&[Phase::Body], Phase::Handling);
    }

    /// The request was answered; the connection waits for the next one.
    pub fn end_request(&self) {
        self.shift(&[Phase::Body, Phase::Handling], Phase::Headers);
    }

    /// Closes the connection if it is in `phase`; true when it did.
    pub fn close_if(&self, phase: Phase) -> bool {
        let closed = self.shift(&[phase], Phase::Closing);
        if closed {
            self.closing.cancel();
        }
        closed
    }

    /// Resolves once the connection was evicted or closed.
    pub fn closing(&self) -> &CancellationToken {
        &self.closing
    }
}

/// Every open connection, and the cap on their number.
#[derive(Debug)]
pub(super) struct Registry {
    permits: Arc<Semaphore>,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    next_id: AtomicU64,
    emptied: Notify,
    epoch: Instant,
}

/// A connection's place in the registry; dropping it frees the place.
pub(super) struct Slot {
    id: u64,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
    _permit: OwnedSemaphorePermit,
}

impl Slot {
    /// The connection this slot holds.
    pub fn conn(&self) -> &Arc<Conn> {
        &self.conn
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut conns = self.registry.lock();
        conns.remove(&self.id);
        metrics::gauge!("zlack_http_connections").set(conns.len() as f64);
        if conns.is_empty() {
            self.registry.emptied.notify_waiters();
        }
    }
}

/// How often a full registry looks again for a connection to evict, when
/// every connection was busy handling a request.
const RETRY: Duration = Duration::from_millis(50);

impl Registry {
    pub fn new(max_connections: usize) -> Arc<Self> {
        Arc::new(Self {
            permits: Arc::new(Semaphore::new(max_connections)),
            conns: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            emptied: Notify::new(),
            epoch: Instant::now(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A place for a newly accepted connection: a free one, or the place
    /// of the connection that has stalled longest, or the first to free
    /// up when every connection is handling a request.
    pub async fn admit(self: &Arc<Self>) -> Slot {
        let permit = loop {
            if let Ok(permit) = self.permits.clone().try_acquire_owned() {
                break permit;
            }
            if !self.evict_oldest(Phase::Headers, None) {
                self.evict_oldest(Phase::Body, None);
            }
            if let Ok(Ok(permit)) =
                tokio::time::timeout(RETRY, self.permits.clone().acquire_owned()).await
            {
                break permit;
            }
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            state: AtomicU64::new(0),
            closing: CancellationToken::new(),
            epoch: self.epoch,
        });
        conn.state
            .store(pack(Phase::Headers, conn.now()), Ordering::Release);
        let mut conns = self.lock();
        conns.insert(id, conn.clone());
        metrics::gauge!("zlack_http_connections").set(conns.len() as f64);
        Slot {
            id,
            conn,
            registry: self.clone(),
            _permit: permit,
        }
    }

    /// Closes the connection that has been in `phase` longest, other than
    /// `except`; false when there is none.
    pub fn evict_oldest(&self, phase: Phase, except: Option<&Arc<Conn>>) -> bool {
        loop {
            let oldest = self
                .lock()
                .values()
                .filter(|c| except.is_none_or(|e| !Arc::ptr_eq(c, e)))
                .filter_map(|c| match c.phase() {
                    (p, since) if p == phase => Some((since, c.clone())),
                    _ => None,
                })
                .min_by_key(|(since, _)| *since);
            let Some((_, conn)) = oldest else {
                return false;
            };
            // It may have moved on meanwhile; then look again.
            if conn.close_if(phase) {
                let reason = match phase {
                    Phase::Headers => "evicted_waiting_for_headers",
                    _ => "evicted_sending_body",
                };
                metrics::counter!("zlack_http_connections_closed_total", "reason" => reason)
                    .increment(1);
                return true;
            }
        }
    }

    /// Resolves once every connection has closed.
    pub async fn all_closed(&self) {
        loop {
            let emptied = self.emptied.notified();
            if self.lock().is_empty() {
                return;
            }
            emptied.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_registry_evicts_the_connection_waiting_longest_for_headers() {
        let registry = Registry::new(2);
        let first = registry.admit().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        let second = registry.admit().await;
        let third = tokio::spawn({
            let registry = registry.clone();
            async move { registry.admit().await }
        });
        first.conn().closing().cancelled().await;
        assert!(!second.conn().closing().is_cancelled());
        drop(first);
        let third = third.await.unwrap();
        assert_eq!(third.conn().phase().0, Phase::Headers);
    }

    #[tokio::test]
    async fn a_connection_handling_a_request_is_never_evicted() {
        let registry = Registry::new(1);
        let busy = registry.admit().await;
        assert!(busy.conn().begin_request(false));
        assert!(!registry.evict_oldest(Phase::Headers, None));
        assert!(!registry.evict_oldest(Phase::Body, None));
        busy.conn().end_request();
        assert!(registry.evict_oldest(Phase::Headers, None));
        assert!(!busy.conn().begin_request(false), "closing: not handled");
    }

    #[tokio::test]
    async fn a_stalled_body_is_evicted_but_not_the_one_asking() {
        let registry = Registry::new(4);
        let stalled = registry.admit().await;
        let asking = registry.admit().await;
        assert!(stalled.conn().begin_request(true));
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(asking.conn().begin_request(true));
        assert!(registry.evict_oldest(Phase::Body, Some(asking.conn())));
        assert!(stalled.conn().closing().is_cancelled());
        assert!(!registry.evict_oldest(Phase::Body, Some(asking.conn())));
        asking.conn().body_done();
        assert_eq!(asking.conn().phase().0, Phase::Handling);
    }

    #[tokio::test]
    async fn all_closed_waits_for_the_last_slot() {
        let registry = Registry::new(2);
        let slot = registry.admit().await;
        let waiting = tokio::spawn({
            let registry = registry.clone();
            async move { registry.all_closed().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(slot);
        waiting.await.unwrap();
    }
}
