//! The one-off notices of an occurrence: the end summary, the recording
//! link (and its passcode for the host) and the AI Companion summary.
//!
//! Where a notice goes is the domain's decision ([`deliver`]); when Slack
//! refuses the place (the app was removed from the channel, the
//! `response_url` stopped working) the decision is made again with what
//! was learnt, ending at the host's DM. Each delivered notice is recorded,
//! so a retried or repeated job does not post it twice.

use zlack_domain::delivery::{
    self, Conversation, ConversationKind, Delivery, NoticeKind, RecordingPolicy,
};
use zlack_domain::i18n::Lang;
use zlack_domain::meeting::MeetingState;
use zlack_domain::render::{
    self, AiSummaryNotice, ConversationRef, EndSummary, HostDm, Message, RecordingNotice,
};

use crate::config::Secret;
use crate::flows::credentials::{self, CredError};
use crate::flows::deliver::{self, DmRefused, Sent};
use crate::job::{JobError, JobResult, MeetingNotice};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::slack::team::TeamSlack;
use crate::store::{NoticeDelivery, NoticeRow, Occurrence, PostedVia, RecordedNotice};
use crate::zoom::error::ZoomError;
use zlack_domain::ids::{OccurrenceId, SlackUserId};

/// Attempts at Zoom (participants, AI summary) before a notice goes out
/// with what the webhooks told.
const ZOOM_ATTEMPTS: i64 = 3;

pub async fn run(
    svc: &Services,
    occurrence_id: OccurrenceId,
    notice: MeetingNotice,
    attempt: i64,
) -> JobResult {
    let Some(occurrence) = svc.store.occurrence(occurrence_id).await? else {
        return Ok(());
    };
    let recorded = match notice {
        // The passcode DM may still be due after the notice went out.
        MeetingNotice::Recording | MeetingNotice::RecordingUpdate => None,
        MeetingNotice::EndSummary => Some(RecordedNotice::EndSummary),
        MeetingNotice::AiSummary => Some(RecordedNotice::AiSummary),
    };
    let already = match recorded {
        Some(kind) => svc.store.notice(occurrence_id, kind).await?.is_some(),
        None => false,
    };
    if already {
        return Ok(());
    }
    let Some(place) = Place::new(svc, &occurrence).await? else {
        // Uninstalled since: nowhere to say anything.
        return Ok(());
    };
    match notice {
        MeetingNotice::EndSummary => place.end_summary(attempt).await,
        MeetingNotice::Recording => place.recording().await,
        MeetingNotice::RecordingUpdate => place.update_recording().await,
        MeetingNotice::AiSummary => place.ai_summary(attempt).await,
    }
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
    host: SlackUserId,
    /// `host` is the Zoom host of the meeting, who may see its passcode.
    host_is_zoom_host: bool,
    lang: Lang,
    tz: String,
    policy: RecordingPolicy,
}

impl<'a> Place<'a> {
    async fn new(
        svc: &'a Services,
        occurrence: &'a Occurrence,
    ) -> Result<Option<Place<'a>>, JobError> {
        let meeting = &occurrence.meeting;
        let (ws, bot) =
            match credentials::slack_bot(svc, &meeting.team_id, meeting.enterprise_id.as_deref())
                .await
            {
                Ok(found) => found,
                Err(CredError::NotInstalled) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
        let zoom_host = match &occurrence.zoom_host_id {
            Some(zoom_id) => {
                svc.store
                    .slack_user_by_zoom_id(&meeting.team_id, zoom_id)
                    .await?
            }
            None => None,
        };
        let host_is_zoom_host = zoom_host.is_some();
        let host = zoom_host.unwrap_or_else(|| meeting.host_slack_user_id.clone());
        let lang = crate::flows::language(svc, &meeting.team_id, &host, Some(&bot)).await;
        let tz = crate::flows::profile(svc, &meeting.team_id, &host, Some(&bot))
            .await
            .and_then(|p| p.tz)
            .unwrap_or_else(|| "UTC".into());
        let policy = crate::flows::settings::recording_policy(svc, &ws.team_id).await?;
        let state = occurrence
            .state
            .as_deref()
            .and_then(|json| serde_json::from_slice(json).ok())
            .unwrap_or_default();
        Ok(Some(Place {
            svc,
            occurrence,
            state,
            bot,
            bot_user_id: ws.bot_user_id.into(),
            host,
            host_is_zoom_host,
            lang,
            tz,
            policy,
        }))
    }

