//! How a request from Slack becomes an inbox row, whichever way it came:
//! over a request URL or over Socket Mode. A Socket Mode payload is turned
//! back into the form its HTTP twin carries (re-encoded, so not always the
//! same bytes), with the same dedupe key, kind and tenant: the worker never
//! learns the transport.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::inbound::{EventEnvelope, Interaction, SlashCommand, body_hash, tenant};
use crate::store::InboundEvent;

/// The row for a slash command (or Call button) request with form `body`.
pub fn command(command: &SlashCommand, body: Vec<u8>) -> InboundEvent {
    InboundEvent {
        source: "slack.command",
        dedupe_key: command.dedupe_key(&body),
        kind: command.kind(),
        tenant: tenant(Some(&command.team_id)),
        body,
    }
}

/// The row for an Events API `event_callback` with JSON `body`.
pub fn event(event_id: &str, team_id: Option<&str>, kind: String, body: Vec<u8>) -> InboundEvent {
    InboundEvent {
        source: "slack.event",
        dedupe_key: format!("slack:event:{event_id}"),
        kind,
        tenant: tenant(team_id),
        body,
    }
}

/// The row for an interaction whose form `body` is `payload=<json>`.
pub fn interaction(payload: &Interaction, body: Vec<u8>) -> InboundEvent {
    let dedupe = match &payload.trigger_id {
        Some(trigger) if !trigger.is_empty() => trigger.clone(),
        _ => body_hash(&body),
    };
    InboundEvent {
        source: "slack.interaction",
        dedupe_key: format!("slack:interaction:{dedupe}"),
        kind: payload.kind.clone(),
        tenant: tenant(payload.team.as_ref().map(|t| t.id.as_str())),
        body,
    }
}

/// What a Socket Mode envelope's payload comes to.
#[derive(Debug)]
pub enum Envelope {
    /// Store this row, then acknowledge.
    Store(InboundEvent),
    /// Store nothing; acknowledge with this `payload` (a `view_submission`
    /// whose modal shows errors, see [`crate::slack::views::answer`]).
    Answer(serde_json::Value),
    /// Nothing to store (an envelope type or event zlack does not use):
    /// acknowledge only. The text says what it was, for the log.
    Ignore(String),
}

/// The payload of a Socket Mode envelope of type `kind` could not be read.
#[derive(Debug, thiserror::Error)]
#[error("unreadable {kind} payload: {reason}")]
pub struct Malformed {
    kind: String,
    reason: String,
}

impl Malformed {
    fn new(kind: &str, reason: impl std::fmt::Display) -> Self {
        Self {
            kind: kind.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// As [`envelope`], for an envelope received at `now_ms`: a
/// `view_submission` with invalid input is answered, not stored, as its
/// HTTP twin is.
pub fn envelope_at(
    kind: &str,
    payload: Option<&RawValue>,
    now_ms: crate::clock::Millis,
) -> Result<Envelope, Malformed> {
    if kind == "interactive"
        && let Some(payload) = payload
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(payload.get())
        && let Some(answer) = super::views::answer(&value, now_ms)
    {
        return Ok(Envelope::Answer(answer));
    }
    envelope(kind, payload)
}

/// The row a Socket Mode envelope of type `kind` (`slash_commands`,
/// `interactive`, `events_api`) with `payload` stands for: exactly the row
/// its HTTP twin would give.
pub fn envelope(kind: &str, payload: Option<&RawValue>) -> Result<Envelope, Malformed> {
    let known = matches!(kind, "slash_commands" | "interactive" | "events_api");
    let Some(payload) = payload.filter(|_| known) else {
        return Ok(Envelope::Ignore(format!("envelope of type {kind}")));
    };
    match kind {
        "slash_commands" => {
            let fields: FormFields =
                serde_json::from_str(payload.get()).map_err(|e| Malformed::new(kind, e))?;
            let body = serde_urlencoded::to_string(&fields.0)
                .map_err(|e| Malformed::new(kind, e))?
                .into_bytes();
            let parsed: SlashCommand =
                serde_urlencoded::from_bytes(&body).map_err(|e| Malformed::new(kind, e))?;
            Ok(Envelope::Store(command(&parsed, body)))
        }
        "interactive" => {
            let parsed: Interaction =
                serde_json::from_str(payload.get()).map_err(|e| Malformed::new(kind, e))?;
            let body = serde_urlencoded::to_string([("payload", payload.get())])
                .map_err(|e| Malformed::new(kind, e))?
                .into_bytes();
            Ok(Envelope::Store(interaction(&parsed, body)))
        }
        _ => {
            let body = payload.get().as_bytes().to_vec();
            match serde_json::from_slice(&body).map_err(|e| Malformed::new(kind, e))? {
                EventEnvelope::EventCallback {
                    event_id,
                    team_id,
                    event,
                } if !event_id.is_empty() => Ok(Envelope::Store(self::event(
                    &event_id,
                    team_id.as_deref(),
                    event.kind,
                    body,
                ))),
                EventEnvelope::EventCallback { .. } => Err(Malformed::new(kind, "empty event_id")),
                EventEnvelope::UrlVerification { .. } => {
                    Ok(Envelope::Ignore("url_verification".into()))
                }
                EventEnvelope::AppRateLimited { team_id, .. } => {
                    tracing::warn!(?team_id, "Slack paused event delivery: app_rate_limited");
                    Ok(Envelope::Ignore("app_rate_limited".into()))
                }
            }
        }
    }
}

/// A slash command's fields as Socket Mode sends them (a JSON object),
/// kept in their order so the form body matches the HTTP request's.
struct FormFields(Vec<(String, String)>);

impl<'de> Deserialize<'de> for FormFields {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FormFields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of slash command fields")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FormFields, A::Error> {
                let mut fields = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    let text = match value {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    fields.push((key, text));
                }
                Ok(FormFields(fields))
            }
        }
        de.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests;
