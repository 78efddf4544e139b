//! Keeping the Slack Call of an announcement in step with who is in the
//! Zoom meeting, and ending it when the meeting ends.
//!
//! A job compares the participants the state says are in the meeting with
//! those the Call shows (stored after each Slack answer) and sends only the
//! difference. Every occurrence bound to one announcement shares its Call,
//! so jobs hold a lease per announcement: they never race, and a job that
//! finds nothing to change makes no Slack call. The first occurrence to
//! end ends the Call and lists everyone who took part in it, including
//! those whose webhooks came after the end; other occurrences then leave
//! the Call alone.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zlack_domain::meeting::{MeetingState, ParticipantKey};

use crate::flows::credentials::{self, CredError};
use crate::job::{JobError, JobResult, calls_scope};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::slack::team::{ParticipantChange, TeamSlack};
use crate::store::Occurrence;
use zlack_domain::ids::{OccurrenceId, SlackUserId, TeamId};
/// How long a job waits in place for another job of the same Call.
const LEASE_WAIT: Duration = Duration::from_secs(5);

/// One participant the Call shows: the Zoom key and the Calls API user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Shown {
    key: ParticipantKey,
    user: Value,
    /// Slack was asked to remove them and did not confirm it (its answer
    /// was lost, or the process died waiting): they may or may not be on
    /// the Call. Recorded before asking, so a crash cannot leave them
    /// believed shown after Slack removed them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    leaving: bool,
}

