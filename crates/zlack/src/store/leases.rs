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
        let result = sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE \
             SET holder = excluded.holder, until = excluded.until WHERE leases.until <= $4 OR leases.holder = excluded.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl_ms)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives the lease up early, if `holder` still holds it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
