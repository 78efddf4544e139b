//! The schedule modal (`/zoom schedule` with nothing after it): topic,
//! date, time, duration, time zone and the conversation to announce in.
//! [`parse`] reads a submission back, checking the same things the text
//! form does (a start in the future that exists exactly once in its zone).

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, Zoned};
use serde_json::{Value, json};

use super::mrkdwn::clip;
use super::settings_modal::{MODAL_TEXT, plain};
use crate::command::TOPIC_MAX_CHARS;
use crate::i18n::{FluentArgValue, Lang, Texts};
use crate::schedule::{DEFAULT_DURATION_MINUTES, MAX_DURATION_MINUTES};

/// The modal's `callback_id`.
pub const CALLBACK_ID: &str = "zlack.schedule";

/// The input blocks; each holds one element whose `action_id` is
/// [`ELEMENT`].
pub mod block {
    pub const TOPIC: &str = "schedule.topic";
    pub const DATE: &str = "schedule.date";
    pub const TIME: &str = "schedule.time";
    pub const DURATION: &str = "schedule.duration";
    pub const ZONE: &str = "schedule.zone";
    pub const CONVERSATION: &str = "schedule.conversation";
}

/// The `action_id` of each input's element.
pub const ELEMENT: &str = "value";

/// The durations offered, in minutes.
pub const DURATIONS: [u32; 8] = [15, 30, 45, 60, 90, 120, 180, 240];

/// Time zones offered besides the user's own, west to east.
pub const ZONES: [&str; 30] = [
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "Atlantic/Reykjavik",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Copenhagen",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Johannesburg",
];

/// What the modal shows.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleModal<'a> {
    /// The user's time zone (preselected).
    pub zone: &'a str,
    /// The conversation the command was typed in (preselected).
    pub channel: &'a str,
    /// The date and time preselected: the next whole hour in `zone`.
    pub starts: &'a Zoned,
    /// Kept in the view for the submission's answer (never secret).
    pub private_metadata: &'a str,
}

fn option(text: &str, value: &str) -> Value {
    json!({"text": plain(text, 75), "value": value})
}

fn input(t: &Texts, lang: Lang, block_id: &str, label: &str, element: Value) -> Value {
    json!({
        "type": "input",
        "block_id": block_id,
        "label": plain(&t.get(lang, label, &[]), 2000),
        "element": element,
    })
}

/// The modal view for `views.open`.
pub fn schedule_modal(t: &Texts, lang: Lang, modal: &ScheduleModal) -> Value {
    let duration_label = |m: u32| super::format_duration(t, lang, i64::from(m) * 60);
    let durations: Vec<Value> = DURATIONS
        .iter()
        .map(|m| option(&duration_label(*m), &m.to_string()))
        .collect();
    let initial_duration = option(
        &duration_label(DEFAULT_DURATION_MINUTES),
        &DEFAULT_DURATION_MINUTES.to_string(),
    );
    let mut zones: Vec<&str> = vec![modal.zone];
    zones.extend(ZONES.iter().filter(|z| **z != modal.zone));
    let zone_options: Vec<Value> = zones.iter().map(|z| option(z, z)).collect();
    let topic = input(
        t,
        lang,
        block::TOPIC,
        "schedule-modal-topic",
        json!({
            "type": "plain_text_input",
            "action_id": ELEMENT,
            "max_length": TOPIC_MAX_CHARS,
            "placeholder": plain(&t.get(lang, "schedule-modal-topic-placeholder", &[]), 150),
        }),
    );
    let mut topic = topic;
    topic["optional"] = true.into();
    let starts = modal.starts;
    json!({
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": modal.private_metadata,
        "title": plain(&t.get(lang, "schedule-modal-title", &[]), MODAL_TEXT),
        "submit": plain(&t.get(lang, "schedule-modal-submit", &[]), MODAL_TEXT),
        "close": plain(&t.get(lang, "schedule-modal-close", &[]), MODAL_TEXT),
        "blocks": [
            topic,
            input(t, lang, block::DATE, "schedule-modal-date", json!({
                "type": "datepicker",
                "action_id": ELEMENT,
                "initial_date": starts.date().to_string(),
            })),
            input(t, lang, block::TIME, "schedule-modal-time", json!({
                "type": "timepicker",
                "action_id": ELEMENT,
                "initial_time": format!("{:02}:{:02}", starts.hour(), starts.minute()),
            })),
            input(t, lang, block::DURATION, "schedule-modal-duration", json!({
                "type": "static_select",
                "action_id": ELEMENT,
                "options": durations,
                "initial_option": initial_duration,
            })),
            input(t, lang, block::ZONE, "schedule-modal-zone", json!({
                "type": "static_select",
                "action_id": ELEMENT,
                "options": zone_options,
                "initial_option": option(modal.zone, modal.zone),
            })),
            input(t, lang, block::CONVERSATION, "schedule-modal-conversation", conversations(modal.channel)),
        ],
    })
}

