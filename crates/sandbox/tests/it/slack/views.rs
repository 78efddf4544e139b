//! `views.open`, `views.publish`, `views.update`: checked as Slack checks
//! views, with triggers used once and expirable, and kept for tests.

use super::{call_form, workspace};
use serde_json::{Value, json};

fn modal(title: &str, blocks: Value) -> Value {
    json!({
        "type": "modal", "callback_id": "cb",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": blocks
    })
}

fn input() -> Value {
    json!({
        "type": "input", "block_id": "b1",
        "label": {"type": "plain_text", "text": "Pick"},
        "element": {"type": "radio_buttons", "action_id": "a",
            "options": [{"text": {"type": "plain_text", "text": "On"}, "value": "on"}]}
    })
}

async fn open(slack: &sandbox::FakeSlack, trigger: &str, view: &Value) -> Value {
    let view = view.to_string();
    call_form(
        slack,
        "views.open",
        &[("trigger_id", trigger), ("view", &view)],
    )
    .await
    .1
}

#[tokio::test]
async fn a_modal_opens_once_per_trigger_and_is_kept() {
    let slack = workspace().await;
    slack.set_trigger_user("t1", "U1");
    let answer = open(&slack, "t1", &modal("Settings", json!([input()]))).await;
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(answer["view"]["id"].as_str().unwrap().starts_with('V'));
    assert_eq!(slack.modals_of("U1").len(), 1);
    let again = open(&slack, "t1", &modal("Settings", json!([input()]))).await;
    assert_eq!(again["error"], "exchanged_trigger_id");
    slack.expire_trigger("t2");
    let late = open(&slack, "t2", &modal("Settings", json!([input()]))).await;
    assert_eq!(late["error"], "expired_trigger_id");
    let view = modal("Settings", json!([])).to_string();
    let missing = call_form(&slack, "views.open", &[("view", view.as_str())])
        .await
        .1;
    assert_eq!(missing["error"], "invalid_arguments");
    assert_eq!(slack.modals().len(), 1);
}

#[tokio::test]
async fn views_slack_would_refuse_are_refused() {
    let slack = workspace().await;
    let long_title = open(&slack, "t1", &modal(&"x".repeat(25), json!([]))).await;
    assert_eq!(long_title["error"], "invalid_arguments", "{long_title}");
    let unknown = open(
        &slack,
        "t2",
        &modal("Ok", json!([{"type": "call", "call_id": "R1"}])),
    )
    .await;
    assert_eq!(unknown["error"], "invalid_arguments", "{unknown}");
    let many: Vec<Value> = (0..101).map(|_| json!({"type": "divider"})).collect();
    let too_many = open(&slack, "t3", &modal("Ok", Value::from(many))).await;
    assert_eq!(too_many["error"], "invalid_arguments", "{too_many}");
    let mut no_submit = modal("Ok", json!([input()]));
    no_submit.as_object_mut().unwrap().remove("submit");
    let answer = open(&slack, "t4", &no_submit).await;
    assert_eq!(
        answer["error"], "invalid_arguments",
        "inputs need a submit button"
    );
    let home_as_modal = open(&slack, "t5", &json!({"type": "home", "blocks": []})).await;
    assert_eq!(home_as_modal["error"], "invalid_arguments");
    assert!(slack.modals().is_empty());
}

#[tokio::test]
async fn a_home_tab_is_kept_per_user_without_input_blocks_and_updated_by_hash() {
    let slack = workspace().await;
    let home = json!({"type": "home", "blocks": [{"type": "divider"}]}).to_string();
    let first = call_form(
        &slack,
        "views.publish",
        &[("user_id", "U1"), ("view", &home)],
    )
    .await
    .1;
    assert_eq!(first["ok"], true, "{first}");
    let with_input = json!({"type": "home", "blocks": [input()]}).to_string();
    let refused = call_form(
        &slack,
        "views.publish",
        &[("user_id", "U1"), ("view", &with_input)],
    )
    .await
    .1;
    assert_eq!(refused["error"], "invalid_arguments");
    let stale = call_form(
        &slack,
        "views.publish",
        &[("user_id", "U1"), ("view", &home), ("hash", "old")],
    )
    .await
    .1;
    assert_eq!(stale["error"], "hash_conflict");
    assert_eq!(slack.home_publishes("U1"), 1);
    let shown = slack.home_view("U1").unwrap();
    assert_eq!(shown.id, first["view"]["id"].as_str().unwrap());
    let updated =
        json!({"type": "home", "blocks": [{"type": "divider"}, {"type": "divider"}]}).to_string();
    let answer = call_form(
        &slack,
        "views.update",
        &[
            ("view_id", &shown.id),
            ("hash", &shown.hash),
            ("view", &updated),
        ],
    )
    .await
    .1;
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(
        slack.home_view("U1").unwrap().view["blocks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
