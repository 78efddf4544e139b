//! Slack's Call button ("Start a call with Zoom"), for workspaces where
//! Slack lists zlack as the calling app (Slack offers that only to its
//! partner apps; everyone else starts the same native Call with `/zoom`).
//!
//! Slack posts a request like a slash command's, with `type` (`video` or
//! `audio`) and no `command`, and opens the Call only if told where within
//! 3 seconds: a video call becomes a new instant meeting (the personal one
//! when Zoom is slow), answered with `response_type: "call"`, then a Slack
//! Call and the channel's card as for `/zoom`. An audio call to a number
//! is answered with the call page that dials it with Zoom Phone.

use serde_json::json;
use zlack_domain::command::Command;
use zlack_domain::phone::PhoneNumber;
use zlack_domain::render::{self, ResponseType};

use super::{CommandRequest, meeting, phone, settings};
use crate::job::JobResult;
use crate::services::Services;

/// Carries out a Call button press.
pub async fn run(
    svc: &Services,
    req: &CommandRequest,
    call_type: &str,
    phone_number: Option<&str>,
    attempt: i64,
) -> JobResult {
    let Some((_, reply)) = super::installed(svc, req).await? else {
        return Ok(());
    };
    let lang = super::language(svc, &req.team_id, &req.user_id, reply.bot()).await;
    if call_type == "audio"
        && let Some(raw) = phone_number.map(str::trim).filter(|n| !n.is_empty())
    {
        // Slack sends E.164, sometimes without its `+`.
        let e164ish = if raw.bytes().all(|b| b.is_ascii_digit()) && raw.len() > 6 {
            format!("+{raw}")
        } else {
            raw.to_owned()
        };
        let answer = match PhoneNumber::parse(&e164ish, None) {
            Ok(number) => {
                let url = phone::link::signed_url(svc, &number, phone::link::PROMPT_TTL_SECS);
                reply
                    .respond(&json!({"response_type": "audio", "call_initiation_url": url}))
                    .await
            }
            Err(_) => {
                let refusal = render::CallRefusal::InvalidNumber {
                    typed: raw.to_owned(),
                };
                reply
                    .via_response_url(
                        &render::call_refusal(&svc.texts, lang, &refusal),
                        ResponseType::Ephemeral,
                    )
                    .await
            }
        };
        answer?;
        return Ok(());
    }
    let Some(link) = super::zoom_link_for(svc, req, &reply, lang).await? else {
        return Ok(());
    };
    let user_settings = settings::load(svc, &req.team_id, &req.user_id).await;
    let ctx = meeting::Ctx {
        svc,
        req,
        reply: &reply,
        lang,
        settings: &user_settings,
        link: &link,
        attempt,
        call_button: true,
    };
    meeting::run(&ctx, Command::Start { topic: None }).await
}
