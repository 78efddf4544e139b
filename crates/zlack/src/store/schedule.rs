//! Meetings scheduled with `/zoom schedule`: the start, duration and time
//! zone on the announcement's row, and what Zoom later says about them
//! (`meeting.updated` moves them, `meeting.deleted` cancels them).

use super::meetings::join_url_context;
use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{ChannelId, SlackUserId, TeamId};

/// What the card, the reminder and the calendar file of a scheduled
/// meeting show.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub id: i64,
    pub team_id: TeamId,
    pub enterprise_id: Option<TeamId>,
    pub channel_id: ChannelId,
    pub host_slack_user_id: SlackUserId,
    pub zoom_meeting_id: Option<i64>,
    pub topic: Option<String>,
    pub join_url: Option<String>,
    pub call_id: Option<String>,
    /// The card's `ts` when it went out through `chat`.
    pub message_ts: Option<String>,
    /// Unix ms.
    pub starts_at: Millis,
    pub duration_minutes: i64,
    /// The IANA zone the meeting was written in.
    pub time_zone: Option<String>,
    /// When Zoom said the meeting was deleted.
    pub cancelled_at: Option<Millis>,
    /// Shown on the card only when the host's settings show it.
    pub passcode: Option<String>,
    /// The card's language code (`en`, `sv`).
    pub lang: Option<String>,
    /// The reminder's `ts` once posted.
    pub reminder_ts: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    request_key: String,
    team_id: TeamId,
    enterprise_id: Option<TeamId>,
    channel_id: ChannelId,
    host_slack_user_id: SlackUserId,
    zoom_meeting_id: Option<i64>,
    topic: Option<String>,
    join_url: Option<String>,
    join_url_sealed: Option<Vec<u8>>,
    call_id: Option<String>,
    message_ts: Option<String>,
    starts_at: Option<Millis>,
    duration_minutes: Option<i64>,
    time_zone: Option<String>,
    cancelled_at: Option<Millis>,
    passcode_sealed: Option<Vec<u8>>,
    lang: Option<String>,
    reminder_ts: Option<String>,
    created_at: Millis,
    updated_at: Millis,
}

const SELECT: &str = "SELECT id, request_key, team_id, enterprise_id, channel_id, host_slack_user_id, \
     zoom_meeting_id, topic, join_url, join_url_sealed, call_id, message_ts, starts_at, duration_minutes, \
     time_zone, cancelled_at, passcode_sealed, lang, reminder_ts, created_at, updated_at FROM meetings";

fn passcode_context(request_key: &str) -> String {
    format!("meeting:{request_key}:passcode")
}

/// How a meeting is scheduled, recorded with its announcement.
#[derive(Debug, Clone)]
pub struct Schedule<'a> {
    pub starts_at: Millis,
    pub duration_minutes: i64,
    pub time_zone: Option<&'a str>,
    pub lang: &'a str,
    /// Only when the card shows it.
    pub passcode: Option<&'a str>,
}

