//! One error for every job, so handlers use `?`: the worker turns it into a
//! settlement (retry after a backoff, wait as a platform asked, or
//! dead-letter).

use std::time::Duration;

use crate::slack::api::SlackError;
use crate::store::StoreError;

/// How one attempt of a job failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// The platform asked us to wait; other jobs in `scope` wait too.
    #[error("rate limited ({scope})")]
    RateLimited {
        /// The rate gate's scope, such as one Slack method in one workspace.
        scope: String,
        /// How long the platform asked us to wait.
        wait: Duration,
    },
    /// A temporary failure: try again after a backoff.
    #[error("{0}")]
    Transient(String),
    /// A permanent failure: dead-letter now.
    #[error("{0}")]
    Permanent(String),
}

/// What one attempt of a job came to.
pub type JobResult = Result<(), JobError>;

impl JobError {
    /// A temporary failure described by `why`.
    pub fn transient(why: impl Into<String>) -> Self {
        Self::Transient(why.into())
    }

    /// A permanent failure described by `why`.
    pub fn permanent(why: impl Into<String>) -> Self {
        Self::Permanent(why.into())
    }

    /// The same error with a rate limit moved to `scope`.
    pub fn in_scope(self, scope: impl Into<String>) -> Self {
        match self {
            Self::RateLimited { wait, .. } => Self::RateLimited {
                scope: scope.into(),
                wait,
            },
            other => other,
        }
    }
}

impl From<StoreError> for JobError {
    fn from(error: StoreError) -> Self {
        Self::Transient(error.to_string())
    }
}

impl From<SlackError> for JobError {
    fn from(error: SlackError) -> Self {
        match error {
            SlackError::RateLimited { scope, wait, .. } => Self::RateLimited {
                scope,
                wait: wait.max(Duration::from_secs(1)),
            },
            e @ SlackError::Transient { .. } => Self::Transient(e.to_string()),
            e => Self::Permanent(e.to_string()),
        }
    }
}
