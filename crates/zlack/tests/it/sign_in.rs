//! Sign in with Slack before a link connects Zoom: a forwarded "Authorize
//! Zoom" or reconnect link opened by someone else links nobody and runs
//! nothing; a Zoom account already linked to another Slack user is not
//! linked again; replays within the flow's lifetime link nothing twice.

use sandbox::RecordedCall;
use zlack::store::{TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::browse::Jar;
use crate::helpers::people::*;
use crate::helpers::slash::{button_url, find_button, is_connected_dm};

async fn ready() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app
}

/// `user` types `/zoom text`; returns the response URL and the prompt's
/// "Authorize Zoom" link.
async fn prompt_link(app: &TestApp, user: &str, text: &str) -> (String, String) {
    let url = app.slash(PUBLIC, user, text).await;
    app.run_jobs().await;
    let link = button_url(&app.only_response(&url), "zoom.authorize");
    (url, link)
}

/// Asserts that nothing links either Slack user or stores Zoom tokens.
async fn nothing_linked(app: &TestApp) {
    for user in [ALICE, SVEN] {
        assert!(
            app.store
                .zoom_link(&TEAM.into(), &user.into())
                .await
                .unwrap()
                .is_none()
        );
    }
    for zoom_user in [ZOOM_ALICE, ZOOM_SVEN] {
        let owner = TokenOwner::zoom_user(zoom_user);
        for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
            assert!(app.store.token(&owner, kind).await.unwrap().is_none());
        }
    }
}

fn texts(calls: &[RecordedCall]) -> String {
    calls
        .iter()
        .map(|c| c.args.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_forwarded_authorize_link_opened_by_someone_else_links_nobody_and_runs_nothing() {
    let app = ready().await;
    // Alice asks for a meeting and forwards the link; Sven opens it, signed
    // in to Slack as himself, with his own Zoom account at hand.
    let (url, link) = prompt_link(&app, ALICE, "meeting Forwarded").await;
    app.slack.set_next_sign_in(TEAM, SVEN);
    app.zoom.set_next_login(ZOOM_SVEN);
    let (page, hops) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(html.contains("This link is for someone else"), "{html}");
    assert_eq!(
        hops,
        [
            "https://zlack.test/zoom/install".to_owned(),
            app.slack.openid_authorize_url(),
            "https://zlack.test/slack/openid/callback".to_owned(),
        ],
        "refused before Zoom"
    );
    assert!(app.zoom.calls().is_empty(), "no Zoom authorization at all");
    app.run_jobs().await;
    nothing_linked(&app).await;
    assert_eq!(app.responses(&url).len(), 1, "only the prompt: nothing ran");
    assert!(app.slack.calls_to("chat.postMessage").is_empty());
    assert!(app.slack.calls_to("calls.add").is_empty());
    let audit = app.store.audit_log(0, 10).await.unwrap();
    assert!(audit.iter().all(|e| e.action != "link"), "{audit:?}");

    // The same user ID signed in to another workspace is someone else too.
    app.slack.set_next_sign_in("T0OTHER", ALICE);
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 403);
    nothing_linked(&app).await;

    // The link was not used up: Alice herself still finishes it, and her
    // meeting starts as before.
    app.zoom.set_next_login(ZOOM_ALICE);
    assert_eq!(app.authorize_zoom(&link, ALICE).await.status(), 200);
    app.run_jobs().await;
    let link_row = app
        .store
        .zoom_link(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link_row.zoom_user_id, ZOOM_ALICE);
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_none()
    );
    let made = app.zoom.calls_to("POST /users/me/meetings");
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].args["topic"], "Forwarded");
    app.stop().await;
}

