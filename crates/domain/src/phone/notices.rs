//! The DMs about Zoom Phone calls: "your call ended", "missed call" and
//! "the recording is ready", each once per party.
//!
//! A party is the Zoom user on one leg of a call, or the owner of a phone
//! recording. [`party_events`] reads a phone webhook into what it says of
//! each party; [`PartyState::apply`] folds those into one state per party
//! and call (or recording) and says when the DM is first due;
//! [`PartyState::notice`] says which DM the state reads as. The server
//! finds the Slack users of each party, stores the state and sends the DM.
//!
//! Each field of the state is set by the first event that knows it. The
//! events of one call agree on what they both tell (an internal call ends
//! as several events, a missed call also ends), so duplicates and any
//! order give the same state.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::PhoneNumber;
use crate::meeting::Timestamp;
use crate::render::{CallDirection, CallResult};

#[cfg(test)]
mod tests;

/// Which way a leg went, seen from its party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The party placed the call.
    Outbound,
    /// The party received it.
    Inbound,
}

/// Everything the webhooks told about one party's call or recording, and
/// how far its DM got. Stored as JSON by the server; fields missing from
/// an older row load as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartyState {
    /// Which way the call went.
    pub direction: Option<Direction>,
    /// The other party's name, as Zoom gave it.
    pub other_name: Option<String>,
    /// The other party's number or extension, as Zoom gave it.
    pub other_number: Option<String>,
    /// The other party's Zoom user id, when they are a Zoom Phone user.
    pub other_zoom_user: Option<String>,
    /// When the call started ringing (for a recording: when it started).
    pub ringing_at: Option<String>,
    /// When the call was answered.
    pub answered_at: Option<String>,
    /// When the call ended.
    pub ended_at: Option<String>,
    /// The party missed the call.
    pub missed: bool,
    /// The state is about a recording of the call.
    pub recording: bool,
    /// The recording's length in seconds.
    pub recording_duration: Option<i64>,
    /// The DM's job was queued: later events queue nothing.
    pub queued: bool,
    /// The DM went out.
    pub sent: bool,
}

impl PartyState {
    /// Takes every fact of `other` this state does not know yet; what is
    /// known stays. `missed` and `recording` only ever turn on. How far the
    /// DM got (`queued`, `sent`) is this state's own and stays as it is.
    pub fn merge(&mut self, other: PartyState) {
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

    /// Folds in one party's part of a webhook ([`PartyEvent::state`]).
    /// True for the first fold of the state only: the DM is due then, and
    /// is sent a short while later so the call's other events are in.
    pub fn apply(&mut self, news: PartyState) -> bool {
        self.merge(news);
        let due = !self.queued;
        self.queued = true;
        due
    }

    /// The DM this state reads as, by now: a recording notice for a
    /// recording, else a missed call, else an ended call. `None` while no
    /// event gave a time.
    pub fn notice(&self) -> Option<Notice> {
        let started = timestamp(self.ringing_at.as_deref())
            .or(timestamp(self.answered_at.as_deref()))
            .or(timestamp(self.ended_at.as_deref()))?;
        let direction = match self.direction {
            Some(Direction::Outbound) => CallDirection::Outbound,
            _ => CallDirection::Inbound,
        };
        if self.recording {
            return Some(Notice::Recording {
                direction,
                at: started,
                duration_secs: self.recording_duration,
            });
        }
        if self.missed {
            let call_back = self
                .other_number
                .as_deref()
                .and_then(|n| PhoneNumber::parse(n, None).ok());
            return Some(Notice::Missed {
                at: started,
                call_back,
            });
        }
        let answered = timestamp(self.answered_at.as_deref());
        let ended = timestamp(self.ended_at.as_deref());
        let talked_secs = match (answered, ended) {
            (Some(from), Some(to)) => Some((to.as_second() - from.as_second()).max(0)),
            _ => None,
        };
        Some(Notice::Ended {
            direction,
            started,
            talked_secs,
            result: if answered.is_some() {
                CallResult::Answered
            } else {
                CallResult::NotAnswered
            },
        })
    }

    /// The other party's number as people read it; Zoom's own text when it
    /// is not a number `/zoom call` understands.
    pub fn other_number_shown(&self) -> Option<String> {
        self.other_number
            .as_deref()
            .map(|n| PhoneNumber::parse(n, None).map_or_else(|_| n.to_owned(), |p| p.display()))
    }
}

/// Which DM a [`PartyState`] reads as, with its times and numbers; the
/// other party is [`PartyState`]'s `other_*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// "The recording of your call … is ready".
    Recording {
        /// Which way the call went.
        direction: CallDirection,
        /// When the call started.
        at: Timestamp,
        /// The recording's length in seconds, when known.
        duration_secs: Option<i64>,
    },
    /// "Missed call from …".
    Missed {
        /// When it rang.
        at: Timestamp,
        /// The caller's number, when it is one `/zoom call` can dial.
        call_back: Option<PhoneNumber>,
    },
    /// "Your call … ended".
    Ended {
        /// Which way the call went.
        direction: CallDirection,
        /// When it started ringing.
        started: Timestamp,
        /// Seconds from answer to hang-up, when both are known.
        talked_secs: Option<i64>,
        /// Whether it was answered.
        result: CallResult,
    },
}

/// One party's part of a phone webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyEvent {
    /// The party's Zoom user id.
    pub zoom_user: String,
    /// What the state is about: `call:<call_id>` or `recording:<id>`. Both
    /// legs of a call share it; each party has their own state.
    pub subject: String,
    /// What the webhook says of it, to [`PartyState::apply`].
    pub state: PartyState,
}

/// The parties a phone webhook is about, with what it says of each:
/// `phone.caller_ended`, `phone.callee_ended` and `phone.callee_missed` tell
/// of their leg's Zoom user, `phone.recording_completed` of each recording
/// a Zoom user owns. `object` is the payload's `object`; other events, and
/// parties without a Zoom user or call id, give nothing.
pub fn party_events(event: &str, object: &Value) -> Vec<PartyEvent> {
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
        Some(PartyEvent {
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
            .map(|recordings| recordings.iter().filter_map(recording_event).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn recording_event(rec: &Value) -> Option<PartyEvent> {
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
    Some(PartyEvent {
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

fn timestamp(value: Option<&str>) -> Option<Timestamp> {
    value?.parse().ok()
}
