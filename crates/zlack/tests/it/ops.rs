//! Health, readiness, metrics and the first-run landing page.

use crate::helpers::TestApp;

#[tokio::test]
async fn healthz_and_readyz_answer_while_the_database_does() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.store.close().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 503);
}

#[tokio::test]
async fn metrics_show_requests_by_route_queue_depth_and_job_outcomes() {
    let app = TestApp::spawn().await;
    let hook = sandbox::zoom_event("meeting.started", 7, serde_json::json!({"uuid": "m1"}));
    assert_eq!(app.signer.zoom_webhook(&hook).await.status(), 200);
    assert_eq!(
        app.signer
            .raw(
                "/zoom/webhook",
                "application/json",
                b"{}".to_vec(),
                sandbox::SignAs::Forged
            )
            .await
            .status(),
        401
    );
    let before = app.get("/metrics").await.text().await.unwrap();
    assert!(before.contains("zlack_inbox_backlog 1"), "{before}");
    assert!(
        before.contains(r#"zlack_jobs{status="queued"} 1"#),
        "{before}"
    );
    app.run_jobs().await;
    let response = app.get("/metrics").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    for expected in [
        r#"zlack_http_requests_total{route="/zoom/webhook",method="POST",status="200"}"#,
        r#"zlack_http_requests_total{route="/zoom/webhook",method="POST",status="401"}"#,
        r#"zlack_http_request_duration_seconds_bucket{route="/zoom/webhook""#,
        r#"zlack_jobs_total{kind="inbox.process",outcome="done"}"#,
        "zlack_inbox_backlog 0",
        r#"zlack_jobs{status="done"} 1"#,
    ] {
        assert!(text.contains(expected), "missing {expected} in\n{text}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_landing_page_lists_the_missing_settings() {
    let app =
        TestApp::spawn_with(|pairs| pairs.retain(|(k, _)| !k.starts_with("ZLACK_ZOOM_CLIENT")))
            .await;
    let page = app.get("/").await.text().await.unwrap();
    assert!(page.contains("ZLACK_ZOOM_CLIENT_ID"));
    assert!(page.contains("ZLACK_ZOOM_CLIENT_SECRET"));
    assert!(!page.contains("ZLACK_SLACK_SIGNING_SECRET"));
    assert!(!page.contains("test-slack-signing-secret"));
    assert!(
        page.contains("href=\"/slack/install\""),
        "the Slack credentials are set: offer the install"
    );
    app.stop().await;
}
