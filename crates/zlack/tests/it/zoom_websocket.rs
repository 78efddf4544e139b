//! Zoom's events read from a WebSocket event subscription instead of the
//! webhook URL: the same inbox rows and the same Slack effects, one
//! connection across replicas, and a connection kept alive through lost
//! heartbeats, expiring tokens and restarts.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;
use zlack::app::{Application, Options};
use zlack::clock::Clock;
use zlack::clock::ManualClock;
use zlack::config::{Config, Sources};
use zlack::zoom::websocket::{LEASE_TTL_MS, lease_name};

use crate::helpers::TestApp;
use crate::helpers::app::{WS_SUBSCRIPTION, server_to_server, set, settings, websocket};
use crate::helpers::meetings::Occurrence;
use crate::helpers::people::*;

const WAIT: Duration = Duration::from_secs(30);

/// An installed workspace whose Zoom events come over the WebSocket, with
/// its first connection open.
async fn ws_app(edit: impl FnOnce(&mut Vec<(String, String)>)) -> TestApp {
    let app = TestApp::spawn_with(|s| {
        websocket(s);
        edit(s);
    })
    .await;
    app.install_workspace().await;
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 1, WAIT).await;
    app
}

/// Waits until the inbox holds `n` rows.
async fn wait_inbox(store: &zlack::store::Store, n: i64) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let count = store.inbox_count().await.unwrap();
        if count >= n {
            assert_eq!(count, n, "more inbox rows than events");
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the inbox holds {count} rows, not {n}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Zoom sends `event` over the open connection.
async fn push(app: &TestApp, event: &Value) {
    assert!(
        app.zoom.push_ws_event(WS_SUBSCRIPTION, event).await,
        "a connection was open"
    );
}

/// Alice announces a meeting in the public channel; its occurrence.
async fn announced(app: &TestApp) -> (zlack::store::MeetingRow, Occurrence) {
    let row = app.announce(PUBLIC, ALICE, "meeting Weekly sync").await;
    let id = row.zoom_meeting_id.expect("Zoom made the meeting");
    let uuid = row
        .zoom_uuid
        .clone()
        .map_or_else(|| format!("uuid-{id}=="), String::from);
    (row, Occurrence::new(id, &uuid, ZOOM_ALICE))
}

/// What Slack shows after a meeting: the Call's participants, the
/// participant additions, the Call's end duration, and the threaded posts
/// (the end summary) naming both participants.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    users: BTreeSet<String>,
    adds: usize,
    ended_with: Vec<String>,
    summaries: usize,
}

/// Drives a meeting's start, two joins and its end through `deliver`,
/// one event at a time, and reads what Slack shows.
async fn meeting_via(app: &TestApp, over_websocket: bool) -> Outcome {
    let (row, o) = announced(app).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    let posts_before = app.posts_after(0).len();
    let events = [
        o.started(0),
        o.joined("pu-alice", "Alice Andersson", "alice@example.com", 5),
        o.joined("pu-guest", "Gästen Gustav", "", 60),
        o.ended(0, 1800),
    ];
    let mut rows = app.store.inbox_count().await.unwrap();
    for event in &events {
        if over_websocket {
            push(app, event).await;
        } else {
            app.zoom_hook(event).await;
        }
        rows += 1;
        wait_inbox(&app.store, rows).await;
        app.run_jobs().await;
    }
    app.settle().await;
    let posts = app.posts_after(posts_before);
    Outcome {
        users: app.call_users(&call_id).await,
        adds: app.ok_calls("calls.participants.add").len(),
        ended_with: app
            .ok_calls("calls.end")
            .iter()
            .map(|c| c.args["duration"].to_string().trim_matches('"').to_owned())
            .collect(),
        summaries: posts
            .iter()
            .filter(|p| {
                p.threaded
                    && p.channel == PUBLIC
                    && p.text.contains("Gästen Gustav")
                    && p.text.contains("Alice Andersson")
            })
            .count(),
    }
}

