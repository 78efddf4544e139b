//! Organization mode: the page on which a Slack workspace admin confirms
//! switching the workspace to another Zoom account, and the DM telling
//! whoever connected the old account.

use super::Message;
use super::blocks::{message, section};
use super::mrkdwn::{Md, md, mention};
use crate::i18n::{FluentArgValue, Lang, Texts};

/// A Zoom account as the confirmation page names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountLabel<'a> {
    /// Zoom's account id.
    pub account_id: &'a str,
    /// The Zoom admin who connected (or would connect) it: their email,
    /// else their Zoom user id.
    pub admin: &'a str,
}

/// The confirmation page as plain text; the server escapes it into HTML
/// around its form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwitchPage {
    /// The title and its `<h1>`.
    pub title: String,
    /// What is about to happen.
    pub intro: String,
    /// "Connected now: …".
    pub current: String,
    /// "Would switch to: …".
    pub proposed: String,
    /// What a switch does besides.
    pub consequences: String,
    /// The button that switches.
    pub switch_button: String,
    /// The button that keeps the current account.
    pub keep_button: String,
}

/// The confirmation page for switching from `current` to `proposed`.
pub fn org_switch_page(
    t: &Texts,
    lang: Lang,
    current: AccountLabel,
    proposed: AccountLabel,
) -> SwitchPage {
    let account = |key: &str, label: AccountLabel| {
        t.get(
            lang,
            key,
            &[
                ("account", FluentArgValue::Str(label.account_id)),
                ("admin", FluentArgValue::Str(label.admin)),
            ],
        )
    };
    SwitchPage {
        title: t.get(lang, "page-org-switch-title", &[]),
        intro: t.get(lang, "page-org-switch-intro", &[]),
        current: account("page-org-switch-current", current),
        proposed: account("page-org-switch-proposed", proposed),
        consequences: t.get(lang, "page-org-switch-consequences", &[]),
        switch_button: t.get(lang, "page-org-switch-button", &[]),
        keep_button: t.get(lang, "page-org-switch-keep", &[]),
    }
}

/// The DM to the Slack user who connected the workspace's Zoom account
/// `from`: `by` switched it to `to`. Accounts are named by their Zoom
/// admin's email (else their id).
pub fn org_switched_dm(t: &Texts, lang: Lang, from: &str, to: &str, by: &str) -> Message {
    let by = mention(by);
    let text = md(
        t,
        lang,
        "org-switched-dm",
        &[
            ("from", Md::Text(from)),
            ("to", Md::Text(to)),
            ("by", Md::Raw(&by)),
        ],
    );
    message(text.clone(), vec![section("org-switched", text)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dm_names_both_accounts_and_who_switched_and_escapes_them() {
        let t = Texts::new();
        for lang in [Lang::En, Lang::Sv] {
            let dm = org_switched_dm(&t, lang, "old@a.example", "<!channel>", "U0SWITCH");
            let text = dm["text"].as_str().unwrap();
            assert!(text.contains("old@a.example"), "{text}");
            assert!(text.contains("&lt;!channel&gt;"), "{text}");
            assert!(text.contains("<@U0SWITCH>"), "{text}");
        }
    }

    #[test]
    fn the_page_names_both_accounts_in_both_languages() {
        let t = Texts::new();
        let current = AccountLabel {
            account_id: "acct-old",
            admin: "old@a.example",
        };
        let proposed = AccountLabel {
            account_id: "acct-new",
            admin: "new@b.example",
        };
        for lang in [Lang::En, Lang::Sv] {
            let page = org_switch_page(&t, lang, current, proposed);
            assert!(page.current.contains("acct-old") && page.current.contains("old@a.example"));
            assert!(page.proposed.contains("acct-new") && page.proposed.contains("new@b.example"));
            assert!(!page.switch_button.is_empty() && !page.keep_button.is_empty());
        }
    }
}
