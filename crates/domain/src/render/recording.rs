//! The recording notice and the AI Companion summary.

use super::Message;
use super::action_id;
use super::blocks::{Button, actions, message, section};
use super::format::{ListShape, bounded_list, format_duration, format_size};
use super::limits;
use super::meeting::shown_topic;
use super::mrkdwn::{Md, clip, escape_mrkdwn, link, md};
use crate::command::collapse_whitespace;
use crate::i18n::{FluentArgValue, Lang, Texts};
use crate::meeting::RecordingPart;

/// Longest recording passcode shown; Zoom's are far shorter.
const PASSCODE_MAX: usize = 64;
/// Longest AI overview shown, leaving room for the title lines.
const OVERVIEW_MAX: usize = 2500;
/// Longest single next step shown.
const STEP_MAX: usize = 300;

/// What the recording notice shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordingNotice<'a> {
    /// The meeting topic (plain text).
    pub topic: &'a str,
    /// Zoom's `share_url`.
    pub share_url: &'a str,
    /// Every part of the recording (see [`crate::meeting::Recording`]).
    pub parts: &'a [RecordingPart],
    /// The passcode: `Some` only when [`crate::delivery::Delivery::shows_passcode`].
    pub passcode: Option<&'a str>,
}

/// What the AI summary notice shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AiSummaryNotice<'a> {
    /// The meeting topic (plain text).
    pub topic: &'a str,
    /// `summary_title`.
    pub title: &'a str,
    /// `summary_overview`.
    pub overview: Option<&'a str>,
    /// `next_steps`.
    pub next_steps: &'a [String],
}

/// "The recording is ready": topic, link, the passcode only when given,
/// one line per part (kind, length, size) in order of start, and an "Open
/// the recording" button.
pub fn recording_notice(t: &Texts, lang: Lang, notice: &RecordingNotice) -> Message {
    let topic = shown_topic(t, lang, notice.topic);
    let mut lines = vec![
        format!("*{}*", escape_mrkdwn(&topic)),
        escape_mrkdwn(&t.get(lang, "recording-ready", &[])),
        link(notice.share_url),
    ];
    if let Some(passcode) = notice.passcode {
        let passcode = clip(passcode, PASSCODE_MAX);
        lines.push(md(
            t,
            lang,
            "meeting-passcode",
            &[("passcode", Md::Text(&passcode))],
        ));
    }
    let mut blocks = vec![section("recording", lines.join("\n"))];
    if !notice.parts.is_empty() {
        let mut parts = notice.parts.to_vec();
        parts.sort();
        let count = parts.len().to_string();
        let heading = format!(
            "*{}*",
            md(t, lang, "recording-files", &[("count", Md::Text(&count))])
        );
        let items: Vec<String> = parts.iter().map(|p| part_line(t, lang, p)).collect();
        let shape = ListShape {
            separator: "\n",
            before_more: "\n",
            max_items: limits::LIST_ITEMS,
            budget: limits::SECTION_TEXT - heading.chars().count() - 1,
        };
        let list = bounded_list(t, lang, &items, &shape);
        blocks.push(section("recording.files", format!("{heading}\n{list}")));
    }
    let button = Button::link(
        t.get(lang, "recording-open-button", &[]),
        action_id::RECORDING_OPEN,
        notice.share_url,
    )
    .primary(true);
    blocks.push(actions("recording.actions", vec![button]));
    let fallback = md(
        t,
        lang,
        "recording-fallback",
        &[
            ("topic", Md::Text(&topic)),
            ("url", Md::Text(notice.share_url)),
        ],
    );
    message(fallback, blocks)
}

/// "• Shared screen with speaker view · 34 min · 126 MB"
fn part_line(t: &Texts, lang: Lang, part: &RecordingPart) -> String {
    // Zoom writes e.g. `shared_screen_with_speaker_view(CC)`; Fluent's
    // variant keys are identifiers, so cut at the first other character.
    let kind: String = part
        .kind
        .trim()
        .to_ascii_lowercase()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let kind = t.get(
        lang,
        "recording-kind",
        &[("kind", FluentArgValue::Str(&kind))],
    );
    let secs = part.end.as_second() - part.start.as_second();
    let length = format_duration(t, lang, secs);
    let size = format_size(lang, part.size_bytes);
    escape_mrkdwn(&format!("• {kind} · {length} · {size}"))
}

/// The Zoom AI Companion summary: its title, the topic, the overview and
/// the next steps (clipped to fit one message).
pub fn ai_summary(t: &Texts, lang: Lang, notice: &AiSummaryNotice) -> Message {
    let topic = shown_topic(t, lang, notice.topic);
    let title = collapse_whitespace(notice.title);
    let title = clip(&title, limits::QUOTED_TEXT * 2);
    let of = md(t, lang, "ai-summary-of", &[("topic", Md::Text(&topic))]);
    let head = if title.is_empty() {
        format!("*{of}*")
    } else {
        format!("*{}*\n{of}", escape_mrkdwn(&title))
    };
    let mut blocks = vec![section("ai_summary", head)];
    if let Some(overview) = notice.overview.map(str::trim).filter(|o| !o.is_empty()) {
        let overview = escape_mrkdwn(&clip(overview, OVERVIEW_MAX));
        blocks.push(section("ai_summary.overview", overview));
    }
    let steps: Vec<String> = notice
        .next_steps
        .iter()
        .map(|s| collapse_whitespace(s))
        .filter(|s| !s.is_empty())
        .map(|s| format!("• {}", escape_mrkdwn(&clip(&s, STEP_MAX))))
        .collect();
    if !steps.is_empty() {
        let heading = format!(
            "*{}*",
            escape_mrkdwn(&t.get(lang, "ai-summary-next-steps", &[]))
        );
        let shape = ListShape {
            separator: "\n",
            before_more: "\n",
            max_items: limits::LIST_ITEMS,
            budget: limits::SECTION_TEXT - heading.chars().count() - 1,
        };
        let list = bounded_list(t, lang, &steps, &shape);
        blocks.push(section(
            "ai_summary.next_steps",
            format!("{heading}\n{list}"),
        ));
    }
    let fallback = if title.is_empty() {
        of
    } else {
        md(
            t,
            lang,
            "ai-summary-fallback",
            &[("topic", Md::Text(&topic)), ("title", Md::Text(&title))],
        )
    };
    message(fallback, blocks)
}
