//! The landing page (`GET /`): what is configured, what is missing and how
//! to fix it, and the seed's two install choices, "Install for the whole
//! organization" and "Add only to my Slack account", as this server's Zoom
//! mode allows them.
//!
//! Everything is localized plain text; the server escapes it into HTML and
//! turns each [`LandingTarget`] into its path. A link whose settings are
//! missing is not offered: its step says so, and the setup section lists
//! the settings.

use serde::Serialize;

use crate::i18n::{Lang, Texts};

/// How Slack users reach Zoom on this server (`ZLACK_ZOOM_MODE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LandingMode {
    /// Each user authorizes Zoom once for themselves.
    Personal,
    /// A Zoom admin authorizes Zoom once for the whole account.
    Organization,
    /// The organization's own server-to-server app; nobody authorizes.
    ServerToServer,
}

impl LandingMode {
    /// Every mode.
    pub const ALL: [LandingMode; 3] = [
        LandingMode::Personal,
        LandingMode::Organization,
        LandingMode::ServerToServer,
    ];
}

/// What the page is generated from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LandingInputs<'a> {
    /// The Zoom mode.
    pub mode: LandingMode,
    /// `ZLACK_ZOOM_MODE`'s value, shown as is.
    pub mode_name: &'a str,
    /// The Slack app's client id and secret are set: `/slack/install` works.
    pub slack_install: bool,
    /// The Zoom app's client id and secret are set: `/zoom/install` works.
    pub zoom_install: bool,
    /// Each missing setting with the server's (English) reason for it;
    /// the reason of a setting this module knows is shown in `lang`.
    pub missing: &'a [(&'a str, &'a str)],
    /// `ZLACK_PUBLIC_URL`.
    pub public_url: &'a str,
    /// The database's name ("SQLite", "PostgreSQL").
    pub database: &'a str,
    /// Slack delivers over Socket Mode (an app-level token is set) rather
    /// than to the request URLs.
    pub slack_socket_mode: bool,
    /// Zoom's events arrive over a WebSocket subscription rather than as
    /// webhooks.
    pub zoom_events_websocket: bool,
}

/// The page as localized plain text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LandingPage {
    /// The document title.
    pub title: String,
    /// The one `<h1>`.
    pub heading: String,
    /// The paragraph under it.
    pub intro: String,
    /// One `<h2>` each, in order.
    pub sections: Vec<LandingSection>,
    /// The link to the data-use page, after the sections.
    pub privacy: LandingLink,
    /// The link to the known-limitations page, after it.
    pub limitations: LandingLink,
}

/// A section of the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LandingSection {
    /// Which section this is.
    pub id: LandingSectionId,
    /// Its heading.
    pub heading: String,
    /// Its content, in order.
    pub blocks: Vec<LandingBlock>,
}

/// The sections, for `id` attributes and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LandingSectionId {
    /// What is configured and what is missing.
    Setup,
    /// "Install for the whole organization".
    Organization,
    /// "Add only to my Slack account".
    Personal,
    /// The public URL, database and Zoom mode.
    Server,
}

impl LandingSectionId {
    /// The section's HTML `id`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Organization => "organization",
            Self::Personal => "personal",
            Self::Server => "server",
        }
    }
}

/// A piece of a section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LandingBlock {
    /// A paragraph.
    Paragraph(String),
    /// A paragraph saying all is well.
    Ok(String),
    /// Settings, each with what it is for (`<ul>`, the name as code).
    Settings(Vec<MissingSetting>),
    /// Numbered steps (`<ol>`).
    Steps(Vec<LandingStep>),
    /// Terms and their values (`<dl>`, the values as code).
    Facts(Vec<LandingFact>),
}

/// A setting still missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MissingSetting {
    /// The environment variable (not translated).
    pub name: String,
    /// What it is for.
    pub why: String,
}

/// A step of an install choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LandingStep {
    /// The link that does the step, if it has one.
    pub link: Option<LandingLink>,
    /// The sentence after the link (or the whole step, without one).
    pub text: String,
}

/// A link of the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LandingLink {
    /// Its text, unique on the page: browsers and tests find it by name.
    pub text: String,
    /// Where it leads.
    pub target: LandingTarget,
    /// Its settings are set. When `false` the server shows the text
    /// without a link, and the step's sentence says why.
    pub available: bool,
}

/// Where a link leads; the server knows the paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LandingTarget {
    /// `/slack/install`: add the app to a Slack workspace.
    SlackInstall,
    /// `/zoom/install?for=organization`: a Zoom admin connects the account.
    ZoomInstallOrganization,
    /// `/privacy`: how your data is used.
    Privacy,
    /// `/limitations`: what Slack and Zoom do not allow.
    Limitations,
}

/// A term and its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LandingFact {
    /// The term.
    pub term: String,
    /// Its value, not translated.
    pub value: String,
}

