//! Reconciliation: Zoom's webhooks for an announced meeting are lost, Zoom's
//! API knows what happened, and a reconciliation run makes up for them,
//! each Slack effect still happening once whatever comes later.

use std::collections::BTreeSet;

use sandbox::Fault;
use serde_json::{Value, json};
use zlack::clock::Clock;
use zlack::flows::reconcile::{self, FOLLOW_UP_MS, MAX_MEETINGS, REQUEST_WINDOW_MS};
use zlack::store::{JobStatus, MeetingRow, RecordedNotice};
use zlack::worker::Ran;

use crate::helpers::TestApp;
use crate::helpers::meetings::{Occurrence, Post, at, seed_announcement};
use crate::helpers::people::*;

const ALICE_KEY: &str = "pu-alice";
const GUEST: &str = "pu-guest";

/// The app's clock an hour before the meetings of `at()`, so that they
/// happen after their announcement.
fn before_the_meeting(app: &TestApp) {
    let start: jiff::Timestamp = at(-3600).parse().unwrap();
    app.clock.set_ms(start.as_millisecond());
}

/// Alice announces a meeting in `channel`; returns the row and its
/// occurrence (the instance UUID Zoom gave at creation).
async fn announced(app: &TestApp, channel: &str) -> (MeetingRow, Occurrence) {
    app.connect(channel, ALICE).await;
    before_the_meeting(app);
    let row = app.announce(channel, ALICE, "meeting Weekly sync").await;
    let id = row.zoom_meeting_id.expect("Zoom made the meeting");
    let uuid = row.zoom_uuid.clone().expect("Zoom named the instance");
    (row, Occurrence::new(id, uuid.as_ref(), ZOOM_ALICE))
}

/// Zoom's participant list of the occurrence.
fn participants() -> Vec<Value> {
    vec![
        json!({"id": "zu-pu-alice", "user_id": "1", "name": "Alice Andersson",
               "user_email": "alice@example.com", "join_time": at(5), "leave_time": at(1800)}),
        json!({"id": "", "user_id": "2", "name": "Gästen Gustav", "user_email": "",
               "join_time": at(60), "leave_time": at(900)}),
    ]
}

/// The AI summary as `GET /meetings/{uuid}/meeting_summary` has it.
fn ai_summary(o: &Occurrence) -> Value {
    json!({"meeting_uuid": o.uuid, "meeting_id": o.meeting_id, "summary_title": "Weekly sync",
           "summary_overview": "We agreed on the plan.", "next_steps": ["Ship it", "Tell Sven"]})
}

/// Zoom knows the meeting ran, ended, was recorded and summarized; no
/// webhook said so.
fn zoom_knows_it_all(app: &TestApp, o: &Occurrence) {
    app.zoom.start_instance(o.meeting_id, &o.uuid, &at(0));
    app.zoom
        .end_instance(o.meeting_id, &o.uuid, (&at(0), &at(1800)), participants());
    let recording = o.recording(&[(10, 1790)], Some("s3cr3t-pass"));
    app.zoom
        .set_recording(&o.uuid, recording["payload"]["object"].clone());
    app.zoom.set_summary(&o.uuid, ai_summary(o));
}

/// The webhooks Zoom would have sent, as it sends them.
fn webhooks(o: &Occurrence) -> Vec<Value> {
    vec![
        o.started(0),
        o.ended(0, 1800),
        o.recording(&[(10, 1790)], Some("s3cr3t-pass")),
        o.summary(
            "Weekly sync",
            Some("We agreed on the plan."),
            &["Ship it", "Tell Sven"],
        ),
    ]
}

/// Asks for a run, lets its window pass and runs what is due; returns the
/// attempts.
async fn reconcile_now(app: &TestApp) -> Vec<Ran> {
    reconcile::request(app.worker.services(), "test")
        .await
        .unwrap();
    app.clock.advance_ms(REQUEST_WINDOW_MS);
    app.run_jobs().await
}

