//! Who took part: each participant's join and leave times, and the merge of
//! Zoom's past-meeting participant list.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{ParticipantKey, Timestamp};
use crate::command::collapse_whitespace;

/// A value with the Zoom time it was seen at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Stamped<T> {
    pub(crate) at: Timestamp,
    pub(crate) value: T,
}

/// Keeps the earliest value (the smallest on a tie): a minimum over a total
/// order, so the result does not depend on the order values arrive in.
pub(crate) fn keep_earliest<T: Ord>(slot: &mut Option<Stamped<T>>, new: Stamped<T>) {
    if slot.as_ref().is_none_or(|old| new < *old) {
        *slot = Some(new);
    }
}

/// What zlack knows of one participant. Joins and leaves are sets of Zoom
/// times, so a repeated webhook changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Participant {
    /// The name of the earliest join that had one.
    name: Option<Stamped<String>>,
    /// The email of the earliest join that had one.
    email: Option<Stamped<String>>,
    joins: BTreeSet<Timestamp>,
    leaves: BTreeSet<Timestamp>,
}

impl Participant {
    pub(crate) fn joined(&mut self, name: &str, email: Option<&str>, at: Timestamp) {
        self.joins.insert(at);
        // A name beats no name (Zoom's list may lack one), then the earliest.
        let rank = |n: &Stamped<String>| (n.value.is_empty(), n.at, n.value.clone());
        let new = Stamped {
            at,
            value: name.to_owned(),
        };
        if self.name.as_ref().is_none_or(|old| rank(&new) < rank(old)) {
            self.name = Some(new);
        }
        if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
            let value = email.to_owned();
            keep_earliest(&mut self.email, Stamped { at, value });
        }
    }

    pub(crate) fn left(&mut self, at: Timestamp) {
        self.leaves.insert(at);
    }

    /// In the meeting: the latest join is later than the latest leave. On a
    /// tie the leave wins, so nobody who left is shown as present.
    pub(crate) fn is_in(&self) -> bool {
        match (self.joins.last(), self.leaves.last()) {
            (Some(join), Some(leave)) => join > leave,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The name Zoom showed, if a join was seen.
    pub(crate) fn name(&self) -> Option<&str> {
        self.name.as_ref().map(|n| n.value.as_str())
    }

    pub(crate) fn email(&self) -> Option<&str> {
        self.email.as_ref().map(|e| e.value.as_str())
    }

    /// Seconds in the meeting: each join opens a stretch, the next leave
    /// closes it, and `until` (the meeting's end) closes the last one and
    /// cuts anything later. Overlapping joins (a webhook and Zoom's list for
    /// the same stretch) count once. Without an end, an open stretch counts
    /// nothing: there is no clock here.
    fn total_secs(&self, until: Option<Timestamp>) -> i64 {
        let clamp = |t: Timestamp| until.map_or(t, |end| t.min(end));
        // A leave sorts before a join at the same second (a quick rejoin).
        let mut marks: Vec<(Timestamp, bool)> = self.leaves.iter().map(|&t| (t, false)).collect();
        marks.extend(self.joins.iter().map(|&t| (t, true)));
        marks.sort();
        let mut open: Option<Timestamp> = None;
        let mut total = 0;
        for (at, is_join) in marks {
            let at = clamp(at);
            match (is_join, open) {
                (true, None) => open = Some(at),
                (false, Some(since)) => {
                    total += seconds_between(since, at);
                    open = None;
                }
                _ => {}
            }
        }
        if let (Some(since), Some(end)) = (open, until) {
            total += seconds_between(since, end);
        }
        total
    }

    /// This participant as the end summary lists them; `None` if no join was
    /// seen (a lone `participant_left` carries no name).
    pub(crate) fn for_summary(&self, until: Option<Timestamp>) -> Option<SummaryParticipant> {
        Some(SummaryParticipant {
            name: self.name()?.to_owned(),
            email: self.email().map(str::to_owned),
            first_join: *self.joins.first()?,
            total_secs: self.total_secs(until),
        })
    }
}

/// Whole seconds from `from` to `to`, never negative.
pub(crate) fn seconds_between(from: Timestamp, to: Timestamp) -> i64 {
    (to.as_second() - from.as_second()).max(0)
}

/// One line of the end summary's participant list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryParticipant {
    /// The name shown in Zoom (plain text; may be empty for some guests).
    pub name: String,
    /// Their email, when Zoom told; the summary does not show it.
    pub email: Option<String>,
    /// Their first join.
    pub first_join: Timestamp,
    /// Seconds in the meeting, summed over every join, up to its end.
    pub total_secs: i64,
}

