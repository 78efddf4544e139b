//! `/v2/meetings/…` and `/v2/past_meetings/…`, plus creating meetings under
//! `/v2/users/{userId}/meetings`.

use super::ZoomUser;
use super::layer::{Caller, Params, ZoomError};
use super::state::{Data, Shared};
use super::users::resolve;
use crate::args;
use crate::time::iso8601;
use crate::{http, ids, unix_now};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v2/users/{userId}/meetings", post(create).get(list))
        .route("/v2/meetings/{meetingId}", get(get_meeting))
        .route("/v2/meetings/{meetingId}/meeting_summary", get(get_summary))
        .route("/v2/meetings/{meetingId}/recordings", get(get_recordings))
        .route("/v2/past_meetings/{meetingId}", get(past_meeting))
        .route(
            "/v2/past_meetings/{meetingId}/instances",
            get(past_instances),
        )
        .route(
            "/v2/past_meetings/{meetingId}/participants",
            get(past_participants),
        )
}

/// Undoes the second encoding of UUIDs that contain `/` (axum undid the first).
pub(crate) fn decode_meeting_ref(raw: String) -> String {
    if !raw.contains('%') {
        return raw;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn meeting_not_found(key: &str) -> ZoomError {
    ZoomError::api(
        StatusCode::NOT_FOUND,
        3001,
        &format!("Meeting does not exist: {key}."),
    )
}

/// A create-meeting body check: field name and whether a value is valid.
type Check = (&'static str, fn(&Value) -> bool);

/// Zoom's field-level validation of the create-meeting body.
fn validate(body: &Map<String, Value>) -> Vec<Value> {
    let checks: [Check; 5] = [
        ("topic", |v| {
            v.as_str().is_some_and(|s| s.chars().count() <= 200)
        }),
        ("type", |v| {
            v.as_i64().is_some_and(|n| matches!(n, 1 | 2 | 3 | 8))
        }),
        ("duration", |v| v.as_i64().is_some_and(|n| n >= 0)),
        ("password", |v| {
            v.as_str().is_some_and(|s| s.chars().count() <= 10)
        }),
        ("settings", Value::is_object),
    ];
    checks
        .iter()
        .filter(|(field, valid)| body.get(*field).is_some_and(|v| !valid(v)))
        .map(|(field, _)| json!({"field": field, "message": "Invalid field."}))
        .collect()
}

/// The start of a scheduled meeting (`type` 2, the default): `start_time`
/// as `yyyy-MM-ddTHH:mm:ssZ` (UTC), or `yyyy-MM-ddTHH:mm:ss` local to a
/// known `timezone`; `duration` whole minutes.
fn validate_schedule(body: &Map<String, Value>) -> Vec<Value> {
    let kind = body.get("type").and_then(Value::as_i64).unwrap_or(2);
    if !matches!(kind, 2 | 8) {
        return Vec::new();
    }
    let invalid = |field: &str| json!({"field": field, "message": "Invalid field."});
    let mut errors = Vec::new();
    let zone = body.get("timezone").map(|v| {
        v.as_str()
            .and_then(|name| jiff::tz::TimeZone::get(name).ok())
    });
    if matches!(zone, Some(None)) {
        errors.push(invalid("timezone"));
    }
    if let Some(start) = body.get("start_time") {
        let ok = start
            .as_str()
            .and_then(|text| scheduled_start(text, zone.clone().flatten().as_ref()))
            .is_some();
        if !ok {
            errors.push(invalid("start_time"));
        }
    }
    if body.get("duration").is_some_and(|v| v.as_u64().is_none()) {
        errors.push(invalid("duration"));
    }
    errors
}

/// A `start_time` as the UTC instant it names: with `Z` it is UTC;
/// without, local to `zone` (required then).
fn scheduled_start(text: &str, zone: Option<&jiff::tz::TimeZone>) -> Option<jiff::Timestamp> {
    if let Some(utc) = text.strip_suffix('Z') {
        let civil: jiff::civil::DateTime = utc.parse().ok()?;
        return civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    if text.len() != "yyyy-MM-ddTHH:mm:ss".len() {
        return None;
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    civil.to_zoned(zone?.clone()).ok().map(|z| z.timestamp())
}

async fn create(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(user_key): Path<String>,
    body: Bytes,
) -> Result<Response, ZoomError> {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        let message = "Request Body should be a valid JSON object.";
        return Err(ZoomError::api(StatusCode::BAD_REQUEST, 300, message));
    };
    let mut errors = validate(&body);
    errors.extend(validate_schedule(&body));
    if !errors.is_empty() {
        let answer = json!({"code": 300, "message": "Validation Failed.", "errors": errors});
        return Err(ZoomError::with_body(StatusCode::BAD_REQUEST, answer));
    }
    let mut data = shared.data();
    let user = resolve(&data, &caller, &user_key)?;
    // A deactivated user cannot host; Zoom answers as if the user were gone.
    if user.status != "active" {
        let message = format!("User does not exist: {user_key}.");
        return Err(ZoomError::api(StatusCode::NOT_FOUND, 1001, &message));
    }
    let meeting = new_meeting(&user, &body);
    store(&mut data, meeting.clone());
    Ok(http::json(StatusCode::CREATED, &meeting))
}

/// `GET /users/{userId}/meetings`: the user's meetings of `type`
/// `scheduled` (the default: every meeting with a time), `upcoming` or
/// `upcoming_meetings` (those not over yet, the live ones included), or
/// `live`; soonest first, one page of `page_size` (default 30, at most 300).
async fn list(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(user_key): Path<String>,
    Extension(Params(params)): Extension<Params>,
) -> Result<Response, ZoomError> {
    let kind = args::text(&params, "type").unwrap_or_else(|| "scheduled".into());
    if !matches!(
        kind.as_str(),
        "scheduled" | "live" | "upcoming" | "upcoming_meetings" | "previous_meetings"
    ) {
        return Err(ZoomError::api(
            StatusCode::BAD_REQUEST,
            300,
            &format!("Invalid field: type {kind}."),
        ));
    }
    let page_size = args::text(&params, "page_size")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 300);
    let data = shared.data();
    let user = resolve(&data, &caller, &user_key)?;
    let now = unix_now();
    let mut meetings: Vec<&Value> = data
        .meetings
        .values()
        .filter(|m| m["host_id"] == user.id.as_str())
        .filter(|m| {
            let live = m["status"] == "started";
            let ended = matches!(m["status"].as_str(), Some("finished" | "ended"));
            let duration = m["duration"].as_i64().unwrap_or(60);
            let not_over = m["start_time"]
                .as_str()
                .is_none_or(|start| start >= iso8601(now - duration * 60).as_str());
            match kind.as_str() {
                "live" => live,
                "upcoming" | "upcoming_meetings" => live || (!ended && m["type"] != 1 && not_over),
                "previous_meetings" => ended,
                _ => m["type"] != 1,
            }
        })
        .collect();
    meetings.sort_by(|a, b| {
        let start = |m: &Value| m["start_time"].as_str().unwrap_or("").to_owned();
        start(a).cmp(&start(b))
    });
    let total = meetings.len();
    let page: Vec<Value> = meetings
        .into_iter()
        .take(page_size)
        .map(|m| {
            let mut listed = json!({});
            for key in [
                "uuid",
                "id",
                "host_id",
                "topic",
                "type",
                "start_time",
                "duration",
                "timezone",
                "created_at",
                "join_url",
                "pmi",
            ] {
                if let Some(value) = m.get(key) {
                    listed[key] = value.clone();
                }
            }
            listed
        })
        .collect();
    Ok(http::json(
        StatusCode::OK,
        &json!({
            "page_size": page_size,
            "total_records": total,
            "next_page_token": "",
            "meetings": page,
        }),
    ))
}

/// A meeting UUID like Zoom's (base64 of 16 bytes), without `/` or `+` so
/// that generated ones never need double encoding; tests wanting those pass
/// their own UUIDs.
fn new_uuid() -> String {
    let bytes = hex::decode(ids::random_hex(32)).unwrap_or_default();
    STANDARD.encode(bytes).replace('/', "A").replace('+', "B")
}

fn new_meeting(user: &ZoomUser, body: &Map<String, Value>) -> Value {
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let kind = body.get("type").and_then(Value::as_i64).unwrap_or(2);
    let mut settings = json!({
        "host_video": false, "participant_video": false, "join_before_host": false,
        "mute_upon_entry": false, "waiting_room": false, "use_pmi": false,
        "auto_recording": "none", "meeting_authentication": false,
    });
    if let (Some(out), Some(Value::Object(given))) =
        (settings.as_object_mut(), body.get("settings"))
    {
        out.extend(given.clone());
    }
    let use_pmi = settings["use_pmi"].as_bool().unwrap_or(false);
    let sequence = i64::try_from(ids::next()).unwrap_or(0);
    let id = if use_pmi {
        user.pmi
    } else {
        85_000_000_000 + sequence * 7_919
    };
    let encrypted = ids::random_alnum(32);
    let now = unix_now();
    let join_url = if use_pmi {
        user.personal_meeting_url.clone()
    } else {
        format!("https://zoom.us/j/{id}?pwd={encrypted}")
    };
    let mut meeting = json!({
        "uuid": new_uuid(),
        "id": id,
        "host_id": user.id,
        "host_email": user.email,
        "topic": text("topic").unwrap_or_else(|| "Zoom Meeting".to_owned()),
        "type": kind,
        "status": "waiting",
        "timezone": text("timezone").unwrap_or_else(|| user.timezone.clone()),
        "agenda": text("agenda").unwrap_or_default(),
        "created_at": iso8601(now),
        "start_url": format!("https://zoom.us/s/{id}?zak=eyJ{}", ids::random_alnum(60)),
        "join_url": join_url,
        "password": text("password").unwrap_or_else(|| ids::random_alnum(6)),
        "encrypted_password": encrypted,
        "pre_schedule": false,
        "settings": settings,
    });
    // Recurring meetings without a fixed time have no start.
    if kind != 3 {
        // Zoom answers with the start in UTC, whatever form it was given in.
        let zone = text("timezone").and_then(|name| jiff::tz::TimeZone::get(&name).ok());
        let start = text("start_time")
            .and_then(|s| scheduled_start(&s, zone.as_ref()))
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        meeting["start_time"] = start.unwrap_or_else(|| iso8601(now)).into();
        meeting["duration"] = body.get("duration").cloned().unwrap_or_else(|| 60.into());
    }
    if use_pmi {
        meeting["pmi"] = user.pmi.to_string().into();
    }
    meeting
}

/// Indexes a meeting by id and by UUID.
pub(crate) fn store(data: &mut Data, meeting: Value) {
    let id = match meeting.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => return,
    };
    if let Some(uuid) = meeting.get("uuid").and_then(Value::as_str) {
        data.meeting_uuids.insert(uuid.to_owned(), id.clone());
    }
    data.meetings.insert(id, meeting);
}

async fn get_meeting(
    State(shared): State<Arc<Shared>>,
    Caller(_): Caller,
    Path(raw): Path<String>,
) -> Result<Response, ZoomError> {
    let key = decode_meeting_ref(raw);
    let data = shared.data();
    let found = data.meetings.get(&key).or_else(|| {
        data.meeting_uuids
            .get(&key)
            .and_then(|id| data.meetings.get(id))
    });
    let meeting = found.ok_or_else(|| meeting_not_found(&key))?;
    Ok(http::json(StatusCode::OK, meeting))
}

async fn get_summary(
    State(shared): State<Arc<Shared>>,
    Caller(_): Caller,
    Path(raw): Path<String>,
) -> Result<Response, ZoomError> {
    let key = decode_meeting_ref(raw);
    let data = shared.data();
    let summary = data
        .summaries
        .get(&key)
        .ok_or_else(|| meeting_not_found(&key))?;
    Ok(http::json(StatusCode::OK, summary))
}

/// A cloud recording by occurrence UUID; none is 404, code 3301.
async fn get_recordings(
    State(shared): State<Arc<Shared>>,
    Caller(_): Caller,
    Path(raw): Path<String>,
) -> Result<Response, ZoomError> {
    let key = decode_meeting_ref(raw);
    let data = shared.data();
    let recording = data.recordings.get(&key).ok_or_else(|| {
        ZoomError::api(
            StatusCode::NOT_FOUND,
            3301,
            "There is no recording for this meeting.",
        )
    })?;
    Ok(http::json(StatusCode::OK, recording))
}

/// An ended instance by UUID, or a meeting number's latest ended one.
async fn past_meeting(
    State(shared): State<Arc<Shared>>,
    Caller(_): Caller,
    Path(raw): Path<String>,
) -> Result<Response, ZoomError> {
    let key = decode_meeting_ref(raw);
    let data = shared.data();
    let found = data.past_meetings.get(&key).or_else(|| {
        let last = data.past_instances.get(&key)?.last()?;
        data.past_meetings.get(last["uuid"].as_str()?)
    });
    let past = found.ok_or_else(|| meeting_not_found(&key))?;
    Ok(http::json(StatusCode::OK, past))
}

/// The ended instances of a meeting number; none is an empty list.
async fn past_instances(
    State(shared): State<Arc<Shared>>,
    Caller(_): Caller,
    Path(raw): Path<String>,
) -> Result<Response, ZoomError> {
    let key = decode_meeting_ref(raw);
    let data = shared.data();
    let meetings = data.past_instances.get(&key).cloned().unwrap_or_default();
    Ok(http::json(StatusCode::OK, &json!({ "meetings": meetings })))
}

/// Pages with `page_size` (default 30, at most 300) and `next_page_token`.
async fn past_participants(
    State(shared): State<Arc<Shared>>,
    Caller(_): Caller,
    Path(raw): Path<String>,
    Extension(Params(params)): Extension<Params>,
) -> Result<Response, ZoomError> {
    let key = decode_meeting_ref(raw);
    let data = shared.data();
    let all = data
        .past_participants
        .get(&key)
        .ok_or_else(|| ZoomError::api(StatusCode::NOT_FOUND, 3001, "Meeting does not exist"))?;
    let page_size = args::text(&params, "page_size")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 300);
    let start = args::text(&params, "next_page_token")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0)
        .min(all.len());
    let end = (start + page_size).min(all.len());
    let next = if end < all.len() {
        end.to_string()
    } else {
        String::new()
    };
    let page = json!({
        "page_count": all.len().div_ceil(page_size),
        "page_size": page_size,
        "total_records": all.len(),
        "next_page_token": next,
        "participants": &all[start..end],
    });
    Ok(http::json(StatusCode::OK, &page))
}
