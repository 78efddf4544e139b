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

use zlack_domain::meeting::{Effect, MeetingEvent, MeetingState};

use crate::job::{Job, JobResult, MeetingNotice};
use crate::services::Services;
use crate::store::{InboxItem, LockedOccurrence, NewJob, Store};
use crate::zoom::events::{self, Skip};
use crate::zoom::inbound::Webhook;
use zlack_domain::ids::{InboxId, OccurrenceId, TeamId, ZoomUserId};

/// Carries out a Slack Call update job ([`Job::MeetingCall`]).
pub async fn run_call(
    svc: &Services,
    occurrence: OccurrenceId,
    team: Option<&TeamId>,
) -> JobResult {
    call::run(svc, occurrence, team).await
}

/// Carries out a notice job ([`Job::MeetingNotice`]).
pub async fn run_notice(
    svc: &Services,
    occurrence: OccurrenceId,
    notice: MeetingNotice,
    _team: Option<&TeamId>,
    attempt: i64,
) -> JobResult {
    notice::run(svc, occurrence, notice, attempt).await
}

/// Folds a stored Zoom webhook into the state of its meeting occurrences.
pub async fn on_webhook(svc: &Services, item: &InboxItem) -> JobResult {
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
    let mut tx = svc.store.begin().await?;
    if !Store::claim_inbox(&mut tx, item.id, now).await? {
        return Ok(());
    }
    {
        let bound = svc
            .store
            .bind_occurrences(
                &mut tx,
                occurrence.meeting_id,
                &occurrence.uuid.as_str().into(),
                occurrence.host_id.as_deref().map(ZoomUserId::from).as_ref(),
                now,
            )
            .await?;
        let mut jobs = Vec::new();
        for row in &bound {
            let mut state = match &row.state {
                Some(json) => serde_json::from_slice::<MeetingState>(json).unwrap_or_else(|e| {
                    tracing::error!(occurrence = row.id.get(), error = %e, "stored meeting state unreadable; starting over");
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
                    occurrence.host_id.as_deref().map(ZoomUserId::from).as_ref(),
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
            // A scheduled meeting's card becomes its live Call (a job that
            // leaves other announcements alone).
            if matches!(event, MeetingEvent::Started { .. })
                && svc.store.occurrence_is_scheduled(&mut tx, row.id).await?
            {
                let job = Job::ScheduleStart {
                    occurrence: row.id,
                    team: row.team_id.clone(),
                };
                let key = format!("{}:{}", job.kind(), row.id);
                jobs.push(job.queue(key, now));
            }
        }
        // The host's Home tab lists the meeting as under way, or no more.
        if let (MeetingEvent::Started { .. } | MeetingEvent::Ended { .. }, Some(host)) =
            (&event, occurrence.host_id.as_deref())
        {
            let host = ZoomUserId::from(host);
            let mut teams: Vec<&TeamId> = bound.iter().map(|row| &row.team_id).collect();
            teams.dedup();
            for team in teams {
                for user in svc.store.slack_users_of(&mut tx, team, &host).await? {
                    jobs.push(crate::flows::home::publish_job(team, None, &user, now));
                }
            }
        }
        svc.store.enqueue(&mut tx, &jobs, now).await?;
        tx.commit().await?;
        if bound.is_empty() {
            tracing::debug!(event = %item.kind, "webhook for a meeting zlack did not announce");
        }
        Ok(())
    }
}

/// When effects are due: now, and the end summary's time.
#[derive(Clone, Copy)]
struct Times {
    now: i64,
    summary_at: i64,
}

/// Marks a webhook that changes nothing as processed.
async fn finish(svc: &Services, inbox_id: InboxId) -> JobResult {
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    Store::claim_inbox(&mut tx, inbox_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The jobs that carry out `effects`. Call changes become one job per
/// webhook that syncs the Call with the state (so jobs running in any order
/// leave it right); each one-off notice has a key of its own, so it is
/// queued once even if asked for again.
fn effect_jobs(
    row: &LockedOccurrence,
    inbox_id: InboxId,
    effects: &[Effect],
    touches_call: bool,
    at: Times,
) -> Vec<NewJob> {
    let Times { now, summary_at } = at;
    let occurrence = row.id;
    let team = &row.team_id;
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
            Effect::PostEndSummary => (MeetingNotice::EndSummary, None, summary_at),
            Effect::PostRecording => (MeetingNotice::Recording, None, now),
            Effect::UpdateRecording => (MeetingNotice::RecordingUpdate, Some(inbox_id), now),
            Effect::PostAiSummary => (MeetingNotice::AiSummary, None, now),
        };
        let job = Job::MeetingNotice {
            occurrence,
            notice,
            team: Some(team.clone()),
        };
        let name = notice.as_str();
        let key = match key {
            Some(inbox_id) => format!("{}:{occurrence}:{name}:{inbox_id}", job.kind()),
            None => format!("{}:{occurrence}:{name}", job.kind()),
        };
        jobs.push(job.queue(key, run_at));
    }
    if call {
        let job = Job::MeetingCall {
            occurrence,
            team: Some(team.clone()),
        };
        let key = format!("{}:{occurrence}:{inbox_id}", job.kind());
        jobs.insert(0, job.queue(key, now));
    }
    jobs
}
