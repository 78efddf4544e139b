//! Snapshots of every message in both languages (`tests/render/snapshots/`).
//! Review a changed snapshot with `cargo insta review`.

use zlack_domain::{Lang, Texts};

use crate::catalog::{messages, normal, strings};

#[test]
fn every_message_matches_its_snapshot_in_both_languages() {
    let t = Texts::new();
    for lang in Lang::ALL {
        let inputs = normal(lang);
        for (name, payload) in messages(&t, lang, inputs) {
            insta::assert_json_snapshot!(format!("{name}.{}", lang.code()), payload);
        }
        insta::assert_json_snapshot!(
            format!("strings.{}", lang.code()),
            strings(&t, lang, inputs)
        );
    }
}
