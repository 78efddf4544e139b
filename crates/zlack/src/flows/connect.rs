//! Connecting a Slack user to Zoom: the authorize prompt's one-time link,
//! who may finish it (the Slack user it was made for, signed in with
//! Slack), what the OAuth callback stores, and what happens when Zoom
//! revokes a link (one DM with a reconnect button).

use serde::{Deserialize, Serialize};

use super::CommandRequest;
use crate::clock::Millis;
use crate::job::post_message;
use crate::services::Services;
use crate::slack::openid::SlackIdentity;
use crate::store::{LinkStatus, NewJob, StoreError, TokenKind, TokenOwner, ZoomLink};
use crate::zoom::oauth::TokenSet;
use zlack_domain::ids::{SlackUserId, TeamId};

/// The grant kind behind `/zoom/install?ref=…`.
pub const PROMPT_KIND: &str = "zoom_prompt";
/// How long the authorize link in a prompt works.
pub const PROMPT_TTL_MS: Millis = 30 * 60 * 1000;
/// How long the reconnect link in a DM works.
pub const RECONNECT_TTL_MS: Millis = 7 * 24 * 60 * 60 * 1000;

/// What the prompt's link refers to: who asked, and the command to carry
/// out once they are connected (none for a reconnect DM).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Prompt {
    /// The workspace the user asked from.
    pub team_id: TeamId,
    /// The Enterprise Grid org, whose install may serve the workspace.
    pub enterprise_id: Option<TeamId>,
    /// The Slack user to connect.
    pub slack_user_id: SlackUserId,
    /// The command to carry out once connected.
    pub command: Option<CommandRequest>,
}

impl Prompt {
    /// Whether `who`, signed in with Slack, is the user this prompt was
    /// made for: the same user, in the same workspace or, on Enterprise
    /// Grid, where user IDs are the org's, in the same org.
    pub fn is_for(&self, who: &SlackIdentity) -> bool {
        self.slack_user_id == who.user_id.as_str()
            && (self.team_id == who.team_id.as_str()
                || (self.enterprise_id.is_some()
                    && who.enterprise_id.as_deref() == self.enterprise_id.as_deref()))
    }
}

/// What [`complete`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completed {
    /// The accounts are linked; the command resumes and the user is told
    /// in a DM.
    Linked,
    /// The workspace uninstalled zlack since the prompt was made.
    NotInstalled,
    /// The Zoom user is already linked to another Slack user of the
    /// workspace: nothing was stored.
    ZoomUserTaken,
}

/// The Zoom user an authorization named.
#[derive(Debug, Clone, Copy)]
pub struct ZoomAccount<'a> {
    /// Zoom's user ID.
    pub id: &'a str,
    /// The account's email, when Zoom gave one.
    pub email: Option<&'a str>,
    /// The Zoom account (organization) the user belongs to.
    pub account_id: Option<&'a str>,
}

/// Whether `zoom_user_id` is linked to a Slack user of `team_id` other
/// than `slack_user_id` (read only; [`complete`] checks again as it links).
pub async fn taken_by_another(
    svc: &Services,
    team_id: &str,
    zoom_user_id: &str,
    slack_user_id: &str,
) -> Result<bool, StoreError> {
    Ok(!svc
        .store
        .other_links_in_team(
            None,
            &team_id.into(),
            &zoom_user_id.into(),
            &slack_user_id.into(),
        )
        .await?
        .is_empty())
}

/// Makes a one-time link to the Zoom authorize flow for `prompt`.
pub async fn prompt_url(
    svc: &Services,
    prompt: &Prompt,
    ttl_ms: Millis,
) -> Result<String, StoreError> {
    let secret = crate::vault::random_token();
    let payload = serde_json::to_value(prompt).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    svc.store
        .put_grant(
            &secret,
            PROMPT_KIND,
            None,
            &payload,
            svc.clock.now_ms() + ttl_ms,
        )
        .await?;
    Ok(format!(
        "{}?ref={secret}",
        svc.config.public("/zoom/install")
    ))
}

