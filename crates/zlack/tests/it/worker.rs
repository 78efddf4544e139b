//! The worker against the fake Slack: effects happen once, temporary
//! failures are retried with backoff, `Retry-After` is honoured, and a job
//! that keeps failing is dead-lettered where operators can see it.

use std::time::Duration;

use sandbox::Fault;
use serde_json::{Map, Value, json};
use zlack::clock::Clock;
use zlack::job::slack_call;
use zlack::store::{JobStatus, Settlement};

use crate::helpers::TestApp;
use crate::helpers::app::{BOT_TOKEN, TEAM};

fn post(text: &str) -> Map<String, Value> {
    json!({"channel": "C0PUBLIC", "text": text})
        .as_object()
        .unwrap()
        .clone()
}

async fn queue_post(app: &TestApp, key: &str, text: &str) {
    let job = slack_call(
        key,
        TEAM,
        "chat.postMessage",
        post(text),
        app.clock.now_ms(),
    );
    app.store
        .enqueue_now(&[job], app.clock.now_ms())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_slack_call_job_posts_once_with_the_workspace_bot_token() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    queue_post(&app, "hello", "Hello").await;
    queue_post(&app, "hello", "Hello again").await;
    let ran = app.run_jobs().await;
    assert_eq!(ran.len(), 1);
    assert_eq!(ran[0].settlement, Settlement::Done);
    let calls = app.slack.calls_to("chat.postMessage");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].bearer.as_deref(), Some(BOT_TOKEN));
    assert_eq!(calls[0].args["channel"], "C0PUBLIC");
    assert_eq!(calls[0].args["text"], "Hello");
    assert!(app.run_jobs().await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_429_is_retried_no_sooner_than_retry_after_and_does_not_use_an_attempt() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.slack.fail_next(
        "chat.postMessage",
        Fault::RateLimited {
            retry_after_secs: 120,
        },
        1,
    );
    queue_post(&app, "a", "first").await;
    let mut ran = app.run_jobs().await;
    // A job queued behind the rate-limited one waits without asking Slack.
    queue_post(&app, "b", "second").await;
    ran.extend(app.run_jobs().await);
    assert_eq!(ran.len(), 2);
    assert!(
        ran.iter()
            .all(|r| matches!(r.settlement, Settlement::Retry { counts: false, .. }))
    );
    assert_eq!(app.slack.calls_to("chat.postMessage").len(), 1);
    let started = app.clock.now_ms();
    for r in &ran {
        let Settlement::Retry { run_at, .. } = r.settlement else {
            unreachable!()
        };
        assert!(
            run_at >= started + 120_000,
            "retried after {} ms",
            run_at - started
        );
    }
    app.clock.advance_ms(119_000);
    assert!(app.run_jobs().await.is_empty());
    app.clock.advance_ms(14_000);
    let ran = app.run_jobs().await;
    assert_eq!(ran.len(), 2);
    assert!(ran.iter().all(|r| r.settlement == Settlement::Done));
    assert_eq!(app.slack.calls_to("chat.postMessage").len(), 3);
    let attempts: Vec<_> = app
        .store
        .list_jobs(None, 10)
        .await
        .unwrap()
        .iter()
        .map(|j| j.attempts)
        .collect();
    assert_eq!(attempts, vec![1, 1]);
    app.stop().await;
}

/// An app with `/zoom help` stored and its `response_url` expired, so
/// the answer goes by DM.
async fn help_answered_by_dm() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.slash(
        crate::helpers::people::PUBLIC,
        crate::helpers::people::ALICE,
        "help",
    )
    .await;
    app.clock.advance_ms(31 * 60 * 1000);
    app
}

/// A limit met while answering a command (here its DM, the
/// `response_url` having expired) holds back the workspace's other posts:
/// they share Slack's per-workspace limit on `chat.postMessage`.
#[tokio::test]
async fn a_429_on_a_command_reply_holds_back_other_posts_in_the_workspace() {
    let app = help_answered_by_dm().await;
    app.slack.fail_next(
        "chat.postMessage",
        Fault::RateLimited {
            retry_after_secs: 60,
        },
        1,
    );
    let ran = app.run_jobs().await;
    assert!(
        matches!(ran[..], [ref r] if matches!(r.settlement, Settlement::Retry { counts: false, .. })),
        "{ran:?}"
    );
    queue_post(&app, "other", "Another post").await;
    let ran = app.run_jobs().await;
    assert!(
        ran.iter()
            .all(|r| matches!(r.settlement, Settlement::Retry { counts: false, .. })),
        "{ran:?}"
    );
    assert_eq!(app.slack.calls_to("chat.postMessage").len(), 1);
    app.clock.advance_ms(75_000);
    let ran = app.run_jobs().await;
    assert_eq!(ran.len(), 2, "{ran:?}");
    assert!(ran.iter().all(|r| r.settlement == Settlement::Done));
    assert_eq!(app.slack.calls_to("chat.postMessage").len(), 3);
    app.stop().await;
}

