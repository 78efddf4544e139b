//! `/zoom schedule`: a Zoom meeting at a later time, its card in the
//! conversation, the reminder shortly before it starts, and what Zoom later
//! says about it.
//!
//! Each step is recorded on the announcement's row (the same `meetings`
//! row an instant meeting has), so a retried command resumes after the
//! last step that succeeded. The reminder is a job due `lead` before the
//! start whose key holds the start: a meeting moved in Zoom
//! (`meeting.updated`) gets a new reminder, and the old one finds the start
//! changed and does nothing; a deleted one (`meeting.deleted`) finds the
//! meeting cancelled. When the meeting starts, the card becomes a live
//! Slack Call, which the meeting lifecycle then keeps in step as for
//! `/zoom`.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;
use zlack_domain::delivery::{
    self, Conversation, ConversationKind, Delivery, NoticeKind, RecordingPolicy,
};
use zlack_domain::i18n::Lang;
use zlack_domain::ids::{InboxId, OccurrenceId};
use zlack_domain::render::{self, ErrorKind, ScheduleReminder, ScheduledCard};
use zlack_domain::schedule::{self as reading, Schedule};
use zlack_domain::settings::UserSettings;

use super::CommandRequest;
use super::credentials::{self, CredError};
use super::deliver::{self, Sent};
use super::reply::Reply;
use crate::clock::Millis;
use crate::config::Secret;
use crate::job::{Job, JobError, JobResult};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::slack::team::NewCall;
use crate::store::{
    InboxItem, MeetingOrigin, MeetingRow, NewJob, NewMeeting, PostedVia, Reschedule, Scheduled,
    Store, ZoomLink,
};
use crate::zoom::api::CreateMeeting;
use crate::zoom::error::ZoomError;
use crate::zoom::inbound::Webhook;

/// Attempts at Zoom before the user is told it is unavailable.
const ZOOM_ATTEMPTS: i64 = 3;

/// The Zoom events this module reads.
pub const SCHEDULE_EVENTS: [&str; 2] = ["meeting.updated", "meeting.deleted"];

/// What a schedule command needs besides the request.
pub struct Ctx<'a> {
    pub svc: &'a Services,
    pub req: &'a CommandRequest,
    pub reply: &'a Reply<'a>,
    pub lang: Lang,
    pub settings: &'a UserSettings,
    pub link: &'a ZoomLink,
    pub attempt: i64,
}

/// The user's Slack time zone, or UTC (and `false`) when Slack does not
/// say or names one the time zone database does not know.
pub async fn user_zone(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
) -> (TimeZone, bool) {
    let tz = super::profile(svc, &req.team_id, &req.user_id, reply.bot())
        .await
        .and_then(|p| p.tz);
    match tz.as_deref().map(TimeZone::get) {
        Some(Ok(zone)) => (zone, true),
        _ => (TimeZone::UTC, false),
    }
}

/// `/zoom schedule <text>`: reads the text in the user's time zone at the
/// moment the command arrived (so a retry reads it the same), then makes
/// the meeting and its card, or says how the text was read and why it
/// does not schedule a meeting.
pub async fn run(ctx: &Ctx<'_>, text: &str) -> JobResult {
    let svc = ctx.svc;
    let (zone, known) = user_zone(svc, ctx.req, ctx.reply).await;
    let zone_name = zone.iana_name().unwrap_or("UTC").to_owned();
    let at = Timestamp::from_millisecond(ctx.req.received_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let schedule = match reading::parse(text, at, &zone) {
        Ok(schedule) => schedule,
        Err(refusal) => {
            let message = render::schedule_refused(
                &svc.texts,
                ctx.lang,
                &refusal.problem,
                &refusal.reading,
                &zone_name,
            );
            return ctx.reply.ephemeral(message).await;
        }
    };
    run_schedule(ctx, &schedule, known).await
}

/// Makes the meeting `schedule` describes, its card and its reminder;
/// `known_zone` false tells the user their Slack time zone was unknown.
async fn run_schedule(ctx: &Ctx<'_>, schedule: &Schedule, known_zone: bool) -> JobResult {
    let svc = ctx.svc;
    let row = schedule_meeting(ctx, schedule).await?;
    let Some(row) = row else {
        return Ok(());
    };
    if !known_zone && ctx.attempt == 1 {
        let note = render::schedule_zone_unknown(&svc.texts, ctx.lang, schedule.start.timestamp());
        let _ = ctx.reply.ephemeral(note).await;
    }
    super::home::refresh(svc, &row.team_id, &row.host_slack_user_id).await
}

/// What the schedule modal keeps in its `private_metadata`: the language
/// its errors come in (read by [`crate::slack::views::ViewMetadata`] too),
/// where it was opened and the user's zone. Nothing secret.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct ModalMetadata {
    lang: String,
    channel: String,
    tz: String,
}

