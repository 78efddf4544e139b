//! Meeting notices: the end summary, the recording, the AI Companion
//! summary and their host DM wrapper.

use jiff::SignedDuration;
use serde_json::Value;
use zlack_domain::meeting::{RecordingPart, SummaryParticipant, Timestamp};
use zlack_domain::render::{
    self, AiSummaryNotice, ConversationRef, EndSummary, HostDm, Message, RecordingNotice,
};
use zlack_domain::{Lang, Texts};

use crate::catalog::{Inputs, NORMAL_EN, normal};

const SHARE_URL: &str = "https://us05web.zoom.us/rec/share/AbC.dEf";

/// 2026-11-27 15:00 UTC plus `secs`.
fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_795_791_600 + secs).unwrap()
}

fn person(name: String, first_join: Timestamp) -> SummaryParticipant {
    SummaryParticipant {
        name,
        email: Some("someone@example.com".to_owned()),
        first_join,
        total_secs: 600,
    }
}

/// The reader's zone for each language's snapshots.
fn zone(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "America/New_York",
        Lang::Sv => "Europe/Stockholm",
    }
}

fn parts() -> Vec<RecordingPart> {
    let part = |kind: &str, start: i64, minutes: i64, size_bytes| RecordingPart {
        start: at(start),
        end: at(start) + SignedDuration::from_mins(minutes),
        kind: kind.to_owned(),
        size_bytes,
    };
    vec![
        part("audio_only", 0, 34, 8_420_000),
        part("shared_screen_with_speaker_view(CC)", 0, 34, 125_829_120),
        part("chat_file", 0, 0, 2_048),
        part("a_kind_zoom_adds_later", 2400, 5, 999),
    ]
}

/// Every meeting notice, named, rendered from `i`.
pub fn messages(t: &Texts, lang: Lang, i: &Inputs) -> Vec<(&'static str, Message)> {
    let people = vec![
        person(i.display_name.to_owned(), at(0)),
        person("Bo Ek".to_owned(), at(60)),
        person(String::new(), at(90)),
    ];
    let crowd: Vec<SummaryParticipant> = (1..=60)
        .map(|n| person(format!("{} {n}", i.display_name), at(n)))
        .collect();
    let summary = EndSummary {
        topic: i.topic,
        host_slack_id: i.host,
        start: at(0),
        end: at(34 * 60 + 10),
        duration_secs: 34 * 60 + 10,
        participants: &people,
    };
    // 23:30 to 01:05 UTC the next day, read in a zone nobody has.
    let overnight = EndSummary {
        start: at(8 * 3600 + 30 * 60),
        end: at(10 * 3600 + 5 * 60),
        duration_secs: 95 * 60,
        participants: &crowd,
        ..summary
    };
    let parts = parts();
    let recording = RecordingNotice {
        topic: i.topic,
        share_url: SHARE_URL,
        parts: &parts,
        passcode: None,
    };
    let with_passcode = RecordingNotice {
        passcode: Some(i.passcode),
        ..recording
    };
    let steps = vec![
        format!("{}: send the notes", i.display_name),
        i.summary.to_owned(),
    ];
    let ai = AiSummaryNotice {
        topic: i.topic,
        title: i.summary_title,
        overview: Some(i.summary),
        next_steps: &steps,
    };
    let channel = render::conversation_label(
        t,
        lang,
        &ConversationRef::Channel {
            channel_id: i.channel,
        },
    );
    let dm = render::conversation_label(
        t,
        lang,
        &ConversationRef::DirectMessage {
            with_user_id: i.user,
        },
    );
    let members = [i.user.to_owned(), i.host.to_owned()];
    let group =
        render::conversation_label(t, lang, &ConversationRef::GroupDm { user_ids: &members });
    let host_dm = |label: &str, invite: bool, inner: Message| {
        let dm = HostDm {
            conversation_label: label,
            invite_app: invite.then_some(i.user),
        };
        render::host_dm_notice(t, lang, &dm, inner)
    };
    vec![
        (
            "end_summary",
            render::end_summary(t, lang, zone(lang), &summary),
        ),
        (
            "end_summary_overnight_unknown_zone_many_people",
            render::end_summary(t, lang, "Nowhere/Unknown", &overnight),
        ),
        (
            "end_summary_no_participants",
            render::end_summary(
                t,
                lang,
                zone(lang),
                &EndSummary {
                    participants: &[],
                    ..summary
                },
            ),
        ),
        (
            "recording_notice",
            render::recording_notice(t, lang, &recording),
        ),
        (
            "recording_notice_with_passcode",
            render::recording_notice(t, lang, &with_passcode),
        ),
        (
            "recording_notice_without_parts",
            render::recording_notice(
                t,
                lang,
                &RecordingNotice {
                    parts: &[],
                    ..recording
                },
            ),
        ),
        ("ai_summary", render::ai_summary(t, lang, &ai)),
        (
            "ai_summary_title_only",
            render::ai_summary(
                t,
                lang,
                &AiSummaryNotice {
                    overview: None,
                    next_steps: &[],
                    ..ai
                },
            ),
        ),
        (
            "host_dm_channel_recording",
            host_dm(
                &channel,
                true,
                render::recording_notice(t, lang, &with_passcode),
            ),
        ),
        (
            "host_dm_direct_message_summary",
            host_dm(
                &dm,
                false,
                render::end_summary(t, lang, zone(lang), &summary),
            ),
        ),
        (
            "host_dm_group_chat_ai_summary",
            host_dm(&group, true, render::ai_summary(t, lang, &ai)),
        ),
        (
            "host_dm_some_direct_message_summary",
            host_dm(
                &render::conversation_label(t, lang, &ConversationRef::SomeDirectMessage),
                false,
                render::end_summary(t, lang, zone(lang), &summary),
            ),
        ),
        (
            "host_dm_some_group_chat_recording",
            host_dm(
                &render::conversation_label(t, lang, &ConversationRef::SomeGroupDm),
                true,
                render::recording_notice(t, lang, &with_passcode),
            ),
        ),
    ]
}

