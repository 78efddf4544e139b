//! Organization mode: which Zoom account serves which Slack workspace,
//! who connected it, and switching it to another account.

use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{TeamId, ZoomUserId};

/// The Zoom account a workspace is connected to, and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgConnection {
    /// The Zoom account serving the workspace.
    pub account_id: String,
    /// The Zoom admin who authorized it.
    pub admin_id: Option<String>,
    /// That admin's email address (stored sealed).
    pub admin_email: Option<String>,
    /// The Slack user who finished the organization link; unknown for
    /// connections made before zlack recorded it.
    pub connected_by: Option<String>,
    /// When, in milliseconds since the epoch.
    pub connected_at: Option<Millis>,
}

/// A workspace's connection columns, the admin's email still sealed.
#[derive(sqlx::FromRow)]
struct StoredConnection {
    /// Empty or `NULL` while no account is connected.
    zoom_account_id: Option<String>,
    zoom_admin_id: Option<String>,
    zoom_admin_email_sealed: Option<Vec<u8>>,
    zoom_connected_by: Option<String>,
    zoom_connected_at: Option<Millis>,
}

/// A connection about to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewOrgConnection<'a> {
    /// The Zoom account.
    pub account_id: &'a str,
    /// The Zoom admin who authorized it.
    pub admin_id: &'a str,
    /// Their email address, when Zoom gave one.
    pub admin_email: Option<&'a str>,
    /// The Slack user who finished the organization link.
    pub connected_by: Option<&'a str>,
    /// When.
    pub at: Millis,
}

fn admin_email_context(team_id: &str) -> String {
    format!("workspace:{team_id}:zoom_admin_email")
}

impl Store {
    /// The Zoom account a Zoom admin connected to the install `team_id`.
    pub async fn organization_account(
        &self,
        team_id: &TeamId,
    ) -> Result<Option<String>, StoreError> {
        Ok(self.organization(team_id).await?.map(|c| c.account_id))
    }

    /// The install's connection to a Zoom account; `None` until a Zoom
    /// admin connected it.
    pub async fn organization(
        &self,
        team_id: &TeamId,
    ) -> Result<Option<OrgConnection>, StoreError> {
        let row = sqlx::query_as::<_, StoredConnection>(
            "SELECT zoom_account_id, zoom_admin_id, zoom_admin_email_sealed, zoom_connected_by, \
             zoom_connected_at FROM workspaces WHERE team_id = $1",
        )
        .bind(team_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let Some(account_id) = row.zoom_account_id.filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let admin_email = row
            .zoom_admin_email_sealed
            .map(|s| self.open_text(&s, &admin_email_context(team_id)))
            .transpose()?;
        Ok(Some(OrgConnection {
            account_id,
            admin_id: row.zoom_admin_id,
            admin_email,
            connected_by: row.zoom_connected_by,
            connected_at: row.zoom_connected_at,
        }))
    }

    /// Connects the install `team_id` to `to`, but only while it is still
    /// connected to `from` (`None`: to no account), so two finishing at
    /// once cannot both switch it. False when it changed meanwhile or the
    /// workspace is not installed.
    pub async fn connect_organization(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        from: Option<&str>,
        to: &NewOrgConnection<'_>,
    ) -> Result<bool, StoreError> {
        let set = "UPDATE workspaces SET zoom_account_id = $1, zoom_admin_id = $2, \
                   zoom_admin_email_sealed = $3, zoom_connected_by = $4, zoom_connected_at = $5 \
                   WHERE team_id = $6";
        let sql = match from {
            Some(_) => format!("{set} AND zoom_account_id = $7"),
            None => format!("{set} AND (zoom_account_id IS NULL OR zoom_account_id = '')"),
        };
        let email = to
            .admin_email
            .map(|e| self.vault.seal(e.as_bytes(), &admin_email_context(team_id)));
        let mut query = sqlx::query(&sql)
            .bind(to.account_id)
            .bind(to.admin_id)
            .bind(email)
            .bind(to.connected_by)
            .bind(to.at)
            .bind(team_id);
        if let Some(from) = from {
            query = query.bind(from);
        }
        Ok(query.execute(&mut **tx).await?.rows_affected() == 1)
    }

    /// How many installs other than `except_team` the Zoom account serves:
    /// while any does, its token is theirs too and must stay.
    pub async fn other_teams_on_account(
        &self,
        tx: Option<&mut Tx>,
        account_id: &str,
        except_team: &str,
    ) -> Result<i64, StoreError> {
        let query = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM workspaces WHERE zoom_account_id = $1 AND team_id <> $2",
        )
        .bind(account_id)
        .bind(except_team);
        Ok(match tx {
            Some(tx) => query.fetch_one(&mut **tx).await?,
            None => query.fetch_one(&self.pool).await?,
        })
    }

    /// Forgets the links of `team_id` to Zoom users outside `account_id`
    /// (after a switch they name users of the old account); the Slack
    /// users are found again by email in the new one.
    pub async fn delete_links_outside(
        &self,
        tx: &mut Tx,
        team_id: &TeamId,
        account_id: &str,
    ) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "DELETE FROM zoom_links WHERE team_id = $1 \
             AND (zoom_account_id IS NULL OR zoom_account_id <> $2)",
        )
        .bind(team_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
    }

    /// Whether `zoom_user_id` is the Zoom admin who connected `account_id`
    /// to a workspace (their removing the app ends it for the account).
    pub async fn is_organization_admin(
        &self,
        account_id: &str,
        zoom_user_id: &ZoomUserId,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM workspaces WHERE zoom_account_id = $1 AND zoom_admin_id = $2",
        )
        .bind(account_id)
        .bind(zoom_user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The Zoom users linked in `team_id` (for switching from personal
    /// to organization mode).
    pub async fn zoom_users_in_team(&self, team_id: &TeamId) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT zoom_user_id FROM zoom_links WHERE team_id = $1")
                .bind(team_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}
