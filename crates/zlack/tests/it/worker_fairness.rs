//! The worker as it runs in `serve`: work a request queued starts at once,
//! and a workspace whose Slack hangs cannot take every slot from another.

use std::time::Duration;

use sandbox::{ChannelKind, ZoomUser};
use zlack::clock::Clock;

use crate::helpers::TestApp;
use crate::helpers::app::BOT_TOKEN;
use crate::helpers::db;
use crate::helpers::meetings::Occurrence;
use crate::helpers::people::*;

const OTHER_TEAM: &str = "T0OTHER";
const OTHER_TOKEN: &str = "xoxb-other-team-0002";
const BO: &str = "U0BO";
const OTHER_CHANNEL: &str = "C0OTHER";
const WAIT: Duration = Duration::from_secs(10);

/// Server-to-server mode, so every Slack user is linked by email and no
/// one needs to authorize; the worker runs by itself and never polls in
/// the time a test takes.
async fn running(slots: &str) -> TestApp {
    let slots = slots.to_owned();
    let app = TestApp::spawn_running(move |s| {
        s.retain(|(k, _)| k != "ZLACK_WORKER_POLL_MS");
        s.push(("ZLACK_WORKER_POLL_MS".into(), "60000".into()));
        s.push(("ZLACK_WORKER_CONCURRENCY".into(), slots));
        crate::helpers::app::server_to_server(s);
    })
    .await;
    app.install_workspace().await;
    app
}

/// A second workspace with one member, Bo, who has a Zoom user.
async fn add_other_workspace(app: &TestApp) {
    app.slack.add_workspace(OTHER_TEAM, OTHER_TOKEN);
    app.slack.add_user(
        OTHER_TEAM,
        BO,
        "Bo Berg",
        Some("bo@example.com"),
        "en-US",
        "Europe/Stockholm",
    );
    app.slack
        .add_channel(OTHER_CHANNEL, ChannelKind::Public, true);
    app.zoom
        .add_user(ZoomUser::new("zu_bo", "bo@example.com", "Bo Berg"));
    let workspace = db::workspace(OTHER_TEAM, Some("Other"));
    db::seed_install(&app.store, &workspace, OTHER_TOKEN, app.clock.now_ms()).await;
}

/// `user` of `team` types `/zoom` in `channel`.
async fn zoom_in(app: &TestApp, team: &str, channel: &str, user: &str) {
    let response_url = app.slack.new_response_url();
    let fields = sandbox::slash_command_fields(team, channel, user, "", &response_url);
    let ack = app.post_command(&fields).await;
    assert_eq!(ack.status(), 200);
}

fn cards_with(app: &TestApp, token: &str) -> usize {
    app.ok_calls("chat.postMessage")
        .iter()
        .filter(|c| c.bearer.as_deref() == Some(token))
        .count()
}

#[tokio::test]
async fn a_workspace_whose_slack_hangs_does_not_delay_another_workspaces_zoom() {
    let app = running("4").await;
    add_other_workspace(&app).await;
    // Every call with this workspace's token hangs until the gate opens.
    let gate = app.slack.hold_bearer(BOT_TOKEN);
    for _ in 0..6 {
        zoom_in(&app, crate::helpers::app::TEAM, PUBLIC, ALICE).await;
    }
    zoom_in(&app, OTHER_TEAM, OTHER_CHANNEL, BO).await;
    let posted = app.slack.wait_for_calls("chat.postMessage", 1, WAIT).await;
    assert_eq!(
        posted[0].bearer.as_deref(),
        Some(OTHER_TOKEN),
        "the other workspace's card comes first"
    );
    assert_eq!(cards_with(&app, BOT_TOKEN), 0, "the hung workspace waits");
    gate.open();
    app.slack.wait_for_calls("chat.postMessage", 7, WAIT).await;
    assert_eq!(cards_with(&app, BOT_TOKEN), 6);
    assert_eq!(cards_with(&app, OTHER_TOKEN), 1);
    app.stop().await;
}

#[tokio::test]
async fn work_a_request_queues_starts_at_once_without_waiting_for_a_poll() {
    let app = running("16").await;
    // A command: its card.
    zoom_in(&app, crate::helpers::app::TEAM, PUBLIC, ALICE).await;
    app.slack.wait_for_calls("chat.postMessage", 1, WAIT).await;
    let meeting = app
        .store
        .latest_meeting_in(&crate::helpers::app::TEAM.into(), &PUBLIC.into())
        .await
        .unwrap()
        .expect("announced");
    // A webhook whose fold queues an effect job: the Call update.
    let o = Occurrence::new(meeting.zoom_meeting_id.unwrap(), "fast==", ZOOM_ALICE);
    app.zoom_hook(&o.started(0)).await;
    app.zoom_hook(&o.joined("p1", "Alice Andersson", "alice@example.com", 5))
        .await;
    app.slack
        .wait_for_calls("calls.participants.add", 1, WAIT)
        .await;
    app.stop().await;
}
