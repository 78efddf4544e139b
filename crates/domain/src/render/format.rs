//! Dates, durations, file sizes and cut-short lists, in the reader's
//! language.

use jiff::Zoned;
use jiff::tz::{TimeZone, TimeZoneDatabase};

use super::mrkdwn::escape_mrkdwn;
use crate::i18n::{FluentArgValue, Lang, Texts};
use crate::meeting::Timestamp;

/// `at` in the reader's time zone `tz` (an IANA name such as
/// `Europe/Stockholm`): "27 Nov 2026, 16:00" in English, "27 nov. 2026
/// 16:00" in Swedish, 24-hour clock in both. An unknown zone falls back to
/// UTC and says so ("27 Nov 2026, 15:00 UTC"). The zones come from the
/// time zone database built into the binary, not from the system.
pub fn format_date_time(t: &Texts, lang: Lang, at: Timestamp, tz: &str) -> String {
    let (local, utc) = local(at, tz);
    date_time(t, lang, &local, utc)
}

/// `start` and `end` for "Time: … – …": the end is only the clock time
/// when it falls on the same local day ("27 Nov 2026, 16:00" and "16:34").
pub(crate) fn time_range(
    t: &Texts,
    lang: Lang,
    start: Timestamp,
    end: Timestamp,
    tz: &str,
) -> (String, String) {
    let (from, utc) = local(start, tz);
    let (to, _) = local(end, tz);
    let end = if from.date() == to.date() {
        clock(&to, utc)
    } else {
        date_time(t, lang, &to, utc)
    };
    (date_time(t, lang, &from, utc), end)
}

/// Whether `start` and `end` fall on the same day in `tz` (UTC when the
/// zone is unknown), as [`time_range`] decides.
pub(crate) fn same_local_day(start: Timestamp, end: Timestamp, tz: &str) -> bool {
    local(start, tz).0.date() == local(end, tz).0.date()
}

/// `at` as a Slack date token in `format` (such as `{date_short_pretty}
/// {time}`): every reader sees it in their own time zone, and clients that
/// cannot show it show `fallback`.
pub(crate) fn slack_date(at: Timestamp, format: &str, fallback: &str) -> String {
    let fallback = escape_mrkdwn(fallback).replace('|', "/");
    format!("<!date^{}^{format}|{fallback}>", at.as_second())
}

fn local(at: Timestamp, tz: &str) -> (Zoned, bool) {
    match TimeZoneDatabase::bundled().get(tz) {
        Ok(zone) => (at.to_zoned(zone), false),
        Err(_) => (at.to_zoned(TimeZone::UTC), true),
    }
}

fn clock(at: &Zoned, utc: bool) -> String {
    let suffix = if utc { " UTC" } else { "" };
    format!("{:02}:{:02}{suffix}", at.hour(), at.minute())
}

fn date_time(t: &Texts, lang: Lang, at: &Zoned, utc: bool) -> String {
    let month = t.get(
        lang,
        "date-month",
        &[("month", FluentArgValue::Num(at.month().into()))],
    );
    let day = at.day().to_string();
    let year = at.year().to_string();
    let time = clock(at, utc);
    t.get(
        lang,
        "date-time",
        &[
            ("day", FluentArgValue::Str(&day)),
            ("month", FluentArgValue::Str(&month)),
            ("year", FluentArgValue::Str(&year)),
            ("time", FluentArgValue::Str(&time)),
        ],
    )
}

/// A duration as people say it: "45 s" under a minute, else rounded to the
/// minute: "34 min", "1 h", "1 h 5 min" ("1 tim 5 min" in Swedish).
/// Negative durations count as zero.
pub fn format_duration(t: &Texts, lang: Lang, secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 60 {
        return t.get(lang, "duration-seconds", &[("seconds", secs.into())]);
    }
    let minutes = (secs + 30) / 60;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    match (hours, minutes) {
        (0, minutes) => t.get(lang, "duration-minutes", &[("minutes", minutes.into())]),
        (hours, 0) => t.get(lang, "duration-hours", &[("hours", hours.into())]),
        (hours, minutes) => t.get(
            lang,
            "duration-hours-minutes",
            &[("hours", hours.into()), ("minutes", minutes.into())],
        ),
    }
}

/// A file size in decimal units, one decimal under 10: "850 kB", "8.4 MB",
/// "126 MB"; Swedish writes a decimal comma ("8,4 MB").
pub(crate) fn format_size(lang: Lang, bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    let number = if unit == 0 || value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    let number = match lang {
        Lang::En => number,
        Lang::Sv => number.replace('.', ","),
    };
    format!("{number} {}", UNITS[unit])
}

/// How a cut-short list is laid out.
pub(crate) struct ListShape {
    /// Between two items: ", " or "\n".
    pub(crate) separator: &'static str,
    /// Before "and N more": " " or "\n".
    pub(crate) before_more: &'static str,
    /// The most items shown.
    pub(crate) max_items: usize,
    /// The most characters in all.
    pub(crate) budget: usize,
}

