//! Concrete meeting stories; the order-independence properties are in
//! `tests/meeting.rs`.

use super::*;

/// 2026-11-27 15:00 UTC plus `minutes`.
fn at(minutes: i64) -> Timestamp {
    Timestamp::from_second(1_795_791_600 + minutes * 60).unwrap()
}

fn key(id: &str) -> ParticipantKey {
    ParticipantKey::new(id)
}

fn joined(id: &str, name: &str, minute: i64) -> MeetingEvent {
    MeetingEvent::ParticipantJoined {
        participant: key(id),
        name: name.to_owned(),
        email: Some(format!("{}@example.com", name.to_lowercase())),
        at: at(minute),
    }
}

fn left(id: &str, minute: i64) -> MeetingEvent {
    MeetingEvent::ParticipantLeft {
        participant: key(id),
        at: at(minute),
    }
}

fn ended(start: i64, end: i64) -> MeetingEvent {
    MeetingEvent::Ended {
        started_at: at(start),
        ended_at: at(end),
    }
}

fn recording(parts: &[(&str, i64)]) -> MeetingEvent {
    MeetingEvent::RecordingCompleted {
        share_url: "https://us05web.zoom.us/rec/share/abc".to_owned(),
        passcode: Some("Xy1!".to_owned()),
        parts: parts
            .iter()
            .map(|(kind, minute)| RecordingPart {
                start: at(*minute),
                end: at(minute + 30),
                kind: (*kind).to_owned(),
                size_bytes: 1_000_000,
            })
            .collect(),
    }
}

fn add(ids: &[&str]) -> Effect {
    Effect::AddCallParticipants(ids.iter().map(|id| key(id)).collect())
}

fn remove(ids: &[&str]) -> Effect {
    Effect::RemoveCallParticipants(ids.iter().map(|id| key(id)).collect())
}

#[test]
fn a_meeting_in_order_moves_the_call_and_asks_for_the_summary_once() {
    let mut m = MeetingState::new();
    assert_eq!(m.apply(&MeetingEvent::Started { at: at(0) }), vec![]);
    assert_eq!(m.apply(&joined("a", "Ann", 0)), vec![add(&["a"])]);
    assert_eq!(m.apply(&joined("b", "Bo", 1)), vec![add(&["b"])]);
    assert_eq!(m.apply(&joined("b", "Bo", 1)), vec![], "a redelivery");
    assert_eq!(m.apply(&left("b", 20)), vec![remove(&["b"])]);
    assert_eq!(m.display_name(&key("a")), Some("Ann"));
    let end = vec![
        Effect::EndCall {
            duration_secs: 34 * 60,
        },
        Effect::PostEndSummary,
    ];
    assert_eq!(m.apply(&ended(0, 34)), end);
    assert_eq!(m.apply(&ended(0, 34)), vec![]);
    assert_eq!(m.apply(&left("a", 34)), vec![], "the call is over");
    assert_eq!(m.duration_secs(), Some(34 * 60));
    assert!(m.in_call().is_empty());
}

#[test]
fn a_join_older_than_a_recorded_leave_adds_nobody() {
    let mut m = MeetingState::new();
    assert_eq!(m.apply(&left("a", 10)), vec![]);
    assert_eq!(m.apply(&joined("a", "Ann", 5)), vec![]);
    assert!(m.in_call().is_empty());
    // A rejoin after the leave does count.
    assert_eq!(m.apply(&joined("a", "Ann", 12)), vec![add(&["a"])]);
    // A leave and a join in the same second: the leave wins.
    assert_eq!(m.apply(&left("a", 12)), vec![remove(&["a"])]);
}

#[test]
fn nobody_is_added_after_the_end() {
    let mut m = MeetingState::new();
    m.apply(&ended(0, 30));
    assert_eq!(m.apply(&joined("a", "Ann", 1)), vec![]);
    assert_eq!(m.apply(&left("a", 29)), vec![]);
    let people = m.participants_for_summary();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].total_secs, 28 * 60);
}

#[test]
fn the_end_call_duration_is_zooms_never_negative() {
    let mut m = MeetingState::new();
    let effects = m.apply(&ended(10, 5));
    assert_eq!(effects[0], Effect::EndCall { duration_secs: 0 });
}

#[test]
fn recordings_collapse_into_one_notice_that_is_updated() {
    let mut m = MeetingState::new();
    let first = recording(&[("shared_screen_with_speaker_view", 0), ("audio_only", 0)]);
    assert_eq!(m.apply(&first), vec![Effect::PostRecording]);
    assert_eq!(m.apply(&first), vec![], "the same delivery again");
    let second = recording(&[("audio_only", 40), ("audio_only", 0)]);
    assert_eq!(m.apply(&second), vec![Effect::UpdateRecording]);
    assert_eq!(m.apply(&second), vec![]);
    let rec = m.recording().unwrap();
    let kinds: Vec<(&str, Timestamp)> = rec
        .parts
        .iter()
        .map(|p| (p.kind.as_str(), p.start))
        .collect();
    assert_eq!(
        kinds,
        [
            ("audio_only", at(0)),
            ("shared_screen_with_speaker_view", at(0)),
            ("audio_only", at(40)),
        ]
    );
    assert_eq!(rec.passcode.as_deref(), Some("Xy1!"));
    // Ending afterwards still ends the call and posts the summary.
    assert_eq!(m.apply(&ended(0, 70)).len(), 2);
}

