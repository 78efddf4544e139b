//! The `/zoom` command grammar.
//!
//! Slack sends everything after `/zoom ` as `text`, escaped (`should_escape:
//! true`): a literal `&`, `<`, `>` arrives as `&amp;`, `&lt;`, `&gt;`, and
//! links and mentions arrive as `<target|label>` or `<target>`.
//! [`parse`] turns that text into a [`Command`]; it never fails and never
//! panics, so the server can answer every input with something useful.

mod join;
pub(crate) mod text;

#[cfg(test)]
mod tests;

pub use join::{PERSONAL_LINK_MAX, PERSONAL_LINK_MIN, is_personal_link_name, is_zoom_host};
pub use text::TOPIC_MAX_CHARS;
pub(crate) use text::collapse_whitespace;

/// What a user asked for with `/zoom …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `/zoom` or `/zoom meeting [topic]`: an instant meeting.
    Start {
        /// The topic as the user wrote it: unescaped, whitespace collapsed,
        /// at most [`TOPIC_MAX_CHARS`] characters; `None` when empty.
        topic: Option<String>,
    },
    /// `/zoom join <target>`
    Join(JoinTarget),
    /// `/zoom join me`: meet in the user's personal meeting ID.
    JoinMe,
    /// `/zoom config`
    Config,
    /// `/zoom logout`
    Logout,
    /// `/zoom help`, `-h`, `--help` or `?`
    Help,
    /// `/zoom call …`: the rest of the text, whitespace collapsed but still
    /// in Slack's escaped form, so a `<@U…>` mention keeps its user id.
    /// (Zoom Phone is a later feature.)
    Call {
        /// The raw call target, e.g. `<@U123|jane>` or `+46 8 123 456`.
        target: String,
    },
    /// `/zoom schedule …`: a meeting at a later time. The text after
    /// `schedule`, still in Slack's escaped form: reading it needs the
    /// clock and the user's time zone ([`crate::schedule::parse`]). Empty
    /// asks for the form.
    Schedule {
        /// What the user wrote after `schedule`, whitespace trimmed.
        text: String,
    },
    /// Anything else: the first word that was not understood (unescaped).
    Unknown {
        /// The word as the user typed it.
        word: String,
    },
    /// A known sub-command missing its argument, e.g. `/zoom join` alone.
    MissingArgument {
        /// The sub-command: `"join"` or `"call"`.
        command: &'static str,
    },
    /// `/zoom join …` with something that is neither a meeting ID, a Zoom
    /// link nor a personal link name.
    InvalidJoinTarget {
        /// What the user wrote after `join` (unescaped, whitespace collapsed).
        text: String,
    },
}

/// The meeting `/zoom join` points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinTarget {
    /// A meeting ID of 9 to 11 digits. Users paste `857 4635 2413` or
    /// `857-4635-2413`; the separators are dropped.
    MeetingId(u64),
    /// A Zoom join link on `zoom.us` or one of its subdomains:
    /// `https://zoom.us/j/85746352413?pwd=xyz`, `https://us05web.zoom.us/j/…`,
    /// `zoommtg://zoom.us/join?confno=…&pwd=…`.
    Url {
        /// The meeting ID in the link.
        meeting_id: u64,
        /// The link's `pwd` parameter (Zoom's encoded passcode), if any.
        passcode: Option<String>,
        /// An `https` join link: the pasted link, or for `zoommtg://` links
        /// the equivalent `https://<host>/j/<id>` link.
        url: String,
    },
    /// A personal link name (`jane.doe`), typed or as `https://zoom.us/my/jane.doe`.
    /// See [`is_personal_link_name`] for the rule; always lowercase.
    PersonalLink {
        /// The lowercased name.
        name: String,
    },
}

/// Parses the `text` of a `/zoom` slash command.
///
/// Sub-command words are case-insensitive; any whitespace (including
/// non-breaking spaces, tabs and newlines) separates words.
pub fn parse(text: &str) -> Command {
    let (word, rest) = text::split_first_word(text);
    match word.to_lowercase().as_str() {
        "" => Command::Start { topic: None },
        "meeting" => Command::Start {
            topic: text::topic(rest),
        },
        "join" => join::parse_join(rest),
        "config" => Command::Config,
        "schedule" | "schemalägg" => Command::Schedule {
            text: rest.to_owned(),
        },
        "logout" => Command::Logout,
        "help" | "-h" | "--help" | "?" => Command::Help,
        "call" => {
            let target = text::collapse_whitespace(rest);
            if target.is_empty() {
                Command::MissingArgument { command: "call" }
            } else {
                Command::Call { target }
            }
        }
        _ => Command::Unknown {
            word: text::unescape_entities(word),
        },
    }
}
