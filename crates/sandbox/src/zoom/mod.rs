//! A fake Zoom: OAuth at `/oauth/*`, REST API under `/v2`, WebSocket
//! event subscriptions at `/ws`.

mod layer;
mod meetings;
mod oauth;
mod phone;
mod state;
mod users;
mod whiteboards;
mod ws;

pub use whiteboards::PREVIEW_PNG;

use crate::fault::Fault;
use crate::ids;
use crate::record::RecordedCall;
use crate::server::{self, Server};
use axum::Router;
use serde_json::Value;
use state::{Shared, Subject};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// A Zoom user known to the fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoomUser {
    /// Zoom user id.
    pub id: String,
    /// Email; users can be looked up by it.
    pub email: String,
    /// Name shown in meetings.
    pub display_name: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Personal meeting id.
    pub pmi: i64,
    /// Join link of the personal meeting room.
    pub personal_meeting_url: String,
    /// Personal link name (`zoom.us/my/{vanity_name}`).
    pub vanity_name: Option<String>,
    /// IANA time zone, e.g. `Europe/Stockholm`.
    pub timezone: String,
    /// The account the user belongs to.
    pub account_id: String,
    /// `"owner"`, `"admin"` or `"member"` (the roles every account has), or
    /// the name of a custom role. Owners, admins and custom roles that may
    /// read users act on other users of their account.
    pub role: String,
    /// A custom role's privileges (`"User:Read"`, `"MarketPlace:Edit"`, as
    /// `GET /users/{userId}/permissions` lists them); `None` gives the
    /// owner's, admin's or member's defaults, and a custom role none.
    pub privileges: Option<Vec<String>>,
    /// `"active"`, or `"inactive"` for a deactivated user who cannot host.
    pub status: String,
}

impl ZoomUser {
    /// An active member of [`crate::ZOOM_ACCOUNT_ID`] in UTC, with a fresh PMI.
    pub fn new(id: &str, email: &str, display_name: &str) -> Self {
        let (first, last) = display_name.split_once(' ').unwrap_or((display_name, ""));
        let pmi = 5_550_000_000 + i64::try_from(ids::next()).unwrap_or(0);
        Self {
            id: id.to_owned(),
            email: email.to_owned(),
            display_name: display_name.to_owned(),
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            pmi,
            personal_meeting_url: format!("https://zoom.us/j/{pmi}?pwd={}", ids::random_alnum(32)),
            vanity_name: None,
            timezone: "UTC".to_owned(),
            account_id: crate::ZOOM_ACCOUNT_ID.to_owned(),
            role: "member".to_owned(),
            privileges: None,
            status: "active".to_owned(),
        }
    }
}

/// A fake Zoom. Calls are recorded as `"{METHOD} {path}"` with the path as
/// received minus `/v2` (`"POST /users/me/meetings"`, `"POST /oauth/token"`).
///
/// A fault key matches a call when it is a prefix of that string or equals
/// its route template (`"POST /users/{userId}/meetings"`,
/// `"GET /meetings/{meetingId}"`, `"GET /past_meetings/{meetingId}/participants"`).
/// Clones share one server, which stops when the last clone is dropped.
#[derive(Clone)]
pub struct FakeZoom {
    shared: Arc<Shared>,
    server: Arc<Server>,
    date_offset: Arc<AtomicI64>,
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(oauth::router())
        .merge(users::router())
        .merge(meetings::router())
        .merge(whiteboards::router())
        .merge(phone::router())
        .merge(ws::router())
        .fallback(layer::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            layer::record,
        ))
        .with_state(shared)
}

impl FakeZoom {
    /// Starts serving on `127.0.0.1` with a random port.
    pub async fn start() -> Self {
        let mut shared = None;
        let date_offset = Arc::new(AtomicI64::new(0));
        let server = server::start(|base_url| {
            let state = Arc::new(Shared::new(base_url));
            shared = Some(Arc::clone(&state));
            router(state).layer(axum::middleware::from_fn_with_state(
                Arc::clone(&date_offset),
                crate::http::stamp_date,
            ))
        })
        .await;
        let shared = shared.expect("router built with its state");
        Self {
            shared,
            server: Arc::new(server),
            date_offset,
        }
    }

    /// The `Date` header of every answer from now on is `secs` seconds off
    /// the real time (negative: behind), as from a platform whose clock
    /// disagrees with this machine's.
    pub fn set_clock_offset(&self, secs: i64) {
        self.date_offset.store(secs, Ordering::Relaxed);
    }

