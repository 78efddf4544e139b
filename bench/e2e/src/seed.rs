//! zlack's database before the first command: the workspace installed,
//! its host connected to Zoom, and for the webhook scenario one announced
//! meeting (with its Slack Call) per webhook. Also the throwaway
//! databases themselves.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use sqlx::Connection as _;
use zlack::config::{DatabaseUrl, EncryptionKey, Secret};
use zlack::store::{LinkStatus, Store, TokenKind, TokenOwner, Workspace, ZoomLink};
use zlack::vault::Vault;

use crate::Backend;
use crate::rows::{Val, insert};

pub const TEAM: &str = "T0BENCH";
pub const BOT_TOKEN: &str = "xoxb-bench-bot-token";
/// The connected user who types every `/zoom`.
pub const HOST: &str = "U0BENCHHOST";
pub const ZOOM_USER: &str = "zu_bench_host";
pub const ZOOM_ACCESS_TOKEN: &str = "bench-zoom-access-token";
const ZOOM_REFRESH_TOKEN: &str = "bench-zoom-refresh-token";
/// Workspace members whose emails the webhook participants have.
pub const MEMBERS: usize = 50;
/// Announced meeting `k` of the webhook scenario is Zoom meeting
/// `FIRST_MEETING + k`.
pub const FIRST_MEETING: i64 = 90_000_000_000;
/// The channel the webhook scenario's meetings were announced in.
const CHANNEL: &str = "C0BENCH";

/// One fixed key for every bench database, so a preloaded template and
/// the rows seeded into its copies open with the same vault.
pub fn encryption_key() -> EncryptionKey {
    EncryptionKey(*b"zlack-bench-fixed-key-32-bytes!!")
}

pub fn member_email(n: usize) -> String {
    format!("member{n:03}@bench.example")
}

/// The Slack Call of announced meeting `k` (what `calls.participants.add`
/// names).
pub fn call_id(k: usize) -> String {
    format!("R0BENCH{k:08}")
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A database for one run: a SQLite file in the run's directory, or a
/// uniquely named PostgreSQL database dropped afterwards; either a copy of
/// a preloaded template or empty.
pub struct Database {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl Database {
    pub async fn create(
        backend: Backend,
        dir: &Path,
        admin_url: &str,
        template: Option<&str>,
    ) -> anyhow::Result<Self> {
        match backend {
            Backend::Sqlite => {
                let path = dir.join("zlack.db");
                if let Some(template) = template {
                    std::fs::copy(template, &path)
                        .with_context(|| format!("copying the preloaded database {template}"))?;
                }
                Ok(Self {
                    url: format!("sqlite://{}", path.display()),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let name = format!("zlack_bench_{}", hex::encode(rand::random::<[u8; 6]>()));
                create_postgres(admin_url, &name, template).await?;
                Ok(Self {
                    url: postgres_url(admin_url, &name)?,
                    postgres: Some((admin_url.to_owned(), name)),
                })
            }
        }
    }

    /// Drops the PostgreSQL database (a SQLite file goes with its directory).
    pub async fn drop_database(&self) -> anyhow::Result<()> {
        if let Some((admin_url, name)) = &self.postgres {
            drop_postgres(admin_url, name).await?;
        }
        Ok(())
    }
}

/// `admin_url` with its database replaced by `name`.
pub fn postgres_url(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(admin_url).context("--postgres-url")?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

pub async fn create_postgres(
    admin_url: &str,
    name: &str,
    template: Option<&str>,
) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .with_context(|| format!("connecting to PostgreSQL at {admin_url}"))?;
    let sql = match template {
        Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
        None => format!("CREATE DATABASE {name}"),
    };
    sqlx::query(&sql)
        .execute(&mut conn)
        .await
        .with_context(|| format!("creating database {name}"))?;
    conn.close().await.ok();
    Ok(())
}

pub async fn drop_postgres(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .with_context(|| format!("dropping database {name}"))?;
    conn.close().await.ok();
    Ok(())
}

/// Migrates, installs the workspace with its bot token and connects the
/// host to Zoom (a grant valid for a day), as the OAuth flows leave it.
pub async fn seed(url: &str) -> anyhow::Result<()> {
    let database = DatabaseUrl::parse(url).map_err(anyhow::Error::msg)?;
    let store = Store::connect(&database, Vault::new(&encryption_key())).await?;
    store.migrate().await?;
    let now = now_ms();
    let mut tx = store.begin().await?;
    let workspace = Workspace {
        team_id: TEAM.into(),
        enterprise_id: None,
        team_name: Some("Bench".into()),
        bot_user_id: crate::stub::BOT_USER.into(),
        is_enterprise_install: false,
        installed_by: Some(HOST.into()),
        installed_at: now,
    };
    store.save_workspace(&mut tx, &workspace).await?;
    let team = TokenOwner::slack_team(TEAM);
    store
        .put_token(
            &mut tx,
            &team,
            TokenKind::SlackBot,
            &Secret::new(BOT_TOKEN),
            None,
            now,
        )
        .await?;
    let link = ZoomLink {
        team_id: TEAM.into(),
        slack_user_id: HOST.into(),
        zoom_user_id: ZOOM_USER.into(),
        zoom_email: Some("host@bench.example".into()),
        zoom_account_id: Some(sandbox::ZOOM_ACCOUNT_ID.into()),
        status: LinkStatus::Ok,
        linked_at: now,
    };
    store.save_zoom_link(&mut tx, &link).await?;
    store
        .put_zoom_grant(
            &mut tx,
            &TokenOwner::zoom_user(ZOOM_USER),
            &Secret::new(ZOOM_ACCESS_TOKEN),
            Some(&Secret::new(ZOOM_REFRESH_TOKEN)),
            now + 24 * 3600 * 1000,
            now,
        )
        .await?;
    tx.commit().await?;
    store.close().await;
    Ok(())
}

/// Announces `n` meetings as `/zoom` leaves them (Zoom meeting, Slack
/// Call, card posted), in one public channel, with bulk inserts.
pub async fn announce(url: &str, n: usize) -> anyhow::Result<()> {
    let pool = crate::rows::connect(url).await?;
    let vault = Vault::new(&encryption_key());
    let now = now_ms();
    let columns = [
        "request_key",
        "team_id",
        "channel_id",
        "host_slack_user_id",
        "origin",
        "zoom_meeting_id",
        "zoom_uuid",
        "topic",
        "join_url_sealed",
        "call_id",
        "message_ts",
        "posted_via",
        "created_at",
        "updated_at",
        "conversation_kind",
    ];
    let rows = (0..n).map(|k| {
        let id = FIRST_MEETING + k as i64;
        vec![
            Val::T(format!("bench-{k}")),
            Val::T(TEAM.into()),
            Val::T(CHANNEL.into()),
            Val::T(HOST.into()),
            Val::T("start".into()),
            Val::I(id),
            Val::T(format!("bench-announced-{k}==")),
            Val::T(format!("Bench meeting {k}")),
            // Sealed as zlack seals join links.
            Val::B(vault.seal(
                format!("https://zoom.us/j/{id}").as_bytes(),
                &format!("meeting:bench-{k}:join_url"),
            )),
            Val::T(call_id(k)),
            Val::T(format!("1764230000.{k:06}")),
            Val::T("chat".into()),
            Val::I(now),
            Val::I(now),
            Val::T("public_channel".into()),
        ]
    });
    let mut tx = pool.begin().await?;
    insert(&mut tx, "meetings", &columns, rows).await?;
    tx.commit().await?;
    pool.close().await;
    Ok(())
}
