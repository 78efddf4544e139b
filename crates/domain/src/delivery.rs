//! Where a meeting notice may go: the end summary, the recording link and
//! the AI summary.
//!
//! Slack lets an app post into a private channel or group chat only as a
//! member, into a public channel only as a member or with
//! `chat:write.public`, and into a direct message between two people never,
//! except through the slash command's `response_url` (5 uses, 30 minutes).
//! So a notice goes, in this order of preference:
//!
//! 1. as a thread reply to the meeting card, where the app may post and the
//!    card's `ts` is known (it was posted with `chat.postMessage`);
//! 2. as a message in the conversation, where the app may post but the card
//!    came through the `response_url` (which returns no `ts`);
//! 3. through the `response_url`, while it is still valid;
//! 4. as a DM from the app to the host, naming the conversation and, where
//!    adding the app there would help, saying how.
//!
//! The workspace's [`RecordingPolicy`] can keep recordings and AI summaries
//! out of conversations. The recording passcode only ever goes to the
//! host's DM ([`Delivery::shows_passcode`]).

use serde::{Deserialize, Serialize};

/// The kind of Slack conversation the meeting was announced in, from
/// `conversations.info` (`is_im`, `is_mpim`, `is_private`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    /// A public channel.
    PublicChannel,
    /// A private channel.
    PrivateChannel,
    /// A direct message between two people.
    DirectMessage,
    /// A group chat (multi-person direct message).
    GroupDm,
}

impl ConversationKind {
    /// The kind a slash command's `channel_id` and `channel_name` tell:
    /// `D…` is a DM, `mpdm-…` a group chat, `privategroup` (or an old
    /// `G…` id) a private channel. Slack sends a private channel's own name
    /// for some new `C…` channels, so those count as public: the server
    /// learns otherwise when a post is refused.
    pub fn from_slash(channel_id: &str, channel_name: Option<&str>) -> ConversationKind {
        let name = channel_name.unwrap_or_default();
        if channel_id.starts_with('D') || name == "directmessage" {
            ConversationKind::DirectMessage
        } else if name.starts_with("mpdm-") {
            ConversationKind::GroupDm
        } else if name == "privategroup" || channel_id.starts_with('G') {
            ConversationKind::PrivateChannel
        } else {
            ConversationKind::PublicChannel
        }
    }

    /// The stored name: `public_channel`, `private_channel`,
    /// `direct_message` or `group_dm`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationKind::PublicChannel => "public_channel",
            ConversationKind::PrivateChannel => "private_channel",
            ConversationKind::DirectMessage => "direct_message",
            ConversationKind::GroupDm => "group_dm",
        }
    }

    /// The kind named by [`ConversationKind::as_str`]; `None` otherwise.
    pub fn parse(name: &str) -> Option<ConversationKind> {
        [
            ConversationKind::PublicChannel,
            ConversationKind::PrivateChannel,
            ConversationKind::DirectMessage,
            ConversationKind::GroupDm,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

impl RecordingPolicy {
    /// The stored name: `conversation`, `host_only` or `nowhere`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordingPolicy::Conversation => "conversation",
            RecordingPolicy::HostOnly => "host_only",
            RecordingPolicy::Nowhere => "nowhere",
        }
    }

    /// The policy named by [`RecordingPolicy::as_str`]; `None` otherwise.
    pub fn parse(name: &str) -> Option<RecordingPolicy> {
        [
            RecordingPolicy::Conversation,
            RecordingPolicy::HostOnly,
            RecordingPolicy::Nowhere,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }
}

/// Which notice is to be delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The end-of-meeting summary.
    EndSummary,
    /// The cloud recording link.
    Recording,
    /// The Zoom AI Companion summary.
    AiSummary,
}

/// A workspace's choice of where recordings and AI summaries go. End
/// summaries always follow the conversation rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordingPolicy {
    /// Into the conversation, like the end summary.
    #[default]
    Conversation,
    /// Only to the host, by DM.
    HostOnly,
    /// Not at all.
    Nowhere,
}

/// What the server knows about the conversation when a notice is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// The kind of conversation.
    pub kind: ConversationKind,
    /// The app may post there: a public channel with `chat:write.public`,
    /// or a conversation the app is a member of.
    pub app_can_post: bool,
    /// The meeting card's `ts`, when it was posted with `chat.postMessage`.
    pub thread_ts: Option<String>,
    /// The slash command's `response_url` is within its 30 minutes and has
    /// uses left.
    pub response_url_valid: bool,
}

