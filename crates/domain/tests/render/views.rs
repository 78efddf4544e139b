//! The App Home tab and the settings modal: snapshots in both languages,
//! Slack's view model, and the limits Slack enforces on views.

use serde_json::{Value, json};
use slack_morphism::prelude::SlackView;
use zlack_domain::delivery::RecordingPolicy;
use zlack_domain::meeting::Timestamp;
use zlack_domain::render::home::{
    HomeView, MEETINGS, Upcoming, UpcomingMeeting, ZoomConnection, ZoomMode, home_view,
};
use zlack_domain::render::settings_modal::{
    FieldError, SettingsModal, error_texts, settings_modal,
};
use zlack_domain::render::{WorkspaceSettings, settings_modal::MODAL_TEXT};
use zlack_domain::whiteboard::WhiteboardDetail;
use zlack_domain::{Lang, LangSetting, Texts, UserSettings};

use crate::catalog::normal;

const CONNECT: &str = "https://zlack.example.com/zoom/install?ref=abc";

fn meetings(topic: &str, n: usize) -> Vec<UpcomingMeeting> {
    let start = Timestamp::from_second(1_796_000_400).unwrap();
    (0..n)
        .map(|i| UpcomingMeeting {
            topic: if i == 2 {
                String::new()
            } else {
                format!("{topic} {}", i + 1)
            },
            start: (i != 1).then(|| start + jiff::SignedDuration::from_hours(i as i64 * 24)),
            join_url: Some(format!(
                "https://us05web.zoom.us/j/8574635241{i}?pwd=aBcD.1"
            )),
            live: i == 0,
        })
        .collect()
}

/// Every view, named, in `lang`.
pub fn views(t: &Texts, lang: Lang) -> Vec<(&'static str, Value)> {
    let i = normal(lang);
    let settings = UserSettings {
        show_passcode: true,
        language: LangSetting::Sv,
        status_sync: true,
        ..UserSettings::default()
    };
    let defaults = UserSettings::default();
    let home = |mode, zoom, upcoming, phone| HomeView {
        workspace: Some("Acme & <Co>"),
        mode,
        zoom,
        settings: &settings,
        workspace_phone_notices: phone,
        upcoming,
        status_sync_pending: false,
        tz: "Europe/Stockholm",
    };
    let connected = ZoomConnection::Connected {
        account: Some("jane@example.com"),
    };
    let workspace = WorkspaceSettings {
        recordings: RecordingPolicy::HostOnly,
        phone_notices: true,
        whiteboards: WhiteboardDetail::PrivateOnly,
    };
    let modal = |settings, phone, workspace| SettingsModal {
        settings,
        workspace_phone_notices: phone,
        workspace,
        private_metadata: "{\"lang\":\"en\"}",
    };
    vec![
        (
            "home_connected",
            home_view(
                t,
                lang,
                &home(
                    ZoomMode::Personal,
                    connected,
                    Upcoming::Listed(meetings(i.topic, 3)),
                    true,
                ),
            ),
        ),
        (
            "home_connected_many_meetings",
            home_view(
                t,
                lang,
                &home(
                    ZoomMode::Organization,
                    ZoomConnection::Connected { account: None },
                    Upcoming::Listed(meetings(i.topic, MEETINGS + 4)),
                    false,
                ),
            ),
        ),
        (
            "home_connected_no_meetings",
            home_view(
                t,
                lang,
                &home(
                    ZoomMode::Personal,
                    connected,
                    Upcoming::Listed(vec![]),
                    true,
                ),
            ),
        ),
        (
            "home_not_connected",
            home_view(
                t,
                lang,
                &home(
                    ZoomMode::Personal,
                    ZoomConnection::NotConnected {
                        connect_url: Some(CONNECT),
                    },
                    Upcoming::NotConnected,
                    true,
                ),
            ),
        ),
        (
            "home_broken",
            home_view(
                t,
                lang,
                &home(
                    ZoomMode::Personal,
                    ZoomConnection::Broken {
                        connect_url: Some(CONNECT),
                    },
                    Upcoming::NotConnected,
                    true,
                ),
            ),
        ),
        (
            "home_server_to_server_unlinked",
            home_view(
                t,
                lang,
                &HomeView {
                    workspace: None,
                    ..home(
                        ZoomMode::ServerToServer,
                        ZoomConnection::NotConnected { connect_url: None },
                        Upcoming::NotConnected,
                        true,
                    )
                },
            ),
        ),
        (
            "home_status_sync_pending",
            home_view(
                t,
                lang,
                &HomeView {
                    status_sync_pending: true,
                    ..home(
                        ZoomMode::Personal,
                        connected,
                        Upcoming::Listed(vec![]),
                        true,
                    )
                },
            ),
        ),
        (
            "home_meetings_unavailable",
            home_view(
                t,
                lang,
                &home(ZoomMode::Personal, connected, Upcoming::Unavailable, true),
            ),
        ),
        (
            "home_meetings_no_permission",
            home_view(
                t,
                lang,
                &home(ZoomMode::Personal, connected, Upcoming::NoPermission, true),
            ),
        ),
        (
            "settings_modal",
            settings_modal(t, lang, modal(&defaults, true, None)),
        ),
        (
            "settings_modal_admin",
            settings_modal(t, lang, modal(&settings, true, Some(workspace))),
        ),
        (
            "settings_modal_phone_off_by_workspace",
            settings_modal(
                t,
                lang,
                modal(
                    &settings,
                    false,
                    Some(WorkspaceSettings {
                        phone_notices: false,
                        ..workspace
                    }),
                ),
            ),
        ),
        (
            "settings_modal_errors",
            json!(error_texts(
                t,
                lang,
                &[
                    ("settings.passcode".into(), FieldError::NotAChoice),
                    ("settings.pmi".into(), FieldError::Missing),
                ]
            )),
        ),
    ]
}

