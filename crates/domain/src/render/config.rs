//! The `/zoom config` card.

use super::Message;
use super::blocks::{Button, actions, ephemeral, section};
use super::mrkdwn::{Md, escape_mrkdwn, md};
use crate::delivery::RecordingPolicy;
use crate::i18n::{Lang, Texts};
use crate::settings::{ConfigAction, LangSetting, UserSettings};
use crate::whiteboard::WhiteboardDetail;

/// The message naming a choice, used for its button and as "Now: …".
fn label_key(action: ConfigAction) -> &'static str {
    match action {
        ConfigAction::PasscodeOn
        | ConfigAction::PmiOn
        | ConfigAction::PhoneNoticesOn
        | ConfigAction::StatusSyncOn => "config-on",
        ConfigAction::PasscodeOff
        | ConfigAction::PmiOff
        | ConfigAction::PhoneNoticesOff
        | ConfigAction::StatusSyncOff => "config-off",
        ConfigAction::Lang(LangSetting::Auto) => "config-lang-auto",
        ConfigAction::Lang(LangSetting::En) => "config-lang-en",
        ConfigAction::Lang(LangSetting::Sv) => "config-lang-sv",
    }
}

/// The button's `value`: the choice itself, for logs and debugging.
fn value(action: ConfigAction) -> &'static str {
    match action {
        ConfigAction::PasscodeOn
        | ConfigAction::PmiOn
        | ConfigAction::PhoneNoticesOn
        | ConfigAction::StatusSyncOn => "on",
        ConfigAction::PasscodeOff
        | ConfigAction::PmiOff
        | ConfigAction::PhoneNoticesOff
        | ConfigAction::StatusSyncOff => "off",
        ConfigAction::Lang(LangSetting::Auto) => "auto",
        ConfigAction::Lang(LangSetting::En) => "en",
        ConfigAction::Lang(LangSetting::Sv) => "sv",
    }
}

/// One setting: what it is, its current value, and its buttons.
struct Setting {
    id: &'static str,
    title: &'static str,
    body: &'static str,
    choices: &'static [ConfigAction],
}

const SETTINGS: [Setting; 5] = [
    Setting {
        id: "config.passcode",
        title: "config-passcode-title",
        body: "config-passcode-body",
        choices: &[ConfigAction::PasscodeOn, ConfigAction::PasscodeOff],
    },
    Setting {
        id: "config.pmi",
        title: "config-pmi-title",
        body: "config-pmi-body",
        choices: &[ConfigAction::PmiOn, ConfigAction::PmiOff],
    },
    Setting {
        id: "config.lang",
        title: "config-lang-title",
        body: "config-lang-body",
        choices: &[
            ConfigAction::Lang(LangSetting::Auto),
            ConfigAction::Lang(LangSetting::En),
            ConfigAction::Lang(LangSetting::Sv),
        ],
    },
    Setting {
        id: "config.phone",
        title: "config-phone-title",
        body: "config-phone-body",
        choices: &[ConfigAction::PhoneNoticesOn, ConfigAction::PhoneNoticesOff],
    },
    Setting {
        id: "config.status",
        title: "status-config-title",
        body: "status-config-body",
        choices: &[ConfigAction::StatusSyncOn, ConfigAction::StatusSyncOff],
    },
];

/// The current choice's label for a setting.
fn current_label(t: &Texts, lang: Lang, setting: &Setting, settings: &UserSettings) -> String {
    let current = setting.choices.iter().find(|c| c.is_current(settings));
    t.get(lang, current.map_or("config-off", |c| label_key(*c)), &[])
}

