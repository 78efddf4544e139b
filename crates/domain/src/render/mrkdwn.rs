//! Escaping, clipping and localized mrkdwn text.

use std::borrow::Cow;

use crate::i18n::{FluentArgValue, Lang, Texts};

/// Escapes `&`, `<` and `>` so Slack shows text as typed instead of reading
/// mentions (`<!channel>`, `<@U1>`) or links out of it.
pub fn escape_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of plain text, ending in `…` when cut.
pub(crate) fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep: String = text.chars().take(max.saturating_sub(1)).collect();
            Cow::Owned(keep + "…")
        }
    }
}

/// At most `max` characters of mrkdwn. A last resort behind the clipping of
/// every user-provided part: it cuts before an entity (`&amp;`) or a
/// `<…>` token that would otherwise be left half-open.
pub(crate) fn fit(text: String, max: usize) -> String {
    if text.chars().nth(max).is_none() {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    for (open, close) in [('&', ';'), ('<', '>')] {
        if let Some(at) = cut.rfind(open)
            && !cut[at..].contains(close)
        {
            cut.truncate(at);
        }
    }
    cut + "…"
}

/// Slack's user ids: `U…` or `W…` (Enterprise Grid), upper-case letters and digits.
fn is_slack_user_id(id: &str) -> bool {
    (2..=32).contains(&id.len())
        && id.starts_with(['U', 'W'])
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A user mention; anything that is not a user id is shown as text instead.
pub(crate) fn mention(user_id: &str) -> String {
    if is_slack_user_id(user_id) {
        format!("<@{user_id}>")
    } else {
        escape_mrkdwn(&clip(user_id, 32))
    }
}

/// Slack's conversation ids: `C…`, `G…` or `D…`, upper-case letters and digits.
fn is_slack_channel_id(id: &str) -> bool {
    (2..=32).contains(&id.len())
        && id.starts_with(['C', 'G', 'D'])
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A channel mention (`<#C…>`); anything that is not a channel id is shown
/// as text instead.
pub(crate) fn channel_mention(channel_id: &str) -> String {
    if is_slack_channel_id(channel_id) {
        format!("<#{channel_id}>")
    } else {
        escape_mrkdwn(&clip(channel_id, 32))
    }
}

/// A bare link. `|` would start a label, so it is percent-encoded.
pub(crate) fn link(url: &str) -> String {
    format!("<{}>", escape_mrkdwn(url).replace('|', "%7C"))
}

/// An argument of a localized mrkdwn message.
#[derive(Clone, Copy)]
pub(crate) enum Md<'a> {
    /// User or Zoom text: escaped.
    Text(&'a str),
    /// mrkdwn built by this module (a mention, a code span): inserted as is.
    Raw(&'a str),
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Message `key` as mrkdwn: the message text is escaped, then each argument
/// goes in escaped or raw. Arguments go in through private-use placeholders
/// after escaping, so a mention survives and a user's text cannot.
pub(crate) fn md(t: &Texts, lang: Lang, key: &str, args: &[(&str, Md)]) -> String {
    let placeholders: Vec<String> = (0..args.len())
        .map(|i| format!("{OPEN}{i}{CLOSE}"))
        .collect();
    let fluent_args: Vec<(&str, FluentArgValue)> = args
        .iter()
        .zip(&placeholders)
        .map(|((name, _), p)| (*name, FluentArgValue::Str(p)))
        .collect();
    let template = escape_mrkdwn(&t.get(lang, key, &fluent_args));
    // One pass, so text inserted for one argument is never scanned again.
    let mut out = String::with_capacity(template.len());
    let mut rest = template.as_str();
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        let arg = after.find(CLOSE).and_then(|end| {
            let (_, value) = args.get(after[..end].parse::<usize>().ok()?)?;
            Some((value, end))
        });
        match arg {
            Some((value, end)) => {
                match value {
                    Md::Text(text) => out.push_str(&escape_mrkdwn(text)),
                    Md::Raw(raw) => out.push_str(raw),
                }
                rest = &after[end + CLOSE.len_utf8()..];
            }
            None => {
                out.push(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_slacks_control_characters() {
        assert_eq!(
            escape_mrkdwn("<!channel> <@U1> &lt; a&b"),
            "&lt;!channel&gt; &lt;@U1&gt; &amp;lt; a&amp;b"
        );
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("åäö", 3), "åäö");
        assert_eq!(clip("åäöx", 3), "åä…");
    }

    #[test]
    fn fitting_never_leaves_half_an_entity_or_token() {
        assert_eq!(fit("ab&amp;".to_owned(), 5), "ab…");
        assert_eq!(fit("a <@U123>".to_owned(), 6), "a …");
        assert_eq!(fit("short".to_owned(), 5), "short");
    }

    #[test]
    fn only_user_ids_become_mentions() {
        assert_eq!(mention("U123ABC"), "<@U123ABC>");
        assert_eq!(mention("W1"), "<@W1>");
        assert_eq!(mention("U1> <!channel"), "U1&gt; &lt;!channel");
        assert_eq!(mention("u123"), "u123");
    }

    #[test]
    fn only_channel_ids_become_channel_mentions() {
        assert_eq!(channel_mention("C0123ABC"), "<#C0123ABC>");
        assert_eq!(channel_mention("G1"), "<#G1>");
        assert_eq!(channel_mention("C1> <!here"), "C1&gt; &lt;!here");
        assert_eq!(channel_mention("general"), "general");
    }

    #[test]
    fn links_cannot_grow_a_label() {
        assert_eq!(
            link("https://x/?a=1&b=|2>"),
            "<https://x/?a=1&amp;b=%7C2&gt;>"
        );
    }

    #[test]
    fn arguments_are_escaped_and_raw_parts_kept() {
        let t = Texts::new();
        let text = md(
            &t,
            Lang::En,
            "meeting-started-fallback",
            &[
                ("host", Md::Raw("<@U1>")),
                ("topic", Md::Text("<!channel> \u{E000}1\u{E001}")),
                ("url", Md::Text("https://zoom.us/j/1?a&b")),
            ],
        );
        assert_eq!(
            text,
            "<@U1> started a Zoom meeting: &lt;!channel&gt; \u{E000}1\u{E001} https://zoom.us/j/1?a&amp;b"
        );
    }
}