    fn slack(&self) -> TeamSlack<'_> {
        self.svc
            .slack
            .team(&self.occurrence.meeting.team_id, &self.bot)
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
            app_can_post: meeting.posted_via == Some(PostedVia::Chat),
            thread_ts: meeting.message_ts.clone(),
            response_url_valid: meeting.response_url.is_some()
                && meeting.response_url_expires_at.is_some_and(|at| now < at),
        }
    }

    fn conversation_kind(&self) -> ConversationKind {
        let meeting = &self.occurrence.meeting;
        meeting
            .conversation_kind
            .unwrap_or_else(|| ConversationKind::from_slash(&meeting.channel_id, None))
    }

    /// `inner` in the host's DM, after a line naming the conversation.
    fn for_host(&self, inner: Message, explain: bool) -> Message {
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

    /// Delivers a notice where the domain says ([`deliver`]); `render`
    /// words it for the chosen delivery.
    async fn send(
        &self,
        notice: NoticeKind,
        render: &(dyn Fn(&Delivery) -> Message + Sync),
    ) -> Result<NoticeRow, JobError> {
        let meeting = &self.occurrence.meeting;
        let place = deliver::Place {
            slack: self.slack(),
            channel_id: &meeting.channel_id,
            response_url: meeting.response_url.as_ref(),
            dm_to: &self.host,
            dm_refused: DmRefused::DroppedUnlessAppAuth,
        };
        let policy = self.policy;
        let decide = |c: &Conversation| delivery::deliver(c, notice, policy);
        let word = |d: &Delivery, learnt: deliver::Learnt| match d {
            // Inviting the app does not help in an archived channel.
            Delivery::HostDm {
                explain_conversation,
            } => self.for_host(render(d), *explain_conversation && !learnt.archived),
            _ => render(d),
        };
        let sent = deliver::deliver(&place, self.conversation(), &decide, &word).await?;
        Ok(self.row_of(sent))
    }

    /// `message` (already worded for the host) in the host's DM.
    async fn dm(&self, message: Message) -> Result<NoticeRow, JobError> {
        let sent = deliver::dm(
            self.slack(),
            &self.host,
            &message,
            DmRefused::DroppedUnlessAppAuth,
        )
        .await?;
        Ok(self.row_of(sent))
    }

    /// How a sent notice is recorded. Only a DM to the Zoom host may ever
    /// show the passcode, and the row says which kind this was for later
    /// edits.
    fn row_of(&self, sent: Sent) -> NoticeRow {
        match sent {
            Sent::Thread { channel, ts } => {
                row(NoticeDelivery::Thread, Some(&channel), ts.as_deref())
            }
            Sent::Channel { channel, ts } => {
                row(NoticeDelivery::Channel, Some(&channel), ts.as_deref())
            }
            Sent::ResponseUrl => row(NoticeDelivery::ResponseUrl, None, None),
            Sent::Dm { channel, ts } => row(
                if self.host_is_zoom_host {
                    NoticeDelivery::ZoomHostDm
                } else {
                    NoticeDelivery::HostDm
                },
                channel.as_deref().or(Some(&self.host)),
                ts.as_deref(),
            ),
            Sent::Nowhere => row(NoticeDelivery::Nowhere, None, None),
            Sent::Undelivered => row(NoticeDelivery::Undelivered, None, None),
        }
    }

    async fn record(&self, kind: RecordedNotice, notice: &NoticeRow) -> JobResult {
        metrics::counter!(
            "zlack_meeting_notices_total",
            "kind" => kind.as_str(),
            "delivery" => notice.delivery.as_str()
        )
        .increment(1);
        self.svc
            .store
            .record_notice(self.occurrence.id, kind, notice, self.svc.clock.now_ms())
            .await?;
        Ok(())
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

    async fn end_summary(mut self, attempt: i64) -> JobResult {
        let Some((start, end)) = self.state.ended() else {
            return Err(JobError::permanent(
                "end summary asked for before the meeting ended",
            ));
        };
        if let Some(token) = self.zoom_token().await {
            let uuid = &self.occurrence.zoom_uuid;
            match self.svc.zoom.past_participants(&token, uuid).await {
                Ok(list) => self.state.reconcile(list),
                Err(e) if attempt < ZOOM_ATTEMPTS && retry_zoom(&e) => {
                    return Err(JobError::Transient(format!("zoom participants: {e}")));
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
        let notice = self
            .send(NoticeKind::EndSummary, &|_| message.clone())
            .await?;
        self.record(RecordedNotice::EndSummary, &notice).await
    }

    fn recording_message(&self, with_passcode: bool) -> Option<Message> {
        let recording = self.state.recording()?;
        Some(self.recording_message_of(recording, with_passcode))
    }

    fn recording_message_of(
        &self,
        recording: &zlack_domain::meeting::Recording,
        with_passcode: bool,
    ) -> Message {
        let with_passcode = with_passcode && self.host_is_zoom_host;
        let passcode = recording.passcode.as_deref().filter(|_| with_passcode);
        // Zoom can embed the passcode in the link itself.
        let share_url = if with_passcode {
            recording.share_url.clone()
        } else {
            without_passcode(&recording.share_url)
        };
        render::recording_notice(
            &self.svc.texts,
            self.lang,
            &RecordingNotice {
                topic: self.topic(),
                share_url: &share_url,
                parts: &recording.parts,
                passcode,
            },
        )
    }

    async fn recording(self) -> JobResult {
        let Some(recording) = self.state.recording() else {
            return Err(JobError::permanent("recording notice without a recording"));
        };
        let id = self.occurrence.id;
        let posted = match self.svc.store.notice(id, RecordedNotice::Recording).await? {
            Some(posted) => posted,
            None => {
                let render =
                    |d: &Delivery| self.recording_message_of(recording, d.shows_passcode());
                let posted = self.send(NoticeKind::Recording, &render).await?;
                self.record(RecordedNotice::Recording, &posted).await?;
                posted
            }
        };
        // The passcode never goes to a conversation: the host gets it alone.
        if !self.passcode_dm_due(&posted) {
            return Ok(());
        }
        if self
            .svc
            .store
            .notice(id, RecordedNotice::RecordingPasscode)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let Some(inner) = self.recording_message(true) else {
            return Ok(());
        };
        let notice = self.dm(self.for_host(inner, false)).await?;
        self.record(RecordedNotice::RecordingPasscode, &notice)
            .await
    }

    /// A later `recording.completed` added parts: edit the notices whose
    /// `ts` is known; a notice that went through the `response_url` stays.
    async fn update_recording(self) -> JobResult {
        let id = self.occurrence.id;
        // The notices still on their way may have been worded before this
        // change: edit them once they are out.
        let pending = || Err(JobError::transient("the recording notices are not out yet"));
        match self.svc.store.notice(id, RecordedNotice::Recording).await? {
            None => return pending(),
            Some(posted) if self.passcode_dm_due(&posted) => {
                if self
                    .svc
                    .store
                    .notice(id, RecordedNotice::RecordingPasscode)
                    .await?
                    .is_none()
                {
                    return pending();
                }
            }
            Some(_) => {}
        }
        for kind in [RecordedNotice::Recording, RecordedNotice::RecordingPasscode] {
            let Some(notice) = self.svc.store.notice(id, kind).await? else {
                continue;
            };
            let (Some(channel), Some(ts)) = (&notice.channel_id, &notice.message_ts) else {
                continue;
            };
            let for_host = kind == RecordedNotice::RecordingPasscode
                || matches!(
                    notice.delivery,
                    NoticeDelivery::HostDm | NoticeDelivery::ZoomHostDm
                );
            let passcode = kind == RecordedNotice::RecordingPasscode
                || notice.delivery == NoticeDelivery::ZoomHostDm;
            let Some(inner) = self.recording_message(passcode) else {
                return Ok(());
            };
            let message = if for_host {
                self.for_host(inner, false)
            } else {
                inner
            };
            self.slack()
                .update(channel, ts, &message)
                .await
                .unless_refused("the recording notice could not be edited; leaving it")?;
        }
        Ok(())
    }

    /// Whether the host is owed a DM with the passcode of a recording whose
    /// notice went out as `posted`: it went to a conversation, and the host
    /// is the Zoom host.
    fn passcode_dm_due(&self, posted: &NoticeRow) -> bool {
        let in_conversation = !matches!(
            posted.delivery,
            NoticeDelivery::HostDm
                | NoticeDelivery::ZoomHostDm
                | NoticeDelivery::Nowhere
                | NoticeDelivery::Undelivered
        );
        let has_passcode = self.state.recording().is_some_and(|r| r.passcode.is_some());
        in_conversation && has_passcode && self.host_is_zoom_host
    }

    async fn ai_summary(self, attempt: i64) -> JobResult {
        let Some(summary) = self.state.ai_summary().cloned() else {
            return Err(JobError::permanent("AI summary notice without a summary"));
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
                    return Err(JobError::Transient(format!("zoom summary: {e}")));
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
        let notice = self
            .send(NoticeKind::AiSummary, &|_| message.clone())
            .await?;
        self.record(RecordedNotice::AiSummary, &notice).await
    }
}

fn retry_zoom(error: &ZoomError) -> bool {
    matches!(error, ZoomError::RateLimited { daily: false, .. }) || error.is_retryable()
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

fn row(delivery: NoticeDelivery, channel_id: Option<&str>, message_ts: Option<&str>) -> NoticeRow {
    NoticeRow {
        delivery,
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