/// Ephemeral card with the user's settings, their current values, and a
/// button per choice; the current choice's button is highlighted. The
/// buttons' `action_id`s are [`ConfigAction::action_id`]. When the
/// workspace's admins turned Zoom Phone notifications off
/// (`workspace_phone_notices` false), that setting says so instead of
/// offering buttons that would change nothing.
pub fn config_card(
    t: &Texts,
    lang: Lang,
    settings: &UserSettings,
    workspace_phone_notices: bool,
) -> Message {
    let title = escape_mrkdwn(&t.get(lang, "config-title", &[]));
    let mut blocks = vec![section("config", format!("*{title}*"))];
    for setting in &SETTINGS {
        if setting.id == "config.phone" && !workspace_phone_notices {
            let text = format!(
                "*{}*\n{}",
                escape_mrkdwn(&t.get(lang, setting.title, &[])),
                escape_mrkdwn(&t.get(lang, "config-phone-off-by-workspace", &[])),
            );
            blocks.push(section(&format!("{}.info", setting.id), text));
            continue;
        }
        let current = current_label(t, lang, setting, settings);
        let text = format!(
            "*{}*\n{}\n{}",
            escape_mrkdwn(&t.get(lang, setting.title, &[])),
            escape_mrkdwn(&t.get(lang, setting.body, &[])),
            md(t, lang, "config-current", &[("value", Md::Text(&current))]),
        );
        blocks.push(section(&format!("{}.info", setting.id), text));
        let buttons = setting
            .choices
            .iter()
            .map(|&choice| {
                let label = t.get(lang, label_key(choice), &[]);
                Button::action(label, choice.action_id(), value(choice))
                    .primary(choice.is_current(settings))
            })
            .collect();
        blocks.push(actions(setting.id, buttons));
    }
    let [passcode, pmi, language, phone, _status] =
        SETTINGS.map(|s| current_label(t, lang, &s, settings));
    let fallback = md(
        t,
        lang,
        "config-fallback",
        &[
            ("passcode", Md::Text(&passcode)),
            ("pmi", Md::Text(&pmi)),
            ("language", Md::Text(&language)),
            ("phone", Md::Text(&phone)),
        ],
    );
    ephemeral(fallback, blocks)
}

/// The workspace's recording choices, in the order of their buttons.
const POLICIES: [RecordingPolicy; 3] = [
    RecordingPolicy::Conversation,
    RecordingPolicy::HostOnly,
    RecordingPolicy::Nowhere,
];

/// The `action_id` of the button choosing `policy`, e.g.
/// `"config.recordings.host_only"`.
pub fn recording_policy_action_id(policy: RecordingPolicy) -> &'static str {
    match policy {
        RecordingPolicy::Conversation => "config.recordings.conversation",
        RecordingPolicy::HostOnly => "config.recordings.host_only",
        RecordingPolicy::Nowhere => "config.recordings.nowhere",
    }
}

/// The policy a clicked `action_id` chooses, if it is one of those buttons.
pub fn recording_policy_of_action(action_id: &str) -> Option<RecordingPolicy> {
    POLICIES
        .into_iter()
        .find(|p| recording_policy_action_id(*p) == action_id)
}

pub(crate) fn policy_label(policy: RecordingPolicy) -> &'static str {
    match policy {
        RecordingPolicy::Conversation => "config-recordings-conversation",
        RecordingPolicy::HostOnly => "config-recordings-host",
        RecordingPolicy::Nowhere => "config-recordings-nowhere",
    }
}

/// The `action_id` of the workspace-wide Zoom Phone notifications button.
pub fn workspace_phone_action_id(on: bool) -> &'static str {
    if on {
        "config.workspace_phone.on"
    } else {
        "config.workspace_phone.off"
    }
}

/// Whether a clicked `action_id` turns the workspace's Zoom Phone
/// notifications on (`Some(true)`) or off (`Some(false)`).
pub fn workspace_phone_of_action(action_id: &str) -> Option<bool> {
    [true, false]
        .into_iter()
        .find(|on| workspace_phone_action_id(*on) == action_id)
}

/// The workspace settings only admins see and change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceSettings {
    /// Where recording links and AI summaries go.
    pub recordings: RecordingPolicy,
    /// Whether anyone gets Zoom Phone DMs.
    pub phone_notices: bool,
    /// Where whiteboard unfurls show the board's details.
    pub whiteboards: WhiteboardDetail,
}

