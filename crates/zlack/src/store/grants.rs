//! One-time references: the links that connect Zoom (the authorize
//! prompt's, the reconnect DM's, the organization link after "Add to
//! Slack"), made only in answer to an authenticated request; OAuth `state`
//! is not stored at all (`http/flow_state.rs`). The secret a browser
//! carries is never stored, only its hash; the payload is sealed. Taking a
//! grant is one conditional update, so two concurrent uses cannot both
//! succeed.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Store, StoreError};
use crate::clock::Millis;

/// Why a grant could not be taken. Users all see the same page; logs and
/// tests tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantRefusal {
    /// No grant has this secret.
    Unknown,
    /// The grant is for another purpose.
    WrongKind,
    /// The grant's lifetime is over.
    Expired,
    /// The grant was already taken.
    Used,
    /// The grant is bound to another browser.
    ForeignBrowser,
}

/// The stored id of a grant whose secret is `secret`.
pub fn grant_id(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn context(id: &str) -> String {
    format!("grant:{id}")
}

impl Store {
    /// Stores a grant for `secret`; `browser` binds it to a cookie value.
    pub async fn put_grant(
        &self,
        secret: &str,
        kind: &str,
        browser: Option<&str>,
        payload: &Value,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        let id = grant_id(secret);
        let plain = serde_json::to_vec(payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.write(sqlx::query("INSERT INTO grants (id, kind, browser_hash, payload, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(kind)
            .bind(browser.map(grant_id))
            .bind(self.vault.seal(&plain, &context(&id)))
            .bind(expires_at))
            .await?;
        Ok(())
    }

    /// Reads a live grant without using it up.
    pub async fn peek_grant(
        &self,
        secret: &str,
        kind: &str,
        now: Millis,
    ) -> Result<Result<Value, GrantRefusal>, StoreError> {
        self.read_grant(secret, kind, None, now).await
    }

    /// Uses a grant up: only the first caller within its lifetime, from the
    /// bound browser, gets the payload.
    pub async fn take_grant(
        &self,
        secret: &str,
        kind: &str,
        browser: Option<&str>,
        now: Millis,
    ) -> Result<Result<Value, GrantRefusal>, StoreError> {
        let id = grant_id(secret);
        let mut tx = self.begin().await?;
        let taken: Option<Vec<u8>> = sqlx::query_scalar(
            "UPDATE grants SET used_at = $1 WHERE id = $2 AND kind = $3 AND used_at IS NULL AND expires_at > $1 \
             AND (browser_hash IS NULL OR browser_hash = $4) RETURNING payload",
        )
        .bind(now)
        .bind(&id)
        .bind(kind)
        .bind(browser.map(grant_id).unwrap_or_default())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        match taken {
            Some(sealed) => Ok(Ok(self.open_payload(&id, &sealed)?)),
            None => Ok(Err(self
                .read_grant(secret, kind, browser, now)
                .await?
                .err()
                .unwrap_or(GrantRefusal::Used))),
        }
    }

    async fn read_grant(
        &self,
        secret: &str,
        kind: &str,
        browser: Option<&str>,
        now: Millis,
    ) -> Result<Result<Value, GrantRefusal>, StoreError> {
        let id = grant_id(secret);
        let row = sqlx::query_as::<_, GrantRow>(
            "SELECT kind, browser_hash, payload, expires_at, used_at FROM grants WHERE id = $1",
        )
        .bind(&id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(Err(GrantRefusal::Unknown));
        };
        let GrantRow {
            kind: stored_kind,
            browser_hash: bound,
            payload: sealed,
            expires_at,
            used_at,
        } = row;
        let refusal = if stored_kind != kind {
            Some(GrantRefusal::WrongKind)
        } else if used_at.is_some() {
            Some(GrantRefusal::Used)
        } else if expires_at <= now {
            Some(GrantRefusal::Expired)
        } else if browser.is_some() && bound.is_some() && bound != browser.map(grant_id) {
            Some(GrantRefusal::ForeignBrowser)
        } else {
            None
        };
        if let Some(refusal) = refusal {
            return Ok(Err(refusal));
        }
        Ok(Ok(self.open_payload(&id, &sealed)?))
    }

    fn open_payload(&self, id: &str, sealed: &[u8]) -> Result<Value, StoreError> {
        let plain = self.vault.open(sealed, &context(id))?;
        serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// Removes grants that can no longer be used.
    pub async fn prune_grants(&self, now: Millis) -> Result<u64, StoreError> {
        Ok(self
            .write(sqlx::query("DELETE FROM grants WHERE expires_at <= $1").bind(now))
            .await?
            .rows_affected())
    }
}

/// A grant as stored, its payload still sealed.
#[derive(sqlx::FromRow)]
struct GrantRow {
    kind: String,
    browser_hash: Option<String>,
    payload: Vec<u8>,
    expires_at: Millis,
    used_at: Option<Millis>,
}