    /// `http://127.0.0.1:PORT`; also the `api_url` token responses carry.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// The REST API root: base URL + `/v2`.
    pub fn api_url(&self) -> String {
        format!("{}/v2", self.base_url())
    }

    /// The OAuth root: `/oauth/authorize`, `/oauth/token` and `/oauth/revoke`
    /// live under it.
    pub fn oauth_url(&self) -> String {
        self.base_url()
    }

    /// The app's credentials, checked (as HTTP Basic) by token and revoke.
    pub fn set_client(&self, client_id: &str, client_secret: &str) {
        self.shared.data().client = Some((client_id.to_owned(), client_secret.to_owned()));
    }

    /// Adds or replaces a user.
    pub fn add_user(&self, user: ZoomUser) {
        self.shared.data().users.insert(user.id.clone(), user);
    }

    /// The user who approves at the authorize page, until changed.
    pub fn set_next_login(&self, zoom_user_id: &str) {
        self.shared.data().next_login = Some(zoom_user_id.to_owned());
    }

    /// Lifetime of access tokens issued from now on (default 3600 s).
    pub fn set_access_token_ttl(&self, secs: i64) {
        self.shared.data().access_ttl = secs;
    }

    /// Every access token issued so far is expired (401, code 124).
    pub fn expire_access_tokens(&self) {
        self.shared.data().expire_access_tokens();
    }

    /// The user's refresh tokens stop working, as when the app is removed.
    pub fn revoke_refresh_tokens_of(&self, zoom_user_id: &str) {
        let subject = Subject::User(zoom_user_id.to_owned());
        self.shared.data().drop_refresh_tokens(&subject);
    }

    /// A meeting for `GET /meetings/{id}`, found by its `id` or `uuid`.
    pub fn add_meeting(&self, meeting: Value) {
        meetings::store(&mut self.shared.data(), meeting);
    }

    /// Participants answered by `GET /past_meetings/{uuid}/participants`.
    pub fn set_past_participants(&self, uuid: &str, participants: Vec<Value>) {
        let mut data = self.shared.data();
        data.past_participants.insert(uuid.to_owned(), participants);
    }

    /// An instance of meeting `meeting_id` starts, as Zoom would tell by
    /// `meeting.started`, but no webhook is sent: `GET /meetings/{id}`
    /// answers `status: started` with this `uuid` and `start_time`.
    pub fn start_instance(&self, meeting_id: i64, uuid: &str, start_time: &str) {
        let mut data = self.shared.data();
        let key = meeting_id.to_string();
        let meeting = data
            .meetings
            .entry(key.clone())
            .or_insert_with(|| serde_json::json!({"id": meeting_id, "type": 1}));
        meeting["uuid"] = uuid.into();
        meeting["status"] = "started".into();
        meeting["start_time"] = start_time.into();
        data.meeting_uuids.insert(uuid.to_owned(), key);
    }

    /// The instance ends with these participants (rows of
    /// `GET /past_meetings/{uuid}/participants`), without any webhook: the
    /// meeting is `waiting` again, `GET /past_meetings/{uuid}` answers its
    /// times and `GET /past_meetings/{id}/instances` lists it.
    pub fn end_instance(
        &self,
        meeting_id: i64,
        uuid: &str,
        times: (&str, &str),
        participants: Vec<Value>,
    ) {
        let (start_time, end_time) = times;
        let mut data = self.shared.data();
        let key = meeting_id.to_string();
        let meeting = data.meetings.get(&key).cloned().unwrap_or_default();
        if let Some(live) = data.meetings.get_mut(&key) {
            live["status"] = "waiting".into();
        }
        let minutes = match (
            start_time.parse::<jiff::Timestamp>(),
            end_time.parse::<jiff::Timestamp>(),
        ) {
            (Ok(start), Ok(end)) => (end.as_second() - start.as_second()).max(0) / 60,
            _ => 0,
        };
        let past = serde_json::json!({
            "uuid": uuid,
            "id": meeting_id,
            "host_id": meeting["host_id"],
            "user_email": meeting["host_email"],
            "topic": meeting["topic"],
            "type": meeting["type"],
            "start_time": start_time,
            "end_time": end_time,
            "duration": minutes,
            "total_minutes": minutes,
            "participants_count": participants.len(),
            "source": "Zoom",
        });
        data.past_meetings.insert(uuid.to_owned(), past);
        data.past_instances
            .entry(key)
            .or_default()
            .push(serde_json::json!({"uuid": uuid, "start_time": start_time}));
        data.past_participants.insert(uuid.to_owned(), participants);
    }

