//! Zoom webhooks, parsed just far enough to answer URL validation and to
//! compute a dedupe key, and turned into inbox rows the same way whether
//! they came to the webhook URL or over a WebSocket event subscription.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::store::InboundEvent;

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

/// Why an event is not stored, whatever transport brought it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Not a Zoom event: the text says what is wrong.
    #[error("{0}")]
    Malformed(String),
    /// An `app_deauthorized` that names another app's client id.
    #[error("app_deauthorized for another client")]
    ForeignDeauthorization,
}

/// The inbox source of Zoom events, by webhook or WebSocket alike: the
/// same event is one row whichever way it came.
pub const SOURCE: &str = "zoom.webhook";

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

/// Parses a Zoom event body (a webhook's, or the `content` of a WebSocket
/// message), refusing what is not JSON of an event.
pub fn parse(body: &[u8]) -> Result<Webhook, Refused> {
    std::str::from_utf8(body).map_err(|_| Refused::Malformed("body is not valid UTF-8".into()))?;
    let hook: Webhook = serde_json::from_slice(body)
        .map_err(|e| Refused::Malformed(format!("unexpected JSON: {e}")))?;
    if hook.event.is_empty() {
        return Err(Refused::Malformed("event is empty".into()));
    }
    Ok(hook)
}

impl Webhook {
    /// The inbox row of this event, whose raw text is `body`, after the
    /// checks that hold whatever transport brought it. `client_id` is
    /// the configured Zoom app's. URL validation is the webhook route's
    /// own business and never reaches this.
    pub fn into_inbound(
        self,
        body: Vec<u8>,
        client_id: Option<&str>,
    ) -> Result<InboundEvent, Refused> {
        if !self.payload.is_object() {
            return Err(Refused::Malformed("payload must be an object".into()));
        }
        // Text columns cannot hold NUL on PostgreSQL; no real event has one.
        // Every text the row keeps as a column is checked: the event name
        // and the account (the tenant). The body is stored as bytes.
        let account = self.payload["account_id"].as_str().unwrap_or_default();
        if self.event.contains('\0') || account.contains('\0') {
            return Err(Refused::Malformed("NUL characters are not accepted".into()));
        }
        // A deauthorization deletes data: it must name this app, whatever
        // the signature or connection says (another app of the same
        // account shares no secret, but the client id is what Zoom
        // documents to check).
        if self.event == "app_deauthorized" {
            let ours = client_id.unwrap_or_default();
            let theirs = self.payload["client_id"].as_str().unwrap_or_default();
            let same: bool =
                subtle::ConstantTimeEq::ct_eq(ours.as_bytes(), theirs.as_bytes()).into();
            if ours.is_empty() || !same {
                return Err(Refused::ForeignDeauthorization);
            }
        }
        Ok(InboundEvent {
            source: SOURCE,
            dedupe_key: self.dedupe_key(),
            tenant: self.payload["account_id"]
                .as_str()
                .filter(|a| !a.is_empty())
                .map(|a| format!("zoom:{a}"))
                .unwrap_or_default(),
            kind: self.event,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Webhook {
        serde_json::from_str(text).unwrap()
    }

    fn inbound(text: &str, client_id: Option<&str>) -> Result<InboundEvent, Refused> {
        super::parse(text.as_bytes())?.into_inbound(text.as_bytes().to_vec(), client_id)
    }

    #[test]
    fn an_event_becomes_a_row_of_its_account_under_its_dedupe_key() {
        let text = r#"{"event":"meeting.ended","event_ts":5,"payload":{"account_id":"A","object":{"uuid":"u"}}}"#;
        let row = inbound(text, None).unwrap();
        assert_eq!(row.source, SOURCE);
        assert_eq!(row.kind, "meeting.ended");
        assert_eq!(row.tenant, "zoom:A");
        assert_eq!(row.dedupe_key, parse(text).dedupe_key());
        assert_eq!(row.body, text.as_bytes());
    }

    #[test]
    fn what_is_not_an_event_is_refused() {
        for text in [
            "not json",
            r#"{"event":"","payload":{}}"#,
            r#"{"event":"meeting.ended","payload":[]}"#,
            r#"{"payload":{}}"#,
        ] {
            assert!(
                matches!(inbound(text, None), Err(Refused::Malformed(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn nul_in_any_stored_text_is_refused() {
        for text in [
            r#"{"event":"meeting.ended\u0000","payload":{"account_id":"A"}}"#,
            r#"{"event":"meeting.ended","payload":{"account_id":"A\u0000B"}}"#,
        ] {
            assert!(
                matches!(inbound(text, None), Err(Refused::Malformed(_))),
                "{text}"
            );
        }
        // A NUL inside the payload's other fields is kept: the body is bytes.
        let text = r#"{"event":"meeting.ended","payload":{"account_id":"A","topic":"a\u0000b"}}"#;
        assert!(inbound(text, None).is_ok());
    }

    #[test]
    fn a_deauthorization_must_name_this_app() {
        let text =
            r#"{"event":"app_deauthorized","payload":{"client_id":"ours","account_id":"A"}}"#;
        assert!(inbound(text, Some("ours")).is_ok());
        assert_eq!(
            inbound(text, Some("theirs")).unwrap_err(),
            Refused::ForeignDeauthorization
        );
        assert_eq!(
            inbound(text, None).unwrap_err(),
            Refused::ForeignDeauthorization
        );
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
