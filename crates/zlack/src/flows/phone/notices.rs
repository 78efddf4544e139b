//! Zoom Phone webhooks become DMs: "your call ended", "missed call" and
//! "the recording is ready", each once per party.
//!
//! A party is a linked Slack user of the Zoom user on one leg of a call.
//! Every phone webhook about them folds into one row per party and call
//! (or recording), in the transaction that marks the webhook processed;
//! the first fold queues the DM job, a short while later, so the events of
//! one call (an internal call ends as several, a missed call also ends)
//! have arrived when it renders. Duplicates and any order give the same
//! row, and the row remembers for good that its DM was queued and sent.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zlack_domain::phone::PhoneNumber;
use zlack_domain::render::{
    self, CallDirection, CallEnded, CallResult, MissedCall, PhoneParty, PhoneRecording,
};

use super::link;
use crate::flows::credentials::{self, CredError};
use crate::flows::deliver;
use crate::flows::settings;
use crate::job::{Job, JobResult};
use crate::services::Services;
use crate::store::{InboxItem, PhoneNoticeKey, Store};
use crate::zoom::inbound::Webhook;
/// How long a DM waits for the other events of its call.
pub const SETTLE_MS: i64 = 10_000;
/// Where a user finds their Zoom Phone recordings: the recording's own
/// `download_url` needs an API token (and would be a bearer link to the
/// call's audio in a forwardable message), so the DM links the web
/// portal's recordings list, which asks for the user's Zoom sign-in.
pub const RECORDINGS_URL: &str = "https://zoom.us/pbx/page/telephone/callLog#/recording-list";

/// Which way a leg went, seen from its party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Direction {
    Outbound,
    Inbound,
}

/// Everything the webhooks told about one party's call or recording.
/// Each field is set by the first event that knows it, so the fold does
/// not depend on the order the events came in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct PartyState {
    direction: Option<Direction>,
    other_name: Option<String>,
    other_number: Option<String>,
    other_zoom_user: Option<String>,
    ringing_at: Option<String>,
    answered_at: Option<String>,
    ended_at: Option<String>,
    missed: bool,
    recording: bool,
    recording_duration: Option<i64>,
    /// The DM's job was queued: later events queue nothing.
    queued: bool,
    /// The DM went out.
    sent: bool,
}

impl PartyState {
    fn merge(&mut self, other: PartyState) {
        fn first<T>(mine: &mut Option<T>, theirs: Option<T>) {
            if mine.is_none() {
                *mine = theirs;
            }
        }
        first(&mut self.direction, other.direction);
        first(&mut self.other_name, other.other_name);
        first(&mut self.other_number, other.other_number);
        first(&mut self.other_zoom_user, other.other_zoom_user);
        first(&mut self.ringing_at, other.ringing_at);
        first(&mut self.answered_at, other.answered_at);
        first(&mut self.ended_at, other.ended_at);
        first(&mut self.recording_duration, other.recording_duration);
        self.missed |= other.missed;
        self.recording |= other.recording;
    }
}

