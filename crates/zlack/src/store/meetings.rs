//! Meetings announced in Slack. A row is made before Zoom is asked for the
//! meeting, and each later step (Zoom meeting, Slack Call, post) records
//! its result, so a retried job resumes where it stopped instead of
//! creating a second meeting.

use zlack_domain::delivery::ConversationKind;

use super::text::stored_names;
use super::{Store, StoreError};
use crate::clock::Millis;
use crate::config::Secret;
use zlack_domain::ids::{ChannelId, MeetingUuid, OccurrenceId, SlackUserId, TeamId};

/// The command that announced a meeting, as the `origin` column stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingOrigin {
    /// `/zoom`: a new meeting.
    Start,
    /// `/zoom join …`: a meeting that already exists.
    Join,
    /// `/zoom join_me`: the host's personal meeting room.
    JoinMe,
    /// `/zoom schedule`: a new meeting at a later time.
    Schedule,
}

stored_names!(MeetingOrigin {
    Start => "start",
    Join => "join",
    JoinMe => "join_me",
    Schedule => "schedule",
});

/// Where a meeting's card went, as the `posted_via` column stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostedVia {
    /// `chat.postMessage` into the conversation: the app can post there.
    Chat,
    /// The command's `response_url`.
    ResponseUrl,
    /// The announcer's DM.
    Dm,
}

stored_names!(PostedVia {
    Chat => "chat",
    ResponseUrl => "response_url",
    Dm => "dm",
});

/// A meeting about to be made; stored before Zoom is asked, so a retry
/// finds it.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// Unique per request that asked for the meeting (the inbox row).
    pub request_key: String,
    pub team_id: TeamId,
    /// The Enterprise Grid org the command came from, if any.
    pub enterprise_id: Option<TeamId>,
    pub channel_id: ChannelId,
    /// The kind of conversation, as far as the command told.
    pub conversation_kind: Option<ConversationKind>,
    /// The Slack user who hosts it on Zoom.
    pub host_slack_user_id: SlackUserId,
    /// The command that asked for it.
    pub origin: MeetingOrigin,
    /// Where to answer the command; sealed at rest.
    pub response_url: Option<Secret>,
    /// When `response_url` stops working.
    pub response_url_expires_at: Option<Millis>,
}

/// A stored meeting; the `Option` fields fill in as each step succeeds.
#[derive(Debug, Clone)]
pub struct MeetingRow {
    pub id: i64,
    pub team_id: TeamId,
    /// The Enterprise Grid org the command came from, if any.
    pub enterprise_id: Option<TeamId>,
    pub channel_id: ChannelId,
    /// As in [`NewMeeting::conversation_kind`]. A name this version does
    /// not know reads as `None`, as for rows stored before the kind was:
    /// the kind is then guessed from the channel id.
    pub conversation_kind: Option<ConversationKind>,
    /// The Slack user who hosts it on Zoom.
    pub host_slack_user_id: SlackUserId,
    /// The command that asked for it.
    pub origin: MeetingOrigin,
    /// Set once Zoom has made the meeting.
    pub zoom_meeting_id: Option<i64>,
    /// Zoom's instance UUID, when the create answer had one.
    pub zoom_uuid: Option<MeetingUuid>,
    /// The topic Zoom saved.
    pub topic: Option<String>,
    /// The link participants use.
    pub join_url: Option<String>,
    /// The Slack Call made for it, if any.
    pub call_id: Option<String>,
    /// The occurrence whose end ended the Call.
    pub call_ended_by: Option<OccurrenceId>,
    /// The card's `ts` when it went out through `chat`.
    pub message_ts: Option<String>,
    /// Set once the card is posted.
    pub posted_via: Option<PostedVia>,
    /// Where to answer the command, opened.
    pub response_url: Option<Secret>,
    /// When `response_url` stops working.
    pub response_url_expires_at: Option<Millis>,
}

