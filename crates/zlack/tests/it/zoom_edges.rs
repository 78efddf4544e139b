//! The edges of `/zoom`: every private answer in every kind of
//! conversation, refused OAuth states, errors in words, passcodes only on
//! request, and Slack token rotation.

use sandbox::{Fault, OAuthGrant};
use serde_json::Value;
use zlack::store::{TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;
use crate::helpers::slash::{button_url, find_button};

async fn ready() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app
}

/// A private answer: ephemeral, with blocks and a fallback text.
fn assert_private(answer: &Value, what: &str) {
    assert_eq!(answer["response_type"], "ephemeral", "{what}");
    assert!(
        answer["text"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: fallback text"
    );
    assert!(
        answer["blocks"].as_array().is_some_and(|b| !b.is_empty()),
        "{what}: blocks"
    );
}

#[tokio::test]
async fn every_private_answer_reaches_every_kind_of_conversation_through_its_response_url() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let posted = app.slack.calls_to("chat.postMessage").len();
    for channel in [PUBLIC, PRIVATE, DM, GROUP_DM] {
        for (text, check) in [
            ("help", "/zoom join me"),
            ("config", "config.passcode.on"),
            ("what", "what"),
            ("call <@U0SVEN|sven>", "Zoom Phone"),
            ("join", "/zoom join"),
            ("join not-a-meeting!", "join"),
        ] {
            // The settings open in a modal; the card comes when the
            // trigger expired, and goes through the response_url too.
            let url = if text == "config" {
                app.config_card(channel, ALICE).await
            } else {
                app.slash(channel, ALICE, text).await
            };
            app.run_jobs().await;
            let answer = app.only_response(&url);
            assert_private(&answer, &format!("{text} in {channel}"));
            assert!(
                answer.to_string().contains(check),
                "{text} in {channel}: {answer:#}"
            );
        }
    }
    assert_eq!(
        app.slack.calls_to("chat.postMessage").len(),
        posted,
        "nothing was posted in public"
    );
    assert_eq!(
        app.zoom.calls_to("POST /users/me/meetings").len(),
        1,
        "only connect's meeting"
    );
    app.stop().await;
}

#[tokio::test]
async fn logout_answers_privately_in_a_dm_too() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let url = app.slash(DM, ALICE, "logout").await;
    app.run_jobs().await;
    assert_private(&app.only_response(&url), "logout");
    let url = app.slash(GROUP_DM, ALICE, "logout").await;
    app.run_jobs().await;
    assert_private(&app.only_response(&url), "second logout");
    assert_eq!(
        app.zoom.calls_to("POST /oauth/revoke").len(),
        1,
        "nothing left to revoke"
    );
    app.stop().await;
}

/// Starts the Zoom flow from a prompt, signed in with Slack as Alice, up
/// to Zoom's authorize page; returns (state, cookie).
async fn zoom_flow(app: &TestApp) -> (String, String) {
    app.zoom.set_next_login(ZOOM_ALICE);
    app.slack.set_next_sign_in(TEAM, ALICE);
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let link = button_url(&app.only_response(&url), "zoom.authorize");
    let start = app
        .oauth_start_at(&link, &format!("{}/oauth/", app.zoom.oauth_url()))
        .await;
    assert_eq!(start.status, 302);
    assert!(
        start.cookie.starts_with("zlack_zoom_state="),
        "{}",
        start.cookie
    );
    (start.state, start.cookie)
}

async fn zoom_callback(app: &TestApp, state: &str, cookie: Option<&str>) -> u16 {
    app.oauth_code_status("/zoom/oauth/callback", "whatever", state, cookie)
        .await
}

