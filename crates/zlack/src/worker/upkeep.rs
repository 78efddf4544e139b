//! Housekeeping the worker does on the side: forgetting finished work and
//! the daily retention purge.

use std::time::Duration;

use super::Worker;
use crate::clock::Millis;

/// Finished inbox rows and jobs are kept this long: far beyond any
/// redelivery by Slack (24 h at most) or Zoom (about 90 minutes), so
/// dedupe keys outlive every retry.
pub const KEEP_FINISHED_MS: Millis = 7 * 24 * 60 * 60 * 1000;
/// How often finished work is pruned.
pub(super) const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// How often the worker queues the periodic reconciliation run, as a
/// fraction of `ZLACK_RECONCILE_INTERVAL_MS`: twice per interval, so no
/// interval is skipped however the ticks drift (the run's key lets one in).
pub(super) fn reconcile_tick(svc: &crate::services::Services) -> Duration {
    (svc.config.zoom.reconcile_interval / 2).max(Duration::from_millis(500))
}
/// Meeting data older than `ZLACK_RETENTION_DAYS` is purged this often:
/// at most once per process, and, by the [`RETENTION_LEASE`], once across
/// the processes sharing the database.
const RETENTION_EVERY_MS: Millis = 24 * 60 * 60 * 1000;
/// The lease whose holder runs the retention purge until it expires.
const RETENTION_LEASE: &str = "retention";

impl Worker {
    /// Queues this interval's reconciliation run
    /// ([`crate::flows::reconcile::queue_periodic`]); `true` when this call
    /// queued it, `false` when it was already queued (by any process) or
    /// the database failed (logged; the next tick tries again).
    pub async fn queue_reconcile(&self) -> bool {
        match crate::flows::reconcile::queue_periodic(&self.inner.svc).await {
            Ok(queued) => queued,
            Err(error) => {
                tracing::warn!(%error, "queueing the reconciliation run failed");
                false
            }
        }
    }

    /// Forgets finished work older than [`KEEP_FINISHED_MS`], and once a
    /// day deletes meeting data older than `ZLACK_RETENTION_DAYS`.
    pub async fn prune(&self) {
        let now = self.inner.svc.clock.now_ms();
        match self
            .inner
            .svc
            .store
            .prune_finished(now - KEEP_FINISHED_MS, now)
            .await
        {
            Ok(0) => {}
            Ok(gone) => tracing::info!(gone, "pruned finished inbox rows and jobs"),
            Err(error) => tracing::warn!(%error, "pruning finished work failed"),
        }
        self.expire(now).await;
    }

    /// Deletes meeting data older than the retention
    /// ([`crate::store::Store::purge_expired`]) when this process has not
    /// done so for a day and no other process holds the [`RETENTION_LEASE`].
    /// A failed run is tried again at the next pruning.
    async fn expire(&self, now: Millis) {
        let Ok(mut due) = self.inner.retention_due.try_lock() else {
            return;
        };
        if now < *due {
            return;
        }
        let svc = &self.inner.svc;
        match svc
            .store
            .try_lease(RETENTION_LEASE, &self.inner.id, now, RETENTION_EVERY_MS)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, "taking the retention lease failed");
                return;
            }
        }
        match svc
            .store
            .purge_expired(svc.config.retention.as_millis(), now)
            .await
        {
            Ok(expired) => {
                *due = now + RETENTION_EVERY_MS;
                if expired.total() > 0 {
                    tracing::info!(
                        deleted = %expired.summary(),
                        days = svc.config.retention.days,
                        "deleted meeting data older than the retention"
                    );
                }
            }
            Err(error) => {
                tracing::warn!(%error, "deleting meeting data older than the retention failed");
                if let Err(error) = svc
                    .store
                    .release_lease(RETENTION_LEASE, &self.inner.id)
                    .await
                {
                    tracing::warn!(%error, "releasing the retention lease failed");
                }
            }
        }
    }
}
