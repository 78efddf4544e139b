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
    app.refresh_gauges().await;
    let before = app.get("/metrics").await.text().await.unwrap();
    assert!(before.contains("zlack_inbox_backlog 1"), "{before}");
    assert!(
        before.contains(r#"zlack_job_queue_depth{status="queued"} 1"#),
        "{before}"
    );
    app.run_jobs().await;
    app.refresh_gauges().await;
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
        r#"zlack_job_queue_depth{status="queued"} 0"#,
        r#"zlack_job_queue_depth{status="dead"} 0"#,
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
    assert!(page.contains("connects Slack users to Zoom"));
    assert!(page.contains("zlack doctor"));
    assert!(!page.contains("ZLACK_SLACK_SIGNING_SECRET"));
    assert!(!page.contains("test-slack-signing-secret"));
    assert!(
        page.contains("href=\"/slack/install\""),
        "the Slack credentials are set: offer the install"
    );
    app.stop().await;
}

/// The page at `/` in `accept_language` (none: the browser's default).
async fn landing(app: &TestApp, accept_language: Option<&str>) -> String {
    let mut request = app.http.get(format!("{}/", app.base_url));
    if let Some(value) = accept_language {
        request = request.header("accept-language", value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let want = if accept_language.is_some_and(|v| v.starts_with("sv")) {
        "sv"
    } else {
        "en"
    };
    assert_eq!(response.headers()["content-language"], want);
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("<html lang={want}>")), "{page}");
    assert_eq!(page.matches("<h1>").count(), 1, "{page}");
    assert_eq!(page.matches("<h2 ").count(), 4, "{page}");
    assert!(!page.contains("<script"), "{page}");
    page
}

