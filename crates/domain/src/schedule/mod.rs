//! `/zoom schedule …`: when a meeting starts, for how long, and its topic,
//! read from English or Swedish text in the user's time zone.
//!
//! The text is `[when] [duration] [topic]`:
//!
//! - when: a day and a time, or a start relative to now.
//!   - days: `today`/`idag`/`i dag`, `tomorrow`/`imorgon`/`i morgon`, a
//!     weekday in English or Swedish, whole or abbreviated (`fri`,
//!     `friday`, `fre`, `fredag`: the next such day, today included when
//!     the time is still ahead), an ISO date (`2026-12-24`), or a day and
//!     a month name (`24 dec`, `24 december`); no day means today.
//!   - times: `10:00`, `10.00`, `kl 10`, `kl. 10`, `kl 10:30`, `at 10`,
//!     `10am`, `2:30pm`.
//!   - relative: `in 10 minutes`, `in 2 hours`, `om 10 minuter`, `om 1 timme`.
//! - duration: `45m`, `45min`, `1h`, `1h30m`, `1h30`, `90 min`, `2 h`,
//!   `1 tim`, `2 timmar`; [`DEFAULT_DURATION_MINUTES`] when none.
//! - topic: the rest, as for `/zoom meeting`.
//!
//! Refused, with how the text was read ([`Reading`]):
//!
//! - an hour alone (`tomorrow 10 Sync`): it could be a time, a duration or
//!   part of the topic; `kl 10` or `10:00` says it is a time;
//! - numeric day/month dates (`3/4`, `3.4`): day-first or month-first
//!   depends on who wrote it; ISO dates and month names are not ambiguous;
//! - a local time that does not exist (the hour the clocks skip in spring)
//!   or exists twice (the hour they repeat in autumn) in the time zone;
//! - a start that is not in the future, a day without a time, dates and
//!   times that do not exist (`2026-02-30`, `25:00`), and durations
//!   outside 1 minute to [`MAX_DURATION_MINUTES`].

pub mod ics;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Span, Timestamp, Zoned};

use crate::command::text::{is_space, topic};

#[cfg(test)]
mod tests;

/// The duration of a meeting whose text names none.
pub const DEFAULT_DURATION_MINUTES: u32 = 30;
/// The longest meeting `/zoom schedule` makes: a day.
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;
/// The furthest ahead a relative start (`in 10 minutes`) may be: a year.
const MAX_RELATIVE_MINUTES: i64 = 366 * 24 * 60;

/// A meeting to schedule, as read from the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// When it starts, in the user's time zone.
    pub start: Zoned,
    /// How long it lasts, in minutes.
    pub duration_minutes: u32,
    /// The topic, as for `/zoom meeting`; `None` when empty.
    pub topic: Option<String>,
}

/// How the text was read, shown when it is refused so the user sees what
/// zlack understood.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// The day, once known.
    pub date: Option<Date>,
    /// The time of day, once known.
    pub time: Option<Time>,
    /// A start relative to now, in minutes.
    pub in_minutes: Option<i64>,
    /// The duration, once read (the default otherwise).
    pub duration_minutes: Option<u32>,
    /// What is left for the topic.
    pub topic: Option<String>,
}

/// Why a text does not schedule a meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing that says when: neither a day, a time nor `in …`.
    NoWhen,
    /// A day but no time.
    NoTime,
    /// An hour alone, without `kl`, `at` or minutes (`10`).
    BareHour,
    /// A numeric day/month date such as `3/4`.
    AmbiguousDate,
    /// A date or time that does not exist, such as `2026-02-30` or `25:00`.
    NoSuchDate,
    /// The local time falls in a gap the clocks skip.
    Skipped,
    /// The local time happens twice as the clocks go back.
    Repeated,
    /// The start is now or in the past.
    Past,
    /// The duration is not between 1 minute and a day.
    Duration,
}

/// A refused text: why, and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub problem: Problem,
    pub reading: Reading,
}