#[tokio::test]
async fn meeting_events_over_the_websocket_drive_the_call_and_summary_as_webhooks_do() {
    let hooked = TestApp::spawn_with(server_to_server).await;
    hooked.install_workspace().await;
    let by_webhook = meeting_via(&hooked, false).await;
    hooked.stop().await;

    let app = ws_app(|_| {}).await;
    let by_websocket = meeting_via(&app, true).await;
    assert_eq!(
        by_websocket,
        Outcome {
            users: BTreeSet::from([ALICE.to_owned(), "pu-guest:Gästen Gustav".to_owned()]),
            adds: 2,
            ended_with: vec!["1800".to_owned()],
            summaries: 1,
        }
    );
    assert_eq!(by_websocket, by_webhook);
    // The events came over one connection, made with the account's token.
    assert_eq!(app.zoom.ws_connections(WS_SUBSCRIPTION), 1);
    let grants = app.zoom.calls_to("POST /oauth/token");
    assert!(
        grants
            .iter()
            .all(|g| g.args["grant_type"] == "account_credentials")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_same_event_by_webhook_and_websocket_is_stored_once() {
    let app = ws_app(|_| {}).await;
    let (row, o) = announced(&app).await;
    let base = app.store.inbox_count().await.unwrap();
    let started = o.started(0);
    push(&app, &started).await;
    wait_inbox(&app.store, base + 1).await;
    app.zoom_hook(&started).await;
    let joined = o.joined("pu-guest", "Gästen Gustav", "", 60);
    app.zoom_hook(&joined).await;
    push(&app, &joined).await;
    // A later event marks the point where the WebSocket's copy of
    // `joined` was read.
    let marker = o.joined("pu-sven", "Sven Svensson", "sven@example.com", 70);
    push(&app, &marker).await;
    wait_inbox(&app.store, base + 3).await;
    app.run_jobs().await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    assert_eq!(
        app.call_users(&call_id).await,
        BTreeSet::from([SVEN.to_owned(), "pu-guest:Gästen Gustav".to_owned()])
    );
    app.stop().await;
}

#[tokio::test]
async fn malformed_frames_are_skipped_and_the_connection_goes_on() {
    let app = ws_app(|_| {}).await;
    let (_, o) = announced(&app).await;
    let base = app.store.inbox_count().await.unwrap();
    for junk in [
        "not json",
        r#"{"module":"message","content":"{not an event"}"#,
        r#"{"module":"message","content":"{\"event\":\"\",\"payload\":{}}"}"#,
        r#"{"module":"message","content":"{\"event\":\"meeting.started\",\"payload\":7}"}"#,
        r#"{"module":"message"}"#,
        r#"{"module":"something_new","content":"hello"}"#,
        r#"[1,2,3]"#,
    ] {
        assert!(app.zoom.push_ws_raw(WS_SUBSCRIPTION, junk).await);
    }
    push(&app, &o.started(0)).await;
    wait_inbox(&app.store, base + 1).await;
    assert_eq!(
        app.zoom.ws_connections(WS_SUBSCRIPTION),
        1,
        "never reconnected"
    );
    assert!(app.zoom.ws_open(WS_SUBSCRIPTION));
    app.stop().await;
}

/// Waits until `on_connected` ran as many times as connections were made,
/// at least `n`.
async fn wait_connected_hook(app: &TestApp, n: usize) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let hooked = app.ws_connected.load(Ordering::SeqCst);
        let made = app.zoom.ws_connections(WS_SUBSCRIPTION);
        if hooked >= n && hooked == made {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "on_connected ran {hooked} times for {made} connections"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn unanswered_heartbeats_replace_the_connection_and_events_flow_again() {
    let app = ws_app(|s| set(s, "ZLACK_ZOOM_WS_HEARTBEAT_MS", "200".into())).await;
    wait_connected_hook(&app, 1).await;
    let (_, o) = announced(&app).await;
    let base = app.store.inbox_count().await.unwrap();
    app.zoom.answer_ws_heartbeats(false);
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 2, WAIT).await;
    app.zoom.answer_ws_heartbeats(true);
    wait_connected_hook(&app, 2).await;
    let made = app.zoom.ws_connections(WS_SUBSCRIPTION);
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, made, WAIT).await;
    push(&app, &o.started(0)).await;
    wait_inbox(&app.store, base + 1).await;
    app.stop().await;
}

#[tokio::test]
async fn a_cut_connection_is_made_again_and_on_connected_runs_each_time() {
    let app = ws_app(|_| {}).await;
    wait_connected_hook(&app, 1).await;
    for n in 2..=3 {
        app.zoom.cut_ws(WS_SUBSCRIPTION);
        app.zoom.wait_for_ws(WS_SUBSCRIPTION, n, WAIT).await;
        wait_connected_hook(&app, n).await;
    }
    let (_, o) = announced(&app).await;
    let base = app.store.inbox_count().await.unwrap();
    push(&app, &o.started(0)).await;
    wait_inbox(&app.store, base + 1).await;
    app.stop().await;
}

#[tokio::test]
async fn a_refused_token_is_replaced_by_a_fresh_one() {
    let app = ws_app(|_| {}).await;
    assert_eq!(app.zoom.ws_tokens_used(WS_SUBSCRIPTION), 1);
    // Zoom stops honouring the token zlack still considers good.
    app.zoom.expire_access_tokens();
    app.zoom.cut_ws(WS_SUBSCRIPTION);
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 2, WAIT).await;
    assert_eq!(app.zoom.ws_tokens_used(WS_SUBSCRIPTION), 2);
    let refused = app
        .zoom
        .calls_to("GET /ws")
        .iter()
        .filter(|c| c.status == 401)
        .count();
    assert_eq!(refused, 1, "{:#?}", app.zoom.calls_to("GET /ws"));
    app.stop().await;
}

