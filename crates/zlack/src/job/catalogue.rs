//! Every job zlack queues, as one enum. A job row keeps its kind and its
//! payload apart; [`Job::decode`] reads them back (rows queued by earlier
//! versions included: the kinds and payload fields are the stored ones),
//! and [`Job::queue`] writes a job as a row.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zlack_domain::ids::{InboxId, OccurrenceId, SlackUserId, TeamId, ZoomUserId};

use crate::clock::Millis;
use crate::slack::inbound::CommandRequest;
use crate::slack::team::rate_scope;
use crate::store::NewJob;

/// A job: what to do, with everything it needs. `Debug` shows the kind
/// only: payloads carry links that work for whoever holds them.
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum Job {
    /// Decide what a stored inbound request means and carry it out.
    #[serde(rename = "inbox.process")]
    ProcessInbox { inbox_id: InboxId },
    /// Carry out a command whose user has just connected Zoom.
    #[serde(rename = "command.resume")]
    ResumeCommand(CommandRequest),
    /// Call one Slack Web API method with the workspace's bot token.
    #[serde(rename = "slack.call")]
    SlackCall {
        team_id: TeamId,
        method: String,
        args: Map<String, Value>,
    },
    /// Bring a meeting's Slack Call in line with its occurrence's state.
    #[serde(rename = "meeting.call")]
    MeetingCall {
        occurrence: OccurrenceId,
        #[serde(default)]
        team: Option<TeamId>,
    },
    /// Post (or edit) one notice of a meeting occurrence.
    #[serde(rename = "meeting.notice")]
    MeetingNotice {
        occurrence: OccurrenceId,
        notice: MeetingNotice,
        #[serde(default)]
        team: Option<TeamId>,
    },
    /// Ask Zoom about recently announced meetings and fold in what its
    /// lost webhooks would have said ([`crate::flows::reconcile`]).
    #[serde(rename = "meeting.reconcile")]
    Reconcile {
        /// Why the run was queued (`periodic`, or a caller's reason).
        reason: String,
    },
    /// Tell a Slack user a Zoom Whiteboard was shared with them.
    #[serde(rename = "whiteboard.dm")]
    WhiteboardDm(WhiteboardDm),
    /// Remind a scheduled meeting's conversation that it starts soon, if it
    /// still starts at `starts_at` (unix ms).
    #[serde(rename = "schedule.reminder")]
    ScheduleReminder {
        meeting: i64,
        starts_at: Millis,
        team: TeamId,
    },
    /// Bring a scheduled meeting's card (and reminder) in line with its row.
    #[serde(rename = "schedule.card")]
    ScheduleCard { meeting: i64 },
    /// A scheduled meeting started: its card becomes the live Slack Call.
    #[serde(rename = "schedule.start")]
    ScheduleStart {
        occurrence: OccurrenceId,
        team: TeamId,
    },
    /// Tell a Slack user about their Zoom Phone call or recording.
    #[serde(rename = "phone.notice")]
    PhoneNotice {
        team: TeamId,
        user: SlackUserId,
        subject: String,
    },
    /// Publish a user's App Home tab, as it is when the job runs.
    #[serde(rename = "home.publish")]
    HomePublish {
        team: TeamId,
        user: SlackUserId,
        /// The Enterprise Grid org, whose install may serve the workspace.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        enterprise: Option<TeamId>,
    },
    /// Bring a user's Slack status in line with their latest Zoom presence
    /// (status sync).
    #[serde(rename = "status.apply")]
    StatusApply { team: TeamId, user: SlackUserId },
    /// End a user's status sync: put their status back, revoke the token.
    #[serde(rename = "status.settle")]
    StatusSettle { team: TeamId, user: SlackUserId },
}

/// The one-off notices of a meeting occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingNotice {
    /// Who came and for how long, once the meeting ended.
    EndSummary,
    /// The cloud recording's link (and its passcode for the host).
    Recording,
    /// More recording files arrived: edit the recording notices.
    RecordingUpdate,
    /// The AI Companion's summary.
    AiSummary,
}

impl MeetingNotice {
    /// The name notices are recorded under.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndSummary => "end_summary",
            Self::Recording => "recording",
            Self::RecordingUpdate => "recording_update",
            Self::AiSummary => "ai_summary",
        }
    }
}

/// A whiteboard share to tell `user` of workspace `team` about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhiteboardDm {
    pub team: TeamId,
    pub user: SlackUserId,
    pub whiteboard_id: String,
    /// The role the share gives, as Zoom names it, or `none`.
    pub role: String,
    #[serde(default)]
    pub operator_id: Option<ZoomUserId>,
    #[serde(default)]
    pub operator_name: Option<String>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

impl Job {
    /// Reads a stored job back from its kind and payload.
    pub fn decode(kind: &str, payload: &Value) -> Result<Self, String> {
        let tagged = serde_json::json!({"kind": kind, "payload": payload});
        // serde's message may quote a value, which may be secret: only the
        // kind is told.
        serde_json::from_value(tagged).map_err(|_| format!("job {kind} does not decode"))
    }

