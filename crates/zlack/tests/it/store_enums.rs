//! Columns that store an enum by name, run against whichever backend this
//! test run selected: every name reads back as the value written, and a
//! name no variant has is reported as corrupt rather than read as some
//! default.

use serde_json::json;
use zlack::clock::{Clock as _, SystemClock};
use zlack::store::{
    JobStatus, MeetingOrigin, NoticeDelivery, NoticeRow, PostedVia, RecordedNotice, Settlement,
    Store, StoreError,
};
use zlack::store::{MeetingRow, NewJob};
use zlack_domain::delivery::ConversationKind;
use zlack_domain::ids::OccurrenceId;

use crate::helpers::db::{TestDb, new_meeting};

const TEAM: &str = "T1";

/// A meeting announced with `origin` in a conversation of `kind`, its
/// card posted `via`.
async fn meeting(
    store: &Store,
    key: &str,
    origin: MeetingOrigin,
    kind: ConversationKind,
    via: PostedVia,
) -> MeetingRow {
    let now = SystemClock.now_ms();
    let new = zlack::store::NewMeeting {
        origin,
        conversation_kind: Some(kind),
        ..new_meeting(key, TEAM, &format!("C{key}"), "U1")
    };
    let row = store.meeting_for_request(&new, now).await.unwrap();
    store.record_post(row.id, via, None, now).await.unwrap();
    store.meeting_by_id(row.id).await.unwrap().unwrap()
}

/// An occurrence of a fresh meeting, for notices to be recorded against.
async fn occurrence(store: &Store, key: &str, zoom_meeting_id: i64) -> OccurrenceId {
    let now = SystemClock.now_ms();
    let row = store
        .meeting_for_request(&new_meeting(key, TEAM, "C1", "U1"), now)
        .await
        .unwrap();
    store
        .record_zoom_meeting(
            row.id,
            Some(zoom_meeting_id),
            Some(&key.into()),
            Some("Standup"),
            "https://zoom.us/j/1",
            now,
        )
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let bound = store
        .bind_occurrences(&mut tx, zoom_meeting_id, &key.into(), None, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    bound[0].id
}

fn notice(delivery: NoticeDelivery) -> NoticeRow {
    NoticeRow {
        delivery,
        channel_id: Some("C1".into()),
        message_ts: None,
    }
}

fn is_corrupt<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Corrupt(_)))
}

