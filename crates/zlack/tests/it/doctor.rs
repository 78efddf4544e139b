//! `zlack doctor` as a process against a running zlack and the fakes: one
//! line per check, one FAIL line with its fix per problem, a non-zero exit
//! when anything failed, bounded time when something does not answer, and
//! never a token or secret in what it prints.

use std::time::{Duration, Instant};

use zlack::clock::Clock;

use crate::helpers::TestApp;
use crate::helpers::app::{
    APP_TOKEN, BOT_TOKEN, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET, settings,
};
use crate::helpers::db::{self, test_key};
use crate::helpers::people::{SLACK_CLIENT_SECRET, ZOOM_CLIENT_SECRET};
use crate::helpers::process::run;

const OTHER_TEAM: &str = "T0OTHER";
const UNKNOWN_TOKEN: &str = "xoxb-unknown-to-slack-0002";

/// What one doctor run printed.
struct Doctor {
    passed: bool,
    stdout: String,
}

impl Doctor {
    /// The line that starts with `prefix` (such as `"FAIL  Zoom refused"`).
    fn line(&self, prefix: &str) -> &str {
        self.stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{}", self.stdout))
    }

    fn fails(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| l.starts_with("FAIL"))
            .collect()
    }
}

/// Runs `zlack doctor` with the test app's settings, its public URL
/// pointing at the running app, after `edit`. Checks that nothing secret
/// was printed and that the run took a bounded time.
async fn doctor(app: &TestApp, edit: impl FnOnce(&mut Vec<(String, String)>)) -> Doctor {
    let mut envs = settings(&app.db, &app.slack, &app.zoom);
    set(&mut envs, "ZLACK_PUBLIC_URL", &app.base_url);
    edit(&mut envs);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (status, stdout, stderr) = run(dir.path(), &envs, &["doctor"]).await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "doctor took {:?}",
        started.elapsed()
    );
    let secrets = [
        BOT_TOKEN,
        UNKNOWN_TOKEN,
        SLACK_CLIENT_SECRET,
        ZOOM_CLIENT_SECRET,
        SLACK_SIGNING_SECRET,
        ZOOM_WEBHOOK_SECRET,
        "wrong-zoom-secret",
        &test_key().to_base64(),
    ];
    for secret in secrets.into_iter().chain([APP_TOKEN]) {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "a secret was printed:\n{stdout}\n{stderr}"
        );
    }
    assert!(
        !stdout.contains("xoxb-") && !stderr.contains("xoxb-"),
        "{stdout}"
    );
    let fails = stdout.lines().filter(|l| l.starts_with("FAIL")).count();
    if fails == 0 {
        assert!(status.success(), "{stdout}");
        assert!(stdout.contains("all checks passed"), "{stdout}");
    } else {
        assert!(!status.success(), "a failure exits non-zero:\n{stdout}");
        assert!(
            stdout.contains(&format!("{fails} check(s) failed")),
            "{stdout}"
        );
        for line in stdout.lines().filter(|l| l.starts_with("FAIL")) {
            assert!(line.contains(" — "), "every failure has a fix: {line}");
        }
    }
    Doctor {
        passed: status.success(),
        stdout,
    }
}

fn set(envs: &mut Vec<(String, String)>, key: &str, value: &str) {
    envs.retain(|(k, _)| k != key);
    envs.push((key.to_owned(), value.to_owned()));
}

fn unset(envs: &mut Vec<(String, String)>, key: &str) {
    envs.retain(|(k, _)| k != key);
}

/// Stores a second install whose bot token Slack does not know.
async fn install_unknown_workspace(app: &TestApp) {
    let workspace = db::workspace(OTHER_TEAM, Some("Other Corp"));
    db::seed_install(&app.store, &workspace, UNKNOWN_TOKEN, app.clock.now_ms()).await;
}

