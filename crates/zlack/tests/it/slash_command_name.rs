//! `ZLACK_SLASH_COMMAND`: a server that answers to `/meet` (beside Zoom's
//! own Slack app, which owns `/zoom`) names `/meet` in its answers, and
//! still answers a request for the old name.

use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::app::{APP_TOKEN, TEAM};
use crate::helpers::people::*;
use crate::helpers::slash::{button_url, is_connected_dm};

async fn meet() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_SLASH_COMMAND".into(), "/meet".into()));
    })
    .await;
    app.install_workspace().await;
    app
}

/// `user` types `command text` in `channel`; returns its response_url.
async fn typed(app: &TestApp, command: &str, channel: &str, user: &str, text: &str) -> String {
    let response_url = app.slack.new_response_url();
    let mut fields = sandbox::slash_command_fields(TEAM, channel, user, text, &response_url);
    for (key, value) in &mut fields {
        match key.as_str() {
            "command" => *value = command.to_owned(),
            "trigger_id" => app.slack.set_trigger_user(value, user),
            _ => {}
        }
    }
    let ack = app.post_command(&fields).await;
    assert_eq!(ack.status(), 200, "slash command acknowledged");
    response_url
}

/// Whether `text` names the slash command `/zoom` itself (not the path
/// `/zoom/install` or the host `zoom.us`).
fn names_zoom_command(text: &str) -> bool {
    let part_of_a_name = |c: char| c == '/' || c == '_' || c.is_alphanumeric();
    text.match_indices("/zoom").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + "/zoom".len()..].chars().next();
        !before.is_some_and(part_of_a_name) && !after.is_some_and(part_of_a_name)
    })
}

fn text_of(message: &Value) -> String {
    message.to_string()
}

#[tokio::test]
async fn help_and_the_authorize_prompt_name_the_configured_command() {
    let app = meet().await;
    let url = typed(&app, "/meet", PUBLIC, ALICE, "help").await;
    app.run_jobs().await;
    let help = text_of(&app.only_response(&url));
    for sub in [
        "How to use /meet",
        "`/meet` –",
        "/meet meeting",
        "/meet join me",
        "/meet schedule",
        "/meet call",
        "/meet config",
        "/meet logout",
        "/meet help",
    ] {
        assert!(help.contains(sub), "{sub} missing: {help}");
    }
    assert!(!names_zoom_command(&help), "{help}");

    let url = typed(&app, "/meet", PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let prompt = app.only_response(&url);
    assert_eq!(prompt["response_type"], "ephemeral");
    let prompt_text = text_of(&prompt);
    assert!(
        prompt_text.contains("To start meetings with /meet, authorize Zoom once."),
        "{prompt_text}"
    );
    assert!(!names_zoom_command(&prompt_text), "{prompt_text}");

    // Once connected, the DM says how to disconnect: with /meet.
    app.zoom.set_next_login(ZOOM_ALICE);
    let link = button_url(&prompt, "zoom.authorize");
    assert_eq!(app.authorize_zoom(&link, ALICE).await.status(), 200);
    app.run_jobs().await;
    let dm = app
        .slack
        .calls_to("chat.postMessage")
        .into_iter()
        .find(is_connected_dm)
        .expect("a DM names the connected Zoom account");
    assert!(
        text_of(&dm.args).contains("type /meet logout"),
        "{:#}",
        dm.args
    );
    assert!(!names_zoom_command(&text_of(&dm.args)));
    app.stop().await;
}

#[tokio::test]
async fn a_request_for_the_old_command_is_still_answered_naming_the_new_one() {
    // The operator set ZLACK_SLASH_COMMAND=/meet, but the Slack app still
    // sends /zoom: the user gets their answer, which names /meet.
    let app = meet().await;
    let url = typed(&app, "/zoom", PUBLIC, ALICE, "help").await;
    app.run_jobs().await;
    let help = text_of(&app.only_response(&url));
    assert!(help.contains("How to use /meet"), "{help}");
    assert!(!names_zoom_command(&help), "{help}");
    // The operator can see that the Slack app still sends the old name
    // (logged once per process; counted every time).
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let renamed = metrics
        .lines()
        .find_map(|line| line.strip_prefix("zlack_slack_commands_renamed_total "))
        .and_then(|value| value.parse::<f64>().ok());
    assert!(renamed.is_some_and(|n| n >= 1.0), "{metrics}");
    app.stop().await;
}

#[tokio::test]
async fn the_pages_name_the_configured_command() {
    let app = meet().await;
    for path in ["/", "/privacy"] {
        let page = app
            .http
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("/meet"), "{path}: {page}");
        assert!(!names_zoom_command(&page), "{path}: {page}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_default_command_is_still_zoom() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let url = app.slash(PUBLIC, ALICE, "help").await;
    app.run_jobs().await;
    let help = text_of(&app.only_response(&url));
    assert!(help.contains("How to use /zoom"), "{help}");
    assert!(help.contains("`/zoom join me`"), "{help}");
    assert!(!help.contains("/meet"), "{help}");
    app.stop().await;
}

#[tokio::test]
async fn over_socket_mode_the_configured_command_is_answered_naming_it() {
    let wait = std::time::Duration::from_secs(30);
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_SLASH_COMMAND".into(), "/meet".into()));
        s.push(("ZLACK_SLACK_APP_TOKEN".into(), APP_TOKEN.into()));
    })
    .await;
    app.install_workspace().await;
    app.slack.wait_for_socket_connections(2, wait).await;
    let response_url = app.slack.new_response_url();
    let mut fields = sandbox::slash_command_fields(TEAM, PUBLIC, ALICE, "help", &response_url);
    for (key, value) in &mut fields {
        if key == "command" {
            *value = "/meet".to_owned();
        }
    }
    let envelope = app.slack.push_slash_command(&fields);
    while !app
        .slack
        .socket_acks()
        .iter()
        .any(|a| a.envelope_id == envelope)
    {
        let n = app.slack.socket_acks().len();
        app.slack.wait_for_socket_acks(n + 1, wait).await;
    }
    app.run_jobs().await;
    let help = text_of(&app.only_response(&response_url));
    assert!(help.contains("`/meet join me`"), "{help}");
    assert!(!names_zoom_command(&help), "{help}");
    app.stop().await;
}