#[tokio::test]
async fn a_token_about_to_expire_is_replaced_before_it_does() {
    let app = ws_app(|_| {}).await;
    // From now on tokens live eight seconds; the stored one is due.
    app.zoom.set_access_token_ttl(8);
    app.clock.advance_ms(3_600_000);
    app.zoom.cut_ws(WS_SUBSCRIPTION);
    // Two renewals after the reconnect with the short-lived token.
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 4, WAIT).await;
    wait_connected_hook(&app, 4).await;
    assert!(app.zoom.ws_tokens_used(WS_SUBSCRIPTION) >= 4);
    assert_eq!(
        app.zoom.ws_closed_for_expiry(),
        0,
        "every connection was replaced before its token expired"
    );
    let (_, o) = announced(&app).await;
    let base = app.store.inbox_count().await.unwrap();
    push(&app, &o.started(0)).await;
    wait_inbox(&app.store, base + 1).await;
    app.stop().await;
}

#[tokio::test]
async fn a_holder_that_loses_its_lease_closes_its_connection() {
    let app = ws_app(|_| {}).await;
    let lease = lease_name(WS_SUBSCRIPTION);
    // Another process takes the lease, as when this one's ran out.
    let later = app.clock.now_ms() + LEASE_TTL_MS + 1;
    assert!(
        app.store
            .try_lease(&lease, "another-process", later, 600_000)
            .await
            .unwrap()
    );
    app.zoom.wait_for_ws_closed(WS_SUBSCRIPTION, WAIT).await;
    assert_eq!(app.zoom.ws_connections(WS_SUBSCRIPTION), 1);
    // Once the other gives it up, this one connects again.
    app.store
        .release_lease(&lease, "another-process")
        .await
        .unwrap();
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 2, WAIT).await;
    app.stop().await;
}

/// Another zlack process on the test app's database and fakes, in its own
/// runtime so that it can die abruptly, mid-anything.
struct Replica {
    control: std::sync::mpsc::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Replica {
    fn start(app: &TestApp, clock: Arc<ManualClock>) -> Self {
        let mut pairs = settings(&app.db, &app.slack, &app.zoom);
        websocket(&mut pairs);
        let (control, orders) = std::sync::mpsc::channel::<bool>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let task = runtime.spawn(async move {
                let config = Config::parse(&Sources::from_pairs(
                    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                ))
                .unwrap();
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let options = Options {
                    clock,
                    run_worker: false,
                    ..Options::default()
                };
                let app = Application::build(config, listener, options).await.unwrap();
                app.run_until(async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
            match orders.recv() {
                // Stop cleanly: shutdown runs to its end.
                Ok(false) => {
                    let _ = stop.send(());
                    runtime.block_on(task).unwrap();
                }
                // Die: every task dropped where it stands.
                _ => runtime.shutdown_background(),
            }
        });
        Self {
            control,
            thread: Some(thread),
        }
    }

    fn kill(mut self) {
        let _ = self.control.send(true);
        self.thread.take().unwrap().join().unwrap();
    }

    fn stop(mut self) {
        let _ = self.control.send(false);
        self.thread.take().unwrap().join().unwrap();
    }
}

#[tokio::test]
async fn one_replica_holds_the_connection_and_another_takes_over_when_it_dies() {
    // The test app reads webhooks and runs the jobs; the replicas read the
    // WebSocket into the same database, on the same clock.
    let app = TestApp::spawn_with(server_to_server).await;
    app.install_workspace().await;
    app.zoom.add_ws_subscription(WS_SUBSCRIPTION);
    let (row, o) = announced(&app).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    let base = app.store.inbox_count().await.unwrap();

    let first = Replica::start(&app, app.clock.clone());
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 1, WAIT).await;
    let second = Replica::start(&app, app.clock.clone());
    // Several of the second's lease attempts pass: it never connects.
    let beats = app.zoom.ws_heartbeats();
    while app.zoom.ws_heartbeats() < beats + 4 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.zoom.ws_connections(WS_SUBSCRIPTION), 1);
    push(&app, &o.joined("pu-guest", "Gästen Gustav", "", 60)).await;
    wait_inbox(&app.store, base + 1).await;
    app.run_jobs().await;

