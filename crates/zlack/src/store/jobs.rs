//! The outbox: jobs claimed by lease, so that several processes on one
//! database never run the same job at once, and settled with a fence so a
//! worker whose lease ran out cannot overwrite a newer claim.

use super::text::stored_names;
use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use crate::vault::Vault;

/// Attempts before a job is dead-lettered (rate-limited tries do not count).
pub const DEFAULT_MAX_ATTEMPTS: i64 = 12;

/// A job to queue; [`NewJob::new`] sets the default attempt limit.
#[derive(Clone)]
pub struct NewJob {
    /// Which handler runs it, such as `inbox.process`.
    pub kind: String,
    /// A second job with the same key is not queued.
    pub idempotency_key: String,
    /// The handler's input; sealed at rest.
    pub payload: serde_json::Value,
    /// Counted attempts before the job is dead-lettered.
    pub max_attempts: i64,
    /// Not claimed before this time.
    pub run_at: Millis,
    /// Whom the job works for (`slack:T…`, `zoom:…`), so a worker shares
    /// its slots fairly; empty when nobody in particular.
    pub tenant: String,
}

// Payloads may carry `response_url`s: Debug shows their size only.
impl std::fmt::Debug for NewJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewJob")
            .field("kind", &self.kind)
            .field("idempotency_key", &self.idempotency_key)
            .field("run_at", &self.run_at)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ClaimedJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimedJob")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("attempts", &self.attempts)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl NewJob {
    /// A job due at `run_at`, allowed `DEFAULT_MAX_ATTEMPTS` attempts. Its
    /// tenant is the Slack workspace its payload names (`team_id` or
    /// `team`), if any.
    pub fn new(
        kind: &str,
        idempotency_key: impl Into<String>,
        payload: serde_json::Value,
        run_at: Millis,
    ) -> Self {
        let tenant = ["team_id", "team"]
            .iter()
            .find_map(|field| payload.get(field).and_then(|v| v.as_str()))
            .map(|team| format!("slack:{team}"))
            .unwrap_or_default();
        Self {
            kind: kind.to_owned(),
            idempotency_key: idempotency_key.into(),
            payload,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            run_at,
            tenant,
        }
    }

    /// The same job, working for `tenant`.
    pub fn for_tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = tenant.into();
        self
    }
}

/// A job leased to one worker, its payload opened.
#[derive(Clone)]
pub struct ClaimedJob {
    pub id: i64,
    /// Unique per claim: settling must present it, so a worker whose lease
    /// ran out cannot settle a job someone else has claimed since.
    pub claim: String,
    pub kind: String,
    pub idempotency_key: String,
    /// The payload as queued.
    pub payload: serde_json::Value,
    /// This attempt's number, from 1.
    pub attempts: i64,
    /// The attempt limit it was queued with.
    pub max_attempts: i64,
    /// As in [`NewJob::tenant`].
    pub tenant: String,
}

/// How a claimed job ended this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Finished; never run again.
    Done,
    /// Run again at `run_at`; `counts` is false for rate-limit waits, which
    /// do not use up an attempt.
    Retry {
        run_at: Millis,
        /// Why this attempt failed, kept as the job's last error.
        error: String,
        counts: bool,
    },
    /// Given up: kept for `zlack jobs` to list or requeue.
    Dead {
        /// Why, kept as the job's last error.
        error: String,
    },
}

/// A job's state, as its `status` column stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Waiting to run, or running under a lease.
    Queued,
    /// Finished; pruned after a while.
    Done,
    /// Dead-lettered: out of attempts, or failed for good.
    Dead,
}

stored_names!(JobStatus {
    Queued => "queued",
    Done => "done",
    Dead => "dead",
});

/// A job as listed by `zlack jobs`; the payload stays sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub status: JobStatus,
    /// Attempts counted so far.
    pub attempts: i64,
    /// When it is, or was last, due.
    pub run_at: Millis,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    /// When the row last changed.
    pub updated_at: Millis,
    /// While a worker holds it: until when its lease holds.
    pub locked_until: Option<Millis>,
}

