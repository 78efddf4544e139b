//! What zlack does for a `/zoom` command or a button press: from the
//! verified request to the answers in Slack. Domain decisions (grammar,
//! wording, Block Kit) come from `zlack_domain`; this layer fetches what
//! they need and carries out the effects.

mod call_button;
pub mod connect;
pub mod credentials;
pub mod lifecycle;
pub mod mapping;
mod meeting;
pub mod organization;
pub mod phone;
pub mod preview;
mod reply;
pub mod settings;
pub mod unfurl;
pub mod uninstall;
pub mod whiteboard;
pub mod zoom_admin;

use serde::{Deserialize, Serialize};
use zlack_domain::command::{self, Command};
use zlack_domain::i18n::Lang;
use zlack_domain::render::{self, ErrorKind};
use zlack_domain::settings::LangSetting;

use crate::clock::Millis;
use crate::jobs::Outcome;
use crate::services::Services;
use crate::store::{LinkStatus, SlackUser};
use credentials::CredError;
use reply::Reply;

pub use call_button::run as run_call_button;

/// The job kind that carries out a command after its user connected Zoom.
pub const RESUME_KIND: &str = "command.resume";
/// Slack's `response_url` works for 30 minutes.
pub const RESPONSE_URL_TTL_MS: Millis = 30 * 60 * 1000;
/// How long a cached Slack profile (locale, name) is trusted.
const PROFILE_TTL_MS: Millis = 24 * 60 * 60 * 1000;

/// A `/zoom` command as zlack keeps it (sealed whenever it is stored).
#[derive(Clone, Serialize, Deserialize)]
pub struct CommandRequest {
    /// Unique per command: the inbox row's dedupe key.
    pub request_key: String,
    /// The workspace the command came from.
    pub team_id: String,
    /// The Enterprise Grid org, whose install may serve the workspace.
    pub enterprise_id: Option<String>,
    /// Where the command was typed.
    pub channel_id: String,
    /// Slack's `channel_name`, which tells DMs and group chats apart.
    #[serde(default)]
    pub channel_name: Option<String>,
    /// The Slack user who typed it.
    pub user_id: String,
    /// What followed `/zoom`, unparsed.
    pub text: String,
    /// Where replies go while it works (see [`RESPONSE_URL_TTL_MS`]).
    pub response_url: String,
    /// When Slack delivered the command.
    pub received_at: Millis,
}

impl std::fmt::Debug for CommandRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandRequest")
            .field("request_key", &self.request_key)
            .field("team_id", &self.team_id)
            .field("channel_id", &self.channel_id)
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

impl CommandRequest {
    /// When `response_url` stops working.
    pub fn response_url_expires_at(&self) -> Millis {
        self.received_at + RESPONSE_URL_TTL_MS
    }
}

