//! Socket Mode: commands, interactions and events arriving over Slack's
//! WebSocket connections become the same inbox rows as over HTTP, are
//! acknowledged only once stored, and survive refreshes and redeliveries.

use std::collections::HashSet;
use std::time::Duration;

use sandbox::slack_event_callback;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::{APP_TOKEN, TEAM};
use crate::helpers::people::*;
use crate::helpers::slash::find_button;

const WAIT: Duration = Duration::from_secs(30);

async fn spawn_socket_mode() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_SLACK_APP_TOKEN".into(), APP_TOKEN.into()));
    })
    .await;
    app.install_workspace().await;
    app.slack.wait_for_socket_connections(2, WAIT).await;
    app
}

/// `user` types `/zoom text` in PUBLIC, over Socket Mode; returns the
/// envelope id and the response_url.
fn push_slash(app: &TestApp, user: &str, text: &str) -> (String, String) {
    let response_url = app.slack.new_response_url();
    let fields = sandbox::slash_command_fields(TEAM, PUBLIC, user, text, &response_url);
    (app.slack.push_slash_command(&fields), response_url)
}

async fn acked(app: &TestApp, envelope: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let acks = app.slack.socket_acks();
        if acks.iter().any(|a| a.envelope_id == envelope) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{envelope} acked");
        app.slack.wait_for_socket_acks(acks.len() + 1, WAIT).await;
    }
}

fn link_shared(channel: &str, user: &str, url: &str) -> Value {
    json!({"type": "link_shared", "channel": channel, "is_bot_user_member": true, "user": user,
           "message_ts": "1764252000.000200", "source": "conversations_history",
           "unfurl_id": format!("{channel}.1764252000.000200.abcdef"),
           "links": [{"domain": "us05web.zoom.us", "url": url}],
           "user_locale": "en-US", "event_ts": "1764252001.000300"})
}

fn unfurls(app: &TestApp) -> Vec<Value> {
    app.slack
        .calls_to("chat.unfurl")
        .into_iter()
        .filter(|c| c.succeeded())
        .map(|c| match &c.args["unfurls"] {
            Value::String(s) => serde_json::from_str(s).unwrap(),
            other => other.clone(),
        })
        .collect()
}

#[tokio::test]
async fn a_command_a_button_and_a_shared_link_over_socket_mode_act_as_over_http() {
    let app = spawn_socket_mode().await;

    // `/zoom help`: the same private answer as its HTTP twin.
    let (envelope, url) = push_slash(&app, ALICE, "help");
    acked(&app, &envelope).await;
    app.run_jobs().await;
    let answer = |url: &str| {
        let mut answer = app.only_response(url);
        answer.as_object_mut().unwrap().remove("_id");
        answer
    };
    let over_socket = answer(&url);
    let http_url = app.slash(PUBLIC, ALICE, "help").await;
    app.run_jobs().await;
    assert_eq!(over_socket, answer(&http_url));
    assert_eq!(over_socket["response_type"], "ephemeral");

    // A settings button pressed by an admin sticks.
    app.slack.set_admin(ALICE, true);
    let response_url = app.slack.new_response_url();
    let fields = sandbox::slash_command_fields(TEAM, PUBLIC, ALICE, "config", &response_url);
    // Processed after its trigger expired: the settings card, not the modal.
    app.slack
        .expire_trigger(&fields.iter().find(|(k, _)| k == "trigger_id").unwrap().1);
    let (envelope, url) = (app.slack.push_slash_command(&fields), response_url);
    acked(&app, &envelope).await;
    app.run_jobs().await;
    assert!(find_button(&app.only_response(&url), "config.recordings.host_only").is_some());
    let response_url = app.slack.new_response_url();
    let press = json!({
        "type": "block_actions", "trigger_id": "t-socket-press",
        "response_url": response_url, "team": {"id": TEAM}, "user": {"id": ALICE},
        "actions": [{"action_id": "config.recordings.host_only", "type": "button"}]
    });
    let envelope = app.slack.push_interaction(&press);
    acked(&app, &envelope).await;
    app.run_jobs().await;
    let policy = app.store.recording_policy(&TEAM.into()).await.unwrap();
    assert_eq!(policy.unwrap(), "host_only");
    let redrawn = app.only_response(&response_url);
    assert_eq!(
        find_button(&redrawn, "config.recordings.host_only").unwrap()["style"],
        "primary"
    );

    // A meeting link shared in a message is unfurled, as over HTTP.
    app.connect(PUBLIC, ALICE).await;
    app.zoom
        .add_meeting(json!({"id": 81_234_567_890i64, "uuid": "live==",
        "host_id": ZOOM_ALICE, "topic": "Design review", "type": 1, "status": "started",
        "join_url": "https://us05web.zoom.us/j/81234567890"}));
    let link = "https://us05web.zoom.us/j/81234567890?pwd=abc";
    let event = slack_event_callback(TEAM, "EvSOCKET1", link_shared(PUBLIC, ALICE, link));
    let envelope = app.slack.push_event(&event);
    acked(&app, &envelope).await;
    app.run_jobs().await;
    let http_twin = slack_event_callback(TEAM, "EvHTTP1", link_shared(PUBLIC, ALICE, link));
    assert_eq!(app.signer.slack_event(&http_twin).await.status(), 200);
    app.run_jobs().await;
    let unfurled = unfurls(&app);
    assert_eq!(unfurled.len(), 2, "{unfurled:#?}");
    assert_eq!(unfurled[0], unfurled[1]);
    assert!(unfurled[0].to_string().contains("Design review"));
    app.stop().await;
}

