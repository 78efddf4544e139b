//! Starting or announcing a meeting: the Zoom meeting, the Slack Call and
//! the card, each step recorded so that a retry resumes after the last
//! one that succeeded (a retry never creates a second Zoom meeting).

use serde_json::json;
use zlack_domain::command::{Command, JoinTarget};
use zlack_domain::delivery::{
    self, Conversation, ConversationKind, Delivery, NoticeKind, RecordingPolicy,
};
use zlack_domain::i18n::Lang;
use zlack_domain::render::{self, ErrorKind, JoinCard, MeetingCard, ResponseType};
use zlack_domain::settings::UserSettings;

use super::CommandRequest;
use super::credentials::{self, CredError};
use super::deliver::{self, Sent};
use super::reply::Reply;
use crate::config::Secret;
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::slack::team::NewCall;
use crate::store::{MeetingOrigin, MeetingRow, NewMeeting, PostedVia, ZoomLink};
use crate::zoom::api::CreateMeeting;
use crate::zoom::error::ZoomError;
use zlack_domain::ids::MeetingUuid;

/// Attempts at Zoom before the user is told it is unavailable.
const ZOOM_ATTEMPTS: i64 = 3;

pub struct Ctx<'a> {
    pub svc: &'a Services,
    pub req: &'a CommandRequest,
    pub reply: &'a Reply<'a>,
    pub lang: Lang,
    pub settings: &'a UserSettings,
    pub link: &'a ZoomLink,
    pub attempt: i64,
    /// Started by Slack's Call button: Slack must get the meeting's link
    /// within [`CALL_ANSWER_MS`] of the press.
    pub call_button: bool,
}

/// Slack opens the Call button's meeting only if told within 3 s.
pub const CALL_ANSWER_MS: i64 = 3_000;
/// Of those 3 s, how long finding the meeting (token, Zoom's answer) may
/// take before the user's remembered personal meeting is used instead.
const CALL_CREATE_BUDGET_MS: i64 = 1_800;

/// What the card shows; no topic means the meeting could not be read
/// (or has no id), and the card shows the link alone.
struct Details {
    meeting_id: Option<u64>,
    uuid: Option<String>,
    topic: Option<String>,
    join_url: String,
    passcode: Option<String>,
    /// When a scheduled meeting starts, in the host's time zone.
    starts: Option<String>,
    /// Zoom was too slow to create a meeting: this is the personal one.
    slow_fallback: bool,
}

/// Why finding the meeting stopped short.
enum Stop {
    /// The attempt ends: retried, or waiting for a rate limit.
    Job(JobError),
    /// The user is told why, and the command ends.
    Tell(ErrorKind),
    /// The user's Zoom credentials did not work.
    Cred(CredError),
}

/// Carries out a meeting command: the Zoom meeting, the Slack Call and the
/// card. A user whose Zoom authorization is gone gets the prompt.
pub async fn run(ctx: &Ctx<'_>, command: Command) -> JobResult {
    let svc = ctx.svc;
    let origin = match &command {
        Command::Join(_) => MeetingOrigin::Join,
        Command::JoinMe => MeetingOrigin::JoinMe,
        _ => MeetingOrigin::Start,
    };
    let new = NewMeeting {
        request_key: ctx.req.request_key.clone(),
        team_id: ctx.req.team_id.clone(),
        channel_id: ctx.req.channel_id.clone(),
        enterprise_id: ctx.req.enterprise_id.clone(),
        conversation_kind: Some(ConversationKind::from_slash(
            &ctx.req.channel_id,
            ctx.req.channel_name.as_deref(),
        )),
        host_slack_user_id: ctx.req.user_id.clone(),
        origin,
        response_url: Some(Secret::new(ctx.req.response_url.clone())),
        response_url_expires_at: Some(ctx.req.response_url_expires_at()),
    };
    let mut row = svc
        .store
        .meeting_for_request(&new, svc.clock.now_ms())
        .await?;
    let details = match &row.join_url {
        Some(join_url) => Details {
            meeting_id: row.zoom_meeting_id.map(|id| id as u64),
            uuid: row.zoom_uuid.clone().map(Into::into),
            topic: row.topic.clone(),
            join_url: join_url.clone(),
            passcode: None,
            starts: None,
            slow_fallback: false,
        },
        _ => match resolve_in_time(ctx, &command).await {
            Ok(details) => {
                svc.store
                    .record_zoom_meeting(
                        row.id,
                        details.meeting_id.map(|id| id as i64),
                        details.uuid.as_deref().map(MeetingUuid::from).as_ref(),
                        details.topic.as_deref(),
                        &details.join_url,
                        svc.clock.now_ms(),
                    )
                    .await?;
                details
            }
            Err(Stop::Job(e)) => return Err(e),
            Err(Stop::Cred(CredError::Broken | CredError::NotLinked)) => {
                return super::prompt(svc, ctx.req, ctx.reply, ctx.lang).await;
            }
            Err(Stop::Cred(e)) => return Err(e.into()),
            Err(Stop::Tell(kind)) => {
                // Nothing of a meeting that never was stays behind.
                svc.store.forget_meeting(row.id).await?;
                let message = render::error(&svc.texts, ctx.lang, &kind);
                return ctx.reply.ephemeral(message).await;
            }
        },
    };
    if ctx.call_button {
        answer_call_button(ctx, &details).await;
    }
    if row.call_id.is_none() {
        let call_id = add_call(ctx, &row, &details).await?;
        svc.store
            .record_call(row.id, &call_id, svc.clock.now_ms())
            .await?;
        row.call_id = Some(call_id);
    }
    if row.posted_via.is_some() {
        return Ok(());
    }
    post_card(ctx, &row, &details).await
}

