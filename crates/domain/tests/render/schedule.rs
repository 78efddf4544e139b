//! The messages of `/zoom schedule`: card, reminder, refusals, usage.

use jiff::Timestamp;
use jiff::civil::{date, time};
use zlack_domain::render::{self, Message, ScheduleReminder, ScheduledCard};
use zlack_domain::schedule::{Problem, Reading};
use zlack_domain::{Lang, Texts};

use crate::catalog::Inputs;

/// Every `/zoom schedule` message, named, rendered from `i`.
pub fn messages(t: &Texts, lang: Lang, i: &Inputs) -> Vec<(&'static str, Message)> {
    let starts: Timestamp = "2026-12-08T09:00:00Z".parse().unwrap();
    let card = ScheduledCard {
        topic: i.topic,
        host_slack_id: i.host,
        meeting_id: 85_746_352_413,
        join_url: i.join_url,
        passcode: None,
        starts,
        duration_minutes: 45,
        time_zone: "Europe/Stockholm",
        calendar_url: "https://zlack.example.com/calendar/12.ics?sig=abc",
        call_id: None,
        cancelled: false,
    };
    let reminder = ScheduleReminder {
        topic: i.topic,
        meeting_id: 85_746_352_413,
        join_url: i.join_url,
        starts,
        time_zone: "America/New_York",
        cancelled: false,
    };
    let reading = Reading {
        date: Some(date(2026, 12, 8)),
        time: Some(time(10, 0, 0, 0)),
        in_minutes: None,
        duration_minutes: None,
        topic: Some(i.topic.to_owned()),
    };
    let refused = |problem: Problem, reading: &Reading| {
        render::schedule_refused(t, lang, &problem, reading, "Europe/Stockholm")
    };
    vec![
        ("schedule_card", render::scheduled_card(t, lang, &card)),
        (
            "schedule_card_live_with_passcode",
            render::scheduled_card(
                t,
                lang,
                &ScheduledCard {
                    passcode: Some(i.passcode),
                    call_id: Some("R07ABCDEF12"),
                    duration_minutes: 90,
                    ..card
                },
            ),
        ),
        (
            "schedule_card_cancelled",
            render::scheduled_card(
                t,
                lang,
                &ScheduledCard {
                    cancelled: true,
                    ..card
                },
            ),
        ),
        (
            "schedule_card_untitled",
            render::scheduled_card(t, lang, &ScheduledCard { topic: "", ..card }),
        ),
        (
            "schedule_reminder",
            render::schedule_reminder(t, lang, &reminder),
        ),
        (
            "schedule_reminder_cancelled",
            render::schedule_reminder(
                t,
                lang,
                &ScheduleReminder {
                    cancelled: true,
                    ..reminder
                },
            ),
        ),
        ("schedule_refused_past", refused(Problem::Past, &reading)),
        (
            "schedule_refused_bare_hour",
            refused(
                Problem::BareHour,
                &Reading {
                    time: None,
                    topic: Some(format!("10 {}", i.topic)),
                    ..reading.clone()
                },
            ),
        ),
        (
            "schedule_refused_no_when",
            refused(
                Problem::NoWhen,
                &Reading {
                    topic: Some(i.topic.to_owned()),
                    ..Reading::default()
                },
            ),
        ),
        (
            "schedule_refused_relative_duration",
            refused(
                Problem::Duration,
                &Reading {
                    in_minutes: Some(10),
                    duration_minutes: Some(1500),
                    ..reading.clone()
                },
            ),
        ),
        (
            "schedule_refused_skipped",
            refused(Problem::Skipped, &reading),
        ),
        (
            "schedule_refused_repeated",
            refused(Problem::Repeated, &reading),
        ),
        (
            "schedule_refused_no_time",
            refused(
                Problem::NoTime,
                &Reading {
                    time: None,
                    ..reading.clone()
                },
            ),
        ),
        (
            "schedule_refused_ambiguous_date",
            refused(Problem::AmbiguousDate, &Reading::default()),
        ),
        (
            "schedule_refused_no_such_date",
            refused(Problem::NoSuchDate, &Reading::default()),
        ),
        ("schedule_usage", render::schedule_usage(t, lang)),
        (
            "schedule_conversation_refused",
            render::schedule_conversation_refused(t, lang, i.channel),
        ),
        (
            "schedule_zone_unknown",
            render::schedule_zone_unknown(t, lang, starts),
        ),
    ]
}

#[test]
fn swedish_dates_say_kl() {
    let t = Texts::new();
    let at: Timestamp = "2026-12-08T09:00:00Z".parse().unwrap();
    assert_eq!(
        render::schedule_time(&t, Lang::Sv, at, "Europe/Stockholm"),
        "tis 8 dec. 2026 kl. 10.00 CET"
    );
    assert_eq!(
        render::schedule_time(&t, Lang::En, at, "America/New_York"),
        "Tue 8 Dec 2026, 04:00 EST"
    );
    let card = render::scheduled_card(
        &t,
        Lang::Sv,
        &ScheduledCard {
            topic: "Veckomöte",
            host_slack_id: "U1",
            meeting_id: 85_746_352_413,
            join_url: "https://zoom.us/j/85746352413",
            passcode: None,
            starts: at,
            duration_minutes: 30,
            time_zone: "Europe/Stockholm",
            calendar_url: "https://zlack.example.com/calendar/1.ics?sig=x",
            call_id: None,
            cancelled: false,
        },
    )
    .into_json();
    let text = card["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        text.contains(
            "<!date^1796720400^{date_short_pretty} kl. {time}|tis 8 dec. 2026 kl. 10.00 CET>"
        ),
        "{text}"
    );
}

fn modal(t: &Texts, lang: Lang) -> serde_json::Value {
    use zlack_domain::render::schedule_modal::{ScheduleModal, next_hour, schedule_modal};
    let zone = jiff::tz::TimeZone::get("Europe/Stockholm").unwrap();
    let starts = next_hour("2026-12-07T09:20:00Z".parse().unwrap(), &zone);
    schedule_modal(
        t,
        lang,
        &ScheduleModal {
            zone: "Europe/Stockholm",
            channel: "C0123CHAN",
            starts: &starts,
            private_metadata: r#"{"lang":"en","channel":"C0123CHAN"}"#,
        },
    )
}

#[test]
fn the_schedule_modal_matches_its_snapshot_and_slacks_model() {
    use slack_morphism::prelude::SlackBlock;
    let t = Texts::new();
    for lang in Lang::ALL {
        let view = modal(&t, lang);
        insta::assert_json_snapshot!(format!("schedule_modal.{}", lang.code()), view);
        for text in ["title", "submit", "close"] {
            let s = view[text]["text"].as_str().unwrap();
            assert!(s.chars().count() <= 24, "{text}: {s}");
        }
        let blocks = view["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 100);
        for block in blocks {
            let parsed: SlackBlock =
                serde_json::from_value(block.clone()).unwrap_or_else(|e| panic!("{e}: {block}"));
            let again = serde_json::to_value(&parsed).unwrap();
            assert_eq!(&again, block, "round trip");
        }
    }
}
