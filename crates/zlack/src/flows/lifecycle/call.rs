//! Keeping the Slack Call of an announcement in step with who is in the
//! Zoom meeting, and ending it when the meeting ends.
//!
//! A job compares the participants the state says are in the meeting with
//! those the Call shows (stored after each Slack answer) and sends only the
//! difference, under a lease per occurrence: jobs of one meeting never
//! race, and a job that finds nothing to change makes no Slack call. Once
//! the meeting ended the Call lists everyone who took part, including
//! those whose webhooks came after the end.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zlack_domain::meeting::{MeetingState, ParticipantKey};

use crate::config::Secret;
use crate::flows::credentials::{self, CredError};
use crate::flows::reply::slack_outcome;
use crate::jobs::Outcome;
use crate::services::Services;
use crate::slack::api::SlackError;
use crate::store::Occurrence;

/// The job kind.
pub const KIND: &str = "meeting.call";
/// How long one job may hold an occurrence's Call.
const LEASE_MS: i64 = 60_000;

/// One participant the Call shows: the Zoom key and the Calls API user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Shown {
    key: ParticipantKey,
    user: Value,
}

pub async fn run(svc: &Services, payload: &Value) -> Outcome {
    let Some(id) = payload["occurrence"].as_i64() else {
        return Outcome::Fail("call job without an occurrence".into());
    };
    let lease = format!("call:{id}");
    let holder = format!(
        "{}:{}",
        svc.process_id,
        hex::encode(rand::random::<[u8; 6]>())
    );
    match svc
        .store
        .try_lease(&lease, &holder, svc.clock.now_ms(), LEASE_MS)
        .await
    {
        Ok(true) => {}
        // Another job is updating this Call: come back in a moment
        // without using up an attempt.
        Ok(false) => {
            return Outcome::RateLimited {
                scope: lease,
                wait: Duration::from_secs(1),
            };
        }
        Err(e) => return Outcome::Retry(e.to_string()),
    }
    let outcome = sync(svc, id).await;
    let _ = svc.store.release_lease(&lease, &holder).await;
    outcome
}

async fn sync(svc: &Services, id: i64) -> Outcome {
    let occurrence = match svc.store.occurrence(id).await {
        Ok(Some(o)) => o,
        Ok(None) => return Outcome::Done,
        Err(e) => return Outcome::Retry(e.to_string()),
    };
    let call_id = match occurrence.meeting.call_id.as_deref() {
        Some(call_id) if !call_id.is_empty() => call_id.to_owned(),
        _ => return Outcome::Done,
    };
    let state: MeetingState = occurrence
        .state
        .as_deref()
        .and_then(|json| serde_json::from_slice(json).ok())
        .unwrap_or_default();
    let meeting = &occurrence.meeting;
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
    let ended = state.duration_secs();
    if occurrence.call_ended && ended.is_none() {
        // Another occurrence of this announcement ended its Call.
        return Outcome::Done;
    }
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
    let kept: Vec<Shown> = shown
        .iter()
        .filter(|s| ended.is_some() || target.contains(&s.key))
        .cloned()
        .collect();
    let mut joined = Vec::new();
    for key in target
        .iter()
        .filter(|k| !shown.iter().any(|s| s.key == **k))
    {
        let user = calls_user(svc, &bot, &occurrence, &state, key).await;
        joined.push(Shown {
            key: key.clone(),
            user,
        });
    }
    let users =
        |list: &[Shown]| -> BTreeSet<String> { list.iter().map(|s| s.user.to_string()).collect() };
    let before = users(&shown);
    let with_joined: Vec<Shown> = shown
        .iter()
        .cloned()
        .chain(joined.iter().cloned())
        .collect();
    let after_list: Vec<Shown> = kept.into_iter().chain(joined).collect();
    let after = users(&after_list);
    let added: Vec<&String> = after.difference(&before).collect();
    let removed: Vec<&String> = before.difference(&after).collect();
    if !added.is_empty() {
        if let Err(outcome) = change(svc, &bot, &call_id, "calls.participants.add", &added).await {
            return outcome;
        }
        if let Err(e) = save(svc, id, &with_joined).await {
            return e;
        }
    }
    if !removed.is_empty()
        && let Err(outcome) =
            change(svc, &bot, &call_id, "calls.participants.remove", &removed).await
    {
        return outcome;
    }
    if after_list != shown
        && let Err(e) = save(svc, id, &after_list).await
    {
        return e;
    }
    if let Some(duration) = ended.filter(|_| !occurrence.call_ended) {
        let mut args = Map::new();
        args.insert("id".into(), call_id.into());
        args.insert("duration".into(), duration.into());
        return match svc.slack.call("calls.end", &bot, &args).await {
            Ok(_) => mark_ended(svc, id).await,
            Err(SlackError::Api(code)) => {
                tracing::warn!(%code, "calls.end refused; the Call stays as it is");
                mark_ended(svc, id).await
            }
            Err(e) => slack_outcome(e, "calls.end"),
        };
    }
    Outcome::Done
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

async fn mark_ended(svc: &Services, id: i64) -> Outcome {
    match svc.store.mark_call_ended(id, svc.clock.now_ms()).await {
        Ok(()) => Outcome::Done,
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

/// The Calls API user for a participant: the Slack user their email
/// belongs to in this workspace (a linked Zoom account, else Slack's
/// directory), otherwise an external participant with Zoom's name.
async fn calls_user(
    svc: &Services,
    bot: &Secret,
    occurrence: &Occurrence,
    state: &MeetingState,
    key: &ParticipantKey,
) -> Value {
    if let Some(email) = state.email(key)
        && let Some(slack_id) =
            slack_user_for_email(svc, bot, &occurrence.meeting.team_id, email).await
    {
        return json!({"slack_id": slack_id});
    }
    let name = state.display_name(key).unwrap_or_default();
    let name = if name.trim().is_empty() {
        key.as_str()
    } else {
        name
    };
    json!({"external_id": key.as_str(), "display_name": name})
}

async fn slack_user_for_email(
    svc: &Services,
    bot: &Secret,
    team_id: &str,
    email: &str,
) -> Option<String> {
    if let Ok(Some(user)) = svc.store.slack_user_by_zoom_email(team_id, email).await {
        return Some(user);
    }
    let mut args = Map::new();
    args.insert("email".into(), email.into());
    let body = svc
        .slack
        .call("users.lookupByEmail", bot, &args)
        .await
        .ok()?;
    let user = &body["user"];
    // A person, not a bot or a deactivated account.
    let active =
        !user["deleted"].as_bool().unwrap_or(false) && !user["is_bot"].as_bool().unwrap_or(false);
    active
        .then(|| user["id"].as_str().map(str::to_owned))
        .flatten()
}
