//! Retention: meeting data older than `ZLACK_RETENTION_DAYS` is deleted.
//!
//! What goes: announced meetings (with their occurrences and, by
//! `ON DELETE CASCADE`, their notices) whose last change, and their
//! occurrences' last change, is older than the cutoff; phone notices and
//! whiteboard share records created before it; whiteboards Zoom reported
//! deleted before it; cached Slack profiles fetched before it. The audit
//! log stays.
//!
//! Deletes run in batches of [`BATCH`] rows, each its own short statement
//! (a meeting batch is one transaction of two), so no run holds a lock for
//! long. Every statement only deletes rows that are still old, so running
//! it twice, or in several processes at once, deletes each row once.

use serde::Serialize;

use super::{Store, StoreError};
use crate::clock::Millis;

/// Rows one batch deletes at most.
const BATCH: i64 = 1000;

/// Meetings whose own last change and every occurrence's are before `$1`.
const OLD_MEETINGS: &str = "SELECT m.id FROM meetings m WHERE m.updated_at < $1 \
     AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id AND o.updated_at >= $1) \
     ORDER BY m.id LIMIT $2";

/// How many rows a retention run deleted, per table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Expired {
    pub meetings: u64,
    pub occurrences: u64,
    pub phone_notices: u64,
    pub whiteboard_shares: u64,
    pub deleted_whiteboards: u64,
    pub profiles: u64,
}

impl Expired {
    /// Rows deleted in all.
    pub fn total(&self) -> u64 {
        self.meetings
            + self.occurrences
            + self.phone_notices
            + self.whiteboard_shares
            + self.deleted_whiteboards
            + self.profiles
    }

    /// `meetings=2 occurrences=3 …`, leaving out zeros.
    pub fn summary(&self) -> String {
        let parts = [
            ("meetings", self.meetings),
            ("occurrences", self.occurrences),
            ("phone_notices", self.phone_notices),
            ("whiteboard_shares", self.whiteboard_shares),
            ("deleted_whiteboards", self.deleted_whiteboards),
            ("profiles", self.profiles),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name}={n}"))
            .collect();
        if shown.is_empty() {
            "nothing".into()
        } else {
            shown.join(" ")
        }
    }
}

impl Store {
    /// Deletes meeting data last changed more than `retention_ms` before
    /// `now`, batch by batch, and writes one audit log entry (actor
    /// `zlack`, action `retention`) when anything was deleted.
    pub async fn purge_expired(
        &self,
        retention_ms: Millis,
        now: Millis,
    ) -> Result<Expired, StoreError> {
        let cutoff = now - retention_ms;
        let mut expired = Expired::default();
        loop {
            // Occurrences first, for the count; their notices follow them
            // by cascade, as would the occurrences with their meeting.
            let mut tx = self.begin().await?;
            let occurrences = sqlx::query(&format!(
                "DELETE FROM occurrences WHERE meeting_id IN ({OLD_MEETINGS})"
            ))
            .bind(cutoff)
            .bind(BATCH)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let meetings = sqlx::query(&format!(
                "DELETE FROM meetings WHERE id IN ({OLD_MEETINGS})"
            ))
            .bind(cutoff)
            .bind(BATCH)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            expired.occurrences += occurrences;
            expired.meetings += meetings;
            if meetings < BATCH as u64 {
                break;
            }
        }
        expired.phone_notices = self
            .delete_batches(
                "DELETE FROM phone_notices WHERE (team_id, slack_user_id, subject) IN \
                 (SELECT team_id, slack_user_id, subject FROM phone_notices WHERE created_at < $1 LIMIT $2)",
                cutoff,
            )
            .await?;
        expired.whiteboard_shares = self
            .delete_batches(
                "DELETE FROM whiteboard_shares WHERE (whiteboard_id, team_id, slack_user_id, role) IN \
                 (SELECT whiteboard_id, team_id, slack_user_id, role FROM whiteboard_shares \
                 WHERE created_at < $1 LIMIT $2)",
                cutoff,
            )
            .await?;
        expired.deleted_whiteboards = self
            .delete_batches(
                "DELETE FROM deleted_whiteboards WHERE whiteboard_id IN \
                 (SELECT whiteboard_id FROM deleted_whiteboards WHERE deleted_at < $1 LIMIT $2)",
                cutoff,
            )
            .await?;
        expired.profiles = self
            .delete_batches(
                "DELETE FROM slack_users WHERE (team_id, user_id) IN \
                 (SELECT team_id, user_id FROM slack_users WHERE fetched_at < $1 LIMIT $2)",
                cutoff,
            )
            .await?;
        if expired.total() > 0 {
            let days = match retention_ms / (24 * 60 * 60 * 1000) {
                1 => "1 day".to_owned(),
                n => format!("{n} days"),
            };
            let mut tx = self.begin().await?;
            self.audit(
                &mut tx,
                now,
                "zlack",
                "retention",
                "all",
                &format!("{} (older than {days})", expired.summary()),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(expired)
    }

    /// Runs `sql` (binding the cutoff and [`BATCH`]) until a run deletes
    /// less than a full batch; returns the rows deleted.
    async fn delete_batches(&self, sql: &str, cutoff: Millis) -> Result<u64, StoreError> {
        let mut gone = 0;
        loop {
            let n = self
                .write(sqlx::query(sql).bind(cutoff).bind(BATCH))
                .await?
                .rows_affected();
            gone += n;
            if n < BATCH as u64 {
                return Ok(gone);
            }
        }
    }
}
