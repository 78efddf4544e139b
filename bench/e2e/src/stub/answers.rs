//! What the stub answers: a plausible success for every Slack method and
//! Zoom endpoint the apps call.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{BOT_USER, json_response};
use crate::seed::TEAM;

/// Zoom meeting numbers the stub hands out start here.
const FIRST_MEETING_ID: u64 = 81_000_000_000;

fn arg<'a>(args: &'a Map<String, Value>, name: &str) -> &'a str {
    args.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The Slack user behind a bench email: `member007@…` is `U0BENCH007`.
fn user_for_email(email: &str) -> String {
    match email
        .split('@')
        .next()
        .and_then(|l| l.strip_prefix("member"))
    {
        Some(n) => format!("U0BENCH{n}"),
        None => "U0BENCHHOST".to_owned(),
    }
}

fn user(id: &str, email: &str) -> Value {
    json!({
        "id": id,
        "team_id": TEAM,
        "name": id.to_ascii_lowercase(),
        "real_name": "Bench User",
        "deleted": false,
        "is_bot": false,
        "is_admin": false,
        "tz": "Europe/Stockholm",
        "locale": "en-US",
        "profile": {"display_name": "Bench User", "real_name": "Bench User", "email": email},
    })
}

/// A Slack method's answer, with what the call is about.
pub(super) fn slack(
    name: &str,
    args: &Map<String, Value>,
    serial: u64,
) -> (Option<String>, Vec<String>, Value) {
    match name {
        "auth.test" => (
            None,
            Vec::new(),
            json!({
                "ok": true, "url": "https://bench.slack.com/", "team": "Bench", "user": "zlack",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BENCH", "is_enterprise_install": false,
            }),
        ),
        "users.info" => {
            let id = arg(args, "user");
            (
                None,
                Vec::new(),
                json!({"ok": true, "user": user(id, "host@bench.example")}),
            )
        }
        "users.lookupByEmail" => {
            let email = arg(args, "email");
            let answer = json!({"ok": true, "user": user(&user_for_email(email), email)});
            (None, Vec::new(), answer)
        }
        "calls.add" => {
            let id = format!("R0B{serial:09}");
            let answer = json!({"ok": true, "call": {
                "id": id, "join_url": arg(args, "join_url"), "date_start": 0,
                "external_unique_id": arg(args, "external_unique_id"),
            }});
            (None, Vec::new(), answer)
        }
        "calls.participants.add" | "calls.participants.remove" => {
            let users = match args.get("users") {
                Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
                Some(other) => other.clone(),
                None => Value::Null,
            };
            let ids = users
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|u| u["slack_id"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (Some(arg(args, "id").to_owned()), ids, json!({"ok": true}))
        }
        "conversations.info" => {
            let channel = arg(args, "channel");
            let answer = json!({"ok": true, "channel": {
                "id": channel, "name": channel.to_ascii_lowercase(), "is_channel": true,
                "is_private": false, "is_im": false, "is_mpim": false, "is_member": true,
                "is_archived": false, "is_shared": false, "is_ext_shared": false,
            }});
            (None, Vec::new(), answer)
        }
        "chat.postMessage" | "chat.postEphemeral" | "chat.update" => {
            let channel = arg(args, "channel").to_owned();
            let ts = format!("1764230000.{serial:06}");
            let answer = json!({"ok": true, "channel": channel, "ts": ts, "message": {"ts": ts}});
            (Some(channel), Vec::new(), answer)
        }
        _ => (None, Vec::new(), json!({"ok": true})),
    }
}

/// The effect a successful Slack call carried out, as the soak counts it:
/// `card:{channel}` (a card or other top-level post), `summary:{thread_ts}`
/// (a thread reply: the end summary), `phone:{n}` (a DM naming caller
/// `soakcaller{n}`), `unfurl:{ts}`, `add:{call}:{users}`,
/// `remove:{call}:{users}`, `end:{call}`.
pub(super) fn effect_key(name: &str, args: &Map<String, Value>) -> Option<String> {
    match name {
        "chat.postMessage" => {
            let thread = arg(args, "thread_ts");
            if !thread.is_empty() {
                return Some(format!("summary:{thread}"));
            }
            let text = Value::Object(args.clone()).to_string();
            if let Some(at) = text.find(PHONE_MARKER) {
                let digits: String = text[at + PHONE_MARKER.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                return Some(format!("phone:{digits}"));
            }
            Some(format!("card:{}", arg(args, "channel")))
        }
        "chat.unfurl" => {
            let ts = arg(args, "ts");
            let id = if ts.is_empty() {
                arg(args, "unfurl_id")
            } else {
                ts
            };
            Some(format!("unfurl:{id}"))
        }
        "calls.participants.add" | "calls.participants.remove" => {
            let (_, users, _) = slack(name, args, 0);
            let verb = if name.ends_with("add") {
                "add"
            } else {
                "remove"
            };
            Some(format!("{verb}:{}:{}", arg(args, "id"), users.join(",")))
        }
        "calls.end" => Some(format!("end:{}", arg(args, "id"))),
        _ => None,
    }
}

/// The soak names each phone caller `soakcaller{n}`.
pub const PHONE_MARKER: &str = "soakcaller";

/// A Zoom REST answer: creating a meeting gives a new instant meeting.
pub(super) fn zoom(method: &axum::http::Method, path: &str, body: &[u8], serial: u64) -> Response {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["users", _, "meetings"]) => {
            let asked: Value = serde_json::from_slice(body).unwrap_or_default();
            let id = FIRST_MEETING_ID + serial;
            let topic = asked["topic"].as_str().unwrap_or("Zoom meeting");
            let answer = json!({
                "id": id,
                "uuid": format!("bench{serial:016}=="),
                "host_id": "zu_bench_host",
                "host_email": "host@bench.example",
                "topic": topic,
                "type": 1,
                "status": "waiting",
                "timezone": "Europe/Stockholm",
                "created_at": "2026-11-27T10:00:00Z",
                "start_url": format!("https://zoom.us/s/{id}?zak=bench"),
                "join_url": format!("https://zoom.us/j/{id}?pwd=benchpwd{serial}"),
                "password": "123456",
                "settings": {"join_before_host": false, "waiting_room": false},
            });
            json_response(StatusCode::CREATED, answer)
        }
        ("GET", ["users", _]) => json_response(
            StatusCode::OK,
            json!({
                "id": "zu_bench_host", "email": "host@bench.example", "display_name": "Bench Host",
                "first_name": "Bench", "last_name": "Host", "type": 2, "status": "active",
                "pmi": 5_550_000_001u64, "personal_meeting_url": "https://zoom.us/j/5550000001",
                "timezone": "Europe/Stockholm", "account_id": sandbox::ZOOM_ACCOUNT_ID, "role_name": "Member",
            }),
        ),
        ("GET", ["whiteboards", id]) => json_response(
            StatusCode::OK,
            json!({
                "whiteboard_id": id, "name": format!("Board {id}"),
                "created_by_display_name": "Bench Host",
                "modified_by_display_name": "Bench Host",
                "modified_at": "2026-11-27T10:00:00Z",
            }),
        ),
        _ => json_response(StatusCode::OK, json!({})),
    }
}
