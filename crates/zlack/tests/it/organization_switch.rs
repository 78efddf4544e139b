//! Organization mode: a connected workspace is not re-pointed to another
//! Zoom account by a later "Add to Slack" and any Zoom admin. Its
//! connecting Zoom admin may authorize again; a Slack workspace admin may
//! switch it after confirming on a page; anyone else is refused and
//! nothing changes. A switch revokes and deletes the old grant, is
//! audited, and the person who connected the old account is told.

use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE};
use sandbox::ZoomUser;
use zlack::store::TokenKind;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::browse::Jar;
use crate::helpers::people::*;
use crate::organization::{INSTALLER, account_owner, follow_org_link_as, org, org_link_by};

/// A member of the workspace who may install apps, but is no admin.
pub(crate) const MALLORY: &str = "U0MALLORY";
/// A Zoom admin of another Zoom account.
pub(crate) const ZOOM_OTHER: &str = "zu_other_admin";
pub(crate) const OTHER_ACCOUNT: &str = "acctOTHER0000000000001";

/// `org()` connected to the default account by the installer with Alice
/// as Zoom admin; Mallory and a Zoom admin of another account exist.
pub(crate) async fn connected() -> TestApp {
    let app = org().await;
    for (user, name, email) in [
        (INSTALLER, "Ingrid Installer", "ingrid@example.com"),
        (MALLORY, "Mallory Member", "mallory@example.com"),
    ] {
        app.slack
            .add_user(TEAM, user, name, Some(email), "en-US", "UTC");
    }
    let mut other = ZoomUser::new(ZOOM_OTHER, "boss@other.example", "Otto Other");
    other.role = "admin".into();
    other.account_id = OTHER_ACCOUNT.into();
    app.zoom.add_user(other);
    let link = org_link_by(&app, INSTALLER).await;
    let page = follow_org_link_as(&app, &link, INSTALLER, ZOOM_ALICE).await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        account(&app).await.as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    app
}

pub(crate) async fn account(app: &TestApp) -> Option<String> {
    app.store.organization_account(&TEAM.into()).await.unwrap()
}

pub(crate) async fn account_refresh(app: &TestApp, id: &str) -> Option<String> {
    let owner = zlack::store::TokenOwner::zoom_account(id);
    let token = app
        .store
        .token(&owner, TokenKind::ZoomRefresh)
        .await
        .unwrap();
    token.map(|t| t.secret.expose().to_owned())
}

/// A new "Add to Slack" by `slack_user`, whose organization link they
/// follow (signed in to Slack as themselves) to Zoom as `zoom_user`.
/// Returns the final page and the browser's cookies.
pub(crate) async fn reconnect(
    app: &TestApp,
    slack_user: &str,
    zoom_user: &str,
) -> (reqwest::Response, Jar) {
    let link = org_link_by(app, slack_user).await;
    app.slack.set_next_sign_in(TEAM, slack_user);
    app.zoom.set_next_login(zoom_user);
    let mut jar = Jar::default();
    let (page, _) = app.follow(&link, &mut jar).await;
    (page, jar)
}

/// The hidden token of the confirmation form.
pub(crate) fn form_token(html: &str) -> String {
    html.split("name=token value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no form token: {html}"))
        .to_owned()
}

/// Posts the confirmation form as a browser holding `jar`.
pub(crate) async fn post_switch(
    app: &TestApp,
    jar: &Jar,
    token: &str,
    decision: &str,
) -> reqwest::Response {
    let body = serde_urlencoded::to_string([("token", token), ("decision", decision)]).unwrap();
    let mut request = app
        .browser()
        .post(format!("{}/zoom/oauth/switch", app.base_url))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    if let Some(cookies) = jar.header() {
        request = request.header(COOKIE, cookies);
    }
    request.send().await.unwrap()
}

pub(crate) async fn actions(app: &TestApp) -> Vec<String> {
    let audit = app.store.audit_log(0, 100).await.unwrap();
    audit.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn a_later_install_by_a_member_with_another_zoom_account_is_refused() {
    let app = connected().await;
    let before = account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID).await;
    let revokes = app.zoom.calls_to("POST /oauth/revoke").len();
    let (page, _) = reconnect(&app, MALLORY, ZOOM_OTHER).await;
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Already connected to another Zoom account"),
        "{html}"
    );
    // Nothing changed: the same account and grant; no token of the other.
    assert_eq!(
        account(&app).await.as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    assert_eq!(
        account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID).await,
        before
    );
    assert_eq!(account_refresh(&app, OTHER_ACCOUNT).await, None);
    // The refused grant serves no workspace, so it is revoked at Zoom.
    let revoked = app.zoom.calls_to("POST /oauth/revoke");
    assert_eq!(revoked.len(), revokes + 1);
    assert_ne!(
        revoked.last().unwrap().args["token"].as_str(),
        before.as_deref()
    );
    assert!(actions(&app).await.contains(&"switch_refused".to_owned()));
    assert!(app.slack.calls_to("chat.postMessage").is_empty());
    // And the account still serves the workspace.
    app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    let made = app
        .zoom
        .calls_to(&format!("POST /users/{ZOOM_SVEN}/meetings"));
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].status, 201);
    app.stop().await;
}

