//! How your data is used: the `/privacy` page, generated from the scopes,
//! events and retention the code uses, and the daily purge of meeting data
//! older than `ZLACK_RETENTION_DAYS`.

use serde_json::{Value, json};
use zlack::clock::Clock;
use zlack::config::{Config, Sources};
use zlack::manifest::{BOT_EVENTS, BOT_SCOPES, USER_SCOPES, ZOOM_EVENTS, ZOOM_SCOPES_PERSONAL};
use zlack_domain::render::{Grant, purpose_key};
use zlack_domain::{Lang, Texts};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::browser::run_scenario;
use crate::helpers::meetings::Occurrence;
use crate::helpers::people::*;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Every scope and event the code uses, with the kind the page lists it as.
fn used() -> Vec<(Grant, &'static str)> {
    let mut all = Vec::new();
    for (grant, names) in [
        (Grant::SlackScope, BOT_SCOPES),
        (Grant::SlackScope, USER_SCOPES),
        (Grant::SlackEvent, BOT_EVENTS),
        (Grant::ZoomScope, ZOOM_SCOPES_PERSONAL),
        (Grant::ZoomEvent, ZOOM_EVENTS),
    ] {
        all.extend(names.iter().map(|name| (grant, *name)));
    }
    all
}

/// Text as the page's HTML has it.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn privacy_page(
    app: &TestApp,
    accept_language: &str,
) -> (reqwest::header::HeaderMap, String) {
    let response = app
        .http
        .get(format!("{}/privacy", app.base_url))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

#[tokio::test]
async fn the_privacy_page_lists_every_scope_and_event_with_its_purpose_in_both_languages() {
    let app = TestApp::spawn_with(|s| s.push(("ZLACK_RETENTION_DAYS".into(), "30".into()))).await;
    let texts = Texts::new();
    for (accept, lang, title, retention) in [
        (
            "en-US,en;q=0.9",
            Lang::En,
            "How your data is used",
            "30 days after",
        ),
        (
            "sv-SE,sv;q=0.9,en;q=0.5",
            Lang::Sv,
            "Hur dina data används",
            "30 dagar efter",
        ),
    ] {
        let (headers, body) = privacy_page(&app, accept).await;
        assert_eq!(headers["content-language"], lang.code());
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.starts_with("default-src 'none'") && !csp.contains("script"),
            "{csp}"
        );

        assert!(
            body.contains(&format!("<html lang={}>", lang.code())),
            "{body}"
        );
        assert!(body.contains(&format!("<title>{title} · zlack</title>")));
        assert_eq!(body.matches("<h1>").count(), 1);
        assert!(body.contains(&format!("<h1>{title}</h1>")));
        assert!(body.matches("<h2>").count() >= 5 && body.contains("<h3>"));
        assert!(body.contains("<ul><li>"));
        assert!(
            !body.contains("<script") && !body.contains("src="),
            "no scripts, no assets"
        );
        for (grant, name) in used() {
            let key = purpose_key(grant, name)
                .unwrap_or_else(|| panic!("{grant:?} {name} has no purpose on the page"));
            let purpose = texts.get(lang, key, &[]);
            let line = format!("<li><code>{}</code> — {}</li>", html(name), html(&purpose));
            assert!(body.contains(&line), "{lang:?} lacks {line}");
        }
        assert!(
            body.contains(retention),
            "{lang:?}: the configured retention"
        );
        assert!(!body.contains(" 90 "), "not the default retention");
        assert!(body.contains(" 7 "), "finished work is kept 7 days");
        for what in [
            "AES-256-GCM",
            "/zoom logout",
            "app_deauthorized",
            "zlack purge --team",
        ] {
            assert!(body.contains(what), "{lang:?} lacks {what}");
        }
    }
    // Browsers speaking neither language get English.
    let (headers, _) = privacy_page(&app, "de-DE").await;
    assert_eq!(headers["content-language"], "en");
    app.stop().await;
}