/// The answer a user asked for that Slack refuses for good (here in the
/// DM, the `response_url` having expired) is a dead letter to look at,
/// not dropped without a trace.
#[tokio::test]
async fn a_command_answer_refused_in_the_dm_is_dead_lettered() {
    let app = help_answered_by_dm().await;
    app.slack.fail_next(
        "chat.postMessage",
        Fault::SlackError {
            error: "cannot_dm_bot".into(),
        },
        1,
    );
    let ran = app.run_jobs().await;
    assert!(
        matches!(&ran[..], [r] if matches!(&r.settlement, Settlement::Dead { error } if error.contains("cannot_dm_bot"))),
        "{ran:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn server_errors_back_off_then_dead_letter_after_the_last_attempt() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.slack
        .fail_next("chat.postMessage", Fault::ServerError { status: 503 }, 100);
    queue_post(&app, "doomed", "never").await;
    let mut delays = Vec::new();
    let mut last = None;
    for _ in 0..12 {
        let ran = app.run_jobs().await;
        assert_eq!(ran.len(), 1);
        last = Some(ran[0].settlement.clone());
        if let Settlement::Retry {
            run_at,
            counts: true,
            ..
        } = ran[0].settlement
        {
            delays.push(run_at - app.clock.now_ms());
            app.clock.set_ms(run_at);
        }
    }
    assert!(matches!(last, Some(Settlement::Dead { .. })), "{last:?}");
    assert_eq!(delays.len(), 11);
    for (i, delay) in delays.iter().enumerate() {
        let ceiling = (2_000i64 << i).min(15 * 60 * 1000);
        assert!(
            *delay >= ceiling / 2 && *delay <= ceiling,
            "attempt {}: {delays:?}",
            i + 1
        );
    }
    assert_eq!(app.slack.calls_to("chat.postMessage").len(), 12);
    let dead = app
        .store
        .list_jobs(Some(JobStatus::Dead), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("gave up after 12 attempts")
    );
    app.clock
        .advance_ms(Duration::from_secs(3600).as_millis() as i64);
    assert!(app.run_jobs().await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_permanent_slack_error_dead_letters_at_once_without_leaking_the_token() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.slack.fail_next(
        "chat.postMessage",
        Fault::SlackError {
            error: "is_archived".into(),
        },
        1,
    );
    queue_post(&app, "archived", "hi").await;
    let ran = app.run_jobs().await;
    let Settlement::Dead { error } = &ran[0].settlement else {
        panic!("{:?}", ran[0].settlement)
    };
    assert_eq!(error, "slack chat.postMessage: is_archived");
    assert!(!error.contains(BOT_TOKEN));
    app.stop().await;
}

#[tokio::test]
async fn a_job_for_a_workspace_without_a_token_is_dead_lettered_with_the_reason() {
    let app = TestApp::spawn().await;
    queue_post(&app, "orphan", "hi").await;
    let ran = app.run_jobs().await;
    assert_eq!(
        ran[0].settlement,
        Settlement::Dead {
            error: format!("workspace {TEAM} is not installed")
        }
    );
    assert!(app.slack.calls().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn acks_do_not_wait_for_a_slow_slack() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.slack.fail_next(
        "chat.postMessage",
        Fault::Slow {
            delay: Duration::from_secs(3),
        },
        1,
    );
    queue_post(&app, "slow", "slow").await;
    let worker = {
        let worker = app.worker.clone();
        tokio::spawn(async move { worker.run_once().await })
    };
    crate::helpers::process::eventually(
        "the job to be claimed",
        Duration::from_secs(10),
        || async { app.store.list_jobs(None, 1).await.unwrap()[0].attempts == 1 },
    )
    .await;
    let fields = sandbox::slash_command_fields(TEAM, "C1", "U1", "", &app.slack.new_response_url());
    assert_eq!(app.signer.slack_command(&fields).await.status(), 200);
    assert!(
        !worker.is_finished(),
        "the ack came only after Slack answered"
    );
    worker.await.unwrap().unwrap();
    app.stop().await;
}