fn reconcile_runs(ran: &[Ran]) -> Vec<&Ran> {
    ran.iter()
        .filter(|r| r.kind == "meeting.reconcile")
        .collect()
}

/// The notices recorded, by kind.
async fn notice_counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for kind in [
        RecordedNotice::EndSummary,
        RecordedNotice::Recording,
        RecordedNotice::RecordingPasscode,
        RecordedNotice::AiSummary,
    ] {
        counts.push(app.store.notice_count(kind).await.unwrap());
    }
    counts
}

/// Inbox rows reconciliation stored.
async fn recovered(app: &TestApp) -> i64 {
    app.store
        .count_where("inbox", "source", "zoom.reconcile")
        .await
        .unwrap()
}

#[tokio::test]
async fn a_run_posts_what_lost_webhooks_would_have_once_and_late_webhooks_add_nothing() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (row, o) = announced(&app, PUBLIC).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    let posts_before = app.posts_after(0).len();
    zoom_knows_it_all(&app, &o);

    let ran = reconcile_now(&app).await;
    assert_eq!(reconcile_runs(&ran).len(), 1, "{ran:?}");
    app.settle().await;

    // The Call ended once with Zoom's duration; one end summary (with
    // Zoom's participant list), one recording notice, one AI summary in
    // the thread, and the passcode only in Alice's DM.
    let ends = app.ok_calls("calls.end");
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].args["id"], call_id.as_str());
    assert_eq!(
        ends[0].args["duration"].to_string().trim_matches('"'),
        "1800"
    );
    let posts = app.posts_after(posts_before);
    let threaded: Vec<&Post> = posts.iter().filter(|p| p.threaded).collect();
    assert_eq!(threaded.len(), 3, "{posts:#?}");
    assert!(
        threaded
            .iter()
            .any(|p| p.text.contains("Gästen Gustav") && p.text.contains("Alice Andersson")),
        "{posts:#?}"
    );
    assert!(
        threaded
            .iter()
            .any(|p| p.text.contains("https://zoom.us/rec/share/"))
    );
    assert!(
        threaded
            .iter()
            .any(|p| p.text.contains("We agreed on the plan."))
    );
    assert!(!threaded.iter().any(|p| p.text.contains("s3cr3t-pass")));
    let dms: Vec<&Post> = posts.iter().filter(|p| p.channel == ALICE).collect();
    assert_eq!(dms.len(), 1, "{posts:#?}");
    assert!(dms[0].text.contains("s3cr3t-pass"));
    assert_eq!(posts.len(), 4, "{posts:#?}");
    assert_eq!(notice_counts(&app).await, vec![1, 1, 1, 1]);
    let stored = recovered(&app).await;
    assert_eq!(stored, 3, "ended, recording and summary were recovered");

    // A second run finds the state complete: nothing new is stored or sent.
    let ran = reconcile_now(&app).await;
    assert_eq!(reconcile_runs(&ran).len(), 1);
    app.settle().await;
    assert_eq!(recovered(&app).await, stored);
    assert_eq!(app.posts_after(posts_before).len(), 4);

    // The real webhooks, coming after all, fold into the same facts.
    for body in webhooks(&o) {
        app.zoom_hook(&body).await;
    }
    app.settle().await;
    assert_eq!(app.posts_after(posts_before), posts);
    assert_eq!(app.ok_calls("calls.end").len(), 1);
    assert!(app.ok_calls("chat.update").is_empty(), "nothing to edit");
    assert_eq!(notice_counts(&app).await, vec![1, 1, 1, 1]);
    app.stop().await;
}