/// Reads `/zoom schedule` text (Slack-escaped, as `/zoom meeting` gets it)
/// at `now` for a user in `tz`. Never panics.
pub fn parse(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Schedule, Refusal> {
    let words: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
    let mut reading = Reading::default();
    let refuse = |problem: Problem, reading: &Reading| Refusal {
        problem,
        reading: reading.clone(),
    };
    let today = now.to_zoned(tz.clone()).date();
    let mut at = 0;
    let mut weekday = None;

    // When: relative, or a day and a time.
    if let Some((minutes, used)) = relative(&words) {
        reading.in_minutes = Some(minutes);
        at += used;
    } else {
        match day(&words, today) {
            Some(Ok((Day::Date(date), used))) => {
                reading.date = Some(date);
                at += used;
            }
            Some(Ok((Day::Weekday(w), used))) => {
                weekday = Some(w);
                reading.date = Some(next_weekday(today, w));
                at += used;
            }
            Some(Err(problem)) => {
                reading.topic = topic(&words.join(" "));
                return Err(refuse(problem, &reading));
            }
            None => {}
        }
        match time(&words[at..]) {
            Some(Ok((t, used))) => {
                reading.time = Some(t);
                at += used;
            }
            Some(Err(problem)) => {
                reading.topic = topic(&words[at..].join(" "));
                return Err(refuse(problem, &reading));
            }
            None => {
                reading.topic = topic(&words[at..].join(" "));
                let problem = if reading.date.is_some() {
                    Problem::NoTime
                } else {
                    Problem::NoWhen
                };
                return Err(refuse(problem, &reading));
            }
        }
    }
    let duration = match duration(&words[at..]) {
        Some((minutes, used)) => {
            at += used;
            reading.duration_minutes = Some(minutes);
            minutes
        }
        None => DEFAULT_DURATION_MINUTES,
    };
    reading.topic = topic(&words[at..].join(" "));
    if !(1..=MAX_DURATION_MINUTES).contains(&duration) {
        return Err(refuse(Problem::Duration, &reading));
    }

    let start = if let Some(minutes) = reading.in_minutes {
        let start = now
            .checked_add(Span::new().minutes(minutes))
            .map_err(|_| refuse(Problem::NoSuchDate, &reading))?
            .to_zoned(tz.clone());
        // Whole minutes, as a calendar shows them.
        let start = start
            .with()
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .map_err(|_| refuse(Problem::NoSuchDate, &reading))?;
        reading.date = Some(start.date());
        reading.time = Some(start.time());
        start
    } else {
        let time = reading.time.unwrap_or_default();
        let mut date = reading.date.unwrap_or(today);
        // A weekday whose time has passed today means next week's.
        if weekday.is_some()
            && date == today
            && local(tz, date, time).is_some_and(|z| z.timestamp() <= now)
        {
            date = date
                .checked_add(Span::new().days(7))
                .map_err(|_| refuse(Problem::NoSuchDate, &reading))?;
        }
        reading.date = Some(date);
        match tz
            .to_ambiguous_zoned(DateTime::from_parts(date, time))
            .offset()
        {
            AmbiguousOffset::Unambiguous { .. } => {}
            AmbiguousOffset::Gap { .. } => return Err(refuse(Problem::Skipped, &reading)),
            AmbiguousOffset::Fold { .. } => return Err(refuse(Problem::Repeated, &reading)),
        }
        local(tz, date, time).ok_or_else(|| refuse(Problem::NoSuchDate, &reading))?
    };
    if start.timestamp() <= now {
        return Err(refuse(Problem::Past, &reading));
    }
    Ok(Schedule {
        start,
        duration_minutes: duration,
        topic: reading.topic,
    })
}

/// `date` at `time` in `tz`, when it exists exactly once.
fn local(tz: &TimeZone, date: Date, time: Time) -> Option<Zoned> {
    tz.to_ambiguous_zoned(DateTime::from_parts(date, time))
        .unambiguous()
        .ok()
}

/// The next `weekday` from `today`, today included.
fn next_weekday(today: Date, weekday: Weekday) -> Date {
    let ahead =
        (weekday.to_monday_zero_offset() - today.weekday().to_monday_zero_offset()).rem_euclid(7);
    today.checked_add(Span::new().days(ahead)).unwrap_or(today)
}

enum Day {
    Date(Date),
    Weekday(Weekday),
}

/// The words, lowercased and without a trailing comma.
fn word(words: &[&str], i: usize) -> Option<String> {
    words.get(i).map(|w| w.trim_end_matches(',').to_lowercase())
}

/// A day at the start of `words`, and how many words it took.
fn day(words: &[&str], today: Date) -> Option<Result<(Day, usize), Problem>> {
    let first = word(words, 0)?;
    let second = word(words, 1);
    let plus = |days: i64, used: usize| {
        Some(
            today
                .checked_add(Span::new().days(days))
                .map(|d| (Day::Date(d), used))
                .map_err(|_| Problem::NoSuchDate),
        )
    };
    match (first.as_str(), second.as_deref()) {
        ("today" | "idag", _) => return plus(0, 1),
        ("i", Some("dag")) => return plus(0, 2),
        ("tomorrow" | "imorgon" | "imorn" | "imorrn", _) => return plus(1, 1),
        ("i", Some("morgon" | "morn" | "morrn")) => return plus(1, 2),
        _ => {}
    }
    if let Some(w) = weekday_name(&first) {
        return Some(Ok((Day::Weekday(w), 1)));
    }
    if let Some(date) = iso_date(&first) {
        return Some(date.map(|d| (Day::Date(d), 1)));
    }
    if is_numeric_day_month(&first) {
        return Some(Err(Problem::AmbiguousDate));
    }
    // `24 dec`, `24 december`, `24 dec 2027`.
    let day_of_month: i8 = first.trim_end_matches('.').parse().ok()?;
    let month = second.as_deref().and_then(month_name)?;
    let (year, used) = match word(words, 2).and_then(|y| y.parse::<i16>().ok()) {
        Some(year) if (1000..=9999).contains(&year) => (Some(year), 3),
        _ => (None, 2),
    };
    let date = match year {
        Some(year) => Date::new(year, month, day_of_month),
        None => {
            // The next such day: this year's, or next year's once it passed.
            Date::new(today.year(), month, day_of_month).and_then(|d| {
                if d < today {
                    Date::new(today.year().saturating_add(1), month, day_of_month)
                } else {
                    Ok(d)
                }
            })
        }
    };
    Some(
        date.map(|d| (Day::Date(d), used))
            .map_err(|_| Problem::NoSuchDate),
    )
}

fn weekday_name(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" | "mån" | "måndag" => Weekday::Monday,
        "tue" | "tues" | "tuesday" | "tis" | "tisdag" => Weekday::Tuesday,
        "wed" | "wednesday" | "ons" | "onsdag" => Weekday::Wednesday,
        "thu" | "thur" | "thurs" | "thursday" | "tor" | "tors" | "torsdag" => Weekday::Thursday,
        "fri" | "friday" | "fre" | "fredag" => Weekday::Friday,
        "sat" | "saturday" | "lör" | "lördag" => Weekday::Saturday,
        "sun" | "sunday" | "sön" | "söndag" => Weekday::Sunday,
        _ => return None,
    })
}

