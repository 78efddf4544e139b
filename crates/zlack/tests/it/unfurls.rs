//! Zoom links pasted in Slack: whiteboards, meetings and recordings
//! unfurled with only what the sharer may see; whiteboard previews served
//! by zlack; whiteboard share notices.

use sandbox::{PREVIEW_PNG, slack_event_callback, zoom_event};
use serde_json::{Value, json};
use zlack::clock::Clock;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::meetings::Occurrence;
use crate::helpers::people::*;
use crate::helpers::slash::find_button;

const BOARD: &str = "6iktP8hJT3e5qaCuwFuAGg";
pub(crate) const BOARD_URL: &str =
    "https://us05whiteboard.zoom.us/wb/db/6iktP8hJT3e5qaCuwFuAGg/p/180968285929472";
pub(crate) const SECRET_NAME: &str = "Q3 acquisition plan";

/// Everything about the board a reader who may not see it must not see.
pub(crate) fn leaks(unfurl: &Value) -> Vec<&'static str> {
    let json = unfurl.to_string();
    [
        "Q3 acquisition",
        "Alice Andersson",
        "Sven Svensson",
        "/preview/",
        "2026",
        "!date",
    ]
    .into_iter()
    .filter(|secret| json.contains(secret))
    .collect()
}

/// The board as Zoom describes it, and who may read it.
pub(crate) fn board(readers: &[&str]) -> (Value, Vec<String>) {
    let body = json!({
        "whiteboard_id": BOARD,
        "name": SECRET_NAME,
        "created_by_display_name": "Alice Andersson",
        "modified_by_display_name": "Sven Svensson",
        "modified_at": "2026-11-26T14:30:00Z",
        "share_link": format!("https://us05whiteboard.zoom.us/wb/db/{BOARD}"),
    });
    (body, readers.iter().map(|r| (*r).to_owned()).collect())
}

pub(crate) fn add_board(app: &TestApp, readers: &[&str]) {
    let (body, readers) = board(readers);
    let readers: Vec<&str> = readers.iter().map(String::as_str).collect();
    app.zoom.add_whiteboard(body, &readers);
}

/// `user` pastes `links`: in the composer, or in a message in PUBLIC.
pub(crate) async fn paste(app: &TestApp, user: &str, links: &[&str], composer: bool) {
    paste_in(app, PUBLIC, user, links, composer).await
}

/// A private channel the app is in, shared with nobody outside.
const CLOSED: &str = "C0CLOSED";

pub(crate) async fn paste_in(
    app: &TestApp,
    channel: &str,
    user: &str,
    links: &[&str],
    composer: bool,
) {
    let links: Vec<Value> = links
        .iter()
        .map(|url| {
            let domain = url::Url::parse(url).unwrap().host_str().unwrap().to_owned();
            json!({"domain": domain, "url": url})
        })
        .collect();
    let event = if composer {
        json!({"type": "link_shared", "channel": "COMPOSER", "is_bot_user_member": false,
               "user": user, "message_ts": "Uxxxxxxx-909b5454-75f8-4ac4-b325-1b40e230bbd8",
               "unfurl_id": "Uxxxxxxx-909b5454-75f8-4ac4-b325-1b40e230bbd8", "source": "composer",
               "links": links, "user_locale": "en-US"})
    } else {
        json!({"type": "link_shared", "channel": channel, "is_bot_user_member": true, "user": user,
               "message_ts": "1764252000.000200", "source": "conversations_history",
               "unfurl_id": format!("{channel}.1764252000.000200.abcdef"),
               "links": links, "user_locale": "en-US", "event_ts": "1764252001.000300"})
    };
    let id = format!("Ev{}", rand_id());
    let body = slack_event_callback(TEAM, &id, event);
    assert_eq!(app.signer.slack_event(&body).await.status(), 200);
    app.run_jobs().await;
}

fn rand_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    format!("{:010}", N.fetch_add(1, Ordering::Relaxed))
}

