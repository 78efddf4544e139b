use jiff::civil::{date, time};
use proptest::prelude::*;

use super::*;

/// Monday 7 December 2026, 09:00 UTC: 10:00 in Stockholm, 04:00 in New York.
fn now() -> Timestamp {
    "2026-12-07T09:00:00Z".parse().unwrap()
}

fn stockholm() -> TimeZone {
    TimeZone::get("Europe/Stockholm").unwrap()
}

fn new_york() -> TimeZone {
    TimeZone::get("America/New_York").unwrap()
}

fn ok(text: &str, tz: &TimeZone) -> Schedule {
    parse(text, now(), tz).unwrap_or_else(|r| panic!("{text:?} refused: {r:?}"))
}

fn refused(text: &str, tz: &TimeZone) -> Refusal {
    match parse(text, now(), tz) {
        Ok(s) => panic!("{text:?} accepted: {s:?}"),
        Err(r) => r,
    }
}

fn starts(s: &Schedule) -> String {
    s.start.strftime("%Y-%m-%dT%H:%M %Z").to_string()
}

#[test]
fn the_forms_of_the_issue_read_in_stockholm() {
    let tz = stockholm();
    let s = ok("tomorrow 10:00 Weekly sync", &tz);
    assert_eq!(starts(&s), "2026-12-08T10:00 CET");
    assert_eq!(s.duration_minutes, 30);
    assert_eq!(s.topic.as_deref(), Some("Weekly sync"));

    let s = ok("fri 14:30 45m Design review", &tz);
    assert_eq!(starts(&s), "2026-12-11T14:30 CET");
    assert_eq!(s.duration_minutes, 45);
    assert_eq!(s.topic.as_deref(), Some("Design review"));

    let s = ok("2026-12-24 09:00 Julfika", &tz);
    assert_eq!(starts(&s), "2026-12-24T09:00 CET");
    assert_eq!(s.topic.as_deref(), Some("Julfika"));

    let s = ok("in 10 minutes Quick check", &tz);
    assert_eq!(starts(&s), "2026-12-07T10:10 CET");
    assert_eq!(s.topic.as_deref(), Some("Quick check"));

    let s = ok("i morgon kl 10 Veckomöte", &tz);
    assert_eq!(starts(&s), "2026-12-08T10:00 CET");
    assert_eq!(s.topic.as_deref(), Some("Veckomöte"));
}

#[test]
fn the_forms_of_the_issue_read_in_new_york() {
    let tz = new_york();
    assert_eq!(
        starts(&ok("tomorrow 10:00 Weekly sync", &tz)),
        "2026-12-08T10:00 EST"
    );
    assert_eq!(
        starts(&ok("fri 14:30 45m Design review", &tz)),
        "2026-12-11T14:30 EST"
    );
    assert_eq!(
        ok("2026-12-24 09:00 Julfika", &tz)
            .start
            .timestamp()
            .to_string(),
        "2026-12-24T14:00:00Z"
    );
    assert_eq!(
        starts(&ok("in 10 minutes Quick check", &tz)),
        "2026-12-07T04:10 EST"
    );
    assert_eq!(
        starts(&ok("i morgon kl 10 Veckomöte", &tz)),
        "2026-12-08T10:00 EST"
    );
}

#[test]
fn days_in_both_languages() {
    let tz = stockholm();
    for (text, day) in [
        ("today 15:00", "2026-12-07"),
        ("idag 15:00", "2026-12-07"),
        ("i dag 15:00", "2026-12-07"),
        ("Tomorrow 15:00", "2026-12-08"),
        ("imorgon 15:00", "2026-12-08"),
        ("imorn 15:00", "2026-12-08"),
        ("tue 15:00", "2026-12-08"),
        ("tisdag 15:00", "2026-12-08"),
        ("wednesday 15:00", "2026-12-09"),
        ("ons 15:00", "2026-12-09"),
        ("thu 15:00", "2026-12-10"),
        ("tors 15:00", "2026-12-10"),
        ("fredag 15:00", "2026-12-11"),
        ("lör 15:00", "2026-12-12"),
        ("Saturday 15:00", "2026-12-12"),
        ("sön 15:00", "2026-12-13"),
        ("sun 15:00", "2026-12-13"),
        ("24 dec 15:00", "2026-12-24"),
        ("24 december 15:00", "2026-12-24"),
        ("6 jan 15:00", "2027-01-06"),
        ("6 januari 2028 15:00", "2028-01-06"),
        ("15:00", "2026-12-07"),
    ] {
        assert_eq!(ok(text, &tz).start.date().to_string(), day, "{text}");
    }
}

