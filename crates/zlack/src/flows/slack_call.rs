//! The generic Slack effect: one Web API method called with the
//! workspace's bot token ([`crate::job::Job::SlackCall`]).

use serde_json::{Map, Value};

use super::credentials::{self, CredError};
use crate::job::{JobError, JobResult};
use crate::services::Services;
use zlack_domain::ids::TeamId;

pub async fn run(
    svc: &Services,
    team_id: &TeamId,
    method: &str,
    args: &Map<String, Value>,
) -> JobResult {
    let token = match credentials::slack_bot(svc, team_id, None).await {
        Ok((_, token)) => token,
        Err(CredError::NotInstalled) => {
            return Err(JobError::permanent(format!(
                "workspace {team_id} is not installed"
            )));
        }
        Err(error) => return Err(JobError::transient(error.to_string())),
    };
    svc.slack.team(team_id, &token).call(method, args).await?;
    Ok(())
}
