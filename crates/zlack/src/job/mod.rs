//! What a job is: the catalogue of zlack's jobs ([`Job`]) and how an
//! attempt fails ([`JobError`]). Flows queue jobs and return job results;
//! the worker ([`crate::worker`]) decodes, runs and settles them.

mod catalogue;
mod error;

pub use catalogue::{Job, MeetingNotice, RECONCILE_SCOPE, WhiteboardDm, calls_scope};
pub use error::{JobError, JobResult};

use serde_json::{Map, Value};

use crate::clock::Millis;
use crate::store::NewJob;

/// A job that calls Slack's `method` with `args` in workspace `team_id`,
/// once per `idempotency_key`, due at `run_at`.
pub fn slack_call(
    idempotency_key: impl Into<String>,
    team_id: &str,
    method: &str,
    args: Map<String, Value>,
    run_at: Millis,
) -> NewJob {
    Job::SlackCall {
        team_id: team_id.into(),
        method: method.to_owned(),
        args,
    }
    .queue(idempotency_key, run_at)
}

/// A job that posts `message` in `channel` (a user id posts in the app's
/// DM) of workspace `team_id`, once per `idempotency_key`.
pub fn post_message(
    idempotency_key: impl Into<String>,
    team_id: &str,
    channel: &str,
    message: &zlack_domain::render::Message,
    run_at: Millis,
) -> NewJob {
    let mut args = message.fields();
    args.insert("channel".into(), channel.into());
    slack_call(idempotency_key, team_id, "chat.postMessage", args, run_at)
}
