//! Unfurling Zoom links pasted in Slack (`link_shared` → `chat.unfurl`),
//! showing nothing the person who pasted the link may not see at Zoom.
//!
//! - Whiteboards are read with the sharer's Zoom token. Without a link to
//!   Zoom, the unfurl only offers to connect (its button gives whoever
//!   presses it their own authorize prompt); a board Zoom refuses (403,
//!   404) or deleted shows as a bare "Zoom Whiteboard".
//! - Meetings (`/j/…`) unfurl when the sharer may read them at Zoom.
//! - Recordings (`/rec/…`) unfurl when they belong to a meeting zlack
//!   announced in this workspace and the sharer is its Zoom host; never
//!   with the passcode.
//!
//! An unfurl is shown to everyone in the conversation. As in Zoom's own
//! Slack app, a board the sharer may read shows its name, owner, last
//! change and preview wherever the sharer pasted it, public channels
//! included; a workspace admin may keep those details to private
//! conversations (the composer, DMs, group DMs, private channels no other
//! organization shares) or show them nowhere
//! ([`zlack_domain::whiteboard::WhiteboardDetail`]). Where the board's share
//! link opens for fewer people than read the conversation, the unfurl says
//! who can open it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};
use zlack_domain::i18n::Lang;
use zlack_domain::links::{self, ZoomLink};
use zlack_domain::meeting::{MeetingState, Timestamp};
use zlack_domain::render::{self, MeetingStatus, ResponseType, WhiteboardView};
use zlack_domain::whiteboard::{Audience, LinkAccess, WhiteboardDetail, access_note};

use super::credentials::{self, CredError};
use crate::config::Secret;
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::slack::api::Refused;
use crate::slack::team::TeamSlack;
use crate::store::{LinkStatus, ZoomLink as Link};
use crate::zoom::error::ZoomError;
use zlack_domain::ids::TeamId;

/// Links unfurled from one message at most.
const LINKS_MAX: usize = 10;
/// Attempts at Zoom before a link is shown without what Zoom would say.
const ZOOM_ATTEMPTS: i64 = 3;

#[derive(Debug, Deserialize)]
struct Envelope {
    team_id: String,
    #[serde(default)]
    enterprise_id: Option<String>,
    event: LinkShared,
}

#[derive(Debug, Deserialize)]
struct LinkShared {
    user: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    message_ts: Option<String>,
    #[serde(default)]
    unfurl_id: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    links: Vec<SharedLink>,
}

#[derive(Debug, Deserialize)]
struct SharedLink {
    url: String,
}