/// How a notice goes out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// `chat.postMessage` with `thread_ts` in the conversation.
    ThreadReply {
        /// The meeting card's `ts`.
        thread_ts: String,
    },
    /// `chat.postMessage` into the conversation (the card had no `ts`).
    ChannelMessage,
    /// An `in_channel` message through the `response_url`.
    ResponseUrl,
    /// `chat.postMessage` to the host's user id (the app's DM), wrapped
    /// with [`crate::render::host_dm_notice`].
    HostDm {
        /// The app could not post in the conversation and adding it there
        /// would help: say so, and how. `false` when the policy sent the
        /// notice here, or for a DM between two people, where no app may post.
        explain_conversation: bool,
    },
    /// Not delivered (the workspace's policy).
    Nowhere,
}

impl Delivery {
    /// Whether the recording passcode may be shown: only in the host's DM,
    /// never in a conversation.
    pub fn shows_passcode(&self) -> bool {
        matches!(self, Delivery::HostDm { .. })
    }
}

/// Where `notice` goes for a meeting announced in `conversation`.
pub fn deliver(
    conversation: &Conversation,
    notice: NoticeKind,
    policy: RecordingPolicy,
) -> Delivery {
    let policy = match notice {
        NoticeKind::EndSummary => RecordingPolicy::Conversation,
        NoticeKind::Recording | NoticeKind::AiSummary => policy,
    };
    match policy {
        RecordingPolicy::Nowhere => return Delivery::Nowhere,
        RecordingPolicy::HostOnly => {
            return Delivery::HostDm {
                explain_conversation: false,
            };
        }
        RecordingPolicy::Conversation => {}
    }
    if conversation.app_can_post {
        return match &conversation.thread_ts {
            Some(ts) => Delivery::ThreadReply {
                thread_ts: ts.clone(),
            },
            None => Delivery::ChannelMessage,
        };
    }
    if conversation.response_url_valid {
        return Delivery::ResponseUrl;
    }
    Delivery::HostDm {
        explain_conversation: conversation.kind != ConversationKind::DirectMessage,
    }
}

#[cfg(test)]
mod tests {
    use super::ConversationKind::*;
    use super::*;

    const KINDS: [ConversationKind; 4] = [PublicChannel, PrivateChannel, DirectMessage, GroupDm];
    const NOTICES: [NoticeKind; 3] = [
        NoticeKind::EndSummary,
        NoticeKind::Recording,
        NoticeKind::AiSummary,
    ];
    const POLICIES: [RecordingPolicy; 3] = [
        RecordingPolicy::Conversation,
        RecordingPolicy::HostOnly,
        RecordingPolicy::Nowhere,
    ];

    fn place(kind: ConversationKind, can_post: bool, ts: bool, url: bool) -> Conversation {
        Conversation {
            kind,
            app_can_post: can_post,
            thread_ts: ts.then(|| "1764252000.000100".to_owned()),
            response_url_valid: url,
        }
    }

    #[test]
    fn slash_commands_tell_the_conversation_kind() {
        let cases = [
            ("D0123", Some("directmessage"), DirectMessage),
            ("D0123", None, DirectMessage),
            ("C0123", Some("mpdm-ana--bo--cy-1"), GroupDm),
            ("G0123", Some("mpdm-ana--bo-1"), GroupDm),
            ("C0123", Some("privategroup"), PrivateChannel),
            ("G0123", Some("secret-plans"), PrivateChannel),
            ("C0123", Some("general"), PublicChannel),
            ("C0123", None, PublicChannel),
        ];
        for (id, name, kind) in cases {
            assert_eq!(
                ConversationKind::from_slash(id, name),
                kind,
                "{id} {name:?}"
            );
            assert_eq!(ConversationKind::parse(kind.as_str()), Some(kind));
        }
        for policy in POLICIES {
            assert_eq!(RecordingPolicy::parse(policy.as_str()), Some(policy));
        }
        assert_eq!(RecordingPolicy::parse("everywhere"), None);
    }

    fn thread() -> Delivery {
        Delivery::ThreadReply {
            thread_ts: "1764252000.000100".to_owned(),
        }
    }

