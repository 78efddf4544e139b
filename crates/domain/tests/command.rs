//! Properties of the `/zoom` grammar.

use proptest::prelude::*;
use zlack_domain::command::TOPIC_MAX_CHARS;
use zlack_domain::render::format_meeting_id;
use zlack_domain::{Command, JoinTarget, parse};

/// How Slack escapes text with `should_escape: true`.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// The topic rule written out again: words joined by single spaces, at most
/// 200 characters, no trailing space, `None` when empty.
fn expected_topic(topic: &str) -> Option<String> {
    let words: Vec<&str> = topic.split(is_space).filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    let cut: String = joined.chars().take(TOPIC_MAX_CHARS).collect();
    let cut = cut.trim_end().to_owned();
    (!cut.is_empty()).then_some(cut)
}

/// Separators users and Slack clients produce.
fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", "  ", "\t", "\n", "\u{a0}", " \u{a0}\t", "\r\n"])
}

/// Valid commands as words; the first `n` words may be typed in any case.
const FORMS: &[(&[&str], usize)] = &[
    (&[], 0),
    (&["meeting"], 1),
    (&["meeting", "Weekly", "Sync", "Q3"], 1),
    (&["join", "857", "4635", "2413"], 1),
    (&["join", "me"], 2),
    (&["join", "https://zoom.us/j/85746352413?pwd=xyz"], 1),
    (
        &["join", "<https://us05web.zoom.us/j/85746352413|zoom link>"],
        1,
    ),
    (&["join", "jane.doe"], 2),
    (&["config"], 1),
    (&["logout"], 1),
    (&["help"], 1),
    (&["--help"], 1),
    (&["call", "+46", "8", "123", "456"], 1),
    (&["join"], 1),
    (&["call"], 1),
    (&["standup"], 0),
];

fn recase(word: &str, upper: &[bool]) -> String {
    word.chars()
        .zip(upper.iter().cycle())
        .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
        .collect()
}

proptest! {
    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn parse_never_panics_on_slack_shaped_text(
        head in prop::sample::select(vec!["", "meeting ", "join ", "call ", "join <", "JOIN zoommtg://"]),
        body in "[<>&|@!#:/?=.;a-zA-Z0-9 \u{a0}\u{e000}\u{e001}-]{0,60}",
    ) {
        let _ = parse(&format!("{head}{body}"));
    }

    #[test]
    fn casing_and_whitespace_do_not_change_a_command(
        form in 0..FORMS.len(),
        seps in prop::collection::vec(separator(), 8),
        lead in prop::option::of(separator()),
        trail in prop::option::of(separator()),
        upper in prop::collection::vec(any::<bool>(), 1..8),
    ) {
        let (words, recased) = FORMS[form];
        let canonical = parse(&words.join(" "));
        let mut text = lead.unwrap_or_default().to_owned();
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(seps[i % seps.len()]);
            }
            if i < recased { text.push_str(&recase(word, &upper)) } else { text.push_str(word) }
        }
        text.push_str(trail.unwrap_or_default());
        prop_assert_eq!(parse(&text), canonical, "{:?}", text);
    }

    #[test]
    fn meeting_topic_round_trips(topic in "\\PC{0,260}") {
        let parsed = parse(&format!("meeting {}", slack_escape(&topic)));
        prop_assert_eq!(parsed, Command::Start { topic: expected_topic(&topic) });
    }

    #[test]
    fn meeting_ids_with_spaces_or_dashes_parse_to_the_digits(
        id in 100_000_000u64..100_000_000_000,
        cuts in prop::collection::vec(1usize..11, 0..4),
        sep in prop::sample::select(vec![" ", "-", " - ", "\u{a0}", "--"]),
    ) {
        let digits = id.to_string();
        let mut text = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && cuts.contains(&i) {
                text.push_str(sep);
            }
            text.push(c);
        }
        prop_assert_eq!(parse(&format!("join {text}")), Command::Join(JoinTarget::MeetingId(id)));
    }

    #[test]
    fn a_shown_meeting_id_can_be_pasted_back(id in 100_000_000u64..100_000_000_000) {
        let shown = format_meeting_id(id);
        prop_assert_eq!(parse(&format!("join {shown}")), Command::Join(JoinTarget::MeetingId(id)));
    }

    #[test]
    fn links_on_other_hosts_are_never_join_links(
        host in "[a-z]{1,8}(\\.[a-z]{1,8}){0,2}",
        id in 100_000_000u64..100_000_000_000,
    ) {
        let parsed = parse(&format!("join https://{host}/j/{id}"));
        if host == "zoom.us" || host.ends_with(".zoom.us") {
            let is_url = matches!(parsed, Command::Join(JoinTarget::Url { .. }));
            prop_assert!(is_url);
        } else {
            let is_invalid = matches!(parsed, Command::InvalidJoinTarget { .. });
            prop_assert!(is_invalid, "{:?}", parsed);
        }
    }
}
