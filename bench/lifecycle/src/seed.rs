//! The world before the first webhook: a fresh database with the workspace
//! installed and one announced meeting per event (Zoom meeting, Slack Call
//! made at the fake with `calls.add`, card posted with a `ts`), and the
//! fake Slack's users and channel.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};
use sandbox::{ChannelKind, FakeSlack};
use serde_json::Value;
use sqlx::Connection as _;
use zlack::config::{DatabaseUrl, EncryptionKey, Secret};
use zlack::store::{
    ConversationKind, MeetingOrigin, NewMeeting, PostedVia, Store, TokenKind, TokenOwner, Workspace,
};
use zlack::vault::Vault;

use crate::Backend;

pub const TEAM: &str = "T0BENCH";
pub const BOT_TOKEN: &str = "xoxb-bench-bot-token";
pub const CHANNEL: &str = "C0BENCH";
/// The Slack user who announced every meeting.
pub const HOST: &str = "U0BENCHHOST";
/// Workspace members the participants' emails belong to (so a join costs
/// what it costs for a colleague: a `users.lookupByEmail`, then the Call).
pub const MEMBERS: usize = 50;
/// Meeting numbers start here; event `k` is about meeting `FIRST_MEETING + k`.
pub const FIRST_MEETING: i64 = 90_000_000_000;

/// One announced meeting, as the effect of its webhook will name it.
#[derive(Debug, Clone)]
pub struct Target {
    pub zoom_meeting_id: i64,
    /// The Slack Call (`calls.participants.add` carries it as `id`).
    pub call_id: String,
    /// The card's `ts` (thread replies carry it as `thread_ts`).
    pub message_ts: String,
}

pub fn member_id(n: usize) -> String {
    format!("U0BENCH{n:03}")
}

pub fn member_email(n: usize) -> String {
    format!("member{n:03}@bench.example")
}

/// The database the server will run on: a SQLite file in the run's
/// directory, or a uniquely named PostgreSQL database dropped afterwards.
pub struct Database {
    pub url: String,
    /// PostgreSQL: the server's maintenance URL and this run's database.
    postgres: Option<(String, String)>,
}

impl Database {
    pub async fn create(backend: Backend, dir: &Path, admin_url: &str) -> anyhow::Result<Self> {
        match backend {
            Backend::Sqlite => Ok(Self {
                url: format!("sqlite://{}", dir.join("zlack.db").display()),
                postgres: None,
            }),
            Backend::Postgres => {
                let name = format!("zlack_bench_{}", hex::encode(rand::random::<[u8; 6]>()));
                let mut conn = sqlx::PgConnection::connect(admin_url)
                    .await
                    .with_context(|| format!("connecting to PostgreSQL at {admin_url}"))?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .context("creating the benchmark database")?;
                conn.close().await.ok();
                let mut url = url::Url::parse(admin_url).context("--postgres-url")?;
                url.set_path(&format!("/{name}"));
                Ok(Self {
                    url: url.to_string(),
                    postgres: Some((admin_url.to_owned(), name)),
                })
            }
        }
    }