/// Finds or creates the Zoom meeting the command asks for.
async fn resolve(ctx: &Ctx<'_>, command: &Command) -> Result<Details, Stop> {
    let mut token = credentials::zoom_token(ctx.svc, ctx.link, None)
        .await
        .map_err(Stop::Cred)?;
    for _ in 0..2 {
        match zoom_request(ctx, command, &token).await {
            Err(ZoomError::Unauthorized) => {
                token = credentials::zoom_token(ctx.svc, ctx.link, Some(&token))
                    .await
                    .map_err(Stop::Cred)?;
            }
            other => return other.map_err(|e| zoom_stop(ctx, e)),
        }
    }
    Err(Stop::Job(JobError::transient(
        "Zoom refused a freshly refreshed token",
    )))
}

async fn zoom_request(
    ctx: &Ctx<'_>,
    command: &Command,
    token: &Secret,
) -> Result<Details, ZoomError> {
    let svc = ctx.svc;
    let personal = |me: crate::zoom::api::ZoomUserInfo, topic: String| Details {
        slow_fallback: false,
        topic: Some(topic),
        meeting_id: me.pmi,
        uuid: None,
        join_url: me
            .personal_meeting_url
            .clone()
            .unwrap_or_else(|| format!("https://zoom.us/j/{}", me.pmi.unwrap_or_default())),
        passcode: None,
        starts: None,
    };
    match command {
        Command::JoinMe => {
            let me = host(ctx, token).await?;
            super::remember_personal_room(svc, &me).await;
            let topic = render::default_topic(&svc.texts, ctx.lang, &me.display_name);
            Ok(personal(me, topic))
        }
        Command::Start { topic } if ctx.settings.use_pmi => {
            let me = host(ctx, token).await?;
            super::remember_personal_room(svc, &me).await;
            let topic = topic
                .clone()
                .unwrap_or_else(|| render::default_topic(&svc.texts, ctx.lang, &me.display_name));
            Ok(personal(me, topic))
        }
        Command::Start { topic } => {
            let topic = match topic {
                Some(topic) => topic.clone(),
                None => {
                    let name =
                        super::profile(svc, &ctx.req.team_id, &ctx.req.user_id, ctx.reply.bot())
                            .await
                            .map(|p| p.display_name)
                            .unwrap_or_else(|| ctx.req.user_id.to_string());
                    render::default_topic(&svc.texts, ctx.lang, &name)
                }
            };
            let created = svc
                .zoom
                .create_meeting(
                    token,
                    credentials::zoom_user_ref(svc, ctx.link),
                    &CreateMeeting::instant(&topic),
                )
                .await?;
            Ok(Details {
                slow_fallback: false,
                meeting_id: Some(created.id),
                uuid: created.uuid,
                topic: Some(created.topic),
                join_url: created.join_url,
                passcode: created.password,
                starts: None,
            })
        }
        Command::Join(target) => join_target(ctx, target, token).await,
        _ => Err(ZoomError::Api {
            status: 400,
            code: 0,
            message: "not a meeting command".into(),
        }),
    }
}

