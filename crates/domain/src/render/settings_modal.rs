//! The settings modal (`/zoom config`, the Home tab's Settings button):
//! the user's own settings and, for workspace admins, the workspace's.
//! [`parse`] reads a submission back and says which fields are invalid.

use serde_json::{Value, json};

use super::config::{WorkspaceSettings, policy_label, whiteboard_label};
use super::mrkdwn::{clip, escape_mrkdwn};
use crate::delivery::RecordingPolicy;
use crate::i18n::{Lang, Texts};
use crate::settings::{LangSetting, UserSettings};
use crate::whiteboard::WhiteboardDetail;

/// The modal's `callback_id`.
pub const CALLBACK_ID: &str = "zlack.settings";

/// The `action_id` of every choice in the modal (each is alone in its
/// input block, which names the setting).
pub const CHOICE: &str = "choice";

/// The input blocks, by setting.
pub mod block {
    pub const PASSCODE: &str = "settings.passcode";
    pub const PMI: &str = "settings.pmi";
    pub const LANGUAGE: &str = "settings.language";
    pub const PHONE: &str = "settings.phone";
    pub const STATUS_SYNC: &str = "settings.status_sync";
    pub const RECORDINGS: &str = "workspace.recordings";
    pub const WORKSPACE_PHONE: &str = "workspace.phone";
    pub const WHITEBOARDS: &str = "workspace.whiteboards";
}

/// Characters in a modal's title, submit and close text.
pub const MODAL_TEXT: usize = 24;
/// Characters in an input's label and an option's text.
const LABEL: usize = 75;
/// Characters in an input's hint.
const HINT: usize = 150;

/// What the modal shows.
#[derive(Debug, Clone, Copy)]
pub struct SettingsModal<'a> {
    /// The user's settings now.
    pub settings: &'a UserSettings,
    /// Whether the workspace lets anyone get Zoom Phone notices.
    pub workspace_phone_notices: bool,
    /// The workspace's settings, for those who may change them.
    pub workspace: Option<WorkspaceSettings>,
    /// Kept in the view for the submission's answer (never secret).
    pub private_metadata: &'a str,
}

/// A `plain_text` object of at most `max` characters.
pub(crate) fn plain(text: &str, max: usize) -> Value {
    json!({"type": "plain_text", "text": clip(text, max)})
}

/// One choice: its `value` and its label's message.
type Choice = (&'static str, &'static str);

const ON_OFF: [Choice; 2] = [("on", "config-on"), ("off", "config-off")];
const LANGUAGES: [Choice; 3] = [
    ("auto", "config-lang-auto"),
    ("en", "config-lang-en"),
    ("sv", "config-lang-sv"),
];

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn lang_value(lang: LangSetting) -> &'static str {
    match lang {
        LangSetting::Auto => "auto",
        LangSetting::En => "en",
        LangSetting::Sv => "sv",
    }
}

fn recording_choices() -> Vec<(&'static str, &'static str)> {
    [
        RecordingPolicy::Conversation,
        RecordingPolicy::HostOnly,
        RecordingPolicy::Nowhere,
    ]
    .into_iter()
    .map(|p| (p.as_str(), policy_label(p)))
    .collect()
}

fn whiteboard_choices() -> Vec<(&'static str, &'static str)> {
    WhiteboardDetail::ALL
        .into_iter()
        .map(|d| (d.as_str(), whiteboard_label(d)))
        .collect()
}

/// An input block choosing one of `choices` with radio buttons, `current`
/// selected.
fn radio_input(
    t: &Texts,
    lang: Lang,
    block_id: &str,
    (label, hint): (&str, &str),
    choices: &[Choice],
    current: &str,
) -> Value {
    let option = |(value, key): &Choice| json!({"text": plain(&t.get(lang, key, &[]), LABEL), "value": value});
    let options: Vec<Value> = choices.iter().map(option).collect();
    let mut element = json!({"type": "radio_buttons", "action_id": CHOICE, "options": options});
    if let Some(selected) = choices.iter().find(|(value, _)| *value == current) {
        element["initial_option"] = option(selected);
    }
    json!({
        "type": "input",
        "block_id": block_id,
        "label": plain(&t.get(lang, label, &[]), LABEL),
        "hint": plain(&t.get(lang, hint, &[]), HINT),
        "element": element,
    })
}