#[tokio::test]
async fn an_envelope_is_acknowledged_only_once_stored_and_its_redelivery_is_processed_once() {
    let app = spawn_socket_mode().await;
    app.slack.set_socket_redelivery(Duration::from_millis(200));
    app.db
        .execute("ALTER TABLE inbox RENAME TO inbox_away")
        .await;

    let (envelope, url) = push_slash(&app, ALICE, "help");
    app.slack
        .wait_for_socket_deliveries(&envelope, 3, WAIT)
        .await;
    assert!(app.slack.socket_acks().is_empty(), "acked while not stored");

    app.db
        .execute("ALTER TABLE inbox_away RENAME TO inbox")
        .await;
    acked(&app, &envelope).await;
    app.run_jobs().await;
    assert_eq!(app.only_response(&url)["response_type"], "ephemeral");
    assert_eq!(app.db.row_counts().await["inbox"], 1);
    app.stop().await;
}

#[tokio::test]
async fn a_redelivered_envelope_or_its_http_twin_changes_nothing() {
    let app = spawn_socket_mode().await;
    let response_url = app.slack.new_response_url();
    let fields = sandbox::slash_command_fields(TEAM, PUBLIC, ALICE, "help", &response_url);
    let envelope = app.slack.push_slash_command(&fields);
    acked(&app, &envelope).await;
    app.run_jobs().await;

    app.slack.redeliver_envelope(&envelope);
    app.slack.wait_for_socket_acks(2, WAIT).await;
    assert_eq!(app.post_command(&fields).await.status(), 200);
    app.run_jobs().await;
    assert_eq!(app.responses(&response_url).len(), 1);
    assert_eq!(app.db.row_counts().await["inbox"], 1);
    app.stop().await;
}

