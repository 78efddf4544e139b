//! Answers to `view_submission`s, which Slack wants in the response to the
//! request itself (or, over Socket Mode, in the ack's `payload`): a modal
//! with invalid input stays open with its errors shown next to the fields.
//! This runs before the request is stored, so it is pure: it reads only
//! the submission (and the `private_metadata` the modal was opened with).

use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use zlack_domain::i18n::Lang;
use zlack_domain::{Texts, render};

use crate::clock::Millis;

/// The `callback_id` of the settings modal (`/zoom config`, Home's
/// Settings button).
pub const SETTINGS: &str = render::settings_modal::CALLBACK_ID;

/// The `callback_id` of the schedule modal (`/zoom schedule` alone).
pub const SCHEDULE: &str = render::schedule_modal::CALLBACK_ID;

/// What a modal keeps in its `private_metadata`: what its answer needs
/// and nothing secret (no tokens, no `response_url`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ViewMetadata {
    /// The language the modal was shown in: its errors come in it too.
    pub lang: Option<String>,
    /// The conversation the modal was opened from, when it matters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

impl ViewMetadata {
    /// For a modal shown in `lang`.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang: Some(lang.code().to_owned()),
            channel: None,
        }
    }

    /// As `private_metadata` text.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read back from a submitted view; defaults when absent or unreadable.
    pub fn of(view: &Value) -> Self {
        view["private_metadata"]
            .as_str()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    /// The language it names, English by default.
    pub fn language(&self) -> Lang {
        match self.lang.as_deref() {
            Some("sv") => Lang::Sv,
            _ => Lang::En,
        }
    }
}

/// The messages the answers are written with. The modals' error messages
/// do not name the slash command, so `ZLACK_SLASH_COMMAND` does not matter
/// here (a test of `zlack_domain::i18n` checks that).
fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(Texts::new)
}

/// The synchronous answer to interaction `payload` received at `now_ms`:
/// `Some(body)` is the whole answer (the modal stays open showing the
/// errors, and nothing is stored); `None` means store the request as
/// usual and answer with an empty 200, which closes the modal.
pub fn answer(payload: &Value, now_ms: Millis) -> Option<Value> {
    if payload["type"] != "view_submission" {
        return None;
    }
    let view = &payload["view"];
    let lang = ViewMetadata::of(view).language();
    let values = &view["state"]["values"];
    let errors = match view["callback_id"].as_str()? {
        SETTINGS => render::settings_modal::parse(values)
            .err()
            .map(|errors| render::settings_modal::error_texts(texts(), lang, &errors)),
        SCHEDULE => {
            let now =
                jiff::Timestamp::from_millisecond(now_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            render::schedule_modal::parse(values, now)
                .err()
                .map(|errors| {
                    let zone = render::schedule_modal::submitted_zone(values);
                    render::schedule_modal::error_texts(texts(), lang, &errors, &zone)
                })
        }
        _ => None,
    };
    errors.filter(|e| !e.is_empty()).map(errors_body)
}

/// `{"response_action":"errors","errors":{block_id: message}}`.
pub fn errors_body(errors: Vec<(String, String)>) -> Value {
    let errors: Map<String, Value> = errors
        .into_iter()
        .map(|(block, message)| (block, Value::String(message)))
        .collect();
    json!({"response_action": "errors", "errors": errors})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_view_submissions_get_an_answer() {
        let press = json!({"type": "block_actions", "view": {"callback_id": SETTINGS}});
        assert_eq!(answer(&press, 0), None);
        let unknown = json!({"type": "view_submission", "view": {"callback_id": "other"}});
        assert_eq!(answer(&unknown, 0), None);
    }

    #[test]
    fn hostile_submissions_get_an_answer_or_none_and_never_a_panic() {
        let deep = (0..200).fold(json!("x"), |inner, _| json!({"choice": inner}));
        for view in [
            json!(null),
            json!([]),
            json!({"callback_id": SETTINGS}),
            json!({"callback_id": SETTINGS, "state": "values"}),
            json!({"callback_id": SETTINGS, "state": {"values": []}}),
            json!({"callback_id": SETTINGS, "private_metadata": 7, "state": {"values": {
                "settings.pmi": [], "settings.passcode": {"choice": []},
                "settings.language": {"choice": {"selected_option": {"value": 1}}},
                "workspace.recordings": deep,
                "unknown.block": {"choice": {"selected_option": {"value": "on"}}}
            }}}),
            json!({"callback_id": 12}),
        ] {
            let payload = json!({"type": "view_submission", "view": view});
            if let Some(body) = answer(&payload, 0) {
                assert_eq!(body["response_action"], "errors");
                let errors = body["errors"].as_object().unwrap();
                assert!(!errors.is_empty() && errors.keys().all(|k| !k.starts_with("unknown")));
            }
        }
    }

    #[test]
    fn schedule_submissions_in_the_past_keep_the_modal_open_in_its_language() {
        let values = json!({
            "schedule.date": {"value": {"selected_date": "2026-12-07"}},
            "schedule.time": {"value": {"selected_time": "09:30"}},
            "schedule.duration": {"value": {"selected_option": {"value": "30"}}},
            "schedule.zone": {"value": {"selected_option": {"value": "Europe/Stockholm"}}},
            "schedule.conversation": {"value": {"selected_conversation": "C1"}},
        });
        let submission = |values: &Value| {
            json!({"type": "view_submission", "view": {
                "callback_id": SCHEDULE,
                "private_metadata": r#"{"lang":"sv","channel":"C1","tz":"Europe/Stockholm"}"#,
                "state": {"values": values},
            }})
        };
        // 09:00 UTC: 10:00 in Stockholm.
        let now = 1_796_634_000_000;
        let answer = answer(&submission(&values), now).expect("refused");
        assert_eq!(answer["response_action"], "errors");
        let error = answer["errors"]["schedule.time"].as_str().unwrap();
        assert!(error.contains("har redan passerat"), "{error}");
        let mut later = values.clone();
        later["schedule.time"]["value"]["selected_time"] = "10:30".into();
        assert_eq!(super::answer(&submission(&later), now), None);
    }

    #[test]
    fn metadata_round_trips_and_defaults_to_english() {
        let meta = ViewMetadata::new(Lang::Sv);
        let view = json!({"private_metadata": meta.encode()});
        assert_eq!(ViewMetadata::of(&view).language(), Lang::Sv);
        assert_eq!(ViewMetadata::of(&json!({})).language(), Lang::En);
        assert_eq!(
            ViewMetadata::of(&json!({"private_metadata": "not json"})).language(),
            Lang::En
        );
    }
}
