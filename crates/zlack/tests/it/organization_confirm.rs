//! Organization mode: the form that confirms a switch to another Zoom
//! account is taken only from the browser that was shown it, with its
//! token unaltered, in time, once, while its Slack user is still an admin;
//! an old account that still serves another workspace keeps its grant.

use zlack::store::TokenKind;

use crate::helpers::TestApp;
use crate::helpers::browse::Jar;
use crate::helpers::people::*;
use crate::organization::INSTALLER;
use crate::organization_switch::{
    OTHER_ACCOUNT, ZOOM_OTHER, account, account_refresh, actions, connected, form_token,
    post_switch, reconnect,
};

/// Sven, a Slack admin, is shown the confirmation page: its token and the
/// cookies of his browser.
async fn shown(app: &TestApp) -> (String, Jar) {
    app.slack.set_admin(SVEN, true);
    let (page, jar) = reconnect(app, SVEN, ZOOM_OTHER).await;
    assert_eq!(page.status(), 200);
    (form_token(&page.text().await.unwrap()), jar)
}

async fn unchanged(app: &TestApp) {
    assert_eq!(
        account(app).await.as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    assert_eq!(account_refresh(app, OTHER_ACCOUNT).await, None);
    assert!(!actions(app).await.contains(&"switch".to_owned()));
}

#[tokio::test]
async fn forged_foreign_and_late_posts_change_nothing() {
    let app = connected().await;
    let (token, jar) = shown(&app).await;
    // Another site's form, or another browser: no cookie.
    let foreign = post_switch(&app, &Jar::default(), &token, "switch").await;
    assert_eq!(foreign.status(), 400);
    // The token altered, or made up.
    let mut altered = token.clone().into_bytes();
    let last = altered.len() - 2;
    altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    for bad in [altered.as_str(), "not-a-token", ""] {
        assert_eq!(post_switch(&app, &jar, bad, "switch").await.status(), 400);
    }
    // An unknown decision.
    assert_eq!(post_switch(&app, &jar, &token, "maybe").await.status(), 400);
    // A body far larger than the form is not read in full.
    let padded = format!("{token}{}", "A".repeat(8 * 1024));
    assert_eq!(
        post_switch(&app, &jar, &padded, "switch").await.status(),
        413
    );
    unchanged(&app).await;

    // A second page's cookie does not take the first page's token.
    let (_, other_jar) = shown(&app).await;
    assert_eq!(
        post_switch(&app, &other_jar, &token, "switch")
            .await
            .status(),
        400
    );
    unchanged(&app).await;

    // Ten minutes later the page no longer works.
    let (token, jar) = shown(&app).await;
    app.clock.advance_ms(10 * 60 * 1000 + 1);
    assert_eq!(
        post_switch(&app, &jar, &token, "switch").await.status(),
        400
    );
    unchanged(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn an_admin_who_lost_admin_rights_before_confirming_is_refused() {
    let app = connected().await;
    let (token, jar) = shown(&app).await;
    app.slack.set_admin(SVEN, false);
    let refused = post_switch(&app, &jar, &token, "switch").await;
    assert_eq!(refused.status(), 403);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Already connected to another Zoom account")
    );
    unchanged(&app).await;
    assert!(actions(&app).await.contains(&"switch_refused".to_owned()));
    app.stop().await;
}

#[tokio::test]
async fn a_workspace_switched_meanwhile_is_not_switched_again() {
    let app = connected().await;
    let (first, first_jar) = shown(&app).await;
    let (second, second_jar) = shown(&app).await;
    assert_eq!(
        post_switch(&app, &second_jar, &second, "switch")
            .await
            .status(),
        200
    );
    assert_eq!(account(&app).await.as_deref(), Some(OTHER_ACCOUNT));
    // The first page named the account connected then: it is stale.
    let stale = post_switch(&app, &first_jar, &first, "switch").await;
    assert_eq!(stale.status(), 409);
    assert_eq!(account(&app).await.as_deref(), Some(OTHER_ACCOUNT));
    let switches = actions(&app).await;
    assert_eq!(switches.iter().filter(|a| *a == "switch").count(), 1);
    app.stop().await;
}

#[tokio::test]
async fn an_old_account_still_serving_another_workspace_keeps_its_grant() {
    const SECOND: &str = "T0SECOND";
    const SECOND_ADMIN: &str = "U0SECONDADMIN";
    let app = connected().await;
    // Another workspace connected to the same Zoom account.
    let installed = app
        .install_via_oauth(sandbox::OAuthGrant::new(
            SECOND,
            "xoxb-second",
            SECOND_ADMIN,
        ))
        .await;
    let html = installed.text().await.unwrap();
    let link = html
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.contains("for=organization"))
        .unwrap()
        .replace("&amp;", "&");
    app.slack.set_next_sign_in(SECOND, SECOND_ADMIN);
    app.zoom.set_next_login(ZOOM_ALICE);
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 200);
    let old = account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID)
        .await
        .unwrap();

    let (token, jar) = shown(&app).await;
    assert_eq!(
        post_switch(&app, &jar, &token, "switch").await.status(),
        200
    );
    assert_eq!(account(&app).await.as_deref(), Some(OTHER_ACCOUNT));
    // The old account's grant still serves the second workspace.
    assert_eq!(
        app.store
            .organization_account(&SECOND.into())
            .await
            .unwrap()
            .as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    assert_eq!(
        account_refresh(&app, sandbox::ZOOM_ACCOUNT_ID)
            .await
            .as_deref(),
        Some(old.as_str())
    );
    let revoked = app.zoom.calls_to("POST /oauth/revoke");
    assert!(revoked.iter().all(|c| c.args["token"] != old.as_str()));
    let audit = app.store.audit_log(0, 100).await.unwrap();
    let switch = audit.iter().find(|e| e.action == "switch").unwrap();
    assert!(
        switch.detail.contains("kept for 1 other"),
        "{}",
        switch.detail
    );
    app.stop().await;
}

#[tokio::test]
async fn the_installer_who_is_no_admin_may_not_switch_either() {
    let app = connected().await;
    // The person who added zlack may finish the link, but switching a
    // connected workspace to another account takes a Slack admin.
    let (page, _) = reconnect(&app, INSTALLER, ZOOM_OTHER).await;
    assert_eq!(page.status(), 403);
    unchanged(&app).await;
    assert!(
        app.store
            .token(
                &zlack::store::TokenOwner::zoom_account(sandbox::ZOOM_ACCOUNT_ID),
                TokenKind::ZoomAccess
            )
            .await
            .unwrap()
            .is_some()
    );
    app.stop().await;
}
