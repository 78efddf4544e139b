//! Zoom Phone notices: one sealed row per Slack user and call (or
//! recording), folded from Zoom's phone webhooks.

use super::{Dialect, Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{SlackUserId, TeamId, ZoomUserId};

/// Which notice row: a Slack user and what it is about (`call:{call_id}`
/// or `recording:{recording_id}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneNoticeKey {
    pub team_id: TeamId,
    pub slack_user_id: SlackUserId,
    pub subject: String,
}

impl PhoneNoticeKey {
    fn context(&self) -> String {
        format!(
            "phone:{}:{}:{}",
            self.team_id, self.slack_user_id, self.subject
        )
    }
}

impl Store {
    /// Locks a notice row within `tx`, first creating it for `zoom_user_id`
    /// when that is given and the row is new. Returns its state (plain
    /// JSON); `None` for a new or missing row. On PostgreSQL a second
    /// transaction locking the same row waits here.
    pub async fn lock_phone_notice(
        &self,
        tx: &mut Tx,
        key: &PhoneNoticeKey,
        create_for: Option<&ZoomUserId>,
        now: Millis,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(zoom_user_id) = create_for {
            self.create_phone_notice(tx, key, zoom_user_id, now).await?;
        }
        let lock = match self.dialect {
            Dialect::Postgres => " FOR UPDATE",
            Dialect::Sqlite => "",
        };
        let sealed = sqlx::query_scalar::<_, Vec<u8>>(&format!(
            "SELECT state FROM phone_notices WHERE team_id = $1 AND slack_user_id = $2 \
             AND subject = $3{lock}"
        ))
        .bind(&key.team_id)
        .bind(&key.slack_user_id)
        .bind(&key.subject)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let state = self.vault.open(&sealed, &key.context())?;
        Ok((state != b"null").then_some(state))
    }

    async fn create_phone_notice(
        &self,
        tx: &mut Tx,
        key: &PhoneNoticeKey,
        zoom_user_id: &ZoomUserId,
        now: Millis,
    ) -> Result<(), StoreError> {
        let empty = self.vault.seal(b"null", &key.context());
        sqlx::query(
            "INSERT INTO phone_notices (team_id, slack_user_id, subject, zoom_user_id, state, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (team_id, slack_user_id, subject) DO NOTHING",
        )
        .bind(&key.team_id)
        .bind(&key.slack_user_id)
        .bind(&key.subject)
        .bind(zoom_user_id)
        .bind(empty)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Stores a notice row's new state (plain JSON, sealed here).
    pub async fn save_phone_notice(
        &self,
        tx: &mut Tx,
        key: &PhoneNoticeKey,
        state: &[u8],
        now: Millis,
    ) -> Result<(), StoreError> {
        let sealed = self.vault.seal(state, &key.context());
        sqlx::query(
            "UPDATE phone_notices SET state = $1, updated_at = $2 \
             WHERE team_id = $3 AND slack_user_id = $4 AND subject = $5",
        )
        .bind(sealed)
        .bind(now)
        .bind(&key.team_id)
        .bind(&key.slack_user_id)
        .bind(&key.subject)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A notice row's state, outside any transaction.
    pub async fn phone_notice(&self, key: &PhoneNoticeKey) -> Result<Option<Vec<u8>>, StoreError> {
        let sealed: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT state FROM phone_notices WHERE team_id = $1 AND slack_user_id = $2 \
             AND subject = $3",
        )
        .bind(&key.team_id)
        .bind(&key.slack_user_id)
        .bind(&key.subject)
        .fetch_optional(&self.pool)
        .await?;
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let state = self.vault.open(&sealed, &key.context())?;
        Ok((state != b"null").then_some(state))
    }
}

/// A Zoom user's personal meeting, as Zoom last described it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersonalRoom {
    /// The personal meeting ID.
    pub pmi: Option<u64>,
    /// Its join link (with the passcode, so it is sealed at rest).
    pub join_url: String,
}

fn room_context(zoom_user_id: &str) -> String {
    format!("personal-room:{zoom_user_id}")
}

impl Store {
    /// Remembers a Zoom user's personal meeting on each of their links.
    pub async fn set_personal_room(
        &self,
        zoom_user_id: &ZoomUserId,
        room: &PersonalRoom,
    ) -> Result<(), StoreError> {
        let plain = serde_json::to_vec(room).unwrap_or_default();
        let sealed = self.vault.seal(&plain, &room_context(zoom_user_id));
        self.write(
            sqlx::query("UPDATE zoom_links SET personal_room = $1 WHERE zoom_user_id = $2")
                .bind(sealed)
                .bind(zoom_user_id),
        )
        .await?;
        Ok(())
    }

    /// A Zoom user's personal meeting, when zlack has seen it.
    pub async fn personal_room(
        &self,
        zoom_user_id: &ZoomUserId,
    ) -> Result<Option<PersonalRoom>, StoreError> {
        let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(
            "SELECT personal_room FROM zoom_links WHERE zoom_user_id = $1 \
             AND personal_room IS NOT NULL LIMIT 1",
        )
        .bind(zoom_user_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(Some(sealed)) = sealed else {
            return Ok(None);
        };
        let plain = self.vault.open(&sealed, &room_context(zoom_user_id))?;
        Ok(serde_json::from_slice(&plain).ok())
    }
}

impl Store {
    /// Whether the workspace's admins allow Zoom Phone DMs (they do unless
    /// they turned them off; an unknown workspace counts as allowing).
    pub async fn phone_notices_allowed(&self, team_id: &TeamId) -> Result<bool, StoreError> {
        let on: Option<i64> =
            sqlx::query_scalar("SELECT phone_notices FROM workspaces WHERE team_id = $1")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(on != Some(0))
    }

    /// Turns the workspace's Zoom Phone DMs on or off; false when the
    /// workspace is unknown.
    pub async fn set_phone_notices_allowed(
        &self,
        team_id: &TeamId,
        allowed: bool,
    ) -> Result<bool, StoreError> {
        let done = self
            .write(
                sqlx::query("UPDATE workspaces SET phone_notices = $1 WHERE team_id = $2")
                    .bind(i64::from(allowed))
                    .bind(team_id),
            )
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
