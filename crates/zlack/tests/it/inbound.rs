//! A verified inbound request is stored once, however often it is
//! delivered, and acknowledged; handshakes are answered and store nothing.
//! Refused requests are in `inbound_refusals`.

use sandbox::{SignAs, slack_event_callback, slash_command_fields, unix_now, zoom_event};
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;

pub(crate) async fn stored(app: &TestApp) -> i64 {
    app.store.inbox_count().await.unwrap()
}

#[tokio::test]
async fn a_signed_slash_command_is_stored_and_acknowledged() {
    let app = TestApp::spawn().await;
    let response_url = app.slack.new_response_url();
    let fields = slash_command_fields(TEAM, "C0PUBLIC", "U0ALICE", "", &response_url);
    let response = app.signer.slack_command(&fields).await;
    assert_eq!(response.status(), 200);
    assert_eq!(stored(&app).await, 1);
    let ran = app.run_jobs().await;
    assert_eq!(ran.len(), 1);
    assert_eq!(app.store.inbox_backlog().await.unwrap(), 0);
    // Not installed in this workspace: the answer says how to install.
    assert!(
        app.only_response(&response_url)
            .to_string()
            .contains("/slack/install")
    );
    app.stop().await;
}

#[tokio::test]
async fn slack_url_verification_echoes_the_challenge() {
    let app = TestApp::spawn().await;
    let response = app
        .signer
        .slack_event(&json!({"type": "url_verification", "token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}))
        .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn slack_ssl_check_is_answered_and_not_stored() {
    let app = TestApp::spawn().await;
    let response = app
        .signer
        .slack_command(&[("ssl_check", "1"), ("token", "x")])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn zoom_url_validation_answers_with_the_encrypted_token() {
    let app = TestApp::spawn().await;
    let body = json!({"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}, "event_ts": 1});
    let response = app.signer.zoom_webhook(&body).await;
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answer["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    assert_eq!(
        answer["encryptedToken"],
        sandbox::zoom_encrypted_token(
            crate::helpers::app::ZOOM_WEBHOOK_SECRET,
            "qgg8vlvZRS6UYooatFL8Aw"
        )
    );
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_zoom_webhook_delivered_three_times_is_stored_once() {
    let app = TestApp::spawn().await;
    let hook = zoom_event(
        "meeting.ended",
        1_764_259_200_123,
        json!({"uuid": "4444AAAiAAAAAiAiAiiAii==", "id": 85746352413_i64}),
    );
    for _ in 0..3 {
        assert_eq!(app.signer.zoom_webhook(&hook).await.status(), 200);
    }
    assert_eq!(stored(&app).await, 1);
    assert_eq!(app.run_jobs().await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_slack_event_redelivered_with_retry_headers_is_stored_once() {
    let app = TestApp::spawn().await;
    let event = slack_event_callback(
        TEAM,
        "Ev0001",
        json!({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}),
    );
    assert_eq!(app.signer.slack_event(&event).await.status(), 200);
    for retry in 1..=3 {
        assert_eq!(
            app.signer
                .slack_event_retry(&event, retry, "http_timeout")
                .await
                .status(),
            200
        );
    }
    let other = slack_event_callback(
        TEAM,
        "Ev0002",
        json!({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}),
    );
    assert_eq!(app.signer.slack_event(&other).await.status(), 200);
    assert_eq!(stored(&app).await, 2);
    app.stop().await;
}

#[tokio::test]
async fn interactions_are_stored_once_per_trigger() {
    let app = TestApp::spawn().await;
    let payload = json!({"type": "block_actions", "trigger_id": "123.456.abc", "actions": [{"action_id": "x"}]});
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    assert_eq!(stored(&app).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn endpoints_answer_503_while_their_secrets_are_unset() {
    let app = TestApp::spawn_with(|pairs| {
        pairs.retain(|(k, _)| k != "ZLACK_SLACK_SIGNING_SECRET" && k != "ZLACK_ZOOM_WEBHOOK_SECRET")
    })
    .await;
    let fields = slash_command_fields(TEAM, "C1", "U1", "", &app.slack.new_response_url());
    let response = app.signer.slack_command(&fields).await;
    assert_eq!(response.status(), 503);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("ZLACK_SLACK_SIGNING_SECRET")
    );
    let response = app
        .signer
        .zoom_webhook(&zoom_event("meeting.started", 1, json!({})))
        .await;
    assert_eq!(response.status(), 503);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("ZLACK_ZOOM_WEBHOOK_SECRET")
    );
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn arbitrary_signed_bodies_never_get_a_server_error() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let app = TestApp::spawn().await;
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(any::<u8>(), 0..256);
    let bodies: Vec<Vec<u8>> = (0..64)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    for body in bodies {
        for (path, content_type, sig) in [
            (
                "/slack/events",
                "application/json",
                SignAs::Slack {
                    timestamp: unix_now(),
                },
            ),
            (
                "/slack/commands",
                "application/x-www-form-urlencoded",
                SignAs::Slack {
                    timestamp: unix_now(),
                },
            ),
            (
                "/slack/interactions",
                "application/x-www-form-urlencoded",
                SignAs::Slack {
                    timestamp: unix_now(),
                },
            ),
            (
                "/zoom/webhook",
                "application/json",
                SignAs::Zoom {
                    timestamp: unix_now(),
                },
            ),
        ] {
            let status = app
                .signer
                .raw(path, content_type, body.clone(), sig)
                .await
                .status();
            assert!(
                status.is_success() || status.is_client_error(),
                "{path}: {status}"
            );
        }
    }
    app.stop().await;
}