/// Carries out a command. `attempt` counts from 1; after a few failed
/// tries at Zoom the user is told instead of left waiting.
pub async fn run_command(svc: &Services, req: &CommandRequest, attempt: i64) -> Outcome {
    let reply = Reply::new(svc, req);
    let bot = match credentials::slack_bot(svc, &req.team_id, req.enterprise_id.as_deref()).await {
        Ok((ws, token)) => (ws, token),
        Err(CredError::NotInstalled) => {
            let url = svc.config.public("/slack/install");
            // Without an install there is no token to read the user's locale.
            let message = render::error(
                &svc.texts,
                Lang::En,
                &ErrorKind::WorkspaceNotInstalled { install_url: url },
            );
            return reply.ephemeral_without_bot(message).await;
        }
        Err(e) => return outcome_of(e),
    };
    let (install, bot) = bot;
    let reply = reply.with_bot(bot);
    let lang = language(svc, &req.team_id, &req.user_id, reply.bot()).await;
    let settings = settings::load(svc, &req.team_id, &req.user_id).await;
    let texts = &svc.texts;
    let tell = |kind: ErrorKind| render::error(texts, lang, &kind);
    match command::parse(&req.text) {
        Command::Help => reply.ephemeral(render::help(texts, lang, None)).await,
        Command::Unknown { word } => {
            reply
                .ephemeral(render::help(texts, lang, Some(&word)))
                .await
        }
        Command::MissingArgument { command } => {
            reply
                .ephemeral(tell(ErrorKind::MissingArgument { command }))
                .await
        }
        Command::InvalidJoinTarget { .. } => {
            reply.ephemeral(tell(ErrorKind::InvalidJoinTarget)).await
        }
        Command::Call { target } => {
            let link = match zoom_link_for(svc, req, &reply, lang).await {
                Ok(link) => link,
                Err(outcome) => return outcome,
            };
            match phone::run_call(svc, req, &reply, lang, &link, &target, attempt).await {
                Err(CredError::Broken) | Err(CredError::NotLinked) => {
                    prompt(svc, req, &reply, lang).await
                }
                Err(e) => outcome_of(e),
                Ok(outcome) => outcome,
            }
        }
        Command::Config => {
            let card =
                settings::card(svc, lang, &settings, &install, &req.user_id, reply.bot()).await;
            reply.ephemeral(card).await
        }
        Command::Logout => match connect::logout(svc, &req.team_id, &req.user_id).await {
            Ok(was) => reply.ephemeral(render::logged_out(texts, lang, was)).await,
            Err(e) => Outcome::Retry(e.to_string()),
        },
        _ if svc.clock.now_ms() >= req.response_url_expires_at()
            && !meeting_under_way(svc, req).await =>
        {
            // Too late to announce a meeting where the user asked for it
            // (after an outage, or an authorization that took half an hour).
            reply.dm(tell(ErrorKind::ResponseExpired)).await
        }
        meeting_command => {
            let link = match zoom_link_for(svc, req, &reply, lang).await {
                Ok(link) => link,
                Err(outcome) => return outcome,
            };
            let ctx = meeting::Ctx {
                svc,
                req,
                reply: &reply,
                lang,
                settings: &settings,
                link: &link,
                attempt,
                call_button: false,
            };
            match meeting::run(&ctx, meeting_command).await {
                Err(CredError::Broken) | Err(CredError::NotLinked) => {
                    prompt(svc, req, &reply, lang).await
                }
                Err(e) => outcome_of(e),
                Ok(outcome) => outcome,
            }
        }
    }
}

/// Whether an earlier attempt of `req` already made its Zoom meeting: then
/// a late retry finishes announcing it rather than giving up.
async fn meeting_under_way(svc: &Services, req: &CommandRequest) -> bool {
    matches!(
        svc.store.meeting_join_url(&req.request_key).await,
        Ok(Some(_))
    )
}

/// The user's Zoom link. Without one the user is answered instead: the
/// "Authorize Zoom" prompt in personal mode; in the account modes
/// (server-to-server, organization) they are linked by email, or told why
/// they cannot be.
async fn zoom_link_for(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
    lang: Lang,
) -> Result<crate::store::ZoomLink, Outcome> {
    match svc.store.zoom_link(&req.team_id, &req.user_id).await {
        Ok(Some(link)) if link.status == LinkStatus::Ok => Ok(link),
        Ok(_) if svc.config.zoom.mode != crate::config::ZoomMode::Personal => {
            let Some(bot) = reply.bot() else {
                return Err(Outcome::Done);
            };
            match mapping::link_by_email(svc, &req.team_id, &req.user_id, bot).await {
                Ok(link) => Ok(link),
                Err(mapping::Unmapped::Tell(kind)) => Err(reply
                    .ephemeral(render::error(&svc.texts, lang, &kind))
                    .await),
                Err(mapping::Unmapped::Later(why)) => Err(Outcome::Retry(why)),
            }
        }
        Ok(_) => Err(prompt(svc, req, reply, lang).await),
        Err(e) => Err(Outcome::Retry(e.to_string())),
    }
}

