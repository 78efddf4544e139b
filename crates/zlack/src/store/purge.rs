//! Removing what zlack keeps about a workspace or a Zoom user, and the
//! audit log that records who installed, uninstalled, linked, unlinked or
//! purged what (never a token).

use serde::Serialize;

use super::{Store, StoreError, TokenOwner, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{SlackUserId, TeamId, ZoomUserId};

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    /// When, in milliseconds since the epoch.
    pub at: Millis,
    /// Who: `slack:T…:U…`, `zoom:…`, `slack` (an event), `operator` (the CLI).
    pub actor: String,
    /// What: `install`, `uninstall`, `tokens_revoked`, `link`, `unlink`,
    /// `deauthorize`, `purge`.
    pub action: String,
    /// Of what: `team:T…`, `zoom-user:…`, `slack-user:T…:U…`.
    pub subject: String,
    /// Counts or reasons, never secrets.
    pub detail: String,
}

/// How many rows a purge removed, per table (for the audit log and the CLI).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub tokens: u64,
    pub links: u64,
    pub settings: u64,
    pub profiles: u64,
    pub meetings: u64,
    pub occurrences: u64,
    pub phone_notices: u64,
    pub whiteboard_shares: u64,
    pub workspaces: u64,
    /// Status sync rows (with the saved Slack status).
    pub statuses: u64,
}

