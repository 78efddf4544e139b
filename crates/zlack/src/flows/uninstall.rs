//! Uninstalls and revocations: Slack's `app_uninstalled` and
//! `tokens_revoked`, Zoom's `app_deauthorized`, and the operator's
//! `zlack purge`. Each deletes what it names in one transaction, which also
//! marks the event processed and writes the audit log.

use serde_json::Value;

use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::store::{InboxItem, Purged, Store, StoreError};

/// What to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Slack workspace and everything of it.
    Team(String),
    /// A Zoom user: tokens, links and what zlack learnt from Zoom about them.
    ZoomUser(String),
    /// Every Zoom user of a Zoom account zlack knows (an account-level
    /// deauthorization).
    ZoomAccount(String),
    /// Only a Zoom user's own tokens: in the account modes their links come
    /// from the account, not from their authorization.
    ZoomUserTokens(String),
}

impl Target {
    fn subject(&self) -> String {
        match self {
            Target::Team(team) => format!("team:{team}"),
            Target::ZoomUser(user) => format!("zoom-user:{user}"),
            Target::ZoomAccount(account) => format!("zoom-account:{account}"),
            Target::ZoomUserTokens(user) => format!("zoom-user:{user}"),
        }
    }
}

/// Removes `target` within `tx`, with an audit entry by `actor` for `action`.
pub async fn purge_in(
    svc: &Services,
    tx: &mut crate::store::Tx,
    target: &Target,
    actor: &str,
    action: &str,
) -> Result<Purged, StoreError> {
    let purged = match target {
        Target::Team(team) => svc.store.purge_team(tx, &team.as_str().into()).await?,
        Target::ZoomUser(user) => {
            svc.store
                .purge_zoom_user(tx, &user.as_str().into())
                .await?
                .0
        }
        Target::ZoomUserTokens(user) => {
            svc.store
                .purge_zoom_user_tokens(tx, &user.as_str().into())
                .await?
        }
        Target::ZoomAccount(account) => svc.store.purge_zoom_account(tx, account).await?,
    };
    svc.store
        .audit(
            tx,
            svc.clock.now_ms(),
            actor,
            action,
            &target.subject(),
            &purged.summary(),
        )
        .await?;
    Ok(purged)
}

/// `zlack purge`: removes `target` now. `None` when zlack knows nothing
/// of it: then nothing is written, not even an audit row.
pub async fn purge(svc: &Services, target: &Target) -> Result<Option<Purged>, StoreError> {
    let mut tx = svc.store.begin().await?;
    let purged = purge_in(svc, &mut tx, target, "operator", "purge").await?;
    if purged == Purged::default() {
        // Dropping the transaction rolls the audit row back.
        drop(tx);
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(purged))
}

/// Slack's `app_uninstalled` and `tokens_revoked`.
pub async fn on_slack_event(svc: &Services, item: &InboxItem) -> JobResult {
    let Ok(envelope) = serde_json::from_slice::<Value>(&item.body) else {
        return Err(JobError::permanent("stored event no longer parses"));
    };
    let team = envelope["team_id"]
        .as_str()
        .or(envelope["event"]["team_id"].as_str())
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let Some(team) = team else {
        tracing::warn!(kind = %item.kind, "uninstall event without a team; ignored");
        return Ok(());
    };
    // An Enterprise Grid org install is stored under the org's id: its
    // install and bot token go too.
    let org = envelope["authorizations"][0]["is_enterprise_install"]
        .as_bool()
        .unwrap_or(false)
        .then(|| {
            envelope["enterprise_id"]
                .as_str()
                .or(envelope["authorizations"][0]["enterprise_id"].as_str())
        })
        .flatten()
        .filter(|e| !e.is_empty() && *e != team)
        .map(str::to_owned);
    let now = svc.clock.now_ms();
    let done: Result<(), StoreError> = async {
        let mut tx = svc.store.begin().await?;
        if !Store::claim_inbox(&mut tx, item.id, now).await? {
            return Ok(());
        }
        match item.kind.as_str() {
            "app_uninstalled" => {
                for id in std::iter::once(&team).chain(org.as_ref()) {
                    let purged =
                        purge_in(svc, &mut tx, &Target::Team(id.clone()), "slack", "uninstall")
                            .await?;
                    tracing::info!(team = %id, removed = %purged.summary(), "uninstalled from a Slack workspace");
                }
            }
            "tokens_revoked" => {
                let tokens = &envelope["event"]["tokens"];
                let ids = |key: &str| -> Vec<String> {
                    tokens[key]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let mut removed = 0;
                for user in ids("oauth") {
                    removed += svc.store
                        .drop_slack_user_tokens(&mut tx, &team.as_str().into(), &user.into()).await?;
                }
                let bots = ids("bot");
                if !bots.is_empty() {
                    removed += svc.store.drop_bot_token(&mut tx, &team.as_str().into()).await?;
                    if let Some(org) = &org {
                        removed += svc.store.drop_bot_token(&mut tx, &org.as_str().into()).await?;
                    }
                }
                svc.store
                    .audit(
                        &mut tx,
                        now,
                        "slack",
                        "tokens_revoked",
                        &format!("team:{team}"),
                        &format!(
                            "bot={} users={} tokens={removed}",
                            bots.len(),
                            ids("oauth").len()
                        ),
                    )
                    .await?;
            }
            _ => {}
        }
        tx.commit().await
    }
    .await;
    Ok(done?)
}

/// Zoom's `app_deauthorized`, whose `client_id` the webhook endpoint has
/// already checked: the user's (or account's) tokens, links and
/// Zoom-derived data go, in one transaction.
pub async fn on_zoom_deauthorized(svc: &Services, item: &InboxItem) -> JobResult {
    let Ok(hook) = serde_json::from_slice::<Value>(&item.body) else {
        return Err(JobError::permanent("stored webhook no longer parses"));
    };
    let payload = &hook["payload"];
    let text = |key: &str| {
        payload[key]
            .as_str()
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let mode = svc.config.zoom.mode;
    let organization = mode == crate::config::ZoomMode::Organization;
    let admin = match (text("user_id"), text("account_id")) {
        (Some(user), Some(account)) if organization => {
            match svc
                .store
                .is_organization_admin(&account, &user.into())
                .await
            {
                Ok(admin) => admin,
                Err(e) => return Err(e.into()),
            }
        }
        _ => false,
    };
    let target = match (text("user_id"), text("account_id")) {
        // The Zoom admin who connected the organization removed the app:
        // it ends for the whole account.
        (Some(_), Some(account)) if admin => Target::ZoomAccount(account),
        (None, Some(account)) if organization => Target::ZoomAccount(account),
        // Anyone else's removal in the account modes concerns only their
        // own authorization (zlack's revocation of personal tokens, when
        // switching, makes Zoom send these too).
        (Some(user), _) if mode != crate::config::ZoomMode::Personal => {
            Target::ZoomUserTokens(user)
        }
        (Some(user), _) => Target::ZoomUser(user),
        (None, Some(account)) => Target::ZoomAccount(account),
        (None, None) => {
            tracing::warn!("app_deauthorized without a user or account; ignored");
            return Ok(());
        }
    };
    let now = svc.clock.now_ms();
    let done: Result<(), StoreError> = async {
        let mut tx = svc.store.begin().await?;
        if !Store::claim_inbox(&mut tx, item.id, now).await? {
            return Ok(());
        }
        let purged = purge_in(svc, &mut tx, &target, "zoom", "deauthorize").await?;
        tracing::info!(removed = %purged.summary(), "Zoom deauthorized the app");
        tx.commit().await
    }
    .await;
    Ok(done?)
}
