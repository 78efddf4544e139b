//! Ephemeral error replies.

use super::Message;
use super::action_id;
use super::blocks::{Button, actions, ephemeral, section};
use super::help::usage_code;
use super::mrkdwn::{Md, escape_mrkdwn, md};
use crate::i18n::{Lang, Texts};

/// What went wrong, as far as the user needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Zoom's limit of 100 meetings created or updated per user per day
    /// (resets 00:00 UTC).
    DailyLimit,
    /// Zoom did not answer, or answered with a server error.
    ZoomUnavailable,
    /// The user's Zoom account is deactivated.
    ZoomAccountDeactivated,
    /// The Slack workspace has not installed the app; the button opens `install_url`.
    WorkspaceNotInstalled {
        /// The server's "Add to Slack" link.
        install_url: String,
    },
    /// The work took longer than Slack's `response_url` allows; run `/zoom` again.
    ResponseExpired,
    /// Zoom did not create the Call button's meeting in time, so the call
    /// uses the user's personal meeting.
    SlowUsedPersonalMeeting,
    /// Zoom does not know the meeting.
    MeetingNotFound,
    /// `/zoom join` with something that is no meeting ID, link or name.
    InvalidJoinTarget,
    /// Server-to-server mode: the user's Slack profile shows zlack no email
    /// address to find their Zoom user by.
    NoSlackEmail,
    /// Server-to-server mode: no Zoom user of the account has the email
    /// address of the user's Slack profile.
    NoZoomUserForEmail {
        /// The Slack profile's email address.
        email: String,
    },
    /// Server-to-server mode: the Zoom user with the user's email address
    /// is deactivated.
    ZoomUserInactive {
        /// The Slack profile's email address.
        email: String,
    },
    /// Server-to-server mode: Zoom refused the server's own account
    /// credentials, which only the operator can fix.
    ZoomCredentialsRefused,
    /// Organization mode: no Zoom admin has connected Zoom for this
    /// workspace yet (or Zoom no longer accepts their authorization).
    OrganizationNotConnected {
        /// The server's landing page, where a Zoom admin connects it.
        url: String,
    },
    /// A sub-command without its argument, e.g. `/zoom join` alone;
    /// `command` as in [`crate::Command::MissingArgument`].
    MissingArgument {
        /// The sub-command, e.g. `"join"`.
        command: &'static str,
    },
}

/// Ephemeral error message for `kind`, with its usage line where the user
/// typed something wrong and an "Add to Slack" button where that helps.
pub fn error(t: &Texts, lang: Lang, kind: &ErrorKind) -> Message {
    let plain = |key: &str| escape_mrkdwn(&t.get(lang, key, &[]));
    let usage = |command: &str| {
        usage_code(t, lang, command)
            .map(|code| md(t, lang, "error-usage", &[("usage", Md::Raw(&code))]))
    };
    let (text, usage) = match kind {
        ErrorKind::DailyLimit => (plain("error-daily-limit"), None),
        ErrorKind::ZoomUnavailable => (plain("error-zoom-unavailable"), None),
        ErrorKind::ZoomAccountDeactivated => (plain("error-account-deactivated"), None),
        ErrorKind::WorkspaceNotInstalled { .. } => (plain("error-not-installed"), None),
        ErrorKind::ResponseExpired => (plain("error-response-expired"), None),
        ErrorKind::SlowUsedPersonalMeeting => (plain("error-slow-personal-meeting"), None),
        ErrorKind::MeetingNotFound => (plain("error-meeting-not-found"), None),
        ErrorKind::InvalidJoinTarget => (plain("error-invalid-join-target"), usage("join")),
        ErrorKind::NoSlackEmail => (plain("error-no-slack-email"), None),
        ErrorKind::NoZoomUserForEmail { email } => (
            md(t, lang, "error-no-zoom-user", &[("email", Md::Text(email))]),
            None,
        ),
        ErrorKind::ZoomUserInactive { email } => (
            md(
                t,
                lang,
                "error-zoom-user-inactive",
                &[("email", Md::Text(email))],
            ),
            None,
        ),
        ErrorKind::ZoomCredentialsRefused => (plain("error-zoom-credentials"), None),
        ErrorKind::OrganizationNotConnected { url } => (
            md(
                t,
                lang,
                "error-organization-not-connected",
                &[("url", Md::Text(url))],
            ),
            None,
        ),
        ErrorKind::MissingArgument { command } => (
            md(
                t,
                lang,
                "error-missing-argument",
                &[("command", Md::Text(command))],
            ),
            usage(command),
        ),
    };
    let body = match usage {
        Some(usage) => format!("{text}\n{usage}"),
        None => text.clone(),
    };
    let mut blocks = vec![section("error", body)];
    if let ErrorKind::WorkspaceNotInstalled { install_url } = kind {
        let button = Button::link(
            t.get(lang, "error-install-button", &[]),
            action_id::SLACK_INSTALL,
            install_url,
        )
        .primary(true);
        blocks.push(actions("error.actions", vec![button]));
    }
    ephemeral(text, blocks)
}