#[tokio::test]
async fn a_complete_setup_passes_every_check() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let run = doctor(&app, |_| {}).await;
    assert!(run.passed, "{}", run.stdout);
    assert!(run.fails().is_empty(), "{}", run.stdout);
    run.line("ok    Slack and Zoom settings complete for personal mode");
    run.line("ok    database schema is up to date");
    run.line("ok    ZLACK_PUBLIC_URL http://127.0.0.1:");
    run.line("ok    Slack accepts the bot token of workspace Test (T0TEST)");
    run.line("ok    Zoom accepts the app's client credentials");
    run.line("ok    this machine's clock agrees with Slack's");
    run.line("ok    this machine's clock agrees with Zoom's");
    run.line("ok    Slack: request URLs (http://127.0.0.1:");
    let auth_tests = app.slack.calls_to("auth.test");
    assert_eq!(auth_tests.len(), 1);
    assert_eq!(auth_tests[0].bearer.as_deref(), Some(BOT_TOKEN));
    app.stop().await;
}

#[tokio::test]
async fn a_revoked_or_unknown_bot_token_fails_naming_the_workspace() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    install_unknown_workspace(&app).await;
    app.slack.revoke_token(BOT_TOKEN);
    let run = doctor(&app, |_| {}).await;
    assert!(!run.passed);
    let revoked = run.line("FAIL  Slack refused the bot token of workspace Test (T0TEST)");
    assert!(revoked.contains("token_revoked"), "{revoked}");
    assert!(
        revoked.contains("— reinstall zlack in that workspace: open http://127.0.0.1:"),
        "{revoked}"
    );
    assert!(revoked.contains("/slack/install"), "{revoked}");
    let unknown = run.line("FAIL  Slack refused the bot token of workspace Other Corp (T0OTHER)");
    assert!(unknown.contains("invalid_auth"), "{unknown}");
    assert_eq!(run.fails().len(), 2, "{}", run.stdout);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_zoom_client_secret_fails_in_every_mode() {
    let app = TestApp::spawn().await;
    let run = doctor(&app, |envs| {
        set(envs, "ZLACK_ZOOM_CLIENT_SECRET", "wrong-zoom-secret")
    })
    .await;
    let line = run.line("FAIL  Zoom refused the app's client credentials");
    assert!(
        line.ends_with("— check ZLACK_ZOOM_CLIENT_ID and ZLACK_ZOOM_CLIENT_SECRET"),
        "{line}"
    );
    assert_eq!(run.fails().len(), 1, "{}", run.stdout);

    let run = doctor(&app, |envs| {
        set(envs, "ZLACK_ZOOM_MODE", "server-to-server");
        set(envs, "ZLACK_ZOOM_ACCOUNT_ID", sandbox::ZOOM_ACCOUNT_ID);
        set(envs, "ZLACK_ZOOM_CLIENT_SECRET", "wrong-zoom-secret");
    })
    .await;
    let line = run.line("FAIL  Zoom refused the app's client credentials");
    assert!(
        line.contains("check ZLACK_ZOOM_CLIENT_ID and ZLACK_ZOOM_CLIENT_SECRET"),
        "{line}"
    );
    app.stop().await;
}

#[tokio::test]
async fn server_to_server_mode_needs_the_account_id() {
    let app = TestApp::spawn().await;
    let run = doctor(&app, |envs| {
        set(envs, "ZLACK_ZOOM_MODE", "server-to-server");
        unset(envs, "ZLACK_ZOOM_ACCOUNT_ID");
    })
    .await;
    run.line("ok    configuration parsed (Zoom mode: server-to-server)");
    let line = run.line("FAIL  ZLACK_ZOOM_ACCOUNT_ID is not set");
    assert!(line.contains("server-to-server"), "{line}");
    assert_eq!(run.fails().len(), 1, "{}", run.stdout);

    let run = doctor(&app, |envs| {
        set(envs, "ZLACK_ZOOM_MODE", "server-to-server");
        set(envs, "ZLACK_ZOOM_ACCOUNT_ID", sandbox::ZOOM_ACCOUNT_ID);
    })
    .await;
    assert!(run.passed, "{}", run.stdout);
    run.line("ok    Slack and Zoom settings complete for server-to-server mode");
    run.line(&format!(
        "ok    Zoom grants a server-to-server token for account {}",
        sandbox::ZOOM_ACCOUNT_ID
    ));
    app.stop().await;
}