fn rendered(lang: Lang, name: &str) -> Value {
    let t = Texts::new();
    messages(&t, lang, normal(lang))
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, payload)| payload.into_json())
        .unwrap()
}

#[test]
fn the_recording_passcode_appears_only_when_given() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for (name, payload) in messages(&t, lang, &NORMAL_EN) {
            let json = payload.to_string();
            let given = matches!(
                name,
                "recording_notice_with_passcode"
                    | "host_dm_channel_recording"
                    | "host_dm_some_group_chat_recording"
            );
            assert_eq!(json.contains(NORMAL_EN.passcode), given, "{name}: {json}");
        }
    }
}

#[test]
fn a_long_participant_list_ends_in_a_count_of_the_rest() {
    for (lang, more) in [(Lang::En, " and 10 more"), (Lang::Sv, " och 10 till")] {
        let payload = rendered(lang, "end_summary_overnight_unknown_zone_many_people");
        let list = payload["blocks"][1]["text"]["text"].as_str().unwrap();
        assert!(
            list.ends_with(&format!("{} 50{more}", normal(lang).display_name)),
            "{list}"
        );
    }
}

#[test]
fn an_unknown_time_zone_is_shown_as_utc_with_both_dates() {
    let payload = rendered(Lang::En, "end_summary_overnight_unknown_zone_many_people");
    let text = payload["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        text.contains("|27 Nov 2026, 23:30 UTC> – <!date^")
            && text.contains(
                "^{date_short_pretty} {time}|28 Nov 2026, 01:05 UTC>\nDuration: 1 h 35 min"
            ),
        "{text}"
    );
}

#[test]
fn summary_times_are_slack_date_tokens_each_reader_sees_in_their_zone() {
    let payload = rendered(Lang::En, "end_summary");
    let text = payload["blocks"][0]["text"]["text"].as_str().unwrap();
    let start = text.find("<!date^").expect("a date token");
    let token = &text[start..];
    assert!(
        token.starts_with("<!date^") && token.contains("^{date_short_pretty} {time}|"),
        "{text}"
    );
    // Same day: the end shows only the clock time.
    assert!(
        text.contains("> – <!date^") && text.contains("^{time}|"),
        "{text}"
    );
}

#[test]
fn the_host_dm_names_the_conversation_before_the_notice() {
    let payload = rendered(Lang::Sv, "host_dm_channel_recording");
    let first = payload["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        first.starts_with("Det här gäller ditt möte i <#C0123CHAN>.\n"),
        "{first}"
    );
    assert!(first.contains("/invite <@U0456EFGH>"), "{first}");
    let inner = rendered(Lang::Sv, "recording_notice_with_passcode");
    assert_eq!(payload["text"], inner["text"]);
    let blocks = payload["blocks"].as_array().unwrap();
    assert_eq!(blocks[1..], inner["blocks"].as_array().unwrap()[..]);
}