/// Stores a completed authorization: tokens, the link, the command to
/// resume and a DM telling the user which Zoom account is now theirs, all
/// in one transaction.
pub async fn complete(
    svc: &Services,
    prompt: &Prompt,
    zoom: ZoomAccount<'_>,
    tokens: &TokenSet,
) -> Result<Completed, StoreError> {
    // A prompt made before the workspace uninstalled zlack links nothing.
    let Some(install) = svc
        .store
        .install_for(&prompt.team_id, prompt.enterprise_id.as_ref())
        .await?
    else {
        return Ok(Completed::NotInstalled);
    };
    let bot = super::credentials::slack_bot(svc, &prompt.team_id, prompt.enterprise_id.as_deref())
        .await
        .ok()
        .map(|(_, token)| token);
    let lang = super::language(svc, &prompt.team_id, &prompt.slack_user_id, bot.as_ref()).await;
    let now = svc.clock.now_ms();
    let owner = TokenOwner::zoom_user(zoom.id);
    let mut tx = svc.store.begin().await?;
    // Checked again inside the transaction that links: a Zoom user is
    // linked to one Slack user per workspace.
    if !svc
        .store
        .other_links_in_team(
            Some(&mut tx),
            &prompt.team_id,
            &zoom.id.into(),
            &prompt.slack_user_id,
        )
        .await?
        .is_empty()
    {
        return Ok(Completed::ZoomUserTaken);
    }
    svc.store
        .put_zoom_grant(
            &mut tx,
            &owner,
            &tokens.access_token,
            tokens.refresh_token.as_ref(),
            tokens.expires_at(now),
            now,
        )
        .await?;
    let link = ZoomLink {
        team_id: prompt.team_id.clone(),
        slack_user_id: prompt.slack_user_id.clone(),
        zoom_user_id: zoom.id.to_owned().into(),
        zoom_email: zoom.email.map(str::to_owned),
        zoom_account_id: zoom.account_id.map(str::to_owned).map(Into::into),
        status: LinkStatus::Ok,
        linked_at: now,
    };
    svc.store.save_zoom_link(&mut tx, &link).await?;
    svc.store
        .audit(
            &mut tx,
            now,
            &format!("slack:{}:{}", prompt.team_id, prompt.slack_user_id),
            "link",
            &format!("zoom-user:{}", zoom.id),
            "",
        )
        .await?;
    let mut jobs = vec![
        connected_dm(svc, &install.team_id, prompt, zoom, lang, now),
        super::home::publish_job(
            &prompt.team_id,
            prompt.enterprise_id.as_ref(),
            &prompt.slack_user_id,
            now,
        ),
    ];
    if let Some(command) = &prompt.command {
        let payload =
            serde_json::to_value(command).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        jobs.push(NewJob::new(
            super::RESUME_KIND,
            format!("resume:{}", command.request_key),
            payload,
            now,
        ));
    }
    svc.store.enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    Ok(Completed::Linked)
}

/// The DM telling a Slack user which Zoom account was just linked to
/// them, so a link they did not make does not go unnoticed. Sent with the
/// bot token of `install_team`, the install serving the workspace.
fn connected_dm(
    svc: &Services,
    install_team: &str,
    prompt: &Prompt,
    zoom: ZoomAccount<'_>,
    lang: zlack_domain::i18n::Lang,
    now: Millis,
) -> NewJob {
    let account = zoom.email.unwrap_or(zoom.id);
    let message = zlack_domain::render::zoom_connected_dm(&svc.texts, lang, account);
    let key = format!(
        "zoom-connected:{}:{}:{}:{now}",
        prompt.team_id, prompt.slack_user_id, zoom.id
    );
    post_message(key, install_team, &prompt.slack_user_id, &message, now)
}

