//! Slack installs: one row per workspace, or per Enterprise Grid org for
//! org-wide installs. The bot token itself is in the vault's table.

use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use zlack_domain::ids::{SlackUserId, TeamId};

/// A Slack install: a workspace's own, or an Enterprise Grid org's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// `T…`, or the org's `E…` for an org-wide install.
    pub team_id: TeamId,
    /// The org the workspace belongs to, if any.
    pub enterprise_id: Option<TeamId>,
    /// As Slack named it at install time.
    pub team_name: Option<String>,
    /// The app's bot user.
    pub bot_user_id: SlackUserId,
    /// An org-wide install, serving every workspace in the org.
    pub is_enterprise_install: bool,
    /// The Slack user who installed the app.
    pub installed_by: Option<SlackUserId>,
    /// When the app was last installed.
    pub installed_at: Millis,
}

/// A workspace row as stored: the install flag is an integer on both
/// backends.
#[derive(sqlx::FromRow)]
struct StoredWorkspace {
    team_id: TeamId,
    enterprise_id: Option<TeamId>,
    team_name: Option<String>,
    bot_user_id: SlackUserId,
    is_enterprise_install: i64,
    installed_by: Option<SlackUserId>,
    installed_at: Millis,
}

impl From<StoredWorkspace> for Workspace {
    fn from(row: StoredWorkspace) -> Self {
        Self {
            team_id: row.team_id,
            enterprise_id: row.enterprise_id,
            team_name: row.team_name,
            bot_user_id: row.bot_user_id,
            is_enterprise_install: row.is_enterprise_install == 1,
            installed_by: row.installed_by,
            installed_at: row.installed_at,
        }
    }
}

impl Store {
    /// Creates or replaces the install inside the caller's transaction.
    pub async fn save_workspace(&self, tx: &mut Tx, ws: &Workspace) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO workspaces (team_id, enterprise_id, team_name, bot_user_id, is_enterprise_install, \
             installed_by, installed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id) DO UPDATE SET \
             enterprise_id = excluded.enterprise_id, team_name = excluded.team_name, bot_user_id = excluded.bot_user_id, \
             is_enterprise_install = excluded.is_enterprise_install, installed_by = excluded.installed_by, \
             installed_at = excluded.installed_at",
        )
        .bind(&ws.team_id)
        .bind(&ws.enterprise_id)
        .bind(&ws.team_name)
        .bind(&ws.bot_user_id)
        .bind(i64::from(ws.is_enterprise_install))
        .bind(&ws.installed_by)
        .bind(ws.installed_at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Whether any Slack workspace (or org) has zlack installed.
    pub async fn any_install(&self) -> Result<bool, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT team_id FROM workspaces LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// The install serving `team_id`: the workspace's own, else its org's.
    pub async fn install_for(
        &self,
        team_id: &TeamId,
        enterprise_id: Option<&TeamId>,
    ) -> Result<Option<Workspace>, StoreError> {
        let row = sqlx::query_as::<_, StoredWorkspace>(
            "SELECT team_id, enterprise_id, team_name, bot_user_id, is_enterprise_install, installed_by, installed_at \
             FROM workspaces WHERE team_id = $1 OR (team_id = $2 AND is_enterprise_install = 1) \
             ORDER BY is_enterprise_install LIMIT 1",
        )
        .bind(team_id)
        .bind(enterprise_id.map_or("", TeamId::as_str))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Workspace::from))
    }
}

impl Store {
    /// Where the workspace's whiteboard unfurls show details, as stored
    /// (`None`: never chosen).
    pub async fn whiteboard_detail(&self, team_id: &TeamId) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT whiteboard_detail FROM workspaces WHERE team_id = $1")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// Changes where the workspace's whiteboard unfurls show details.
    pub async fn set_whiteboard_detail(
        &self,
        team_id: &TeamId,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let done = self
            .write(
                sqlx::query("UPDATE workspaces SET whiteboard_detail = $1 WHERE team_id = $2")
                    .bind(detail)
                    .bind(team_id),
            )
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
