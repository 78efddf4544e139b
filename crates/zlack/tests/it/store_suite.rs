//! The storage interface's contract, run against whichever backend this
//! test run selected (the test script runs it on both). The job queue's part
//! is in `store_jobs`.

use serde_json::json;
use zlack::config::Secret;
use zlack::store::{InboundEvent, Ingested, NewJob, TokenKind, TokenOwner};

use crate::helpers::db::TestDb;

fn event(key: &str) -> InboundEvent {
    InboundEvent {
        source: "zoom.webhook",
        dedupe_key: key.into(),
        kind: "meeting.ended".into(),
        tenant: "zoom:A".into(),
        body: br#"{"event":"meeting.ended"}"#.to_vec(),
    }
}

#[tokio::test]
async fn a_batch_stores_new_events_with_their_jobs_and_skips_redeliveries() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let first = store
        .ingest_batch(&[event("a"), event("b"), event("a")], 1_000)
        .await
        .unwrap();
    assert!(matches!(first[0], Ingested::Stored { .. }));
    assert!(matches!(first[1], Ingested::Stored { .. }));
    assert_eq!(first[2], Ingested::Duplicate);
    let again = store.ingest_batch(&[event("b")], 2_000).await.unwrap();
    assert_eq!(again, vec![Ingested::Duplicate]);
    assert_eq!(store.inbox_count().await.unwrap(), 2);
    let jobs = store.claim_jobs("w", 1_000, 60_000, 10).await.unwrap();
    assert_eq!(jobs.len(), 2);
    let Ingested::Stored { inbox_id } = first[0] else {
        unreachable!()
    };
    let item = store.inbox_item(inbox_id).await.unwrap().unwrap();
    assert_eq!(item.body, br#"{"event":"meeting.ended"}"#);
    assert_eq!(item.kind, "meeting.ended");
}

#[tokio::test]
async fn tokens_round_trip_replace_and_delete_by_owner_and_kind() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let team = TokenOwner::slack_team("T1");
    let user = TokenOwner::zoom_user("zu1");
    let mut tx = store.begin().await.unwrap();
    store
        .put_token(
            &mut tx,
            &team,
            TokenKind::SlackBot,
            &Secret::new("xoxb-1"),
            None,
            0,
        )
        .await
        .unwrap();
    store
        .put_token(
            &mut tx,
            &user,
            TokenKind::ZoomAccess,
            &Secret::new("za-1"),
            Some(3_600),
            0,
        )
        .await
        .unwrap();
    store
        .put_token(
            &mut tx,
            &user,
            TokenKind::ZoomRefresh,
            &Secret::new("zr-1"),
            None,
            0,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    store
        .put_token(
            &mut tx,
            &user,
            TokenKind::ZoomRefresh,
            &Secret::new("zr-2"),
            None,
            1,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store
            .token(&team, TokenKind::SlackBot)
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose(),
        "xoxb-1"
    );
    let access = store
        .token(&user, TokenKind::ZoomAccess)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (access.secret.expose(), access.expires_at),
        ("za-1", Some(3_600))
    );
    assert_eq!(
        store
            .token(&user, TokenKind::ZoomRefresh)
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose(),
        "zr-2"
    );
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        store
            .delete_tokens(&mut tx, &user, &[TokenKind::ZoomAccess])
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
    assert!(
        store
            .token(&user, TokenKind::ZoomAccess)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .token(&user, TokenKind::ZoomRefresh)
            .await
            .unwrap()
            .is_some()
    );
    let mut tx = store.begin().await.unwrap();
    assert_eq!(store.delete_tokens(&mut tx, &user, &[]).await.unwrap(), 1);
    tx.commit().await.unwrap();
    assert!(
        store
            .token(&team, TokenKind::SlackBot)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.token_health().await.unwrap().unreadable, 0);
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_no_token_and_no_job() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let mut tx = store.begin().await.unwrap();
    store
        .put_token(
            &mut tx,
            &TokenOwner::slack_team("T9"),
            TokenKind::SlackBot,
            &Secret::new("xoxb-9"),
            None,
            0,
        )
        .await
        .unwrap();
    store
        .enqueue(&mut tx, &[NewJob::new("k", "j9", json!({}), 0)], 0)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(
        store
            .token(&TokenOwner::slack_team("T9"), TokenKind::SlackBot)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .claim_jobs("w", 0, 1_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn migrations_are_idempotent_and_reported_complete() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store.migrate().await.unwrap();
    assert!(store.pending_migrations().await.unwrap().is_empty());
    store.ping().await.unwrap();
}

#[tokio::test]
async fn transactions_committed_together_keep_only_what_each_committed() {
    let db = TestDb::new().await;
    let store = db.store().await;
    // Many writers at once, as under load: on SQLite they share commits.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut tx = store.begin().await.unwrap();
            let job = NewJob::new("k", format!("group:{i}"), json!({}), 0);
            store.enqueue(&mut tx, &[job], 0).await.unwrap();
            match i % 3 {
                0 => tx.commit().await.unwrap(),
                1 => tx.rollback().await.unwrap(),
                // Dropped mid-way, as when a task is cancelled.
                _ => drop(tx),
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let mut kept: Vec<String> = store
        .claim_jobs("w", 0, 1_000, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.idempotency_key)
        .collect();
    kept.sort();
    let mut expected: Vec<String> = (0..60)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("group:{i}"))
        .collect();
    expected.sort();
    assert_eq!(kept, expected);
}

#[tokio::test]
async fn a_failed_statement_undoes_only_its_own_transaction() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let mut first = store.begin().await.unwrap();
    store
        .enqueue(&mut first, &[NewJob::new("k", "kept", json!({}), 0)], 0)
        .await
        .unwrap();
    // A statement the database refuses, inside the same transaction.
    assert!(
        sqlx::query("INSERT INTO no_such_table VALUES (1)")
            .execute(&mut *first)
            .await
            .is_err()
    );
    drop(first);
    let mut second = store.begin().await.unwrap();
    store
        .enqueue(&mut second, &[NewJob::new("k", "second", json!({}), 0)], 0)
        .await
        .unwrap();
    second.commit().await.unwrap();
    let keys: Vec<String> = store
        .claim_jobs("w", 0, 1_000, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.idempotency_key)
        .collect();
    assert_eq!(keys, ["second"]);
}