async fn join_target(
    ctx: &Ctx<'_>,
    target: &JoinTarget,
    token: &Secret,
) -> Result<Details, ZoomError> {
    let (id, url, passcode) = match target {
        JoinTarget::PersonalLink { name } => {
            return Ok(Details {
                meeting_id: None,
                uuid: None,
                topic: None,
                join_url: format!("https://zoom.us/my/{name}"),
                passcode: None,
                starts: None,
                slow_fallback: false,
            });
        }
        JoinTarget::MeetingId(id) => (*id, format!("https://zoom.us/j/{id}"), None),
        JoinTarget::Url {
            meeting_id,
            passcode,
            url,
        } => (*meeting_id, url.clone(), passcode.clone()),
    };
    let account_mode = ctx.svc.config.zoom.mode != crate::config::ZoomMode::Personal;
    match ctx.svc.zoom.meeting(token, id).await {
        // The account's token reads every meeting of the account: only the
        // user's own show their details, as in personal mode.
        Ok(info)
            if account_mode && info.host_id.as_deref() != Some(ctx.link.zoom_user_id.as_str()) =>
        {
            Ok(Details {
                meeting_id: Some(id),
                uuid: None,
                topic: None,
                join_url: url,
                passcode,
                starts: None,
                slow_fallback: false,
            })
        }
        Ok(info) => {
            // Only scheduled meetings (types 2 and 8) have a start worth showing.
            let starts = match (info.kind, info.start_time.as_deref()) {
                (2 | 8, Some(start)) => {
                    let tz = super::profile(
                        ctx.svc,
                        &ctx.req.team_id,
                        &ctx.req.user_id,
                        ctx.reply.bot(),
                    )
                    .await
                    .and_then(|p| p.tz);
                    local_time(start, tz.as_deref())
                }
                _ => None,
            };
            Ok(Details {
                meeting_id: Some(id),
                uuid: info.uuid.clone(),
                topic: Some(info.topic.clone()),
                join_url: info.join_url.clone().unwrap_or(url),
                passcode: info.password.clone().or(passcode),
                starts,
                slow_fallback: false,
            })
        }
        // The user may not read that meeting: announce the link alone.
        Err(ZoomError::NotFound { .. } | ZoomError::Forbidden { .. }) => Ok(Details {
            meeting_id: Some(id),
            uuid: None,
            topic: None,
            join_url: url,
            passcode,
            starts: None,
            slow_fallback: false,
        }),
        Err(e) => Err(e),
    }
}

/// The host as Zoom describes them: `GET /users/me` with their own token,
/// `GET /users/{id}` with the account's.
async fn host(ctx: &Ctx<'_>, token: &Secret) -> Result<crate::zoom::api::ZoomUserInfo, ZoomError> {
    match credentials::zoom_user_ref(ctx.svc, ctx.link) {
        "me" => ctx.svc.zoom.me(token).await,
        id => ctx.svc.zoom.user(token, id).await,
    }
}

/// For the Call button, [`resolve`] within what is left of Slack's 3 s:
/// when Zoom takes longer, the personal meeting zlack remembers, without
/// asking Zoom again; with none remembered, the meeting as Zoom makes it,
/// announced late.
async fn resolve_in_time(ctx: &Ctx<'_>, command: &Command) -> Result<Details, Stop> {
    if !ctx.call_button {
        return resolve(ctx, command).await;
    }
    let svc = ctx.svc;
    let left = ctx.req.received_at + CALL_CREATE_BUDGET_MS - svc.clock.now_ms();
    let budget = std::time::Duration::from_millis(left.clamp(200, CALL_CREATE_BUDGET_MS) as u64);
    if let Ok(done) = tokio::time::timeout(budget, resolve(ctx, command)).await {
        return done;
    }
    let room = svc
        .store
        .personal_room(&ctx.link.zoom_user_id)
        .await
        .ok()
        .flatten();
    let Some(room) = room else {
        tracing::info!("Zoom was slow and no personal meeting is known; the Call comes late");
        return resolve(ctx, command).await;
    };
    tracing::info!("Zoom was slow to create the Call button's meeting; using the personal meeting");
    let name = svc
        .store
        .slack_user(&ctx.req.team_id, &ctx.req.user_id)
        .await
        .ok()
        .flatten()
        .map(|p| p.display_name)
        .unwrap_or_else(|| ctx.req.user_id.to_string());
    Ok(Details {
        meeting_id: room.pmi,
        uuid: None,
        topic: Some(render::default_topic(&svc.texts, ctx.lang, &name)),
        join_url: room.join_url,
        passcode: None,
        starts: None,
        slow_fallback: true,
    })
}