/// The `unfurls` of every `chat.unfurl` call so far, with its arguments.
pub(crate) fn unfurl_calls(app: &TestApp) -> Vec<(Value, Value)> {
    app.slack
        .calls_to("chat.unfurl")
        .into_iter()
        .filter(|c| c.succeeded())
        .map(|c| {
            let unfurls = match &c.args["unfurls"] {
                Value::String(s) => serde_json::from_str(s).unwrap(),
                other => other.clone(),
            };
            (c.args.clone(), unfurls)
        })
        .collect()
}

#[tokio::test]
async fn composer_and_message_links_are_unfurled_in_one_call_each() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    add_board(&app, &[ZOOM_ALICE]);
    app.zoom.add_meeting(
        json!({"id": 81_234_567_890i64, "uuid": "live==", "host_id": ZOOM_ALICE,
        "topic": "Design review", "type": 1, "status": "started",
        "join_url": "https://us05web.zoom.us/j/81234567890"}),
    );
    let meeting = "https://us05web.zoom.us/j/81234567890?pwd=abc";
    let elsewhere = "https://example.com/not/zoom";

    paste(
        &app,
        ALICE,
        &[BOARD_URL, meeting, elsewhere, BOARD_URL],
        true,
    )
    .await;
    let calls = unfurl_calls(&app);
    assert_eq!(calls.len(), 1, "one call for every link");
    let (args, unfurls) = &calls[0];
    assert_eq!(args["source"], "composer");
    assert!(args["unfurl_id"].as_str().is_some());
    assert!(args.get("channel").is_none() && args.get("ts").is_none());
    let keys: Vec<&String> = unfurls.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    let board = &unfurls[BOARD_URL];
    let text = board["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        text.contains(SECRET_NAME) && text.contains("Owner: Alice Andersson"),
        "{text}"
    );
    assert!(
        text.contains("Last changed by Sven Svensson, <!date^"),
        "{text}"
    );
    let image = board["blocks"][0]["accessory"]["image_url"]
        .as_str()
        .unwrap();
    assert!(image.starts_with("https://zlack.test/preview/"), "{image}");
    assert_eq!(
        find_button(board, "whiteboard.open").unwrap()["url"],
        format!("https://us05whiteboard.zoom.us/wb/db/{BOARD}")
    );
    assert_eq!(board["preview"]["title"]["text"], SECRET_NAME);
    let live = &unfurls[meeting];
    let text = live["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        text.contains("Design review") && text.contains("Live now"),
        "{text}"
    );
    assert_eq!(
        find_button(live, "unfurl.meeting.join").unwrap()["url"],
        meeting
    );

    // Posted in a private channel: unfurled by channel and ts, with the
    // board as the sharer sees it and without the composer-only preview.
    app.slack
        .add_channel(CLOSED, sandbox::ChannelKind::Private, true);
    paste_in(&app, CLOSED, ALICE, &[BOARD_URL, meeting], false).await;
    let calls = unfurl_calls(&app);
    assert_eq!(calls.len(), 2);
    let (args, unfurls) = &calls[1];
    assert_eq!(args["channel"], CLOSED);
    assert_eq!(args["ts"], "1764252000.000200");
    assert!(args.get("unfurl_id").is_none());
    assert!(unfurls[BOARD_URL].get("preview").is_none());
    assert!(unfurls[BOARD_URL].to_string().contains(SECRET_NAME));

    // Posted in a public channel: as in Zoom's own app, the board shows
    // as the sharer sees it there too (see whiteboard_details.rs for the
    // workspace setting that keeps it to private conversations).
    paste(&app, ALICE, &[BOARD_URL, meeting], false).await;
    let (args, unfurls) = unfurl_calls(&app).pop().unwrap();
    assert_eq!(args["channel"], PUBLIC);
    let public = unfurls[BOARD_URL].to_string();
    assert!(
        public.contains(SECRET_NAME) && public.contains("/preview/"),
        "{public}"
    );
    assert!(unfurls[meeting].to_string().contains("Design review"));
    app.stop().await;
}

