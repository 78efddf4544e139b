//! Where a whiteboard unfurl shows the board's name, owner, last change and
//! preview: by default wherever the sharer pastes a board they can read,
//! as Zoom's own app does; a workspace admin may keep that to private
//! conversations or show it nowhere, and on Enterprise Grid an org-wide
//! install's setting is the org admins' to change. Where the board's link
//! opens for fewer people than read the conversation, the unfurl says so.

use sandbox::ChannelKind;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;
use crate::unfurls::{BOARD_URL, SECRET_NAME, board, leaks, paste_in, unfurl_calls};

const CLOSED: &str = "C0WBCLOSED";
const SHARED: &str = "C0WBSHARED";

fn add_board(app: &TestApp, scope: Option<i64>) {
    let (mut body, _) = board(&[]);
    if let Some(scope) = scope {
        body["share_link_setting"] = json!({"share_scope": scope, "share_role": null});
    }
    app.zoom.add_whiteboard(body, &[ZOOM_ALICE]);
}

async fn world() -> TestApp {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.slack.add_channel(CLOSED, ChannelKind::Private, true);
    app.slack.add_channel(SHARED, ChannelKind::Public, true);
    app.slack.share_externally(SHARED);
    app
}

/// The board's unfurl when Alice pastes it in `channel` (or the composer).
async fn unfurl_in(app: &TestApp, channel: Option<&str>) -> Value {
    match channel {
        Some(channel) => paste_in(app, channel, ALICE, &[BOARD_URL], false).await,
        None => paste_in(app, PUBLIC, ALICE, &[BOARD_URL], true).await,
    }
    let (_, unfurls) = unfurl_calls(app).pop().expect("unfurled");
    unfurls[BOARD_URL].clone()
}

#[tokio::test]
async fn a_readable_board_shows_its_details_where_the_workspace_allows() {
    let app = world().await;
    add_board(&app, Some(2));
    // (where, shown everywhere, shown in private conversations only)
    let places: [(&str, Option<&str>, bool); 5] = [
        ("composer", None, true),
        ("direct message", Some(DM), true),
        ("private channel", Some(CLOSED), true),
        ("public channel", Some(PUBLIC), false),
        ("externally shared channel", Some(SHARED), false),
    ];
    for setting in ["everywhere", "private_only", "nowhere"] {
        assert!(
            app.store
                .set_whiteboard_detail(&TEAM.into(), setting)
                .await
                .unwrap()
        );
        for (place, channel, private) in places {
            let unfurl = unfurl_in(&app, channel).await;
            let shown = match setting {
                "everywhere" => true,
                "private_only" => private,
                _ => false,
            };
            if shown {
                assert!(
                    unfurl.to_string().contains(SECRET_NAME)
                        && unfurl.to_string().contains("/preview/"),
                    "{setting}, {place}: {unfurl}"
                );
            } else {
                assert_eq!(leaks(&unfurl), Vec::<&str>::new(), "{setting}, {place}");
                assert!(
                    unfurl.to_string().contains("Zoom Whiteboard"),
                    "{setting}, {place}: {unfurl}"
                );
                assert!(
                    !unfurl.to_string().contains("unfurl.connect"),
                    "no offer to connect where nothing would show: {setting}, {place}"
                );
            }
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_unfurl_says_who_can_open_a_board_whose_link_opens_for_fewer() {
    let app = world().await;
    let invited = "Only people invited to this whiteboard can open it.";
    let account = "Only people in this whiteboard's Zoom account can open it.";
    // Invite only: wherever others read it, but not to the sharer alone.
    add_board(&app, Some(0));
    let text = |v: &Value| v.to_string();
    assert!(text(&unfurl_in(&app, Some(PUBLIC)).await).contains(invited));
    assert!(text(&unfurl_in(&app, Some(CLOSED)).await).contains(invited));
    assert!(!text(&unfurl_in(&app, None).await).contains(invited));
    // The account: only where another organization reads along.
    add_board(&app, Some(1));
    assert!(text(&unfurl_in(&app, Some(SHARED)).await).contains(account));
    assert!(!text(&unfurl_in(&app, Some(PUBLIC)).await).contains(account));
    // Anyone with the link, or Zoom does not say: no note.
    add_board(&app, Some(2));
    let open = text(&unfurl_in(&app, Some(SHARED)).await);
    assert!(!open.contains(invited) && !open.contains(account), "{open}");
    add_board(&app, None);
    let unknown = text(&unfurl_in(&app, Some(SHARED)).await);
    assert!(unknown.contains(SECRET_NAME) && !unknown.contains(account));
    app.stop().await;
}

fn next_press() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn press(app: &TestApp, user: &str, enterprise: Option<&str>, action: &str) {
    let mut team = json!({"id": TEAM});
    if let Some(org) = enterprise {
        team["enterprise_id"] = org.into();
    }
    let payload = json!({
        "type": "block_actions", "trigger_id": format!("t-{action}-{user}-{}", next_press()),
        "response_url": app.slack.new_response_url(), "team": team, "user": {"id": user},
        "actions": [{"action_id": action, "type": "button"}]
    });
    assert_eq!(app.signer.slack_interaction(&payload).await.status(), 200);
    app.run_jobs().await;
}

#[tokio::test]
async fn only_a_workspace_admin_chooses_where_whiteboards_show() {
    let app = world().await;
    press(&app, SVEN, None, "config.whiteboards.nowhere").await;
    assert_eq!(
        app.store.whiteboard_detail(&TEAM.into()).await.unwrap(),
        None
    );
    app.slack.set_admin(ALICE, true);
    press(&app, ALICE, None, "config.whiteboards.private_only").await;
    assert_eq!(
        app.store
            .whiteboard_detail(&TEAM.into())
            .await
            .unwrap()
            .as_deref(),
        Some("private_only")
    );
    app.stop().await;
}

#[tokio::test]
async fn an_org_wide_installs_setting_is_changed_only_by_an_org_admin() {
    let app = TestApp::spawn().await;
    let org = "E0ORG";
    app.slack.set_enterprise(TEAM, org);
    app.slack.add_workspace(org, "xoxb-org-token");
    app.install_org_wide(org, "xoxb-org-token").await;
    // An admin of one workspace would change it for every workspace of
    // the org: refused.
    app.slack.set_admin(ALICE, true);
    let policy = app.store.recording_policy(&org.into()).await.unwrap();
    press(&app, ALICE, Some(org), "config.whiteboards.nowhere").await;
    press(&app, ALICE, Some(org), "config.recordings.nowhere").await;
    assert_eq!(
        app.store.whiteboard_detail(&org.into()).await.unwrap(),
        None
    );
    assert_eq!(
        app.store.recording_policy(&org.into()).await.unwrap(),
        policy
    );
    app.slack.set_org_admin(SVEN, true);
    press(&app, SVEN, Some(org), "config.whiteboards.nowhere").await;
    assert_eq!(
        app.store
            .whiteboard_detail(&org.into())
            .await
            .unwrap()
            .as_deref(),
        Some("nowhere")
    );
    app.stop().await;
}
