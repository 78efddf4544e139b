//! A meeting's life after its announcement, driven by Zoom's webhooks:
//! the live Slack Call, the end summary, the recording and the AI summary,
//! each exactly once whatever Zoom repeats, reorders or delays.

use std::collections::BTreeSet;
use std::time::Duration;

use sandbox::Fault;
use serde_json::json;
use zlack::clock::Clock;
use zlack::store::{MeetingRow, NewJob, PostedVia, RecordedNotice};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::meetings::{Occurrence, Post, text_of};
use crate::helpers::people::*;

const GUEST: &str = "pu-guest";
const ALICE_KEY: &str = "pu-alice";

/// Alice starts a meeting in `channel`; returns the row and its occurrence.
async fn started_in(app: &TestApp, channel: &str) -> (MeetingRow, Occurrence) {
    app.connect(channel, ALICE).await;
    let row = app.announce(channel, ALICE, "meeting Weekly sync").await;
    let id = row.zoom_meeting_id.expect("Zoom made the meeting");
    let uuid = row
        .zoom_uuid
        .clone()
        .map_or_else(|| format!("uuid-{id}=="), String::from);
    (row, Occurrence::new(id, &uuid, ZOOM_ALICE))
}

/// The whole life of a meeting, in Zoom's usual order.
fn life(o: &Occurrence) -> Vec<serde_json::Value> {
    vec![
        o.started(0),
        o.joined(ALICE_KEY, "Alice Andersson", "ALICE@example.com", 5),
        o.joined(GUEST, "Gästen Gustav", "", 60),
        o.left(GUEST, "Gästen Gustav", 900),
        o.left(ALICE_KEY, "Alice Andersson", 1800),
        o.ended(0, 1800),
        o.recording(&[(10, 1790)], Some("s3cr3t-pass")),
        o.transcript(),
        o.summary(
            "Weekly sync",
            Some("We agreed on the plan."),
            &["Ship it", "Tell Sven"],
        ),
    ]
}

#[tokio::test]
async fn every_event_delivered_three_times_gives_exactly_one_slack_effect() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (row, o) = started_in(&app, PUBLIC).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    let posts_before = app.posts_after(0).len();
    for event in life(&o) {
        // Zoom's own retries (the same body, kept out by the inbox), and
        // the same event under another `event_ts`, which gets past the
        // inbox and must change nothing when folded in again.
        let mut again = event.clone();
        again["event_ts"] = (event["event_ts"].as_i64().unwrap() + 3).into();
        for body in [&event, &event, &again] {
            app.zoom_hook(body).await;
            app.run_jobs().await;
        }
    }
    app.settle().await;

    // The Call: Alice as herself (her Zoom email maps to her, in any case),
    // the guest as an external participant; both added once, the guest
    // removed once while the meeting ran, and the Call ended once with
    // Zoom's duration, listing everyone who took part.
    let adds = app.ok_calls("calls.participants.add");
    let added: Vec<String> = adds.iter().map(|c| c.args["users"].to_string()).collect();
    assert_eq!(adds.len(), 3, "{added:?}");
    assert!(added[0].contains(ALICE), "{added:?}");
    assert!(added[1].contains(GUEST) && added[1].contains("Gästen Gustav"));
    assert_eq!(app.ok_calls("calls.participants.remove").len(), 2);
    let ends = app.ok_calls("calls.end");
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].args["id"], call_id.as_str());
    assert_eq!(
        ends[0].args["duration"].to_string().trim_matches('"'),
        "1800"
    );
    let users = app.call_users(&call_id).await;
    assert_eq!(
        users,
        BTreeSet::from([ALICE.to_owned(), format!("{GUEST}:Gästen Gustav")])
    );

    // One end summary, one recording notice, one AI summary, all in the
    // meeting's thread; the passcode only in Alice's DM, once.
    let posts = app.posts_after(posts_before);
    let threaded: Vec<&Post> = posts.iter().filter(|p| p.threaded).collect();
    assert_eq!(threaded.len(), 3, "{posts:#?}");
    assert!(threaded.iter().all(|p| p.channel == PUBLIC));
    let summary = threaded
        .iter()
        .find(|p| p.text.contains("Gästen Gustav"))
        .expect("end summary");
    assert!(summary.text.contains("Alice Andersson"), "{}", summary.text);
    let recording = threaded
        .iter()
        .find(|p| p.text.contains("https://zoom.us/rec/share/"))
        .expect("recording notice");
    assert!(
        !recording.text.contains("s3cr3t-pass"),
        "no passcode in the channel"
    );
    let ai = threaded
        .iter()
        .find(|p| p.text.contains("We agreed on the plan."))
        .expect("AI summary");
    assert!(ai.text.contains("Tell Sven"));
    let dms: Vec<&Post> = posts.iter().filter(|p| p.channel == ALICE).collect();
    assert_eq!(dms.len(), 1, "{posts:#?}");
    assert!(dms[0].text.contains("s3cr3t-pass"));
    assert_eq!(posts.len(), 4, "{posts:#?}");
    for kind in [
        RecordedNotice::EndSummary,
        RecordedNotice::Recording,
        RecordedNotice::RecordingPasscode,
        RecordedNotice::AiSummary,
    ] {
        assert_eq!(app.store.notice_count(kind).await.unwrap(), 1, "{kind:?}");
    }

    // Notice jobs run again (as after a lost lease) find their notices out.
    let occurrence = app.store.occurrence_ids().await.unwrap()[0];
    let now = app.clock.now_ms();
    let again: Vec<NewJob> = ["end_summary", "recording", "ai_summary"]
        .iter()
        .map(|notice| {
            let payload = json!({"occurrence": occurrence, "notice": notice, "team": TEAM});
            NewJob::new("meeting.notice", format!("again:{notice}"), payload, now)
        })
        .collect();
    app.store.enqueue_now(&again, now).await.unwrap();
    assert_eq!(app.run_jobs().await.len(), 3);
    assert_eq!(
        app.posts_after(posts_before).len(),
        4,
        "nothing was posted again"
    );
    app.stop().await;
}

