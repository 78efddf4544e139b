use crate::{client, query_param};
use sandbox::{FakeSlack, OAuthGrant};
use serde_json::Value;

#[tokio::test]
async fn oauth_install_exchanges_a_code_once_and_rotates_refresh_tokens() {
    let slack = FakeSlack::start().await;
    slack.set_oauth_client("cid", "csecret");
    let grant =
        OAuthGrant::new("T9", "xoxe.xoxb-first", "U9").with_rotation("xoxe-1-first", 43_200);
    slack.issue_oauth_code("code-1", grant);

    let authorize = format!(
        "{}?client_id=cid&scope=commands&redirect_uri=https%3A%2F%2Fz%2Fcb&state=s1",
        slack.authorize_url()
    );
    let redirect = client().get(&authorize).send().await.unwrap();
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(query_param(&location, "code").as_deref(), Some("code-1"));
    assert_eq!(query_param(&location, "state").as_deref(), Some("s1"));

    let access = format!("{}/oauth.v2.access", slack.api_url());
    let exchange = [("code", "code-1"), ("redirect_uri", "https://z/cb")];
    let wrong: Value = client()
        .post(&access)
        .basic_auth("cid", Some("nope"))
        .form(&exchange)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(wrong["error"], "bad_client_secret");
    let body: Value = client()
        .post(&access)
        .basic_auth("cid", Some("csecret"))
        .form(&exchange)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["access_token"], "xoxe.xoxb-first");
    assert_eq!(body["team"]["id"], "T9");
    assert_eq!(body["refresh_token"], "xoxe-1-first");
    let again: Value = client()
        .post(&access)
        .basic_auth("cid", Some("csecret"))
        .form(&exchange)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["error"], "invalid_code");

    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", "xoxe-1-first"),
        ("client_id", "cid"),
        ("client_secret", "csecret"),
    ];
    let rotated: Value = client()
        .post(&access)
        .form(&refresh)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rotated["ok"], true);
    assert_ne!(rotated["refresh_token"], "xoxe-1-first");
    let reused: Value = client()
        .post(&access)
        .form(&refresh)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reused["error"], "invalid_refresh_token");
}