#[tokio::test]
async fn a_lost_meeting_ended_is_made_up_for_after_the_joins_came() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (row, o) = announced(&app, PUBLIC).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    let posts_before = app.posts_after(0).len();
    app.zoom.start_instance(o.meeting_id, &o.uuid, &at(0));
    app.zoom_hook(&o.started(0)).await;
    app.zoom_hook(&o.joined(ALICE_KEY, "Alice Andersson", "alice@example.com", 5))
        .await;
    app.zoom_hook(&o.joined(GUEST, "Gästen Gustav", "", 60))
        .await;
    app.run_jobs().await;
    // While the meeting runs, a run learns nothing new.
    reconcile_now(&app).await;
    assert_eq!(recovered(&app).await, 0);
    assert!(app.ok_calls("calls.end").is_empty());

    // It ends; `meeting.ended` (and the leaves) never come.
    app.zoom
        .end_instance(o.meeting_id, &o.uuid, (&at(0), &at(1800)), participants());
    reconcile_now(&app).await;
    app.settle().await;
    assert_eq!(app.ok_calls("calls.end").len(), 1);
    let users = app.call_users(&call_id).await;
    assert_eq!(
        users,
        BTreeSet::from([ALICE.to_owned(), format!("{GUEST}:Gästen Gustav")]),
        "the ended Call lists who took part"
    );
    let posts = app.posts_after(posts_before);
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert!(posts[0].threaded && posts[0].text.contains("Gästen Gustav"));
    assert_eq!(notice_counts(&app).await, vec![1, 0, 0, 0]);

    // `meeting.ended` after all, and another run: nothing more.
    app.zoom_hook(&o.ended(0, 1800)).await;
    reconcile_now(&app).await;
    app.settle().await;
    assert_eq!(app.ok_calls("calls.end").len(), 1);
    assert_eq!(app.posts_after(posts_before), posts);
    app.stop().await;
}

#[tokio::test]
async fn zoom_failing_mid_run_is_retried_later_without_duplicates() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = announced(&app, PUBLIC).await;
    let posts_before = app.posts_after(0).len();
    zoom_knows_it_all(&app, &o);

    // Zoom limits the past-meeting reads: the run waits as Zoom says.
    let limited = Fault::RateLimited {
        retry_after_secs: 30,
    };
    app.zoom.fail_next("GET /past_meetings", limited, 1);
    let ran = reconcile_now(&app).await;
    let runs = reconcile_runs(&ran);
    assert_eq!(runs.len(), 1);
    assert!(
        matches!(
            runs[0].settlement,
            zlack::store::Settlement::Retry { counts: false, .. }
        ),
        "{ran:?}"
    );
    assert!(app.posts_after(posts_before).is_empty());

    // Then Zoom fails the recording read once: the retry stores what it
    // learned and is retried itself.
    let broken = Fault::ServerError { status: 500 };
    app.zoom
        .fail_next("GET /meetings/{meetingId}/recordings", broken, 1);
    app.clock.advance_ms(10 * 60_000);
    let ran = app.run_jobs().await;
    let runs = reconcile_runs(&ran);
    assert_eq!(runs.len(), 1, "{ran:?}");
    assert!(
        matches!(
            runs[0].settlement,
            zlack::store::Settlement::Retry { counts: true, .. }
        ),
        "{ran:?}"
    );
    app.clock.advance_ms(60 * 60_000);
    let ran = app.run_jobs().await;
    assert_eq!(reconcile_runs(&ran).len(), 1, "{ran:?}");
    app.settle().await;

    // Everything once, even with the synthetic events run twice over.
    reconcile_now(&app).await;
    app.settle().await;
    assert_eq!(app.ok_calls("calls.end").len(), 1);
    assert_eq!(notice_counts(&app).await, vec![1, 1, 1, 1]);
    assert_eq!(app.posts_after(posts_before).len(), 4);
    assert_eq!(recovered(&app).await, 3);
    app.stop().await;
}

