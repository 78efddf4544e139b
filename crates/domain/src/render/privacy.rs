//! The data-use page ("How your data is used"): what zlack reads from
//! Slack and Zoom and why, what it stores, how long, and how to delete it.
//!
//! The server passes the scopes and events it really uses and its
//! retention settings, so the page says what this server does. Every scope
//! and event has a one-line purpose in [`PURPOSES`]; [`purpose_key`]
//! answers `None` for a name without one, which the server's tests turn
//! into a failure, so a new scope cannot ship undescribed.

use serde::Serialize;

use crate::i18n::{FluentArgValue, Lang, Texts};

/// What a name on the page is: a permission or an event, of Slack or Zoom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// A Slack scope: the bot's, or Sign in with Slack's user scope.
    SlackScope,
    /// A Slack Events API event.
    SlackEvent,
    /// A Zoom OAuth scope.
    ZoomScope,
    /// A Zoom webhook event.
    ZoomEvent,
}

impl Grant {
    /// Every kind, in the order the page shows them.
    pub const ALL: [Grant; 4] = [
        Grant::SlackScope,
        Grant::SlackEvent,
        Grant::ZoomScope,
        Grant::ZoomEvent,
    ];
}

/// Every scope and event zlack can describe, with the message saying what
/// zlack uses it for.
pub const PURPOSES: &[(Grant, &str, &str)] = &[
    (
        Grant::SlackScope,
        "commands",
        "privacy-slack-scope-commands",
    ),
    (
        Grant::SlackScope,
        "chat:write",
        "privacy-slack-scope-chat-write",
    ),
    (
        Grant::SlackScope,
        "chat:write.public",
        "privacy-slack-scope-chat-write-public",
    ),
    (
        Grant::SlackScope,
        "calls:write",
        "privacy-slack-scope-calls-write",
    ),
    (
        Grant::SlackScope,
        "users:read",
        "privacy-slack-scope-users-read",
    ),
    (
        Grant::SlackScope,
        "users:read.email",
        "privacy-slack-scope-users-read-email",
    ),
    (
        Grant::SlackScope,
        "links:read",
        "privacy-slack-scope-links-read",
    ),
    (
        Grant::SlackScope,
        "links:write",
        "privacy-slack-scope-links-write",
    ),
    (
        Grant::SlackScope,
        "channels:read",
        "privacy-slack-scope-channels-read",
    ),
    (
        Grant::SlackScope,
        "groups:read",
        "privacy-slack-scope-groups-read",
    ),
    (Grant::SlackScope, "openid", "privacy-slack-scope-openid"),
    (
        Grant::SlackScope,
        "users.profile:write",
        "status-privacy-slack-scope-profile-write",
    ),
    (
        Grant::SlackEvent,
        "app_uninstalled",
        "privacy-slack-event-app-uninstalled",
    ),
    (
        Grant::SlackEvent,
        "tokens_revoked",
        "privacy-slack-event-tokens-revoked",
    ),
    (
        Grant::SlackEvent,
        "link_shared",
        "privacy-slack-event-link-shared",
    ),
    (
        Grant::SlackEvent,
        "app_home_opened",
        "home-privacy-event-app-home-opened",
    ),
    (
        Grant::ZoomScope,
        "user:read:user",
        "privacy-zoom-scope-user",
    ),
    (
        Grant::ZoomScope,
        "user:read:list_permissions",
        "privacy-zoom-scope-permissions",
    ),
    (
        Grant::ZoomScope,
        "meeting:write:meeting",
        "privacy-zoom-scope-meeting-write",
    ),
    (
        Grant::ZoomScope,
        "meeting:read:meeting",
        "privacy-zoom-scope-meeting-read",
    ),
    (
        Grant::ZoomScope,
        "meeting:read:list_past_participants",
        "privacy-zoom-scope-past-participants",
    ),
    (
        Grant::ZoomScope,
        "meeting:read:past_meeting",
        "privacy-zoom-scope-past-meeting",
    ),
    (
        Grant::ZoomScope,
        "meeting:read:list_past_instances",
        "privacy-zoom-scope-past-instances",
    ),
    (
        Grant::ZoomScope,
        "meeting:read:summary",
        "privacy-zoom-scope-summary",
    ),
    (
        Grant::ZoomScope,
        "meeting:read:list_meetings",
        "home-privacy-zoom-scope-list-meetings",
    ),
    (
        Grant::ZoomScope,
        "cloud_recording:read:list_recording_files",
        "privacy-zoom-scope-recording-files",
    ),
    (
        Grant::ZoomScope,
        "whiteboard:read:whiteboard",
        "privacy-zoom-scope-whiteboard",
    ),
    (
        Grant::ZoomScope,
        "phone:read:user",
        "privacy-zoom-scope-phone-user",
    ),
    (
        Grant::ZoomScope,
        "phone:read:call",
        "privacy-zoom-scope-phone-call",
    ),
    (
        Grant::ZoomScope,
        "phone:read:call_recording",
        "privacy-zoom-scope-phone-recording",
    ),
    (
        Grant::ZoomScope,
        "user:read:presence_status",
        "status-privacy-zoom-scope-presence",
    ),
    (
        Grant::ZoomEvent,
        "meeting.started",
        "privacy-zoom-event-meeting-started",
    ),
    (
        Grant::ZoomEvent,
        "meeting.participant_joined",
        "privacy-zoom-event-participant-joined",
    ),
    (
        Grant::ZoomEvent,
        "meeting.participant_left",
        "privacy-zoom-event-participant-left",
    ),
    (
        Grant::ZoomEvent,
        "meeting.ended",
        "privacy-zoom-event-meeting-ended",
    ),
    (
        Grant::ZoomEvent,
        "recording.completed",
        "privacy-zoom-event-recording-completed",
    ),
    (
        Grant::ZoomEvent,
        "recording.transcript_completed",
        "privacy-zoom-event-transcript-completed",
    ),
    (
        Grant::ZoomEvent,
        "meeting.summary_completed",
        "privacy-zoom-event-summary-completed",
    ),
    (
        Grant::ZoomEvent,
        "meeting.updated",
        "schedule-privacy-event-meeting-updated",
    ),
    (
        Grant::ZoomEvent,
        "meeting.deleted",
        "schedule-privacy-event-meeting-deleted",
    ),
    (
        Grant::ZoomEvent,
        "whiteboard.shared",
        "privacy-zoom-event-whiteboard-shared",
    ),
    (
        Grant::ZoomEvent,
        "whiteboard.sharing_updated",
        "privacy-zoom-event-whiteboard-sharing-updated",
    ),
    (
        Grant::ZoomEvent,
        "whiteboard.deleted",
        "privacy-zoom-event-whiteboard-deleted",
    ),
    (
        Grant::ZoomEvent,
        "user.presence_status_updated",
        "status-privacy-zoom-event-presence",
    ),
    (
        Grant::ZoomEvent,
        "phone.caller_ended",
        "privacy-zoom-event-phone-caller-ended",
    ),
    (
        Grant::ZoomEvent,
        "phone.callee_ended",
        "privacy-zoom-event-phone-callee-ended",
    ),
    (
        Grant::ZoomEvent,
        "phone.callee_missed",
        "privacy-zoom-event-phone-callee-missed",
    ),
    (
        Grant::ZoomEvent,
        "phone.recording_completed",
        "privacy-zoom-event-phone-recording-completed",
    ),
];

