//! Published vectors: Slack's from its documentation, Zoom's accepted by
//! Zoom's own library (the last one refused by it).

use super::*;

const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const SLACK_TS: &str = "1531420618";
const SLACK_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SLACK_SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const ZOOM_SECRET: &str = "zlack-test-webhook-secret";
/// (name, timestamp, body, signature, valid)
const ZOOM_CASES: &[(&str, &str, &str, &str, bool)] = &[
    (
        "meeting.ended signed",
        "1764259201",
        "{\"event\":\"meeting.ended\",\"event_ts\":1764259200123,\"payload\":{\"account_id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"object\":{\"id\":85746352413,\"uuid\":\"4444AAAiAAAAAiAiAiiAii==\",\"host_id\":\"z8yCxTTTTSiw02QgCAp8uQ\",\"topic\":\"Veckomöte – planering\",\"type\":1,\"start_time\":\"2025-11-27T15:00:00Z\",\"end_time\":\"2025-11-27T15:34:10Z\",\"duration\":35,\"timezone\":\"Europe/Stockholm\"}}}",
        "v0=b9bccc1fd9742a6cb056afa3cc3cae630f4aa29059a68ed4c7f566d8f4011f5e",
        true,
    ),
    (
        "endpoint.url_validation",
        "1764259201",
        "{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event_ts\":1764259200000}",
        "v0=420872ffb0338b5866a8e6f89dd4b7d786db9ba328192899fc9aa78561e0a540",
        true,
    ),
    (
        "tampered signature",
        "1764259201",
        "{\"event\":\"meeting.ended\",\"event_ts\":1764259200123,\"payload\":{\"account_id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"object\":{\"id\":85746352413,\"uuid\":\"4444AAAiAAAAAiAiAiiAii==\",\"host_id\":\"z8yCxTTTTSiw02QgCAp8uQ\",\"topic\":\"Veckomöte – planering\",\"type\":1,\"start_time\":\"2025-11-27T15:00:00Z\",\"end_time\":\"2025-11-27T15:34:10Z\",\"duration\":35,\"timezone\":\"Europe/Stockholm\"}}}",
        "v0=b9bccc1fd9742a6cb056afa3cc3cae630f4aa29059a68ed4c7f566d8f4011f50",
        false,
    ),
];
const ZOOM_PLAIN_TOKEN: &str = "qgg8vlvZRS6UYooatFL8Aw";
const ZOOM_ENCRYPTED_TOKEN: &str =
    "121936c17be0c2b6540e94e527499978ec9902ef08da5c98c4c8e7424ec53e5a";

fn ts(text: &str) -> i64 {
    text.parse().unwrap()
}

#[test]
fn slacks_published_vector_verifies_with_the_clock_pinned() {
    assert_eq!(
        sign(SLACK_SECRET, SLACK_TS, SLACK_BODY.as_bytes()),
        SLACK_SIGNATURE
    );
    let now = ts(SLACK_TS) + 10;
    assert_eq!(
        verify(
            SLACK_SECRET,
            Some(SLACK_TS),
            Some(SLACK_SIGNATURE),
            SLACK_BODY.as_bytes(),
            now
        ),
        Ok(())
    );
}

#[test]
fn slacks_vector_is_stale_today() {
    let today = 1_795_000_000;
    assert_eq!(
        verify(
            SLACK_SECRET,
            Some(SLACK_TS),
            Some(SLACK_SIGNATURE),
            SLACK_BODY.as_bytes(),
            today
        ),
        Err(SignatureError::Stale)
    );
}

#[test]
fn zooms_vectors_verify_and_the_tampered_one_does_not() {
    for (name, stamp, body, signature, valid) in ZOOM_CASES {
        let result = verify(
            ZOOM_SECRET,
            Some(stamp),
            Some(signature),
            body.as_bytes(),
            ts(stamp),
        );
        assert_eq!(result.is_ok(), *valid, "{name}: {result:?}");
    }
}

#[test]
fn zooms_url_validation_answer_matches_the_vector() {
    assert_eq!(
        zoom_encrypted_token(ZOOM_SECRET, ZOOM_PLAIN_TOKEN),
        ZOOM_ENCRYPTED_TOKEN
    );
}

#[test]
fn the_window_is_five_minutes_each_way() {
    let body = b"{}";
    let signature = sign("s", "1000", body);
    for (now, ok) in [(1300, true), (700, true), (1301, false), (699, false)] {
        assert_eq!(
            verify("s", Some("1000"), Some(&signature), body, now).is_ok(),
            ok,
            "{now}"
        );
    }
}

#[test]
fn missing_and_malformed_headers_are_told_apart() {
    let sig = sign("s", "1000", b"x");
    assert_eq!(
        verify("s", None, Some(&sig), b"x", 1000),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        verify("s", Some("1000"), None, b"x", 1000),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        verify("s", Some("soon"), Some(&sig), b"x", 1000),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify("s", Some("1000"), Some("v1=abcd"), b"x", 1000),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify("s", Some("1000"), Some("v0=zz"), b"x", 1000),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify("t", Some("1000"), Some(&sig), b"x", 1000),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify("s", Some("1000"), Some(&sig), b"y", 1000),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn headers_alone_are_checked_before_any_body() {
    let sig = sign("s", "1000", b"x");
    assert_eq!(check_headers(Some("1000"), Some(&sig), 1000), Ok(()));
    assert_eq!(
        check_headers(None, Some(&sig), 1000),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        check_headers(Some("1000"), Some("v0=abcd"), 1000),
        Err(SignatureError::Malformed),
        "an HMAC-SHA256 has 32 bytes"
    );
    assert_eq!(
        check_headers(Some("1000"), Some(&sig), 1301),
        Err(SignatureError::Stale)
    );
}

#[test]
fn extreme_timestamps_are_stale_not_a_panic() {
    let sig = sign("s", "0", b"x");
    for ts in [
        i64::MIN.to_string(),
        i64::MAX.to_string(),
        "-0".to_owned(),
        "-1".to_owned(),
    ] {
        assert_eq!(
            verify("s", Some(&ts), Some(&sig), b"x", 1_795_000_000),
            Err(SignatureError::Stale),
            "{ts}"
        );
    }
    assert_eq!(
        verify("s", Some("0"), Some(&sig), b"x", i64::MIN),
        Err(SignatureError::Stale)
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_body_signed_verifies_and_any_change_fails(
            body in proptest::collection::vec(any::<u8>(), 0..512),
            flip in 0usize..512,
        ) {
            let sig = sign("secret", "1000", &body);
            prop_assert!(verify("secret", Some("1000"), Some(&sig), &body, 1000).is_ok());
            if !body.is_empty() {
                let mut changed = body.clone();
                changed[flip % body.len()] ^= 0x01;
                prop_assert_eq!(
                    verify("secret", Some("1000"), Some(&sig), &changed, 1000),
                    Err(SignatureError::Mismatch)
                );
            }
        }

        #[test]
        fn arbitrary_headers_never_panic(ts in ".{0,40}", sig in ".{0,80}", body in ".{0,64}") {
            let _ = verify("secret", Some(&ts), Some(&sig), body.as_bytes(), 1000);
        }

        #[test]
        fn any_timestamp_and_clock_never_panic(ts in any::<i64>(), now in any::<i64>()) {
            let sig = sign("secret", &ts.to_string(), b"x");
            let _ = verify("secret", Some(&ts.to_string()), Some(&sig), b"x", now);
        }
    }
}
