//! Zoom webhooks, parsed just far enough to answer URL validation and to
//! compute a dedupe key.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A Zoom webhook envelope; the payload stays raw until a job reads it.
#[derive(Debug, Deserialize)]
pub struct Webhook {
    /// The event name, such as `meeting.started`.
    pub event: String,
    /// When Zoom sent the event, in milliseconds since the epoch.
    #[serde(default)]
    pub event_ts: Option<i64>,
    /// The event's body, unparsed.
    pub payload: Value,
}

#[derive(Debug, Deserialize)]
struct UrlValidation {
    #[serde(rename = "plainToken")]
    plain_token: String,
}

impl Webhook {
    /// Zoom's check of the endpoint, answered from its `plainToken`.
    pub const URL_VALIDATION: &'static str = "endpoint.url_validation";

    /// The `plainToken` of an `endpoint.url_validation` request.
    pub fn plain_token(&self) -> Option<String> {
        serde_json::from_value::<UrlValidation>(self.payload.clone())
            .ok()
            .map(|v| v.plain_token)
            .filter(|t| !t.is_empty())
    }

    /// A redelivery carries the same event name, `event_ts` and payload, so
    /// those name the event. The payload is hashed in canonical form (keys
    /// sorted) so a re-serialised redelivery still matches, and two
    /// participants joining in the same millisecond still differ.
    pub fn dedupe_key(&self) -> String {
        let canonical = serde_json::to_vec(&self.payload).unwrap_or_default();
        let digest = hex::encode(Sha256::digest(&canonical));
        format!(
            "zoom:{}:{}:{}",
            self.event,
            self.event_ts.unwrap_or_default(),
            &digest[..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Webhook {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn redeliveries_share_a_dedupe_key_whatever_the_key_order() {
        let a = parse(
            r#"{"event":"meeting.ended","event_ts":5,"payload":{"account_id":"A","object":{"uuid":"u","id":1}}}"#,
        );
        let b = parse(
            r#"{"payload":{"object":{"id":1,"uuid":"u"},"account_id":"A"},"event_ts":5,"event":"meeting.ended"}"#,
        );
        assert_eq!(a.dedupe_key(), b.dedupe_key());
    }

    #[test]
    fn different_participants_at_the_same_instant_differ() {
        let a = parse(
            r#"{"event":"meeting.participant_joined","event_ts":5,"payload":{"object":{"uuid":"u","participant":{"user_id":"1"}}}}"#,
        );
        let b = parse(
            r#"{"event":"meeting.participant_joined","event_ts":5,"payload":{"object":{"uuid":"u","participant":{"user_id":"2"}}}}"#,
        );
        assert_ne!(a.dedupe_key(), b.dedupe_key());
    }

    #[test]
    fn url_validation_needs_a_plain_token() {
        let ok = parse(r#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#);
        assert_eq!(ok.plain_token().as_deref(), Some("abc"));
        let missing = parse(r#"{"event":"endpoint.url_validation","payload":{}}"#);
        assert_eq!(missing.plain_token(), None);
    }
}
