//! zlack's pages in headless Chromium: what a person sees and clicks. Every
//! page a scenario loads also passes the driver's checks (`lang`, a title,
//! one `<h1>`, alt texts, labels, nothing loaded from another site).

use sandbox::OAuthGrant;
use serde_json::{Value, json};
use zlack::store::{TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::browser::run_scenario;

/// Clicks `link` ("Add to my Slack account" in personal mode, the default)
/// on the landing page in a browser speaking `locale` and follows the fake
/// Slack's approval back to zlack. `None`: no browser.
async fn add_to_slack(app: &TestApp, locale: &str, link: &str) -> Option<Value> {
    app.slack.issue_oauth_code(
        "code-1",
        OAuthGrant::new(TEAM, "xoxb-from-browser", "U0ADMIN"),
    );
    let screenshot = format!("{}/add-to-slack-{locale}.png", env!("CARGO_TARGET_TMPDIR"));
    run_scenario(
        "follow_link",
        json!({
            "url": format!("{PUBLIC}/"),
            "link": link,
            "locale": locale,
            // The browser reaches the public URL, over TLS, at this server.
            "aliases": { PUBLIC: app.base_url },
            "screenshot": screenshot,
        }),
    )
    .await
}

/// The test app's `ZLACK_PUBLIC_URL`.
const PUBLIC: &str = "https://zlack.test";

fn urls(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn add_to_slack_on_the_landing_page_installs_the_app() {
    let app = TestApp::spawn().await;
    let Some(report) = add_to_slack(&app, "en-US", "Add to my Slack account").await else {
        return;
    };
    let seen = &report["observations"];

    let start = &seen["start"];
    assert_eq!(start["title"], "Zoom for Slack · zlack");
    assert_eq!(start["h1s"], json!(["zlack"]));
    assert!(
        start["links"].as_array().unwrap().contains(
            &json!({ "text": "Add to my Slack account", "href": format!("{PUBLIC}/slack/install") })
        ),
        "{:#}",
        start["links"]
    );

    // zlack → the fake Slack's authorize page → zlack's callback.
    let hops: Vec<(String, u64)> = report["navigations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let url = n["url"].as_str().unwrap();
            let path = url.split('?').next().unwrap().to_owned();
            (path, n["status"].as_u64().unwrap())
        })
        .collect();
    let callback = format!("{PUBLIC}/slack/oauth/callback");
    assert_eq!(
        hops,
        [
            (format!("{PUBLIC}/"), 200),
            (format!("{PUBLIC}/slack/install"), 302),
            (app.slack.authorize_url(), 302),
            (callback.clone(), 200),
        ],
    );

    let end = &seen["end"];
    assert!(end["url"].as_str().unwrap().starts_with(&callback));
    assert_eq!(end["lang"], "en");
    assert_eq!(end["title"], "Added to Slack · zlack");
    assert_eq!(end["h1s"], json!(["Added to Slack"]));
    assert!(
        !seen["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "zlack_slack_state"),
        "the one-time state cookie is gone: {:#}",
        seen["cookies"]
    );
    assert_eq!(
        urls(&report, "pages"),
        [
            format!("{PUBLIC}/"),
            end["url"].as_str().unwrap().to_owned()
        ]
    );

    let token = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap()
        .expect("bot token stored");
    assert_eq!(token.secret.expose(), "xoxb-from-browser");
    let workspace = app
        .store
        .install_for(&TEAM.into(), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(workspace.installed_by.as_deref(), Some("U0ADMIN"));
    app.stop().await;
}

#[tokio::test]
async fn the_install_result_speaks_the_browsers_language() {
    let app = TestApp::spawn().await;
    let Some(report) = add_to_slack(&app, "sv-SE", "Lägg till i mitt Slack-konto").await else {
        return;
    };
    let start = &report["observations"]["start"];
    assert_eq!(start["lang"], "sv");
    assert_eq!(start["title"], "Zoom för Slack · zlack");
    let end = &report["observations"]["end"];
    assert_eq!(end["lang"], "sv");
    assert_eq!(end["title"], "Tillagd i Slack · zlack");
    assert_eq!(end["h1s"], json!(["Tillagd i Slack"]));
    assert!(
        app.store
            .install_for(&TEAM.into(), None)
            .await
            .unwrap()
            .is_some()
    );
    app.stop().await;
}

/// Alice (connected, with Zoom Phone) asks `/zoom call +46 8 123 456 78`;
/// returns the public URL of the call page her button opens.
async fn call_link(app: &TestApp) -> String {
    use crate::helpers::people::{ALICE, DM, ZOOM_ALICE};
    app.install_workspace().await;
    app.zoom
        .enable_phone(ZOOM_ALICE, Some("1001"), &["+46812345600"], "SE");
    app.connect(DM, ALICE).await;
    let url = app.slash(DM, ALICE, "call +46 8 123 456 78").await;
    app.run_jobs().await;
    crate::helpers::slash::button_url(&app.only_response(&url), "phone.call")
}

async fn open_call_page(
    app: &TestApp,
    link: &str,
    locale: &str,
    user_agent: Option<&str>,
    copy: &str,
    number_label: &str,
) -> Option<Value> {
    let screenshot = format!("{}/call-page-{locale}.png", env!("CARGO_TARGET_TMPDIR"));
    let mut args = json!({
        "url": link,
        "locale": locale,
        "copy": copy,
        "numberLabel": number_label,
        "aliases": { PUBLIC: app.base_url },
        "screenshot": screenshot,
    });
    if let Some(agent) = user_agent {
        args["userAgent"] = agent.into();
        // Where the page opens no app, "Copy number" is pressed too.
        args["press"] = true.into();
    }
    run_scenario("call_page", args).await
}

#[tokio::test]
async fn the_call_page_opens_zoom_phone_and_offers_fallbacks() {
    let app = TestApp::spawn().await;
    let link = call_link(&app).await;
    assert!(link.starts_with(&format!("{PUBLIC}/call/")), "{link}");
    let Some(report) = open_call_page(&app, &link, "en-US", None, "Copy number", "Number").await
    else {
        return;
    };
    let seen = &report["observations"];
    let page = &seen["seen"];
    assert_eq!(page["lang"], "en");
    assert_eq!(page["h1s"], json!(["Call with Zoom Phone"]));
    assert!(
        page["text"]
            .as_str()
            .unwrap()
            .contains("Calling +46 8 123 456 78")
    );
    assert!(page["text"].as_str().unwrap().contains("Android"));
    let hrefs: Vec<&str> = page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert_eq!(
        hrefs,
        [
            "zoomphonecall://+46812345678",
            "tel:+46812345678",
            "callto:+46812345678"
        ]
    );
    // The page's script ran under its Content-Security-Policy: it tried to
    // open Zoom Phone and showed "Copy number" (copying is pressed in the
    // Android test).
    let opened: Vec<&str> = seen["opened"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        opened.iter().all(|u| u.starts_with("zoomphonecall://")),
        "{opened:?}"
    );
    assert_eq!(opened, ["zoomphonecall://+46812345678"]);
    assert_eq!(seen["copyVisible"], true, "{report:#}");
    assert_eq!(seen["field"], "+46812345678");
    assert_eq!(
        seen["stillHere"], link,
        "the page stays: no redirect anywhere"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_call_page_speaks_swedish_and_on_android_copies_instead_of_opening_zoom() {
    let app = TestApp::spawn().await;
    let link = call_link(&app).await;
    let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                   (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
    let Some(report) = open_call_page(
        &app,
        &link,
        "sv-SE",
        Some(android),
        "Kopiera numret",
        "Nummer",
    )
    .await
    else {
        return;
    };
    let seen = &report["observations"];
    assert_eq!(seen["seen"]["lang"], "sv");
    assert_eq!(seen["seen"]["h1s"], json!(["Ring med Zoom Phone"]));
    assert_eq!(
        seen["opened"],
        json!([]),
        "Android cannot open zoomphonecall:"
    );
    assert_eq!(seen["copyVisible"], true);
    assert_eq!(seen["clipboard"], "+46812345678", "{report:#}");

    // An expired link shows a page that says so, with nothing to call.
    app.clock.advance_ms(25 * 3600 * 1000);
    let Some(report) = run_scenario(
        "open",
        json!({"url": link, "locale": "en-US", "aliases": { PUBLIC: app.base_url }}),
    )
    .await
    else {
        return;
    };
    let page = &report["observations"]["start"];
    assert_eq!(page["h1s"], json!(["This call link has expired"]));
    assert_eq!(page["links"], json!([]));
    app.stop().await;
}

/// Organization mode, clicked through in a browser speaking `locale`: "Add
/// to Slack" (the fake Slack approves), then, on the page that follows,
/// "Connect Zoom for the organization" (a Zoom admin approves at the fake
/// Zoom). Returns the report; `None`: no browser.
async fn install_for_the_organization(
    app: &TestApp,
    locale: &str,
    names: [&str; 2],
) -> Option<Value> {
    use crate::helpers::people::ZOOM_ALICE;
    app.slack.issue_oauth_code(
        "code-1",
        OAuthGrant::new(TEAM, "xoxb-org-browser", "U0ADMIN"),
    );
    let mut admin = sandbox::ZoomUser::new(ZOOM_ALICE, "alice@example.com", "Alice Andersson");
    admin.role = "admin".into();
    app.zoom.add_user(admin);
    app.zoom.set_next_login(ZOOM_ALICE);
    // Who added zlack signs in with Slack before Zoom.
    app.slack.set_next_sign_in(TEAM, "U0ADMIN");
    let screenshot = format!(
        "{}/install-organization-{locale}.png",
        env!("CARGO_TARGET_TMPDIR")
    );
    run_scenario(
        "install_choice",
        json!({
            "url": format!("{PUBLIC}/"),
            "locale": locale,
            "aliases": { PUBLIC: app.base_url },
            "screenshot": screenshot,
            "steps": [
                {"link": names[0]},
                {"link": names[1]},
            ],
        }),
    )
    .await
}

async fn organization_app() -> TestApp {
    TestApp::spawn_with(|s| s.push(("ZLACK_ZOOM_MODE".into(), "organization".into()))).await
}

#[tokio::test]
async fn install_for_the_whole_organization_in_a_browser() {
    let app = organization_app().await;
    let names = ["Add to Slack", "Connect Zoom for the organization"];
    let Some(report) = install_for_the_organization(&app, "en-US", names).await else {
        return;
    };
    let seen = report["observations"]["seen"].as_array().unwrap();
    let titles: Vec<&str> = seen.iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Zoom for Slack · zlack",
            "Added to Slack · zlack",
            "Connected to Slack · zlack",
        ],
        "{report:#}"
    );
    assert!(
        app.store
            .install_for(&TEAM.into(), None)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    app.stop().await;
}

#[tokio::test]
async fn install_for_the_whole_organization_in_swedish() {
    let app = organization_app().await;
    let names = ["Lägg till i Slack", "Koppla Zoom för hela organisationen"];
    let Some(report) = install_for_the_organization(&app, "sv-SE", names).await else {
        return;
    };
    let seen = report["observations"]["seen"].as_array().unwrap();
    assert!(seen.iter().all(|p| p["lang"] == "sv"), "{report:#}");
    assert_eq!(seen.last().unwrap()["h1s"], json!(["Kopplat till Slack"]));
    assert_eq!(
        app.store
            .organization_account(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some(sandbox::ZOOM_ACCOUNT_ID)
    );
    app.stop().await;
}

/// Opens Alice's "Authorize Zoom" link in a browser speaking `locale`,
/// signing in to Slack as `slack_user` at the fake Slack, and follows it
/// wherever it leads. `None`: no browser.
async fn open_authorize_link(app: &TestApp, locale: &str, slack_user: &str) -> Option<Value> {
    use crate::helpers::people::{ALICE, PUBLIC as CHANNEL, ZOOM_ALICE};
    app.install_workspace().await;
    let url = app.slash(CHANNEL, ALICE, "meeting In the browser").await;
    app.run_jobs().await;
    let link = crate::helpers::slash::button_url(&app.only_response(&url), "zoom.authorize");
    app.slack.set_next_sign_in(TEAM, slack_user);
    app.zoom.set_next_login(ZOOM_ALICE);
    let screenshot = format!(
        "{}/authorize-zoom-{slack_user}-{locale}.png",
        env!("CARGO_TARGET_TMPDIR")
    );
    run_scenario(
        "open_link",
        json!({
            "url": link,
            "locale": locale,
            "aliases": { PUBLIC: app.base_url },
            "screenshot": screenshot,
        }),
    )
    .await
}

/// Every hop of a report's main frame: (URL without its query, status).
fn hops(report: &Value) -> Vec<(String, u64)> {
    report["navigations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let url = n["url"].as_str().unwrap();
            let path = url.split('?').next().unwrap().to_owned();
            (path, n["status"].as_u64().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn the_authorize_link_signs_in_with_slack_then_connects_zoom_by_redirects_alone() {
    use crate::helpers::people::ALICE;
    let app = TestApp::spawn().await;
    let Some(report) = open_authorize_link(&app, "en-US", ALICE).await else {
        return;
    };
    assert_eq!(
        hops(&report),
        [
            (format!("{PUBLIC}/zoom/install"), 302),
            (app.slack.openid_authorize_url(), 302),
            (format!("{PUBLIC}/slack/openid/callback"), 302),
            (format!("{}/oauth/authorize", app.zoom.oauth_url()), 302),
            (format!("{PUBLIC}/zoom/oauth/callback"), 200),
        ],
        "{report:#}"
    );
    let end = &report["observations"]["end"];
    assert_eq!(end["h1s"], json!(["Zoom is connected"]));
    let cookies = report["observations"]["cookies"].as_array().unwrap();
    assert!(
        cookies
            .iter()
            .all(|c| !c["name"].as_str().unwrap().starts_with("zlack_")),
        "every flow cookie is gone: {cookies:#?}"
    );
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_some()
    );
    app.run_jobs().await;
    let made = app.zoom.calls_to("POST /users/me/meetings");
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].args["topic"], "In the browser");
    app.stop().await;
}

#[tokio::test]
async fn a_forwarded_authorize_link_is_refused_in_swedish_before_zoom() {
    use crate::helpers::people::{ALICE, SVEN};
    let app = TestApp::spawn().await;
    let Some(report) = open_authorize_link(&app, "sv-SE", SVEN).await else {
        return;
    };
    assert_eq!(
        hops(&report),
        [
            (format!("{PUBLIC}/zoom/install"), 302),
            (app.slack.openid_authorize_url(), 302),
            (format!("{PUBLIC}/slack/openid/callback"), 403),
        ],
        "{report:#}"
    );
    let end = &report["observations"]["end"];
    assert_eq!(end["lang"], "sv");
    assert_eq!(end["h1s"], json!(["Länken är till någon annan"]));
    assert!(app.zoom.calls().is_empty(), "Zoom was never asked");
    for user in [ALICE, SVEN] {
        assert!(
            app.store
                .zoom_link(&TEAM.into(), &user.into())
                .await
                .unwrap()
                .is_none()
        );
    }
    app.stop().await;
}
