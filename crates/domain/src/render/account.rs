//! Connecting and disconnecting a user's Zoom account.

use super::Message;
use super::action_id;
use super::blocks::{Button, actions, ephemeral, message, section};
use super::mrkdwn::{Md, clip, escape_mrkdwn, md};
use crate::command::{TOPIC_MAX_CHARS, collapse_whitespace};
use crate::i18n::{Lang, Texts};

/// A bold title line and a body, both escaped.
fn title_and_body(t: &Texts, lang: Lang, title: &str, body: &str) -> String {
    format!(
        "*{}*\n{}",
        escape_mrkdwn(&t.get(lang, title, &[])),
        escape_mrkdwn(&t.get(lang, body, &[]))
    )
}

/// Ephemeral: the user must connect Zoom once; an "Authorize Zoom" button
/// opens `url` (the server's Zoom OAuth start link for this user).
pub fn authorize_prompt(t: &Texts, lang: Lang, url: &str) -> Message {
    let button = Button::link(
        t.get(lang, "authorize-button", &[]),
        action_id::ZOOM_AUTHORIZE,
        url,
    )
    .primary(true);
    ephemeral(
        md(t, lang, "authorize-fallback", &[("url", Md::Text(url))]),
        vec![
            section(
                "authorize",
                title_and_body(t, lang, "authorize-title", "authorize-body"),
            ),
            actions("authorize.actions", vec![button]),
        ],
    )
}

/// The DM sent when Zoom rejected the refresh token: the connection stopped
/// working; a button opens `url` to authorize again.
pub fn reconnect_dm(t: &Texts, lang: Lang, url: &str) -> Message {
    let button = Button::link(
        t.get(lang, "reconnect-button", &[]),
        action_id::ZOOM_RECONNECT,
        url,
    )
    .primary(true);
    message(
        md(t, lang, "reconnect-fallback", &[("url", Md::Text(url))]),
        vec![
            section(
                "reconnect",
                title_and_body(t, lang, "reconnect-title", "reconnect-body"),
            ),
            actions("reconnect.actions", vec![button]),
        ],
    )
}

/// The DM a Slack user gets whenever a Zoom account is connected to them:
/// which account (its email, else its Zoom user ID), and how to undo it if
/// it was not them.
pub fn zoom_connected_dm(t: &Texts, lang: Lang, zoom_account: &str) -> Message {
    let text = md(
        t,
        lang,
        "zoom-connected-dm",
        &[("account", Md::Text(zoom_account))],
    );
    message(text.clone(), vec![section("zoom-connected", text)])
}

/// Ephemeral confirmation after the Zoom authorization. `topic_started` is
/// `Some` when the command that asked for it now resumes (`Some("")` for a
/// meeting without a topic).
pub fn connected(t: &Texts, lang: Lang, topic_started: Option<&str>) -> Message {
    let mut text = escape_mrkdwn(&t.get(lang, "connected", &[]));
    if let Some(topic) = topic_started {
        let topic = collapse_whitespace(topic);
        let starting = if topic.is_empty() {
            escape_mrkdwn(&t.get(lang, "connected-starting-untitled", &[]))
        } else {
            let topic = clip(&topic, TOPIC_MAX_CHARS);
            md(
                t,
                lang,
                "connected-starting",
                &[("topic", Md::Text(&topic))],
            )
        };
        text = format!("{text}\n{starting}");
    }
    ephemeral(text.clone(), vec![section("connected", text)])
}

/// Ephemeral answer to `/zoom logout`; `was_connected` tells whether there
/// was a Zoom connection to remove.
pub fn logged_out(t: &Texts, lang: Lang, was_connected: bool) -> Message {
    let key = if was_connected {
        "logged-out"
    } else {
        "logged-out-not-connected"
    };
    let text = escape_mrkdwn(&t.get(lang, key, &[]));
    ephemeral(text.clone(), vec![section("logged-out", text)])
}
