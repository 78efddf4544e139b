//! Tokens ready to use: a workspace's Slack bot token and a user's Zoom
//! access token, refreshed ahead of expiry. Zoom rotates refresh tokens,
//! so a refresh must happen once per credential at a time across every
//! process: an in-process lock first, then a database lease. The rotated
//! refresh token is committed before the new access token is used.

use std::time::Duration;

use crate::clock::Millis;
use crate::config::{Secret, ZoomMode};
use crate::services::Services;
use crate::slack::api::{OAuthGrant, SlackError};
use crate::store::{StoreError, TokenKind, TokenOwner, Workspace, ZoomLink};
use crate::zoom::error::OAuthError;
use zlack_domain::ids::TeamId;

/// Refresh when less than this is left.
const AHEAD_MS: Millis = 5 * 60 * 1000;
/// A refresh lease outlives the worst case of a token request (20 s) plus
/// a commit that waits for a connection: another process must never turn
/// in a refresh token that is being replaced.
const LEASE_MS: Millis = 120 * 1000;

/// Why no usable token could be had, sorted by what the caller does next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredError {
    /// No install serves the workspace: point the user at the install page.
    #[error("the workspace has not installed zlack")]
    NotInstalled,
    /// The user must connect Zoom first.
    #[error("the user has not connected Zoom")]
    NotLinked,
    /// Zoom refused the stored refresh token: the user must authorize again.
    #[error("Zoom rejected the stored authorization")]
    Broken,
    /// The platform asked us to wait this long.
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    /// A temporary failure (database or network); try again later.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
}

impl From<CredError> for crate::job::JobError {
    fn from(error: CredError) -> Self {
        match error {
            CredError::RateLimited(wait) => Self::RateLimited {
                scope: "credentials".into(),
                wait,
            },
            // Flows that end on a missing install say so themselves; met
            // deeper (an install removed mid-job) it is worth another try.
            e => Self::Transient(e.to_string()),
        }
    }
}

