//! The fake Slack, driven over HTTP like zlack drives it.

mod faults;
mod oauth;
mod openid;
mod views;
mod web_api;

use crate::client;
use sandbox::FakeSlack;
use serde_json::Value;

pub const TOKEN: &str = "xoxb-test-token";

pub async fn workspace() -> FakeSlack {
    let slack = FakeSlack::start().await;
    slack.add_workspace("T1", TOKEN);
    slack
}

pub async fn call_form(slack: &FakeSlack, method: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = client()
        .post(format!("{}/{method}", slack.api_url()))
        .bearer_auth(TOKEN)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

pub async fn call_json(slack: &FakeSlack, method: &str, body: &Value) -> Value {
    let response = client()
        .post(format!("{}/{method}", slack.api_url()))
        .bearer_auth(TOKEN)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    response.json().await.unwrap()
}
