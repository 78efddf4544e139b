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
use serde_json::{Map, Value, json};
use zlack_domain::meeting::{MeetingState, ParticipantKey};

use crate::config::Secret;
use crate::flows::credentials::{self, CredError};
use crate::jobs::Outcome;
use crate::services::Services;
use crate::slack::api::SlackError;
use crate::store::Occurrence;

/// The job kind.
pub const KIND: &str = "meeting.call";
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

pub async fn run(svc: &Services, payload: &Value) -> Outcome {
    let Some(id) = payload["occurrence"].as_i64() else {
        return Outcome::Fail("call job without an occurrence".into());
    };
    let occurrence = match svc.store.occurrence(id).await {
        Ok(Some(o)) => o,
        Ok(None) => return Outcome::Done,
        Err(e) => return Outcome::Retry(e.to_string()),
    };
    let lease = format!("call:{}", occurrence.meeting.id);
    let holder = format!(
        "{}:{}",
        svc.process_id,
        hex::encode(rand::random::<[u8; 6]>())
    );
    let waited = tokio::time::Instant::now();
    loop {
        match svc
            .store
            // As long as a job's claim: the worker's heartbeat renews it
            // while the job runs, so only a holder that died lets it lapse.
            .try_lease(
                &lease,
                &holder,
                svc.clock.now_ms(),
                svc.config.worker.lease.as_millis() as i64,
            )
            .await
        {
            Ok(true) => {
                svc.leases.hold(&lease, &holder);
                break;
            }
            Ok(false) if waited.elapsed() < LEASE_WAIT => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // Another job is updating this Call for long: come back later.
            Ok(false) => return Outcome::Retry("another job holds the Call".into()),
            Err(e) => return Outcome::Retry(e.to_string()),
        }
    }
    let team = occurrence.meeting.team_id.clone();
    // Read again under the lease: the holder before may have changed it.
    let outcome = match svc.store.occurrence(id).await {
        Ok(Some(o)) => sync(svc, &o).await,
        Ok(None) => Outcome::Done,
        Err(e) => Outcome::Retry(e.to_string()),
    };
    svc.leases.forget(&lease);
    let _ = svc.store.release_lease(&lease, &holder).await;
    match outcome {
        // Slack limits each method per workspace; a Call job uses several,
        // so one limit holds back this workspace's Call jobs.
        Outcome::RateLimited { scope, wait } if scope.starts_with("slack:") => {
            Outcome::RateLimited {
                scope: calls_scope(&team),
                wait,
            }
        }
        other => other,
    }
}

fn calls_scope(team: &str) -> String {
    format!("slack:{team}:calls")
}

/// The rate-limit scope of a Call job (see [`run`]).
pub fn scope(payload: &Value) -> Option<String> {
    payload["team"].as_str().map(calls_scope)
}

