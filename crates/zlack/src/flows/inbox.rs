//! Every inbound request, once stored, takes this path: its body is parsed
//! once into an [`Inbound`] and routed from one table ([`route`]) to the
//! flow that carries it out. A second transport (Slack Socket Mode, Zoom's
//! WebSocket events) stores its requests the same way and lands here.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::flows::{self, CommandRequest};
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::slack::inbound::{InteractionForm, SlashCommand};
use crate::store::{InboxItem, Store};
use zlack_domain::ids::InboxId;

/// What a stored request asks of zlack.
pub enum Inbound {
    /// `/zoom …`.
    Command(CommandRequest),
    /// Slack's Call button: a video call, or an audio call to a number.
    CallButton {
        request: CommandRequest,
        call_type: String,
        phone_number: Option<String>,
    },
    /// "Connect Zoom" pressed on an unfurl.
    ConnectPressed(Value),
    /// Any other button press: the settings card's.
    SettingsPressed(Value),
    /// A modal was submitted (its input already checked when it arrived,
    /// see [`crate::slack::views::answer`]); carried out by `callback_id`.
    ViewSubmission { callback_id: String, payload: Value },
    /// A user opened the app's Home tab (`app_home_opened`, tab `home`).
    AppHomeOpened,
    /// A button of the Home tab.
    HomePressed(Value),
    /// A Zoom link was shared in Slack.
    LinkShared,
    /// Slack's `app_uninstalled` or `tokens_revoked`.
    SlackRevoked,
    /// Zoom's `app_deauthorized`.
    ZoomDeauthorized,
    /// A Zoom Whiteboard event.
    Whiteboard,
    /// A Zoom Phone event.
    Phone,
    /// Zoom's `user.presence_status_updated`, for status sync.
    Presence,
    /// A Zoom meeting or recording event.
    Meeting,
    /// Zoom's `meeting.updated` or `meeting.deleted`: a scheduled
    /// meeting moved or went away.
    MeetingChanged,
    /// Nothing zlack acts on.
    Ignored,
}

impl Inbound {
    /// Parses a stored request by its source and kind. A body that no
    /// longer parses is an error: it can never be carried out.
    pub fn parse(item: &InboxItem) -> Result<Self, JobError> {
        let kind = item.kind.as_str();
        Ok(match item.source.as_str() {
            "zoom.webhook" if kind.starts_with("whiteboard.") => Self::Whiteboard,
            "zoom.webhook" if kind == "app_deauthorized" => Self::ZoomDeauthorized,
            "zoom.webhook" if kind.starts_with("phone.") => Self::Phone,
            "zoom.webhook" if crate::flows::schedule::SCHEDULE_EVENTS.contains(&kind) => {
                Self::MeetingChanged
            }
            "zoom.webhook" if kind == "user.presence_status_updated" => Self::Presence,
            "zoom.webhook" => Self::Meeting,
            // What reconciliation learned from Zoom's API, shaped as the
            // meeting webhook it stands for.
            crate::flows::reconcile::SOURCE => Self::Meeting,
            "slack.command" => command(item)?,
            "slack.interaction" => interaction(item)?,
            "slack.event" => match kind {
                "link_shared" => Self::LinkShared,
                "app_home_opened" => Self::AppHomeOpened,
                "app_uninstalled" | "tokens_revoked" => Self::SlackRevoked,
                _ => Self::Ignored,
            },
            _ => Self::Ignored,
        })
    }
}

/// A command Slack sends under another name than `ZLACK_SLASH_COMMAND`
/// (the operator renamed it, but the Slack app still has the old one, or
/// the app has both) is answered all the same: a user who typed it gets
/// their meeting, with texts that name the configured command. The operator
/// hears of it once per process in the log, so the log is not flooded, and
/// every time in `zlack_slack_commands_renamed_total`, so it can be
/// watched until the Slack app is updated.
fn warn_of_other_command(configured: &str, received: &str) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !is_other_command(configured, received) {
        return;
    }
    metrics::counter!("zlack_slack_commands_renamed_total").increment(1);
    if !WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            configured,
            received,
            "Slack sent a slash command other than ZLACK_SLASH_COMMAND; answering it anyway \
             (update the Slack app with `zlack manifest`, or set ZLACK_SLASH_COMMAND to it)"
        );
    }
}

/// Whether stored command `kind` (the command word Slack sent) differs from
/// the configured command.
fn is_other_command(configured: &str, kind: &str) -> bool {
    kind.starts_with('/') && kind != configured
}

fn command(item: &InboxItem) -> Result<Inbound, JobError> {
    let form = serde_urlencoded::from_bytes::<SlashCommand>(&item.body)
        .map_err(|_| JobError::permanent("stored slash command no longer parses"))?;
    let call_button = form.command.is_none();
    let call_type = form.call_type.clone().unwrap_or_else(|| "video".into());
    let phone_number = form.phone_number.clone();
    let request = CommandRequest {
        request_key: item.dedupe_key.clone(),
        team_id: form.team_id.into(),
        enterprise_id: form.enterprise_id.map(Into::into),
        channel_id: form.channel_id.into(),
        channel_name: form.channel_name,
        user_id: form.user_id.into(),
        text: form.text,
        response_url: form.response_url,
        received_at: item.received_at,
        trigger_id: form.trigger_id.filter(|t| !t.is_empty()),
    };
    Ok(if call_button {
        Inbound::CallButton {
            request,
            call_type,
            phone_number,
        }
    } else {
        Inbound::Command(request)
    })
}