/// `/zoom schedule` alone: opens the schedule modal with the command's
/// `trigger_id`; `false` when Slack no longer takes the trigger.
pub async fn open_modal(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
    lang: Lang,
    bot: &Secret,
    trigger_id: &str,
) -> Result<bool, JobError> {
    let (zone, _) = user_zone(svc, req, reply).await;
    let zone_name = zone.iana_name().unwrap_or("UTC").to_owned();
    let now = Timestamp::from_millisecond(svc.clock.now_ms()).unwrap_or(Timestamp::UNIX_EPOCH);
    let starts = render::schedule_modal::next_hour(now, &zone);
    let metadata = serde_json::to_string(&ModalMetadata {
        lang: lang.code().to_owned(),
        channel: req.channel_id.to_string(),
        tz: zone_name.clone(),
    })
    .unwrap_or_default();
    let view = render::schedule_modal::schedule_modal(
        &svc.texts,
        lang,
        &render::schedule_modal::ScheduleModal {
            zone: &zone_name,
            channel: &req.channel_id,
            starts: &starts,
            private_metadata: &metadata,
        },
    );
    match svc
        .slack
        .team(&req.team_id, bot)
        .views_open(trigger_id, &view)
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if e.is_stale_trigger() => {
            tracing::info!(code = e.code(), "the schedule modal could not open in time");
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Carries out a submitted schedule modal (stored once its answer found it
/// valid): the meeting is made as for the text form, announced in the
/// conversation the user picked. Read again at the moment it arrived, so
/// a retry reads it the same.
pub async fn on_submission(
    svc: &Services,
    item: &InboxItem,
    payload: &Value,
    attempt: i64,
) -> JobResult {
    let team_id = payload["team"]["id"]
        .as_str()
        .or(payload["user"]["team_id"].as_str());
    let (Some(team_id), Some(user_id)) = (team_id, payload["user"]["id"].as_str()) else {
        return Ok(());
    };
    let at = Timestamp::from_millisecond(item.received_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let Ok(submission) = render::schedule_modal::parse(&payload["view"]["state"]["values"], at)
    else {
        tracing::warn!("a stored schedule submission no longer reads; ignored");
        return Ok(());
    };
    let metadata: ModalMetadata = payload["view"]["private_metadata"]
        .as_str()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    let req = CommandRequest {
        request_key: item.dedupe_key.clone(),
        team_id: team_id.into(),
        enterprise_id: payload["team"]["enterprise_id"].as_str().map(Into::into),
        channel_id: submission.channel.as_str().into(),
        channel_name: None,
        user_id: user_id.into(),
        text: String::new(),
        // A submission has none: answers go to the user's DM.
        response_url: String::new(),
        received_at: item.received_at,
        trigger_id: None,
    };
    let Some((_, reply)) = super::installed(svc, &req).await? else {
        return Ok(());
    };
    let lang = match metadata.lang.as_str() {
        "sv" => Lang::Sv,
        "en" => Lang::En,
        _ => super::language(svc, &req.team_id, &req.user_id, reply.bot()).await,
    };
    if !may_announce(svc, &req, &reply).await? {
        let message = render::schedule_conversation_refused(&svc.texts, lang, &req.channel_id);
        return reply.ephemeral(message).await;
    }
    let settings = super::settings::load(svc, &req.team_id, &req.user_id).await;
    let Some(link) = super::zoom_link_for(svc, &req, &reply, lang).await? else {
        return Ok(());
    };
    let ctx = Ctx {
        svc,
        req: &req,
        reply: &reply,
        lang,
        settings: &settings,
        link: &link,
        attempt,
    };
    let schedule = Schedule {
        start: submission.start,
        duration_minutes: submission.duration_minutes,
        topic: submission.topic,
    };
    run_schedule(&ctx, &schedule, true).await
}

/// Whether a submitted modal may announce in the conversation it names:
/// one whose members the bot can read and that include the submitter.
/// The submission names the conversation itself, so it is checked rather
/// than trusted; DMs and group DMs, whose members the bot may not read,
/// are refused (the text form, typed there, answers in them). A retry
/// after Zoom made the meeting is not asked again, so that a change in
/// between never leaves the meeting without its card.
async fn may_announce(
    svc: &Services,
    req: &CommandRequest,
    reply: &Reply<'_>,
) -> Result<bool, JobError> {
    if svc
        .store
        .meeting_join_url(&req.request_key)
        .await?
        .is_some()
    {
        return Ok(true);
    }
    let Some(slack) = reply.slack() else {
        return Ok(false);
    };
    match slack.is_member(&req.channel_id, &req.user_id).await {
        Ok(member) => Ok(member),
        Err(e) if e.is_refusal() => {
            tracing::info!(
                code = e.code(),
                "a schedule modal named a conversation the bot cannot read"
            );
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Makes the Zoom meeting, posts its card and queues its reminder; `None`
/// when the user was told why not.
async fn schedule_meeting(
    ctx: &Ctx<'_>,
    schedule: &Schedule,
) -> Result<Option<MeetingRow>, JobError> {
    let svc = ctx.svc;
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
        origin: MeetingOrigin::Schedule,
        response_url: Some(Secret::new(ctx.req.response_url.clone())),
        response_url_expires_at: Some(ctx.req.response_url_expires_at()),
    };
    let now = svc.clock.now_ms();
    let row = svc.store.meeting_for_request(&new, now).await?;
    if row.join_url.is_none() {
        let created = match create(ctx, schedule).await {
            Ok(created) => created,
            Err(Stop::Job(e)) => return Err(e),
            Err(Stop::Cred(CredError::Broken | CredError::NotLinked)) => {
                svc.store.forget_meeting(row.id).await?;
                super::prompt(svc, ctx.req, ctx.reply, ctx.lang).await?;
                return Ok(None);
            }
            Err(Stop::Cred(e)) => return Err(e.into()),
            Err(Stop::Tell(kind)) => {
                svc.store.forget_meeting(row.id).await?;
                let message = render::error(&svc.texts, ctx.lang, &kind);
                ctx.reply.ephemeral(message).await?;
                return Ok(None);
            }
        };
        // Zoom's meeting first, so that a retry never makes a second one;
        // the schedule right after (a retry that finds it missing records
        // it from the same reading).
        svc.store
            .record_zoom_meeting(
                row.id,
                Some(created.id as i64),
                created
                    .uuid
                    .as_deref()
                    .map(zlack_domain::ids::MeetingUuid::from)
                    .as_ref(),
                Some(&created.topic),
                &created.join_url,
                svc.clock.now_ms(),
            )
            .await?;
        let passcode = created
            .password
            .as_deref()
            .filter(|p| ctx.settings.show_passcode && !p.is_empty());
        let starts_at = created
            .start_time
            .as_deref()
            .and_then(|s| s.parse::<Timestamp>().ok())
            .unwrap_or_else(|| schedule.start.timestamp());
        let duration = created
            .duration
            .map_or(i64::from(schedule.duration_minutes), i64::from);
        record(ctx, row.id, schedule, starts_at, duration, passcode).await?;
    }
    let scheduled = match svc.store.scheduled(row.id).await? {
        Some(scheduled) => scheduled,
        None => {
            let starts_at = schedule.start.timestamp();
            let duration = i64::from(schedule.duration_minutes);
            record(ctx, row.id, schedule, starts_at, duration, None).await?;
            svc.store
                .scheduled(row.id)
                .await?
                .ok_or_else(|| JobError::permanent("the scheduled meeting's row is gone"))?
        }
    };
    if row.posted_via.is_none() {
        post_card(ctx, &scheduled).await?;
    }
    let jobs: Vec<NewJob> = reminder_job(svc, &scheduled).into_iter().collect();
    svc.store.enqueue_now(&jobs, svc.clock.now_ms()).await?;
    Ok(Some(row))
}

/// Records when the announcement's meeting starts and for how long.
async fn record(
    ctx: &Ctx<'_>,
    id: i64,
    schedule: &Schedule,
    starts_at: Timestamp,
    duration_minutes: i64,
    passcode: Option<&str>,
) -> JobResult {
    ctx.svc
        .store
        .record_schedule(
            id,
            &crate::store::Schedule {
                starts_at: starts_at.as_millisecond(),
                duration_minutes,
                time_zone: schedule.start.time_zone().iana_name(),
                lang: ctx.lang.code(),
                passcode,
            },
            ctx.svc.clock.now_ms(),
        )
        .await?;
    Ok(())
}

/// Why making the meeting stopped short.
enum Stop {
    Job(JobError),
    Tell(ErrorKind),
    Cred(CredError),
}

/// Creates the scheduled meeting at Zoom with the credentials an instant
/// meeting uses; a token Zoom refuses is refreshed once.
async fn create(
    ctx: &Ctx<'_>,
    schedule: &Schedule,
) -> Result<crate::zoom::api::CreatedMeeting, Stop> {
    let svc = ctx.svc;
    let topic = match &schedule.topic {
        Some(topic) => topic.clone(),
        None => {
            let name = super::profile(svc, &ctx.req.team_id, &ctx.req.user_id, ctx.reply.bot())
                .await
                .map(|p| p.display_name)
                .unwrap_or_else(|| ctx.req.user_id.to_string());
            render::default_topic(&svc.texts, ctx.lang, &name)
        }
    };
    let body = CreateMeeting::scheduled(&topic, &schedule.start, schedule.duration_minutes);
    let mut token = credentials::zoom_token(svc, ctx.link, None)
        .await
        .map_err(Stop::Cred)?;
    for _ in 0..2 {
        match svc
            .zoom
            .create_meeting(&token, credentials::zoom_user_ref(svc, ctx.link), &body)
            .await
        {
            Err(ZoomError::Unauthorized) => {
                token = credentials::zoom_token(svc, ctx.link, Some(&token))
                    .await
                    .map_err(Stop::Cred)?;
            }
            Ok(created) => return Ok(created),
            Err(e) => return Err(zoom_stop(ctx, e)),
        }
    }
    Err(Stop::Job(JobError::transient(
        "Zoom refused a freshly refreshed token",
    )))
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
        e => {
            tracing::warn!(error = %e, "Zoom failed to schedule a meeting; telling the user");
            Stop::Tell(ErrorKind::ZoomUnavailable)
        }
    }
}

/// The signed link of a scheduled meeting's calendar file.
pub fn calendar_url(svc: &Services, id: i64) -> String {
    let sig = svc.store.calendar_signature(id);
    svc.config.public(&format!("/calendar/{id}.ics?sig={sig}"))
}

fn card_lang(scheduled: &Scheduled) -> Lang {
    match scheduled.lang.as_deref() {
        Some("sv") => Lang::Sv,
        _ => Lang::En,
    }
}

/// The card as the row now says: live with its Call, or cancelled.
fn card(svc: &Services, scheduled: &Scheduled) -> Option<render::Message> {
    let join_url = scheduled.join_url.as_deref()?;
    let meeting_id = u64::try_from(scheduled.zoom_meeting_id?).ok()?;
    let calendar = calendar_url(svc, scheduled.id);
    let starts = Timestamp::from_millisecond(scheduled.starts_at).ok()?;
    Some(render::scheduled_card(
        &svc.texts,
        card_lang(scheduled),
        &ScheduledCard {
            topic: scheduled.topic.as_deref().unwrap_or_default(),
            host_slack_id: &scheduled.host_slack_user_id,
            meeting_id,
            join_url,
            passcode: scheduled.passcode.as_deref(),
            starts,
            duration_minutes: u32::try_from(scheduled.duration_minutes).unwrap_or(0),
            time_zone: scheduled.time_zone.as_deref().unwrap_or("UTC"),
            calendar_url: &calendar,
            call_id: scheduled.call_id.as_deref().filter(|c| !c.is_empty()),
            cancelled: scheduled.cancelled_at.is_some(),
        },
    ))
}

/// Posts the card where the app may post (so its `ts` is known and the
/// reminder can go in its thread), else through the `response_url`, else
/// in the host's DM.
async fn post_card(ctx: &Ctx<'_>, scheduled: &Scheduled) -> JobResult {
    let svc = ctx.svc;
    let Some(message) = card(svc, scheduled) else {
        return Err(JobError::permanent(
            "scheduled meeting without its Zoom details",
        ));
    };
    let Some(slack) = ctx.reply.slack() else {
        return Err(JobError::permanent("no bot token"));
    };
    let response_url = Secret::new(ctx.req.response_url.clone());
    let place = deliver::Place {
        slack,
        channel_id: &scheduled.channel_id,
        response_url: (ctx.reply.response_url_alive() && !ctx.req.response_url.is_empty())
            .then_some(&response_url),
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
    let word = |_: &Delivery, _: deliver::Learnt| message.clone();
    let sent = deliver::deliver(&place, conversation, &decide, &word).await?;
    let (via, ts) = match &sent {
        Sent::Thread { ts, .. } | Sent::Channel { ts, .. } => (PostedVia::Chat, ts.as_deref()),
        Sent::ResponseUrl => (PostedVia::ResponseUrl, None),
        Sent::Dm { .. } => (PostedVia::Dm, None),
        Sent::Nowhere | Sent::Undelivered => return Ok(()),
    };
    svc.store
        .record_post(scheduled.id, via, ts, svc.clock.now_ms())
        .await?;
    Ok(())
}

/// The reminder job of a scheduled meeting, due `lead` before its start;
/// none when reminders are off or that moment has passed (the card or its
/// update just said it all).
fn reminder_job(svc: &Services, scheduled: &Scheduled) -> Option<NewJob> {
    let lead = svc.config.reminder_lead.as_millis() as Millis;
    let run_at = scheduled.starts_at - lead;
    if lead == 0 || run_at <= svc.clock.now_ms() || scheduled.cancelled_at.is_some() {
        return None;
    }
    let job = Job::ScheduleReminder {
        meeting: scheduled.id,
        starts_at: scheduled.starts_at,
        team: scheduled.team_id.clone(),
    };
    let key = format!("{}:{}:{}", job.kind(), scheduled.id, scheduled.starts_at);
    Some(job.queue(key, run_at))
}

fn reminder(svc: &Services, scheduled: &Scheduled) -> Option<render::Message> {
    let join_url = scheduled.join_url.as_deref()?;
    let meeting_id = u64::try_from(scheduled.zoom_meeting_id?).ok()?;
    let starts = Timestamp::from_millisecond(scheduled.starts_at).ok()?;
    Some(render::schedule_reminder(
        &svc.texts,
        card_lang(scheduled),
        &ScheduleReminder {
            topic: scheduled.topic.as_deref().unwrap_or_default(),
            meeting_id,
            join_url,
            starts,
            time_zone: scheduled.time_zone.as_deref().unwrap_or("UTC"),
            cancelled: scheduled.cancelled_at.is_some(),
        },
    ))
}

/// Carries out a reminder job ([`Job::ScheduleReminder`]): posts the
/// reminder in the card's thread, unless the meeting moved since the job
/// was queued (another job reminds of the new start) or was cancelled.
pub async fn run_reminder(svc: &Services, id: i64, starts_at: Millis) -> JobResult {
    let Some(scheduled) = svc.store.scheduled(id).await? else {
        return Ok(());
    };
    // Moved (another job reminds of the new start), cancelled, started
    // early by its host (the card is its live Call, recorded even when
    // Slack refused the Call), or due so late that the meeting already
    // started: the card says it all.
    if scheduled.starts_at != starts_at
        || scheduled.cancelled_at.is_some()
        || scheduled.call_id.is_some()
        || svc.clock.now_ms() >= starts_at
    {
        return Ok(());
    }
    let Some(message) = reminder(svc, &scheduled) else {
        return Ok(());
    };
    let bot =
        match credentials::slack_bot(svc, &scheduled.team_id, scheduled.enterprise_id.as_deref())
            .await
        {
            Ok((_, bot)) => bot,
            Err(CredError::NotInstalled) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
    let slack = svc.slack.team(&scheduled.team_id, &bot);
    let ts = match scheduled.message_ts.as_deref() {
        Some(thread) => slack
            .post_message(&scheduled.channel_id, Some(thread), &message)
            .await
            .unless_refused("the card's thread refused the reminder; telling the host")?
            .and_then(|posted| posted.ts),
        None => None,
    };
    if ts.is_none() {
        // No thread to post in: the host hears of it in the app's DM.
        deliver::dm(
            slack,
            &scheduled.host_slack_user_id,
            &message,
            deliver::DmRefused::Dropped,
        )
        .await?;
    }
    svc.store
        .record_reminder(id, ts.as_deref(), svc.clock.now_ms())
        .await?;
    Ok(())
}

/// Carries out a card job ([`Job::ScheduleCard`]): the card, and the
/// reminder once posted, show what the row now says.
pub async fn run_card(svc: &Services, id: i64) -> JobResult {
    let Some(scheduled) = svc.store.scheduled(id).await? else {
        return Ok(());
    };
    update_card(svc, &scheduled).await
}

async fn update_card(svc: &Services, scheduled: &Scheduled) -> JobResult {
    let Some(ts) = scheduled.message_ts.as_deref() else {
        return Ok(());
    };
    let bot =
        match credentials::slack_bot(svc, &scheduled.team_id, scheduled.enterprise_id.as_deref())
            .await
        {
            Ok((_, bot)) => bot,
            Err(CredError::NotInstalled) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
    let slack = svc.slack.team(&scheduled.team_id, &bot);
    if let Some(message) = card(svc, scheduled) {
        slack
            .update(&scheduled.channel_id, ts, &message)
            .await
            .unless_refused("Slack refused to update a scheduled meeting's card")?;
    }
    if let (Some(reminder_ts), Some(message)) =
        (scheduled.reminder_ts.as_deref(), reminder(svc, scheduled))
    {
        slack
            .update(&scheduled.channel_id, reminder_ts, &message)
            .await
            .unless_refused("Slack refused to update a scheduled meeting's reminder")?;
    }
    Ok(())
}

/// Carries out [`Job::ScheduleStart`]: a scheduled meeting's occurrence
/// started, so its card becomes the live Slack Call, which the lifecycle's
/// Call jobs then keep in step.
pub async fn run_start(svc: &Services, occurrence: OccurrenceId) -> JobResult {
    let Some(found) = svc.store.occurrence(occurrence).await? else {
        return Ok(());
    };
    let meeting = &found.meeting;
    if meeting.origin != MeetingOrigin::Schedule || meeting.call_id.is_some() {
        return Ok(());
    }
    let Some(scheduled) = svc.store.scheduled(meeting.id).await? else {
        return Ok(());
    };
    let (Some(join_url), Some(meeting_id)) =
        (scheduled.join_url.as_deref(), scheduled.zoom_meeting_id)
    else {
        return Ok(());
    };
    let bot = match credentials::slack_bot(svc, &meeting.team_id, meeting.enterprise_id.as_deref())
        .await
    {
        Ok((_, bot)) => bot,
        Err(CredError::NotInstalled) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let slack = svc.slack.team(&meeting.team_id, &bot);
    let external_unique_id = format!("zlack-scheduled-{}", meeting.id);
    let desktop = format!("zoommtg://zoom.us/join?action=join&confno={meeting_id}");
    let call = NewCall {
        external_unique_id: &external_unique_id,
        join_url,
        desktop_app_join_url: Some(&desktop),
        external_display_id: Some(meeting_id.to_string()),
        title: scheduled.topic.as_deref(),
        created_by: &meeting.host_slack_user_id,
        date_start: svc.clock.now_secs(),
    };
    let call_id = slack
        .calls_add(&call)
        .await
        .unless_refused("calls.add refused; the card stays without a Call")?
        .unwrap_or_default();
    let now = svc.clock.now_ms();
    svc.store.record_call(meeting.id, &call_id, now).await?;
    let Some(scheduled) = svc.store.scheduled(meeting.id).await? else {
        return Ok(());
    };
    update_card(svc, &scheduled).await?;
    // Who joined before the Call existed: the Call job shows them.
    let job = Job::MeetingCall {
        occurrence,
        team: Some(meeting.team_id.clone()),
    };
    let key = format!("{}:{occurrence}:schedule-start", job.kind());
    svc.store.enqueue_now(&[job.queue(key, now)], now).await?;
    super::home::refresh(svc, &meeting.team_id, &meeting.host_slack_user_id).await
}

/// What `meeting.updated` or `meeting.deleted` says about a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Updated(i64, Reschedule),
    Deleted(i64),
}

/// Reads a `meeting.updated`/`meeting.deleted` webhook; `None` for one
/// about something else (an occurrence of a recurring meeting).
fn change(event: &str, payload: &Value) -> Option<Change> {
    let object = &payload["object"];
    let id = match &object["id"] {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    // One occurrence of a recurring meeting: not a meeting zlack scheduled.
    if object.get("occurrences").is_some() {
        return None;
    }
    match event {
        "meeting.deleted" => Some(Change::Deleted(id)),
        "meeting.updated" => {
            let text = |k: &str| {
                object[k]
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let change = Reschedule {
                starts_at: text("start_time")
                    .and_then(|s| s.parse::<Timestamp>().ok())
                    .map(|t| t.as_millisecond()),
                duration_minutes: object["duration"].as_i64().filter(|d| *d > 0),
                topic: text("topic"),
                time_zone: text("timezone").filter(|tz| TimeZone::get(tz).is_ok()),
            };
            Some(Change::Updated(id, change))
        }
        _ => None,
    }
}

/// Folds `meeting.updated` or `meeting.deleted` into the scheduled
/// announcements of the meeting, in one transaction with marking the
/// webhook processed: the cards are updated and a moved meeting gets its
/// reminder at the new time.
pub async fn on_zoom_change(svc: &Services, item: &InboxItem) -> JobResult {
    let change = serde_json::from_slice::<Webhook>(&item.body)
        .ok()
        .and_then(|hook| change(&hook.event, &hook.payload));
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    if !Store::claim_inbox(&mut tx, item.id, now).await? {
        return Ok(());
    }
    let mut jobs = Vec::new();
    match change {
        None => {}
        Some(Change::Deleted(zoom_id)) => {
            for (id, _, _) in svc.store.cancel_scheduled(&mut tx, zoom_id, now).await? {
                jobs.push(card_job(id, item.id));
            }
        }
        Some(Change::Updated(zoom_id, change)) => {
            for (id, starts_at, team) in
                svc.store.reschedule(&mut tx, zoom_id, &change, now).await?
            {
                jobs.push(card_job(id, item.id));
                let lead = svc.config.reminder_lead.as_millis() as Millis;
                let run_at = starts_at - lead;
                if lead > 0 && run_at > now {
                    let job = Job::ScheduleReminder {
                        meeting: id,
                        starts_at,
                        team,
                    };
                    let key = format!("{}:{id}:{starts_at}", job.kind());
                    jobs.push(job.queue(key, run_at));
                }
            }
        }
    }
    svc.store.enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    Ok(())
}

fn card_job(id: i64, inbox: InboxId) -> NewJob {
    let job = Job::ScheduleCard { meeting: id };
    let key = format!("{}:{id}:{inbox}", job.kind());
    job.queue(key, 0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn updates_read_what_changed() {
        let payload = json!({"object": {"id": 85746352413_i64, "start_time": "2026-12-08T10:00:00Z", "duration": 60}});
        assert_eq!(
            change("meeting.updated", &payload),
            Some(Change::Updated(
                85_746_352_413,
                Reschedule {
                    starts_at: Some(1_796_724_000_000),
                    duration_minutes: Some(60),
                    topic: None,
                    time_zone: None,
                }
            ))
        );
        let payload =
            json!({"object": {"id": "85746352413", "topic": "New", "timezone": "Nowhere/Land"}});
        assert_eq!(
            change("meeting.updated", &payload),
            Some(Change::Updated(
                85_746_352_413,
                Reschedule {
                    topic: Some("New".into()),
                    ..Reschedule::default()
                }
            ))
        );
    }

    #[test]
    fn deletions_of_whole_meetings_only() {
        let payload = json!({"object": {"id": 1}});
        assert_eq!(
            change("meeting.deleted", &payload),
            Some(Change::Deleted(1))
        );
        let payload = json!({"object": {"id": 1, "occurrences": [{"occurrence_id": "1"}]}});
        assert_eq!(change("meeting.deleted", &payload), None);
        assert_eq!(change("meeting.deleted", &json!({"object": {}})), None);
    }
}