#[tokio::test]
async fn the_retention_setting_is_validated_with_one_line_naming_the_key() {
    let parse =
        |value: &str| Config::parse(&Sources::from_pairs([("ZLACK_RETENTION_DAYS", value)]));
    assert_eq!(
        Config::parse(&Sources::default()).unwrap().retention.days,
        90
    );
    for (value, days) in [("1", 1), ("30", 30), (" 3650 ", 3650)] {
        let retention = parse(value).unwrap().retention;
        assert_eq!(retention.days, days);
        assert_eq!(retention.as_millis(), i64::from(days) * DAY_MS);
    }
    for value in ["0", "3651", "-1", "1.5", "ninety", "90d"] {
        let line = parse(value).unwrap_err().to_string();
        assert!(line.starts_with("ZLACK_RETENTION_DAYS: "), "{line}");
        assert!(!line.contains('\n') && line.contains("1 to 3650"), "{line}");
    }
}

// The browser: the landing page links the privacy page, which passes the
// driver's checks (lang, title, one h1, nothing from another site).

/// The test app's `ZLACK_PUBLIC_URL`.
const PUBLIC_URL: &str = "https://zlack.test";

#[tokio::test]
async fn the_privacy_page_opens_from_the_landing_page_in_a_browser() {
    let app = TestApp::spawn().await;
    let screenshot = format!("{}/privacy-en-US.png", env!("CARGO_TARGET_TMPDIR"));
    let Some(report) = run_scenario(
        "follow_link",
        json!({
            "url": format!("{PUBLIC_URL}/"),
            "link": "How your data is used",
            "locale": "en-US",
            "aliases": { PUBLIC_URL: app.base_url },
            "screenshot": screenshot,
        }),
    )
    .await
    else {
        return;
    };
    let end = &report["observations"]["end"];
    assert_eq!(end["url"], format!("{PUBLIC_URL}/privacy"));
    assert_eq!(end["lang"], "en");
    assert_eq!(end["title"], "How your data is used · zlack");
    assert_eq!(end["h1s"], json!(["How your data is used"]));
    let text = end["text"].as_str().unwrap();
    for name in BOT_SCOPES.iter().chain(ZOOM_SCOPES_PERSONAL) {
        assert!(text.contains(name), "{name}");
    }
    assert!(text.contains("90 days after"), "{text}");
    assert_eq!(end["links"], json!([]), "the page links nowhere");
    app.stop().await;
}

#[tokio::test]
async fn the_privacy_page_speaks_swedish_in_a_swedish_browser() {
    let app = TestApp::spawn().await;
    let screenshot = format!("{}/privacy-sv-SE.png", env!("CARGO_TARGET_TMPDIR"));
    let Some(report) = run_scenario(
        "open",
        json!({
            "url": format!("{PUBLIC_URL}/privacy"),
            "locale": "sv-SE",
            "aliases": { PUBLIC_URL: app.base_url },
            "screenshot": screenshot,
        }),
    )
    .await
    else {
        return;
    };
    let page = &report["observations"]["start"];
    assert_eq!(page["lang"], "sv");
    assert_eq!(page["title"], "Hur dina data används · zlack");
    assert_eq!(page["h1s"], json!(["Hur dina data används"]));
    let text = page["text"].as_str().unwrap();
    for name in ZOOM_EVENTS.iter().chain(BOT_EVENTS) {
        assert!(text.contains(name), "{name}");
    }
    assert!(text.contains("90 dagar efter"), "{text}");
    assert!(text.contains("Så raderar du dina data"), "{text}");
    let audited: Vec<&Value> = report["pages"].as_array().unwrap().iter().collect();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["problems"], json!([]));
    app.stop().await;
}

// Retention.

/// A missed Zoom Phone call of Alice's, folded into `phone_notices` as
/// `call:{call_id}`.
async fn missed_call(app: &TestApp, call_id: &str, event_ts: i64) {
    app.zoom_hook(&json!({
        "event": "phone.callee_missed", "event_ts": event_ts,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "object": {
            "call_id": call_id, "caller": {"phone_number": "+442079460958"},
            "callee": {"user_id": ZOOM_ALICE, "phone_number": "+46812345600"},
            "ringing_start_time": "2026-11-27T11:00:00Z",
        }}
    }))
    .await;
    app.settle().await;
}

