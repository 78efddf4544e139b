//! `/zoom config`: per-user settings and the buttons that change them.

use serde_json::Value;
use zlack_domain::delivery::RecordingPolicy;
use zlack_domain::i18n::Lang;
use zlack_domain::render::{self, Message, ResponseType, WorkspaceSettings};
use zlack_domain::settings::{ConfigAction, UserSettings};
use zlack_domain::whiteboard::WhiteboardDetail;

use crate::config::Secret;

use crate::job::JobResult;
use crate::services::Services;
use crate::slack::api::Refused;
use crate::store::Workspace;
use zlack_domain::ids::{SlackUserId, TeamId};

/// The user's settings; defaults when none are stored or they are unreadable.
pub async fn load(svc: &Services, team_id: &TeamId, user_id: &SlackUserId) -> UserSettings {
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

/// Whether Slack says `user_id` may change the settings of the install:
/// an admin or owner of the workspace, or for an org-wide install (whose
/// settings apply to every workspace of an Enterprise Grid org) an admin
/// or owner of the org. Asked each time, never cached.
pub(crate) async fn is_settings_admin(
    svc: &Services,
    install: &Workspace,
    bot: &Secret,
    user_id: &str,
) -> bool {
    svc.slack
        .team(&install.team_id, bot)
        .users_info(user_id, false)
        .await
        .is_ok_and(|user| user.is_settings_admin(install.is_enterprise_install))
}

/// Where the workspace's whiteboard unfurls show details.
pub async fn whiteboard_detail(
    svc: &Services,
    install_team_id: &str,
) -> Result<WhiteboardDetail, crate::store::StoreError> {
    Ok(svc
        .store
        .whiteboard_detail(&install_team_id.into())
        .await?
        .as_deref()
        .and_then(WhiteboardDetail::parse)
        .unwrap_or_default())
}

/// The workspace's recording policy, stored with its install.
pub async fn recording_policy(
    svc: &Services,
    install_team_id: &str,
) -> Result<RecordingPolicy, crate::store::StoreError> {
    Ok(svc
        .store
        .recording_policy(&install_team_id.into())
        .await?
        .as_deref()
        .and_then(RecordingPolicy::parse)
        .unwrap_or_default())
}

/// The `/zoom config` card; those who may change the install's settings
/// (see [`is_settings_admin`]) also get the workspace settings.
pub async fn card(
    svc: &Services,
    lang: Lang,
    settings: &UserSettings,
    install: &Workspace,
    user_id: &str,
    bot: Option<&Secret>,
) -> Message {
    let team = install.team_id.as_str();
    let phone = svc
        .store
        .phone_notices_allowed(&team.into())
        .await
        .unwrap_or(true);
    let mut card = render::config_card(&svc.texts, lang, settings, phone);
    if settings.status_sync
        && super::status::sync_state(svc, &team.into(), &user_id.into())
            .await
            .is_ok_and(|s| s == super::status::SyncState::AwaitingPermission)
    {
        card = render::with_status_pending(&svc.texts, lang, card);
    }
    match bot {
        Some(bot) if is_settings_admin(svc, install, bot, user_id).await => {
            let workspace = WorkspaceSettings {
                recordings: recording_policy(svc, team).await.unwrap_or_default(),
                phone_notices: phone,
                whiteboards: whiteboard_detail(svc, team).await.unwrap_or_default(),
            };
            render::with_workspace_settings(&svc.texts, lang, card, workspace)
        }
        _ => card,
    }
}

/// Handles a `block_actions` payload: a config button updates the
/// settings and redraws the card in place. The workspace buttons change
/// the workspace only when Slack says the user is an admin.
pub async fn on_interaction(svc: &Services, payload: &Value) -> JobResult {
    let team_id = payload["team"]["id"]
        .as_str()
        .or(payload["user"]["team_id"].as_str());
    let user_id = payload["user"]["id"].as_str();
    let action = payload["actions"][0]["action_id"].as_str();
    let (Some(team_id), Some(user_id), Some(action)) = (team_id, user_id, action) else {
        return Ok(());
    };
    let current = load(svc, &team_id.into(), &user_id.into()).await;
    let Ok((install, bot)) =
        super::credentials::slack_bot(svc, team_id, payload["team"]["enterprise_id"].as_str())
            .await
    else {
        return Ok(());
    };
    let install_team = install.team_id.clone();
    let workspace_choice = render::recording_policy_of_action(action)
        .map(WorkspaceChoice::Recordings)
        .or(render::workspace_phone_of_action(action).map(WorkspaceChoice::Phone))
        .or(render::whiteboard_detail_of_action(action).map(WorkspaceChoice::Whiteboards));
    let next = if let Some(choice) = workspace_choice {
        if !is_settings_admin(svc, &install, &bot, user_id).await {
            tracing::warn!(
                org_wide = install.is_enterprise_install,
                "a workspace setting was pressed by someone who may not change it; ignored"
            );
            return Ok(());
        }
        let saved = match choice {
            WorkspaceChoice::Recordings(policy) => {
                svc.store
                    .set_recording_policy(&install_team, policy.as_str())
                    .await
            }
            WorkspaceChoice::Phone(on) => {
                svc.store.set_phone_notices_allowed(&install_team, on).await
            }
            WorkspaceChoice::Whiteboards(detail) => {
                svc.store
                    .set_whiteboard_detail(&install_team, detail.as_str())
                    .await
            }
        };
        saved?;
        current
    } else {
        let Some(next) = apply(&current, action) else {
            return Ok(());
        };
        let (team, user) = (TeamId::from(team_id), SlackUserId::from(user_id));
        let enterprise = payload["team"]["enterprise_id"].as_str().map(TeamId::from);
        super::status::save_settings(svc, &team, enterprise.as_ref(), &user, &current, &next)
            .await?;
        if next != current {
            super::home::refresh_in(svc, &team, enterprise.as_ref(), &user).await?;
        }
        next
    };
    let Some(response_url) = payload["response_url"].as_str() else {
        return Ok(());
    };
    let team_id = TeamId::from(team_id);
    let lang = super::language(svc, &team_id, &user_id.into(), Some(&bot)).await;
    let card = card(svc, lang, &next, &install, user_id, Some(&bot)).await;
    let redrawn = card.for_response_url(ResponseType::Ephemeral, Some(true));
    let url = crate::config::Secret::new(response_url);
    svc.slack
        .team(&team_id, &bot)
        .respond(&url, &redrawn)
        .await
        .unless_refused("could not redraw the settings card; the settings are saved")?;
    Ok(())
}

/// What the settings modal shows `user_id`: their settings and, when
/// Slack says they may change them, the workspace's.
pub async fn modal(
    svc: &Services,
    lang: Lang,
    install: &Workspace,
    bot: &Secret,
    team_id: &TeamId,
    user_id: &str,
) -> Value {
    let team = install.team_id.as_str();
    let settings = load(svc, team_id, &user_id.into()).await;
    let phone = svc
        .store
        .phone_notices_allowed(&team.into())
        .await
        .unwrap_or(true);
    let workspace = if is_settings_admin(svc, install, bot, user_id).await {
        Some(workspace_settings(svc, team, phone).await)
    } else {
        None
    };
    let metadata = crate::slack::views::ViewMetadata::new(lang).encode();
    render::settings_modal::settings_modal(
        &svc.texts,
        lang,
        render::settings_modal::SettingsModal {
            settings: &settings,
            workspace_phone_notices: phone,
            workspace,
            private_metadata: &metadata,
        },
    )
}

async fn workspace_settings(svc: &Services, team: &str, phone: bool) -> WorkspaceSettings {
    WorkspaceSettings {
        recordings: recording_policy(svc, team).await.unwrap_or_default(),
        phone_notices: phone,
        whiteboards: whiteboard_detail(svc, team).await.unwrap_or_default(),
    }
}

/// How the settings were shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// In a modal.
    Modal,
    /// The trigger had expired (the request was carried out late): the
    /// caller shows the settings another way.
    TriggerExpired,
}