/// The settings modal, as `views.open` takes it.
pub fn settings_modal(t: &Texts, lang: Lang, modal: SettingsModal<'_>) -> Value {
    let s = modal.settings;
    let mut blocks = vec![
        radio_input(
            t,
            lang,
            block::PASSCODE,
            ("config-passcode-title", "home-settings-passcode-hint"),
            &ON_OFF,
            on_off(s.show_passcode),
        ),
        radio_input(
            t,
            lang,
            block::PMI,
            ("config-pmi-title", "home-settings-pmi-hint"),
            &ON_OFF,
            on_off(s.use_pmi),
        ),
        radio_input(
            t,
            lang,
            block::LANGUAGE,
            ("config-lang-title", "home-settings-language-hint"),
            &LANGUAGES,
            lang_value(s.language),
        ),
    ];
    if modal.workspace_phone_notices {
        blocks.push(radio_input(
            t,
            lang,
            block::PHONE,
            ("config-phone-title", "home-settings-phone-hint"),
            &ON_OFF,
            on_off(s.phone_notices),
        ));
    } else {
        blocks.push(json!({
            "type": "context",
            "block_id": "settings.phone.off",
            "elements": [{
                "type": "mrkdwn",
                "text": escape_mrkdwn(&t.get(lang, "config-phone-off-by-workspace", &[])),
            }],
        }));
    }
    blocks.push(radio_input(
        t,
        lang,
        block::STATUS_SYNC,
        ("home-settings-status-title", "home-settings-status-hint"),
        &ON_OFF,
        on_off(s.status_sync),
    ));
    if let Some(w) = modal.workspace {
        blocks.push(json!({"type": "divider"}));
        blocks.push(json!({
            "type": "header",
            "block_id": "workspace",
            "text": plain(&t.get(lang, "home-settings-workspace-header", &[]), 150),
        }));
        blocks.push(json!({
            "type": "context",
            "block_id": "workspace.about",
            "elements": [{
                "type": "mrkdwn",
                "text": escape_mrkdwn(&t.get(lang, "home-settings-workspace-about", &[])),
            }],
        }));
        blocks.push(radio_input(
            t,
            lang,
            block::RECORDINGS,
            ("config-recordings-title", "home-settings-recordings-hint"),
            &recording_choices(),
            w.recordings.as_str(),
        ));
        blocks.push(radio_input(
            t,
            lang,
            block::WORKSPACE_PHONE,
            (
                "config-workspace-phone-title",
                "home-settings-workspace-phone-hint",
            ),
            &ON_OFF,
            on_off(w.phone_notices),
        ));
        blocks.push(radio_input(
            t,
            lang,
            block::WHITEBOARDS,
            ("config-whiteboards-title", "home-settings-whiteboards-hint"),
            &whiteboard_choices(),
            w.whiteboards.as_str(),
        ));
    }
    json!({
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain(&t.get(lang, "home-settings-modal-title", &[]), MODAL_TEXT),
        "submit": plain(&t.get(lang, "home-settings-modal-save", &[]), MODAL_TEXT),
        "close": plain(&t.get(lang, "home-settings-modal-cancel", &[]), MODAL_TEXT),
        "private_metadata": modal.private_metadata,
        "blocks": blocks,
    })
}

/// What a submission chose; `None` where the field was not in the form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettingsChoices {
    pub show_passcode: Option<bool>,
    pub use_pmi: Option<bool>,
    pub language: Option<LangSetting>,
    pub phone_notices: Option<bool>,
    pub status_sync: Option<bool>,
    pub recordings: Option<RecordingPolicy>,
    pub workspace_phone: Option<bool>,
    pub whiteboards: Option<WhiteboardDetail>,
}

impl SettingsChoices {
    /// `current` with the user's choices applied.
    pub fn user_settings(&self, current: &UserSettings) -> UserSettings {
        let mut next = *current;
        if let Some(v) = self.show_passcode {
            next.show_passcode = v;
        }
        if let Some(v) = self.use_pmi {
            next.use_pmi = v;
        }
        if let Some(v) = self.language {
            next.language = v;
        }
        if let Some(v) = self.phone_notices {
            next.phone_notices = v;
        }
        if let Some(v) = self.status_sync {
            next.status_sync = v;
        }
        next
    }

    /// `current` with the workspace choices applied.
    pub fn workspace_settings(&self, current: WorkspaceSettings) -> WorkspaceSettings {
        WorkspaceSettings {
            recordings: self.recordings.unwrap_or(current.recordings),
            phone_notices: self.workspace_phone.unwrap_or(current.phone_notices),
            whiteboards: self.whiteboards.unwrap_or(current.whiteboards),
        }
    }

    /// Whether the submission has any workspace field.
    pub fn has_workspace_fields(&self) -> bool {
        self.recordings.is_some() || self.workspace_phone.is_some() || self.whiteboards.is_some()
    }
}

/// Why a field of a submission is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    /// Nothing was chosen.
    Missing,
    /// The value is not one of the field's choices.
    NotAChoice,
}

/// The submitted `value` of `block_id`: `Ok(None)` when the block is not
/// in the form.
fn selected<'a>(values: &'a Value, block_id: &str) -> Result<Option<&'a str>, FieldError> {
    let Some(block) = values.get(block_id) else {
        return Ok(None);
    };
    let option = &block[CHOICE]["selected_option"];
    if option.is_null() {
        return Err(FieldError::Missing);
    }
    option["value"]
        .as_str()
        .map(Some)
        .ok_or(FieldError::NotAChoice)
}

