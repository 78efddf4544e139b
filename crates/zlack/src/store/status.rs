//! Status sync: per Slack user, the presence Zoom last announced and what
//! zlack did with the user's Slack status. The saved status (the one the
//! user had before zlack's) is sealed like tokens.

use super::text::stored_names;
use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{SlackUserId, TeamId};

/// Where a user's status sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPhase {
    /// zlack shows nothing.
    Idle,
    /// zlack saved the user's status and is about to show its own.
    Setting,
    /// zlack's status is on.
    Shown,
    /// The user changed their status while zlack's was on: it is theirs
    /// until Zoom says they are available again.
    Yielded,
}

stored_names!(StatusPhase {
    Idle => "idle",
    Setting => "setting",
    Shown => "shown",
    Yielded => "yielded",
});

/// A Slack status: its text, emoji and expiry (Unix seconds, 0 = never).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlackStatus {
    pub text: String,
    pub emoji: String,
    #[serde(default)]
    pub expiration: i64,
}

/// One user's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSync {
    /// The latest presence Zoom announced, as stored (`in_meeting`, …).
    pub presence: String,
    /// When Zoom said so (the event's own time), in milliseconds.
    pub event_at: Millis,
    pub phase: StatusPhase,
    /// The text and emoji of the status zlack set.
    pub shown: Option<(String, String)>,
    /// The user's status before zlack's.
    pub saved: Option<SlackStatus>,
    /// Bumped by every write; a write names the version it read.
    pub version: i64,
}

/// What a write of a user's row says zlack did.
#[derive(Debug, Clone, Copy)]
pub struct StatusChange<'a> {
    pub phase: StatusPhase,
    /// The text and emoji of the status zlack set, if it shows one.
    pub shown: Option<(&'a str, &'a str)>,
    /// The user's status before zlack's, to put back.
    pub saved: Option<&'a SlackStatus>,
}

#[derive(sqlx::FromRow)]
struct Row {
    presence: String,
    event_at: Millis,
    phase: StatusPhase,
    shown_text: Option<String>,
    shown_emoji: Option<String>,
    saved_sealed: Option<Vec<u8>>,
    version: i64,
}

fn context(team_id: &str, user_id: &str) -> String {
    format!("status:{team_id}:{user_id}")
}

impl Store {
    /// The user's status sync row, if Zoom ever announced their presence
    /// since they turned it on.
    pub async fn status_sync(
        &self,
        team_id: &TeamId,
        user_id: &SlackUserId,
    ) -> Result<Option<StatusSync>, StoreError> {
        let row = sqlx::query_as::<_, Row>(
            "SELECT presence, event_at, phase, shown_text, shown_emoji, saved_sealed, version \
             FROM status_sync WHERE team_id = $1 AND slack_user_id = $2",
        )
        .bind(team_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let saved = match row.saved_sealed {
            Some(sealed) => {
                let plain = self.vault.open(&sealed, &context(team_id, user_id))?;
                Some(
                    serde_json::from_slice(&plain)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                )
            }
            None => None,
        };
        Ok(Some(StatusSync {
            presence: row.presence,
            event_at: row.event_at,
            phase: row.phase,
            shown: row.shown_text.zip(row.shown_emoji),
            saved,
            version: row.version,
        }))
    }

    /// Takes in a presence Zoom announced at `event_at` (its `date_time`),
    /// delivered as of `event_ts`, within `tx`: only when it is newer than
    /// the last one taken in (by `date_time`, then `event_ts` for two
    /// changes in one second), so a redelivered or late event changes
    /// nothing. Returns whether it was taken in.
    pub async fn record_presence(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        user_id: &SlackUserId,
        presence: &str,
        (event_at, event_ts): (Millis, Millis),
        now: Millis,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO status_sync (team_id, slack_user_id, presence, event_at, event_ts, phase, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'idle', 1, $6) ON CONFLICT (team_id, slack_user_id) DO UPDATE SET \
             presence = excluded.presence, event_at = excluded.event_at, event_ts = excluded.event_ts, \
             version = status_sync.version + 1, updated_at = excluded.updated_at \
             WHERE status_sync.event_at < excluded.event_at \
             OR (status_sync.event_at = excluded.event_at AND status_sync.event_ts < excluded.event_ts)",
        )
        .bind(team_id)
        .bind(user_id)
        .bind(presence)
        .bind(event_at)
        .bind(event_ts)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Writes what zlack did with the status, if the row is still at
    /// `version` (nobody wrote it since it was read). Returns whether it
    /// was written.
    pub async fn save_status_phase(
        &self,
        team_id: &TeamId,
        user_id: &SlackUserId,
        version: i64,
        change: StatusChange<'_>,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let StatusChange {
            phase,
            shown,
            saved,
        } = change;
        let sealed = match saved {
            Some(status) => {
                let plain =
                    serde_json::to_vec(status).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Some(self.vault.seal(&plain, &context(team_id, user_id)))
            }
            None => None,
        };
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE status_sync SET phase = $1, shown_text = $2, shown_emoji = $3, saved_sealed = $4, \
             version = version + 1, updated_at = $5 \
             WHERE team_id = $6 AND slack_user_id = $7 AND version = $8",
        )
        .bind(phase)
        .bind(shown.map(|(text, _)| text))
        .bind(shown.map(|(_, emoji)| emoji))
        .bind(sealed)
        .bind(now)
        .bind(team_id)
        .bind(user_id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the user's status sync row and user token, within `tx`.
    pub async fn forget_status_sync(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        user_id: &SlackUserId,
    ) -> Result<u64, StoreError> {
        let rows = sqlx::query("DELETE FROM status_sync WHERE team_id = $1 AND slack_user_id = $2")
            .bind(team_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        let owner = super::TokenOwner::slack_user(team_id, user_id);
        self.delete_tokens(tx, &owner, &[super::TokenKind::SlackUser])
            .await?;
        Ok(rows)
    }
}
