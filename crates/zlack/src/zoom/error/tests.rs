use super::*;
use reqwest::header::HeaderValue;

fn oauth(status: u16, body: &str) -> OAuthError {
    let status = StatusCode::from_u16(status).unwrap();
    oauth_error(status, &HeaderMap::new(), body.as_bytes(), &["s3cr3t"])
}

fn api(status: u16, headers: HeaderMap, body: &str) -> ZoomError {
    let status = StatusCode::from_u16(status).unwrap();
    api_error(status, &headers, body.as_bytes(), false)
}

#[test]
fn dead_grants_are_recognised_in_every_shape_zoom_uses() {
    for body in [
        r#"{"reason":"Invalid Token!","error":"invalid_request"}"#,
        r#"{"reason":"Invalid authorization code abc","error":"invalid_request"}"#,
        r#"{"error":"invalid_grant"}"#,
        r#"{"code":4735,"message":"Invalid refresh token."}"#,
        r#"{"code":4733,"message":"Code is expired."}"#,
        r#"{"code":4741,"message":"Token has been revoked."}"#,
    ] {
        assert_eq!(oauth(400, body), OAuthError::InvalidGrant, "{body}");
    }
    let unauthorized = r#"{"error":"invalid_grant","reason":"x"}"#;
    assert_eq!(oauth(401, unauthorized), OAuthError::InvalidGrant);
}

#[test]
fn server_trouble_is_never_a_dead_grant() {
    let body = r#"{"reason":"Invalid Token!","error":"invalid_grant"}"#;
    for status in [500, 502, 503, 504, 408] {
        assert!(matches!(oauth(status, body), OAuthError::Transient(_)));
    }
    assert!(matches!(oauth(429, body), OAuthError::RateLimited(_)));
    assert!(matches!(oauth(400, "<html>"), OAuthError::Unexpected(_)));
}

#[test]
fn client_problems_are_invalid_client() {
    let body = r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#;
    assert_eq!(oauth(401, body), OAuthError::InvalidClient);
    let disabled = r#"{"code":4717,"message":"The app has been disabled"}"#;
    assert_eq!(oauth(400, disabled), OAuthError::InvalidClient);
    assert_eq!(oauth(401, ""), OAuthError::InvalidClient);
}

#[test]
fn oauth_messages_lose_secrets_urls_and_credentials() {
    let body = r#"{"code":4709,"message":"Redirect URI mismatch for s3cr3t https://x.test/cb?code=1 abcdefghijklmnopqrstuvwxyz0123"}"#;
    let OAuthError::Unexpected(message) = oauth(400, body) else {
        panic!("a redirect mismatch is unexpected");
    };
    assert!(message.contains("4709") && message.contains("Redirect URI mismatch"));
    for leak in ["s3cr3t", "x.test", "code=1", "abcdefghijklmnop"] {
        assert!(!message.contains(leak), "{message}");
    }
}

#[test]
fn rate_limits_tell_daily_quota_from_per_second() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("90"));
    let per_second = r#"{"code":429,"message":"You have reached the maximum per-second rate limit for this API."}"#;
    let expected = ZoomError::RateLimited {
        retry_after: Duration::from_secs(90),
        daily: false,
    };
    assert_eq!(api(429, headers.clone(), per_second), expected);
    headers.insert("x-ratelimit-type", HeaderValue::from_static("Daily-limit"));
    assert!(matches!(
        api(429, headers, per_second),
        ZoomError::RateLimited { daily: true, .. }
    ));
}

#[test]
fn api_errors_are_sorted_by_status_and_code() {
    let none = HeaderMap::new;
    let body = |code: i64, message: &str| format!(r#"{{"code":{code},"message":"{message}"}}"#);
    assert_eq!(
        api(401, none(), &body(124, "Invalid access token.")),
        ZoomError::Unauthorized
    );
    assert_eq!(
        api(404, none(), &body(3001, "Meeting does not exist: 1.")),
        ZoomError::NotFound { code: 3001 }
    );
    assert!(matches!(
        api(400, none(), &body(200, "No permission.")),
        ZoomError::Forbidden { code: 200, .. }
    ));
    assert!(matches!(api(503, none(), ""), ZoomError::Transient(_)));
    let status = StatusCode::NOT_FOUND;
    let gone = body(1001, "User does not exist: me.");
    assert_eq!(
        api_error(status, &none(), gone.as_bytes(), true),
        ZoomError::AccountDeactivated
    );
    assert!(matches!(
        api(400, none(), &body(300, "Validation Failed.")),
        ZoomError::Api {
            status: 400,
            code: 300,
            ..
        }
    ));
}
