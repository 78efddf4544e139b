//! Keeping claims alive: a heartbeat renews the lease of every job this
//! worker holds (and the named leases its jobs took), and a job whose
//! lease could not be renewed in time is stopped before the lease runs
//! out, so the worker that takes it over never runs it beside this one.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Worker;
use crate::clock::Millis;
use crate::store::ClaimedJob;

/// How often the heartbeat looks at the clock.
const TICK: Duration = Duration::from_millis(250);

/// A job this worker holds, waiting or running.
pub(super) struct Held {
    tenant: String,
    /// The claim it is held under.
    pub(super) claim: String,
    /// Until when its lease holds, as last renewed (clock time).
    lease_until: Millis,
    /// Stops the running attempt.
    pub(super) cancel: CancellationToken,
    /// Running rather than waiting for a slot.
    pub(super) started: bool,
}

impl Held {
    pub(super) fn new(job: &ClaimedJob, lease_until: Millis) -> Self {
        Self {
            tenant: job.tenant.clone(),
            claim: job.claim.clone(),
            lease_until,
            cancel: CancellationToken::new(),
            started: false,
        }
    }
}

impl Worker {
    /// Renews leases a fifth of a lease apart, and stops jobs whose lease
    /// is about to run out unrenewed, until `stop`.
    pub(super) async fn heartbeat(self, stop: CancellationToken) {
        let beat = self.inner.lease_ms / 5;
        let mut last_beat = Millis::MIN;
        loop {
            let now = self.inner.svc.clock.now_ms();
            if now.saturating_sub(last_beat) >= beat {
                last_beat = now;
                self.renew(now).await;
            }
            // A lease must not run out under a running job: it stops a
            // beat before, leaving the time of an HTTP exchange or two.
            self.stop_expiring(self.inner.svc.clock.now_ms() + beat);
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(TICK) => {}
            }
        }
    }

    async fn renew(&self, now: Millis) {
        let svc = &self.inner.svc;
        let until = now + self.inner.lease_ms;
        let ids: Vec<i64> = self.state().held.keys().copied().collect();
        match svc.store.renew_jobs(&self.inner.id, &ids, until, now).await {
            Ok(renewed) => {
                let renewed: std::collections::HashSet<i64> = renewed.into_iter().collect();
                let mut lost = Vec::new();
                let mut state = self.state();
                for id in &ids {
                    match state.held.get_mut(id) {
                        Some(held) if renewed.contains(id) => held.lease_until = until,
                        Some(_) => lost.push(*id),
                        None => {}
                    }
                }
                drop(state);
                self.drop_held(&lost);
            }
            Err(error) => tracing::warn!(%error, jobs = ids.len(), "renewing job leases failed"),
        }
        if let Err(error) = svc.leases.renew(&svc.store, until, now).await {
            tracing::warn!(%error, "renewing named leases failed");
        }
    }

    /// Stops the jobs whose lease ends before `horizon`.
    fn stop_expiring(&self, horizon: Millis) {
        let expiring: Vec<i64> = self
            .state()
            .held
            .iter()
            .filter(|(_, held)| held.lease_until <= horizon && !held.cancel.is_cancelled())
            .map(|(id, _)| *id)
            .collect();
        self.drop_held(&expiring);
    }

    /// Lets go of jobs whose lease is lost or about to be: a running one is
    /// cancelled (it ends without settling and frees its slot), a waiting
    /// one is forgotten.
    fn drop_held(&self, ids: &[i64]) {
        if ids.is_empty() {
            return;
        }
        let mut state = self.state();
        for id in ids {
            let Some(held) = state.held.get(id) else {
                continue;
            };
            if held.started {
                held.cancel.cancel();
            } else {
                let tenant = held.tenant.clone();
                state.scheduler.remove(*id, &tenant);
                state.held.remove(id);
            }
        }
        tracing::warn!(
            jobs = ids.len(),
            "let go of jobs whose lease could not be renewed"
        );
    }
}