async fn sync(svc: &Services, occurrence: &Occurrence) -> Outcome {
    let id = occurrence.id;
    let meeting = &occurrence.meeting;
    let call_id = match meeting.call_id.as_deref() {
        Some(call_id) if !call_id.is_empty() => call_id.to_owned(),
        _ => return Outcome::Done,
    };
    let state: MeetingState = occurrence
        .state
        .as_deref()
        .and_then(|json| serde_json::from_slice(json).ok())
        .unwrap_or_default();
    let ended = state.duration_secs();
    match meeting.call_ended_by {
        // Another occurrence ended this Call: it is not ours to change.
        Some(by) if by != id => return Outcome::Done,
        _ => {}
    }
    let bot = match credentials::slack_bot(svc, &meeting.team_id, meeting.enterprise_id.as_deref())
        .await
    {
        Ok((_, bot)) => bot,
        Err(CredError::NotInstalled) => return Outcome::Done,
        Err(e) => return Outcome::Retry(e.to_string()),
    };
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
        match calls_user(svc, &bot, occurrence, &state, key).await {
            Ok(user) => joined.push(Shown {
                key: key.clone(),
                user,
                leaving: false,
            }),
            Err(outcome) => return outcome,
        }
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
        if let Err(outcome) = change(svc, &bot, &call_id, "calls.participants.add", &added).await {
            return outcome;
        }
        let with_joined: Vec<Shown> = after_list.iter().chain(&leaving).cloned().collect();
        if let Err(e) = save(svc, id, &with_joined).await {
            return e;
        }
    }
    if !removed.is_empty() {
        if added.is_empty() {
            let marked: Vec<Shown> = after_list.iter().chain(&leaving).cloned().collect();
            if let Err(e) = save(svc, id, &marked).await {
                return e;
            }
        }
        if let Err(outcome) =
            change(svc, &bot, &call_id, "calls.participants.remove", &removed).await
        {
            return outcome;
        }
    }
    if after_list != shown
        && let Err(e) = save(svc, id, &after_list).await
    {
        return e;
    }
    let Some(duration) = ended.filter(|_| meeting.call_ended_by.is_none()) else {
        return Outcome::Done;
    };
    let mut args = Map::new();
    args.insert("id".into(), call_id.into());
    args.insert("duration".into(), duration.into());
    match svc.slack.call("calls.end", &bot, &args).await {
        Ok(_) => {}
        Err(SlackError::Api(code)) => {
            tracing::warn!(%code, "calls.end refused; the Call stays as it is");
        }
        Err(e) => return slack_outcome(e, "calls.end"),
    }
    match svc
        .store
        .mark_call_ended(meeting.id, id, svc.clock.now_ms())
        .await
    {
        Ok(_) => Outcome::Done,
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

fn slack_outcome(error: SlackError, method: &str) -> Outcome {
    crate::flows::reply::slack_outcome(error, method)
}

async fn change(
    svc: &Services,
    bot: &Secret,
    call_id: &str,
    method: &str,
    users: &[&String],
) -> Result<(), Outcome> {
    let users: Vec<Value> = users
        .iter()
        .filter_map(|u| serde_json::from_str(u).ok())
        .collect();
    let mut args = Map::new();
    args.insert("id".into(), call_id.into());
    args.insert("users".into(), Value::from(users).to_string().into());
    match svc.slack.call(method, bot, &args).await {
        Ok(_) => Ok(()),
        Err(SlackError::Api(code)) => {
            // The Call is gone or ended at Slack: nothing more to show.
            tracing::warn!(%code, method, "Slack refused a Call update; skipping it");
            Ok(())
        }
        Err(e) => Err(slack_outcome(e, method)),
    }
}

async fn save(svc: &Services, id: i64, shown: &[Shown]) -> Result<(), Outcome> {
    let values: Vec<Value> = shown
        .iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect();
    svc.store
        .set_call_shown(id, &values, svc.clock.now_ms())
        .await
        .map_err(|e| Outcome::Retry(e.to_string()))
}

/// The Calls API user for a participant: the Slack user their (verified)
/// email belongs to in this workspace (a linked Zoom account, else Slack's
/// directory), otherwise an external participant with Zoom's name. A rate
/// limit or an outage ends the job (to be retried) rather than settling
/// for the wrong identity.
async fn calls_user(
    svc: &Services,
    bot: &Secret,
    occurrence: &Occurrence,
    state: &MeetingState,
    key: &ParticipantKey,
) -> Result<Value, Outcome> {
    if let Some(email) = state.email(key)
        && let Some(slack_id) =
            slack_user_for_email(svc, bot, &occurrence.meeting.team_id, email).await?
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
    bot: &Secret,
    team_id: &str,
    email: &str,
) -> Result<Option<String>, Outcome> {
    match svc.store.slack_user_by_zoom_email(team_id, email).await {
        Ok(Some(user)) => return Ok(Some(user)),
        Ok(None) => {}
        Err(e) => return Err(Outcome::Retry(e.to_string())),
    }
    let mut args = Map::new();
    args.insert("email".into(), email.into());
    let body = match svc.slack.call("users.lookupByEmail", bot, &args).await {
        Ok(body) => body,
        // Nobody with that email, or an install without users:read.email.
        Err(SlackError::Api(code)) => {
            tracing::debug!(%code, "no Slack user for a participant's email");
            return Ok(None);
        }
        Err(e) => return Err(slack_outcome(e, "users.lookupByEmail")),
    };
    let user = &body["user"];
    // A person, not a bot or a deactivated account.
    let active =
        !user["deleted"].as_bool().unwrap_or(false) && !user["is_bot"].as_bool().unwrap_or(false);
    Ok(active
        .then(|| user["id"].as_str().map(str::to_owned))
        .flatten())
}
