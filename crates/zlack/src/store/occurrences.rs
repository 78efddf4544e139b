//! Meeting occurrences (one per Zoom meeting UUID and conversation) and
//! the notices delivered for them. The state of an occurrence changes only
//! inside the transaction that marks its webhook processed, under a row
//! lock on PostgreSQL and SQLite's single writer, so concurrent webhooks of
//! one meeting fold in one after the other.

use super::text::stored_names;
use super::{Dialect, MeetingRow, Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{InboxId, MeetingUuid, OccurrenceId, SlackUserId, TeamId, ZoomUserId};

/// An occurrence as a webhook transaction sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockedOccurrence {
    pub id: OccurrenceId,
    /// The workspace of the announcement.
    pub team_id: TeamId,
    /// The sealed state; `None` before the first event was folded in.
    pub state: Option<Vec<u8>>,
}

/// An occurrence with the announcement it belongs to.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub id: OccurrenceId,
    pub zoom_uuid: MeetingUuid,
    /// Zoom's `host_id` of the meeting, from the first webhook that had it.
    pub zoom_host_id: Option<ZoomUserId>,
    /// The state as JSON (opened); `None` when no event changed it yet.
    pub state: Option<Vec<u8>>,
    /// The participants the Slack Call shows, as Calls API user objects.
    pub call_shown: Vec<serde_json::Value>,
    /// The announcement.
    pub meeting: MeetingRow,
}

/// An occurrence as stored, its state still sealed.
#[derive(sqlx::FromRow)]
struct StoredOccurrence {
    id: OccurrenceId,
    meeting_id: i64,
    zoom_uuid: MeetingUuid,
    zoom_host_id: Option<ZoomUserId>,
    state: Option<Vec<u8>>,
    /// JSON.
    call_shown: String,
}

/// A delivered notice.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeRow {
    pub delivery: NoticeDelivery,
    /// Where it was posted with `chat.postMessage`.
    pub channel_id: Option<String>,
    /// Its `ts`, when Slack returned one.
    pub message_ts: Option<String>,
}

/// Where a notice went, as the `delivery` column of `notices` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeDelivery {
    /// In the thread of the meeting's card.
    Thread,
    /// In the conversation, outside any thread.
    Channel,
    /// Through the command's `response_url`.
    ResponseUrl,
    /// In the DM of whoever announced the meeting, not its Zoom host.
    HostDm,
    /// In the Zoom host's DM, who may see the recording passcode.
    ZoomHostDm,
    /// Not sent: the decision was to stay quiet.
    Nowhere,
    /// Not sent: even the DM refused it.
    Undelivered,
}

stored_names!(NoticeDelivery {
    Thread => "thread",
    Channel => "channel",
    ResponseUrl => "response_url",
    HostDm => "host_dm",
    ZoomHostDm => "zoom_host_dm",
    Nowhere => "nowhere",
    Undelivered => "undelivered",
});

/// The notices recorded once per occurrence, as the `kind` column of
/// `notices` stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedNotice {
    /// Who came and for how long.
    EndSummary,
    /// The recording's link.
    Recording,
    /// The recording's passcode, in the Zoom host's DM.
    RecordingPasscode,
    /// The AI Companion's summary.
    AiSummary,
}

stored_names!(RecordedNotice {
    EndSummary => "end_summary",
    Recording => "recording",
    RecordingPasscode => "recording_passcode",
    AiSummary => "ai_summary",
});

/// Announcements older than this bind no new occurrence.
pub const ANNOUNCEMENT_MAX_AGE_MS: Millis = 30 * 24 * 60 * 60 * 1000;
/// An announcement whose occurrence ended longer ago than this is used up.
pub const RESTART_GRACE_MS: Millis = 15 * 60 * 1000;

fn state_context(id: OccurrenceId) -> String {
    format!("occurrence:{id}:state")
}

