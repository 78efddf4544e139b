//! Storage: one narrow interface over SQLite and PostgreSQL, chosen by the
//! URL scheme. Both backends run the same SQL through sqlx's `Any` driver;
//! where the dialects differ (schema types, row locking), [`Dialect`] and
//! the per-backend migration folders hold the difference.

mod claims;
mod grants;
pub(crate) mod inbox;
mod jobs;
mod leases;
mod links;
mod local;
mod meetings;
mod meta;
mod occurrences;
mod organization;
mod phone;
mod purge;
mod retention;
mod rotation;
mod schedule;
mod status;
mod text;
mod tokens;
mod tx;
mod unfurls;
mod workspaces;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use claims::ClaimLimits;
pub use grants::{GrantRefusal, grant_id};
pub use inbox::{InboundEvent, InboxItem, Ingested};
pub use jobs::{ClaimedJob, JobRow, JobStatus, NewJob, Settlement};
pub use leases::SERVER_LEASE_PREFIX;
pub use links::{LinkStatus, SlackUser, ZoomLink};
pub use local::{LocalRunner, LocalSlot};
pub use meetings::{MeetingOrigin, MeetingRow, NewMeeting, PostedVia};
pub use meta::{KeyCheck, key_check_mismatch};
pub use occurrences::{
    LockedOccurrence, NoticeDelivery, NoticeRow, Occurrence, RESTART_GRACE_MS, RecordedNotice,
};
pub use organization::{NewOrgConnection, OrgConnection};
pub use phone::{PersonalRoom, PhoneNoticeKey};
pub use purge::{AuditEntry, Purged};
pub use retention::Expired;
pub use rotation::sealed_columns;
pub use schedule::{Reschedule, Schedule, Scheduled};
pub use status::{SlackStatus, StatusChange, StatusPhase, StatusSync};
pub use tokens::{StoredToken, TokenHealth, TokenKind, TokenOwner};
pub use tx::Tx;
pub use unfurls::recording_key;
pub use workspaces::Workspace;
/// The kind of conversation a meeting was announced in, as stored with it.
pub use zlack_domain::delivery::ConversationKind;

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
    Database(sqlx::Error),
    /// A migration failed to apply.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A sealed value would not open: another key, or tampered.
    #[error("stored value cannot be opened: {0}")]
    Vault(#[from] crate::vault::VaultError),
    /// A value could not be encoded or decoded as JSON, or a column holds
    /// what its type cannot read (such as a name no enum variant has).
    #[error("stored value is corrupt: {0}")]
    Corrupt(String),
    /// The SQLite file could not be created.
    #[error("database file: {0}")]
    File(String),
    /// The PostgreSQL server could not be reached at startup: one line
    /// naming `ZLACK_DATABASE_URL` (its password masked) and the reason.
    #[error("{0}")]
    Unreachable(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::ColumnDecode { .. } => StoreError::Corrupt(error.to_string()),
            other => StoreError::Database(other),
        }
    }
}

/// The database, with the vault that seals what goes into it.
#[derive(Debug, Clone)]
pub struct Store {
    /// Reads; on PostgreSQL writes too. On SQLite its connections are
    /// read-only: every write goes through [`Writes::Group`].
    pool: AnyPool,
    writes: Writes,
    dialect: Dialect,
    vault: Vault,
    /// The worker of this process, which takes the jobs it queues.
    local: LocalSlot,
}

/// Where write transactions run.
#[derive(Debug, Clone)]
enum Writes {
    /// PostgreSQL: any pooled connection; the server queues lock waiters.
    /// Storing requests before their ack has connections of its own
    /// (`ack`), so hundreds of jobs waiting for the shared ones never keep
    /// Slack and Zoom waiting for an answer.
    Pool { ack: AnyPool },
    /// SQLite: one connection, in turn, with group commit. The pool holds
    /// that one connection, for migrations.
    Group(writer::GroupWriter, AnyPool),
}

