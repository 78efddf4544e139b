//! Facts about the database itself: which encryption key its secrets are
//! sealed with.

use super::{Store, StoreError};
use crate::vault::VaultError;

const KEY_CHECK: &str = "key_check";
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
        let sealed = hex::encode(self.vault.seal(KEY_CHECK_PLAIN, KEY_CHECK_CONTEXT));
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
