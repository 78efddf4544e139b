//! What a job of each kind does. The worker runs jobs through [`Execute`],
//! so tests can run it with jobs of their own.

use std::future::Future;
use std::pin::Pin;

use crate::flows;
use crate::job::{Job, JobError, JobResult};
use crate::services::Services;
use crate::store::ClaimedJob;

/// A future of one attempt's result.
pub type Attempt<'a> = Pin<Box<dyn Future<Output = JobResult> + Send + 'a>>;

/// Runs jobs by kind.
pub trait Execute: Send + Sync + 'static {
    /// One attempt of `job`.
    fn run<'a>(&'a self, svc: &'a Services, job: &'a ClaimedJob) -> Attempt<'a>;

    /// The rate-limit scope the job's requests fall in, when it has one:
    /// while a `Retry-After` closes it, the job waits without running.
    fn rate_scope(&self, job: &ClaimedJob) -> Option<String>;
}

/// zlack's jobs ([`Job`]), each run by its flow.
#[derive(Debug, Default)]
pub struct Catalogue;

impl Execute for Catalogue {
    fn run<'a>(&'a self, svc: &'a Services, job: &'a ClaimedJob) -> Attempt<'a> {
        Box::pin(async move {
            let attempt = job.attempts;
            match Job::decode(&job.kind, &job.payload).map_err(JobError::Permanent)? {
                Job::ProcessInbox { inbox_id } => {
                    flows::inbox::process(svc, inbox_id, attempt).await
                }
                Job::ResumeCommand(request) => flows::run_command(svc, &request, attempt).await,
                Job::SlackCall {
                    team_id,
                    method,
                    args,
                } => flows::slack_call::run(svc, &team_id, &method, &args).await,
                Job::MeetingCall { occurrence, team } => {
                    flows::lifecycle::run_call(svc, occurrence, team.as_ref()).await
                }
                Job::MeetingNotice {
                    occurrence,
                    notice,
                    team,
                } => {
                    flows::lifecycle::run_notice(svc, occurrence, notice, team.as_ref(), attempt)
                        .await
                }
                Job::Reconcile { reason } => flows::reconcile::run(svc, &reason, attempt).await,
                Job::WhiteboardDm(dm) => flows::whiteboard::run_dm(svc, &dm, attempt).await,
                Job::PhoneNotice {
                    team,
                    user,
                    subject,
                } => flows::phone::run_notice(svc, &team, &user, &subject).await,
                Job::HomePublish {
                    team,
                    user,
                    enterprise,
                } => flows::home::publish(svc, &team, enterprise.as_ref(), &user).await,
                Job::ScheduleReminder {
                    meeting, starts_at, ..
                } => flows::schedule::run_reminder(svc, meeting, starts_at).await,
                Job::ScheduleCard { meeting } => flows::schedule::run_card(svc, meeting).await,
                Job::ScheduleStart { occurrence, .. } => {
                    flows::schedule::run_start(svc, occurrence).await
                }
                Job::StatusApply { team, user } => {
                    flows::status::run_apply(svc, &team, &user).await
                }
                Job::StatusSettle { team, user } => {
                    flows::status::run_settle(svc, &team, &user).await
                }
            }
        })
    }

    fn rate_scope(&self, job: &ClaimedJob) -> Option<String> {
        Job::decode(&job.kind, &job.payload)
            .ok()
            .and_then(|job| job.rate_scope())
    }
}