    const fn host_dm(explain_conversation: bool) -> Delivery {
        Delivery::HostDm {
            explain_conversation,
        }
    }

    /// (kind, app may post, card has a ts, response_url valid) → delivery of
    /// every notice under the default policy.
    #[test]
    fn every_conversation_kind_gets_the_best_place_it_allows() {
        let cases = [
            // chat:write.public or a member: a thread reply under the card.
            (PublicChannel, true, true, true, thread()),
            (PublicChannel, true, true, false, thread()),
            // The card went through the response_url, so there is no ts.
            (PublicChannel, true, false, false, Delivery::ChannelMessage),
            // No chat:write.public and not a member.
            (PublicChannel, false, false, true, Delivery::ResponseUrl),
            (PublicChannel, false, false, false, host_dm(true)),
            (PrivateChannel, true, true, false, thread()),
            (PrivateChannel, true, false, true, Delivery::ChannelMessage),
            (PrivateChannel, false, false, true, Delivery::ResponseUrl),
            (PrivateChannel, false, false, false, host_dm(true)),
            // A ts the app can no longer post under (it was removed).
            (PrivateChannel, false, true, false, host_dm(true)),
            // Between two people: only the response_url, then the host's DM,
            // with no advice to add the app, which Slack does not allow.
            (DirectMessage, false, false, true, Delivery::ResponseUrl),
            (DirectMessage, false, false, false, host_dm(false)),
            // The host's own DM with the app.
            (DirectMessage, true, true, false, thread()),
            (GroupDm, true, true, false, thread()),
            (GroupDm, false, false, true, Delivery::ResponseUrl),
            (GroupDm, false, false, false, host_dm(true)),
        ];
        for (kind, can_post, ts, url, expected) in cases {
            let conversation = place(kind, can_post, ts, url);
            for notice in NOTICES {
                let got = deliver(&conversation, notice, RecordingPolicy::default());
                assert_eq!(got, expected, "{conversation:?} {notice:?}");
            }
        }
    }

    #[test]
    fn the_policy_moves_recordings_and_ai_summaries_but_never_the_end_summary() {
        for kind in KINDS {
            for bits in 0..8 {
                let conversation = place(kind, bits & 1 != 0, bits & 2 != 0, bits & 4 != 0);
                let default = deliver(
                    &conversation,
                    NoticeKind::EndSummary,
                    RecordingPolicy::default(),
                );
                for policy in POLICIES {
                    let summary = deliver(&conversation, NoticeKind::EndSummary, policy);
                    assert_eq!(summary, default, "{conversation:?} {policy:?}");
                    for notice in [NoticeKind::Recording, NoticeKind::AiSummary] {
                        let got = deliver(&conversation, notice, policy);
                        let expected = match policy {
                            RecordingPolicy::Conversation => default.clone(),
                            RecordingPolicy::HostOnly => host_dm(false),
                            RecordingPolicy::Nowhere => Delivery::Nowhere,
                        };
                        assert_eq!(got, expected, "{conversation:?} {notice:?} {policy:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_passcode_is_shown_only_in_the_hosts_dm() {
        for kind in KINDS {
            for bits in 0..8 {
                let conversation = place(kind, bits & 1 != 0, bits & 2 != 0, bits & 4 != 0);
                for policy in POLICIES {
                    let delivery = deliver(&conversation, NoticeKind::Recording, policy);
                    let in_dm = matches!(delivery, Delivery::HostDm { .. });
                    assert_eq!(delivery.shows_passcode(), in_dm, "{delivery:?}");
                }
            }
        }
        assert!(!Delivery::ResponseUrl.shows_passcode());
        assert!(!Delivery::ChannelMessage.shows_passcode());
        assert!(!thread().shows_passcode());
        assert!(host_dm(false).shows_passcode());
    }

    #[test]
    fn the_policy_is_stored_as_snake_case_and_defaults_to_the_conversation() {
        assert_eq!(RecordingPolicy::default(), RecordingPolicy::Conversation);
        let json = serde_json::to_string(&RecordingPolicy::HostOnly).unwrap();
        assert_eq!(json, "\"host_only\"");
        let kind: ConversationKind = serde_json::from_str("\"group_dm\"").unwrap();
        assert_eq!(kind, GroupDm);
    }
}
