//! The text after `/zoom`, with every sub-command: meeting, join, config,
//! logout, help and call (whose target is read as a phone target too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zlack_domain::Command;
use zlack_domain::phone::parse_target;

fuzz_target!(|text: &str| {
    match zlack_domain::parse(text) {
        Command::Start { topic: Some(topic) } => {
            assert!(topic.chars().count() <= zlack_domain::command::TOPIC_MAX_CHARS);
        }
        Command::Call { target } => {
            assert!(!target.is_empty());
            let _ = parse_target(&target, None);
            let _ = parse_target(&target, Some("SE"));
        }
        _ => {}
    }
});
