//! Where each webhook's time went, from the timestamps zlack stores (Unix
//! milliseconds) and this harness's send and arrival times:
//!
//! - `send_to_batch`: sent → the ingest writer took it (`inbox.received_at`)
//! - `batch_to_fold`: → its `inbox.process` job began folding it
//!   (`inbox.processed_at`): the inbox commit, the wake-up, the claim and
//!   reading the row
//! - `fold_to_settled`: → that job was settled (`jobs.updated_at`): the
//!   fold transaction (state, effect jobs) and the settle
//! - `settled_to_slack`: → the effect reached the fake Slack: claiming the
//!   effect job and running it up to the Slack call
//!
//! Read-only, after the run: the server is idle by then.

use std::collections::HashMap;
use std::ops::Range;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use sqlx::Row as _;

use crate::Scenario;
use crate::load::Sent;
use crate::report::Effects;

const STAGES: [&str; 4] = [
    "send_to_batch",
    "batch_to_fold",
    "fold_to_settled",
    "settled_to_slack",
];

/// Converts this process's `Instant`s to Unix milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct WallClock {
    instant: Instant,
    unix_ms: f64,
}

impl WallClock {
    pub fn now() -> Self {
        let unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or_default();
        Self {
            instant: Instant::now(),
            unix_ms,
        }
    }

    pub fn ms(&self, at: Instant) -> f64 {
        match at.checked_duration_since(self.instant) {
            Some(after) => self.unix_ms + after.as_secs_f64() * 1000.0,
            None => self.unix_ms - self.instant.duration_since(at).as_secs_f64() * 1000.0,
        }
    }
}

/// What the database says about webhook `k`.
#[derive(Debug, Default, Clone, Copy)]
struct Stored {
    received_at: Option<i64>,
    processed_at: Option<i64>,
    inbox_job_settled: Option<i64>,
    effect_attempts: Option<i64>,
}

/// Stage percentiles over the measured webhooks, and the mean of each stage
/// over the slowest 1 % (where the tail's time goes).
#[allow(clippy::too_many_arguments)]
pub async fn stages(
    database_url: &str,
    scenario: Scenario,
    first_event_ts: i64,
    clock: WallClock,
    sent: &[Sent],
    effects: &Effects,
    measured: Range<usize>,
) -> anyhow::Result<Value> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await?;
    let n = sent.len();
    let mut stored = vec![Stored::default(); n];
    let event_of = |event_ts: i64| -> Option<usize> {
        usize::try_from(event_ts - first_event_ts)
            .ok()
            .filter(|&k| k < n)
    };
    // Inbox rows: the dedupe key carries the event_ts, which names k.
    let mut inbox_event: HashMap<i64, usize> = HashMap::new();
    for row in sqlx::query("SELECT id, dedupe_key, received_at, processed_at FROM inbox")
        .fetch_all(&pool)
        .await?
    {
        let key: String = row.try_get("dedupe_key")?;
        let Some(k) = key
            .split(':')
            .nth(2)
            .and_then(|ts| ts.parse().ok())
            .and_then(event_of)
        else {
            continue;
        };
        inbox_event.insert(row.try_get("id")?, k);
        stored[k].received_at = row.try_get("received_at")?;
        stored[k].processed_at = row.try_get("processed_at")?;
    }
    let mut occurrence_event: HashMap<String, usize> = HashMap::new();
    for row in sqlx::query("SELECT id, zoom_uuid FROM occurrences")
        .fetch_all(&pool)
        .await?
    {
        let id: i64 = row.try_get("id")?;
        let uuid: String = row.try_get("zoom_uuid")?;
        if let Some(k) = uuid
            .trim_end_matches("==")
            .rsplit('-')
            .next()
            .and_then(|k| k.parse::<usize>().ok())
            .filter(|&k| k < n)
        {
            occurrence_event.insert(id.to_string(), k);
        }
    }
    for row in sqlx::query("SELECT kind, idempotency_key, attempts, updated_at FROM jobs")
        .fetch_all(&pool)
        .await?
    {
        let kind: String = row.try_get("kind")?;
        let key: String = row.try_get("idempotency_key")?;
        let parts: Vec<&str> = key.split(':').collect();
        match kind.as_str() {
            "inbox.process" => {
                let Some(&k) = parts
                    .get(1)
                    .and_then(|id| id.parse::<i64>().ok())
                    .and_then(|id| inbox_event.get(&id))
                else {
                    continue;
                };
                stored[k].inbox_job_settled = row.try_get("updated_at")?;
            }
            // meeting.call:{occurrence}:{inbox id}
            "meeting.call" if scenario == Scenario::Joined => {
                if let Some(&k) = parts
                    .get(2)
                    .and_then(|id| id.parse::<i64>().ok())
                    .and_then(|id| inbox_event.get(&id))
                {
                    stored[k].effect_attempts = row.try_get("attempts")?;
                }
            }
            // meeting.notice:{occurrence}:recording
            "meeting.notice" if scenario == Scenario::Recording => {
                if parts.get(2) == Some(&"recording")
                    && let Some(&k) = parts.get(1).and_then(|o| occurrence_event.get(*o))
                {
                    stored[k].effect_attempts = row.try_get("attempts")?;
                }
            }
            _ => {}
        }
    }
    pool.close().await;

    // Per measured webhook that arrived: the four stages in ms.
    let mut rows: Vec<(f64, [f64; 4])> = Vec::new();
    let mut retried = 0;
    for k in measured {
        let s = stored[k];
        if s.effect_attempts.is_some_and(|a| a > 1) {
            retried += 1;
        }
        let (Some(first), Some(received), Some(processed), Some(settled)) = (
            effects.arrivals[k].iter().min(),
            s.received_at,
            s.processed_at,
            s.inbox_job_settled,
        ) else {
            continue;
        };
        let sent_ms = clock.ms(sent[k].sent);
        let slack_ms = clock.ms(*first);
        let stages = [
            received as f64 - sent_ms,
            (processed - received) as f64,
            (settled - processed) as f64,
            slack_ms - settled as f64,
        ];
        rows.push((slack_ms - sent_ms, stages));
    }
    let mut out = serde_json::Map::new();
    for (i, name) in STAGES.iter().enumerate() {
        let mut v: Vec<f64> = rows.iter().map(|r| r.1[i]).collect();
        v.sort_by(f64::total_cmp);
        out.insert(
            (*name).into(),
            json!({
                "p50_ms": pct(&v, 0.50),
                "p90_ms": pct(&v, 0.90),
                "p99_ms": pct(&v, 0.99),
                "max_ms": v.last().map(|m| round(*m)),
            }),
        );
    }
    // The slowest 1 %: the mean of each stage.
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let tail = &rows[..rows.len().div_ceil(100).min(rows.len())];
    let mut slowest = serde_json::Map::new();
    for (i, name) in STAGES.iter().enumerate() {
        let mean = tail.iter().map(|r| r.1[i]).sum::<f64>() / tail.len().max(1) as f64;
        slowest.insert((*name).into(), json!(round(mean)));
    }
    out.insert("slowest_1pct_mean_ms".into(), Value::Object(slowest));
    out.insert("effect_jobs_retried".into(), json!(retried));
    Ok(Value::Object(out))
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn pct(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(round(sorted[rank.clamp(1, sorted.len()) - 1]))
}
