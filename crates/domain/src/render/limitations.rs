//! The known-limitations page (`/limitations`) as localized plain text:
//! what zlack cannot do because Slack or Zoom does not allow it, told to
//! the people who use it. The server turns it into HTML.

use serde::Serialize;

use crate::i18n::{Lang, Texts};

/// The page's items, in order.
pub const LIMITATIONS: &[&str] = &[
    "limitations-android",
    "limitations-whiteboards",
    "limitations-removed-at-zoom",
    "limitations-pre-approval",
    "limitations-new-permissions",
    "limitations-other-workspaces",
    "limitations-email",
];

/// The page as localized plain text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LimitationsPage {
    /// The document title and its one `<h1>`.
    pub title: String,
    /// The paragraph under it.
    pub intro: String,
    /// One list item each.
    pub items: Vec<String>,
}

/// The known-limitations page in `lang`.
pub fn limitations_page(t: &Texts, lang: Lang) -> LimitationsPage {
    let get = |key: &str| t.get(lang, key, &[]);
    LimitationsPage {
        title: get("limitations-title"),
        intro: get("limitations-intro"),
        items: LIMITATIONS.iter().map(|key| get(key)).collect(),
    }
}