/// Zoom no longer accepts a user's authorization (`action` says how zlack
/// found out, for the audit log). A self-hosted Zoom app hears of a user
/// removing it only this way: Zoom sends `app_deauthorized` to published
/// apps alone. So, as for a deauthorization, everything zlack keeps about
/// the Zoom user goes (tokens, links, meetings, statuses) in one
/// transaction with its audit entry, and each Slack user whose link still
/// worked gets one reconnect DM. With the links gone nothing refreshes
/// again, so nothing repeats.
pub async fn break_links(
    svc: &Services,
    zoom_user_id: &str,
    action: &str,
) -> Result<(), StoreError> {
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    // Who is told: a link already marked broken (by an older version) was
    // told then.
    let users = svc.store.break_links(&mut tx, &zoom_user_id.into()).await?;
    let target = super::uninstall::Target::ZoomUser(zoom_user_id.to_owned());
    let purged = super::uninstall::purge_in(svc, &mut tx, &target, "zoom", action).await?;
    if users.is_empty() && purged == Default::default() {
        // Already gone: a job that read the link before the purge, or a
        // second waiter on the same refresh, finds nothing to remove and
        // writes no second audit entry (dropping the transaction rolls the
        // audit row back).
        drop(tx);
        return Ok(());
    }
    tx.commit().await?;
    tracing::info!(removed = %purged.summary(), action, "Zoom refused the user's authorization");
    for (team_id, slack_user_id) in users {
        let prompt = Prompt {
            team_id: team_id.clone(),
            enterprise_id: None,
            slack_user_id: slack_user_id.clone(),
            command: None,
        };
        let url = prompt_url(svc, &prompt, RECONNECT_TTL_MS).await?;
        let lang = super::language(svc, &team_id, &slack_user_id, None).await;
        let message = zlack_domain::render::reconnect_dm(&svc.texts, lang, &url);
        let key = format!("reconnect:{team_id}:{slack_user_id}:{now}");
        let job = post_message(key, &team_id, &slack_user_id, &message, now);
        let home = super::home::publish_job(&team_id, None, &slack_user_id, now);
        svc.store.enqueue_now(&[job, home], now).await?;
    }
    Ok(())
}

/// Revokes a user's Zoom tokens at Zoom and forgets them and the link,
/// and updates their Home tab (`enterprise_id`, the workspace's Enterprise
/// Grid org from the request, finds an org-wide install). Returns whether
/// the user was connected.
pub async fn logout(
    svc: &Services,
    team_id: &str,
    enterprise_id: Option<&str>,
    slack_user_id: &str,
) -> Result<bool, StoreError> {
    // Disconnecting ends status sync too (before anything else, so a retry
    // after a failure does it again).
    super::status::disconnected(svc, team_id, slack_user_id).await?;
    let Some(link) = svc
        .store
        .zoom_link(&team_id.into(), &slack_user_id.into())
        .await?
    else {
        return Ok(false);
    };
    let owner = TokenOwner::zoom_user(&link.zoom_user_id);
    let mut tx = svc.store.begin().await?;
    svc.store
        .delete_zoom_link(&mut tx, &team_id.into(), &slack_user_id.into())
        .await?;
    // The same Zoom user may be linked from another workspace: its tokens
    // stay until the last link goes.
    let last = svc
        .store
        .links_to_zoom_user(&mut tx, &link.zoom_user_id)
        .await?
        == 0;
    let token = match last {
        true => svc.store.token(&owner, TokenKind::ZoomRefresh).await?,
        false => None,
    };
    if last {
        svc.store.delete_tokens(&mut tx, &owner, &[]).await?;
    }
    let now = svc.clock.now_ms();
    svc.store
        .audit(
            &mut tx,
            now,
            &format!("slack:{team_id}:{slack_user_id}"),
            "unlink",
            &format!("zoom-user:{}", link.zoom_user_id),
            &format!("{} logout", svc.config.slash_command),
        )
        .await?;
    let enterprise = enterprise_id.filter(|e| !e.is_empty()).map(TeamId::from);
    let home = super::home::publish_job(
        &team_id.into(),
        enterprise.as_ref(),
        &slack_user_id.into(),
        now,
    );
    svc.store.enqueue(&mut tx, &[home], now).await?;
    tx.commit().await?;
    // Revoking the refresh token ends the whole grant at Zoom.
    if let (Some(token), Some(oauth)) = (token, &svc.zoom_oauth)
        && let Err(error) = oauth.revoke(&token.secret).await
    {
        tracing::warn!(%error, "revoking the Zoom grant failed; its tokens are deleted here");
    }
    Ok(true)
}
