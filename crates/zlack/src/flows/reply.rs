//! Answering the user who typed a command: through the command's
//! `response_url` while it works, else in a DM from the app.

use std::time::Duration;

use serde_json::{Map, Value};

use super::CommandRequest;
use crate::config::Secret;
use crate::jobs::Outcome;
use crate::services::Services;
use crate::slack::api::SlackError;

pub struct Reply<'a> {
    svc: &'a Services,
    req: &'a CommandRequest,
    bot: Option<Secret>,
}

impl<'a> Reply<'a> {
    pub fn new(svc: &'a Services, req: &'a CommandRequest) -> Self {
        Self {
            svc,
            req,
            bot: None,
        }
    }

    pub fn with_bot(self, bot: Secret) -> Self {
        Self {
            bot: Some(bot),
            ..self
        }
    }

    pub fn bot(&self) -> Option<&Secret> {
        self.bot.as_ref()
    }

    fn response_url_alive(&self) -> bool {
        self.svc.clock.now_ms() < self.req.response_url_expires_at()
    }

    /// Posts `message` through the `response_url` with `response_type`.
    /// `Ok(false)` means the URL no longer works.
    pub async fn via_response_url(
        &self,
        mut message: Value,
        response_type: &str,
    ) -> Result<bool, Outcome> {
        if !self.response_url_alive() {
            return Ok(false);
        }
        message["response_type"] = response_type.into();
        let url = Secret::new(self.req.response_url.clone());
        match self.svc.slack.respond(&url, &message).await {
            Ok(()) => Ok(true),
            Err(SlackError::Api(code)) => {
                tracing::info!(%code, "response_url refused the answer");
                Ok(false)
            }
            Err(e) => Err(slack_outcome(e, "response_url")),
        }
    }

    /// An answer only the user sees.
    pub async fn ephemeral(&self, message: Value) -> Outcome {
        match self.via_response_url(message.clone(), "ephemeral").await {
            Ok(true) => Outcome::Done,
            Ok(false) => self.dm(message).await,
            Err(outcome) => outcome,
        }
    }

    /// For a workspace that has not installed zlack: the `response_url` is
    /// the only way to answer.
    pub async fn ephemeral_without_bot(&self, message: Value) -> Outcome {
        match self.via_response_url(message, "ephemeral").await {
            Ok(_) => Outcome::Done,
            Err(outcome) => outcome,
        }
    }

    /// A message in the app's DM with the user.
    pub async fn dm(&self, message: Value) -> Outcome {
        let Some(bot) = &self.bot else {
            return Outcome::Done;
        };
        let mut args: Map<String, Value> = message.as_object().cloned().unwrap_or_default();
        args.remove("response_type");
        args.insert("channel".into(), self.req.user_id.clone().into());
        match self.svc.slack.call("chat.postMessage", bot, &args).await {
            Ok(_) => Outcome::Done,
            Err(e) => slack_outcome(e, "chat.postMessage"),
        }
    }
}

/// How a failed Slack call ends the current attempt.
pub fn slack_outcome(error: SlackError, method: &str) -> Outcome {
    match error {
        SlackError::RateLimited(wait) => Outcome::RateLimited {
            scope: format!("slack:{method}"),
            wait: wait.max(Duration::from_secs(1)),
        },
        SlackError::Transient(e) => Outcome::Retry(format!("slack {method}: {e}")),
        SlackError::Api(code) => Outcome::Fail(format!("slack {method}: {code}")),
    }
}