const BOARD: &str = "wbRetention01";

async fn count(app: &TestApp, table: &'static str, column: &'static str, value: &str) -> i64 {
    app.store.count_where(table, column, value).await.unwrap()
}

async fn retention_entries(app: &TestApp) -> Vec<zlack::store::AuditEntry> {
    let log = app.store.audit_log(0, 1000).await.unwrap();
    log.into_iter()
        .filter(|e| e.action == "retention")
        .collect()
}

#[tokio::test]
async fn meeting_data_older_than_the_retention_is_purged_once_a_day() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.zoom
        .enable_phone(ZOOM_ALICE, Some("1001"), &["+46812345600"], "SE");
    // Day 0: both connect (each starts a meeting), Alice announces "Old",
    // which runs and ends (an occurrence with its summary notice), misses
    // a call, and shares a whiteboard with Sven, which Zoom later deletes.
    app.connect(PUBLIC, ALICE).await;
    app.connect(PUBLIC, SVEN).await;
    let old = app.announce(PUBLIC, ALICE, "meeting Old").await;
    // "Recurring" is announced on day 0 too, but runs again on day 20.
    let recurring = app.announce(PUBLIC, ALICE, "meeting Recurring").await;
    let o = Occurrence::new(old.zoom_meeting_id.unwrap(), "retention-old==", ZOOM_ALICE);
    app.zoom_hook(&o.started(0)).await;
    app.zoom_hook(&o.ended(0, 1800)).await;
    app.settle().await;
    missed_call(&app, "9001", 1_795_777_230_000).await;
    let share = json!({
        "event": "whiteboard.shared", "event_ts": 1_795_777_240_000i64,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "operator_id": ZOOM_ALICE,
            "object": {"whiteboard_id": BOARD, "collaborators": [
                {"collaborator_id": "c1", "collaborator_name": "Alice Andersson",
                 "user_id": ZOOM_ALICE, "collaborator_type": 0, "role": 0},
                {"collaborator_id": "c2", "collaborator_name": "Sven Svensson",
                 "user_id": ZOOM_SVEN, "collaborator_type": 0, "role": 4}]}}
    });
    app.zoom_hook(&share).await;
    app.zoom_hook(&json!({
        "event": "whiteboard.deleted", "event_ts": 1_795_777_250_000i64,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "object": {"whiteboard_id": BOARD}}
    }))
    .await;
    app.settle().await;

    // Day 1.5: "Middle". Day 60: "New", another missed call; Alice's
    // cached profile is fetched again, Sven's is not.
    app.clock.advance_ms(DAY_MS * 3 / 2);
    app.announce(PUBLIC, ALICE, "meeting Middle").await;
    app.clock.advance_ms(DAY_MS * 37 / 2);
    let again = Occurrence::new(
        recurring.zoom_meeting_id.unwrap(),
        "retention-recurring==",
        ZOOM_ALICE,
    );
    app.zoom_hook(&again.started(0)).await;
    app.run_jobs().await;
    assert_eq!(
        count(&app, "occurrences", "zoom_uuid", &again.uuid).await,
        1
    );
    app.clock.advance_ms(DAY_MS * 40);
    app.announce(PUBLIC, ALICE, "meeting New").await;
    missed_call(&app, "9002", 1_795_777_260_000).await;

    assert_eq!(count(&app, "meetings", "team_id", TEAM).await, 6);
    assert_eq!(count(&app, "meetings", "topic", "Old").await, 1);
    assert_eq!(count(&app, "occurrences", "zoom_uuid", &o.uuid).await, 1);
    assert_eq!(count(&app, "notices", "kind", "end_summary").await, 1);
    assert_eq!(
        count(&app, "phone_notices", "subject", "call:9001").await,
        1
    );
    assert_eq!(
        count(&app, "whiteboard_shares", "whiteboard_id", BOARD).await,
        1
    );
    assert_eq!(
        count(&app, "deleted_whiteboards", "whiteboard_id", BOARD).await,
        1
    );
    assert_eq!(count(&app, "slack_users", "user_id", SVEN).await, 1);
    let audit_before = app.store.audit_log(0, 1000).await.unwrap();

    // Day 91: the worker's pruning purges what is older than 90 days.
    app.clock.advance_ms(DAY_MS * 31);
    app.worker.prune().await;
    assert_eq!(count(&app, "meetings", "topic", "Old").await, 0);
    assert_eq!(
        count(&app, "meetings", "team_id", TEAM).await,
        3,
        "Middle, New and Recurring (active on day 20) stay"
    );
    assert_eq!(count(&app, "meetings", "topic", "Recurring").await, 1);
    assert_eq!(
        count(&app, "occurrences", "zoom_uuid", &again.uuid).await,
        1
    );
    assert_eq!(count(&app, "meetings", "topic", "New").await, 1);
    assert_eq!(count(&app, "occurrences", "zoom_uuid", &o.uuid).await, 0);
    assert_eq!(count(&app, "notices", "kind", "end_summary").await, 0);
    assert_eq!(
        count(&app, "phone_notices", "subject", "call:9001").await,
        0
    );
    assert_eq!(
        count(&app, "phone_notices", "subject", "call:9002").await,
        1
    );
    assert_eq!(
        count(&app, "whiteboard_shares", "whiteboard_id", BOARD).await,
        0
    );
    assert_eq!(
        count(&app, "deleted_whiteboards", "whiteboard_id", BOARD).await,
        0
    );
    assert_eq!(count(&app, "slack_users", "user_id", SVEN).await, 0);
    assert_eq!(count(&app, "slack_users", "user_id", ALICE).await, 1);
    // What is not meeting data stays: links, tokens, the audit log.
    assert_eq!(count(&app, "zoom_links", "team_id", TEAM).await, 2);
    let owner = format!("zoom:user:{ZOOM_ALICE}");
    assert!(count(&app, "tokens", "owner", &owner).await > 0);
    let audit = app.store.audit_log(0, 1000).await.unwrap();
    assert_eq!(&audit[..audit_before.len()], &audit_before[..]);
    let entries = retention_entries(&app).await;
    assert_eq!(entries.len(), 1, "{audit:#?}");
    let entry = &entries[0];
    assert_eq!(
        (entry.actor.as_str(), entry.subject.as_str(), entry.at),
        ("zlack", "all", app.clock.now_ms())
    );
    for part in [
        "meetings=3",
        "occurrences=1",
        "phone_notices=1",
        "whiteboard_shares=1",
        "deleted_whiteboards=1",
        "profiles=1",
        "older than 90 days",
    ] {
        assert!(entry.detail.contains(part), "{}", entry.detail);
    }

    // Running it again deletes nothing and logs nothing.
    let again = app
        .store
        .purge_expired(90 * DAY_MS, app.clock.now_ms())
        .await
        .unwrap();
    assert_eq!(again.total(), 0, "{again:?}");
    assert_eq!(retention_entries(&app).await.len(), 1);

    // 23 hours later "Middle" is past 90 days, but the purge ran today.
    app.clock.advance_ms(DAY_MS - 3_600_000);
    app.worker.prune().await;
    assert_eq!(count(&app, "meetings", "topic", "Middle").await, 1);
    // A day after the last run it goes.
    app.clock.advance_ms(3_600_000);
    app.worker.prune().await;
    assert_eq!(count(&app, "meetings", "topic", "Middle").await, 0);
    assert_eq!(count(&app, "meetings", "topic", "New").await, 1);
    let entries = retention_entries(&app).await;
    assert_eq!(entries.len(), 2);
    assert!(
        entries[1].detail.starts_with("meetings=1 "),
        "{}",
        entries[1].detail
    );
    app.stop().await;
}