impl Store {
    /// Connects (creating a SQLite file when needed); does not migrate.
    pub async fn connect(url: &DatabaseUrl, vault: Vault) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (store_dialect, options) = match url {
            DatabaseUrl::Sqlite { path } => {
                create_private(path)?;
                let raw = format!("sqlite://{}?mode=rwc", path.display());
                (Dialect::Sqlite, AnyConnectOptions::from_str(&raw)?)
            }
            DatabaseUrl::Postgres { url } => {
                let options = AnyConnectOptions::from_str(url)?;
                probe(url, &options).await?;
                (Dialect::Postgres, options)
            }
        };
        let options = options.disable_statement_logging();
        let (pool, writes) = match store_dialect {
            Dialect::Postgres => {
                let ack = open_pool(options.clone(), ACK_CONNECTIONS, Role::Any).await?;
                (
                    open_pool(options, PG_CONNECTIONS, Role::Any).await?,
                    Writes::Pool { ack },
                )
            }
            Dialect::Sqlite => {
                // The writer's connection first: it creates the file and
                // turns WAL on before the readers open it.
                let write_pool = open_pool(options.clone(), 1, Role::SqliteWriter).await?;
                let read_pool = open_pool(options, 4, Role::SqliteReader).await?;
                let writer = writer::GroupWriter::spawn(write_pool.clone());
                (read_pool, Writes::Group(writer, write_pool))
            }
        };
        Ok(Self {
            pool,
            writes,
            dialect: store_dialect,
            vault,
            local: LocalSlot::default(),
        })
    }

    /// The slot of this process's worker: jobs queued through this store
    /// go to it when it runs.
    pub fn local_runner(&self) -> &LocalSlot {
        &self.local
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
        let pool = match &self.writes {
            Writes::Pool { .. } => &self.pool,
            Writes::Group(_, pool) => pool,
        };
        self.migrator().run(pool).await?;
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
        self.begin_in(writer::Lane::Work, writer::Shape::Savepoint)
            .await
    }

    /// Starts the transaction that stores requests before they are
    /// acknowledged: on SQLite it goes ahead of other writers.
    pub async fn begin_for_ack(&self) -> Result<Tx, StoreError> {
        self.begin_in(writer::Lane::Ack, writer::Shape::Savepoint)
            .await
    }

    async fn begin_in(&self, lane: writer::Lane, shape: writer::Shape) -> Result<Tx, StoreError> {
        let mut tx = match &self.writes {
            Writes::Pool { ack } if lane == writer::Lane::Ack => Tx::pool(ack.begin().await?),
            Writes::Pool { .. } => Tx::pool(self.pool.begin().await?),
            Writes::Group(writer, _) => Tx::group(writer.begin(lane, shape).await?),
        };
        tx.runner = self.local.get();
        Ok(tx)
    }

    /// Runs one write statement in a transaction of its own.
    pub(crate) async fn write<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<sqlx::any::AnyQueryResult, StoreError> {
        match &self.writes {
            Writes::Pool { .. } => Ok(query.execute(&self.pool).await?),
            Writes::Group(..) => {
                let mut tx = self
                    .begin_in(writer::Lane::Work, writer::Shape::Bare)
                    .await?;
                let done = query.execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(done)
            }
        }
    }

    /// On SQLite, copies the write-ahead log into the database file and
    /// empties it, so what earlier versions of rows held is gone from both
    /// files; on PostgreSQL, nothing.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        if let Writes::Group(_, pool) = &self.writes {
            let mut conn = pool.acquire().await?;
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
        Ok(())
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        self.pool.close().await;
        let (Writes::Group(_, pool) | Writes::Pool { ack: pool }) = &self.writes;
        pool.close().await;
    }
}

/// How long the first PostgreSQL connection may take before startup gives
/// up; refusals, unknown hosts and bad passwords fail at once.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// One connection attempt before the pools open. The pools retry a refused
/// connection until their acquire timeout and report it once per pool, so
/// a wrong URL or a stopped server would take seconds and several lines to
/// show; this fails at once with one line.
async fn probe(url: &str, options: &AnyConnectOptions) -> Result<(), StoreError> {
    use sqlx::Connection as _;
    let problem = match tokio::time::timeout(PROBE_TIMEOUT, options.connect()).await {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            return Ok(());
        }
        Ok(Err(error)) => connect_problem(&error),
        Err(_) => format!("no answer within {} s", PROBE_TIMEOUT.as_secs()),
    };
    Err(StoreError::Unreachable(format!(
        "ZLACK_DATABASE_URL: cannot connect to {}: {}",
        crate::config::mask_url_password(url),
        problem.replace(['\r', '\n'], " ")
    )))
}

/// Why a connection failed, in a few words.
fn connect_problem(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused".into()
        }
        sqlx::Error::Io(e) => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
        sqlx::Error::Database(e) => e.message().to_owned(),
        sqlx::Error::Tls(e) => format!("TLS: {e}"),
        other => other.to_string(),
    }
}

/// Creates the SQLite file readable by its owner only (it holds personal
/// data, sealed or not); SQLite gives its `-wal` and `-shm` files the same
/// mode. An existing file is left as it is; a directory made for it is
/// its owner's alone too.
fn create_private(path: &std::path::Path) -> Result<(), StoreError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)
            .map_err(|e| StoreError::File(format!("creating {}: {e}", dir.display())))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::File(format!(
            "creating {}: {e}",
            path.display()
        ))),
    }
}

/// Creates `dir` and its missing parents with mode 0700; directories that
/// exist keep their mode.
pub(crate) fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// What a pool's connections are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// PostgreSQL: reads and writes.
    Any,
    /// SQLite: the one connection that writes.
    SqliteWriter,
    /// SQLite: reads only; a write through them is a bug and fails.
    SqliteReader,
}

/// PostgreSQL connections shared by jobs and reads (32 measured no
/// faster: the server's commits, not the pool, set the pace).
const PG_CONNECTIONS: u32 = 16;
/// PostgreSQL connections kept for storing requests before their ack.
const ACK_CONNECTIONS: u32 = 2;

async fn open_pool(
    options: AnyConnectOptions,
    max: u32,
    role: Role,
) -> Result<AnyPool, StoreError> {
    Ok(AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if role == Role::Any {
                    return Ok(());
                }
                // WAL lets readers run beside the writer; FULL makes every
                // commit durable before a request is acked. The busy
                // timeout covers other processes on the same file.
                // `secure_delete` zeroes what a delete or an update leaves
                // behind in a page, so purged personal data does not linger
                // in the file (FAST: without extra I/O).
                for pragma in [
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = FULL",
                    "PRAGMA busy_timeout = 10000",
                    "PRAGMA foreign_keys = ON",
                    "PRAGMA secure_delete = FAST",
                ] {
                    conn.execute(pragma).await?;
                }
                if role == Role::SqliteReader {
                    conn.execute("PRAGMA query_only = ON").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
}