#[test]
fn a_weekday_is_today_while_its_time_is_ahead_else_next_week() {
    let tz = stockholm();
    assert_eq!(ok("mon 11:00", &tz).start.date(), date(2026, 12, 7));
    assert_eq!(ok("måndag 09:00", &tz).start.date(), date(2026, 12, 14));
}

#[test]
fn times_in_their_forms() {
    let tz = stockholm();
    for (text, at) in [
        ("tomorrow 10:00", time(10, 0, 0, 0)),
        ("tomorrow 10.30", time(10, 30, 0, 0)),
        ("tomorrow kl 9", time(9, 0, 0, 0)),
        ("tomorrow kl. 9", time(9, 0, 0, 0)),
        ("tomorrow kl. 9.15", time(9, 15, 0, 0)),
        ("tomorrow kl9", time(9, 0, 0, 0)),
        ("tomorrow klockan 13", time(13, 0, 0, 0)),
        ("tomorrow at 7", time(7, 0, 0, 0)),
        ("tomorrow 10am", time(10, 0, 0, 0)),
        ("tomorrow 12am", time(0, 0, 0, 0)),
        ("tomorrow 12pm", time(12, 0, 0, 0)),
        ("tomorrow 2:30pm", time(14, 30, 0, 0)),
        ("tomorrow at 2pm", time(14, 0, 0, 0)),
        ("tomorrow 0:05", time(0, 5, 0, 0)),
    ] {
        assert_eq!(ok(text, &tz).start.time(), at, "{text}");
    }
}

#[test]
fn durations_in_their_forms() {
    let tz = stockholm();
    for (text, minutes) in [
        ("tomorrow 10:00", 30),
        ("tomorrow 10:00 45m", 45),
        ("tomorrow 10:00 45min", 45),
        ("tomorrow 10:00 1h", 60),
        ("tomorrow 10:00 1h30m", 90),
        ("tomorrow 10:00 1h30", 90),
        ("tomorrow 10:00 90 min", 90),
        ("tomorrow 10:00 2 h", 120),
        ("tomorrow 10:00 2 timmar", 120),
        ("tomorrow 10:00 1 tim", 60),
        ("tomorrow 10:00 for 20 minutes", 20),
        ("i morgon kl 10 i 45 minuter", 45),
    ] {
        let s = ok(text, &tz);
        assert_eq!(s.duration_minutes, minutes, "{text}");
        assert_eq!(s.topic, None, "{text}");
    }
}

#[test]
fn relative_starts() {
    let tz = stockholm();
    assert_eq!(starts(&ok("in 2 hours", &tz)), "2026-12-07T12:00 CET");
    assert_eq!(
        starts(&ok("om 10 minuter Avstämning", &tz)),
        "2026-12-07T10:10 CET"
    );
    assert_eq!(starts(&ok("om 1 timme", &tz)), "2026-12-07T11:00 CET");
    assert_eq!(
        starts(&ok("in 1h30m 15m Check", &tz)),
        "2026-12-07T11:30 CET"
    );
    let s = ok("in 1h30m 15m Check", &tz);
    assert_eq!(s.duration_minutes, 15);
    // Seconds are dropped: meetings start on the minute.
    let now = "2026-12-07T09:00:42Z".parse().unwrap();
    let s = parse("in 5 min", now, &tz).unwrap();
    assert_eq!(s.start.timestamp().to_string(), "2026-12-07T09:05:00Z");
}

#[test]
fn topics_are_unescaped_and_kept() {
    let tz = stockholm();
    let s = ok("tomorrow 10:00 R&amp;D &lt;plan&gt;  review", &tz);
    assert_eq!(s.topic.as_deref(), Some("R&D <plan> review"));
    // A topic may start with a word that looks like a unit.
    let s = ok("tomorrow 10:00 for the team", &tz);
    assert_eq!(s.topic.as_deref(), Some("for the team"));
    assert_eq!(s.duration_minutes, 30);
}

