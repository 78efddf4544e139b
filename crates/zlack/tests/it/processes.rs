//! Properties only a real process shows: nothing is lost to SIGKILL, two
//! replicas share one queue without running a job twice, SIGTERM drains,
//! and a first run with no configuration just works.

use std::collections::HashSet;
use std::time::Duration;

use sandbox::{FakeSlack, FakeZoom, Signer, zoom_event};
use serde_json::json;
use zlack::clock::{Clock, SystemClock};
use zlack::job::slack_call;
use zlack::store::{JobStatus, NewJob, RecordedNotice};

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
        || async { store.job_counts().await.unwrap() == vec![(JobStatus::Done, 1000)] },
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
        vec![(JobStatus::Done, 1)],
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

/// `meeting.ended` was acknowledged and folded in, and the process died
/// before the summary went out: the next process posts it, once.
#[tokio::test]
async fn a_meeting_end_acknowledged_before_sigkill_is_summarised_once_after_restart() {
    use crate::helpers::meetings::{Occurrence, seed_announcement};
    let s = setup().await;
    let store = s.db.installed_store().await;
    let row = seed_announcement(&store, &s.slack, "kill-summary", "C0PUBLIC", 81_000_001).await;
    let mut envs = s.envs.clone();
    envs.push(("ZLACK_END_SUMMARY_DELAY_MS".into(), "6000".into()));
    let first = Server::start(s.dir.path(), &envs, &[]).await;
    let signer = Signer::new(&first.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET);
    let o = Occurrence::new(81_000_001, "kill-summary==", "zu_alice");
    let ended = o.ended(0, 1500);
    let acked = std::time::Instant::now();
    assert_eq!(signer.zoom_webhook(&ended).await.status(), 200);
    eventually(
        "the end to be folded in",
        Duration::from_secs(30),
        || async { store.inbox_backlog().await.unwrap() == 0 },
    )
    .await;
    // The Call ends at once; the summary waits for late participants.
    s.slack
        .wait_for_calls("calls.end", 1, Duration::from_secs(30))
        .await;
    first.kill9().await;
    // On a machine slow enough to pass the summary's time before the kill,
    // the first process may have posted it: exactly once still holds.
    let killed_in_time = acked.elapsed() < Duration::from_secs(6);
    let posts = |slack: &FakeSlack| {
        slack
            .calls_to("chat.postMessage")
            .into_iter()
            .filter(|c| c.succeeded() && c.args.get("thread_ts").is_some())
            .count()
    };
    if killed_in_time {
        assert_eq!(posts(&s.slack), 0, "nothing was posted before the kill");
    }

    let second = Server::start(s.dir.path(), &envs, &[]).await;
    // Zoom, not having heard back in time, delivers it again.
    let signer = Signer::new(&second.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET);
    assert_eq!(signer.zoom_webhook(&ended).await.status(), 200);
    s.slack
        .wait_for_calls("chat.postMessage", 1, Duration::from_secs(60))
        .await;
    eventually(
        "the summary to be recorded",
        Duration::from_secs(30),
        || async {
            store
                .notice_count(RecordedNotice::EndSummary)
                .await
                .unwrap()
                == 1
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(posts(&s.slack), 1, "the summary was posted exactly once");
    let ends: Vec<_> = s
        .slack
        .calls_to("calls.end")
        .into_iter()
        .filter(|c| c.succeeded())
        .collect();
    assert_eq!(ends.len(), 1, "the Call was ended once");
    assert_eq!(ends[0].args["id"], row.call_id.unwrap().as_str());
    assert!(second.terminate().await.success());
}

/// Two processes on one database, each meeting's webhooks split between
/// them and each delivered to both: every effect happens once.
#[tokio::test]
async fn two_processes_sharing_a_meetings_webhooks_give_each_effect_once() {
    use crate::helpers::meetings::{Occurrence, call_info_at, seed_announcement};
    const MEETINGS: i64 = 12;
    let s = setup().await;
    let store = s.db.installed_store().await;
    let mut rows = Vec::new();
    for i in 0..MEETINGS {
        let id = 82_000_000 + i;
        rows.push(seed_announcement(&store, &s.slack, &format!("split-{i}"), "C0PUBLIC", id).await);
    }
    let mut envs = s.envs.clone();
    envs.push(("ZLACK_END_SUMMARY_DELAY_MS".into(), "300".into()));
    envs.push(("ZLACK_WORKER_CONCURRENCY".into(), "8".into()));
    let a = Server::start(s.dir.path(), &envs, &[]).await;
    let b = Server::start(s.dir.path(), &envs, &[]).await;
    let signers = [
        Signer::new(&a.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET),
        Signer::new(&b.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET),
    ];
    let mut sends = Vec::new();
    for i in 0..MEETINGS {
        let o = Occurrence::new(82_000_000 + i, &format!("split-{i}=="), "zu_alice");
        let events = [
            o.started(0),
            o.joined("pu-a", "Ana", "", 5),
            o.joined("pu-b", "Bo", "", 6),
            o.left("pu-b", "Bo", 600),
            o.ended(0, 1200),
            o.recording(&[(0, 1200)], None),
            o.summary("Summary", Some("Overview"), &["Step"]),
        ];
        for (n, event) in events.into_iter().enumerate() {
            // Each event to one process, and again to the other.
            let first = (n + i as usize) % 2;
            sends.push((first, event.clone()));
            sends.push((1 - first, event));
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (which, event) in sends {
        let signer = signers[which].clone();
        tasks.spawn(async move { signer.zoom_webhook(&event).await.status().as_u16() });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    let want = MEETINGS * 3;
    eventually(
        "every notice to be delivered",
        Duration::from_secs(120),
        || async {
            let mut n = 0;
            for kind in [
                RecordedNotice::EndSummary,
                RecordedNotice::Recording,
                RecordedNotice::AiSummary,
            ] {
                n += store.notice_count(kind).await.unwrap();
            }
            n == want
        },
    )
    .await;
    eventually("every Call to end", Duration::from_secs(60), || async {
        s.slack
            .calls_to("calls.end")
            .iter()
            .filter(|c| c.succeeded())
            .count()
            == MEETINGS as usize
    })
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let posts: Vec<_> = s
        .slack
        .calls_to("chat.postMessage")
        .into_iter()
        .filter(|c| c.succeeded())
        .collect();
    assert_eq!(posts.len(), want as usize, "each notice posted once");
    let distinct: HashSet<String> = posts
        .iter()
        .map(|c| format!("{} {}", c.args["thread_ts"], c.args["text"]))
        .collect();
    assert_eq!(distinct.len(), want as usize);
    let ends: HashSet<String> = s
        .slack
        .calls_to("calls.end")
        .iter()
        .filter(|c| c.succeeded())
        .map(|c| c.args["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ends.len(), MEETINGS as usize, "each Call ended once");
    for row in &rows {
        let call = call_info_at(&s.slack, row.call_id.as_deref().unwrap()).await;
        let users: Vec<String> = call["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["external_id"].as_str().unwrap_or_default().to_owned())
            .collect();
        let unique: HashSet<&String> = users.iter().collect();
        assert_eq!(unique.len(), 2, "both took part: {users:?}");
        // The fake keeps a user once however often added: count the calls.
        let call_id = row.call_id.as_deref().unwrap();
        let count = |method: &str, who: &str| {
            s.slack
                .calls_to(method)
                .iter()
                .filter(|c| c.succeeded() && c.args["id"] == call_id)
                .filter(|c| c.args["users"].to_string().contains(who))
                .count()
        };
        for who in ["pu-a", "pu-b"] {
            let (added, removed) = (
                count("calls.participants.add", who),
                count("calls.participants.remove", who),
            );
            assert_eq!(
                added,
                removed + 1,
                "{who}: added {added}, removed {removed}"
            );
        }
        assert_eq!(count("calls.participants.add", "pu-a"), 1);
    }
    let ends = s
        .slack
        .calls_to("calls.end")
        .iter()
        .filter(|c| c.succeeded())
        .count();
    assert_eq!(
        ends, MEETINGS as usize,
        "each Call ended once, late calls included"
    );
    assert!(a.terminate().await.success());
    assert!(b.terminate().await.success());
}

#[tokio::test]
async fn two_processes_sharing_phone_webhooks_send_each_party_one_dm() {
    const CALLS: usize = 8;
    let s = setup().await;
    let store = s.db.installed_store().await;
    let mut tx = store.begin().await.unwrap();
    for (user, zoom) in [("U0ALICE", "zu_alice"), ("U0SVEN", "zu_sven")] {
        let link = crate::helpers::db::zoom_link(TEAM, user, zoom);
        store.save_zoom_link(&mut tx, &link).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut envs = s.envs.clone();
    envs.push(("ZLACK_WORKER_CONCURRENCY".into(), "8".into()));
    let a = Server::start(s.dir.path(), &envs, &[]).await;
    let b = Server::start(s.dir.path(), &envs, &[]).await;
    let signers = [
        Signer::new(&a.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET),
        Signer::new(&b.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET),
    ];
    let mut sends = Vec::new();
    for i in 0..CALLS {
        let object = json!({
            "call_id": format!("72000000000000{i:05}"),
            "caller": {"user_id": "zu_alice", "phone_number": "+46812345600", "name": "Alice"},
            "callee": {"user_id": "zu_sven", "phone_number": "+46812345678", "name": "Sven"},
            "ringing_start_time": "2026-11-27T10:00:00Z",
            "answer_start_time": "2026-11-27T10:00:05Z",
            "call_end_time": "2026-11-27T10:03:00Z",
        });
        for (n, event) in ["phone.callee_ended", "phone.caller_ended"]
            .iter()
            .enumerate()
        {
            for copy in 0..2_i64 {
                // Each event to both processes, and once more under another
                // `event_ts`, which gets past the inbox's dedupe.
                let body = json!({
                    "event": event,
                    "event_ts": 1_795_773_900_000_i64 + (i * 10 + n) as i64 * 100 + copy,
                    "payload": {"account_id": "acct", "object": object},
                });
                sends.push((0, body.clone()));
                sends.push((1, body));
            }
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (which, event) in sends {
        let signer = signers[which].clone();
        tasks.spawn(async move { signer.zoom_webhook(&event).await.status().as_u16() });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    let dms = || {
        s.slack
            .calls_to("chat.postMessage")
            .into_iter()
            .filter(|c| c.succeeded())
            .map(|c| c.args["channel"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    // The DMs wait ten seconds for the rest of their call.
    eventually("every party's DM", Duration::from_secs(90), || async {
        dms().len() >= 2 * CALLS
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let sent = dms();
    assert_eq!(sent.len(), 2 * CALLS, "{sent:?}");
    assert_eq!(sent.iter().filter(|c| *c == "U0ALICE").count(), CALLS);
    assert_eq!(sent.iter().filter(|c| *c == "U0SVEN").count(), CALLS);
}

/// The process setup in Socket Mode: the fake accepts the app token and
/// redelivers unacknowledged envelopes quickly.
async fn socket_mode_setup() -> Setup {
    let mut s = setup().await;
    s.slack.set_app_token(crate::helpers::app::APP_TOKEN);
    s.slack.set_socket_redelivery(Duration::from_millis(300));
    s.envs.push((
        "ZLACK_SLACK_APP_TOKEN".into(),
        crate::helpers::app::APP_TOKEN.into(),
    ));
    s
}

fn push_help(slack: &FakeSlack) -> (String, String) {
    let url = slack.new_response_url();
    let fields = sandbox::slash_command_fields(TEAM, "C0PUBLIC", "U0ALICE", "help", &url);
    (slack.push_slash_command(&fields), url)
}

fn answers(slack: &FakeSlack, url: &str) -> usize {
    let id = url.rsplit('/').next().unwrap();
    slack
        .calls_to("response_url")
        .iter()
        .filter(|c| c.args["_id"] == id)
        .count()
}

#[tokio::test]
async fn socket_mode_envelopes_survive_sigkill_and_are_answered_once() {
    let s = socket_mode_setup().await;
    let store = s.db.installed_store().await;
    let first = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    s.slack
        .wait_for_socket_connections(2, Duration::from_secs(30))
        .await;
    let (acked, acked_url) = push_help(&s.slack);
    s.slack
        .wait_for_socket_acks(1, Duration::from_secs(30))
        .await;
    first.kill9().await;
    assert_eq!(store.inbox_count().await.unwrap(), 1, "acked means stored");

    // Sent while no zlack runs: Slack keeps delivering it until acked.
    eventually(
        "the killed connections to close",
        Duration::from_secs(30),
        || async { s.slack.socket_connections().is_empty() },
    )
    .await;
    let (pending, pending_url) = push_help(&s.slack);
    let second = Server::start(s.dir.path(), &s.envs, &[]).await;
    eventually(
        "both commands answered",
        Duration::from_secs(60),
        || async { answers(&s.slack, &acked_url) == 1 && answers(&s.slack, &pending_url) == 1 },
    )
    .await;
    // An acked envelope coming again is a duplicate.
    s.slack.redeliver_envelope(&acked);
    eventually("the redelivery acked", Duration::from_secs(30), || async {
        s.slack
            .socket_acks()
            .iter()
            .filter(|a| a.envelope_id == acked)
            .count()
            == 2
    })
    .await;
    assert!(
        s.slack
            .socket_acks()
            .iter()
            .any(|a| a.envelope_id == pending)
    );
    assert!(second.terminate().await.success());
    assert_eq!(store.inbox_count().await.unwrap(), 2);
    assert_eq!(answers(&s.slack, &acked_url), 1);
    assert_eq!(answers(&s.slack, &pending_url), 1);
}

/// How many envelopes of type `slash_commands` `server` has read.
async fn commands_read(server: &Server) -> u64 {
    let text = reqwest::get(format!("{}/metrics", server.base_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| {
            l.strip_prefix(r#"zlack_slack_socket_envelopes_total{type="slash_commands"} "#)
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn socket_mode_sigkill_between_receipt_and_ack_is_processed_once_after_redelivery() {
    let s = socket_mode_setup().await;
    let store = s.db.installed_store().await;
    let first = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    s.slack
        .wait_for_socket_connections(2, Duration::from_secs(30))
        .await;
    // The inbox is locked: the envelope is read but its row cannot commit,
    // so it is not acknowledged when the process dies.
    let lock = s.db.lock_inbox().await;
    let (envelope, url) = push_help(&s.slack);
    eventually("the envelope read", Duration::from_secs(30), || async {
        commands_read(&first).await >= 1
    })
    .await;
    first.kill9().await;
    assert!(
        s.slack.socket_acks().is_empty(),
        "not acked before the kill"
    );
    lock.release().await;
    assert_eq!(store.inbox_count().await.unwrap(), 0, "nothing committed");

    // Slack delivers it again to the restarted process.
    let second = Server::start(s.dir.path(), &s.envs, &[]).await;
    eventually("the command answered", Duration::from_secs(60), || async {
        answers(&s.slack, &url) == 1
    })
    .await;
    assert!(
        s.slack
            .socket_acks()
            .iter()
            .any(|a| a.envelope_id == envelope)
    );
    assert!(s.slack.socket_deliveries(&envelope) >= 2, "redelivered");
    assert!(second.terminate().await.success());
    assert_eq!(store.inbox_count().await.unwrap(), 1);
    assert_eq!(answers(&s.slack, &url), 1, "processed once");
}

#[tokio::test]
async fn sigterm_in_socket_mode_stores_what_it_acked_and_closes_its_connections() {
    let s = socket_mode_setup().await;
    let store = s.db.installed_store().await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    s.slack
        .wait_for_socket_connections(2, Duration::from_secs(30))
        .await;
    for _ in 0..100 {
        push_help(&s.slack);
    }
    s.slack
        .wait_for_socket_acks(1, Duration::from_secs(30))
        .await;
    // Every delivery read by now (redeliveries included) is answered by
    // an ack before the process exits: none is left stored but unacked.
    let read = commands_read(&server).await;
    assert!(read >= 1);
    assert!(server.terminate().await.success());
    // Closed by zlack after its last ack; the fake has read them all then.
    eventually(
        "the connections to close",
        Duration::from_secs(30),
        || async { s.slack.socket_connections().is_empty() },
    )
    .await;
    let acks = s.slack.socket_acks();
    assert!(
        acks.len() as u64 >= read,
        "{read} read before SIGTERM, {} acked",
        acks.len()
    );
    let acked: HashSet<String> = acks.into_iter().map(|a| a.envelope_id).collect();
    let stored = store.inbox_count().await.unwrap();
    assert_eq!(stored, acked.len() as i64, "what is stored is acked");
}

#[tokio::test]
async fn two_replicas_in_socket_mode_answer_each_command_once() {
    let s = socket_mode_setup().await;
    let store = s.db.installed_store().await;
    let a = Server::start(s.dir.path(), &s.envs, &[]).await;
    let b = Server::start(s.dir.path(), &s.envs, &[]).await;
    s.slack
        .wait_for_socket_connections(4, Duration::from_secs(30))
        .await;
    let urls: Vec<String> = (0..200).map(|_| push_help(&s.slack).1).collect();
    eventually(
        "every command answered",
        Duration::from_secs(120),
        || async { urls.iter().all(|url| answers(&s.slack, url) >= 1) },
    )
    .await;
    let connections: HashSet<u64> = s
        .slack
        .socket_acks()
        .into_iter()
        .map(|a| a.connection)
        .collect();
    assert!(connections.len() > 2, "both replicas took envelopes");
    assert!(a.terminate().await.success());
    assert!(b.terminate().await.success());
    assert_eq!(store.inbox_count().await.unwrap(), 200);
    for url in &urls {
        assert_eq!(answers(&s.slack, url), 1, "one answer per command");
    }
}
