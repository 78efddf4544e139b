//! Requests from Slack, parsed just far enough to verify their shape, find
//! their dedupe key and answer handshakes; handlers parse the rest later.

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The Events API envelope.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventEnvelope {
    UrlVerification {
        challenge: String,
    },
    EventCallback {
        event_id: String,
        #[serde(default)]
        team_id: Option<String>,
        event: InnerEvent,
    },
    AppRateLimited {
        #[serde(default)]
        team_id: Option<String>,
        #[serde(default)]
        minute_rate_limited: Option<i64>,
    },
}

#[derive(Debug, Deserialize)]
pub struct InnerEvent {
    #[serde(rename = "type")]
    pub kind: String,
}

/// The fields every slash command carries (Slack also sends others, and
/// the Call button's request lacks `command`).
#[derive(Debug, Deserialize)]
pub struct SlashCommand {
    pub team_id: String,
    pub channel_id: String,
    pub user_id: String,
    #[serde(default)]
    pub command: Option<String>,
    #[serde(default)]
    pub text: String,
    pub response_url: String,
    #[serde(default)]
    pub trigger_id: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default, rename = "type")]
    pub call_type: Option<String>,
}

impl SlashCommand {
    /// `trigger_id` is unique per invocation; requests without one (the Call
    /// button) fall back to a hash of the whole body.
    pub fn dedupe_key(&self, body: &[u8]) -> String {
        match &self.trigger_id {
            Some(trigger) if !trigger.is_empty() => format!("slack:command:{trigger}"),
            _ => format!("slack:command:{}", body_hash(body)),
        }
    }

    /// The command word, or the call type for the Call button.
    pub fn kind(&self) -> String {
        match (&self.command, &self.call_type) {
            (Some(command), _) => command.clone(),
            (None, Some(call)) => format!("call:{call}"),
            (None, None) => "unknown".into(),
        }
    }
}

/// An interactivity payload (`payload=` JSON inside a form body).
#[derive(Debug, Deserialize)]
pub struct Interaction {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub trigger_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct InteractionForm {
    pub payload: String,
}

/// Hex SHA-256 of a body, as a dedupe key when the platform gives none.
pub fn body_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}
