//! The one way a message reaches a conversation: in the meeting card's
//! thread, in the conversation, through the command's `response_url`, or
//! in the app's DM. The domain decides where ([`Delivery`]); when Slack
//! refuses a place (the app was removed from the channel, the channel was
//! archived, the `response_url` stopped working) the decision is made again
//! with what was learnt, ending in the DM.

use zlack_domain::delivery::{Conversation, Delivery};
use zlack_domain::render::{Message, ResponseType};

use crate::config::Secret;
use crate::job::JobError;
use crate::slack::api::SlackError;
use crate::slack::team::TeamSlack;

/// Where a message about one conversation may go.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The workspace's Slack, with the serving install's bot token.
    pub slack: TeamSlack<'a>,
    /// The conversation.
    pub channel_id: &'a str,
    /// The command's `response_url`, while zlack may still use it.
    pub response_url: Option<&'a Secret>,
    /// Who gets the message in the app's DM when no other place works.
    pub dm_to: &'a str,
    /// What a refusal of that DM means.
    pub dm_refused: DmRefused,
}

/// What a DM Slack refuses for good means to the job that sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmRefused {
    /// A dead letter: the answer the user asked for did not arrive.
    Fails,
    /// The app's own credentials failing is a dead letter to look at; any
    /// other refusal (a deactivated user) drops the message, as nobody is
    /// left to tell.
    DroppedUnlessAppAuth,
    /// Dropped: a courtesy message nobody waits for.
    Dropped,
}

/// How a message went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// A reply in the card's thread.
    Thread { channel: String, ts: Option<String> },
    /// A message in the conversation.
    Channel { channel: String, ts: Option<String> },
    /// An `in_channel` message through the `response_url` (no `ts`).
    ResponseUrl,
    /// A message in the app's DM with [`Place::dm_to`].
    Dm {
        channel: Option<String>,
        ts: Option<String>,
    },
    /// Not sent: the domain said nowhere.
    Nowhere,
    /// The DM refused it (a deactivated user, say): nobody is left to tell.
    Undelivered,
}

/// What a [`deliver`] learnt on the way, for the wording of the message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Learnt {
    /// The conversation is archived: inviting the app there would not help.
    pub archived: bool,
}

/// Delivers a message about `place`'s conversation. `decide` is the
/// domain's choice for what is known of the conversation; `render` words
/// the message for the chosen delivery.
pub async fn deliver(
    place: &Place<'_>,
    mut conversation: Conversation,
    decide: &(dyn Fn(&Conversation) -> Delivery + Sync),
    render: &(dyn Fn(&Delivery, Learnt) -> Message + Sync),
) -> Result<Sent, JobError> {
    conversation.response_url_valid &= place.response_url.is_some();
    let mut learnt = Learnt::default();
    loop {
        let delivery = decide(&conversation);
        let message = render(&delivery, learnt);
        let thread_ts = match &delivery {
            Delivery::Nowhere => return Ok(Sent::Nowhere),
            Delivery::HostDm { .. } => {
                return dm(place.slack, place.dm_to, &message, place.dm_refused).await;
            }
            Delivery::ResponseUrl => {
                let Some(url) = place.response_url else {
                    conversation.response_url_valid = false;
                    continue;
                };
                let payload = message.for_response_url(ResponseType::InChannel, Some(false));
                match place.slack.respond(url, &payload).await {
                    Ok(()) => return Ok(Sent::ResponseUrl),
                    Err(e) if e.is_refusal() => {
                        tracing::info!(code = e.code(), "the response_url refused the message");
                        conversation.response_url_valid = false;
                    }
                    Err(e) => return Err(e.into()),
                }
                continue;
            }
            Delivery::ThreadReply { thread_ts } => Some(thread_ts.as_str()),
            Delivery::ChannelMessage => None,
        };
        let channel = place.channel_id.to_owned();
        match place
            .slack
            .post_message(place.channel_id, thread_ts, &message)
            .await
        {
            Ok(posted) if thread_ts.is_some() => {
                return Ok(Sent::Thread {
                    channel,
                    ts: posted.ts,
                });
            }
            Ok(posted) => {
                return Ok(Sent::Channel {
                    channel,
                    ts: posted.ts,
                });
            }
            Err(SlackError::NotHere { code, .. }) => {
                tracing::info!(%code, "the app may not post in the conversation");
                conversation.app_can_post = false;
                learnt.archived |= code == "is_archived";
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// A message in the app's DM with `user`; a refusal means what `refused`
/// says.
pub async fn dm(
    slack: TeamSlack<'_>,
    user: &str,
    message: &Message,
    refused: DmRefused,
) -> Result<Sent, JobError> {
    match slack.post_message(user, None, message).await {
        Ok(posted) => Ok(Sent::Dm {
            channel: posted.channel,
            ts: posted.ts,
        }),
        Err(e @ SlackError::AppAuth { .. }) if refused != DmRefused::Dropped => Err(e.into()),
        Err(e) if e.is_refusal() && refused != DmRefused::Fails => {
            tracing::info!(
                code = e.code(),
                "the DM was refused; the message is dropped"
            );
            Ok(Sent::Undelivered)
        }
        Err(e) => Err(e.into()),
    }
}
