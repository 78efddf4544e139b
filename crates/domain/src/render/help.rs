//! `/zoom help` (under the configured command), also shown for a word the
//! command does not know.

use super::Message;
use super::blocks::{ephemeral, section};
use super::limits;
use super::mrkdwn::{Md, clip, escape_mrkdwn, md};
use crate::i18n::{Lang, Texts};

/// How a sub-command is written: the configured command followed by the
/// same words in every language, or localized because it names its argument.
enum Usage {
    /// The words after the command; empty for the command alone.
    Literal(&'static str),
    Message(&'static str),
}

/// Every sub-command with the message describing it, in the order shown.
const COMMANDS: [(Usage, &str); 9] = [
    (Usage::Literal(""), "help-start"),
    (Usage::Message("help-meeting-usage"), "help-meeting"),
    (Usage::Message("help-join-usage"), "help-join"),
    (Usage::Literal("join me"), "help-join-me"),
    (Usage::Message("help-schedule-usage"), "help-schedule"),
    (Usage::Message("help-call-usage"), "help-call"),
    (Usage::Literal("config"), "help-config"),
    (Usage::Literal("logout"), "help-logout"),
    (Usage::Literal("help"), "help-help"),
];

/// A usage as an escaped mrkdwn code span.
fn code(usage: &str) -> String {
    format!("`{}`", escape_mrkdwn(usage))
}

/// The usage of a sub-command that takes an argument (`"join"`, `"call"`)
/// as a code span, for error messages.
pub(crate) fn usage_code(t: &Texts, lang: Lang, command: &str) -> Option<String> {
    let key = match command {
        "join" => "help-join-usage",
        "call" => "help-call-usage",
        "meeting" => "help-meeting-usage",
        "schedule" => "help-schedule-usage",
        _ => return None,
    };
    Some(code(&t.get(lang, key, &[])))
}

/// Each sub-command as a mrkdwn line: its usage in a code span, then
/// what it does.
pub(crate) fn command_lines(t: &Texts, lang: Lang) -> Vec<String> {
    COMMANDS
        .iter()
        .map(|(usage, description)| {
            let usage = match usage {
                Usage::Literal("") => t.command().to_owned(),
                Usage::Literal(words) => format!("{} {words}", t.command()),
                Usage::Message(key) => t.get(lang, key, &[]),
            };
            let description = escape_mrkdwn(&t.get(lang, description, &[]));
            format!("{} – {description}", code(&usage))
        })
        .collect()
}

/// Ephemeral list of every sub-command. With `unknown_word`, it first says
/// which word was not understood.
pub fn help(t: &Texts, lang: Lang, unknown_word: Option<&str>) -> Message {
    let title = escape_mrkdwn(&t.get(lang, "help-title", &[]));
    let mut lines = vec![format!("*{title}*")];
    lines.extend(command_lines(t, lang));
    let mut blocks = Vec::new();
    let mut fallback = title;
    if let Some(word) = unknown_word {
        let word = clip(word, limits::QUOTED_TEXT);
        let unknown = md(t, lang, "help-unknown", &[("word", Md::Text(&word))]);
        fallback = format!("{unknown} {fallback}");
        blocks.push(section("help.unknown", unknown));
    }
    blocks.push(section("help", lines.join("\n")));
    ephemeral(fallback, blocks)
}
