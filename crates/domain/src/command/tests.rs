use super::*;

fn start(topic: &str) -> Command {
    Command::Start {
        topic: Some(topic.to_owned()),
    }
}

fn url(meeting_id: u64, passcode: Option<&str>, url: &str) -> Command {
    Command::Join(JoinTarget::Url {
        meeting_id,
        passcode: passcode.map(str::to_owned),
        url: url.to_owned(),
    })
}

fn personal(name: &str) -> Command {
    Command::Join(JoinTarget::PersonalLink {
        name: name.to_owned(),
    })
}

#[test]
fn empty_text_starts_an_instant_meeting() {
    assert_eq!(parse(""), Command::Start { topic: None });
    assert_eq!(parse(" \t\n\u{a0}"), Command::Start { topic: None });
}

#[test]
fn meeting_without_topic_has_no_topic() {
    assert_eq!(parse("meeting"), Command::Start { topic: None });
    assert_eq!(parse("  MEETING   "), Command::Start { topic: None });
}

#[test]
fn meeting_topic_keeps_case_and_collapses_spacing() {
    assert_eq!(
        parse("Meeting  Weekly\tSync \u{a0}Q3 "),
        start("Weekly Sync Q3")
    );
}

#[test]
fn meeting_topic_is_unescaped() {
    assert_eq!(
        parse("meeting R&amp;D &lt;draft&gt; &amp;lt;"),
        start("R&D <draft> &lt;")
    );
}

#[test]
fn meeting_topic_shows_slack_markup_as_its_text() {
    assert_eq!(
        parse("meeting sync with <@U123|jane> about <https://example.com|example.com> <!here>"),
        start("sync with @jane about example.com @here")
    );
    assert_eq!(
        parse("meeting <https://a.example/?x=1&amp;y=2>"),
        start("https://a.example/?x=1&y=2")
    );
}

#[test]
fn meeting_topic_is_cut_at_200_characters_on_a_char_boundary() {
    let long = "å".repeat(250);
    let Command::Start { topic: Some(topic) } = parse(&format!("meeting {long}")) else {
        panic!("expected a topic");
    };
    assert_eq!(topic.chars().count(), TOPIC_MAX_CHARS);
}

#[test]
fn simple_sub_commands_ignore_case() {
    assert_eq!(parse("Config"), Command::Config);
    assert_eq!(parse("LOGOUT"), Command::Logout);
    for help in ["help", "HELP", "-h", "--help", "?"] {
        assert_eq!(parse(help), Command::Help, "{help}");
    }
}

#[test]
fn unknown_word_is_reported_unescaped() {
    assert_eq!(
        parse("standup now"),
        Command::Unknown {
            word: "standup".into()
        }
    );
    assert_eq!(parse("&lt;b&gt;"), Command::Unknown { word: "<b>".into() });
}

#[test]
fn call_keeps_the_raw_target() {
    assert_eq!(
        parse("call  <@U123|jane>"),
        Command::Call {
            target: "<@U123|jane>".into()
        }
    );
    assert_eq!(
        parse("call +46 8 123  456"),
        Command::Call {
            target: "+46 8 123 456".into()
        }
    );
    assert_eq!(parse("call"), Command::MissingArgument { command: "call" });
}

#[test]
fn join_needs_an_argument() {
    assert_eq!(parse("join"), Command::MissingArgument { command: "join" });
    assert_eq!(
        parse("JOIN \t"),
        Command::MissingArgument { command: "join" }
    );
}

#[test]
fn join_me_is_the_personal_meeting_id() {
    assert_eq!(parse("join me"), Command::JoinMe);
    assert_eq!(parse("Join ME"), Command::JoinMe);
}

#[test]
fn join_accepts_meeting_ids_with_spaces_or_dashes() {
    for text in [
        "85746352413",
        "857 4635 2413",
        "857-4635-2413",
        "857 - 4635 - 2413",
    ] {
        assert_eq!(
            parse(&format!("join {text}")),
            Command::Join(JoinTarget::MeetingId(85_746_352_413)),
            "{text}"
        );
    }
    assert_eq!(
        parse("join 123456789"),
        Command::Join(JoinTarget::MeetingId(123_456_789))
    );
}