fn interaction(item: &InboxItem) -> Result<Inbound, JobError> {
    let form = serde_urlencoded::from_bytes::<InteractionForm>(&item.body)
        .map_err(|_| JobError::permanent("stored interaction no longer parses"))?;
    let payload = serde_json::from_str::<Value>(&form.payload)
        .map_err(|_| JobError::permanent("stored interaction payload no longer parses"))?;
    Ok(match payload["type"].as_str() {
        Some("block_actions")
            if payload["actions"][0]["action_id"]
                == zlack_domain::render::unfurl_action::CONNECT =>
        {
            Inbound::ConnectPressed(payload)
        }
        Some("block_actions")
            if payload["view"]["type"] == "home"
                || payload["actions"][0]["action_id"]
                    .as_str()
                    .is_some_and(|a| a.starts_with(zlack_domain::render::home::ACTION_PREFIX)) =>
        {
            Inbound::HomePressed(payload)
        }
        Some("block_actions") => Inbound::SettingsPressed(payload),
        Some("view_submission") => Inbound::ViewSubmission {
            callback_id: payload["view"]["callback_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            payload,
        },
        _ => Inbound::Ignored,
    })
}

/// Carries out the stored request `inbox_id`, once.
pub async fn process(svc: &Services, inbox_id: InboxId, attempt: i64) -> JobResult {
    let Some(item) = svc.store.inbox_item(inbox_id).await? else {
        return Err(JobError::permanent(format!("inbox row {inbox_id} is gone")));
    };
    if item.processed_at.is_some() {
        return Ok(());
    }
    route(svc, &item, Inbound::parse(&item)?, attempt).await
}

/// The one routing table. Flows that change stored state mark the request
/// processed in their own transaction; for the others it is marked here,
/// once they succeeded.
async fn route(svc: &Services, item: &InboxItem, inbound: Inbound, attempt: i64) -> JobResult {
    match inbound {
        Inbound::Whiteboard => return flows::whiteboard::on_webhook(svc, item).await,
        Inbound::ZoomDeauthorized => {
            return flows::uninstall::on_zoom_deauthorized(svc, item).await;
        }
        Inbound::Phone => return flows::phone::on_webhook(svc, item).await,
        Inbound::Presence => return flows::status::on_presence(svc, item).await,
        Inbound::Meeting => return flows::lifecycle::on_webhook(svc, item).await,
        Inbound::MeetingChanged => return flows::schedule::on_zoom_change(svc, item).await,
        Inbound::SlackRevoked => return flows::uninstall::on_slack_event(svc, item).await,
        Inbound::Command(request) => {
            warn_of_other_command(svc.config.slash_command.as_str(), &item.kind);
            flows::run_command(svc, &request, attempt).await?;
        }
        Inbound::CallButton {
            request,
            call_type,
            phone_number,
        } => {
            flows::run_call_button(svc, &request, &call_type, phone_number.as_deref(), attempt)
                .await?
        }
        Inbound::ConnectPressed(payload) => {
            flows::unfurl::on_connect_pressed(svc, &payload).await?
        }
        Inbound::SettingsPressed(payload) => flows::settings::on_interaction(svc, &payload).await?,
        Inbound::LinkShared => flows::unfurl::on_link_shared(svc, &item.body, attempt).await?,
        Inbound::AppHomeOpened => flows::home::on_app_home_opened(svc, &item.body).await?,
        Inbound::HomePressed(payload) => flows::home::on_pressed(svc, &payload).await?,
        Inbound::ViewSubmission {
            callback_id,
            payload,
        } => match callback_id.as_str() {
            crate::slack::views::SETTINGS => {
                flows::settings::on_submission(svc, &payload).await?;
            }
            crate::slack::views::SCHEDULE => {
                flows::schedule::on_submission(svc, item, &payload, attempt).await?;
            }
            _ => tracing::debug!(%callback_id, "a view submission zlack does not know; ignored"),
        },
        Inbound::Ignored => {}
    }
    tracing::debug!(inbox = item.id.get(), source = %item.source, kind = %item.kind, "inbox item processed");
    let now = svc.clock.now_ms();
    let mut tx = svc.store.begin().await?;
    Store::mark_processed(&mut tx, item.id, now).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_other_command;

    #[test]
    fn only_a_command_other_than_the_configured_one_is_other() {
        assert!(!is_other_command("/meet", "/meet"));
        assert!(is_other_command("/meet", "/zoom"));
        assert!(is_other_command("/zoom", "/meet"));
        // The Call button has no command word.
        assert!(!is_other_command("/meet", "call:video"));
        assert!(!is_other_command("/meet", "unknown"));
    }
}