#[tokio::test]
async fn a_meeting_zoom_does_not_know_gives_nothing_and_no_retries() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    // Announced, but the meeting is gone from Zoom.
    seed_announcement(
        &app.store,
        &app.slack,
        "gone-meeting",
        PUBLIC,
        99_000_000_123,
    )
    .await;
    let posts_before = app.posts_after(0).len();
    app.zoom.clear_calls();
    let ran = reconcile_now(&app).await;
    let runs = reconcile_runs(&ran);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].settlement, zlack::store::Settlement::Done);
    assert!(
        !app.zoom.calls_to("GET /meetings/99000000123").is_empty(),
        "Zoom was asked"
    );
    assert_eq!(recovered(&app).await, 0);
    assert!(app.posts_after(posts_before).is_empty());
    let queued = app
        .store
        .job_counts()
        .await
        .unwrap()
        .into_iter()
        .find(|(status, _)| *status == JobStatus::Queued)
        .map_or(0, |(_, n)| n);
    assert_eq!(queued, 0, "nothing waits for a retry");
    app.stop().await;
}

/// Zoom calls about one instance's recording or AI summary.
fn follow_up_calls(app: &TestApp) -> usize {
    app.zoom
        .calls()
        .iter()
        .filter(|c| c.method.ends_with("/recordings") || c.method.ends_with("/meeting_summary"))
        .count()
}

#[tokio::test]
async fn an_old_meeting_among_more_candidates_than_a_run_takes_still_gets_its_turn() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = announced(&app, PUBLIC).await;
    let posts_before = app.posts_after(0).len();
    // It ran and ended at Zoom; no webhook said so.
    app.zoom.start_instance(o.meeting_id, &o.uuid, &at(0));
    app.zoom
        .end_instance(o.meeting_id, &o.uuid, (&at(0), &at(1800)), participants());
    // More announcements came after it than one run asks about; Zoom
    // knows nothing of them, so they stay candidates.
    for i in 0..MAX_MEETINGS {
        let key = format!("later-{i}");
        seed_announcement(&app.store, &app.slack, &key, PUBLIC, 99_000_001_000 + i).await;
    }
    let mut runs = 0;
    while app
        .store
        .notice_count(RecordedNotice::EndSummary)
        .await
        .unwrap()
        == 0
    {
        runs += 1;
        assert!(runs <= 3, "the old meeting was never reconciled");
        reconcile_now(&app).await;
        app.settle().await;
    }
    let posts = app.posts_after(posts_before);
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert!(posts[0].threaded && posts[0].text.contains("Gästen Gustav"));
    app.stop().await;
}

#[tokio::test]
async fn a_meeting_without_recording_or_summary_is_not_asked_about_for_ever() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = announced(&app, PUBLIC).await;
    let posts_before = app.posts_after(0).len();
    app.zoom_hook(&o.started(0)).await;
    let end: jiff::Timestamp = at(1800).parse().unwrap();
    app.clock.set_ms(end.as_millisecond());
    app.zoom
        .end_instance(o.meeting_id, &o.uuid, (&at(0), &at(1800)), participants());
    app.zoom_hook(&o.ended(0, 1800)).await;
    app.settle().await;
    assert_eq!(notice_counts(&app).await, vec![1, 0, 0, 0]);

    // Neither a recording nor an AI summary comes: a while after the end,
    // Zoom is asked for them.
    app.clock.advance_ms(30 * 60_000);
    app.zoom.clear_calls();
    reconcile_now(&app).await;
    assert_eq!(follow_up_calls(&app), 2, "{:?}", app.zoom.calls());

    // Past the follow-up time, no run asks Zoom about it any more.
    app.clock.advance_ms(FOLLOW_UP_MS);
    app.zoom.clear_calls();
    for _ in 0..3 {
        reconcile_now(&app).await;
    }
    app.settle().await;
    assert_eq!(follow_up_calls(&app), 0, "{:?}", app.zoom.calls());
    assert!(
        app.zoom
            .calls_to(&format!("GET /meetings/{}", o.meeting_id))
            .is_empty()
    );
    assert_eq!(app.posts_after(posts_before).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_live_instance_of_a_used_up_meeting_is_not_ended_from_its_past_record() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, first) = announced(&app, PUBLIC).await;
    let set = |secs: i64| {
        let time: jiff::Timestamp = at(secs).parse().unwrap();
        app.clock.set_ms(time.as_millisecond());
    };
    // The first instance runs and ends; the host restarts at once (a new
    // UUID, still the announced meeting).
    set(0);
    app.zoom_hook(&first.started(0)).await;
    set(1800);
    app.zoom.end_instance(
        first.meeting_id,
        &first.uuid,
        (&at(0), &at(1800)),
        participants(),
    );
    app.zoom_hook(&first.ended(0, 1800)).await;
    set(1900);
    let again = Occurrence::new(first.meeting_id, "again-instance==", ZOOM_ALICE);
    app.zoom_hook(&again.started(1900)).await;
    app.settle().await;
    assert_eq!(app.store.occurrence_ids().await.unwrap().len(), 2);
    // Zoom has a past record of the second instance with an end, yet says
    // it is live now.
    app.zoom.end_instance(
        again.meeting_id,
        &again.uuid,
        (&at(1900), &at(2000)),
        participants(),
    );
    app.zoom
        .start_instance(again.meeting_id, &again.uuid, &at(2100));

    // The announcement is used up by the first instance's end.
    set(3600);
    app.zoom.clear_calls();
    reconcile_now(&app).await;
    app.settle().await;
    assert!(
        !app.zoom
            .calls_to(&format!("GET /meetings/{}", first.meeting_id))
            .is_empty(),
        "Zoom was asked what is live"
    );
    assert_eq!(recovered(&app).await, 0, "no meeting.ended was made up");
    assert_eq!(notice_counts(&app).await, vec![1, 0, 0, 0]);
    app.stop().await;
}