/// What Slack shows at the end: the Call's participants and whether and
/// how long it ended, and every post.
async fn final_state(
    app: &TestApp,
    call_id: &str,
    skip: usize,
) -> (BTreeSet<String>, String, Vec<Post>) {
    let call = app.call_info(call_id).await;
    let ended = format!("{}", call["duration"]);
    let mut posts = app.posts_after(skip);
    posts.sort();
    (app.call_users(call_id).await, ended, posts)
}

#[tokio::test]
async fn shuffled_events_give_the_same_final_slack_state_as_in_order() {
    // Orders: as Zoom usually sends them; participant left after the end
    // and the recording before it; the AI summary first and everything
    // backwards.
    let orders: [&[usize]; 3] = [
        &[0, 1, 2, 3, 4, 5, 6, 7, 8],
        &[0, 1, 2, 6, 5, 3, 4, 8, 7],
        &[8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    let mut states = Vec::new();
    for order in orders {
        let app = TestApp::spawn().await;
        app.install_workspace().await;
        let (row, o) = started_in(&app, PUBLIC).await;
        let skip = app.posts_after(0).len();
        let events = life(&o);
        for i in order {
            app.zoom_hook(&events[*i]).await;
            app.run_jobs().await;
        }
        app.settle().await;
        let call_id = row.call_id.clone().unwrap();
        let mut state = final_state(&app, &call_id, skip).await;
        // Meeting numbers differ between the worlds; the rest must not.
        for post in &mut state.2 {
            post.text = post.text.replace(&o.meeting_id.to_string(), "<id>");
        }
        assert_eq!(state.1, "1800", "the Call ended with Zoom's duration");
        states.push(state);
        app.stop().await;
    }
    assert_eq!(states[0], states[1]);
    assert_eq!(states[0], states[2]);
}

#[tokio::test]
async fn a_slack_429_storm_at_meeting_end_delays_every_notice_and_doubles_none() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = started_in(&app, PUBLIC).await;
    let skip = app.posts_after(0).len();
    let attempts_before = app.slack.calls_to("chat.postMessage").len();
    // Slack answers every post with 429 and Retry-After: 120 for a while.
    let storm = Duration::from_millis(1500);
    let storm_began = std::time::Instant::now();
    app.slack.fail_for(
        "chat.postMessage",
        Fault::RateLimited {
            retry_after_secs: 120,
        },
        storm,
    );
    app.zoom_hook(&o.ended(0, 1800)).await;
    app.zoom_hook(&o.recording(&[(0, 1800)], None)).await;
    app.zoom_hook(&o.summary("Sync", Some("Short."), &[])).await;
    app.run_jobs().await;
    let tried = app.slack.calls_to("chat.postMessage").len() - attempts_before;
    assert!(tried >= 1, "a notice tried and was told to wait");
    assert!(app.posts_after(skip).is_empty());

    // Short of Retry-After nothing is tried again, by any notice.
    app.clock.advance_ms((119) * 1000);
    app.run_jobs().await;
    assert_eq!(
        app.slack.calls_to("chat.postMessage").len() - attempts_before,
        tried,
        "Retry-After was respected"
    );

    tokio::time::sleep(storm.saturating_sub(storm_began.elapsed())).await;
    app.clock.advance_ms((2) * 1000);
    app.run_jobs().await;
    // Backoff for the notices that never reached Slack is short.
    for _ in 0..5 {
        app.clock.advance_ms((30) * 1000);
        app.run_jobs().await;
    }
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 3, "{posts:#?}");
    let texts: BTreeSet<String> = posts.iter().map(|p| p.text.clone()).collect();
    assert_eq!(texts.len(), 3, "no notice twice");
    app.stop().await;
}

