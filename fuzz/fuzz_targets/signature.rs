//! The `v0` signature headers of Slack (`X-Slack-Request-Timestamp`,
//! `X-Slack-Signature`) and Zoom (`x-zm-request-timestamp`,
//! `x-zm-signature`), which share one check. Input: 8 bytes of "now",
//! then `timestamp\nsignature\nsecret\nbody`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zlack::signature::{SignatureError, check_headers, sign, verify, zoom_encrypted_token};

fuzz_target!(|data: &[u8]| {
    let Some((now, rest)) = data.split_first_chunk::<8>() else {
        return;
    };
    let now = i64::from_le_bytes(*now);
    let mut parts = rest.splitn(4, |b| *b == b'\n');
    let timestamp = parts.next().and_then(|p| std::str::from_utf8(p).ok());
    let signature = parts.next().and_then(|p| std::str::from_utf8(p).ok());
    let secret = parts
        .next()
        .and_then(|p| std::str::from_utf8(p).ok())
        .unwrap_or_default();
    let body = parts.next().unwrap_or_default();

    let headers = check_headers(timestamp, signature, now);
    let verified = verify(secret, timestamp, signature, body, now);
    // verify runs the header checks first: it fails where they fail.
    if let Err(e) = headers {
        assert_eq!(verified, Err(e));
    }
    // What a genuine sender signs, at the time it says, checks out.
    if let Some(ts) = timestamp.map(str::trim).filter(|t| !t.is_empty())
        && let Ok(at) = ts.parse::<i64>()
    {
        let genuine = sign(secret, ts, body);
        assert_eq!(verify(secret, Some(ts), Some(&genuine), body, at), Ok(()));
        if !body.is_empty() {
            let mut tampered = body.to_vec();
            tampered[0] ^= 1;
            assert_eq!(
                verify(secret, Some(ts), Some(&genuine), &tampered, at),
                Err(SignatureError::Mismatch)
            );
        }
    }
    let _ = zoom_encrypted_token(secret, signature.unwrap_or_default());
});
