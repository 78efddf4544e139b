//! Organization mode: a Zoom admin authorizes once for the account and
//! picks the Slack workspace; everyone there is found by email. Someone
//! without admin rights is told to ask their Zoom admin; a workspace that
//! used personal mode keeps its history while personal tokens are revoked.

use sandbox::ZoomUser;
use zlack::store::{TokenKind, TokenOwner, ZoomLink};

use crate::helpers::TestApp;
use crate::helpers::app::{BOT_TOKEN, TEAM};
use crate::helpers::browse::Jar;
use crate::helpers::meetings::text_of;
use crate::helpers::people::*;

pub(crate) async fn org() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_ZOOM_MODE".into(), "organization".into()));
    })
    .await;
    app.install_workspace().await;
    let mut admin = ZoomUser::new(ZOOM_ALICE, "alice@example.com", "Alice Andersson");
    admin.role = "admin".into();
    app.zoom.add_user(admin);
    app
}

/// Who adds zlack to Slack in these tests.
pub(crate) const INSTALLER: &str = "U0ADMIN";

/// Slack's install (as a Slack admin); returns the "Connect Zoom for the
/// organization" link of the page that follows.
async fn org_link(app: &TestApp) -> String {
    org_link_by(app, INSTALLER).await
}

/// Slack's install by `installer`; returns the page's organization link.
pub(crate) async fn org_link_by(app: &TestApp, installer: &str) -> String {
    let installed = app
        .install_via_oauth(sandbox::OAuthGrant::new(TEAM, BOT_TOKEN, installer))
        .await;
    assert_eq!(installed.status(), 200);
    let html = installed.text().await.unwrap();
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.contains("for=organization"))
        .unwrap_or_else(|| panic!("no organization link: {html}"))
        .replace("&amp;", "&")
}

/// Follows an organization link as the Slack user who added zlack (at the
/// fake Slack's sign-in) and `zoom_user` (at the fake Zoom).
async fn follow_org_link(app: &TestApp, link: &str, zoom_user: &str) -> reqwest::Response {
    follow_org_link_as(app, link, INSTALLER, zoom_user).await
}

/// Follows an organization link signing in to Slack as `slack_user`.
pub(crate) async fn follow_org_link_as(
    app: &TestApp,
    link: &str,
    slack_user: &str,
    zoom_user: &str,
) -> reqwest::Response {
    app.slack.set_next_sign_in(TEAM, slack_user);
    app.zoom.set_next_login(zoom_user);
    let (page, hops) = app.follow(link, &mut Jar::default()).await;
    assert!(
        hops.iter().any(|h| h.ends_with("/slack/openid/callback")),
        "{hops:?}"
    );
    page
}

pub(crate) fn account_owner() -> TokenOwner {
    TokenOwner::zoom_account(sandbox::ZOOM_ACCOUNT_ID)
}