    /// Drops the PostgreSQL database (the SQLite file goes with the run's
    /// directory).
    pub async fn drop_database(&self) -> anyhow::Result<()> {
        if let Some((admin_url, name)) = &self.postgres {
            let mut conn = sqlx::PgConnection::connect(admin_url).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .with_context(|| format!("dropping database {name}"))?;
            conn.close().await.ok();
        }
        Ok(())
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The fake Slack's side: the workspace, the announcer, the members and
/// the public channel the cards went to.
pub fn populate_slack(slack: &FakeSlack) {
    slack.add_workspace(TEAM, BOT_TOKEN);
    slack.add_user(
        TEAM,
        HOST,
        "Bench Host",
        Some("host@bench.example"),
        "en-US",
        "Europe/Stockholm",
    );
    for n in 0..MEMBERS {
        let name = format!("Member {n}");
        let email = member_email(n);
        slack.add_user(
            TEAM,
            &member_id(n),
            &name,
            Some(&email),
            "en-US",
            "Europe/Stockholm",
        );
    }
    slack.add_channel(CHANNEL, ChannelKind::Public, true);
}

/// Migrates the database, installs the workspace and announces `n`
/// meetings; returns them in event order.
pub async fn seed(
    url: &str,
    key: &EncryptionKey,
    slack: &FakeSlack,
    n: usize,
) -> anyhow::Result<Vec<Target>> {
    let database = DatabaseUrl::parse(url).map_err(anyhow::Error::msg)?;
    let store = Store::connect(&database, Vault::new(key)).await?;
    store.migrate().await?;
    let now = now_ms();
    let mut tx = store.begin().await?;
    let workspace = Workspace {
        team_id: TEAM.into(),
        enterprise_id: None,
        team_name: Some("Bench".into()),
        bot_user_id: sandbox::BOT_USER_ID.into(),
        is_enterprise_install: false,
        installed_by: Some(HOST.into()),
        installed_at: now,
    };
    store.save_workspace(&mut tx, &workspace).await?;
    store
        .put_token(
            &mut tx,
            &TokenOwner::slack_team(TEAM),
            TokenKind::SlackBot,
            &Secret::new(BOT_TOKEN),
            None,
            now,
        )
        .await?;
    tx.commit().await?;

    // A few seeders at once: the Slack round trips overlap, the database
    // writes queue as they would anyway.
    const SEEDERS: usize = 8;
    let http = reqwest::Client::new();
    let api = slack.api_url();
    let mut tasks = tokio::task::JoinSet::new();
    for first in 0..SEEDERS {
        let (store, http, api) = (store.clone(), http.clone(), api.clone());
        tasks.spawn(async move {
            let mut out = Vec::new();
            for k in (first..n).step_by(SEEDERS) {
                out.push((k, announce(&store, &http, &api, k).await?));
            }
            anyhow::Ok(out)
        });
    }
    let mut targets: Vec<Option<Target>> = vec![None; n];
    while let Some(done) = tasks.join_next().await {
        for (k, target) in done?? {
            targets[k] = Some(target);
        }
    }
    store.close().await;
    targets
        .into_iter()
        .map(|t| t.context("a meeting was not seeded"))
        .collect()
}

/// What `/zoom` leaves behind for meeting `k`: the row, the Zoom meeting,
/// the Slack Call and the card's `ts`.
async fn announce(
    store: &Store,
    http: &reqwest::Client,
    api: &str,
    k: usize,
) -> anyhow::Result<Target> {
    let now = now_ms();
    let zoom_meeting_id = FIRST_MEETING + k as i64;
    let request_key = format!("bench-{k}");
    let new = NewMeeting {
        request_key: request_key.clone(),
        team_id: TEAM.into(),
        enterprise_id: None,
        channel_id: CHANNEL.into(),
        conversation_kind: Some(ConversationKind::PublicChannel),
        host_slack_user_id: HOST.into(),
        origin: MeetingOrigin::Start,
        response_url: None,
        response_url_expires_at: None,
    };
    let row = store.meeting_for_request(&new, now).await?;
    let join_url = format!("https://zoom.us/j/{zoom_meeting_id}");
    store
        .record_zoom_meeting(
            row.id,
            Some(zoom_meeting_id),
            Some(&format!("bench-announced-{k}==").into()),
            Some(&format!("Bench meeting {k}")),
            &join_url,
            now,
        )
        .await?;
    let answer: Value = http
        .post(format!("{api}/calls.add"))
        .bearer_auth(BOT_TOKEN)
        .form(&[
            ("external_unique_id", request_key.as_str()),
            ("join_url", join_url.as_str()),
            ("created_by", HOST),
        ])
        .send()
        .await?
        .json()
        .await?;
    let Some(call_id) = answer["call"]["id"].as_str() else {
        bail!("calls.add at the fake Slack failed: {answer}");
    };
    store.record_call(row.id, call_id, now).await?;
    let message_ts = format!("1764230000.{k:06}");
    store
        .record_post(row.id, PostedVia::Chat, Some(&message_ts), now)
        .await?;
    Ok(Target {
        zoom_meeting_id,
        call_id: call_id.to_owned(),
        message_ts,
    })
}
