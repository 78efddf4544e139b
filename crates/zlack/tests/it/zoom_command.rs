//! `/zoom` end to end through the fakes: connecting Zoom on first use,
//! starting and announcing meetings in every kind of conversation, and
//! the sub-commands around them.

use sandbox::{Fault, RecordedCall};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;
use crate::helpers::slash::{button_url, find_button, is_connected_dm};

async fn ready() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app
}

fn text_of(message: &Value) -> String {
    message.to_string()
}

fn posts(app: &TestApp) -> Vec<RecordedCall> {
    app.posts()
}

#[tokio::test]
async fn a_first_time_user_authorizes_once_and_the_meeting_starts_without_typing_again() {
    let app = ready().await;
    let url = app.slash(PUBLIC, ALICE, "meeting Weekly sync").await;
    app.run_jobs().await;
    let prompt = app.only_response(&url);
    assert_eq!(prompt["response_type"], "ephemeral");
    let link = button_url(&prompt, "zoom.authorize");
    assert!(
        link.starts_with("https://zlack.test/zoom/install?ref="),
        "{link}"
    );
    assert!(
        app.zoom.calls_to("POST /users").is_empty(),
        "no meeting before authorizing"
    );

    app.zoom.set_next_login(ZOOM_ALICE);
    let page = app.authorize_zoom(&link, ALICE).await;
    assert_eq!(page.status(), 200);
    let authorize = &app.zoom.calls_to("GET /oauth/authorize")[0];
    assert_eq!(authorize.args["code_challenge_method"], "S256");
    assert_eq!(
        authorize.args["redirect_uri"],
        "https://zlack.test/zoom/oauth/callback"
    );
    // Sign in with Slack came first, hinting the link's workspace.
    let sign_in = &app.slack.calls_to("openid.connect.authorize")[0];
    assert_eq!(sign_in.args["response_type"], "code");
    assert_eq!(sign_in.args["scope"], "openid");
    assert_eq!(sign_in.args["client_id"], SLACK_CLIENT_ID);
    assert_eq!(sign_in.args["team"], TEAM);
    assert_eq!(
        sign_in.args["redirect_uri"],
        "https://zlack.test/slack/openid/callback"
    );
    assert!(
        sign_in.args["nonce"]
            .as_str()
            .is_some_and(|n| n.len() >= 32)
    );
    assert_eq!(app.slack.calls_to("openid.connect.token").len(), 1);
    assert_eq!(app.slack.calls_to("openid.connect.userInfo").len(), 1);
    app.run_jobs().await;
    // Alice is told which Zoom account is now hers.
    let dm = app
        .slack
        .calls_to("chat.postMessage")
        .into_iter()
        .find(is_connected_dm)
        .expect("a DM names the connected Zoom account");
    assert_eq!(dm.args["channel"], ALICE);
    assert!(text_of(&dm.args).contains("alice@example.com"));
    assert!(text_of(&dm.args).contains("/zoom logout"));

    let created = app.zoom.calls_to("POST /users/me/meetings");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].args["topic"], "Weekly sync");
    assert_eq!(created[0].args["type"], 1);
    let calls = app.slack.calls_to("calls.add");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].args["created_by"], ALICE);
    assert_eq!(calls[0].args["title"], "Weekly sync");
    assert!(
        calls[0].args["desktop_app_join_url"]
            .as_str()
            .unwrap()
            .starts_with("zoommtg://zoom.us/join?")
    );
    let post = &posts(&app)[0];
    assert_eq!(post.args["channel"], PUBLIC);
    let call_id = app.slack.calls_to("calls.add")[0].status;
    assert_eq!(call_id, 200);
    let blocks = text_of(&post.args["blocks"]);
    assert!(blocks.contains("\"type\":\"call\""), "{blocks}");
    assert!(blocks.contains("Weekly sync"));
    assert!(!blocks.contains("zak="), "no start URL is ever posted");
    // The link is single-use.
    let again = app.browser().get(app.local(&link)).send().await.unwrap();
    assert_eq!(again.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn the_card_goes_where_the_app_may_post_and_through_the_response_url_elsewhere() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    assert_eq!(
        posts(&app).len(),
        1,
        "the resumed command posted in the public channel"
    );
    for channel in [PRIVATE, DM, GROUP_DM] {
        let url = app.slash(channel, ALICE, "").await;
        app.run_jobs().await;
        let answer = app.only_response(&url);
        assert_eq!(answer["response_type"], "in_channel", "{channel}");
        assert!(
            text_of(&answer["blocks"]).contains("\"type\":\"call\""),
            "{channel}"
        );
    }
    // Each conversation got exactly one meeting.
    assert_eq!(app.zoom.calls_to("POST /users/me/meetings").len(), 4);
    assert_eq!(app.slack.calls_to("calls.add").len(), 4);
    app.stop().await;
}

