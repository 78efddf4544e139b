//! Zoom Phone webhooks become DMs: "your call ended", "missed call" and
//! "the recording is ready", each once per party.
//!
//! What a webhook tells of each party, how it folds and which DM a row
//! reads as is [`zlack_domain::phone::notices`]; this module stores the
//! rows, queues the jobs and sends the DMs. Every phone webhook about a
//! party folds into one row per linked Slack user and call (or recording),
//! in the transaction that marks the webhook processed; the first fold
//! queues the DM job, a short while later, so the events of one call (an
//! internal call ends as several, a missed call also ends) have arrived
//! when it renders. The row remembers for good that its DM was queued and
//! sent.

use zlack_domain::phone::notices::{Notice, PartyState, party_events};
use zlack_domain::render::{self, CallEnded, Message, MissedCall, PhoneParty, PhoneRecording};

use super::link;
use crate::flows::credentials::{self, CredError};
use crate::flows::deliver;
use crate::flows::settings;
use crate::job::{Job, JobResult};
use crate::services::Services;
use crate::store::{InboxItem, PhoneNoticeKey, Store, StoreError};
use crate::zoom::inbound::Webhook;
use zlack_domain::ids::{SlackUserId, TeamId};

/// How long a DM waits for the other events of its call.
pub const SETTLE_MS: i64 = 10_000;
/// Where a user finds their Zoom Phone recordings: the recording's own
/// `download_url` needs an API token (and would be a bearer link to the
/// call's audio in a forwardable message), so the DM links the web
/// portal's recordings list, which asks for the user's Zoom sign-in.
pub const RECORDINGS_URL: &str = "https://zoom.us/pbx/page/telephone/callLog#/recording-list";

/// Folds a stored phone webhook into its parties' rows and queues the DMs
/// due, in the transaction that marks it processed.
pub async fn on_webhook(svc: &Services, item: &InboxItem) -> JobResult {
    let parts = match serde_json::from_slice::<Webhook>(&item.body) {
        Ok(hook) => party_events(&hook.event, &hook.payload["object"]),
        Err(_) => Vec::new(),
    };
    // Each part goes to every Slack user linked to its Zoom user.
    let mut due = Vec::new();
    for part in parts {
        let linked = svc
            .store
            .slack_users_of_zoom_user(&part.zoom_user.as_str().into())
            .await?;
        for (team, user) in linked {
            due.push((
                PhoneNoticeKey {
                    team_id: team,
                    slack_user_id: user,
                    subject: part.subject.clone(),
                },
                part.zoom_user.clone(),
                part.state.clone(),
            ));
        }
    }
    let now = svc.clock.now_ms();
    let folded: Result<(), StoreError> = async {
        let mut tx = svc.store.begin().await?;
        if !Store::claim_inbox(&mut tx, item.id, now).await? {
            return Ok(());
        }
        let mut jobs = Vec::new();
        for (key, zoom_user, news) in due {
            let stored = svc
                .store
                .lock_phone_notice(&mut tx, &key, Some(&zoom_user.as_str().into()), now)
                .await?;
            let mut state: PartyState = stored
                .and_then(|s| serde_json::from_slice(&s).ok())
                .unwrap_or_default();
            if state.apply(news) {
                let job = Job::PhoneNotice {
                    team: key.team_id.clone(),
                    user: key.slack_user_id.clone(),
                    subject: key.subject.clone(),
                };
                let id = format!(
                    "{}:{}:{}:{}",
                    job.kind(),
                    key.team_id,
                    key.slack_user_id,
                    key.subject
                );
                jobs.push(job.queue(id, now + SETTLE_MS));
            }
            let plain = serde_json::to_vec(&state).unwrap_or_default();
            svc.store
                .save_phone_notice(&mut tx, &key, &plain, now)
                .await?;
        }
        svc.store.enqueue(&mut tx, &jobs, now).await?;
        tx.commit().await
    }
    .await;
    Ok(folded?)
}