/// The message saying what zlack uses `name` for; `None` when it is not
/// described (a bug: the server's tests check every name it uses).
pub fn purpose_key(grant: Grant, name: &str) -> Option<&'static str> {
    let find = |name: &str| {
        PURPOSES
            .iter()
            .find(|(g, n, _)| *g == grant && *n == name)
            .map(|(_, _, key)| *key)
    };
    // An account-level scope (`meeting:write:meeting:admin`) does for the
    // whole account what its user-level scope does for one user.
    find(name).or_else(|| {
        name.strip_suffix(":admin")
            .filter(|_| grant == Grant::ZoomScope)
            .and_then(find)
    })
}

/// Every name of `grant` that has a purpose, in table order.
pub fn described(grant: Grant) -> Vec<&'static str> {
    PURPOSES
        .iter()
        .filter(|(g, _, _)| *g == grant)
        .map(|(_, name, _)| *name)
        .collect()
}

/// What the page is generated from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrivacyInputs<'a> {
    /// The Slack bot scopes the app asks for.
    pub slack_scopes: &'a [&'a str],
    /// The Slack events the app subscribes to.
    pub slack_events: &'a [&'a str],
    /// The Zoom scopes the Zoom app needs.
    pub zoom_scopes: &'a [&'a str],
    /// The Zoom webhook events zlack acts on.
    pub zoom_events: &'a [&'a str],
    /// Days meeting data is kept (`ZLACK_RETENTION_DAYS`).
    pub retention_days: u32,
    /// Days requests and finished work are kept.
    pub finished_days: u32,
    /// Zoom is reached with the organization's own app (server-to-server),
    /// not with each user's authorization.
    pub zoom_account_app: bool,
    /// Organization mode: a Zoom admin connects each workspace, and zlack
    /// keeps who did.
    pub organization: bool,
}