/// Answers a stored `link_shared` event with one `chat.unfurl`.
pub async fn on_link_shared(svc: &Services, body: &[u8], attempt: i64) -> JobResult {
    let Ok(envelope) = serde_json::from_slice::<Envelope>(body) else {
        return Err(JobError::Permanent(
            "stored link_shared event no longer parses".into(),
        ));
    };
    let event = &envelope.event;
    let mut wanted: Vec<(String, ZoomLink)> = Vec::new();
    for link in &event.links {
        if let Some(kind) = links::classify(&link.url)
            && !wanted.iter().any(|(url, _)| *url == link.url)
        {
            wanted.push((link.url.clone(), kind));
        }
    }
    wanted.truncate(LINKS_MAX);
    if wanted.is_empty() {
        return Ok(());
    }
    let team = envelope.team_id.as_str();
    let (install, bot) =
        match credentials::slack_bot(svc, team, envelope.enterprise_id.as_deref()).await {
            Ok(found) => found,
            Err(CredError::NotInstalled) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
    let lang = super::language(svc, &team.into(), &event.user.as_str().into(), Some(&bot)).await;
    let link = match svc
        .store
        .zoom_link(&team.into(), &event.user.as_str().into())
        .await
    {
        Ok(link) => link.filter(|l| l.status == LinkStatus::Ok),
        Err(e) => return Err(e.into()),
    };
    // In the account modes nobody connects Zoom by hand: the sharer is found
    // by email, or the link unfurls plainly.
    let account_mode = svc.config.zoom.mode != crate::config::ZoomMode::Personal;
    let link = match link {
        None if account_mode => super::mapping::link_by_email(svc, &team.into(), &event.user, &bot)
            .await
            .ok(),
        link => link,
    };
    let team_id = TeamId::from(team);
    let slack = svc.slack.team(&team_id, &bot);
    let audience = audience(slack, event).await;
    let detail = super::settings::whiteboard_detail(svc, &install.team_id).await?;
    let sharer = Sharer {
        svc,
        team,
        lang,
        link,
        attempt,
        audience,
        detail,
    };
    let mut unfurls = BTreeMap::new();
    for (url, kind) in &wanted {
        match sharer.unfurl(url, kind).await {
            Ok(Some(entry)) => {
                unfurls.insert(url.clone(), entry);
            }
            Ok(None) => {}
            Err(e) => return Err(e),
        }
    }
    if unfurls.is_empty() {
        return Ok(());
    }
    send(slack, event, unfurls).await
}

/// `chat.unfurl` for the composer (by `unfurl_id` and `source`) or for a
/// posted message (by `channel` and `ts`), with every link at once.
async fn send(
    slack: TeamSlack<'_>,
    event: &LinkShared,
    mut unfurls: BTreeMap<String, Value>,
) -> JobResult {
    let mut target: Vec<(&str, &str)> = Vec::new();
    let composer = event.source.as_deref() == Some("composer");
    // A posted message by its channel and ts; the composer (whose
    // "channel" is not one) by `unfurl_id` and `source`.
    match (
        &event.unfurl_id,
        &event.source,
        &event.channel,
        &event.message_ts,
    ) {
        (_, _, Some(channel), Some(ts)) if !composer && channel != "COMPOSER" => {
            target.extend([("channel", channel.as_str()), ("ts", ts.as_str())]);
        }
        (Some(unfurl_id), Some(source), _, _) => {
            target.extend([
                ("unfurl_id", unfurl_id.as_str()),
                ("source", source.as_str()),
            ]);
        }
        _ => return Err(JobError::Permanent("link_shared names no message".into())),
    }
    if !composer {
        // `preview` is for the composer only.
        for entry in unfurls.values_mut() {
            if let Some(map) = entry.as_object_mut() {
                map.remove("preview");
            }
        }
    }
    let unfurls: Map<String, Value> = unfurls.into_iter().collect();
    slack
        .unfurl(&target, &unfurls)
        .await
        .unless_refused("Slack refused the unfurl")?;
    Ok(())
}

struct Sharer<'a> {
    svc: &'a Services,
    team: &'a str,
    lang: Lang,
    link: Option<Link>,
    attempt: i64,
    /// Who sees the unfurl.
    audience: Audience,
    /// Where the workspace lets whiteboard details show.
    detail: WhiteboardDetail,
}

/// Who sees the unfurl: the sharer alone in the composer; a closed group
/// in a DM, a group DM or a private channel no other organization shares;
/// everyone in a public channel; another organization too in a shared one.
/// Unknown when Slack does not tell.
async fn audience(slack: TeamSlack<'_>, event: &LinkShared) -> Audience {
    if event.source.as_deref() == Some("composer") {
        return Audience::Sharer;
    }
    let Some(channel) = event.channel.as_deref().filter(|c| *c != "COMPOSER") else {
        return Audience::Unknown;
    };
    if channel.starts_with('D') {
        return Audience::Closed;
    }
    match slack.conversations_info(channel).await {
        Ok(c) => {
            let closed = c.is_im || c.is_mpim || c.is_private;
            let shared = c.is_ext_shared || c.is_shared || c.is_pending_ext_shared;
            match (shared, closed) {
                (true, _) => Audience::External,
                (false, true) => Audience::Closed,
                (false, false) => Audience::Wide,
            }
        }
        Err(_) => Audience::Unknown,
    }
}

