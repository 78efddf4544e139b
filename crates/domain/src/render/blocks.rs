//! Block Kit JSON builders that enforce Slack's limits.

use serde_json::{Value, json};

use super::Message;
use super::limits;
use super::mrkdwn::{clip, fit};

/// A message anyone in the conversation sees (posted, or `in_channel`
/// through a `response_url`; the caller decides).
pub(crate) fn message(fallback: String, blocks: Vec<Value>) -> Message {
    Message::new(fallback, blocks)
}

/// A reply only the user who ran the command sees.
pub(crate) fn ephemeral(fallback: String, blocks: Vec<Value>) -> Message {
    Message::ephemeral(fallback, blocks)
}

/// A section of mrkdwn text.
pub(crate) fn section(block_id: &str, mrkdwn: String) -> Value {
    json!({
        "type": "section",
        "block_id": block_id,
        "text": {"type": "mrkdwn", "text": fit(mrkdwn, limits::SECTION_TEXT)},
    })
}

/// A row of buttons.
pub(crate) fn actions(block_id: &str, buttons: Vec<Button>) -> Value {
    let elements: Vec<Value> = buttons.into_iter().map(Button::into_json).collect();
    json!({"type": "actions", "block_id": block_id, "elements": elements})
}

/// Slack's native Call object, posted after `calls.add`.
pub(crate) fn call(call_id: &str) -> Value {
    json!({"type": "call", "call_id": call_id})
}

/// A button: a link when `url` is set, otherwise an action for the server.
pub(crate) struct Button<'a> {
    pub(crate) label: String,
    pub(crate) action_id: &'a str,
    pub(crate) url: Option<&'a str>,
    pub(crate) value: Option<&'a str>,
    pub(crate) primary: bool,
}

impl<'a> Button<'a> {
    /// A link button.
    pub(crate) fn link(label: String, action_id: &'a str, url: &'a str) -> Self {
        Button {
            label,
            action_id,
            url: Some(url),
            value: None,
            primary: false,
        }
    }

    /// An action button carrying `value`.
    pub(crate) fn action(label: String, action_id: &'a str, value: &'a str) -> Self {
        Button {
            label,
            action_id,
            url: None,
            value: Some(value),
            primary: false,
        }
    }

    /// Highlights the button (Slack's green `primary` style).
    pub(crate) fn primary(mut self, primary: bool) -> Self {
        self.primary = primary;
        self
    }

    /// Adds a `value` to a link button, e.g. the meeting ID for the logs.
    pub(crate) fn with_value(mut self, value: &'a str) -> Self {
        self.value = Some(value);
        self
    }

    pub(crate) fn into_json(self) -> Value {
        debug_assert!(self.action_id.len() <= limits::ACTION_ID);
        let mut button = json!({
            "type": "button",
            "text": {
                "type": "plain_text",
                "text": clip(&self.label, limits::BUTTON_TEXT),
                "emoji": true,
            },
            "action_id": self.action_id,
        });
        if let Some(url) = self.url {
            button["url"] = json!(url);
        }
        if let Some(value) = self.value {
            button["value"] = json!(clip(value, limits::ACTION_ID));
        }
        if self.primary {
            button["style"] = json!("primary");
        }
        button
    }
}