#[tokio::test]
async fn storing_requests_for_an_ack_goes_ahead_of_waiting_work() {
    use std::future::Future;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};
    let db = TestDb::new().await;
    let store = db.store().await;
    if store.dialect() != zlack::store::Dialect::Sqlite {
        return; // PostgreSQL runs transactions side by side.
    }
    let order = Arc::new(Mutex::new(Vec::new()));
    let busy = store.begin().await.unwrap();
    // Queue two work transactions, then one that stores requests, while
    // the writer is busy: each asks for its turn on its first poll.
    let mut waiting = Vec::new();
    for (name, ack) in [("work 1", false), ("work 2", false), ("ack", true)] {
        let (store, order) = (store.clone(), order.clone());
        let mut turn = Box::pin(async move {
            let tx = if ack {
                store.begin_for_ack().await.unwrap()
            } else {
                store.begin().await.unwrap()
            };
            order.lock().unwrap().push(name);
            tx.commit().await.unwrap();
        });
        let first = turn.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(matches!(first, Poll::Pending));
        waiting.push(tokio::spawn(turn));
    }
    drop(busy);
    for turn in waiting {
        turn.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), ["ack", "work 1", "work 2"]);
}

#[tokio::test]
async fn requests_are_stored_while_jobs_hold_every_shared_connection() {
    let db = TestDb::new().await;
    let store = db.store().await;
    if store.dialect() != zlack::store::Dialect::Postgres {
        return; // SQLite's writer puts acknowledgements first instead.
    }
    // Jobs in transactions on every connection they share, and one more
    // waiting for a connection to come back.
    let mut held = Vec::new();
    for _ in 0..16 {
        held.push(store.begin().await.unwrap());
    }
    let queued = tokio::spawn({
        let store = store.clone();
        async move { store.begin().await.map(|_| ()) }
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(!queued.is_finished(), "every shared connection is taken");
    let ack = tokio::time::timeout(std::time::Duration::from_secs(5), store.begin_for_ack())
        .await
        .expect("storing a request does not wait for the jobs' connections")
        .unwrap();
    ack.commit().await.unwrap();
    drop(held);
    queued.await.unwrap().unwrap();
}
