//! The one-off notices of an occurrence: the end summary, the recording
//! link (and its passcode for the host) and the AI Companion summary.
//!
//! Where a notice goes is the domain's decision ([`deliver`]); when Slack
//! refuses the place (the app was removed from the channel, the
//! `response_url` stopped working) the decision is made again with what
//! was learnt, ending at the host's DM. Each delivered notice is recorded,
//! so a retried or repeated job does not post it twice.

use serde_json::{Map, Value};
use zlack_domain::delivery::{
    self, Conversation, ConversationKind, Delivery, NoticeKind, RecordingPolicy,
};
use zlack_domain::i18n::Lang;
use zlack_domain::meeting::MeetingState;
use zlack_domain::render::{
    self, AiSummaryNotice, ConversationRef, EndSummary, HostDm, RecordingNotice,
};

use crate::config::Secret;
use crate::flows::credentials::{self, CredError};
use crate::flows::reply::slack_outcome;
use crate::jobs::Outcome;
use crate::services::Services;
use crate::slack::api::SlackError;
use crate::store::{NoticeRow, Occurrence, StoreError};
use crate::zoom::error::ZoomError;

/// The job kind.
pub const KIND: &str = "meeting.notice";
/// Attempts at Zoom (participants, AI summary) before a notice goes out
/// with what the webhooks told.
const ZOOM_ATTEMPTS: i64 = 3;

/// Notices are posted with `chat.postMessage`: while Slack asks zlack to
/// wait, other notices of the same workspace wait too.
pub fn notice_scope(payload: &Value) -> Option<String> {
    payload["team"]
        .as_str()
        .map(|team| format!("slack:{team}:chat.postMessage"))
}

/// Slack limits each method per workspace: a limit names the workspace.
fn in_team(outcome: Outcome, team: Option<&str>) -> Outcome {
    match (outcome, team) {
        (Outcome::RateLimited { scope, wait }, Some(team)) if scope.starts_with("slack:") => {
            Outcome::RateLimited {
                scope: scope.replacen("slack:", &format!("slack:{team}:"), 1),
                wait,
            }
        }
        (outcome, _) => outcome,
    }
}

pub async fn run(svc: &Services, payload: &Value, attempt: i64) -> Outcome {
    let (Some(id), Some(notice)) = (payload["occurrence"].as_i64(), payload["notice"].as_str())
    else {
        return Outcome::Fail("notice job without occurrence or notice".into());
    };
    let result = async {
        let Some(occurrence) = svc.store.occurrence(id).await? else {
            return Ok(Outcome::Done);
        };
        let already = match notice {
            "recording_update" => false,
            // The passcode DM may still be due after the notice went out.
            "recording" => false,
            kind => svc.store.notice(id, kind).await?.is_some(),
        };
        if already {
            return Ok(Outcome::Done);
        }
        let place = match Place::new(svc, &occurrence).await {
            Ok(place) => place,
            Err(outcome) => return Ok(outcome),
        };
        Ok(match notice {
            "end_summary" => place.end_summary(attempt).await,
            "recording" => place.recording().await,
            "recording_update" => place.update_recording().await,
            "ai_summary" => place.ai_summary(attempt).await,
            other => Outcome::Fail(format!("unknown notice {other}")),
        })
    }
    .await;
    let outcome = result.unwrap_or_else(|e: StoreError| Outcome::Retry(e.to_string()));
    in_team(outcome, payload["team"].as_str())
}

/// Everything needed to word and place a notice of one occurrence.
struct Place<'a> {
    svc: &'a Services,
    occurrence: &'a Occurrence,
    state: MeetingState,
    bot: Secret,
    bot_user_id: String,
    /// Who gets the notices that go by DM: the Slack user linked to the
    /// Zoom host, else whoever announced the meeting.
    host: String,
    /// `host` is the Zoom host of the meeting, who may see its passcode.
    host_is_zoom_host: bool,
    lang: Lang,
    tz: String,
    policy: RecordingPolicy,
}