impl From<StoreError> for CredError {
    fn from(e: StoreError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

/// What happened when a refresh token was turned in.
pub enum Refreshed {
    /// A new access token; a rotated refresh token is already stored.
    Fresh(Secret),
    /// The refresh token was refused or is missing: only a new authorization helps.
    Rejected,
}

/// The bot token serving `team_id` (its own install or its org's).
pub async fn slack_bot(
    svc: &Services,
    team_id: &str,
    enterprise_id: Option<&str>,
) -> Result<(Workspace, Secret), CredError> {
    let ws = svc
        .store
        .install_for(&team_id.into(), enterprise_id.map(TeamId::from).as_ref())
        .await?
        .ok_or(CredError::NotInstalled)?;
    let owner = TokenOwner::slack_team(&ws.team_id);
    let token = svc
        .store
        .token(&owner, TokenKind::SlackBot)
        .await?
        .ok_or(CredError::NotInstalled)?;
    if !due(svc, token.expires_at) {
        return Ok((ws, token.secret));
    }
    let secret = single_flight(svc, &owner, TokenKind::SlackBot, &token.secret, || {
        refresh_slack(svc, &owner)
    })
    .await?;
    Ok((ws, secret))
}

/// A Zoom access token for `link`; `stale` is a token Zoom just refused
/// (401), which forces a refresh unless someone already replaced it.
pub async fn zoom_token(
    svc: &Services,
    link: &ZoomLink,
    stale: Option<&Secret>,
) -> Result<Secret, CredError> {
    if svc.config.zoom.mode != ZoomMode::Personal {
        return account_token(svc, &link.team_id, stale).await;
    }
    let owner = TokenOwner::zoom_user(&link.zoom_user_id);
    let current = svc.store.token(&owner, TokenKind::ZoomAccess).await?;
    if let Some(token) = &current
        && stale != Some(&token.secret)
        && !due(svc, token.expires_at)
    {
        return Ok(token.secret.clone());
    }
    let known = stale
        .cloned()
        .or(current.map(|t| t.secret))
        .unwrap_or_else(|| Secret::new(""));
    single_flight(svc, &owner, TokenKind::ZoomAccess, &known, || {
        refresh_zoom(svc, &owner, &link.zoom_user_id)
    })
    .await
}

/// The Zoom account whose token serves the users of Slack workspace
/// `team_id`: the configured one in server-to-server mode; in organization
/// mode the one a Zoom admin connected to the workspace (`NotLinked` until
/// then).
pub async fn account_for(svc: &Services, team_id: &str) -> Result<String, CredError> {
    match svc.config.zoom.mode {
        ZoomMode::ServerToServer => svc
            .config
            .zoom
            .account_id
            .clone()
            .ok_or_else(|| CredError::Unavailable("ZLACK_ZOOM_ACCOUNT_ID is not set".into())),
        ZoomMode::Organization => {
            let install = svc
                .store
                .install_for(&team_id.into(), None)
                .await?
                .ok_or(CredError::NotInstalled)?;
            svc.store
                .organization_account(&install.team_id)
                .await?
                .ok_or(CredError::NotLinked)
        }
        ZoomMode::Personal => Err(CredError::NotLinked),
    }
}

/// The account's token for the users of `team_id`. Server-to-server: from
/// Zoom's `account_credentials` grant (no refresh token: a new one is
/// simply asked for). Organization: the Zoom admin's authorization,
/// refreshed with its refresh token. Renewed ahead of expiry, once at a
/// time across processes.
pub(crate) async fn account_token(
    svc: &Services,
    team_id: &str,
    stale: Option<&Secret>,
) -> Result<Secret, CredError> {
    let account = account_for(svc, team_id).await?;
    let owner = TokenOwner::zoom_account(&account);
    let current = svc.store.token(&owner, TokenKind::ZoomAccess).await?;
    if let Some(token) = &current
        && stale != Some(&token.secret)
        && !due(svc, token.expires_at)
    {
        return Ok(token.secret.clone());
    }
    let known = stale
        .cloned()
        .or(current.map(|t| t.secret))
        .unwrap_or_else(|| Secret::new(""));
    if svc.config.zoom.mode == ZoomMode::Organization {
        return single_flight(svc, &owner, TokenKind::ZoomAccess, &known, || {
            refresh_account(svc, &owner)
        })
        .await;
    }
    single_flight(svc, &owner, TokenKind::ZoomAccess, &known, || {
        request_account_token(svc, &owner, &account)
    })
    .await
}

/// The server-to-server account token and when it expires, for the
/// WebSocket event subscription; `stale` (a token Zoom refused, or one
/// about to expire) forces a new one.
pub async fn subscription_token(
    svc: &Services,
    stale: Option<&Secret>,
) -> Result<(Secret, Option<Millis>), CredError> {
    let token = account_token(svc, "", stale).await?;
    let account = account_for(svc, "").await?;
    let expires_at = svc
        .store
        .token(&TokenOwner::zoom_account(&account), TokenKind::ZoomAccess)
        .await?
        .filter(|stored| stored.secret == token)
        .and_then(|stored| stored.expires_at);
    Ok((token, expires_at))
}

/// Stores what a Zoom refresh returned: the rotated refresh token first,
/// then the access token, in one transaction that first locks the old
/// refresh token row. When that row is gone (unlinked, deauthorized or
/// purged while Zoom answered) nothing is written back.
async fn store_refreshed(
    svc: &Services,
    owner: &TokenOwner,
    set: crate::zoom::oauth::TokenSet,
) -> Result<Refreshed, CredError> {
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    if !svc
        .store
        .lock_token(&mut tx, owner, TokenKind::ZoomRefresh, now)
        .await?
    {
        return Err(CredError::NotLinked);
    }
    if let Some(rotated) = &set.refresh_token {
        svc.store
            .put_token(&mut tx, owner, TokenKind::ZoomRefresh, rotated, None, now)
            .await?;
    }
    svc.store
        .put_token(
            &mut tx,
            owner,
            TokenKind::ZoomAccess,
            &set.access_token,
            Some(set.expires_at(now)),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Refreshed::Fresh(set.access_token))
}

/// Organization mode: renews the Zoom admin's account authorization.
async fn refresh_account(svc: &Services, owner: &TokenOwner) -> Result<Refreshed, CredError> {
    let oauth = svc.zoom_oauth.as_ref().ok_or_else(|| {
        CredError::Unavailable("Zoom client credentials are not configured".into())
    })?;
    let Some(refresh) = svc.store.token(owner, TokenKind::ZoomRefresh).await? else {
        return Ok(Refreshed::Rejected);
    };
    match oauth.refresh(&refresh.secret).await {
        Ok(set) => store_refreshed(svc, owner, set).await,
        Err(OAuthError::InvalidGrant) => {
            tracing::warn!(
                "Zoom rejected the organization's authorization; a Zoom admin must connect again"
            );
            Ok(Refreshed::Rejected)
        }
        Err(OAuthError::RateLimited(wait)) => Err(CredError::RateLimited(wait)),
        Err(e) => Err(CredError::Unavailable(e.to_string())),
    }
}

async fn request_account_token(
    svc: &Services,
    owner: &TokenOwner,
    account: &str,
) -> Result<Refreshed, CredError> {
    let oauth = svc.zoom_oauth.as_ref().ok_or_else(|| {
        CredError::Unavailable("Zoom client credentials are not configured".into())
    })?;
    match oauth.account_credentials(account).await {
        Ok(set) => {
            let now = svc.clock.now_ms();
            let mut tx = svc.store.begin().await?;
            svc.store
                .put_token(
                    &mut tx,
                    owner,
                    TokenKind::ZoomAccess,
                    &set.access_token,
                    Some(set.expires_at(now)),
                    now,
                )
                .await?;
            tx.commit().await?;
            Ok(Refreshed::Fresh(set.access_token))
        }
        Err(OAuthError::RateLimited(wait)) => Err(CredError::RateLimited(wait)),
        Err(e) => {
            tracing::warn!(error = %e, "Zoom refused the account credentials (see zlack doctor)");
            Err(CredError::Unavailable(e.to_string()))
        }
    }
}

/// Whose Zoom user a request names: `me` with a user's own token, the
/// linked Zoom user's id with the account's token.
pub fn zoom_user_ref<'a>(svc: &Services, link: &'a ZoomLink) -> &'a str {
    match svc.config.zoom.mode {
        ZoomMode::Personal => "me",
        _ => &link.zoom_user_id,
    }
}

