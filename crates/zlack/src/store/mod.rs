//! Storage: one narrow interface over SQLite and PostgreSQL, chosen by the
//! URL scheme. Both backends run the same SQL through sqlx's `Any` driver;
//! where the dialects differ (schema types, row locking), [`Dialect`] and
//! the per-backend migration folders hold the difference.

mod grants;
pub(crate) mod inbox;
mod jobs;
mod leases;
mod links;
mod meetings;
mod occurrences;
mod organization;
mod phone;
mod purge;
mod retention;
mod tokens;
mod unfurls;
mod workspaces;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use grants::{GrantRefusal, grant_id};
pub use inbox::{InboundEvent, InboxItem, Ingested};
pub use jobs::{ClaimedJob, JobRow, JobStatus, NewJob, Settlement};
pub use links::{LinkStatus, SlackUser, ZoomLink};
pub use meetings::{MeetingRow, NewMeeting};
pub use occurrences::{LockedOccurrence, NoticeRow, Occurrence};
pub use phone::{PersonalRoom, PhoneNoticeKey};
pub use purge::{AuditEntry, Purged};
pub use retention::Expired;
pub use tokens::{StoredToken, TokenHealth, TokenKind, TokenOwner};
pub use unfurls::recording_key;
pub use workspaces::Workspace;

use crate::config::DatabaseUrl;
use crate::vault::Vault;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which backend a [`Store`] talks to, for the statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused the statement or could not be reached.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed to apply.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A sealed value would not open: another key, or tampered.
    #[error("stored value cannot be opened: {0}")]
    Vault(#[from] crate::vault::VaultError),
    /// A value could not be encoded or decoded as JSON.
    #[error("stored value is corrupt: {0}")]
    Corrupt(String),
}

/// The database, with the vault that seals what goes into it.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    vault: Vault,
}

/// A transaction on either backend, shared by a state change and the
/// jobs it causes.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Store {
    /// Connects (creating a SQLite file when needed); does not migrate.
    pub async fn connect(url: &DatabaseUrl, vault: Vault) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (dialect, options, max) = match url {
            DatabaseUrl::Sqlite { path } => {
                let raw = format!("sqlite://{}?mode=rwc", path.display());
                // SQLite has one writer at a time, and a connection that
                // finds it busy sleeps in growing steps (1, 2, 5, 10 … ms)
                // before trying again. Two connections keep the tail short:
                // other tasks wait in the pool's queue and get a connection
                // the moment one is free, instead of sleeping.
                (Dialect::Sqlite, AnyConnectOptions::from_str(&raw)?, 2)
            }
            DatabaseUrl::Postgres { url } => {
                (Dialect::Postgres, AnyConnectOptions::from_str(url)?, 16)
            }
        };
        let options = options.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes
                        // every commit durable before a request is acked.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            dialect,
            vault,
        })
    }

    /// The backend in use.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The vault that seals this store's values.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    fn migrator(&self) -> &'static Migrator {
        match self.dialect {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies this backend's pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Versions of embedded migrations the database has not applied yet.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        // Before the first migration the bookkeeping table does not exist:
        // then everything is pending.
        let applied: Vec<i64> = sqlx::query_scalar::<_, i64>(
            "SELECT version FROM _sqlx_migrations WHERE success = TRUE",
        )
        .fetch_all(&self.pool)
        .await
        .unwrap_or_default();
        Ok(self
            .migrator()
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Starts a transaction, for changes that must land together.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
