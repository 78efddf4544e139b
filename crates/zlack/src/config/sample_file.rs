//! `packaging/zlack.toml`, installed as `/etc/zlack/zlack.toml`, documents
//! every key in its lower-case spelling, with the environment variable it
//! stands for: commented out, except the database path the package owns.

use super::KEYS;
use super::sources::{FILE_KEYS, Sources};

const SAMPLE: &str = include_str!("../../../../packaging/zlack.toml");

#[test]
fn the_packaged_zlack_toml_documents_every_key() {
    let missing: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|key| {
            let name = key.trim_start_matches("ZLACK_").to_ascii_lowercase();
            let line = format!("{name} = ");
            let documented = SAMPLE
                .lines()
                .any(|l| l.strip_prefix("# ").unwrap_or(l).starts_with(&line));
            !(documented && SAMPLE.contains(key))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "packaging/zlack.toml lacks `# name = …` and the ZLACK_ name of {missing:?}"
    );
}

#[test]
fn the_packaged_zlack_toml_sets_only_the_database_in_the_state_directory() {
    // The unit sets no setting of its own, so that commands run with
    // `--config /etc/zlack/zlack.toml` open the service's database.
    let table: toml::Table = SAMPLE.parse().expect("packaging/zlack.toml is TOML");
    let keys: Vec<&String> = table.keys().collect();
    assert_eq!(keys, ["database_url"], "uncommented: {table:?}");
    assert_eq!(
        table["database_url"].as_str(),
        Some("sqlite:///var/lib/zlack/zlack.db")
    );
    let unit = include_str!("../../../../packaging/zlack.service");
    let env: Vec<&str> = unit
        .lines()
        .filter(|l| l.starts_with("Environment="))
        .collect();
    assert_eq!(env, ["Environment=ZLACK_CONFIG=/etc/zlack/zlack.toml"]);
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

/// Every `key = value` line, with the commented-out examples uncommented.
fn uncommented() -> String {
    SAMPLE
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
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