/// One party's part of a webhook.
struct Fold {
    zoom_user: String,
    subject: String,
    state: PartyState,
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The other party of a leg as Zoom describes it (`caller` or `callee`).
fn other_of(leg: &Value, state: &mut PartyState) {
    state.other_name = text(&leg["name"]).or(text(&leg["display_name"]));
    state.other_number = text(&leg["phone_number"]).or(text(&leg["extension_number"]));
    state.other_zoom_user = text(&leg["user_id"]);
}

/// The parties a phone webhook is about, with what it says of each.
fn folds(event: &str, object: &Value) -> Vec<Fold> {
    let call_leg = |party: &str, other: &str, direction: Direction, missed: bool| {
        let zoom_user = text(&object[party]["user_id"])?;
        let call_id = text(&object["call_id"])?;
        let mut state = PartyState {
            direction: Some(direction),
            ringing_at: text(&object["ringing_start_time"]),
            answered_at: text(&object["answer_start_time"]),
            ended_at: text(&object["call_end_time"]),
            missed,
            ..PartyState::default()
        };
        other_of(&object[other], &mut state);
        Some(Fold {
            zoom_user,
            subject: format!("call:{call_id}"),
            state,
        })
    };
    match event {
        "phone.caller_ended" => call_leg("caller", "callee", Direction::Outbound, false)
            .into_iter()
            .collect(),
        "phone.callee_ended" => call_leg("callee", "caller", Direction::Inbound, false)
            .into_iter()
            .collect(),
        "phone.callee_missed" => call_leg("callee", "caller", Direction::Inbound, true)
            .into_iter()
            .collect(),
        "phone.recording_completed" => object["recordings"]
            .as_array()
            .map(|recordings| recordings.iter().filter_map(recording_fold).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn recording_fold(rec: &Value) -> Option<Fold> {
    let owner_is_user = rec["owner"]["type"].as_str().is_none_or(|t| t == "user");
    let zoom_user = text(&rec["user_id"])
        .or_else(|| owner_is_user.then(|| text(&rec["owner"]["id"])).flatten())?;
    let id = text(&rec["id"])?;
    let direction = match rec["direction"].as_str() {
        Some("outbound") => Direction::Outbound,
        _ => Direction::Inbound,
    };
    let (name, number) = match direction {
        Direction::Outbound => ("callee_name", "callee_number"),
        Direction::Inbound => ("caller_name", "caller_number"),
    };
    Some(Fold {
        zoom_user,
        subject: format!("recording:{id}"),
        state: PartyState {
            direction: Some(direction),
            other_name: text(&rec[name]),
            other_number: text(&rec[number]),
            ringing_at: text(&rec["date_time"]),
            recording: true,
            recording_duration: rec["duration"].as_i64(),
            ..PartyState::default()
        },
    })
}

/// Folds a stored phone webhook into its parties' rows and queues the DMs
/// due, in the transaction that marks it processed.
pub async fn on_webhook(svc: &Services, item: &InboxItem) -> JobResult {
    let parts = match serde_json::from_slice::<Webhook>(&item.body) {
        Ok(hook) => folds(&hook.event, &hook.payload["object"]),
        Err(_) => Vec::new(),
    };
    // Each part goes to every Slack user linked to its Zoom user.
    let mut due = Vec::new();
    for part in parts {
        let linked = match svc.store.slack_users_of_zoom_user(&part.zoom_user).await {
            Ok(linked) => linked,
            Err(e) => return Err(e.into()),
        };
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
    let folded: Result<(), crate::store::StoreError> = async {
        let mut tx = svc.store.begin().await?;
        if !Store::claim_inbox(&mut tx, item.id, now).await? {
            return Ok(());
        }
        let mut jobs = Vec::new();
        for (key, zoom_user, news) in due {
            let stored = svc
                .store
                .lock_phone_notice(&mut tx, &key, Some(&zoom_user), now)
                .await?;
            let mut state: PartyState = stored
                .and_then(|s| serde_json::from_slice(&s).ok())
                .unwrap_or_default();
            state.merge(news);
            if !state.queued {
                state.queued = true;
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

fn timestamp(value: Option<&str>) -> Option<Timestamp> {
    value?.parse().ok()
}

/// Sends one phone DM, as its row says by now.
pub async fn run_notice(svc: &Services, team: &str, user: &str, subject: &str) -> JobResult {
    let key = PhoneNoticeKey {
        team_id: team.to_owned(),
        slack_user_id: user.to_owned(),
        subject: subject.to_owned(),
    };
    let state: PartyState = match svc.store.phone_notice(&key).await {
        Ok(Some(plain)) => serde_json::from_slice(&plain).unwrap_or_default(),
        // Purged since (uninstall, unlink): nothing to tell.
        Ok(None) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
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
    match svc.store.phone_notices_allowed(&install.team_id).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!("the workspace turned phone notices off");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    let Some(message) = render_notice(svc, team, user, &bot, &state).await else {
        tracing::warn!("phone notice without a time; not sent");
        return Ok(());
    };
    let outcome = deliver::dm(svc.slack.team(team, &bot), user, &message)
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
    team: &str,
    user: &str,
    bot: &crate::config::Secret,
    state: &PartyState,
) -> Option<Value> {
    let lang = crate::flows::language(svc, team, user, Some(bot)).await;
    let tz = crate::flows::profile(svc, team, user, Some(bot))
        .await
        .and_then(|p| p.tz)
        .unwrap_or_else(|| "UTC".to_owned());
    let other_slack = match &state.other_zoom_user {
        Some(zoom) => svc
            .store
            .slack_user_by_zoom_id(team, zoom)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let number = state
        .other_number
        .as_deref()
        .map(|n| PhoneNumber::parse(n, None).map_or_else(|_| n.to_owned(), |p| p.display()));
    let other = PhoneParty {
        slack_id: other_slack.as_deref(),
        name: state.other_name.as_deref(),
        number: number.as_deref(),
    };
    let direction = match state.direction {
        Some(Direction::Outbound) => CallDirection::Outbound,
        _ => CallDirection::Inbound,
    };
    let texts = &svc.texts;
    let started = timestamp(state.ringing_at.as_deref())
        .or(timestamp(state.answered_at.as_deref()))
        .or(timestamp(state.ended_at.as_deref()))?;
    if state.recording {
        return Some(render::phone_recording(
            texts,
            lang,
            &PhoneRecording {
                other,
                direction,
                at: started,
                tz: &tz,
                duration_secs: state.recording_duration,
                open_url: RECORDINGS_URL,
            },
        ));
    }
    if state.missed {
        let call_back = state
            .other_number
            .as_deref()
            .and_then(|n| PhoneNumber::parse(n, None).ok())
            .map(|n| link::signed_url(svc, &n, link::CALL_BACK_TTL_SECS));
        return Some(render::missed_call(
            texts,
            lang,
            &MissedCall {
                from: other,
                at: started,
                tz: &tz,
                call_back_url: call_back.as_deref(),
            },
        ));
    }
    let answered = timestamp(state.answered_at.as_deref());
    let ended = timestamp(state.ended_at.as_deref());
    let talked_secs = match (answered, ended) {
        (Some(from), Some(to)) => Some((to.as_second() - from.as_second()).max(0)),
        _ => None,
    };
    Some(render::call_ended(
        texts,
        lang,
        &CallEnded {
            other,
            direction,
            started,
            tz: &tz,
            talked_secs,
            result: if answered.is_some() {
                CallResult::Answered
            } else {
                CallResult::NotAnswered
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ended(event: &str, answered: bool) -> Vec<Fold> {
        let mut object = json!({
            "call_id": "7100000000000000001",
            "caller": {"user_id": "zA", "phone_number": "+46812345678", "name": "Anna"},
            "callee": {"user_id": "zB", "extension_number": 1002, "name": "Bo"},
            "ringing_start_time": "2026-11-27T10:00:00Z",
            "call_end_time": "2026-11-27T10:05:00Z",
        });
        if answered {
            object["answer_start_time"] = json!("2026-11-27T10:00:10Z");
        }
        folds(event, &object)
    }

    #[test]
    fn each_leg_is_its_own_party_and_subject() {
        let caller = ended("phone.caller_ended", true);
        let callee = ended("phone.callee_ended", true);
        assert_eq!(caller[0].zoom_user, "zA");
        assert_eq!(caller[0].state.direction, Some(Direction::Outbound));
        assert_eq!(caller[0].state.other_name.as_deref(), Some("Bo"));
        assert_eq!(caller[0].state.other_number.as_deref(), Some("1002"));
        assert_eq!(callee[0].zoom_user, "zB");
        assert_eq!(callee[0].state.direction, Some(Direction::Inbound));
        assert_eq!(caller[0].subject, callee[0].subject);
    }

    #[test]
    fn folding_in_any_order_gives_the_same_state() {
        let missed = folds(
            "phone.callee_missed",
            &json!({
                "call_id": "1",
                "caller": {"user_id": "zA", "phone_number": "+46812345678"},
                "callee": {"user_id": "zB"},
                "ringing_start_time": "2026-11-27T10:00:00Z",
            }),
        );
        let ended = folds(
            "phone.callee_ended",
            &json!({
                "call_id": "1",
                "caller": {"user_id": "zA", "phone_number": "+46812345678", "name": "Anna"},
                "callee": {"user_id": "zB"},
                "ringing_start_time": "2026-11-27T10:00:00Z",
                "call_end_time": "2026-11-27T10:00:30Z",
            }),
        );
        let mut one = PartyState::default();
        one.merge(missed[0].state.clone());
        one.merge(ended[0].state.clone());
        one.merge(missed[0].state.clone());
        let mut two = PartyState::default();
        two.merge(ended[0].state.clone());
        two.merge(missed[0].state.clone());
        assert_eq!(one, two);
        assert!(one.missed);
        assert_eq!(one.other_name.as_deref(), Some("Anna"));
    }

    #[test]
    fn recordings_belong_to_their_owner_and_foreign_events_to_nobody() {
        let recs = folds(
            "phone.recording_completed",
            &json!({"recordings": [
                {"id": "r1", "owner": {"type": "user", "id": "zA"}, "direction": "outbound",
                 "callee_number": "+46812345678", "callee_name": "Bo", "duration": 61,
                 "date_time": "2026-11-27T10:00:00Z"},
                {"id": "r2", "owner": {"type": "callQueue", "id": "q1"}, "direction": "inbound"},
            ]}),
        );
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].zoom_user, "zA");
        assert_eq!(recs[0].subject, "recording:r1");
        assert_eq!(recs[0].state.other_name.as_deref(), Some("Bo"));
        assert!(folds("phone.caller_ringing", &json!({"call_id": "1"})).is_empty());
        assert!(folds("phone.caller_ended", &json!({"caller": {}})).is_empty());
    }
}