impl Store {
    /// Marks an inbox row processed inside `tx`; `false` when another
    /// worker already did. Run it first: on SQLite it takes the write lock
    /// before anything is read.
    pub async fn claim_inbox(tx: &mut Tx, id: InboxId, now: Millis) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE inbox SET processed_at = $1 WHERE id = $2 AND processed_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The occurrences of `zoom_uuid`, locked for this transaction, after
    /// binding it to the newest announcement of `zoom_meeting_id` in each
    /// conversation where that announcement is current:
    ///
    /// - made without reading the meeting at Zoom (no topic), it is never
    ///   bound: its announcer may not see who took part;
    /// - it was made (a scheduled one: is due) less than
    ///   [`ANNOUNCEMENT_MAX_AGE_MS`] ago;
    /// - it is not used up: none of its occurrences ended more than
    ///   [`RESTART_GRACE_MS`] ago (a personal meeting announced on Monday
    ///   says nothing about Tuesday's, but a host who restarts at once
    ///   continues the announced meeting);
    /// - it was made before this occurrence ended, so a late webhook of an
    ///   old occurrence never reaches a newer card.
    pub async fn bind_occurrences(
        &self,
        tx: &mut Tx,
        zoom_meeting_id: i64,
        zoom_uuid: &MeetingUuid,
        zoom_host_id: Option<&ZoomUserId>,
        now: Millis,
    ) -> Result<Vec<LockedOccurrence>, StoreError> {
        sqlx::query(
            "INSERT INTO occurrences (meeting_id, zoom_uuid, team_id, channel_id, zoom_host_id, created_at, updated_at) \
             SELECT m.id, $1, m.team_id, m.channel_id, $2, $3, $3 FROM meetings m \
             WHERE m.id IN (SELECT MAX(n.id) FROM meetings n WHERE n.zoom_meeting_id = $4 \
                 AND n.topic IS NOT NULL AND (n.join_url_sealed IS NOT NULL OR n.join_url IS NOT NULL) \
                 GROUP BY n.team_id, n.channel_id) \
             AND COALESCE(m.starts_at, m.created_at) >= $5 \
             AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id \
                 AND o.ended_at IS NOT NULL AND o.ended_at < $6) \
             AND NOT EXISTS (SELECT 1 FROM occurrences x WHERE x.zoom_uuid = $1 \
                 AND x.ended_at IS NOT NULL AND x.ended_at < m.created_at) \
             ON CONFLICT (zoom_uuid, team_id, channel_id) DO NOTHING",
        )
        .bind(zoom_uuid)
        .bind(zoom_host_id)
        .bind(now)
        .bind(zoom_meeting_id)
        .bind(now - ANNOUNCEMENT_MAX_AGE_MS)
        .bind(now - RESTART_GRACE_MS)
        .execute(&mut **tx)
        .await?;
        let lock = match self.dialect {
            Dialect::Postgres => " FOR UPDATE",
            Dialect::Sqlite => "",
        };
        let rows = sqlx::query_as::<_, LockedOccurrence>(&format!(
            "SELECT id, team_id, state FROM occurrences WHERE zoom_uuid = $1 ORDER BY id{lock}"
        ))
        .bind(zoom_uuid)
        .fetch_all(&mut **tx)
        .await?;
        rows.into_iter()
            .map(|mut row| {
                row.state = row
                    .state
                    .map(|s| self.vault.open(&s, &state_context(row.id)))
                    .transpose()?;
                Ok(row)
            })
            .collect()
    }

