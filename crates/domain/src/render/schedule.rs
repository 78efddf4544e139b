//! `/zoom schedule`: the card of a scheduled meeting, its reminder, and
//! the answers when the text does not schedule one.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::Message;
use super::action_id;
use super::blocks::{Button, actions, call, ephemeral, message, section};
use super::format::{format_duration, slack_date};
use super::limits;
use super::meeting::shown_topic;
use super::mrkdwn::{Md, clip, escape_mrkdwn, md, mention};
use crate::i18n::{FluentArgValue, Lang, Texts};
use crate::render::format_meeting_id;
use crate::schedule::{Problem, Reading};

/// What the card of a scheduled meeting shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduledCard<'a> {
    /// The topic (plain text; escaped and clipped here).
    pub topic: &'a str,
    /// The host's Slack user id, shown as a mention.
    pub host_slack_id: &'a str,
    pub meeting_id: u64,
    /// The participants' join link.
    pub join_url: &'a str,
    /// Only when the host's settings show it.
    pub passcode: Option<&'a str>,
    pub starts: Timestamp,
    pub duration_minutes: u32,
    /// The zone the meeting was written in: the text for clients that
    /// cannot show Slack's date token, which shows each reader their own.
    pub time_zone: &'a str,
    /// The signed link of the meeting's `.ics` file.
    pub calendar_url: &'a str,
    /// The Slack Call, once the meeting started.
    pub call_id: Option<&'a str>,
    /// Zoom said the meeting was deleted.
    pub cancelled: bool,
}

/// The reminder posted in the card's thread shortly before the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleReminder<'a> {
    pub topic: &'a str,
    pub meeting_id: u64,
    pub join_url: &'a str,
    pub starts: Timestamp,
    pub time_zone: &'a str,
    /// Zoom said the meeting was deleted after the reminder went out.
    pub cancelled: bool,
}

/// The start as a Slack date token, with the text for clients that cannot
/// show one: "Tue 8 Dec 2026, 10:00 CET" or "tis 8 dec. 2026 kl. 10:00 CET".
fn when(t: &Texts, lang: Lang, at: Timestamp, tz: &str) -> String {
    let format = t.get(lang, "schedule-slack-date", &[]);
    slack_date(at, &format, &local_text(t, lang, at, tz))
}

/// `at` in `tz` (UTC when unknown) as words, with the zone's abbreviation.
pub fn schedule_time(t: &Texts, lang: Lang, at: Timestamp, tz: &str) -> String {
    local_text(t, lang, at, tz)
}

fn local_text(t: &Texts, lang: Lang, at: Timestamp, tz: &str) -> String {
    let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
    let local = at.to_zoned(zone);
    let abbreviation = local.strftime("%Z").to_string();
    date_words(
        t,
        lang,
        local.date(),
        Some(local.time()),
        Some(&abbreviation),
    )
}

fn date_words(
    t: &Texts,
    lang: Lang,
    date: jiff::civil::Date,
    time: Option<jiff::civil::Time>,
    zone: Option<&str>,
) -> String {
    let weekday = t.get(
        lang,
        "schedule-weekday",
        &[(
            "day",
            FluentArgValue::Num(date.weekday().to_monday_one_offset().into()),
        )],
    );
    let month = t.get(
        lang,
        "date-month",
        &[("month", FluentArgValue::Num(date.month().into()))],
    );
    let day = date.day().to_string();
    let year = date.year().to_string();
    let Some(time) = time else {
        return t.get(
            lang,
            "schedule-date",
            &[
                ("weekday", FluentArgValue::Str(&weekday)),
                ("day", FluentArgValue::Str(&day)),
                ("month", FluentArgValue::Str(&month)),
                ("year", FluentArgValue::Str(&year)),
            ],
        );
    };
    let clock = match zone {
        Some(zone) => format!("{} {zone}", clock(lang, time)),
        None => clock(lang, time),
    };
    t.get(
        lang,
        "schedule-date-time",
        &[
            ("weekday", FluentArgValue::Str(&weekday)),
            ("day", FluentArgValue::Str(&day)),
            ("month", FluentArgValue::Str(&month)),
            ("year", FluentArgValue::Str(&year)),
            ("time", FluentArgValue::Str(&clock)),
        ],
    )
}

/// A time of day: `10:00` in English, `10.00` in Swedish.
fn clock(lang: Lang, time: jiff::civil::Time) -> String {
    let separator = match lang {
        Lang::En => ':',
        Lang::Sv => '.',
    };
    format!("{:02}{separator}{:02}", time.hour(), time.minute())
}

