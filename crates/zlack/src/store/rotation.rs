//! Key rotation: every sealed column, re-sealed in batches under a new
//! key, and the URL-signing key kept sealed in the database so links
//! handed out before a rotation stay valid after it.
//!
//! While a rotation runs, the store's vault opens values under the old
//! and the new key (the key id in each value says which) and seals under
//! the new one. A `meta` row names the new key until every value is
//! re-sealed; serving refuses to start while it exists.

use sqlx::Row as _;

use super::{Dialect, Store, StoreError};
use crate::clock::Millis;

/// The `meta` row naming the key an unfinished rotation moves to.
const ROTATION: &str = "key_rotation";
/// The `meta` row holding the URL-signing key, sealed.
const SIGNING_KEY: &str = "url_signing_key";
const SIGNING_KEY_CONTEXT: &str = "meta:url_signing_key";
/// The migration that creates `meta`.
const META_MIGRATION: i64 = 11;

/// A key column of a sealed value's row.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
}

/// A key column's value.
#[derive(Clone, Debug)]
enum Val {
    Text(String),
    Int(i64),
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Text(s) => f.write_str(s),
            Val::Int(i) => write!(f, "{i}"),
        }
    }
}

/// A column holding sealed values, with what its sealing context is made
/// of. Every column the store seals into is listed here; the test that
/// rotates a database with a value in each checks that none is missing.
struct SealedColumn {
    table: &'static str,
    column: &'static str,
    keys: &'static [(&'static str, Kind)],
    context: fn(&[Val]) -> String,
}

const SEALED_COLUMNS: &[SealedColumn] = &[
    SealedColumn {
        table: "tokens",
        column: "sealed",
        keys: &[("owner", Kind::Text), ("kind", Kind::Text)],
        context: |k| format!("token:{}:{}", k[0], k[1]),
    },
    SealedColumn {
        table: "inbox",
        column: "body",
        keys: &[("dedupe_key", Kind::Text)],
        context: |k| format!("inbox:{}", k[0]),
    },
    SealedColumn {
        table: "jobs",
        column: "payload",
        keys: &[("idempotency_key", Kind::Text)],
        context: |k| format!("job:{}", k[0]),
    },
    SealedColumn {
        table: "grants",
        column: "payload",
        keys: &[("id", Kind::Text)],
        context: |k| format!("grant:{}", k[0]),
    },
    SealedColumn {
        table: "meetings",
        column: "response_url",
        keys: &[("request_key", Kind::Text)],
        context: |k| format!("meeting:{}:response_url", k[0]),
    },
    SealedColumn {
        table: "meetings",
        column: "join_url_sealed",
        keys: &[("request_key", Kind::Text)],
        context: |k| format!("meeting:{}:join_url", k[0]),
    },
    SealedColumn {
        table: "meetings",
        column: "passcode_sealed",
        keys: &[("request_key", Kind::Text)],
        context: |k| format!("meeting:{}:passcode", k[0]),
    },
    SealedColumn {
        table: "occurrences",
        column: "state",
        keys: &[("id", Kind::Int)],
        context: |k| format!("occurrence:{}:state", k[0]),
    },
    SealedColumn {
        table: "phone_notices",
        column: "state",
        keys: &[
            ("team_id", Kind::Text),
            ("slack_user_id", Kind::Text),
            ("subject", Kind::Text),
        ],
        context: |k| format!("phone:{}:{}:{}", k[0], k[1], k[2]),
    },
    SealedColumn {
        table: "zoom_links",
        column: "personal_room",
        keys: &[
            ("team_id", Kind::Text),
            ("slack_user_id", Kind::Text),
            ("zoom_user_id", Kind::Text),
        ],
        context: |k| format!("personal-room:{}", k[2]),
    },
    SealedColumn {
        table: "zoom_links",
        column: "zoom_email_sealed",
        keys: &[("team_id", Kind::Text), ("slack_user_id", Kind::Text)],
        context: |k| format!("zoom_link:{}:{}:email", k[0], k[1]),
    },
    SealedColumn {
        table: "workspaces",
        column: "zoom_admin_email_sealed",
        keys: &[("team_id", Kind::Text)],
        context: |k| format!("workspace:{}:zoom_admin_email", k[0]),
    },
    SealedColumn {
        table: "status_sync",
        column: "saved_sealed",
        keys: &[("team_id", Kind::Text), ("slack_user_id", Kind::Text)],
        context: |k| format!("status:{}:{}", k[0], k[1]),
    },
];

/// Every `(table, column)` that holds sealed values.
pub fn sealed_columns() -> impl Iterator<Item = (&'static str, &'static str)> {
    SEALED_COLUMNS.iter().map(|c| (c.table, c.column))
}

