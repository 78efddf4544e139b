//! The outbox: jobs claimed by lease, so that several processes on one
//! database never run the same job at once, and settled with a fence so a
//! worker whose lease ran out cannot overwrite a newer claim.

use sqlx::Row;

use super::{Dialect, Store, StoreError, Tx};
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
}

// Payloads may carry `response_url`s: Debug shows their size only.
impl std::fmt::Debug for NewJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewJob")
            .field("kind", &self.kind)
            .field("idempotency_key", &self.idempotency_key)
            .field("run_at", &self.run_at)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ClaimedJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimedJob")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl NewJob {
    /// A job due at `run_at`, allowed `DEFAULT_MAX_ATTEMPTS` attempts.
    pub fn new(
        kind: &str,
        idempotency_key: impl Into<String>,
        payload: serde_json::Value,
        run_at: Millis,
    ) -> Self {
        Self {
            kind: kind.to_owned(),
            idempotency_key: idempotency_key.into(),
            payload,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            run_at,
        }
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

impl JobStatus {
    /// The stored `status` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Done => "done",
            Self::Dead => "dead",
        }
    }
}

/// A job as listed by `zlack jobs`; the payload stays sealed.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    /// `queued`, `done` or `dead`.
    pub status: String,
    /// Attempts counted so far.
    pub attempts: i64,
    /// When it is, or was last, due.
    pub run_at: Millis,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    /// When the row last changed.
    pub updated_at: Millis,
}

