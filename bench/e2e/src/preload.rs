//! Rows a busy install has accumulated, bulk-inserted before a run: the
//! tables that grow (inbox, jobs, meetings, occurrences, notices), every
//! row finished (processed, done, ended, delivered) and every sealed
//! column sealed as zlack seals it, with the same contexts.
//!
//! The mix follows one announced meeting's life: per meeting, 8 inbox rows
//! (its `/zoom` and 7 webhooks: started, 2 joined, 2 left, ended,
//! recording completed), 12 jobs (8 `inbox.process`, 2 `meeting.call`,
//! 2 `meeting.notice`), 1 occurrence and 2 notices: 24 rows. Meetings
//! spread over the last 60 days (retention keeps 90); inbox rows and jobs
//! over the last 6.5 days, since zlack prunes finished ones after 7.

use std::time::Instant;

use sqlx::Row as _;
use zlack::vault::Vault;

use crate::rows::{self, Val};
use crate::seed;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Meetings per transaction.
const UNITS_PER_TX: usize = 1000;
/// Zoom meeting numbers of preloaded meetings start here (the webhook
/// scenario's and the stub's are elsewhere).
const FIRST_ZOOM_ID: i64 = 70_000_000_000;

/// Where each table's new ids start.
struct Ids {
    inbox: i64,
    jobs: i64,
    meetings: i64,
    occurrences: i64,
}

async fn next_id(pool: &sqlx::AnyPool, table: &str) -> anyhow::Result<i64> {
    let row = sqlx::query(&format!(
        "SELECT COALESCE(MAX(id), 0) + 1 AS n FROM {table}"
    ))
    .fetch_one(pool)
    .await?;
    Ok(row.try_get::<i64, _>("n")?)
}