    /// Stores an occurrence's new state (JSON, sealed here), and when it
    /// `ended`, that it did (the first time, with `now`).
    pub async fn save_occurrence_state(
        &self,
        tx: &mut Tx,
        id: OccurrenceId,
        state: &[u8],
        zoom_host_id: Option<&ZoomUserId>,
        ended: bool,
        now: Millis,
    ) -> Result<(), StoreError> {
        let sealed = self.vault.seal(state, &state_context(id));
        sqlx::query(
            "UPDATE occurrences SET state = $1, zoom_host_id = COALESCE(zoom_host_id, $2), updated_at = $3, \
             ended_at = COALESCE(ended_at, $5) WHERE id = $4",
        )
        .bind(sealed)
        .bind(zoom_host_id)
        .bind(now)
        .bind(id)
        .bind(ended.then_some(now))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// An occurrence and its announcement.
    pub async fn occurrence(&self, id: OccurrenceId) -> Result<Option<Occurrence>, StoreError> {
        let Some(row) = sqlx::query_as::<_, StoredOccurrence>(
            "SELECT id, meeting_id, zoom_uuid, zoom_host_id, state, call_shown FROM occurrences WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let Some(meeting) = self.meeting_by_id(row.meeting_id).await? else {
            return Ok(None);
        };
        Ok(Some(Occurrence {
            id: row.id,
            zoom_uuid: row.zoom_uuid,
            zoom_host_id: row.zoom_host_id,
            state: row
                .state
                .map(|s| self.vault.open(&s, &state_context(row.id)))
                .transpose()?,
            call_shown: serde_json::from_str(&row.call_shown).unwrap_or_default(),
            meeting,
        }))
    }

    /// Records who the Slack Call shows now.
    pub async fn set_call_shown(
        &self,
        id: OccurrenceId,
        shown: &[serde_json::Value],
        now: Millis,
    ) -> Result<(), StoreError> {
        let shown = serde_json::Value::from(shown.to_vec()).to_string();
        self.write(
            sqlx::query("UPDATE occurrences SET call_shown = $1, updated_at = $2 WHERE id = $3")
                .bind(shown)
                .bind(now)
                .bind(id),
        )
        .await?;
        Ok(())
    }

    /// Records that occurrence `id` ended the announcement's Call; `false`
    /// when another occurrence already had. Every occurrence bound to one
    /// announcement shares its Call, and only one ends it.
    pub async fn mark_call_ended(
        &self,
        meeting_id: i64,
        id: OccurrenceId,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let done = self.write(sqlx::query(
            "UPDATE meetings SET call_ended_by = $1, updated_at = $2 WHERE id = $3 AND call_ended_by IS NULL",
        )
        .bind(id)
        .bind(now)
        .bind(meeting_id))
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The notice of `kind` delivered for the occurrence, if any.
    pub async fn notice(
        &self,
        id: OccurrenceId,
        kind: RecordedNotice,
    ) -> Result<Option<NoticeRow>, StoreError> {
        Ok(sqlx::query_as::<_, NoticeRow>(
            "SELECT delivery, channel_id, message_ts FROM notices WHERE occurrence_id = $1 AND kind = $2",
        )
        .bind(id)
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records a delivered notice; a second record of the same kind is
    /// ignored.
    pub async fn record_notice(
        &self,
        id: OccurrenceId,
        kind: RecordedNotice,
        notice: &NoticeRow,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write(sqlx::query(
            "INSERT INTO notices (occurrence_id, kind, delivery, channel_id, message_ts, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (occurrence_id, kind) DO NOTHING",
        )
        .bind(id)
        .bind(kind)
        .bind(notice.delivery)
        .bind(&notice.channel_id)
        .bind(&notice.message_ts)
        .bind(now))
        .await?;
        Ok(())
    }

    /// The announcements reconciliation asks Zoom about, at most `limit`,
    /// those asked about least recently first (never asked: first of all,
    /// then newest first), with when each was made: those that can bind
    /// occurrences (read at Zoom, with a join link), made since `since`,
    /// unless finished. Finished is used up (an occurrence ended before
    /// `used_up_before`) with every occurrence ended and either ended
    /// before `follow_up_before` (its recording and AI summary are no
    /// longer asked for) or with its end summary, recording and AI-summary
    /// notices recorded.
    pub async fn reconcile_candidates(
        &self,
        since: Millis,
        used_up_before: Millis,
        follow_up_before: Millis,
        limit: i64,
    ) -> Result<Vec<(i64, Millis)>, StoreError> {
        Ok(sqlx::query_as::<_, (i64, Millis)>(
            "SELECT m.id, m.created_at FROM meetings m \
             WHERE m.zoom_meeting_id IS NOT NULL AND m.topic IS NOT NULL \
             AND (m.join_url_sealed IS NOT NULL OR m.join_url IS NOT NULL) AND m.created_at >= $1 \
             AND NOT (EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id \
                     AND o.ended_at IS NOT NULL AND o.ended_at < $2) \
                 AND NOT EXISTS (SELECT 1 FROM occurrences p WHERE p.meeting_id = m.id \
                     AND (p.ended_at IS NULL OR p.ended_at >= $3) \
                     AND (SELECT COUNT(*) FROM notices n WHERE n.occurrence_id = p.id \
                         AND n.kind IN ('end_summary', 'recording', 'ai_summary')) < 3)) \
             ORDER BY COALESCE(m.reconciled_at, 0), m.id DESC LIMIT $4",
        )
        .bind(since)
        .bind(used_up_before)
        .bind(follow_up_before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Notes that reconciliation asked Zoom about announcement
    /// `meeting_id` at `now`: the next runs start with the others.
    pub async fn mark_reconciled(&self, meeting_id: i64, now: Millis) -> Result<(), StoreError> {
        self.write(
            sqlx::query("UPDATE meetings SET reconciled_at = $1 WHERE id = $2")
                .bind(now)
                .bind(meeting_id),
        )
        .await?;
        Ok(())
    }

    /// The occurrences bound to announcement `meeting_id`: id, UUID, state
    /// (opened) and when zlack saw them end.
    pub async fn occurrences_of_meeting(
        &self,
        meeting_id: i64,
    ) -> Result<Vec<(OccurrenceId, MeetingUuid, Option<Vec<u8>>, Option<Millis>)>, StoreError> {
        let rows = sqlx::query_as::<_, (OccurrenceId, MeetingUuid, Option<Vec<u8>>, Option<Millis>)>(
            "SELECT id, zoom_uuid, state, ended_at FROM occurrences WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(meeting_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, uuid, state, ended_at)| {
                let state = state
                    .map(|s| self.vault.open(&s, &state_context(id)))
                    .transpose()?;
                Ok((id, uuid, state, ended_at))
            })
            .collect()
    }

    /// Every occurrence's id, oldest first, for tests and tools.
    pub async fn occurrence_ids(&self) -> Result<Vec<OccurrenceId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM occurrences ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// How many notices of `kind` were delivered, for tests.
    pub async fn notice_count(&self, kind: RecordedNotice) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE kind = $1")
                .bind(kind)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The Slack user of `team_id` linked to a Zoom account with this
    /// email (any case).
    pub async fn slack_user_by_zoom_email(
        &self,
        team_id: &TeamId,
        email: &str,
    ) -> Result<Option<SlackUserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT slack_user_id FROM zoom_links WHERE team_id = $1 AND zoom_email_hash = $2 \
             ORDER BY linked_at LIMIT 1",
        )
        .bind(team_id)
        .bind(self.email_hash(email))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The Slack user of `team_id` linked to this Zoom user.
    pub async fn slack_user_by_zoom_id(
        &self,
        team_id: &TeamId,
        zoom_user_id: &ZoomUserId,
    ) -> Result<Option<SlackUserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT slack_user_id FROM zoom_links WHERE team_id = $1 AND zoom_user_id = $2 \
             ORDER BY linked_at LIMIT 1",
        )
        .bind(team_id)
        .bind(zoom_user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The workspace's choice of where recordings and AI summaries go
    /// (`conversation`, `host_only` or `nowhere`).
    pub async fn recording_policy(&self, team_id: &TeamId) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT recording_policy FROM workspaces WHERE team_id = $1")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Changes where the workspace's recordings and AI summaries go.
    pub async fn set_recording_policy(
        &self,
        team_id: &TeamId,
        policy: &str,
    ) -> Result<bool, StoreError> {
        let done = self
            .write(
                sqlx::query("UPDATE workspaces SET recording_policy = $1 WHERE team_id = $2")
                    .bind(policy)
                    .bind(team_id),
            )
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
