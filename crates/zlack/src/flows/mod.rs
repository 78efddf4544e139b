//! What zlack does for a `/zoom` command or a button press: from the
//! verified request to the answers in Slack. Domain decisions (grammar,
//! wording, Block Kit) come from `zlack_domain`; this layer fetches what
//! they need and carries out the effects.

mod call_button;
pub mod connect;
pub mod credentials;
pub mod deliver;
pub mod home;
pub mod inbox;
pub mod lifecycle;
pub mod mapping;
mod meeting;
pub mod organization;
pub mod phone;
pub mod preview;
pub mod reconcile;
mod reply;
pub mod schedule;
pub mod settings;
pub mod slack_call;
pub mod status;
pub mod unfurl;
pub mod uninstall;
pub mod whiteboard;
pub mod zoom_admin;

use zlack_domain::command::{self, Command};
use zlack_domain::i18n::Lang;
use zlack_domain::ids::{SlackUserId, TeamId};
use zlack_domain::render::{self, ErrorKind};
use zlack_domain::settings::LangSetting;

use crate::clock::Millis;
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::store::{LinkStatus, SlackUser};
use credentials::CredError;
use reply::Reply;

pub use crate::slack::inbound::{CommandRequest, RESPONSE_URL_TTL_MS};
pub use call_button::run as run_call_button;

/// The job kind that carries out a command after its user connected Zoom.
pub const RESUME_KIND: &str = "command.resume";
/// How long a cached Slack profile (locale, name) is trusted.
const PROFILE_TTL_MS: Millis = 24 * 60 * 60 * 1000;

/// Carries out a command. `attempt` counts from 1; after a few failed
/// tries at Zoom the user is told instead of left waiting.
pub async fn run_command(svc: &Services, req: &CommandRequest, attempt: i64) -> JobResult {
    let Some((install, reply)) = installed(svc, req).await? else {
        return Ok(());
    };
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
            let Some(link) = zoom_link_for(svc, req, &reply, lang).await? else {
                return Ok(());
            };
            match phone::run_call(svc, req, &reply, lang, &link, &target, attempt).await {
                Err(CredError::Broken) | Err(CredError::NotLinked) => {
                    prompt(svc, req, &reply, lang).await
                }
                Err(e) => Err(e.into()),
                Ok(result) => result,
            }
        }
        Command::Config => {
            if let (Some(trigger), Some(bot)) = (&req.trigger_id, reply.bot()) {
                let shown = settings::open_modal(
                    svc,
                    lang,
                    (&install, bot),
                    &req.team_id,
                    &req.user_id,
                    trigger,
                )
                .await?;
                if shown == settings::Shown::Modal {
                    return Ok(());
                }
            }
            // No trigger (a request stored by an earlier version) or one
            // that expired while the request waited: the card instead.
            let card =
                settings::card(svc, lang, &settings, &install, &req.user_id, reply.bot()).await;
            reply.ephemeral(card).await
        }
        Command::Schedule { text } if text.is_empty() => {
            if let (Some(trigger), Some(bot)) = (&req.trigger_id, reply.bot())
                && schedule::open_modal(svc, req, &reply, lang, bot, trigger).await?
            {
                return Ok(());
            }
            // No trigger, or it expired while the request waited: how to
            // write it as text instead.
            reply.ephemeral(render::schedule_usage(texts, lang)).await
        }
        Command::Schedule { text } => {
            let Some(link) = zoom_link_for(svc, req, &reply, lang).await? else {
                return Ok(());
            };
            let ctx = schedule::Ctx {
                svc,
                req,
                reply: &reply,
                lang,
                settings: &settings,
                link: &link,
                attempt,
            };
            schedule::run(&ctx, &text).await
        }
        Command::Logout => {
            let was = connect::logout(
                svc,
                &req.team_id,
                req.enterprise_id.as_deref(),
                &req.user_id,
            )
            .await?;
            reply.ephemeral(render::logged_out(texts, lang, was)).await
        }
        _ if svc.clock.now_ms() >= req.response_url_expires_at()
            && !meeting_under_way(svc, req).await =>
        {
            // Too late to announce a meeting where the user asked for it
            // (after an outage, or an authorization that took half an hour).
            reply.dm(tell(ErrorKind::ResponseExpired)).await
        }
        meeting_command => {
            let Some(link) = zoom_link_for(svc, req, &reply, lang).await? else {
                return Ok(());
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
            meeting::run(&ctx, meeting_command).await
        }
    }
}