const SELECT: &str = "SELECT id, request_key, team_id, enterprise_id, channel_id, conversation_kind, host_slack_user_id, \
     origin, zoom_meeting_id, zoom_uuid, topic, join_url, join_url_sealed, call_id, call_ended_by, message_ts, posted_via, \
     response_url, response_url_expires_at FROM meetings";

/// A meeting as [`SELECT`] reads it, its links still sealed.
#[derive(sqlx::FromRow)]
struct StoredMeeting {
    id: i64,
    request_key: String,
    team_id: TeamId,
    enterprise_id: Option<TeamId>,
    channel_id: ChannelId,
    conversation_kind: Option<String>,
    host_slack_user_id: SlackUserId,
    origin: MeetingOrigin,
    zoom_meeting_id: Option<i64>,
    zoom_uuid: Option<MeetingUuid>,
    topic: Option<String>,
    #[sqlx(flatten)]
    join_url: StoredJoinUrl,
    call_id: Option<String>,
    call_ended_by: Option<OccurrenceId>,
    message_ts: Option<String>,
    posted_via: Option<PostedVia>,
    /// Sealed.
    response_url: Option<Vec<u8>>,
    response_url_expires_at: Option<Millis>,
}

/// A meeting's join link as stored.
#[derive(sqlx::FromRow)]
struct StoredJoinUrl {
    /// Written before links were sealed, and not sealed yet.
    join_url: Option<String>,
    join_url_sealed: Option<Vec<u8>>,
}

fn response_context(request_key: &str) -> String {
    format!("meeting:{request_key}:response_url")
}

/// The sealing context of a meeting's join link.
pub(super) fn join_url_context(request_key: &str) -> String {
    format!("meeting:{request_key}:join_url")
}

impl Store {
    /// The meeting for this request, made now if it is the first attempt.
    pub async fn meeting_for_request(
        &self,
        new: &NewMeeting,
        now: Millis,
    ) -> Result<MeetingRow, StoreError> {
        let sealed = new.response_url.as_ref().map(|url| {
            self.vault
                .seal_secret(url, &response_context(&new.request_key))
        });
        self.write(sqlx::query(
            "INSERT INTO meetings (request_key, team_id, channel_id, host_slack_user_id, origin, response_url, \
             response_url_expires_at, created_at, updated_at, enterprise_id, conversation_kind) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) ON CONFLICT (request_key) DO NOTHING",
        )
        .bind(&new.request_key)
        .bind(&new.team_id)
        .bind(&new.channel_id)
        .bind(&new.host_slack_user_id)
        .bind(new.origin)
        .bind(sealed)
        .bind(new.response_url_expires_at)
        .bind(now)
        .bind(&new.enterprise_id)
        .bind(new.conversation_kind.map(ConversationKind::as_str)))
        .await?;
        let row = sqlx::query_as::<_, StoredMeeting>(&format!("{SELECT} WHERE request_key = $1"))
            .bind(&new.request_key)
            .fetch_one(&self.pool)
            .await?;
        self.meeting_row(row)
    }

    /// The join URL recorded for a request's meeting, once Zoom made it.
    pub async fn meeting_join_url(&self, request_key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query_as::<_, StoredJoinUrl>(
            "SELECT join_url, join_url_sealed FROM meetings WHERE request_key = $1",
        )
        .bind(request_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| self.join_url_of(r, request_key))
            .transpose()
            .map(Option::flatten)
    }

