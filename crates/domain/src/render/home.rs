//! The App Home tab: each user's own page of zlack, with their Slack and
//! Zoom connections, their settings, their upcoming meetings and a short
//! help.

use serde_json::{Value, json};

use super::blocks::{Button, section};
use super::format::{format_date_time, slack_date};
use super::help::command_lines;
use super::mrkdwn::{Md, clip, escape_mrkdwn, md};
use super::settings_modal::plain;
use crate::i18n::{Lang, Texts};
use crate::meeting::Timestamp;
use crate::settings::{LangSetting, UserSettings};

/// Every button of the Home tab has an `action_id` starting with this.
pub const ACTION_PREFIX: &str = "home.";

/// The Home tab's buttons.
pub mod action {
    /// Opens the settings modal.
    pub const SETTINGS: &str = "home.settings";
    /// Connects Zoom (a link to the signed connect page).
    pub const CONNECT: &str = "home.connect";
    /// Disconnects Zoom, as `/zoom logout` does.
    pub const DISCONNECT: &str = "home.disconnect";
    /// Joins an upcoming meeting (a link).
    pub const JOIN: &str = "home.join";
}

/// Upcoming meetings shown at most.
pub const MEETINGS: usize = 10;

/// How zlack reaches Zoom, as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomMode {
    /// Each person connects their own Zoom account.
    Personal,
    /// A Zoom admin connected the workspace to their Zoom account.
    Organization,
    /// One Zoom account for the whole workspace, set up by the operator.
    ServerToServer,
}

/// The user's Zoom connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomConnection<'a> {
    /// Connected, as `account` (the Zoom email or name) when known.
    Connected { account: Option<&'a str> },
    /// Zoom refused the stored authorization: connect again.
    Broken { connect_url: Option<&'a str> },
    /// Not connected; in personal mode `connect_url` connects.
    NotConnected { connect_url: Option<&'a str> },
}

/// An upcoming meeting of the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingMeeting {
    pub topic: String,
    /// When it starts; none for a recurring meeting without a fixed time.
    pub start: Option<Timestamp>,
    /// The link participants use.
    pub join_url: Option<String>,
    /// Whether it is under way now.
    pub live: bool,
}

/// What is known of the user's upcoming meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upcoming {
    /// Zoom's list (possibly empty), soonest first.
    Listed(Vec<UpcomingMeeting>),
    /// Not connected to Zoom: nothing to list.
    NotConnected,
    /// The Zoom authorization lacks the permission to list meetings.
    NoPermission,
    /// Zoom did not answer (or refused for now).
    Unavailable,
}

/// Everything the Home tab shows.
#[derive(Debug, Clone)]
pub struct HomeView<'a> {
    /// The Slack workspace's name, when known.
    pub workspace: Option<&'a str>,
    pub mode: ZoomMode,
    pub zoom: ZoomConnection<'a>,
    pub settings: &'a UserSettings,
    /// Whether the workspace lets anyone get Zoom Phone notices.
    pub workspace_phone_notices: bool,
    pub upcoming: Upcoming,
    /// Status sync is on but the user has not allowed zlack to change
    /// their status yet.
    pub status_sync_pending: bool,
    /// The user's time zone (IANA), for the text shown where Slack's date
    /// tokens are not.
    pub tz: &'a str,
}

fn header(t: &Texts, lang: Lang, block_id: &str, key: &str) -> Value {
    json!({
        "type": "header",
        "block_id": block_id,
        "text": plain(&t.get(lang, key, &[]), 150),
    })
}

fn context(block_id: &str, mrkdwn: String) -> Value {
    json!({
        "type": "context",
        "block_id": block_id,
        "elements": [{"type": "mrkdwn", "text": clip(&mrkdwn, 3000)}],
    })
}

fn with_button(mut block: Value, button: Button<'_>) -> Value {
    block["accessory"] = button.into_json();
    block
}

