//! After the announcement: Zoom's webhooks about each meeting occurrence
//! fold into its [`MeetingState`] and become Slack effects.
//!
//! A webhook is folded in by one transaction that marks its inbox row
//! processed, binds the occurrence to the newest announcement of the meeting
//! in each conversation, stores the new state and queues the effects the
//! domain asked for as jobs. So a webhook Zoom delivers twice, or two
//! processes folding webhooks of one meeting at once, give each effect once;
//! the jobs carry the effects out with retries ([`call`], [`notice`]).

mod call;
mod notice;

use serde_json::{Value, json};
use zlack_domain::meeting::{Effect, MeetingEvent, MeetingState};

use crate::jobs::Outcome;
use crate::services::Services;
use crate::store::{InboxItem, LockedOccurrence, NewJob, Store, StoreError};
use crate::zoom::events::{self, Skip};
use crate::zoom::inbound::Webhook;

pub use call::KIND as CALL_KIND;
pub use notice::KIND as NOTICE_KIND;
pub use notice::notice_scope;

/// The rate-limit scope of a Call job.
pub fn call_scope(payload: &Value) -> Option<String> {
    call::scope(payload)
}

/// Carries out a Slack Call update job.
pub async fn run_call(svc: &Services, payload: &Value) -> Outcome {
    call::run(svc, payload).await
}

/// Carries out a notice job.
pub async fn run_notice(svc: &Services, payload: &Value, attempt: i64) -> Outcome {
    notice::run(svc, payload, attempt).await
}

/// Folds a stored Zoom webhook into the state of its meeting occurrences.
pub async fn on_webhook(svc: &Services, item: &InboxItem) -> Outcome {
    let parsed = serde_json::from_slice::<Webhook>(&item.body)
        .map_err(|_| Skip::Malformed("envelope"))
        .and_then(|hook| events::parse(&hook.event, &hook.payload));
    let (occurrence, event) = match parsed {
        Ok(parsed) => parsed,
        Err(skip) => {
            if let Skip::Malformed(field) = skip {
                tracing::warn!(event = %item.kind, field, "Zoom webhook lacks a field it needs; ignored");
            }
            return finish(svc, item.id).await;
        }
    };
    let now = svc.clock.now_ms();
    // Zoom sends `participant_left` (and joins it was late with) after the
    // end: the summary waits for them.
    let summary_at = now + svc.config.end_summary_delay.as_millis() as i64;
    let folded = async {
        let mut tx = svc.store.begin().await?;
        if !Store::claim_inbox(&mut tx, item.id, now).await? {
            return Ok(0);
        }
        let bound = svc
            .store
            .bind_occurrences(
                &mut tx,
                occurrence.meeting_id,
                &occurrence.uuid,
                occurrence.host_id.as_deref(),
                now,
            )
            .await?;
        let mut jobs = Vec::new();
        for row in &bound {
            let mut state = match &row.state {
                Some(json) => serde_json::from_slice::<MeetingState>(json).unwrap_or_else(|e| {
                    tracing::error!(occurrence = row.id, error = %e, "stored meeting state unreadable; starting over");
                    MeetingState::new()
                }),
                None => MeetingState::new(),
            };
            let effects = state.apply(&event);
            // After the end the Call still takes in who took part, so
            // every participant event and the end itself sync it.
            let touches_call = matches!(
                event,
                MeetingEvent::ParticipantJoined { .. }
                    | MeetingEvent::ParticipantLeft { .. }
                    | MeetingEvent::Ended { .. }
            );
            let json = serde_json::to_vec(&state).unwrap_or_default();
            svc.store
                .save_occurrence_state(
                    &mut tx,
                    row.id,
                    &json,
                    occurrence.host_id.as_deref(),
                    state.ended().is_some(),
                    now,
                )
                .await?;
            if let (MeetingEvent::RecordingCompleted { .. }, Some(recording)) =
                (&event, state.recording())
            {
                let key = crate::store::recording_key(&recording.share_url);
                svc.store.set_recording_key(&mut tx, row.id, &key).await?;
            }
            let at = Times { now, summary_at };
            jobs.extend(effect_jobs(row, item.id, &effects, touches_call, at));
        }
        svc.store.enqueue(&mut tx, &jobs, now).await?;
        tx.commit().await?;
        Ok::<usize, StoreError>(bound.len())
    }
    .await;
    match folded {
        Ok(0) => {
            tracing::debug!(event = %item.kind, "webhook for a meeting zlack did not announce");
            Outcome::Done
        }
        Ok(_) => Outcome::Done,
        Err(error) => Outcome::Retry(error.to_string()),
    }
}

/// When effects are due: now, and the end summary's time.
#[derive(Clone, Copy)]
struct Times {
    now: i64,
    summary_at: i64,
}

/// Marks a webhook that changes nothing as processed.
async fn finish(svc: &Services, inbox_id: i64) -> Outcome {
    let now = svc.clock.now_ms();
    let done = async {
        let mut tx = svc.store.begin().await?;
        Store::claim_inbox(&mut tx, inbox_id, now).await?;
        tx.commit().await
    }
    .await;
    match done {
        Ok(()) => Outcome::Done,
        Err(error) => Outcome::Retry(error.to_string()),
    }
}

/// The jobs that carry out `effects`. Call changes become one job per
/// webhook that syncs the Call with the state (so jobs running in any order
/// leave it right); each one-off notice has a key of its own, so it is
/// queued once even if asked for again.
fn effect_jobs(
    row: &LockedOccurrence,
    inbox_id: i64,
    effects: &[Effect],
    touches_call: bool,
    at: Times,
) -> Vec<NewJob> {
    let Times { now, summary_at } = at;
    let occurrence = row.id;
    let team = row.team_id.as_str();
    let mut jobs = Vec::new();
    let mut call = touches_call;
    for effect in effects {
        let (notice, key, run_at) = match effect {
            Effect::AddCallParticipants(_)
            | Effect::RemoveCallParticipants(_)
            | Effect::EndCall { .. } => {
                call = true;
                continue;
            }
            Effect::PostEndSummary => ("end_summary", None, summary_at),
            Effect::PostRecording => ("recording", None, now),
            Effect::UpdateRecording => ("recording_update", Some(inbox_id), now),
            Effect::PostAiSummary => ("ai_summary", None, now),
        };
        let key = match key {
            Some(inbox_id) => format!("{NOTICE_KIND}:{occurrence}:{notice}:{inbox_id}"),
            None => format!("{NOTICE_KIND}:{occurrence}:{notice}"),
        };
        jobs.push(NewJob::new(
            NOTICE_KIND,
            key,
            json!({"occurrence": occurrence, "notice": notice, "team": team}),
            run_at,
        ));
    }
    if call {
        jobs.insert(
            0,
            NewJob::new(
                CALL_KIND,
                format!("{CALL_KIND}:{occurrence}:{inbox_id}"),
                json!({"occurrence": occurrence, "team": team}),
                now,
            ),
        );
    }
    jobs
}