/// The install serving the command's workspace, and the reply with its
/// bot token. Without an install the user is told where to install zlack
/// (and `None` returned).
async fn installed<'a>(
    svc: &'a Services,
    req: &'a CommandRequest,
) -> Result<Option<(crate::store::Workspace, Reply<'a>)>, JobError> {
    let reply = Reply::new(svc, req);
    match credentials::slack_bot(svc, &req.team_id, req.enterprise_id.as_deref()).await {
        Ok((install, bot)) => Ok(Some((install, reply.with_bot(bot)))),
        Err(CredError::NotInstalled) => {
            let url = svc.config.public("/slack/install");
            // Without an install there is no token to read the user's locale.
            let message = render::error(
                &svc.texts,
                Lang::En,
                &ErrorKind::WorkspaceNotInstalled { install_url: url },
            );
            reply.ephemeral_without_bot(message).await?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
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

/// The user's Zoom link. Without one the user is answered instead (and
/// `None` returned): the "Authorize Zoom" prompt in personal mode; in the
/// account modes (server-to-server, organization) they are linked by
/// email, or told why they cannot be.
async fn zoom_link_for(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
    lang: Lang,
) -> Result<Option<crate::store::ZoomLink>, JobError> {
    match svc.store.zoom_link(&req.team_id, &req.user_id).await? {
        Some(link) if link.status == LinkStatus::Ok => Ok(Some(link)),
        _ if svc.config.zoom.mode != crate::config::ZoomMode::Personal => {
            let Some(bot) = reply.bot() else {
                return Ok(None);
            };
            match mapping::link_by_email(svc, &req.team_id, &req.user_id, bot).await {
                Ok(link) => Ok(Some(link)),
                Err(mapping::Unmapped::Tell(kind)) => {
                    reply
                        .ephemeral(render::error(&svc.texts, lang, &kind))
                        .await?;
                    Ok(None)
                }
                Err(mapping::Unmapped::Later(why)) => Err(JobError::Transient(why)),
            }
        }
        _ => {
            prompt(svc, req, reply, lang).await?;
            Ok(None)
        }
    }
}

/// Answers with the "Authorize Zoom" prompt whose link resumes `req`. In
/// server-to-server mode there is nothing a user could authorize: Zoom
/// refused the server's own credentials, and the user is told so.
async fn prompt(svc: &Services, req: &CommandRequest, reply: &Reply<'_>, lang: Lang) -> JobResult {
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
    let url = connect::prompt_url(svc, &prompt, connect::PROMPT_TTL_MS).await?;
    reply
        .ephemeral(render::authorize_prompt(&svc.texts, lang, &url))
        .await
}

/// The user's language: their `/zoom config` choice, else their Slack
/// locale (cached a day), else English.
pub async fn language(
    svc: &Services,
    team_id: &TeamId,
    user_id: &SlackUserId,
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
    team_id: &TeamId,
    user_id: &SlackUserId,
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
    let Ok(user) = svc.slack.team(team_id, bot).users_info(user_id, true).await else {
        return cached;
    };
    let fresh = SlackUser {
        display_name: user.best_name().unwrap_or(user_id).to_owned(),
        locale: user.locale,
        tz: user.tz,
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
    if let Err(error) = svc
        .store
        .set_personal_room(&me.id.as_str().into(), &room)
        .await
    {
        tracing::warn!(%error, "could not remember the personal meeting");
    }
}