impl<'a> Place<'a> {
    async fn new(svc: &'a Services, occurrence: &'a Occurrence) -> Result<Place<'a>, Outcome> {
        let meeting = &occurrence.meeting;
        let (ws, bot) =
            match credentials::slack_bot(svc, &meeting.team_id, meeting.enterprise_id.as_deref())
                .await
            {
                Ok(found) => found,
                // Uninstalled since: nowhere to say anything.
                Err(CredError::NotInstalled) => return Err(Outcome::Done),
                Err(e) => return Err(Outcome::Retry(e.to_string())),
            };
        let zoom_host = match &occurrence.zoom_host_id {
            Some(zoom_id) => svc
                .store
                .slack_user_by_zoom_id(&meeting.team_id, zoom_id)
                .await
                .map_err(|e| Outcome::Retry(e.to_string()))?,
            None => None,
        };
        let host_is_zoom_host = zoom_host.is_some();
        let host = zoom_host.unwrap_or_else(|| meeting.host_slack_user_id.clone());
        let lang = crate::flows::language(svc, &meeting.team_id, &host, Some(&bot)).await;
        let tz = crate::flows::profile(svc, &meeting.team_id, &host, Some(&bot))
            .await
            .and_then(|p| p.tz)
            .unwrap_or_else(|| "UTC".into());
        let policy = crate::flows::settings::recording_policy(svc, &ws.team_id)
            .await
            .map_err(|e| Outcome::Retry(e.to_string()))?;
        let state = occurrence
            .state
            .as_deref()
            .and_then(|json| serde_json::from_slice(json).ok())
            .unwrap_or_default();
        Ok(Place {
            svc,
            occurrence,
            state,
            bot,
            bot_user_id: ws.bot_user_id,
            host,
            host_is_zoom_host,
            lang,
            tz,
            policy,
        })
    }

    fn topic(&self) -> &str {
        self.occurrence.meeting.topic.as_deref().unwrap_or_default()
    }

    /// What is known of the announcement's conversation now.
    fn conversation(&self) -> Conversation {
        let meeting = &self.occurrence.meeting;
        let now = self.svc.clock.now_ms();
        Conversation {
            kind: self.conversation_kind(),
            app_can_post: meeting.posted_via.as_deref() == Some("chat"),
            thread_ts: meeting.message_ts.clone(),
            response_url_valid: meeting.response_url.is_some()
                && meeting.response_url_expires_at.is_some_and(|at| now < at),
        }
    }

    fn conversation_kind(&self) -> ConversationKind {
        let meeting = &self.occurrence.meeting;
        meeting
            .conversation_kind
            .as_deref()
            .and_then(ConversationKind::parse)
            .unwrap_or_else(|| ConversationKind::from_slash(&meeting.channel_id, None))
    }

    /// `inner` in the host's DM, after a line naming the conversation.
    fn for_host(&self, inner: Value, explain: bool) -> Value {
        let t = &self.svc.texts;
        let channel_id = self.occurrence.meeting.channel_id.as_str();
        let conversation = match self.conversation_kind() {
            ConversationKind::DirectMessage => ConversationRef::SomeDirectMessage,
            ConversationKind::GroupDm => ConversationRef::SomeGroupDm,
            _ => ConversationRef::Channel { channel_id },
        };
        let label = render::conversation_label(t, self.lang, &conversation);
        let dm = HostDm {
            conversation_label: &label,
            invite_app: explain.then_some(self.bot_user_id.as_str()),
        };
        render::host_dm_notice(t, self.lang, &dm, inner)
    }

    /// Delivers a notice where the domain says, trying the next place when
    /// Slack refuses one. `render` words it for the chosen delivery.
    async fn send(
        &self,
        notice: NoticeKind,
        render: &(dyn Fn(&Delivery) -> Value + Sync),
    ) -> Result<NoticeRow, Outcome> {
        let meeting = &self.occurrence.meeting;
        let mut conversation = self.conversation();
        // Inviting the app does not help in an archived channel.
        let mut archived = false;
        loop {
            let delivery = delivery::deliver(&conversation, notice, self.policy);
            let message = render(&delivery);
            match &delivery {
                Delivery::Nowhere => return Ok(row("nowhere", None, None)),
                Delivery::ThreadReply { .. } | Delivery::ChannelMessage => {
                    let mut args = object(message);
                    args.insert("channel".into(), meeting.channel_id.clone().into());
                    let via = match &delivery {
                        Delivery::ThreadReply { thread_ts } => {
                            args.insert("thread_ts".into(), thread_ts.clone().into());
                            "thread"
                        }
                        _ => "channel",
                    };
                    match self
                        .svc
                        .slack
                        .call("chat.postMessage", &self.bot, &args)
                        .await
                    {
                        Ok(body) => {
                            return Ok(row(via, Some(&meeting.channel_id), body["ts"].as_str()));
                        }
                        Err(SlackError::Api(code)) if refused_here(&code) => {
                            tracing::info!(%code, "the app may not post in the meeting's conversation any more");
                            conversation.app_can_post = false;
                            archived |= code == "is_archived";
                        }
                        Err(e) => return Err(slack_outcome(e, "chat.postMessage")),
                    }
                }
                Delivery::ResponseUrl => {
                    let mut message = message;
                    message["response_type"] = "in_channel".into();
                    message["replace_original"] = false.into();
                    let Some(url) = &meeting.response_url else {
                        conversation.response_url_valid = false;
                        continue;
                    };
                    match self.svc.slack.respond(url, &message).await {
                        Ok(()) => return Ok(row("response_url", None, None)),
                        Err(SlackError::Api(code)) => {
                            tracing::info!(%code, "the response_url refused the notice");
                            conversation.response_url_valid = false;
                        }
                        Err(e) => return Err(slack_outcome(e, "response_url")),
                    }
                }
                Delivery::HostDm {
                    explain_conversation,
                } => {
                    let wrapped = self.for_host(message, *explain_conversation && !archived);
                    return self.dm(wrapped).await;
                }
            }
        }
    }

    async fn dm(&self, message: Value) -> Result<NoticeRow, Outcome> {
        let mut args = object(message);
        args.insert("channel".into(), self.host.clone().into());
        match self
            .svc
            .slack
            .call("chat.postMessage", &self.bot, &args)
            .await
        {
            // Only a DM to the Zoom host may ever show the passcode, and
            // the row says which kind this was for later edits.
            Ok(body) => Ok(row(
                if self.host_is_zoom_host {
                    ZOOM_HOST_DM
                } else {
                    HOST_DM
                },
                body["channel"].as_str().or(Some(&self.host)),
                body["ts"].as_str(),
            )),
            // The app's own credentials failed: a dead letter to look at.
            Err(SlackError::Api(code)) if app_problem(&code) => {
                Err(Outcome::Fail(format!("slack chat.postMessage: {code}")))
            }
            Err(SlackError::Api(code)) => {
                // A deactivated host, say: nobody is left to tell.
                tracing::warn!(%code, "the host's DM refused the notice; it is dropped");
                Ok(row("undelivered", None, None))
            }
            Err(e) => Err(slack_outcome(e, "chat.postMessage")),
        }
    }

    async fn record(&self, kind: &str, notice: &NoticeRow) -> Outcome {
        metrics::counter!(
            "zlack_meeting_notices_total",
            "kind" => kind.to_owned(),
            "delivery" => notice.delivery.clone()
        )
        .increment(1);
        match self
            .svc
            .store
            .record_notice(self.occurrence.id, kind, notice, self.svc.clock.now_ms())
            .await
        {
            Ok(()) => Outcome::Done,
            Err(e) => Outcome::Retry(e.to_string()),
        }
    }

    /// A Zoom token of the host (or else the announcer) for reading the
    /// past meeting.
    async fn zoom_token(&self) -> Option<Secret> {
        let meeting = &self.occurrence.meeting;
        for user in [&self.host, &meeting.host_slack_user_id] {
            if let Ok(Some(link)) = self.svc.store.zoom_link(&meeting.team_id, user).await
                && let Ok(token) = credentials::zoom_token(self.svc, &link, None).await
            {
                return Some(token);
            }
        }
        None
    }

    async fn end_summary(mut self, attempt: i64) -> Outcome {
        let Some((start, end)) = self.state.ended() else {
            return Outcome::Fail("end summary asked for before the meeting ended".into());
        };
        if let Some(token) = self.zoom_token().await {
            let uuid = &self.occurrence.zoom_uuid;
            match self.svc.zoom.past_participants(&token, uuid).await {
                Ok(list) => self.state.reconcile(list),
                Err(e) if attempt < ZOOM_ATTEMPTS && retry_zoom(&e) => {
                    return Outcome::Retry(format!("zoom participants: {e}"));
                }
                Err(e) => {
                    tracing::info!(error = %e, "no participant list from Zoom; using the webhooks'")
                }
            }
        }
        let participants = self.state.participants_for_summary();
        let message = render::end_summary(
            &self.svc.texts,
            self.lang,
            &self.tz,
            &EndSummary {
                topic: self.topic(),
                host_slack_id: &self.host,
                start,
                end,
                duration_secs: self.state.duration_secs().unwrap_or_default(),
                participants: &participants,
            },
        );
        match self
            .send(NoticeKind::EndSummary, &|_| message.clone())
            .await
        {
            Ok(notice) => self.record("end_summary", &notice).await,
            Err(outcome) => outcome,
        }
    }

    fn recording_message(&self, with_passcode: bool) -> Option<Value> {
        let recording = self.state.recording()?;
        let with_passcode = with_passcode && self.host_is_zoom_host;
        let passcode = recording.passcode.as_deref().filter(|_| with_passcode);
        // Zoom can embed the passcode in the link itself.
        let share_url = if with_passcode {
            recording.share_url.clone()
        } else {
            without_passcode(&recording.share_url)
        };
        Some(render::recording_notice(
            &self.svc.texts,
            self.lang,
            &RecordingNotice {
                topic: self.topic(),
                share_url: &share_url,
                parts: &recording.parts,
                passcode,
            },
        ))
    }

    async fn recording(self) -> Outcome {
        if self.state.recording().is_none() {
            return Outcome::Fail("recording notice without a recording".into());
        }
        let id = self.occurrence.id;
        let posted = match self.svc.store.notice(id, "recording").await {
            Ok(Some(posted)) => posted,
            Ok(None) => {
                let render = |d: &Delivery| {
                    self.recording_message(d.shows_passcode())
                        .unwrap_or_default()
                };
                let posted = match self.send(NoticeKind::Recording, &render).await {
                    Ok(posted) => posted,
                    Err(outcome) => return outcome,
                };
                let recorded = self.record("recording", &posted).await;
                if recorded != Outcome::Done {
                    return recorded;
                }
                posted
            }
            Err(e) => return Outcome::Retry(e.to_string()),
        };
        // The passcode never goes to a conversation: the host gets it alone.
        if !self.passcode_dm_due(&posted) {
            return Outcome::Done;
        }
        match self.svc.store.notice(id, "recording_passcode").await {
            Ok(Some(_)) => return Outcome::Done,
            Ok(None) => {}
            Err(e) => return Outcome::Retry(e.to_string()),
        }
        let Some(inner) = self.recording_message(true) else {
            return Outcome::Done;
        };
        match self.dm(self.for_host(inner, false)).await {
            Ok(notice) => self.record("recording_passcode", &notice).await,
            Err(outcome) => outcome,
        }
    }

    /// A later `recording.completed` added parts: edit the notices whose
    /// `ts` is known; a notice that went through the `response_url` stays.
    async fn update_recording(self) -> Outcome {
        let id = self.occurrence.id;
        // The notices still on their way may have been worded before this
        // change: edit them once they are out.
        let pending = Outcome::Retry("the recording notices are not out yet".into());
        match self.svc.store.notice(id, "recording").await {
            Ok(None) => return pending,
            Ok(Some(posted)) if self.passcode_dm_due(&posted) => {
                match self.svc.store.notice(id, "recording_passcode").await {
                    Ok(None) => return pending,
                    Ok(Some(_)) => {}
                    Err(e) => return Outcome::Retry(e.to_string()),
                }
            }
            Ok(Some(_)) => {}
            Err(e) => return Outcome::Retry(e.to_string()),
        }
        for kind in ["recording", "recording_passcode"] {
            let notice = match self.svc.store.notice(id, kind).await {
                Ok(Some(notice)) => notice,
                Ok(None) => continue,
                Err(e) => return Outcome::Retry(e.to_string()),
            };
            let (Some(channel), Some(ts)) = (&notice.channel_id, &notice.message_ts) else {
                continue;
            };
            let for_host = kind == "recording_passcode"
                || matches!(notice.delivery.as_str(), HOST_DM | ZOOM_HOST_DM);
            let passcode = kind == "recording_passcode" || notice.delivery == ZOOM_HOST_DM;
            let Some(inner) = self.recording_message(passcode) else {
                return Outcome::Done;
            };
            let message = if for_host {
                self.for_host(inner, false)
            } else {
                inner
            };
            let mut args = object(message);
            args.insert("channel".into(), channel.clone().into());
            args.insert("ts".into(), ts.clone().into());
            match self.svc.slack.call("chat.update", &self.bot, &args).await {
                Ok(_) => {}
                Err(SlackError::Api(code)) => {
                    tracing::info!(%code, "the recording notice could not be edited; leaving it");
                }
                Err(e) => return slack_outcome(e, "chat.update"),
            }
        }
        Outcome::Done
    }

    /// Whether the host is owed a DM with the passcode of a recording whose
    /// notice went out as `posted`: it went to a conversation, and the host
    /// is the Zoom host.
    fn passcode_dm_due(&self, posted: &NoticeRow) -> bool {
        let in_conversation = !matches!(
            posted.delivery.as_str(),
            HOST_DM | ZOOM_HOST_DM | "nowhere" | "undelivered"
        );
        let has_passcode = self.state.recording().is_some_and(|r| r.passcode.is_some());
        in_conversation && has_passcode && self.host_is_zoom_host
    }

    async fn ai_summary(self, attempt: i64) -> Outcome {
        let Some(summary) = self.state.ai_summary().cloned() else {
            return Outcome::Fail("AI summary notice without a summary".into());
        };
        let mut title = summary.title;
        let mut overview = summary.overview;
        let mut next_steps = summary.next_steps;
        if overview.is_none()
            && next_steps.is_empty()
            && let Some(token) = self.zoom_token().await
        {
            let uuid = &self.occurrence.zoom_uuid;
            match self.svc.zoom.meeting_summary(&token, uuid).await {
                Ok(fetched) => {
                    if title.is_empty() {
                        title = fetched.summary_title.unwrap_or_default();
                    }
                    overview = fetched.summary_overview.filter(|o| !o.trim().is_empty());
                    next_steps = fetched.next_steps;
                }
                Err(e) if attempt < ZOOM_ATTEMPTS && retry_zoom(&e) => {
                    return Outcome::Retry(format!("zoom summary: {e}"));
                }
                Err(e) => tracing::info!(error = %e, "no AI summary from Zoom; posting the title"),
            }
        }
        let message = render::ai_summary(
            &self.svc.texts,
            self.lang,
            &AiSummaryNotice {
                topic: self.topic(),
                title: &title,
                overview: overview.as_deref(),
                next_steps: &next_steps,
            },
        );
        match self.send(NoticeKind::AiSummary, &|_| message.clone()).await {
            Ok(notice) => self.record("ai_summary", &notice).await,
            Err(outcome) => outcome,
        }
    }
}