    // The holder dies without a word; once its lease runs out the second
    // connects.
    first.kill();
    app.clock.advance_ms(LEASE_TTL_MS + 1_000);
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 2, WAIT).await;
    push(
        &app,
        &o.joined("pu-sven", "Sven Svensson", "sven@example.com", 70),
    )
    .await;
    wait_inbox(&app.store, base + 2).await;
    app.run_jobs().await;
    assert_eq!(
        app.ok_calls("calls.participants.add").len(),
        2,
        "each join processed once"
    );
    let users = app.call_users(&call_id).await;
    assert!(
        users.contains("pu-guest:Gästen Gustav") && users.contains(SVEN),
        "{users:?}"
    );

    // A clean stop gives the lease up at once: a third takes over with no
    // time passing.
    let third = Replica::start(&app, app.clock.clone());
    second.stop();
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 3, WAIT).await;
    third.stop();
    assert_eq!(app.zoom.ws_connections(WS_SUBSCRIPTION), 3);
    app.stop().await;
}

#[tokio::test]
async fn even_at_trace_level_the_token_is_never_logged() {
    use crate::helpers::process::{Server, eventually};
    let app = TestApp::spawn_with(server_to_server).await;
    app.zoom.add_ws_subscription(WS_SUBSCRIPTION);
    let mut envs = settings(&app.db, &app.slack, &app.zoom);
    websocket(&mut envs);
    set(&mut envs, "ZLACK_LOG", "trace".into());
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &envs, &[]).await;
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 1, WAIT).await;
    eventually("the connection's log line", WAIT, || async {
        server
            .log_lines()
            .iter()
            .any(|l| l.contains("connected to Zoom's event subscription"))
    })
    .await;
    let mut logs = server.startup_log.clone();
    logs.extend(server.log_lines());
    assert!(server.terminate().await.success());
    let tokens: Vec<String> = app
        .zoom
        .calls_to("GET /ws")
        .iter()
        .filter_map(|c| c.args["access_token"].as_str().map(str::to_owned))
        .collect();
    assert!(!tokens.is_empty());
    for line in &logs {
        assert!(
            !line.contains("access_token") && tokens.iter().all(|t| !line.contains(t.as_str())),
            "{line}"
        );
    }
    app.stop().await;
}