/// Sends one phone DM, as its row says by now.
pub async fn run_notice(
    svc: &Services,
    team: &TeamId,
    user: &SlackUserId,
    subject: &str,
) -> JobResult {
    let key = PhoneNoticeKey {
        team_id: team.clone(),
        slack_user_id: user.clone(),
        subject: subject.to_owned(),
    };
    let Some(plain) = svc.store.phone_notice(&key).await? else {
        // Purged since (uninstall, unlink): nothing to tell.
        return Ok(());
    };
    let state: PartyState = serde_json::from_slice(&plain).unwrap_or_default();
    if state.sent {
        return Ok(());
    }
    if !settings::load(svc, team, user).await.phone_notices {
        tracing::debug!("phone notices are off for this user");
        return Ok(());
    }
    let (install, bot) = match credentials::slack_bot(svc, team, None).await {
        Ok(found) => found,
        Err(CredError::NotInstalled) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if !svc.store.phone_notices_allowed(&install.team_id).await? {
        tracing::debug!("the workspace turned phone notices off");
        return Ok(());
    }
    let Some(message) = render_notice(svc, team, user, &bot, &state).await else {
        tracing::warn!("phone notice without a time; not sent");
        return Ok(());
    };
    let outcome = deliver::dm(
        svc.slack.team(team, &bot),
        user,
        &message,
        crate::flows::deliver::DmRefused::Dropped,
    )
    .await
    .map(drop);
    if outcome.is_ok() {
        let sent = async {
            let mut tx = svc.store.begin().await?;
            let now = svc.clock.now_ms();
            let stored = svc
                .store
                .lock_phone_notice(&mut tx, &key, None, now)
                .await?;
            // Purged meanwhile: nothing to record.
            let Some(mut state) =
                stored.and_then(|s| serde_json::from_slice::<PartyState>(&s).ok())
            else {
                return Ok(());
            };
            state.sent = true;
            let plain = serde_json::to_vec(&state).unwrap_or_default();
            svc.store
                .save_phone_notice(&mut tx, &key, &plain, now)
                .await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "could not record a sent phone DM");
        }
    }
    metrics::counter!("zlack_phone_notices_total", "outcome" => if outcome.is_ok() { "done" } else { "retry" })
        .increment(1);
    outcome
}

async fn render_notice(
    svc: &Services,
    team: &TeamId,
    user: &SlackUserId,
    bot: &crate::config::Secret,
    state: &PartyState,
) -> Option<Message> {
    let lang = crate::flows::language(svc, team, user, Some(bot)).await;
    let tz = crate::flows::profile(svc, team, user, Some(bot))
        .await
        .and_then(|p| p.tz)
        .unwrap_or_else(|| "UTC".to_owned());
    let other_slack = match &state.other_zoom_user {
        Some(zoom) => svc
            .store
            .slack_user_by_zoom_id(team, &zoom.as_str().into())
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let number = state.other_number_shown();
    let other = PhoneParty {
        slack_id: other_slack.as_deref(),
        name: state.other_name.as_deref(),
        number: number.as_deref(),
    };
    let texts = &svc.texts;
    Some(match state.notice()? {
        Notice::Recording {
            direction,
            at,
            duration_secs,
        } => render::phone_recording(
            texts,
            lang,
            &PhoneRecording {
                other,
                direction,
                at,
                tz: &tz,
                duration_secs,
                open_url: RECORDINGS_URL,
            },
        ),
        Notice::Missed { at, call_back } => {
            let call_back = call_back.map(|n| link::signed_url(svc, &n, link::CALL_BACK_TTL_SECS));
            render::missed_call(
                texts,
                lang,
                &MissedCall {
                    from: other,
                    at,
                    tz: &tz,
                    call_back_url: call_back.as_deref(),
                },
            )
        }
        Notice::Ended {
            direction,
            started,
            talked_secs,
            result,
        } => render::call_ended(
            texts,
            lang,
            &CallEnded {
                other,
                direction,
                started,
                tz: &tz,
                talked_secs,
                result,
            },
        ),
    })
}
