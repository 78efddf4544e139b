//! Identifiers that are unique within the process and look random enough
//! for a fake (tokens, trigger ids, meeting passwords).

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

// Process-wide so that ids stay unique across fakes running in parallel tests.
static SEQUENCE: AtomicU64 = AtomicU64::new(1);

/// The next number of a process-wide sequence.
pub(crate) fn next() -> u64 {
    SEQUENCE.fetch_add(1, Ordering::Relaxed)
}

/// `len` lowercase hex characters, different on every call.
pub(crate) fn random_hex(len: usize) -> String {
    let seq = next();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut out = String::with_capacity(len + 64);
    let mut block = 0u64;
    while out.len() < len {
        let digest = Sha256::new()
            .chain_update(seq.to_le_bytes())
            .chain_update(nanos.to_le_bytes())
            .chain_update(block.to_le_bytes())
            .finalize();
        out.push_str(&hex::encode(digest));
        block += 1;
    }
    out.truncate(len);
    out
}

/// `len` characters from `[A-Za-z0-9]`, different on every call.
pub(crate) fn random_alnum(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let hex = random_hex(len * 2);
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let byte =
                u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("0"), 16).unwrap_or(0);
            char::from(ALPHABET[usize::from(byte) % ALPHABET.len()])
        })
        .collect()
}
