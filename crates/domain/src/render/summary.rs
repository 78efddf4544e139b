//! The end-of-meeting summary.

use super::Message;
use super::blocks::{message, section};
use super::format::{
    ListShape, bounded_list, format_duration, same_local_day, slack_date, time_range,
};
use super::limits;
use super::meeting::shown_topic;
use super::mrkdwn::{Md, clip, escape_mrkdwn, md, mention};
use crate::command::collapse_whitespace;
use crate::i18n::{Lang, Texts};
use crate::meeting::{SummaryParticipant, Timestamp};

/// What the end summary shows; all of it from Zoom's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndSummary<'a> {
    /// The meeting topic (plain text).
    pub topic: &'a str,
    /// The host's Slack user id, shown as a mention.
    pub host_slack_id: &'a str,
    /// Zoom's start time.
    pub start: Timestamp,
    /// Zoom's end time.
    pub end: Timestamp,
    /// Seconds from start to end (as in [`crate::meeting::Effect::EndCall`]).
    pub duration_secs: i64,
    /// From [`crate::meeting::MeetingState::participants_for_summary`].
    pub participants: &'a [SummaryParticipant],
}

/// The summary posted when a meeting ends: topic, host, start and end as
/// Slack date tokens, which every reader sees in their own time zone (with
/// `tz`, IANA or UTC when unknown, for the fallback and the notification text), duration, and the
/// participants' names in order of first join, at most
/// [`limits::LIST_ITEMS`] and then "and N more". Emails are not shown.
pub fn end_summary(t: &Texts, lang: Lang, tz: &str, summary: &EndSummary) -> Message {
    let topic = shown_topic(t, lang, summary.topic);
    let host = mention(summary.host_slack_id);
    let (start, end) = time_range(t, lang, summary.start, summary.end, tz);
    // Each reader sees the times in their own zone; the fallback is the
    // host's.
    let start_md = slack_date(summary.start, "{date_short_pretty} {time}", &start);
    let end_format = if same_local_day(summary.start, summary.end, tz) {
        "{time}"
    } else {
        "{date_short_pretty} {time}"
    };
    let end_md = slack_date(summary.end, end_format, &end);
    let duration = format_duration(t, lang, summary.duration_secs);
    let plain = |key: &str| escape_mrkdwn(&t.get(lang, key, &[]));
    let lines = [
        format!("*{}*", escape_mrkdwn(&topic)),
        plain("summary-ended"),
        md(t, lang, "meeting-host", &[("host", Md::Raw(&host))]),
        md(
            t,
            lang,
            "summary-time",
            &[("start", Md::Raw(&start_md)), ("end", Md::Raw(&end_md))],
        ),
        md(
            t,
            lang,
            "summary-duration",
            &[("duration", Md::Text(&duration))],
        ),
    ];
    let count = summary.participants.len().to_string();
    let heading = format!(
        "*{}*",
        md(
            t,
            lang,
            "summary-participants",
            &[("count", Md::Text(&count))]
        )
    );
    let names: Vec<String> = summary
        .participants
        .iter()
        .map(|p| participant_name(t, lang, &p.name))
        .collect();
    let body = if names.is_empty() {
        plain("summary-no-participants")
    } else {
        let shape = ListShape {
            separator: ", ",
            before_more: " ",
            max_items: limits::LIST_ITEMS,
            budget: limits::SECTION_TEXT - heading.chars().count() - 1,
        };
        bounded_list(t, lang, &names, &shape)
    };
    let blocks = vec![
        section("summary", lines.join("\n")),
        section("summary.participants", format!("{heading}\n{body}")),
    ];
    let fallback = md(
        t,
        lang,
        "summary-fallback",
        &[
            ("topic", Md::Text(&topic)),
            ("duration", Md::Text(&duration)),
        ],
    );
    message(fallback, blocks)
}

/// A participant's name on one line, clipped and escaped; "Guest" when
/// Zoom gave none.
fn participant_name(t: &Texts, lang: Lang, name: &str) -> String {
    let name = collapse_whitespace(name);
    if name.is_empty() {
        escape_mrkdwn(&t.get(lang, "participant-unnamed", &[]))
    } else {
        escape_mrkdwn(&clip(&name, limits::QUOTED_TEXT))
    }
}
