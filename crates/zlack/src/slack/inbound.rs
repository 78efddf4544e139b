//! Requests from Slack, parsed just far enough to verify their shape, find
//! their dedupe key and answer handshakes; handlers parse the rest later.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use sha2::{Digest, Sha256};
use zlack_domain::ids::{ChannelId, SlackUserId, TeamId};

/// The Events API envelope.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventEnvelope {
    /// Slack's check of the events URL: answered with `challenge`.
    UrlVerification {
        /// Echoed back as it came.
        challenge: String,
    },
    /// An event the app subscribed to.
    EventCallback {
        /// Stable across redeliveries: the dedupe key.
        event_id: String,
        /// The workspace the event happened in.
        #[serde(default)]
        team_id: Option<String>,
        /// The event itself; only its type is read on receipt.
        event: InnerEvent,
    },
    /// Slack is holding back events: the app went over its hourly limit.
    AppRateLimited {
        /// The workspace whose events are held back.
        #[serde(default)]
        team_id: Option<String>,
        /// The minute (Unix seconds) the limit was reached.
        #[serde(default)]
        minute_rate_limited: Option<i64>,
    },
}

/// The part of an event read on receipt.
#[derive(Debug, Deserialize)]
pub struct InnerEvent {
    /// The event type, such as `app_uninstalled`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// The fields every slash command carries (Slack also sends others, and
/// the Call button's request lacks `command`).
#[derive(Debug, Deserialize)]
pub struct SlashCommand {
    pub team_id: String,
    pub channel_id: String,
    /// `directmessage`, `privategroup`, `mpdm-…` or the channel's name.
    #[serde(default)]
    pub channel_name: Option<String>,
    pub user_id: String,
    /// `/zoom`; absent for the Call button.
    #[serde(default)]
    pub command: Option<String>,
    /// What followed the command word.
    #[serde(default)]
    pub text: String,
    /// Where to reply; works for 30 minutes.
    pub response_url: String,
    /// Unique per invocation; the dedupe key when present.
    #[serde(default)]
    pub trigger_id: Option<String>,
    /// The Enterprise Grid org, when the workspace is in one.
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// The call type the Call button sends as `type`: `video` or `audio`.
    #[serde(default, rename = "type")]
    pub call_type: Option<String>,
    /// The number an audio call from the Call button is for.
    #[serde(default)]
    pub phone_number: Option<String>,
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
    /// The interaction type, such as `block_actions`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The dedupe key when present.
    #[serde(default)]
    pub trigger_id: Option<String>,
    /// The workspace it happened in.
    #[serde(default)]
    pub team: Option<TeamRef>,
}

/// A workspace as interaction payloads name it.
#[derive(Debug, Deserialize)]
pub struct TeamRef {
    /// The team id, `T…`.
    #[serde(default)]
    pub id: String,
}

/// The scheduling tenant of a request from workspace `team_id`.
pub fn tenant(team_id: Option<&str>) -> String {
    team_id
        .filter(|t| !t.is_empty())
        .map(|t| format!("slack:{t}"))
        .unwrap_or_default()
}

/// The form an interactivity request arrives as.
#[derive(Debug, Deserialize)]
pub struct InteractionForm {
    /// The [`Interaction`] as JSON text.
    pub payload: String,
}

/// Hex SHA-256 of a body, as a dedupe key when the platform gives none.
pub fn body_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// Slack's `response_url` works for 30 minutes.
pub const RESPONSE_URL_TTL_MS: Millis = 30 * 60 * 1000;

/// A `/zoom` command as zlack keeps it (sealed whenever it is stored).
#[derive(Clone, Serialize, Deserialize)]
pub struct CommandRequest {
    /// Unique per command: the inbox row's dedupe key.
    pub request_key: String,
    /// The workspace the command came from.
    pub team_id: TeamId,
    /// The Enterprise Grid org, whose install may serve the workspace.
    pub enterprise_id: Option<TeamId>,
    /// Where the command was typed.
    pub channel_id: ChannelId,
    /// Slack's `channel_name`, which tells DMs and group chats apart.
    #[serde(default)]
    pub channel_name: Option<String>,
    /// The Slack user who typed it.
    pub user_id: SlackUserId,
    /// What followed `/zoom`, unparsed.
    pub text: String,
    /// Where replies go while it works (see [`RESPONSE_URL_TTL_MS`]).
    pub response_url: String,
    /// When Slack delivered the command.
    pub received_at: Millis,
    /// Slack's `trigger_id`, which opens a modal for a few seconds after
    /// the command (absent in rows stored by earlier versions).
    #[serde(default)]
    pub trigger_id: Option<String>,
}

impl std::fmt::Debug for CommandRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandRequest")
            .field("request_key", &self.request_key)
            .field("team_id", &self.team_id)
            .field("channel_id", &self.channel_id)
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

impl CommandRequest {
    /// When `response_url` stops working.
    pub fn response_url_expires_at(&self) -> Millis {
        self.received_at + RESPONSE_URL_TTL_MS
    }
}