/// The page as localized plain text; the server escapes it into HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrivacyPage {
    /// The page title and its one `<h1>`.
    pub title: String,
    /// The paragraph under the title.
    pub intro: String,
    /// One `<h2>` each.
    pub sections: Vec<PrivacySection>,
}

/// A section of the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrivacySection {
    /// The section's heading.
    pub heading: String,
    /// Its content, in order.
    pub blocks: Vec<PrivacyBlock>,
}

/// A piece of a section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyBlock {
    /// A heading under the section's (`<h3>`).
    Subheading(String),
    /// A paragraph.
    Paragraph(String),
    /// A bulleted list of sentences.
    List(Vec<String>),
    /// A list of scopes or events, each with its purpose.
    Names(Vec<NamedPurpose>),
}

/// A scope or event and what zlack uses it for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedPurpose {
    /// The name as Slack or Zoom spell it (not translated).
    pub name: String,
    /// One line on what zlack uses it for.
    pub purpose: String,
}

/// The keys of what zlack stores, in page order.
fn stored(organization: bool) -> &'static [&'static str] {
    const ALL: [&str; 11] = [
        "privacy-store-tokens",
        "privacy-store-links",
        "privacy-store-organization",
        "privacy-store-settings",
        "privacy-store-profiles",
        "privacy-store-meetings",
        "privacy-store-phone",
        "privacy-store-whiteboards",
        "status-privacy-store",
        "privacy-store-inbox",
        "privacy-store-audit",
    ];
    const WITHOUT_ORGANIZATION: [&str; 10] = [
        "privacy-store-tokens",
        "privacy-store-links",
        "privacy-store-settings",
        "privacy-store-profiles",
        "privacy-store-meetings",
        "privacy-store-phone",
        "privacy-store-whiteboards",
        "status-privacy-store",
        "privacy-store-inbox",
        "privacy-store-audit",
    ];
    if organization {
        &ALL
    } else {
        &WITHOUT_ORGANIZATION
    }
}