/// Reads a submission's `view.state.values`. Each field present must hold
/// one of its choices; the refused fields come back by block id.
pub fn parse(values: &Value) -> Result<SettingsChoices, Vec<(String, FieldError)>> {
    let mut errors = Vec::new();
    let mut field = |block_id: &str, read: &dyn Fn(&str) -> bool| match selected(values, block_id) {
        Ok(Some(value)) if read(value) => Some(value.to_owned()),
        Ok(Some(_)) => {
            errors.push((block_id.to_owned(), FieldError::NotAChoice));
            None
        }
        Ok(None) => None,
        Err(error) => {
            errors.push((block_id.to_owned(), error));
            None
        }
    };
    let is_on_off = |v: &str| v == "on" || v == "off";
    let is_lang = |v: &str| LANGUAGES.iter().any(|(value, _)| *value == v);
    let is_policy = |v: &str| RecordingPolicy::parse(v).is_some();
    let is_detail = |v: &str| WhiteboardDetail::parse(v).is_some();
    let on = |v: Option<String>| v.map(|v| v == "on");
    let choices = SettingsChoices {
        show_passcode: on(field(block::PASSCODE, &is_on_off)),
        use_pmi: on(field(block::PMI, &is_on_off)),
        language: field(block::LANGUAGE, &is_lang).map(|v| match v.as_str() {
            "en" => LangSetting::En,
            "sv" => LangSetting::Sv,
            _ => LangSetting::Auto,
        }),
        phone_notices: on(field(block::PHONE, &is_on_off)),
        status_sync: on(field(block::STATUS_SYNC, &is_on_off)),
        recordings: field(block::RECORDINGS, &is_policy)
            .as_deref()
            .and_then(RecordingPolicy::parse),
        workspace_phone: on(field(block::WORKSPACE_PHONE, &is_on_off)),
        whiteboards: field(block::WHITEBOARDS, &is_detail)
            .as_deref()
            .and_then(WhiteboardDetail::parse),
    };
    if errors.is_empty() {
        Ok(choices)
    } else {
        Err(errors)
    }
}

/// The messages shown under refused fields, by block id.
pub fn error_texts(
    t: &Texts,
    lang: Lang,
    errors: &[(String, FieldError)],
) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(block, error)| {
            let key = match error {
                FieldError::Missing => "home-settings-error-missing",
                FieldError::NotAChoice => "home-settings-error-choice",
            };
            (block.clone(), t.get(lang, key, &[]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(block: &str, value: &str) -> (String, Value) {
        (
            block.to_owned(),
            json!({CHOICE: {"type": "radio_buttons", "selected_option": {"value": value}}}),
        )
    }

    #[test]
    fn a_submission_reads_back_as_its_choices() {
        let values: serde_json::Map<String, Value> = [
            pick(block::PASSCODE, "on"),
            pick(block::LANGUAGE, "sv"),
            pick(block::RECORDINGS, "host_only"),
            pick(block::WHITEBOARDS, "nowhere"),
        ]
        .into_iter()
        .collect();
        let choices = parse(&Value::Object(values)).unwrap();
        assert_eq!(choices.show_passcode, Some(true));
        assert_eq!(choices.use_pmi, None);
        assert_eq!(choices.language, Some(LangSetting::Sv));
        assert_eq!(choices.recordings, Some(RecordingPolicy::HostOnly));
        assert_eq!(choices.whiteboards, Some(WhiteboardDetail::Nowhere));
        assert!(choices.has_workspace_fields());
        let next = choices.user_settings(&UserSettings::default());
        assert!(next.show_passcode && !next.use_pmi);
    }

    #[test]
    fn values_outside_the_choices_are_refused_by_field() {
        let values: serde_json::Map<String, Value> = [
            pick(block::PASSCODE, "maybe"),
            pick(block::RECORDINGS, "everyone"),
            (block::PMI.to_owned(), json!({CHOICE: {}})),
            pick(block::STATUS_SYNC, "on"),
        ]
        .into_iter()
        .collect();
        let mut errors = parse(&Value::Object(values)).unwrap_err();
        errors.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            errors,
            vec![
                (block::PASSCODE.to_owned(), FieldError::NotAChoice),
                (block::PMI.to_owned(), FieldError::Missing),
                (block::RECORDINGS.to_owned(), FieldError::NotAChoice),
            ]
        );
    }

    #[test]
    fn an_empty_form_changes_nothing() {
        let choices = parse(&json!({})).unwrap();
        assert_eq!(choices, SettingsChoices::default());
        assert!(!choices.has_workspace_fields());
    }
}