/// The message giving the reason for each setting this page knows.
const REASONS: &[(&str, &str)] = &[
    (
        "ZLACK_SLACK_SIGNING_SECRET",
        "landing-why-slack-signing-secret",
    ),
    ("ZLACK_SLACK_CLIENT_ID", "landing-why-slack-client"),
    ("ZLACK_SLACK_CLIENT_SECRET", "landing-why-slack-client"),
    (
        "ZLACK_ZOOM_WEBHOOK_SECRET",
        "landing-why-zoom-webhook-secret",
    ),
    ("ZLACK_ZOOM_CLIENT_ID", "landing-why-zoom-client"),
    ("ZLACK_ZOOM_CLIENT_SECRET", "landing-why-zoom-client"),
    ("ZLACK_ZOOM_ACCOUNT_ID", "landing-why-zoom-account-id"),
];

/// The landing page in `lang`.
pub fn landing_page(t: &Texts, lang: Lang, inputs: &LandingInputs) -> LandingPage {
    let get = |key: &str| t.get(lang, key, &[]);
    let link = |key: &str, target: LandingTarget, available: bool| LandingLink {
        text: get(key),
        target,
        available,
    };
    // A step with a link; without its settings the sentence says so.
    let step = |link: LandingLink, text: &str| {
        let mut text = get(text);
        if !link.available {
            text.push(' ');
            text.push_str(&get("landing-link-unavailable"));
        }
        LandingStep {
            link: Some(link),
            text,
        }
    };
    let slack = inputs.slack_install;

    let setup = if inputs.missing.is_empty() {
        vec![LandingBlock::Ok(get("landing-setup-complete"))]
    } else {
        vec![
            LandingBlock::Paragraph(get("landing-setup-missing")),
            LandingBlock::Settings(
                inputs
                    .missing
                    .iter()
                    .map(|(name, why)| MissingSetting {
                        name: (*name).to_owned(),
                        why: REASONS
                            .iter()
                            .find(|(n, _)| n == name)
                            .map_or_else(|| (*why).to_owned(), |(_, key)| get(key)),
                    })
                    .collect(),
            ),
            LandingBlock::Paragraph(get("landing-setup-fix")),
        ]
    };

    let organization = match inputs.mode {
        LandingMode::Organization => vec![
            LandingBlock::Paragraph(get("landing-organization-intro")),
            LandingBlock::Steps(vec![
                // The Zoom step is on the page after Slack's: it is bound to
                // the workspace just added.
                step(
                    link("landing-add-to-slack", LandingTarget::SlackInstall, slack),
                    "landing-organization-slack-step",
                ),
            ]),
        ],
        LandingMode::ServerToServer => vec![
            LandingBlock::Paragraph(get("landing-server-to-server-intro")),
            LandingBlock::Steps(vec![step(
                link("landing-add-to-slack", LandingTarget::SlackInstall, slack),
                "landing-server-to-server-slack-step",
            )]),
        ],
        LandingMode::Personal => {
            vec![LandingBlock::Paragraph(get(
                "landing-organization-needs-mode",
            ))]
        }
    };

    let personal = match inputs.mode {
        LandingMode::Personal => vec![
            LandingBlock::Paragraph(get("landing-personal-intro")),
            LandingBlock::Steps(vec![
                step(
                    link(
                        "landing-add-to-my-slack-account",
                        LandingTarget::SlackInstall,
                        slack,
                    ),
                    "landing-slack-step",
                ),
                LandingStep {
                    link: None,
                    text: get("landing-personal-zoom-step"),
                },
            ]),
        ],
        LandingMode::Organization | LandingMode::ServerToServer => {
            vec![LandingBlock::Paragraph(get("landing-personal-not-here"))]
        }
    };

    let fact = |term: &str, value: &str| LandingFact {
        term: get(term),
        value: value.to_owned(),
    };
    let server = vec![LandingBlock::Facts(vec![
        fact("landing-server-url", inputs.public_url),
        fact("landing-server-database", inputs.database),
        fact("landing-server-zoom-mode", inputs.mode_name),
        LandingFact {
            term: get("landing-server-slack-delivery"),
            value: get(if inputs.slack_socket_mode {
                "landing-slack-socket-mode"
            } else {
                "landing-slack-request-urls"
            }),
        },
        LandingFact {
            term: get("landing-server-zoom-events"),
            value: get(if inputs.zoom_events_websocket {
                "landing-zoom-events-websocket"
            } else {
                "landing-zoom-events-webhook"
            }),
        },
    ])];

    let section = |id, heading: &str, blocks| LandingSection {
        id,
        heading: get(heading),
        blocks,
    };
    LandingPage {
        title: get("landing-title"),
        heading: get("landing-heading"),
        intro: get("landing-intro"),
        sections: vec![
            section(LandingSectionId::Setup, "landing-setup-heading", setup),
            section(
                LandingSectionId::Organization,
                "landing-organization-heading",
                organization,
            ),
            section(
                LandingSectionId::Personal,
                "landing-personal-heading",
                personal,
            ),
            section(LandingSectionId::Server, "landing-server-heading", server),
        ],
        privacy: link("landing-privacy", LandingTarget::Privacy, true),
        limitations: link("landing-limitations", LandingTarget::Limitations, true),
    }
}