impl Purged {
    /// `tokens=2 links=1 …`, leaving out zeros.
    pub fn summary(&self) -> String {
        let parts = [
            ("workspaces", self.workspaces),
            ("tokens", self.tokens),
            ("links", self.links),
            ("settings", self.settings),
            ("profiles", self.profiles),
            ("meetings", self.meetings),
            ("occurrences", self.occurrences),
            ("phone_notices", self.phone_notices),
            ("whiteboard_shares", self.whiteboard_shares),
            ("statuses", self.statuses),
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

    fn add(&mut self, other: &Purged) {
        self.tokens += other.tokens;
        self.links += other.links;
        self.settings += other.settings;
        self.profiles += other.profiles;
        self.meetings += other.meetings;
        self.occurrences += other.occurrences;
        self.phone_notices += other.phone_notices;
        self.whiteboard_shares += other.whiteboard_shares;
        self.workspaces += other.workspaces;
        self.statuses += other.statuses;
    }
}

async fn delete(tx: &mut Tx, sql: &str, binds: &[&str]) -> Result<u64, StoreError> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
}

impl Store {
    /// Appends to the audit log.
    pub async fn audit(
        &self,
        tx: &mut Tx,
        at: Millis,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The audit log, oldest first, from entry `after` on.
    pub async fn audit_log(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(sqlx::query_as::<_, AuditEntry>(
            "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id > $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Deletes everything zlack keeps about a Slack workspace: its install
    /// and tokens, its users' links, settings and cached profiles, the
    /// meetings announced there (with their occurrences and notices), and
    /// its phone and whiteboard notices. A Zoom user's tokens go too when
    /// no other workspace links to them.
    pub async fn purge_team(&self, tx: &mut Tx, team_id: &TeamId) -> Result<Purged, StoreError> {
        let mut purged = Purged::default();
        let zoom_users: Vec<ZoomUserId> =
            sqlx::query_scalar("SELECT DISTINCT zoom_user_id FROM zoom_links WHERE team_id = $1")
                .bind(team_id)
                .fetch_all(&mut **tx)
                .await?;
        purged.links = delete(tx, "DELETE FROM zoom_links WHERE team_id = $1", &[team_id]).await?;
        for zoom_user in &zoom_users {
            purged.tokens += self.drop_orphan_zoom_tokens(tx, zoom_user).await?;
        }
        let team_owner = TokenOwner::slack_team(team_id);
        // Every `TokenOwner::slack_user` of the team.
        let user_owners = format!("{}:", team_owner.as_str());
        // A prefix compared exactly (LIKE would read `_` as a wildcard, and
        // ignores case on SQLite).
        purged.tokens += delete(
            tx,
            "DELETE FROM tokens WHERE owner = $1 OR substr(owner, 1, length($2)) = $2",
            &[team_owner.as_str(), &user_owners],
        )
        .await?;
        purged.settings = delete(
            tx,
            "DELETE FROM user_settings WHERE team_id = $1",
            &[team_id],
        )
        .await?;
        purged.profiles =
            delete(tx, "DELETE FROM slack_users WHERE team_id = $1", &[team_id]).await?;
        purged.statuses =
            delete(tx, "DELETE FROM status_sync WHERE team_id = $1", &[team_id]).await?;
        purged.occurrences =
            delete(tx, "DELETE FROM occurrences WHERE team_id = $1", &[team_id]).await?;
        purged.meetings = delete(tx, "DELETE FROM meetings WHERE team_id = $1", &[team_id]).await?;
        purged.phone_notices = delete(
            tx,
            "DELETE FROM phone_notices WHERE team_id = $1",
            &[team_id],
        )
        .await?;
        purged.whiteboard_shares = delete(
            tx,
            "DELETE FROM whiteboard_shares WHERE team_id = $1",
            &[team_id],
        )
        .await?;
        purged.workspaces =
            delete(tx, "DELETE FROM workspaces WHERE team_id = $1", &[team_id]).await?;
        Ok(purged)
    }

    /// Deletes everything zlack keeps about a Zoom user: their tokens, the
    /// links of every Slack user to them (with those users' meetings,
    /// phone and whiteboard notices), and the occurrences they hosted.
    /// Slack-side settings stay: they are the Slack user's, not Zoom's.
    pub async fn purge_zoom_user(
        &self,
        tx: &mut Tx,
        zoom_user_id: &ZoomUserId,
    ) -> Result<(Purged, Vec<(String, String)>), StoreError> {
        let mut purged = Purged::default();
        let linked: Vec<(String, String)> =
            sqlx::query_as("SELECT team_id, slack_user_id FROM zoom_links WHERE zoom_user_id = $1")
                .bind(zoom_user_id)
                .fetch_all(&mut **tx)
                .await?;
        for (team, user) in &linked {
            purged.meetings += delete(
                tx,
                "DELETE FROM meetings WHERE team_id = $1 AND host_slack_user_id = $2",
                &[team, user],
            )
            .await?;
            purged.whiteboard_shares += delete(
                tx,
                "DELETE FROM whiteboard_shares WHERE team_id = $1 AND slack_user_id = $2",
                &[team, user],
            )
            .await?;
            purged.phone_notices += delete(
                tx,
                "DELETE FROM phone_notices WHERE team_id = $1 AND slack_user_id = $2",
                &[team, user],
            )
            .await?;
            // Without the Zoom link no presence comes: the saved status goes.
            purged.statuses += delete(
                tx,
                "DELETE FROM status_sync WHERE team_id = $1 AND slack_user_id = $2",
                &[team, user],
            )
            .await?;
        }
        purged.phone_notices += delete(
            tx,
            "DELETE FROM phone_notices WHERE zoom_user_id = $1",
            &[zoom_user_id],
        )
        .await?;
        purged.occurrences = delete(
            tx,
            "DELETE FROM occurrences WHERE zoom_host_id = $1",
            &[zoom_user_id],
        )
        .await?;
        purged.links = delete(
            tx,
            "DELETE FROM zoom_links WHERE zoom_user_id = $1",
            &[zoom_user_id],
        )
        .await?;
        purged.tokens = self
            .delete_tokens(tx, &TokenOwner::zoom_user(zoom_user_id), &[])
            .await?;
        Ok((purged, linked))
    }

    /// Deletes only a Zoom user's own tokens: in the account modes their
    /// links come from the account, not from their authorization, and stay.
    pub async fn purge_zoom_user_tokens(
        &self,
        tx: &mut Tx,
        zoom_user_id: &ZoomUserId,
    ) -> Result<Purged, StoreError> {
        Ok(Purged {
            tokens: self
                .delete_tokens(tx, &TokenOwner::zoom_user(zoom_user_id), &[])
                .await?,
            ..Purged::default()
        })
    }

    /// Deletes everything zlack keeps about a Zoom account (an account-level
    /// deauthorization): each of its Zoom users a Slack user links to, as
    /// [`Store::purge_zoom_user`] removes them, and the account's own
    /// tokens. The workspaces it served (organization mode) stay installed
    /// but lose their connection, and who made it, until a Zoom admin
    /// connects them again.
    pub async fn purge_zoom_account(
        &self,
        tx: &mut Tx,
        account_id: &str,
    ) -> Result<Purged, StoreError> {
        let users: Vec<ZoomUserId> = sqlx::query_scalar(
            "SELECT DISTINCT zoom_user_id FROM zoom_links WHERE zoom_account_id = $1",
        )
        .bind(account_id)
        .fetch_all(&mut **tx)
        .await?;
        let mut purged = Purged::default();
        for user in users {
            purged.add(&self.purge_zoom_user(tx, &user).await?.0);
        }
        purged.tokens += self
            .delete_tokens(tx, &TokenOwner::zoom_account(account_id), &[])
            .await?;
        sqlx::query(
            "UPDATE workspaces SET zoom_account_id = NULL, zoom_admin_id = NULL, \
             zoom_admin_email_sealed = NULL, zoom_connected_by = NULL, zoom_connected_at = NULL \
             WHERE zoom_account_id = $1",
        )
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
        Ok(purged)
    }

    /// Deletes a Zoom user's tokens once no Slack user links to them.
    async fn drop_orphan_zoom_tokens(
        &self,
        tx: &mut Tx,
        zoom_user_id: &ZoomUserId,
    ) -> Result<u64, StoreError> {
        if self.links_to_zoom_user(tx, zoom_user_id).await? > 0 {
            return Ok(0);
        }
        self.delete_tokens(tx, &TokenOwner::zoom_user(zoom_user_id), &[])
            .await
    }

    /// Deletes the bot token of a workspace (Slack revoked it).
    pub async fn drop_bot_token(&self, tx: &mut Tx, team_id: &TeamId) -> Result<u64, StoreError> {
        self.delete_tokens(tx, &TokenOwner::slack_team(team_id), &[])
            .await
    }

    /// Deletes a Slack user's own tokens (Slack revoked them), and their
    /// status sync row, which only that token could act on.
    pub async fn drop_slack_user_tokens(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        user_id: &SlackUserId,
    ) -> Result<u64, StoreError> {
        delete(
            tx,
            "DELETE FROM status_sync WHERE team_id = $1 AND slack_user_id = $2",
            &[team_id, user_id],
        )
        .await?;
        self.delete_tokens(tx, &TokenOwner::slack_user(team_id, user_id), &[])
            .await
    }
}

impl Store {
    /// Rows of `table` whose `column` equals `value`: for tests and checks
    /// that data is gone (both names are compile-time constants).
    pub async fn count_where(
        &self,
        table: &'static str,
        column: &'static str,
        value: &str,
    ) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"))
                .bind(value)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
