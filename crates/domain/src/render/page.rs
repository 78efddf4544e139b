//! Strings of the browser pages shown after an OAuth redirect.

use crate::i18n::{Lang, Texts};

/// Which browser page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// Zoom authorization succeeded.
    Connected,
    /// The Slack app was installed in a workspace.
    SlackInstalled,
    /// The OAuth `state` was unknown, used or expired.
    StateInvalid,
    /// The user declined on Zoom's or Slack's consent page.
    OAuthDenied,
    /// Zoom failed the code exchange or answered with an error.
    ZoomError,
    /// Slack refused the install's code exchange.
    SlackError,
    /// Organization mode: someone without Zoom admin rights tried to
    /// install for the whole account.
    OrgNeedsAdmin,
    /// Organization mode: Zoom is connected for the chosen workspace.
    OrgConnected,
    /// Installing for the whole organization while the server is not in
    /// organization mode.
    OrgNotConfigured,
    /// Organization mode: connecting Zoom without the link from the page
    /// after "Add to Slack".
    OrgStartFromSlack,
    /// Sign in with Slack named another Slack user than the one the link
    /// was made for: nothing is connected.
    SignedInAsSomeoneElse,
    /// Organization mode: the Slack user who signed in neither added zlack
    /// to the workspace nor is one of its admins.
    OrgNotAllowed,
    /// The Zoom account is already connected to another Slack user of the
    /// workspace.
    ZoomAccountTaken,
    /// Slack did not confirm who signed in.
    SignInFailed,
    /// Organization mode: the workspace is connected to another Zoom
    /// account, and the person at the browser may not switch it.
    OrgSwitchRefused,
    /// Organization mode: the workspace now uses the other Zoom account.
    OrgSwitched,
    /// Organization mode: a Slack admin chose to keep the current account.
    OrgSwitchKept,
    /// Status sync: the Slack user allowed zlack to set their status.
    StatusConnected,
    /// Status sync: another Slack user than the link's authorized; nothing
    /// was stored.
    StatusWrongUser,
}

impl PageKind {
    /// Every page.
    pub const ALL: [PageKind; 19] = [
        PageKind::Connected,
        PageKind::SlackInstalled,
        PageKind::StateInvalid,
        PageKind::OAuthDenied,
        PageKind::ZoomError,
        PageKind::SlackError,
        PageKind::OrgNeedsAdmin,
        PageKind::OrgConnected,
        PageKind::OrgNotConfigured,
        PageKind::OrgStartFromSlack,
        PageKind::SignedInAsSomeoneElse,
        PageKind::OrgNotAllowed,
        PageKind::ZoomAccountTaken,
        PageKind::SignInFailed,
        PageKind::OrgSwitchRefused,
        PageKind::OrgSwitched,
        PageKind::OrgSwitchKept,
        PageKind::StatusConnected,
        PageKind::StatusWrongUser,
    ];
}

/// The page's `(title, body)` as plain text; the server HTML-escapes them.
pub fn page(t: &Texts, lang: Lang, kind: PageKind) -> (String, String) {
    let (title, body) = match kind {
        PageKind::Connected => ("page-connected-title", "page-connected-body"),
        PageKind::SlackInstalled => ("page-slack-installed-title", "page-slack-installed-body"),
        PageKind::StateInvalid => ("page-state-invalid-title", "page-state-invalid-body"),
        PageKind::OAuthDenied => ("page-oauth-denied-title", "page-oauth-denied-body"),
        PageKind::ZoomError => ("page-zoom-error-title", "page-zoom-error-body"),
        PageKind::SlackError => ("page-slack-error-title", "page-slack-error-body"),
        PageKind::OrgNeedsAdmin => ("page-org-needs-admin-title", "page-org-needs-admin-body"),
        PageKind::OrgConnected => ("page-org-connected-title", "page-org-connected-body"),
        PageKind::OrgNotConfigured => (
            "page-org-not-configured-title",
            "page-org-not-configured-body",
        ),
        PageKind::OrgStartFromSlack => ("page-org-start-title", "page-org-start-body"),
        PageKind::SignedInAsSomeoneElse => ("page-someone-else-title", "page-someone-else-body"),
        PageKind::StatusConnected => ("status-page-connected-title", "status-page-connected-body"),
        PageKind::StatusWrongUser => (
            "status-page-wrong-user-title",
            "status-page-wrong-user-body",
        ),
        PageKind::OrgNotAllowed => ("page-org-not-allowed-title", "page-org-not-allowed-body"),
        PageKind::ZoomAccountTaken => ("page-zoom-taken-title", "page-zoom-taken-body"),
        PageKind::SignInFailed => ("page-sign-in-failed-title", "page-sign-in-failed-body"),
        PageKind::OrgSwitchRefused => (
            "page-org-switch-refused-title",
            "page-org-switch-refused-body",
        ),
        PageKind::OrgSwitched => ("page-org-switched-title", "page-org-switched-body"),
        PageKind::OrgSwitchKept => ("page-org-switch-kept-title", "page-org-switch-kept-body"),
    };
    (t.get(lang, title, &[]), t.get(lang, body, &[]))
}