/// Zoom's WebSocket never delivers what happened while no connection was
/// open: the meeting ends and its recording completes during a cut, and
/// the reconciliation every reconnect asks for makes up for both, once.
#[tokio::test]
async fn what_happened_during_a_cut_is_reconciled_after_the_reconnect_once() {
    use crate::helpers::meetings::at;
    use zlack::flows::reconcile::REQUEST_WINDOW_MS;
    use zlack::store::RecordedNotice;

    let app = ws_app(|_| {}).await;
    // The meeting of `at()` happens after its announcement.
    let start: jiff::Timestamp = at(-3600).parse().unwrap();
    app.clock.set_ms(start.as_millisecond());
    let (row, o) = announced(&app).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    let posts_before = app.posts_after(0).len();

    // The start and a join come over the WebSocket.
    app.zoom.start_instance(o.meeting_id, &o.uuid, &at(0));
    let mut rows = app.store.inbox_count().await.unwrap();
    for event in [
        o.started(0),
        o.joined("pu-alice", "Alice Andersson", "alice@example.com", 5),
    ] {
        push(&app, &event).await;
        rows += 1;
        wait_inbox(&app.store, rows).await;
    }
    app.run_jobs().await;
    assert_eq!(app.ok_calls("calls.participants.add").len(), 1);

    // The connection is cut; meanwhile the meeting ends, the recording
    // completes and its summary is ready. Zoom drops those events.
    let made = app.zoom.ws_connections(WS_SUBSCRIPTION);
    let reconnects = app.ws_connected.load(Ordering::SeqCst);
    app.zoom.cut_ws(WS_SUBSCRIPTION);
    let participants = vec![serde_json::json!({
        "id": "zu-pu-alice", "user_id": "1", "name": "Alice Andersson",
        "user_email": "alice@example.com", "join_time": at(5), "leave_time": at(1800)
    })];
    app.zoom
        .end_instance(o.meeting_id, &o.uuid, (&at(0), &at(1800)), participants);
    let recording = o.recording(&[(10, 1790)], Some("s3cr3t-pass"));
    app.zoom
        .set_recording(&o.uuid, recording["payload"]["object"].clone());
    let lost = [o.ended(0, 1800), recording];
    for event in &lost {
        // Whether the cut has reached the fake yet or not, an event pushed
        // now either goes nowhere or is the one already sent.
        let _ = app.zoom.push_ws_event(WS_SUBSCRIPTION, event).await;
    }
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, made + 1, WAIT).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.ws_connected.load(Ordering::SeqCst) == reconnects {
        assert!(tokio::time::Instant::now() < deadline, "on_connected ran");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The reconnect queued a reconciliation, due at the end of its window.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let queued = app
            .store
            .count_where("jobs", "kind", "meeting.reconcile")
            .await
            .unwrap();
        if queued > 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "a run was queued");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.clock.advance_ms(REQUEST_WINDOW_MS);
    let ran = app.run_jobs().await;
    assert!(ran.iter().any(|r| r.kind == "meeting.reconcile"), "{ran:?}");
    app.settle().await;

    let count = |kind| {
        let store = app.store.clone();
        async move { store.notice_count(kind).await.unwrap() }
    };
    assert_eq!(count(RecordedNotice::EndSummary).await, 1);
    assert_eq!(count(RecordedNotice::Recording).await, 1);
    let ends = app.ok_calls("calls.end");
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].args["id"], call_id.as_str());
    let posts = app.posts_after(posts_before);
    let threaded = posts.iter().filter(|p| p.threaded).count();
    assert_eq!(threaded, 2, "the end summary and the recording: {posts:#?}");

    // Another reconnect, and the lost events arriving after all, add
    // nothing.
    app.zoom.cut_ws(WS_SUBSCRIPTION);
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, made + 2, WAIT).await;
    for event in &lost {
        push(&app, event).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    app.clock.advance_ms(REQUEST_WINDOW_MS);
    app.settle().await;
    assert_eq!(app.posts_after(posts_before), posts);
    assert_eq!(app.ok_calls("calls.end").len(), 1);
    assert_eq!(count(RecordedNotice::EndSummary).await, 1);
    assert_eq!(count(RecordedNotice::Recording).await, 1);
    app.stop().await;
}

/// Waits until `lease` is held at the test clock's now.
async fn wait_lease_held(app: &TestApp, lease: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = app.clock.now_ms();
        if let Some(holder) = app.store.lease_holder(lease, now).await.unwrap() {
            return holder;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "nobody holds {lease}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_lease_is_kept_while_a_slow_handshake_goes_on() {
    let app = ws_app(|_| {}).await;
    let lease = lease_name(WS_SUBSCRIPTION);
    // Zoom takes far longer to answer the handshake than a lease lasts.
    app.zoom.set_ws_handshake_delay(Duration::from_secs(25));
    let begun = app.zoom.ws_handshakes();
    app.zoom.cut_ws(WS_SUBSCRIPTION);
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.zoom.ws_handshakes() == begun {
        assert!(tokio::time::Instant::now() < deadline, "a reconnect began");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The lease the holder took before connecting runs out; it renews it
    // while the handshake goes on, so no other process can take it.
    app.clock.advance_ms(LEASE_TTL_MS + 1);
    wait_lease_held(&app, &lease).await;
    assert!(
        !app.store
            .try_lease(&lease, "another-process", app.clock.now_ms(), 600_000)
            .await
            .unwrap()
    );
    assert_eq!(
        app.zoom.ws_handshakes(),
        begun + 1,
        "still the same handshake"
    );
    app.zoom.set_ws_handshake_delay(Duration::ZERO);
    app.stop().await;
}

#[tokio::test]
async fn a_token_renewal_connects_anew_first_and_keeps_what_the_old_connection_still_sent() {
    let app = ws_app(|_| {}).await;
    let (_, o) = announced(&app).await;
    // From now on tokens live eight seconds; the stored one is due.
    app.zoom.set_access_token_ttl(8);
    app.clock.advance_ms(3_600_000);
    app.zoom.cut_ws(WS_SUBSCRIPTION);
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 2, WAIT).await;
    let base = app.store.inbox_count().await.unwrap();
    // Zoom sends an event on the old connection just as the renewal's
    // new connection replaces it.
    app.zoom.send_ws_event_on_replace(&o.started(0));
    app.zoom.wait_for_ws(WS_SUBSCRIPTION, 3, WAIT).await;
    wait_inbox(&app.store, base + 1).await;
    app.stop().await;
}
