//! Zoom's meeting webhooks turned into [`MeetingEvent`]s of the domain,
//! with the meeting they are about.

use serde_json::Value;
use zlack_domain::meeting::{MeetingEvent, ParticipantKey, RecordingPart, Timestamp};

/// Which meeting occurrence a webhook is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The meeting number (`id`, or `meeting_id` in summary events).
    pub meeting_id: i64,
    /// The occurrence's UUID.
    pub uuid: String,
    /// Zoom's `host_id`, when the event names it.
    pub host_id: Option<String>,
}

/// Why a webhook carries no meeting event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not an event of the meeting lifecycle (zlack does nothing with it).
    Other,
    /// A lifecycle event without the fields it needs.
    Malformed(&'static str),
}

/// The webhook `event` names this module reads.
pub const MEETING_EVENTS: [&str; 7] = [
    "meeting.started",
    "meeting.participant_joined",
    "meeting.participant_left",
    "meeting.ended",
    "recording.completed",
    "recording.transcript_completed",
    "meeting.summary_completed",
];

/// Recording files that are not something to watch or listen to.
const NOT_MEDIA: [&str; 6] = ["TIMELINE", "CHAT", "TRANSCRIPT", "CC", "CSV", "SUMMARY"];

/// Reads a webhook's `event` and `payload`.
pub fn parse(event: &str, payload: &Value) -> Result<(Occurrence, MeetingEvent), Skip> {
    if !MEETING_EVENTS.contains(&event) {
        return Err(Skip::Other);
    }
    let object = &payload["object"];
    if event == "meeting.summary_completed" {
        let occurrence = Occurrence {
            meeting_id: number(&object["meeting_id"]).ok_or(Skip::Malformed("meeting_id"))?,
            uuid: text(&object["meeting_uuid"]).ok_or(Skip::Malformed("meeting_uuid"))?,
            host_id: text(&object["meeting_host_id"]),
        };
        let next_steps = object["next_steps"]
            .as_array()
            .map(|steps| steps.iter().filter_map(text).collect())
            .unwrap_or_default();
        return Ok((
            occurrence,
            MeetingEvent::SummaryCompleted {
                title: text(&object["summary_title"]).unwrap_or_default(),
                overview: text(&object["summary_overview"]),
                next_steps,
            },
        ));
    }
    let occurrence = Occurrence {
        meeting_id: number(&object["id"]).ok_or(Skip::Malformed("id"))?,
        uuid: text(&object["uuid"]).ok_or(Skip::Malformed("uuid"))?,
        host_id: text(&object["host_id"]),
    };
    let participant = &object["participant"];
    let meeting_event = match event {
        "meeting.started" => MeetingEvent::Started {
            at: time(&object["start_time"]).ok_or(Skip::Malformed("start_time"))?,
        },
        "meeting.participant_joined" => MeetingEvent::ParticipantJoined {
            participant: participant_key(participant).ok_or(Skip::Malformed("participant"))?,
            name: text(&participant["user_name"]).unwrap_or_default(),
            email: verified_email(participant),
            at: time(&participant["join_time"]).ok_or(Skip::Malformed("join_time"))?,
        },
        "meeting.participant_left" => MeetingEvent::ParticipantLeft {
            participant: participant_key(participant).ok_or(Skip::Malformed("participant"))?,
            at: time(&participant["leave_time"]).ok_or(Skip::Malformed("leave_time"))?,
        },
        "meeting.ended" => MeetingEvent::Ended {
            started_at: time(&object["start_time"]).ok_or(Skip::Malformed("start_time"))?,
            ended_at: time(&object["end_time"]).ok_or(Skip::Malformed("end_time"))?,
        },
        "recording.completed" => MeetingEvent::RecordingCompleted {
            share_url: text(&object["share_url"]).ok_or(Skip::Malformed("share_url"))?,
            passcode: text(&object["recording_play_passcode"])
                .or_else(|| text(&object["password"])),
            parts: object["recording_files"]
                .as_array()
                .map(|files| files.iter().filter_map(part).collect())
                .unwrap_or_default(),
        },
        _ => MeetingEvent::TranscriptCompleted,
    };
    Ok((occurrence, meeting_event))
}

/// The participant's email, only for a signed-in Zoom user (one with a
/// Zoom user `id`): a guest or registrant types any address they like, and
/// the email decides whom the Slack Call shows.
fn verified_email(participant: &Value) -> Option<String> {
    text(&participant["id"])?;
    text(&participant["email"])
}

/// `participant_uuid` (stable across rejoins), else the Zoom user `id`,
/// else the per-meeting `user_id`.
fn participant_key(participant: &Value) -> Option<ParticipantKey> {
    ["participant_uuid", "id", "user_id"]
        .iter()
        .find_map(|k| text(&participant[*k]))
        .map(ParticipantKey::new)
}

