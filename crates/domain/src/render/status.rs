//! Status sync's messages: the DM asking for permission to change the
//! user's Slack status, and the DMs saying it is on or had to stop.

use super::Message;
use super::action_id;
use super::blocks::{Button, actions, message, section};
use super::mrkdwn::{Md, escape_mrkdwn, md};
use crate::i18n::{Lang, Texts};

/// The DM with the "Allow status updates" button; `url` is the user's own
/// link to Slack's authorization of the `users.profile:write` user scope.
pub fn status_allow_dm(t: &Texts, lang: Lang, url: &str) -> Message {
    let button = Button::link(
        t.get(lang, "status-allow-button", &[]),
        action_id::STATUS_ALLOW,
        url,
    )
    .primary(true);
    let text = format!(
        "*{}*\n{}",
        escape_mrkdwn(&t.get(lang, "status-allow-title", &[])),
        escape_mrkdwn(&t.get(lang, "status-allow-body", &[])),
    );
    message(
        md(t, lang, "status-allow-fallback", &[("url", Md::Text(url))]),
        vec![
            section("status-allow", text),
            actions("status-allow.actions", vec![button]),
        ],
    )
}

/// The DM once the user allowed zlack to set their status.
pub fn status_enabled_dm(t: &Texts, lang: Lang) -> Message {
    let text = escape_mrkdwn(&t.get(lang, "status-enabled-dm", &[]));
    message(text.clone(), vec![section("status-enabled", text)])
}

/// The DM when Slack stopped accepting the user's token: the setting is
/// off now.
pub fn status_revoked_dm(t: &Texts, lang: Lang) -> Message {
    let text = escape_mrkdwn(&t.get(lang, "status-revoked-dm", &[]));
    message(text.clone(), vec![section("status-revoked", text)])
}

/// The `/zoom config` card with a note under the status sync setting: it
/// is on, but the user has not allowed zlack to change their status yet.
pub fn with_status_pending(t: &Texts, lang: Lang, mut card: Message) -> Message {
    let text = format!(
        "_{}_",
        escape_mrkdwn(&t.get(lang, "status-config-pending", &[]))
    );
    let note = section("config.status.pending", text);
    let blocks = card.blocks_mut();
    let at = blocks
        .iter()
        .position(|b| b["block_id"] == "config.status")
        .map_or(blocks.len(), |i| i + 1);
    blocks.insert(at, note);
    card
}
