//! Zoom Phone from Slack: `/zoom call`, the signed call page, the DMs
//! about ended and missed calls and phone recordings, and Slack's Call
//! button.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::meetings::text_of;
use crate::helpers::people::*;
use crate::helpers::slash::button_url;

/// Alice and Sven have Zoom Phone (Sven: extension 1002 and a Stockholm
/// number); Alice is connected.
async fn phone_world() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.zoom
        .enable_phone(ZOOM_ALICE, Some("1001"), &["+46812345600"], "SE");
    app.zoom
        .enable_phone(ZOOM_SVEN, Some("1002"), &["+46812345678"], "SE");
    app.connect(DM, ALICE).await;
    app
}

/// `user` types `/zoom call …`; returns the one answer.
async fn call(app: &TestApp, user: &str, target: &str) -> Value {
    let url = app.slash(DM, user, &format!("call {target}")).await;
    app.run_jobs().await;
    app.only_response(&url)
}

/// Opens the call page behind a message's "Call with Zoom Phone" button.
async fn page_of(app: &TestApp, message: &Value, action: &str) -> (StatusCode, String) {
    let url = app.local(&button_url(message, action));
    let response = app.http.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Every `href` on a page.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The number the call page dials.
fn dialled(html: &str) -> String {
    let zoom = hrefs(html)
        .into_iter()
        .find(|h| h.starts_with("zoomphonecall://"))
        .expect("a zoomphonecall link");
    zoom.trim_start_matches("zoomphonecall://").to_owned()
}

#[tokio::test]
async fn calling_a_colleague_uses_zoom_phone_then_the_slack_profile_then_says_why_not() {
    let app = phone_world().await;

    // Sven has Zoom Phone in Alice's Zoom account: his extension.
    app.connect(DM, SVEN).await;
    let answer = call(&app, ALICE, "<@U0SVEN|sven>").await;
    assert_eq!(answer["response_type"], "ephemeral");
    let text = text_of(&answer);
    assert!(
        text.contains("<@U0SVEN>") && text.contains("1002"),
        "{text}"
    );
    assert!(text.contains("Zoom Phone number"), "{text}");
    let (status, html) = page_of(&app, &answer, "phone.call").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dialled(&html), "1002");

    // Without Zoom Phone, his Slack profile's number, read in Alice's
    // country (Sweden).
    app.zoom.disable_phone(ZOOM_SVEN);
    app.slack.set_phone(SVEN, "070-123 45 67");
    let answer = call(&app, ALICE, "<@U0SVEN|sven>").await;
    let text = text_of(&answer);
    assert!(text.contains("Slack profile"), "{text}");
    let (_, html) = page_of(&app, &answer, "phone.call").await;
    assert_eq!(dialled(&html), "+46701234567");

    // Neither: one line saying so, and no button.
    app.slack.set_phone(SVEN, "");
    let answer = call(&app, ALICE, "<@U0SVEN|sven>").await;
    let text = text_of(&answer);
    assert!(
        text.contains("<@U0SVEN> has no Zoom Phone number and no phone number"),
        "{text}"
    );
    assert!(answer.to_string().find("\"url\"").is_none(), "{answer:#}");

    // A colleague who never connected Zoom: only the Slack profile counts.
    app.slack.set_phone(SVEN, "+46 8 123 456 78");
    let mut tx = app.store.begin().await.unwrap();
    app.store
        .delete_zoom_link(&mut tx, &TEAM.into(), &SVEN.into())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let answer = call(&app, ALICE, "<@U0SVEN>").await;
    let (_, html) = page_of(&app, &answer, "phone.call").await;
    assert_eq!(dialled(&html), "+46812345678");
    app.stop().await;
}