#[tokio::test]
async fn a_refresh_in_the_middle_of_a_burst_loses_and_repeats_nothing() {
    let app = spawn_socket_mode().await;
    app.slack.set_socket_redelivery(Duration::from_secs(2));
    let first = app.slack.socket_connections();
    let mut urls = Vec::new();
    let mut envelopes = HashSet::new();
    for i in 0..500 {
        if i == 250 {
            app.slack.socket_disconnect(first[0], "refresh_requested");
        }
        let (envelope, url) = push_slash(&app, ALICE, "help");
        envelopes.insert(envelope);
        urls.push(url);
    }
    // The replacement said hello before the old connection went away.
    app.slack.wait_for_socket_closed(first[0], WAIT).await;
    assert_eq!(app.slack.socket_connections().len(), 2);
    assert_eq!(app.slack.socket_connections_opened(), 3);

    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let acked: HashSet<String> = app
            .slack
            .socket_acks()
            .into_iter()
            .map(|a| a.envelope_id)
            .collect();
        if envelopes.is_subset(&acked) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "every envelope acked"
        );
        let n = app.slack.socket_acks().len();
        app.slack.wait_for_socket_acks(n + 1, WAIT).await;
    }
    app.run_jobs().await;
    assert_eq!(app.db.row_counts().await["inbox"], 500);
    for url in &urls {
        assert_eq!(app.responses(url).len(), 1, "one answer per command");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_dropped_connection_is_replaced_and_envelopes_keep_flowing() {
    let app = spawn_socket_mode().await;
    let first = app.slack.socket_connections();
    app.slack.socket_close_abruptly(first[0]);
    app.slack.wait_for_socket_closed(first[0], WAIT).await;
    let now = app.slack.wait_for_socket_connections(2, WAIT).await;
    assert!(!now.contains(&first[0]));
    let (envelope, url) = push_slash(&app, ALICE, "help");
    acked(&app, &envelope).await;
    app.run_jobs().await;
    assert_eq!(app.responses(&url).len(), 1);

    let metrics = app.get("/metrics").await.text().await.unwrap();
    for expected in [
        "zlack_slack_socket_connections 2",
        "zlack_slack_socket_reconnects_total{reason=",
        r#"zlack_slack_socket_envelopes_total{type="slash_commands"} 1"#,
        "zlack_slack_socket_ack_seconds_count 1",
    ] {
        assert!(
            metrics.contains(expected),
            "missing {expected} in\n{metrics}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn link_disabled_stops_reconnecting() {
    let app = spawn_socket_mode().await;
    for connection in app.slack.socket_connections() {
        app.slack.socket_disconnect(connection, "link_disabled");
        app.slack.wait_for_socket_closed(connection, WAIT).await;
    }
    // With a 20 ms backoff, a client that kept trying would have opened
    // many connections by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(app.slack.socket_connections().is_empty());
    assert_eq!(app.slack.socket_connections_opened(), 2);
    assert_eq!(app.slack.calls_to("apps.connections.open").len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn a_refused_app_token_is_not_retried_at_once() {
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_SLACK_APP_TOKEN".into(), "xapp-1-wrong".into()));
    })
    .await;
    let calls = app
        .slack
        .wait_for_calls("apps.connections.open", 2, WAIT)
        .await;
    assert!(
        calls
            .iter()
            .all(|c| c.error.as_deref() == Some("invalid_auth"))
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.slack.calls_to("apps.connections.open").len(), 2);
    assert!(app.slack.socket_connections().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn the_landing_page_says_how_slack_reaches_the_server() {
    // Before the first install: once set up, the page shows no details.
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_SLACK_APP_TOKEN".into(), APP_TOKEN.into()));
    })
    .await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(
        html.contains("Socket Mode (this server connects to Slack)"),
        "{html}"
    );
    assert!(
        html.contains("Webhook (Zoom connects to this server)"),
        "{html}"
    );
    app.stop().await;
    let app = TestApp::spawn().await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(
        html.contains("Request URLs (Slack connects to this server)"),
        "{html}"
    );
    app.stop().await;
}

#[tokio::test]
async fn pings_are_answered_and_a_silent_connection_is_replaced() {
    let app = TestApp::spawn_socket_mode(zlack::slack::socket_mode::Settings {
        ping_interval: Duration::from_millis(100),
        dead_after: Duration::from_millis(600),
        ..crate::helpers::app::socket_mode_settings()
    })
    .await;
    let first = app.slack.wait_for_socket_connections(2, WAIT).await;
    app.slack.socket_ping(first[1]);
    app.slack.wait_for_socket_pongs(1, WAIT).await;

    app.slack.socket_freeze(first[0]);
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.slack.socket_connections_opened() < 3 {
        assert!(tokio::time::Instant::now() < deadline, "replaced");
        app.slack
            .wait_for_socket_connections(app.slack.socket_connections().len() + 1, WAIT)
            .await;
    }
    app.slack.socket_close_abruptly(first[0]);
    app.slack.wait_for_socket_closed(first[0], WAIT).await;
    app.install_workspace().await;
    let (envelope, url) = push_slash(&app, ALICE, "help");
    acked(&app, &envelope).await;
    app.run_jobs().await;
    assert_eq!(app.responses(&url).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_peer_that_stops_reading_cannot_hold_a_reconnect_or_shutdown() {
    let app = spawn_socket_mode().await;
    let first = app.slack.socket_connections();
    // Far more pongs than the TCP buffers hold: the writer blocks.
    app.slack
        .socket_stop_reading_and_flood(first[0], 200_000, Duration::from_secs(120))
        .await;
    // The stuck connection is given up and replaced.
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.slack.socket_connections_opened() < 3 {
        assert!(tokio::time::Instant::now() < deadline, "replaced");
        app.slack
            .wait_for_socket_connections(app.slack.socket_connections().len() + 1, WAIT)
            .await;
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"zlack_slack_socket_reconnects_total{reason="write_timeout"} 1"#),
        "{metrics}"
    );
    // Stopping while the other connection is stuck the same way still ends.
    app.slack
        .socket_stop_reading_and_flood(first[1], 200_000, Duration::from_secs(120))
        .await;
    tokio::time::timeout(Duration::from_secs(60), app.stop())
        .await
        .expect("the app stops");
}

#[tokio::test]
async fn envelopes_with_nul_in_stored_text_are_acked_and_dropped() {
    let app = spawn_socket_mode().await;
    let event = slack_event_callback(
        "T\u{0}NUL",
        "EvNUL1",
        link_shared(PUBLIC, ALICE, "https://us05web.zoom.us/j/1"),
    );
    let refused = app.slack.push_event(&event);
    acked(&app, &refused).await;
    // The next envelope, maybe in the same batch, is stored as usual.
    let (envelope, _) = push_slash(&app, ALICE, "help");
    acked(&app, &envelope).await;
    assert_eq!(app.db.row_counts().await["inbox"], 1);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"zlack_slack_socket_envelopes_refused_total{reason="nul"} 1"#),
        "{metrics}"
    );
    app.stop().await;
}

#[tokio::test]
async fn reading_pauses_while_the_envelopes_in_flight_are_not_stored() {
    use crate::helpers::hostile::metric;
    let app = TestApp::spawn_socket_mode(zlack::slack::socket_mode::Settings {
        connections: 1,
        in_flight: 4,
        ..crate::helpers::app::socket_mode_settings()
    })
    .await;
    app.install_workspace().await;
    app.slack.wait_for_socket_connections(1, WAIT).await;
    let lock = app.db.lock_inbox().await;
    let envelopes: Vec<String> = (0..10).map(|_| push_slash(&app, ALICE, "help").0).collect();
    let series = r#"zlack_slack_socket_envelopes_total{type="slash_commands"} "#;
    let read = || async {
        let text = app.get("/metrics").await.text().await.unwrap();
        metric(&text, series)
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    while read().await < 4.0 {
        assert!(tokio::time::Instant::now() < deadline, "four read");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A reader that did not wait would have read all ten by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(read().await, 4.0);
    assert!(app.slack.socket_acks().is_empty());
    lock.release().await;
    for envelope in &envelopes {
        acked(&app, envelope).await;
    }
    assert_eq!(app.db.row_counts().await["inbox"], 10);
    app.stop().await;
}
