//! The App Home tab: each user's own view of zlack. It is published when
//! the user opens it and again whenever something it shows changes (see
//! [`refresh`]): their connections, settings and upcoming meetings.

use serde_json::Value;

use super::credentials::{self, CredError};
use crate::clock::Millis;
use crate::config::{Secret, ZoomMode};
use crate::job::{Job, JobError, JobResult};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::store::{LinkStatus, NewJob, ZoomLink};
use crate::zoom::api::{ListedMeeting, ZoomError};
use zlack_domain::i18n::Lang;
use zlack_domain::ids::{SlackUserId, TeamId};
use zlack_domain::meeting::Timestamp;
use zlack_domain::render::home::{
    self, HomeView, Upcoming, UpcomingMeeting, ZoomConnection, action,
};

/// Refreshes within one window of this many milliseconds are published
/// once, at the window's end, as things are then.
pub const WINDOW_MS: Millis = 1000;

/// The job that publishes `user`'s Home tab once the refresh window of
/// `now` has passed: asked for again within the window, it is the same
/// job (the same idempotency key), so a burst of changes publishes once.
pub fn publish_job(
    team: &TeamId,
    enterprise: Option<&TeamId>,
    user: &SlackUserId,
    now: Millis,
) -> NewJob {
    let window = now.div_euclid(WINDOW_MS);
    let job = Job::HomePublish {
        team: team.clone(),
        user: user.clone(),
        enterprise: enterprise.cloned(),
    };
    job.queue(
        format!("home.publish:{team}:{user}:{window}"),
        (window + 1) * WINDOW_MS,
    )
}

/// Asks for `user_id`'s Home tab in `team_id` to be published again,
/// because something it shows changed.
pub async fn refresh(svc: &Services, team_id: &TeamId, user_id: &SlackUserId) -> JobResult {
    refresh_in(svc, team_id, None, user_id).await
}

/// As [`refresh`], for a workspace of the Enterprise Grid org
/// `enterprise_id` (whose org-wide install may serve it).
pub async fn refresh_in(
    svc: &Services,
    team_id: &TeamId,
    enterprise_id: Option<&TeamId>,
    user_id: &SlackUserId,
) -> JobResult {
    let now = svc.clock.now_ms();
    svc.store
        .enqueue_now(&[publish_job(team_id, enterprise_id, user_id, now)], now)
        .await?;
    Ok(())
}

/// `app_home_opened` with JSON `body`: the Home tab is published at once
/// (the Messages tab needs nothing).
pub async fn on_app_home_opened(svc: &Services, body: &[u8]) -> JobResult {
    let Ok(envelope) = serde_json::from_slice::<Value>(body) else {
        return Ok(());
    };
    let event = &envelope["event"];
    if event["tab"].as_str().is_some_and(|tab| tab != "home") {
        return Ok(());
    }
    let team = envelope["team_id"]
        .as_str()
        .or(event["view"]["team_id"].as_str());
    let (Some(team), Some(user)) = (team, event["user"].as_str()) else {
        return Ok(());
    };
    let enterprise = envelope["enterprise_id"]
        .as_str()
        .filter(|e| !e.is_empty())
        .map(TeamId::from);
    publish(svc, &team.into(), enterprise.as_ref(), &user.into()).await
}

