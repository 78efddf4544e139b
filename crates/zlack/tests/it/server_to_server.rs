//! Server-to-server mode: no user authorizes anything. zlack uses the
//! account's token, finds each Slack user's Zoom user by the email address
//! of their Slack profile (case-insensitively), or by an operator's
//! `zlack map-user`, and tells users who cannot be mapped exactly why.

use sandbox::ZoomUser;

use crate::helpers::TestApp;
use crate::helpers::app::{TEAM, server_to_server};
use crate::helpers::meetings::text_of;
use crate::helpers::people::*;
use crate::helpers::slash::find_button;

async fn s2s() -> TestApp {
    let app = TestApp::spawn_with(server_to_server).await;
    app.install_workspace().await;
    app
}

/// `user` types `/zoom text`; returns every answer on its response_url.
async fn zoom(app: &TestApp, channel: &str, user: &str, text: &str) -> Vec<serde_json::Value> {
    let url = app.slash(channel, user, text).await;
    app.run_jobs().await;
    app.responses(&url)
}

#[tokio::test]
async fn a_user_is_found_by_email_and_their_meeting_made_with_the_accounts_token() {
    let app = s2s().await;
    // Zoom spells Sven's address differently: the match ignores case.
    app.zoom.add_user(ZoomUser::new(
        ZOOM_SVEN,
        "SVEN@Example.COM",
        "Sven Svensson",
    ));
    let before = app.ok_calls("chat.postMessage").len();
    let answers = zoom(&app, PUBLIC, SVEN, "meeting Planning").await;
    assert!(
        answers
            .iter()
            .all(|a| find_button(a, "zoom.authorize").is_none()),
        "no user authorization in server-to-server mode: {answers:#?}"
    );
    let link = app
        .store
        .zoom_link(&TEAM.into(), &SVEN.into())
        .await
        .unwrap()
        .expect("linked");
    assert_eq!(link.zoom_user_id, ZOOM_SVEN);
    // The meeting was made for Sven by id, with an account token.
    let made = app
        .zoom
        .calls_to(&format!("POST /users/{ZOOM_SVEN}/meetings"));
    assert_eq!(made.len(), 1, "{:#?}", app.zoom.calls());
    let grants = app.zoom.calls_to("POST /oauth/token");
    assert_eq!(grants.len(), 1, "one account token, reused");
    assert_eq!(grants[0].args["grant_type"], "account_credentials");
    assert_eq!(grants[0].args["account_id"], sandbox::ZOOM_ACCOUNT_ID);
    assert!(app.ok_calls("chat.postMessage").len() > before, "the card");
    // A second meeting reuses the token and the link.
    zoom(&app, PUBLIC, SVEN, "").await;
    assert_eq!(app.zoom.calls_to("POST /oauth/token").len(), 1);
    assert_eq!(
        app.zoom
            .calls_to(&format!("POST /users/{ZOOM_SVEN}/meetings"))
            .len(),
        2
    );
    let audit = app.store.audit_log(0, 10).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "link" && e.detail.contains("by email")),
        "{audit:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn users_who_cannot_be_mapped_are_told_why_and_an_operator_can_map_them() {
    let app = s2s().await;
    // No email in Slack.
    app.slack
        .add_user(TEAM, "U0BO", "Bo Ek", None, "en-US", "Europe/Stockholm");
    let answers = zoom(&app, PUBLIC, "U0BO", "").await;
    assert!(
        text_of(&answers[0]).contains("Slack shows it none"),
        "{answers:#?}"
    );
    // An email Zoom does not know.
    app.slack.add_user(
        TEAM,
        "U0EVA",
        "Eva",
        Some("eva@elsewhere.example"),
        "sv-SE",
        "Europe/Stockholm",
    );
    let answers = zoom(&app, PUBLIC, "U0EVA", "").await;
    assert!(
        text_of(&answers[0]).contains("eva@elsewhere.example"),
        "{answers:#?}"
    );
    assert!(text_of(&answers[0]).contains("ingen användare"), "Swedish");
    // A deactivated Zoom user.
    let mut gone = ZoomUser::new(ZOOM_SVEN, "sven@example.com", "Sven Svensson");
    gone.status = "inactive".into();
    app.zoom.add_user(gone);
    let answers = zoom(&app, PUBLIC, SVEN, "").await;
    assert!(text_of(&answers[0]).contains("inaktiverad"), "{answers:#?}");
    for user in ["U0BO", "U0EVA", SVEN] {
        assert!(
            app.store
                .zoom_link(&TEAM.into(), &user.into())
                .await
                .unwrap()
                .is_none()
        );
    }
    assert!(
        app.zoom.calls_to("POST /users/").is_empty(),
        "no meeting made"
    );

    // The operator maps Bo to Alice's Zoom user by email; then /zoom works.
    use crate::helpers::process::run;
    let dir = tempfile::tempdir().unwrap();
    let mut envs = crate::helpers::app::settings(&app.db, &app.slack, &app.zoom);
    server_to_server(&mut envs);
    let args = [
        "map-user",
        "--team",
        TEAM,
        "--slack-user",
        "U0BO",
        "--zoom-user",
        "ALICE@example.com",
    ];
    let (status, stdout, stderr) = run(dir.path(), &envs, &args).await;
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains(ZOOM_ALICE), "{stdout}");
    let (status, _, stderr) = run(
        dir.path(),
        &envs,
        &[
            "map-user",
            "--team",
            TEAM,
            "--slack-user",
            "U0BO",
            "--zoom-user",
            "nobody@example.com",
        ],
    )
    .await;
    assert!(!status.success());
    assert!(stderr.contains("no user"), "{stderr}");
    zoom(&app, PUBLIC, "U0BO", "").await;
    assert_eq!(
        app.zoom
            .calls_to(&format!("POST /users/{ZOOM_ALICE}/meetings"))
            .len(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn zoom_phone_works_with_the_accounts_token() {
    let app = s2s().await;
    app.zoom
        .enable_phone(ZOOM_ALICE, Some("1001"), &["+46812345600"], "SE");
    let answers = zoom(&app, DM, ALICE, "call 08-123 456 78").await;
    let text = text_of(answers.last().unwrap());
    assert!(text.contains("+46 8 123 456 78"), "{answers:#?}");
    assert_eq!(
        app.zoom
            .calls_to(&format!("GET /phone/users/{ZOOM_ALICE}"))
            .len(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn refused_account_credentials_are_the_operators_to_fix() {
    let app = TestApp::spawn_with(|s| {
        server_to_server(s);
        for (k, v) in s.iter_mut() {
            if k == "ZLACK_ZOOM_CLIENT_SECRET" {
                *v = "wrong-secret".into();
            }
        }
    })
    .await;
    app.install_workspace().await;
    let answers = zoom(&app, PUBLIC, ALICE, "").await;
    assert!(
        text_of(&answers[0]).contains("zlack doctor"),
        "{answers:#?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn map_user_is_refused_outside_server_to_server_mode() {
    let app = TestApp::spawn().await;
    use crate::helpers::process::run;
    let dir = tempfile::tempdir().unwrap();
    let envs = crate::helpers::app::settings(&app.db, &app.slack, &app.zoom);
    let args = [
        "map-user",
        "--team",
        TEAM,
        "--slack-user",
        ALICE,
        "--zoom-user",
        ZOOM_ALICE,
    ];
    let (status, _, stderr) = run(dir.path(), &envs, &args).await;
    assert!(!status.success());
    assert!(stderr.contains("server-to-server"), "{stderr}");
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_none()
    );
    app.stop().await;
}

#[tokio::test]
async fn the_privacy_page_lists_the_account_apps_scopes() {
    let app = s2s().await;
    let html = app.get("/privacy").await.text().await.unwrap();
    for scope in zlack::manifest::ZOOM_SCOPES_ACCOUNT {
        assert!(html.contains(scope), "{scope}");
    }
    assert!(html.contains("own Zoom app"), "the account-app wording");
    assert!(!html.contains("only after you authorize it"));
    app.stop().await;
}

#[tokio::test]
async fn the_accounts_token_shows_nobody_what_they_could_not_see_themselves() {
    use crate::unfurls::{BOARD_URL, SECRET_NAME, add_board, paste, unfurl_calls};
    let app = s2s().await;
    // Alice's meeting, with its topic.
    zoom(&app, PUBLIC, ALICE, "meeting Board strategy").await;
    let made = app
        .zoom
        .calls_to(&format!("POST /users/{ZOOM_ALICE}/meetings"));
    assert_eq!(made.len(), 1);
    let alices = app
        .store
        .zoom_link(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .unwrap();
    let row = app
        .store
        .meeting_by_id(1)
        .await
        .unwrap()
        .filter(|m| m.host_slack_user_id == alices.slack_user_id.as_str())
        .expect("Alice's meeting");
    let id = row.zoom_meeting_id.unwrap();
    // Sven announces it: the link, not its topic or passcode.
    let before = app.ok_calls("chat.postMessage").len();
    zoom(&app, PUBLIC, SVEN, &format!("join {id}")).await;
    let posts = app.ok_calls("chat.postMessage");
    let card = text_of(&posts[before..].last().expect("a card").args);
    assert!(!card.contains("Board strategy"), "{card}");
    // A whiteboard Sven may read still unfurls plainly: the account's token
    // cannot tell what he may see.
    add_board(&app, &[ZOOM_SVEN]);
    paste(&app, SVEN, &[BOARD_URL], true).await;
    let (_, unfurls) = unfurl_calls(&app).pop().expect("an unfurl");
    let text = unfurls.to_string();
    assert!(!text.contains(SECRET_NAME), "{unfurls:#}");
    assert!(
        !text.contains("unfurl.connect"),
        "no Connect button: {unfurls:#}"
    );
    app.stop().await;
}
