//! The meeting state and the effects of each event.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::participants::{self, Participant, seconds_between};
use super::{
    ApiParticipant, Effect, MeetingEvent, ParticipantKey, RecordingPart, SummaryParticipant,
    Timestamp,
};

/// Everything zlack knows about one meeting occurrence. Stored as JSON by
/// the server; fields missing from an older version load as empty.
///
/// Merges are order-independent: times are kept as sets, `Ended` keeps the
/// earliest start and latest end, and where two deliveries of one event
/// disagree (which Zoom should not do) the smallest value is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingState {
    started_at: Option<Timestamp>,
    ended: Option<Ended>,
    participants: BTreeMap<ParticipantKey, Participant>,
    recording: Option<Recording>,
    transcript_ready: bool,
    ai_summary: Option<AiSummary>,
}

/// Zoom's start and end of the occurrence, from `meeting.ended`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Ended {
    started_at: Timestamp,
    ended_at: Timestamp,
}

/// The cloud recording: every `recording.completed` merged into one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    /// The link people open to watch.
    pub share_url: String,
    /// The passcode the link needs, if any. Never posted to a conversation
    /// (see [`crate::delivery::Delivery::shows_passcode`]).
    pub passcode: Option<String>,
    /// Every part, without duplicates, ordered by start.
    pub parts: Vec<RecordingPart>,
}

/// The Zoom AI Companion summary.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AiSummary {
    /// `summary_title`.
    pub title: String,
    /// `summary_overview`.
    pub overview: Option<String>,
    /// `next_steps`.
    pub next_steps: Vec<String>,
}

impl MeetingState {
    /// A meeting nothing is known about yet.
    pub fn new() -> MeetingState {
        MeetingState::default()
    }

    /// Folds in one webhook and returns what to do about it.
    ///
    /// - Call participants follow who is in the meeting by Zoom's times: a
    ///   join older than that participant's latest leave adds nobody, and
    ///   after `Ended` the call is over, so nobody is added or removed.
    /// - `EndCall` and `PostEndSummary` come with the first `Ended`,
    ///   `PostRecording` with the first `RecordingCompleted` (later ones
    ///   merge their parts and give `UpdateRecording` if anything changed),
    ///   `PostAiSummary` with the first `SummaryCompleted`.
    pub fn apply(&mut self, event: &MeetingEvent) -> Vec<Effect> {
        let before = self.in_call();
        let mut effects = Vec::new();
        match event {
            MeetingEvent::Started { at } => {
                self.started_at = Some(self.started_at.map_or(*at, |s| s.min(*at)));
            }
            MeetingEvent::ParticipantJoined {
                participant,
                name,
                email,
                at,
            } => self
                .participant(participant)
                .joined(name, email.as_deref(), *at),
            MeetingEvent::ParticipantLeft { participant, at } => {
                self.participant(participant).left(*at);
            }
            MeetingEvent::Ended {
                started_at,
                ended_at,
            } => {
                let duration_secs = seconds_between(*started_at, *ended_at);
                let ended = match self.ended {
                    None => {
                        effects.push(Effect::EndCall { duration_secs });
                        effects.push(Effect::PostEndSummary);
                        Ended {
                            started_at: *started_at,
                            ended_at: *ended_at,
                        }
                    }
                    Some(old) => Ended {
                        started_at: old.started_at.min(*started_at),
                        ended_at: old.ended_at.max(*ended_at),
                    },
                };
                self.ended = Some(ended);
            }
            MeetingEvent::RecordingCompleted {
                share_url,
                passcode,
                parts,
            } => effects.extend(self.merge_recording(share_url, passcode.as_deref(), parts)),
            MeetingEvent::TranscriptCompleted => self.transcript_ready = true,
            MeetingEvent::SummaryCompleted {
                title,
                overview,
                next_steps,
            } => {
                let summary = AiSummary {
                    title: title.clone(),
                    overview: overview.clone(),
                    next_steps: next_steps.clone(),
                };
                match &mut self.ai_summary {
                    None => {
                        self.ai_summary = Some(summary);
                        effects.push(Effect::PostAiSummary);
                    }
                    Some(old) if summary < *old => *old = summary,
                    Some(_) => {}
                }
            }
        }
        let mut call = Vec::new();
        if self.ended.is_none() {
            let after = self.in_call();
            let added: Vec<_> = after.difference(&before).cloned().collect();
            let removed: Vec<_> = before.difference(&after).cloned().collect();
            if !added.is_empty() {
                call.push(Effect::AddCallParticipants(added));
            }
            if !removed.is_empty() {
                call.push(Effect::RemoveCallParticipants(removed));
            }
        }
        call.extend(effects);
        call
    }

    fn participant(&mut self, key: &ParticipantKey) -> &mut Participant {
        self.participants.entry(key.clone()).or_default()
    }