#[tokio::test]
async fn a_conversation_that_refuses_the_app_sends_the_notice_to_the_hosts_dm_once() {
    for code in ["not_in_channel", "channel_not_found"] {
        let app = TestApp::spawn().await;
        app.install_workspace().await;
        let (_, o) = started_in(&app, PUBLIC).await;
        let skip = app.posts_after(0).len();
        // The response_url ran out long ago, and the app was removed.
        app.clock.advance_ms((40 * 60) * 1000);
        app.slack.fail_next(
            "chat.postMessage",
            Fault::SlackError { error: code.into() },
            1,
        );
        let ended = o.ended(0, 600);
        app.zoom_hook(&ended).await;
        app.zoom_hook(&ended).await;
        app.settle().await;
        let posts = app.posts_after(skip);
        assert_eq!(posts.len(), 1, "{code}: {posts:#?}");
        assert_eq!(posts[0].channel, ALICE, "{code}: the host's DM");
        assert!(
            posts[0].text.contains(&format!("<#{PUBLIC}>")),
            "{}",
            posts[0].text
        );
        assert!(posts[0].text.contains("/invite"), "says how to add the app");
        app.stop().await;
    }
}

#[tokio::test]
async fn notices_follow_each_conversation_kind_and_the_workspace_policy() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;

    // A private channel the app is not in: the card went through the
    // response_url, so the summary does too while it works.
    let row = app.announce(PRIVATE, ALICE, "meeting Private sync").await;
    assert_eq!(row.posted_via, Some(PostedVia::ResponseUrl));
    let o = Occurrence::new(row.zoom_meeting_id.unwrap(), "private-1==", ZOOM_ALICE);
    let skip = app.posts_after(0).len();
    app.zoom_hook(&o.ended(0, 60)).await;
    app.settle().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].channel, "response_url");

    // Later, the recording goes to Alice, with a word on adding the app.
    app.clock.advance_ms((31 * 60) * 1000);
    let skip = app.posts_after(0).len();
    app.zoom_hook(&o.recording(&[(0, 60)], Some("pw-private")))
        .await;
    app.run_jobs().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert_eq!(posts[0].channel, ALICE);
    assert!(
        posts[0].text.contains("pw-private"),
        "the host may see the passcode"
    );
    assert!(posts[0].text.contains("/invite"));

    // A DM between two people: no app may post there, so after the
    // response_url the host's DM, without advice to add the app.
    let row = app.announce(DM, ALICE, "meeting Just us").await;
    let o = Occurrence::new(row.zoom_meeting_id.unwrap(), "dm-1==", ZOOM_ALICE);
    app.clock.advance_ms((31 * 60) * 1000);
    let skip = app.posts_after(0).len();
    app.zoom_hook(&o.ended(0, 60)).await;
    app.settle().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].channel, ALICE);
    assert!(
        posts[0].text.contains("a direct message"),
        "{}",
        posts[0].text
    );
    assert!(!posts[0].text.contains("/invite"));

    // The workspace keeps recordings from conversations: host only, then nowhere.
    app.store
        .set_recording_policy(&TEAM.into(), "host_only")
        .await
        .unwrap();
    let row = app.announce(PUBLIC, ALICE, "meeting Policy").await;
    let o = Occurrence::new(row.zoom_meeting_id.unwrap(), "policy-1==", ZOOM_ALICE);
    let skip = app.posts_after(0).len();
    app.zoom_hook(&o.recording(&[(0, 60)], Some("pw-policy")))
        .await;
    app.zoom_hook(&o.summary("Policy", Some("Overview"), &[]))
        .await;
    app.run_jobs().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert!(
        posts
            .iter()
            .all(|p| p.channel == ALICE && !p.text.contains("/invite"))
    );
    app.store
        .set_recording_policy(&TEAM.into(), "nowhere")
        .await
        .unwrap();
    let o2 = Occurrence::new(o.meeting_id, "policy-2==", ZOOM_ALICE);
    let skip = app.posts_after(0).len();
    app.zoom_hook(&o2.recording(&[(0, 60)], Some("pw"))).await;
    app.zoom_hook(&o2.ended(0, 60)).await;
    app.settle().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 1, "only the end summary: {posts:#?}");
    assert!(posts[0].threaded);
    app.stop().await;
}

