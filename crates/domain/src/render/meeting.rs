//! The meeting card (`/zoom`, `/zoom meeting`) and the join card (`/zoom join`).

use super::Message;
use super::action_id;
use super::blocks::{Button, actions, call, message, section};
use super::limits;
use super::mrkdwn::{Md, clip, escape_mrkdwn, link, md, mention};
use crate::command::TOPIC_MAX_CHARS;
use crate::i18n::{FluentArgValue, Lang, Texts};

/// Longest passcode or start time shown; Zoom's are far shorter.
const SHORT_TEXT: usize = 64;

/// What the meeting card shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeetingCard<'a> {
    /// The meeting topic (plain text; escaped and clipped here).
    pub topic: &'a str,
    /// The host's Slack user id, shown as a mention.
    pub host_slack_id: &'a str,
    /// The Zoom meeting ID.
    pub meeting_id: u64,
    /// The participants' join link (never the host's start link).
    pub join_url: &'a str,
    /// The passcode: `Some` only when the host's settings allow showing it.
    pub passcode: Option<&'a str>,
    /// The Slack Call id from `calls.add`, to add a native Call block.
    pub call_id: Option<&'a str>,
    /// Preformatted local start time, for scheduled meetings.
    pub starts: Option<&'a str>,
}

/// What the join card shows when topic and time are unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoinCard<'a> {
    /// The join link.
    pub join_url: &'a str,
    /// The meeting ID, when known (a personal link name has none).
    pub meeting_id: Option<u64>,
    /// The Slack Call to show below the link, once `calls.add` made one.
    pub call_id: Option<&'a str>,
}

/// A meeting ID grouped the way Zoom shows it: 3-4-4 digits for 11-digit
/// IDs (`857 4635 2413`), 3-3-4 for 10 digits (`123 456 7890`), 3-3-3 for
/// 9 digits; any other length ungrouped.
pub fn format_meeting_id(meeting_id: u64) -> String {
    let digits = meeting_id.to_string();
    let groups: &[usize] = match digits.len() {
        11 => &[3, 4, 4],
        10 => &[3, 3, 4],
        9 => &[3, 3, 3],
        _ => return digits,
    };
    let mut out = String::with_capacity(digits.len() + 2);
    let mut start = 0;
    for len in groups {
        if start > 0 {
            out.push(' ');
        }
        out.push_str(&digits[start..start + len]);
        start += len;
    }
    out
}

/// The topic of a meeting started without one, e.g. "Jane Doe's Zoom
/// meeting" or "Zoom-möte med Jane Doe". Plain text for Zoom, at most
/// [`TOPIC_MAX_CHARS`] characters.
pub fn default_topic(t: &Texts, lang: Lang, display_name: &str) -> String {
    let name = crate::command::collapse_whitespace(display_name);
    if name.is_empty() {
        return t.get(lang, "meeting-untitled", &[]);
    }
    let name = clip(&name, limits::QUOTED_TEXT);
    let topic = t.get(
        lang,
        "default-topic",
        &[("name", FluentArgValue::Str(&name))],
    );
    clip(&topic, TOPIC_MAX_CHARS).into_owned()
}

/// The topic as shown: one line, clipped, or "Zoom meeting" when empty.
pub(super) fn shown_topic(t: &Texts, lang: Lang, topic: &str) -> String {
    let topic = crate::command::collapse_whitespace(topic);
    if topic.is_empty() {
        t.get(lang, "meeting-untitled", &[])
    } else {
        clip(&topic, TOPIC_MAX_CHARS).into_owned()
    }
}

/// The card posted for a started (or scheduled) meeting: bold topic, host,
/// meeting ID, passcode only when given, start time when given, a "Join"
/// button, then the native Call block when `call_id` is set.
pub fn meeting_card(t: &Texts, lang: Lang, card: &MeetingCard) -> Message {
    let topic = shown_topic(t, lang, card.topic);
    let host = mention(card.host_slack_id);
    let id = format_meeting_id(card.meeting_id);
    let mut lines = vec![
        format!("*{}*", escape_mrkdwn(&topic)),
        md(t, lang, "meeting-host", &[("host", Md::Raw(&host))]),
        md(t, lang, "meeting-id", &[("id", Md::Text(&id))]),
    ];
    if let Some(passcode) = card.passcode {
        let passcode = clip(passcode, SHORT_TEXT);
        lines.push(md(
            t,
            lang,
            "meeting-passcode",
            &[("passcode", Md::Text(&passcode))],
        ));
    }
    let starts = card.starts.map(|s| clip(s, SHORT_TEXT));
    if let Some(starts) = &starts {
        lines.push(md(t, lang, "meeting-starts", &[("time", Md::Text(starts))]));
    }
    let meeting_id = card.meeting_id.to_string();
    let mut blocks = vec![
        section("meeting", lines.join("\n")),
        actions(
            "meeting.actions",
            vec![join_button(t, lang, card.join_url, &meeting_id)],
        ),
    ];
    if let Some(call_id) = card.call_id {
        blocks.push(call(call_id));
    }
    let common = [
        ("host", Md::Raw(&host)),
        ("topic", Md::Text(&topic)),
        ("url", Md::Text(card.join_url)),
    ];
    let fallback = match &starts {
        None => md(t, lang, "meeting-started-fallback", &common),
        Some(starts) => {
            let mut args = common.to_vec();
            args.push(("time", Md::Text(starts)));
            md(t, lang, "meeting-scheduled-fallback", &args)
        }
    };
    message(fallback, blocks)
}

/// The card for `/zoom join` when only the link (and maybe the ID) is known.
pub fn join_card(t: &Texts, lang: Lang, card: &JoinCard) -> Message {
    let title = escape_mrkdwn(&t.get(lang, "join-title", &[]));
    let mut lines = vec![format!("*{title}*"), link(card.join_url)];
    let meeting_id = card.meeting_id.map(|id| id.to_string()).unwrap_or_default();
    if let Some(id) = card.meeting_id {
        let id = format_meeting_id(id);
        lines.push(md(t, lang, "meeting-id", &[("id", Md::Text(&id))]));
    }
    let mut blocks = vec![
        section("join", lines.join("\n")),
        actions(
            "join.actions",
            vec![join_button(t, lang, card.join_url, &meeting_id)],
        ),
    ];
    blocks.extend(card.call_id.map(call));
    let fallback = md(
        t,
        lang,
        "join-fallback",
        &[("url", Md::Text(card.join_url))],
    );
    message(fallback, blocks)
}

fn join_button<'a>(t: &Texts, lang: Lang, url: &'a str, meeting_id: &'a str) -> Button<'a> {
    let button = Button::link(
        t.get(lang, "meeting-join-button", &[]),
        action_id::MEETING_JOIN,
        url,
    )
    .primary(true);
    if meeting_id.is_empty() {
        button
    } else {
        button.with_value(meeting_id)
    }
}
