//! Who a Slack user is on Zoom, their `/zoom config` settings, and the
//! Slack profile facts zlack caches (locale, time zone, name).

use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{SlackUserId, TeamId, ZoomAccountId, ZoomUserId};

/// Whether a user's Zoom link still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    /// The stored tokens work, as far as zlack knows.
    Ok,
    /// Zoom rejected the refresh token: the user must authorize again.
    Broken,
}

/// A Slack user's connection to a Zoom user, whose tokens are stored
/// under the Zoom user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoomLink {
    pub team_id: TeamId,
    pub slack_user_id: SlackUserId,
    /// Owns the tokens; several Slack users may link to one Zoom user.
    pub zoom_user_id: ZoomUserId,
    /// As Zoom reported it when the user connected.
    pub zoom_email: Option<String>,
    /// The Zoom account the user belongs to, when known.
    pub zoom_account_id: Option<ZoomAccountId>,
    pub status: LinkStatus,
    /// When the user last connected.
    pub linked_at: Millis,
}

/// A link as stored, its email still sealed.
#[derive(sqlx::FromRow)]
struct LinkRow {
    zoom_user_id: ZoomUserId,
    /// Written before emails were sealed, and not sealed yet.
    zoom_email: Option<String>,
    zoom_email_sealed: Option<Vec<u8>>,
    zoom_account_id: Option<ZoomAccountId>,
    /// `ok` or `broken`.
    status: String,
    linked_at: Millis,
}

/// Slack profile facts cached for replies; refreshed after a day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SlackUser {
    pub display_name: String,
    /// Slack's locale, such as `en-US`; picks the reply language.
    pub locale: Option<String>,
    /// The IANA time zone, such as `Europe/Stockholm`.
    pub tz: Option<String>,
    /// When it was read from Slack.
    pub fetched_at: Millis,
}