#[tokio::test]
async fn typed_numbers_are_normalised_and_garbage_is_refused() {
    let app = phone_world().await;
    let cases = [
        ("+46 8 123 456 78", "+46812345678"),
        ("+46-8-123 456 78", "+46812345678"),
        ("0046 8 123 456 78", "+46812345678"),
        ("08-123 456 78", "+46812345678"),
        ("(08) 123 456 78", "+46812345678"),
        ("+46 (0)8 123 456 78", "+46812345678"),
        ("070-123 45 67", "+46701234567"),
        ("0701234567", "+46701234567"),
        ("+46.70.123.45.67", "+46701234567"),
        ("+1 (415) 555-0132", "+14155550132"),
        ("001 415 555 0132", "+14155550132"),
        ("+44 20 7946 0958", "+442079460958"),
        ("<tel:+4681234567|+46 8 123 45 67>", "+4681234567"),
        ("1002", "1002"),
    ];
    for (typed, expected) in cases {
        let answer = call(&app, ALICE, typed).await;
        let (status, html) = page_of(&app, &answer, "phone.call").await;
        assert_eq!(status, StatusCode::OK, "{typed}");
        assert_eq!(dialled(&html), expected, "{typed}");
    }
    for garbage in [
        "hello",
        "123abc",
        "+46",
        "+46 8 123 456 78 ext 12",
        "12345678901234567890123456789012345",
        "<#C0PUBLIC|general>",
        "<!here>",
        "+46 8 123 456 78 and +46 8 765 432 10",
    ] {
        let answer = call(&app, ALICE, garbage).await;
        let text = text_of(&answer);
        assert!(
            text.contains("is not a phone number or extension"),
            "{garbage}: {text}"
        );
        assert!(answer.to_string().find("/call/").is_none(), "{garbage}");
    }
    app.stop().await;
}

#[tokio::test]
async fn callers_without_zoom_phone_or_zoom_get_one_clear_line() {
    let app = phone_world().await;
    // A grant from before zlack asked for the Zoom Phone scopes: Zoom says
    // so, and connecting again is the fix.
    app.zoom
        .enable_phone(ZOOM_ALICE, Some("1001"), &["+46812345600"], "SE");
    app.zoom.fail_next(
        "GET /phone/users/{userId}",
        sandbox::Fault::ZoomError {
            status: 400,
            code: 4700,
            message: "Invalid access token, does not contain scopes:[phone:read:user].".into(),
        },
        1,
    );
    let answer = call(&app, ALICE, "+46 8 123 456 78").await;
    button_url(&answer, "zoom.authorize");

    // Emergency and premium-rate numbers are left to people's own phones.
    for restricted in ["112", "911", "+44 909 879 0000"] {
        let answer = call(&app, ALICE, restricted).await;
        assert!(
            text_of(&answer).contains("emergency or premium-rate"),
            "{restricted}: {answer:#}"
        );
        assert!(answer.to_string().find("/call/").is_none());
    }

    app.zoom.disable_phone(ZOOM_ALICE);
    let answer = call(&app, ALICE, "+46 8 123 456 78").await;
    assert!(
        text_of(&answer).contains("Zoom Phone is not set up for your Zoom account"),
        "{answer:#}"
    );
    app.zoom.disable_phone_for_account();
    let answer = call(&app, ALICE, "+46 8 123 456 78").await;
    assert!(text_of(&answer).contains("Zoom Phone is not set up"));

    // Sven never connected Zoom: he is asked to, and the call waits.
    let answer = call(&app, SVEN, "+46 8 123 456 78").await;
    button_url(&answer, "zoom.authorize");
    app.stop().await;
}