#[tokio::test]
async fn a_second_process_does_not_purge_while_the_first_holds_the_days_lease() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.clock.advance_ms(DAY_MS * 91);
    // Another process on the same database took today's run.
    let now = app.clock.now_ms();
    assert!(
        app.store
            .try_lease("retention", "other-process", now, DAY_MS)
            .await
            .unwrap()
    );
    app.worker.prune().await;
    assert_eq!(count(&app, "meetings", "team_id", TEAM).await, 1);
    assert!(retention_entries(&app).await.is_empty());
    // When its lease runs out without a run, this process takes over.
    app.clock.advance_ms(DAY_MS);
    app.worker.prune().await;
    assert_eq!(count(&app, "meetings", "team_id", TEAM).await, 0);
    assert_eq!(retention_entries(&app).await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_purge_deletes_in_batches_until_nothing_old_is_left() {
    use crate::helpers::db::new_meeting;
    use zlack::store::SlackUser;
    let app = TestApp::spawn().await;
    let start = app.clock.now_ms();
    // Just over one batch of each, and one of each that is not old yet.
    const OLD: usize = 1001;
    for i in 0..=OLD {
        let at = if i < OLD { start } else { start + 2 * DAY_MS };
        let meeting = new_meeting(&format!("retention-batch-{i}"), TEAM, PUBLIC, ALICE);
        app.store.meeting_for_request(&meeting, at).await.unwrap();
        let profile = SlackUser {
            display_name: format!("Person {i}"),
            locale: None,
            tz: None,
            fetched_at: at,
        };
        app.store
            .save_slack_user(&TEAM.into(), &format!("U{i:06}").into(), &profile)
            .await
            .unwrap();
    }
    let now = start + 2 * DAY_MS;
    let expired = app.store.purge_expired(DAY_MS, now).await.unwrap();
    assert_eq!(
        (expired.meetings, expired.profiles),
        (OLD as u64, OLD as u64)
    );
    assert_eq!(expired.total(), 2 * OLD as u64);
    assert_eq!(count(&app, "meetings", "team_id", TEAM).await, 1);
    assert_eq!(count(&app, "slack_users", "team_id", TEAM).await, 1);
    let entries = retention_entries(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].detail,
        "meetings=1001 profiles=1001 (older than 1 day)"
    );
    // Twice is harmless: nothing more goes, nothing more is logged.
    assert_eq!(
        app.store.purge_expired(DAY_MS, now).await.unwrap().total(),
        0
    );
    assert_eq!(retention_entries(&app).await.len(), 1);
    app.stop().await;
}