/// The conversation picker: channels only, since the submission announces
/// only in a channel the submitter is a member of (the members of DMs and
/// group DMs are not readable to the app); the conversation the command
/// was typed in preselected unless it is a DM.
fn conversations(channel: &str) -> Value {
    let mut select = json!({
        "type": "conversations_select",
        "action_id": ELEMENT,
        "filter": {"include": ["public", "private"], "exclude_bot_users": true},
    });
    if !channel.is_empty() && !channel.starts_with('D') {
        select["initial_conversation"] = channel.into();
    }
    select
}

/// The next whole hour after `now` in `zone`, the modal's preselected start.
pub fn next_hour(now: Timestamp, zone: &TimeZone) -> Zoned {
    let local = now.to_zoned(zone.clone());
    let hour = local
        .with()
        .minute(0)
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .unwrap_or(local);
    hour.checked_add(jiff::Span::new().hours(1)).unwrap_or(hour)
}

/// A submission, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub topic: Option<String>,
    pub start: Zoned,
    pub duration_minutes: u32,
    /// The conversation to announce in.
    pub channel: String,
}

/// Why a field does not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Missing,
    NotAChoice,
    Past,
    Skipped,
    Repeated,
}

fn element<'a>(values: &'a Value, block_id: &str) -> &'a Value {
    &values[block_id][ELEMENT]
}

/// Reads the submitted `values` at `now`: the meeting, or each field's
/// problem by block id.
pub fn parse(values: &Value, now: Timestamp) -> Result<Submission, Vec<(String, FieldError)>> {
    let mut errors = Vec::new();
    let mut fail = |block_id: &str, error: FieldError| errors.push((block_id.to_owned(), error));
    let topic = element(values, block::TOPIC)["value"]
        .as_str()
        .and_then(|t| crate::command::text::topic(&crate::render::escape_mrkdwn(t)));
    let date = element(values, block::DATE)["selected_date"]
        .as_str()
        .and_then(|d| d.parse::<Date>().ok());
    let time = element(values, block::TIME)["selected_time"]
        .as_str()
        .and_then(|t| t.parse::<Time>().ok());
    let duration = element(values, block::DURATION)["selected_option"]["value"]
        .as_str()
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| (1..=MAX_DURATION_MINUTES).contains(d));
    let zone = element(values, block::ZONE)["selected_option"]["value"]
        .as_str()
        .and_then(|z| TimeZone::get(z).ok());
    let channel = element(values, block::CONVERSATION)["selected_conversation"]
        .as_str()
        .filter(|c| !c.is_empty() && c.len() <= 32 && c.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_owned);
    if date.is_none() {
        fail(block::DATE, FieldError::Missing);
    }
    if time.is_none() {
        fail(block::TIME, FieldError::Missing);
    }
    if duration.is_none() {
        fail(block::DURATION, FieldError::NotAChoice);
    }
    if zone.is_none() {
        fail(block::ZONE, FieldError::NotAChoice);
    }
    if channel.is_none() {
        fail(block::CONVERSATION, FieldError::Missing);
    }
    let (Some(date), Some(time), Some(duration), Some(zone), Some(channel)) =
        (date, time, duration, zone, channel)
    else {
        return Err(errors);
    };
    let civil = DateTime::from_parts(date, time);
    let ambiguous = zone.to_ambiguous_zoned(civil);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => {}
        AmbiguousOffset::Gap { .. } => return Err(vec![(block::TIME.into(), FieldError::Skipped)]),
        AmbiguousOffset::Fold { .. } => {
            return Err(vec![(block::TIME.into(), FieldError::Repeated)]);
        }
    }
    let Ok(start) = ambiguous.unambiguous() else {
        return Err(vec![(block::TIME.into(), FieldError::Skipped)]);
    };
    if start.timestamp() <= now {
        return Err(vec![(block::TIME.into(), FieldError::Past)]);
    }
    Ok(Submission {
        topic,
        start,
        duration_minutes: duration,
        channel,
    })
}

