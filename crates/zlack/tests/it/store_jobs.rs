//! The storage interface's job queue contract (claims, leases, retries and
//! dead letters), run against whichever backend this test run selected (the
//! test script runs it on both).

use serde_json::json;
use zlack::store::{JobStatus, NewJob, Settlement};

use crate::helpers::db::TestDb;

#[tokio::test]
async fn a_job_with_a_known_idempotency_key_is_not_queued_twice() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let job = NewJob::new("slack.call", "post:1", json!({"x": 1}), 0);
    assert_eq!(
        store
            .enqueue_now(&[job.clone(), job.clone()], 0)
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.enqueue_now(&[job], 0).await.unwrap(), 0);
    assert_eq!(store.claim_jobs("w", 0, 1_000, 10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_claimed_job_is_invisible_to_other_claimers_until_its_lease_ends() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .enqueue_now(&[NewJob::new("k", "j1", json!({}), 0)], 0)
        .await
        .unwrap();
    let mine = store.claim_jobs("a", 10, 1_000, 10).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].attempts, 1);
    assert!(
        store
            .claim_jobs("b", 500, 1_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // The lease ran out (worker "a" died): "b" may take it, and "a" can no
    // longer settle it.
    let theirs = store.claim_jobs("b", 1_011, 1_000, 10).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].attempts, 2);
    assert!(
        !store
            .settle_job(&mine[0], &Settlement::Done, 1_100)
            .await
            .unwrap()
    );
    assert!(
        store
            .settle_job(&theirs[0], &Settlement::Done, 1_100)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_jobs("c", 99_999, 1_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn jobs_wait_for_their_time_and_come_in_order() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .enqueue_now(
            &[
                NewJob::new("k", "later", json!({}), 5_000),
                NewJob::new("k", "now", json!({"n": 1}), 0),
            ],
            0,
        )
        .await
        .unwrap();
    let due = store.claim_jobs("w", 100, 60_000, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].idempotency_key, "now");
    assert_eq!(due[0].payload, json!({"n": 1}));
    assert_eq!(
        store.claim_jobs("w", 5_000, 1_000, 10).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn retries_reschedule_and_rate_limit_waits_refund_the_attempt() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .enqueue_now(&[NewJob::new("k", "j", json!({}), 0)], 0)
        .await
        .unwrap();
    let job = store.claim_jobs("w", 0, 1_000, 1).await.unwrap().remove(0);
    let wait = Settlement::Retry {
        run_at: 30_000,
        error: "429".into(),
        counts: false,
    };
    assert!(store.settle_job(&job, &wait, 1).await.unwrap());
    assert!(
        store
            .claim_jobs("w", 29_999, 1_000, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let job = store
        .claim_jobs("w", 30_000, 1_000, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(job.attempts, 1, "the rate-limited try did not count");
    let backoff = Settlement::Retry {
        run_at: 40_000,
        error: "503".into(),
        counts: true,
    };
    assert!(store.settle_job(&job, &backoff, 30_001).await.unwrap());
    let job = store
        .claim_jobs("w", 40_000, 1_000, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(job.attempts, 2);
}

#[tokio::test]
async fn dead_jobs_are_listed_and_can_be_retried_one_or_all() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let jobs: Vec<_> = (0..3)
        .map(|i| NewJob::new("k", format!("j{i}"), json!({}), 0))
        .collect();
    store.enqueue_now(&jobs, 0).await.unwrap();
    for job in store.claim_jobs("w", 0, 1_000, 10).await.unwrap() {
        let dead = Settlement::Dead {
            error: format!("boom {}", job.id),
        };
        store.settle_job(&job, &dead, 1).await.unwrap();
    }
    let dead = store.list_jobs(Some(JobStatus::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 3);
    assert!(
        dead.iter()
            .all(|j| j.last_error.as_deref().unwrap().starts_with("boom"))
    );
    assert_eq!(store.retry_dead_jobs(Some(dead[0].id), 5).await.unwrap(), 1);
    assert_eq!(store.retry_dead_jobs(Some(dead[0].id), 5).await.unwrap(), 0);
    assert_eq!(store.retry_dead_jobs(None, 5).await.unwrap(), 2);
    let again = store.claim_jobs("w", 5, 1_000, 10).await.unwrap();
    assert_eq!(again.len(), 3);
    assert!(again.iter().all(|j| j.attempts == 1));
    let counts = store.job_counts().await.unwrap();
    assert_eq!(counts, vec![(JobStatus::Queued, 3)]);
}

#[tokio::test]
async fn concurrent_claimers_never_take_the_same_job() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let jobs: Vec<_> = (0..400)
        .map(|i| NewJob::new("k", format!("c{i}"), json!({}), 0))
        .collect();
    store.enqueue_now(&jobs, 0).await.unwrap();
    let mut claimers = tokio::task::JoinSet::new();
    for w in 0..8 {
        let store = store.clone();
        claimers.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_jobs(&format!("w{w}"), 10, 60_000, 7)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|j| j.id));
            }
        });
    }
    let mut all = Vec::new();
    while let Some(ids) = claimers.join_next().await {
        all.extend(ids.unwrap());
    }
    let distinct: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 400);
    assert_eq!(distinct.len(), 400);
}

#[tokio::test]
async fn a_job_whose_worker_keeps_dying_is_dead_lettered_at_its_last_attempt() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let mut job = NewJob::new("k", "crashy", json!({}), 0);
    job.max_attempts = 2;
    store.enqueue_now(&[job], 0).await.unwrap();
    assert_eq!(store.claim_jobs("a", 0, 1_000, 1).await.unwrap().len(), 1);
    assert_eq!(
        store.claim_jobs("b", 1_000, 1_000, 1).await.unwrap().len(),
        1
    );
    assert!(
        store
            .claim_jobs("c", 2_000, 1_000, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let dead = store.list_jobs(Some(JobStatus::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("stopped during each of 2 attempts")
    );
}

#[tokio::test]
async fn a_job_sealed_with_another_key_is_dead_lettered_without_blocking_the_rest() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .enqueue_now(&[NewJob::new("k", "good", json!({}), 0)], 0)
        .await
        .unwrap();
    let other = zlack::store::Store::connect(
        &db.database_url(),
        zlack::vault::Vault::new(&zlack::config::EncryptionKey([7u8; 32])),
    )
    .await
    .unwrap();
    other
        .enqueue_now(&[NewJob::new("k", "foreign", json!({}), 0)], 0)
        .await
        .unwrap();
    let claimed = store.claim_jobs("w", 0, 1_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].idempotency_key, "good");
    let dead = store.list_jobs(Some(JobStatus::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("sealed with key"),
        "{:?}",
        dead[0].last_error
    );
}
