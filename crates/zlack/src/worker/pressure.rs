//! Acknowledgements before work: while many requests wait to be stored
//! and acknowledged, the worker starts new jobs at a modest pace only, so
//! the process spends its CPU on answering Slack and Zoom in time. Jobs
//! already running go on; what waits is durable and starts once the
//! requests are answered.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Requests waiting to be stored from which the worker holds back.
pub const BUSY_AT: usize = 8;
/// Jobs the worker still starts per second while it holds back, so work
/// goes on however long a flood lasts.
const STARTS_PER_SEC: f64 = 200.0;
/// Starts saved up at most while holding back.
const BURST: f64 = 20.0;
/// How soon a held-back worker looks again.
pub const RECHECK: Duration = Duration::from_millis(5);

/// How many requests wait to be stored and acknowledged.
#[derive(Debug, Default)]
pub struct AckPressure {
    waiting: AtomicUsize,
}

/// Counts one request as waiting until dropped.
#[derive(Debug)]
pub struct Waiting<'a>(&'a AckPressure);

impl AckPressure {
    /// One more request waits until the returned guard is dropped.
    pub fn enter(&self) -> Waiting<'_> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        Waiting(self)
    }

    /// Whether the worker should hold back.
    pub fn busy(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) >= BUSY_AT
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The starts a held-back worker may make: a token bucket.
#[derive(Debug)]
pub struct Allowance {
    tokens: f64,
    at: Instant,
}

impl Default for Allowance {
    fn default() -> Self {
        Self {
            tokens: BURST,
            at: Instant::now(),
        }
    }
}

impl Allowance {
    /// Takes one start if one is due.
    pub fn take(&mut self, now: Instant) -> bool {
        let earned = now.duration_since(self.at).as_secs_f64() * STARTS_PER_SEC;
        self.tokens = (self.tokens + earned).min(BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_ack_path_is_seen_while_requests_wait() {
        let pressure = AckPressure::default();
        let waiting: Vec<_> = (0..BUSY_AT).map(|_| pressure.enter()).collect();
        assert!(pressure.busy());
        drop(waiting);
        assert!(!pressure.busy());
    }

    #[test]
    fn a_held_back_worker_still_starts_jobs_at_a_steady_pace() {
        let start = Instant::now();
        let mut allowance = Allowance::default();
        let burst = (0..100).filter(|_| allowance.take(start)).count();
        assert_eq!(burst, BURST as usize);
        let later = start + Duration::from_millis(100);
        let paced = (0..100).filter(|_| allowance.take(later)).count();
        assert_eq!(paced, 20, "200 a second");
    }
}