fn month_name(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.');
    Some(match word {
        "jan" | "january" | "januari" => 1,
        "feb" | "february" | "februari" => 2,
        "mar" | "march" | "mars" => 3,
        "apr" | "april" => 4,
        "may" | "maj" => 5,
        "jun" | "june" | "juni" => 6,
        "jul" | "july" | "juli" => 7,
        "aug" | "august" | "augusti" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" | "okt" | "oktober" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// `2026-12-24`: `Some(Err)` when shaped like one but not a real day.
fn iso_date(word: &str) -> Option<Result<Date, Problem>> {
    let parts: Vec<&str> = word.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    Some(Date::new(y, m, d).map_err(|_| Problem::NoSuchDate))
}

/// `3/4`, `3/4/2026`, `24/12`: day or month first is anyone's guess.
fn is_numeric_day_month(word: &str) -> bool {
    let parts: Vec<&str> = word.split('/').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A time at the start of `words`: `Some(Err)` for a bare hour or a time
/// that does not exist.
fn time(words: &[&str]) -> Option<Result<(Time, usize), Problem>> {
    let first = word(words, 0)?;
    let (text, marked, used) = match first.as_str() {
        "kl" | "kl." | "at" | "klockan" => (word(words, 1)?, true, 2),
        _ => match first
            .strip_prefix("kl.")
            .or_else(|| first.strip_prefix("kl"))
        {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
                (rest.to_owned(), true, 1)
            }
            _ => (first, false, 1),
        },
    };
    let (text, meridiem) = if let Some(t) = text.strip_suffix("am") {
        (t.to_owned(), Some(false))
    } else if let Some(t) = text.strip_suffix("pm") {
        (t.to_owned(), Some(true))
    } else {
        (text, None)
    };
    let (hour, minute) = match text.split_once([':', '.']) {
        Some((h, m)) if is_number(h, 2) && m.len() == 2 && is_number(m, 2) => {
            (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)
        }
        Some(_) => return None,
        None if is_number(&text, 2) => {
            let hour = text.parse::<i8>().ok()?;
            if !marked && meridiem.is_none() {
                // A bare number followed by a duration unit (`10 min`) is a
                // duration, not a time.
                if word(words, 1).is_some_and(|w| unit_minutes(&w).is_some()) {
                    return None;
                }
                return Some(Err(Problem::BareHour));
            }
            (hour, 0)
        }
        None => {
            return if marked {
                Some(Err(Problem::NoSuchDate))
            } else {
                None
            };
        }
    };
    let hour = match meridiem {
        Some(_) if !(1..=12).contains(&hour) => return Some(Err(Problem::NoSuchDate)),
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
        None => hour,
    };
    Some(
        Time::new(hour, minute, 0, 0)
            .map(|t| (t, used))
            .map_err(|_| Problem::NoSuchDate),
    )
}

fn is_number(s: &str, max_len: usize) -> bool {
    !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Minutes per unit word: `m`, `min`, `minutes`, `h`, `hours`, `timmar`…
fn unit_minutes(word: &str) -> Option<i64> {
    match word.trim_end_matches('.') {
        "m" | "min" | "mins" | "minute" | "minutes" | "minut" | "minuter" => Some(1),
        "h" | "hr" | "hrs" | "hour" | "hours" | "t" | "tim" | "timme" | "timmar" => Some(60),
        _ => None,
    }
}

/// `in 10 minutes`, `om 2 timmar`, `in 1h30m`: minutes from now.
fn relative(words: &[&str]) -> Option<(i64, usize)> {
    let first = word(words, 0)?;
    if first != "in" && first != "om" {
        return None;
    }
    let (minutes, used) = amount(&words[1..])?;
    (1..=MAX_RELATIVE_MINUTES)
        .contains(&minutes)
        .then_some((minutes, used + 1))
}

/// A duration at the start of `words`: `45m`, `1h30m`, `90 min`, `2 h`.
fn duration(words: &[&str]) -> Option<(u32, usize)> {
    let (first, used) = match word(words, 0)?.as_str() {
        "for" | "i" => (1, 1),
        _ => (0, 0),
    };
    let (minutes, n) = amount(&words[first..])?;
    Some((u32::try_from(minutes).unwrap_or(u32::MAX), n + used))
}

/// An amount of time: one word (`45m`, `1h30m`, `1h30`, `1,5h`) or a number
/// and a unit (`90 min`, `2 timmar`).
fn amount(words: &[&str]) -> Option<(i64, usize)> {
    let first = word(words, 0)?;
    if is_number(&first, 4) {
        let unit = unit_minutes(&word(words, 1)?)?;
        return Some((first.parse::<i64>().ok()? * unit, 2));
    }
    compact_amount(&first).map(|m| (m, 1))
}

/// `45m`, `45min`, `1h`, `1h30m`, `1h30`, `2tim`.
fn compact_amount(text: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut rest = text;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 {
            return None;
        }
        let number: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let per = match (unit, parts) {
            // `1h30`: minutes after hours need no unit.
            ("", 1) => 1,
            ("", _) => return None,
            (unit, _) => unit_minutes(unit)?,
        };
        total += number * per;
        parts += 1;
        if parts > 2 {
            return None;
        }
    }
    (parts > 0).then_some(total)
}
