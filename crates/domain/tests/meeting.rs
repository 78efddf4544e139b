//! Properties of the meeting state machine over Zoom webhooks delivered in
//! any order, each one to three times: `participant_left` after `ended`,
//! recordings before it, the AI summary first.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use zlack_domain::meeting::{
    Effect, MeetingEvent, MeetingState, ParticipantKey, RecordingPart, Timestamp,
};

/// A minute of 2026-11-27, from 15:00 UTC; few values, so times collide.
fn time() -> impl Strategy<Value = Timestamp> {
    (0i64..20).prop_map(|m| Timestamp::from_second(1_795_791_600 + m * 60).unwrap())
}

fn key() -> impl Strategy<Value = ParticipantKey> {
    prop::sample::select(vec!["a", "b", "c", "d"]).prop_map(ParticipantKey::from)
}

fn text(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(options).prop_map(str::to_owned)
}

fn part() -> impl Strategy<Value = RecordingPart> {
    (
        time(),
        0i64..30,
        text(&["audio_only", "shared_screen"]),
        0u64..3,
    )
        .prop_map(|(start, minutes, kind, size)| RecordingPart {
            start,
            end: start + jiff::SignedDuration::from_mins(minutes),
            kind,
            size_bytes: size * 1_000_000,
        })
}

fn event() -> impl Strategy<Value = MeetingEvent> {
    prop_oneof![
        1 => time().prop_map(|at| MeetingEvent::Started { at }),
        3 => (key(), text(&["Ann", "Bo", ""]), prop::option::of(text(&["x@e.se", "y@e.se"])), time())
            .prop_map(|(participant, name, email, at)| MeetingEvent::ParticipantJoined {
                participant, name, email, at,
            }),
        3 => (key(), time()).prop_map(|(participant, at)| MeetingEvent::ParticipantLeft {
            participant, at,
        }),
        1 => (time(), time()).prop_map(|(started_at, ended_at)| MeetingEvent::Ended {
            started_at, ended_at,
        }),
        1 => (text(&["https://z/rec/1", "https://z/rec/2", ""]), prop::option::of(text(&["p1", "p2"])),
            prop::collection::vec(part(), 0..3))
            .prop_map(|(share_url, passcode, parts)| MeetingEvent::RecordingCompleted {
                share_url, passcode, parts,
            }),
        1 => Just(MeetingEvent::TranscriptCompleted),
        1 => (text(&["Sync", "Plan"]), prop::option::of(text(&["We met."])),
            prop::collection::vec(text(&["Ann: notes", "Bo: plan"]), 0..3))
            .prop_map(|(title, overview, next_steps)| MeetingEvent::SummaryCompleted {
                title, overview, next_steps,
            }),
    ]
}

/// The events Zoom sent, in the order they happened.
fn history() -> impl Strategy<Value = Vec<MeetingEvent>> {
    prop::collection::vec(event(), 0..24)
}

