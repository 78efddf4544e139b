//! Server-to-server mode has no user authorization: a Slack user is the
//! Zoom user of the account whose email address is the one in their Slack
//! profile (Slack verifies it; compared without case), unless an operator
//! mapped them with `zlack map-user`. A user who cannot be mapped is told
//! exactly why.

use zlack_domain::render::ErrorKind;

use super::credentials::{self, CredError};
use crate::config::Secret;
use crate::services::Services;
use crate::slack::api::Refused;
use crate::store::{LinkStatus, StoreError, ZoomLink};
use crate::zoom::error::ZoomError;
use zlack_domain::ids::TeamId;

/// Why a Slack user has no Zoom user (yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmapped {
    /// Tell the user this.
    Tell(ErrorKind),
    /// Try again later: Slack, Zoom or the database is unavailable.
    Later(String),
}

impl From<StoreError> for Unmapped {
    fn from(e: StoreError) -> Self {
        Unmapped::Later(e.to_string())
    }
}

/// The email address of a Slack user's profile, when Slack shows it.
async fn slack_email(
    svc: &Services,
    team_id: &TeamId,
    bot: &Secret,
    user_id: &str,
) -> Result<Option<String>, Unmapped> {
    let user = svc
        .slack
        .team(team_id, bot)
        .users_info(user_id, false)
        .await
        .unless_refused("users.info refused; no email to map by")
        .map_err(|e| Unmapped::Later(e.to_string()))?;
    // Only a real, current member of the workspace whose address Slack
    // confirmed: not a bot, a deactivated user, or someone from another
    // organization in a shared channel.
    let Some(user) = user.filter(|user| {
        user.is_active_person() && !user.is_stranger && user.is_email_confirmed != Some(false)
    }) else {
        return Ok(None);
    };
    Ok(user
        .profile
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| e.contains('@'))
        .map(str::to_owned))
}

/// Finds the Zoom user of `(team_id, user_id)` by email and links them.
pub async fn link_by_email(
    svc: &Services,
    team_id: &TeamId,
    user_id: &str,
    bot: &Secret,
) -> Result<ZoomLink, Unmapped> {
    let Some(email) = slack_email(svc, team_id, bot, user_id).await? else {
        return Err(Unmapped::Tell(ErrorKind::NoSlackEmail));
    };
    let email_lower = email.to_lowercase();
    let found = lookup(svc, team_id, &email_lower).await?;
    let user = match found {
        Some(user) if user.email.eq_ignore_ascii_case(&email) => user,
        _ => return Err(Unmapped::Tell(ErrorKind::NoZoomUserForEmail { email })),
    };
    if !user.is_active() || user.status.as_deref() == Some("pending") {
        return Err(Unmapped::Tell(ErrorKind::ZoomUserInactive { email }));
    }
    let link = ZoomLink {
        team_id: team_id.clone(),
        slack_user_id: user_id.to_owned().into(),
        zoom_user_id: user.id.clone().into(),
        zoom_email: Some(user.email.clone()),
        zoom_account_id: user
            .account_id
            .clone()
            .or(svc.config.zoom.account_id.clone())
            .map(Into::into),
        status: LinkStatus::Ok,
        linked_at: svc.clock.now_ms(),
    };
    let mut tx = svc.store.begin().await?;
    svc.store.save_zoom_link(&mut tx, &link).await?;
    svc.store
        .audit(
            &mut tx,
            link.linked_at,
            "zlack",
            "link",
            &format!("zoom-user:{}", user.id),
            &format!("slack-user:{team_id}:{user_id} by email"),
        )
        .await?;
    tx.commit().await?;
    crate::flows::remember_personal_room(svc, &user).await;
    tracing::info!(
        team = team_id.as_str(),
        user = user_id,
        "mapped a Slack user to their Zoom user by email"
    );
    Ok(link)
}

/// The account's Zoom user with this id or email; `None` when Zoom knows
/// none.
pub async fn lookup(
    svc: &Services,
    team_id: &str,
    id_or_email: &str,
) -> Result<Option<crate::zoom::api::ZoomUserInfo>, Unmapped> {
    let mut token = account(svc, team_id, None).await?;
    for round in 0..2 {
        match svc.zoom.user(&token, id_or_email).await {
            Ok(user) => return Ok(Some(user)),
            Err(ZoomError::NotFound { .. }) => return Ok(None),
            Err(ZoomError::Unauthorized) if round == 0 => {
                token = account(svc, team_id, Some(&token)).await?;
            }
            Err(ZoomError::Unauthorized) => {
                return Err(Unmapped::Tell(ErrorKind::ZoomCredentialsRefused));
            }
            Err(e) if e.is_retryable() => return Err(Unmapped::Later(e.to_string())),
            Err(e) => {
                tracing::warn!(error = %e, "Zoom refused the user lookup");
                return Err(Unmapped::Tell(ErrorKind::ZoomUnavailable));
            }
        }
    }
    Err(Unmapped::Tell(ErrorKind::ZoomCredentialsRefused))
}

async fn account(
    svc: &Services,
    team_id: &str,
    stale: Option<&Secret>,
) -> Result<Secret, Unmapped> {
    credentials::account_token(svc, team_id, stale)
        .await
        .map_err(|e| match e {
            CredError::RateLimited(wait) => Unmapped::Later(format!("rate limited for {wait:?}")),
            // Organization mode before a Zoom admin connected the workspace.
            CredError::NotLinked | CredError::Broken => {
                Unmapped::Tell(ErrorKind::OrganizationNotConnected {
                    url: svc.config.public("/"),
                })
            }
            CredError::NotInstalled => Unmapped::Later("the workspace is not installed".into()),
            CredError::Unavailable(why) if why.contains("refused") || why.contains("client") => {
                Unmapped::Tell(ErrorKind::ZoomCredentialsRefused)
            }
            other => Unmapped::Later(other.to_string()),
        })
}
