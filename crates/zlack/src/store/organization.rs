//! Organization mode: which Zoom account serves which Slack workspace.

use super::{Store, StoreError, Tx};

impl Store {
    /// The Zoom account a Zoom admin connected to the install `team_id`.
    pub async fn organization_account(&self, team_id: &str) -> Result<Option<String>, StoreError> {
        let account: Option<Option<String>> =
            sqlx::query_scalar("SELECT zoom_account_id FROM workspaces WHERE team_id = $1")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(account.flatten().filter(|a| !a.is_empty()))
    }

    /// Connects the install `team_id` to a Zoom account, as authorized by
    /// the Zoom admin `admin_id`; false when the workspace is not installed.
    pub async fn connect_organization(
        &self,
        tx: &mut Tx,
        team_id: &str,
        account_id: &str,
        admin_id: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE workspaces SET zoom_account_id = $1, zoom_admin_id = $2 WHERE team_id = $3",
        )
        .bind(account_id)
        .bind(admin_id)
        .bind(team_id)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether `zoom_user_id` is the Zoom admin who connected `account_id`
    /// to a workspace (their removing the app ends it for the account).
    pub async fn is_organization_admin(
        &self,
        account_id: &str,
        zoom_user_id: &str,
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
    pub async fn zoom_users_in_team(&self, team_id: &str) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT zoom_user_id FROM zoom_links WHERE team_id = $1")
                .bind(team_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}