fn due(svc: &Services, expires_at: Option<Millis>) -> bool {
    expires_at.is_some_and(|at| at - svc.clock.now_ms() < AHEAD_MS)
}

/// Runs `refresh` unless another task or process replaces `known` first.
async fn single_flight<F, Fut>(
    svc: &Services,
    owner: &TokenOwner,
    kind: TokenKind,
    known: &Secret,
    refresh: F,
) -> Result<Secret, CredError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Refreshed, CredError>>,
{
    let name = format!("refresh:{}", owner.as_str());
    let lock = svc.refreshing.get(&name);
    let _local = lock.lock().await;
    for _ in 0..100 {
        if let Some(token) = svc.store.token(owner, kind).await?
            && &token.secret != known
            && !due(svc, token.expires_at)
        {
            return Ok(token.secret);
        }
        if svc
            .store
            .try_lease(&name, &svc.process_id, svc.clock.now_ms(), LEASE_MS)
            .await?
        {
            let result = refresh().await;
            svc.store.release_lease(&name, &svc.process_id).await?;
            return match result? {
                Refreshed::Fresh(secret) => Ok(secret),
                Refreshed::Rejected => Err(CredError::Broken),
            };
        }
        // Another process is refreshing: its result lands in the database.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(CredError::Unavailable(
        "token refresh held elsewhere for too long".into(),
    ))
}

async fn refresh_slack(svc: &Services, owner: &TokenOwner) -> Result<Refreshed, CredError> {
    let (Some(id), Some(secret)) = (&svc.config.slack.client_id, &svc.config.slack.client_secret)
    else {
        return Err(CredError::Unavailable(
            "Slack client credentials are not configured".into(),
        ));
    };
    let Some(refresh) = svc.store.token(owner, TokenKind::SlackBotRefresh).await? else {
        return Ok(Refreshed::Rejected);
    };
    match svc
        .slack
        .oauth_access(
            id,
            secret,
            OAuthGrant::Refresh {
                refresh_token: &refresh.secret,
            },
        )
        .await
    {
        Ok(access) => {
            let now = svc.clock.now_ms();
            let mut tx = svc.store.begin().await?;
            if !svc
                .store
                .lock_token(&mut tx, owner, TokenKind::SlackBotRefresh, now)
                .await?
            {
                // Uninstalled while Slack answered: keep it that way.
                return Err(CredError::NotInstalled);
            }
            if let Some(rotated) = &access.refresh_token {
                svc.store
                    .put_token(
                        &mut tx,
                        owner,
                        TokenKind::SlackBotRefresh,
                        rotated,
                        None,
                        now,
                    )
                    .await?;
            }
            let expires = access.expires_in.map(|s| now + s * 1000);
            svc.store
                .put_token(
                    &mut tx,
                    owner,
                    TokenKind::SlackBot,
                    &access.access_token,
                    expires,
                    now,
                )
                .await?;
            tx.commit().await?;
            Ok(Refreshed::Fresh(access.access_token))
        }
        Err(SlackError::RateLimited { wait, .. }) => Err(CredError::RateLimited(wait)),
        Err(e @ SlackError::Transient { .. }) => Err(CredError::Unavailable(e.to_string())),
        Err(e) => {
            tracing::warn!(
                owner = owner.as_str(),
                code = e.code(),
                "Slack refused the bot token refresh"
            );
            Ok(Refreshed::Rejected)
        }
    }
}

async fn refresh_zoom(
    svc: &Services,
    owner: &TokenOwner,
    zoom_user_id: &str,
) -> Result<Refreshed, CredError> {
    let oauth = svc.zoom_oauth.as_ref().ok_or_else(|| {
        CredError::Unavailable("Zoom client credentials are not configured".into())
    })?;
    let Some(refresh) = svc.store.token(owner, TokenKind::ZoomRefresh).await? else {
        super::connect::break_links(svc, zoom_user_id, "refresh_missing").await?;
        return Ok(Refreshed::Rejected);
    };
    match oauth.refresh(&refresh.secret).await {
        Ok(set) => store_refreshed(svc, owner, set).await,
        Err(OAuthError::InvalidGrant) => {
            tracing::info!(
                zoom_user = zoom_user_id,
                "Zoom rejected the refresh token; the user's Zoom data is removed"
            );
            super::connect::break_links(svc, zoom_user_id, "refresh_refused").await?;
            Ok(Refreshed::Rejected)
        }
        Err(OAuthError::RateLimited(wait)) => Err(CredError::RateLimited(wait)),
        Err(e) => Err(CredError::Unavailable(e.to_string())),
    }
}
