//! The webhooks, and sending them open-loop: request `k` leaves at
//! `start + k / rate` whether or not earlier ones were answered, so a slow
//! server shows up as latency, not as a lower send rate.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sandbox::{unix_now, zoom_event, zoom_signature};
use serde_json::{Value, json};

use crate::Scenario;
use crate::seed::{self, Target};
use crate::server::CpuSample;

/// The participant who joins in event `k` (unique per event).
pub fn participant_key(k: usize) -> String {
    format!("bench-pu-{k}")
}

/// The workspace member the participant of event `k` is.
pub fn participant_member(k: usize) -> usize {
    k % seed::MEMBERS
}

/// The recording link of event `k` (unique per event).
pub fn share_url(k: usize) -> String {
    format!("https://zoom.us/rec/share/bench-{k}")
}

/// The body of webhook `k`: about meeting `k`, in an occurrence of its own.
pub fn body(scenario: Scenario, k: usize, target: &Target, event_ts: i64) -> Vec<u8> {
    let mut object = json!({
        "id": target.zoom_meeting_id,
        "uuid": format!("bench-{}-{k}==", scenario.name()),
        "host_id": "zu_bench_host",
        "topic": format!("Bench meeting {k}"),
        "type": 2,
        "duration": 60,
        "timezone": "Europe/Stockholm",
    });
    let body: Value = match scenario {
        Scenario::Joined => {
            let member = participant_member(k);
            object["participant"] = json!({
                "user_id": format!("{}", 16_778_240 + k),
                "user_name": format!("Member {member}"),
                // A signed-in Zoom user: only their email is matched
                // to a Slack user.
                "id": format!("zu-bench-member-{member}"),
                "participant_uuid": participant_key(k),
                "email": seed::member_email(member),
                "join_time": "2026-11-27T10:00:05Z",
            });
            zoom_event("meeting.participant_joined", event_ts, object)
        }
        Scenario::Recording => {
            object["start_time"] = "2026-11-27T10:00:00Z".into();
            object["share_url"] = share_url(k).into();
            object["password"] = "".into();
            object["recording_play_passcode"] = "".into();
            object["recording_count"] = 1.into();
            object["total_size"] = 1_048_576.into();
            object["host_email"] = "host@bench.example".into();
            object["recording_files"] = json!([{
                "id": format!("file-bench-{k}"),
                "meeting_id": format!("bench-{}-{k}==", scenario.name()),
                "recording_start": "2026-11-27T10:00:00Z",
                "recording_end": "2026-11-27T10:20:00Z",
                "file_type": "MP4",
                "file_extension": "MP4",
                "file_size": 1_048_576,
                "play_url": "https://zoom.us/rec/play/bench",
                "download_url": "https://zoom.us/rec/download/bench",
                "status": "completed",
                "recording_type": "shared_screen_with_speaker_view",
            }]);
            let mut body = zoom_event("recording.completed", event_ts, object);
            body["download_token"] = "bench-download-token".into();
            body
        }
    };
    body.to_string().into_bytes()
}

/// One webhook as sent.
#[derive(Debug, Clone, Copy)]
pub struct Sent {
    /// When the schedule said it should leave.
    pub scheduled: Instant,
    /// When the request was handed to the HTTP client.
    pub sent: Instant,
    /// When the answer arrived.
    pub answered: Instant,
    /// The HTTP status, or `None` for a transport error.
    pub status: Option<u16>,
}

/// What a sending pass came to.
pub struct Sending {
    /// Per webhook, in order.
    pub sent: Vec<Sent>,
    /// CPU counters when the first measured webhook left and after the last.
    pub window: (CpuSample, CpuSample),
}

/// Sends `bodies` to `{base_url}/zoom/webhook`, signed with `secret`, at
/// `rate` per second; CPU counters are read when webhook `measure_from`
/// leaves and after the last one.
pub async fn send_open_loop(
    base_url: &str,
    secret: &str,
    bodies: Vec<Vec<u8>>,
    rate: u32,
    measure_from: usize,
    server_pid: u32,
) -> anyhow::Result<Sending> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(256)
        .build()?;
    let url: Arc<str> = format!("{base_url}/zoom/webhook").into();
    let secret: Arc<str> = secret.into();
    let period = Duration::from_secs_f64(1.0 / f64::from(rate));
    let start = Instant::now() + Duration::from_millis(20);
    let n = bodies.len();
    let mut tasks = tokio::task::JoinSet::new();
    let mut first_sample = None;
    for (k, body) in bodies.into_iter().enumerate() {
        let scheduled = start + period.mul_f64(k as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        if k == measure_from {
            first_sample = Some(CpuSample::take(server_pid));
        }
        let (client, url, secret) = (client.clone(), url.clone(), secret.clone());
        tasks.spawn(async move {
            let timestamp = unix_now();
            let signature = zoom_signature(&secret, timestamp, &body);
            let sent = Instant::now();
            let result = client
                .post(&*url)
                .header("content-type", "application/json; charset=utf-8")
                .header("user-agent", "Zoom Marketplace/1.0a")
                .header("x-zm-request-timestamp", timestamp.to_string())
                .header("x-zm-signature", signature)
                .body(body)
                .send()
                .await;
            let status = match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let _ = response.bytes().await;
                    Some(status)
                }
                Err(_) => None,
            };
            let answered = Instant::now();
            (
                k,
                Sent {
                    scheduled,
                    sent,
                    answered,
                    status,
                },
            )
        });
    }
    let mut sent: Vec<Option<Sent>> = vec![None; n];
    while let Some(done) = tasks.join_next().await {
        let (k, s) = done?;
        sent[k] = Some(s);
    }
    let last_sample = CpuSample::take(server_pid);
    let first_sample = first_sample.unwrap_or(last_sample);
    Ok(Sending {
        sent: sent.into_iter().flatten().collect(),
        window: (first_sample, last_sample),
    })
}
