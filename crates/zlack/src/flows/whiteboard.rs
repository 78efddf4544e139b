//! Zoom whiteboard webhooks: a DM for each linked Slack user a board was
//! shared with, and deleted boards that stop unfurling.

use serde_json::Value;
use zlack_domain::links::{self, ZoomLink};
use zlack_domain::render::{self, WhiteboardRole, WhiteboardShare};

use super::credentials::{self, CredError};
use super::deliver;
use crate::job::{Job, JobError, JobResult, WhiteboardDm};
use crate::services::Services;
use crate::store::{InboxItem, LinkStatus, NewJob, Store};
use crate::zoom::error::ZoomError;
use crate::zoom::inbound::Webhook;
use zlack_domain::ids::InboxId;

/// Attempts at Zoom before the DM goes out without the board's name.
const ZOOM_ATTEMPTS: i64 = 3;

/// A whiteboard id safe to put in a URL.
fn valid_id(id: &str) -> bool {
    matches!(
        links::classify(&format!("https://whiteboard.zoom.us/wb/db/{id}")),
        Some(ZoomLink::Whiteboard { whiteboard_id }) if whiteboard_id == id
    )
}

/// Folds a whiteboard webhook: queues the DMs a share calls for, or
/// remembers a deleted board, in the transaction that marks it processed.
/// Each recipient and role is recorded for good (`whiteboard_shares`), so
/// a share Zoom delivers again, or repeats in a later `sharing_updated`,
/// however much later, sends nothing new.
pub async fn on_webhook(svc: &Services, item: &InboxItem) -> JobResult {
    let Ok(hook) = serde_json::from_slice::<Webhook>(&item.body) else {
        return finish(svc, item.id, Vec::new(), None).await;
    };
    let object = &hook.payload["object"];
    let Some(board) = object["whiteboard_id"]
        .as_str()
        .filter(|id| valid_id(id))
        .map(str::to_owned)
    else {
        tracing::warn!(event = %hook.event, "whiteboard webhook without a usable whiteboard_id; ignored");
        return finish(svc, item.id, Vec::new(), None).await;
    };
    match hook.event.as_str() {
        "whiteboard.deleted" => finish(svc, item.id, Vec::new(), Some(&board)).await,
        "whiteboard.shared" | "whiteboard.sharing_updated" => {
            let operator = hook.payload["operator_id"]
                .as_str()
                .or(object["operator_id"].as_str())
                .unwrap_or_default()
                .to_owned();
            let collaborators = object["collaborators"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let operator_name = collaborators
                .iter()
                .find(|c| !operator.is_empty() && c["user_id"].as_str() == Some(&operator))
                .and_then(|c| c["collaborator_name"].as_str())
                .map(str::to_owned);
            let mut shares = Vec::new();
            let now = svc.clock.now_ms();
            for collaborator in &collaborators {
                let Some(zoom_user) = collaborator["user_id"].as_str().filter(|u| !u.is_empty())
                else {
                    continue;
                };
                if zoom_user == operator {
                    continue;
                }
                let role = WhiteboardRole::from_zoom(&collaborator["role"]);
                let recipients = svc
                    .store
                    .slack_users_of_zoom_user(&zoom_user.into())
                    .await?;
                for (team, user) in recipients {
                    let role_name = role.map_or("none", WhiteboardRole::as_str);
                    let job = Job::WhiteboardDm(WhiteboardDm {
                        team: team.clone(),
                        user: user.clone(),
                        whiteboard_id: board.clone(),
                        role: role_name.to_owned(),
                        operator_id: Some(operator.as_str().into()),
                        operator_name: operator_name.clone(),
                    });
                    let key = format!("{}:{board}:{team}:{user}:{role_name}", job.kind());
                    shares.push(Share {
                        job: job.queue(key, now),
                        board: board.clone(),
                        team: team.into(),
                        user: user.into(),
                        role: role_name,
                    });
                }
            }
            finish(svc, item.id, shares, None).await
        }
        _ => finish(svc, item.id, Vec::new(), None).await,
    }
}

/// One "shared with you" DM due.
struct Share {
    job: NewJob,
    board: String,
    team: String,
    user: String,
    role: &'static str,
}

async fn finish(
    svc: &Services,
    inbox_id: InboxId,
    shares: Vec<Share>,
    deleted: Option<&str>,
) -> JobResult {
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    if !Store::claim_inbox(&mut tx, inbox_id, now).await? {
        return Ok(());
    }
    if let Some(board) = deleted {
        svc.store
            .mark_whiteboard_deleted(&mut tx, board, now)
            .await?;
    }
    let mut jobs = Vec::new();
    for share in shares {
        if svc
            .store
            .record_whiteboard_share(
                &mut tx,
                &share.board,
                &share.team.as_str().into(),
                &share.user.as_str().into(),
                share.role,
                now,
            )
            .await?
        {
            jobs.push(share.job);
        }
    }
    svc.store.enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends one "shared with you" DM.
pub async fn run_dm(svc: &Services, dm: &WhiteboardDm, attempt: i64) -> JobResult {
    let (team, user) = (dm.team.as_str(), dm.user.as_str());
    let board = dm.whiteboard_id.as_str();
    if !valid_id(board) {
        return Err(JobError::permanent("malformed whiteboard DM job"));
    }
    if svc.store.whiteboard_deleted(board).await? {
        return Ok(());
    }
    let bot = match credentials::slack_bot(svc, team, None).await {
        Ok((_, bot)) => bot,
        Err(CredError::NotInstalled) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let lang = super::language(svc, &dm.team, &dm.user, Some(&bot)).await;
    // The board's name and link, as the recipient may see them.
    let mut name = None;
    let mut open_url = format!("https://whiteboard.zoom.us/wb/db/{board}");
    if let Ok(Some(link)) = svc.store.zoom_link(&dm.team, &dm.user).await
        && link.status == LinkStatus::Ok
        && let Ok(token) = credentials::zoom_token(svc, &link, None).await
    {
        match svc.zoom.whiteboard(&token, board).await {
            Ok(info) => {
                name = Some(info.name).filter(|n| !n.trim().is_empty());
                if let Some(share) = info.share_link.filter(|l| links::classify(l).is_some()) {
                    open_url = share;
                }
            }
            Err(e) if attempt < ZOOM_ATTEMPTS && (e.is_retryable() || rate_limited(&e)) => {
                return Err(JobError::Transient(format!("zoom: {e}")));
            }
            Err(e) => {
                tracing::debug!(error = %e, "whiteboard not readable; the DM goes without its name")
            }
        }
    }
    let operator = dm.operator_id.as_deref().unwrap_or_default();
    let by_slack = if operator.is_empty() {
        None
    } else {
        svc.store
            .slack_user_by_zoom_id(&dm.team, &operator.into())
            .await
            .ok()
            .flatten()
    };
    let message = render::whiteboard_shared(
        &svc.texts,
        lang,
        &WhiteboardShare {
            by_slack_id: by_slack.as_deref(),
            by_name: dm.operator_name.as_deref(),
            name: name.as_deref(),
            role: WhiteboardRole::from_zoom(&Value::from(dm.role.as_str())),
            open_url: &open_url,
        },
    );
    deliver::dm(
        svc.slack.team(&dm.team, &bot),
        user,
        &message,
        crate::flows::deliver::DmRefused::Dropped,
    )
    .await?;
    Ok(())
}

fn rate_limited(error: &ZoomError) -> bool {
    matches!(error, ZoomError::RateLimited { daily: false, .. })
}
