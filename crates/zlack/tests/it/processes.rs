//! Properties only a real process shows: nothing is lost to SIGKILL, two
//! replicas share one queue without running a job twice, SIGTERM drains,
//! and a first run with no configuration just works.

use std::collections::HashSet;
use std::time::Duration;

use sandbox::{FakeSlack, FakeZoom, Signer, zoom_event};
use serde_json::json;
use zlack::clock::{Clock, SystemClock};
use zlack::jobs::slack_call;
use zlack::store::NewJob;

use crate::helpers::app::{BOT_TOKEN, SLACK_SIGNING_SECRET, TEAM, ZOOM_WEBHOOK_SECRET, settings};
use crate::helpers::db::TestDb;
use crate::helpers::process::{Server, eventually, run};

struct Setup {
    db: TestDb,
    slack: FakeSlack,
    _zoom: FakeZoom,
    envs: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let slack = FakeSlack::start().await;
    let zoom = FakeZoom::start().await;
    slack.add_workspace(TEAM, BOT_TOKEN);
    let envs = settings(&db, &slack, &zoom);
    Setup {
        db,
        slack,
        _zoom: zoom,
        envs,
        dir: tempfile::tempdir().unwrap(),
    }
}

#[tokio::test]
async fn a_webhook_acknowledged_just_before_sigkill_is_processed_after_restart() {
    let s = setup().await;
    s.db.store().await;
    let web = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let signer = Signer::new(&web.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET);
    let hook = zoom_event(
        "meeting.ended",
        1_764_259_200_123,
        json!({"uuid": "kill-me", "id": 1}),
    );
    assert_eq!(signer.zoom_webhook(&hook).await.status(), 200);
    web.kill9().await;

    let store = s.db.store().await;
    assert_eq!(
        store.inbox_count().await.unwrap(),
        1,
        "the acknowledged webhook survived SIGKILL"
    );
    assert_eq!(store.inbox_backlog().await.unwrap(), 1);
    let server = Server::start(s.dir.path(), &s.envs, &[]).await;
    eventually(
        "the webhook to be processed",
        Duration::from_secs(30),
        || async { store.inbox_backlog().await.unwrap() == 0 },
    )
    .await;
    assert_eq!(store.inbox_count().await.unwrap(), 1);
    assert!(server.terminate().await.success());
}

