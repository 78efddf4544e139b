//! Every message the renderer produces, with ordinary or hostile inputs.

use serde_json::{Value, json};
use zlack_domain::render::{self, ErrorKind, JoinCard, MeetingCard, Message, PageKind};
use zlack_domain::status::Presence;
use zlack_domain::{Lang, LangSetting, Texts, UserSettings};

use crate::{notices, unfurls};

/// Inputs that go into the messages.
pub struct Inputs<'a> {
    pub topic: &'a str,
    pub host: &'a str,
    pub passcode: &'a str,
    pub starts: &'a str,
    pub word: &'a str,
    pub display_name: &'a str,
    pub join_url: &'a str,
    /// The channel a meeting was announced in.
    pub channel: &'a str,
    /// Another Slack user id (the app's bot user, a DM partner).
    pub user: &'a str,
    /// The AI Companion summary's title.
    pub summary_title: &'a str,
    /// The AI Companion summary's overview.
    pub summary: &'a str,
}

pub const NORMAL_EN: Inputs = Inputs {
    topic: "Weekly sync",
    host: "U0123ABCD",
    passcode: "482913",
    starts: "Mon 3 March, 14:00",
    word: "standup",
    display_name: "Jane Doe",
    join_url: "https://us05web.zoom.us/j/85746352413?pwd=aBcD.1",
    channel: "C0123CHAN",
    user: "U0456EFGH",
    summary_title: "Weekly sync: Q3 planning",
    summary: "The team agreed on the Q3 roadmap & the release date.",
};

pub const NORMAL_SV: Inputs = Inputs {
    topic: "Veckomöte",
    starts: "mån 3 mars 14:00",
    display_name: "Åsa Öberg",
    summary_title: "Veckomöte: planering av Q3",
    summary: "Gruppen kom överens om färdplanen för Q3 & releasedatumet.",
    ..NORMAL_EN
};

pub fn normal(lang: Lang) -> &'static Inputs<'static> {
    match lang {
        Lang::En => &NORMAL_EN,
        Lang::Sv => &NORMAL_SV,
    }
}

