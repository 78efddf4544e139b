//! Answering the user who typed a command: through the command's
//! `response_url` while it works, else in a DM from the app.

use serde_json::Value;
use zlack_domain::render::{Message, ResponseType};

use super::CommandRequest;
use super::deliver::{self, DmRefused};
use crate::config::Secret;
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::slack::team::TeamSlack;

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

    /// The command's workspace's Slack, once the bot token is known.
    pub fn slack(&self) -> Option<TeamSlack<'_>> {
        let bot = self.bot.as_ref()?;
        Some(self.svc.slack.team(&self.req.team_id, bot))
    }

    /// Whether the command's `response_url` still works.
    pub fn response_url_alive(&self) -> bool {
        self.svc.clock.now_ms() < self.req.response_url_expires_at()
    }

    /// Posts `payload` (whose `response_type` says how it shows) through
    /// the `response_url`. `Ok(false)` means the URL no longer works.
    pub async fn respond(&self, payload: &Value) -> Result<bool, JobError> {
        // A modal's submission has no `response_url`.
        if !self.response_url_alive() || self.req.response_url.is_empty() {
            return Ok(false);
        }
        let url = Secret::new(self.req.response_url.clone());
        match self.svc.slack.respond(&url, payload).await {
            Ok(()) => Ok(true),
            Err(e) if e.is_refusal() => {
                tracing::info!(code = e.code(), "response_url refused the answer");
                Ok(false)
            }
            Err(e) => Err(e.in_team(&self.req.team_id).into()),
        }
    }

    /// Posts `message` through the `response_url`, shown as
    /// `response_type` says. `Ok(false)` means the URL no longer works.
    pub async fn via_response_url(
        &self,
        message: &Message,
        response_type: ResponseType,
    ) -> Result<bool, JobError> {
        self.respond(&message.for_response_url(response_type, None))
            .await
    }

    /// An answer only the user sees.
    pub async fn ephemeral(&self, message: Message) -> JobResult {
        if self
            .via_response_url(&message, ResponseType::Ephemeral)
            .await?
        {
            return Ok(());
        }
        self.dm(message).await
    }

    /// For a workspace that has not installed zlack: the `response_url` is
    /// the only way to answer.
    pub async fn ephemeral_without_bot(&self, message: Message) -> JobResult {
        self.via_response_url(&message, ResponseType::Ephemeral)
            .await?;
        Ok(())
    }

    /// A message in the app's DM with the user.
    pub async fn dm(&self, message: Message) -> JobResult {
        let Some(slack) = self.slack() else {
            return Ok(());
        };
        deliver::dm(slack, &self.req.user_id, &message, DmRefused::Fails).await?;
        Ok(())
    }
}
