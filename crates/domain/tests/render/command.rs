//! `ZLACK_SLASH_COMMAND`: every message and view names the configured
//! command, never a hard-coded `/zoom`.

use serde_json::Value;
use zlack_domain::render;
use zlack_domain::{Lang, Texts};

use crate::catalog::{messages, normal, strings};

/// Whether `text` names the slash command `/zoom` itself: followed by a
/// space, punctuation or the end, not part of a path or host
/// (`/zoom/install`, `https://zoom.us`).
fn names_zoom_command(text: &str) -> bool {
    let part_of_a_name = |c: char| c == '/' || c == '_' || c.is_alphanumeric();
    text.match_indices("/zoom").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + "/zoom".len()..].chars().next();
        !before.is_some_and(part_of_a_name) && !after.is_some_and(part_of_a_name)
    })
}

/// Every string in `value`.
fn texts_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| texts_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| texts_in(v, out)),
        _ => {}
    }
}

#[test]
fn no_message_or_view_names_zoom_under_another_command() {
    let t = Texts::with_command("/meet");
    for lang in Lang::ALL {
        let inputs = normal(lang);
        let mut rendered = messages(&t, lang, inputs);
        rendered.push(("strings", strings(&t, lang, inputs)));
        rendered.extend(crate::views::views(&t, lang));
        let mut named = 0;
        for (name, payload) in rendered {
            let mut texts = Vec::new();
            texts_in(&payload, &mut texts);
            for text in texts {
                assert!(!names_zoom_command(&text), "{name} in {lang:?}: {text}");
                named += usize::from(text.contains("/meet"));
            }
        }
        assert!(named >= 10, "{lang:?}: /meet named {named} times only");
    }
}

#[test]
fn help_and_the_prompts_name_the_configured_command() {
    let t = Texts::with_command("/meet");
    for lang in Lang::ALL {
        let code = lang.code();
        let named = [
            ("help", render::help(&t, lang, None)),
            (
                "help_unknown_word",
                render::help(&t, lang, Some("frobnicate")),
            ),
            ("schedule_usage", render::schedule_usage(&t, lang)),
            (
                "authorize_prompt",
                render::authorize_prompt(
                    &t,
                    lang,
                    "https://zlack.example.com/zoom/install?state=abc",
                ),
            ),
        ];
        for (name, message) in named {
            insta::assert_json_snapshot!(format!("meet_{name}.{code}"), message);
        }
    }
}
