//! `/zoom call @user` and `/zoom call <number>`: find the number, then
//! answer the caller (only them) with a button to the signed call page.

use zlack_domain::i18n::Lang;
use zlack_domain::phone::{self, CallTarget, PhoneNumber, TargetError};
use zlack_domain::render::{self, CallPrompt, CallRefusal, ErrorKind, NumberSource};

use super::link;
use crate::config::Secret;
use crate::flows::CommandRequest;
use crate::flows::credentials::{self, CredError};
use crate::flows::reply::Reply;
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::store::{LinkStatus, ZoomLink};
use crate::zoom::api::PhoneUser;
use crate::zoom::error::ZoomError;
use zlack_domain::ids::TeamId;

/// Attempts at Zoom before the caller is told it is unavailable.
const ZOOM_ATTEMPTS: i64 = 3;
/// Zoom's codes for a token without the scopes a request needs.
const MISSING_SCOPES: [i64; 2] = [4700, 4711];

/// What stopped the call from being prepared.
pub enum Stop {
    /// End the attempt so (for a retry or a rate limit).
    Job(JobError),
    /// Tell the caller why, in one line.
    Refuse(CallRefusal),
    /// Tell the caller a general error.
    Tell(ErrorKind),
    /// The caller's own Zoom link is gone or broken: prompt to authorize.
    Cred(CredError),
}

/// Carries out `/zoom call <target>` for a caller whose Zoom is linked.
pub async fn run(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
    lang: Lang,
    caller: &ZoomLink,
    target: &str,
    attempt: i64,
) -> Result<JobResult, CredError> {
    let answer = match prepare(svc, req, reply, caller, target, attempt).await {
        Ok(prompt) => render::call_prompt(
            &svc.texts,
            lang,
            &CallPrompt {
                slack_id: prompt.slack_id.as_deref(),
                number: &prompt.number.display(),
                source: prompt.source,
                page_url: &link::signed_url(svc, &prompt.number, link::PROMPT_TTL_SECS),
            },
        ),
        Err(Stop::Job(e)) => return Ok(Err(e)),
        Err(Stop::Cred(e)) => return Err(e),
        Err(Stop::Refuse(refusal)) => render::call_refusal(&svc.texts, lang, &refusal),
        Err(Stop::Tell(kind)) => render::error(&svc.texts, lang, &kind),
    };
    Ok(reply.ephemeral(answer).await)
}

/// Who will be called, at which number.
struct Prepared {
    slack_id: Option<String>,
    number: PhoneNumber,
    source: NumberSource,
}

async fn prepare(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
    caller: &ZoomLink,
    target: &str,
    attempt: i64,
) -> Result<Prepared, Stop> {
    // The caller's own Zoom Phone: without it the Zoom app cannot call, and
    // its country is how national numbers are read.
    let caller_ref = credentials::zoom_user_ref(svc, caller);
    let me = with_token(svc, caller, attempt, |token| async move {
        svc.zoom.phone_user(&token, caller_ref).await
    })
    .await?
    .filter(PhoneUser::is_active)
    .ok_or(Stop::Refuse(CallRefusal::PhoneUnavailable))?;
    let region = home_region(&me);
    let parsed = phone::parse_target(target, region.as_deref()).map_err(|e| refusal(e, target))?;
    match parsed {
        CallTarget::Number(number) => Ok(Prepared {
            slack_id: None,
            number,
            source: NumberSource::Typed,
        }),
        CallTarget::User { user_id } => {
            let found = colleague_number(
                svc,
                req,
                reply,
                caller,
                &user_id,
                region.as_deref(),
                attempt,
            )
            .await?;
            let (number, source) = found.ok_or_else(|| {
                Stop::Refuse(CallRefusal::NoNumber {
                    slack_id: user_id.clone(),
                })
            })?;
            Ok(Prepared {
                slack_id: Some(user_id),
                number,
                source,
            })
        }
    }
}

/// The region national numbers are read in: the caller's Zoom Phone
/// country, else the country of their own number.
fn home_region(me: &PhoneUser) -> Option<String> {
    me.country
        .clone()
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|c| c.to_ascii_uppercase())
        .or_else(|| {
            me.numbers
                .iter()
                .filter_map(|n| PhoneNumber::parse(n, None).ok())
                .find_map(|n| phone::region_of(&n))
        })
}

fn refusal(error: TargetError, typed: &str) -> Stop {
    match error {
        TargetError::UnknownRegion => Stop::Refuse(CallRefusal::NeedsCountryCode),
        TargetError::Restricted => Stop::Refuse(CallRefusal::Restricted),
        _ => Stop::Refuse(CallRefusal::InvalidNumber {
            typed: typed.to_owned(),
        }),
    }
}

