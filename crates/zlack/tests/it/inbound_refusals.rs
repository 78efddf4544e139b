//! Every inbound request is verified before anything is stored: 415, 413,
//! 401 and 400 change nothing.

use sandbox::{SignAs, slash_command_fields, unix_now, zoom_event};
use serde_json::json;

use zlack::clock::Clock;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::inbound::stored;

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
async fn forged_stale_and_unsigned_requests_get_401_and_store_nothing() {
    let app = TestApp::spawn().await;
    let body = command_body("");
    let form = "application/x-www-form-urlencoded";
    for sig in [
        SignAs::Forged,
        SignAs::Unsigned,
        // Relative to the app's clock, which the test harness holds still.
        SignAs::Slack {
            timestamp: app.clock.now_secs() - 301,
        },
        SignAs::Slack {
            timestamp: app.clock.now_secs() + 301,
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
        // NUL in the team id: a text the database could never store.
        (
            "/slack/events",
            json,
            br#"{"type":"event_callback","team_id":"T\u0000X","event_id":"EvNUL","event":{"type":"app_mention"}}"#
                .to_vec(),
            slack(),
        ),
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
        // PostgreSQL text cannot hold NUL: an account with one is refused
        // rather than failing to store on every retry.
        (
            "/zoom/webhook",
            json,
            br#"{"event":"meeting.ended","payload":{"account_id":"A\u0000B"}}"#.to_vec(),
            zoom(),
        ),
    ];
    for (path, content_type, body, sig) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        let response = app.signer.raw(path, content_type, body, sig).await;
        assert_eq!(response.status(), 400, "{path} {shown}");
    }
    assert_eq!(stored(&app).await, 0);
    app.stop().await;
}