#[test]
fn every_view_matches_its_snapshot_in_both_languages() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for (name, view) in views(&t, lang) {
            insta::assert_json_snapshot!(format!("view_{name}.{}", lang.code()), view);
        }
    }
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

#[test]
fn every_view_is_a_valid_slack_view() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for (name, view) in views(&t, lang) {
            if view.get("type").is_none() {
                continue;
            }
            let parsed: SlackView = serde_json::from_value(view.clone())
                .unwrap_or_else(|e| panic!("{name}: {e}: {view:#}"));
            let again = serde_json::to_value(&parsed).expect("serializes");
            assert_eq!(again, view, "{name}: round trip through Slack's model");
            let blocks = view["blocks"].as_array().unwrap();
            assert!(blocks.len() <= 100, "{name}: at most 100 blocks");
            let mut ids: Vec<&str> = blocks
                .iter()
                .filter_map(|b| b["block_id"].as_str())
                .collect();
            let count = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), count, "{name}: block ids are unique");
            match view["type"].as_str() {
                Some("home") => assert!(
                    blocks.iter().all(|b| b["type"] != "input"),
                    "{name}: no input blocks in a Home tab"
                ),
                Some("modal") => {
                    for field in ["title", "submit", "close"] {
                        let text = &view[field]["text"];
                        assert!(
                            (1..=MODAL_TEXT).contains(&chars(text)),
                            "{name}: {field} {text} within {MODAL_TEXT} characters"
                        );
                        assert_eq!(view[field]["type"], "plain_text");
                    }
                    assert!(chars(&view["private_metadata"]) <= 3000);
                }
                other => panic!("{name}: view type {other:?}"),
            }
            for block in blocks {
                if let Some(text) = block["text"]["text"].as_str() {
                    assert!(text.chars().count() <= 3000, "{name}: {block}");
                }
                if block["type"] == "header" {
                    assert!(chars(&block["text"]["text"]) <= 150, "{name}: {block}");
                }
                if block["type"] == "input" {
                    assert!(chars(&block["label"]["text"]) <= 2000, "{name}: {block}");
                    assert!(chars(&block["hint"]["text"]) <= 2000, "{name}: {block}");
                    let options = block["element"]["options"].as_array().unwrap();
                    assert!(options.len() <= 10, "{name}: radio buttons hold 10");
                    for option in options {
                        assert!(chars(&option["text"]["text"]) <= 75, "{name}: {option}");
                    }
                }
                let button = &block["accessory"];
                if button["type"] == "button" {
                    assert!(chars(&button["text"]["text"]) <= 75, "{name}: {button}");
                    assert!(chars(&button["action_id"]) <= 255);
                }
            }
        }
    }
}

#[test]
fn the_home_tab_shows_every_meeting_as_a_date_token_with_a_join_button() {
    let t = Texts::new();
    let views = views(&t, Lang::Sv);
    let home = &views
        .iter()
        .find(|(n, _)| *n == "home_connected")
        .unwrap()
        .1;
    let text = home.to_string();
    assert!(text.contains("<!date^"), "{text}");
    assert!(text.contains(" kl. {time}"), "Swedish says kl.: {text}");
    let joins = text.matches("\"home.join\"").count();
    assert_eq!(joins, 3);
    let many = &views
        .iter()
        .find(|(n, _)| *n == "home_connected_many_meetings")
        .unwrap()
        .1;
    assert_eq!(many.to_string().matches("\"home.join\"").count(), MEETINGS);
}