#[tokio::test]
async fn events_of_meetings_zlack_never_announced_are_acknowledged_and_ignored() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let stranger = Occurrence::new(987_654_321, "stranger==", "zu_nobody");
    let before = app.slack.calls().len();
    for event in life(&stranger) {
        app.zoom_hook(&event).await;
    }
    let ran = app.run_jobs().await;
    assert!(
        ran.iter()
            .all(|r| matches!(r.settlement, zlack::store::Settlement::Done))
    );
    assert_eq!(app.slack.calls().len(), before, "Slack heard nothing");
    assert_eq!(app.store.inbox_count().await.unwrap(), 9);
    app.stop().await;
}

#[tokio::test]
async fn personal_meetings_match_the_newest_current_announcement_in_each_conversation() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    let old = app.announce(PUBLIC, ALICE, "join me").await;
    let newest = app.announce(PUBLIC, ALICE, "join me").await;
    let elsewhere = app.announce(GROUP_DM, ALICE, "join me").await;
    let pmi = newest.zoom_meeting_id.unwrap();
    assert_eq!(old.zoom_meeting_id, Some(pmi));
    assert_eq!(elsewhere.zoom_meeting_id, Some(pmi));
    let ended_calls = || {
        let mut ids: Vec<String> = app
            .ok_calls("calls.end")
            .iter()
            .map(|c| c.args["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };

    // Monday's occurrence ends: the newest card in each conversation gets
    // its summary (the group chat through its response_url), and each of
    // their Calls ends once; the older card is left alone.
    let skip = app.posts_after(0).len();
    let monday = Occurrence::new(pmi, "monday==", ZOOM_ALICE);
    app.zoom_hook(&monday.ended(0, 600)).await;
    app.settle().await;
    let mut want = vec![
        newest.call_id.clone().unwrap(),
        elsewhere.call_id.clone().unwrap(),
    ];
    want.sort();
    assert_eq!(ended_calls(), want);
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 2, "{posts:#?}");
    let public = posts.iter().find(|p| p.channel == PUBLIC).unwrap();
    assert!(public.threaded);
    assert!(posts.iter().any(|p| p.channel == "response_url"));

    // The host restarts at once (a new UUID): still the announced meeting,
    // summarised again, but its Call is not ended a second time.
    let skip = app.posts_after(0).len();
    let restart = Occurrence::new(pmi, "monday-again==", ZOOM_ALICE);
    app.zoom_hook(&restart.ended(700, 900)).await;
    app.settle().await;
    assert_eq!(app.posts_after(skip).len(), 2);
    assert_eq!(ended_calls(), want, "each Call ended once");

    // Tuesday, the same personal meeting unannounced: nothing is posted
    // anywhere, and no Call changes.
    app.clock.advance_ms(20 * 60 * 1000);
    let skip = app.posts_after(0).len();
    let slack_before = app.slack.calls().len();
    let tuesday = Occurrence::new(pmi, "tuesday==", ZOOM_ALICE);
    app.zoom_hook(&tuesday.joined("pu-x", "Private guest", "", 5))
        .await;
    app.zoom_hook(&tuesday.ended(0, 1200)).await;
    app.zoom_hook(&tuesday.recording(&[(0, 1200)], None)).await;
    app.settle().await;
    assert!(
        app.posts_after(skip).is_empty(),
        "a used-up card binds nothing new"
    );
    assert_eq!(app.slack.calls().len(), slack_before);

    // A new card binds the next occurrence; a late recording of Monday's
    // still goes under Monday's card, never the new one.
    let fresh = app.announce(PUBLIC, ALICE, "join me").await;
    let skip = app.posts_after(0).len();
    let wednesday = Occurrence::new(pmi, "wednesday==", ZOOM_ALICE);
    app.zoom_hook(&wednesday.ended(0, 300)).await;
    app.zoom_hook(&monday.recording(&[(0, 600)], None)).await;
    app.settle().await;
    let threads: Vec<(String, String)> = app
        .ok_calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.args["channel"] == PUBLIC && c.args.get("thread_ts").is_some())
        .map(|c| {
            (
                c.args["thread_ts"].as_str().unwrap().to_owned(),
                text_of(&c.args),
            )
        })
        .collect();
    let recording = threads
        .iter()
        .rev()
        .find(|(_, text)| text.contains("/rec/share/"))
        .expect("Monday's recording");
    assert_eq!(Some(&recording.0), newest.message_ts.as_ref());
    let summary = threads
        .iter()
        .rev()
        .find(|(_, text)| text.contains("has ended"))
        .expect("Wednesday's summary");
    assert_eq!(Some(&summary.0), fresh.message_ts.as_ref());
    assert!(app.posts_after(skip).len() >= 2);
    app.stop().await;
}

