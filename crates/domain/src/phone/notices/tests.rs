//! Concrete webhooks and stored rows; the order-independence properties
//! are in `tests/phone_notices.rs`.

use serde_json::json;

use super::*;

fn ended(event: &str, answered: bool) -> Vec<PartyEvent> {
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
    party_events(event, &object)
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
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
    let missed = party_events(
        "phone.callee_missed",
        &json!({
            "call_id": "1",
            "caller": {"user_id": "zA", "phone_number": "+46812345678"},
            "callee": {"user_id": "zB"},
            "ringing_start_time": "2026-11-27T10:00:00Z",
        }),
    );
    let ended = party_events(
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
    let recs = party_events(
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
    assert!(party_events("phone.caller_ringing", &json!({"call_id": "1"})).is_empty());
    assert!(party_events("phone.caller_ended", &json!({"caller": {}})).is_empty());
}

#[test]
fn only_the_first_fold_makes_the_dm_due_and_sent_survives_later_folds() {
    let event = ended("phone.callee_ended", true).remove(0);
    let mut state = PartyState::default();
    assert!(state.apply(event.state.clone()));
    assert!(state.queued);
    assert!(!state.apply(event.state.clone()));
    state.sent = true;
    let late = PartyState {
        queued: false,
        sent: false,
        ..event.state
    };
    assert!(!state.apply(late));
    assert!(state.queued && state.sent);
}

#[test]
fn an_answered_call_reads_as_ended_with_its_talk_time() {
    let mut state = PartyState::default();
    state.apply(ended("phone.caller_ended", true).remove(0).state);
    assert_eq!(
        state.notice(),
        Some(Notice::Ended {
            direction: CallDirection::Outbound,
            started: at("2026-11-27T10:00:00Z"),
            talked_secs: Some(290),
            result: CallResult::Answered,
        })
    );
    let mut unanswered = PartyState::default();
    unanswered.apply(ended("phone.caller_ended", false).remove(0).state);
    assert_eq!(
        unanswered.notice(),
        Some(Notice::Ended {
            direction: CallDirection::Outbound,
            started: at("2026-11-27T10:00:00Z"),
            talked_secs: None,
            result: CallResult::NotAnswered,
        })
    );
}

#[test]
fn a_missed_call_wins_over_its_end_and_offers_a_call_back_to_real_numbers() {
    let mut state = PartyState::default();
    state.apply(ended("phone.callee_ended", false).remove(0).state);
    state.apply(PartyState {
        missed: true,
        ..PartyState::default()
    });
    let Some(Notice::Missed {
        at: rang,
        call_back,
    }) = state.notice()
    else {
        panic!("not a missed call: {:?}", state.notice());
    };
    assert_eq!(rang, at("2026-11-27T10:00:00Z"));
    assert_eq!(call_back.unwrap().dial_string(), "+46812345678");
    assert_eq!(
        state.other_number_shown().as_deref(),
        Some("+46 8 123 456 78")
    );

    let withheld = PartyState {
        missed: true,
        other_number: Some("anonymous".to_owned()),
        ringing_at: Some("2026-11-27T10:00:00Z".to_owned()),
        ..PartyState::default()
    };
    assert!(matches!(
        withheld.notice(),
        Some(Notice::Missed {
            call_back: None,
            ..
        })
    ));
    assert_eq!(withheld.other_number_shown().as_deref(), Some("anonymous"));
}

#[test]
fn a_recording_reads_as_a_recording_and_a_state_without_times_as_nothing() {
    let rec = party_events(
        "phone.recording_completed",
        &json!({"recordings": [
            {"id": "r1", "user_id": "zA", "direction": "inbound", "duration": 61,
             "date_time": "2026-11-27T10:00:00Z"},
        ]}),
    )
    .remove(0);
    let mut state = PartyState::default();
    state.apply(rec.state);
    state.missed = true;
    assert_eq!(
        state.notice(),
        Some(Notice::Recording {
            direction: CallDirection::Inbound,
            at: at("2026-11-27T10:00:00Z"),
            duration_secs: Some(61),
        })
    );
    let timeless = PartyState {
        missed: true,
        ringing_at: Some("soon".to_owned()),
        ..PartyState::default()
    };
    assert_eq!(timeless.notice(), None);
}

#[test]
fn stored_rows_keep_their_json_shape() {
    let row = json!({
        "direction": "inbound",
        "other_name": "Anna",
        "other_number": "+46812345678",
        "other_zoom_user": "zA",
        "ringing_at": "2026-11-27T10:00:00Z",
        "answered_at": null,
        "ended_at": "2026-11-27T10:00:30Z",
        "missed": true,
        "recording": false,
        "recording_duration": null,
        "queued": true,
        "sent": false,
    });
    let state: PartyState = serde_json::from_value(row.clone()).unwrap();
    assert_eq!(state.direction, Some(Direction::Inbound));
    assert!(state.missed && state.queued && !state.sent);
    assert_eq!(serde_json::to_value(&state).unwrap(), row);
    // Rows written before a field existed load with it empty.
    let old: PartyState = serde_json::from_value(json!({"direction": "outbound"})).unwrap();
    assert_eq!(
        old,
        PartyState {
            direction: Some(Direction::Outbound),
            ..PartyState::default()
        }
    );
}
