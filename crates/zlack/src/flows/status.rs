//! Status sync: the user's Slack status while they are in a Zoom meeting
//! or call, for those who turned it on.

use crate::job::JobResult;
use crate::services::Services;
use zlack_domain::ids::{SlackUserId, TeamId};
use zlack_domain::settings::UserSettings;

/// Called once a user's settings changed from `before` to `after` (and
/// were stored): turning status sync on or off starts or ends it.
pub async fn settings_changed(
    svc: &Services,
    team_id: &TeamId,
    user_id: &SlackUserId,
    before: &UserSettings,
    after: &UserSettings,
) -> JobResult {
    let _ = (svc, team_id, user_id, before, after);
    Ok(())
}
