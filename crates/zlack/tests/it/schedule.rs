//! `/zoom schedule` end to end through the fakes: the text read in the
//! user's Slack time zone at a fixed moment, the Zoom meeting it makes,
//! the card and its calendar file, the reminder (once, across two workers
//! and a restart), and what `meeting.updated`, `meeting.deleted` and
//! `meeting.started` do to them.

use std::sync::Arc;

use sandbox::{ZoomUser, zoom_event};
use serde_json::{Value, json};
use zlack::config::{Config, Sources};
use zlack::services::Services;
use zlack::worker::Worker;

use crate::helpers::TestApp;
use crate::helpers::app::{TEAM, settings};
use crate::helpers::meetings::{Occurrence, text_of};
use crate::helpers::people::*;
use crate::helpers::slash::button_url;

/// Monday 7 December 2026, 09:00 UTC: 10:00 in Stockholm, 04:00 in New York.
const NOW_MS: i64 = 1_796_634_000_000;
const NEW_YORKER: &str = "U0NEWYORK";
const ZOOM_NEW_YORKER: &str = "zu_nia";
const MINUTE: i64 = 60_000;

/// Alice (Stockholm, English), Sven (Stockholm, Swedish) and Nia (New
/// York) connected to Zoom, then the clock set to [`NOW_MS`] (signing in
/// happens at the fakes' real time).
async fn ready() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.slack.add_user(
        TEAM,
        NEW_YORKER,
        "Nia York",
        Some("nia@example.com"),
        "en-US",
        "America/New_York",
    );
    app.zoom.add_user(ZoomUser::new(
        ZOOM_NEW_YORKER,
        "nia@example.com",
        "Nia York",
    ));
    app.connect(PUBLIC, ALICE).await;
    app.connect(PUBLIC, SVEN).await;
    connect_new_yorker(&app).await;
    app.clock.set_ms(NOW_MS);
    app
}

/// Links the New Yorker to Zoom as `connect` does for the others.
async fn connect_new_yorker(app: &TestApp) {
    app.zoom.set_next_login(ZOOM_NEW_YORKER);
    let url = app.slash(PUBLIC, NEW_YORKER, "").await;
    app.run_jobs().await;
    let prompt = app.only_response(&url);
    let page = app
        .authorize_zoom(&button_url(&prompt, "zoom.authorize"), NEW_YORKER)
        .await;
    assert_eq!(page.status(), 200);
    app.run_jobs().await;
}

/// The scheduled meetings asked of Zoom so far (type 2 creates).
fn scheduled_creates(app: &TestApp) -> Vec<Value> {
    app.zoom
        .calls_to("POST /users/me/meetings")
        .into_iter()
        .map(|c| c.args)
        .filter(|a| a["type"] == 2)
        .collect()
}

/// `user` schedules with `/zoom schedule text` in `channel`; the jobs run.
async fn schedule(app: &TestApp, user: &str, text: &str) -> String {
    let url = app.slash(PUBLIC, user, &format!("schedule {text}")).await;
    app.run_jobs().await;
    url
}

/// The cards posted so far: `chat.postMessage` with the schedule block.
fn cards(app: &TestApp) -> Vec<Value> {
    app.posts()
        .into_iter()
        .filter(sandbox::RecordedCall::succeeded)
        .map(|c| c.args)
        .filter(|a| a["blocks"].to_string().contains("schedule.actions"))
        .collect()
}

fn reminders(app: &TestApp) -> Vec<Value> {
    app.posts()
        .into_iter()
        .map(|c| c.args)
        .filter(|a| a["blocks"].to_string().contains("schedule.reminder"))
        .collect()
}

fn updates(app: &TestApp) -> Vec<Value> {
    app.slack
        .calls_to("chat.update")
        .into_iter()
        .map(|c| c.args)
        .collect()
}

fn blocks_of(message: &Value) -> Value {
    match &message["blocks"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    }
}