pub(super) async fn insert_job(
    tx: &mut Tx,
    vault: &Vault,
    job: &NewJob,
    now: Millis,
) -> Result<bool, StoreError> {
    let payload =
        serde_json::to_vec(&job.payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sealed = vault.seal(&payload, &job_context(&job.idempotency_key));
    let inserted = sqlx::query(
        "INSERT INTO jobs (kind, idempotency_key, payload, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&job.kind)
    .bind(&job.idempotency_key)
    .bind(sealed)
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Queues `jobs` with one statement (none when empty).
pub(super) async fn insert_jobs(
    tx: &mut Tx,
    vault: &Vault,
    jobs: &[NewJob],
    now: Millis,
) -> Result<u64, StoreError> {
    if jobs.is_empty() {
        return Ok(0);
    }
    let mut sql = String::from(
        "INSERT INTO jobs (kind, idempotency_key, payload, max_attempts, run_at, created_at, updated_at) VALUES ",
    );
    push_tuples(&mut sql, jobs.len(), 7);
    sql.push_str(" ON CONFLICT (idempotency_key) DO NOTHING");
    let mut query = sqlx::query(&sql);
    for job in jobs {
        let payload =
            serde_json::to_vec(&job.payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        query = query
            .bind(job.kind.as_str())
            .bind(job.idempotency_key.as_str())
            .bind(vault.seal(&payload, &job_context(&job.idempotency_key)))
            .bind(job.max_attempts)
            .bind(job.run_at)
            .bind(now)
            .bind(now);
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
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

fn job_context(key: &str) -> String {
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
        let mut new = 0;
        for job in jobs {
            new += usize::from(insert_job(tx, &self.vault, job, now).await?);
        }
        Ok(new)
    }

    /// Queues jobs in a transaction of their own.
    pub async fn enqueue_now(&self, jobs: &[NewJob], now: Millis) -> Result<usize, StoreError> {
        let mut tx = self.begin().await?;
        let new = self.enqueue(&mut tx, jobs, now).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Claims up to `limit` due jobs for `worker` until `now + lease_ms`.
    /// A job that cannot be opened, or whose worker died during its last
    /// allowed attempt, is dead-lettered here instead of returned.
    pub async fn claim_jobs(
        &self,
        worker: &str,
        now: Millis,
        lease_ms: Millis,
        limit: i64,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        // PostgreSQL must skip rows another claimer has locked, or two
        // claimers could both pick a row from the same snapshot. SQLite runs
        // the whole statement under its single write lock.
        let lock = match self.dialect {
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
            Dialect::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET locked_until = $1, locked_by = $2, attempts = attempts + 1, updated_at = $3 \
             WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $3 \
               AND (locked_until IS NULL OR locked_until <= $3) ORDER BY run_at, id LIMIT $4 {lock}) \
             RETURNING id, kind, idempotency_key, payload, attempts, max_attempts"
        );
        let claim = format!("{worker}:{}", hex::encode(rand::random::<[u8; 8]>()));
        let rows = sqlx::query(&sql)
            .bind(now + lease_ms)
            .bind(&claim)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut jobs = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let key: String = row.try_get("idempotency_key")?;
            let sealed: Vec<u8> = row.try_get("payload")?;
            let attempts: i64 = row.try_get("attempts")?;
            let max_attempts: i64 = row.try_get("max_attempts")?;
            let opened = self
                .vault
                .open(&sealed, &job_context(&key))
                .map_err(|e| e.to_string())
                .and_then(|plain| {
                    serde_json::from_slice(&plain).map_err(|e| format!("payload is corrupt: {e}"))
                });
            let problem = match (&opened, attempts > max_attempts) {
                (Err(e), _) => Some(format!("cannot open the job: {e}")),
                (Ok(_), true) => Some(format!(
                    "its worker stopped during each of {max_attempts} attempts"
                )),
                _ => None,
            };
            if let Some(error) = problem {
                tracing::warn!(job = id, %error, "job dead-lettered at claim");
                sqlx::query(
                    "UPDATE jobs SET status = 'dead', last_error = $1, locked_until = NULL, locked_by = NULL, \
                     updated_at = $2 WHERE id = $3 AND locked_by = $4",
                )
                .bind(&error)
                .bind(now)
                .bind(id)
                .bind(&claim)
                .execute(&self.pool)
                .await?;
                continue;
            }
            jobs.push(ClaimedJob {
                id,
                claim: claim.clone(),
                kind: row.try_get("kind")?,
                payload: opened.unwrap_or_default(),
                idempotency_key: key,
                attempts,
                max_attempts,
            });
        }
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Records the end of an attempt. Returns false when the claim was lost
    /// (the lease ran out and someone else holds the job now).
    pub async fn settle_job(
        &self,
        job: &ClaimedJob,
        settlement: &Settlement,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let (status, run_at, error, refund) = match settlement {
            Settlement::Done => ("done", None, None, 0),
            Settlement::Retry {
                run_at,
                error,
                counts,
            } => (
                "queued",
                Some(*run_at),
                Some(error.as_str()),
                i64::from(!counts),
            ),
            Settlement::Dead { error } => ("dead", None, Some(error.as_str()), 0),
        };
        let result = sqlx::query(
            "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), last_error = COALESCE($3, last_error), \
             attempts = attempts - $4, locked_until = NULL, locked_by = NULL, updated_at = $5 \
             WHERE id = $6 AND locked_by = $7",
        )
        .bind(status)
        .bind(run_at)
        .bind(error)
        .bind(refund)
        .bind(now)
        .bind(job.id)
        .bind(&job.claim)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The newest jobs first, only those in `status` when given.
    pub async fn list_jobs(
        &self,
        status: Option<JobStatus>,
        limit: i64,
    ) -> Result<Vec<JobRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, status, attempts, run_at, last_error, updated_at FROM jobs \
             WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(status.map(JobStatus::as_str).unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(JobRow {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    status: row.try_get("status")?,
                    attempts: row.try_get("attempts")?,
                    run_at: row.try_get("run_at")?,
                    last_error: row.try_get("last_error")?,
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// Puts dead-lettered jobs back in the queue with fresh attempts; `id`
    /// None means all of them. Returns how many were requeued.
    pub async fn retry_dead_jobs(&self, id: Option<i64>, now: Millis) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, locked_until = NULL, \
             locked_by = NULL, updated_at = $1 WHERE status = 'dead' AND ($2 < 0 OR id = $2)",
        )
        .bind(now)
        .bind(id.unwrap_or(-1))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// Job counts by status, for metrics and `doctor`.
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }
}
