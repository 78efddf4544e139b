//! `TestApp`: zlack in this process on port 0, with a fresh database and
//! the Slack and Zoom fakes. The worker does not run by itself: tests step
//! it with `run_jobs`, so nothing depends on timing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sandbox::{FakeSlack, FakeZoom, Signer};
use tokio::sync::oneshot;
use zlack::app::{Application, Options};
use zlack::clock::{Clock, ManualClock, SystemClock};
use zlack::config::{Config, Sources};
use zlack::store::Store;
use zlack::worker::{Ran, Worker};

use super::db::{self, TestDb, test_key};

pub const SLACK_SIGNING_SECRET: &str = "test-slack-signing-secret";
pub const ZOOM_WEBHOOK_SECRET: &str = "test-zoom-webhook-secret";
pub const TEAM: &str = "T0TEST";
pub const BOT_TOKEN: &str = "xoxb-test-bot-token-0001";
/// The app-level token the fake Slack accepts for Socket Mode; apps use
/// Socket Mode only when a test sets `ZLACK_SLACK_APP_TOKEN` to it.
pub const APP_TOKEN: &str = "xapp-1-A0ZLACKAPP-1-test";
/// The Zoom WebSocket event subscription of [`websocket`] apps.
pub const WS_SUBSCRIPTION: &str = "test-ws-subscription";

