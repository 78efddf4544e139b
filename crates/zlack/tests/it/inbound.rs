//! Every inbound request is verified before anything is stored: 415, 413,
//! 401 and 400 change nothing; a verified request is stored once, however
//! often it is delivered, and acknowledged.

use sandbox::{SignAs, slack_event_callback, slash_command_fields, unix_now, zoom_event};
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;

async fn stored(app: &TestApp) -> i64 {
    app.store.inbox_count().await.unwrap()
}

fn command_body(text: &str) -> Vec<u8> {
    let fields = slash_command_fields(
        TEAM,
        "C0PUBLIC",
        "U0ALICE",
        text,
        "https://hooks.slack.test/commands/1",
    );
    serde_urlencoded::to_string(fields).unwrap().into_bytes()
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
async fn forged_stale_and_unsigned_requests_get_401_and_store_nothing() {
    let app = TestApp::spawn().await;
    let body = command_body("");
    let form = "application/x-www-form-urlencoded";
    for sig in [
        SignAs::Forged,
        SignAs::Unsigned,
        SignAs::Slack {
            timestamp: unix_now() - 301,
        },
        SignAs::Slack {
            timestamp: unix_now() + 301,
        },
        SignAs::Zoom {
            timestamp: unix_now(),
        },
    ] {
        let response = app
            .signer
            .raw("/slack/commands", form, body.clone(), sig)
            .await;
        assert_eq!(response.status(), 401);
    }
    let hook = serde_json::to_vec(&zoom_event("meeting.ended", 1, json!({"uuid": "u1"}))).unwrap();
    for sig in [
        SignAs::Forged,
        SignAs::Unsigned,
        SignAs::Slack {
            timestamp: unix_now(),
        },
    ] {
        let response = app
            .signer
            .raw("/zoom/webhook", "application/json", hook.clone(), sig)
            .await;
        assert_eq!(response.status(), 401);
    }
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_one_mebibyte_gets_413_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let mut body = command_body("");
    body.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    let now = SignAs::Slack {
        timestamp: unix_now(),
    };
    let response = app
        .signer
        .raw(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            now,
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_chunked_body_over_one_mebibyte_gets_413_too() {
    let app = TestApp::spawn().await;
    let mut body = command_body("");
    body.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    let ts = unix_now();
    let signature = sandbox::slack_signature(crate::helpers::app::SLACK_SIGNING_SECRET, ts, &body);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let response = reqwest::Client::new()
        .post(format!("{}/slack/commands", app.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-request-timestamp", ts.to_string())
        .header("x-slack-signature", signature)
        .body(reqwest::Body::wrap_stream(futures_stream(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + Sync + 'static {
    tokio_stream::iter(chunks)
}

#[tokio::test]
async fn a_wrong_content_type_gets_415() {
    let app = TestApp::spawn().await;
    let now = || SignAs::Slack {
        timestamp: unix_now(),
    };
    let response = app
        .signer
        .raw(
            "/slack/commands",
            "application/json",
            command_body(""),
            now(),
        )
        .await;
    assert_eq!(response.status(), 415);
    let response = app
        .signer
        .raw("/slack/events", "text/plain", b"{}".to_vec(), now())
        .await;
    assert_eq!(response.status(), 415);
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn malformed_bodies_get_400_and_store_nothing() {
    let app = TestApp::spawn().await;
    let slack = || SignAs::Slack {
        timestamp: unix_now(),
    };
    let zoom = || SignAs::Zoom {
        timestamp: unix_now(),
    };
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, &str, Vec<u8>, SignAs)> = vec![
        ("/slack/events", json, b"{not json".to_vec(), slack()),
        ("/slack/events", json, vec![0xff, 0xfe, b'{', b'}'], slack()),
        (
            "/slack/events",
            json,
            br#"{"type":"event_callback"}"#.to_vec(),
            slack(),
        ),
        (
            "/slack/events",
            json,
            br#"{"type":"event_callback","event_id":"","event":{"type":"x"}}"#.to_vec(),
            slack(),
        ),
        ("/slack/events", json, br#"[1,2,3]"#.to_vec(), slack()),
        (
            "/slack/events",
            json,
            br#"{"type":"something_new"}"#.to_vec(),
            slack(),
        ),
        (
            "/slack/commands",
            form,
            b"team_id=T1&text=hi".to_vec(),
            slack(),
        ),
        ("/slack/commands", form, vec![b't', b'=', 0xff], slack()),
        (
            "/slack/interactions",
            form,
            b"payload=%7Bnope".to_vec(),
            slack(),
        ),
        (
            "/slack/interactions",
            form,
            b"nothing=here".to_vec(),
            slack(),
        ),
        ("/zoom/webhook", json, b"{}".to_vec(), zoom()),
        (
            "/zoom/webhook",
            json,
            br#"{"event":"meeting.ended","payload":"x"}"#.to_vec(),
            zoom(),
        ),
        (
            "/zoom/webhook",
            json,
            br#"{"event":"endpoint.url_validation","payload":{}}"#.to_vec(),
            zoom(),
        ),
        ("/zoom/webhook", json, vec![0xc3, 0x28], zoom()),
    ];
    for (path, content_type, body, sig) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        let response = app.signer.raw(path, content_type, body, sig).await;
        assert_eq!(response.status(), 400, "{path} {shown}");
    }
    assert_eq!(stored(&app).await, 0);
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
