//! `packaging/zlack.toml`, installed as `/etc/zlack/zlack.toml`, documents
//! every key: commented out in its lower-case spelling, with the
//! environment variable it stands for.

use super::KEYS;
use super::sources::{FILE_KEYS, Sources};

const SAMPLE: &str = include_str!("../../../../packaging/zlack.toml");

#[test]
fn the_packaged_zlack_toml_documents_every_key_commented_out() {
    let missing: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|key| {
            let name = key.trim_start_matches("ZLACK_").to_ascii_lowercase();
            let line = format!("# {name} = ");
            !(SAMPLE.lines().any(|l| l.starts_with(&line)) && SAMPLE.contains(key))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "packaging/zlack.toml lacks `# name = …` and the ZLACK_ name of {missing:?}"
    );
}

#[test]
fn the_packaged_zlack_toml_sets_nothing() {
    let table: toml::Table = SAMPLE.parse().expect("packaging/zlack.toml is TOML");
    assert!(table.is_empty(), "uncommented: {table:?}");
}

#[test]
fn the_packaged_zlack_toml_documents_the_file_form_of_every_secret() {
    let missing: Vec<&str> = FILE_KEYS
        .iter()
        .copied()
        .filter(|key| {
            let name = key.trim_start_matches("ZLACK_").to_ascii_lowercase();
            let line = format!("# {name}_file = ");
            !SAMPLE.lines().any(|l| l.starts_with(&line))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "packaging/zlack.toml lacks `# name_file = …` of {missing:?}"
    );
    assert!(SAMPLE.contains("LoadCredential="), "systemd credentials");
}

/// Every `# key = value` example, uncommented.
fn uncommented() -> String {
    SAMPLE
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| {
            l.split_once(" = ").is_some_and(|(key, _)| {
                !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn the_packaged_zlack_toml_examples_uncommented_are_a_valid_configuration() {
    let text = uncommented();
    let lines = text.lines().count();
    assert!(
        lines >= KEYS.len() + FILE_KEYS.len(),
        "{lines} examples:\n{text}"
    );
    let sources = Sources::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = super::Config::parse(&sources) {
        panic!("{e}");
    }
}