fn retry_zoom(error: &ZoomError) -> bool {
    matches!(error, ZoomError::RateLimited { daily: false, .. }) || error.is_retryable()
}

/// A notice in the DM of whoever announced the meeting, not its Zoom host.
const HOST_DM: &str = "host_dm";
/// A notice in the Zoom host's DM, who may see the recording passcode.
const ZOOM_HOST_DM: &str = "zoom_host_dm";

/// Slack's answers about the app itself rather than the conversation.
fn app_problem(code: &str) -> bool {
    matches!(
        code,
        "invalid_auth"
            | "not_authed"
            | "account_inactive"
            | "token_revoked"
            | "token_expired"
            | "missing_scope"
            | "not_allowed_token_type"
    )
}

/// The link without a `pwd` query parameter.
fn without_passcode(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if !parsed.query_pairs().any(|(k, _)| k == "pwd") {
        return url.to_owned();
    }
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| k != "pwd")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    parsed.to_string()
}

/// Slack's answers that mean the app may not post in that conversation.
fn refused_here(code: &str) -> bool {
    matches!(
        code,
        "not_in_channel"
            | "channel_not_found"
            | "is_archived"
            | "no_permission"
            | "restricted_action"
            | "restricted_action_read_only_channel"
            | "restricted_action_thread_only_channel"
            | "restricted_action_non_threadable_channel"
            | "cannot_reply_to_message"
            | "team_access_not_granted"
    )
}

fn object(message: Value) -> Map<String, Value> {
    match message {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn row(delivery: &str, channel_id: Option<&str>, message_ts: Option<&str>) -> NoticeRow {
    NoticeRow {
        delivery: delivery.to_owned(),
        channel_id: channel_id.map(str::to_owned),
        message_ts: message_ts.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_lose_an_embedded_passcode() {
        assert_eq!(
            without_passcode("https://zoom.us/rec/share/abc?pwd=s3cr3t&startTime=1"),
            "https://zoom.us/rec/share/abc?startTime=1"
        );
        assert_eq!(
            without_passcode("https://zoom.us/rec/share/abc?pwd=s3cr3t"),
            "https://zoom.us/rec/share/abc"
        );
        assert_eq!(
            without_passcode("https://zoom.us/rec/share/abc"),
            "https://zoom.us/rec/share/abc"
        );
        assert_eq!(without_passcode("not a url"), "not a url");
    }
}