#[tokio::test]
async fn a_public_url_nothing_or_something_else_answers_fails() {
    let app = TestApp::spawn().await;
    // Nothing listens: the port was bound, then let go.
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let run = doctor(&app, |envs| set(envs, "ZLACK_PUBLIC_URL", &closed)).await;
    let line = run.line(&format!(
        "FAIL  ZLACK_PUBLIC_URL {closed} is not reachable from this machine ("
    ));
    assert!(
        line.ends_with("— start `zlack serve`, or check that ZLACK_PUBLIC_URL points at it"),
        "{line}"
    );
    assert_eq!(run.fails().len(), 1, "{}", run.stdout);

    // Something else answers: the fake Slack has no /healthz.
    let other = app.slack.base_url();
    let run = doctor(&app, |envs| set(envs, "ZLACK_PUBLIC_URL", &other)).await;
    run.line(&format!(
        "FAIL  {other}/healthz answered HTTP 404 but not as zlack"
    ));

    // Something accepts connections and never answers: doctor gives up
    // within its request timeout instead of hanging.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let started = Instant::now();
    let run = doctor(&app, |envs| set(envs, "ZLACK_PUBLIC_URL", &silent_url)).await;
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let line = run.line(&format!(
        "FAIL  ZLACK_PUBLIC_URL {silent_url} is not reachable"
    ));
    assert!(line.contains("no answer within"), "{line}");
    drop(silent);
    app.stop().await;
}

#[tokio::test]
async fn a_skewed_platform_clock_fails_or_is_noted() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    // Slack's clock is ten minutes behind: this machine is ahead of it.
    app.slack.set_clock_offset(-600);
    // Zoom's is 20 s ahead: worth a note, not a failure.
    app.zoom.set_clock_offset(20);
    let run = doctor(&app, |_| {}).await;
    let line = run.line("FAIL  this machine's clock is");
    assert!(line.contains("s ahead of Slack's"), "{line}");
    let secs: i64 = line
        .trim_start_matches("FAIL  this machine's clock is ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number of seconds: {line}"));
    assert!((599..=601).contains(&secs), "{line}");
    assert!(line.contains("— synchronize it with NTP"), "{line}");
    let note = run.line("note  this machine's clock is");
    assert!(note.contains("s behind Zoom's"), "{note}");
    assert_eq!(run.fails().len(), 1, "{}", run.stdout);

    app.slack.set_clock_offset(0);
    app.zoom.set_clock_offset(0);
    let run = doctor(&app, |_| {}).await;
    assert!(run.passed, "{}", run.stdout);
    app.stop().await;
}

#[tokio::test]
async fn with_an_app_token_doctor_checks_it_without_connecting_and_says_socket_mode() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let run = doctor(&app, |envs| set(envs, "ZLACK_SLACK_APP_TOKEN", APP_TOKEN)).await;
    assert!(run.passed, "{}", run.stdout);
    run.line("ok    Slack: Socket Mode");
    assert!(!run.stdout.contains("request URLs"), "{}", run.stdout);
    let opened = app.slack.calls_to("apps.connections.open");
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].bearer.as_deref(), Some(APP_TOKEN));
    assert_eq!(app.slack.socket_connections_opened(), 0);

    let run = doctor(&app, |envs| {
        set(envs, "ZLACK_SLACK_APP_TOKEN", "xapp-1-not-known")
    })
    .await;
    assert!(!run.passed);
    run.line("FAIL  Slack: Socket Mode, but Slack refused ZLACK_SLACK_APP_TOKEN (invalid_auth)");
    assert!(!run.stdout.contains("xapp-1-not-known"), "{}", run.stdout);
    app.stop().await;
}