#[tokio::test]
async fn two_processes_share_a_thousand_jobs_and_run_each_exactly_once() {
    let s = setup().await;
    let store = s.db.installed_store().await;
    let mut envs = s.envs.clone();
    envs.push(("ZLACK_WORKER_CONCURRENCY".into(), "8".into()));
    let a = Server::start(s.dir.path(), &envs, &[]).await;
    let b = Server::start(s.dir.path(), &envs, &[]).await;
    let now = SystemClock.now_ms();
    let jobs: Vec<NewJob> = (0..1000)
        .map(|i| {
            let args = json!({"channel": "C0PUBLIC", "text": format!("job {i}")});
            slack_call(
                format!("shared:{i}"),
                TEAM,
                "chat.postMessage",
                args.as_object().unwrap().clone(),
                now,
            )
        })
        .collect();
    store.enqueue_now(&jobs, now).await.unwrap();
    let calls = s
        .slack
        .wait_for_calls("chat.postMessage", 1000, Duration::from_secs(240))
        .await;
    eventually(
        "every job to be settled",
        Duration::from_secs(60),
        || async { store.job_counts().await.unwrap() == vec![("done".to_owned(), 1000)] },
    )
    .await;
    let texts: HashSet<String> = calls
        .iter()
        .map(|c| c.args["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts.len(), 1000, "every job ran");
    assert_eq!(
        s.slack.calls_to("chat.postMessage").len(),
        1000,
        "no job ran twice"
    );
    let metric = |text: String| {
        text.lines()
            .find(|l| l.starts_with(r#"zlack_jobs_total{kind="slack.call",outcome="done"}"#))
            .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let http = reqwest::Client::new();
    let mut shares = Vec::new();
    for server in [&a, &b] {
        let text = http
            .get(format!("{}/metrics", server.base_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        shares.push(metric(text));
    }
    assert_eq!(shares.iter().sum::<u64>(), 1000, "shares {shares:?}");
    assert!(
        shares.iter().all(|&n| n > 0),
        "both processes worked: {shares:?}"
    );
    assert!(a.terminate().await.success());
    assert!(b.terminate().await.success());
    assert_eq!(s.slack.calls_to("chat.postMessage").len(), 1000);
}

#[tokio::test]
async fn sigterm_finishes_the_running_job_and_exits_cleanly() {
    let s = setup().await;
    let store = s.db.installed_store().await;
    s.slack.fail_next(
        "chat.postMessage",
        sandbox::Fault::Slow {
            delay: Duration::from_secs(2),
        },
        1,
    );
    let server = Server::start(s.dir.path(), &s.envs, &[]).await;
    let now = SystemClock.now_ms();
    let args = json!({"channel": "C0PUBLIC", "text": "in flight"});
    store
        .enqueue_now(
            &[slack_call(
                "inflight",
                TEAM,
                "chat.postMessage",
                args.as_object().unwrap().clone(),
                now,
            )],
            now,
        )
        .await
        .unwrap();
    eventually("the job to be claimed", Duration::from_secs(30), || async {
        store.list_jobs(None, 1).await.unwrap()[0].attempts == 1
    })
    .await;
    assert!(server.terminate().await.success());
    assert_eq!(
        store.job_counts().await.unwrap(),
        vec![("done".to_owned(), 1)],
        "the in-flight job finished"
    );
    assert_eq!(s.slack.calls_to("chat.postMessage").len(), 1);
}

#[tokio::test]
async fn a_first_run_without_configuration_creates_the_database_and_a_private_key_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]).await;
    let key = dir.path().join("zlack.db.key");
    assert!(dir.path().join("zlack.db").exists());
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let announcements = server
        .startup_log
        .iter()
        .filter(|l| l.contains("generated an encryption key"))
        .count();
    assert_eq!(announcements, 1);
    assert!(
        server
            .startup_log
            .iter()
            .any(|l| l.contains(&key.canonicalize().unwrap().display().to_string()))
    );
    let http = reqwest::Client::new();
    let page = http
        .get(format!("{}/", server.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("ZLACK_SLACK_SIGNING_SECRET"));
    let events = http
        .post(format!("{}/slack/events", server.base_url))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 503);
    let webhook = http
        .post(format!("{}/zoom/webhook", server.base_url))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(webhook.status(), 503);
    assert!(server.terminate().await.success());
    let key_before = std::fs::read(&key).unwrap();
    let again = Server::start(dir.path(), &[], &[]).await;
    assert!(
        !again
            .startup_log
            .iter()
            .any(|l| l.contains("generated an encryption key"))
    );
    assert_eq!(std::fs::read(&key).unwrap(), key_before);
    assert!(again.terminate().await.success());
}

#[tokio::test]
async fn postgres_without_an_encryption_key_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let envs = vec![(
        "ZLACK_DATABASE_URL".to_owned(),
        "postgres://zlack@127.0.0.1:1/zlack".to_owned(),
    )];
    let (status, _, stderr) = run(dir.path(), &envs, &["serve"]).await;
    assert!(!status.success());
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("ZLACK_ENCRYPTION_KEY"), "{stderr}");
}

#[tokio::test]
async fn a_missing_key_file_beside_an_existing_database_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(dir.path(), &[], &[]).await;
    assert!(first.terminate().await.success());
    std::fs::remove_file(dir.path().join("zlack.db.key")).unwrap();
    let envs = [("ZLACK_LISTEN".to_owned(), "127.0.0.1:0".to_owned())];
    let (status, _, stderr) = run(dir.path(), &envs, &["serve"]).await;
    assert!(!status.success());
    assert!(stderr.contains("key file"), "{stderr}");
    assert!(
        !dir.path().join("zlack.db.key").exists(),
        "no new key was made"
    );
}