#[test]
fn the_ai_summary_and_transcript_may_come_first() {
    let mut m = MeetingState::new();
    let summary = MeetingEvent::SummaryCompleted {
        title: "Weekly sync".to_owned(),
        overview: Some("We planned Q3.".to_owned()),
        next_steps: vec!["Ann: send the notes".to_owned()],
    };
    assert_eq!(m.apply(&summary), vec![Effect::PostAiSummary]);
    assert_eq!(m.apply(&summary), vec![]);
    assert_eq!(m.apply(&MeetingEvent::TranscriptCompleted), vec![]);
    assert!(m.transcript_ready());
    assert_eq!(m.ai_summary().unwrap().next_steps, ["Ann: send the notes"]);
}

#[test]
fn the_summary_lists_each_participant_once_in_order_of_first_join() {
    let mut m = MeetingState::new();
    for event in [
        joined("c", "Cy", 3),
        joined("a", "Ann", 0),
        left("a", 10),
        joined("a", "Ann (phone)", 20),
        joined("b", "Bo", 1),
        left("b", 2),
        left("ghost", 4),
        ended(0, 30),
    ] {
        m.apply(&event);
    }
    let list: Vec<(String, Timestamp, i64)> = m
        .participants_for_summary()
        .into_iter()
        .map(|p| (p.name, p.first_join, p.total_secs))
        .collect();
    assert_eq!(
        list,
        [
            ("Ann".to_owned(), at(0), 20 * 60),
            ("Bo".to_owned(), at(1), 60),
            ("Cy".to_owned(), at(3), 27 * 60),
        ]
    );
}

#[test]
fn zooms_participant_list_fills_in_and_merges_by_id_email_or_name() {
    let mut m = MeetingState::new();
    m.apply(&joined("uuid-a", "Ann", 0));
    m.apply(&MeetingEvent::ParticipantJoined {
        participant: key("uuid-g"),
        name: "iPhone".to_owned(),
        email: None,
        at: at(2),
    });
    let row = |id: &str, name: &str, email: &str, from: i64, to: i64| ApiParticipant {
        id: Some(id.to_owned()),
        user_id: Some(format!("1677{from}")),
        name: name.to_owned(),
        email: Some(email.to_owned()),
        join_time: Some(at(from)),
        leave_time: Some(at(to)),
    };
    let rows = vec![
        row("", "Ann Andersson", "ANN@example.com", 0, 30),
        row("", "iphone", "", 2, 10),
        row("zu-d", "Dag", "dag@example.com", 5, 8),
        row("zu-d", "Dag", "", 12, 30),
        row("", "", "", 20, 25),
    ];
    m.reconcile(rows.clone());
    assert_eq!(
        m.participants_for_summary().len(),
        2,
        "ignored before the end"
    );
    m.apply(&ended(0, 30));
    m.reconcile(rows);
    let list: Vec<(String, i64)> = m
        .participants_for_summary()
        .into_iter()
        .map(|p| (p.name, p.total_secs / 60))
        .collect();
    assert_eq!(
        list,
        [
            ("Ann".to_owned(), 30),
            ("iPhone".to_owned(), 8),
            ("Dag".to_owned(), 21),
            (String::new(), 5),
        ]
    );
}

#[test]
fn the_state_is_stored_as_json_and_old_rows_still_load() {
    let mut m = MeetingState::new();
    for event in [
        joined("a", "Ann", 0),
        recording(&[("audio_only", 0)]),
        ended(0, 5),
    ] {
        m.apply(&event);
    }
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<MeetingState>(&json).unwrap(), m);
    assert_eq!(
        serde_json::from_str::<MeetingState>("{}").unwrap(),
        MeetingState::new()
    );
}

#[test]
fn zooms_participant_rows_deserialize() {
    let row: ApiParticipant = serde_json::from_str(
        r#"{"id":"","user_id":"16778240","name":"Ann","user_email":"ann@example.com",
            "join_time":"2026-11-27T15:00:05Z","leave_time":"2026-11-27T15:30:00Z",
            "duration":1795,"status":"in_meeting"}"#,
    )
    .unwrap();
    assert_eq!(row.email.as_deref(), Some("ann@example.com"));
    assert_eq!(row.join_time, Some("2026-11-27T15:00:05Z".parse().unwrap()));
}

/// What reconciliation learns from Zoom's API stands for a webhook; the
/// webhook may still come, before or after, with Zoom's times a second
/// apart, a passcode field missing or an AI summary without its overview.
#[test]
fn a_reconstructed_event_and_its_webhook_give_each_effect_once_in_either_order() {
    let summary = |overview: Option<&str>| MeetingEvent::SummaryCompleted {
        title: "Plan".to_owned(),
        overview: overview.map(str::to_owned),
        next_steps: vec!["Ship".to_owned()],
    };
    let from_api = [
        ended(0, 30),
        recording(&[("shared_screen_with_speaker_view", 0)]),
        summary(Some("We planned.")),
    ];
    let mut late_end = ended(0, 30);
    if let MeetingEvent::Ended { ended_at, .. } = &mut late_end {
        *ended_at = at(30) + jiff::SignedDuration::from_secs(1);
    }
    let webhooks = [
        late_end,
        recording(&[("shared_screen_with_speaker_view", 0)]),
        summary(None),
    ];
    for (first, then) in [(&from_api, &webhooks), (&webhooks, &from_api)] {
        let mut state = MeetingState::new();
        let mut effects: Vec<Effect> = Vec::new();
        for event in first.iter().chain(then.iter()) {
            effects.extend(state.apply(event));
        }
        assert_eq!(
            effects,
            vec![
                Effect::EndCall {
                    duration_secs: effects
                        .iter()
                        .find_map(|e| match e {
                            Effect::EndCall { duration_secs } => Some(*duration_secs),
                            _ => None,
                        })
                        .unwrap_or_default()
                },
                Effect::PostEndSummary,
                Effect::PostRecording,
                Effect::PostAiSummary,
            ]
        );
    }
}