#[tokio::test]
async fn the_websocket_event_subscription_answers_a_heartbeat_or_fails_with_its_fix() {
    use crate::helpers::app::{WS_SUBSCRIPTION, websocket};
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.zoom.add_ws_subscription(WS_SUBSCRIPTION);
    let run = doctor(&app, websocket).await;
    assert!(run.passed, "{}", run.stdout);
    run.line(&format!(
        "ok    Zoom events: WebSocket subscription {WS_SUBSCRIPTION} answered a heartbeat"
    ));
    assert_eq!(app.zoom.ws_connections(WS_SUBSCRIPTION), 1);
    assert!(app.zoom.ws_heartbeats() >= 1);
    assert!(!run.stdout.contains("access_token"), "{}", run.stdout);

    // Zoom stops answering heartbeats: a failure, in bounded time.
    app.zoom.answer_ws_heartbeats(false);
    let run = doctor(&app, websocket).await;
    let line = run.line(&format!(
        "FAIL  Zoom events: WebSocket subscription {WS_SUBSCRIPTION}: no heartbeat answer"
    ));
    assert!(line.contains("ZLACK_ZOOM_WS_SUBSCRIPTION_ID"), "{line}");

    // A subscription Zoom does not know is refused at the handshake.
    let run = doctor(&app, |envs| {
        websocket(envs);
        set(
            envs,
            "ZLACK_ZOOM_WS_SUBSCRIPTION_ID",
            "unknown-subscription",
        );
    })
    .await;
    run.line("FAIL  Zoom events: WebSocket subscription unknown-subscription: could not connect: HTTP 404");

    // In webhook mode doctor says so.
    let run = doctor(&app, |_| {}).await;
    run.line("ok    Zoom events: webhook");
    app.stop().await;
}

#[tokio::test]
async fn doctor_leaves_a_running_servers_connection_alone() {
    use crate::helpers::app::{WS_SUBSCRIPTION, websocket};
    use zlack::clock::{Clock, SystemClock};
    let wait = Duration::from_secs(30);
    let app = TestApp::spawn_with(websocket).await;
    app.install_workspace().await;
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 1, wait).await;
    // The server's lease runs well past doctor's own clock.
    app.clock.set_ms(SystemClock.now_ms() + 600_000);
    let lease = zlack::zoom::websocket::lease_name(WS_SUBSCRIPTION);
    let deadline = tokio::time::Instant::now() + wait;
    while app
        .store
        .lease_holder(&lease, app.clock.now_ms())
        .await
        .unwrap()
        .is_none()
    {
        assert!(tokio::time::Instant::now() < deadline, "the lease renewed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let run = doctor(&app, websocket).await;
    assert!(run.passed, "{}", run.stdout);
    run.line(&format!(
        "ok    Zoom events: WebSocket subscription {WS_SUBSCRIPTION} is held by a running zlack"
    ));
    // Doctor made no connection of its own: the server's stays the one.
    assert_eq!(app.zoom.ws_connections(WS_SUBSCRIPTION), 1);
    assert!(app.zoom.ws_open(WS_SUBSCRIPTION));
    assert!(!run.stdout.contains("access_token"), "{}", run.stdout);
    app.stop().await;
}

#[tokio::test]
async fn doctor_compares_each_workspaces_granted_bot_scopes_with_the_manifest() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    install_unknown_workspace(&app).await;
    app.slack.add_workspace(OTHER_TEAM, UNKNOWN_TOKEN);
    app.slack
        .set_token_scopes(BOT_TOKEN, &zlack::manifest::BOT_SCOPES.join(","));
    let fewer: Vec<&str> = zlack::manifest::BOT_SCOPES
        .iter()
        .copied()
        .filter(|s| *s != "commands")
        .collect();
    app.slack.set_token_scopes(UNKNOWN_TOKEN, &fewer.join(","));
    let run = doctor(&app, |_| {}).await;
    assert!(!run.passed, "{}", run.stdout);
    run.line("ok    workspace Test (T0TEST) granted every bot scope this version needs");
    let missing =
        run.line("FAIL  workspace Other Corp (T0OTHER) did not grant the bot scope(s) commands ");
    assert!(missing.contains("a reinstall is needed"), "{missing}");
    assert!(missing.contains("/slack/install"), "{missing}");
    assert_eq!(run.fails().len(), 1, "{}", run.stdout);
    assert_eq!(
        app.slack.calls_to("auth.test").len(),
        2,
        "one auth.test each"
    );
    app.stop().await;
}