#[tokio::test]
async fn only_workspace_admins_see_and_change_where_recordings_go() {
    use crate::helpers::slash::find_button;
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let press = |user: &'static str, action: &'static str| {
        let response_url = app.slack.new_response_url();
        let payload = json!({
            "type": "block_actions", "trigger_id": format!("t-{user}-{action}"),
            "response_url": response_url, "team": {"id": TEAM}, "user": {"id": user},
            "actions": [{"action_id": action, "type": "button"}]
        });
        (payload, response_url)
    };
    let policy = || async {
        app.store
            .recording_policy(&TEAM.into())
            .await
            .unwrap()
            .unwrap()
    };

    // Sven is no admin: his card has no workspace section, and a forged
    // press of its button changes nothing.
    let url = app.config_card(PUBLIC, SVEN).await;
    app.run_jobs().await;
    assert!(find_button(&app.only_response(&url), "config.recordings.nowhere").is_none());
    let (payload, _) = press(SVEN, "config.recordings.nowhere");
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
    assert_eq!(policy().await, "conversation");

    // Alice is an admin: she sees the choice and her press sticks.
    app.slack.set_admin(ALICE, true);
    let url = app.config_card(PUBLIC, ALICE).await;
    app.run_jobs().await;
    let card = app.only_response(&url);
    let current = find_button(&card, "config.recordings.conversation").expect("admin section");
    assert_eq!(current["style"], "primary");
    let (payload, response_url) = press(ALICE, "config.recordings.host_only");
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
    assert_eq!(policy().await, "host_only");
    let redrawn = app.only_response(&response_url);
    assert_eq!(
        find_button(&redrawn, "config.recordings.host_only").unwrap()["style"],
        "primary"
    );
    app.stop().await;
}

