//! Status sync: the user's Slack status while they are in a Zoom meeting
//! or call, for those who turned it on.
//!
//! Turning it on asks the user, in a DM, for a Slack user token with the
//! one user scope `users.profile:write` (their own link, bound to them:
//! [`StatusPrompt`], finished in `http::slack_status`). Zoom's
//! `user.presence_status_updated` events are then taken in per linked
//! Slack user ([`on_presence`]): each newer presence bumps a stored row
//! and queues one `status.apply` job ([`run_apply`]), which compares the
//! row with what zlack did so far and changes the status at most once:
//! busy → save the user's status and set zlack's (with an expiry as a
//! safety net); free → put the saved one back, but only if zlack's is still
//! showing, so a status the user set meanwhile stays. Turning it off or
//! `/zoom logout` queues `status.settle` ([`run_settle`]): restore, revoke
//! the user token, forget.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zlack_domain::ids::{SlackUserId, TeamId};
use zlack_domain::settings::UserSettings;
use zlack_domain::status::Presence;

use super::credentials::{self, CredError};
use crate::clock::Millis;
use crate::config::Secret;
use crate::job::{Job, JobError, JobResult, post_message};
use crate::services::Services;
use crate::slack::api::{SlackError, UserGrant};
use crate::store::{
    InboxItem, NewJob, SlackStatus, StatusChange, StatusPhase, StatusSync, Store, StoreError,
    TokenKind, TokenOwner,
};

/// The grant kind behind `/slack/status?ref=…`.
pub const PROMPT_KIND: &str = "status_prompt";
/// How long the link in the "Allow status updates" DM works.
pub const PROMPT_TTL_MS: Millis = 7 * 24 * 60 * 60 * 1000;
/// How long zlack's status stays if zlack never hears "available" (Zoom
/// lost the event, the server was down): Slack clears it by itself then.
pub const STATUS_EXPIRY_SECS: i64 = 4 * 60 * 60;
/// How long one change of a user's status may hold their lease.
const LEASE_MS: Millis = 60_000;

/// Who the "Allow status updates" link was made for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusPrompt {
    /// The workspace of the user.
    pub team_id: TeamId,
    /// The Enterprise Grid org, if known.
    #[serde(default)]
    pub enterprise_id: Option<TeamId>,
    /// The Slack user whose status it is.
    pub slack_user_id: SlackUserId,
}

impl StatusPrompt {
    /// Whether the Slack user who authorized is the one the link was made
    /// for: the same user, in the same workspace or, on Enterprise Grid
    /// (where user IDs are the org's), in the same org.
    pub fn is_for(&self, grant: &UserGrant) -> bool {
        self.slack_user_id == grant.user_id.as_str()
            && (self.team_id == grant.team_id.as_str()
                || (self.enterprise_id.is_some()
                    && grant.enterprise_id.as_deref() == self.enterprise_id.as_deref()))
    }
}

fn owner(team_id: &TeamId, user_id: &SlackUserId) -> TokenOwner {
    TokenOwner::slack_user(team_id, user_id)
}

/// The user's status sync token, if they allowed it.
async fn user_token(
    svc: &Services,
    team_id: &TeamId,
    user_id: &SlackUserId,
) -> Result<Option<Secret>, StoreError> {
    Ok(svc
        .store
        .token(&owner(team_id, user_id), TokenKind::SlackUser)
        .await?
        .map(|t| t.secret))
}

/// Where a user's status sync stands, for views such as the Home tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// The setting is off.
    Off,
    /// The setting is on, but the user has not allowed zlack to change
    /// their status yet (the DM's button is waiting).
    AwaitingPermission,
    /// On and allowed: presence changes their status.
    On,
}

/// The user's [`SyncState`].
pub async fn sync_state(
    svc: &Services,
    team_id: &TeamId,
    user_id: &SlackUserId,
) -> Result<SyncState, StoreError> {
    if !super::settings::load(svc, team_id, user_id)
        .await
        .status_sync
    {
        return Ok(SyncState::Off);
    }
    Ok(match user_token(svc, team_id, user_id).await? {
        Some(_) => SyncState::On,
        None => SyncState::AwaitingPermission,
    })
}

