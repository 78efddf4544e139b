//! User text cannot mention, link or otherwise escape into Slack markup.

use zlack_domain::{Lang, Texts};

use crate::catalog::{Inputs, NORMAL_EN, messages, strings_at};

const HOSTILE: Inputs = Inputs {
    topic: "<!channel> <@U123> &lt; <https://evil.example|click>",
    host: "U1> <!here",
    passcode: "<!everyone>",
    starts: "<@U123> & co",
    word: "<!channel>&lt;",
    display_name: "<@U123>",
    channel: "C1> <!channel",
    user: "U2|x> <!here",
    summary_title: "<!subteam^S1> &amp;",
    summary: "<https://evil.example|Your recording> <#C1>",
    ..NORMAL_EN
};

/// The only `<…>` tokens we produce: the host mention is not one here (the
/// host id is hostile), so only links to our own URLs remain.
fn allowed_token(rest: &str) -> bool {
    rest.starts_with("<https://us05web.zoom.us/")
        || rest.starts_with("<https://zoom.us/my/")
        || date_token(rest)
}

/// A Slack date token built from a timestamp: `<!date^1764250000^…|…>`.
fn date_token(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("<!date^") else {
        return false;
    };
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && after[digits..].starts_with("^{")
}

#[test]
fn hostile_text_comes_out_escaped_in_every_message() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for (name, payload) in messages(&t, lang, &HOSTILE) {
            let mut texts = Vec::new();
            // An unfurl's composer `preview` title is plain text, which
            // Slack shows as typed: nothing in it can become markup.
            let mut payload = payload.clone();
            if let Some(map) = payload.as_object_mut() {
                map.remove("preview");
            }
            strings_at(&payload, "text", &mut texts);
            for text in texts {
                for (at, _) in text.match_indices('<') {
                    assert!(allowed_token(&text[at..]), "{name}: markup in {text:?}");
                }
                for (at, _) in text.match_indices('&') {
                    let entity = ["&amp;", "&lt;", "&gt;"]
                        .iter()
                        .any(|e| text[at..].starts_with(e));
                    assert!(entity, "{name}: bare & in {text:?}");
                }
            }
        }
    }
}

#[test]
fn hostile_topic_is_shown_as_typed() {
    let t = Texts::new();
    let (_, card) = messages(&t, Lang::En, &HOSTILE).remove(0);
    let section = card["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(section.starts_with(
        "*&lt;!channel&gt; &lt;@U123&gt; &amp;lt; &lt;https://evil.example|click&gt;*\n"
    ));
    assert!(section.contains("U1&gt; &lt;!here"), "{section}");
    let fallback = card["text"].as_str().unwrap();
    assert!(
        fallback.contains("&lt;!channel&gt; &lt;@U123&gt; &amp;lt;"),
        "{fallback}"
    );
}

#[test]
fn no_passcode_unless_one_is_given() {
    let t = Texts::new();
    for lang in Lang::ALL {
        let (_, card) = messages(&t, lang, &NORMAL_EN).remove(0);
        let json = card.to_string();
        assert!(!json.contains(NORMAL_EN.passcode), "{json}");
        assert!(!json.contains("\"call\""), "{json}");
    }
}