    /// The body of `GET /meetings/{uuid}/recordings` (`share_url`,
    /// `password`, `recording_play_passcode`, `recording_files`, …), set
    /// without any webhook.
    pub fn set_recording(&self, uuid: &str, recording: Value) {
        self.shared
            .data()
            .recordings
            .insert(uuid.to_owned(), recording);
    }

    /// The body of `GET /meetings/{uuid}/meeting_summary`.
    pub fn set_summary(&self, uuid: &str, summary: Value) {
        self.shared
            .data()
            .summaries
            .insert(uuid.to_owned(), summary);
    }

    /// A whiteboard for `GET /whiteboards/{id}`, readable by the Zoom users
    /// in `readers`. Its `preview_link` is set to this fake's preview of it
    /// (a PNG until [`FakeZoom::set_whiteboard_preview`]).
    pub fn add_whiteboard(&self, mut body: Value, readers: &[&str]) {
        let id = body["whiteboard_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        body["preview_link"] = format!("{}/wb/preview/{id}", self.base_url()).into();
        let board = whiteboards::Whiteboard {
            body,
            readers: readers.iter().map(|r| (*r).to_owned()).collect(),
            deleted: false,
            preview: ("image/png".to_owned(), whiteboards::PREVIEW_PNG.to_vec()),
        };
        self.shared.data().whiteboards.insert(id, board);
    }

    /// What the whiteboard's preview link answers: a content type and bytes.
    pub fn set_whiteboard_preview(&self, id: &str, content_type: &str, bytes: Vec<u8>) {
        if let Some(board) = self.shared.data().whiteboards.get_mut(id) {
            board.preview = (content_type.to_owned(), bytes);
        }
    }

    /// Points the whiteboard's `preview_link` somewhere else.
    pub fn set_whiteboard_preview_link(&self, id: &str, link: &str) {
        if let Some(board) = self.shared.data().whiteboards.get_mut(id) {
            board.body["preview_link"] = link.into();
        }
    }

    /// Turns Zoom Whiteboard off for the account: the whiteboard API
    /// answers 403.
    pub fn disable_whiteboards(&self) {
        self.shared.data().whiteboards_disabled = true;
    }

    /// The whiteboard goes to the trash: 404 from now on.
    pub fn delete_whiteboard(&self, id: &str) {
        if let Some(board) = self.shared.data().whiteboards.get_mut(id) {
            board.deleted = true;
        }
    }

    /// Gives the user a Zoom Phone license: `GET /phone/users/{userId}`
    /// answers with `extension_number` (a JSON number when all digits; left
    /// out when `None`), the direct `numbers` (E.164; `phone_numbers` is
    /// left out when empty) and an emergency address in `country` (ISO 3166
    /// alpha-2). Replaces an earlier line of the user.
    pub fn enable_phone(
        &self,
        zoom_user_id: &str,
        extension_number: Option<&str>,
        numbers: &[&str],
        country: &str,
    ) {
        let line = phone::PhoneLine::new(extension_number, numbers, country);
        self.shared
            .data()
            .phone_lines
            .insert(zoom_user_id.to_owned(), line);
    }

    /// Takes the user's Zoom Phone license away: 404, code 1001.
    pub fn disable_phone(&self, zoom_user_id: &str) {
        self.shared.data().phone_lines.remove(zoom_user_id);
    }

    /// Turns Zoom Phone off for the account: the Phone API answers 403
    /// "Zoom Phone has not been enabled for this account." (code 2031).
    pub fn disable_phone_for_account(&self) {
        self.shared.data().phone_disabled = true;
    }

    /// The next `times` matching calls get `fault` (see the type's docs).
    pub fn fail_next(&self, method: &str, fault: Fault, times: usize) {
        self.shared.faults.add_times(method, fault, times);
    }

    /// Every matching call within the next `duration` gets `fault`.
    pub fn fail_for(&self, method: &str, fault: Fault, duration: Duration) {
        self.shared.faults.add_for(method, fault, duration);
    }

    /// Every call received so far, in arrival order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.shared.recorder.all()
    }

    /// The calls whose method starts with `method_prefix`.
    pub fn calls_to(&self, method_prefix: &str) -> Vec<RecordedCall> {
        self.shared
            .recorder
            .matching(|m| m.starts_with(method_prefix))
    }

