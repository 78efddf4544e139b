//! Named leases shared by every process on the database: whoever holds
//! `refresh:zoom:U1` is the only one refreshing that credential.

use super::{Store, StoreError};
use crate::clock::Millis;

impl Store {
    /// Takes the lease when it is free, expired or already ours.
    pub async fn try_lease(
        &self,
        name: &str,
        holder: &str,
        now: Millis,
        ttl_ms: Millis,
    ) -> Result<bool, StoreError> {
        let result = self.write(sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE \
             SET holder = excluded.holder, until = excluded.until WHERE leases.until <= $4 OR leases.holder = excluded.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl_ms)
        .bind(now))
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives the lease up early, if `holder` still holds it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        self.write(
            sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
                .bind(name)
                .bind(holder),
        )
        .await?;
        Ok(())
    }

    /// Extends the `(name, holder)` leases that have not run out to
    /// `until`.
    pub async fn renew_leases(
        &self,
        held: &[(String, String)],
        until: Millis,
        now: Millis,
    ) -> Result<(), StoreError> {
        if held.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (name, holder) in held {
            sqlx::query(
                "UPDATE leases SET until = $1 WHERE name = $2 AND holder = $3 AND until > $4",
            )
            .bind(until)
            .bind(name)
            .bind(holder)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Who holds the lease `name` at `now`, if anyone: a lease that ran out
    /// is held by nobody.
    pub async fn lease_holder(
        &self,
        name: &str,
        now: Millis,
    ) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT holder FROM leases WHERE name = $1 AND until > $2")
                .bind(name)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

/// The lease name prefix every running `zlack serve` holds one of, so
/// commands that must not run beside a server (`zlack rotate-key`) see it.
pub const SERVER_LEASE_PREFIX: &str = "server:";

impl Store {
    /// How many servers hold a live presence lease
    /// ([`SERVER_LEASE_PREFIX`]) at `now`.
    pub async fn servers_running(&self, now: Millis) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM leases WHERE name LIKE $1 AND until > $2")
                // The prefix holds neither `%` nor `_`.
                .bind(format!("{SERVER_LEASE_PREFIX}%"))
                .bind(now)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
