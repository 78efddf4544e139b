//! What a job of each kind does. The worker runs jobs through [`Execute`],
//! so tests can run it with jobs of their own.

use std::future::Future;
use std::pin::Pin;

use super::{JobContext, Outcome, inbox, slack_call};
use crate::flows::{self, lifecycle};
use crate::store::{ClaimedJob, inbox::PROCESS_INBOX};

/// A future of one attempt's outcome.
pub type Attempt<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// Runs jobs by kind.
pub trait Execute: Send + Sync + 'static {
    /// One attempt of `job`.
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> Attempt<'a>;

    /// The rate-limit scope the job's requests fall in, when it has one:
    /// while a `Retry-After` closes it, the job waits without running.
    fn rate_scope(&self, job: &ClaimedJob) -> Option<String>;
}

/// zlack's job kinds.
#[derive(Debug, Default)]
pub struct Catalogue;

impl Execute for Catalogue {
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> Attempt<'a> {
        Box::pin(async move {
            let payload = &job.payload;
            match job.kind.as_str() {
                PROCESS_INBOX => inbox::process(ctx, payload, job.attempts).await,
                flows::RESUME_KIND => inbox::resume(ctx, payload, job.attempts).await,
                slack_call::KIND => slack_call::run(ctx, payload).await,
                lifecycle::CALL_KIND => lifecycle::run_call(ctx, payload).await,
                flows::whiteboard::DM_KIND => {
                    flows::whiteboard::run_dm(ctx, payload, job.attempts).await
                }
                lifecycle::NOTICE_KIND => lifecycle::run_notice(ctx, payload, job.attempts).await,
                flows::phone::NOTICE_KIND => {
                    flows::phone::run_notice(ctx, payload, job.attempts).await
                }
                other => Outcome::Fail(format!("unknown job kind {other}")),
            }
        })
    }

    fn rate_scope(&self, job: &ClaimedJob) -> Option<String> {
        match job.kind.as_str() {
            slack_call::KIND => slack_call::scope(&job.payload),
            lifecycle::NOTICE_KIND => lifecycle::notice_scope(&job.payload),
            lifecycle::CALL_KIND => lifecycle::call_scope(&job.payload),
            flows::phone::NOTICE_KIND => flows::phone::notice_scope(&job.payload),
            _ => None,
        }
    }
}
