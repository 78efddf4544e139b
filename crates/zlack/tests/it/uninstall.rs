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
    let row = app.announce(PUBLIC, ALICE, "meeting Weekly").await;
    let id = row.zoom_meeting_id.expect("a Zoom meeting");
    let uuid = row
        .zoom_uuid
        .clone()
        .map_or_else(|| format!("uuid-{id}=="), String::from);
    let occurrence = crate::helpers::meetings::Occurrence::new(id, &uuid, ZOOM_ALICE);
    app.zoom_hook(&occurrence.started(0)).await;
    let url = app.config_card(DM, ALICE).await;
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
    // A saved setting, and a whiteboard shared with Alice.
    let payload = json!({
        "type": "block_actions", "trigger_id": "t-lived-in", "team": {"id": TEAM},
        "user": {"id": ALICE}, "response_url": app.slack.new_response_url(),
        "actions": [{"action_id": "config.lang.sv", "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.zoom_hook(&json!({
        "event": "whiteboard.shared", "event_ts": 1_795_777_330_000i64,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "operator_id": ZOOM_SVEN, "object": {
            "whiteboard_id": "wbLivedIn1",
            "collaborators": [{"collaborator_id": "c1", "collaborator_name": "Alice",
                "user_id": ZOOM_ALICE, "collaborator_type": 0, "role": 2}],
        }}
    }))
    .await;
    app.settle().await;
    // Every table that holds something of the workspace has something.
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
        let n = app.store.count_where(table, "team_id", TEAM).await.unwrap();
        assert!(n > 0, "{table} is empty before the test");
    }
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

/// A self-hosted Zoom app hears nothing when a user removes it at Zoom:
/// the next refresh is refused (`invalid_grant`), and that removes the
/// Zoom user as a deauthorization would, audited, with one DM.
#[tokio::test]
async fn a_refused_refresh_removes_the_zoom_user_audits_it_and_tells_them_once() {
    let app = lived_in().await;
    let dms_before = dms_to(&app, ALICE);
    app.zoom.revoke_refresh_tokens_of(ZOOM_ALICE);
    app.zoom.expire_access_tokens();
    app.clock.advance_ms(3_600_000);
    let first = app.slash(PUBLIC, ALICE, "meeting After").await;
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
    for table in ["meetings", "status_sync"] {
        let column = match table {
            "meetings" => "host_slack_user_id",
            _ => "slack_user_id",
        };
        assert_eq!(
            app.store.count_where(table, column, ALICE).await.unwrap(),
            0,
            "{table}"
        );
    }
    assert!(find_button(&app.only_response(&first), "zoom.authorize").is_some());
    // Later commands and jobs neither refresh again nor tell again.
    let grants = app.zoom.token_grants();
    let second = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert!(find_button(&app.only_response(&second), "zoom.authorize").is_some());
    assert_eq!(app.zoom.token_grants(), grants);
    let dms = dms_to(&app, ALICE);
    assert_eq!(
        dms.len(),
        dms_before.len() + 1,
        "one reconnect DM: {dms:#?}"
    );
    assert!(find_button(dms.last().unwrap(), "zoom.reconnect").is_some());
    let refused: Vec<_> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(action, _)| action == "refresh_refused")
        .collect();
    assert_eq!(
        refused,
        vec![("refresh_refused".into(), format!("zoom-user:{ZOOM_ALICE}"))]
    );
    // A job that read Alice's link before the purge and then finds no
    // refresh token (or a second waiter on the same refresh) removes
    // nothing more, audits nothing and tells no one again.
    let audited = audit_actions(&app).await.len();
    zlack::flows::connect::break_links(app.worker.services(), ZOOM_ALICE, "refresh_missing")
        .await
        .unwrap();
    app.run_jobs().await;
    assert_eq!(audit_actions(&app).await.len(), audited);
    assert_eq!(dms_to(&app, ALICE).len(), dms_before.len() + 1);
    // The workspace stays installed.
    assert_eq!(
        app.store
            .count_where("workspaces", "team_id", TEAM)
            .await
            .unwrap(),
        1
    );
    app.stop().await;
}

fn dms_to(app: &TestApp, user: &str) -> Vec<Value> {
    app.posts()
        .into_iter()
        .filter(|c| c.args["channel"] == user)
        .map(|c| c.args)
        .collect()
}

#[tokio::test]
async fn purge_and_audit_on_the_command_line() {
    use std::str::FromStr as _;

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
    for wildcard in ["T0TES_", "t0test", "T0TEST%"] {
        let (status, _, _) = run(dir.path(), &envs, &["purge", "--team", wildcard]).await;
        assert!(!status.success(), "{wildcard}");
    }
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

    let audit_rows = || async {
        let (status, stdout, stderr) = run(dir.path(), &envs, &["audit", "--json"]).await;
        assert!(status.success(), "{stderr}");
        serde_json::from_str::<Vec<serde_json::Value>>(&stdout).expect("one JSON array")
    };
    let before = audit_rows().await;
    for args in [
        ["purge", "--team", "T0NOPE"],
        ["purge", "--zoom-user", "nobody-known"],
    ] {
        let (status, stdout, stderr) = run(dir.path(), &envs, &args).await;
        assert!(!status.success(), "{args:?}: {stdout}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("nothing removed"), "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
    }
    assert_eq!(
        audit_rows().await,
        before,
        "an unknown target is not audited"
    );
    let last = before.last().expect("the purges were audited");
    assert_eq!(last["action"], "purge");
    assert_eq!(last["actor"], "operator");
    assert_eq!(last["subject"], format!("team:{TEAM}"));
    assert!(last["detail"].as_str().unwrap().contains("workspaces=1"));
    assert!(last["id"].is_i64());
    assert!(
        jiff::Timestamp::from_str(last["at"].as_str().unwrap()).is_ok(),
        "{last}"
    );

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

#[tokio::test]
async fn uninstalling_an_org_wide_install_removes_the_org_install_too() {
    let app = TestApp::spawn().await;
    let grant =
        sandbox::OAuthGrant::new(TEAM, "xoxb-org", "U0ADMIN").with_enterprise("E0ORG", "Org");
    let grant = sandbox::OAuthGrant {
        is_enterprise_install: true,
        ..grant
    };
    assert_eq!(app.install_via_oauth(grant).await.status(), 200);
    assert!(
        app.store
            .install_for(&TEAM.into(), Some(&"E0ORG".into()))
            .await
            .unwrap()
            .is_some()
    );
    let mut body =
        sandbox::slack_event_callback(TEAM, "EvORG1", json!({"type": "app_uninstalled"}));
    body["enterprise_id"] = json!("E0ORG");
    body["authorizations"][0]["enterprise_id"] = json!("E0ORG");
    body["authorizations"][0]["is_enterprise_install"] = json!(true);
    let sig = sandbox::SignAs::Slack {
        timestamp: app.clock.now_secs(),
    };
    let response = app
        .signer
        .raw(
            "/slack/events",
            "application/json",
            body.to_string().into_bytes(),
            sig,
        )
        .await;
    assert_eq!(response.status(), 200);
    app.run_jobs().await;
    assert!(
        app.store
            .install_for(&TEAM.into(), Some(&"E0ORG".into()))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.store
            .count_where("workspaces", "team_id", "E0ORG")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app.store
            .count_where("tokens", "owner", "slack:E0ORG")
            .await
            .unwrap(),
        0
    );
    app.stop().await;
}
