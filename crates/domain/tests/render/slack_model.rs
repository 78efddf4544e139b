//! Our Block Kit JSON checked against slack-morphism's model of Slack's blocks.

use serde_json::Value;
use slack_morphism::prelude::SlackBlock;
use zlack_domain::{Lang, Texts};

use crate::catalog::{blocks, messages, normal};

#[test]
fn every_block_deserializes_into_slacks_model() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for (name, payload) in messages(&t, lang, normal(lang)) {
            for block in blocks(&payload) {
                let parsed: SlackBlock = serde_json::from_value(block.clone())
                    .unwrap_or_else(|e| panic!("{name}: {e}: {block}"));
                let is_call = block["type"] == "call";
                match &parsed {
                    // slack-morphism has no call block; it keeps it as Unknown.
                    SlackBlock::Unknown(_) => assert!(is_call, "{name}: unknown block {block}"),
                    _ => assert!(!is_call, "{name}: call block parsed as {parsed:?}"),
                }
                // Serializing back gives the same JSON, so no field of ours
                // was silently ignored by the model.
                let again: Value = serde_json::to_value(&parsed).expect("serializes");
                assert_eq!(&again, block, "{name}: round trip");
            }
        }
    }
}