    /// The kind stored with the job, such as `inbox.process`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ProcessInbox { .. } => "inbox.process",
            Self::ResumeCommand(_) => "command.resume",
            Self::SlackCall { .. } => "slack.call",
            Self::MeetingCall { .. } => "meeting.call",
            Self::MeetingNotice { .. } => "meeting.notice",
            Self::Reconcile { .. } => "meeting.reconcile",
            Self::WhiteboardDm(_) => "whiteboard.dm",
            Self::PhoneNotice { .. } => "phone.notice",
            Self::HomePublish { .. } => "home.publish",
            Self::ScheduleReminder { .. } => "schedule.reminder",
            Self::ScheduleCard { .. } => "schedule.card",
            Self::ScheduleStart { .. } => "schedule.start",
            Self::StatusApply { .. } => "status.apply",
            Self::StatusSettle { .. } => "status.settle",
        }
    }

    /// The rate-limit scope the job's requests fall in, when it has one:
    /// while a platform's `Retry-After` closes it, the job waits without
    /// running. Each is the scope the job's own rate limits close.
    pub fn rate_scope(&self) -> Option<String> {
        match self {
            Self::SlackCall {
                team_id, method, ..
            } => Some(rate_scope(team_id, method)),
            Self::MeetingCall { team, .. } => team.as_deref().map(calls_scope),
            Self::MeetingNotice { team, .. } => team
                .as_deref()
                .map(|team| rate_scope(team, "chat.postMessage")),
            Self::WhiteboardDm(dm) => Some(rate_scope(&dm.team, "chat.postMessage")),
            Self::PhoneNotice { team, .. } => Some(rate_scope(team, "chat.postMessage")),
            Self::HomePublish { team, .. } => Some(rate_scope(team, "views.publish")),
            Self::ScheduleReminder { team, .. } => Some(rate_scope(team, "chat.postMessage")),
            Self::ScheduleStart { team, .. } => Some(calls_scope(team)),
            Self::ScheduleCard { .. } => None,
            Self::Reconcile { .. } => Some(RECONCILE_SCOPE.to_owned()),
            Self::StatusApply { team, .. } | Self::StatusSettle { team, .. } => {
                Some(rate_scope(team, "users.profile.set"))
            }
            Self::ProcessInbox { .. } | Self::ResumeCommand(_) => None,
        }
    }

    /// The row that queues this job once per `idempotency_key`, due at
    /// `run_at`.
    pub fn queue(&self, idempotency_key: impl Into<String>, run_at: Millis) -> NewJob {
        let payload = match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => tagged.remove("payload").unwrap_or(Value::Null),
            _ => Value::Null,
        };
        NewJob::new(self.kind(), idempotency_key, payload, run_at)
    }
}

/// The scope a Zoom rate limit met by reconciliation closes: runs wait
/// for it together.
pub const RECONCILE_SCOPE: &str = "zoom:reconcile";

/// The scope of every Calls API request of a workspace: a Call's updates
/// wait together.
pub fn calls_scope(team: &str) -> String {
    rate_scope(team, "calls")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn stored_rows_decode_and_encode_to_the_same_kind_and_payload() {
        let rows = [
            ("inbox.process", json!({"inbox_id": 7})),
            (
                "slack.call",
                json!({"team_id": "T1", "method": "chat.postMessage", "args": {"channel": "U1"}}),
            ),
            ("meeting.call", json!({"occurrence": 3, "team": "T1"})),
            (
                "meeting.notice",
                json!({"occurrence": 3, "notice": "end_summary", "team": "T1"}),
            ),
            (
                "whiteboard.dm",
                json!({"team": "T1", "user": "U1", "whiteboard_id": "wb1", "role": "editor",
                       "operator_id": "z1", "operator_name": null}),
            ),
            ("meeting.reconcile", json!({"reason": "periodic"})),
            (
                "phone.notice",
                json!({"team": "T1", "user": "U1", "subject": "call:1"}),
            ),
            ("home.publish", json!({"team": "T1", "user": "U1"})),
            (
                "home.publish",
                json!({"team": "T1", "user": "U1", "enterprise": "E1"}),
            ),
            (
                "schedule.reminder",
                json!({"meeting": 4, "starts_at": 1_796_720_400_000_i64, "team": "T1"}),
            ),
            ("schedule.card", json!({"meeting": 4})),
            ("schedule.start", json!({"occurrence": 3, "team": "T1"})),
            ("status.apply", json!({"team": "T1", "user": "U1"})),
            ("status.settle", json!({"team": "T1", "user": "U1"})),
        ];
        for (kind, payload) in rows {
            let job = Job::decode(kind, &payload).unwrap();
            assert_eq!(job.kind(), kind);
            let row = job.queue("key", 0);
            assert_eq!(row.kind, kind);
            assert_eq!(row.payload, payload, "{kind}");
        }
    }

    #[test]
    fn the_inbox_kind_is_the_one_ingest_queues() {
        let job = Job::ProcessInbox {
            inbox_id: InboxId::new(1),
        };
        assert_eq!(job.kind(), crate::store::inbox::PROCESS_INBOX);
    }

    #[test]
    fn unknown_kinds_and_bad_payloads_are_refused_without_their_values() {
        assert!(Job::decode("nope", &json!({})).is_err());
        let error = Job::decode(
            "meeting.notice",
            &json!({"occurrence": 1, "notice": "s3cret"}),
        )
        .unwrap_err();
        assert!(error.contains("meeting.notice"));
        assert!(!error.contains("s3cret"), "{error}");
    }

    #[test]
    fn jobs_that_post_wait_behind_a_limit_on_posting_in_their_workspace() {
        let post = rate_scope("T1", "chat.postMessage");
        let dm = Job::WhiteboardDm(WhiteboardDm {
            team: "T1".into(),
            user: "U1".into(),
            whiteboard_id: "wb".into(),
            role: "none".into(),
            operator_id: None,
            operator_name: None,
        });
        assert_eq!(dm.rate_scope().as_deref(), Some(post.as_str()));
        let notice = Job::MeetingNotice {
            occurrence: OccurrenceId::new(1),
            notice: MeetingNotice::AiSummary,
            team: Some("T1".into()),
        };
        assert_eq!(notice.rate_scope().as_deref(), Some(post.as_str()));
    }
}
