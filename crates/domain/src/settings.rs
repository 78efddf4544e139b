//! A user's `/zoom config` choices and the buttons that change them.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The language a user chose in `/zoom config`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangSetting {
    /// Follow the user's Slack locale.
    #[default]
    Auto,
    /// Always English.
    En,
    /// Always Swedish.
    Sv,
}

impl LangSetting {
    /// The language to use for a user whose Slack locale is `slack_locale`.
    pub fn resolve(self, slack_locale: &str) -> Lang {
        match self {
            LangSetting::Auto => Lang::from_slack_locale(slack_locale),
            LangSetting::En => Lang::En,
            LangSetting::Sv => Lang::Sv,
        }
    }
}

/// A user's settings. Missing fields deserialize to their defaults, so
/// settings stored by an older version still load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserSettings {
    /// Show the meeting passcode on meeting cards. Off by default: anyone
    /// who can read the channel could join.
    pub show_passcode: bool,
    /// Start `/zoom` meetings in the personal meeting ID.
    pub use_pmi: bool,
    /// Message language.
    pub language: LangSetting,
    /// DMs about the user's ended and missed Zoom Phone calls and their
    /// recordings. On by default.
    pub phone_notices: bool,
    /// Show in Slack when the user is in a Zoom meeting or call (their
    /// Slack status, through a user token they grant). Off by default.
    pub status_sync: bool,
}

impl Default for UserSettings {
    fn default() -> Self {
        UserSettings {
            show_passcode: false,
            use_pmi: false,
            language: LangSetting::Auto,
            phone_notices: true,
            status_sync: false,
        }
    }
}

/// One button of the `/zoom config` card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfigAction {
    /// Show passcodes on meeting cards.
    PasscodeOn,
    /// Hide passcodes.
    PasscodeOff,
    /// Use the personal meeting ID.
    PmiOn,
    /// Use a new meeting ID each time.
    PmiOff,
    /// Choose a language.
    Lang(LangSetting),
    /// DM me about ended and missed calls.
    PhoneNoticesOn,
    /// No phone DMs.
    PhoneNoticesOff,
    /// Show in my Slack status when I am in a Zoom meeting or call.
    StatusSyncOn,
    /// Leave my Slack status alone.
    StatusSyncOff,
}

impl ConfigAction {
    /// Every action, in the order of the card.
    pub const ALL: [ConfigAction; 11] = [
        ConfigAction::PasscodeOn,
        ConfigAction::PasscodeOff,
        ConfigAction::PmiOn,
        ConfigAction::PmiOff,
        ConfigAction::Lang(LangSetting::Auto),
        ConfigAction::Lang(LangSetting::En),
        ConfigAction::Lang(LangSetting::Sv),
        ConfigAction::PhoneNoticesOn,
        ConfigAction::PhoneNoticesOff,
        ConfigAction::StatusSyncOn,
        ConfigAction::StatusSyncOff,
    ];

    /// The button's Block Kit `action_id`, e.g. `"config.passcode.on"`.
    pub fn action_id(self) -> &'static str {
        match self {
            ConfigAction::PasscodeOn => "config.passcode.on",
            ConfigAction::PasscodeOff => "config.passcode.off",
            ConfigAction::PmiOn => "config.pmi.on",
            ConfigAction::PmiOff => "config.pmi.off",
            ConfigAction::Lang(LangSetting::Auto) => "config.lang.auto",
            ConfigAction::Lang(LangSetting::En) => "config.lang.en",
            ConfigAction::Lang(LangSetting::Sv) => "config.lang.sv",
            ConfigAction::PhoneNoticesOn => "config.phone.on",
            ConfigAction::PhoneNoticesOff => "config.phone.off",
            ConfigAction::StatusSyncOn => "config.status.on",
            ConfigAction::StatusSyncOff => "config.status.off",
        }
    }

    /// The action behind a clicked button's `action_id`.
    pub fn from_action_id(action_id: &str) -> Option<ConfigAction> {
        ConfigAction::ALL
            .into_iter()
            .find(|a| a.action_id() == action_id)
    }

    /// True when `settings` already has this choice (its button is highlighted).
    pub fn is_current(self, settings: &UserSettings) -> bool {
        match self {
            ConfigAction::PasscodeOn => settings.show_passcode,
            ConfigAction::PasscodeOff => !settings.show_passcode,
            ConfigAction::PmiOn => settings.use_pmi,
            ConfigAction::PmiOff => !settings.use_pmi,
            ConfigAction::Lang(lang) => settings.language == lang,
            ConfigAction::PhoneNoticesOn => settings.phone_notices,
            ConfigAction::PhoneNoticesOff => !settings.phone_notices,
            ConfigAction::StatusSyncOn => settings.status_sync,
            ConfigAction::StatusSyncOff => !settings.status_sync,
        }
    }
}

impl UserSettings {
    /// Applies a clicked config button.
    pub fn apply(&mut self, action: ConfigAction) {
        match action {
            ConfigAction::PasscodeOn => self.show_passcode = true,
            ConfigAction::PasscodeOff => self.show_passcode = false,
            ConfigAction::PmiOn => self.use_pmi = true,
            ConfigAction::PmiOff => self.use_pmi = false,
            ConfigAction::Lang(lang) => self.language = lang,
            ConfigAction::PhoneNoticesOn => self.phone_notices = true,
            ConfigAction::PhoneNoticesOff => self.phone_notices = false,
            ConfigAction::StatusSyncOn => self.status_sync = true,
            ConfigAction::StatusSyncOff => self.status_sync = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_hide_the_passcode_and_follow_slack() {
        let settings: UserSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(settings, UserSettings::default());
        assert!(!settings.show_passcode && !settings.use_pmi);
        assert!(settings.phone_notices, "phone notices are on by default");
        assert_eq!(settings.language, LangSetting::Auto);
        assert_eq!(LangSetting::Auto.resolve("sv-SE"), Lang::Sv);
        assert_eq!(LangSetting::En.resolve("sv-SE"), Lang::En);
    }

    #[test]
    fn settings_serialize_as_plain_words() {
        let json = serde_json::to_value(UserSettings::default()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "show_passcode": false, "use_pmi": false, "language": "auto",
                "phone_notices": true, "status_sync": false,
            })
        );
    }

    #[test]
    fn every_action_round_trips_and_becomes_current_when_applied() {
        for action in ConfigAction::ALL {
            assert_eq!(
                ConfigAction::from_action_id(action.action_id()),
                Some(action)
            );
            let mut settings = UserSettings::default();
            settings.apply(action);
            assert!(action.is_current(&settings), "{action:?}");
        }
        assert_eq!(ConfigAction::from_action_id("config.lang.de"), None);
    }
}
