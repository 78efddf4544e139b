//! A stand-in for Slack's Web API and Zoom's REST API that answers every
//! request after a fixed delay, as the real platforms do (100–300 ms).
//!
//! Unlike the `sandbox` fakes it keeps no state to check against: any
//! token works, every method answers a plausible success. Each request
//! waits on its own timer, so the delay never serializes requests. Every
//! call is recorded with when it was answered (its arrival plus the delay); the
//! answer time of a `chat.postMessage` is when its card is "posted".
//!
//! For the soak ([`crate::soak`]) it can also answer a share of Slack Web
//! API calls with HTTP 429 (`Retry-After`) or a 5xx before doing anything,
//! and count the effects it carried out by key ([`Stub::tally`]) instead of
//! keeping every call.

use std::collections::HashMap;
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

pub use answers::PHONE_MARKER;

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

/// Slack Web API faults: each call is answered 429 with probability
/// `rate_limited` and 500 or 503 with probability `server_error`, before
/// the stub does anything for it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    pub rate_limited: f64,
    pub server_error: f64,
    /// The `Retry-After` of a 429, in seconds.
    pub retry_after_secs: u64,
}

/// What the stub counted in tally mode.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Effects carried out (answered with success), by effect key.
    pub effects: HashMap<String, u32>,
    /// When each effect was first carried out.
    pub first: HashMap<String, Instant>,
    /// Each later copy of an effect, with when it was carried out.
    pub repeats: Vec<(String, Instant)>,
    /// Every answered call, by method.
    pub methods: HashMap<String, u64>,
    pub injected_429: u64,
    pub injected_5xx: u64,
}

struct Shared {
    delay: Duration,
    calls: Mutex<Vec<Call>>,
    serial: AtomicU64,
    faults: Faults,
    /// Tally mode: count effects by key rather than keep every call.
    tally: Option<Mutex<Tally>>,
    answered: AtomicU64,
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
        Self::start_with(delay, Faults::default(), false).await
    }

    /// Like [`Stub::start`], with Slack faults, and in tally mode when
    /// `tally` (no call is kept; see [`Stub::tally`]).
    pub async fn start_with(delay: Duration, faults: Faults, tally: bool) -> anyhow::Result<Self> {
        let shared = Arc::new(Shared {
            delay,
            calls: Mutex::new(Vec::new()),
            serial: AtomicU64::new(1),
            faults,
            tally: tally.then(|| Mutex::new(Tally::default())),
            answered: AtomicU64::new(0),
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

    /// How many requests were answered so far, faults included.
    pub fn answered(&self) -> u64 {
        self.shared.answered.load(Ordering::Relaxed)
    }

    /// What tally mode counted so far (empty otherwise).
    pub fn tally(&self) -> Tally {
        self.shared
            .tally
            .as_ref()
            .map(|t| t.lock().expect("stub tally").clone())
            .unwrap_or_default()
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
    shared.answered.fetch_add(1, Ordering::Relaxed);
    let path = uri.path();
    let serial = shared.serial.fetch_add(1, Ordering::Relaxed);
    if path.starts_with("/api/")
        && let Some(fault) = fault(&shared)
    {
        return fault;
    }
    let (label, key, users, response) = if let Some(name) = path.strip_prefix("/api/") {
        let args = args(&headers, uri.query(), &body);
        let (key, users, answer) = answers::slack(name, &args, serial);
        if let Some(tally) = &shared.tally {
            let mut tally = tally.lock().expect("stub tally");
            *tally.methods.entry(name.to_owned()).or_default() += 1;
            if let Some(effect) = answers::effect_key(name, &args) {
                let now = Instant::now();
                let count = tally.effects.entry(effect.clone()).or_default();
                *count += 1;
                if *count == 1 {
                    tally.first.insert(effect, now);
                } else {
                    tally.repeats.push((effect, now));
                }
            }
            return json_response(StatusCode::OK, answer);
        }
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
    if let Some(tally) = &shared.tally {
        // Zoom paths by shape: a segment with a digit is an id.
        let shape: Vec<&str> = label
            .split('/')
            .map(|s| {
                if s.chars().any(|c| c.is_ascii_digit()) {
                    "{id}"
                } else {
                    s
                }
            })
            .collect();
        let mut tally = tally.lock().expect("stub tally");
        *tally.methods.entry(shape.join("/")).or_default() += 1;
        return response;
    }
    let call = Call {
        method: label,
        key,
        users,
        answered: Instant::now(),
    };
    shared.calls.lock().expect("stub calls").push(call);
    response
}

/// A Slack fault to answer instead of the call, if the dice say so.
fn fault(shared: &Shared) -> Option<Response> {
    let faults = shared.faults;
    if faults.rate_limited <= 0.0 && faults.server_error <= 0.0 {
        return None;
    }
    let roll: f64 = rand::random();
    let count = |f: fn(&mut Tally) -> &mut u64| {
        if let Some(tally) = &shared.tally {
            *f(&mut tally.lock().expect("stub tally")) += 1;
        }
    };
    if roll < faults.rate_limited {
        count(|t| &mut t.injected_429);
        let mut response = json_response(
            StatusCode::TOO_MANY_REQUESTS,
            json!({"ok": false, "error": "ratelimited"}),
        );
        if let Ok(v) = faults.retry_after_secs.to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        Some(response)
    } else if roll < faults.rate_limited + faults.server_error {
        count(|t| &mut t.injected_5xx);
        let status = if roll < faults.rate_limited + faults.server_error / 2.0 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        Some((status, "upstream error").into_response())
    } else {
        None
    }
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
