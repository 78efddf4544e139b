//! How much a whiteboard unfurl shows, and where.
//!
//! A link is unfurled for everyone in the conversation it was pasted in.
//! As in Zoom's own Slack app, a board the sharer may read shows its name,
//! owner, last change and preview wherever the sharer pasted it; a
//! workspace admin may keep those details to private conversations, or
//! show them nowhere ([`WhiteboardDetail`]). Where the board's share link
//! opens for fewer people than can read the conversation, the unfurl says
//! so ([`AccessNote`]).

use serde::{Deserialize, Serialize};

/// A workspace's choice of where whiteboard unfurls show details.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhiteboardDetail {
    /// Wherever the sharer pastes the link, public channels included.
    #[default]
    Everywhere,
    /// Only in the composer, DMs, group DMs and private channels that no
    /// other organization shares.
    PrivateOnly,
    /// Nowhere: every board shows as a bare "Zoom Whiteboard".
    Nowhere,
}

impl WhiteboardDetail {
    /// Every choice, in the order of their buttons.
    pub const ALL: [WhiteboardDetail; 3] = [
        WhiteboardDetail::Everywhere,
        WhiteboardDetail::PrivateOnly,
        WhiteboardDetail::Nowhere,
    ];

    /// The stored name: `everywhere`, `private_only` or `nowhere`.
    pub fn as_str(self) -> &'static str {
        match self {
            WhiteboardDetail::Everywhere => "everywhere",
            WhiteboardDetail::PrivateOnly => "private_only",
            WhiteboardDetail::Nowhere => "nowhere",
        }
    }

    /// The choice named by [`WhiteboardDetail::as_str`]; `None` otherwise.
    pub fn parse(name: &str) -> Option<WhiteboardDetail> {
        Self::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// Whether a board's details may show to `audience`.
    pub fn shows_to(self, audience: Audience) -> bool {
        match self {
            WhiteboardDetail::Everywhere => true,
            WhiteboardDetail::PrivateOnly => {
                matches!(audience, Audience::Sharer | Audience::Closed)
            }
            WhiteboardDetail::Nowhere => false,
        }
    }
}

/// Who sees an unfurl.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The sharer alone: the message composer.
    Sharer,
    /// A closed group the sharer chose: a DM, a group DM, a private channel
    /// of this organization only.
    Closed,
    /// A public channel of this organization.
    Wide,
    /// A channel shared with another organization.
    External,
    /// Slack did not say.
    Unknown,
}

/// Who may open a board through its share link, as Zoom's
/// `share_link_setting.share_scope` says (0 invited people only, 1 and 3
/// the board's account, 2 anyone with the link).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkAccess {
    /// Only people invited to the board.
    InvitedOnly,
    /// People in the board's Zoom account.
    Account,
    /// Anyone with the link (signed in to Zoom).
    Anyone,
}

impl LinkAccess {
    /// The access Zoom's `share_scope` names; `None` for values Zoom has
    /// not documented.
    pub fn from_share_scope(scope: i64) -> Option<LinkAccess> {
        match scope {
            0 => Some(LinkAccess::InvitedOnly),
            1 | 3 => Some(LinkAccess::Account),
            2 => Some(LinkAccess::Anyone),
            _ => None,
        }
    }
}

/// What an unfurl says about who can open the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessNote {
    /// Only people invited to the board can open it.
    InvitedOnly,
    /// Only people in the board's Zoom account can open it.
    AccountOnly,
}

/// The note an unfurl needs when the link opens for fewer people than
/// `audience`: an invite-only board anywhere but the composer; an
/// account-only board in a channel shared with another organization.
pub fn access_note(access: Option<LinkAccess>, audience: Audience) -> Option<AccessNote> {
    match (access?, audience) {
        (_, Audience::Sharer) => None,
        (LinkAccess::InvitedOnly, _) => Some(AccessNote::InvitedOnly),
        (LinkAccess::Account, Audience::External | Audience::Unknown) => {
            Some(AccessNote::AccountOnly)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_choice_shows_details_only_where_it_says() {
        use Audience::*;
        let all = [Sharer, Closed, Wide, External, Unknown];
        let shown = |d: WhiteboardDetail| -> Vec<Audience> {
            all.into_iter().filter(|a| d.shows_to(*a)).collect()
        };
        assert_eq!(shown(WhiteboardDetail::Everywhere), all.to_vec());
        assert_eq!(shown(WhiteboardDetail::PrivateOnly), vec![Sharer, Closed]);
        assert!(shown(WhiteboardDetail::Nowhere).is_empty());
        assert_eq!(WhiteboardDetail::default(), WhiteboardDetail::Everywhere);
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for d in WhiteboardDetail::ALL {
            assert_eq!(WhiteboardDetail::parse(d.as_str()), Some(d));
        }
        assert_eq!(WhiteboardDetail::parse("public"), None);
    }

    #[test]
    fn a_link_narrower_than_its_audience_is_noted() {
        use Audience::*;
        let invited = Some(LinkAccess::InvitedOnly);
        let account = Some(LinkAccess::Account);
        let anyone = Some(LinkAccess::Anyone);
        assert_eq!(access_note(invited, Sharer), None);
        assert_eq!(access_note(invited, Closed), Some(AccessNote::InvitedOnly));
        assert_eq!(access_note(invited, Wide), Some(AccessNote::InvitedOnly));
        assert_eq!(access_note(account, Wide), None);
        assert_eq!(
            access_note(account, External),
            Some(AccessNote::AccountOnly)
        );
        assert_eq!(access_note(anyone, External), None);
        assert_eq!(access_note(None, External), None);
        assert_eq!(LinkAccess::from_share_scope(3), Some(LinkAccess::Account));
        assert_eq!(LinkAccess::from_share_scope(9), None);
    }
}
