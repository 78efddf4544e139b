//! Uninstalls, revocations and purges: afterwards nothing of the removed
//! workspace or Zoom user remains, the audit log says so, and the next
//! `/zoom` asks to install or authorize again.

use serde_json::{Value, json};
use zlack::clock::Clock;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;
use crate::helpers::slash::find_button;

/// Alice connected, announced a meeting, changed a setting and got a
/// phone DM: a row in every table that holds per-user data.
async fn lived_in() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.zoom
        .enable_phone(ZOOM_ALICE, Some("1001"), &["+46812345600"], "SE");
    app.connect(PUBLIC, ALICE).await;
    app.announce(PUBLIC, ALICE, "meeting Weekly").await;
    let url = app.slash(DM, ALICE, "config").await;
    app.run_jobs().await;
    let _ = url;
    app.zoom_hook(&json!({
        "event": "phone.callee_missed", "event_ts": 1_795_777_230_000i64,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "object": {
            "call_id": "71", "caller": {"phone_number": "+442079460958"},
            "callee": {"user_id": ZOOM_ALICE, "phone_number": "+46812345600"},
            "ringing_start_time": "2026-11-27T11:00:00Z",
        }}
    }))
    .await;
    app.settle().await;
    assert!(
        app.store
            .count_where("phone_notices", "team_id", TEAM)
            .await
            .unwrap()
            > 0
    );
    assert!(
        app.store
            .count_where("meetings", "team_id", TEAM)
            .await
            .unwrap()
            > 0
    );
    app
}

/// What is left of the workspace, table by table.
async fn left_of_team(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut left = Vec::new();
    for table in [
        "workspaces",
        "zoom_links",
        "user_settings",
        "slack_users",
        "meetings",
        "occurrences",
        "phone_notices",
        "whiteboard_shares",
    ] {
        left.push((
            table,
            app.store.count_where(table, "team_id", TEAM).await.unwrap(),
        ));
    }
    for owner in [format!("slack:{TEAM}"), format!("zoom:user:{ZOOM_ALICE}")] {
        let n = app
            .store
            .count_where("tokens", "owner", &owner)
            .await
            .unwrap();
        left.push(("tokens", n));
    }
    left.retain(|(_, n)| *n > 0);
    left
}

async fn slack_event(app: &TestApp, event: Value) -> reqwest::Response {
    let id = format!("Ev{}", rand_suffix());
    let body = sandbox::slack_event_callback(TEAM, &id, event);
    let sig = sandbox::SignAs::Slack {
        timestamp: app.clock.now_secs(),
    };
    app.signer
        .raw(
            "/slack/events",
            "application/json",
            body.to_string().into_bytes(),
            sig,
        )
        .await
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    format!("UNINST{:08}", N.fetch_add(1, Ordering::Relaxed))
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    app.store
        .audit_log(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.subject))
        .collect()
}

#[tokio::test]
async fn app_uninstalled_removes_the_workspace_and_the_next_zoom_asks_to_install() {
    let app = lived_in().await;
    let response = slack_event(&app, json!({"type": "app_uninstalled"})).await;
    assert_eq!(response.status(), 200);
    app.run_jobs().await;
    assert_eq!(left_of_team(&app).await, vec![]);
    let audit = audit_actions(&app).await;
    assert!(audit.contains(&("link".into(), format!("zoom-user:{ZOOM_ALICE}"))));
    assert!(audit.contains(&("uninstall".into(), format!("team:{TEAM}"))));
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let answer = app.only_response(&url);
    assert!(answer.to_string().contains("/slack/install"), "{answer:#}");
    app.stop().await;
}

#[tokio::test]
async fn tokens_revoked_removes_exactly_the_listed_tokens() {
    let app = lived_in().await;
    let response = slack_event(
        &app,
        json!({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [sandbox::BOT_USER_ID]}}),
    )
    .await;
    assert_eq!(response.status(), 200);
    app.run_jobs().await;
    let owner = format!("slack:{TEAM}");
    assert_eq!(
        app.store
            .count_where("tokens", "owner", &owner)
            .await
            .unwrap(),
        0
    );
    // Nothing else: Alice's link and Zoom tokens stay.
    assert_eq!(
        app.store
            .count_where("zoom_links", "team_id", TEAM)
            .await
            .unwrap(),
        1
    );
    let zoom = format!("zoom:user:{ZOOM_ALICE}");
    assert!(
        app.store
            .count_where("tokens", "owner", &zoom)
            .await
            .unwrap()
            > 0
    );
    let audit = audit_actions(&app).await;
    assert!(audit.contains(&("tokens_revoked".into(), format!("team:{TEAM}"))));
    // Without a bot token the workspace must install again.
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert!(
        app.only_response(&url)
            .to_string()
            .contains("/slack/install")
    );
    app.stop().await;
}