impl Store {
    /// The user's link, broken or not.
    pub async fn zoom_link(
        &self,
        team_id: &TeamId,
        slack_user_id: &SlackUserId,
    ) -> Result<Option<ZoomLink>, StoreError> {
        let row = sqlx::query_as::<_, LinkRow>(
            "SELECT zoom_user_id, zoom_email, zoom_email_sealed, zoom_account_id, status, linked_at \
             FROM zoom_links WHERE team_id = $1 AND slack_user_id = $2",
        )
        .bind(team_id)
        .bind(slack_user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let zoom_email = match r.zoom_email_sealed {
                Some(sealed) => {
                    Some(self.open_text(&sealed, &email_context(team_id, slack_user_id))?)
                }
                None => r.zoom_email,
            };
            Ok(ZoomLink {
                team_id: team_id.clone(),
                slack_user_id: slack_user_id.clone(),
                zoom_user_id: r.zoom_user_id,
                zoom_email,
                zoom_account_id: r.zoom_account_id,
                status: if r.status == "ok" {
                    LinkStatus::Ok
                } else {
                    LinkStatus::Broken
                },
                linked_at: r.linked_at,
            })
        })
        .transpose()
    }

    /// Creates or replaces the user's link inside the caller's transaction.
    pub async fn save_zoom_link(&self, tx: &mut Tx, link: &ZoomLink) -> Result<(), StoreError> {
        let context = email_context(&link.team_id, &link.slack_user_id);
        let sealed = link
            .zoom_email
            .as_ref()
            .map(|email| self.vault.seal(email.as_bytes(), &context));
        let hash = link.zoom_email.as_deref().map(|e| self.email_hash(e));
        sqlx::query(
            "INSERT INTO zoom_links (team_id, slack_user_id, zoom_user_id, zoom_email, zoom_email_sealed, \
             zoom_email_hash, zoom_account_id, status, linked_at) \
             VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8) ON CONFLICT (team_id, slack_user_id) DO UPDATE SET \
             zoom_user_id = excluded.zoom_user_id, zoom_email = NULL, \
             zoom_email_sealed = excluded.zoom_email_sealed, zoom_email_hash = excluded.zoom_email_hash, \
             zoom_account_id = excluded.zoom_account_id, status = excluded.status, linked_at = excluded.linked_at",
        )
        .bind(&link.team_id)
        .bind(&link.slack_user_id)
        .bind(&link.zoom_user_id)
        .bind(sealed)
        .bind(hash)
        .bind(&link.zoom_account_id)
        .bind(match link.status {
            LinkStatus::Ok => "ok",
            LinkStatus::Broken => "broken",
        })
        .bind(link.linked_at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Marks every link to `zoom_user_id` broken; returns the Slack users
    /// whose link was fine until now (each is told once).
    pub async fn break_links(
        &self,
        tx: &mut Tx,
        zoom_user_id: &ZoomUserId,
    ) -> Result<Vec<(TeamId, SlackUserId)>, StoreError> {
        Ok(sqlx::query_as::<_, (TeamId, SlackUserId)>(
            "UPDATE zoom_links SET status = 'broken' WHERE zoom_user_id = $1 AND status = 'ok' \
             RETURNING team_id, slack_user_id",
        )
        .bind(zoom_user_id)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// Removes the user's link; returns how many rows went (0 or 1).
    pub async fn delete_zoom_link(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        slack_user_id: &SlackUserId,
    ) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM zoom_links WHERE team_id = $1 AND slack_user_id = $2")
                .bind(team_id)
                .bind(slack_user_id)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        )
    }

    /// How many Slack users still link to `zoom_user_id`.
    pub async fn links_to_zoom_user(
        &self,
        tx: &mut Tx,
        zoom_user_id: &ZoomUserId,
    ) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM zoom_links WHERE zoom_user_id = $1")
                .bind(zoom_user_id)
                .fetch_one(&mut **tx)
                .await?,
        )
    }

    /// The Slack users of `team_id` linked to `zoom_user_id`, read in `tx`.
    pub async fn slack_users_of(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        zoom_user_id: &ZoomUserId,
    ) -> Result<Vec<SlackUserId>, StoreError> {
        Ok(sqlx::query_scalar::<_, SlackUserId>(
            "SELECT slack_user_id FROM zoom_links WHERE team_id = $1 AND zoom_user_id = $2",
        )
        .bind(team_id)
        .bind(zoom_user_id)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// The Slack users of `team_id`, other than `slack_user_id`, linked to
    /// `zoom_user_id`; read in `tx` when given, so the caller can link in
    /// the same transaction.
    pub async fn other_links_in_team(
        &self,
        tx: Option<&mut Tx>,
        team_id: &TeamId,
        zoom_user_id: &ZoomUserId,
        slack_user_id: &SlackUserId,
    ) -> Result<Vec<SlackUserId>, StoreError> {
        let query = sqlx::query_scalar::<_, SlackUserId>(
            "SELECT slack_user_id FROM zoom_links WHERE team_id = $1 AND zoom_user_id = $2 \
             AND slack_user_id <> $3",
        )
        .bind(team_id)
        .bind(zoom_user_id)
        .bind(slack_user_id);
        Ok(match tx {
            Some(tx) => {
                // Two Slack users finishing with the same Zoom user at once
                // must not both find the other missing: on PostgreSQL the
                // check waits for the other's transaction (SQLite runs
                // write transactions one at a time anyway).
                if self.dialect == super::Dialect::Postgres {
                    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                        .bind(format!("zoom_link:{team_id}:{zoom_user_id}"))
                        .execute(&mut **tx)
                        .await?;
                }
                query.fetch_all(&mut **tx).await?
            }
            None => query.fetch_all(&self.pool).await?,
        })
    }

    /// The user's settings as stored JSON, if they changed any.
    pub async fn user_settings(
        &self,
        team_id: &TeamId,
        slack_user_id: &SlackUserId,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT settings FROM user_settings WHERE team_id = $1 AND slack_user_id = $2",
        )
        .bind(team_id)
        .bind(slack_user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Stores the user's settings as JSON, replacing earlier ones.
    pub async fn save_user_settings(
        &self,
        team_id: &TeamId,
        slack_user_id: &SlackUserId,
        json: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write(sqlx::query(
            "INSERT INTO user_settings (team_id, slack_user_id, settings, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (team_id, slack_user_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
        )
        .bind(team_id)
        .bind(slack_user_id)
        .bind(json)
        .bind(now))
        .await?;
        Ok(())
    }

    /// [`Store::save_user_settings`] inside the caller's transaction, so
    /// the jobs a change needs are queued exactly when it is stored.
    pub async fn save_user_settings_in(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        slack_user_id: &SlackUserId,
        json: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO user_settings (team_id, slack_user_id, settings, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (team_id, slack_user_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
        )
        .bind(team_id)
        .bind(slack_user_id)
        .bind(json)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The cached profile, however old; callers judge `fetched_at`.
    pub async fn slack_user(
        &self,
        team_id: &TeamId,
        user_id: &SlackUserId,
    ) -> Result<Option<SlackUser>, StoreError> {
        Ok(sqlx::query_as::<_, SlackUser>("SELECT display_name, locale, tz, fetched_at FROM slack_users WHERE team_id = $1 AND user_id = $2")
            .bind(team_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Caches a profile, replacing the earlier one.
    pub async fn save_slack_user(
        &self,
        team_id: &TeamId,
        user_id: &SlackUserId,
        user: &SlackUser,
    ) -> Result<(), StoreError> {
        self.write(sqlx::query(
            "INSERT INTO slack_users (team_id, user_id, display_name, locale, tz, fetched_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (team_id, user_id) DO UPDATE SET display_name = excluded.display_name, locale = excluded.locale, \
             tz = excluded.tz, fetched_at = excluded.fetched_at",
        )
        .bind(team_id)
        .bind(user_id)
        .bind(&user.display_name)
        .bind(&user.locale)
        .bind(&user.tz)
        .bind(user.fetched_at))
        .await?;
        Ok(())
    }
}

/// The sealing context of a link's Zoom email.
pub(super) fn email_context(team_id: &str, slack_user_id: &str) -> String {
    format!("zoom_link:{team_id}:{slack_user_id}:email")
}

impl Store {
    /// A keyed hash of an email address in lower case: equal for equal
    /// addresses, whatever their case, and useless without the key.
    pub(super) fn email_hash(&self, email: &str) -> String {
        hex::encode(
            self.vault
                .sign("zoom_email", email.to_lowercase().as_bytes()),
        )
    }

    /// Opens a sealed UTF-8 value.
    pub(super) fn open_text(&self, sealed: &[u8], context: &str) -> Result<String, StoreError> {
        let plain = self.vault.open(sealed, context)?;
        String::from_utf8(plain).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}