/// Every answer meaning "the app may not post here" sends the card
/// through the `response_url`, whichever flow met it.
#[tokio::test]
async fn a_card_slack_refuses_in_any_way_meaning_not_here_goes_through_the_response_url() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    for code in [
        "team_access_not_granted",
        "is_archived",
        "restricted_action_read_only_channel",
    ] {
        app.slack.fail_next(
            "chat.postMessage",
            Fault::SlackError { error: code.into() },
            1,
        );
        let url = app.slash(PUBLIC, ALICE, "").await;
        let ran = app.run_jobs().await;
        assert!(
            ran.iter()
                .all(|r| r.settlement == zlack::store::Settlement::Done),
            "{code}: {ran:?}"
        );
        let answer = app.only_response(&url);
        assert_eq!(answer["response_type"], "in_channel", "{code}");
        assert!(
            text_of(&answer["blocks"]).contains("\"type\":\"call\""),
            "{code}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_retried_command_never_creates_a_second_meeting() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.slack
        .fail_next("calls.add", Fault::ServerError { status: 500 }, 1);
    app.slash(PUBLIC, ALICE, "meeting Retry me").await;
    app.run_jobs().await;
    app.clock.advance_ms(60_000);
    app.run_jobs().await;
    let created: Vec<_> = app
        .zoom
        .calls_to("POST /users/me/meetings")
        .into_iter()
        .filter(|c| c.args["topic"] == "Retry me")
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(posts(&app).len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn join_posts_a_card_for_an_existing_meeting() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.zoom.add_meeting(serde_json::json!({
        "id": 85746352413_u64, "uuid": "abc==", "topic": "Board meeting", "type": 2,
        "start_time": "2026-12-01T09:00:00Z", "join_url": "https://zoom.us/j/85746352413?pwd=x",
        "host_id": ZOOM_ALICE
    }));
    app.slash(PUBLIC, ALICE, "join 857 4635 2413").await;
    app.run_jobs().await;
    let card = posts(&app).pop().unwrap();
    assert!(text_of(&card.args).contains("Board meeting"));
    // Alice's Slack time zone is Europe/Stockholm.
    assert!(
        text_of(&card.args).contains("2026-12-01 10:00 CET"),
        "{:#}",
        card.args
    );
    assert!(
        app.zoom.calls_to("POST /users/me/meetings").len() == 1,
        "join creates nothing"
    );
    // A meeting the user may not read is announced with its link alone.
    app.slash(
        PUBLIC,
        ALICE,
        "join https://us05web.zoom.us/j/12345678901?pwd=abc",
    )
    .await;
    app.run_jobs().await;
    let card = posts(&app).pop().unwrap();
    assert!(text_of(&card.args).contains("https://us05web.zoom.us/j/12345678901?pwd=abc"));
    app.stop().await;
}

#[tokio::test]
async fn join_me_uses_the_personal_meeting_room() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.slash(PUBLIC, ALICE, "join me").await;
    app.run_jobs().await;
    let card = posts(&app).pop().unwrap();
    assert!(
        text_of(&card.args).contains("zoom.us/j/"),
        "{:#}",
        card.args
    );
    assert_eq!(app.zoom.calls_to("POST /users/me/meetings").len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn help_and_unknown_words_answer_privately_with_every_sub_command() {
    let app = ready().await;
    let url = app.slash(PUBLIC, ALICE, "help").await;
    app.run_jobs().await;
    let help = app.only_response(&url);
    assert_eq!(help["response_type"], "ephemeral");
    for sub in [
        "/zoom meeting",
        "/zoom join",
        "/zoom join me",
        "/zoom call",
        "/zoom config",
        "/zoom logout",
        "/zoom help",
    ] {
        assert!(text_of(&help).contains(sub), "{sub} missing");
    }
    let url = app.slash(PUBLIC, ALICE, "dance").await;
    app.run_jobs().await;
    assert!(text_of(&app.only_response(&url)).contains("dance"));
    let url = app.slash(PUBLIC, ALICE, "call +46 8 123 456").await;
    app.run_jobs().await;
    assert_eq!(app.only_response(&url)["response_type"], "ephemeral");
    assert!(app.zoom.calls().is_empty(), "none of these needed Zoom");
    app.stop().await;
}

#[tokio::test]
async fn swedish_users_are_answered_in_swedish() {
    let app = ready().await;
    let url = app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    let prompt = app.only_response(&url);
    assert!(text_of(&prompt).contains("Auktorisera Zoom"), "{prompt:#}");
    app.stop().await;
}

#[tokio::test]
async fn config_buttons_change_settings_and_redraw_the_card() {
    let app = ready().await;
    let url = app.config_card(PUBLIC, ALICE).await;
    app.run_jobs().await;
    let card = app.only_response(&url);
    assert!(find_button(&card, "config.passcode.on").is_some());
    let response_url = app.slack.new_response_url();
    let payload = serde_json::json!({
        "type": "block_actions", "trigger_id": "t-1", "response_url": response_url,
        "team": {"id": crate::helpers::app::TEAM}, "user": {"id": ALICE},
        "actions": [{"action_id": "config.lang.sv", "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
    let redrawn = app.only_response(&response_url);
    assert_eq!(redrawn["replace_original"], true);
    assert!(
        text_of(&redrawn).contains("Svenska") || text_of(&redrawn).contains("svenska"),
        "{redrawn:#}"
    );
    // The choice sticks: the next prompt is Swedish even for an English locale.
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert!(text_of(&app.only_response(&url)).contains("Auktorisera Zoom"));
    app.stop().await;
}

#[tokio::test]
async fn logout_revokes_at_zoom_and_the_next_command_prompts_again() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let url = app.slash(PUBLIC, ALICE, "logout").await;
    app.run_jobs().await;
    assert_eq!(app.only_response(&url)["response_type"], "ephemeral");
    assert_eq!(app.zoom.calls_to("POST /oauth/revoke").len(), 1);
    assert!(
        app.store
            .zoom_link(&crate::helpers::app::TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_none()
    );
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert!(find_button(&app.only_response(&url), "zoom.authorize").is_some());
    app.stop().await;
}

#[tokio::test]
async fn a_workspace_without_zlack_gets_an_install_link() {
    let app = TestApp::spawn().await;
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let answer = app.only_response(&url);
    assert!(
        text_of(&answer).contains("https://zlack.test/slack/install"),
        "{answer:#}"
    );
    app.stop().await;
}

#[tokio::test]
async fn zoom_errors_reach_the_user_in_words_and_leave_nothing_behind() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let daily = Fault::ZoomError {
        status: 429,
        code: 429,
        message: "You have reached the maximum daily rate limit for this API.".into(),
    };
    app.zoom.fail_next("POST /users/me/meetings", daily, 1);
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let answer = app.only_response(&url);
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(text_of(&answer).contains("100"), "{answer:#}");

    app.zoom.fail_next(
        "POST /users/me/meetings",
        Fault::ServerError { status: 503 },
        10,
    );
    let url = app.slash(PUBLIC, ALICE, "").await;
    for _ in 0..4 {
        app.run_jobs().await;
        app.clock.advance_ms(60_000);
    }
    let answer = app.only_response(&url);
    assert_eq!(answer["response_type"], "ephemeral");
    assert_eq!(
        posts(&app).len(),
        1,
        "only the first meeting was ever posted"
    );
    app.stop().await;
}
