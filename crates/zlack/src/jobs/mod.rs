//! The worker: claims due jobs by lease, runs each outside any database
//! transaction, and settles it as done, retried (with backoff or as long as
//! `Retry-After` says) or dead-lettered.

mod inbox;
pub mod rate_gate;
pub mod retry;
mod slack_call;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

pub use slack_call::slack_call;

use crate::clock::Millis;
use crate::flows::lifecycle;
use crate::store::{ClaimedJob, Settlement, StoreError, inbox::PROCESS_INBOX};
use rate_gate::RateGate;

/// How long a claim holds; far above any job's HTTP timeouts, so a lease
/// only runs out when its worker died.
const LEASE_MS: Millis = 5 * 60 * 1000;
/// How long one attempt may run: well inside its lease.
const JOB_TIME_LIMIT: Duration = Duration::from_secs(4 * 60);

/// Finished inbox rows and jobs are kept this long: far beyond any
/// redelivery by Slack (24 h at most) or Zoom (about 90 minutes), so
/// dedupe keys outlive every retry.
pub const KEEP_FINISHED_MS: Millis = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Meeting data older than `ZLACK_RETENTION_DAYS` is purged this often:
/// at most once per process, and, by the [`RETENTION_LEASE`], once across
/// the processes sharing the database.
const RETENTION_EVERY_MS: Millis = 24 * 60 * 60 * 1000;
/// The lease whose holder runs the retention purge until it expires.
const RETENTION_LEASE: &str = "retention";

/// What one attempt of a job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The job is finished and not run again.
    Done,
    /// The platform asked us to wait; other jobs in `scope` wait too.
    RateLimited {
        /// The [`RateGate`] scope, such as one Slack method in one workspace.
        scope: String,
        /// How long the platform asked us to wait.
        wait: Duration,
    },
    /// A temporary failure: try again after a backoff.
    Retry(String),
    /// A permanent failure: dead-letter now.
    Fail(String),
}

/// Everything a job may use.
pub type JobContext = crate::services::Services;

/// One settled attempt, as `run_once` reports it.
#[derive(Debug, Clone)]
pub struct Ran {
    /// The job's row id.
    pub job_id: i64,
    /// The job kind, such as `inbox.process`.
    pub kind: String,
    /// How the attempt was recorded.
    pub settlement: Settlement,
}

/// Runs queued jobs; clones share one identity and one rate gate.
#[derive(Debug, Clone)]
pub struct Worker {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    id: String,
    ctx: JobContext,
    concurrency: usize,
    gate: RateGate,
    /// When this process may run the retention purge next (clock time);
    /// locked while it runs.
    retention_due: tokio::sync::Mutex<Millis>,
}

impl Worker {
    /// A worker running at most `concurrency` jobs at once (at least one).
    pub fn new(ctx: JobContext, concurrency: usize) -> Self {
        let id = format!(
            "{}-{}",
            std::process::id(),
            hex::encode(rand::random::<[u8; 6]>())
        );
        Self {
            inner: Arc::new(Inner {
                id,
                ctx,
                concurrency: concurrency.max(1),
                gate: RateGate::default(),
                retention_due: tokio::sync::Mutex::new(Millis::MIN),
            }),
        }
    }

    /// Names this worker in job claims: process id and a random suffix.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// Claims what is due now (up to the concurrency), runs it all and
    /// returns how each attempt was settled. Tests drive the worker with it.
    pub async fn run_once(&self) -> Result<Vec<Ran>, StoreError> {
        let jobs = self.claim(self.inner.concurrency).await?;
        let mut tasks = JoinSet::new();
        for job in jobs {
            let worker = self.clone();
            tasks.spawn(async move { worker.run_job(job).await });
        }
        let mut ran = Vec::new();
        while let Some(result) = tasks.join_next().await {
            if let Ok(Some(r)) = result {
                ran.push(r);
            }
        }
        ran.sort_by_key(|r| r.job_id);
        Ok(ran)
    }

