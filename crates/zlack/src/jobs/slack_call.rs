//! The generic Slack effect: call one Web API method with the workspace's
//! bot token.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{JobContext, Outcome};
use crate::clock::Millis;
use crate::slack::api::SlackError;
use crate::store::NewJob;

pub const KIND: &str = "slack.call";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    team_id: String,
    method: String,
    args: Map<String, Value>,
}

/// A job that calls `method` in workspace `team_id`, once per
/// `idempotency_key`.
pub fn slack_call(
    idempotency_key: impl Into<String>,
    team_id: &str,
    method: &str,
    args: Map<String, Value>,
    run_at: Millis,
) -> NewJob {
    let payload = Payload {
        team_id: team_id.to_owned(),
        method: method.to_owned(),
        args,
    };
    NewJob::new(
        KIND,
        idempotency_key,
        serde_json::to_value(payload).expect("a map of JSON values serialises"),
        run_at,
    )
}

pub fn scope(payload: &Value) -> Option<String> {
    let p: Payload = serde_json::from_value(payload.clone()).ok()?;
    Some(format!("slack:{}:{}", p.team_id, p.method))
}

pub async fn run(ctx: &JobContext, payload: &Value) -> Outcome {
    let Ok(p) = serde_json::from_value::<Payload>(payload.clone()) else {
        return Outcome::Fail("malformed slack.call payload".into());
    };
    let token = match crate::flows::credentials::slack_bot(ctx, &p.team_id, None).await {
        Ok((_, token)) => token,
        Err(crate::flows::credentials::CredError::NotInstalled) => {
            return Outcome::Fail(format!("workspace {} is not installed", p.team_id));
        }
        Err(error) => return Outcome::Retry(error.to_string()),
    };
    match ctx.slack.call(&p.method, &token, &p.args).await {
        Ok(_) => Outcome::Done,
        Err(SlackError::RateLimited(wait)) => Outcome::RateLimited {
            scope: format!("slack:{}:{}", p.team_id, p.method),
            wait,
        },
        Err(SlackError::Transient(error)) => Outcome::Retry(format!("slack {}: {error}", p.method)),
        Err(SlackError::Api(code)) => Outcome::Fail(format!("slack {}: {code}", p.method)),
    }
}