pub async fn run(svc: &Services, id: OccurrenceId, _team: Option<&TeamId>) -> JobResult {
    let Some(occurrence) = svc.store.occurrence(id).await? else {
        return Ok(());
    };
    let lease = format!("call:{}", occurrence.meeting.id);
    let holder = format!(
        "{}:{}",
        svc.process_id,
        hex::encode(rand::random::<[u8; 6]>())
    );
    let waited = tokio::time::Instant::now();
    loop {
        // As long as a job's claim: the worker's heartbeat renews it while
        // the job runs, so only a holder that died lets it lapse.
        let took = svc
            .store
            .try_lease(
                &lease,
                &holder,
                svc.clock.now_ms(),
                svc.config.worker.lease.as_millis() as i64,
            )
            .await?;
        if took {
            svc.leases.hold(&lease, &holder);
            break;
        }
        if waited.elapsed() >= LEASE_WAIT {
            // Another job is updating this Call for long: come back later.
            return Err(JobError::transient("another job holds the Call"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let team = occurrence.meeting.team_id.clone();
    // Read again under the lease: the holder before may have changed it.
    let result = match svc.store.occurrence(id).await {
        Ok(Some(o)) => sync(svc, &o).await,
        Ok(None) => Ok(()),
        Err(e) => Err(e.into()),
    };
    svc.leases.forget(&lease);
    let _ = svc.store.release_lease(&lease, &holder).await;
    // Slack limits each method per workspace; a Call job uses several, so
    // one limit holds back this workspace's Call jobs.
    result.map_err(|e| match e {
        JobError::RateLimited { ref scope, .. } if scope.starts_with("slack:") => {
            e.in_scope(calls_scope(&team))
        }
        other => other,
    })
}

async fn sync(svc: &Services, occurrence: &Occurrence) -> JobResult {
    let id = occurrence.id;
    let meeting = &occurrence.meeting;
    let call_id = match meeting.call_id.as_deref() {
        Some(call_id) if !call_id.is_empty() => call_id.to_owned(),
        _ => return Ok(()),
    };
    let state: MeetingState = occurrence
        .state
        .as_deref()
        .and_then(|json| serde_json::from_slice(json).ok())
        .unwrap_or_default();
    let ended = state.duration_secs();
    match meeting.call_ended_by {
        // Another occurrence ended this Call: it is not ours to change.
        Some(by) if by != id => return Ok(()),
        _ => {}
    }
    let bot = match credentials::slack_bot(svc, &meeting.team_id, meeting.enterprise_id.as_deref())
        .await
    {
        Ok((_, bot)) => bot,
        Err(CredError::NotInstalled) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let slack = svc.slack.team(&meeting.team_id, &bot);
    let shown: Vec<Shown> = occurrence
        .call_shown
        .iter()
        .filter_map(|v| serde_json::from_value(v.clone()).ok())
        .collect();
    // Live, the Call shows who is in the meeting; once it ended, everyone
    // who took part, whatever order the webhooks came in.
    let target: BTreeSet<ParticipantKey> = match ended {
        Some(_) => state
            .participant_keys()
            .filter(|k| state.display_name(k).is_some())
            .cloned()
            .collect(),
        None => state.in_call(),
    };
    // Removals not confirmed may have happened or not: such a member is
    // added again if they belong on the Call, removed again if not; Slack
    // takes either twice.
    let certain: Vec<Shown> = shown.iter().filter(|s| !s.leaving).cloned().collect();
    let kept: Vec<Shown> = certain
        .iter()
        .filter(|s| ended.is_some() || target.contains(&s.key))
        .cloned()
        .collect();
    let mut joined = Vec::new();
    for key in target
        .iter()
        .filter(|k| !certain.iter().any(|s| s.key == **k))
    {
        let user = calls_user(svc, slack, occurrence, &state, key).await?;
        joined.push(Shown {
            key: key.clone(),
            user,
            leaving: false,
        });
    }
    let users =
        |list: &[Shown]| -> BTreeSet<String> { list.iter().map(|s| s.user.to_string()).collect() };
    let before = users(&certain);
    let after_list: Vec<Shown> = kept.into_iter().chain(joined.iter().cloned()).collect();
    let after = users(&after_list);
    let added: Vec<&String> = after.difference(&before).collect();
    let maybe_shown = users(&shown);
    let removed: Vec<&String> = maybe_shown.difference(&after).collect();
    // Who is to be removed, marked as leaving until Slack confirms it.
    let leaving: Vec<Shown> = shown
        .iter()
        .filter(|s| removed.contains(&&s.user.to_string()))
        .map(|s| Shown {
            leaving: true,
            ..s.clone()
        })
        .collect();
    if !added.is_empty() {
        change(slack, &call_id, ParticipantChange::Add, &added).await?;
        let with_joined: Vec<Shown> = after_list.iter().chain(&leaving).cloned().collect();
        save(svc, id, &with_joined).await?;
    }
    if !removed.is_empty() {
        if added.is_empty() {
            let marked: Vec<Shown> = after_list.iter().chain(&leaving).cloned().collect();
            save(svc, id, &marked).await?;
        }
        change(slack, &call_id, ParticipantChange::Remove, &removed).await?;
    }
    if after_list != shown {
        save(svc, id, &after_list).await?;
    }
    let Some(duration) = ended.filter(|_| meeting.call_ended_by.is_none()) else {
        return Ok(());
    };
    slack
        .calls_end(&call_id, duration)
        .await
        .unless_refused("calls.end refused; the Call stays as it is")?;
    svc.store
        .mark_call_ended(meeting.id, id, svc.clock.now_ms())
        .await?;
    Ok(())
}

async fn change(
    slack: TeamSlack<'_>,
    call_id: &str,
    change: ParticipantChange,
    users: &[&String],
) -> JobResult {
    let users: Vec<Value> = users
        .iter()
        .filter_map(|u| serde_json::from_str(u).ok())
        .collect();
    // Refused: the Call is gone or ended at Slack, nothing more to show.
    slack
        .calls_participants(change, call_id, &users)
        .await
        .unless_refused("Slack refused a Call update; skipping it")?;
    Ok(())
}

async fn save(svc: &Services, id: OccurrenceId, shown: &[Shown]) -> JobResult {
    let values: Vec<Value> = shown
        .iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect();
    svc.store
        .set_call_shown(id, &values, svc.clock.now_ms())
        .await?;
    Ok(())
}

/// The Calls API user for a participant: the Slack user their (verified)
/// email belongs to in this workspace (a linked Zoom account, else Slack's
/// directory), otherwise an external participant with Zoom's name. A rate
/// limit or an outage ends the job (to be retried) rather than settling
/// for the wrong identity.
async fn calls_user(
    svc: &Services,
    slack: TeamSlack<'_>,
    occurrence: &Occurrence,
    state: &MeetingState,
    key: &ParticipantKey,
) -> Result<Value, JobError> {
    if let Some(email) = state.email(key)
        && let Some(slack_id) =
            slack_user_for_email(svc, slack, &occurrence.meeting.team_id, email).await?
    {
        return Ok(json!({"slack_id": slack_id}));
    }
    let name = state.display_name(key).unwrap_or_default();
    let name = if name.trim().is_empty() {
        key.as_str()
    } else {
        name
    };
    Ok(json!({"external_id": key.as_str(), "display_name": name}))
}

async fn slack_user_for_email(
    svc: &Services,
    slack: TeamSlack<'_>,
    team_id: &TeamId,
    email: &str,
) -> Result<Option<SlackUserId>, JobError> {
    if let Some(user) = svc.store.slack_user_by_zoom_email(team_id, email).await? {
        return Ok(Some(user));
    }
    // Refused: nobody with that email, or an install without
    // users:read.email.
    let Some(user) = slack
        .lookup_by_email(email)
        .await
        .unless_refused("no Slack user for a participant's email")?
    else {
        return Ok(None);
    };
    // A person, not a bot or a deactivated account.
    Ok((user.is_active_person() && !user.id.is_empty()).then_some(user.id.into()))
}