/// Tells Slack, while the Call button's 3 s last, which meeting to open;
/// and the user, when it is their personal meeting, why.
async fn answer_call_button(ctx: &Ctx<'_>, details: &Details) {
    let svc = ctx.svc;
    // Once only: a retry (after the Call or card failed) would make Slack
    // open the meeting a second time.
    if ctx.attempt > 1 {
        return;
    }
    if svc.clock.now_ms() >= ctx.req.received_at + CALL_ANSWER_MS {
        tracing::info!("the Call button's answer window has passed; announcing only");
        return;
    }
    let mut answer = json!({"response_type": "call", "call_initiation_url": details.join_url});
    if let Some(id) = details.meeting_id {
        answer["desktop_protocol_call_initiation_url"] =
            desktop_join_url(id, &details.join_url).into();
    }
    if let Err(error) = ctx.reply.respond(&answer).await {
        tracing::info!(%error, "Slack did not take the Call button's answer");
    }
    if details.slow_fallback {
        let note = render::error(&svc.texts, ctx.lang, &ErrorKind::SlowUsedPersonalMeeting);
        let _ = ctx
            .reply
            .via_response_url(&note, ResponseType::Ephemeral)
            .await;
    }
}

fn zoom_stop(ctx: &Ctx<'_>, error: ZoomError) -> Stop {
    match error {
        ZoomError::RateLimited { daily: true, .. } => Stop::Tell(ErrorKind::DailyLimit),
        ZoomError::RateLimited { retry_after, .. } => Stop::Job(JobError::RateLimited {
            scope: format!(
                "zoom:{}",
                ctx.link
                    .zoom_account_id
                    .as_deref()
                    .unwrap_or(&ctx.link.zoom_user_id)
            ),
            wait: retry_after,
        }),
        ZoomError::AccountDeactivated => Stop::Tell(ErrorKind::ZoomAccountDeactivated),
        ZoomError::Unauthorized => Stop::Cred(CredError::Broken),
        e if e.is_retryable() && ctx.attempt < ZOOM_ATTEMPTS => {
            Stop::Job(JobError::Transient(format!("zoom: {e}")))
        }
        ZoomError::NotFound { .. } => Stop::Tell(ErrorKind::MeetingNotFound),
        e => {
            tracing::warn!(error = %e, "Zoom failed; telling the user");
            Stop::Tell(ErrorKind::ZoomUnavailable)
        }
    }
}

/// Registers the meeting as a Slack Call. A Call is a nicety: when Slack
/// refuses it for good, the card goes out without one.
async fn add_call(ctx: &Ctx<'_>, row: &MeetingRow, details: &Details) -> Result<String, JobError> {
    let Some(slack) = ctx.reply.slack() else {
        return Ok(String::new());
    };
    let external_unique_id = format!("zlack-{}", ctx.req.request_key);
    let desktop = details
        .meeting_id
        .map(|id| desktop_join_url(id, &details.join_url));
    let call = NewCall {
        external_unique_id: &external_unique_id,
        join_url: &details.join_url,
        desktop_app_join_url: desktop.as_deref(),
        external_display_id: details.meeting_id.map(|id| id.to_string()),
        title: details.topic.as_deref(),
        created_by: &row.host_slack_user_id,
        date_start: ctx.svc.clock.now_secs(),
    };
    // Refused for good: the card goes out without a Call.
    let call_id = slack
        .calls_add(&call)
        .await
        .unless_refused("calls.add refused; posting the card without a Call")?;
    Ok(call_id.unwrap_or_default())
}

