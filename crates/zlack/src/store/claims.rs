//! Claiming, renewing, settling and handing back jobs.
//!
//! A claim is a short lease (`locked_until`) held by one worker (`owner`)
//! and renewed by its heartbeat while the job runs; a dead worker's jobs
//! are taken over once their lease runs out. Settling is fenced by the
//! claim, so a worker whose lease was taken over cannot overwrite the newer
//! claim.

use super::jobs::{ClaimedJob, JobStatus, Settlement, chunks, job_context};
use super::{Dialect, Store, StoreError, Tx};
use crate::clock::Millis;

/// Which jobs a claim may take.
#[derive(Debug, Clone, Copy)]
pub struct ClaimLimits<'a> {
    /// At most this many.
    pub limit: usize,
    /// None of these tenants' waiting jobs (their share is taken).
    pub skip_tenants: &'a [String],
}

const RETURNING: &str =
    "RETURNING id, kind, idempotency_key, payload, attempts, max_attempts, tenant";

/// A claimed row as [`RETURNING`] gives it, its payload still sealed.
#[derive(sqlx::FromRow)]
struct ClaimedRow {
    id: i64,
    kind: String,
    idempotency_key: String,
    payload: Vec<u8>,
    attempts: i64,
    max_attempts: i64,
    tenant: String,
}

impl Store {
    /// Claims up to `limit` jobs for `worker` until `now + lease_ms`:
    /// first those whose lease ran out (their worker died), then those due.
    /// A job that cannot be opened, or whose worker died during its last
    /// allowed attempt, is dead-lettered here instead of returned.
    pub async fn claim_jobs(
        &self,
        worker: &str,
        now: Millis,
        lease_ms: Millis,
        limit: i64,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        let limits = ClaimLimits {
            limit: usize::try_from(limit).unwrap_or(0),
            skip_tenants: &[],
        };
        self.claim(worker, now, lease_ms, limits).await
    }

