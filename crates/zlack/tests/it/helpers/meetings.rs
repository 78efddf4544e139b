//! Zoom's meeting webhooks for one occurrence, and what Slack ended up
//! showing, for the lifecycle tests.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicI64, Ordering};

use sandbox::{RecordedCall, SignAs, zoom_event};
use serde_json::{Value, json};
use zlack::clock::Clock;
use zlack::store::MeetingRow;

use super::TestApp;
use super::app::{BOT_TOKEN, TEAM};

static EVENT_TS: AtomicI64 = AtomicI64::new(1_764_230_000_000);

/// A distinct `event_ts` for each event built (a redelivery reuses its body).
fn next_ts() -> i64 {
    EVENT_TS.fetch_add(7, Ordering::Relaxed)
}

/// `2026-11-27T10:MM:SSZ`, `secs` after ten o'clock.
pub fn at(secs: i64) -> String {
    let base: jiff::Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
    (base + jiff::SignedDuration::from_secs(secs)).to_string()
}

/// One occurrence of a Zoom meeting: its webhooks.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub meeting_id: i64,
    pub uuid: String,
    pub host_id: String,
}

impl Occurrence {
    pub fn new(meeting_id: i64, uuid: &str, host_id: &str) -> Self {
        Self {
            meeting_id,
            uuid: uuid.into(),
            host_id: host_id.into(),
        }
    }

    fn object(&self, extra: Value) -> Value {
        let mut object = json!({
            "id": self.meeting_id,
            "uuid": self.uuid,
            "host_id": self.host_id,
            "topic": "Weekly sync",
            "type": 1,
            "duration": 60,
            "timezone": "Europe/Stockholm",
        });
        for (k, v) in extra.as_object().unwrap() {
            object[k] = v.clone();
        }
        object
    }

    pub fn started(&self, secs: i64) -> Value {
        let object = self.object(json!({"start_time": at(secs)}));
        zoom_event("meeting.started", next_ts(), object)
    }

    pub fn joined(&self, key: &str, name: &str, email: &str, secs: i64) -> Value {
        let object = self.object(json!({"participant": {
            "user_id": format!("1677{}", key.len()),
            "user_name": name,
            // Signed-in Zoom users have an id; guests do not.
            "id": if email.is_empty() { String::new() } else { format!("zu-{key}") },
            "participant_uuid": key,
            "email": email,
            "join_time": at(secs),
        }}));
        zoom_event("meeting.participant_joined", next_ts(), object)
    }

    pub fn left(&self, key: &str, name: &str, secs: i64) -> Value {
        let object = self.object(json!({"participant": {
            "user_id": format!("1677{}", key.len()),
            "user_name": name,
            "participant_uuid": key,
            "leave_time": at(secs),
            "leave_reason": "left the meeting",
        }}));
        zoom_event("meeting.participant_left", next_ts(), object)
    }

    pub fn ended(&self, start: i64, end: i64) -> Value {
        let object = self.object(json!({"start_time": at(start), "end_time": at(end)}));
        zoom_event("meeting.ended", next_ts(), object)
    }

    /// `recording.completed` with one MP4 per `(start, end)`.
    pub fn recording(&self, parts: &[(i64, i64)], passcode: Option<&str>) -> Value {
        let files: Vec<Value> = parts
            .iter()
            .enumerate()
            .map(|(i, (start, end))| {
                json!({
                    "id": format!("file-{}-{i}", self.uuid),
                    "meeting_id": self.uuid,
                    "recording_start": at(*start),
                    "recording_end": at(*end),
                    "file_type": "MP4",
                    "file_extension": "MP4",
                    "file_size": 1_048_576 * (i as u64 + 1),
                    "play_url": "https://zoom.us/rec/play/abc",
                    "download_url": "https://zoom.us/rec/download/abc",
                    "status": "completed",
                    "recording_type": "shared_screen_with_speaker_view",
                })
            })
            .collect();
        let mut object = self.object(json!({
            "share_url": format!("https://zoom.us/rec/share/{}", self.meeting_id),
            "password": passcode.unwrap_or_default(),
            "recording_play_passcode": passcode.unwrap_or_default(),
            "recording_count": files.len(),
            "total_size": 1,
            "recording_files": files,
            "host_email": "alice@example.com",
        }));
        object["start_time"] = at(0).into();
        let mut body = zoom_event("recording.completed", next_ts(), object);
        body["download_token"] = "dl-token".into();
        body
    }

    pub fn transcript(&self) -> Value {
        let object = self.object(json!({"recording_files": [{"file_type": "TRANSCRIPT"}]}));
        zoom_event("recording.transcript_completed", next_ts(), object)
    }

    pub fn summary(&self, title: &str, overview: Option<&str>, steps: &[&str]) -> Value {
        let mut object = json!({
            "meeting_host_id": self.host_id,
            "meeting_host_email": "alice@example.com",
            "meeting_uuid": self.uuid,
            "meeting_id": self.meeting_id,
            "meeting_topic": "Weekly sync",
            "meeting_start_time": at(0),
            "meeting_end_time": at(1800),
            "summary_start_time": at(0),
            "summary_end_time": at(1800),
            "summary_created_time": at(1900),
            "summary_last_modified_time": at(1900),
            "summary_title": title,
            "next_steps": steps,
        });
        if let Some(overview) = overview {
            object["summary_overview"] = overview.into();
        }
        zoom_event("meeting.summary_completed", next_ts(), object)
    }
}

/// A successful Slack post as the tests compare them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Post {
    /// Where: a channel id, or a user id for the app's DM.
    pub channel: String,
    /// A reply in a thread.
    pub threaded: bool,
    /// The fallback text and every block's text, joined.
    pub text: String,
}

