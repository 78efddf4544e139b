//! Organization mode: a Zoom admin authorizes once for the account and
//! picks the Slack workspace; everyone there is found by email. Someone
//! without admin rights is told to ask their Zoom admin; a workspace that
//! used personal mode keeps its history while personal tokens are revoked.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use sandbox::ZoomUser;
use zlack::store::{LinkStatus, TokenKind, TokenOwner, ZoomLink};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::meetings::text_of;
use crate::helpers::people::*;

async fn org() -> TestApp {
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

fn cookies_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter(|v| !v.ends_with('='))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `zoom_user` opens "Connect Zoom for the organization" and approves at
/// Zoom; returns zlack's answer and the cookie it set.
async fn authorize_org(app: &TestApp, zoom_user: &str) -> (reqwest::Response, String) {
    app.zoom.set_next_login(zoom_user);
    let browser = app.browser();
    let start = browser
        .get(format!("{}/zoom/install?for=organization", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 302);
    let cookie = cookies_of(&start);
    let at_zoom = browser
        .get(start.headers()[LOCATION].to_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(at_zoom.status(), 302);
    let back = app.local(at_zoom.headers()[LOCATION].to_str().unwrap());
    let page = browser
        .get(back)
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    let cookie = cookies_of(&page);
    (page, cookie)
}

fn form_value(html: &str, name: &str) -> String {
    let marker = format!("name={name} value=\"");
    let at = html.find(&marker).expect(name) + marker.len();
    html[at..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_zoom_admin_connects_the_workspace_and_everyone_is_found_by_email() {
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

    let (page, cookie) = authorize_org(&app, ZOOM_ALICE).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Connect to Slack workspace"), "{html}");
    assert!(html.contains(TEAM));
    let owner = TokenOwner::zoom_account(sandbox::ZOOM_ACCOUNT_ID);
    assert!(
        app.store
            .token(&owner, TokenKind::ZoomAccess)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        app.store
            .token(&owner, TokenKind::ZoomRefresh)
            .await
            .unwrap()
            .is_some()
    );

    // A forged choice (no cookie) changes nothing.
    let token = form_value(&html, "token");
    let form = [("token", token.as_str()), ("team_id", TEAM)];
    let forged = app
        .browser()
        .post(format!("{}/zoom/org/connect", app.base_url))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    assert!(
        app.store
            .organization_account(TEAM)
            .await
            .unwrap()
            .is_none()
    );

    let done = app
        .browser()
        .post(format!("{}/zoom/org/connect", app.base_url))
        .header(COOKIE, &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Connected to Slack"));
    assert_eq!(
        app.store
            .organization_account(TEAM)
            .await
            .unwrap()
            .as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );

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
        .token(&owner, TokenKind::ZoomAccess)
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
            .any(|e| e.action == "install" && e.detail == "organization")
    );
    assert!(audit.iter().any(|e| e.action == "connect"));
    app.stop().await;
}

#[tokio::test]
async fn someone_without_zoom_admin_rights_is_told_to_ask_their_zoom_admin() {
    let app = org().await;
    let (page, _) = authorize_org(&app, ZOOM_SVEN).await;
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(html.contains("Ask your Zoom admin"), "{html}");
    let owner = TokenOwner::zoom_account(sandbox::ZOOM_ACCOUNT_ID);
    assert!(
        app.store
            .token(&owner, TokenKind::ZoomAccess)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.zoom.calls_to("POST /oauth/revoke").len(),
        1,
        "the grant is handed back"
    );
    // Zoom's own refusal at the callback is recognised too.
    let browser = app.browser();
    let start = browser
        .get(format!("{}/zoom/install?for=organization", app.base_url))
        .send()
        .await
        .unwrap();
    let cookie = cookies_of(&start);
    let location = url::Url::parse(start.headers()[LOCATION].to_str().unwrap()).unwrap();
    let state = location
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let refused = browser
        .get(format!(
            "{}/zoom/oauth/callback?state={state}&error=access_denied&error_description=You+need+admin+privileges",
            app.base_url
        ))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn switching_from_personal_keeps_history_and_revokes_personal_tokens() {
    let app = org().await;
    // As personal mode left it: Sven linked with his own tokens, a
    // setting and a meeting.
    let mut tx = app.store.begin().await.unwrap();
    app.store
        .save_zoom_link(
            &mut tx,
            &ZoomLink {
                team_id: TEAM.into(),
                slack_user_id: SVEN.into(),
                zoom_user_id: ZOOM_SVEN.into(),
                zoom_email: Some("sven@example.com".into()),
                zoom_account_id: Some(sandbox::ZOOM_ACCOUNT_ID.into()),
                status: LinkStatus::Ok,
                linked_at: 0,
            },
        )
        .await
        .unwrap();
    let personal = TokenOwner::zoom_user(ZOOM_SVEN);
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        app.store
            .put_token(
                &mut tx,
                &personal,
                kind,
                &zlack::config::Secret::new("personal-x"),
                None,
                0,
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    app.store
        .save_user_settings(TEAM, SVEN, r#"{"language":"sv"}"#, 0)
        .await
        .unwrap();

    let (page, cookie) = authorize_org(&app, ZOOM_ALICE).await;
    let html = page.text().await.unwrap();
    let token = form_value(&html, "token");
    let done = app
        .browser()
        .post(format!("{}/zoom/org/connect", app.base_url))
        .header(COOKIE, &cookie)
        .form(&[("token", token.as_str()), ("team_id", TEAM)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    // Personal tokens: revoked at Zoom and deleted; link and settings stay.
    let revoked = app.zoom.calls_to("POST /oauth/revoke");
    assert_eq!(revoked.len(), 1);
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        assert!(app.store.token(&personal, kind).await.unwrap().is_none());
    }
    assert!(app.store.zoom_link(TEAM, SVEN).await.unwrap().is_some());
    assert!(app.store.user_settings(TEAM, SVEN).await.unwrap().is_some());
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

#[tokio::test]
async fn removing_the_organizations_app_at_zoom_disconnects_the_account() {
    let app = org().await;
    let (page, cookie) = authorize_org(&app, ZOOM_ALICE).await;
    let token = form_value(&page.text().await.unwrap(), "token");
    app.browser()
        .post(format!("{}/zoom/org/connect", app.base_url))
        .header(COOKIE, &cookie)
        .form(&[("token", token.as_str()), ("team_id", TEAM)])
        .send()
        .await
        .unwrap();
    app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    assert!(app.store.zoom_link(TEAM, SVEN).await.unwrap().is_some());
    app.zoom_hook(&serde_json::json!({
        "event": "app_deauthorized", "event_ts": 1_795_790_000_000i64,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "user_id": ZOOM_ALICE,
            "client_id": ZOOM_CLIENT_ID, "deauthorization_time": "2026-11-28T00:00:00Z",
            "signature": "x"}
    }))
    .await;
    app.run_jobs().await;
    let owner = TokenOwner::zoom_account(sandbox::ZOOM_ACCOUNT_ID);
    assert!(
        app.store
            .token(&owner, TokenKind::ZoomAccess)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.store
            .organization_account(TEAM)
            .await
            .unwrap()
            .is_none()
    );
    assert!(app.store.zoom_link(TEAM, SVEN).await.unwrap().is_none());
    let url = app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    assert!(text_of(&app.only_response(&url)).contains("https://zlack.test/"));
    app.stop().await;
}