#[tokio::test]
async fn bad_replayed_and_expired_zoom_states_are_refused_and_change_nothing() {
    let app = ready().await;
    let (state, cookie) = zoom_flow(&app).await;
    assert_eq!(zoom_callback(&app, "", Some(&cookie)).await, 400);
    assert_eq!(zoom_callback(&app, "made-up", Some(&cookie)).await, 400);
    assert_eq!(zoom_callback(&app, &state, None).await, 400);
    assert_eq!(
        zoom_callback(&app, &state, Some("zlack_zoom_state=other")).await,
        400
    );
    app.clock.advance_ms(10 * 60 * 1000 + 1);
    assert_eq!(
        zoom_callback(&app, &state, Some(&cookie)).await,
        400,
        "expired"
    );
    assert!(
        app.zoom.calls_to("POST /oauth/token").is_empty(),
        "no code was exchanged"
    );
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.store
            .token(&TokenOwner::zoom_user(ZOOM_ALICE), TokenKind::ZoomAccess)
            .await
            .unwrap()
            .is_none()
    );
    let bogus = app
        .browser()
        .get(format!("{}/zoom/install?ref=forged", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(bogus.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn a_deactivated_zoom_account_is_told_in_words() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let gone = Fault::ZoomError {
        status: 404,
        code: 1001,
        message: "User does not exist: zu_alice.".into(),
    };
    app.zoom.fail_next("POST /users/me/meetings", gone, 1);
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let answer = app.only_response(&url);
    assert_private(&answer, "deactivated");
    assert!(
        answer.to_string().to_lowercase().contains("deactivated"),
        "{answer:#}"
    );
    assert_eq!(
        app.store.meeting_count().await.unwrap(),
        1,
        "only connect's meeting is kept"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_command_run_after_its_response_url_expired_is_answered_in_a_dm() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.slash(DM, ALICE, "").await;
    app.clock.advance_ms(31 * 60 * 1000);
    app.run_jobs().await;
    let dm = app.slack.calls_to("chat.postMessage").pop().unwrap();
    assert_eq!(dm.args["channel"], ALICE);
    assert!(dm.args.to_string().contains("/zoom"), "{:#}", dm.args);
    assert_eq!(
        app.zoom.calls_to("POST /users/me/meetings").len(),
        1,
        "no late meeting"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_passcode_is_shown_only_when_the_user_asked_for_it() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let first = app.slack.calls_to("chat.postMessage").pop().unwrap();
    let created = app.zoom.calls_to("POST /users/me/meetings").pop().unwrap();
    let _ = created;
    assert!(
        !first.args["blocks"]
            .to_string()
            .to_lowercase()
            .contains("passcode")
    );
    let response_url = app.slack.new_response_url();
    let press = serde_json::json!({
        "type": "block_actions", "trigger_id": "t-pass", "response_url": response_url,
        "team": {"id": TEAM}, "user": {"id": ALICE},
        "actions": [{"action_id": "config.passcode.on", "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&press).await.status(), 200);
    app.run_jobs().await;
    app.slash(PUBLIC, ALICE, "meeting With passcode").await;
    app.run_jobs().await;
    let card = app.slack.calls_to("chat.postMessage").pop().unwrap();
    assert!(
        card.args["blocks"]
            .to_string()
            .to_lowercase()
            .contains("passcode"),
        "{:#}",
        card.args
    );
    assert!(find_button(&card.args, "meeting.join").is_some());
    app.stop().await;
}

#[tokio::test]
async fn a_rotating_slack_bot_token_is_refreshed_before_it_expires() {
    let app = TestApp::spawn().await;
    let grant =
        OAuthGrant::new(TEAM, "xoxe.xoxb-first", "U0ADMIN").with_rotation("xoxe-1-refresh", 43_200);
    assert_eq!(app.install_via_oauth(grant).await.status(), 200);
    app.clock.advance_ms(43_200_000 - 60_000);
    let url = app.slash(PUBLIC, ALICE, "help").await;
    app.run_jobs().await;
    assert_private(&app.only_response(&url), "help");
    let refreshes: Vec<_> = app
        .slack
        .calls_to("oauth.v2.access")
        .into_iter()
        .filter(|c| c.args["grant_type"] == "refresh_token")
        .collect();
    assert_eq!(refreshes.len(), 1);
    assert_eq!(refreshes[0].args["refresh_token"], "xoxe-1-refresh");
    let token = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(token.secret.expose(), "xoxe.xoxb-first");
    let rotated = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBotRefresh)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        rotated.secret.expose(),
        "xoxe-1-refresh",
        "the rotated refresh token is kept"
    );
    let lookups = app.slack.calls_to("users.info");
    assert_eq!(
        lookups.last().unwrap().bearer.as_deref(),
        Some(token.secret.expose())
    );
    app.stop().await;
}
