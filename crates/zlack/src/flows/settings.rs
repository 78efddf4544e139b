//! `/zoom config`: per-user settings and the buttons that change them.

use serde_json::Value;
use zlack_domain::settings::{ConfigAction, UserSettings};

use crate::jobs::Outcome;
use crate::services::Services;

/// The user's settings; defaults when none are stored or they are unreadable.
pub async fn load(svc: &Services, team_id: &str, user_id: &str) -> UserSettings {
    match svc.store.user_settings(team_id, user_id).await {
        Ok(Some(json)) => serde_json::from_str(&json).unwrap_or_default(),
        _ => UserSettings::default(),
    }
}

/// The settings after pressing `action_id`, or None for other buttons.
pub fn apply(settings: &UserSettings, action_id: &str) -> Option<UserSettings> {
    let action = ConfigAction::from_action_id(action_id)?;
    let mut next = *settings;
    next.apply(action);
    Some(next)
}

/// Handles a `block_actions` payload: a config button updates the
/// settings and redraws the card in place.
pub async fn on_interaction(svc: &Services, payload: &Value) -> Outcome {
    let team_id = payload["team"]["id"]
        .as_str()
        .or(payload["user"]["team_id"].as_str());
    let user_id = payload["user"]["id"].as_str();
    let action = payload["actions"][0]["action_id"].as_str();
    let (Some(team_id), Some(user_id), Some(action)) = (team_id, user_id, action) else {
        return Outcome::Done;
    };
    let current = load(svc, team_id, user_id).await;
    let Some(next) = apply(&current, action) else {
        return Outcome::Done;
    };
    let json = serde_json::to_string(&next).unwrap_or_default();
    if let Err(e) = svc
        .store
        .save_user_settings(team_id, user_id, &json, svc.clock.now_ms())
        .await
    {
        return Outcome::Retry(e.to_string());
    }
    let Some(response_url) = payload["response_url"].as_str() else {
        return Outcome::Done;
    };
    let bot =
        super::credentials::slack_bot(svc, team_id, payload["team"]["enterprise_id"].as_str())
            .await
            .ok()
            .map(|(_, token)| token);
    let lang = super::language(svc, team_id, user_id, bot.as_ref()).await;
    let mut message = zlack_domain::render::config_card(&svc.texts, lang, &next);
    message["replace_original"] = true.into();
    let url = crate::config::Secret::new(response_url);
    match svc.slack.respond(&url, &message).await {
        Ok(()) => Outcome::Done,
        Err(crate::slack::api::SlackError::Api(code)) => {
            tracing::info!(%code, "could not redraw the settings card; the settings are saved");
            Outcome::Done
        }
        Err(e) => super::reply::slack_outcome(e, "response_url"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zlack_domain::settings::LangSetting;

    #[test]
    fn config_buttons_change_their_setting_and_other_buttons_nothing() {
        let base = UserSettings::default();
        assert!(apply(&base, "config.passcode.on").unwrap().show_passcode);
        assert!(apply(&base, "config.pmi.on").unwrap().use_pmi);
        assert_eq!(
            apply(&base, "config.lang.sv").unwrap().language,
            LangSetting::Sv
        );
        assert_eq!(apply(&base, "meeting.join"), None);
    }
}