    /// The meeting with this row id.
    pub async fn meeting_by_id(&self, id: i64) -> Result<Option<MeetingRow>, StoreError> {
        let row = sqlx::query_as::<_, StoredMeeting>(&format!("{SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| self.meeting_row(r)).transpose()
    }

    /// The newest meeting announced in a conversation.
    pub async fn latest_meeting_in(
        &self,
        team_id: &TeamId,
        channel_id: &ChannelId,
    ) -> Result<Option<MeetingRow>, StoreError> {
        let row = sqlx::query_as::<_, StoredMeeting>(&format!(
            "{SELECT} WHERE team_id = $1 AND channel_id = $2 ORDER BY id DESC LIMIT 1"
        ))
        .bind(team_id)
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| self.meeting_row(r)).transpose()
    }

    /// Opens what a stored row holds sealed.
    fn meeting_row(&self, row: StoredMeeting) -> Result<MeetingRow, StoreError> {
        Ok(MeetingRow {
            join_url: self.join_url_of(row.join_url, &row.request_key)?,
            response_url: row
                .response_url
                .map(|s| {
                    self.vault
                        .open_secret(&s, &response_context(&row.request_key))
                })
                .transpose()?,
            id: row.id,
            team_id: row.team_id,
            enterprise_id: row.enterprise_id,
            channel_id: row.channel_id,
            conversation_kind: row
                .conversation_kind
                .as_deref()
                .and_then(ConversationKind::parse),
            host_slack_user_id: row.host_slack_user_id,
            origin: row.origin,
            zoom_meeting_id: row.zoom_meeting_id,
            zoom_uuid: row.zoom_uuid,
            topic: row.topic,
            call_id: row.call_id,
            call_ended_by: row.call_ended_by,
            message_ts: row.message_ts,
            posted_via: row.posted_via,
            response_url_expires_at: row.response_url_expires_at,
        })
    }

    /// A row's join link: sealed, or plain if written before links were
    /// sealed and not sealed yet.
    fn join_url_of(
        &self,
        stored: StoredJoinUrl,
        request_key: &str,
    ) -> Result<Option<String>, StoreError> {
        match stored.join_url_sealed {
            Some(sealed) => Ok(Some(
                self.open_text(&sealed, &join_url_context(request_key))?,
            )),
            None => Ok(stored.join_url),
        }
    }

    /// Records the meeting Zoom made, so a retry does not make another.
    pub async fn record_zoom_meeting(
        &self,
        id: i64,
        zoom_meeting_id: Option<i64>,
        zoom_uuid: Option<&MeetingUuid>,
        topic: Option<&str>,
        join_url: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        let request_key: String =
            sqlx::query_scalar("SELECT request_key FROM meetings WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let sealed = self
            .vault
            .seal(join_url.as_bytes(), &join_url_context(&request_key));
        self.write(sqlx::query(
            "UPDATE meetings SET zoom_meeting_id = $1, zoom_uuid = $2, topic = $3, join_url = NULL, \
             join_url_sealed = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(zoom_meeting_id)
        .bind(zoom_uuid)
        .bind(topic)
        .bind(sealed)
        .bind(now)
        .bind(id))
        .await?;
        Ok(())
    }

    /// Removes a meeting that never came to be (Zoom refused it).
    pub async fn forget_meeting(&self, id: i64) -> Result<(), StoreError> {
        self.write(
            sqlx::query("DELETE FROM meetings WHERE id = $1 AND zoom_meeting_id IS NULL").bind(id),
        )
        .await?;
        Ok(())
    }

    /// How many meetings were announced, for tests and metrics.
    pub async fn meeting_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM meetings")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Records the Slack Call made for the meeting.
    pub async fn record_call(&self, id: i64, call_id: &str, now: Millis) -> Result<(), StoreError> {
        self.write(
            sqlx::query("UPDATE meetings SET call_id = $1, updated_at = $2 WHERE id = $3")
                .bind(call_id)
                .bind(now)
                .bind(id),
        )
        .await?;
        Ok(())
    }

    /// Records where the card went, with its `ts` when posted with `chat`.
    pub async fn record_post(
        &self,
        id: i64,
        via: PostedVia,
        message_ts: Option<&str>,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write(sqlx::query(
            "UPDATE meetings SET posted_via = $1, message_ts = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(via)
        .bind(message_ts)
        .bind(now)
        .bind(id))
        .await?;
        Ok(())
    }
}