pub struct TestApp {
    pub base_url: String,
    /// The `ZLACK_METRICS_LISTEN` listener's URL, when one is set.
    pub metrics_url: Option<String>,
    pub store: Store,
    pub worker: Worker,
    pub slack: FakeSlack,
    pub zoom: FakeZoom,
    pub signer: Signer,
    pub clock: Arc<ManualClock>,
    pub db: TestDb,
    pub http: reqwest::Client,
    /// Times the Zoom WebSocket event subscription (re)connected.
    pub ws_connected: Arc<AtomicUsize>,
    /// The settings the app was started with.
    pub settings: Vec<(String, String)>,
    run_worker: bool,
    socket_mode: zlack::slack::socket_mode::Settings,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// Adds the settings of server-to-server mode, for the fake's account.
pub fn server_to_server(settings: &mut Vec<(String, String)>) {
    settings.push(("ZLACK_ZOOM_MODE".into(), "server-to-server".into()));
    settings.push((
        "ZLACK_ZOOM_ACCOUNT_ID".into(),
        sandbox::ZOOM_ACCOUNT_ID.into(),
    ));
}

/// Adds the settings of server-to-server mode with Zoom's events read from
/// the fake's WebSocket event subscription [`WS_SUBSCRIPTION`] (which
/// the app's fake Zoom then serves), heartbeats every second.
pub fn websocket(settings: &mut Vec<(String, String)>) {
    server_to_server(settings);
    let base = settings
        .iter()
        .find(|(k, _)| k == "ZLACK_ZOOM_OAUTH_URL")
        .map(|(_, v)| v.clone())
        .expect("the fake Zoom's URL is set");
    let ws_url = format!("{}/ws", base.replacen("http://", "ws://", 1));
    for (key, value) in [
        ("ZLACK_ZOOM_EVENTS", "websocket".to_owned()),
        ("ZLACK_ZOOM_WS_SUBSCRIPTION_ID", WS_SUBSCRIPTION.to_owned()),
        ("ZLACK_ZOOM_WS_URL", ws_url),
        ("ZLACK_ZOOM_WS_HEARTBEAT_MS", "1000".to_owned()),
    ] {
        set(settings, key, value);
    }
}

/// Sets `key` to `value`, replacing an earlier value.
pub fn set(settings: &mut Vec<(String, String)>, key: &str, value: String) {
    settings.retain(|(k, _)| k != key);
    settings.push((key.to_owned(), value));
}

/// Settings every test app gets; tests add or replace keys.
pub fn settings(db: &TestDb, slack: &FakeSlack, zoom: &FakeZoom) -> Vec<(String, String)> {
    [
        ("ZLACK_DATABASE_URL", db.url.clone()),
        ("ZLACK_ENCRYPTION_KEY", test_key().to_base64()),
        ("ZLACK_PUBLIC_URL", "https://zlack.test".into()),
        ("ZLACK_SLACK_SIGNING_SECRET", SLACK_SIGNING_SECRET.into()),
        ("ZLACK_SLACK_CLIENT_ID", "111.222".into()),
        ("ZLACK_SLACK_CLIENT_SECRET", "slack-client-secret".into()),
        ("ZLACK_SLACK_API_URL", slack.api_url()),
        ("ZLACK_SLACK_AUTHORIZE_URL", slack.authorize_url()),
        (
            "ZLACK_SLACK_OPENID_AUTHORIZE_URL",
            slack.openid_authorize_url(),
        ),
        ("ZLACK_ZOOM_CLIENT_ID", "zoom-client-id".into()),
        ("ZLACK_ZOOM_CLIENT_SECRET", "zoom-client-secret".into()),
        ("ZLACK_ZOOM_WEBHOOK_SECRET", ZOOM_WEBHOOK_SECRET.into()),
        ("ZLACK_ZOOM_API_URL", zoom.api_url()),
        ("ZLACK_ZOOM_OAUTH_URL", zoom.oauth_url()),
        ("ZLACK_WORKER_POLL_MS", "50".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Socket Mode timings short enough for tests (used when a test sets
/// `ZLACK_SLACK_APP_TOKEN`).
pub fn socket_mode_settings() -> zlack::slack::socket_mode::Settings {
    use std::time::Duration;
    zlack::slack::socket_mode::Settings {
        backoff_base: Duration::from_millis(20),
        backoff_cap: Duration::from_millis(500),
        ..Default::default()
    }
}

/// A stopped app: its database, fakes and settings.
pub struct Stopped {
    pub db: TestDb,
    pub slack: FakeSlack,
    pub zoom: FakeZoom,
    pub settings: Vec<(String, String)>,
    run_worker: bool,
    socket_mode: zlack::slack::socket_mode::Settings,
}

impl Stopped {
    /// The configuration the app ran with, after `edit`.
    pub fn config_with(&self, edit: impl FnOnce(&mut Vec<(String, String)>)) -> Config {
        let mut pairs = self.settings.clone();
        edit(&mut pairs);
        Config::parse(&Sources::from_pairs(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ))
        .expect("test configuration is valid")
    }

    /// Starts the app again after `edit` changed its settings.
    pub async fn start(
        mut self,
        edit: impl FnOnce(&mut Vec<(String, String)>),
    ) -> anyhow::Result<TestApp> {
        edit(&mut self.settings);
        TestApp::start_on(
            self.db,
            self.slack,
            self.zoom,
            self.settings,
            self.run_worker,
            self.socket_mode,
        )
        .await
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts an app after `edit` changed its settings.
    pub async fn spawn_with(edit: impl FnOnce(&mut Vec<(String, String)>)) -> Self {
        Self::spawn_inner(edit, false, socket_mode_settings()).await
    }

    /// Starts an app in Socket Mode with the given timings.
    pub async fn spawn_socket_mode(socket_mode: zlack::slack::socket_mode::Settings) -> Self {
        let edit = |s: &mut Vec<(String, String)>| {
            s.push(("ZLACK_SLACK_APP_TOKEN".into(), APP_TOKEN.into()));
        };
        Self::spawn_inner(edit, false, socket_mode).await
    }

    /// Starts an app whose worker runs by itself, as in production: jobs
    /// start as their requests commit, no `run_jobs` needed.
    pub async fn spawn_running(edit: impl FnOnce(&mut Vec<(String, String)>)) -> Self {
        Self::spawn_inner(edit, true, socket_mode_settings()).await
    }

    async fn spawn_inner(
        edit: impl FnOnce(&mut Vec<(String, String)>),
        run_worker: bool,
        socket_mode: zlack::slack::socket_mode::Settings,
    ) -> Self {
        let db = TestDb::new().await;
        let slack = FakeSlack::start().await;
        let zoom = FakeZoom::start().await;
        super::people::populate(&slack, &zoom);
        slack.set_app_token(APP_TOKEN);
        let mut pairs = settings(&db, &slack, &zoom);
        edit(&mut pairs);
        Self::start_on(db, slack, zoom, pairs, run_worker, socket_mode)
            .await
            .expect("build app")
    }

    /// Stops the app and starts it again on the same database and fakes,
    /// running `between` on the database while it is stopped, after
    /// `edit` changed its settings; the error when it will not start.
    pub async fn restart_after(
        self,
        between: impl FnOnce(&TestDb),
        edit: impl FnOnce(&mut Vec<(String, String)>),
    ) -> anyhow::Result<Self> {
        let stopped = self.stop_keeping().await;
        between(&stopped.db);
        stopped.start(edit).await
    }

    /// Stops the app, keeping its database, fakes and settings to start
    /// it again.
    pub async fn stop_keeping(mut self) -> Stopped {
        self.shut_down().await;
        Stopped {
            settings: std::mem::take(&mut self.settings),
            run_worker: self.run_worker,
            socket_mode: self.socket_mode.clone(),
            db: self.db,
            slack: self.slack,
            zoom: self.zoom,
        }
    }

    /// The app's configuration.
    pub fn config(&self) -> Config {
        Config::parse(&Sources::from_pairs(
            self.settings.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ))
        .expect("test configuration is valid")
    }

    pub(crate) async fn start_on(
        db: TestDb,
        slack: FakeSlack,
        zoom: FakeZoom,
        pairs: Vec<(String, String)>,
        run_worker: bool,
        socket_mode: zlack::slack::socket_mode::Settings,
    ) -> anyhow::Result<Self> {
        if let Some((_, subscription)) = pairs
            .iter()
            .find(|(k, _)| k == "ZLACK_ZOOM_WS_SUBSCRIPTION_ID")
        {
            zoom.add_ws_subscription(subscription);
        }
        let config = Config::parse(&Sources::from_pairs(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ))
        .expect("test configuration is valid");
        let clock = ManualClock::at_ms(SystemClock.now_ms());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let ws_connected = Arc::new(AtomicUsize::new(0));
        let counter = ws_connected.clone();
        let options = Options {
            clock: clock.clone(),
            run_worker,
            socket_mode: socket_mode.clone(),
            zoom_ws_connected: Some(Arc::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
            })),
            queue_gauges_every: None,
        };
        let app = Application::build(config, listener, options).await?;
        let base_url = format!("http://{}", app.local_addr());
        let metrics_url = app.metrics_addr().map(|a| format!("http://{a}"));
        let store = app.store().clone();
        let worker = app.worker().clone();
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        Ok(Self {
            signer: Signer::new(&base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET),
            base_url,
            metrics_url,
            store,
            worker,
            slack,
            zoom,
            clock,
            db,
            http: reqwest::Client::new(),
            ws_connected,
            settings: pairs,
            run_worker,
            socket_mode,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// Stores the test workspace and its bot token, as an install would.
    pub async fn install_workspace(&self) {
        let workspace = db::workspace(TEAM, Some("Test"));
        db::seed_install(&self.store, &workspace, BOT_TOKEN, self.clock.now_ms()).await;
    }

    /// Stores an Enterprise Grid org-wide install (serving every workspace
    /// of `org`) and its bot token.
    pub async fn install_org_wide(&self, org: &str, bot_token: &str) {
        let workspace = zlack::store::Workspace {
            enterprise_id: Some(org.into()),
            is_enterprise_install: true,
            ..db::workspace(org, Some("Org"))
        };
        db::seed_install(&self.store, &workspace, bot_token, self.clock.now_ms()).await;
    }

    /// Runs every job due now, including the ones those jobs queue, and
    /// returns how each attempt settled.
    pub async fn run_jobs(&self) -> Vec<Ran> {
        let mut all = Vec::new();
        loop {
            let ran = self.worker.run_once().await.expect("worker step");
            if ran.is_empty() {
                return all;
            }
            all.extend(ran);
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("GET")
    }

    /// Reads the queue depths `/metrics` reports, as the app does in the
    /// background in production.
    pub async fn refresh_gauges(&self) {
        zlack::http::refresh_queue_gauges(&self.store).await;
    }

    /// Resolves the app's shutdown future without waiting for the app to
    /// stop; [`stop`](Self::stop) then waits.
    pub fn begin_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    pub async fn stop(mut self) {
        self.shut_down().await;
    }

    async fn shut_down(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("join").expect("clean shutdown");
        }
    }
}