#[tokio::test]
async fn the_call_page_opens_only_call_schemes_and_refuses_forged_or_old_links() {
    let app = phone_world().await;
    let answer = call(&app, ALICE, "+46 8 123 456 78").await;
    let link = app.local(&button_url(&answer, "phone.call"));
    let response = app.http.get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("location").is_none());
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let html = response.text().await.unwrap();
    let links = hrefs(&html);
    assert_eq!(
        links,
        [
            "zoomphonecall://+46812345678",
            "tel:+46812345678",
            "callto:+46812345678"
        ]
    );
    assert!(html.contains("Android"), "the Android note");
    assert!(!html.contains("http://") && !html.contains("https://"));

    // Swedish by Accept-Language.
    let sv = app
        .http
        .get(&link)
        .header("accept-language", "sv-SE,sv;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sv.contains("Ring med Zoom Phone"), "{sv}");

    // The number cannot be read from the link, and a changed byte anywhere
    // makes it a forgery.
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let token = link.rsplit('/').next().unwrap();
    let sealed = URL_SAFE_NO_PAD.decode(token).unwrap();
    assert!(
        !String::from_utf8_lossy(&sealed).contains("812345678"),
        "the number is sealed"
    );
    let mut changed = sealed.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 1;
    let flipped = URL_SAFE_NO_PAD.encode(&changed);
    let mut cut = sealed.clone();
    cut.truncate(10);
    let cut = URL_SAFE_NO_PAD.encode(&cut);
    for (path, status) in [
        (format!("/call/{flipped}"), StatusCode::FORBIDDEN),
        (format!("/call/{cut}"), StatusCode::BAD_REQUEST),
        ("/call/not-a-token".to_owned(), StatusCode::BAD_REQUEST),
        (
            format!("/call/{}", "x".repeat(4000)),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), status, "{path}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("zoomphonecall:"), "{path}");
    }

    // Fresh, the page opens Zoom Phone by itself; three minutes later (a
    // kept or passed-on link) it waits for a press.
    assert!(html.contains("data-auto=1"), "{html}");
    app.clock.advance_ms(3 * 60 * 1000);
    let later = app
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(later.contains("data-auto=0"), "{later}");
    assert!(later.contains("zoomphonecall://+46812345678"));

    // A day later the link has expired.
    app.clock.advance_ms(25 * 3600 * 1000);
    let response = app.http.get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("expired"));
    app.stop().await;
}

const CALL_ID: &str = "7150000000000000001";

fn leg(user: &str, number: &str, name: &str) -> Value {
    json!({"user_id": user, "phone_number": number, "name": name, "extension_type": "user"})
}

fn phone_event(event: &str, object: Value, ts: i64) -> Value {
    json!({
        "event": event,
        "event_ts": ts,
        "payload": {"account_id": sandbox::ZOOM_ACCOUNT_ID, "object": object},
    })
}

/// An internal call from Alice to Sven, answered, 5 min 12 s.
fn internal_call() -> Vec<Value> {
    let object = json!({
        "call_id": CALL_ID,
        "caller": leg(ZOOM_ALICE, "+46812345600", "Alice Andersson"),
        "callee": leg(ZOOM_SVEN, "+46812345678", "Sven Svensson"),
        "ringing_start_time": "2026-11-27T10:00:00Z",
        "answer_start_time": "2026-11-27T10:00:08Z",
        "call_end_time": "2026-11-27T10:05:20Z",
        "handup_result": "Call connected",
    });
    vec![
        phone_event("phone.caller_ended", object.clone(), 1_795_773_920_000),
        phone_event("phone.callee_ended", object, 1_795_773_920_100),
    ]
}

/// DMs the app sent to `user`.
fn dms_to(app: &TestApp, user: &str) -> Vec<Value> {
    app.ok_calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.args["channel"] == user)
        .map(|c| c.args)
        .collect()
}

#[tokio::test]
async fn each_party_of_a_call_is_told_once_whatever_zoom_repeats_or_reorders() {
    let app = phone_world().await;
    app.connect(DM, SVEN).await;
    let before_alice = dms_to(&app, ALICE).len();
    let before_sven = dms_to(&app, SVEN).len();
    let mut events = internal_call();
    events.reverse();
    for event in &events {
        let mut again = event.clone();
        again["event_ts"] = (event["event_ts"].as_i64().unwrap() + 7).into();
        for body in [event, event, &again] {
            app.zoom_hook(body).await;
            app.run_jobs().await;
        }
    }
    app.settle().await;
    let alice = dms_to(&app, ALICE);
    let sven = dms_to(&app, SVEN);
    assert_eq!(alice.len() - before_alice, 1, "{alice:#?}");
    assert_eq!(sven.len() - before_sven, 1, "{sven:#?}");
    let to_alice = text_of(alice.last().unwrap());
    assert!(to_alice.contains("Your call to <@U0SVEN>"), "{to_alice}");
    assert!(to_alice.contains("Duration: 5 min"), "{to_alice}");
    assert!(to_alice.contains("<!date^"), "{to_alice}");
    let to_sven = text_of(sven.last().unwrap());
    // Sven's Slack locale is Swedish.
    assert!(to_sven.contains("Ditt samtal från <@U0ALICE>"), "{to_sven}");

    // Repeats much later change nothing either.
    for event in &events {
        app.zoom_hook(event).await;
    }
    app.settle().await;
    assert_eq!(dms_to(&app, ALICE).len() - before_alice, 1);
    assert_eq!(dms_to(&app, SVEN).len() - before_sven, 1);
    // Nothing about the call was posted anywhere but the two DMs.
    assert!(
        app.ok_calls("chat.postMessage")
            .iter()
            .all(|c| ![PUBLIC, PRIVATE, GROUP_DM]
                .contains(&c.args["channel"].as_str().unwrap_or(""))),
    );
    app.stop().await;
}