/// A colleague's number: their Zoom Phone extension (same Zoom account as
/// the caller) or direct number, read with their own Zoom link; else the
/// phone field of their Slack profile.
async fn colleague_number(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
    caller: &ZoomLink,
    user_id: &str,
    region: Option<&str>,
    attempt: i64,
) -> Result<Option<(PhoneNumber, NumberSource)>, Stop> {
    let link = svc
        .store
        .zoom_link(&req.team_id, &user_id.into())
        .await
        .map_err(|e| Stop::Job(JobError::Transient(e.to_string())))?;
    if let Some(link) = link.filter(|l| l.status == LinkStatus::Ok) {
        let their_ref = credentials::zoom_user_ref(svc, &link);
        let theirs = with_token(svc, &link, attempt, |token| async move {
            svc.zoom.phone_user(&token, their_ref).await
        })
        .await;
        match theirs {
            Ok(Some(user)) if user.is_active() => {
                let same_account = link.zoom_account_id.is_some()
                    && link.zoom_account_id == caller.zoom_account_id;
                let extension = user
                    .extension_number
                    .as_deref()
                    .filter(|_| same_account)
                    .and_then(|e| PhoneNumber::parse(e, None).ok());
                let direct = user
                    .numbers
                    .iter()
                    .find_map(|n| PhoneNumber::parse(n, region).ok());
                if let Some(number) = extension.or(direct) {
                    return Ok(Some((number, NumberSource::ZoomPhone)));
                }
            }
            Ok(_) => {}
            // Waiting (a rate limit, a retry) is worth it: their number may
            // be there.
            Err(Stop::Job(e)) => return Err(Stop::Job(e)),
            // Anything else about their Zoom (a broken link, scopes their
            // grant lacks, a refusal) is theirs to fix: the Slack profile.
            Err(other) => {
                if let Stop::Tell(kind) = &other {
                    tracing::debug!(?kind, "no Zoom Phone number for the colleague");
                }
            }
        }
    }
    let Some(bot) = reply.bot() else {
        return Ok(None);
    };
    Ok(slack_profile_phone(svc, &req.team_id, bot, user_id)
        .await?
        .and_then(|raw| PhoneNumber::parse(&raw, region).ok())
        .map(|n| (n, NumberSource::SlackProfile)))
}

/// The phone field of a Slack user's profile, when they filled it in.
async fn slack_profile_phone(
    svc: &Services,
    team_id: &TeamId,
    bot: &Secret,
    user_id: &str,
) -> Result<Option<String>, Stop> {
    let user = svc
        .slack
        .team(team_id, bot)
        .users_info(user_id, false)
        .await
        .unless_refused("users.info refused; no Slack profile number")
        .map_err(|e| Stop::Job(e.into()))?;
    Ok(user.and_then(|user| {
        user.profile
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
    }))
}

/// Runs a Zoom Phone request with `link`'s token, refreshing it once on a
/// 401. `Ok(None)` means Zoom says the user has no Zoom Phone.
async fn with_token<T, F, Fut>(
    svc: &Services,
    link: &ZoomLink,
    attempt: i64,
    call: F,
) -> Result<Option<T>, Stop>
where
    F: Fn(Secret) -> Fut,
    Fut: std::future::Future<Output = Result<T, ZoomError>>,
{
    let mut token = credentials::zoom_token(svc, link, None)
        .await
        .map_err(cred_stop)?;
    for round in 0..2 {
        match call(token.clone()).await {
            Ok(value) => return Ok(Some(value)),
            // Zoom refused a token it just issued: the grant is gone.
            Err(ZoomError::Unauthorized) if round > 0 => {
                return Err(Stop::Cred(CredError::Broken));
            }
            Err(ZoomError::Unauthorized) => {
                token = credentials::zoom_token(svc, link, Some(&token))
                    .await
                    .map_err(cred_stop)?;
            }
            Err(e) if e.is_phone_unavailable() => return Ok(None),
            // A grant from before zlack asked for the Zoom Phone scopes:
            // connecting again grants them.
            Err(ZoomError::Forbidden { code, .. }) if MISSING_SCOPES.contains(&code) => {
                return Err(Stop::Cred(CredError::Broken));
            }
            Err(ZoomError::RateLimited { daily: true, .. }) => {
                return Err(Stop::Tell(ErrorKind::DailyLimit));
            }
            Err(ZoomError::AccountDeactivated) => {
                return Err(Stop::Tell(ErrorKind::ZoomAccountDeactivated));
            }
            Err(ZoomError::RateLimited { retry_after, .. }) => {
                return Err(Stop::Job(JobError::RateLimited {
                    scope: format!(
                        "zoom:{}",
                        link.zoom_account_id
                            .as_deref()
                            .unwrap_or(&link.zoom_user_id)
                    ),
                    wait: retry_after,
                }));
            }
            Err(e) if e.is_retryable() && attempt < ZOOM_ATTEMPTS => {
                return Err(Stop::Job(JobError::Transient(format!("zoom: {e}"))));
            }
            Err(e) => {
                tracing::warn!(error = %e, "Zoom Phone failed; telling the caller");
                return Err(Stop::Tell(ErrorKind::ZoomUnavailable));
            }
        }
    }
    Err(Stop::Job(JobError::Transient(
        "Zoom refused a freshly refreshed token".into(),
    )))
}

fn cred_stop(error: CredError) -> Stop {
    match error {
        CredError::RateLimited(wait) => Stop::Job(JobError::RateLimited {
            scope: "credentials".into(),
            wait,
        }),
        CredError::Broken | CredError::NotLinked => Stop::Cred(error),
        other => Stop::Job(JobError::Transient(other.to_string())),
    }
}