#[tokio::test]
async fn several_recording_events_make_one_notice_that_is_edited_to_list_every_part() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = started_in(&app, PUBLIC).await;
    let skip = app.posts_after(0).len();
    let first = o.recording(&[(0, 600)], Some("pw-1"));
    let second = o.recording(&[(0, 600), (700, 1500)], Some("pw-1"));
    app.zoom_hook(&first).await;
    app.run_jobs().await;
    app.zoom_hook(&second).await;
    app.zoom_hook(&second).await;
    app.zoom_hook(&first).await;
    app.run_jobs().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 2, "one notice and one passcode DM: {posts:#?}");
    let updates = app.ok_calls("chat.update");
    // The channel's notice and the host's DM each edited once, to list
    // both parts; the channel's still without the passcode.
    assert_eq!(updates.len(), 2, "{updates:#?}");
    let channel_update = updates
        .iter()
        .find(|u| u.args["channel"] == PUBLIC)
        .unwrap();
    let text = text_of(&channel_update.args);
    assert!(text.contains("Files (2)"), "{text}");
    assert!(!text.contains("pw-1"));
    let dm_update = updates
        .iter()
        .find(|u| u.args["channel"] != PUBLIC)
        .unwrap();
    assert!(text_of(&dm_update.args).contains("pw-1"));
    app.stop().await;
}

#[tokio::test]
async fn zoom_fills_in_what_the_webhooks_lack() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = started_in(&app, PUBLIC).await;
    let skip = app.posts_after(0).len();
    // Someone whose webhooks never came, in Zoom's participant list.
    app.zoom.set_past_participants(
        &o.uuid,
        vec![
            json!({"id": "", "user_id": "1", "name": "Alice Andersson", "user_email": "alice@example.com",
                   "join_time": "2026-11-27T10:00:05Z", "leave_time": "2026-11-27T10:30:00Z"}),
            json!({"id": "", "user_id": "2", "name": "Dialled-in Dora", "user_email": "",
                   "join_time": "2026-11-27T10:10:00Z", "leave_time": "2026-11-27T10:20:00Z"}),
        ],
    );
    // The AI summary webhook carries only a title: the rest is fetched.
    app.zoom.set_summary(
        &o.uuid,
        json!({"meeting_uuid": o.uuid, "summary_title": "Sync", "summary_overview": "Fetched overview.",
               "next_steps": ["Fetched step"]}),
    );
    app.zoom_hook(&o.joined(ALICE_KEY, "Alice Andersson", "alice@example.com", 5))
        .await;
    app.zoom_hook(&o.ended(0, 1800)).await;
    app.zoom_hook(&o.summary("Sync", None, &[])).await;
    app.settle().await;
    let posts = app.posts_after(skip);
    let summary = posts
        .iter()
        .find(|p| p.text.contains("Participants"))
        .unwrap();
    assert!(
        summary.text.contains("Participants (2)"),
        "{}",
        summary.text
    );
    assert!(summary.text.contains("Dialled-in Dora"));
    let ai = posts
        .iter()
        .find(|p| p.text.contains("AI Companion"))
        .unwrap();
    assert!(ai.text.contains("Fetched overview.") && ai.text.contains("Fetched step"));
    let asked: Vec<String> = app.zoom.calls().iter().map(|c| c.method.clone()).collect();
    assert!(
        asked.iter().any(|m| m.starts_with("GET /past_meetings/")),
        "{asked:?}"
    );
    assert!(
        asked.iter().any(|m| m.ends_with("/meeting_summary")),
        "{asked:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_swedish_host_reads_the_notices_in_swedish_in_their_time_zone() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, SVEN).await;
    let row = app.announce(PUBLIC, SVEN, "meeting Veckomöte").await;
    let o = Occurrence::new(row.zoom_meeting_id.unwrap(), "sv-1==", ZOOM_SVEN);
    let skip = app.posts_after(0).len();
    app.zoom_hook(&o.joined("pu-sven", "Sven Svensson", "sven@example.com", 0))
        .await;
    app.zoom_hook(&o.ended(0, 2700)).await;
    app.settle().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 1);
    // 10:00 UTC is 11:00 in Stockholm in November.
    assert!(
        posts[0].text.contains("Mötet har avslutats"),
        "{}",
        posts[0].text
    );
    assert!(
        posts[0].text.contains("|27 nov. 2026 11:00> – <!date^")
            && posts[0].text.contains("^{time}|11:45>"),
        "{}",
        posts[0].text
    );
    assert!(posts[0].text.contains(&format!("<@{SVEN}>")));
    app.stop().await;
}

