//! The fake Zoom, driven over HTTP like zlack drives it.

mod api;
mod oauth;
mod phone;

use crate::{client, query_param};
use sandbox::{FakeZoom, ZoomUser};
use serde_json::Value;

pub const REDIRECT: &str = "https://zlack.example/zoom/oauth/callback";

pub async fn zoom() -> FakeZoom {
    let zoom = FakeZoom::start().await;
    zoom.set_client("zcid", "zsecret");
    zoom.add_user(ZoomUser::new("zu1", "anna@example.com", "Anna Berg"));
    zoom.set_next_login("zu1");
    zoom
}

/// Runs the authorize step and returns the code.
pub async fn authorize(zoom: &FakeZoom, challenge: Option<&str>) -> String {
    let mut url = format!(
        "{}/oauth/authorize?response_type=code&client_id=zcid&state=st",
        zoom.oauth_url()
    );
    url.push_str(&format!(
        "&redirect_uri={}",
        "https%3A%2F%2Fzlack.example%2Fzoom%2Foauth%2Fcallback"
    ));
    if let Some(challenge) = challenge {
        url.push_str(&format!(
            "&code_challenge={challenge}&code_challenge_method=S256"
        ));
    }
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT));
    assert_eq!(query_param(&location, "state").as_deref(), Some("st"));
    query_param(&location, "code").unwrap()
}

pub async fn token(zoom: &FakeZoom, params: &[(&str, &str)]) -> (u16, Value) {
    let response = client()
        .post(format!("{}/oauth/token", zoom.oauth_url()))
        .basic_auth("zcid", Some("zsecret"))
        .form(params)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

pub async fn exchange(zoom: &FakeZoom, code: &str) -> Value {
    let params = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
    ];
    let (status, body) = token(zoom, &params).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub async fn create_meeting(zoom: &FakeZoom, access: &str, body: &Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}/users/me/meetings", zoom.api_url()))
        .bearer_auth(access)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}
