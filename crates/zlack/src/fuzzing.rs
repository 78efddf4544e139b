//! Entry points for the fuzz targets in `fuzz/`: each runs the parsing
//! steps one kind of outside request goes through on receipt, with the
//! same functions and types the HTTP handlers and the worker use, and
//! without a database, a network or a clock. Not part of the API.
//!
//! Each function takes arbitrary bytes and must return without panicking,
//! whatever they are; what it returns is only for the fuzz targets and
//! tests to look at.

use serde::Deserialize;
use serde_json::Value;

use crate::http::extract::{parse_form, parse_json};
use crate::slack::inbound::{
    EventEnvelope, Interaction, InteractionForm, SlashCommand, body_hash, tenant,
};
use crate::zoom::events;
use crate::zoom::inbound::Webhook;

/// The `ssl_check` form field Slack sends to check the commands URL.
#[derive(Deserialize)]
struct SslCheck {
    ssl_check: Option<String>,
}

/// A slash command's form body: the checks of `POST /slack/commands`, then
/// the worker's reading of the stored body and of the command text.
/// Returns the dedupe key when the body is accepted.
pub fn slack_command(body: &[u8]) -> Option<String> {
    if parse_form::<SslCheck>(body).ok()?.ssl_check.as_deref() == Some("1") {
        return None;
    }
    let command: SlashCommand = parse_form(body).ok()?;
    let key = command.dedupe_key(body);
    let _ = (command.kind(), tenant(Some(&command.team_id)));
    // The worker reads the stored body again, then the text after `/zoom`.
    let stored = serde_urlencoded::from_bytes::<SlashCommand>(body).ok()?;
    let parsed = zlack_domain::parse(&stored.text);
    if let zlack_domain::Command::Call { target } = parsed {
        let _ = zlack_domain::phone::parse_target(&target, None);
    }
    if let Some(number) = stored.phone_number.as_deref() {
        let _ = zlack_domain::phone::parse_target(number, None);
    }
    Some(key)
}

/// An Events API body: the checks of `POST /slack/events`, and for a
/// `link_shared` event the links the unfurl flow reads from it.
pub fn slack_event(body: &[u8]) -> Option<String> {
    match parse_json::<EventEnvelope>(body).ok()? {
        EventEnvelope::UrlVerification { challenge } => Some(challenge),
        EventEnvelope::EventCallback {
            event_id,
            team_id,
            event,
        } => {
            let _ = tenant(team_id.as_deref());
            if event.kind == "link_shared" {
                let value: Value = serde_json::from_slice(body).ok()?;
                for link in value["event"]["links"].as_array().into_iter().flatten() {
                    if let Some(url) = link["url"].as_str() {
                        let _ = zlack_domain::links::classify(url);
                    }
                }
            }
            (!event_id.is_empty()).then(|| format!("slack:event:{event_id}"))
        }
        EventEnvelope::AppRateLimited { .. } => None,
    }
}

/// An interactivity form body (`payload=` JSON): the checks of
/// `POST /slack/interactions` and the worker's choice of flow.
pub fn slack_interaction(body: &[u8]) -> Option<String> {
    let form: InteractionForm = parse_form(body).ok()?;
    let payload: Interaction = parse_json(form.payload.as_bytes()).ok()?;
    let dedupe = match &payload.trigger_id {
        Some(trigger) if !trigger.is_empty() => trigger.clone(),
        _ => body_hash(body),
    };
    let _ = tenant(payload.team.as_ref().map(|t| t.id.as_str()));
    let value: Value = serde_json::from_str(&form.payload).ok()?;
    if let Some(action_id) = value["actions"][0]["action_id"].as_str() {
        let _ = zlack_domain::ConfigAction::from_action_id(action_id);
    }
    Some(format!("slack:interaction:{dedupe}"))
}

/// A Zoom webhook body: the checks of `POST /zoom/webhook`, its dedupe key,
/// and the meeting event the lifecycle flow reads from it.
pub fn zoom_webhook(body: &[u8]) -> Option<String> {
    let hook: Webhook = parse_json(body).ok()?;
    if hook.event.is_empty() {
        return None;
    }
    if hook.event == Webhook::URL_VALIDATION {
        return hook.plain_token();
    }
    if !hook.payload.is_object() {
        return None;
    }
    let _ = hook.payload["account_id"].as_str();
    let _ = events::parse(&hook.event, &hook.payload);
    if let Some(id) = hook.payload["object"]["whiteboard_id"].as_str() {
        let _ = zlack_domain::links::classify(&format!("https://whiteboard.zoom.us/wb/db/{id}"));
    }
    Some(hook.dedupe_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_command_is_keyed_by_its_trigger() {
        let body = b"team_id=T1&channel_id=C1&user_id=U1&command=%2Fzoom&text=call+%2B46+8+123+456+78&response_url=https%3A%2F%2Fhooks.slack.com%2Fx&trigger_id=t.1";
        assert_eq!(slack_command(body).as_deref(), Some("slack:command:t.1"));
        assert_eq!(slack_command(b"ssl_check=1&token=x"), None);
    }

    #[test]
    fn an_event_callback_is_keyed_by_its_event_id() {
        let body = br#"{"type":"event_callback","event_id":"Ev1","team_id":"T1","event":{"type":"link_shared","links":[{"url":"https://zoom.us/j/85746352413"}]}}"#;
        assert_eq!(slack_event(body).as_deref(), Some("slack:event:Ev1"));
    }

    #[test]
    fn an_interaction_without_trigger_is_keyed_by_its_body() {
        let body = b"payload=%7B%22type%22%3A%22block_actions%22%7D";
        assert_eq!(
            slack_interaction(body),
            Some(format!("slack:interaction:{}", body_hash(body)))
        );
    }

    #[test]
    fn a_url_validation_yields_its_plain_token() {
        let body = br#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#;
        assert_eq!(zoom_webhook(body).as_deref(), Some("abc"));
    }
}
