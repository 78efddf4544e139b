//! Facts about the database itself: which encryption key its secrets are
//! sealed with.

use super::{Store, StoreError};
use crate::vault::VaultError;

pub(super) const KEY_CHECK: &str = "key_check";
const KEY_CHECK_CONTEXT: &str = "meta:key_check";
const KEY_CHECK_PLAIN: &[u8] = b"zlack";

/// Whether the configured key is the database's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// It opens what the database holds (or the database holds nothing
    /// sealed yet, and now remembers this key).
    Matches,
    /// The database's secrets were sealed with another key: `found` is
    /// that key's fingerprint, `configured` this one's.
    Mismatch {
        /// The fingerprint of the key the database was sealed with.
        found: String,
        /// The fingerprint of the configured key.
        configured: String,
    },
}

/// The id of the key that sealed a stored key check value (the `meta`
/// row `key_check`), when `vault` cannot open it; `None` when it can.
pub fn key_check_mismatch(vault: &crate::vault::Vault, stored: &str) -> Option<String> {
    let Ok(sealed) = hex::decode(stored) else {
        return Some("unreadable".into());
    };
    match vault.open(&sealed, KEY_CHECK_CONTEXT) {
        Ok(_) => None,
        Err(VaultError::WrongKey { found, .. }) => Some(found),
        Err(_) => Some("unreadable".into()),
    }
}

impl Store {
    /// Checks the configured key against the database: the value sealed
    /// when it was first served, or, in a database from before that value,
    /// the key ids of its stored tokens. With `remember`, a database that
    /// matches (or holds nothing sealed) gets the value if it lacks it.
    pub async fn check_key(&self, remember: bool) -> Result<KeyCheck, StoreError> {
        let configured = self.vault.key_id();
        let stored: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE name = $1")
            .bind(KEY_CHECK)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(stored) = stored {
            let sealed = hex::decode(&stored).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            return Ok(match self.vault.open(&sealed, KEY_CHECK_CONTEXT) {
                Ok(_) => KeyCheck::Matches,
                Err(VaultError::WrongKey { found, .. }) => KeyCheck::Mismatch { found, configured },
                Err(e) => return Err(StoreError::Vault(e)),
            });
        }
        let ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT key_id FROM tokens LIMIT 10")
            .fetch_all(&self.pool)
            .await?;
        if !ids.is_empty() && !ids.contains(&configured) {
            return Ok(KeyCheck::Mismatch {
                found: ids.join(", "),
                configured,
            });
        }
        if !remember {
            return Ok(KeyCheck::Matches);
        }
        let sealed = self.key_check_value();
        self.write(
            sqlx::query(
                "INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(KEY_CHECK)
            .bind(sealed),
        )
        .await?;
        Ok(KeyCheck::Matches)
    }
}

impl Store {
    /// The key check value for the vault's key, as `meta` holds it.
    pub(super) fn key_check_value(&self) -> String {
        hex::encode(self.vault.seal(KEY_CHECK_PLAIN, KEY_CHECK_CONTEXT))
    }
}

/// Rows sealed per transaction when upgrading older rows.
const SEAL_BATCH: i64 = 500;

impl Store {
    /// Seals the Zoom emails and join links that rows written before they
    /// were sealed still hold in plain text, and empties the plain
    /// columns. Returns how many values it sealed; run at every start, it
    /// finds nothing once done.
    pub async fn seal_plaintext(&self) -> Result<u64, StoreError> {
        let mut sealed = 0;
        loop {
            let mut tx = self.begin().await?;
            let links: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT team_id, slack_user_id, zoom_email FROM zoom_links \
                 WHERE zoom_email IS NOT NULL LIMIT $1",
            )
            .bind(SEAL_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let meetings: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT id, request_key, join_url FROM meetings WHERE join_url IS NOT NULL LIMIT $1",
            )
            .bind(SEAL_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            if links.is_empty() && meetings.is_empty() {
                if sealed > 0 {
                    // The plain values must not live on in the log.
                    drop(tx);
                    self.checkpoint().await?;
                }
                return Ok(sealed);
            }
            for (team, user, email) in &links {
                let context = super::links::email_context(team, user);
                sqlx::query(
                    "UPDATE zoom_links SET zoom_email = NULL, zoom_email_sealed = $1, \
                     zoom_email_hash = $2 WHERE team_id = $3 AND slack_user_id = $4",
                )
                .bind(self.vault.seal(email.as_bytes(), &context))
                .bind(self.email_hash(email))
                .bind(team)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            }
            for (id, request_key, join_url) in &meetings {
                let context = super::meetings::join_url_context(request_key);
                sqlx::query(
                    "UPDATE meetings SET join_url = NULL, join_url_sealed = $1 WHERE id = $2",
                )
                .bind(self.vault.seal(join_url.as_bytes(), &context))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            sealed += (links.len() + meetings.len()) as u64;
        }
    }
}
