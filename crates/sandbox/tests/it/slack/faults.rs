use super::{TOKEN, call_form, call_json, workspace};
use crate::client;
use sandbox::Fault;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn rate_limit_faults_answer_429_with_retry_after_then_recover() {
    let slack = workspace().await;
    slack.fail_next(
        "chat.postMessage",
        Fault::RateLimited {
            retry_after_secs: 7,
        },
        1,
    );
    let send = || {
        client()
            .post(format!("{}/chat.postMessage", slack.api_url()))
            .bearer_auth(TOKEN)
            .form(&[("channel", "C1"), ("text", "x")])
            .send()
    };
    let limited = send().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    assert_eq!(
        limited.json::<Value>().await.unwrap()["error"],
        "ratelimited"
    );
    assert_eq!(send().await.unwrap().status(), 200);
    let statuses: Vec<u16> = slack.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [429, 200]);
}

#[tokio::test]
async fn fail_for_faults_every_call_inside_the_window_only() {
    let slack = workspace().await;
    let window = Duration::from_millis(300);
    let opened = Instant::now();
    slack.fail_for("calls.add", Fault::ServerError { status: 503 }, window);
    slack.fail_next(
        "auth.test",
        Fault::SlackError {
            error: "fatal_error".into(),
        },
        1,
    );
    for _ in 0..3 {
        assert_eq!(call_form(&slack, "calls.add", &[]).await.0, 503);
    }
    assert_eq!(
        call_form(&slack, "auth.test", &[]).await.1["error"],
        "fatal_error"
    );
    assert_eq!(call_form(&slack, "auth.test", &[]).await.1["ok"], true);
    // The window is wall-clock time, so the test must let it pass.
    tokio::time::sleep_until((opened + window).into()).await;
    let form = [
        ("external_unique_id", "m1"),
        ("join_url", "https://zoom.us/j/1"),
        ("created_by", "U1"),
    ];
    let (status, body) = call_form(&slack, "calls.add", &form).await;
    assert_eq!(status, 200);
    assert!(body["call"]["id"].as_str().unwrap().starts_with('R'));
}

#[tokio::test]
async fn slow_faults_delay_a_normal_answer() {
    let slack = workspace().await;
    slack.fail_next(
        "auth.test",
        Fault::Slow {
            delay: Duration::from_millis(150),
        },
        1,
    );
    let started = Instant::now();
    assert_eq!(call_form(&slack, "auth.test", &[]).await.1["ok"], true);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn wait_for_calls_wakes_when_the_call_arrives() {
    let slack = workspace().await;
    let poster = slack.clone();
    tokio::spawn(async move {
        call_json(
            &poster,
            "chat.postMessage",
            &json!({"channel": "C1", "text": "later"}),
        )
        .await;
    });
    let calls = slack
        .wait_for_calls("chat.postMessage", 1, crate::WAIT)
        .await;
    assert_eq!(calls[0].arg("text"), Some("later"));
}

#[tokio::test]
#[should_panic(expected = "timed out")]
async fn wait_for_calls_panics_on_timeout() {
    let slack = workspace().await;
    slack
        .wait_for_calls("chat.postMessage", 1, Duration::from_millis(20))
        .await;
}