impl TestApp {
    /// Zoom sends `body`, signed at the app's (manual) time.
    pub async fn zoom_hook(&self, body: &Value) {
        let sig = SignAs::Zoom {
            timestamp: self.clock.now_secs(),
        };
        let response = self
            .signer
            .raw(
                "/zoom/webhook",
                "application/json; charset=utf-8",
                body.to_string().into_bytes(),
                sig,
            )
            .await;
        assert_eq!(response.status(), 200, "webhook acknowledged");
    }

    /// Runs what is due, lets the end summary's settling time pass and
    /// runs what is due then.
    pub async fn settle(&self) {
        self.run_jobs().await;
        self.clock.advance_ms(61_000);
        self.run_jobs().await;
    }

    /// `user` announces a meeting with `/zoom text` in `channel`.
    pub async fn announce(&self, channel: &str, user: &str, text: &str) -> MeetingRow {
        self.slash(channel, user, text).await;
        self.run_jobs().await;
        self.store
            .latest_meeting_in(&TEAM.into(), &channel.into())
            .await
            .unwrap()
            .expect("the meeting was announced")
    }

    /// The Call as Slack's `calls.info` shows it.
    pub async fn call_info(&self, call_id: &str) -> Value {
        call_info_at(&self.slack, call_id).await
    }

    /// The Call's participants as `slack_id` or `external_id:name`.
    pub async fn call_users(&self, call_id: &str) -> BTreeSet<String> {
        let call = self.call_info(call_id).await;
        call["users"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|u| match u["slack_id"].as_str() {
                Some(id) => id.to_owned(),
                None => format!(
                    "{}:{}",
                    u["external_id"].as_str().unwrap_or_default(),
                    u["display_name"].as_str().unwrap_or_default()
                ),
            })
            .collect()
    }

    /// Successful calls to `method`.
    pub fn ok_calls(&self, method: &str) -> Vec<RecordedCall> {
        self.slack
            .calls_to(method)
            .into_iter()
            .filter(|c| c.method == method && c.succeeded())
            .collect()
    }

    /// Every message posted with `chat.postMessage` or a `response_url`
    /// that Slack accepted, after `skip` such posts.
    pub fn posts_after(&self, skip: usize) -> Vec<Post> {
        let mut posts: Vec<Post> = self
            .slack
            .calls()
            .into_iter()
            .filter(|c| {
                (c.method == "chat.postMessage" || c.method == "response_url") && c.succeeded()
            })
            .map(|c| Post {
                channel: c.args["channel"]
                    .as_str()
                    .unwrap_or("response_url")
                    .to_owned(),
                threaded: c.args.get("thread_ts").is_some(),
                text: text_of(&c.args),
            })
            .collect();
        posts.drain(..skip.min(posts.len()));
        posts
    }
}

/// A message's fallback text and the text of its blocks.
pub fn text_of(message: &Value) -> String {
    let mut out = message["text"].as_str().unwrap_or_default().to_owned();
    let blocks = match &message["blocks"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        other => other.clone(),
    };
    collect(&blocks, &mut out);
    out
}

fn collect(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "text"
                    && let Some(s) = v.as_str()
                {
                    out.push('\n');
                    out.push_str(s);
                    continue;
                }
                collect(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// Calls `method` of the fake Slack's Web API as the test bot.
async fn slack_api(slack: &sandbox::FakeSlack, method: &str, form: &[(&str, &str)]) -> Value {
    reqwest::Client::new()
        .post(format!("{}/{method}", slack.api_url()))
        .bearer_auth(BOT_TOKEN)
        .form(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The Call as the fake Slack's `calls.info` shows it to the test bot.
pub async fn call_info_at(slack: &sandbox::FakeSlack, call_id: &str) -> Value {
    let body = slack_api(slack, "calls.info", &[("id", call_id)]).await;
    assert_eq!(body["ok"], true, "calls.info: {body}");
    body["call"].clone()
}

/// A meeting announced in `channel` as `/zoom` leaves it: the Zoom
/// meeting recorded, a Call at the fake Slack, the card posted with a `ts`.
pub async fn seed_announcement(
    store: &zlack::store::Store,
    slack: &sandbox::FakeSlack,
    key: &str,
    channel: &str,
    zoom_meeting_id: i64,
) -> MeetingRow {
    use zlack::clock::SystemClock;
    use zlack::store::{NewMeeting, PostedVia};
    use zlack_domain::delivery::ConversationKind;
    let now = SystemClock.now_ms();
    let new = NewMeeting {
        conversation_kind: Some(ConversationKind::PublicChannel),
        ..super::db::new_meeting(key, TEAM, channel, super::people::ALICE)
    };
    let row = store.meeting_for_request(&new, now).await.unwrap();
    let join_url = format!("https://zoom.us/j/{zoom_meeting_id}");
    store
        .record_zoom_meeting(
            row.id,
            Some(zoom_meeting_id),
            Some(&format!("uuid-{zoom_meeting_id}==").into()),
            Some(&format!("Meeting {zoom_meeting_id}")),
            &join_url,
            now,
        )
        .await
        .unwrap();
    let call = slack_api(
        slack,
        "calls.add",
        &[
            ("external_unique_id", key),
            ("join_url", join_url.as_str()),
            ("created_by", super::people::ALICE),
        ],
    )
    .await;
    let call_id = call["call"]["id"].as_str().expect("a Call").to_owned();
    store.record_call(row.id, &call_id, now).await.unwrap();
    let ts = format!("1764230000.{:06}", zoom_meeting_id % 1_000_000);
    store
        .record_post(row.id, PostedVia::Chat, Some(&ts), now)
        .await
        .unwrap();
    store.meeting_by_id(row.id).await.unwrap().unwrap()
}
