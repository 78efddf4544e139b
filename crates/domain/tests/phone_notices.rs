//! Properties of the fold of Zoom Phone webhooks into a party's state:
//! the events of one call, delivered in any order and each one to three
//! times, give one state, and the DM is due once.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use zlack_domain::phone::notices::{Direction, PartyEvent, PartyState, party_events};

fn one_of(options: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(options).prop_map(str::to_owned))
}

/// What Zoom knows of one call to `zB`; each webhook tells part of it.
#[derive(Clone, Debug)]
struct Call {
    caller_name: Option<String>,
    caller_number: Option<String>,
    caller_zoom_user: Option<String>,
    ringing: Option<String>,
    answered: Option<String>,
    ended: Option<String>,
}

fn call() -> impl Strategy<Value = Call> {
    (
        one_of(&["Anna", "Bo"]),
        one_of(&["+46812345678", "1002", "anonymous"]),
        one_of(&["zA"]),
        one_of(&["2026-11-27T10:00:00Z"]),
        one_of(&["2026-11-27T10:00:10Z"]),
        one_of(&["2026-11-27T10:05:00Z"]),
    )
        .prop_map(
            |(caller_name, caller_number, caller_zoom_user, ringing, answered, ended)| Call {
                caller_name,
                caller_number,
                caller_zoom_user,
                ringing,
                answered,
                ended,
            },
        )
}

/// The webhook `phone.callee_missed` or `phone.callee_ended` of `call`,
/// with the fields `tells` picks (in the order of [`Call`]'s fields).
fn webhook(call: &Call, missed: bool, tells: [bool; 6]) -> PartyEvent {
    let mut caller = Map::new();
    let mut object = Map::new();
    let put = |into: &mut Map<String, Value>, key: &str, value: &Option<String>, told: bool| {
        if let (Some(value), true) = (value, told) {
            into.insert(key.to_owned(), json!(value));
        }
    };
    put(&mut caller, "name", &call.caller_name, tells[0]);
    put(&mut caller, "phone_number", &call.caller_number, tells[1]);
    put(&mut caller, "user_id", &call.caller_zoom_user, tells[2]);
    put(&mut object, "ringing_start_time", &call.ringing, tells[3]);
    put(&mut object, "answer_start_time", &call.answered, tells[4]);
    put(&mut object, "call_end_time", &call.ended, tells[5]);
    object.insert("call_id".into(), json!("7100000000000000001"));
    object.insert("caller".into(), Value::Object(caller));
    object.insert("callee".into(), json!({"user_id": "zB"}));
    let event = if missed {
        "phone.callee_missed"
    } else {
        "phone.callee_ended"
    };
    let mut parties = party_events(event, &Value::Object(object));
    assert_eq!(parties.len(), 1, "{event} is about the callee only");
    parties.remove(0)
}

/// One webhook of a call: whether it is `phone.callee_missed` (else
/// `phone.callee_ended`), and which fields of the call it tells.
type Hook = (bool, [bool; 6]);

/// A call, its webhooks, and a delivery of them: each at least once, up
/// to three times, shuffled.
fn deliveries() -> impl Strategy<Value = (Call, Vec<Hook>, Vec<usize>)> {
    (
        call(),
        prop::collection::vec((any::<bool>(), any::<[bool; 6]>()), 1..5),
    )
        .prop_flat_map(|(call, hooks)| {
            let n = hooks.len();
            let order = prop::collection::vec(0..n, 0..2 * n).prop_flat_map(move |extra| {
                let mut order: Vec<usize> = (0..n).collect();
                order.extend(extra);
                Just(order).prop_shuffle()
            });
            (Just(call), Just(hooks), order)
        })
}

/// Folds `events` in order; also says how often the DM was due.
fn fold<'a>(events: impl IntoIterator<Item = &'a PartyEvent>) -> (PartyState, usize) {
    let mut state = PartyState::default();
    let due = events
        .into_iter()
        .filter(|event| state.apply(event.state.clone()))
        .count();
    (state, due)
}

