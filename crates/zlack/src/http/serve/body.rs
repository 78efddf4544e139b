//! The request body as handlers see it: it must arrive before a deadline,
//! and the bytes it holds while it is being read come out of one budget
//! shared by every request, so a flood of bodies cannot take more memory
//! than that. When the budget is spent, the body that has been arriving
//! longest is evicted to make room (see [`super::conns`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

use super::conns::{Conn, Phase, Registry};

/// Why a body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The body did not arrive before its deadline.
    #[error("the request body did not arrive in time")]
    TimedOut,
    /// The connection failed, or the client sent a malformed body.
    #[error("the request body could not be read")]
    Read(#[from] hyper::Error),
}

type Acquire = Pin<Box<dyn Future<Output = Result<OwnedSemaphorePermit, AcquireError>> + Send>>;

/// A request body with a deadline and a share of the memory budget.
pub struct GuardedBody {
    inner: Incoming,
    deadline: Pin<Box<Sleep>>,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
    budget: Arc<Semaphore>,
    /// The budget taken by the bytes received so far.
    held: Option<OwnedSemaphorePermit>,
    /// A frame waiting for its share of the budget.
    waiting: Option<(Frame<Bytes>, Acquire)>,
}

impl GuardedBody {
    pub(super) fn new(
        inner: Incoming,
        deadline: Instant,
        conn: Arc<Conn>,
        registry: Arc<Registry>,
        budget: Arc<Semaphore>,
    ) -> Self {
        Self {
            inner,
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            conn,
            registry,
            budget,
            held: None,
            waiting: None,
        }
    }

    fn keep(&mut self, permit: OwnedSemaphorePermit) {
        match &mut self.held {
            Some(held) => held.merge(permit),
            None => self.held = Some(permit),
        }
    }

    /// Takes `frame`'s share of the budget, or starts waiting for it.
    fn admit(&mut self, frame: Frame<Bytes>) -> Option<Frame<Bytes>> {
        // A chunk shares the connection's read buffer, which it would keep
        // alive whole however little it holds: a copy of its own makes the
        // budget count what is really kept.
        let frame = frame.map_data(|chunk| Bytes::copy_from_slice(&chunk));
        let size = frame.data_ref().map_or(0, Bytes::len);
        // Frames are at most a read buffer long; a size past u32 cannot
        // occur, and would be refused by the budget's own size anyway.
        let size = u32::try_from(size).unwrap_or(u32::MAX);
        if size == 0 {
            return Some(frame);
        }
        match self.budget.clone().try_acquire_many_owned(size) {
            Ok(permit) => {
                self.keep(permit);
                Some(frame)
            }
            Err(_) => {
                // Make room: the body arriving longest gives way.
                self.registry.evict_oldest(Phase::Body, Some(&self.conn));
                let acquire = Box::pin(self.budget.clone().acquire_many_owned(size));
                self.waiting = Some((frame, acquire));
                None
            }
        }
    }
}

impl Body for GuardedBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = &mut *self;
        if this.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(BodyError::TimedOut)));
        }
        loop {
            if let Some((_, acquire)) = &mut this.waiting {
                let permit = ready!(acquire.as_mut().poll(cx));
                let (frame, _) = this.waiting.take().expect("a frame was waiting");
                return match permit {
                    Ok(permit) => {
                        this.keep(permit);
                        if this.inner.is_end_stream() {
                            this.conn.body_done();
                        }
                        Poll::Ready(Some(Ok(frame)))
                    }
                    // The budget is never closed; treat it as a timeout.
                    Err(_) => Poll::Ready(Some(Err(BodyError::TimedOut))),
                };
            }
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Some(frame) = this.admit(frame) {
                        if this.inner.is_end_stream() {
                            this.conn.body_done();
                        }
                        return Poll::Ready(Some(Ok(frame)));
                    }
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
                None => {
                    this.conn.body_done();
                    return Poll::Ready(None);
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.waiting.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