#[test]
fn join_refuses_meeting_ids_of_the_wrong_length() {
    for text in ["12345678", "123456789012", "0123456789", "---"] {
        assert!(
            matches!(
                parse(&format!("join {text}")),
                Command::InvalidJoinTarget { .. }
            ),
            "{text}"
        );
    }
}

#[test]
fn join_accepts_zoom_links_in_every_form_slack_sends() {
    let expected = url(
        85_746_352_413,
        Some("xyz"),
        "https://zoom.us/j/85746352413?pwd=xyz",
    );
    assert_eq!(
        parse("join https://zoom.us/j/85746352413?pwd=xyz"),
        expected
    );
    assert_eq!(
        parse("join <https://zoom.us/j/85746352413?pwd=xyz>"),
        expected
    );
    assert_eq!(
        parse("join <https://zoom.us/j/85746352413?pwd=xyz|zoom.us/j/85746352413?pwd=xyz>"),
        expected
    );
    assert_eq!(parse("join zoom.us/j/85746352413?pwd=xyz"), expected);
    assert_eq!(parse("join http://zoom.us/j/85746352413?pwd=xyz"), expected);
}

#[test]
fn join_accepts_subdomains_and_app_links() {
    assert_eq!(
        parse("join https://us05web.zoom.us/j/85746352413"),
        url(
            85_746_352_413,
            None,
            "https://us05web.zoom.us/j/85746352413"
        )
    );
    assert_eq!(
        parse("join zoommtg://zoom.us/join?action=join&amp;confno=85746352413&amp;pwd=a%2Bb"),
        url(
            85_746_352_413,
            Some("a+b"),
            "https://zoom.us/j/85746352413?pwd=a%2Bb"
        )
    );
}

#[test]
fn join_refuses_lookalike_hosts() {
    for link in [
        "https://zoom.us.evil.com/j/85746352413",
        "https://evilzoom.us/j/85746352413",
        "https://zoom.us@evil.com/j/85746352413",
        "https://user@zoom.us/j/85746352413",
        "https://zoom.us:8443/j/85746352413",
        "https://zoom.com.evil/j/85746352413",
        "<https://zoom.us.evil.com/j/85746352413|zoom.us/j/85746352413>",
        "zoommtg://zoom.us.evil.com/join?confno=85746352413",
        "ftp://zoom.us/j/85746352413",
    ] {
        assert!(
            matches!(
                parse(&format!("join {link}")),
                Command::InvalidJoinTarget { .. }
            ),
            "{link}"
        );
    }
}

#[test]
fn join_refuses_start_links() {
    assert!(matches!(
        parse("join https://zoom.us/s/85746352413?zak=secret"),
        Command::InvalidJoinTarget { .. }
    ));
}

#[test]
fn join_accepts_personal_link_names_and_links() {
    assert_eq!(parse("join Jane.Doe"), personal("jane.doe"));
    assert_eq!(
        parse("join https://zoom.us/my/Jane.Doe"),
        personal("jane.doe")
    );
    assert_eq!(
        parse("join <https://acme.zoom.us/my/jane.doe>"),
        personal("jane.doe")
    );
}

#[test]
fn personal_link_names_follow_zooms_rule() {
    assert!(is_personal_link_name("abcde"));
    assert!(is_personal_link_name(&"a".repeat(40)));
    assert!(!is_personal_link_name("abcd"));
    assert!(!is_personal_link_name(&"a".repeat(41)));
    assert!(!is_personal_link_name("1abcde"));
    assert!(!is_personal_link_name("jane_doe"));
    assert!(!is_personal_link_name("jäne.doe"));
}

#[test]
fn invalid_join_target_carries_the_text() {
    assert_eq!(
        parse("join my  room &amp; more"),
        Command::InvalidJoinTarget {
            text: "my room & more".into()
        }
    );
}

#[test]
fn schedule_keeps_its_text_for_the_clock_and_time_zone() {
    assert_eq!(
        parse("Schedule  tomorrow 10:00 Weekly sync "),
        Command::Schedule {
            text: "tomorrow 10:00 Weekly sync".into()
        }
    );
    assert_eq!(
        parse("schemalägg i morgon kl 10"),
        Command::Schedule {
            text: "i morgon kl 10".into()
        }
    );
    assert_eq!(parse("schedule"), Command::Schedule { text: "".into() });
}