/// The card of a scheduled meeting: topic, start (each reader's own time
/// zone), duration, host, meeting ID, Join and Add to calendar; once it
/// started, the live Slack Call; once deleted in Zoom, that it was.
pub fn scheduled_card(t: &Texts, lang: Lang, card: &ScheduledCard) -> Message {
    let topic = shown_topic(t, lang, card.topic);
    let host = mention(card.host_slack_id);
    let starts = when(t, lang, card.starts, card.time_zone);
    let duration = format_duration(t, lang, i64::from(card.duration_minutes) * 60);
    let plain_time = local_text(t, lang, card.starts, card.time_zone);
    if card.cancelled {
        let lines = [
            format!("~{}~", escape_mrkdwn(&topic)),
            md(
                t,
                lang,
                "schedule-card-cancelled",
                &[("time", Md::Raw(&starts))],
            ),
        ];
        let fallback = md(
            t,
            lang,
            "schedule-card-cancelled-fallback",
            &[("topic", Md::Text(&topic)), ("time", Md::Text(&plain_time))],
        );
        return message(fallback, vec![section("schedule", lines.join("\n"))]);
    }
    let id = format_meeting_id(card.meeting_id);
    let mut lines = vec![
        format!("*{}*", escape_mrkdwn(&topic)),
        md(
            t,
            lang,
            "schedule-card-when",
            &[
                ("time", Md::Raw(&starts)),
                ("duration", Md::Text(&duration)),
            ],
        ),
        md(t, lang, "meeting-host", &[("host", Md::Raw(&host))]),
        md(t, lang, "meeting-id", &[("id", Md::Text(&id))]),
    ];
    if let Some(passcode) = card.passcode {
        let passcode = clip(passcode, 64);
        lines.push(md(
            t,
            lang,
            "meeting-passcode",
            &[("passcode", Md::Text(&passcode))],
        ));
    }
    let meeting_id = card.meeting_id.to_string();
    let mut blocks = vec![
        section("schedule", lines.join("\n")),
        actions(
            "schedule.actions",
            vec![
                Button::link(
                    t.get(lang, "meeting-join-button", &[]),
                    action_id::MEETING_JOIN,
                    card.join_url,
                )
                .with_value(&meeting_id)
                .primary(true),
                Button::link(
                    t.get(lang, "schedule-calendar-button", &[]),
                    action_id::SCHEDULE_CALENDAR,
                    card.calendar_url,
                ),
            ],
        ),
    ];
    if let Some(call_id) = card.call_id {
        blocks.push(call(call_id));
    }
    let fallback = md(
        t,
        lang,
        "schedule-card-fallback",
        &[
            ("host", Md::Raw(&host)),
            ("topic", Md::Text(&topic)),
            ("time", Md::Text(&plain_time)),
            ("url", Md::Text(card.join_url)),
        ],
    );
    message(fallback, blocks)
}

/// The reminder in the card's thread: the meeting starts soon, with Join.
pub fn schedule_reminder(t: &Texts, lang: Lang, reminder: &ScheduleReminder) -> Message {
    let topic = shown_topic(t, lang, reminder.topic);
    let starts = when(t, lang, reminder.starts, reminder.time_zone);
    let plain_time = local_text(t, lang, reminder.starts, reminder.time_zone);
    if reminder.cancelled {
        let text = md(
            t,
            lang,
            "schedule-reminder-cancelled",
            &[("topic", Md::Text(&topic))],
        );
        return message(text.clone(), vec![section("schedule.reminder", text)]);
    }
    let text = md(
        t,
        lang,
        "schedule-reminder",
        &[("topic", Md::Text(&topic)), ("time", Md::Raw(&starts))],
    );
    let meeting_id = reminder.meeting_id.to_string();
    let blocks = vec![
        section("schedule.reminder", text),
        actions(
            "schedule.reminder.actions",
            vec![
                Button::link(
                    t.get(lang, "meeting-join-button", &[]),
                    action_id::MEETING_JOIN,
                    reminder.join_url,
                )
                .with_value(&meeting_id)
                .primary(true),
            ],
        ),
    ];
    let fallback = md(
        t,
        lang,
        "schedule-reminder-fallback",
        &[
            ("topic", Md::Text(&topic)),
            ("time", Md::Text(&plain_time)),
            ("url", Md::Text(reminder.join_url)),
        ],
    );
    message(fallback, blocks)
}