/// The known-limitations page, linked from the landing page in English and
/// Swedish, states each limitation in the reader's language.
#[tokio::test]
async fn the_landing_page_links_the_known_limitations_in_both_languages() {
    let app = TestApp::spawn().await;
    let texts = Texts::new();
    for (accept, lang, title) in [
        ("en-US,en;q=0.9", Lang::En, "Known limitations"),
        ("sv-SE,sv;q=0.9", Lang::Sv, "Kända begränsningar"),
    ] {
        let get = |path: &'static str| {
            app.http
                .get(format!("{}{path}", app.base_url))
                .header("accept-language", accept)
                .send()
        };
        let landing = get("/").await.unwrap().text().await.unwrap();
        assert!(
            landing.contains(&format!("<a href=\"/limitations\">{title}</a>")),
            "{landing}"
        );
        let response = get("/limitations").await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-language"], lang.code());
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!csp.contains("script"), "{csp}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("<h1>{title}</h1>")), "{body}");
        for key in zlack_domain::render::LIMITATIONS {
            let text = texts.get(lang, key, &[]);
            assert!(
                body.contains(&format!("<li>{}</li>", html(&text))),
                "{key}: {body}"
            );
        }
        assert!(body.contains("zoomphonecall:") && body.contains("/zoom logout"));
    }
    app.stop().await;
}
