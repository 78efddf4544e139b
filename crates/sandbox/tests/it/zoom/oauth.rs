use super::{REDIRECT, authorize, create_meeting, exchange, token, zoom};
use crate::client;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn code_exchange_then_refresh_rotates_and_refuses_the_old_refresh_token() {
    let zoom = zoom().await;
    let code = authorize(&zoom, None).await;
    let first = exchange(&zoom, &code).await;
    assert_eq!(first["token_type"], "bearer");
    assert_eq!(first["expires_in"], 3600);
    assert_eq!(first["api_url"], zoom.base_url().as_str());
    let old = first["refresh_token"].as_str().unwrap();

    let refresh = [("grant_type", "refresh_token"), ("refresh_token", old)];
    let (status, second) = token(&zoom, &refresh).await;
    assert_eq!(status, 200);
    assert_ne!(second["refresh_token"].as_str().unwrap(), old);
    let (status, reused) = token(&zoom, &refresh).await;
    assert_eq!(status, 400);
    assert_eq!(
        reused,
        json!({"reason": "Invalid Token!", "error": "invalid_grant"})
    );
    assert_eq!(zoom.token_grants(), 1);

    let params = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    assert_eq!(token(&zoom, &params).await.0, 400, "codes are single use");
    assert_eq!(zoom.calls_to("POST /oauth/token").len(), 4);
}

#[tokio::test]
async fn pkce_verifier_must_match_the_challenge() {
    let zoom = zoom().await;
    let verifier = "a-very-long-and-random-code-verifier-0123456789";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let code = authorize(&zoom, Some(&challenge)).await;

    let wrong = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", "wrong"),
    ];
    let (status, body) = token(&zoom, &wrong).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
    let right = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ];
    assert_eq!(token(&zoom, &right).await.0, 200);
}

#[tokio::test]
async fn wrong_client_credentials_are_refused() {
    let zoom = zoom().await;
    let response = client()
        .post(format!(
            "{}/oauth/token?grant_type=account_credentials&account_id=acc",
            zoom.oauth_url()
        ))
        .basic_auth("zcid", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
}

#[tokio::test]
async fn revoke_kills_access_and_refresh_tokens() {
    let zoom = zoom().await;
    let code = authorize(&zoom, None).await;
    let tokens = exchange(&zoom, &code).await;
    let access = tokens["access_token"].as_str().unwrap();
    let response = client()
        .post(format!("{}/oauth/revoke?token={access}", zoom.oauth_url()))
        .basic_auth("zcid", Some("zsecret"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": "success"})
    );

    assert_eq!(create_meeting(&zoom, access, &json!({})).await.0, 401);
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    assert_eq!(token(&zoom, &refresh).await.0, 400);
}
