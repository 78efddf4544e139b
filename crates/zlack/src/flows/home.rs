//! The App Home tab: each user's own view of zlack.

use serde_json::Value;

use crate::job::JobResult;
use crate::services::Services;
use zlack_domain::ids::{SlackUserId, TeamId};
use zlack_domain::render::home::action;

/// Asks for `user_id`'s Home tab in `team_id` to be published again,
/// because something it shows changed.
pub async fn refresh(svc: &Services, team_id: &TeamId, user_id: &SlackUserId) -> JobResult {
    let _ = (svc, team_id, user_id);
    Ok(())
}

/// `app_home_opened` with JSON `body`: the Home tab is published (the
/// Messages tab needs nothing).
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
    refresh(svc, &team.into(), &user.into()).await
}

/// A button of the Home tab.
pub async fn on_pressed(svc: &Services, payload: &Value) -> JobResult {
    let action_id = payload["actions"][0]["action_id"].as_str().unwrap_or("");
    let _ = (svc, action::SETTINGS);
    tracing::debug!(action_id, "Home tab button");
    Ok(())
}