fn deauthorized(client_id: &str, user: &str) -> Value {
    json!({
        "event": "app_deauthorized",
        "event_ts": 1_795_790_000_000i64,
        "payload": {
            "account_id": sandbox::ZOOM_ACCOUNT_ID, "user_id": user,
            "signature": "ignored", "deauthorization_time": "2026-11-27T12:00:00Z",
            "client_id": client_id,
        }
    })
}

#[tokio::test]
async fn zoom_deauthorization_removes_the_zoom_user_and_the_next_zoom_asks_to_authorize() {
    let app = lived_in().await;
    // Another app's deauthorization, even correctly signed, deletes nothing.
    let sig = sandbox::SignAs::Zoom {
        timestamp: app.clock.now_secs(),
    };
    let foreign = app
        .signer
        .raw(
            "/zoom/webhook",
            "application/json",
            deauthorized("someone-elses-app", ZOOM_ALICE)
                .to_string()
                .into_bytes(),
            sig,
        )
        .await;
    assert_eq!(foreign.status(), 401);
    // A forged one (bad signature) neither.
    let forged = app
        .signer
        .raw(
            "/zoom/webhook",
            "application/json",
            deauthorized(ZOOM_CLIENT_ID, ZOOM_ALICE)
                .to_string()
                .into_bytes(),
            sandbox::SignAs::Forged,
        )
        .await;
    assert_eq!(forged.status(), 401);
    app.run_jobs().await;
    assert_eq!(
        app.store
            .count_where("zoom_links", "zoom_user_id", ZOOM_ALICE)
            .await
            .unwrap(),
        1
    );

    app.zoom_hook(&deauthorized(ZOOM_CLIENT_ID, ZOOM_ALICE))
        .await;
    app.run_jobs().await;
    for (table, column) in [
        ("zoom_links", "zoom_user_id"),
        ("phone_notices", "zoom_user_id"),
        ("occurrences", "zoom_host_id"),
    ] {
        assert_eq!(
            app.store
                .count_where(table, column, ZOOM_ALICE)
                .await
                .unwrap(),
            0,
            "{table}"
        );
    }
    let zoom = format!("zoom:user:{ZOOM_ALICE}");
    assert_eq!(
        app.store
            .count_where("tokens", "owner", &zoom)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app.store
            .count_where("meetings", "host_slack_user_id", ALICE)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app.store
            .count_where("phone_notices", "slack_user_id", ALICE)
            .await
            .unwrap(),
        0
    );
    // The workspace itself stays installed.
    assert_eq!(
        app.store
            .count_where("workspaces", "team_id", TEAM)
            .await
            .unwrap(),
        1
    );
    let audit = audit_actions(&app).await;
    assert!(audit.contains(&("deauthorize".into(), format!("zoom-user:{ZOOM_ALICE}"))));
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert!(find_button(&app.only_response(&url), "zoom.authorize").is_some());
    app.stop().await;
}

#[tokio::test]
async fn purge_and_audit_on_the_command_line() {
    use crate::helpers::process::run;
    let app = lived_in().await;
    let dir = tempfile::tempdir().unwrap();
    let envs = vec![
        ("ZLACK_DATABASE_URL".to_owned(), app.db.url.clone()),
        (
            "ZLACK_ENCRYPTION_KEY".to_owned(),
            crate::helpers::db::test_key().to_base64(),
        ),
    ];
    let (status, _, stderr) = run(dir.path(), &envs, &["purge"]).await;
    assert!(!status.success(), "purge needs a target: {stderr}");
    let (status, _, stderr) = run(
        dir.path(),
        &envs,
        &["purge", "--team", "T1", "--zoom-user", "z"],
    )
    .await;
    assert!(!status.success(), "only one target: {stderr}");
    let (status, _, stderr) =
        run(dir.path(), &envs, &["purge", "--team", "T1; DROP TABLE x"]).await;
    assert!(!status.success());
    assert!(stderr.contains("is not a Slack team id"), "{stderr}");

    let (status, stdout, stderr) =
        run(dir.path(), &envs, &["purge", "--zoom-user", ZOOM_ALICE]).await;
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("links=1"), "{stdout}");
    let (status, stdout, _) = run(dir.path(), &envs, &["purge", "--team", TEAM]).await;
    assert!(status.success());
    assert!(stdout.contains("workspaces=1"), "{stdout}");
    assert_eq!(left_of_team(&app).await, vec![]);

    let (status, stdout, _) = run(dir.path(), &envs, &["audit"]).await;
    assert!(status.success());
    for line in [
        "link",
        "purge",
        &format!("zoom-user:{ZOOM_ALICE}"),
        &format!("team:{TEAM}"),
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    assert!(!stdout.contains("xoxb-"), "no token in the audit log");
    app.stop().await;
}