/// The data-use page in `lang`.
pub fn privacy_page(t: &Texts, lang: Lang, inputs: &PrivacyInputs) -> PrivacyPage {
    let get = |key: &str| t.get(lang, key, &[]);
    let list = |keys: &[&str]| PrivacyBlock::List(keys.iter().map(|k| get(k)).collect());
    let names = |grant: Grant, names: &[&str]| {
        PrivacyBlock::Names(
            names
                .iter()
                .map(|name| NamedPurpose {
                    name: (*name).to_owned(),
                    purpose: get(purpose_key(grant, name).unwrap_or("privacy-purpose-unknown")),
                })
                .collect(),
        )
    };
    let days =
        |key: &str, days: u32| t.get(lang, key, &[("days", FluentArgValue::Num(days.into()))]);
    let reads =
        |heading: &str, body: &str, scopes: PrivacyBlock, events: PrivacyBlock| PrivacySection {
            heading: get(heading),
            blocks: vec![
                PrivacyBlock::Paragraph(get(body)),
                PrivacyBlock::Subheading(get("privacy-permissions")),
                scopes,
                PrivacyBlock::Subheading(get("privacy-events")),
                events,
            ],
        };
    let mut zoom = reads(
        "privacy-zoom-heading",
        if inputs.zoom_account_app {
            "privacy-zoom-body-account"
        } else {
            "privacy-zoom-body"
        },
        names(Grant::ZoomScope, inputs.zoom_scopes),
        names(Grant::ZoomEvent, inputs.zoom_events),
    );
    zoom.blocks
        .push(PrivacyBlock::Paragraph(get("privacy-zoom-unannounced")));
    PrivacyPage {
        title: get("privacy-title"),
        intro: get("privacy-intro"),
        sections: vec![
            reads(
                "privacy-slack-heading",
                "privacy-slack-body",
                names(Grant::SlackScope, inputs.slack_scopes),
                names(Grant::SlackEvent, inputs.slack_events),
            ),
            zoom,
            PrivacySection {
                heading: get("privacy-stores-heading"),
                blocks: vec![
                    PrivacyBlock::Paragraph(get("privacy-stores-body")),
                    list(stored(inputs.organization)),
                ],
            },
            PrivacySection {
                heading: get("privacy-retention-heading"),
                blocks: vec![PrivacyBlock::List(vec![
                    days("privacy-retention-meetings", inputs.retention_days),
                    days("privacy-retention-inbox", inputs.finished_days),
                    get("privacy-retention-kept"),
                    get("privacy-retention-audit"),
                ])],
            },
            PrivacySection {
                heading: get("privacy-delete-heading"),
                blocks: vec![
                    list(&[
                        "privacy-delete-logout",
                        "status-privacy-delete",
                        "privacy-delete-slack",
                        "privacy-delete-zoom",
                        "privacy-delete-operator",
                    ]),
                    PrivacyBlock::Paragraph(get("privacy-delete-audit")),
                ],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_is_unique_and_known_in_both_languages() {
        let t = Texts::new();
        for (i, (grant, name, key)) in PURPOSES.iter().enumerate() {
            assert!(
                PURPOSES[..i]
                    .iter()
                    .all(|(g, n, _)| (g, n) != (grant, name)),
                "{name} twice"
            );
            assert_eq!(purpose_key(*grant, name), Some(*key));
            for lang in Lang::ALL {
                // `get` panics in tests when a message is missing.
                assert!(!t.get(lang, key, &[]).is_empty());
            }
        }
        assert_eq!(purpose_key(Grant::SlackScope, "admin"), None);
        // A name is described for its own kind only.
        assert_eq!(purpose_key(Grant::ZoomScope, "commands"), None);
    }

    #[test]
    fn an_undescribed_name_is_still_listed() {
        let t = Texts::new();
        let page = privacy_page(
            &t,
            Lang::En,
            &PrivacyInputs {
                slack_scopes: &["commands", "im:history"],
                slack_events: &[],
                zoom_scopes: &[],
                zoom_events: &[],
                retention_days: 1,
                finished_days: 7,
                zoom_account_app: false,
                organization: false,
            },
        );
        let PrivacyBlock::Names(names) = &page.sections[0].blocks[2] else {
            panic!("the Slack scopes: {page:#?}");
        };
        assert_eq!(names.len(), 2);
        assert_eq!(names[1].name, "im:history");
        assert_eq!(
            names[1].purpose,
            t.get(Lang::En, "privacy-purpose-unknown", &[])
        );
        let PrivacyBlock::List(retention) = &page.sections[3].blocks[0] else {
            panic!("the retention list: {page:#?}");
        };
        assert!(retention[0].contains("1 day "), "{}", retention[0]);
        assert!(retention[1].contains("7 days"), "{}", retention[1]);
    }
}