    fn merge_recording(
        &mut self,
        share_url: &str,
        passcode: Option<&str>,
        parts: &[RecordingPart],
    ) -> Option<Effect> {
        let Some(recording) = &mut self.recording else {
            let mut parts = parts.to_vec();
            parts.sort();
            parts.dedup();
            self.recording = Some(Recording {
                share_url: share_url.to_owned(),
                passcode: passcode.map(str::to_owned),
                parts,
            });
            return Some(Effect::PostRecording);
        };
        let before = recording.clone();
        // Zoom gives one share link and passcode per occurrence; keep the
        // smallest should two deliveries differ, and any passcode over none.
        if recording.share_url.is_empty()
            || (!share_url.is_empty() && *share_url < *recording.share_url)
        {
            recording.share_url = share_url.to_owned();
        }
        if let Some(passcode) = passcode
            && recording
                .passcode
                .as_deref()
                .is_none_or(|old| passcode < old)
        {
            recording.passcode = Some(passcode.to_owned());
        }
        let merged: BTreeSet<RecordingPart> = recording
            .parts
            .drain(..)
            .chain(parts.iter().cloned())
            .collect();
        recording.parts = merged.into_iter().collect();
        (*recording != before).then_some(Effect::UpdateRecording)
    }

    /// Who is in the meeting now, by Zoom's times; nobody once it ended.
    /// This is exactly who the Slack Call shows after the effects so far.
    pub fn in_call(&self) -> BTreeSet<ParticipantKey> {
        if self.ended.is_some() {
            return BTreeSet::new();
        }
        self.participants
            .iter()
            .filter(|(_, p)| p.is_in())
            .map(|(key, _)| key.clone())
            .collect()
    }

    /// The participant's name as Zoom showed it (for the Calls API
    /// `display_name`), once a join was seen.
    pub fn display_name(&self, key: &ParticipantKey) -> Option<&str> {
        self.participants.get(key)?.name()
    }

    /// The participant's email as Zoom told it, if any.
    pub fn email(&self, key: &ParticipantKey) -> Option<&str> {
        self.participants.get(key)?.email()
    }

    /// Every participant key seen, joined or not.
    pub fn participant_keys(&self) -> impl Iterator<Item = &ParticipantKey> {
        self.participants.keys()
    }

    /// `meeting.started`'s start time, if seen.
    pub fn started_at(&self) -> Option<Timestamp> {
        self.started_at
    }

    /// Zoom's `(start, end)` of the occurrence, once it ended.
    pub fn ended(&self) -> Option<(Timestamp, Timestamp)> {
        self.ended.map(|e| (e.started_at, e.ended_at))
    }

    /// Seconds from Zoom's start to its end, once it ended.
    pub fn duration_secs(&self) -> Option<i64> {
        self.ended
            .map(|e| seconds_between(e.started_at, e.ended_at))
    }

    /// The merged recording, once one completed.
    pub fn recording(&self) -> Option<&Recording> {
        self.recording.as_ref()
    }

    /// Whether Zoom finished the transcript.
    pub fn transcript_ready(&self) -> bool {
        self.transcript_ready
    }

    /// The AI Companion summary, once it completed.
    pub fn ai_summary(&self) -> Option<&AiSummary> {
        self.ai_summary.as_ref()
    }

    /// The participants for the end summary: one per key, those with a
    /// known join, in order of first join (then name, then key).
    pub fn participants_for_summary(&self) -> Vec<SummaryParticipant> {
        let until = self.ended.map(|e| e.ended_at);
        let mut list: Vec<(SummaryParticipant, &ParticipantKey)> = self
            .participants
            .iter()
            .filter_map(|(key, p)| Some((p.for_summary(until)?, key)))
            .collect();
        list.sort_by(|(a, ka), (b, kb)| {
            (a.first_join, &a.name, ka).cmp(&(b.first_join, &b.name, kb))
        });
        list.into_iter().map(|(p, _)| p).collect()
    }

    /// Merges Zoom's `GET /past_meetings/{uuid}/participants` rows before
    /// the end summary is rendered. A row joins a known participant with
    /// the same key or Zoom id, else the same email (any case), else the
    /// same name when their emails do not differ; otherwise it becomes a
    /// new participant, and the rows of one person group together. Rows
    /// without a time take the meeting's start or end.
    ///
    /// Does nothing before `Ended`: the list describes a past meeting, and
    /// the live Slack Call follows the webhooks alone.
    pub fn reconcile(&mut self, from_api: Vec<ApiParticipant>) {
        if let Some(ended) = self.ended {
            participants::reconcile(
                &mut self.participants,
                from_api,
                ended.started_at,
                ended.ended_at,
            );
        }
    }
}