#[tokio::test]
async fn runs_are_queued_once_per_interval_and_requests_collapse() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let other = TestApp::spawn_with(|settings| {
        for (key, value) in settings.iter_mut() {
            if key == "ZLACK_DATABASE_URL" {
                *value = url.clone();
            }
        }
    })
    .await;
    other.clock.set_ms(app.clock.now_ms());
    let reconcile_jobs = || async {
        app.store
            .count_where("jobs", "kind", "meeting.reconcile")
            .await
            .unwrap()
    };

    // Both processes tick in the same interval: one run.
    let queued = [
        app.worker.queue_reconcile().await,
        other.worker.queue_reconcile().await,
        app.worker.queue_reconcile().await,
    ];
    assert_eq!(queued.iter().filter(|q| **q).count(), 1, "{queued:?}");
    assert_eq!(reconcile_jobs().await, 1);
    // The next interval gets its own.
    let interval = 300_000;
    app.clock.advance_ms(interval);
    other.clock.advance_ms(interval);
    assert!(other.worker.queue_reconcile().await);
    assert!(!app.worker.queue_reconcile().await);
    assert_eq!(reconcile_jobs().await, 2);
    app.run_jobs().await;

    // A burst of requests (reconnects) from both processes: one run.
    let mut new = 0;
    for i in 0..5 {
        let svc = if i % 2 == 0 {
            app.worker.services()
        } else {
            other.worker.services()
        };
        if reconcile::request(svc, "websocket.connected")
            .await
            .unwrap()
        {
            new += 1;
        }
    }
    assert_eq!(new, 1);
    assert_eq!(reconcile_jobs().await, 3);
    app.clock.advance_ms(REQUEST_WINDOW_MS);
    let ran = app.run_jobs().await;
    assert_eq!(reconcile_runs(&ran).len(), 1, "{ran:?}");
    other.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_running_worker_queues_the_periodic_run_by_itself() {
    let app = TestApp::spawn_running(|settings| {
        settings.push(("ZLACK_RECONCILE_INTERVAL_MS".into(), "1000".into()));
    })
    .await;
    let mut done = 0;
    for _ in 0..200 {
        done = app
            .store
            .list_jobs(Some(JobStatus::Done), 100)
            .await
            .unwrap()
            .iter()
            .filter(|j| j.kind == "meeting.reconcile")
            .count();
        if done > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(done, 1, "one run for the clock's interval, and it ran");
    app.stop().await;
}