    /// [`Store::claim_jobs`], leaving the tenants in `limits` alone.
    pub async fn claim(
        &self,
        worker: &str,
        now: Millis,
        lease_ms: Millis,
        limits: ClaimLimits<'_>,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        if limits.limit == 0 {
            return Ok(Vec::new());
        }
        // PostgreSQL must skip rows another claimer has locked, or two
        // claimers could both pick a row from the same snapshot. SQLite runs
        // the whole transaction under its single write lock.
        let lock = match self.dialect {
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
            Dialect::Sqlite => "",
        };
        let claim = format!("{worker}:{}", hex::encode(rand::random::<[u8; 8]>()));
        let set = "UPDATE jobs SET locked_until = $1, locked_by = $2, owner = $3, \
                   attempts = attempts + 1, updated_at = $4";
        let mut tx = self.begin().await?;
        let taken_over = sqlx::query_as::<_, ClaimedRow>(&format!(
            "{set} WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' \
             AND locked_by IS NOT NULL AND locked_until <= $4 ORDER BY locked_until LIMIT $5 {lock}) \
             {RETURNING}"
        ))
        .bind(now + lease_ms)
        .bind(&claim)
        .bind(worker)
        .bind(now)
        .bind(limits.limit as i64)
        .fetch_all(&mut *tx)
        .await?;
        let mut rows = taken_over;
        let left = limits.limit - rows.len().min(limits.limit);
        if left > 0 {
            let skip: String = (0..limits.skip_tenants.len())
                .map(|i| format!(", ${}", i + 6))
                .collect();
            let skip = if skip.is_empty() {
                String::new()
            } else {
                format!("AND tenant NOT IN ({})", &skip[2..])
            };
            let sql = format!(
                "{set} WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' \
                 AND locked_by IS NULL AND run_at <= $4 {skip} ORDER BY run_at, id LIMIT $5 {lock}) \
                 {RETURNING}"
            );
            let mut query = sqlx::query_as::<_, ClaimedRow>(&sql)
                .bind(now + lease_ms)
                .bind(&claim)
                .bind(worker)
                .bind(now)
                .bind(left as i64);
            for tenant in limits.skip_tenants {
                query = query.bind(tenant.as_str());
            }
            rows.extend(query.fetch_all(&mut *tx).await?);
        }
        let jobs = self.open_claimed(&mut tx, rows, &claim, now).await?;
        tx.commit().await?;
        Ok(jobs)
    }

    /// Opens claimed rows; dead-letters, in `tx`, those that cannot run.
    async fn open_claimed(
        &self,
        tx: &mut Tx,
        rows: Vec<ClaimedRow>,
        claim: &str,
        now: Millis,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        let mut jobs = Vec::with_capacity(rows.len());
        for row in rows {
            let ClaimedRow {
                id,
                kind,
                idempotency_key: key,
                payload: sealed,
                attempts,
                max_attempts,
                tenant,
            } = row;
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
                    "UPDATE jobs SET status = 'dead', last_error = $1, locked_until = NULL, \
                     locked_by = NULL, owner = NULL, updated_at = $2 WHERE id = $3 AND locked_by = $4",
                )
                .bind(&error)
                .bind(now)
                .bind(id)
                .bind(claim)
                .execute(&mut **tx)
                .await?;
                continue;
            }
            jobs.push(ClaimedJob {
                id,
                claim: claim.to_owned(),
                kind,
                payload: opened.unwrap_or_default(),
                idempotency_key: key,
                attempts,
                max_attempts,
                tenant,
            });
        }
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Extends the leases `worker` still holds on `ids` to `until`; returns
    /// the ids renewed. A lease that already ran out is not revived: its job
    /// may have been taken over.
    pub async fn renew_jobs(
        &self,
        worker: &str,
        ids: &[i64],
        until: Millis,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        let mut renewed = Vec::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(renewed);
        }
        let mut tx = self.begin().await?;
        for chunk in chunks(ids) {
            let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
            let sql = format!(
                "UPDATE jobs SET locked_until = $1 WHERE owner = $2 AND locked_until > $3 \
                 AND status = 'queued' AND id IN ({}) RETURNING id",
                list.join(", ")
            );
            let mut query = sqlx::query_scalar::<_, i64>(&sql)
                .bind(until)
                .bind(worker)
                .bind(now);
            for id in chunk {
                query = query.bind(*id);
            }
            renewed.extend(query.fetch_all(&mut *tx).await?);
        }
        tx.commit().await?;
        Ok(renewed)
    }

    /// Releases claims of jobs that never started, so any worker may take
    /// them at once; their attempt is not counted.
    pub async fn hand_back(&self, jobs: &[ClaimedJob], now: Millis) -> Result<u64, StoreError> {
        if jobs.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut released = 0;
        for job in jobs {
            released += sqlx::query(
                "UPDATE jobs SET locked_until = NULL, locked_by = NULL, owner = NULL, \
                 attempts = attempts - 1, updated_at = $1 WHERE id = $2 AND locked_by = $3",
            )
            .bind(now)
            .bind(job.id)
            .bind(&job.claim)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(released)
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
            Settlement::Done => (JobStatus::Done, None, None, 0),
            Settlement::Retry {
                run_at,
                error,
                counts,
            } => (
                JobStatus::Queued,
                Some(*run_at),
                Some(error.as_str()),
                i64::from(!counts),
            ),
            Settlement::Dead { error } => (JobStatus::Dead, None, Some(error.as_str()), 0),
        };
        let result = self
            .write(
                sqlx::query(
                    "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), \
                     last_error = COALESCE($3, last_error), attempts = attempts - $4, \
                     locked_until = NULL, locked_by = NULL, owner = NULL, updated_at = $5 \
                     WHERE id = $6 AND locked_by = $7",
                )
                .bind(status)
                .bind(run_at)
                .bind(error)
                .bind(refund)
                .bind(now)
                .bind(job.id)
                .bind(&job.claim),
            )
            .await?;
        Ok(result.rows_affected() == 1)
    }
}
