//! The load: signed `/zoom` commands (closed loop over a fixed number of
//! keep-alive connections, or open loop at a rate) and signed Zoom
//! webhooks (open loop).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sandbox::{slack_signature, slash_command_fields, unix_now, zoom_event, zoom_signature};
use serde_json::json;

use crate::seed;

/// One request as sent.
#[derive(Debug, Clone, Copy)]
pub struct Sent {
    /// When the schedule said it should leave (open loop), else `sent`.
    pub scheduled: Instant,
    /// When it was handed to the HTTP client.
    pub sent: Instant,
    /// When the answer arrived.
    pub answered: Instant,
    /// The HTTP status, or `None` for a transport error.
    pub status: Option<u16>,
}

/// What Slack signs: a request body and the headers of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signed {
    /// A form-encoded Slack request (slash command).
    Slack,
    /// A JSON Slack request (Events API).
    SlackJson,
    Zoom,
}

/// The channel command `k` is typed in: one per command, so its card is
/// found by channel. `prefix` keeps warm-up and measured commands apart.
pub fn channel(prefix: char, k: usize) -> String {
    format!("C0{prefix}{k:08}")
}

/// `/zoom` (no text: an instant meeting) by the connected host in
/// `channel`, answered through `response_url`.
pub fn command_body(channel: &str, response_url: &str) -> Vec<u8> {
    let fields = slash_command_fields(seed::TEAM, channel, seed::HOST, "", response_url);
    serde_urlencoded::to_string(fields)
        .unwrap_or_default()
        .into_bytes()
}

/// `meeting.participant_joined` of workspace member `k % MEMBERS` into
/// announced meeting `k`, in an occurrence of its own.
pub fn joined_body(k: usize, event_ts: i64) -> Vec<u8> {
    let member = k % seed::MEMBERS;
    let object = json!({
        "id": seed::FIRST_MEETING + k as i64,
        "uuid": format!("bench-joined-{k}=="),
        "host_id": "zu_bench_host",
        "topic": format!("Bench meeting {k}"),
        "type": 2,
        "duration": 60,
        "timezone": "Europe/Stockholm",
        "participant": {
            "user_id": format!("{}", 16_778_240 + k),
            "user_name": format!("Member {member}"),
            "id": format!("zu-bench-member-{member}"),
            "participant_uuid": format!("bench-pu-{k}"),
            "email": seed::member_email(member),
            "join_time": "2026-11-27T10:00:05Z",
        },
    });
    zoom_event("meeting.participant_joined", event_ts, object)
        .to_string()
        .into_bytes()
}

pub fn request(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    kind: Signed,
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    let timestamp = unix_now();
    match kind {
        Signed::Slack | Signed::SlackJson => client
            .post(url)
            .header(
                "content-type",
                if kind == Signed::Slack {
                    "application/x-www-form-urlencoded"
                } else {
                    "application/json"
                },
            )
            .header("x-slack-request-timestamp", timestamp.to_string())
            .header(
                "x-slack-signature",
                slack_signature(secret, timestamp, &body),
            )
            .body(body),
        Signed::Zoom => client
            .post(url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-zm-request-timestamp", timestamp.to_string())
            .header("x-zm-signature", zoom_signature(secret, timestamp, &body))
            .body(body),
    }
}

async fn send(request: reqwest::RequestBuilder, scheduled: Option<Instant>) -> Sent {
    let sent = Instant::now();
    let status = match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let _ = response.bytes().await;
            Some(status)
        }
        Err(_) => None,
    };
    Sent {
        scheduled: scheduled.unwrap_or(sent),
        sent,
        answered: Instant::now(),
        status,
    }
}

/// Sends every body as fast as answers come back, over `connections`
/// keep-alive connections (one client and connection per sender).
pub async fn closed_loop(
    url: &str,
    secret: &str,
    kind: Signed,
    bodies: Vec<Vec<u8>>,
    connections: usize,
) -> anyhow::Result<Vec<Sent>> {
    let n = bodies.len();
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections.max(1) {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(1)
            .build()?;
        let (bodies, next, url, secret) = (
            Arc::clone(&bodies),
            Arc::clone(&next),
            url.to_owned(),
            secret.to_owned(),
        );
        tasks.spawn(async move {
            let mut out = Vec::new();
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(k) else { break };
                let req = request(&client, &url, &secret, kind, body.clone());
                out.push((k, send(req, None).await));
            }
            out
        });
    }
    collect(tasks, n).await
}

/// Sends body `k` at `start + k / rate` whatever earlier ones are doing,
/// so a slow server shows up as latency rather than as a lower rate.
pub async fn open_loop(
    url: &str,
    secret: &str,
    kind: Signed,
    bodies: Vec<Vec<u8>>,
    rate: u32,
) -> anyhow::Result<Vec<Sent>> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(512)
        .build()?;
    let period = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
    let start = Instant::now() + Duration::from_millis(20);
    let n = bodies.len();
    let mut tasks = tokio::task::JoinSet::new();
    for (k, body) in bodies.into_iter().enumerate() {
        let scheduled = start + period.mul_f64(k as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let req = request(&client, url, secret, kind, body);
        tasks.spawn(async move { vec![(k, send(req, Some(scheduled)).await)] });
    }
    collect(tasks, n).await
}

async fn collect(
    mut tasks: tokio::task::JoinSet<Vec<(usize, Sent)>>,
    n: usize,
) -> anyhow::Result<Vec<Sent>> {
    let mut sent: Vec<Option<Sent>> = vec![None; n];
    while let Some(done) = tasks.join_next().await {
        for (k, s) in done? {
            sent[k] = Some(s);
        }
    }
    sent.into_iter()
        .map(|s| s.ok_or_else(|| anyhow::anyhow!("a request was not sent")))
        .collect()
}
