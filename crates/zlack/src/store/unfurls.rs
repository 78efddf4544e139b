//! What link unfurls and whiteboard notices look up.

use sha2::{Digest, Sha256};

use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{OccurrenceId, SlackUserId, TeamId, ZoomUserId};

/// The lookup key of a recording's share link: a hash of the link without
/// its query (so never its `pwd`), with the host in lower case.
pub fn recording_key(share_url: &str) -> String {
    let normalised = match url::Url::parse(share_url) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => share_url.to_owned(),
    };
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

impl Store {
    /// Records the share link of an occurrence's recording for unfurls.
    pub async fn set_recording_key(
        &self,
        tx: &mut Tx,
        occurrence_id: OccurrenceId,
        key: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE occurrences SET recording_key = $1 WHERE id = $2")
            .bind(key)
            .bind(occurrence_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The newest occurrence in `team_id` whose recording has this key.
    pub async fn occurrence_by_recording(
        &self,
        team_id: &TeamId,
        key: &str,
    ) -> Result<Option<OccurrenceId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM occurrences WHERE recording_key = $1 AND team_id = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(key)
        .bind(team_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records that `slack_user_id` is told of a share of `whiteboard_id`
    /// in `role`; `false` when they already were.
    pub async fn record_whiteboard_share(
        &self,
        tx: &mut Tx,
        whiteboard_id: &str,
        team_id: &TeamId,
        slack_user_id: &SlackUserId,
        role: &str,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO whiteboard_shares (whiteboard_id, team_id, slack_user_id, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (whiteboard_id, team_id, slack_user_id, role) DO NOTHING",
        )
        .bind(whiteboard_id)
        .bind(team_id)
        .bind(slack_user_id)
        .bind(role)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Remembers that Zoom deleted a whiteboard.
    pub async fn mark_whiteboard_deleted(
        &self,
        tx: &mut Tx,
        whiteboard_id: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO deleted_whiteboards (whiteboard_id, deleted_at) VALUES ($1, $2) \
             ON CONFLICT (whiteboard_id) DO NOTHING",
        )
        .bind(whiteboard_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Whether Zoom said the whiteboard was deleted.
    pub async fn whiteboard_deleted(&self, whiteboard_id: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT deleted_at FROM deleted_whiteboards WHERE whiteboard_id = $1",
        )
        .bind(whiteboard_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// The most recently connected working link, if any (for `doctor`).
    pub async fn newest_zoom_link(&self) -> Result<Option<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT team_id, slack_user_id FROM zoom_links WHERE status = 'ok' \
             ORDER BY linked_at DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The Slack users (team, user) linked to a Zoom user, working links only.
    pub async fn slack_users_of_zoom_user(
        &self,
        zoom_user_id: &ZoomUserId,
    ) -> Result<Vec<(TeamId, SlackUserId)>, StoreError> {
        let rows: Vec<(TeamId, SlackUserId)> = sqlx::query_as(
            "SELECT team_id, slack_user_id FROM zoom_links WHERE zoom_user_id = $1 AND status = 'ok' \
             ORDER BY team_id, slack_user_id",
        )
        .bind(zoom_user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_key_ignores_the_passcode_and_the_host_case() {
        let key = recording_key("https://us05web.zoom.us/rec/share/AbC");
        assert_eq!(
            recording_key("https://US05WEB.zoom.us/rec/share/AbC?pwd=x"),
            key
        );
        assert_ne!(recording_key("https://us05web.zoom.us/rec/share/abc"), key);
    }
}