/// `zoommtg://` opens the desktop client straight into the meeting.
fn desktop_join_url(meeting_id: u64, join_url: &str) -> String {
    let pwd = url::Url::parse(join_url).ok().and_then(|u| {
        u.query_pairs()
            .find(|(k, _)| k == "pwd")
            .map(|(_, v)| v.into_owned())
    });
    match pwd {
        Some(pwd) => format!("zoommtg://zoom.us/join?action=join&confno={meeting_id}&pwd={pwd}"),
        None => format!("zoommtg://zoom.us/join?action=join&confno={meeting_id}"),
    }
}

/// Posts the card where the app may post, else through the `response_url`
/// (which reaches DMs and private channels without the app), else to the
/// host in the app's DM.
async fn post_card(ctx: &Ctx<'_>, row: &MeetingRow, details: &Details) -> JobResult {
    let svc = ctx.svc;
    let call_id = row.call_id.as_deref().filter(|c| !c.is_empty());
    let card = match (&details.topic, details.meeting_id) {
        (Some(topic), Some(meeting_id)) => render::meeting_card(
            &svc.texts,
            ctx.lang,
            &MeetingCard {
                topic,
                host_slack_id: &row.host_slack_user_id,
                meeting_id,
                join_url: &details.join_url,
                passcode: details
                    .passcode
                    .as_deref()
                    .filter(|_| ctx.settings.show_passcode),
                call_id,
                starts: details.starts.as_deref(),
            },
        ),
        _ => render::join_card(
            &svc.texts,
            ctx.lang,
            &JoinCard {
                join_url: &details.join_url,
                meeting_id: details.meeting_id,
                call_id,
            },
        ),
    };
    let Some(slack) = ctx.reply.slack() else {
        return Err(JobError::permanent("no bot token"));
    };
    // The card goes where an end summary would: the conversation, else the
    // `response_url` (which reaches DMs and private channels without the
    // app), else the host's DM.
    let response_url = Secret::new(ctx.req.response_url.clone());
    let place = deliver::Place {
        slack,
        channel_id: &row.channel_id,
        response_url: ctx.reply.response_url_alive().then_some(&response_url),
        dm_to: &ctx.req.user_id,
        dm_refused: deliver::DmRefused::Fails,
    };
    let conversation = Conversation {
        kind: ConversationKind::from_slash(&ctx.req.channel_id, ctx.req.channel_name.as_deref()),
        app_can_post: true,
        thread_ts: None,
        response_url_valid: true,
    };
    let decide = |c: &Conversation| {
        delivery::deliver(c, NoticeKind::EndSummary, RecordingPolicy::Conversation)
    };
    let word = |_: &Delivery, _: deliver::Learnt| card.clone();
    let sent = deliver::deliver(&place, conversation, &decide, &word).await?;
    let (via, ts) = match &sent {
        Sent::Thread { ts, .. } | Sent::Channel { ts, .. } => (PostedVia::Chat, ts.as_deref()),
        Sent::ResponseUrl => (PostedVia::ResponseUrl, None),
        Sent::Dm { .. } => (PostedVia::Dm, None),
        Sent::Nowhere | Sent::Undelivered => return Ok(()),
    };
    let _ = svc
        .store
        .record_post(row.id, via, ts, svc.clock.now_ms())
        .await;
    Ok(())
}

/// A Zoom UTC time (`2026-12-01T09:00:00Z`) in the reader's time zone,
/// e.g. `2026-12-01 10:00 CET`; UTC when the zone is unknown.
fn local_time(utc: &str, tz: Option<&str>) -> Option<String> {
    let at: jiff::Timestamp = utc.parse().ok()?;
    let zone = tz
        .and_then(|name| jiff::tz::TimeZone::get(name).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    Some(at.to_zoned(zone).strftime("%Y-%m-%d %H:%M %Z").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_times_are_shown_in_the_readers_zone() {
        assert_eq!(
            local_time("2026-12-01T09:00:00Z", Some("Europe/Stockholm")).unwrap(),
            "2026-12-01 10:00 CET"
        );
        assert_eq!(
            local_time("2026-07-01T09:00:00Z", Some("Europe/Stockholm")).unwrap(),
            "2026-07-01 11:00 CEST"
        );
        assert_eq!(
            local_time("2026-12-01T09:00:00Z", Some("Not/AZone")).unwrap(),
            "2026-12-01 09:00 UTC"
        );
        assert_eq!(local_time("yesterday", None), None);
    }
}
