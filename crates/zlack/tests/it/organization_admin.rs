//! Organization mode: who counts as a Zoom admin comes from what Zoom says
//! of the user's role (the owner's role id, or privileges that manage the
//! account's apps and read its users), never from the role's name.

use sandbox::{Fault, ZoomUser};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::organization::{INSTALLER, follow_org_link_as, org, org_link_by};

const ZOOM_EVE: &str = "zu_eve";

/// `org()` plus a Zoom user Eve with `role` and, for a custom role, its
/// privileges.
async fn with_eve(role: &str, privileges: Option<&[&str]>) -> TestApp {
    let app = org().await;
    let mut eve = ZoomUser::new(ZOOM_EVE, "eve@example.com", "Eve Example");
    eve.role = role.into();
    eve.privileges = privileges.map(|p| p.iter().map(|s| (*s).to_owned()).collect());
    app.zoom.add_user(eve);
    app
}

async fn eve_connects(app: &TestApp) -> reqwest::Response {
    let link = org_link_by(app, INSTALLER).await;
    follow_org_link_as(app, &link, INSTALLER, ZOOM_EVE).await
}

async fn connected(app: &TestApp) -> bool {
    app.store
        .organization_account(&TEAM.into())
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn a_role_named_admin_without_the_privileges_is_not_a_zoom_admin() {
    let app = with_eve(
        "Zoom Admins (read only)",
        Some(&["User:Read", "Recording:Read"]),
    )
    .await;
    let page = eve_connects(&app).await;
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("Ask your Zoom admin"));
    assert!(!connected(&app).await);
    assert_eq!(app.zoom.calls_to("GET /users/me/permissions").len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_role_of_any_name_that_manages_apps_and_reads_users_may_connect() {
    let app = with_eve("Integrations", Some(&["User:Read", "MarketPlace:Edit"])).await;
    assert_eq!(eve_connects(&app).await.status(), 200);
    assert!(connected(&app).await);
    app.stop().await;
}

#[tokio::test]
async fn the_account_owner_may_connect() {
    let app = with_eve("owner", None).await;
    assert_eq!(eve_connects(&app).await.status(), 200);
    assert!(connected(&app).await);
    // The owner's role id says enough: no need to list privileges.
    assert!(app.zoom.calls_to("GET /users/me/permissions").is_empty());
    app.stop().await;
}

#[tokio::test]
async fn when_zoom_does_not_tell_the_privileges_nothing_is_connected() {
    let app = with_eve("admin", None).await;
    app.zoom.fail_next(
        "GET /users/me/permissions",
        Fault::ZoomError {
            status: 400,
            code: 4711,
            message:
                "Invalid access token, does not contain scopes:[user:read:list_permissions:admin]."
                    .into(),
        },
        1,
    );
    let page = eve_connects(&app).await;
    assert_eq!(page.status(), 502);
    assert!(!connected(&app).await);
    // The link still works once Zoom answers.
    assert_eq!(eve_connects(&app).await.status(), 200);
    assert!(connected(&app).await);
    app.stop().await;
}

#[tokio::test]
async fn the_privacy_page_names_the_privileges_scope_and_who_connected() {
    let app = org().await;
    let response = app
        .http
        .get(format!("{}/privacy", app.base_url))
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(
        body.contains("<code>user:read:list_permissions:admin</code>"),
        "{body}"
    );
    assert!(body.contains("the Slack user who connected it"), "{body}");
    // Outside organization mode, neither is there.
    let personal = TestApp::spawn().await;
    let other = personal
        .http
        .get(format!("{}/privacy", personal.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!other.contains("list_permissions") && !other.contains("who connected it"));
    personal.stop().await;
    app.stop().await;
}
