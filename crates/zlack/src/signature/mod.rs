//! The `v0` request signature that Slack and Zoom share:
//! `v0=` + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)),
//! checked in constant time within a five-minute window.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Requests older or newer than this are replays or bad clocks.
pub const WINDOW_SECS: i64 = 5 * 60;

/// Why a request's signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The timestamp or signature header is absent.
    #[error("signature or timestamp header missing")]
    Missing,
    /// The timestamp is not a number, or the signature not `v0=` and hex.
    #[error("signature or timestamp header malformed")]
    Malformed,
    /// The timestamp is further than [`WINDOW_SECS`] from now.
    #[error("timestamp outside the five-minute window")]
    Stale,
    /// The signature is not the one the secret gives for this body.
    #[error("signature does not match")]
    Mismatch,
}

fn mac(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length")
}

/// The signature a sender with `secret` puts on `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(b"v0:");
    m.update(timestamp.as_bytes());
    m.update(b":");
    m.update(body);
    format!("v0={}", hex::encode(m.finalize().into_bytes()))
}

/// The checks that need no body: both headers present and well formed,
/// the timestamp within the window. Run before a body is read, so a
/// request that cannot be genuine is refused without buffering it;
/// [`verify`] runs them again.
pub fn check_headers(
    timestamp: Option<&str>,
    signature: Option<&str>,
    now_secs: i64,
) -> Result<(), SignatureError> {
    parse_headers(timestamp, signature, now_secs).map(|_| ())
}

/// The timestamp as sent (trimmed) and the signature's bytes.
fn parse_headers<'a>(
    timestamp: Option<&'a str>,
    signature: Option<&str>,
    now_secs: i64,
) -> Result<(&'a str, Vec<u8>), SignatureError> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(SignatureError::Missing);
    };
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::Malformed)?;
    // An HMAC-SHA256 is 32 bytes; anything else cannot match.
    let given = signature
        .trim()
        .strip_prefix("v0=")
        .and_then(|h| hex::decode(h).ok())
        .filter(|bytes| bytes.len() == 32)
        .ok_or(SignatureError::Malformed)?;
    // abs_diff: an extreme timestamp must not overflow.
    if now_secs.abs_diff(ts) > WINDOW_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    Ok((timestamp.trim(), given))
}

/// Checks the headers' signature over the raw body at time `now_secs`.
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_secs: i64,
) -> Result<(), SignatureError> {
    let (timestamp, given) = parse_headers(timestamp, signature, now_secs)?;
    let mut m = mac(secret);
    m.update(b"v0:");
    m.update(timestamp.as_bytes());
    m.update(b":");
    m.update(body);
    let expected = m.finalize().into_bytes();
    if expected.as_slice().ct_eq(&given).into() {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Zoom's answer to `endpoint.url_validation`: hex HMAC of the plain token.
pub fn zoom_encrypted_token(secret: &str, plain_token: &str) -> String {
    let mut m = mac(secret);
    m.update(plain_token.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

#[cfg(test)]
mod tests;
