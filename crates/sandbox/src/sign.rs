//! Request signatures as Slack and Zoom compute them.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{SystemTime, UNIX_EPOCH};

type HmacSha256 = Hmac<Sha256>;

fn hmac_hex(key: &str, parts: &[&[u8]]) -> String {
    let mut mac = HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC accepts any key length");
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

fn v0_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let prefix = format!("v0:{timestamp}:");
    format!("v0={}", hmac_hex(secret, &[prefix.as_bytes(), body]))
}

/// `"v0=" + hex(HMAC-SHA256(signing_secret, "v0:{timestamp}:{body}"))`, the
/// value of Slack's `X-Slack-Signature` header.
pub fn slack_signature(signing_secret: &str, timestamp: i64, body: &[u8]) -> String {
    v0_signature(signing_secret, timestamp, body)
}

/// The value of Zoom's `x-zm-signature` header: the same scheme as Slack's,
/// keyed with the webhook secret token.
pub fn zoom_signature(webhook_secret: &str, timestamp: i64, body: &[u8]) -> String {
    v0_signature(webhook_secret, timestamp, body)
}

/// `hex(HMAC-SHA256(webhook_secret, plain_token))`: the `encryptedToken` a
/// receiver must answer to Zoom's `endpoint.url_validation` event.
pub fn zoom_encrypted_token(webhook_secret: &str, plain_token: &str) -> String {
    hmac_hex(webhook_secret, &[plain_token.as_bytes()])
}

/// Seconds since the Unix epoch, per the system clock.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
