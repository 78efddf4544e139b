//! Block Kit limits hold even for absurd input.

use std::collections::HashSet;

use zlack_domain::render::limits;
use zlack_domain::{Lang, Texts};

use crate::catalog::{Inputs, NORMAL_EN, blocks, messages, strings_at};

fn chars(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn every_message_stays_within_block_kit_limits_for_huge_input() {
    let huge = "<&>".repeat(4000);
    let long_id = format!("U{}", "A".repeat(4000));
    let inputs = Inputs {
        topic: &huge,
        host: &long_id,
        passcode: &huge,
        starts: &huge,
        word: &huge,
        display_name: &huge,
        channel: &huge,
        user: &long_id,
        summary_title: &huge,
        summary: &huge,
        ..NORMAL_EN
    };
    let t = Texts::new();
    for lang in Lang::ALL {
        for (name, payload) in messages(&t, lang, &inputs) {
            // Unfurls have no fallback text of their own: the message has it.
            match payload["text"].as_str() {
                Some(fallback) => {
                    assert!(chars(fallback) <= limits::SECTION_TEXT, "{name}: fallback")
                }
                None => assert!(name.starts_with("unfurl_"), "{name}: no fallback"),
            }
            if let Some(title) = payload["preview"]["title"]["text"].as_str() {
                assert!(chars(title) <= 150, "{name}: preview title");
            }
            let blocks = blocks(&payload);
            assert!(blocks.len() <= limits::BLOCKS, "{name}");
            let mut ids = HashSet::new();
            for block in blocks {
                if let Some(id) = block["block_id"].as_str() {
                    assert!(ids.insert(id.to_owned()), "{name}: block_id {id} twice");
                    assert!(id.len() <= limits::ACTION_ID);
                }
                if let Some(text) = block["text"]["text"].as_str() {
                    assert!(chars(text) <= limits::SECTION_TEXT, "{name}: section");
                    assert!(!text.contains("<&"), "{name}: unescaped");
                }
                for button in block["elements"].as_array().into_iter().flatten() {
                    let label = button["text"]["text"].as_str().unwrap();
                    assert!(chars(label) <= limits::BUTTON_TEXT, "{name}: {label}");
                    let action = button["action_id"].as_str().unwrap();
                    assert!(action.len() <= limits::ACTION_ID, "{name}");
                    if let Some(value) = button["value"].as_str() {
                        assert!(chars(value) <= limits::ACTION_ID, "{name}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_long_topic_is_clipped_to_zooms_limit_and_still_escaped() {
    let topic = "a<".repeat(500);
    let t = Texts::new();
    let inputs = Inputs {
        topic: &topic,
        ..NORMAL_EN
    };
    let (_, card) = messages(&t, Lang::En, &inputs).remove(0);
    let section = card["blocks"][0]["text"]["text"].as_str().unwrap();
    let shown = section.lines().next().unwrap().trim_matches('*');
    assert_eq!(shown, format!("{}…", "a&lt;".repeat(99) + "a"));
    let mut all = Vec::new();
    strings_at(&card, "text", &mut all);
    assert!(all.iter().all(|s| !s.contains("a<")));
}