impl Sharer<'_> {
    async fn unfurl(&self, url: &str, kind: &ZoomLink) -> Result<Option<Value>, JobError> {
        let t = &self.svc.texts;
        match kind {
            ZoomLink::Whiteboard { whiteboard_id } => {
                if self.svc.store.whiteboard_deleted(whiteboard_id).await? {
                    return Ok(Some(render::whiteboard_neutral(t, self.lang)));
                }
                // The account's token could read boards the sharer may not:
                // in the account modes a board unfurls plainly.
                if self.svc.config.zoom.mode != crate::config::ZoomMode::Personal {
                    return Ok(Some(render::whiteboard_neutral(t, self.lang)));
                }
                if !self.detail.shows_to(self.audience) {
                    return Ok(Some(render::whiteboard_neutral(t, self.lang)));
                }
                let Some(link) = &self.link else {
                    return Ok(Some(render::whiteboard_connect(t, self.lang)));
                };
                self.whiteboard(link, url, whiteboard_id).await.map(Some)
            }
            ZoomLink::Meeting { meeting_id } => match &self.link {
                Some(link) => self.meeting(link, url, *meeting_id).await,
                None => Ok(None),
            },
            ZoomLink::Recording { share_url } => self.recording(share_url).await,
        }
    }

    /// Calls Zoom with the sharer's token, refreshing it once if refused.
    async fn with_token<T, F, Fut>(&self, link: &Link, call: F) -> Result<T, ZoomError>
    where
        F: Fn(Secret) -> Fut,
        Fut: std::future::Future<Output = Result<T, ZoomError>>,
    {
        let token = credentials::zoom_token(self.svc, link, None)
            .await
            .map_err(cred_error)?;
        match call(token.clone()).await {
            Err(ZoomError::Unauthorized) => {
                let fresh = credentials::zoom_token(self.svc, link, Some(&token))
                    .await
                    .map_err(cred_error)?;
                call(fresh).await
            }
            other => other,
        }
    }

    /// What to do when Zoom could not answer: try again a few times, then
    /// show what is safe without it.
    fn zoom_failed(&self, error: &ZoomError) -> Option<JobError> {
        let passing =
            matches!(error, ZoomError::RateLimited { daily: false, .. }) || error.is_retryable();
        (passing && self.attempt < ZOOM_ATTEMPTS)
            .then(|| JobError::Transient(format!("zoom: {error}")))
    }

    async fn whiteboard(&self, link: &Link, url: &str, id: &str) -> Result<Value, JobError> {
        let t = &self.svc.texts;
        let zoom = &self.svc.zoom;
        let info = match self
            .with_token(
                link,
                |token| async move { zoom.whiteboard(&token, id).await },
            )
            .await
        {
            Ok(info) => info,
            Err(e) => {
                if let Some(outcome) = self.zoom_failed(&e) {
                    return Err(outcome);
                }
                // No access, gone, whiteboards off for the account: nothing
                // about the board is shown.
                tracing::debug!(error = %e, "whiteboard not readable by the sharer");
                return Ok(render::whiteboard_neutral(t, self.lang));
            }
        };
        let modified_at = info
            .modified_at
            .as_deref()
            .and_then(|s| s.parse::<Timestamp>().ok());
        let preview = info
            .preview_link
            .as_ref()
            .map(|_| super::preview::signed_url(self.svc, self.team, &link.slack_user_id, id));
        let open_url = info
            .share_link
            .as_deref()
            .filter(|l| links::classify(l).is_some())
            .unwrap_or(url);
        Ok(render::whiteboard_unfurl(
            t,
            self.lang,
            &WhiteboardView {
                name: &info.name,
                owner: info.created_by_display_name.as_deref(),
                modified_by: info.modified_by_display_name.as_deref(),
                modified_at,
                preview_url: preview.as_deref(),
                open_url,
                access: access_note(
                    info.share_link_setting
                        .as_ref()
                        .and_then(|s| s.share_scope)
                        .and_then(LinkAccess::from_share_scope),
                    self.audience,
                ),
            },
        ))
    }

    async fn meeting(&self, link: &Link, url: &str, id: u64) -> Result<Option<Value>, JobError> {
        let zoom = &self.svc.zoom;
        let account_mode = self.svc.config.zoom.mode != crate::config::ZoomMode::Personal;
        let info = match self
            .with_token(link, |token| async move { zoom.meeting(&token, id).await })
            .await
        {
            Ok(info) => info,
            Err(e) => {
                if let Some(outcome) = self.zoom_failed(&e) {
                    return Err(outcome);
                }
                return Ok(None);
            }
        };
        // With the account's token only the host's own meetings unfurl.
        if account_mode && info.host_id.as_deref() != Some(link.zoom_user_id.as_str()) {
            return Ok(None);
        }
        let start = info
            .start_time
            .as_deref()
            .and_then(|s| s.parse::<Timestamp>().ok());
        let status = match info.status.as_deref() {
            Some("started") => MeetingStatus::Live,
            Some("finished" | "ended") => MeetingStatus::Ended,
            _ if matches!(info.kind, 2 | 8) => MeetingStatus::Scheduled(start),
            _ => MeetingStatus::Scheduled(None),
        };
        Ok(Some(render::meeting_unfurl(
            &self.svc.texts,
            self.lang,
            &info.topic,
            status,
            url,
        )))
    }

    async fn recording(&self, share_url: &str) -> Result<Option<Value>, JobError> {
        let Some(link) = &self.link else {
            return Ok(None);
        };
        let key = crate::store::recording_key(share_url);
        let Some(id) = self
            .svc
            .store
            .occurrence_by_recording(&self.team.into(), &key)
            .await?
        else {
            return Ok(None);
        };
        let Some(occurrence) = self.svc.store.occurrence(id).await? else {
            return Ok(None);
        };
        // Only the meeting's Zoom host sees their recording unfurled.
        if occurrence.zoom_host_id.as_deref() != Some(link.zoom_user_id.as_str()) {
            return Ok(None);
        }
        let state: MeetingState = occurrence
            .state
            .as_deref()
            .and_then(|json| serde_json::from_slice(json).ok())
            .unwrap_or_default();
        let Some(recording) = state.recording() else {
            return Ok(None);
        };
        let recorded: i64 = recording
            .parts
            .iter()
            .map(|p| (p.end.as_second() - p.start.as_second()).max(0))
            .max()
            .unwrap_or_default();
        let duration = state.duration_secs().unwrap_or(recorded);
        Ok(Some(render::recording_unfurl(
            &self.svc.texts,
            self.lang,
            occurrence.meeting.topic.as_deref().unwrap_or_default(),
            duration,
            share_url,
        )))
    }
}