/// A replica: its own store connections and worker on the same database,
/// the same clock.
async fn replica(app: &TestApp) -> Worker {
    let pairs = settings(&app.db, &app.slack, &app.zoom);
    let config = Config::parse(&Sources::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
    .unwrap();
    let svc = Services::new(Arc::new(config), app.db.store().await, app.clock.clone());
    Worker::new(svc, 8)
}

async fn zoom_meeting_id(app: &TestApp) -> i64 {
    app.store
        .latest_meeting_in(&TEAM.into(), &PUBLIC.into())
        .await
        .unwrap()
        .unwrap()
        .zoom_meeting_id
        .unwrap()
}

#[tokio::test]
async fn each_form_schedules_the_right_zoom_meeting_in_the_users_time_zone() {
    let app = ready().await;
    let forms = [
        (
            "tomorrow 10:00 Weekly sync",
            "2026-12-08T10:00:00",
            30,
            "Weekly sync",
        ),
        (
            "fri 14:30 45m Design review",
            "2026-12-11T14:30:00",
            45,
            "Design review",
        ),
        (
            "2026-12-24 09:00 Julfika",
            "2026-12-24T09:00:00",
            30,
            "Julfika",
        ),
        (
            "i morgon kl 10 Veckomöte",
            "2026-12-08T10:00:00",
            30,
            "Veckomöte",
        ),
    ];
    for (user, zone) in [
        (ALICE, "Europe/Stockholm"),
        (NEW_YORKER, "America/New_York"),
    ] {
        for (text, start, duration, topic) in forms {
            let before = scheduled_creates(&app).len();
            schedule(&app, user, text).await;
            let made = scheduled_creates(&app);
            assert_eq!(made.len(), before + 1, "{user}: {text}");
            let body = &made[before];
            assert_eq!(body["start_time"], start, "{user}: {text}");
            assert_eq!(body["timezone"], zone, "{user}: {text}");
            assert_eq!(body["duration"], duration, "{user}: {text}");
            assert_eq!(body["topic"], topic, "{user}: {text}");
        }
        let before = scheduled_creates(&app).len();
        schedule(&app, user, "in 10 minutes Quick check").await;
        let body = &scheduled_creates(&app)[before];
        let expected = match user {
            ALICE => "2026-12-07T10:10:00",
            _ => "2026-12-07T04:10:00",
        };
        assert_eq!(body["start_time"], expected);
        assert_eq!(body["topic"], "Quick check");
    }
    // Each card shows the start as a Slack date token: every reader sees
    // it in their own zone. Alice's "tomorrow 10:00" is 09:00 UTC, Nia's
    // 15:00 UTC.
    let cards = cards(&app);
    assert_eq!(cards.len(), 10);
    assert!(
        text_of(&cards[0]).contains("<!date^1796720400^"),
        "{}",
        text_of(&cards[0])
    );
    assert!(
        text_of(&cards[5]).contains("<!date^1796742000^"),
        "{}",
        text_of(&cards[5])
    );
    // Alice's Slack locale is English; the Swedish topic stays as typed.
    assert!(text_of(&cards[3]).contains("Veckomöte"));
    app.stop().await;
}

#[tokio::test]
async fn the_card_has_join_and_a_signed_calendar_file_that_calendars_read() {
    let app = ready().await;
    schedule(&app, ALICE, "tomorrow 10:00 45m Design review").await;
    let card = cards(&app).pop().expect("a card");
    assert_eq!(card["channel"], PUBLIC);
    let text = text_of(&card);
    assert!(text.contains("Design review"), "{text}");
    assert!(text.contains("45 min"), "{text}");
    assert!(
        !text.contains("Passcode"),
        "no passcode unless the host shows it: {text}"
    );
    let blocks = blocks_of(&card);
    let join = button_url(&json!({ "blocks": blocks }), "meeting.join");
    assert!(join.starts_with("https://zoom.us/j/"), "{join}");
    let calendar = button_url(&json!({ "blocks": blocks }), "schedule.calendar");
    assert!(
        calendar.starts_with("https://zlack.test/calendar/"),
        "{calendar}"
    );

    let response = app.http.get(app.local(&calendar)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = response.text().await.unwrap();
    let parsed: icalendar::Calendar = ics.parse().expect("a calendar parser reads it");
    let event = parsed
        .components
        .iter()
        .find_map(|c| c.as_event())
        .expect("one event");
    use icalendar::Component;
    assert_eq!(event.get_summary(), Some("Design review"));
    assert_eq!(event.property_value("DTSTART"), Some("20261208T090000Z"));
    assert_eq!(event.property_value("DURATION"), Some("PT45M"));
    assert_eq!(event.get_url(), Some(join.as_str()));
    assert!(ics.contains("\r\n"), "CRLF line ends");

    // A tampered or unsigned link shows nothing, and says nothing of why.
    let tampered = calendar.replace("sig=", "sig=00");
    let (id_part, _) = calendar.split_once(".ics").unwrap();
    let other_id = format!(
        "{}{}",
        id_part.trim_end_matches(char::is_numeric),
        "999.ics"
    ) + &calendar[calendar.find("?sig=").unwrap()..];
    for bad in [
        tampered,
        calendar.split('?').next().unwrap().to_owned(),
        other_id,
        calendar.replace(".ics", ".txt"),
    ] {
        let response = app.http.get(app.local(&bad)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{bad}");
        assert_eq!(response.text().await.unwrap(), "no such calendar file");
    }
    app.stop().await;
}

#[tokio::test]
async fn ambiguous_and_past_times_are_refused_with_the_reading_shown() {
    let app = ready().await;
    let before = app.zoom.calls_to("POST /users/me/meetings").len();
    for (text, says) in [
        ("tomorrow 10 Sync", "could be a time"),
        ("09:00 Standup", "already passed in Europe/Stockholm"),
        ("2026-12-01 10:00 Retro", "already passed"),
        ("3/4 10:00 Planning", "3 April or March 4"),
        (
            "2027-03-28 02:30 Night shift",
            "does not exist in Europe/Stockholm",
        ),
        ("2027-10-31 02:30 Night shift", "happens twice"),
        ("Weekly sync", "could not tell when"),
    ] {
        let url = schedule(&app, ALICE, text).await;
        let answer = app.only_response(&url);
        assert_eq!(answer["response_type"], "ephemeral", "{text}");
        let shown = text_of(&answer);
        assert!(shown.contains(says), "{text}: {shown}");
        assert!(shown.contains("How zlack read it"), "{text}: {shown}");
    }
    // How it was read: the day, the time, the topic left over.
    let url = schedule(&app, ALICE, "09:00 Standup").await;
    let shown = text_of(&app.only_response(&url));
    assert!(shown.contains("Day: Mon 7 Dec 2026"), "{shown}");
    assert!(shown.contains("Time: 09:00 (Europe/Stockholm)"), "{shown}");
    assert!(shown.contains("Topic: Standup"), "{shown}");
    assert_eq!(
        app.zoom.calls_to("POST /users/me/meetings").len(),
        before,
        "nothing refused reaches Zoom"
    );
    assert_eq!(
        app.store.meeting_count().await.unwrap(),
        3,
        "only the meetings of connecting"
    );

    app.stop().await;
}

#[tokio::test]
async fn swedish_users_get_swedish_cards_and_refusals_with_kl() {
    let app = ready().await;
    let url = schedule(&app, SVEN, "i morgon kl 10 Veckomöte").await;
    assert!(app.responses(&url).is_empty(), "no error");
    let card = cards(&app).pop().unwrap();
    let text = text_of(&card);
    assert!(
        text.contains("{date_short_pretty} kl. {time}|tis 8 dec. 2026 kl. 10.00 CET"),
        "{text}"
    );
    assert!(text.contains("Lägg till i kalendern"), "{text}");
    let url = schedule(&app, SVEN, "i dag kl 9 Morgonmöte").await;
    let shown = text_of(&app.only_response(&url));
    assert!(shown.contains("har redan passerat"), "{shown}");
    assert!(shown.contains("Tid: 09.00 (Europe/Stockholm)"), "{shown}");
    app.stop().await;
}

#[tokio::test]
async fn the_reminder_is_posted_once_at_lead_time_across_two_workers_and_a_restart() {
    let app = ready().await;
    schedule(&app, ALICE, "in 30 minutes Quick check").await;
    let card = cards(&app).pop().unwrap();
    let card_ts = app
        .store
        .latest_meeting_in(&TEAM.into(), &PUBLIC.into())
        .await
        .unwrap()
        .unwrap()
        .message_ts
        .expect("the card went out with chat.postMessage");
    assert_eq!(card["channel"], PUBLIC);
    let other = replica(&app).await;

    app.clock.advance_ms(24 * MINUTE);
    app.run_jobs().await;
    other.run_once().await.unwrap();
    assert!(reminders(&app).is_empty(), "not before the lead time");

    // A restart: a fresh process on the same database takes over from the
    // first, while the replica keeps running.
    let restarted = replica(&app).await;
    drop(other);
    let other = replica(&app).await;
    app.clock.advance_ms(MINUTE);
    let (a, b) = tokio::join!(restarted.run_once(), other.run_once());
    a.unwrap();
    b.unwrap();
    app.run_jobs().await;
    restarted.run_once().await.unwrap();
    let sent = reminders(&app);
    assert_eq!(sent.len(), 1, "one reminder: {sent:#?}");
    assert_eq!(sent[0]["channel"], PUBLIC);
    assert_eq!(
        sent[0]["thread_ts"],
        card_ts.as_str(),
        "in the card's thread"
    );
    assert!(text_of(&sent[0]).contains("Quick check"));
    let blocks = json!({ "blocks": blocks_of(&sent[0]) });
    assert!(button_url(&blocks, "meeting.join").starts_with("https://zoom.us/j/"));

    app.clock.advance_ms(60 * MINUTE);
    app.run_jobs().await;
    other.run_once().await.unwrap();
    assert_eq!(reminders(&app).len(), 1, "still one");
    app.stop().await;
}

#[tokio::test]
async fn no_reminder_when_the_lead_is_zero() {
    let app = TestApp::spawn_with(|s| {
        s.push(("ZLACK_REMINDER_LEAD_MINUTES".into(), "0".into()));
    })
    .await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.clock.set_ms(NOW_MS);
    schedule(&app, ALICE, "in 30 minutes Quick check").await;
    assert_eq!(cards(&app).len(), 1);
    app.clock.advance_ms(40 * MINUTE);
    app.run_jobs().await;
    assert!(reminders(&app).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn meeting_updated_moves_the_card_and_the_reminder() {
    let app = ready().await;
    schedule(&app, ALICE, "tomorrow 10:00 Weekly sync").await;
    let id = zoom_meeting_id(&app).await;
    // Moved in Zoom to 13:00 Stockholm (12:00 UTC), renamed, 1 h.
    let hook = zoom_event(
        "meeting.updated",
        NOW_MS + 1,
        json!({"id": id, "start_time": "2026-12-08T12:00:00Z", "duration": 60, "topic": "Weekly sync (moved)"}),
    );
    app.zoom_hook(&hook).await;
    app.zoom_hook(&hook).await;
    app.run_jobs().await;
    let updated = updates(&app);
    assert_eq!(updated.len(), 1, "the card follows, once: {updated:#?}");
    let text = text_of(&updated[0]);
    assert!(text.contains("<!date^1796731200^"), "{text}");
    assert!(text.contains("Weekly sync (moved)"), "{text}");
    assert!(text.contains("1 h"), "{text}");

    // The old reminder time passes quietly; the new one reminds once.
    app.clock.set_ms(1_796_720_400_000 - 5 * MINUTE);
    app.run_jobs().await;
    assert!(reminders(&app).is_empty(), "the old reminder does nothing");
    app.clock.set_ms(1_796_731_200_000 - 5 * MINUTE);
    app.run_jobs().await;
    let sent = reminders(&app);
    assert_eq!(sent.len(), 1);
    assert!(text_of(&sent[0]).contains("<!date^1796731200^"));
    app.stop().await;
}

#[tokio::test]
async fn meeting_deleted_cancels_the_reminder_and_marks_the_card() {
    let app = ready().await;
    schedule(&app, ALICE, "tomorrow 10:00 Weekly sync").await;
    let calendar = button_url(
        &json!({ "blocks": blocks_of(&cards(&app)[0]) }),
        "schedule.calendar",
    );
    let id = zoom_meeting_id(&app).await;
    app.zoom_hook(&zoom_event(
        "meeting.deleted",
        NOW_MS + 2,
        json!({"id": id}),
    ))
    .await;
    app.run_jobs().await;
    let updated = updates(&app);
    assert_eq!(updated.len(), 1);
    let text = text_of(&updated[0]);
    assert!(text.contains("was cancelled in Zoom"), "{text}");
    assert!(
        !blocks_of(&updated[0]).to_string().contains("meeting.join"),
        "no Join on a cancelled meeting"
    );
    app.clock.set_ms(1_796_720_400_000);
    app.run_jobs().await;
    assert!(
        reminders(&app).is_empty(),
        "no reminder for a deleted meeting"
    );
    let ics = app
        .http
        .get(app.local(&calendar))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ics.contains("STATUS:CANCELLED"), "{ics}");
    app.stop().await;
}

#[tokio::test]
async fn when_the_meeting_starts_the_card_becomes_the_live_call() {
    let app = ready().await;
    schedule(&app, ALICE, "in 10 minutes Quick check").await;
    assert!(
        app.slack.calls_to("calls.add").len() == 3,
        "only the instant meetings of connecting have a Call so far"
    );
    let id = zoom_meeting_id(&app).await;
    app.clock.advance_ms(10 * MINUTE);
    let occurrence = Occurrence::new(id, "sched-uuid-1", ZOOM_ALICE);
    app.zoom_hook(&occurrence.started(0)).await;
    app.zoom_hook(&occurrence.joined("p1", "Alice Andersson", "alice@example.com", 5))
        .await;
    app.run_jobs().await;
    let adds = app.slack.calls_to("calls.add");
    assert_eq!(adds.len(), 4, "one Call for the scheduled meeting");
    assert_eq!(adds[3].args["title"], "Quick check");
    let call_id = app
        .store
        .latest_meeting_in(&TEAM.into(), &PUBLIC.into())
        .await
        .unwrap()
        .unwrap()
        .call_id
        .expect("the Call is recorded");
    let updated: Vec<Value> = updates(&app)
        .into_iter()
        .filter(|u| u["blocks"].to_string().contains("schedule.actions"))
        .collect();
    assert_eq!(updated.len(), 1, "the card was updated once");
    let live = &updated[0];
    assert!(
        blocks_of(live).to_string().contains(&call_id),
        "the card shows the Call: {live:#?}"
    );
    let info = app.call_users(&call_id).await;
    assert_eq!(info.len(), 1, "Alice is on the Call: {info:?}");
    assert!(
        reminders(&app).is_empty(),
        "a reminder due once the meeting started says nothing the Call does not"
    );
    app.zoom_hook(&occurrence.ended(0, 600)).await;
    app.settle().await;
    assert_eq!(app.slack.calls_to("calls.end").len(), 1);
    let summary = app
        .posts()
        .into_iter()
        .map(|c| c.args)
        .find(|a| a["thread_ts"].is_string() && text_of(a).contains("Alice Andersson"));
    assert!(
        summary.is_some(),
        "the end summary follows in the card's thread"
    );
    app.stop().await;
}

/// Submits the schedule modal `view` (as Slack showed it) with `values`,
/// signed at the app's time; the answer's body (empty when accepted).
async fn submit(app: &TestApp, user: &str, view: &Value, values: Value) -> String {
    let payload = json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": user, "team_id": TEAM},
        "trigger_id": format!("trig-{}", rand_suffix()),
        "view": {
            "id": "V0SCHEDULE",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": values},
        },
    });
    let json = payload.to_string();
    let body = serde_urlencoded::to_string([("payload", json.as_str())]).unwrap();
    let response = app
        .signer
        .raw(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
            sandbox::SignAs::Slack {
                timestamp: zlack::clock::Clock::now_secs(&*app.clock),
            },
        )
        .await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

fn modal_values(date: &str, time: &str, zone: &str) -> Value {
    let e = |v: Value| json!({ "value": v });
    json!({
        "schedule.topic": e(json!({"type": "plain_text_input", "value": "Design review"})),
        "schedule.date": e(json!({"type": "datepicker", "selected_date": date})),
        "schedule.time": e(json!({"type": "timepicker", "selected_time": time})),
        "schedule.duration": e(json!({"type": "static_select", "selected_option": {"value": "45"}})),
        "schedule.zone": e(json!({"type": "static_select", "selected_option": {"value": zone}})),
        "schedule.conversation": e(json!({"type": "conversations_select", "selected_conversation": PUBLIC})),
    })
}

#[tokio::test]
async fn schedule_alone_opens_the_modal_whose_submission_schedules_the_meeting() {
    let app = ready().await;
    let url = app.slash(PUBLIC, NEW_YORKER, "schedule").await;
    app.run_jobs().await;
    assert!(app.responses(&url).is_empty(), "the modal, not a message");
    let modals = app.slack.modals_of(NEW_YORKER);
    assert_eq!(modals.len(), 1);
    let view = modals[0].view.clone();
    assert_eq!(view["callback_id"], "zlack.schedule");
    let blocks = view["blocks"].to_string();
    assert!(
        blocks.contains("\"initial_conversation\":\"C0PUBLIC\""),
        "{blocks}"
    );
    let zone = &view["blocks"][4]["element"]["initial_option"]["value"];
    assert_eq!(zone, "America/New_York", "the user's Slack time zone");
    let metadata = view["private_metadata"].as_str().unwrap();
    assert!(
        !metadata.contains("hooks.slack"),
        "no response_url: {metadata}"
    );

    // Past and clock-change times keep the modal open with the error on
    // the time; nothing reaches Zoom.
    let before = scheduled_creates(&app).len();
    for (date, time, zone, says) in [
        ("2026-12-07", "03:00", "America/New_York", "already passed"),
        ("2027-03-14", "02:30", "America/New_York", "does not exist"),
        ("2027-11-07", "01:30", "America/New_York", "happens twice"),
    ] {
        let answer = submit(&app, NEW_YORKER, &view, modal_values(date, time, zone)).await;
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer["response_action"], "errors", "{date} {time}");
        let error = answer["errors"]["schedule.time"].as_str().unwrap();
        assert!(error.contains(says), "{error}");
    }
    app.run_jobs().await;
    assert_eq!(scheduled_creates(&app).len(), before);

    let answer = submit(
        &app,
        NEW_YORKER,
        &view,
        modal_values("2026-12-08", "10:00", "America/New_York"),
    )
    .await;
    assert_eq!(answer, "", "accepted: the modal closes");
    app.run_jobs().await;
    let made = scheduled_creates(&app);
    assert_eq!(made.len(), before + 1);
    let body = made.last().unwrap();
    assert_eq!(body["start_time"], "2026-12-08T10:00:00");
    assert_eq!(body["timezone"], "America/New_York");
    assert_eq!(body["duration"], 45);
    assert_eq!(body["topic"], "Design review");
    let card = cards(&app).pop().unwrap();
    assert_eq!(card["channel"], PUBLIC);
    assert!(text_of(&card).contains("<!date^1796742000^"));
    app.stop().await;
}

#[tokio::test]
async fn schedule_alone_with_an_expired_trigger_explains_the_text_form() {
    let app = ready().await;
    let slack = app.slack.clone();
    let url = app
        .slash_with(PUBLIC, ALICE, "schedule", move |trigger| {
            slack.expire_trigger(trigger)
        })
        .await;
    app.run_jobs().await;
    let usage = text_of(&app.only_response(&url));
    assert!(
        usage.contains("/zoom schedule tomorrow 10:00 Weekly sync"),
        "{usage}"
    );
    assert!(app.slack.modals_of(ALICE).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_meeting_scheduled_weeks_ahead_still_becomes_the_live_call() {
    let app = ready().await;
    schedule(&app, ALICE, "2027-01-20 10:00 Kickoff").await;
    let id = zoom_meeting_id(&app).await;
    // 2027-01-20T09:00:00Z, 44 days later.
    app.clock.set_ms(1_800_435_600_000);
    let occurrence = Occurrence::new(id, "sched-uuid-later", ZOOM_ALICE);
    app.zoom_hook(&occurrence.started(0)).await;
    app.run_jobs().await;
    let adds = app.slack.calls_to("calls.add");
    assert_eq!(adds.last().unwrap().args["title"], "Kickoff");
    app.stop().await;
}

#[tokio::test]
async fn a_retry_after_slack_failed_makes_no_second_zoom_meeting_or_card() {
    let app = ready().await;
    app.slack.fail_next(
        "chat.postMessage",
        sandbox::Fault::ServerError { status: 503 },
        1,
    );
    schedule(&app, ALICE, "tomorrow 10:00 Weekly sync").await;
    assert!(cards(&app).is_empty(), "Slack failed the card");
    app.clock.advance_ms(MINUTE);
    app.run_jobs().await;
    assert_eq!(scheduled_creates(&app).len(), 1, "one Zoom meeting");
    assert_eq!(cards(&app).len(), 1, "one card");
    app.stop().await;
}

#[tokio::test]
async fn upcoming_meetings_are_the_hosts_not_started_not_cancelled_soonest_first() {
    let app = ready().await;
    schedule(&app, ALICE, "2026-12-24 09:00 Julfika").await;
    schedule(&app, ALICE, "tomorrow 10:00 Weekly sync").await;
    schedule(&app, SVEN, "i morgon kl 11 Veckomöte").await;
    schedule(&app, ALICE, "in 10 minutes Quick check").await;
    schedule(&app, ALICE, "2026-12-31 09:00 Cancelled later").await;
    let id = zoom_meeting_id(&app).await;
    app.zoom_hook(&zoom_event(
        "meeting.deleted",
        NOW_MS + 3,
        json!({"id": id}),
    ))
    .await;
    app.run_jobs().await;
    let upcoming = |now: i64| {
        let store = app.store.clone();
        async move {
            store
                .upcoming_scheduled(&TEAM.into(), &ALICE.into(), now, 10)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.topic.unwrap_or_default())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        upcoming(NOW_MS).await,
        ["Quick check", "Weekly sync", "Julfika"]
    );
    assert_eq!(
        upcoming(NOW_MS + 11 * MINUTE).await,
        ["Weekly sync", "Julfika"]
    );
    app.stop().await;
}

/// A submission names its conversation itself, so zlack checks it: a
/// channel the submitter is not a member of, or one the bot cannot read,
/// gets no meeting and no card, and the submitter is told why.
#[tokio::test]
async fn a_modal_announces_only_in_a_channel_the_submitter_is_a_member_of() {
    let app = ready().await;
    app.slack.set_members("C0OTHER", &[ALICE]);
    app.slack
        .add_channel("G0SECRET", sandbox::ChannelKind::Private, false);
    let url = app.slash(PUBLIC, NEW_YORKER, "schedule").await;
    app.run_jobs().await;
    assert!(app.responses(&url).is_empty());
    let view = app.slack.modals_of(NEW_YORKER)[0].view.clone();
    let before = scheduled_creates(&app).len();
    for channel in ["C0OTHER", "G0SECRET"] {
        let mut values = modal_values("2026-12-08", "10:00", "America/New_York");
        values["schedule.conversation"]["value"]["selected_conversation"] = channel.into();
        let answer = submit(&app, NEW_YORKER, &view, values).await;
        assert_eq!(
            answer, "",
            "the modal closes; the refusal comes as a message"
        );
        app.run_jobs().await;
        assert_eq!(scheduled_creates(&app).len(), before, "no Zoom meeting");
        assert!(
            app.posts().iter().all(|c| c.args["channel"] != channel),
            "nothing posted in {channel}"
        );
        let told = app
            .posts()
            .into_iter()
            .filter(|c| c.args["channel"] == NEW_YORKER)
            .filter(|c| {
                c.args
                    .to_string()
                    .contains("announces only in a channel you are a member of and")
            })
            .count();
        assert!(told >= 1, "the submitter hears why about {channel}");
    }

    // A member of the channel it names: scheduled and announced there.
    app.slack.set_members("C0OTHER", &[ALICE, NEW_YORKER]);
    let mut values = modal_values("2026-12-08", "10:00", "America/New_York");
    values["schedule.conversation"]["value"]["selected_conversation"] = "C0OTHER".into();
    assert_eq!(submit(&app, NEW_YORKER, &view, values).await, "");
    app.run_jobs().await;
    assert_eq!(scheduled_creates(&app).len(), before + 1);
    assert_eq!(cards(&app).pop().unwrap()["channel"], "C0OTHER");
    app.stop().await;
}

/// The Home tab lists what Zoom lists as upcoming: a meeting scheduled
/// with `/zoom schedule` is among them on its host's tab. At the fakes'
/// own time, which is the time Zoom lists meetings by.
#[tokio::test]
async fn a_meeting_scheduled_with_zlack_shows_on_its_hosts_home_tab() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.clock.advance_ms(zlack::flows::home::WINDOW_MS);
    app.run_jobs().await;
    let published = app.slack.calls_to("views.publish").len();
    let url = app
        .slash(PUBLIC, ALICE, "schedule in 2 hours 30m Home check")
        .await;
    app.run_jobs().await;
    assert!(app.responses(&url).is_empty(), "no refusal");
    assert_eq!(scheduled_creates(&app).len(), 1);
    app.clock.advance_ms(zlack::flows::home::WINDOW_MS);
    app.run_jobs().await;
    assert!(app.slack.calls_to("views.publish").len() > published);
    let home = app
        .slack
        .home_view(ALICE)
        .expect("scheduling publishes the host's Home tab");
    sandbox::FakeSlack::check_view(&home.view, "home").expect("a valid Home view");
    assert!(
        home.view.to_string().contains("Home check"),
        "{:#}",
        home.view
    );
    app.stop().await;
}

/// A host who starts the meeting before the reminder is due: the card is
/// already the live Call, so no "starts soon" reminder follows.
#[tokio::test]
async fn a_meeting_started_early_gets_no_reminder() {
    let app = ready().await;
    schedule(&app, ALICE, "in 30 minutes Quick check").await;
    let id = zoom_meeting_id(&app).await;
    app.clock.advance_ms(10 * MINUTE);
    let occurrence = Occurrence::new(id, "early-uuid-1", ZOOM_ALICE);
    app.zoom_hook(&occurrence.started(0)).await;
    app.run_jobs().await;
    assert_eq!(app.slack.calls_to("calls.add").len(), 4, "the live Call");
    app.clock.advance_ms(15 * MINUTE);
    app.run_jobs().await;
    assert!(
        reminders(&app).is_empty(),
        "no reminder of a meeting under way: {:#?}",
        reminders(&app)
    );
    app.stop().await;
}

/// `meeting.updated` and `meeting.deleted` change only meetings zlack
/// scheduled: an instant `/zoom` meeting's card and an unknown meeting
/// are left alone.
#[tokio::test]
async fn changes_to_meetings_zlack_did_not_schedule_are_left_alone() {
    let app = ready().await;
    let instant = zoom_meeting_id(&app).await;
    let posts = app.posts().len();
    let before = updates(&app).len();
    for (n, id) in [instant, 99_999_999_999].into_iter().enumerate() {
        let n = n as i64 * 2;
        app.zoom_hook(&zoom_event(
            "meeting.updated",
            NOW_MS + n + 1,
            json!({"id": id, "start_time": "2026-12-08T12:00:00Z", "topic": "Hijacked"}),
        ))
        .await;
        app.zoom_hook(&zoom_event(
            "meeting.deleted",
            NOW_MS + n + 2,
            json!({"id": id}),
        ))
        .await;
    }
    app.run_jobs().await;
    app.clock.advance_ms(24 * 60 * MINUTE);
    app.run_jobs().await;
    assert_eq!(updates(&app).len(), before, "no card changed");
    assert_eq!(app.posts().len(), posts, "nothing posted");
    let row = app
        .store
        .latest_meeting_in(&TEAM.into(), &PUBLIC.into())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(row.topic.as_deref(), Some("Hijacked"));
    app.stop().await;
}
