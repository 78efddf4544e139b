//! The App Home tab and the settings modal, end to end through the fakes:
//! published when opened and again when something it shows changes, in
//! the user's language, and checked by the fake Slack as Slack checks
//! views; the modal opened by `/zoom config` and the Home's Settings
//! button, and its submissions answered over HTTP and Socket Mode.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sandbox::{FakeSlack, Fault, ShownView, slack_event_callback};
use serde_json::{Value, json};
use zlack::flows::home::WINDOW_MS;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;

/// A fresh id for events and triggers.
fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

async fn ready() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app
}

/// `user` opens the app's `tab` (`home` or `messages`).
async fn open_tab(app: &TestApp, user: &str, tab: &str) {
    let event = json!({
        "type": "app_home_opened", "user": user, "channel": format!("D{user}"),
        "tab": tab, "event_ts": "1796000000.000100"
    });
    let id = format!("Ev{user}{}", unique());
    let body = slack_event_callback(TEAM, &id, event);
    assert_eq!(app.signer.slack_event(&body).await.status(), 200);
    app.run_jobs().await;
}

/// Runs the Home refreshes queued so far (they wait for the end of their
/// window).
async fn run_refreshes(app: &TestApp) {
    app.run_jobs().await;
    app.clock.advance_ms(WINDOW_MS);
    app.run_jobs().await;
}

fn home_of(app: &TestApp, user: &str) -> Value {
    let shown = app.slack.home_view(user).expect("a Home tab was published");
    FakeSlack::check_view(&shown.view, "home").expect("a valid Home view");
    shown.view
}