/// Why `/zoom schedule` text was refused, how it was read, and examples.
pub fn schedule_refused(
    t: &Texts,
    lang: Lang,
    problem: &Problem,
    reading: &Reading,
    time_zone: &str,
) -> Message {
    let key = match problem {
        Problem::NoWhen => "schedule-error-no-when",
        Problem::NoTime => "schedule-error-no-time",
        Problem::BareHour => "schedule-error-bare-hour",
        Problem::AmbiguousDate => "schedule-error-ambiguous-date",
        Problem::NoSuchDate => "schedule-error-no-such-date",
        Problem::Skipped => "schedule-error-skipped",
        Problem::Repeated => "schedule-error-repeated",
        Problem::Past => "schedule-error-past",
        Problem::Duration => "schedule-error-duration",
    };
    let zone = clip(time_zone, limits::QUOTED_TEXT);
    let why = md(t, lang, key, &[("zone", Md::Text(&zone))]);
    let read = reading_text(t, lang, reading, &zone);
    let examples = examples(t, lang);
    let fallback = why.clone();
    ephemeral(
        fallback,
        vec![
            section("schedule.error", why),
            section("schedule.reading", read),
            section("schedule.examples", examples),
        ],
    )
}

/// How zlack read the text, part by part.
fn reading_text(t: &Texts, lang: Lang, reading: &Reading, zone: &str) -> String {
    let none = t.get(lang, "schedule-reading-none", &[]);
    let day = match reading.date {
        Some(date) => date_words(t, lang, date, None, None),
        None => none.clone(),
    };
    let time = match reading.time {
        Some(time) => clock(lang, time),
        None => none.clone(),
    };
    let duration = match reading.duration_minutes {
        Some(minutes) => format_duration(t, lang, i64::from(minutes.min(1_000_000)) * 60),
        None => t.get(
            lang,
            "schedule-reading-default-duration",
            &[(
                "duration",
                FluentArgValue::Str(&format_duration(
                    t,
                    lang,
                    i64::from(crate::schedule::DEFAULT_DURATION_MINUTES) * 60,
                )),
            )],
        ),
    };
    let topic = reading
        .topic
        .as_deref()
        .map(|s| clip(s, limits::QUOTED_TEXT).into_owned())
        .unwrap_or(none);
    let relative = reading
        .in_minutes
        .map(|m| format_duration(t, lang, m.min(1_000_000) * 60));
    let mut lines = vec![md(t, lang, "schedule-reading-title", &[])];
    if let Some(relative) = &relative {
        lines.push(md(
            t,
            lang,
            "schedule-reading-in",
            &[("duration", Md::Text(relative))],
        ));
    }
    lines.extend([
        md(t, lang, "schedule-reading-day", &[("day", Md::Text(&day))]),
        md(
            t,
            lang,
            "schedule-reading-time",
            &[("time", Md::Text(&time)), ("zone", Md::Text(zone))],
        ),
        md(
            t,
            lang,
            "schedule-reading-duration",
            &[("duration", Md::Text(&duration))],
        ),
        md(
            t,
            lang,
            "schedule-reading-topic",
            &[("topic", Md::Text(&topic))],
        ),
    ]);
    lines.join("\n")
}

fn examples(t: &Texts, lang: Lang) -> String {
    let title = md(t, lang, "schedule-examples-title", &[]);
    let list = t.get(lang, "schedule-examples", &[]);
    let mut lines = vec![title];
    lines.extend(
        list.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                format!(
                    "`{} schedule {}`",
                    escape_mrkdwn(t.command()),
                    escape_mrkdwn(l)
                )
            }),
    );
    lines.join("\n")
}

/// `/zoom schedule` with nothing after it: how to write one.
pub fn schedule_usage(t: &Texts, lang: Lang) -> Message {
    let intro = md(t, lang, "schedule-usage", &[]);
    ephemeral(
        intro.clone(),
        vec![
            section("schedule.usage", intro),
            section("schedule.examples", examples(t, lang)),
        ],
    )
}

/// Told to whoever submitted the schedule modal naming a conversation zlack
/// may not announce in for them: one they are not a member of, or whose
/// members zlack cannot read (a DM or group DM).
pub fn schedule_conversation_refused(t: &Texts, lang: Lang, channel_id: &str) -> Message {
    let channel = super::mrkdwn::channel_mention(channel_id);
    let text = md(
        t,
        lang,
        "schedule-conversation-refused",
        &[("channel", Md::Raw(&channel))],
    );
    ephemeral(text.clone(), vec![section("schedule.conversation", text)])
}

/// Told to the scheduler when their Slack time zone was unknown and the
/// meeting was read in UTC.
pub fn schedule_zone_unknown(t: &Texts, lang: Lang, starts: Timestamp) -> Message {
    let time = local_text(t, lang, starts, "UTC");
    let text = md(
        t,
        lang,
        "schedule-zone-unknown",
        &[("time", Md::Text(&time))],
    );
    ephemeral(text.clone(), vec![section("schedule.zone", text)])
}