/// Stores a user's settings, changed from `before` to `after`, together
/// with what turning status sync on or off needs (the "Allow status
/// updates" DM, or a `status.settle` job), in one transaction: a job that
/// fails before the commit stores nothing and its retry sees the same
/// change again; one that fails after it has queued the follow-up.
/// `enterprise_id` is the Enterprise Grid org of the workspace (from the
/// interaction payload's `team.enterprise_id`), so an org-wide install is
/// found.
pub async fn save_settings(
    svc: &Services,
    team_id: &TeamId,
    enterprise_id: Option<&TeamId>,
    user_id: &SlackUserId,
    before: &UserSettings,
    after: &UserSettings,
) -> JobResult {
    let now = svc.clock.now_ms();
    let json = serde_json::to_string(after)
        .map_err(|_| JobError::permanent("settings no longer serialize"))?;
    let mut jobs = Vec::new();
    if before.status_sync != after.status_sync {
        if after.status_sync {
            jobs.extend(turned_on_dm(svc, team_id, enterprise_id, user_id, now).await?);
        } else {
            jobs.push(settle_job(team_id, user_id, now));
        }
    }
    let mut tx = svc.store.begin().await?;
    svc.store
        .save_user_settings_in(&mut tx, team_id, user_id, &json, now)
        .await?;
    svc.store.enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The DM for a user who turned status sync on: a link to allow it, or,
/// holding a token already, that it is on. None when no install serves
/// the workspace.
async fn turned_on_dm(
    svc: &Services,
    team_id: &TeamId,
    enterprise_id: Option<&TeamId>,
    user_id: &SlackUserId,
    now: Millis,
) -> Result<Option<NewJob>, JobError> {
    let (install, bot) =
        match credentials::slack_bot(svc, team_id, enterprise_id.map(|e| e.as_str())).await {
            Ok(found) => found,
            Err(CredError::NotInstalled) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
    let lang = super::language(svc, team_id, user_id, Some(&bot)).await;
    let message = if user_token(svc, team_id, user_id).await?.is_some() {
        zlack_domain::render::status_enabled_dm(&svc.texts, lang)
    } else {
        let prompt = StatusPrompt {
            team_id: team_id.clone(),
            enterprise_id: enterprise_id.cloned().or(install.enterprise_id.clone()),
            slack_user_id: user_id.clone(),
        };
        let url = prompt_url(svc, &prompt).await?;
        zlack_domain::render::status_allow_dm(&svc.texts, lang, &url)
    };
    // Each change of the setting is its own message (the clock may not
    // have moved between two).
    let key = format!(
        "status-on:{team_id}:{user_id}:{}",
        crate::vault::random_token()
    );
    Ok(Some(post_message(
        key,
        &install.team_id,
        user_id,
        &message,
        now,
    )))
}

/// Makes the user's one-time link to Slack's authorization of the
/// status scope.
pub async fn prompt_url(svc: &Services, prompt: &StatusPrompt) -> Result<String, StoreError> {
    let secret = crate::vault::random_token();
    let payload = serde_json::to_value(prompt).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    svc.store
        .put_grant(
            &secret,
            PROMPT_KIND,
            None,
            &payload,
            svc.clock.now_ms() + PROMPT_TTL_MS,
        )
        .await?;
    Ok(format!(
        "{}?ref={secret}",
        svc.config.public("/slack/status")
    ))
}

/// Stores the user token of a finished authorization (sealed), turns the
/// setting on and tells the user in a DM, in one transaction. False when
/// the workspace uninstalled zlack meanwhile: nothing is stored.
pub async fn authorized(
    svc: &Services,
    prompt: &StatusPrompt,
    token: &Secret,
) -> Result<bool, StoreError> {
    let Some(install) = svc
        .store
        .install_for(&prompt.team_id, prompt.enterprise_id.as_ref())
        .await?
    else {
        return Ok(false);
    };
    let (team_id, user_id) = (&prompt.team_id, &prompt.slack_user_id);
    let bot = credentials::slack_bot(svc, team_id, prompt.enterprise_id.as_deref())
        .await
        .ok()
        .map(|(_, bot)| bot);
    let lang = super::language(svc, team_id, user_id, bot.as_ref()).await;
    let mut settings = super::settings::load(svc, team_id, user_id).await;
    settings.status_sync = true;
    let json = serde_json::to_string(&settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let now = svc.clock.now_ms();
    let message = zlack_domain::render::status_enabled_dm(&svc.texts, lang);
    let key = format!(
        "status-enabled:{team_id}:{user_id}:{}",
        crate::vault::random_token()
    );
    let dm = post_message(key, &install.team_id, user_id, &message, now);
    let mut tx = svc.store.begin().await?;
    svc.store
        .put_token(
            &mut tx,
            &owner(team_id, user_id),
            TokenKind::SlackUser,
            token,
            None,
            now,
        )
        .await?;
    svc.store
        .audit(
            &mut tx,
            now,
            &format!("slack:{team_id}:{user_id}"),
            "status_sync_on",
            &format!("slack-user:{team_id}:{user_id}"),
            "",
        )
        .await?;
    svc.store
        .save_user_settings_in(&mut tx, team_id, user_id, &json, now)
        .await?;
    svc.store.enqueue(&mut tx, &[dm], now).await?;
    tx.commit().await?;
    refresh_home(svc, team_id, prompt.enterprise_id.as_ref(), user_id).await;
    Ok(true)
}

/// Ends status sync when the user disconnects Zoom (`/zoom logout`, the
/// Home tab's Disconnect): the setting goes off, and their status is put
/// back and the user token revoked by a `status.settle` job.
pub async fn disconnected(svc: &Services, team_id: &str, user_id: &str) -> Result<(), StoreError> {
    let (team_id, user_id) = (TeamId::from(team_id), SlackUserId::from(user_id));
    let now = svc.clock.now_ms();
    let mut settings = super::settings::load(svc, &team_id, &user_id).await;
    if settings.status_sync {
        settings.status_sync = false;
        let json =
            serde_json::to_string(&settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        svc.store
            .save_user_settings(&team_id, &user_id, &json, now)
            .await?;
    }
    let has_token = user_token(svc, &team_id, &user_id).await?.is_some();
    let has_row = svc.store.status_sync(&team_id, &user_id).await?.is_some();
    if has_token || has_row {
        svc.store
            .enqueue_now(&[settle_job(&team_id, &user_id, now)], now)
            .await?;
    }
    Ok(())
}

fn settle_job(team_id: &TeamId, user_id: &SlackUserId, now: Millis) -> NewJob {
    Job::StatusSettle {
        team: team_id.clone(),
        user: user_id.clone(),
    }
    .queue(
        format!(
            "status-settle:{team_id}:{user_id}:{}",
            crate::vault::random_token()
        ),
        now,
    )
}

/// When Zoom says a presence changed: the event's `payload.object.date_time`
/// (ISO 8601, whole seconds; else the webhook's `event_ts`), and the
/// webhook's `event_ts` to order two changes of one second.
fn event_time(body: &Value) -> Option<(Millis, Millis)> {
    let object = &body["payload"]["object"];
    let event_ts = body["event_ts"].as_i64();
    let at = object["date_time"]
        .as_str()
        .and_then(|t| t.trim().parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
        .or(event_ts)?;
    Some((at, event_ts.unwrap_or(0)))
}

/// Zoom's `user.presence_status_updated`: each Slack user linked to the
/// Zoom user who turned status sync on (and allowed it) gets the presence
/// recorded, when newer than the last, and one `status.apply` job; others
/// are left alone. The request is marked processed in the same
/// transaction.
pub async fn on_presence(svc: &Services, item: &InboxItem) -> JobResult {
    let body: Value = serde_json::from_slice(&item.body)
        .map_err(|_| JobError::permanent("stored presence event no longer parses"))?;
    let object = &body["payload"]["object"];
    let zoom_user = object["id"].as_str().filter(|id| !id.is_empty());
    let presence = Presence::from_zoom(object["presence_status"].as_str().unwrap_or_default());
    let now = svc.clock.now_ms();
    let mut jobs = Vec::new();
    let mut takers = Vec::new();
    if let (Some(zoom_user), Some(event_at)) = (zoom_user, event_time(&body)) {
        for (team_id, user_id) in svc
            .store
            .slack_users_of_zoom_user(&zoom_user.into())
            .await?
        {
            let settings = super::settings::load(svc, &team_id, &user_id).await;
            if settings.status_sync && user_token(svc, &team_id, &user_id).await?.is_some() {
                takers.push((team_id, user_id, event_at));
            }
        }
    }
    let mut tx = svc.store.begin().await?;
    for (team_id, user_id, event_at) in takers {
        let newer = svc
            .store
            .record_presence(
                &mut tx,
                &team_id,
                &user_id,
                presence.as_str(),
                event_at,
                now,
            )
            .await?;
        if newer {
            jobs.push(
                Job::StatusApply {
                    team: team_id.clone(),
                    user: user_id.clone(),
                }
                .queue(
                    format!("status:{team_id}:{user_id}:{}:{}", event_at.0, event_at.1),
                    now,
                ),
            );
        } else {
            tracing::debug!("a presence event older than the last one applied; ignored");
        }
    }
    svc.store.enqueue(&mut tx, &jobs, now).await?;
    Store::mark_processed(&mut tx, item.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Runs `work` holding the user's status lease, so two workers never
/// change one user's status at once; another holder means "try again".
async fn with_lease<F, Fut>(svc: &Services, team: &TeamId, user: &SlackUserId, work: F) -> JobResult
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = JobResult>,
{
    let name = format!("status:{team}:{user}");
    let holder = crate::vault::random_token();
    let now = svc.clock.now_ms();
    if !svc.store.try_lease(&name, &holder, now, LEASE_MS).await? {
        return Err(JobError::transient(
            "another worker is changing this user's status",
        ));
    }
    let result = work().await;
    if let Err(error) = svc.store.release_lease(&name, &holder).await {
        tracing::warn!(%error, "releasing a status lease failed; it runs out by itself");
    }
    result
}

/// The install serving `team` and its bot token. A workspace of an
/// Enterprise Grid org served by an org-wide install has no install of
/// its own, and the jobs here do not carry the org: the user's token
/// names it (`auth.test`).
async fn bot_for(
    svc: &Services,
    team: &TeamId,
    user_token: &Secret,
) -> Result<(crate::store::Workspace, Secret), Failure> {
    match credentials::slack_bot(svc, team, None).await {
        Err(CredError::NotInstalled) => {}
        found => return found.map_err(|e| Failure::Job(e.into())),
    }
    let Some(org) = svc.slack.team(team, user_token).enterprise_id().await? else {
        return Err(Failure::NotInstalled);
    };
    match credentials::slack_bot(svc, team, Some(&org)).await {
        Err(CredError::NotInstalled) => Err(Failure::NotInstalled),
        found => found.map_err(|e| Failure::Job(e.into())),
    }
}

/// Slack's answers meaning the user token is no good any more.
fn token_dead(error: &SlackError) -> bool {
    matches!(
        error.code(),
        Some(
            "token_revoked"
                | "invalid_auth"
                | "account_inactive"
                | "not_authed"
                | "token_expired"
                | "missing_scope"
                | "no_permission"
        )
    )
}

/// What went wrong changing the status.
enum Failure {
    /// Slack refused the user token: status sync ends.
    TokenDead,
    /// No install serves the workspace any more.
    NotInstalled,
    /// Any other failure, as the job's.
    Job(JobError),
}

impl From<SlackError> for Failure {
    fn from(error: SlackError) -> Self {
        if token_dead(&error) {
            Failure::TokenDead
        } else {
            Failure::Job(error.into())
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::Job(error.into())
    }
}

/// Whether `current` is exactly the status zlack set.
fn is_ours(current: &SlackStatus, shown: Option<&(String, String)>) -> bool {
    shown.is_some_and(|(text, emoji)| current.text == *text && current.emoji == *emoji)
}

/// Carries out the latest presence of one user (`status.apply`).
pub async fn run_apply(svc: &Services, team: &TeamId, user: &SlackUserId) -> JobResult {
    with_lease(svc, team, user, || async {
        match apply(svc, team, user).await {
            Ok(()) | Err(Failure::NotInstalled) => Ok(()),
            Err(Failure::Job(error)) => Err(error),
            Err(Failure::TokenDead) => token_refused(svc, team, user).await,
        }
    })
    .await
}

async fn apply(svc: &Services, team: &TeamId, user: &SlackUserId) -> Result<(), Failure> {
    let settings = super::settings::load(svc, team, user).await;
    let Some(row) = svc.store.status_sync(team, user).await? else {
        return Ok(());
    };
    let Some(token) = user_token(svc, team, user).await? else {
        return Ok(());
    };
    if !settings.status_sync {
        // Turning it off queued `status.settle`, which puts things back.
        return Ok(());
    }
    let (_, bot) = bot_for(svc, team, &token).await?;
    let lang = super::language(svc, team, user, Some(&bot)).await;
    let want = Presence::parse(&row.presence).status(&svc.texts, lang);
    let read = svc.slack.team(team, &bot);
    let write = svc.slack.team(team, &token);
    let now = svc.clock.now_ms();
    let save = SaveAt { svc, team, user };
    match (row.phase, &want) {
        (StatusPhase::Idle, None) | (StatusPhase::Yielded, Some(_)) => Ok(()),
        (StatusPhase::Yielded, None) => save.at(row.version, StatusPhase::Idle, None, None).await,
        (StatusPhase::Shown, Some((text, emoji)))
            if row.shown.as_ref() == Some(&(text.clone(), (*emoji).to_owned())) =>
        {
            Ok(())
        }
        (StatusPhase::Idle, Some((text, emoji))) => {
            let current = read.user_status(user).await?;
            let shown = Some((text.as_str(), *emoji));
            // Saved before Slack is asked, so a crash in between leaves
            // the user's status known.
            save.at(row.version, StatusPhase::Setting, shown, Some(&current))
                .await?;
            write.set_own_status(&ours(text, emoji, now)).await?;
            save.at(row.version + 1, StatusPhase::Shown, shown, Some(&current))
                .await
        }
        (StatusPhase::Setting | StatusPhase::Shown, Some((text, emoji))) => {
            let current = read.user_status(user).await?;
            let shown = Some((text.as_str(), *emoji));
            if row.phase == StatusPhase::Shown && !is_ours(&current, row.shown.as_ref()) {
                tracing::info!("the user changed their status during a meeting; left alone");
                return save.at(row.version, StatusPhase::Yielded, None, None).await;
            }
            if !is_ours(
                &current,
                shown.map(|(t, e)| (t.to_owned(), e.to_owned())).as_ref(),
            ) {
                write.set_own_status(&ours(text, emoji, now)).await?;
            }
            save.at(row.version, StatusPhase::Shown, shown, row.saved.as_ref())
                .await
        }
        (StatusPhase::Setting | StatusPhase::Shown, None) => {
            restore(svc, team, user, &bot, &token, &row).await?;
            save.at(row.version, StatusPhase::Idle, None, None).await
        }
    }
}

/// Writes a user's row at the version read; another write meanwhile
/// makes the job try again from what is stored now.
struct SaveAt<'a> {
    svc: &'a Services,
    team: &'a TeamId,
    user: &'a SlackUserId,
}

impl SaveAt<'_> {
    async fn at(
        &self,
        version: i64,
        phase: StatusPhase,
        shown: Option<(&str, &str)>,
        saved: Option<&SlackStatus>,
    ) -> Result<(), Failure> {
        let now = self.svc.clock.now_ms();
        let written = self
            .svc
            .store
            .save_status_phase(
                self.team,
                self.user,
                version,
                StatusChange {
                    phase,
                    shown,
                    saved,
                },
                now,
            )
            .await?;
        match written {
            true => Ok(()),
            false => Err(Failure::Job(JobError::transient(
                "the status row changed meanwhile",
            ))),
        }
    }
}

/// zlack's status, expiring as a safety net.
fn ours(text: &str, emoji: &str, now: Millis) -> SlackStatus {
    SlackStatus {
        text: text.to_owned(),
        emoji: emoji.to_owned(),
        expiration: now / 1000 + STATUS_EXPIRY_SECS,
    }
}

/// Puts the saved status back when zlack's is still showing; otherwise
/// the user changed it and it stays. A saved status that expired
/// meanwhile comes back empty, as Slack would have cleared it.
async fn restore(
    svc: &Services,
    team: &TeamId,
    user: &SlackUserId,
    bot: &Secret,
    token: &Secret,
    row: &StatusSync,
) -> Result<(), Failure> {
    let current = svc.slack.team(team, bot).user_status(user).await?;
    if !is_ours(&current, row.shown.as_ref()) {
        tracing::info!("the user changed their status meanwhile; left alone");
        return Ok(());
    }
    let now_secs = svc.clock.now_ms() / 1000;
    let saved = row.saved.clone().unwrap_or_default();
    let back = if saved.expiration != 0 && saved.expiration <= now_secs {
        SlackStatus::default()
    } else {
        saved
    };
    svc.slack.team(team, token).set_own_status(&back).await?;
    Ok(())
}

/// Slack refused the user token: forget it and the row, turn the setting
/// off, and tell the user once (the token is gone, so no later change
/// comes here again).
async fn token_refused(svc: &Services, team: &TeamId, user: &SlackUserId) -> JobResult {
    tracing::info!("Slack refused a status sync user token; status sync turned off");
    let now = svc.clock.now_ms();
    let bot = credentials::slack_bot(svc, team, None).await.ok();
    let lang = super::language(svc, team, user, bot.as_ref().map(|(_, b)| b)).await;
    let mut settings = super::settings::load(svc, team, user).await;
    let mut tx = svc.store.begin().await?;
    svc.store.forget_status_sync(&mut tx, team, user).await?;
    if settings.status_sync {
        settings.status_sync = false;
        let json = serde_json::to_string(&settings).unwrap_or_default();
        svc.store
            .save_user_settings_in(&mut tx, team, user, &json, now)
            .await?;
    }
    if let Some((install, _)) = &bot {
        let message = zlack_domain::render::status_revoked_dm(&svc.texts, lang);
        let key = format!(
            "status-revoked:{team}:{user}:{}",
            crate::vault::random_token()
        );
        let dm = post_message(key, &install.team_id, user, &message, now);
        svc.store.enqueue(&mut tx, &[dm], now).await?;
    }
    tx.commit().await?;
    refresh_home(svc, team, None, user).await;
    Ok(())
}

/// Ends status sync for a user who turned it off or disconnected
/// (`status.settle`): puts their status back if zlack's is showing,
/// revokes the user token and forgets it and the row. Nothing happens if
/// they turned it on again meanwhile.
pub async fn run_settle(svc: &Services, team: &TeamId, user: &SlackUserId) -> JobResult {
    with_lease(svc, team, user, || settle(svc, team, user)).await
}

async fn settle(svc: &Services, team: &TeamId, user: &SlackUserId) -> JobResult {
    if super::settings::load(svc, team, user).await.status_sync {
        return Ok(());
    }
    let token = user_token(svc, team, user).await?;
    let row = svc.store.status_sync(team, user).await?;
    if let Some(token) = &token {
        let showing = row
            .as_ref()
            .is_some_and(|r| matches!(r.phase, StatusPhase::Shown | StatusPhase::Setting));
        if let (true, Some(row)) = (showing, &row) {
            let restored = match bot_for(svc, team, token).await {
                Ok((_, bot)) => restore(svc, team, user, &bot, token, row).await,
                Err(failure) => Err(failure),
            };
            match restored {
                Ok(()) | Err(Failure::TokenDead | Failure::NotInstalled) => {}
                Err(Failure::Job(error)) => return Err(error),
            }
        }
        match svc.slack.team(team, token).revoke().await {
            Ok(()) => {}
            Err(error) if token_dead(&error) => {}
            Err(error) if error.is_refusal() => {
                tracing::warn!(
                    code = error.code(),
                    "Slack refused to revoke a status sync token; it is forgotten here"
                );
            }
            Err(error) => return Err(error.into()),
        }
    }
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    svc.store.forget_status_sync(&mut tx, team, user).await?;
    if token.is_some() {
        svc.store
            .audit(
                &mut tx,
                now,
                &format!("slack:{team}:{user}"),
                "status_sync_off",
                &format!("slack-user:{team}:{user}"),
                "",
            )
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Asks for the user's Home tab to be redrawn; a failure only delays it.
async fn refresh_home(
    svc: &Services,
    team: &TeamId,
    enterprise: Option<&TeamId>,
    user: &SlackUserId,
) {
    if let Err(error) = super::home::refresh_in(svc, team, enterprise, user).await {
        tracing::warn!(%error, "could not refresh the Home tab after a status sync change");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_events_own_time_counts_then_its_delivery_time() {
        let body =
            json!({"event_ts": 5, "payload": {"object": {"date_time": "2026-03-01T10:00:00Z"}}});
        assert_eq!(event_time(&body), Some((1_772_359_200_000, 5)));
        let body = json!({"event_ts": 5, "payload": {"object": {"date_time": "yesterday"}}});
        assert_eq!(event_time(&body), Some((5, 5)));
        assert_eq!(event_time(&json!({})), None);
    }

    #[test]
    fn only_the_user_of_the_link_may_finish_it() {
        let prompt = StatusPrompt {
            team_id: "T1".into(),
            enterprise_id: None,
            slack_user_id: "U1".into(),
        };
        let grant = |user: &str, team: &str| UserGrant {
            user_id: user.into(),
            team_id: team.into(),
            enterprise_id: None,
            scope: String::new(),
            access_token: Secret::new("x"),
        };
        assert!(prompt.is_for(&grant("U1", "T1")));
        assert!(!prompt.is_for(&grant("U2", "T1")));
        assert!(!prompt.is_for(&grant("U1", "T2")));
    }
}
