use super::{TOKEN, call_form, call_json, workspace};
use crate::{WAIT, client};
use sandbox::ChannelKind;
use serde_json::{Value, json};

#[tokio::test]
async fn post_message_is_recorded_with_its_blocks_parsed() {
    let slack = workspace().await;
    let blocks = r#"[{"type":"call","call_id":"R1"}]"#;
    let form = [("channel", "C1"), ("text", "hi"), ("blocks", blocks)];
    let (status, body) = call_form(&slack, "chat.postMessage", &form).await;

    assert_eq!(status, 200);
    assert_eq!(body["ok"], true);
    assert_eq!(body["channel"], "C1");
    assert!(body["ts"].as_str().unwrap().contains('.'));
    let calls = slack.calls_to("chat.postMessage");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].bearer.as_deref(), Some(TOKEN));
    assert_eq!(calls[0].args["blocks"][0]["call_id"], "R1");
    assert_eq!(calls[0].arg("text"), Some("hi"));
    assert_eq!(calls[0].status, 200);
}

#[tokio::test]
async fn message_timestamps_increase() {
    let slack = workspace().await;
    let first = call_json(
        &slack,
        "chat.postMessage",
        &json!({"channel": "C1", "text": "a"}),
    )
    .await;
    let second = call_json(
        &slack,
        "chat.postMessage",
        &json!({"channel": "C1", "text": "b"}),
    )
    .await;
    let ts = |v: &Value| v["ts"].as_str().unwrap().parse::<f64>().unwrap();
    assert!(ts(&second) > ts(&first));
}

#[tokio::test]
async fn missing_arguments_are_refused_and_still_recorded() {
    let slack = workspace().await;
    let body = call_json(&slack, "chat.postMessage", &json!({"channel": "C1"})).await;
    assert_eq!(body["ok"], false);
    assert_eq!(body["error"], "invalid_arguments");

    let body = call_json(
        &slack,
        "calls.add",
        &json!({"external_unique_id": "m1", "join_url": "https://zoom.us/j/1"}),
    )
    .await;
    assert_eq!(
        body["error"], "invalid_arguments",
        "a bot token needs created_by"
    );
    assert_eq!(slack.calls().len(), 2);
}

#[tokio::test]
async fn tokens_are_checked() {
    let slack = workspace().await;
    let url = format!("{}/auth.test", slack.api_url());
    let body: Value = client()
        .post(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["error"], "not_authed");
    let body: Value = client()
        .post(&url)
        .bearer_auth("xoxb-nope")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["error"], "invalid_auth");
    let body: Value = client()
        .post(&url)
        .form(&[("token", TOKEN)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["team_id"], "T1");

    call_form(&slack, "auth.revoke", &[]).await;
    assert_eq!(
        call_form(&slack, "auth.test", &[]).await.1["error"],
        "token_revoked"
    );
}

#[tokio::test]
async fn unknown_methods_are_refused() {
    let slack = workspace().await;
    assert_eq!(
        call_form(&slack, "chat.frobnicate", &[]).await.1["error"],
        "unknown_method"
    );
}

#[tokio::test]
async fn the_bot_posts_only_where_slack_lets_it() {
    let slack = workspace().await;
    slack.add_channel("G1", ChannelKind::Private, false);
    slack.add_channel("D1", ChannelKind::Im, false);
    slack.add_channel("C2", ChannelKind::Public, false);
    let post = |channel: &'static str| {
        let slack = slack.clone();
        async move {
            call_json(
                &slack,
                "chat.postMessage",
                &json!({"channel": channel, "text": "x"}),
            )
            .await
        }
    };
    assert_eq!(post("G1").await["error"], "not_in_channel");
    assert_eq!(post("D1").await["error"], "channel_not_found");
    assert_eq!(post("C2").await["ok"], true);
    assert_eq!(post("U1").await["ok"], true);
}

#[tokio::test]
async fn response_urls_record_json_bodies_and_allow_five_uses() {
    let slack = workspace().await;
    let url = slack.new_response_url();
    let body = json!({"response_type": "in_channel", "text": "Meeting started"});
    for _ in 0..5 {
        assert_eq!(
            client()
                .post(&url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    assert_eq!(
        client()
            .post(&url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let calls = slack.wait_for_calls("response_url", 6, WAIT).await;
    assert_eq!(calls[0].args["response_type"], "in_channel");
    assert_eq!(calls[0].arg("_id"), url.rsplit('/').next());
}

#[tokio::test]
async fn calls_api_tracks_participants() {
    let slack = workspace().await;
    let users = r#"[{"slack_id":"U1"}]"#;
    let form = [
        ("external_unique_id", "m1"),
        ("join_url", "https://zoom.us/j/1"),
        ("created_by", "U1"),
        ("users", users),
    ];
    let (_, added) = call_form(&slack, "calls.add", &form).await;
    let id = added["call"]["id"].as_str().unwrap().to_owned();

    let bad = call_form(
        &slack,
        "calls.participants.add",
        &[("id", &id), ("users", r#"[{"name":"x"}]"#)],
    )
    .await;
    assert_eq!(bad.1["error"], "invalid_arguments");
    let more = r#"[{"external_id":"z1","display_name":"Guest"}]"#;
    assert_eq!(
        call_form(
            &slack,
            "calls.participants.add",
            &[("id", &id), ("users", more)]
        )
        .await
        .1["ok"],
        true
    );
    let (_, info) = call_form(&slack, "calls.info", &[("id", &id)]).await;
    assert_eq!(info["call"]["users"].as_array().unwrap().len(), 2);
    assert_eq!(
        call_form(&slack, "calls.end", &[("id", &id)]).await.1["ok"],
        true
    );
}

#[tokio::test]
async fn user_lookups_answer_registered_users() {
    let slack = workspace().await;
    slack.add_user(
        "T1",
        "U1",
        "Anna Berg",
        Some("anna@example.com"),
        "sv-SE",
        "Europe/Stockholm",
    );
    let (_, info) = call_form(
        &slack,
        "users.info",
        &[("user", "U1"), ("include_locale", "true")],
    )
    .await;
    assert_eq!(info["user"]["locale"], "sv-SE");
    assert_eq!(info["user"]["profile"]["email"], "anna@example.com");
    let (_, found) = call_form(
        &slack,
        "users.lookupByEmail",
        &[("email", "ANNA@example.com")],
    )
    .await;
    assert_eq!(found["user"]["id"], "U1");
    let (_, missing) = call_form(&slack, "users.info", &[("user", "U404")]).await;
    assert_eq!(missing["error"], "user_not_found");
}