/// Queues `jobs` inside `tx` (a repeated idempotency key is skipped) and
/// returns how many were new. Jobs due now are written already claimed by
/// the local worker while it has room; the transaction hands them to it
/// when it commits.
pub(super) async fn insert_jobs(
    tx: &mut Tx,
    vault: &Vault,
    jobs: &[NewJob],
    now: Millis,
) -> Result<usize, StoreError> {
    let mut seen = std::collections::HashSet::new();
    let jobs: Vec<&NewJob> = jobs
        .iter()
        .filter(|job| seen.insert(job.idempotency_key.as_str()))
        .collect();
    if jobs.is_empty() {
        return Ok(0);
    }
    let runner = tx.runner.clone();
    let mut room = runner.as_ref().map_or(0, |r| r.room());
    let claim = runner
        .as_ref()
        .map(|r| format!("{}:{}", r.owner(), hex::encode(rand::random::<[u8; 8]>())));
    let lease = runner.as_ref().map_or(0, |r| r.lease_ms());
    let mut new = 0;
    for chunk in chunks(&jobs) {
        let mut sql = String::from(
            "INSERT INTO jobs (kind, idempotency_key, payload, max_attempts, run_at, created_at, \
             updated_at, tenant, attempts, locked_until, locked_by, owner) VALUES ",
        );
        push_tuples(&mut sql, chunk.len(), 12);
        sql.push_str(" ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key");
        let mut query = sqlx::query_as::<_, Inserted>(&sql);
        let mut claimed = std::collections::HashMap::new();
        for (i, job) in chunk.iter().enumerate() {
            let payload =
                serde_json::to_vec(&job.payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let start = job.run_at <= now && room > 0;
            if start {
                room -= 1;
                claimed.insert(job.idempotency_key.as_str(), i);
            } else if job.run_at > now {
                tx.due = Some(tx.due.map_or(job.run_at, |d| d.min(job.run_at)));
            }
            let (claim, owner) = match (&claim, &runner) {
                (Some(claim), Some(runner)) if start => {
                    (Some(claim.as_str()), Some(runner.owner().to_owned()))
                }
                _ => (None, None),
            };
            query = query
                .bind(job.kind.as_str())
                .bind(job.idempotency_key.as_str())
                .bind(vault.seal(&payload, &job_context(&job.idempotency_key)))
                .bind(job.max_attempts)
                .bind(job.run_at)
                .bind(now)
                .bind(now)
                .bind(job.tenant.as_str())
                .bind(i64::from(start))
                .bind(start.then_some(now + lease))
                .bind(claim)
                .bind(owner);
        }
        for row in query.fetch_all(&mut **tx).await? {
            new += 1;
            let key = row.idempotency_key;
            if let Some(&i) = claimed.get(key.as_str()) {
                let job = chunk[i];
                tx.started.push(ClaimedJob {
                    id: row.id,
                    claim: claim.clone().unwrap_or_default(),
                    kind: job.kind.clone(),
                    idempotency_key: key,
                    payload: job.payload.clone(),
                    attempts: 1,
                    max_attempts: job.max_attempts,
                    tenant: job.tenant.clone(),
                });
            }
        }
    }
    Ok(new)
}

/// What an insert of jobs returns for each new row.
#[derive(sqlx::FromRow)]
struct Inserted {
    id: i64,
    idempotency_key: String,
}

/// Rows per multi-row statement, largest first: well under both
/// backends' limits on bound parameters. A batch is cut into these sizes
/// only, so each connection caches a handful of statements, not one per
/// batch size.
const CHUNKS: [usize; 8] = [128, 64, 32, 16, 8, 4, 2, 1];

/// `items` cut into pieces whose lengths are all in [`CHUNKS`].
pub(super) fn chunks<T>(mut items: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    while !items.is_empty() {
        let size = CHUNKS
            .iter()
            .copied()
            .find(|&c| c <= items.len())
            .unwrap_or(1);
        let (head, rest) = items.split_at(size);
        out.push(head);
        items = rest;
    }
    out
}

/// Appends `rows` tuples of `width` numbered placeholders:
/// `($1, $2), ($3, $4)`.
pub(super) fn push_tuples(sql: &mut String, rows: usize, width: usize) {
    use std::fmt::Write as _;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..width {
            let _ = write!(
                sql,
                "{}${}",
                if col == 0 { "" } else { ", " },
                row * width + col + 1
            );
        }
        sql.push(')');
    }
}

pub(super) fn job_context(key: &str) -> String {
    format!("job:{key}")
}

impl Store {
    /// Queues jobs inside the caller's transaction, so they exist exactly
    /// when the state change that caused them does. Returns how many were
    /// new (an existing idempotency key is skipped).
    pub async fn enqueue(
        &self,
        tx: &mut Tx,
        jobs: &[NewJob],
        now: Millis,
    ) -> Result<usize, StoreError> {
        insert_jobs(tx, &self.vault, jobs, now).await
    }

    /// Queues jobs in a transaction of their own.
    pub async fn enqueue_now(&self, jobs: &[NewJob], now: Millis) -> Result<usize, StoreError> {
        let mut tx = self.begin().await?;
        let new = self.enqueue(&mut tx, jobs, now).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// The newest jobs first, only those in `status` when given.
    pub async fn list_jobs(
        &self,
        status: Option<JobStatus>,
        limit: i64,
    ) -> Result<Vec<JobRow>, StoreError> {
        Ok(sqlx::query_as::<_, JobRow>(
            "SELECT id, kind, status, attempts, run_at, last_error, updated_at, locked_until FROM jobs \
             WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(status.map(JobStatus::as_str).unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Puts dead-lettered jobs back in the queue with fresh attempts; `id`
    /// None means all of them. Returns how many were requeued.
    pub async fn retry_dead_jobs(&self, id: Option<i64>, now: Millis) -> Result<u64, StoreError> {
        let result = self.write(sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, locked_until = NULL, owner = NULL, \
             locked_by = NULL, updated_at = $1 WHERE status = 'dead' AND ($2 < 0 OR id = $2)",
        )
        .bind(now)
        .bind(id.unwrap_or(-1)))
        .await?;
        Ok(result.rows_affected())
    }

    /// How many jobs wait (or run) and how many are dead: what `/metrics`
    /// reports, each read from its partial index.
    pub async fn unfinished_job_counts(&self) -> Result<(i64, i64), StoreError> {
        let queued = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = 'queued'")
            .fetch_one(&self.pool)
            .await?;
        let dead = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = 'dead'")
            .fetch_one(&self.pool)
            .await?;
        Ok((queued, dead))
    }

    /// Job counts by status, for `zlack jobs` and tests.
    pub async fn job_counts(&self) -> Result<Vec<(JobStatus, i64)>, StoreError> {
        Ok(sqlx::query_as::<_, (JobStatus, i64)>(
            "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn batches_are_cut_into_a_few_fixed_sizes() {
        let items: Vec<u32> = (0..700).collect();
        let sizes: Vec<usize> = super::chunks(&items).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, vec![128, 128, 128, 128, 128, 32, 16, 8, 4]);
        assert!(super::chunks::<u32>(&[]).is_empty());
    }
}