#[tokio::test]
async fn every_stored_name_reads_back_as_the_value_written() {
    let db = TestDb::new().await;
    let store = db.store().await;

    let meetings = [
        (
            MeetingOrigin::Start,
            ConversationKind::PublicChannel,
            PostedVia::Chat,
        ),
        (
            MeetingOrigin::Join,
            ConversationKind::PrivateChannel,
            PostedVia::ResponseUrl,
        ),
        (
            MeetingOrigin::JoinMe,
            ConversationKind::DirectMessage,
            PostedVia::Dm,
        ),
        (
            MeetingOrigin::Start,
            ConversationKind::GroupDm,
            PostedVia::Chat,
        ),
    ];
    for (i, (origin, kind, via)) in meetings.into_iter().enumerate() {
        let row = meeting(&store, &format!("m{i}"), origin, kind, via).await;
        assert_eq!(row.origin, origin);
        assert_eq!(row.conversation_kind, Some(kind));
        assert_eq!(row.posted_via, Some(via));
    }

    let kinds = [
        RecordedNotice::EndSummary,
        RecordedNotice::Recording,
        RecordedNotice::RecordingPasscode,
        RecordedNotice::AiSummary,
    ];
    let deliveries = [
        NoticeDelivery::Thread,
        NoticeDelivery::Channel,
        NoticeDelivery::ResponseUrl,
        NoticeDelivery::HostDm,
        NoticeDelivery::ZoomHostDm,
        NoticeDelivery::Nowhere,
        NoticeDelivery::Undelivered,
    ];
    let occurrences = [
        occurrence(&store, "o1", 1).await,
        occurrence(&store, "o2", 2).await,
    ];
    let slots = occurrences
        .iter()
        .flat_map(|&o| kinds.iter().map(move |&k| (o, k)));
    for ((occurrence, kind), delivery) in slots.zip(deliveries) {
        let written = notice(delivery);
        store
            .record_notice(occurrence, kind, &written, 0)
            .await
            .unwrap();
        assert_eq!(
            store.notice(occurrence, kind).await.unwrap(),
            Some(written),
            "{kind:?}"
        );
    }
    for kind in kinds {
        let expected = if kind == RecordedNotice::AiSummary {
            1
        } else {
            2
        };
        assert_eq!(
            store.notice_count(kind).await.unwrap(),
            expected,
            "{kind:?}"
        );
    }

    let jobs: Vec<NewJob> = ["done", "queued", "dead"]
        .iter()
        .map(|key| NewJob::new("k", *key, json!({}), 0))
        .collect();
    store.enqueue_now(&jobs, 0).await.unwrap();
    let claimed = store.claim_jobs("w", 0, 1_000, 10).await.unwrap();
    for job in &claimed {
        let settlement = match job.idempotency_key.as_str() {
            "done" => Settlement::Done,
            "queued" => Settlement::Retry {
                run_at: 10,
                error: "later".into(),
                counts: true,
            },
            _ => Settlement::Dead {
                error: "never".into(),
            },
        };
        assert!(store.settle_job(job, &settlement, 1).await.unwrap());
    }
    let mut statuses: Vec<JobStatus> = store
        .list_jobs(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.status)
        .collect();
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(
        statuses,
        vec![JobStatus::Dead, JobStatus::Done, JobStatus::Queued]
    );
    let mut counts = store.job_counts().await.unwrap();
    counts.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(
        counts,
        vec![
            (JobStatus::Dead, 1),
            (JobStatus::Done, 1),
            (JobStatus::Queued, 1)
        ]
    );
    let dead = store.list_jobs(Some(JobStatus::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].status, JobStatus::Dead);
}

#[tokio::test]
async fn a_name_no_variant_has_is_reported_as_corrupt() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let row = meeting(
        &store,
        "m1",
        MeetingOrigin::Start,
        ConversationKind::PublicChannel,
        PostedVia::Chat,
    )
    .await;

    db.execute("UPDATE meetings SET origin = 'teleport'").await;
    assert!(is_corrupt(store.meeting_by_id(row.id).await));
    db.execute("UPDATE meetings SET origin = 'start', posted_via = 'pigeon'")
        .await;
    assert!(is_corrupt(store.meeting_by_id(row.id).await));
    assert!(is_corrupt(
        store.latest_meeting_in(&TEAM.into(), &"Cm1".into()).await
    ));

    // A conversation kind this version does not know reads as unknown, and
    // the kind is guessed from the channel id, as before it was stored.
    db.execute("UPDATE meetings SET posted_via = 'chat', conversation_kind = 'hallway'")
        .await;
    let row = store.meeting_by_id(row.id).await.unwrap().unwrap();
    assert_eq!(row.conversation_kind, None);
    assert_eq!(row.posted_via, Some(PostedVia::Chat));

    let occurrence = occurrence(&store, "o1", 1).await;
    store
        .record_notice(
            occurrence,
            RecordedNotice::Recording,
            &notice(NoticeDelivery::Thread),
            0,
        )
        .await
        .unwrap();
    db.execute("UPDATE notices SET delivery = 'carrier'").await;
    assert!(is_corrupt(
        store.notice(occurrence, RecordedNotice::Recording).await
    ));

    store
        .enqueue_now(&[NewJob::new("k", "j1", json!({}), 0)], 0)
        .await
        .unwrap();
    db.execute("UPDATE jobs SET status = 'limbo'").await;
    assert!(is_corrupt(store.list_jobs(None, 10).await));
    assert!(is_corrupt(store.job_counts().await));
}