#[tokio::test]
async fn a_missed_call_gives_one_missed_call_dm_with_call_back_and_recordings_go_to_the_owner() {
    let app = phone_world().await;
    let before = dms_to(&app, ALICE).len();
    let object = json!({
        "call_id": "7150000000000000002",
        "caller": {"phone_number": "+442079460958", "name": "Acme Ltd"},
        "callee": leg(ZOOM_ALICE, "+46812345600", "Alice Andersson"),
        "ringing_start_time": "2026-11-27T11:00:00Z",
        "call_end_time": "2026-11-27T11:00:30Z",
    });
    let missed = phone_event("phone.callee_missed", object.clone(), 1_795_777_230_000);
    let ended = phone_event("phone.callee_ended", object, 1_795_777_230_500);
    // The end first, the miss after, each twice.
    for body in [&ended, &missed, &ended, &missed] {
        app.zoom_hook(body).await;
        app.run_jobs().await;
    }
    app.settle().await;
    let dms = dms_to(&app, ALICE);
    assert_eq!(dms.len() - before, 1, "{dms:#?}");
    let dm = dms.last().unwrap();
    let text = text_of(dm);
    assert!(
        text.contains("Missed call from Acme Ltd (+44 20 7946 0958)"),
        "{text}"
    );
    let (status, html) = page_of(&app, dm, "phone.call_back").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dialled(&html), "+442079460958");

    // A recording: to its owner's DM only, with the link.
    let recording = phone_event(
        "phone.recording_completed",
        json!({"recordings": [{
            "id": "rec-1", "call_id": "7150000000000000003", "caller_number": "+46812345600",
            "caller_name": "Alice Andersson", "callee_number": "+442079460958",
            "callee_name": "Acme Ltd", "direction": "outbound", "duration": 95,
            "download_url": "https://zoom.us/v2/phone/recording/download/abc",
            "date_time": "2026-11-27T12:00:00Z",
            "owner": {"type": "user", "id": ZOOM_ALICE, "name": "Alice Andersson"},
        }]}),
        1_795_780_900_000,
    );
    for _ in 0..2 {
        app.zoom_hook(&recording).await;
        app.run_jobs().await;
    }
    app.settle().await;
    let dms = dms_to(&app, ALICE);
    assert_eq!(dms.len() - before, 2);
    let dm = dms.last().unwrap();
    let text = text_of(dm);
    assert!(
        text.contains("recording of your call to Acme Ltd"),
        "{text}"
    );
    assert!(
        button_url(dm, "phone.recording.open").starts_with("https://zoom.us/"),
        "{dm:#}"
    );
    assert!(!dm.to_string().contains("download"), "no API download link");
    app.stop().await;
}