/// `"config.whiteboards.everywhere"` and so on: the button that picks
/// `detail`.
pub fn whiteboard_detail_action_id(detail: WhiteboardDetail) -> &'static str {
    match detail {
        WhiteboardDetail::Everywhere => "config.whiteboards.everywhere",
        WhiteboardDetail::PrivateOnly => "config.whiteboards.private_only",
        WhiteboardDetail::Nowhere => "config.whiteboards.nowhere",
    }
}

/// The choice a whiteboard button picks, or None for other buttons.
pub fn whiteboard_detail_of_action(action_id: &str) -> Option<WhiteboardDetail> {
    WhiteboardDetail::ALL
        .into_iter()
        .find(|d| whiteboard_detail_action_id(*d) == action_id)
}

pub(crate) fn whiteboard_label(detail: WhiteboardDetail) -> &'static str {
    match detail {
        WhiteboardDetail::Everywhere => "config-whiteboards-everywhere",
        WhiteboardDetail::PrivateOnly => "config-whiteboards-private",
        WhiteboardDetail::Nowhere => "config-whiteboards-nowhere",
    }
}

/// One workspace setting: its title, what it does, the current choice and
/// a button per choice, the current one highlighted.
fn workspace_setting<'a>(
    t: &Texts,
    lang: Lang,
    (title, body): (&str, &str),
    current: &str,
    buttons: Vec<Button<'a>>,
) -> (String, Vec<Button<'a>>) {
    let text = format!(
        "*{}*\n{}\n{}",
        escape_mrkdwn(&t.get(lang, title, &[])),
        escape_mrkdwn(&t.get(lang, body, &[])),
        md(t, lang, "config-current", &[("value", Md::Text(current))]),
    );
    (text, buttons)
}

/// `card` (from [`config_card`]) with the workspace settings only admins
/// see: where recording links and AI summaries go, whether anyone gets
/// Zoom Phone DMs, and where whiteboard unfurls show details.
pub fn with_workspace_settings(
    t: &Texts,
    lang: Lang,
    mut card: Message,
    settings: WorkspaceSettings,
) -> Message {
    let recordings = workspace_setting(
        t,
        lang,
        ("config-recordings-title", "config-recordings-body"),
        &t.get(lang, policy_label(settings.recordings), &[]),
        POLICIES
            .iter()
            .map(|&choice| {
                let label = t.get(lang, policy_label(choice), &[]);
                Button::action(label, recording_policy_action_id(choice), choice.as_str())
                    .primary(choice == settings.recordings)
            })
            .collect(),
    );
    let on_off = |on: bool| if on { "config-on" } else { "config-off" };
    let phone = workspace_setting(
        t,
        lang,
        (
            "config-workspace-phone-title",
            "config-workspace-phone-body",
        ),
        &t.get(lang, on_off(settings.phone_notices), &[]),
        [true, false]
            .into_iter()
            .map(|on| {
                Button::action(
                    t.get(lang, on_off(on), &[]),
                    workspace_phone_action_id(on),
                    if on { "on" } else { "off" },
                )
                .primary(on == settings.phone_notices)
            })
            .collect(),
    );
    let whiteboards = workspace_setting(
        t,
        lang,
        ("config-whiteboards-title", "config-whiteboards-body"),
        &t.get(lang, whiteboard_label(settings.whiteboards), &[]),
        WhiteboardDetail::ALL
            .into_iter()
            .map(|choice| {
                Button::action(
                    t.get(lang, whiteboard_label(choice), &[]),
                    whiteboard_detail_action_id(choice),
                    choice.as_str(),
                )
                .primary(choice == settings.whiteboards)
            })
            .collect(),
    );
    let blocks = card.blocks_mut();
    for (id, (text, buttons)) in [
        ("config.recordings", recordings),
        ("config.workspace_phone", phone),
        ("config.whiteboards", whiteboards),
    ] {
        blocks.push(section(&format!("{id}.info"), text));
        blocks.push(actions(id, buttons));
    }
    card
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recording_button_names_its_policy() {
        for policy in POLICIES {
            let id = recording_policy_action_id(policy);
            assert_eq!(recording_policy_of_action(id), Some(policy));
        }
        assert_eq!(recording_policy_of_action("config.pmi.on"), None);
    }
}
