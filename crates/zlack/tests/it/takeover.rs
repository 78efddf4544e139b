//! A process killed with `/zoom` commands in flight: their jobs are taken
//! over once the short lease of the dead process runs out, by a restarted
//! process or by another one still running, and each card is posted once.

use std::time::{Duration, Instant};

use sandbox::{FakeSlack, FakeZoom, Fault, Signer, slash_command_fields};

use zlack::store::JobStatus;

use crate::helpers::app::{SLACK_SIGNING_SECRET, TEAM, ZOOM_WEBHOOK_SECRET, settings};
use crate::helpers::db::TestDb;
use crate::helpers::people::{ALICE, PUBLIC, ZOOM_ALICE, populate};
use crate::helpers::process::{Server, eventually};

const COMMANDS: usize = 5;

struct World {
    db: TestDb,
    slack: FakeSlack,
    zoom: FakeZoom,
    envs: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

async fn world() -> World {
    let db = TestDb::new().await;
    let slack = FakeSlack::start().await;
    let zoom = FakeZoom::start().await;
    populate(&slack, &zoom);
    let mut envs = settings(&db, &slack, &zoom);
    envs.extend(
        [
            ("ZLACK_ZOOM_MODE", "server-to-server"),
            ("ZLACK_ZOOM_ACCOUNT_ID", sandbox::ZOOM_ACCOUNT_ID),
            // Short, so the test is quick; 15 s by default.
            ("ZLACK_WORKER_LEASE_MS", "2000"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    db.installed_store().await;
    World {
        db,
        slack,
        zoom,
        envs,
        dir: tempfile::tempdir().unwrap(),
    }
}

/// Sends `/zoom` commands to `first` and kills it while Zoom is still
/// creating their meetings; returns when it died.
async fn send_and_kill(w: &World, first: Server) -> Instant {
    // Zoom answers the first process slowly: it dies waiting.
    w.zoom.fail_next(
        &format!("POST /users/{ZOOM_ALICE}/meetings"),
        Fault::Slow {
            delay: Duration::from_secs(3),
        },
        COMMANDS,
    );
    let signer = Signer::new(&first.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET);
    for _ in 0..COMMANDS {
        let fields = slash_command_fields(TEAM, PUBLIC, ALICE, "", &w.slack.new_response_url());
        assert_eq!(signer.slack_command(&fields).await.status(), 200);
    }
    let store = w.db.store().await;
    eventually(
        "the first process to start every command",
        Duration::from_secs(20),
        || async { store.meeting_count().await.unwrap() == COMMANDS as i64 },
    )
    .await;
    first.kill9().await;
    Instant::now()
}

/// Every command's card is posted once, within seconds of the kill.
async fn each_card_once(w: &World, killed: Instant) {
    w.slack
        .wait_for_calls("chat.postMessage", COMMANDS, Duration::from_secs(30))
        .await;
    let took = killed.elapsed();
    assert!(took < Duration::from_secs(30), "taken over in {took:?}");
    let store = w.db.store().await;
    eventually("every job to settle", Duration::from_secs(30), || async {
        store.job_counts().await.unwrap() == vec![(JobStatus::Done, COMMANDS as i64)]
    })
    .await;
    assert_eq!(
        w.slack.calls_to("chat.postMessage").len(),
        COMMANDS,
        "each card once"
    );
}

#[tokio::test]
async fn a_second_running_process_takes_over_the_commands_of_a_killed_one() {
    let w = world().await;
    let first = Server::start(w.dir.path(), &w.envs, &[]).await;
    let second = Server::start(w.dir.path(), &w.envs, &[]).await;
    let killed = send_and_kill(&w, first).await;
    each_card_once(&w, killed).await;
    assert!(second.terminate().await.success());
}

#[tokio::test]
async fn a_restarted_process_takes_over_the_commands_it_was_running_when_killed() {
    let w = world().await;
    let first = Server::start(w.dir.path(), &w.envs, &[]).await;
    let killed = send_and_kill(&w, first).await;
    let restarted = Server::start(w.dir.path(), &w.envs, &[]).await;
    each_card_once(&w, killed).await;
    assert!(restarted.terminate().await.success());
}