#[tokio::test]
async fn the_connecting_zoom_admin_authorizing_again_keeps_the_account() {
    let app = connected().await;
    let before = account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID).await;
    let (page, _) = reconnect(&app, MALLORY, ZOOM_ALICE).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Connected to Slack"));
    assert_eq!(
        account(&app).await.as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    let after = account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID).await;
    assert!(after.is_some() && after != before, "the grant is refreshed");
    assert!(!actions(&app).await.contains(&"switch".to_owned()));
    app.stop().await;
}

#[tokio::test]
async fn a_slack_admin_confirms_the_switch_and_the_old_grant_goes() {
    let app = connected().await;
    // Sven uses the old account (found by email) and is a Slack admin.
    app.slash(PUBLIC, SVEN, "").await;
    app.run_jobs().await;
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_some()
    );
    app.slack.set_admin(SVEN, true);
    let old_refresh = account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID)
        .await
        .unwrap();
    let (page, jar) = reconnect(&app, SVEN, ZOOM_OTHER).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers()[CACHE_CONTROL], "no-store");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let html = page.text().await.unwrap();
    for shown in [
        sandbox::ZOOM_ACCOUNT_ID,
        "alice@example.com",
        OTHER_ACCOUNT,
        "boss@other.example",
        "method=post",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    // Nothing changes before the admin confirms.
    assert_eq!(
        account(&app).await.as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    assert!(app.zoom.calls_to("POST /oauth/revoke").is_empty());

    let token = form_token(&html);
    let done = post_switch(&app, &jar, &token, "switch").await;
    assert_eq!(done.status(), 200);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("Switched to the new Zoom account")
    );
    assert_eq!(account(&app).await.as_deref(), Some(OTHER_ACCOUNT));
    assert!(account_refresh(&app, OTHER_ACCOUNT).await.is_some());
    // The old grant: deleted with the switch, then revoked at Zoom.
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        assert!(
            app.store
                .token(&account_owner(), kind)
                .await
                .unwrap()
                .is_none()
        );
    }
    let revoked = app.zoom.calls_to("POST /oauth/revoke");
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].args["token"], old_refresh.as_str());
    // Links to the old account's users go; they are found again by email.
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.store
            .is_organization_admin(OTHER_ACCOUNT, &ZOOM_OTHER.into())
            .await
            .unwrap()
    );
    let audit = app.store.audit_log(0, 100).await.unwrap();
    let switch = audit
        .iter()
        .find(|e| e.action == "switch")
        .expect("audited");
    assert_eq!(switch.actor, format!("slack:{TEAM}:{SVEN}"));
    assert_eq!(switch.subject, format!("team:{TEAM}"));
    assert!(switch.detail.contains(OTHER_ACCOUNT) && switch.detail.contains("revoked"));
    // Whoever connected the old account is told, once.
    app.run_jobs().await;
    let dms: Vec<_> = app
        .slack
        .calls_to("chat.postMessage")
        .into_iter()
        .filter(|c| c.args["channel"] == INSTALLER)
        .collect();
    assert_eq!(dms.len(), 1);
    let text = dms[0].args["text"].as_str().unwrap();
    assert!(text.contains("alice@example.com") && text.contains("boss@other.example"));
    assert!(text.contains(&format!("<@{SVEN}>")), "{text}");
    // The form works once.
    let again = post_switch(&app, &jar, &token, "switch").await;
    assert_eq!(again.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn keeping_the_current_account_changes_nothing() {
    let app = connected().await;
    app.slack.set_admin(SVEN, true);
    let before = account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID).await;
    let (page, jar) = reconnect(&app, SVEN, ZOOM_OTHER).await;
    let token = form_token(&page.text().await.unwrap());
    let kept = post_switch(&app, &jar, &token, "keep").await;
    assert_eq!(kept.status(), 200);
    assert!(kept.text().await.unwrap().contains("Nothing was changed"));
    assert_eq!(
        account(&app).await.as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    assert_eq!(
        account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID).await,
        before
    );
    assert_eq!(account_refresh(&app, OTHER_ACCOUNT).await, None);
    // The unused grant of the other account is revoked; the current one not.
    let revoked = app.zoom.calls_to("POST /oauth/revoke");
    assert_eq!(revoked.len(), 1);
    assert_ne!(revoked[0].args["token"].as_str(), before.as_deref());
    app.stop().await;
}