#[tokio::test]
async fn a_zoom_admin_connects_the_workspace_just_added_and_everyone_is_found_by_email() {
    let app = org().await;
    // Before: Sven is told a Zoom admin has to connect Zoom first.
    let url = app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    let text = text_of(&app.only_response(&url));
    assert!(text.contains("https://zlack.test/"), "{text}");
    assert!(
        text.contains("Zoom-administratör"),
        "Sven reads Swedish: {text}"
    );
    // Without the link from Slack's install, nothing starts.
    let bare = app.get("/zoom/install?for=organization").await;
    assert_eq!(bare.status(), 400);
    assert!(
        bare.text()
            .await
            .unwrap()
            .contains("Start with Add to Slack")
    );

    let link = org_link(&app).await;
    let page = follow_org_link(&app, &link, ZOOM_ALICE).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Connected to Slack"));
    assert_eq!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    assert!(
        app.store
            .is_organization_admin(sandbox::ZOOM_ACCOUNT_ID, &ZOOM_ALICE.into())
            .await
            .unwrap()
    );
    assert!(
        app.store
            .token(&account_owner(), TokenKind::ZoomRefresh)
            .await
            .unwrap()
            .is_some()
    );
    // The link is one-time.
    let again = app.browser().get(app.local(&link)).send().await.unwrap();
    assert_eq!(again.status(), 400);

    // Now Sven's /zoom makes his meeting with the account's token.
    let url = app.slash(PUBLIC, SVEN, "meeting Planning").await;
    app.run_jobs().await;
    assert!(
        app.responses(&url)
            .iter()
            .all(|a| !a.to_string().contains("zoom.authorize"))
    );
    let made = app
        .zoom
        .calls_to(&format!("POST /users/{ZOOM_SVEN}/meetings"));
    assert_eq!(made.len(), 1);
    let account_token = app
        .store
        .token(&account_owner(), TokenKind::ZoomAccess)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        made[0].bearer.as_deref(),
        Some(account_token.secret.expose())
    );
    let audit = app.store.audit_log(0, 20).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "install" && e.detail.starts_with("organization"))
    );
    // The personal flow is closed in this mode.
    assert_eq!(app.get("/zoom/install?ref=anything").await.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn someone_without_zoom_admin_rights_is_told_to_ask_their_zoom_admin() {
    let app = org().await;
    let link = org_link(&app).await;
    let page = follow_org_link(&app, &link, ZOOM_SVEN).await;
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("Ask your Zoom admin"));
    assert!(
        app.store
            .token(&account_owner(), TokenKind::ZoomAccess)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .is_none()
    );
    // Revoking would make Zoom send app_deauthorized: the grant is dropped.
    assert!(app.zoom.calls_to("POST /oauth/revoke").is_empty());
    // The link still works for a Zoom admin.
    assert_eq!(follow_org_link(&app, &link, ZOOM_ALICE).await.status(), 200);

    // Zoom's own refusal at the callback is recognised too.
    let link = org_link(&app).await;
    app.slack.set_next_sign_in(TEAM, INSTALLER);
    let to_zoom = app
        .oauth_start_at(&link, &format!("{}/oauth/", app.zoom.oauth_url()))
        .await;
    let query = [
        ("state", to_zoom.state.as_str()),
        ("error", "access_denied"),
        ("error_description", "You need admin privileges"),
    ];
    let refused = app
        .oauth_callback("/zoom/oauth/callback", &query, Some(&to_zoom.cookie))
        .await;
    assert_eq!(refused.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn switching_from_personal_keeps_history_and_revokes_personal_tokens() {
    use crate::helpers::meetings::seed_announcement;
    let app = org().await;
    // As personal mode left it: Sven linked with his own tokens, a setting
    // and a meeting.
    let mut tx = app.store.begin().await.unwrap();
    app.store
        .save_zoom_link(
            &mut tx,
            &ZoomLink {
                zoom_email: Some("sven@example.com".into()),
                zoom_account_id: Some(sandbox::ZOOM_ACCOUNT_ID.into()),
                ..crate::helpers::db::zoom_link(TEAM, SVEN, ZOOM_SVEN)
            },
        )
        .await
        .unwrap();
    let personal = TokenOwner::zoom_user(ZOOM_SVEN);
    for (kind, value) in [
        (TokenKind::ZoomAccess, "personal-access"),
        (TokenKind::ZoomRefresh, "personal-refresh"),
    ] {
        app.store
            .put_token(
                &mut tx,
                &personal,
                kind,
                &zlack::config::Secret::new(value),
                None,
                0,
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    app.store
        .save_user_settings(&TEAM.into(), &SVEN.into(), r#"{"language":"sv"}"#, 0)
        .await
        .unwrap();
    seed_announcement(&app.store, &app.slack, "switch-history", PUBLIC, 83_000_001).await;
    let meetings = app
        .store
        .count_where("meetings", "team_id", TEAM)
        .await
        .unwrap();

    let link = org_link(&app).await;
    assert_eq!(follow_org_link(&app, &link, ZOOM_ALICE).await.status(), 200);
    // Personal tokens: revoked at Zoom and deleted; link, settings and
    // meetings stay.
    let revoked = app.zoom.calls_to("POST /oauth/revoke");
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].args["token"], "personal-refresh");
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        assert!(app.store.token(&personal, kind).await.unwrap().is_none());
    }
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        app.store
            .user_settings(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        app.store
            .count_where("meetings", "team_id", TEAM)
            .await
            .unwrap(),
        meetings
    );
    // And Sven's next meeting uses the account's token.
    app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    assert_eq!(
        app.zoom
            .calls_to(&format!("POST /users/{ZOOM_SVEN}/meetings"))
            .len(),
        1
    );
    app.stop().await;
}

fn deauthorized(user: &str) -> serde_json::Value {
    serde_json::json!({
        "event": "app_deauthorized", "event_ts": 1_795_790_000_000i64,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "user_id": user,
            "client_id": ZOOM_CLIENT_ID, "deauthorization_time": "2026-11-28T00:00:00Z",
            "signature": "x"}
    })
}

#[tokio::test]
async fn only_the_connecting_admins_removal_at_zoom_disconnects_the_account() {
    let app = org().await;
    let link = org_link(&app).await;
    assert_eq!(follow_org_link(&app, &link, ZOOM_ALICE).await.status(), 200);
    app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_some()
    );
    // Someone else's removal (Sven had authorized the app once) is theirs:
    // their own tokens go, the organization's connection and links stay.
    crate::helpers::db::seed_token(
        &app.store,
        &TokenOwner::zoom_user(ZOOM_SVEN),
        TokenKind::ZoomRefresh,
        "old",
    )
    .await;
    app.zoom_hook(&deauthorized(ZOOM_SVEN)).await;
    app.run_jobs().await;
    assert!(
        app.store
            .token(&TokenOwner::zoom_user(ZOOM_SVEN), TokenKind::ZoomRefresh)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_some()
    );

    app.zoom_hook(&deauthorized(ZOOM_ALICE)).await;
    app.run_jobs().await;
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        assert!(
            app.store
                .token(&account_owner(), kind)
                .await
                .unwrap()
                .is_none()
        );
    }
    assert!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.store
            .count_where("meetings", "host_slack_user_id", SVEN)
            .await
            .unwrap(),
        0
    );
    let audit = app.store.audit_log(0, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "deauthorize"
        && e.subject == format!("zoom-account:{}", sandbox::ZOOM_ACCOUNT_ID)));
    let url = app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    assert!(text_of(&app.only_response(&url)).contains("https://zlack.test/"));
    app.stop().await;
}

#[tokio::test]
async fn only_who_added_zlack_or_a_workspace_admin_may_finish_the_organization_link() {
    let app = org().await;
    let link = org_link(&app).await;
    // Alice, a member who did not add zlack, is refused before Zoom.
    let refused = follow_org_link_as(&app, &link, ALICE, ZOOM_ALICE).await;
    assert_eq!(refused.status(), 403);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Ask a Slack workspace admin"), "{html}");
    assert!(
        app.slack
            .calls_to("users.info")
            .iter()
            .any(|c| c.args["user"] == ALICE && c.bearer.as_deref() == Some(BOT_TOKEN)),
        "Slack was asked whether Alice is an admin"
    );
    // The one who added zlack, signed in to another workspace, is refused.
    app.slack.set_next_sign_in("T0OTHER", INSTALLER);
    let (elsewhere, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(elsewhere.status(), 403);
    assert!(app.zoom.calls_to("GET /oauth/authorize").is_empty());
    assert!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .is_none()
    );
    // Sven, an admin of the workspace, may.
    app.slack.set_admin(SVEN, true);
    let page = follow_org_link_as(&app, &link, SVEN, ZOOM_ALICE).await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    app.stop().await;
}