/// The errors to show next to the fields, in `lang`.
pub fn error_texts(
    t: &Texts,
    lang: Lang,
    errors: &[(String, FieldError)],
    zone: &str,
) -> Vec<(String, String)> {
    let zone = clip(zone, 100);
    errors
        .iter()
        .map(|(block, error)| {
            let key = match error {
                FieldError::Missing => "schedule-modal-error-missing",
                FieldError::NotAChoice => "schedule-modal-error-choice",
                FieldError::Past => "schedule-error-past",
                FieldError::Skipped => "schedule-error-skipped",
                FieldError::Repeated => "schedule-error-repeated",
            };
            (
                block.clone(),
                t.get(lang, key, &[("zone", FluentArgValue::Str(&zone))]),
            )
        })
        .collect()
}

/// The zone a submission names, for its error texts.
pub fn submitted_zone(values: &Value) -> String {
    element(values, block::ZONE)["selected_option"]["value"]
        .as_str()
        .unwrap_or("UTC")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-07T09:00:00Z".parse().unwrap()
    }

    fn values(date: &str, time: &str, zone: &str) -> Value {
        json!({
            block::TOPIC: {ELEMENT: {"type": "plain_text_input", "value": "Weekly  sync"}},
            block::DATE: {ELEMENT: {"type": "datepicker", "selected_date": date}},
            block::TIME: {ELEMENT: {"type": "timepicker", "selected_time": time}},
            block::DURATION: {ELEMENT: {"type": "static_select", "selected_option": {"value": "45"}}},
            block::ZONE: {ELEMENT: {"type": "static_select", "selected_option": {"value": zone}}},
            block::CONVERSATION: {ELEMENT: {"type": "conversations_select", "selected_conversation": "C0PUBLIC"}},
        })
    }

    #[test]
    fn the_picker_offers_channels_and_preselects_no_dm() {
        let t = Texts::new();
        let starts = next_hour(now(), &TimeZone::UTC);
        let picker = |channel: &str| {
            let view = schedule_modal(
                &t,
                Lang::En,
                &ScheduleModal {
                    zone: "UTC",
                    channel,
                    starts: &starts,
                    private_metadata: "{}",
                },
            );
            view["blocks"][5]["element"].clone()
        };
        let from_channel = picker("C0PUBLIC");
        assert_eq!(from_channel["initial_conversation"], "C0PUBLIC");
        assert_eq!(
            from_channel["filter"]["include"],
            json!(["public", "private"])
        );
        let from_dm = picker("D0DIRECT");
        assert!(from_dm.get("initial_conversation").is_none(), "{from_dm}");
        assert!(from_dm.get("default_to_current_conversation").is_none());
    }

    #[test]
    fn a_submission_reads_as_a_meeting_in_its_zone() {
        let s = parse(&values("2026-12-08", "10:00", "America/New_York"), now()).unwrap();
        assert_eq!(s.start.timestamp().to_string(), "2026-12-08T15:00:00Z");
        assert_eq!(s.duration_minutes, 45);
        assert_eq!(s.topic.as_deref(), Some("Weekly sync"));
        assert_eq!(s.channel, "C0PUBLIC");
    }

    #[test]
    fn past_skipped_and_repeated_times_are_errors_on_the_time() {
        let err = |d: &str, t: &str| parse(&values(d, t, "Europe/Stockholm"), now()).unwrap_err();
        assert_eq!(
            err("2026-12-07", "09:30"),
            [(block::TIME.into(), FieldError::Past)]
        );
        assert_eq!(
            err("2027-03-28", "02:30"),
            [(block::TIME.into(), FieldError::Skipped)]
        );
        assert_eq!(
            err("2027-10-31", "02:30"),
            [(block::TIME.into(), FieldError::Repeated)]
        );
    }

    #[test]
    fn missing_and_forged_fields_are_errors_on_their_blocks() {
        let mut v = values("2026-12-08", "10:00", "Mars/Olympus");
        v[block::DATE][ELEMENT]["selected_date"] = Value::Null;
        v[block::DURATION][ELEMENT]["selected_option"]["value"] = "99999".into();
        v[block::CONVERSATION][ELEMENT]["selected_conversation"] = "C1; DROP".into();
        let errors = parse(&v, now()).unwrap_err();
        let blocks: Vec<&str> = errors.iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(
            blocks,
            [
                block::DATE,
                block::DURATION,
                block::ZONE,
                block::CONVERSATION
            ]
        );
        assert!(parse(&json!(null), now()).is_err());
    }

    #[test]
    fn the_preselected_start_is_the_next_whole_hour() {
        let zone = TimeZone::get("Europe/Stockholm").unwrap();
        let at: Timestamp = "2026-12-07T09:20:00Z".parse().unwrap();
        assert_eq!(
            next_hour(at, &zone).strftime("%Y-%m-%d %H:%M").to_string(),
            "2026-12-07 11:00"
        );
    }
}
