//! A fresh database per test, on the backend the run selects:
//! `ZLACK_TEST_DATABASE=sqlite` (default) or `postgres`, with
//! `ZLACK_TEST_POSTGRES_URL` naming the server's database for this run.
//! On PostgreSQL each test gets its own schema, so tests run in parallel.

use sqlx::Connection as _;
use zlack::config::Secret;
use zlack::config::{DatabaseUrl, EncryptionKey};
use zlack::store::{
    LinkStatus, MeetingOrigin, NewMeeting, Store, TokenKind, TokenOwner, Workspace, ZoomLink,
};
use zlack::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("ZLACK_TEST_DATABASE").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("ZLACK_TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

pub struct TestDb {
    /// The URL zlack is configured with.
    pub url: String,
    /// SQLite: the database file.
    pub path: Option<std::path::PathBuf>,
    /// PostgreSQL: this test's schema.
    pub schema: Option<String>,
    _dir: tempfile::TempDir,
}

/// The key every test app seals with.
pub fn test_key() -> EncryptionKey {
    EncryptionKey([42u8; 32])
}

impl TestDb {
    pub async fn new() -> Self {
        Self::on(backend()).await
    }

    /// A fresh database on `backend`, whatever the run selects.
    pub async fn on(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let path = dir.path().join("zlack.db");
                Self {
                    url: format!("sqlite://{}", path.display()),
                    path: Some(path),
                    schema: None,
                    _dir: dir,
                }
            }
            Backend::Postgres => {
                let base = std::env::var("ZLACK_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let schema = format!("t_{}", hex::encode(rand::random::<[u8; 8]>()));
                let mut conn = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL for tests: {e}"));
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .await
                    .expect("create schema");
                conn.close().await.ok();
                let sep = if base.contains('?') { '&' } else { '?' };
                Self {
                    url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                    path: None,
                    schema: Some(schema),
                    _dir: dir,
                }
            }
        }
    }

    pub fn database_url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url).expect("test database URL parses")
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> Store {
        let store = Store::connect(&self.database_url(), Vault::new(&test_key()))
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        store
    }

    /// A migrated store where the test workspace is installed.
    pub async fn installed_store(&self) -> Store {
        use super::app::{BOT_TOKEN, TEAM};
        let store = self.store().await;
        seed_install(&store, &workspace(TEAM, None), BOT_TOKEN, 0).await;
        store
    }

    /// On PostgreSQL: this test's schema, a connection, and its tables.
    async fn postgres_tables(&self) -> (&str, sqlx::PgConnection, Vec<String>) {
        let schema = self.schema.as_deref().expect("postgres schema");
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
        )
        .bind(schema)
        .fetch_all(&mut conn)
        .await
        .expect("list tables");
        (schema, conn, tables)
    }

    /// How many rows each table holds, by table name (migration
    /// bookkeeping included).
    pub async fn row_counts(&self) -> std::collections::BTreeMap<String, i64> {
        let mut counts = std::collections::BTreeMap::new();
        if let Some(path) = &self.path {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("connect");
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut conn)
            .await
            .expect("list tables");
            for table in tables {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\""))
                    .fetch_one(&mut conn)
                    .await
                    .expect("count rows");
                counts.insert(table, n);
            }
            return counts;
        }
        let (schema, mut conn, tables) = self.postgres_tables().await;
        for table in tables {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {schema}.\"{table}\""))
                .fetch_one(&mut conn)
                .await
                .expect("count rows");
            counts.insert(table, n);
        }
        counts
    }

    /// Runs `sql` straight on the database, past the store: to write what
    /// the store itself never would.
    pub async fn execute(&self, sql: &str) {
        if let Some(path) = &self.path {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("connect");
            sqlx::raw_sql(sql).execute(&mut conn).await.expect(sql);
            conn.close().await.ok();
            return;
        }
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        sqlx::raw_sql(sql).execute(&mut conn).await.expect(sql);
        conn.close().await.ok();
    }

    /// Holds a lock on the inbox from another connection, so the app's
    /// inbox writes wait until [`InboxLock::release`].
    pub async fn lock_inbox(&self) -> InboxLock {
        if let Some(path) = &self.path {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("connect");
            sqlx::raw_sql("BEGIN IMMEDIATE")
                .execute(&mut conn)
                .await
                .expect("lock");
            return InboxLock::Sqlite(conn);
        }
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        sqlx::raw_sql("BEGIN; LOCK TABLE inbox IN EXCLUSIVE MODE")
            .execute(&mut conn)
            .await
            .expect("lock");
        InboxLock::Postgres(conn)
    }

    /// Every byte the database holds, as stored: the SQLite files, or on
    /// PostgreSQL every column of every table of this schema as text.
    pub async fn raw_contents(&self) -> Vec<u8> {
        if let Some(path) = &self.path {
            let mut bytes = Vec::new();
            for suffix in ["", "-wal", "-shm"] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                bytes.extend(std::fs::read(std::path::PathBuf::from(name)).unwrap_or_default());
            }
            return bytes;
        }
        let (schema, mut conn, tables) = self.postgres_tables().await;
        let mut bytes = Vec::new();
        for table in tables {
            let rows: Vec<String> =
                sqlx::query_scalar(&format!("SELECT t::text FROM {schema}.{table} t"))
                    .fetch_all(&mut conn)
                    .await
                    .expect("dump table");
            for row in rows {
                bytes.extend(row.into_bytes());
            }
        }
        bytes
    }
}

