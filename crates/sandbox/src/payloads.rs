//! Realistic Slack and Zoom payloads to send to zlack.

use crate::{ids, sign::unix_now};
use serde_json::{Value, json};

/// The Slack app id the builders put in payloads.
pub const API_APP_ID: &str = "A0ZLACKAPP";
/// The bot user of every fake Slack workspace (unless an [`crate::OAuthGrant`]
/// says otherwise), also named in `authorizations` of event envelopes.
pub const BOT_USER_ID: &str = "U0ZLACKBOT";
/// The Zoom account id `zoom_event` puts in payloads.
pub const ZOOM_ACCOUNT_ID: &str = "AAAAAAAAAAAAAAAAAAAAAA";

/// Form fields of a `/zoom` slash command as Slack sends them.
///
/// `trigger_id` differs on every call. `channel_name` follows what Slack
/// sends for the conversation kind its id suggests (`directmessage` for
/// `D…`, `privategroup` for `G…`).
pub fn slash_command_fields(
    team_id: &str,
    channel_id: &str,
    user_id: &str,
    text: &str,
    response_url: &str,
) -> Vec<(String, String)> {
    let channel_name = match channel_id.chars().next() {
        Some('D') => "directmessage",
        Some('G') => "privategroup",
        _ => "general",
    };
    let trigger_id = format!(
        "{}.{}.{}",
        ids::next() + 398_738_663_015,
        47_445_629_121u64,
        ids::random_hex(32)
    );
    let fields = [
        ("token", "fake-verification-token".to_owned()),
        ("team_id", team_id.to_owned()),
        ("team_domain", team_id.to_ascii_lowercase()),
        ("channel_id", channel_id.to_owned()),
        ("channel_name", channel_name.to_owned()),
        ("user_id", user_id.to_owned()),
        ("user_name", user_id.to_ascii_lowercase()),
        ("command", "/zoom".to_owned()),
        ("text", text.to_owned()),
        ("api_app_id", API_APP_ID.to_owned()),
        ("is_enterprise_install", "false".to_owned()),
        ("response_url", response_url.to_owned()),
        ("trigger_id", trigger_id),
    ];
    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// An Events API `event_callback` envelope around `event`.
pub fn slack_event_callback(team_id: &str, event_id: &str, event: Value) -> Value {
    json!({
        "token": "fake-verification-token",
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": null,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": unix_now(),
        "authorizations": [{
            "enterprise_id": null,
            "team_id": team_id,
            "user_id": BOT_USER_ID,
            "is_bot": true,
            "is_enterprise_install": false
        }],
        "is_ext_shared_channel": false,
        "event_context": format!("4-{}", ids::random_hex(40))
    })
}

/// A Zoom webhook body: `{event, event_ts, payload: {account_id, object}}`.
pub fn zoom_event(event: &str, event_ts_ms: i64, object: Value) -> Value {
    json!({
        "event": event,
        "event_ts": event_ts_ms,
        "payload": {"account_id": ZOOM_ACCOUNT_ID, "object": object}
    })
}

/// Zoom's `user.presence_status_updated` webhook body for `zoom_user_id`
/// (with `email`): `presence_status` as the webhook names it
/// (`In_Meeting`, `Presenting`, `On_Phone_Call`, `Available`, `Away`,
/// `Do_Not_Disturb`), `date_time` the change's own time (Zoom's
/// `yyyy-MM-ddTHH:mm:ssZ`, from `at_ms`), delivered at `event_ts_ms`.
pub fn zoom_presence_event(
    zoom_user_id: &str,
    email: &str,
    presence_status: &str,
    at_ms: i64,
    event_ts_ms: i64,
) -> Value {
    let millis = at_ms.rem_euclid(1000);
    let date_time = crate::time::iso8601(at_ms.div_euclid(1000));
    let date_time = match millis {
        0 => date_time,
        ms => format!("{}.{ms:03}Z", date_time.trim_end_matches('Z')),
    };
    zoom_event(
        "user.presence_status_updated",
        event_ts_ms,
        json!({
            "id": zoom_user_id,
            "email": email,
            "date_time": date_time,
            "presence_status": presence_status,
        }),
    )
}