/// Opens the settings modal for `user_id` of workspace `team_id` with
/// `trigger_id`.
pub async fn open_modal(
    svc: &Services,
    lang: Lang,
    (install, bot): (&Workspace, &Secret),
    team_id: &TeamId,
    user_id: &str,
    trigger_id: &str,
) -> Result<Shown, crate::job::JobError> {
    let view = modal(svc, lang, install, bot, team_id, user_id).await;
    match svc
        .slack
        .team(&install.team_id, bot)
        .views_open(trigger_id, &view)
        .await
    {
        Ok(_) => Ok(Shown::Modal),
        Err(e) if e.is_stale_trigger() => {
            tracing::info!(code = e.code(), "the settings modal could not open in time");
            Ok(Shown::TriggerExpired)
        }
        Err(e) => Err(e.into()),
    }
}

/// Carries out a submitted settings modal: the user's settings are stored;
/// the workspace's change only when Slack says, now, that the user may
/// change them (a forged submission from anyone else changes nothing).
pub async fn on_submission(svc: &Services, payload: &Value) -> JobResult {
    let team_id = payload["team"]["id"]
        .as_str()
        .or(payload["user"]["team_id"].as_str());
    let (Some(team_id), Some(user_id)) = (team_id, payload["user"]["id"].as_str()) else {
        return Ok(());
    };
    let Ok(choices) = render::settings_modal::parse(&payload["view"]["state"]["values"]) else {
        tracing::warn!("a stored settings submission no longer reads; ignored");
        return Ok(());
    };
    let Ok((install, bot)) =
        super::credentials::slack_bot(svc, team_id, payload["team"]["enterprise_id"].as_str())
            .await
    else {
        return Ok(());
    };
    let team = TeamId::from(team_id);
    let user = SlackUserId::from(user_id);
    if choices.has_workspace_fields() {
        let install_team = install.team_id.clone();
        let phone = svc
            .store
            .phone_notices_allowed(&install_team)
            .await
            .unwrap_or(true);
        let current = workspace_settings(svc, install_team.as_str(), phone).await;
        let next = choices.workspace_settings(current);
        if next != current {
            if is_settings_admin(svc, &install, &bot, user_id).await {
                if next.recordings != current.recordings {
                    svc.store
                        .set_recording_policy(&install_team, next.recordings.as_str())
                        .await?;
                }
                if next.phone_notices != current.phone_notices {
                    svc.store
                        .set_phone_notices_allowed(&install_team, next.phone_notices)
                        .await?;
                }
                if next.whiteboards != current.whiteboards {
                    svc.store
                        .set_whiteboard_detail(&install_team, next.whiteboards.as_str())
                        .await?;
                }
            } else {
                tracing::warn!(
                    org_wide = install.is_enterprise_install,
                    "workspace settings submitted by someone who may not change them; ignored"
                );
            }
        }
    }
    let enterprise = payload["team"]["enterprise_id"].as_str().map(TeamId::from);
    let before = load(svc, &team, &user).await;
    let after = choices.user_settings(&before);
    if after != before {
        super::status::save_settings(svc, &team, enterprise.as_ref(), &user, &before, &after)
            .await?;
    }
    super::home::refresh_in(svc, &team, enterprise.as_ref(), &user).await
}

/// A workspace setting an admin pressed.
enum WorkspaceChoice {
    /// Where recording links and AI summaries go.
    Recordings(zlack_domain::delivery::RecordingPolicy),
    /// Whether anyone gets Zoom Phone DMs.
    Phone(bool),
    /// Where whiteboard unfurls show details.
    Whiteboards(WhiteboardDetail),
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