impl Store {
    /// Records when and how long a scheduled announcement's meeting is.
    pub async fn record_schedule(
        &self,
        id: i64,
        schedule: &Schedule<'_>,
        now: Millis,
    ) -> Result<(), StoreError> {
        let request_key: String =
            sqlx::query_scalar("SELECT request_key FROM meetings WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let passcode = schedule.passcode.map(|p| {
            self.vault
                .seal(p.as_bytes(), &passcode_context(&request_key))
        });
        self.write(
            sqlx::query(
                "UPDATE meetings SET starts_at = $1, duration_minutes = $2, time_zone = $3, lang = $4, \
             passcode_sealed = $5, updated_at = $6 WHERE id = $7",
            )
            .bind(schedule.starts_at)
            .bind(schedule.duration_minutes)
            .bind(schedule.time_zone)
            .bind(schedule.lang)
            .bind(passcode)
            .bind(now)
            .bind(id),
        )
        .await?;
        Ok(())
    }

    /// The scheduled meeting of announcement `id` (none when the row is
    /// gone or was not scheduled).
    pub async fn scheduled(&self, id: i64) -> Result<Option<Scheduled>, StoreError> {
        let row =
            sqlx::query_as::<_, Row>(&format!("{SELECT} WHERE id = $1 AND starts_at IS NOT NULL"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| self.open_scheduled(r)).transpose()
    }

    fn open_scheduled(&self, row: Row) -> Result<Scheduled, StoreError> {
        let join_url = match row.join_url_sealed {
            Some(sealed) => Some(self.open_text(&sealed, &join_url_context(&row.request_key))?),
            None => row.join_url,
        };
        let passcode = row
            .passcode_sealed
            .map(|s| self.open_text(&s, &passcode_context(&row.request_key)))
            .transpose()?;
        Ok(Scheduled {
            id: row.id,
            team_id: row.team_id,
            enterprise_id: row.enterprise_id,
            channel_id: row.channel_id,
            host_slack_user_id: row.host_slack_user_id,
            zoom_meeting_id: row.zoom_meeting_id,
            topic: row.topic,
            join_url,
            call_id: row.call_id,
            message_ts: row.message_ts,
            starts_at: row.starts_at.unwrap_or_default(),
            duration_minutes: row.duration_minutes.unwrap_or_default(),
            time_zone: row.time_zone,
            cancelled_at: row.cancelled_at,
            passcode,
            lang: row.lang,
            reminder_ts: row.reminder_ts,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// Moves the scheduled announcements of Zoom meeting `zoom_meeting_id`
    /// to what `meeting.updated` says (fields it leaves out stay); the ids
    /// of the announcements changed.
    pub async fn reschedule(
        &self,
        tx: &mut Tx,
        zoom_meeting_id: i64,
        change: &Reschedule,
        now: Millis,
    ) -> Result<Vec<(i64, Millis, TeamId)>, StoreError> {
        sqlx::query(
            "UPDATE meetings SET starts_at = COALESCE($1, starts_at), \
             duration_minutes = COALESCE($2, duration_minutes), topic = COALESCE($3, topic), \
             time_zone = COALESCE($4, time_zone), updated_at = $5 \
             WHERE zoom_meeting_id = $6 AND starts_at IS NOT NULL AND cancelled_at IS NULL",
        )
        .bind(change.starts_at)
        .bind(change.duration_minutes)
        .bind(change.topic.as_deref())
        .bind(change.time_zone.as_deref())
        .bind(now)
        .bind(zoom_meeting_id)
        .execute(&mut **tx)
        .await?;
        scheduled_ids(tx, zoom_meeting_id).await
    }

    /// Marks the scheduled announcements of a meeting Zoom deleted; the
    /// ids of those marked now.
    pub async fn cancel_scheduled(
        &self,
        tx: &mut Tx,
        zoom_meeting_id: i64,
        now: Millis,
    ) -> Result<Vec<(i64, Millis, TeamId)>, StoreError> {
        let ids = scheduled_ids(tx, zoom_meeting_id).await?;
        sqlx::query(
            "UPDATE meetings SET cancelled_at = $1, updated_at = $1 \
             WHERE zoom_meeting_id = $2 AND starts_at IS NOT NULL AND cancelled_at IS NULL",
        )
        .bind(now)
        .bind(zoom_meeting_id)
        .execute(&mut **tx)
        .await?;
        Ok(ids)
    }

    /// Records the reminder's `ts`, so the card's changes reach it too.
    pub async fn record_reminder(
        &self,
        id: i64,
        ts: Option<&str>,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write(
            sqlx::query("UPDATE meetings SET reminder_ts = $1, updated_at = $2 WHERE id = $3")
                .bind(ts)
                .bind(now)
                .bind(id),
        )
        .await?;
        Ok(())
    }
}

/// What `meeting.updated` changed; `None` is unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reschedule {
    pub starts_at: Option<Millis>,
    pub duration_minutes: Option<i64>,
    pub topic: Option<String>,
    pub time_zone: Option<String>,
}

/// The scheduled, not cancelled announcements of a Zoom meeting, with
/// their starts.
async fn scheduled_ids(
    tx: &mut Tx,
    zoom_meeting_id: i64,
) -> Result<Vec<(i64, Millis, TeamId)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, starts_at, team_id FROM meetings WHERE zoom_meeting_id = $1 AND starts_at IS NOT NULL \
         AND cancelled_at IS NULL ORDER BY id",
    )
    .bind(zoom_meeting_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// The signing context of calendar links.
const CALENDAR_CONTEXT: &str = "calendar";

impl Store {
    /// The signature of announcement `id`'s calendar link (hex of an HMAC
    /// with a key derived from the vault's key).
    pub fn calendar_signature(&self, id: i64) -> String {
        hex::encode(self.vault.sign(CALENDAR_CONTEXT, id.to_string().as_bytes()))
    }

    /// Whether `signature` is announcement `id`'s, compared in constant time.
    pub fn calendar_signature_ok(&self, id: i64, signature: &str) -> bool {
        hex::decode(signature).is_ok_and(|tag| {
            self.vault
                .verify(CALENDAR_CONTEXT, id.to_string().as_bytes(), &tag)
        })
    }
}

impl Store {
    /// Whether occurrence `id` belongs to a scheduled announcement.
    pub async fn occurrence_is_scheduled(
        &self,
        tx: &mut Tx,
        id: zlack_domain::ids::OccurrenceId,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT m.id FROM occurrences o JOIN meetings m ON m.id = o.meeting_id \
             WHERE o.id = $1 AND m.starts_at IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        Ok(found.is_some())
    }
}

impl Store {
    /// `host`'s scheduled meetings in `team` that have not started by
    /// `now` and were not cancelled, soonest first (for the Home tab).
    pub async fn upcoming_scheduled(
        &self,
        team: &TeamId,
        host: &SlackUserId,
        now: Millis,
        limit: i64,
    ) -> Result<Vec<Scheduled>, StoreError> {
        let rows = sqlx::query_as::<_, Row>(&format!(
            "{SELECT} WHERE team_id = $1 AND host_slack_user_id = $2 AND starts_at > $3 \
             AND cancelled_at IS NULL AND zoom_meeting_id IS NOT NULL ORDER BY starts_at, id LIMIT $4"
        ))
        .bind(team)
        .bind(host)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| self.open_scheduled(r)).collect()
    }
}