#[tokio::test]
async fn nothing_about_a_board_leaks_to_those_who_may_not_see_it() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.connect(PUBLIC, SVEN).await;
    add_board(&app, &[ZOOM_ALICE]);

    // Linked, but no access at Zoom: a bare "Zoom Whiteboard", even where
    // the sharer's view would be shown.
    app.slack
        .add_channel(CLOSED, sandbox::ChannelKind::Private, true);
    let asked = app.zoom.calls_to("GET /whiteboards/").len();
    paste_in(&app, CLOSED, SVEN, &[BOARD_URL], false).await;
    assert_eq!(
        app.zoom.calls_to("GET /whiteboards/").len(),
        asked + 1,
        "Zoom was asked"
    );
    let (_, unfurls) = unfurl_calls(&app).pop().unwrap();
    let denied = &unfurls[BOARD_URL];
    assert!(leaks(denied).is_empty(), "{denied}");
    assert!(denied.to_string().contains("Zoom Whiteboard"));

    // Not linked: only the offer to connect.
    let unlinked = "U0BO";
    app.slack
        .add_user(TEAM, unlinked, "Bo Ek", None, "sv-SE", "Europe/Stockholm");
    paste(&app, unlinked, &[BOARD_URL], false).await;
    let (_, unfurls) = unfurl_calls(&app).pop().unwrap();
    let connect = &unfurls[BOARD_URL];
    assert!(leaks(connect).is_empty(), "{connect}");
    let button = find_button(connect, "unfurl.connect").expect("connect button");
    assert!(button.get("url").is_none(), "no link anyone could follow");
    assert!(
        connect.to_string().contains("Anslut Zoom"),
        "in the sharer's language"
    );

    // Whoever presses it gets their own prompt, seen by them alone.
    let press = json!({
        "type": "block_actions", "trigger_id": "t-unfurl", "user": {"id": SVEN, "team_id": TEAM},
        "team": {"id": TEAM}, "channel": {"id": PUBLIC},
        "container": {"type": "message_attachment", "channel_id": PUBLIC},
        "actions": [{"action_id": "unfurl.connect", "type": "button", "value": "connect"}]
    });
    assert_eq!(app.signer.slack_interaction(&press).await.status(), 200);
    app.run_jobs().await;
    let prompts = app.slack.calls_to("chat.postEphemeral");
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].args["user"], SVEN);
    assert_eq!(prompts[0].args["channel"], PUBLIC);
    assert!(prompts[0].args.to_string().contains("zoom.authorize"));

    // Deleted: bare, even for the owner where she would see it, and its
    // preview link stops working.
    paste_in(&app, CLOSED, ALICE, &[BOARD_URL], false).await;
    let (_, unfurls) = unfurl_calls(&app).pop().unwrap();
    let image = unfurls[BOARD_URL]["blocks"][0]["accessory"]["image_url"]
        .as_str()
        .expect("the owner's view has a preview")
        .replace("https://zlack.test", &app.base_url);
    assert_eq!(app.http.get(&image).send().await.unwrap().status(), 200);
    let deleted = zoom_event(
        "whiteboard.deleted",
        1_764_252_100_000,
        json!({"whiteboard_id": BOARD}),
    );
    app.zoom_hook(&deleted).await;
    app.run_jobs().await;
    paste_in(&app, CLOSED, ALICE, &[BOARD_URL], false).await;
    let (_, unfurls) = unfurl_calls(&app).pop().unwrap();
    assert!(
        leaks(&unfurls[BOARD_URL]).is_empty(),
        "{}",
        unfurls[BOARD_URL]
    );
    assert_eq!(app.http.get(&image).send().await.unwrap().status(), 404);
    app.stop().await;
}

/// The preview URL of the board as Alice's unfurl has it, on this server.
async fn preview_url(app: &TestApp) -> String {
    paste(app, ALICE, &[BOARD_URL], true).await;
    let (_, unfurls) = unfurl_calls(app).pop().unwrap();
    let url = unfurls[BOARD_URL]["blocks"][0]["accessory"]["image_url"]
        .as_str()
        .unwrap()
        .to_owned();
    url.replace("https://zlack.test", &app.base_url)
}