/// Every message, named, rendered from `inputs`.
pub fn messages(t: &Texts, lang: Lang, i: &Inputs) -> Vec<(&'static str, Value)> {
    let card = MeetingCard {
        topic: i.topic,
        host_slack_id: i.host,
        meeting_id: 85_746_352_413,
        join_url: i.join_url,
        passcode: None,
        call_id: None,
        starts: None,
    };
    let full = MeetingCard {
        passcode: Some(i.passcode),
        call_id: Some("R07ABCDEF12"),
        starts: Some(i.starts),
        meeting_id: 1_234_567_890,
        ..card
    };
    let custom = UserSettings {
        show_passcode: true,
        use_pmi: true,
        language: LangSetting::Sv,
        phone_notices: false,
        status_sync: true,
    };
    let install = ErrorKind::WorkspaceNotInstalled {
        install_url: "https://zlack.example.com/slack/install".into(),
    };
    let error = |kind: &ErrorKind| render::error(t, lang, kind);
    let own: Vec<(&'static str, Message)> = vec![
        ("meeting_card", render::meeting_card(t, lang, &card)),
        (
            "meeting_card_scheduled_with_call",
            render::meeting_card(t, lang, &full),
        ),
        (
            "meeting_card_untitled",
            render::meeting_card(t, lang, &MeetingCard { topic: " ", ..card }),
        ),
        (
            "join_card",
            render::join_card(
                t,
                lang,
                &JoinCard {
                    join_url: i.join_url,
                    meeting_id: Some(85_746_352_413),
                    call_id: None,
                },
            ),
        ),
        (
            "join_card_personal_link",
            render::join_card(
                t,
                lang,
                &JoinCard {
                    join_url: "https://zoom.us/my/jane.doe",
                    meeting_id: None,
                    call_id: None,
                },
            ),
        ),
        (
            "authorize_prompt",
            render::authorize_prompt(t, lang, "https://zlack.example.com/zoom/install?state=abc"),
        ),
        (
            "reconnect_dm",
            render::reconnect_dm(t, lang, "https://zlack.example.com/zoom/install?state=def"),
        ),
        (
            "zoom_connected_dm",
            render::zoom_connected_dm(t, lang, "jane.doe@example.com"),
        ),
        (
            "status_allow_dm",
            render::status_allow_dm(t, lang, "https://zlack.example.com/slack/status?ref=ghi"),
        ),
        ("status_enabled_dm", render::status_enabled_dm(t, lang)),
        ("status_revoked_dm", render::status_revoked_dm(t, lang)),
        ("connected", render::connected(t, lang, None)),
        (
            "connected_resuming",
            render::connected(t, lang, Some(i.topic)),
        ),
        (
            "connected_resuming_untitled",
            render::connected(t, lang, Some("")),
        ),
        ("help", render::help(t, lang, None)),
        ("help_unknown_word", render::help(t, lang, Some(i.word))),
        (
            "config_card_default",
            render::config_card(t, lang, &UserSettings::default(), true),
        ),
        (
            "config_card_custom",
            render::config_card(t, lang, &custom, true),
        ),
        (
            "config_card_status_pending",
            render::with_status_pending(t, lang, render::config_card(t, lang, &custom, true)),
        ),
        (
            "config_card_phone_off_by_workspace",
            render::config_card(t, lang, &UserSettings::default(), false),
        ),
        (
            "config_card_admin",
            render::with_workspace_settings(
                t,
                lang,
                render::config_card(t, lang, &UserSettings::default(), true),
                render::WorkspaceSettings {
                    recordings: zlack_domain::delivery::RecordingPolicy::HostOnly,
                    phone_notices: false,
                    whiteboards: zlack_domain::whiteboard::WhiteboardDetail::PrivateOnly,
                },
            ),
        ),
        ("logged_out", render::logged_out(t, lang, true)),
        (
            "logged_out_not_connected",
            render::logged_out(t, lang, false),
        ),
        ("error_daily_limit", error(&ErrorKind::DailyLimit)),
        ("error_zoom_unavailable", error(&ErrorKind::ZoomUnavailable)),
        (
            "error_zoom_account_deactivated",
            error(&ErrorKind::ZoomAccountDeactivated),
        ),
        ("error_workspace_not_installed", error(&install)),
        ("error_response_expired", error(&ErrorKind::ResponseExpired)),
        (
            "error_slow_personal_meeting",
            error(&ErrorKind::SlowUsedPersonalMeeting),
        ),
        (
            "error_meeting_not_found",
            error(&ErrorKind::MeetingNotFound),
        ),
        (
            "error_invalid_join_target",
            error(&ErrorKind::InvalidJoinTarget),
        ),
        ("error_no_slack_email", error(&ErrorKind::NoSlackEmail)),
        (
            "error_no_zoom_user_for_email",
            error(&ErrorKind::NoZoomUserForEmail {
                email: format!("{}@example.com", i.word),
            }),
        ),
        (
            "error_zoom_user_inactive",
            error(&ErrorKind::ZoomUserInactive {
                email: format!("{}@example.com", i.word),
            }),
        ),
        (
            "error_organization_not_connected",
            error(&ErrorKind::OrganizationNotConnected {
                url: "https://zlack.example.com/".into(),
            }),
        ),
        (
            "error_zoom_credentials_refused",
            error(&ErrorKind::ZoomCredentialsRefused),
        ),
        (
            "error_missing_argument",
            error(&ErrorKind::MissingArgument { command: "join" }),
        ),
    ];
    let mut all: Vec<(&'static str, Value)> = own
        .into_iter()
        .chain(notices::messages(t, lang, i))
        .chain(crate::phone::messages(t, lang, i))
        .chain(crate::schedule::messages(t, lang, i))
        .map(|(name, message)| (name, message.into_json()))
        .collect();
    all.extend(unfurls::messages(t, lang, i));
    all
}

/// The plain strings: default topics and browser pages.
pub fn strings(t: &Texts, lang: Lang, i: &Inputs) -> Value {
    let pages: serde_json::Map<String, Value> = PageKind::ALL
        .into_iter()
        .map(|kind| {
            let (title, body) = render::page(t, lang, kind);
            (format!("{kind:?}"), json!({"title": title, "body": body}))
        })
        .collect();
    // The Slack status zlack shows while someone is in Zoom.
    let slack_status: serde_json::Map<String, Value> =
        [Presence::InMeeting, Presence::Presenting, Presence::OnCall]
            .into_iter()
            .map(|p| {
                let (text, emoji) = p.status(t, lang).expect("a busy presence has a status");
                (p.as_str().to_owned(), json!({"text": text, "emoji": emoji}))
            })
            .collect();
    json!({
        "default_topic": render::default_topic(t, lang, i.display_name),
        "default_topic_without_name": render::default_topic(t, lang, "  "),
        "pages": pages,
        "call_page": crate::phone::strings(t, lang),
        "slack_status": slack_status,
    })
}

/// Every block of a payload.
pub fn blocks(payload: &Value) -> &Vec<Value> {
    payload["blocks"].as_array().expect("a blocks array")
}

/// Every string under a key named `key`, anywhere in `value`.
pub fn strings_at(value: &Value, key: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == key => out.push(s.clone()),
                    _ => strings_at(v, key, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| strings_at(v, key, out)),
        _ => {}
    }
}
