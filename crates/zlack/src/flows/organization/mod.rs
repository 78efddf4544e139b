//! Organization mode: storing the Zoom account a Zoom admin authorized for
//! a Slack workspace, and what may switch a connected workspace to
//! another account.
//!
//! A workspace that is not connected yet, or is connected to the same
//! account, is (re)connected by whoever may finish the organization link.
//! A connected workspace moves to another account only when
//! - the Zoom admin who connected it authorizes again, or
//! - a Slack workspace admin (an org admin for an org-wide install)
//!   confirms the switch on a page naming both accounts.
//!
//! Anyone else is refused and nothing changes. A switch deletes the old
//! account's tokens in the transaction that re-points the workspace,
//! revokes them at Zoom once committed, writes the audit log and tells
//! the Slack user who connected the old account, by DM.

mod authorization;

use crate::clock::Millis;
use crate::config::Secret;
use crate::job::post_message;
use crate::services::Services;
use crate::slack::openid::SlackIdentity;
use crate::store::{
    NewJob, NewOrgConnection, OrgConnection, StoreError, TokenKind, TokenOwner, Tx,
};

pub use authorization::{Authorization, drop_authorization};

/// How a connected workspace's account is named to people.
pub fn label(current: &OrgConnection) -> &str {
    current
        .admin_email
        .as_deref()
        .unwrap_or(&current.account_id)
}

/// What an authorization may do to the workspace it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Not connected yet, or the same account again: connect.
    Connect,
    /// Another account, authorized by the Zoom admin who connected the
    /// workspace: switch now.
    Switch,
    /// Another account, and a Slack workspace admin signed in: switch once
    /// they confirm.
    Confirm,
    /// Another account, and nobody entitled to switch: refused.
    Refuse,
}

/// Whether `who` is an admin or owner of their Slack workspace (of the
/// Enterprise Grid org, for an org-wide install), asked of Slack now.
pub async fn is_slack_admin(svc: &Services, who: &SlackIdentity) -> bool {
    let enterprise = who.enterprise_id.as_deref();
    match super::credentials::slack_bot(svc, &who.team_id, enterprise).await {
        Ok((install, bot)) => {
            super::settings::is_settings_admin(svc, &install, &bot, &who.user_id).await
        }
        Err(_) => false,
    }
}