/// Answers with the "Authorize Zoom" prompt whose link resumes `req`. In
/// server-to-server mode there is nothing a user could authorize: Zoom
/// refused the server's own credentials, and the user is told so.
async fn prompt(svc: &Services, req: &CommandRequest, reply: &Reply<'_>, lang: Lang) -> Outcome {
    let account_kind = match svc.config.zoom.mode {
        crate::config::ZoomMode::Personal => None,
        crate::config::ZoomMode::ServerToServer => Some(ErrorKind::ZoomCredentialsRefused),
        crate::config::ZoomMode::Organization => Some(ErrorKind::OrganizationNotConnected {
            url: svc.config.public("/"),
        }),
    };
    if let Some(kind) = account_kind {
        return reply
            .ephemeral(render::error(&svc.texts, lang, &kind))
            .await;
    }
    let prompt = connect::Prompt {
        team_id: req.team_id.clone(),
        enterprise_id: req.enterprise_id.clone(),
        slack_user_id: req.user_id.clone(),
        command: Some(req.clone()),
    };
    match connect::prompt_url(svc, &prompt, connect::PROMPT_TTL_MS).await {
        Ok(url) => {
            reply
                .ephemeral(render::authorize_prompt(&svc.texts, lang, &url))
                .await
        }
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

fn outcome_of(error: CredError) -> Outcome {
    match error {
        CredError::RateLimited(wait) => Outcome::RateLimited {
            scope: "credentials".into(),
            wait,
        },
        other => Outcome::Retry(other.to_string()),
    }
}

/// The user's language: their `/zoom config` choice, else their Slack
/// locale (cached a day), else English.
pub async fn language(
    svc: &Services,
    team_id: &str,
    user_id: &str,
    bot: Option<&crate::config::Secret>,
) -> Lang {
    let choice = settings::load(svc, team_id, user_id).await.language;
    if choice != LangSetting::Auto {
        return choice.resolve("");
    }
    let locale = profile(svc, team_id, user_id, bot)
        .await
        .and_then(|p| p.locale);
    choice.resolve(locale.as_deref().unwrap_or(""))
}

/// The user's Slack profile, from the cache or `users.info`.
pub async fn profile(
    svc: &Services,
    team_id: &str,
    user_id: &str,
    bot: Option<&crate::config::Secret>,
) -> Option<SlackUser> {
    let now = svc.clock.now_ms();
    let cached = svc.store.slack_user(team_id, user_id).await.ok().flatten();
    if let Some(user) = &cached
        && now - user.fetched_at < PROFILE_TTL_MS
    {
        return cached;
    }
    let bot = bot?;
    let mut args = serde_json::Map::new();
    args.insert("user".into(), user_id.into());
    args.insert("include_locale".into(), true.into());
    let Ok(body) = svc.slack.call("users.info", bot, &args).await else {
        return cached;
    };
    let user = &body["user"];
    let profile = &user["profile"];
    let name = [
        &profile["display_name"],
        &profile["real_name"],
        &user["real_name"],
        &user["name"],
    ]
    .into_iter()
    .filter_map(|v| v.as_str())
    .find(|s| !s.trim().is_empty())
    .unwrap_or(user_id)
    .to_owned();
    let fresh = SlackUser {
        display_name: name,
        locale: user["locale"].as_str().map(str::to_owned),
        tz: user["tz"].as_str().map(str::to_owned),
        fetched_at: now,
    };
    let _ = svc.store.save_slack_user(team_id, user_id, &fresh).await;
    Some(fresh)
}

/// Remembers the personal meeting Zoom just described, for the Call
/// button's answer when Zoom is too slow to create a meeting in time.
pub async fn remember_personal_room(svc: &Services, me: &crate::zoom::api::ZoomUserInfo) {
    let Some(join_url) = me
        .personal_meeting_url
        .clone()
        .or_else(|| me.pmi.map(|pmi| format!("https://zoom.us/j/{pmi}")))
    else {
        return;
    };
    let room = crate::store::PersonalRoom {
        pmi: me.pmi,
        join_url,
    };
    if let Err(error) = svc.store.set_personal_room(&me.id, &room).await {
        tracing::warn!(%error, "could not remember the personal meeting");
    }
}