#[tokio::test]
async fn previews_are_served_only_for_signed_fresh_links_and_only_from_zoom() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    add_board(&app, &[ZOOM_ALICE]);
    let url = preview_url(&app).await;
    let get = |u: String| {
        let http = app.http.clone();
        async move { http.get(u).send().await.unwrap() }
    };

    let image = get(url.clone()).await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PREVIEW_PNG);
    // Kept a while: Zoom is asked once.
    assert_eq!(get(url.clone()).await.status(), 200);
    let fetched = app.zoom.calls_to("GET /wb/preview/").len();
    assert_eq!(fetched, 1);

    // Tampered: another board, or a changed signature.
    let (payload, tag) = url.rsplit_once('/').unwrap().1.split_once('.').unwrap();
    // (The first character: the last one of unpadded base64 carries
    // unused bits, so changing it may make the token malformed instead.)
    let first = if tag.starts_with('A') { "B" } else { "A" };
    let flipped = format!("{first}{}", &tag[1..]);
    let base = format!("{}/preview", app.base_url);
    assert_eq!(
        get(format!("{base}/{payload}.{flipped}")).await.status(),
        403
    );
    assert_eq!(get(format!("{base}/{tag}.{payload}")).await.status(), 403);
    assert_eq!(get(format!("{base}/not-a-token")).await.status(), 400);

    // Expired after a week.
    app.clock.advance_ms(8 * 24 * 60 * 60 * 1000);
    assert_eq!(get(url.clone()).await.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn a_preview_link_off_zoom_or_not_an_image_is_never_served() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    add_board(&app, &[ZOOM_ALICE]);
    // Zoom's answer points elsewhere (here: the Slack fake on loopback,
    // which records every call to /api/…).
    let elsewhere = format!("{}/steal", app.slack.api_url());
    app.zoom.set_whiteboard_preview_link(BOARD, &elsewhere);
    let url = preview_url(&app).await;
    assert_eq!(app.http.get(&url).send().await.unwrap().status(), 404);
    assert!(
        app.slack.calls().iter().all(|c| c.method != "steal"),
        "the other host was never asked"
    );

    // From Zoom, but HTML.
    let (body, _) = board(&[ZOOM_ALICE]);
    app.zoom.add_whiteboard(body, &[ZOOM_ALICE]);
    app.zoom
        .set_whiteboard_preview(BOARD, "text/html", b"<script>alert(1)</script>".to_vec());
    let url = preview_url(&app).await;
    assert_eq!(app.http.get(&url).send().await.unwrap().status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn each_share_gives_each_linked_collaborator_one_dm() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.connect(PUBLIC, SVEN).await;
    add_board(&app, &[ZOOM_ALICE, ZOOM_SVEN]);
    let share = |event: &str, ts: i64, role: i64| {
        let mut body = zoom_event(
            event,
            ts,
            json!({"whiteboard_id": BOARD, "collaborators": [
                {"collaborator_id": "c1", "collaborator_name": "Alice Andersson", "email": "alice@example.com",
                 "user_id": ZOOM_ALICE, "collaborator_type": 0, "role": 0},
                {"collaborator_id": "c2", "collaborator_name": "Sven Svensson", "email": "sven@example.com",
                 "user_id": ZOOM_SVEN, "collaborator_type": 0, "role": role},
                {"collaborator_id": "c3", "collaborator_name": "Outside Olle", "email": "olle@example.org",
                 "user_id": "zu_olle", "collaborator_type": 1, "role": 4}]}),
        );
        body["payload"]["operator_id"] = ZOOM_ALICE.into();
        body
    };
    let dms = |app: &TestApp| {
        app.slack
            .calls_to("chat.postMessage")
            .into_iter()
            .filter(|c| c.succeeded() && c.args.to_string().contains("whiteboard"))
            .collect::<Vec<_>>()
    };
    let first = share("whiteboard.shared", 1_764_252_200_000, 4);
    app.zoom_hook(&first).await;
    app.zoom_hook(&first).await;
    app.zoom_hook(&share("whiteboard.shared", 1_764_252_200_777, 4))
        .await;
    app.run_jobs().await;
    let sent = dms(&app);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!(sent[0].args["channel"], SVEN, "the sharer gets none");
    let text = sent[0].args.to_string();
    assert!(text.contains(&format!("<@{ALICE}>")), "{text}");
    assert!(
        text.contains(SECRET_NAME) && text.contains("läsare"),
        "Swedish, with the role: {text}"
    );

    // A new role is news; the same role again is not.
    app.zoom_hook(&share("whiteboard.sharing_updated", 1_764_252_300_000, 2))
        .await;
    app.zoom_hook(&share("whiteboard.sharing_updated", 1_764_252_300_001, 2))
        .await;
    app.run_jobs().await;
    let sent = dms(&app);
    assert_eq!(sent.len(), 2);
    assert!(sent[1].args.to_string().contains("redigerare"));

    // Weeks later, after finished jobs were pruned, Zoom repeats the share
    // in a new update: nobody is told again.
    app.clock.advance_ms(30 * 24 * 60 * 60 * 1000);
    app.worker.prune().await;
    app.zoom_hook(&share("whiteboard.sharing_updated", 1_764_252_400_000, 2))
        .await;
    app.run_jobs().await;
    assert_eq!(dms(&app).len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn recording_links_unfurl_for_their_host_without_the_passcode() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.connect(PUBLIC, SVEN).await;
    let row = app.announce(PUBLIC, ALICE, "meeting Board meeting").await;
    let o = Occurrence::new(row.zoom_meeting_id.unwrap(), "rec-1==", ZOOM_ALICE);
    app.zoom_hook(&o.ended(0, 1800)).await;
    app.zoom_hook(&o.recording(&[(0, 1800)], Some("pw-rec")))
        .await;
    app.settle().await;
    let link = format!("https://zoom.us/rec/share/{}?pwd=pw-rec", o.meeting_id);

    paste(&app, ALICE, &[&link], false).await;
    let (_, unfurls) = unfurl_calls(&app).pop().expect("an unfurl");
    let unfurl = unfurls[&link].to_string();
    assert!(
        unfurl.contains("Board meeting") && unfurl.contains("30 min"),
        "{unfurl}"
    );
    assert!(!unfurl.contains("pw-rec"), "{unfurl}");

    // Sven did not host it: Slack's own preview, nothing from zlack.
    let before = unfurl_calls(&app).len();
    paste(&app, SVEN, &[&link], false).await;
    assert_eq!(unfurl_calls(&app).len(), before);
    let _ = app.clock.now_ms();
    app.stop().await;
}

#[tokio::test]
async fn whiteboards_turned_off_unfurl_plainly_and_doctor_says_so() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    add_board(&app, &[ZOOM_ALICE]);
    let envs = crate::helpers::app::settings(&app.db, &app.slack, &app.zoom);
    let dir = tempfile::tempdir().unwrap();
    let (_, stdout, _) = crate::helpers::process::run(dir.path(), &envs, &["doctor"]).await;
    assert!(
        stdout.contains("ok    Zoom Whiteboard answers for the newest connected user"),
        "{stdout}"
    );

    app.zoom.disable_whiteboards();
    app.slack
        .add_channel(CLOSED, sandbox::ChannelKind::Private, true);
    let messages_before = app.slack.calls_to("chat.post").len();
    paste_in(&app, CLOSED, ALICE, &[BOARD_URL], false).await;
    let (_, unfurls) = unfurl_calls(&app).pop().expect("an unfurl");
    let plain = unfurls[BOARD_URL].to_string();
    assert!(
        plain.contains("Zoom Whiteboard") && !plain.contains(SECRET_NAME),
        "{plain}"
    );
    assert_eq!(
        app.slack.calls_to("chat.post").len(),
        messages_before,
        "nobody is told of an error"
    );
    let (_, stdout, _) = crate::helpers::process::run(dir.path(), &envs, &["doctor"]).await;
    assert!(
        stdout.contains("note  Zoom Whiteboard is not available to the newest connected user"),
        "{stdout}"
    );
    app.stop().await;
}