fn text(t: &Texts, lang: Lang, key: &str) -> String {
    escape_mrkdwn(&t.get(lang, key, &[]))
}

fn on_off(t: &Texts, lang: Lang, on: bool) -> String {
    t.get(lang, if on { "config-on" } else { "config-off" }, &[])
}

/// The Home tab, as `views.publish` takes it.
pub fn home_view(t: &Texts, lang: Lang, home: &HomeView<'_>) -> Value {
    let mut blocks = vec![header(t, lang, "home.title", "home-title")];
    blocks.push(context("home.intro", text(t, lang, "home-intro")));

    // Connections.
    blocks.push(header(t, lang, "home.connections", "home-connections"));
    let slack = match home.workspace {
        Some(name) => md(
            t,
            lang,
            "home-slack-connected-named",
            &[("workspace", Md::Text(&clip(name, 100)))],
        ),
        None => text(t, lang, "home-slack-connected"),
    };
    blocks.push(section("home.slack", slack));
    blocks.push(zoom_block(t, lang, home));
    let mode_key = match home.mode {
        ZoomMode::Personal => "home-mode-personal",
        ZoomMode::Organization => "home-mode-organization",
        ZoomMode::ServerToServer => "home-mode-server-to-server",
    };
    blocks.push(context("home.mode", text(t, lang, mode_key)));

    // Upcoming meetings.
    blocks.push(json!({"type": "divider"}));
    blocks.push(header(t, lang, "home.meetings", "home-meetings"));
    match &home.upcoming {
        Upcoming::Listed(meetings) if meetings.is_empty() => {
            blocks.push(context(
                "home.meetings.none",
                text(t, lang, "home-meetings-none"),
            ));
        }
        Upcoming::Listed(meetings) => {
            for (i, meeting) in meetings.iter().take(MEETINGS).enumerate() {
                blocks.push(meeting_block(t, lang, home.tz, i, meeting));
            }
            if meetings.len() > MEETINGS {
                let more = (meetings.len() - MEETINGS).to_string();
                blocks.push(context(
                    "home.meetings.more",
                    md(t, lang, "home-meetings-more", &[("count", Md::Text(&more))]),
                ));
            }
        }
        Upcoming::NotConnected => {
            blocks.push(context(
                "home.meetings.none",
                text(t, lang, "home-meetings-connect"),
            ));
        }
        Upcoming::NoPermission => {
            blocks.push(context(
                "home.meetings.none",
                text(t, lang, "home-meetings-permission"),
            ));
        }
        Upcoming::Unavailable => {
            blocks.push(context(
                "home.meetings.none",
                text(t, lang, "home-meetings-unavailable"),
            ));
        }
    }

    // Settings.
    blocks.push(json!({"type": "divider"}));
    blocks.push(header(t, lang, "home.settings", "home-settings"));
    blocks.push(settings_block(t, lang, home));

    // Help.
    blocks.push(json!({"type": "divider"}));
    blocks.push(header(t, lang, "home.help", "home-help"));
    blocks.push(section(
        "home.help.commands",
        command_lines(t, lang).join("\n"),
    ));
    json!({"type": "home", "blocks": blocks})
}