impl Store {
    /// Takes the URL-signing key the database keeps, if a key rotation
    /// stored one; without it, the vault's key derived from the
    /// encryption key stays in use. Run after connecting. Under a key that
    /// cannot open it, it leaves the derived key: the key check refuses
    /// such a database anyway.
    pub async fn load_signing_key(&mut self) -> Result<(), StoreError> {
        if self.pending_migrations().await?.contains(&META_MIGRATION) {
            return Ok(());
        }
        let stored: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE name = $1")
            .bind(SIGNING_KEY)
            .fetch_optional(&self.pool)
            .await?;
        let Some(stored) = stored else {
            return Ok(());
        };
        let sealed = hex::decode(&stored).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let plain = match self.vault.open(&sealed, SIGNING_KEY_CONTEXT) {
            Ok(plain) => plain,
            // Another key: the key check refuses this database next, with
            // a clearer message than this value would give.
            Err(crate::vault::VaultError::WrongKey { .. }) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let key: [u8; 32] = plain
            .try_into()
            .map_err(|_| StoreError::Corrupt("the URL-signing key is not 32 bytes".into()))?;
        self.vault = self.vault.clone().with_signing_key(key);
        Ok(())
    }

    /// The id of the key an unfinished rotation moves to, if one is
    /// unfinished.
    pub async fn rotation_in_progress(&self) -> Result<Option<String>, StoreError> {
        if self.pending_migrations().await?.contains(&META_MIGRATION) {
            return Ok(None);
        }
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE name = $1")
            .bind(ROTATION)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Starts (or resumes) moving to the vault's key: records that a
    /// rotation is under way and stores the URL-signing key in use sealed
    /// under the new key. The vault must open the old key's values
    /// ([`crate::vault::Vault::with_previous`]) and have its signing key
    /// loaded ([`Store::load_signing_key`]).
    pub async fn begin_rotation(&self) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO meta (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(ROTATION)
        .bind(self.vault.key_id())
        .execute(&mut *tx)
        .await?;
        let sealed = self
            .vault
            .seal(&self.vault.signing_key(), SIGNING_KEY_CONTEXT);
        sqlx::query(
            "INSERT INTO meta (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(SIGNING_KEY)
        .bind(hex::encode(sealed))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Re-seals up to `limit` values not yet under the vault's key, in
    /// one transaction; returns how many. Zero means every sealed column
    /// is done. A value that opens under neither key stops the rotation
    /// with an error naming its column.
    pub async fn reseal_batch(&self, limit: i64) -> Result<u64, StoreError> {
        let key_id = hex::decode(self.vault.key_id()).expect("key ids are hex");
        let substr = match self.dialect {
            Dialect::Sqlite => "substr",
            Dialect::Postgres => "substring",
        };
        let mut tx = self.begin().await?;
        for spec in SEALED_COLUMNS {
            let names: Vec<&str> = spec.keys.iter().map(|(name, _)| *name).collect();
            let select = format!(
                "SELECT {keys}, {col} FROM {table} WHERE {col} IS NOT NULL \
                 AND {substr}({col}, 2, 8) <> $1 LIMIT $2",
                keys = names.join(", "),
                col = spec.column,
                table = spec.table,
            );
            let rows = sqlx::query(&select)
                .bind(key_id.clone())
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
            if rows.is_empty() {
                continue;
            }
            let mut done = 0;
            for row in rows {
                let mut keys = Vec::with_capacity(spec.keys.len());
                for (i, (_, kind)) in spec.keys.iter().enumerate() {
                    keys.push(match kind {
                        Kind::Text => Val::Text(row.try_get::<String, _>(i)?),
                        Kind::Int => Val::Int(row.try_get::<i64, _>(i)?),
                    });
                }
                let sealed: Vec<u8> = row.try_get(spec.keys.len())?;
                let context = (spec.context)(&keys);
                let plain = self.vault.open(&sealed, &context).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "{}.{}: a value does not open under the old or the new key ({e})",
                        spec.table, spec.column
                    ))
                })?;
                let resealed = self.vault.seal(&plain, &context);
                let also = if spec.table == "tokens" {
                    format!(", key_id = ${}", spec.keys.len() + 3)
                } else {
                    String::new()
                };
                let matches: Vec<String> = names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| format!("{name} = ${}", i + 3))
                    .collect();
                let update = format!(
                    "UPDATE {table} SET {col} = $1{also} WHERE {col} = $2 AND {matches}",
                    table = spec.table,
                    col = spec.column,
                    matches = matches.join(" AND "),
                );
                let mut query = sqlx::query(&update).bind(resealed).bind(sealed);
                for key in keys {
                    query = match key {
                        Val::Text(s) => query.bind(s),
                        Val::Int(i) => query.bind(i),
                    };
                }
                if spec.table == "tokens" {
                    query = query.bind(self.vault.key_id());
                }
                query.execute(&mut *tx).await?;
                done += 1;
            }
            tx.commit().await?;
            return Ok(done);
        }
        Ok(0)
    }

    /// Ends a rotation once [`Store::reseal_batch`] found nothing left:
    /// the key check now names the new key only, the rotation mark goes,
    /// and the audit log says so, in one transaction.
    pub async fn finish_rotation(&self, at: Millis, detail: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let check = self.key_check_value();
        sqlx::query(
            "INSERT INTO meta (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(super::meta::KEY_CHECK)
        .bind(check)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM meta WHERE name = $1")
            .bind(ROTATION)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            at,
            "cli",
            "rotate-key",
            &self.vault.key_id(),
            detail,
        )
        .await?;
        tx.commit().await?;
        // The old key's values must not live on in the log.
        self.checkpoint().await?;
        Ok(())
    }

    /// How many jobs a worker holds a claim on at `now`: a sign that a
    /// `zlack serve` is running.
    pub async fn jobs_claimed(&self, now: Millis) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE locked_by IS NOT NULL AND locked_until > $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }
}
