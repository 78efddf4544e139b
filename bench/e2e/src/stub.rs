//! A stand-in for Slack's Web API and Zoom's REST API that answers every
//! request after a fixed delay, as the real platforms do (100–300 ms).
//!
//! Unlike the `sandbox` fakes it keeps no state to check against: any
//! token works, every method answers a plausible success. Each request
//! waits on its own timer, so the delay never serializes requests. Every
//! call is recorded with when it was answered (its arrival plus the delay); the
//! answer time of a `chat.postMessage` is when its card is "posted".

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::seed::TEAM;

/// The bot user `auth.test` names.
pub const BOT_USER: &str = "U0ZLACKBOT";
/// Zoom meeting numbers the stub hands out start here.
const FIRST_MEETING_ID: u64 = 81_000_000_000;

/// One request the stub answered.
#[derive(Debug, Clone)]
pub struct Call {
    /// Slack: the Web API method, or `response_url`. Zoom: `"{METHOD} {path}"`
    /// with numbers and ids left as sent, e.g. `POST /users/me/meetings`.
    pub method: String,
    /// What the call is about: the `channel` of a `chat.postMessage`, the
    /// Call `id` of a `calls.participants.add`.
    pub key: Option<String>,
    /// The Slack users a `calls.participants.add` adds.
    pub users: Vec<String>,
    /// When the stub answered (the delay after the request arrived).
    pub answered: Instant,
}

struct Shared {
    delay: Duration,
    calls: Mutex<Vec<Call>>,
    serial: AtomicU64,
}

/// The running stub; dropping it stops serving.
pub struct Stub {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stub {
    /// Serves on a random port of 127.0.0.1, answering after `delay`.
    pub async fn start(delay: Duration) -> anyhow::Result<Self> {
        let shared = Arc::new(Shared {
            delay,
            calls: Mutex::new(Vec::new()),
            serial: AtomicU64::new(1),
        });
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let router = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Slack's Web API root, with the trailing slash the Bolt clients need.
    pub fn slack_api_url(&self) -> String {
        format!("{}/api/", self.base_url())
    }

    /// Zoom's REST API root.
    pub fn zoom_api_url(&self) -> String {
        format!("{}/v2", self.base_url())
    }

    /// A `response_url` for command `k` on this host (zlack answers only
    /// response URLs on Slack's API host).
    pub fn response_url(&self, k: usize) -> String {
        format!("{}/commands/{TEAM}/{k}/bench", self.base_url())
    }

    /// Every call answered so far, in answer order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.calls.lock().expect("stub calls").clone()
    }

    /// How many calls were answered so far.
    pub fn call_count(&self) -> usize {
        self.shared.calls.lock().expect("stub calls").len()
    }

    /// Forgets the calls answered so far.
    pub fn clear(&self) {
        self.shared.calls.lock().expect("stub calls").clear();
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    tokio::time::sleep(shared.delay).await;
    let path = uri.path();
    let serial = shared.serial.fetch_add(1, Ordering::Relaxed);
    let (label, key, users, response) = if let Some(name) = path.strip_prefix("/api/") {
        let args = args(&headers, uri.query(), &body);
        let (key, users, answer) = slack(name, &args, serial);
        (
            name.to_owned(),
            key,
            users,
            json_response(StatusCode::OK, answer),
        )
    } else if let Some(rest) = path.strip_prefix("/v2") {
        let label = format!("{method} {rest}");
        let response = zoom(&method, rest, &body, serial);
        (label, None, Vec::new(), response)
    } else if path.starts_with("/commands/") {
        let response = (StatusCode::OK, "ok").into_response();
        ("response_url".to_owned(), None, Vec::new(), response)
    } else if path == "/oauth/token" {
        let answer = json!({
            "access_token": format!("bench-zoom-access-{serial}"),
            "refresh_token": format!("bench-zoom-refresh-{serial}"),
            "token_type": "bearer",
            "expires_in": 3600,
            "scope": "meeting:write user:read",
        });
        let response = json_response(StatusCode::OK, answer);
        ("POST /oauth/token".to_owned(), None, Vec::new(), response)
    } else {
        let response = (StatusCode::NOT_FOUND, "not found").into_response();
        (format!("{method} {path}"), None, Vec::new(), response)
    };
    let call = Call {
        method: label,
        key,
        users,
        answered: Instant::now(),
    };
    shared.calls.lock().expect("stub calls").push(call);
    response
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// Query and body arguments, form-encoded or JSON, as one object.
fn args(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Map<String, Value> {
    let mut out = Map::new();
    let form = |raw: &[u8], out: &mut Map<String, Value>| {
        if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw) {
            for (k, v) in pairs {
                out.insert(k, Value::String(v));
            }
        }
    };
    if let Some(query) = query {
        form(query.as_bytes(), &mut out);
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        if let Ok(Value::Object(map)) = serde_json::from_slice(body) {
            out.extend(map);
        }
    } else {
        form(body, &mut out);
    }
    out
}

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
fn slack(
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
        "chat.postMessage" | "chat.postEphemeral" | "chat.update" => {
            let channel = arg(args, "channel").to_owned();
            let ts = format!("1764230000.{serial:06}");
            let answer = json!({"ok": true, "channel": channel, "ts": ts, "message": {"ts": ts}});
            (Some(channel), Vec::new(), answer)
        }
        _ => (None, Vec::new(), json!({"ok": true})),
    }
}

/// A Zoom REST answer: creating a meeting gives a new instant meeting.
fn zoom(method: &axum::http::Method, path: &str, body: &[u8], serial: u64) -> Response {
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
        _ => json_response(StatusCode::OK, json!({})),
    }
}