#[tokio::test]
async fn a_recording_change_while_its_notice_is_on_its_way_still_reaches_slack() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (_, o) = started_in(&app, PUBLIC).await;
    let skip = app.posts_after(0).len();
    let posted_before = app.slack.calls_to("chat.postMessage").len();
    // Slack takes its time with the first notice, worded with one part...
    app.slack.fail_next(
        "chat.postMessage",
        Fault::Slow {
            delay: Duration::from_millis(1500),
        },
        1,
    );
    app.zoom_hook(&o.recording(&[(0, 600)], None)).await;
    let worker = app.worker.clone();
    let first = tokio::spawn(async move {
        for _ in 0..20 {
            if worker.run_once().await.unwrap().is_empty() {
                break;
            }
        }
    });
    // (Slack records a call once it has answered: watch the job instead.)
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let jobs = app.store.list_jobs(None, 10).await.unwrap();
        if jobs
            .iter()
            .any(|j| j.kind == "meeting.notice" && j.attempts == 1)
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the notice job never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.slack.calls_to("chat.postMessage").len(), posted_before);
    // ...while Zoom reports a second part.
    app.zoom_hook(&o.recording(&[(0, 600), (700, 1500)], None))
        .await;
    app.run_jobs().await;
    first.await.unwrap();
    app.clock.advance_ms(60_000);
    app.run_jobs().await;
    let posts = app.posts_after(skip);
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert!(posts[0].text.contains("Files (1)"), "{}", posts[0].text);
    let updates = app.ok_calls("chat.update");
    assert_eq!(updates.len(), 1, "the notice was edited once it was out");
    assert!(text_of(&updates[0].args).contains("Files (2)"));
    app.stop().await;
}

#[tokio::test]
async fn a_removal_whose_answer_was_lost_does_not_drop_the_member_from_the_ended_call() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let (row, o) = started_in(&app, PUBLIC).await;
    let call_id = row.call_id.clone().expect("a Slack Call");
    for event in [
        o.started(0),
        o.joined(ALICE_KEY, "Alice Andersson", "ALICE@example.com", 5),
        o.joined(GUEST, "Gästen Gustav", "", 60),
    ] {
        app.zoom_hook(&event).await;
        app.run_jobs().await;
    }
    // Slack removes the guest, but its answer never arrives: zlack cannot
    // know whether the removal happened (as when it dies waiting).
    app.slack.fail_next(
        "calls.participants.remove",
        Fault::AnswerLost { status: 504 },
        1,
    );
    app.zoom_hook(&o.left(GUEST, "Gästen Gustav", 900)).await;
    app.run_jobs().await;
    assert!(
        !app.call_users(&call_id)
            .await
            .iter()
            .any(|u| u.contains(GUEST))
    );
    // The meeting ends before the removal is tried again: the ended Call
    // lists everyone who took part, the guest included.
    app.zoom_hook(&o.left(ALICE_KEY, "Alice Andersson", 1800))
        .await;
    app.zoom_hook(&o.ended(0, 1800)).await;
    app.settle().await;
    assert_eq!(app.ok_calls("calls.end").len(), 1);
    assert_eq!(
        app.call_users(&call_id).await,
        BTreeSet::from([ALICE.to_owned(), format!("{GUEST}:Gästen Gustav")])
    );
}