    /// Runs until `shutdown`: then stops claiming, lets running jobs
    /// finish, and returns. `wake` is notified when work is queued here.
    pub async fn run(self, shutdown: CancellationToken, wake: Arc<Notify>, poll: Duration) {
        let permits = Arc::new(Semaphore::new(self.inner.concurrency));
        let mut tasks = JoinSet::new();
        let mut next_prune = tokio::time::Instant::now();
        while !shutdown.is_cancelled() {
            while tasks.try_join_next().is_some() {}
            if tokio::time::Instant::now() >= next_prune {
                self.prune().await;
                next_prune += PRUNE_EVERY;
            }
            let free = permits.available_permits();
            let jobs = if free == 0 {
                Vec::new()
            } else {
                match self.claim(free).await {
                    Ok(jobs) => jobs,
                    Err(error) => {
                        tracing::error!(%error, "claiming jobs failed");
                        Vec::new()
                    }
                }
            };
            if jobs.is_empty() {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(poll) => {}
                    Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                }
                continue;
            }
            for job in jobs {
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    break;
                };
                let worker = self.clone();
                tasks.spawn(async move {
                    let ran = worker.run_job(job).await;
                    drop(permit);
                    ran
                });
            }
        }
        while tasks.join_next().await.is_some() {}
    }

    /// Forgets finished work older than [`KEEP_FINISHED_MS`], and once a
    /// day deletes meeting data older than `ZLACK_RETENTION_DAYS`.
    pub async fn prune(&self) {
        let now = self.inner.ctx.clock.now_ms();
        match self
            .inner
            .ctx
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
        let ctx = &self.inner.ctx;
        match ctx
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
        match ctx
            .store
            .purge_expired(ctx.config.retention.as_millis(), now)
            .await
        {
            Ok(expired) => {
                *due = now + RETENTION_EVERY_MS;
                if expired.total() > 0 {
                    tracing::info!(
                        deleted = %expired.summary(),
                        days = ctx.config.retention.days,
                        "deleted meeting data older than the retention"
                    );
                }
            }
            Err(error) => {
                tracing::warn!(%error, "deleting meeting data older than the retention failed");
                if let Err(error) = ctx
                    .store
                    .release_lease(RETENTION_LEASE, &self.inner.id)
                    .await
                {
                    tracing::warn!(%error, "releasing the retention lease failed");
                }
            }
        }
    }

    async fn claim(&self, limit: usize) -> Result<Vec<ClaimedJob>, StoreError> {
        let ctx = &self.inner.ctx;
        ctx.store
            .claim_jobs(&self.inner.id, ctx.clock.now_ms(), LEASE_MS, limit as i64)
            .await
    }

    async fn run_job(&self, job: ClaimedJob) -> Option<Ran> {
        let ctx = &self.inner.ctx;
        let outcome = self.execute(&job).await;
        let now = ctx.clock.now_ms();
        let settlement = self.settlement(&job, outcome, now);
        let label = match &settlement {
            Settlement::Done => "done",
            Settlement::Retry { counts: false, .. } => "rate_limited",
            Settlement::Retry { .. } => "retry",
            Settlement::Dead { .. } => "dead",
        };
        metrics::counter!("zlack_jobs_total", "kind" => job.kind.clone(), "outcome" => label)
            .increment(1);
        if let Settlement::Dead { error } = &settlement {
            tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, %error, "job dead-lettered");
        }
        match ctx.store.settle_job(&job, &settlement, now).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job = job.id, "job lease lost before settling"),
            Err(error) => tracing::error!(job = job.id, %error, "settling job failed"),
        }
        Some(Ran {
            job_id: job.id,
            kind: job.kind,
            settlement,
        })
    }

    async fn execute(&self, job: &ClaimedJob) -> Outcome {
        let ctx = &self.inner.ctx;
        let now = ctx.clock.now_ms();
        if let Some(scope) = rate_scope(job)
            && let Some(until) = self.inner.gate.closed_until(&scope, now)
        {
            let wait = Duration::from_millis((until - now).max(0) as u64);
            return Outcome::RateLimited { scope, wait };
        }
        let run = async {
            match job.kind.as_str() {
                PROCESS_INBOX => inbox::process(ctx, &job.payload, job.attempts).await,
                crate::flows::RESUME_KIND => inbox::resume(ctx, &job.payload, job.attempts).await,
                slack_call::KIND => slack_call::run(ctx, &job.payload).await,
                lifecycle::CALL_KIND => lifecycle::run_call(ctx, &job.payload).await,
                crate::flows::whiteboard::DM_KIND => {
                    crate::flows::whiteboard::run_dm(ctx, &job.payload, job.attempts).await
                }
                lifecycle::NOTICE_KIND => {
                    lifecycle::run_notice(ctx, &job.payload, job.attempts).await
                }
                crate::flows::phone::NOTICE_KIND => {
                    crate::flows::phone::run_notice(ctx, &job.payload, job.attempts).await
                }
                other => Outcome::Fail(format!("unknown job kind {other}")),
            }
        };
        // A job must settle while its lease holds, or another worker could
        // take it over and run it a second time.
        match tokio::time::timeout(JOB_TIME_LIMIT, run).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Retry("the job ran past its time limit".into()),
        }
    }

    fn settlement(&self, job: &ClaimedJob, outcome: Outcome, now: Millis) -> Settlement {
        let mut rng = rand::thread_rng();
        match outcome {
            Outcome::Done => Settlement::Done,
            Outcome::RateLimited { scope, wait } => {
                let delay = retry::next_delay(job.attempts, Some(wait), &mut rng);
                self.inner
                    .gate
                    .close(&scope, now + wait.as_millis() as Millis);
                Settlement::Retry {
                    run_at: now + delay.as_millis() as Millis,
                    error: format!("rate limited ({scope})"),
                    counts: false,
                }
            }
            Outcome::Retry(error) if job.attempts >= job.max_attempts => Settlement::Dead {
                error: format!("gave up after {} attempts: {error}", job.attempts),
            },
            Outcome::Retry(error) => {
                let delay = retry::next_delay(job.attempts, None, &mut rng);
                Settlement::Retry {
                    run_at: now + delay.as_millis() as Millis,
                    error,
                    counts: true,
                }
            }
            Outcome::Fail(error) => Settlement::Dead { error },
        }
    }
}

/// The rate-limit scope a job's requests fall in, when it has one.
fn rate_scope(job: &ClaimedJob) -> Option<String> {
    match job.kind.as_str() {
        slack_call::KIND => slack_call::scope(&job.payload),
        lifecycle::NOTICE_KIND => lifecycle::notice_scope(&job.payload),
        lifecycle::CALL_KIND => lifecycle::call_scope(&job.payload),
        crate::flows::phone::NOTICE_KIND => crate::flows::phone::notice_scope(&job.payload),
        _ => None,
    }
}