/// The `action_id`s of every element of a view's blocks.
fn action_ids(view: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for block in view["blocks"].as_array().unwrap() {
        for element in block["elements"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(block.get("accessory"))
            .chain(block.get("element"))
        {
            if let Some(id) = element["action_id"].as_str() {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

fn accessory<'a>(view: &'a Value, action_id: &str) -> &'a Value {
    view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["accessory"])
        .find(|a| a["action_id"] == action_id)
        .unwrap_or_else(|| panic!("no {action_id} in {view:#}"))
}

fn future_iso(app: &TestApp, hours: i64) -> String {
    let at = jiff::Timestamp::from_millisecond(zlack::clock::Clock::now_ms(&*app.clock)).unwrap()
        + jiff::SignedDuration::from_hours(hours);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[tokio::test]
async fn opening_the_home_tab_publishes_it_for_a_connected_and_a_not_connected_user() {
    let app = ready().await;
    // Sven (Swedish) is connected and has a meeting coming up.
    app.connect(DM, SVEN).await;
    app.zoom.add_meeting(json!({
        "id": 86_123_456_789i64, "uuid": "sched==", "host_id": ZOOM_SVEN,
        "topic": "Planering <Q3> & budget", "type": 2, "status": "waiting",
        "start_time": future_iso(&app, 26), "duration": 45,
        "join_url": "https://us05web.zoom.us/j/86123456789?pwd=xyz"
    }));
    open_tab(&app, SVEN, "home").await;
    let home = home_of(&app, SVEN);
    let text = home.to_string();
    assert!(text.contains("Anslutningar"), "Swedish: {text}");
    assert!(text.contains("ansluten som sven@example.com"), "{text}");
    assert!(
        text.contains("Planering &lt;Q3&gt; &amp; budget"),
        "escaped: {text}"
    );
    assert!(
        text.contains("<!date^") && text.contains(" kl. {time}"),
        "{text}"
    );
    assert_eq!(
        accessory(&home, "home.join")["url"],
        "https://us05web.zoom.us/j/86123456789?pwd=xyz"
    );
    let ids = action_ids(&home);
    assert!(ids.contains(&"home.disconnect".to_owned()), "{ids:?}");
    assert!(ids.contains(&"home.settings".to_owned()), "{ids:?}");
    assert!(!ids.contains(&"home.connect".to_owned()), "{ids:?}");
    let listed = app.zoom.calls_to("GET /users/me/meetings");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].args["type"], "upcoming");

    // Alice (English) is not connected: a Connect link, no meetings asked for.
    open_tab(&app, ALICE, "home").await;
    let home = home_of(&app, ALICE);
    let text = home.to_string();
    assert!(
        text.contains("Connections") && text.contains("not connected"),
        "{text}"
    );
    let connect = accessory(&home, "home.connect");
    assert_eq!(connect["text"]["text"], "Connect Zoom");
    assert!(
        connect["url"]
            .as_str()
            .unwrap()
            .starts_with("https://zlack.test/zoom/install?ref="),
        "{connect}"
    );
    assert!(!action_ids(&home).contains(&"home.disconnect".to_owned()));
    assert_eq!(app.zoom.calls_to("GET /users/me/meetings").len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_messages_tab_publishes_nothing() {
    let app = ready().await;
    open_tab(&app, ALICE, "messages").await;
    assert!(app.slack.calls_to("views.publish").is_empty());
    assert_eq!(app.slack.home_publishes(ALICE), 0);
    app.stop().await;
}

#[tokio::test]
async fn connecting_from_the_home_tab_and_disconnecting_publish_it_again() {
    let app = ready().await;
    open_tab(&app, ALICE, "home").await;
    let home = home_of(&app, ALICE);
    let link = accessory(&home, "home.connect")["url"]
        .as_str()
        .unwrap()
        .to_owned();
    app.zoom.set_next_login(ZOOM_ALICE);
    let page = app.authorize_zoom(&link, ALICE).await;
    assert_eq!(page.status(), 200);
    run_refreshes(&app).await;
    assert_eq!(app.slack.home_publishes(ALICE), 2);
    let home = home_of(&app, ALICE);
    assert!(
        home.to_string().contains("connected as alice@example.com"),
        "{home:#}"
    );

    // Disconnect on the Home tab: as /zoom logout.
    let press = json!({
        "type": "block_actions", "trigger_id": "t-home-disconnect",
        "team": {"id": TEAM}, "user": {"id": ALICE, "team_id": TEAM},
        "container": {"type": "view", "view_id": "V1"},
        "view": {"id": "V1", "type": "home"},
        "actions": [{"action_id": "home.disconnect", "type": "button", "value": "disconnect"}]
    });
    assert_eq!(app.signer.slack_interaction(&press).await.status(), 200);
    run_refreshes(&app).await;
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(app.slack.home_publishes(ALICE), 3);
    assert!(action_ids(&home_of(&app, ALICE)).contains(&"home.connect".to_owned()));

    // Connecting again with the "Authorize Zoom" prompt, then /zoom logout.
    app.connect(PUBLIC, ALICE).await;
    run_refreshes(&app).await;
    assert_eq!(app.slack.home_publishes(ALICE), 4);
    app.slash(PUBLIC, ALICE, "logout").await;
    run_refreshes(&app).await;
    assert_eq!(app.slack.home_publishes(ALICE), 5);
    assert!(action_ids(&home_of(&app, ALICE)).contains(&"home.connect".to_owned()));
    app.stop().await;
}

#[tokio::test]
async fn disconnecting_on_an_org_wide_install_publishes_the_home_tab_again() {
    let app = TestApp::spawn().await;
    let org = "E0ORG";
    app.slack.set_enterprise(TEAM, org);
    app.slack.add_workspace(org, "xoxb-org-token");
    app.install_org_wide(org, "xoxb-org-token").await;
    let link = crate::helpers::db::zoom_link(TEAM, ALICE, ZOOM_ALICE);
    let mut tx = app.store.begin().await.unwrap();
    app.store.save_zoom_link(&mut tx, &link).await.unwrap();
    tx.commit().await.unwrap();
    let press = json!({
        "type": "block_actions", "trigger_id": "t-home-disconnect-org",
        "team": {"id": TEAM, "enterprise_id": org},
        "user": {"id": ALICE, "team_id": TEAM},
        "container": {"type": "view", "view_id": "V1"},
        "view": {"id": "V1", "type": "home"},
        "actions": [{"action_id": "home.disconnect", "type": "button", "value": "disconnect"}]
    });
    assert_eq!(app.signer.slack_interaction(&press).await.status(), 200);
    run_refreshes(&app).await;
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(app.slack.home_publishes(ALICE), 1);
    assert!(action_ids(&home_of(&app, ALICE)).contains(&"home.connect".to_owned()));
    app.stop().await;
}

#[tokio::test]
async fn when_zoom_does_not_list_the_meetings_the_home_tab_says_so_and_still_appears() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.zoom.fail_next(
        "GET /users/{userId}/meetings",
        Fault::ServerError { status: 503 },
        1,
    );
    open_tab(&app, ALICE, "home").await;
    let text = home_of(&app, ALICE).to_string();
    assert!(text.contains("Zoom did not answer"), "{text}");
    assert!(text.contains("connected as"), "{text}");

    // A grant without the permission to list meetings: connect again.
    app.zoom.fail_next(
        "GET /users/{userId}/meetings",
        Fault::ZoomError {
            status: 400,
            code: 4711,
            message: "Invalid access token, does not contain scopes:[meeting:read:list_meetings]"
                .into(),
        },
        1,
    );
    open_tab(&app, ALICE, "home").await;
    let text = home_of(&app, ALICE).to_string();
    assert!(text.contains("connect your Zoom account again"), "{text}");
    assert!(!text.contains("Zoom did not answer"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn refreshes_in_one_window_publish_once() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    app.run_jobs().await;
    let before = app.slack.home_publishes(ALICE);
    // Connecting queued one refresh; two logouts and a reconnect in the same
    // window add none.
    app.slash(PUBLIC, ALICE, "logout").await;
    app.slash(PUBLIC, ALICE, "logout").await;
    app.run_jobs().await;
    assert_eq!(
        app.slack.home_publishes(ALICE),
        before,
        "not before the window ends"
    );
    app.clock.advance_ms(WINDOW_MS);
    app.run_jobs().await;
    assert_eq!(app.slack.home_publishes(ALICE), before + 1);
    app.stop().await;
}

#[tokio::test]
async fn a_meeting_starting_and_ending_publishes_its_hosts_home_tab_again() {
    let app = ready().await;
    app.connect(PUBLIC, ALICE).await;
    let row = app.announce(PUBLIC, ALICE, "meeting Weekly sync").await;
    run_refreshes(&app).await;
    let before = app.slack.home_publishes(ALICE);
    let id = row.zoom_meeting_id.expect("Zoom made the meeting");
    let uuid = row
        .zoom_uuid
        .clone()
        .map_or_else(|| format!("uuid-{id}=="), String::from);
    let occurrence = crate::helpers::meetings::Occurrence::new(id, &uuid, ZOOM_ALICE);
    app.zoom_hook(&occurrence.started(0)).await;
    run_refreshes(&app).await;
    assert_eq!(app.slack.home_publishes(ALICE), before + 1);
    assert_eq!(app.slack.home_publishes(SVEN), 0, "only the host's");
    app.zoom_hook(&occurrence.ended(0, 600)).await;
    run_refreshes(&app).await;
    assert_eq!(app.slack.home_publishes(ALICE), before + 2);
    app.stop().await;
}

#[tokio::test]
async fn a_settings_card_button_publishes_the_home_tab_again() {
    let app = ready().await;
    let url = app.config_card(PUBLIC, ALICE).await;
    app.run_jobs().await;
    assert!(
        app.only_response(&url)
            .to_string()
            .contains("config.lang.sv")
    );
    let press = json!({
        "type": "block_actions", "trigger_id": "t-card-lang",
        "response_url": app.slack.new_response_url(),
        "team": {"id": TEAM}, "user": {"id": ALICE},
        "actions": [{"action_id": "config.lang.sv", "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&press).await.status(), 200);
    run_refreshes(&app).await;
    assert_eq!(app.slack.home_publishes(ALICE), 1);
    assert!(
        home_of(&app, ALICE)
            .to_string()
            .contains("Dina inställningar")
    );
    app.stop().await;
}

// ---- The settings modal ----

/// A `view_submission` of `modal` by `user`: each input as Slack sends
/// it (its initial choice), `choices` (block id, value) replacing some.
fn submission(modal: &ShownView, user: &str, choices: &[(&str, &str)]) -> Value {
    let mut values = serde_json::Map::new();
    for block in modal.view["blocks"].as_array().unwrap() {
        if block["type"] != "input" {
            continue;
        }
        let id = block["block_id"].as_str().unwrap();
        let initial = block["element"]["initial_option"]["value"].clone();
        values.insert(
            id.to_owned(),
            json!({"choice": {"type": "radio_buttons", "selected_option": {"value": initial}}}),
        );
    }
    for (block, value) in choices {
        values.insert(
            (*block).to_owned(),
            json!({"choice": {"type": "radio_buttons", "selected_option": {"value": value}}}),
        );
    }
    json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "team"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": sandbox::API_APP_ID,
        "trigger_id": format!("{user}.{}", unique()),
        "view": {
            "id": modal.id, "type": "modal", "hash": modal.hash,
            "callback_id": modal.view["callback_id"],
            "private_metadata": modal.view["private_metadata"],
            "state": {"values": values}
        }
    })
}

/// `user` types `/zoom config`; the modal it opened and its trigger.
async fn open_settings(app: &TestApp, user: &str) -> (ShownView, String) {
    let mut trigger = String::new();
    let url = app
        .slash_with(PUBLIC, user, "config", |t| trigger = t.to_owned())
        .await;
    app.run_jobs().await;
    assert!(app.responses(&url).is_empty(), "a modal, not a card");
    let opened = app.slack.calls_to("views.open");
    let last = opened.last().expect("views.open was called");
    assert_eq!(last.args["trigger_id"], trigger.as_str());
    let modal = app.slack.modals_of(user).pop().expect("a modal is open");
    FakeSlack::check_view(&modal.view, "modal").expect("a valid modal");
    (modal, trigger)
}

fn input_ids(modal: &ShownView) -> Vec<&str> {
    modal.view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "input")
        .filter_map(|b| b["block_id"].as_str())
        .collect()
}

#[tokio::test]
async fn zoom_config_opens_the_settings_modal_with_the_commands_trigger() {
    let app = ready().await;
    let (modal, _) = open_settings(&app, ALICE).await;
    assert_eq!(modal.view["callback_id"], "zlack.settings");
    assert_eq!(modal.view["title"]["text"], "Zoom settings");
    let ids = input_ids(&modal);
    assert!(ids.contains(&"settings.status_sync"), "{ids:?}");
    assert!(
        !ids.iter().any(|id| id.starts_with("workspace.")),
        "{ids:?}"
    );
    let meta = modal.view["private_metadata"].as_str().unwrap();
    assert!(
        !meta.contains("http"),
        "no response_url in the view: {meta}"
    );

    // An admin also gets the workspace's settings; Sven in Swedish.
    app.slack.set_admin(SVEN, true);
    let (modal, _) = open_settings(&app, SVEN).await;
    assert_eq!(modal.view["title"]["text"], "Inställningar för Zoom");
    let ids = input_ids(&modal);
    for id in [
        "workspace.recordings",
        "workspace.phone",
        "workspace.whiteboards",
    ] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_late_zoom_config_whose_trigger_expired_gets_the_settings_card() {
    let app = ready().await;
    let url = app.config_card(PUBLIC, ALICE).await;
    app.run_jobs().await;
    let refused = app.slack.calls_to("views.open");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].error.as_deref(), Some("expired_trigger_id"));
    let card = app.only_response(&url);
    assert!(card.to_string().contains("config.passcode.on"), "{card:#}");
    app.stop().await;
}

#[tokio::test]
async fn a_submitted_modal_stores_the_settings_closes_and_refreshes_the_home_tab() {
    let app = ready().await;
    let (modal, _) = open_settings(&app, ALICE).await;
    let body = submission(
        &modal,
        ALICE,
        &[
            ("settings.passcode", "on"),
            ("settings.language", "sv"),
            ("settings.status_sync", "on"),
        ],
    );
    let answer = app.signer.slack_interaction(&body).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.text().await.unwrap(),
        "",
        "an empty answer closes the modal"
    );
    run_refreshes(&app).await;
    let stored = app
        .store
        .user_settings(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .expect("settings stored");
    let stored: zlack_domain::UserSettings = serde_json::from_str(&stored).unwrap();
    assert!(stored.show_passcode && stored.status_sync && !stored.use_pmi);
    assert_eq!(stored.language, zlack_domain::LangSetting::Sv);
    // The Home tab shows them, in the language just chosen.
    let home = home_of(&app, ALICE).to_string();
    assert!(home.contains("Dina inställningar"), "{home}");
    // Status sync waits for her permission, and the Home tab says so.
    assert!(home.contains("Väntar på din tillåtelse"), "{home}");
    app.stop().await;
}

#[tokio::test]
async fn invalid_input_comes_back_as_errors_in_the_modal_and_changes_nothing() {
    let app = ready().await;
    app.slack.set_admin(SVEN, true);
    let policy = app.store.recording_policy(&TEAM.into()).await.unwrap();
    let (modal, _) = open_settings(&app, SVEN).await;
    let body = submission(
        &modal,
        SVEN,
        &[
            ("settings.passcode", "sometimes"),
            ("workspace.recordings", "everyone"),
        ],
    );
    let answer = app.signer.slack_interaction(&body).await;
    assert_eq!(answer.status(), 200);
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["response_action"], "errors");
    let errors = answer["errors"].as_object().unwrap();
    assert_eq!(errors.len(), 2, "{answer:#}");
    assert!(
        errors["settings.passcode"]
            .as_str()
            .unwrap()
            .contains("alternativen"),
        "in the modal's language: {answer:#}"
    );
    assert!(errors.contains_key("workspace.recordings"));
    assert!(app.run_jobs().await.is_empty(), "nothing was stored");
    assert!(
        app.store
            .user_settings(&TEAM.into(), &SVEN.into())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.store.recording_policy(&TEAM.into()).await.unwrap(),
        policy
    );
    app.stop().await;
}

#[tokio::test]
async fn only_an_admin_changes_the_workspace_policy_from_the_modal() {
    let app = ready().await;
    // Alice is no admin: her forged submission of the workspace fields
    // changes her own settings only.
    let policy = app.store.recording_policy(&TEAM.into()).await.unwrap();
    let whiteboards = app.store.whiteboard_detail(&TEAM.into()).await.unwrap();
    let (modal, _) = open_settings(&app, ALICE).await;
    let forged = submission(
        &modal,
        ALICE,
        &[
            ("settings.pmi", "on"),
            ("workspace.recordings", "nowhere"),
            ("workspace.phone", "off"),
            ("workspace.whiteboards", "nowhere"),
        ],
    );
    let answer = app.signer.slack_interaction(&forged).await;
    assert_eq!(answer.status(), 200);
    app.run_jobs().await;
    assert_eq!(
        app.store.recording_policy(&TEAM.into()).await.unwrap(),
        policy
    );
    assert!(app.store.phone_notices_allowed(&TEAM.into()).await.unwrap());
    assert_eq!(
        app.store.whiteboard_detail(&TEAM.into()).await.unwrap(),
        whiteboards
    );
    let alice = app
        .store
        .user_settings(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .unwrap();
    assert!(alice.contains("\"use_pmi\":true"), "{alice}");

    // Sven is an admin when he submits: the workspace changes.
    app.slack.set_admin(SVEN, true);
    let (modal, _) = open_settings(&app, SVEN).await;
    let body = submission(
        &modal,
        SVEN,
        &[
            ("workspace.recordings", "host_only"),
            ("workspace.whiteboards", "private_only"),
        ],
    );
    assert_eq!(app.signer.slack_interaction(&body).await.status(), 200);
    app.run_jobs().await;
    assert_eq!(
        app.store
            .recording_policy(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some("host_only")
    );
    assert_eq!(
        app.store
            .whiteboard_detail(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some("private_only")
    );

    // No longer an admin by the time his next submission is carried out.
    let (modal, _) = open_settings(&app, SVEN).await;
    let body = submission(&modal, SVEN, &[("workspace.recordings", "conversation")]);
    assert_eq!(app.signer.slack_interaction(&body).await.status(), 200);
    app.slack.set_admin(SVEN, false);
    app.run_jobs().await;
    assert_eq!(
        app.store
            .recording_policy(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some("host_only")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_home_tabs_settings_button_opens_the_modal_with_the_press_trigger() {
    let app = ready().await;
    open_tab(&app, ALICE, "home").await;
    let press = |trigger: &str| {
        json!({
            "type": "block_actions", "trigger_id": trigger,
            "team": {"id": TEAM}, "user": {"id": ALICE, "team_id": TEAM},
            "container": {"type": "view", "view_id": "V1"},
            "view": {"id": "V1", "type": "home"},
            "actions": [{"action_id": "home.settings", "type": "button", "value": "settings"}]
        })
    };
    app.slack.set_trigger_user("t-home-settings", ALICE);
    assert_eq!(
        app.signer
            .slack_interaction(&press("t-home-settings"))
            .await
            .status(),
        200
    );
    app.run_jobs().await;
    let opened = app.slack.calls_to("views.open");
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].args["trigger_id"], "t-home-settings");
    assert_eq!(app.slack.modals_of(ALICE).len(), 1);

    // Pressed while zlack was down: the card comes in the app's DM.
    app.slack.expire_trigger("t-home-late");
    assert_eq!(
        app.signer
            .slack_interaction(&press("t-home-late"))
            .await
            .status(),
        200
    );
    app.run_jobs().await;
    let dm = app.slack.calls_to("chat.postMessage");
    let card = dm.last().expect("the settings card was sent");
    assert_eq!(card.args["channel"], ALICE);
    assert!(
        card.args["blocks"]
            .to_string()
            .contains("config.passcode.on")
    );
    app.stop().await;
}

#[tokio::test]
async fn over_socket_mode_a_modal_submission_is_answered_in_the_ack() {
    let app = TestApp::spawn_with(|s| {
        s.push((
            "ZLACK_SLACK_APP_TOKEN".into(),
            crate::helpers::app::APP_TOKEN.into(),
        ));
    })
    .await;
    app.install_workspace().await;
    app.slack
        .wait_for_socket_connections(2, Duration::from_secs(30))
        .await;
    let (modal, _) = open_settings(&app, ALICE).await;

    let invalid =
        app.slack
            .push_interaction(&submission(&modal, ALICE, &[("settings.pmi", "perhaps")]));
    let ack = wait_for_ack(&app, &invalid).await;
    let payload = ack.payload.expect("errors in the ack");
    assert_eq!(payload["response_action"], "errors");
    assert!(payload["errors"]["settings.pmi"].is_string(), "{payload:#}");
    assert!(app.run_jobs().await.is_empty(), "nothing stored");

    let valid = app
        .slack
        .push_interaction(&submission(&modal, ALICE, &[("settings.pmi", "on")]));
    let ack = wait_for_ack(&app, &valid).await;
    assert_eq!(ack.payload, None, "a plain ack closes the modal");
    app.run_jobs().await;
    let stored = app
        .store
        .user_settings(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .unwrap();
    assert!(stored.contains("\"use_pmi\":true"), "{stored}");
    app.stop().await;
}

async fn wait_for_ack(app: &TestApp, envelope: &str) -> sandbox::SocketAck {
    let wait = Duration::from_secs(10);
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let acks = app.slack.socket_acks();
        if let Some(ack) = acks.iter().find(|a| a.envelope_id == envelope) {
            return ack.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "{envelope} acked");
        app.slack.wait_for_socket_acks(acks.len() + 1, wait).await;
    }
}