/// Every link of `page`, as `(text, href)`.
fn links(page: &str) -> Vec<(String, String)> {
    page.split("<a ")
        .skip(1)
        .map(|rest| {
            let href = rest
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let text = rest
                .split_once('>')
                .unwrap()
                .1
                .split("</a>")
                .next()
                .unwrap();
            (text.to_owned(), href.replace("&amp;", "&"))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(t, h)| ((*t).to_owned(), (*h).to_owned()))
        .collect()
}

async fn spawn_in_mode(mode: &str) -> TestApp {
    let mode = mode.to_owned();
    TestApp::spawn_with(move |s| {
        if mode == "server-to-server" {
            s.push((
                "ZLACK_ZOOM_ACCOUNT_ID".into(),
                sandbox::ZOOM_ACCOUNT_ID.into(),
            ));
        }
        s.push(("ZLACK_ZOOM_MODE".into(), mode));
    })
    .await
}

/// A link's `(text, href)`.
type Link = (&'static str, &'static str);

/// What the landing page shows in a Zoom mode, in English and Swedish:
/// `(mode, links in English, links in Swedish, an English sentence, a
/// Swedish sentence)`.
type ModeCase = (
    &'static str,
    Vec<Link>,
    Vec<Link>,
    &'static str,
    &'static str,
);

#[tokio::test]
async fn the_landing_page_offers_each_modes_install_links_in_both_languages() {
    let privacy_en = ("How your data is used", "/privacy");
    let privacy_sv = ("Hur dina data används", "/privacy");
    let limitations_en = ("Known limitations", "/limitations");
    let limitations_sv = ("Kända begränsningar", "/limitations");
    let cases: [ModeCase; 3] = [
        (
            "personal",
            vec![
                ("Add to my Slack account", "/slack/install"),
                privacy_en,
                limitations_en,
            ],
            vec![
                ("Lägg till i mitt Slack-konto", "/slack/install"),
                privacy_sv,
                limitations_sv,
            ],
            "ZLACK_ZOOM_MODE=organization",
            "ZLACK_ZOOM_MODE=organization",
        ),
        (
            "organization",
            // The Zoom step is on the page after Slack's install, bound to
            // that workspace.
            vec![
                ("Add to Slack", "/slack/install"),
                privacy_en,
                limitations_en,
            ],
            vec![
                ("Lägg till i Slack", "/slack/install"),
                privacy_sv,
                limitations_sv,
            ],
            "there is nothing personal to add",
            "det finns inget personligt att lägga till",
        ),
        (
            "server-to-server",
            vec![
                ("Add to Slack", "/slack/install"),
                privacy_en,
                limitations_en,
            ],
            vec![
                ("Lägg till i Slack", "/slack/install"),
                privacy_sv,
                limitations_sv,
            ],
            "found by the email address of their Slack profile",
            "hittas via e-postadressen i deras Slack-profil",
        ),
    ];
    for (mode, en, sv, says_en, says_sv) in cases {
        let app = spawn_in_mode(mode).await;

        let page = landing(&app, None).await;
        assert_eq!(links(&page), pairs(&en), "{mode}: {page}");
        assert!(
            page.contains("<title>Zoom for Slack · zlack</title>"),
            "{page}"
        );
        assert!(page.contains(">Install for the whole organization</h2>"));
        assert!(page.contains(">Add only to my Slack account</h2>"));
        assert!(page.contains("Everything zlack needs is configured."));
        assert!(page.contains(says_en), "{mode}: {page}");
        assert!(page.contains(&format!("<code>{mode}</code>")), "{page}");
        assert_eq!(landing(&app, Some("en-US,en;q=0.9")).await, page);

        let page = landing(&app, Some("sv-SE")).await;
        assert_eq!(links(&page), pairs(&sv), "{mode}: {page}");
        assert!(
            page.contains("<title>Zoom för Slack · zlack</title>"),
            "{page}"
        );
        assert!(page.contains(">Installera Zoom för Slack till hela organisationen</h2>"));
        assert!(page.contains(">Lägg till Zoom endast till mitt Slack-konto</h2>"));
        assert!(page.contains(says_sv), "{mode}: {page}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_landing_page_links_no_install_whose_settings_are_missing() {
    let app = TestApp::spawn_with(|s| {
        s.retain(|(k, _)| {
            !k.starts_with("ZLACK_ZOOM_CLIENT") && !k.starts_with("ZLACK_SLACK_CLIENT")
        });
        s.push(("ZLACK_ZOOM_MODE".into(), "organization".into()));
    })
    .await;
    let page = landing(&app, Some("sv-SE,en;q=0.5")).await;
    assert_eq!(
        links(&page),
        pairs(&[
            ("Hur dina data används", "/privacy"),
            ("Kända begränsningar", "/limitations"),
        ]),
        "{page}"
    );
    assert!(
        page.contains("<strong>Lägg till i Slack</strong>"),
        "{page}"
    );
    for (name, why) in [
        (
            "ZLACK_SLACK_CLIENT_ID",
            "installerar zlack i ett Slack Workspace",
        ),
        (
            "ZLACK_ZOOM_CLIENT_SECRET",
            "kopplar Slack-användare till Zoom",
        ),
    ] {
        assert!(
            page.contains(&format!("<li><code>{name}</code> — {why}</li>")),
            "{page}"
        );
    }
    assert!(!page.contains("Allt som zlack behöver är konfigurerat."));
    app.stop().await;
}

#[tokio::test]
async fn the_landing_page_hides_setup_details_once_setup_is_complete() {
    let app = TestApp::spawn().await;
    // Every setting present, no workspace yet: the setup and server
    // sections are there for whoever sets zlack up.
    let before = landing(&app, None).await;
    assert!(
        before.contains("Everything zlack needs is configured."),
        "{before}"
    );
    assert!(
        before.contains("SQLite") || before.contains("PostgreSQL"),
        "{before}"
    );
    assert!(before.contains("href=\"/slack/install\""), "{before}");

    app.install_workspace().await;
    for lang in [None, Some("sv")] {
        let mut request = app.http.get(format!("{}/", app.base_url));
        if let Some(lang) = lang {
            request = request.header("accept-language", lang);
        }
        let after = request.send().await.unwrap().text().await.unwrap();
        // Personal mode: the personal install alone.
        assert_eq!(after.matches("<section ").count(), 1, "{after}");
        assert!(after.contains("<h2 id=personal>"), "{after}");
        assert!(after.contains("href=\"/slack/install\""), "{after}");
        assert!(after.contains("href=\"/privacy\""), "{after}");
        for detail in [
            "ZLACK_",
            "SQLite",
            "PostgreSQL",
            "zlack doctor",
            "personal</code>",
            app.slack.base_url().as_str(),
            app.zoom.base_url().as_str(),
        ] {
            assert!(!after.contains(detail), "{detail} in\n{after}");
        }
    }
    app.stop().await;
}