/// `items` (mrkdwn) joined, cut to the shape's item count and character
/// budget, ending in "and N more" when cut.
pub(crate) fn bounded_list(t: &Texts, lang: Lang, items: &[String], shape: &ListShape) -> String {
    let more = |count: usize| {
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        let text = t.get(lang, "list-more", &[("count", count.into())]);
        format!("{}{}", shape.before_more, escape_mrkdwn(&text))
    };
    let reserve = more(items.len()).chars().count();
    let mut out = String::new();
    let mut used = 0;
    let mut shown = 0;
    for (i, item) in items.iter().enumerate() {
        let separator = if shown == 0 { "" } else { shape.separator };
        let add = separator.chars().count() + item.chars().count();
        let last = i + 1 == items.len();
        let room = if last {
            shape.budget
        } else {
            shape.budget.saturating_sub(reserve)
        };
        if shown == shape.max_items || used + add > room {
            break;
        }
        out.push_str(separator);
        out.push_str(item);
        used += add;
        shown += 1;
    }
    if shown < items.len() {
        out.push_str(&more(items.len() - shown));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn dates_are_local_to_the_reader_and_fall_back_to_utc() {
        let t = Texts::new();
        let ts = at("2026-11-27T15:00:00Z");
        let en = format_date_time(&t, Lang::En, ts, "Europe/Stockholm");
        assert_eq!(en, "27 Nov 2026, 16:00");
        let sv = format_date_time(&t, Lang::Sv, ts, "Europe/Stockholm");
        assert_eq!(sv, "27 nov. 2026 16:00");
        let ny = format_date_time(&t, Lang::En, ts, "America/New_York");
        assert_eq!(ny, "27 Nov 2026, 10:00");
        let unknown = format_date_time(&t, Lang::En, ts, "Mars/Olympus_Mons");
        assert_eq!(unknown, "27 Nov 2026, 15:00 UTC");
        let any_case =
            format_date_time(&t, Lang::Sv, at("2026-03-01T08:05:00Z"), "europe/stockholm");
        assert_eq!(any_case, "1 mars 2026 09:05");
    }

    #[test]
    fn every_month_has_a_short_name() {
        let t = Texts::new();
        let mut names = std::collections::BTreeSet::new();
        for lang in Lang::ALL {
            for month in 1..=12 {
                names.insert(t.get(lang, "date-month", &[("month", FluentArgValue::Num(month))]));
            }
        }
        assert_eq!(names.len(), 24, "{names:?}");
    }

    #[test]
    fn a_range_on_one_day_shows_the_date_once() {
        let t = Texts::new();
        let (start, end) = time_range(
            &t,
            Lang::Sv,
            at("2026-11-27T15:00:00Z"),
            at("2026-11-27T15:34:10Z"),
            "Europe/Stockholm",
        );
        assert_eq!(
            (start.as_str(), end.as_str()),
            ("27 nov. 2026 16:00", "16:34")
        );
        let (_, end) = time_range(
            &t,
            Lang::En,
            at("2026-11-27T22:30:00Z"),
            at("2026-11-27T23:30:00Z"),
            "Europe/Stockholm",
        );
        assert_eq!(end, "28 Nov 2026, 00:30");
    }

    #[test]
    fn durations_read_naturally() {
        let t = Texts::new();
        let cases = [
            (-5, "0 s", "0 s"),
            (45, "45 s", "45 s"),
            (34 * 60 + 10, "34 min", "34 min"),
            (3600, "1 h", "1 tim"),
            (3600 + 5 * 60, "1 h 5 min", "1 tim 5 min"),
            (2 * 3600 + 59 * 60 + 45, "3 h", "3 tim"),
        ];
        for (secs, en, sv) in cases {
            assert_eq!(format_duration(&t, Lang::En, secs), en);
            assert_eq!(format_duration(&t, Lang::Sv, secs), sv);
        }
    }

    #[test]
    fn sizes_use_decimal_units_and_the_languages_decimal_mark() {
        assert_eq!(format_size(Lang::En, 512), "512 B");
        assert_eq!(format_size(Lang::En, 850_000), "850 kB");
        assert_eq!(format_size(Lang::En, 8_420_000), "8.4 MB");
        assert_eq!(format_size(Lang::Sv, 8_420_000), "8,4 MB");
        assert_eq!(format_size(Lang::Sv, 125_829_120), "126 MB");
        assert_eq!(format_size(Lang::En, u64::MAX), "18446744 TB");
    }

    #[test]
    fn lists_are_cut_by_count_and_by_length() {
        let t = Texts::new();
        let items: Vec<String> = (1..=5).map(|i| format!("n{i}")).collect();
        let shape = |max_items, budget| ListShape {
            separator: ", ",
            before_more: " ",
            max_items,
            budget,
        };
        assert_eq!(
            bounded_list(&t, Lang::En, &items, &shape(9, 100)),
            "n1, n2, n3, n4, n5"
        );
        assert_eq!(
            bounded_list(&t, Lang::En, &items, &shape(2, 100)),
            "n1, n2 and 3 more"
        );
        assert_eq!(
            bounded_list(&t, Lang::Sv, &items, &shape(2, 100)),
            "n1, n2 och 3 till"
        );
        let cut = bounded_list(&t, Lang::En, &items, &shape(9, 20));
        assert_eq!(cut, "n1, n2 and 3 more");
        assert!(cut.chars().count() <= 20);
    }
}