/// What `new` may do to a workspace connected as `current`, `who` having
/// signed in with Slack.
pub async fn decide(
    svc: &Services,
    current: Option<&OrgConnection>,
    new: &Authorization,
    who: &SlackIdentity,
) -> Decision {
    let Some(current) = current else {
        return Decision::Connect;
    };
    if current.account_id == new.account_id {
        Decision::Connect
    } else if current.admin_id.as_deref() == Some(new.admin_id.as_str()) {
        Decision::Switch
    } else if is_slack_admin(svc, who).await {
        Decision::Confirm
    } else {
        Decision::Refuse
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Connected (or connected again to the same account).
    Connected,
    /// Switched from another account.
    Switched,
    /// The workspace changed meanwhile (uninstalled, or connected by
    /// someone else): nothing was stored.
    Changed,
}

/// Connects the install `team` to `new`'s account, provided it is still
/// connected as `current` says, in one transaction: the workspace row, the
/// account's tokens, personal tokens from personal mode, the audit log,
/// and on a switch the old account's tokens (unless another workspace
/// still uses them), the links to its users and a DM to whoever connected
/// it. Tokens that go are revoked at Zoom after the commit.
pub async fn apply(
    svc: &Services,
    team: &str,
    current: Option<&OrgConnection>,
    new: &Authorization,
    who: &SlackIdentity,
) -> Result<Applied, StoreError> {
    let now = svc.clock.now_ms();
    let switching = current.filter(|c| c.account_id != new.account_id);
    let zoom_users = svc.store.zoom_users_in_team(&team.into()).await?;
    // Refresh tokens read before they are deleted, to revoke once committed.
    let mut revoke = Vec::new();
    for user in &zoom_users {
        if let Some(token) = refresh_token(svc, &TokenOwner::zoom_user(user)).await {
            revoke.push(token);
        }
    }
    let mut tx = svc.store.begin().await?;
    let to = NewOrgConnection {
        account_id: &new.account_id,
        admin_id: &new.admin_id,
        admin_email: new.admin_email.as_deref(),
        connected_by: Some(&who.user_id),
        at: now,
    };
    let from = current.map(|c| c.account_id.as_str());
    if !svc
        .store
        .connect_organization(&mut tx, &team.into(), from, &to)
        .await?
    {
        return Ok(Applied::Changed);
    }
    svc.store
        .put_zoom_grant(
            &mut tx,
            &TokenOwner::zoom_account(&new.account_id),
            &new.access_token,
            new.refresh_token.as_ref(),
            new.expires_at,
            now,
        )
        .await?;
    let mut personal = 0;
    for user in &zoom_users {
        personal += svc
            .store
            .delete_tokens(&mut tx, &TokenOwner::zoom_user(user), &[])
            .await?;
    }
    let actor = format!("slack:{}:{}", who.team_id, who.user_id);
    let subject = format!("team:{team}");
    let applied = match switching {
        None => {
            let detail = format!(
                "organization zoom-account:{} zoom-user:{} personal_tokens={personal}",
                new.account_id, new.admin_id
            );
            svc.store
                .audit(&mut tx, now, &actor, "install", &subject, &detail)
                .await?;
            Applied::Connected
        }
        Some(old) => {
            let revoked = switch_away(svc, &mut tx, team, old, new, who, now).await?;
            revoke.extend(revoked);
            Applied::Switched
        }
    };
    tx.commit().await?;
    if let Some(oauth) = &svc.zoom_oauth {
        for token in &revoke {
            if let Err(error) = oauth.revoke(token).await {
                tracing::warn!(%error, "revoking a replaced Zoom authorization failed");
            }
        }
    }
    Ok(applied)
}

/// The switch's part of [`apply`], within its transaction: the old
/// account's tokens, the links to its users, the audit log and the DM.
/// Returns the refresh token to revoke at Zoom once committed.
async fn switch_away(
    svc: &Services,
    tx: &mut Tx,
    team: &str,
    old: &OrgConnection,
    new: &Authorization,
    who: &SlackIdentity,
    now: Millis,
) -> Result<Option<Secret>, StoreError> {
    let links = svc
        .store
        .delete_links_outside(tx, &team.into(), &new.account_id)
        .await?;
    let others = svc
        .store
        .other_teams_on_account(Some(&mut *tx), &old.account_id, team)
        .await?;
    // Another workspace still served by the old account keeps its token,
    // and revoking would end the app there: only this one moves.
    let mut revoke = None;
    let grant = if others == 0 {
        let owner = TokenOwner::zoom_account(&old.account_id);
        revoke = refresh_token(svc, &owner).await;
        svc.store.delete_tokens(tx, &owner, &[]).await?;
        "old grant deleted and revoked".to_owned()
    } else {
        format!("old grant kept for {others} other workspaces")
    };
    let detail = format!(
        "zoom-account:{} -> zoom-account:{} zoom-user:{}; {grant}; links={links}",
        old.account_id, new.account_id, new.admin_id
    );
    let actor = format!("slack:{}:{}", who.team_id, who.user_id);
    svc.store
        .audit(tx, now, &actor, "switch", &format!("team:{team}"), &detail)
        .await?;
    if let Some(connector) = old.connected_by.as_deref().filter(|c| *c != who.user_id) {
        let job = switched_dm(svc, team, connector, old, new, &who.user_id, now).await;
        svc.store.enqueue(tx, &[job], now).await?;
    }
    tracing::info!(%team, links, others, "the workspace's Zoom account was switched");
    Ok(revoke)
}

/// The DM telling `connector`, who connected `old`, that `by` switched the
/// workspace to `new`'s account.
async fn switched_dm(
    svc: &Services,
    team: &str,
    connector: &str,
    old: &OrgConnection,
    new: &Authorization,
    by: &str,
    now: Millis,
) -> NewJob {
    let lang = super::language(svc, &team.into(), &connector.into(), None).await;
    let message =
        zlack_domain::render::org_switched_dm(&svc.texts, lang, label(old), new.label(), by);
    let key = format!("org-switched:{team}:{}:{now}", new.account_id);
    post_message(key, team, connector, &message, now)
}

/// A stored refresh token, to revoke; one that cannot be read is simply
/// not revoked.
async fn refresh_token(svc: &Services, owner: &TokenOwner) -> Option<Secret> {
    let token = svc.store.token(owner, TokenKind::ZoomRefresh).await;
    token.ok().flatten().map(|t| t.secret)
}

/// Records a refused switch in the audit log: nothing else changes.
pub async fn refused(
    svc: &Services,
    team: &str,
    new: &Authorization,
    who: &SlackIdentity,
) -> Result<(), StoreError> {
    let now = svc.clock.now_ms();
    let detail = format!(
        "to zoom-account:{} by zoom-user:{}; not the connecting Zoom admin nor a Slack admin",
        new.account_id, new.admin_id
    );
    let mut tx = svc.store.begin().await?;
    svc.store
        .audit(
            &mut tx,
            now,
            &format!("slack:{}:{}", who.team_id, who.user_id),
            "switch_refused",
            &format!("team:{team}"),
            &detail,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(%team, user = %who.user_id, "a switch to another Zoom account was refused");
    Ok(())
}