fn zoom_block(t: &Texts, lang: Lang, home: &HomeView<'_>) -> Value {
    let disconnect = || {
        let mut button = Button::action(
            t.get(lang, "home-zoom-disconnect", &[]),
            action::DISCONNECT,
            "disconnect",
        )
        .into_json();
        button["style"] = json!("danger");
        button["confirm"] = json!({
            "title": plain(&t.get(lang, "home-zoom-disconnect-confirm-title", &[]), 100),
            "text": plain(&t.get(lang, "home-zoom-disconnect-confirm-text", &[]), 300),
            "confirm": plain(&t.get(lang, "home-zoom-disconnect", &[]), 30),
            "deny": plain(&t.get(lang, "home-settings-modal-cancel", &[]), 30),
            "style": "danger",
        });
        button
    };
    let connect = |url: &'_ str, key: &str| {
        Button::link(t.get(lang, key, &[]), action::CONNECT, url)
            .primary(true)
            .into_json()
    };
    let (text, accessory) = match home.zoom {
        ZoomConnection::Connected {
            account: Some(account),
        } => (
            md(
                t,
                lang,
                "home-zoom-connected-as",
                &[("account", Md::Text(&clip(account, 100)))],
            ),
            Some(disconnect()),
        ),
        ZoomConnection::Connected { account: None } => {
            (text(t, lang, "home-zoom-connected"), Some(disconnect()))
        }
        ZoomConnection::Broken { connect_url } => (
            text(t, lang, "home-zoom-broken"),
            connect_url.map(|url| connect(url, "home-zoom-reconnect")),
        ),
        ZoomConnection::NotConnected { connect_url } => {
            let key = match (home.mode, connect_url) {
                (ZoomMode::Personal, _) => "home-zoom-not-connected",
                (_, _) => "home-zoom-by-email",
            };
            (
                text(t, lang, key),
                connect_url.map(|url| connect(url, "home-zoom-connect")),
            )
        }
    };
    let mut block = section("home.zoom", text);
    if let Some(button) = accessory {
        block["accessory"] = button;
    }
    block
}

fn meeting_block(t: &Texts, lang: Lang, tz: &str, i: usize, meeting: &UpcomingMeeting) -> Value {
    let topic = if meeting.topic.trim().is_empty() {
        t.get(lang, "home-meeting-untitled", &[])
    } else {
        meeting.topic.clone()
    };
    let topic = escape_mrkdwn(&clip(&topic, 200));
    let when = match (meeting.live, meeting.start) {
        (true, _) => text(t, lang, "home-meeting-live"),
        (false, Some(start)) => {
            let fallback = format_date_time(t, lang, start, tz);
            let format = t.get(lang, "home-meeting-date-format", &[]);
            slack_date(start, &format, &fallback)
        }
        (false, None) => text(t, lang, "home-meeting-recurring"),
    };
    let block = section(&format!("home.meeting.{i}"), format!("*{topic}*\n{when}"));
    match &meeting.join_url {
        Some(url) if url.starts_with("https://") => with_button(
            block,
            Button::link(t.get(lang, "home-meeting-join", &[]), action::JOIN, url),
        ),
        _ => block,
    }
}

fn settings_block(t: &Texts, lang: Lang, home: &HomeView<'_>) -> Value {
    let s = home.settings;
    let language = t.get(
        lang,
        match s.language {
            LangSetting::Auto => "config-lang-auto",
            LangSetting::En => "config-lang-en",
            LangSetting::Sv => "config-lang-sv",
        },
        &[],
    );
    let phone = if home.workspace_phone_notices {
        on_off(t, lang, s.phone_notices)
    } else {
        t.get(lang, "home-settings-phone-off-by-workspace", &[])
    };
    let lines = [
        ("config-passcode-title", on_off(t, lang, s.show_passcode)),
        ("config-pmi-title", on_off(t, lang, s.use_pmi)),
        ("config-lang-title", language),
        ("config-phone-title", phone),
        (
            "home-settings-status-title",
            if s.status_sync && home.status_sync_pending {
                t.get(lang, "home-settings-status-pending", &[])
            } else {
                on_off(t, lang, s.status_sync)
            },
        ),
    ]
    .map(|(title, value)| {
        format!(
            "{}: *{}*",
            escape_mrkdwn(&t.get(lang, title, &[])),
            escape_mrkdwn(&value)
        )
    })
    .join("\n");
    with_button(
        section("home.settings.summary", lines),
        Button::action(
            t.get(lang, "home-settings-open", &[]),
            action::SETTINGS,
            "settings",
        ),
    )
}
