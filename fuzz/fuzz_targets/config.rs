//! Configuration values: the `ZLACK_*` environment and `zlack.toml`.
//! Input: lines of `K value`, where the byte `K` picks the key (its value
//! modulo the number of keys); the whole input is also read as TOML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zlack::config::{Config, DatabaseUrl, EncryptionKey, KEYS, Sources, mask_url_password};

fuzz_target!(|text: &str| {
    let pairs: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|line| {
            let key = KEYS[usize::from(*line.as_bytes().first()?) % KEYS.len()];
            Some((key, line.get(1..)?))
        })
        .collect();
    for (_, value) in &pairs {
        let _ = DatabaseUrl::parse(value);
        let _ = EncryptionKey::parse(value);
        let _ = mask_url_password(value);
    }
    let _ = Config::parse(&Sources::from_pairs(pairs));
    if let Ok(sources) = Sources::from_toml(text) {
        let _ = Config::parse(&sources);
    }
});