/// The same events as delivered: each one to three times, in any order.
fn delivered(history: Vec<MeetingEvent>) -> impl Strategy<Value = Vec<MeetingEvent>> {
    let n = history.len();
    prop::collection::vec(1usize..=3, n)
        .prop_map(move |times| {
            history
                .iter()
                .zip(times)
                .flat_map(|(event, times)| std::iter::repeat_n(event.clone(), times))
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
}

fn two_deliveries()
-> impl Strategy<Value = (Vec<MeetingEvent>, Vec<MeetingEvent>, Vec<MeetingEvent>)> {
    history().prop_flat_map(|h| (Just(h.clone()), delivered(h.clone()), delivered(h)))
}

fn fold(events: &[MeetingEvent]) -> MeetingState {
    let mut state = MeetingState::new();
    for event in events {
        state.apply(event);
    }
    state
}

/// Which one-off effect an event may trigger.
fn trigger(effect: &Effect) -> Option<fn(&MeetingEvent) -> bool> {
    match effect {
        Effect::EndCall { .. } | Effect::PostEndSummary => {
            Some(|e| matches!(e, MeetingEvent::Ended { .. }))
        }
        Effect::PostRecording | Effect::UpdateRecording => {
            Some(|e| matches!(e, MeetingEvent::RecordingCompleted { .. }))
        }
        Effect::PostAiSummary => Some(|e| matches!(e, MeetingEvent::SummaryCompleted { .. })),
        Effect::AddCallParticipants(_) | Effect::RemoveCallParticipants(_) => None,
    }
}

fn name(effect: &Effect) -> &'static str {
    match effect {
        Effect::EndCall { .. } => "EndCall",
        Effect::PostEndSummary => "PostEndSummary",
        Effect::PostRecording => "PostRecording",
        Effect::UpdateRecording => "UpdateRecording",
        Effect::PostAiSummary => "PostAiSummary",
        Effect::AddCallParticipants(_) => "Add",
        Effect::RemoveCallParticipants(_) => "Remove",
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn each_notice_and_the_call_end_happen_exactly_once_when_their_event_came(
        (history, events, _) in two_deliveries()
    ) {
        let mut state = MeetingState::new();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut posted_recording = false;
        for event in &events {
            for effect in state.apply(event) {
                if let Some(caused_by) = trigger(&effect) {
                    prop_assert!(caused_by(event), "{effect:?} from {event:?}");
                }
                match effect {
                    Effect::PostRecording => posted_recording = true,
                    Effect::UpdateRecording => prop_assert!(posted_recording),
                    _ => {}
                }
                *counts.entry(name(&effect)).or_default() += 1;
            }
        }
        let seen = |f: fn(&MeetingEvent) -> bool| usize::from(history.iter().any(f));
        let ended = seen(|e| matches!(e, MeetingEvent::Ended { .. }));
        let recorded = seen(|e| matches!(e, MeetingEvent::RecordingCompleted { .. }));
        let summarized = seen(|e| matches!(e, MeetingEvent::SummaryCompleted { .. }));
        let count = |name: &str| counts.get(name).copied().unwrap_or(0);
        prop_assert_eq!(count("EndCall"), ended);
        prop_assert_eq!(count("PostEndSummary"), ended);
        prop_assert_eq!(count("PostRecording"), recorded);
        prop_assert_eq!(count("PostAiSummary"), summarized);
    }

    #[test]
    fn the_final_state_is_the_same_in_any_order_and_with_repeats(
        (history, first, second) in two_deliveries()
    ) {
        let in_order = fold(&history);
        let a = fold(&first);
        let b = fold(&second);
        prop_assert_eq!(&a, &in_order);
        prop_assert_eq!(&b, &in_order);
        prop_assert_eq!(a.participants_for_summary(), in_order.participants_for_summary());
        let json = serde_json::to_value(&a).unwrap();
        prop_assert_eq!(&json, &serde_json::to_value(&b).unwrap());
        prop_assert_eq!(serde_json::from_value::<MeetingState>(json).unwrap(), a);
    }

    #[test]
    fn the_slack_call_shows_exactly_who_is_in_by_zooms_times_until_the_end(
        (_, events, _) in two_deliveries()
    ) {
        let mut state = MeetingState::new();
        let mut call: BTreeSet<ParticipantKey> = BTreeSet::new();
        let mut joins: BTreeMap<ParticipantKey, Timestamp> = BTreeMap::new();
        let mut leaves: BTreeMap<ParticipantKey, Timestamp> = BTreeMap::new();
        let mut ended = false;
        for event in &events {
            match event {
                MeetingEvent::ParticipantJoined { participant, at, .. } => {
                    let latest = joins.entry(participant.clone()).or_insert(*at);
                    *latest = (*latest).max(*at);
                }
                MeetingEvent::ParticipantLeft { participant, at } => {
                    let latest = leaves.entry(participant.clone()).or_insert(*at);
                    *latest = (*latest).max(*at);
                }
                MeetingEvent::Ended { .. } => ended = true,
                _ => {}
            }
            for effect in state.apply(event) {
                match effect {
                    Effect::AddCallParticipants(keys) => {
                        prop_assert!(!ended, "added after the end");
                        for key in keys {
                            prop_assert!(call.insert(key));
                        }
                    }
                    Effect::RemoveCallParticipants(keys) => {
                        prop_assert!(!ended, "removed after the end");
                        for key in keys {
                            prop_assert!(call.remove(&key));
                        }
                    }
                    _ => {}
                }
            }
            if !ended {
                let present: BTreeSet<ParticipantKey> = joins
                    .iter()
                    .filter(|(key, join)| leaves.get(*key).is_none_or(|leave| *join > leave))
                    .map(|(key, _)| key.clone())
                    .collect();
                prop_assert_eq!(&call, &present);
                prop_assert_eq!(&state.in_call(), &present);
            } else {
                prop_assert!(state.in_call().is_empty());
            }
        }
    }

    #[test]
    fn the_summary_lists_each_participant_once_by_first_join(events in history()) {
        let state = fold(&events);
        let mut first_joins: BTreeMap<&ParticipantKey, Timestamp> = BTreeMap::new();
        for event in &events {
            if let MeetingEvent::ParticipantJoined { participant, at, .. } = event {
                let first = first_joins.entry(participant).or_insert(*at);
                *first = (*first).min(*at);
            }
        }
        let list = state.participants_for_summary();
        prop_assert_eq!(list.len(), first_joins.len());
        let mut expected: Vec<Timestamp> = first_joins.values().copied().collect();
        expected.sort();
        let got: Vec<Timestamp> = list.iter().map(|p| p.first_join).collect();
        prop_assert_eq!(got, expected);
        // Stretches do not overlap and stop at the end.
        if let Some((_, end)) = state.ended() {
            for p in &list {
                let most = (end.as_second() - p.first_join.as_second()).max(0);
                prop_assert!((0..=most).contains(&p.total_secs), "{p:?}");
            }
        }
    }

    #[test]
    fn several_recordings_collapse_into_one_with_every_part((history, events, _) in two_deliveries()) {
        let state = fold(&events);
        let mut parts: Vec<RecordingPart> = history
            .iter()
            .filter_map(|e| match e {
                MeetingEvent::RecordingCompleted { parts, .. } => Some(parts.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        parts.sort();
        parts.dedup();
        match state.recording() {
            Some(recording) => prop_assert_eq!(&recording.parts, &parts),
            None => prop_assert!(parts.is_empty()),
        }
    }
}
