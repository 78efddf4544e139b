use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use sandbox::{
    SignAs, Signer, slack_signature, slash_command_fields, unix_now, zoom_encrypted_token,
    zoom_signature,
};
use serde_json::json;
use tokio::sync::mpsc;

const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const SLACK_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

const ZOOM_SECRET: &str = "zlack-test-webhook-secret";
const ZOOM_TS: i64 = 1_764_259_201;
const ZOOM_ENDED_BODY: &str = r#"{"event":"meeting.ended","event_ts":1764259200123,"payload":{"account_id":"AAAAAAAAAAAAAAAAAAAAAA","object":{"id":85746352413,"uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"z8yCxTTTTSiw02QgCAp8uQ","topic":"Veckomöte – planering","type":1,"start_time":"2025-11-27T15:00:00Z","end_time":"2025-11-27T15:34:10Z","duration":35,"timezone":"Europe/Stockholm"}}}"#;
const ZOOM_VALIDATION_BODY: &str = r#"{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1764259200000}"#;

#[test]
fn slack_signature_reproduces_slacks_published_vector() {
    assert_eq!(
        slack_signature(SLACK_SECRET, 1_531_420_618, SLACK_BODY.as_bytes()),
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    );
}

#[test]
fn zoom_signature_reproduces_the_zoom_vectors() {
    assert_eq!(
        zoom_signature(ZOOM_SECRET, ZOOM_TS, ZOOM_ENDED_BODY.as_bytes()),
        "v0=b9bccc1fd9742a6cb056afa3cc3cae630f4aa29059a68ed4c7f566d8f4011f5e"
    );
    assert_eq!(
        zoom_signature(ZOOM_SECRET, ZOOM_TS, ZOOM_VALIDATION_BODY.as_bytes()),
        "v0=420872ffb0338b5866a8e6f89dd4b7d786db9ba328192899fc9aa78561e0a540"
    );
    assert_ne!(
        zoom_signature(ZOOM_SECRET, ZOOM_TS, ZOOM_ENDED_BODY.as_bytes()),
        "v0=b9bccc1fd9742a6cb056afa3cc3cae630f4aa29059a68ed4c7f566d8f4011f50"
    );
}

#[test]
fn zoom_encrypted_token_reproduces_the_url_validation_vector() {
    assert_eq!(
        zoom_encrypted_token(ZOOM_SECRET, "qgg8vlvZRS6UYooatFL8Aw"),
        "121936c17be0c2b6540e94e527499978ec9902ef08da5c98c4c8e7424ec53e5a"
    );
}

#[test]
fn slash_command_fields_carry_a_fresh_trigger_id_each_time() {
    let fields = |text| slash_command_fields("T1", "C1", "U1", text, "http://x/response/1");
    let trigger = |f: Vec<(String, String)>| f.into_iter().find(|(k, _)| k == "trigger_id");
    let (first, second) = (trigger(fields("")), trigger(fields("")));
    assert!(first.is_some());
    assert_ne!(first, second);
    assert!(fields("").contains(&("command".into(), "/zoom".into())));
}

type Seen = (String, HeaderMap, Bytes);

/// A stand-in for zlack that reports what it received.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Seen>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handler = |path: &'static str| {
        let tx = tx.clone();
        post(move |headers: HeaderMap, body: Bytes| async move {
            let _ = tx.send((path.to_owned(), headers, body));
        })
    };
    let app = Router::new()
        .route("/slack/commands", handler("/slack/commands"))
        .route("/slack/events", handler("/slack/events"))
        .route("/slack/interactions", handler("/slack/interactions"))
        .route("/zoom/webhook", handler("/zoom/webhook"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn signer_signs_the_exact_bytes_it_sends() {
    let (url, mut rx) = receiver().await;
    let signer = Signer::new(&url, "slack-secret", "zoom-secret");

    signer
        .slack_command(&[("command", "/zoom"), ("text", "hi there")])
        .await;
    let (path, headers, body) = rx.recv().await.unwrap();
    assert_eq!(path, "/slack/commands");
    assert_eq!(body.as_ref(), b"command=%2Fzoom&text=hi+there");
    let ts: i64 = header(&headers, "x-slack-request-timestamp")
        .parse()
        .unwrap();
    assert!((unix_now() - ts).abs() < 60);
    assert_eq!(
        header(&headers, "x-slack-signature"),
        slack_signature("slack-secret", ts, &body)
    );

    signer
        .slack_interaction(&json!({"type": "block_actions"}))
        .await;
    let (_, _, body) = rx.recv().await.unwrap();
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap();
    assert_eq!(form[0].0, "payload");

    signer
        .zoom_webhook(&json!({"event": "meeting.ended"}))
        .await;
    let (path, headers, body) = rx.recv().await.unwrap();
    assert_eq!(path, "/zoom/webhook");
    let ts: i64 = header(&headers, "x-zm-request-timestamp").parse().unwrap();
    assert_eq!(
        header(&headers, "x-zm-signature"),
        zoom_signature("zoom-secret", ts, &body)
    );
}

#[tokio::test]
async fn signer_sends_stale_forged_and_unsigned_requests_on_demand() {
    let (url, mut rx) = receiver().await;
    let signer = Signer::new(&url, "slack-secret", "zoom-secret");
    let body = b"{}".to_vec();

    let stale = SignAs::Slack {
        timestamp: 1_531_420_618,
    };
    signer
        .raw("/slack/events", "application/json", body.clone(), stale)
        .await;
    let (_, headers, _) = rx.recv().await.unwrap();
    assert_eq!(header(&headers, "x-slack-request-timestamp"), "1531420618");
    assert_eq!(
        header(&headers, "x-slack-signature"),
        slack_signature("slack-secret", 1_531_420_618, b"{}")
    );

    signer
        .raw(
            "/zoom/webhook",
            "application/json",
            body.clone(),
            SignAs::Forged,
        )
        .await;
    let (_, headers, _) = rx.recv().await.unwrap();
    let ts: i64 = header(&headers, "x-zm-request-timestamp").parse().unwrap();
    assert_ne!(
        header(&headers, "x-zm-signature"),
        zoom_signature("zoom-secret", ts, b"{}")
    );

    signer
        .raw("/slack/events", "application/json", body, SignAs::Unsigned)
        .await;
    let (_, headers, _) = rx.recv().await.unwrap();
    assert!(headers.get("x-slack-signature").is_none());
    assert!(headers.get("x-zm-signature").is_none());
}