/// Publishes `user`'s Home tab as things are now.
pub async fn publish(
    svc: &Services,
    team: &TeamId,
    enterprise: Option<&TeamId>,
    user: &SlackUserId,
) -> JobResult {
    let (install, bot) =
        match credentials::slack_bot(svc, team, enterprise.map(TeamId::as_str)).await {
            Ok(found) => found,
            // Uninstalled since: there is no Home tab to publish.
            Err(CredError::NotInstalled) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
    let lang = super::language(svc, team, user, Some(&bot)).await;
    let view = view(svc, lang, (&install, &bot), team, user).await?;
    svc.slack
        .team(&install.team_id, &bot)
        .views_publish(user.as_str(), &view)
        .await
        .unless_refused("the Home tab could not be published")?;
    Ok(())
}

/// The Home view of `user` in `lang`.
async fn view(
    svc: &Services,
    lang: Lang,
    (install, bot): (&crate::store::Workspace, &Secret),
    team: &TeamId,
    user: &SlackUserId,
) -> Result<Value, JobError> {
    let mode = match svc.config.zoom.mode {
        ZoomMode::Personal => home::ZoomMode::Personal,
        ZoomMode::Organization => home::ZoomMode::Organization,
        ZoomMode::ServerToServer => home::ZoomMode::ServerToServer,
    };
    let link = svc.store.zoom_link(team, user).await?;
    let working = link.as_ref().filter(|l| l.status == LinkStatus::Ok);
    let upcoming = match working {
        Some(link) => upcoming(svc, link).await,
        None => Upcoming::NotConnected,
    };
    // A link Zoom refused just now (no token to be had) counts as broken.
    let connected = working.is_some() && upcoming != Upcoming::NotConnected;
    let connect_url = match svc.config.zoom.mode {
        ZoomMode::Personal if !connected => {
            let prompt = super::connect::Prompt {
                team_id: team.clone(),
                enterprise_id: install.enterprise_id.clone(),
                slack_user_id: user.clone(),
                command: None,
            };
            // The Home tab may stay open for days: the link lasts as long
            // as a reconnect DM's.
            let ttl = super::connect::RECONNECT_TTL_MS;
            Some(super::connect::prompt_url(svc, &prompt, ttl).await?)
        }
        _ => None,
    };
    let connect_url = connect_url.as_deref();
    let zoom = match &link {
        Some(link) if connected => ZoomConnection::Connected {
            account: link.zoom_email.as_deref(),
        },
        Some(_) => ZoomConnection::Broken { connect_url },
        None => ZoomConnection::NotConnected { connect_url },
    };
    let settings = super::settings::load(svc, team, user).await;
    let phone = svc
        .store
        .phone_notices_allowed(&install.team_id)
        .await
        .unwrap_or(true);
    let tz = super::profile(svc, team, user, Some(bot))
        .await
        .and_then(|p| p.tz)
        .unwrap_or_else(|| "UTC".into());
    let status_sync_pending = super::status::sync_state(svc, team, user).await?
        == super::status::SyncState::AwaitingPermission;
    let home = HomeView {
        status_sync_pending,
        workspace: install.team_name.as_deref(),
        mode,
        zoom,
        settings: &settings,
        workspace_phone_notices: phone,
        upcoming,
        tz: &tz,
    };
    Ok(home::home_view(&svc.texts, lang, &home))
}

/// The user's upcoming meetings as Zoom lists them; what went wrong
/// otherwise, shown as a line rather than failing the Home tab.
async fn upcoming(svc: &Services, link: &ZoomLink) -> Upcoming {
    let user_ref = credentials::zoom_user_ref(svc, link);
    let list = |token: Secret| async move {
        svc.zoom
            .upcoming_meetings(&token, user_ref, (home::MEETINGS + 1) as u32)
            .await
    };
    let token = match credentials::zoom_token(svc, link, None).await {
        Ok(token) => token,
        Err(CredError::Broken | CredError::NotLinked) => return Upcoming::NotConnected,
        Err(error) => {
            tracing::info!(%error, "no Zoom token for the Home tab's meetings");
            return Upcoming::Unavailable;
        }
    };
    let listed = match list(token.clone()).await {
        Err(ZoomError::Unauthorized) => {
            match credentials::zoom_token(svc, link, Some(&token)).await {
                Ok(fresh) => list(fresh).await,
                Err(CredError::Broken | CredError::NotLinked) => return Upcoming::NotConnected,
                Err(_) => return Upcoming::Unavailable,
            }
        }
        other => other,
    };
    match listed {
        Ok(meetings) => {
            let now = Timestamp::from_millisecond(svc.clock.now_ms()).unwrap_or_default();
            Upcoming::Listed(meetings.into_iter().map(|m| shown(m, now)).collect())
        }
        // No permission, or (4711) a grant made before zlack asked for
        // the scope that lists meetings.
        Err(ZoomError::Forbidden { .. } | ZoomError::Api { code: 4711, .. }) => {
            Upcoming::NoPermission
        }
        Err(error) => {
            tracing::info!(%error, "Zoom did not list the upcoming meetings");
            Upcoming::Unavailable
        }
    }
}

/// A listed meeting as the Home tab shows it; `live` when its time is now.
fn shown(meeting: ListedMeeting, now: Timestamp) -> UpcomingMeeting {
    let start = meeting
        .start_time
        .as_deref()
        .and_then(|s| s.parse::<Timestamp>().ok());
    let minutes = i64::from(meeting.duration.unwrap_or(60));
    let live = start.is_some_and(|start| {
        start <= now && now < start + jiff::SignedDuration::from_mins(minutes)
    });
    UpcomingMeeting {
        topic: meeting.topic,
        start,
        join_url: meeting.join_url,
        live,
    }
}

/// A button of the Home tab: Settings opens the settings modal, Disconnect
/// disconnects Zoom as `/zoom logout` does. The link buttons (Connect,
/// Join) need nothing.
pub async fn on_pressed(svc: &Services, payload: &Value) -> JobResult {
    let team = payload["team"]["id"]
        .as_str()
        .or(payload["user"]["team_id"].as_str());
    let (Some(team), Some(user)) = (team, payload["user"]["id"].as_str()) else {
        return Ok(());
    };
    let enterprise = payload["team"]["enterprise_id"].as_str();
    let (team, user) = (TeamId::from(team), SlackUserId::from(user));
    match payload["actions"][0]["action_id"].as_str() {
        Some(action::SETTINGS) => {
            let Ok((install, bot)) = credentials::slack_bot(svc, &team, enterprise).await else {
                return Ok(());
            };
            let lang = super::language(svc, &team, &user, Some(&bot)).await;
            let shown = match payload["trigger_id"].as_str() {
                Some(trigger) => {
                    super::settings::open_modal(svc, lang, (&install, &bot), &team, &user, trigger)
                        .await?
                }
                None => super::settings::Shown::TriggerExpired,
            };
            if shown == super::settings::Shown::TriggerExpired {
                // Too late for a modal: the settings card, in the app's DM.
                let settings = super::settings::load(svc, &team, &user).await;
                let card =
                    super::settings::card(svc, lang, &settings, &install, &user, Some(&bot)).await;
                svc.slack
                    .team(&install.team_id, &bot)
                    .post_message(user.as_str(), None, &card)
                    .await
                    .unless_refused("could not send the settings card")?;
            }
        }
        Some(action::DISCONNECT) => {
            super::connect::logout(svc, &team, enterprise, &user).await?;
        }
        _ => {}
    }
    Ok(())
}
