//! Notices sent to the host's DM instead of the meeting's conversation.

use super::Message;
use super::blocks::section;
use super::limits;
use super::mrkdwn::{Md, channel_mention, md, mention};
use crate::i18n::{Lang, Texts};

/// Where the meeting was announced, for [`conversation_label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversationRef<'a> {
    /// A public or private channel, by id (`C…`, or `G…` for old private
    /// channels).
    Channel {
        /// The channel id.
        channel_id: &'a str,
    },
    /// A direct message between the host and one other person.
    DirectMessage {
        /// The other person's Slack user id.
        with_user_id: &'a str,
    },
    /// A direct message whose other member is not known (a slash command
    /// does not tell).
    SomeDirectMessage,
    /// A group chat whose members are not known.
    SomeGroupDm,
    /// A group chat.
    GroupDm {
        /// The other members' Slack user ids.
        user_ids: &'a [String],
    },
}

/// Group chat members named in a label; Slack allows at most 8 others.
const GROUP_MEMBERS_MAX: usize = 8;

/// The conversation as mrkdwn for "in …": `<#C…>` for a channel, "your
/// direct message with @Bo", "a group chat with @Bo, @Cy". Ids that are not
/// Slack ids are shown as text.
pub fn conversation_label(t: &Texts, lang: Lang, conversation: &ConversationRef) -> String {
    match conversation {
        ConversationRef::Channel { channel_id } => channel_mention(channel_id),
        ConversationRef::DirectMessage { with_user_id } => {
            let user = mention(with_user_id);
            md(t, lang, "conversation-dm", &[("user", Md::Raw(&user))])
        }
        ConversationRef::SomeDirectMessage => md(t, lang, "conversation-some-dm", &[]),
        ConversationRef::SomeGroupDm => md(t, lang, "conversation-some-group-dm", &[]),
        ConversationRef::GroupDm { user_ids } => {
            let users: Vec<String> = user_ids
                .iter()
                .take(GROUP_MEMBERS_MAX)
                .map(|id| mention(id))
                .collect();
            let users = users.join(", ");
            md(
                t,
                lang,
                "conversation-group-dm",
                &[("users", Md::Raw(&users))],
            )
        }
    }
}

/// What the host's DM says about the conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostDm<'a> {
    /// From [`conversation_label`]: mrkdwn, inserted as is.
    pub conversation_label: &'a str,
    /// The app's bot user id, when the DM should say how to add the app to
    /// the conversation (`Delivery::HostDm { explain_conversation: true }`).
    pub invite_app: Option<&'a str>,
}

/// `inner` (any notice) for the host's DM, after a line naming the
/// conversation and, with [`HostDm::invite_app`], how to invite the app
/// there ("/invite @zlack"). The fallback text stays the notice's own.
pub fn host_dm_notice(t: &Texts, lang: Lang, dm: &HostDm, inner: Message) -> Message {
    let label = Md::Raw(dm.conversation_label);
    let mut lines = vec![md(t, lang, "host-dm-where", &[("conversation", label)])];
    if let Some(app) = dm.invite_app {
        let app = mention(app);
        lines.push(md(t, lang, "host-dm-add-app", &[("app", Md::Raw(&app))]));
    }
    let mut blocks = vec![section("host_dm", lines.join("\n"))];
    blocks.extend(inner.blocks().iter().take(limits::BLOCKS - 1).cloned());
    Message::new(inner.text().to_owned(), blocks)
}