#[tokio::test]
async fn a_reconnect_link_works_only_for_the_user_it_was_sent_to() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.zoom.revoke_refresh_tokens_of(ZOOM_ALICE);
    app.zoom.expire_access_tokens();
    app.clock.advance_ms(3_600_000);
    app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let dm = app
        .posts()
        .into_iter()
        .find(|c| c.args["channel"] == ALICE && find_button(&c.args, "zoom.reconnect").is_some())
        .expect("a reconnect DM");
    let link = button_url(&dm.args, "zoom.reconnect");
    let links_before = app
        .store
        .zoom_link(&TEAM.into(), &ALICE.into())
        .await
        .unwrap();

    app.slack.set_next_sign_in(TEAM, SVEN);
    app.zoom.set_next_login(ZOOM_SVEN);
    let zoom_calls = app.zoom.calls().len();
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 403);
    assert_eq!(app.zoom.calls().len(), zoom_calls, "no Zoom authorization");
    assert_eq!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap(),
        links_before
    );
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_none()
    );

    app.zoom.set_next_login(ZOOM_ALICE);
    assert_eq!(app.authorize_zoom(&link, ALICE).await.status(), 200);
    let relinked = app
        .store
        .zoom_link(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(relinked.status, zlack::store::LinkStatus::Ok);
    app.stop().await;
}

#[tokio::test]
async fn a_zoom_account_linked_to_another_slack_user_is_not_linked_again() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let alice_token = app
        .store
        .token(&TokenOwner::zoom_user(ZOOM_ALICE), TokenKind::ZoomRefresh)
        .await
        .unwrap()
        .unwrap();
    // Sven, signed in as himself, authorizes with Alice's Zoom account.
    let (url, link) = prompt_link(&app, SVEN, "meeting Mine").await;
    app.zoom.set_next_login(ZOOM_ALICE);
    let page = app.authorize_zoom(&link, SVEN).await;
    assert_eq!(page.status(), 409);
    let html = page.text().await.unwrap();
    assert!(html.contains("already connected"), "{html}");
    app.run_jobs().await;
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(app.responses(&url).len(), 1, "Sven's command did not run");
    let connected_dms: Vec<_> = app
        .slack
        .calls_to("chat.postMessage")
        .into_iter()
        .filter(is_connected_dm)
        .collect();
    assert_eq!(connected_dms.len(), 1, "only Alice's own connection");
    assert_eq!(connected_dms[0].args["channel"], ALICE);
    let kept = app
        .store
        .token(&TokenOwner::zoom_user(ZOOM_ALICE), TokenKind::ZoomRefresh)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.secret.expose(), alice_token.secret.expose());
    assert!(
        app.zoom.calls_to("POST /oauth/revoke").is_empty(),
        "nothing revoked"
    );

    // Once Alice disconnects, Sven's link (still unused) connects him.
    app.slash(PUBLIC, ALICE, "logout").await;
    app.run_jobs().await;
    assert_eq!(app.authorize_zoom(&link, SVEN).await.status(), 200);
    app.run_jobs().await;
    let sven = app
        .store
        .zoom_link(&TEAM.into(), &SVEN.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sven.zoom_user_id, ZOOM_ALICE);
    let made = app.zoom.calls_to("POST /users/me/meetings");
    assert!(made.iter().any(|m| m.args["topic"] == "Mine"));
    let dm = texts(&app.slack.calls_to("chat.postMessage"));
    assert!(dm.contains("alice@example.com"), "{dm}");
    app.stop().await;
}