/// Migrates the database at `url` and adds about `total` finished rows.
pub async fn preload(url: &str, total: usize) -> anyhow::Result<()> {
    seed::seed(url).await?; // migrates; the workspace rows are small
    let pool = rows::connect(url).await?;
    let ids = Ids {
        inbox: next_id(&pool, "inbox").await?,
        jobs: next_id(&pool, "jobs").await?,
        meetings: next_id(&pool, "meetings").await?,
        occurrences: next_id(&pool, "occurrences").await?,
    };
    let units = total.div_ceil(24);
    let vault = Vault::new(&seed::encryption_key());
    let now = seed::now_ms();
    let started = Instant::now();
    let mut done = 0;
    while done < units {
        let n = UNITS_PER_TX.min(units - done);
        let mut tx = pool.begin().await?;
        let range = done..done + n;
        let meetings = range.clone().map(|u| meeting(&vault, &ids, u, units, now));
        rows::insert(&mut tx, "meetings", &MEETING_COLUMNS, meetings).await?;
        let occurrences = range
            .clone()
            .map(|u| occurrence(&vault, &ids, u, units, now));
        rows::insert(&mut tx, "occurrences", &OCCURRENCE_COLUMNS, occurrences).await?;
        let notices = range.clone().flat_map(|u| notices(&ids, u, units, now));
        rows::insert(&mut tx, "notices", &NOTICE_COLUMNS, notices).await?;
        let inbox = range.clone().flat_map(|u| (0..8).map(move |i| (u, i)));
        let inbox = inbox.map(|(u, i)| inbox_row(&vault, &ids, u * 8 + i, units * 8, now));
        rows::insert(&mut tx, "inbox", &INBOX_COLUMNS, inbox).await?;
        let jobs = range.flat_map(|u| (0..12).map(move |j| (u, j)));
        let jobs = jobs.map(|(u, j)| job_row(&vault, &ids, u, j, units, now));
        rows::insert(&mut tx, "jobs", &JOB_COLUMNS, jobs).await?;
        tx.commit().await?;
        done += n;
        if done % 10_000 < n {
            eprintln!(
                "[e2e] preload: {} of {} rows, {:.0} s",
                done * 24,
                units * 24,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if url.starts_with("postgres") {
        // Explicit ids leave the identity sequences behind; and give the
        // planner the statistics autovacuum would have gathered by now.
        for table in ["inbox", "jobs", "meetings", "occurrences"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&pool)
            .await?;
        }
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    pool.close().await;
    eprintln!(
        "[e2e] preload: {} rows in {:.1} s",
        units * 24,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `index` of `count` spread evenly over the `days` before `now`.
fn spread(index: usize, count: usize, days: f64, now: i64) -> i64 {
    let span = (days * DAY_MS as f64) as i64;
    now - span + (span as f64 * index as f64 / count.max(1) as f64) as i64
}

const MEETING_COLUMNS: [&str; 19] = [
    "id",
    "request_key",
    "team_id",
    "channel_id",
    "host_slack_user_id",
    "origin",
    "zoom_meeting_id",
    "zoom_uuid",
    "topic",
    "join_url",
    "call_id",
    "message_ts",
    "posted_via",
    "response_url",
    "response_url_expires_at",
    "created_at",
    "updated_at",
    "conversation_kind",
    "call_ended_by",
];

fn trigger(u: usize) -> String {
    format!(
        "{}.47445629121.{:032x}",
        398_738_663_015u64 + u as u64,
        u as u128 * 7919
    )
}

fn meeting(vault: &Vault, ids: &Ids, u: usize, units: usize, now: i64) -> Vec<Val> {
    let at = spread(u, units, 60.0, now);
    let request_key = format!("slack:command:{}", trigger(u));
    let zoom_id = FIRST_ZOOM_ID + u as i64;
    let response_url = format!(
        "https://hooks.slack.com/commands/{}/{}/{:024x}",
        seed::TEAM,
        7_000_000_000_000u64 + u as u64,
        u as u128 * 104_729
    );
    let sealed = vault.seal(
        response_url.as_bytes(),
        &format!("meeting:{request_key}:response_url"),
    );
    vec![
        Val::I(ids.meetings + u as i64),
        Val::T(request_key),
        Val::T(seed::TEAM.into()),
        Val::T(format!("C0P{:07}", u % 500)),
        Val::T(format!("U0P{:07}", u % 200)),
        Val::T("start".into()),
        Val::I(zoom_id),
        Val::T(format!("pre{u:019}==")),
        Val::T(format!("Member {}'s Zoom meeting", u % 200)),
        Val::T(format!("https://zoom.us/j/{zoom_id}?pwd=pre{u:022}")),
        Val::T(format!("R0P{u:010}")),
        Val::T(format!("{}.{:06}", at / 1000, u % 1_000_000)),
        Val::T("chat".into()),
        Val::B(sealed),
        Val::I(at + 30 * 60 * 1000),
        Val::I(at),
        Val::I(at + 45 * 60 * 1000),
        Val::T("public_channel".into()),
        Val::I(ids.occurrences + u as i64),
    ]
}

const OCCURRENCE_COLUMNS: [&str; 12] = [
    "id",
    "meeting_id",
    "zoom_uuid",
    "team_id",
    "channel_id",
    "zoom_host_id",
    "state",
    "call_shown",
    "ended_at",
    "created_at",
    "updated_at",
    "recording_key",
];

fn occurrence(vault: &Vault, ids: &Ids, u: usize, units: usize, now: i64) -> Vec<Val> {
    let at = spread(u, units, 60.0, now);
    let id = ids.occurrences + u as i64;
    let people: Vec<serde_json::Value> = (0..2)
        .map(|p| {
            serde_json::json!({
                "key": format!("pre-pu-{u}-{p}"), "name": format!("Member {p}"),
                "email": seed::member_email(p), "slack_id": format!("U0BENCH{p:03}"),
                "joined_at": at + 60_000, "left_at": at + 40 * 60_000,
            })
        })
        .collect();
    let state = serde_json::json!({
        "started_at": at + 30_000, "ended_at": at + 45 * 60_000, "host_id": "zu_pre_host",
        "topic": format!("Member {}'s Zoom meeting", u % 200), "participants": people,
        "call_ended": true, "recording": {"share_url": format!("https://zoom.us/rec/share/pre-{u}")},
    });
    let sealed = vault.seal(
        state.to_string().as_bytes(),
        &format!("occurrence:{id}:state"),
    );
    vec![
        Val::I(id),
        Val::I(ids.meetings + u as i64),
        Val::T(format!("pre{u:019}==")),
        Val::T(seed::TEAM.into()),
        Val::T(format!("C0P{:07}", u % 500)),
        Val::T("zu_pre_host".into()),
        Val::B(sealed),
        Val::T("[]".into()),
        Val::I(at + 45 * 60_000),
        Val::I(at + 30_000),
        Val::I(at + 50 * 60_000),
        Val::T(format!("{:064x}", u as u128 * 1_000_003)),
    ]
}

const NOTICE_COLUMNS: [&str; 6] = [
    "occurrence_id",
    "kind",
    "delivery",
    "channel_id",
    "message_ts",
    "created_at",
];

fn notices(ids: &Ids, u: usize, units: usize, now: i64) -> Vec<Vec<Val>> {
    let at = spread(u, units, 60.0, now);
    ["end_summary", "recording"]
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            vec![
                Val::I(ids.occurrences + u as i64),
                Val::T((*kind).into()),
                Val::T("thread".into()),
                Val::T(format!("C0P{:07}", u % 500)),
                Val::T(format!("{}.{:06}", at / 1000 + 3000, i)),
                Val::I(at + 46 * 60_000 + i as i64 * 60_000),
            ]
        })
        .collect()
}

const INBOX_COLUMNS: [&str; 7] = [
    "id",
    "source",
    "dedupe_key",
    "kind",
    "body",
    "received_at",
    "processed_at",
];

/// Inbox row `i` of `count`: every 8th is a `/zoom`, the others webhooks.
fn inbox_row(vault: &Vault, ids: &Ids, i: usize, count: usize, now: i64) -> Vec<Val> {
    let at = spread(i, count, 6.5, now);
    let (source, key, kind, body) = if i.is_multiple_of(8) {
        let channel = format!("C0P{:07}", (i / 8) % 500);
        let url = format!(
            "https://hooks.slack.com/commands/{}/{i}/{:024x}",
            seed::TEAM,
            i
        );
        let body = crate::load::command_body(&channel, &url);
        (
            "slack.command",
            format!("slack:command:{}", trigger(i)),
            "/zoom".to_owned(),
            body,
        )
    } else {
        let event = [
            "meeting.started",
            "meeting.participant_joined",
            "meeting.participant_joined",
            "meeting.participant_left",
            "meeting.participant_left",
            "meeting.ended",
            "recording.completed",
        ][i % 8 - 1];
        let body = crate::load::joined_body(i, at)
            .into_iter()
            .collect::<Vec<u8>>();
        let body = String::from_utf8_lossy(&body).replace("meeting.participant_joined", event);
        let key = format!("zoom:{event}:{at}:{:032x}", i as u128 * 2_654_435_761);
        ("zoom.webhook", key, event.to_owned(), body.into_bytes())
    };
    let sealed = vault.seal(&body, &format!("inbox:{key}"));
    vec![
        Val::I(ids.inbox + i as i64),
        Val::T(source.into()),
        Val::T(key),
        Val::T(kind),
        Val::B(sealed),
        Val::I(at),
        Val::I(at + 4 + (i % 40) as i64),
    ]
}

const JOB_COLUMNS: [&str; 10] = [
    "id",
    "kind",
    "idempotency_key",
    "payload",
    "status",
    "attempts",
    "max_attempts",
    "run_at",
    "created_at",
    "updated_at",
];

/// Job `j` (0..12) of meeting `u`: 8 process its inbox rows, 2 update its
/// Call, 2 deliver its notices.
fn job_row(vault: &Vault, ids: &Ids, u: usize, j: usize, units: usize, now: i64) -> Vec<Val> {
    let index = u * 12 + j;
    let at = spread(index, units * 12, 6.5, now);
    let occurrence = ids.occurrences + u as i64;
    let (kind, key, payload) = match j {
        0..8 => {
            let inbox_id = ids.inbox + (u * 8 + j) as i64;
            (
                "inbox.process",
                format!("inbox:{inbox_id}"),
                serde_json::json!({"inbox_id": inbox_id}),
            )
        }
        8 | 9 => {
            let inbox_id = ids.inbox + (u * 8 + j - 6) as i64;
            let payload = serde_json::json!({"occurrence": occurrence, "team": seed::TEAM});
            (
                "meeting.call",
                format!("meeting.call:{occurrence}:{inbox_id}"),
                payload,
            )
        }
        _ => {
            let notice = if j == 10 { "end_summary" } else { "recording" };
            let payload =
                serde_json::json!({"occurrence": occurrence, "notice": notice, "team": seed::TEAM});
            (
                "meeting.notice",
                format!("meeting.notice:{occurrence}:{notice}"),
                payload,
            )
        }
    };
    let sealed = vault.seal(payload.to_string().as_bytes(), &format!("job:{key}"));
    vec![
        Val::I(ids.jobs + index as i64),
        Val::T(kind.into()),
        Val::T(key),
        Val::B(sealed),
        Val::T("done".into()),
        Val::I(1),
        Val::I(12),
        Val::I(at),
        Val::I(at),
        Val::I(at + 150 + (index % 300) as i64),
    ]
}
