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

mod answers;

use crate::seed::TEAM;

/// The bot user `auth.test` names.
pub const BOT_USER: &str = "U0ZLACKBOT";

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
        let (key, users, answer) = answers::slack(name, &args, serial);
        (
            name.to_owned(),
            key,
            users,
            json_response(StatusCode::OK, answer),
        )
    } else if let Some(rest) = path.strip_prefix("/v2") {
        let label = format!("{method} {rest}");
        let response = answers::zoom(&method, rest, &body, serial);
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

pub(super) fn json_response(status: StatusCode, body: Value) -> Response {
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