/// One row of Zoom's `GET /past_meetings/{uuid}/participants`. Deserializes
/// from Zoom's JSON; empty strings count as missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiParticipant {
    /// `id`: the Zoom user id of a signed-in user; empty for guests.
    #[serde(default)]
    pub id: Option<String>,
    /// `user_id`: the participant's id in this meeting.
    #[serde(default)]
    pub user_id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `user_email`.
    #[serde(default, alias = "user_email")]
    pub email: Option<String>,
    /// `join_time`; the meeting's start when missing.
    #[serde(default)]
    pub join_time: Option<Timestamp>,
    /// `leave_time`; the meeting's end when missing.
    #[serde(default)]
    pub leave_time: Option<Timestamp>,
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn same_name(name: &str) -> String {
    collapse_whitespace(name).to_lowercase()
}

impl ApiParticipant {
    /// The key of a participant the webhooks never told about: by Zoom
    /// user id, else email, else name, else the per-meeting id.
    fn own_key(&self) -> Option<ParticipantKey> {
        let key = if let Some(id) = non_empty(&self.id) {
            format!("zoom:{id}")
        } else if let Some(email) = non_empty(&self.email) {
            format!("email:{}", email.to_lowercase())
        } else if !same_name(&self.name).is_empty() {
            format!("name:{}", same_name(&self.name))
        } else {
            format!("participant:{}", non_empty(&self.user_id)?)
        };
        Some(ParticipantKey(key))
    }

    /// The participant this row is about: the same key or Zoom id, else the
    /// same email, else the same name (unless both have different emails).
    fn find_in(&self, known: &BTreeMap<ParticipantKey, Participant>) -> Option<ParticipantKey> {
        let own = self.own_key();
        let ids = [non_empty(&self.id), non_empty(&self.user_id)];
        let by_key = known
            .keys()
            .find(|key| Some(*key) == own.as_ref() || ids.contains(&Some(key.as_str())));
        let email = non_empty(&self.email).map(str::to_lowercase);
        let by_email = || {
            let email = email.as_deref()?;
            known
                .iter()
                .find(|(_, p)| p.email().map(str::to_lowercase).as_deref() == Some(email))
        };
        let name = same_name(&self.name);
        let by_name = || {
            known.iter().find(|(_, p)| {
                let other = p.email().map(str::to_lowercase);
                let conflict = matches!((&email, &other), (Some(a), Some(b)) if a != b);
                !name.is_empty() && p.name().map(same_name) == Some(name.clone()) && !conflict
            })
        };
        by_key
            .or_else(|| by_email().map(|(key, _)| key))
            .or_else(|| by_name().map(|(key, _)| key))
            .cloned()
            .or(own)
    }
}

/// Merges Zoom's list of a past meeting that ran from `start` to `end`.
pub(crate) fn reconcile(
    known: &mut BTreeMap<ParticipantKey, Participant>,
    from_api: Vec<ApiParticipant>,
    start: Timestamp,
    end: Timestamp,
) {
    for row in from_api {
        let Some(key) = row.find_in(known) else {
            continue;
        };
        let participant = known.entry(key).or_default();
        participant.joined(
            &row.name,
            non_empty(&row.email),
            row.join_time.unwrap_or(start),
        );
        participant.left(row.leave_time.unwrap_or(end));
    }
}