fn part(file: &Value) -> Option<RecordingPart> {
    let kind = text(&file["file_type"]).unwrap_or_default();
    if NOT_MEDIA.contains(&kind.to_ascii_uppercase().as_str()) {
        return None;
    }
    Some(RecordingPart {
        start: time(&file["recording_start"])?,
        end: time(&file["recording_end"])?,
        kind: text(&file["recording_type"]).unwrap_or_else(|| kind.to_ascii_lowercase()),
        size_bytes: file["file_size"].as_u64().unwrap_or_default(),
    })
}

/// A non-empty string (numbers are taken as their digits).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A meeting number, sent as a number or as digits.
fn number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn time(value: &Value) -> Option<Timestamp> {
    value.as_str()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn participant_events_prefer_the_stable_participant_uuid() {
        let payload = json!({"object": {"id": 85746065432i64, "uuid": "4444AAAiAAAAAiAiAiiAii==",
            "host_id": "z8yCxjabcdEFGHfp8uQ", "participant": {"user_id": "16778240", "user_name": "Ana",
            "id": "zu-ana", "participant_uuid": "pu-1", "email": "ana@example.com",
            "join_time": "2026-11-27T10:00:05Z"}}});
        let (occurrence, event) = parse("meeting.participant_joined", &payload).unwrap();
        assert_eq!(occurrence.meeting_id, 85746065432);
        assert_eq!(occurrence.host_id.as_deref(), Some("z8yCxjabcdEFGHfp8uQ"));
        assert_eq!(
            event,
            MeetingEvent::ParticipantJoined {
                participant: ParticipantKey::new("pu-1"),
                name: "Ana".into(),
                email: Some("ana@example.com".into()),
                at: at("2026-11-27T10:00:05Z"),
            }
        );
        let guest = json!({"object": {"id": "1", "uuid": "u", "participant": {"user_id": "16778241",
            "user_name": "Guest", "email": "", "leave_time": "2026-11-27T10:30:00Z"}}});
        let (_, event) = parse("meeting.participant_left", &guest).unwrap();
        assert_eq!(
            event,
            MeetingEvent::ParticipantLeft {
                participant: ParticipantKey::new("16778241"),
                at: at("2026-11-27T10:30:00Z"),
            }
        );
    }

    #[test]
    fn only_signed_in_users_bring_an_email() {
        let guest = json!({"object": {"id": 1, "uuid": "u", "participant": {"user_id": "9",
            "user_name": "Not Ana", "id": "", "participant_uuid": "pu-9", "email": "ana@example.com",
            "join_time": "2026-11-27T10:00:05Z"}}});
        let (_, event) = parse("meeting.participant_joined", &guest).unwrap();
        let MeetingEvent::ParticipantJoined { email, .. } = event else {
            panic!("not a join");
        };
        assert_eq!(email, None);
    }

    #[test]
    fn recordings_list_media_files_and_keep_the_play_passcode() {
        let payload = json!({"object": {"id": 1, "uuid": "u", "share_url": "https://zoom.us/rec/share/x",
            "password": "old", "recording_play_passcode": "play",
            "recording_files": [
                {"file_type": "MP4", "recording_type": "shared_screen_with_speaker_view", "file_size": 100,
                 "recording_start": "2026-11-27T10:00:00Z", "recording_end": "2026-11-27T10:30:00Z"},
                {"file_type": "TIMELINE", "recording_type": "timeline", "file_size": 1,
                 "recording_start": "2026-11-27T10:00:00Z", "recording_end": "2026-11-27T10:30:00Z"}]}});
        let (_, event) = parse("recording.completed", &payload).unwrap();
        let MeetingEvent::RecordingCompleted {
            passcode, parts, ..
        } = event
        else {
            panic!("not a recording");
        };
        assert_eq!(passcode.as_deref(), Some("play"));
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].kind, "shared_screen_with_speaker_view");
    }

    #[test]
    fn summaries_name_their_meeting_in_their_own_fields() {
        let payload = json!({"object": {"meeting_id": 7, "meeting_uuid": "u7", "meeting_host_id": "h",
            "summary_title": "Plan", "summary_overview": "We planned.", "next_steps": ["Ship", ""]}});
        let (occurrence, event) = parse("meeting.summary_completed", &payload).unwrap();
        assert_eq!(occurrence.uuid, "u7");
        assert_eq!(
            event,
            MeetingEvent::SummaryCompleted {
                title: "Plan".into(),
                overview: Some("We planned.".into()),
                next_steps: vec!["Ship".into()],
            }
        );
    }

    #[test]
    fn other_events_and_missing_fields_are_told_apart() {
        assert_eq!(parse("meeting.created", &json!({})), Err(Skip::Other));
        assert_eq!(
            parse("meeting.ended", &json!({"object": {"id": 1, "uuid": "u"}})),
            Err(Skip::Malformed("start_time"))
        );
        assert_eq!(
            parse("meeting.started", &json!({"object": {"uuid": "u"}})),
            Err(Skip::Malformed("id"))
        );
    }
}