/// A credential problem as Zoom would have put it: an authorization that
/// is gone, or a passing failure worth another try.
fn cred_error(error: CredError) -> ZoomError {
    match error {
        CredError::NotInstalled | CredError::NotLinked | CredError::Broken => {
            ZoomError::Unauthorized
        }
        CredError::RateLimited(wait) => ZoomError::RateLimited {
            retry_after: wait,
            daily: false,
        },
        CredError::Unavailable(why) => ZoomError::Transient(why),
    }
}

/// Handles "Connect Zoom to preview" on an unfurl: whoever pressed it gets
/// their own one-time authorize prompt, seen only by them.
pub async fn on_connect_pressed(svc: &Services, payload: &Value) -> JobResult {
    let team = payload["team"]["id"]
        .as_str()
        .or(payload["user"]["team_id"].as_str());
    let user = payload["user"]["id"].as_str();
    let channel = payload["channel"]["id"]
        .as_str()
        .or(payload["container"]["channel_id"].as_str());
    let (Some(team), Some(user), Some(channel)) = (team, user, channel) else {
        return Ok(());
    };
    let enterprise = payload["team"]["enterprise_id"]
        .as_str()
        .or(payload["enterprise"]["id"].as_str());
    let bot = match credentials::slack_bot(svc, team, enterprise).await {
        Ok((_, bot)) => bot,
        Err(CredError::NotInstalled) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let lang = super::language(svc, &team.into(), &user.into(), Some(&bot)).await;
    let prompt = super::connect::Prompt {
        team_id: team.into(),
        enterprise_id: enterprise.map(TeamId::from),
        slack_user_id: user.into(),
        command: None,
    };
    let url = super::connect::prompt_url(svc, &prompt, super::connect::PROMPT_TTL_MS).await?;
    let message = render::authorize_prompt(&svc.texts, lang, &url);
    let team_id = TeamId::from(team);
    let slack = svc.slack.team(&team_id, &bot);
    // The press's own response_url reaches the presser in any channel.
    if let Some(response_url) = payload["response_url"].as_str() {
        let reply = message.for_response_url(ResponseType::Ephemeral, Some(false));
        match slack.respond(&Secret::new(response_url), &reply).await {
            Ok(()) => return Ok(()),
            Err(e) if e.is_refusal() => {
                tracing::info!(code = e.code(), "the response_url refused the prompt");
            }
            Err(e) => return Err(e.into()),
        }
    }
    match slack.post_ephemeral(channel, user, &message).await {
        Ok(()) => Ok(()),
        Err(e) if e.is_refusal() => {
            tracing::info!(
                code = e.code(),
                "could not show the authorize prompt; sending it by DM"
            );
            super::deliver::dm(
                slack,
                user,
                &message,
                crate::flows::deliver::DmRefused::Dropped,
            )
            .await?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