    /// Forgets the calls received so far.
    pub fn clear_calls(&self) {
        self.shared.recorder.clear();
    }

    /// Waits until at least `n` calls start with `method_prefix` and returns
    /// all of them; panics after `timeout`.
    pub async fn wait_for_calls(
        &self,
        method_prefix: &str,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedCall> {
        let matches = |m: &str| m.starts_with(method_prefix);
        self.shared
            .recorder
            .wait_for(method_prefix, matches, n, timeout)
            .await
    }

    /// The WebSocket event subscriptions' endpoint: `ws://127.0.0.1:PORT/ws`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.server.addr)
    }

    /// A WebSocket event subscription clients may connect to.
    pub fn add_ws_subscription(&self, subscription_id: &str) {
        self.shared.ws.add_subscription(subscription_id);
    }

    /// Sends `event` (a webhook body) on the subscription's open
    /// connection, as Zoom does; returns whether it was written. With no
    /// connection open the event is dropped, as Zoom drops it.
    pub async fn push_ws_event(&self, subscription_id: &str, event: &Value) -> bool {
        let frame = serde_json::json!({"module": "message", "content": event.to_string()});
        self.push_ws_raw(subscription_id, &frame.to_string()).await
    }

    /// Sends `text` as it is on the subscription's open connection.
    pub async fn push_ws_raw(&self, subscription_id: &str, text: &str) -> bool {
        self.shared.ws.send(subscription_id, text.to_owned()).await
    }

    /// Closes the subscription's open connection, if any.
    /// Every handshake at `/ws` waits `delay` before it is answered.
    pub fn set_ws_handshake_delay(&self, delay: Duration) {
        self.shared.ws.set_handshake_delay(delay);
    }

    /// Handshakes begun at `/ws`, answered or not.
    pub fn ws_handshakes(&self) -> usize {
        self.shared.ws.handshakes()
    }

    /// The next connection replaced by a newer one is sent `event` just
    /// before Zoom closes it: an event in flight as a client reconnects.
    pub fn send_ws_event_on_replace(&self, event: &Value) {
        let frame = serde_json::json!({"module": "message", "content": event.to_string()});
        self.shared.ws.set_farewell(frame.to_string());
    }

    pub fn cut_ws(&self, subscription_id: &str) {
        self.shared.ws.cut(subscription_id);
    }

    /// Connections made to the subscription so far.
    pub fn ws_connections(&self, subscription_id: &str) -> usize {
        self.shared.ws.connections_made(subscription_id)
    }

    /// Distinct access tokens the subscription's connections were made with.
    pub fn ws_tokens_used(&self, subscription_id: &str) -> usize {
        self.shared.ws.tokens_used(subscription_id)
    }

    /// Whether a connection to the subscription is open.
    pub fn ws_open(&self, subscription_id: &str) -> bool {
        self.shared.ws.is_open(subscription_id)
    }

    /// Heartbeats received so far, on every connection.
    pub fn ws_heartbeats(&self) -> usize {
        self.shared.ws.heartbeats()
    }

    /// Connections closed because their token expired.
    pub fn ws_closed_for_expiry(&self) -> usize {
        self.shared.ws.closed_for_expiry()
    }

    /// Whether heartbeats are answered (the default) or ignored.
    pub fn answer_ws_heartbeats(&self, answer: bool) {
        self.shared.ws.set_answer_heartbeats(answer);
    }

    /// Waits until a connection is open to the subscription and at least
    /// `made` connections were made; panics after `timeout`.
    pub async fn wait_for_ws(&self, subscription_id: &str, made: usize, timeout: Duration) {
        let reached = self
            .shared
            .ws
            .wait(timeout, |hub| {
                hub.is_open(subscription_id) && hub.connections_made(subscription_id) >= made
            })
            .await;
        assert!(
            reached,
            "no open connection to {subscription_id} after {made} made (made {})",
            self.ws_connections(subscription_id)
        );
    }

    /// Waits until no connection to the subscription is open; panics
    /// after `timeout`.
    pub async fn wait_for_ws_closed(&self, subscription_id: &str, timeout: Duration) {
        let closed = self
            .shared
            .ws
            .wait(timeout, |hub| !hub.is_open(subscription_id))
            .await;
        assert!(closed, "the connection to {subscription_id} stayed open");
    }

    /// Successful `refresh_token` grants so far.
    pub fn token_grants(&self) -> usize {
        self.shared.data().token_grants
    }
}
