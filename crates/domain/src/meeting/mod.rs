//! The life of one Zoom meeting occurrence, keyed by its meeting UUID.
//!
//! Zoom's webhooks arrive at least once and in no particular order:
//! `participant_left` after `meeting.ended`, `recording.completed` before it,
//! the AI summary first. [`MeetingState::apply`] folds each [`MeetingEvent`]
//! into the state and returns the [`Effect`]s the server should carry out
//! (through its outbox). The state only records facts with their Zoom
//! timestamps, so the final state does not depend on the order or the
//! repetition of events, and each one-off notice is asked for exactly once.
//!
//! The server turns a webhook into an event; which participant id it uses
//! as the [`ParticipantKey`] is its choice. Prefer `participant_uuid`
//! (stable when someone rejoins), then the Zoom user `id` of signed-in
//! users, then the per-meeting `user_id` (which changes on every rejoin, so
//! a rejoin would count as a new participant).

mod participants;
mod state;

#[cfg(test)]
mod tests;

pub use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use participants::{ApiParticipant, SummaryParticipant};
pub use state::{AiSummary, MeetingState, Recording};

/// The stable id Zoom gives a participant (see the [module](self) docs for
/// which one to use).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ParticipantKey(String);

impl ParticipantKey {
    /// Wraps Zoom's id as is.
    pub fn new(id: impl Into<String>) -> ParticipantKey {
        ParticipantKey(id.into())
    }

    /// The id as Zoom sent it; also the `external_id` of the participant in
    /// Slack's Calls API `users` list.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ParticipantKey {
    fn from(id: &str) -> Self {
        ParticipantKey::new(id)
    }
}

/// One file of a cloud recording (an entry of Zoom's `recording_files`).
///
/// Ordered by start, then end, kind and size, which is the order the
/// recording notice lists the parts in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordingPart {
    /// Zoom's `recording_start`.
    pub start: Timestamp,
    /// Zoom's `recording_end`.
    pub end: Timestamp,
    /// Zoom's `recording_type`, e.g. `shared_screen_with_speaker_view` or
    /// `audio_only`.
    pub kind: String,
    /// Zoom's `file_size` in bytes.
    pub size_bytes: u64,
}

/// A Zoom webhook about one meeting occurrence, with the fields zlack uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeetingEvent {
    /// `meeting.started`: `object.start_time`.
    Started {
        /// When the meeting started.
        at: Timestamp,
    },
    /// `meeting.participant_joined`: `object.participant`.
    ParticipantJoined {
        /// The participant's stable id.
        participant: ParticipantKey,
        /// `user_name`, as shown in Zoom.
        name: String,
        /// `email`, when Zoom knows it (empty strings should become `None`).
        email: Option<String>,
        /// `join_time`.
        at: Timestamp,
    },
    /// `meeting.participant_left`: `object.participant`.
    ParticipantLeft {
        /// The participant's stable id.
        participant: ParticipantKey,
        /// `leave_time`.
        at: Timestamp,
    },
    /// `meeting.ended`: `object.start_time` and `object.end_time`.
    Ended {
        /// When the meeting started, by Zoom.
        started_at: Timestamp,
        /// When the meeting ended, by Zoom.
        ended_at: Timestamp,
    },
    /// `recording.completed`. Zoom may send several for one occurrence (one
    /// per set of files); they collapse into one recording.
    RecordingCompleted {
        /// `object.share_url`, the link people open to watch.
        share_url: String,
        /// `object.recording_play_passcode` (or else `password`), if any.
        passcode: Option<String>,
        /// `object.recording_files`.
        parts: Vec<RecordingPart>,
    },
    /// `recording.transcript_completed`.
    TranscriptCompleted,
    /// `meeting.summary_completed` (Zoom AI Companion).
    SummaryCompleted {
        /// `summary_title`.
        title: String,
        /// `summary_overview`, if any.
        overview: Option<String>,
        /// `next_steps`.
        next_steps: Vec<String>,
    },
}

/// What the server should do after an event, in this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `calls.participants.add` with these participants
    /// (as `{external_id, display_name}`; see [`MeetingState::display_name`]).
    AddCallParticipants(Vec<ParticipantKey>),
    /// `calls.participants.remove` with these participants.
    RemoveCallParticipants(Vec<ParticipantKey>),
    /// `calls.end`, with the duration from Zoom's start and end times.
    EndCall {
        /// Seconds between Zoom's `start_time` and `end_time`, never negative.
        duration_secs: i64,
    },
    /// Post the end-of-meeting summary ([`MeetingState::reconcile`] with
    /// Zoom's participant list first, then render
    /// [`MeetingState::participants_for_summary`]). Emitted once.
    PostEndSummary,
    /// Post the recording notice from [`MeetingState::recording`]. Emitted once.
    PostRecording,
    /// A later `recording.completed` changed the recording (usually: more
    /// parts) after [`Effect::PostRecording`]: update the posted notice
    /// where that is possible (`chat.update` where its `ts` is known; a
    /// notice sent through a `response_url` stays as it is); never post a
    /// second one.
    UpdateRecording,
    /// Post the AI Companion summary from [`MeetingState::ai_summary`].
    /// Emitted once.
    PostAiSummary,
}