#[test]
fn refusals_show_the_reading() {
    let tz = stockholm();
    let r = refused("tomorrow 10 Sync", &tz);
    assert_eq!(r.problem, Problem::BareHour);
    assert_eq!(r.reading.date, Some(date(2026, 12, 8)));
    assert_eq!(r.reading.topic.as_deref(), Some("10 Sync"));

    let r = refused("3/4 10:00 Sync", &tz);
    assert_eq!(r.problem, Problem::AmbiguousDate);

    let r = refused("tomorrow Sync", &tz);
    assert_eq!(r.problem, Problem::NoTime);
    assert_eq!(r.reading.date, Some(date(2026, 12, 8)));
    assert_eq!(r.reading.topic.as_deref(), Some("Sync"));

    let r = refused("Weekly sync", &tz);
    assert_eq!(r.problem, Problem::NoWhen);
    assert_eq!(r.reading.topic.as_deref(), Some("Weekly sync"));

    let r = refused("09:00 Standup", &tz);
    assert_eq!(r.problem, Problem::Past);
    assert_eq!(r.reading.date, Some(date(2026, 12, 7)));
    assert_eq!(r.reading.time, Some(time(9, 0, 0, 0)));

    assert_eq!(refused("2026-12-01 10:00", &tz).problem, Problem::Past);
    assert_eq!(refused("today 10:00", &tz).problem, Problem::Past);
    assert_eq!(
        refused("2026-02-30 10:00", &tz).problem,
        Problem::NoSuchDate
    );
    assert_eq!(refused("tomorrow 25:00", &tz).problem, Problem::NoSuchDate);
    assert_eq!(refused("tomorrow 10:61", &tz).problem, Problem::NoSuchDate);
    assert_eq!(refused("tomorrow 13pm", &tz).problem, Problem::NoSuchDate);
    assert_eq!(
        refused("tomorrow 10:00 25h", &tz).problem,
        Problem::Duration
    );
    assert_eq!(refused("tomorrow 10:00 0m", &tz).problem, Problem::Duration);
    assert_eq!(refused("", &tz).problem, Problem::NoWhen);
    assert_eq!(refused("in 0 minutes", &tz).problem, Problem::NoWhen);
}

#[test]
fn clock_changes_are_refused() {
    let tz = stockholm();
    // 29 March 2027: 02:00–03:00 does not happen in Stockholm.
    let r = refused("2027-03-28 02:30 Night", &tz);
    assert_eq!(r.problem, Problem::Skipped);
    assert_eq!(r.reading.time, Some(time(2, 30, 0, 0)));
    // 31 October 2027: 02:00–03:00 happens twice.
    assert_eq!(refused("2027-10-31 02:30", &tz).problem, Problem::Repeated);
    // New York: 14 March 2027 skips 02:00–03:00, 7 November repeats 01:00–02:00.
    assert_eq!(
        refused("2027-03-14 02:15", &new_york()).problem,
        Problem::Skipped
    );
    assert_eq!(
        refused("2027-11-07 01:30", &new_york()).problem,
        Problem::Repeated
    );
    // Either side of a change is fine.
    assert_eq!(
        ok("2027-03-28 03:00", &tz).start.timestamp().to_string(),
        "2027-03-28T01:00:00Z"
    );
}

proptest! {
    #[test]
    fn never_panics(text in "\\PC{0,60}") {
        let _ = parse(&text, now(), &stockholm());
    }

    #[test]
    fn never_panics_on_near_miss_words(words in proptest::collection::vec(
        prop_oneof![
            Just("kl"), Just("kl."), Just("in"), Just("om"), Just("i"), Just("morgon"),
            Just("9999-99-99"), Just("0000-01-01"), Just("99999999m"), Just("1h99999"),
            Just("12pm"), Just("0am"), Just("31"), Just("feb"), Just("3/4"), Just("10:00"),
            Just("fri"), Just("for"), Just("9999"), Just("h"), Just("&amp;"), Just("<@U1>"),
        ],
        0..8,
    )) {
        let text = words.join(" ");
        if let Ok(s) = parse(&text, now(), &stockholm()) {
            prop_assert!(s.start.timestamp() > now());
            prop_assert!((1..=MAX_DURATION_MINUTES).contains(&s.duration_minutes));
        }
    }
}