/// A workspace installed on its own (not org-wide), as an install stores it.
pub fn workspace(team_id: &str, team_name: Option<&str>) -> Workspace {
    Workspace {
        team_id: team_id.into(),
        enterprise_id: None,
        team_name: team_name.map(Into::into),
        bot_user_id: sandbox::BOT_USER_ID.into(),
        is_enterprise_install: false,
        installed_by: None,
        installed_at: 0,
    }
}

/// Stores `workspace` and its bot token in one transaction, as an install
/// does.
pub async fn seed_install(store: &Store, workspace: &Workspace, bot_token: &str, now_ms: i64) {
    let mut tx = store.begin().await.unwrap();
    store.save_workspace(&mut tx, workspace).await.unwrap();
    store
        .put_token(
            &mut tx,
            &TokenOwner::slack_team(&workspace.team_id),
            TokenKind::SlackBot,
            &Secret::new(bot_token),
            None,
            now_ms,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Stores one token of `owner` that never expires, in its own transaction.
pub async fn seed_token(store: &Store, owner: &TokenOwner, kind: TokenKind, secret: &str) {
    let mut tx = store.begin().await.unwrap();
    store
        .put_token(&mut tx, owner, kind, &Secret::new(secret), None, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A working link of `slack_user` of `team` to `zoom_user`, made at time 0,
/// with no email or account known.
pub fn zoom_link(team: &str, slack_user: &str, zoom_user: &str) -> ZoomLink {
    ZoomLink {
        team_id: team.into(),
        slack_user_id: slack_user.into(),
        zoom_user_id: zoom_user.into(),
        zoom_email: None,
        zoom_account_id: None,
        status: LinkStatus::Ok,
        linked_at: 0,
    }
}

/// A meeting `host` asked for with `/zoom` in `channel` of `team`, keyed
/// `key`, with no conversation kind or answer URL known.
pub fn new_meeting(key: &str, team: &str, channel: &str, host: &str) -> NewMeeting {
    NewMeeting {
        request_key: key.into(),
        team_id: team.into(),
        enterprise_id: None,
        channel_id: channel.into(),
        conversation_kind: None,
        host_slack_user_id: host.into(),
        origin: MeetingOrigin::Start,
        response_url: None,
        response_url_expires_at: None,
    }
}

/// A transaction keeping the app's inbox writes waiting.
pub enum InboxLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl InboxLock {
    /// Ends the transaction; the waiting writes go ahead.
    pub async fn release(self) {
        match self {
            Self::Sqlite(mut conn) => {
                sqlx::raw_sql("ROLLBACK")
                    .execute(&mut conn)
                    .await
                    .expect("unlock");
                conn.close().await.ok();
            }
            Self::Postgres(mut conn) => {
                sqlx::raw_sql("ROLLBACK")
                    .execute(&mut conn)
                    .await
                    .expect("unlock");
                conn.close().await.ok();
            }
        }
    }
}