fn party_state() -> impl Strategy<Value = PartyState> {
    let direction = prop::option::of(prop::sample::select(vec![
        Direction::Inbound,
        Direction::Outbound,
    ]));
    (
        (
            direction,
            one_of(&["Anna", "Bo"]),
            one_of(&["+46812345678", "1002"]),
            one_of(&["zA", "zB"]),
            one_of(&["2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z"]),
            one_of(&["2026-11-27T10:00:10Z", "2026-11-27T11:00:10Z"]),
        ),
        (
            one_of(&["2026-11-27T10:05:00Z", "2026-11-27T11:05:00Z"]),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(0i64..3),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (direction, other_name, other_number, other_zoom_user, ringing_at, answered_at),
                (ended_at, missed, recording, recording_duration, queued, sent),
            )| PartyState {
                direction,
                other_name,
                other_number,
                other_zoom_user,
                ringing_at,
                answered_at,
                ended_at,
                missed,
                recording,
                recording_duration,
                queued,
                sent,
            },
        )
}

proptest! {
    #[test]
    fn any_order_and_repetition_of_a_calls_webhooks_gives_one_state(
        (call, hooks, order) in deliveries(),
    ) {
        let events: Vec<PartyEvent> = hooks
            .iter()
            .map(|&(missed, tells)| webhook(&call, missed, tells))
            .collect();
        let (in_order, due) = fold(&events);
        prop_assert_eq!(due, 1);
        let (delivered, due) = fold(order.iter().map(|&i| &events[i]));
        prop_assert_eq!(due, 1);
        prop_assert_eq!(&delivered, &in_order);

        // The state holds what any webhook told, and nothing else.
        let told = |field: usize, value: &Option<String>| {
            value.clone().filter(|_| hooks.iter().any(|(_, tells)| tells[field]))
        };
        let expected = PartyState {
            direction: Some(Direction::Inbound),
            other_name: told(0, &call.caller_name),
            other_number: told(1, &call.caller_number),
            other_zoom_user: told(2, &call.caller_zoom_user),
            ringing_at: told(3, &call.ringing),
            answered_at: told(4, &call.answered),
            ended_at: told(5, &call.ended),
            missed: hooks.iter().any(|&(missed, _)| missed),
            queued: true,
            ..PartyState::default()
        };
        prop_assert_eq!(delivered, expected);
    }

    #[test]
    fn the_first_value_of_each_field_wins(mine in party_state(), theirs in party_state()) {
        let mut merged = mine.clone();
        merged.merge(theirs.clone());
        prop_assert_eq!(merged.direction, mine.direction.or(theirs.direction));
        prop_assert_eq!(&merged.other_name, &mine.other_name.clone().or(theirs.other_name.clone()));
        prop_assert_eq!(
            &merged.other_number,
            &mine.other_number.clone().or(theirs.other_number.clone())
        );
        prop_assert_eq!(
            &merged.other_zoom_user,
            &mine.other_zoom_user.clone().or(theirs.other_zoom_user.clone())
        );
        prop_assert_eq!(&merged.ringing_at, &mine.ringing_at.clone().or(theirs.ringing_at.clone()));
        prop_assert_eq!(
            &merged.answered_at,
            &mine.answered_at.clone().or(theirs.answered_at.clone())
        );
        prop_assert_eq!(&merged.ended_at, &mine.ended_at.clone().or(theirs.ended_at.clone()));
        prop_assert_eq!(
            merged.recording_duration,
            mine.recording_duration.or(theirs.recording_duration)
        );
        prop_assert_eq!(merged.missed, mine.missed || theirs.missed);
        prop_assert_eq!(merged.recording, mine.recording || theirs.recording);
        // How far the DM got is the state's own.
        prop_assert_eq!(merged.queued, mine.queued);
        prop_assert_eq!(merged.sent, mine.sent);

        // Folding the same news again changes nothing.
        let mut again = merged.clone();
        again.merge(theirs);
        prop_assert_eq!(&again, &merged);
        again.merge(mine);
        prop_assert_eq!(again, merged);
    }

    #[test]
    fn a_stored_state_loads_as_it_was_saved(state in party_state()) {
        let stored = serde_json::to_vec(&state).unwrap();
        prop_assert_eq!(serde_json::from_slice::<PartyState>(&stored).unwrap(), state);
    }
}
