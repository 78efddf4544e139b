//! Status sync through the fakes: opting in with a link bound to the user,
//! Zoom's presence events setting and restoring the Slack status exactly
//! once per change, a status the user set meanwhile left alone, and
//! turning it off, logging out or a revoked token ending it.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use zlack::clock::Clock;
use zlack::store::{TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::browse::{self, Jar};
use crate::helpers::people::*;
use crate::helpers::slash::{button_url, find_button};

const ALICE_TOKEN: &str = "xoxp-alice-status-token";
const SVEN_TOKEN: &str = "xoxp-sven-status-token";

/// Each press has its own trigger_id, as on Slack.
static PRESSES: AtomicUsize = AtomicUsize::new(0);

/// `user` presses a `/zoom config` button; returns the redrawn card.
async fn press_config(app: &TestApp, user: &str, action: &str) -> Value {
    let response_url = app.slack.new_response_url();
    let payload = json!({
        "type": "block_actions",
        "trigger_id": format!("t-{action}-{user}-{}", PRESSES.fetch_add(1, Ordering::SeqCst)),
        "response_url": response_url, "team": {"id": TEAM}, "user": {"id": user},
        "actions": [{"action_id": action, "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
    app.responses(&response_url).pop().unwrap_or(Value::Null)
}

/// The DMs zlack sent `user` whose blocks contain `needle`.
fn dms_with(app: &TestApp, user: &str, needle: &str) -> Vec<Value> {
    app.slack
        .calls_to("chat.postMessage")
        .into_iter()
        .filter(|c| c.args["channel"] == user && c.args.to_string().contains(needle))
        .map(|c| c.args)
        .collect()
}

/// Successful `users.profile.set` calls so far.
fn status_sets(app: &TestApp) -> Vec<sandbox::RecordedCall> {
    app.slack
        .calls_to("users.profile.set")
        .into_iter()
        .filter(|c| c.error.is_none())
        .collect()
}

/// The status Slack shows for `user`: text and emoji.
fn status(app: &TestApp, user: &str) -> (String, String) {
    let (text, emoji, _) = app.slack.status_of(user);
    (text, emoji)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn pair(text: &str, emoji: &str) -> (String, String) {
    (text.to_owned(), emoji.to_owned())
}

async fn has_user_token(app: &TestApp, user: &str) -> bool {
    app.store
        .token(&TokenOwner::slack_user(TEAM, user), TokenKind::SlackUser)
        .await
        .unwrap()
        .is_some()
}

/// The installed workspace, with Alice connected to Zoom and her own
/// status set.
async fn world() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.slack.set_status(ALICE, "Lunch", ":sandwich:", 0);
    app
}

/// `user` turns status sync on and allows it with the DM's link, Slack
/// granting `token`.
async fn opt_in(app: &TestApp, user: &str, token: &str) {
    let card = press_config(app, user, "config.status.on").await;
    assert!(
        card.to_string().contains("config.status.pending"),
        "{card:#}"
    );
    let svc = app.worker.services().clone();
    let state = zlack::flows::status::sync_state(&svc, &TEAM.into(), &user.into()).await;
    assert_eq!(
        state.unwrap(),
        zlack::flows::status::SyncState::AwaitingPermission
    );
    let dm = dms_with(app, user, "status.allow").pop().expect("allow DM");
    let link = button_url(&dm, "status.allow");
    app.slack.issue_oauth_code(
        &format!("code-{token}"),
        sandbox::OAuthGrant::user_only(TEAM, user, token, "users.profile:write"),
    );
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    app.run_jobs().await;
    let state = zlack::flows::status::sync_state(&svc, &TEAM.into(), &user.into()).await;
    assert_eq!(state.unwrap(), zlack::flows::status::SyncState::On);
    let card = press_config(app, user, "config.passcode.off").await;
    assert!(
        !card.to_string().contains("config.status.pending"),
        "{card:#}"
    );
}

/// Zoom says `zoom_user`'s presence became `presence` at `at_ms`.
async fn presence_of(app: &TestApp, zoom_user: &str, presence: &str, at_ms: i64) {
    let body = sandbox::zoom_presence_event(
        zoom_user,
        "someone@example.com",
        presence,
        at_ms,
        app.clock.now_ms(),
    );
    app.zoom_hook(&body).await;
    app.run_jobs().await;
}

async fn presence(app: &TestApp, presence: &str, at_ms: i64) {
    presence_of(app, ZOOM_ALICE, presence, at_ms).await;
}

/// A moment of Zoom's: `n` seconds into the test.
fn t(app: &TestApp, n: i64) -> i64 {
    // Whole seconds, as Zoom's date_time has them.
    (app.clock.now_ms() / 1000 + n) * 1000
}

#[tokio::test]
async fn opting_in_asks_only_for_the_status_scope_and_a_forwarded_link_gives_nothing() {
    let app = world().await;
    let card = press_config(&app, ALICE, "config.status.on").await;
    let on = find_button(&card, "config.status.on").expect("status sync buttons");
    assert_eq!(on["style"], "primary", "{card:#}");
    let dm = dms_with(&app, ALICE, "status.allow")
        .pop()
        .expect("allow DM");
    let link = button_url(&dm, "status.allow");
    assert!(
        link.starts_with("https://zlack.test/slack/status?ref="),
        "{link}"
    );

    // The link goes to Slack for the one user scope, no bot scopes.
    let started = app.oauth_start_at(&link, &app.slack.authorize_url()).await;
    assert_eq!(started.param("user_scope"), "users.profile:write");
    assert!(browse::param(&started.location, "scope").is_none());
    assert_eq!(
        started.param("redirect_uri"),
        "https://zlack.test/slack/status/callback"
    );

    // Sven got hold of Alice's link and authorizes as himself: refused, his
    // token revoked, nothing stored for anyone.
    app.slack.issue_oauth_code(
        "code-sven",
        sandbox::OAuthGrant::user_only(TEAM, SVEN, SVEN_TOKEN, "users.profile:write"),
    );
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 403);
    assert!(!has_user_token(&app, ALICE).await);
    assert!(!has_user_token(&app, SVEN).await);
    let revoked: Vec<_> = app.slack.calls_to("auth.revoke");
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].bearer.as_deref(), Some(SVEN_TOKEN));
    assert!(dms_with(&app, ALICE, "status-enabled").is_empty());

    // Alice herself: the token is kept, sealed, and she is told once.
    app.slack.issue_oauth_code(
        "code-alice",
        sandbox::OAuthGrant::user_only(TEAM, ALICE, ALICE_TOKEN, "users.profile:write"),
    );
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 200);
    app.run_jobs().await;
    assert!(has_user_token(&app, ALICE).await);
    assert_eq!(dms_with(&app, ALICE, "status-enabled").len(), 1);
    let raw = app.db.raw_contents().await;
    assert!(!contains(&raw, ALICE_TOKEN), "the user token is sealed");
    // The link was used up.
    let (page, _) = app.follow(&link, &mut Jar::default()).await;
    assert_eq!(page.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn forged_or_stateless_status_links_and_callbacks_are_refused_without_asking_slack() {
    let app = world().await;
    for path in [
        "/slack/status",
        "/slack/status?ref=",
        "/slack/status?ref=made-up",
        "/slack/status/callback?code=c&state=s",
        "/slack/status/callback?error=access_denied&state=s",
    ] {
        let response = app
            .browser()
            .get(format!("{}{path}", app.base_url))
            .send()
            .await;
        assert_eq!(response.unwrap().status(), 400, "{path}");
    }
    // A callback in another browser than the one that started the flow.
    press_config(&app, ALICE, "config.status.on").await;
    let dm = dms_with(&app, ALICE, "status.allow")
        .pop()
        .expect("allow DM");
    let started = app
        .oauth_start_at(&button_url(&dm, "status.allow"), &app.slack.authorize_url())
        .await;
    let callback = format!(
        "{}/slack/status/callback?code=c&state={}",
        app.base_url, started.state
    );
    let response = app.browser().get(callback).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(app.slack.calls_to("oauth.v2.access").is_empty());
    assert!(!has_user_token(&app, ALICE).await);
    app.stop().await;
}

#[tokio::test]
async fn each_presence_change_sets_the_status_once_and_available_puts_hers_back() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    // Sven is connected but never opted in: his presence changes nothing.
    app.connect(PUBLIC, SVEN).await;
    app.slack.set_status(SVEN, "Away", ":palm_tree:", 0);
    presence_of(&app, ZOOM_SVEN, "In_Meeting", t(&app, 1)).await;
    assert_eq!(status(&app, SVEN), pair("Away", ":palm_tree:"));
    assert!(status_sets(&app).is_empty());

    presence(&app, "In_Meeting", t(&app, 2)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    let sets = status_sets(&app);
    assert_eq!(sets.len(), 1);
    assert_eq!(
        sets[0].bearer.as_deref(),
        Some(ALICE_TOKEN),
        "her own token"
    );
    let (_, _, expiration) = app.slack.status_of(ALICE);
    let now_secs = app.clock.now_ms() / 1000;
    assert!(
        (now_secs + 3 * 3600..=now_secs + 5 * 3600).contains(&expiration),
        "expires as a safety net: {expiration}"
    );
    let raw = app.db.raw_contents().await;
    assert!(!contains(&raw, "Lunch"), "the saved status is sealed");

    presence(&app, "Presenting", t(&app, 3)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("Presenting in Zoom", ":desktop_computer:")
    );
    presence(&app, "On_Phone_Call", t(&app, 4)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("On a Zoom call", ":telephone_receiver:")
    );
    assert_eq!(status_sets(&app).len(), 3);

    presence(&app, "Available", t(&app, 5)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("Lunch", ":sandwich:"),
        "hers, not a re-saved one"
    );
    assert_eq!(status_sets(&app).len(), 4);
    presence(&app, "Away", t(&app, 6)).await;
    assert_eq!(status_sets(&app).len(), 4, "nothing to put back twice");

    // The next meeting saves her status again.
    app.slack.set_status(ALICE, "Writing", ":pencil:", 0);
    presence(&app, "In_Meeting", t(&app, 7)).await;
    presence(&app, "Available", t(&app, 8)).await;
    assert_eq!(status(&app, ALICE), pair("Writing", ":pencil:"));
    assert_eq!(status_sets(&app).len(), 6);
    app.stop().await;
}

#[tokio::test]
async fn a_status_the_user_set_meanwhile_is_left_alone() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    presence(&app, "In_Meeting", t(&app, 1)).await;
    assert_eq!(status_sets(&app).len(), 1);
    app.slack.set_status(ALICE, "Deep work", ":headphones:", 0);
    // Presenting, then done: her own choice stays all along.
    presence(&app, "Presenting", t(&app, 2)).await;
    presence(&app, "Available", t(&app, 3)).await;
    assert_eq!(status(&app, ALICE), pair("Deep work", ":headphones:"));
    assert_eq!(status_sets(&app).len(), 1);
    // And the next meeting starts afresh.
    presence(&app, "In_Meeting", t(&app, 4)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    presence(&app, "Available", t(&app, 5)).await;
    assert_eq!(status(&app, ALICE), pair("Deep work", ":headphones:"));
    assert_eq!(status_sets(&app).len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn redelivered_and_late_presence_events_change_nothing() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    let meeting = sandbox::zoom_presence_event(
        ZOOM_ALICE,
        "alice@example.com",
        "In_Meeting",
        t(&app, 10),
        app.clock.now_ms(),
    );
    app.zoom_hook(&meeting).await;
    app.run_jobs().await;
    app.zoom_hook(&meeting).await;
    app.run_jobs().await;
    assert_eq!(status_sets(&app).len(), 1);
    // The same change delivered again later (a new delivery time).
    let again = sandbox::zoom_presence_event(
        ZOOM_ALICE,
        "alice@example.com",
        "In_Meeting",
        t(&app, 10),
        app.clock.now_ms() + 5_000,
    );
    app.zoom_hook(&again).await;
    app.run_jobs().await;
    // "Available" from before the meeting arrives late.
    presence(&app, "Available", t(&app, 5)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    assert_eq!(status_sets(&app).len(), 1);
    presence(&app, "Available", t(&app, 20)).await;
    assert_eq!(status(&app, ALICE), pair("Lunch", ":sandwich:"));
    // An older meeting event after that: nothing.
    presence(&app, "Presenting", t(&app, 15)).await;
    assert_eq!(status(&app, ALICE), pair("Lunch", ":sandwich:"));
    assert_eq!(status_sets(&app).len(), 2);

    // Two changes Zoom dates in the same second go by their delivery time.
    let same_second = t(&app, 30);
    let sent = app.clock.now_ms();
    let hook = |status: &str, ts: i64| {
        sandbox::zoom_presence_event(ZOOM_ALICE, "alice@example.com", status, same_second, ts)
    };
    app.zoom_hook(&hook("In_Meeting", sent)).await;
    app.zoom_hook(&hook("Presenting", sent + 500)).await;
    app.zoom_hook(&hook("In_Meeting", sent + 200)).await;
    app.run_jobs().await;
    assert_eq!(
        status(&app, ALICE),
        pair("Presenting in Zoom", ":desktop_computer:")
    );
    app.stop().await;
}

/// The status is Alice's again, her token revoked and forgotten, and
/// later presence changes nothing.
async fn assert_ended(app: &TestApp) {
    assert_eq!(status(app, ALICE), pair("Lunch", ":sandwich:"));
    let revokes = app.slack.calls_to("auth.revoke");
    assert_eq!(revokes.len(), 1);
    assert_eq!(revokes[0].bearer.as_deref(), Some(ALICE_TOKEN));
    assert!(!has_user_token(app, ALICE).await);
    assert_eq!(
        app.store
            .count_where("status_sync", "slack_user_id", ALICE)
            .await
            .unwrap(),
        0
    );
    let sets = status_sets(app).len();
    presence(app, "In_Meeting", t(app, 30)).await;
    assert_eq!(status_sets(app).len(), sets);
    assert_eq!(status(app, ALICE), pair("Lunch", ":sandwich:"));
}

#[tokio::test]
async fn turning_it_off_puts_the_status_back_and_revokes_the_token() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    presence(&app, "In_Meeting", t(&app, 1)).await;
    let card = press_config(&app, ALICE, "config.status.off").await;
    let off = find_button(&card, "config.status.off").unwrap();
    assert_eq!(off["style"], "primary", "{card:#}");
    assert_ended(&app).await;
    app.stop().await;
}

/// Makes the database refuse to queue `status.settle` jobs until
/// [`allow_settle_jobs`], as a failing commit would.
async fn refuse_settle_jobs(app: &TestApp) {
    use crate::helpers::db::{Backend, backend};
    match backend() {
        Backend::Sqlite => {
            app.db
                .execute(
                    "CREATE TRIGGER refuse_settle BEFORE INSERT ON jobs \
                     WHEN NEW.kind = 'status.settle' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                )
                .await
        }
        Backend::Postgres => {
            app.db
                .execute(
                    "CREATE FUNCTION refuse_settle() RETURNS trigger AS $$ BEGIN \
                     IF NEW.kind = 'status.settle' THEN RAISE EXCEPTION 'refused'; END IF; \
                     RETURN NEW; END $$ LANGUAGE plpgsql; \
                     CREATE TRIGGER refuse_settle BEFORE INSERT ON jobs \
                     FOR EACH ROW EXECUTE FUNCTION refuse_settle()",
                )
                .await
        }
    }
}

async fn allow_settle_jobs(app: &TestApp) {
    use crate::helpers::db::{Backend, backend};
    match backend() {
        Backend::Sqlite => app.db.execute("DROP TRIGGER refuse_settle").await,
        Backend::Postgres => app.db.execute("DROP TRIGGER refuse_settle ON jobs").await,
    }
}

#[tokio::test]
async fn turning_it_off_when_the_first_try_fails_still_ends_it_on_the_retry() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    presence(&app, "In_Meeting", t(&app, 1)).await;
    refuse_settle_jobs(&app).await;
    press_config(&app, ALICE, "config.status.off").await;
    assert!(has_user_token(&app, ALICE).await);
    allow_settle_jobs(&app).await;
    app.clock.advance_ms(10 * 60_000);
    app.run_jobs().await;
    app.clock.advance_ms(10 * 60_000);
    app.run_jobs().await;
    assert_ended(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn logging_out_puts_the_status_back_and_revokes_the_token() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    presence(&app, "Presenting", t(&app, 1)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("Presenting in Zoom", ":desktop_computer:")
    );
    app.slash(PUBLIC, ALICE, "logout").await;
    app.run_jobs().await;
    assert_ended(&app).await;
    let card = press_config(&app, ALICE, "config.passcode.off").await;
    let off = find_button(&card, "config.status.off").unwrap();
    assert_eq!(off["style"], "primary", "the setting is off: {card:#}");
    app.stop().await;
}

#[tokio::test]
async fn a_token_slack_revoked_turns_status_sync_off_and_the_user_is_told_once() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    app.slack.revoke_token(ALICE_TOKEN);
    presence(&app, "In_Meeting", t(&app, 1)).await;
    assert_eq!(status(&app, ALICE), pair("Lunch", ":sandwich:"));
    assert!(!has_user_token(&app, ALICE).await);
    assert_eq!(dms_with(&app, ALICE, "status-revoked").len(), 1);
    presence(&app, "Available", t(&app, 2)).await;
    presence(&app, "In_Meeting", t(&app, 3)).await;
    assert_eq!(dms_with(&app, ALICE, "status-revoked").len(), 1);
    let card = press_config(&app, ALICE, "config.passcode.off").await;
    let off = find_button(&card, "config.status.off").unwrap();
    assert_eq!(off["style"], "primary", "{card:#}");
    // Turning it on again asks for a new permission.
    press_config(&app, ALICE, "config.status.on").await;
    assert_eq!(dms_with(&app, ALICE, "status.allow").len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn while_another_worker_changes_her_status_the_job_waits_and_then_sets_it_once() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    // Another replica holds Alice's status lease.
    let lease = format!("status:{TEAM}:{ALICE}");
    let now = app.clock.now_ms();
    assert!(
        app.store
            .try_lease(&lease, "other-replica", now, 60_000)
            .await
            .unwrap()
    );
    presence(&app, "In_Meeting", t(&app, 1)).await;
    assert!(status_sets(&app).is_empty());
    assert_eq!(status(&app, ALICE), pair("Lunch", ":sandwich:"));
    app.store
        .release_lease(&lease, "other-replica")
        .await
        .unwrap();
    app.clock.advance_ms(10_000);
    app.run_jobs().await;
    assert_eq!(status_sets(&app).len(), 1);
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    app.clock.advance_ms(10 * 60_000);
    app.run_jobs().await;
    assert_eq!(status_sets(&app).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_lost_answer_or_a_rate_limit_still_changes_the_status_once_and_keeps_hers() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    // Slack sets the status but its answer is lost: the retry sees zlack's
    // status showing and neither sets it again nor saves it as hers.
    app.slack.fail_next(
        "users.profile.set",
        sandbox::Fault::AnswerLost { status: 502 },
        1,
    );
    presence(&app, "In_Meeting", t(&app, 1)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    app.clock.advance_ms(10_000);
    app.run_jobs().await;
    assert_eq!(app.slack.calls_to("users.profile.set").len(), 1);
    // Slack asks to wait before the restore: it happens after the wait.
    app.slack.fail_next(
        "users.profile.set",
        sandbox::Fault::RateLimited {
            retry_after_secs: 30,
        },
        1,
    );
    presence(&app, "Available", t(&app, 2)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    app.clock.advance_ms(40_000);
    app.run_jobs().await;
    assert_eq!(status(&app, ALICE), pair("Lunch", ":sandwich:"));
    assert_eq!(status_sets(&app).len(), 1, "one successful restore");
    app.stop().await;
}

#[tokio::test]
async fn purging_the_workspace_deletes_the_saved_status() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    presence(&app, "In_Meeting", t(&app, 1)).await;
    let count = || app.store.count_where("status_sync", "slack_user_id", ALICE);
    assert_eq!(count().await.unwrap(), 1);
    let mut tx = app.store.begin().await.unwrap();
    let purged = app.store.purge_team(&mut tx, &TEAM.into()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(purged.statuses, 1);
    assert_eq!(count().await.unwrap(), 0);
    assert!(!has_user_token(&app, ALICE).await);
    app.stop().await;
}

#[tokio::test]
async fn slacks_tokens_revoked_event_drops_her_token_and_saved_status() {
    let app = world().await;
    opt_in(&app, ALICE, ALICE_TOKEN).await;
    presence(&app, "In_Meeting", t(&app, 1)).await;
    let body = sandbox::slack_event_callback(
        TEAM,
        "Ev0STATUSREVOKED",
        json!({"type": "tokens_revoked", "tokens": {"oauth": [ALICE], "bot": []}}),
    );
    let sig = sandbox::SignAs::Slack {
        timestamp: app.clock.now_secs(),
    };
    let response = app
        .signer
        .raw(
            "/slack/events",
            "application/json",
            body.to_string().into_bytes(),
            sig,
        )
        .await;
    assert_eq!(response.status(), 200);
    app.run_jobs().await;
    assert!(!has_user_token(&app, ALICE).await);
    let rows = app.store.count_where("status_sync", "slack_user_id", ALICE);
    assert_eq!(rows.await.unwrap(), 0);
    let sets = status_sets(&app).len();
    presence(&app, "Available", t(&app, 2)).await;
    assert_eq!(status_sets(&app).len(), sets, "no token, nothing to do");
    app.stop().await;
}

#[tokio::test]
async fn logging_out_ends_status_sync_even_without_a_zoom_connection() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    opt_in(&app, SVEN, SVEN_TOKEN).await;
    assert!(has_user_token(&app, SVEN).await);
    app.slash(PUBLIC, SVEN, "logout").await;
    app.run_jobs().await;
    assert!(!has_user_token(&app, SVEN).await);
    let revokes = app.slack.calls_to("auth.revoke");
    assert_eq!(revokes.len(), 1);
    assert_eq!(revokes[0].bearer.as_deref(), Some(SVEN_TOKEN));
    app.stop().await;
}

#[tokio::test]
async fn the_status_speaks_the_users_language() {
    let app = world().await;
    app.connect(PUBLIC, SVEN).await;
    app.slack.set_status(SVEN, "Fika", ":coffee:", 0);
    opt_in(&app, SVEN, SVEN_TOKEN).await;
    let allow = dms_with(&app, SVEN, "status.allow").pop().unwrap();
    assert!(
        allow.to_string().contains("Tillåt statusuppdateringar"),
        "{allow:#}"
    );
    presence_of(&app, ZOOM_SVEN, "On_Phone_Call", t(&app, 1)).await;
    assert_eq!(
        status(&app, SVEN),
        pair("I ett Zoom-samtal", ":telephone_receiver:")
    );
    presence_of(&app, ZOOM_SVEN, "Available", t(&app, 2)).await;
    assert_eq!(status(&app, SVEN), pair("Fika", ":coffee:"));
    app.stop().await;
}

#[tokio::test]
async fn on_an_org_wide_install_presence_sets_and_restores_the_status() {
    let app = TestApp::spawn().await;
    let org = "E0ORG";
    app.slack.set_enterprise(TEAM, org);
    app.slack.add_workspace(org, "xoxb-org-token");
    app.install_org_wide(org, "xoxb-org-token").await;
    let link = crate::helpers::db::zoom_link(TEAM, ALICE, ZOOM_ALICE);
    let mut tx = app.store.begin().await.unwrap();
    app.store.save_zoom_link(&mut tx, &link).await.unwrap();
    tx.commit().await.unwrap();
    app.slack.set_status(ALICE, "Lunch", ":sandwich:", 0);
    let press = json!({
        "type": "block_actions", "trigger_id": "t-org-status-on",
        "response_url": app.slack.new_response_url(),
        "team": {"id": TEAM, "enterprise_id": org}, "user": {"id": ALICE},
        "actions": [{"action_id": "config.status.on", "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&press).await.status(), 200);
    app.run_jobs().await;
    let dm = dms_with(&app, ALICE, "status.allow")
        .pop()
        .expect("allow DM");
    app.slack.issue_oauth_code(
        &format!("code-{ALICE_TOKEN}"),
        sandbox::OAuthGrant::user_only(TEAM, ALICE, ALICE_TOKEN, "users.profile:write"),
    );
    let (page, _) = app
        .follow(&button_url(&dm, "status.allow"), &mut Jar::default())
        .await;
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    app.run_jobs().await;
    presence(&app, "In_Meeting", t(&app, 1)).await;
    assert_eq!(
        status(&app, ALICE),
        pair("In a Zoom meeting", ":video_camera:")
    );
    presence(&app, "Available", t(&app, 2)).await;
    assert_eq!(status(&app, ALICE), pair("Lunch", ":sandwich:"));
    app.stop().await;
}