#[tokio::test]
async fn phone_notices_follow_the_users_setting_and_unlinked_users_get_nothing() {
    let app = phone_world().await;
    let before = dms_to(&app, ALICE).len();
    // Alice turns phone notices off with the /zoom config button.
    let url = app.config_card(DM, ALICE).await;
    app.run_jobs().await;
    let card = app.only_response(&url);
    assert!(
        crate::helpers::slash::find_button(&card, "config.phone.off").is_some(),
        "{card:#}"
    );
    let response_url = app.slack.new_response_url();
    let payload = json!({
        "type": "block_actions", "trigger_id": "t-phone", "response_url": response_url,
        "team": {"id": TEAM}, "user": {"id": ALICE},
        "actions": [{"action_id": "config.phone.off", "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
    let redrawn = app.only_response(&response_url);
    let off = crate::helpers::slash::find_button(&redrawn, "config.phone.off").unwrap();
    assert_eq!(off["style"], "primary", "{redrawn:#}");
    // Sven is not linked: the callee leg concerns nobody zlack knows.
    for event in internal_call() {
        app.zoom_hook(&event).await;
        app.run_jobs().await;
    }
    app.settle().await;
    assert_eq!(dms_to(&app, ALICE).len(), before);
    assert!(dms_to(&app, SVEN).is_empty());
    app.stop().await;
}

/// Slack's Call button request: like a slash command, with `type` and
/// without `command`.
async fn press_call_button(
    app: &TestApp,
    channel: &str,
    user: &str,
    kind: &str,
) -> (String, Instant) {
    let response_url = app.slack.new_response_url();
    let fields = [
        ("token", "fake-verification-token".to_owned()),
        ("team_id", TEAM.to_owned()),
        ("team_domain", "test".to_owned()),
        ("channel_id", channel.to_owned()),
        ("channel_name", "general".to_owned()),
        ("user_id", user.to_owned()),
        ("user_name", "alice".to_owned()),
        ("response_url", response_url.clone()),
        ("type", kind.to_owned()),
    ];
    let sent = Instant::now();
    let ack = app.post_command(&fields).await;
    assert_eq!(ack.status(), 200);
    (response_url, sent)
}

#[tokio::test]
async fn the_call_button_is_answered_within_three_seconds_then_the_call_appears() {
    let app = phone_world().await;
    let meetings_before = app.zoom.calls_to("POST /users/me/meetings").len();
    let (url, sent) = press_call_button(&app, PUBLIC, ALICE, "video").await;
    app.run_jobs().await;
    let answers = app.responses(&url);
    let first = app
        .slack
        .calls_to("response_url")
        .into_iter()
        .find(|c| c.args["_id"] == url.rsplit('/').next().unwrap())
        .expect("an answer");
    assert!(
        first.received_at.duration_since(sent) < Duration::from_secs(3),
        "answered in {:?}",
        first.received_at.duration_since(sent)
    );
    assert_eq!(answers[0]["response_type"], "call", "{answers:#?}");
    let join = answers[0]["call_initiation_url"].as_str().unwrap();
    let created = app.zoom.calls_to("POST /users/me/meetings");
    assert_eq!(
        created.len() - meetings_before,
        1,
        "one new instant meeting"
    );
    assert!(join.starts_with("https://"), "{join}");
    assert!(
        answers[0]["desktop_protocol_call_initiation_url"]
            .as_str()
            .unwrap()
            .starts_with("zoommtg://")
    );
    // Then the native Call and its card in the channel.
    let add = app.ok_calls("calls.add");
    assert_eq!(add.last().unwrap().args["join_url"], join);
    let posted = app
        .ok_calls("chat.postMessage")
        .into_iter()
        .rfind(|c| c.args["channel"] == PUBLIC)
        .expect("the channel card");
    assert!(posted.args["blocks"].to_string().contains("\"call\""));
    app.stop().await;
}

#[tokio::test]
async fn a_slow_zoom_gives_the_personal_meeting_in_time_and_says_so() {
    let app = phone_world().await;
    // Alice's personal meeting is known from connecting.
    app.zoom.fail_next(
        "POST /users/{userId}/meetings",
        sandbox::Fault::Slow {
            delay: Duration::from_secs(6),
        },
        1,
    );
    let (url, sent) = press_call_button(&app, PUBLIC, ALICE, "video").await;
    app.run_jobs().await;
    let calls: Vec<_> = app
        .slack
        .calls_to("response_url")
        .into_iter()
        .filter(|c| c.args["_id"] == url.rsplit('/').next().unwrap())
        .collect();
    assert!(calls[0].received_at.duration_since(sent) < Duration::from_secs(3));
    assert_eq!(calls[0].args["response_type"], "call");
    let join = calls[0].args["call_initiation_url"].as_str().unwrap();
    assert!(join.contains("/j/555"), "the personal meeting: {join}");
    let note = calls
        .iter()
        .find(|c| c.args["response_type"] == "ephemeral")
        .expect("a note");
    assert!(text_of(&note.args).contains("personal meeting ID"));
    app.stop().await;
}

/// `user` presses a `/zoom config` button; returns the redrawn card.
async fn press_config(app: &TestApp, user: &str, action: &str) -> Value {
    let response_url = app.slack.new_response_url();
    let payload = json!({
        "type": "block_actions", "trigger_id": format!("t-{action}-{user}"),
        "response_url": response_url, "team": {"id": TEAM}, "user": {"id": user},
        "actions": [{"action_id": action, "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
    app.responses(&response_url).pop().unwrap_or(Value::Null)
}

#[tokio::test]
async fn workspace_admins_can_turn_phone_notices_off_for_everyone() {
    use crate::helpers::slash::find_button;
    let app = phone_world().await;
    app.connect(DM, SVEN).await;
    // Only an admin may: Sven's press changes nothing.
    press_config(&app, SVEN, "config.workspace_phone.off").await;
    assert!(app.store.phone_notices_allowed(&TEAM.into()).await.unwrap());
    app.slack.set_admin(ALICE, true);
    let card = press_config(&app, ALICE, "config.workspace_phone.off").await;
    let off = find_button(&card, "config.workspace_phone.off").expect("admin buttons");
    assert_eq!(off["style"], "primary");
    assert!(!app.store.phone_notices_allowed(&TEAM.into()).await.unwrap());

    // Sven's card explains, in one line, instead of offering buttons.
    let url = app.config_card(DM, SVEN).await;
    app.run_jobs().await;
    let card = app.only_response(&url);
    assert!(find_button(&card, "config.phone.on").is_none(), "{card:#}");
    assert!(find_button(&card, "config.workspace_phone.on").is_none());
    assert!(
        text_of(&card).contains("administratörer har stängt av aviseringar från Zoom Phone"),
        "{card:#}"
    );

    // And nobody gets phone DMs.
    let (alice, sven) = (dms_to(&app, ALICE).len(), dms_to(&app, SVEN).len());
    for event in internal_call() {
        app.zoom_hook(&event).await;
        app.run_jobs().await;
    }
    app.settle().await;
    assert_eq!(dms_to(&app, ALICE).len(), alice);
    assert_eq!(dms_to(&app, SVEN).len(), sven);
    app.stop().await;
}

#[tokio::test]
async fn an_audio_call_from_the_call_button_gets_the_call_page_for_its_number() {
    let app = phone_world().await;
    for (number, ok) in [
        ("46812345678", true),
        ("+46812345678", true),
        ("hello", false),
    ] {
        let response_url = app.slack.new_response_url();
        let fields = [
            ("team_id", TEAM.to_owned()),
            ("channel_id", PUBLIC.to_owned()),
            ("user_id", ALICE.to_owned()),
            ("response_url", response_url.clone()),
            ("type", "audio".to_owned()),
            ("phone_number", number.to_owned()),
        ];
        let ack = app.post_command(&fields).await;
        assert_eq!(ack.status(), 200);
        app.run_jobs().await;
        let answer = app.only_response(&response_url);
        if ok {
            assert_eq!(answer["response_type"], "audio", "{answer:#}");
            let page = app.local(answer["call_initiation_url"].as_str().unwrap());
            let html = app
                .http
                .get(page)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_eq!(dialled(&html), "+46812345678");
        } else {
            assert_eq!(answer["response_type"], "ephemeral", "{answer:#}");
            assert!(text_of(&answer).contains("is not a phone number"));
        }
    }
    // No meeting was made for any of them.
    assert!(
        app.ok_calls("calls.add")
            .iter()
            .all(|c| c.args["join_url"] != "")
    );
    app.stop().await;
}
