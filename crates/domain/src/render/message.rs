//! [`Message`]: what every render function returns. The server reads it
//! as the JSON payload it is (it dereferences to it) and sends it as it
//! is; the few changes it may make are methods here, so a message is
//! always one Block Kit payload within Slack's limits.

use std::ops::Deref;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::limits;
use super::mrkdwn::fit;

/// A Slack message: fallback `text` and `blocks`, and whether only the
/// user who asked sees it (`"response_type": "ephemeral"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Message(Value);

/// How a message sent through a `response_url` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// Only to the user who asked.
    Ephemeral,
    /// To everyone in the conversation.
    InChannel,
}

impl ResponseType {
    /// Slack's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ephemeral => "ephemeral",
            Self::InChannel => "in_channel",
        }
    }
}

impl Message {
    /// A message anyone in the conversation sees (posted, or `in_channel`
    /// through a `response_url`; the caller decides).
    pub(crate) fn new(fallback: String, blocks: Vec<Value>) -> Self {
        debug_assert!(blocks.len() <= limits::BLOCKS);
        Self(json!({
            "text": fit(fallback, limits::SECTION_TEXT),
            "blocks": blocks,
        }))
    }

    /// A reply only the user who ran the command sees.
    pub(crate) fn ephemeral(fallback: String, blocks: Vec<Value>) -> Self {
        let mut message = Self::new(fallback, blocks);
        message.0["response_type"] = json!("ephemeral");
        message
    }

    /// The fallback text.
    pub fn text(&self) -> &str {
        self.0["text"].as_str().unwrap_or_default()
    }

    /// The blocks.
    pub fn blocks(&self) -> &[Value] {
        self.0["blocks"].as_array().map_or(&[], Vec::as_slice)
    }

    /// The blocks, for the renderers that add to a card.
    pub(crate) fn blocks_mut(&mut self) -> &mut Vec<Value> {
        if !self.0["blocks"].is_array() {
            self.0["blocks"] = json!([]);
        }
        match &mut self.0["blocks"] {
            Value::Array(blocks) => blocks,
            _ => unreachable!("just made an array"),
        }
    }

    /// Meant for the user who asked alone.
    pub fn is_ephemeral(&self) -> bool {
        self.0["response_type"] == "ephemeral"
    }

    /// The payload for a `response_url`: shown as `response_type` says;
    /// `replace_original`, when given, says whether it replaces the
    /// message it answers (Slack's default otherwise).
    pub fn for_response_url(
        &self,
        response_type: ResponseType,
        replace_original: Option<bool>,
    ) -> Value {
        let mut payload = self.0.clone();
        payload["response_type"] = response_type.as_str().into();
        if let Some(replace) = replace_original {
            payload["replace_original"] = replace.into();
        }
        payload
    }

    /// The payload's fields as Web API arguments (`chat.postMessage`,
    /// `chat.update`): `response_type` belongs to `response_url`s only.
    pub fn fields(&self) -> Map<String, Value> {
        let mut fields = self.0.as_object().cloned().unwrap_or_default();
        fields.remove("response_type");
        fields
    }

    /// The payload.
    pub fn into_json(self) -> Value {
        self.0
    }
}

impl Deref for Message {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.0
    }
}

impl PartialEq<Value> for Message {
    fn eq(&self, other: &Value) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_becomes_each_payload_slack_takes() {
        let message = Message::ephemeral("Hi".into(), vec![json!({"type": "divider"})]);
        assert!(message.is_ephemeral());
        assert_eq!(message.text(), "Hi");
        assert_eq!(message.blocks().len(), 1);
        let hook = message.for_response_url(ResponseType::InChannel, Some(false));
        assert_eq!(hook["response_type"], "in_channel");
        assert_eq!(hook["replace_original"], false);
        let reply = message.for_response_url(ResponseType::Ephemeral, None);
        assert!(reply.get("replace_original").is_none());
        assert!(!message.fields().contains_key("response_type"));
        assert_eq!(message.fields()["text"], "Hi");
    }
}
