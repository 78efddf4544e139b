//! `packaging/zlack.toml`, installed as `/etc/zlack/zlack.toml`, documents
//! every key: commented out in its lower-case spelling, with the
//! environment variable it stands for.

use super::KEYS;

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