#[tokio::test]
async fn replayed_callbacks_within_the_flows_lifetime_link_nothing_twice() {
    let app = ready().await;
    let (_, link) = prompt_link(&app, ALICE, "meeting Once").await;
    app.slack.set_next_sign_in(TEAM, ALICE);
    app.zoom.set_next_login(ZOOM_ALICE);
    let mut jar = Jar::default();
    // Up to Slack's redirect back to zlack; replayed after it succeeded.
    let to_callback = app
        .follow_until(&link, "https://zlack.test/slack/openid/callback", &mut jar)
        .await;
    let sign_in_back = crate::helpers::browse::location(&to_callback).unwrap();
    let signed_in_jar = jar.clone();
    let to_zoom = app.hop(&sign_in_back, &mut jar).await;
    assert_eq!(to_zoom.status(), 302);
    let replay = app.hop(&sign_in_back, &mut signed_in_jar.clone()).await;
    assert_eq!(replay.status(), 502, "Slack redeems a code once");
    // On through Zoom, then the Zoom callback twice.
    let zoom_authorize = crate::helpers::browse::location(&to_zoom).unwrap();
    let at_zoom = app.hop(&zoom_authorize, &mut jar).await;
    let zoom_back = crate::helpers::browse::location(&at_zoom).unwrap();
    let zoom_jar = jar.clone();
    assert_eq!(app.hop(&zoom_back, &mut jar).await.status(), 200);
    let again = app.hop(&zoom_back, &mut zoom_jar.clone()).await;
    assert!(again.status().is_client_error() || again.status().is_server_error());
    // Without the browser's cookie the state means nothing.
    let foreign = app.hop(&zoom_back, &mut Jar::default()).await;
    assert_eq!(foreign.status(), 400);
    app.run_jobs().await;
    let audit = app.store.audit_log(0, 20).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "link").count(), 1);
    assert_eq!(app.zoom.calls_to("POST /users/me/meetings").len(), 1);
    let dms = app.slack.calls_to("chat.postMessage");
    assert_eq!(dms.iter().filter(|c| is_connected_dm(c)).count(), 1);
    app.stop().await;
}

#[tokio::test]
async fn forged_expired_and_foreign_sign_in_states_are_refused() {
    let app = ready().await;
    let (_, link) = prompt_link(&app, ALICE, "").await;
    app.slack.set_next_sign_in(TEAM, ALICE);
    let mut jar = Jar::default();
    let to_callback = app
        .follow_until(&link, "https://zlack.test/slack/openid/callback", &mut jar)
        .await;
    let back = crate::helpers::browse::location(&to_callback).unwrap();
    let forged = back.replace("state=", "state=forged");
    assert_eq!(app.hop(&forged, &mut jar.clone()).await.status(), 400);
    assert_eq!(app.hop(&back, &mut Jar::default()).await.status(), 400);
    app.clock.advance_ms(10 * 60 * 1000 + 1);
    assert_eq!(app.hop(&back, &mut jar.clone()).await.status(), 400);
    assert!(
        app.slack.calls_to("openid.connect.token").is_empty(),
        "no code was exchanged"
    );
    assert!(app.zoom.calls().is_empty());
    nothing_linked(&app).await;
    app.stop().await;
}

#[test]
fn a_prompt_is_for_its_user_in_its_workspace_or_enterprise_org() {
    use zlack::flows::connect::Prompt;
    use zlack::slack::openid::SlackIdentity;
    let prompt = |enterprise: Option<&str>| Prompt {
        team_id: "T1".into(),
        enterprise_id: enterprise.map(Into::into),
        slack_user_id: "W1".into(),
        command: None,
    };
    let who = |user: &str, team: &str, enterprise: Option<&str>| SlackIdentity {
        user_id: user.into(),
        team_id: team.into(),
        enterprise_id: enterprise.map(str::to_owned),
    };
    assert!(prompt(None).is_for(&who("W1", "T1", None)));
    assert!(!prompt(None).is_for(&who("W2", "T1", None)));
    assert!(!prompt(None).is_for(&who("W1", "T2", None)));
    assert!(!prompt(None).is_for(&who("W1", "T2", Some("E1"))));
    // On Enterprise Grid a user ID is the org's: another workspace of the
    // same org is the same person.
    assert!(prompt(Some("E1")).is_for(&who("W1", "T2", Some("E1"))));
    assert!(!prompt(Some("E1")).is_for(&who("W1", "T2", Some("E2"))));
    assert!(!prompt(Some("E1")).is_for(&who("W1", "T2", None)));
}
