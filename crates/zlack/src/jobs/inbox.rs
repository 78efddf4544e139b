//! Processing a stored inbound request: decide what it means, then mark it
//! processed and queue its effects in one transaction.

use serde_json::Value;

use super::{JobContext, Outcome};
use crate::flows::{self, CommandRequest};
use crate::slack::inbound::{InteractionForm, SlashCommand};
use crate::store::{InboxItem, NewJob, Store};

pub async fn process(ctx: &JobContext, payload: &Value, attempt: i64) -> Outcome {
    let Some(id) = payload.get("inbox_id").and_then(Value::as_i64) else {
        return Outcome::Fail("inbox job without inbox_id".into());
    };
    let item = match ctx.store.inbox_item(id).await {
        Ok(Some(item)) => item,
        Ok(None) => return Outcome::Fail(format!("inbox row {id} is gone")),
        Err(error) => return Outcome::Retry(error.to_string()),
    };
    if item.processed_at.is_some() {
        return Outcome::Done;
    }
    if item.source == "zoom.webhook" {
        if item.kind.starts_with("whiteboard.") {
            return flows::whiteboard::on_webhook(ctx, &item).await;
        }
        if item.kind == "app_deauthorized" {
            return flows::uninstall::on_zoom_deauthorized(ctx, &item).await;
        }
        if item.kind.starts_with("phone.") {
            return flows::phone::on_webhook(ctx, &item).await;
        }
        return flows::lifecycle::on_webhook(ctx, &item).await;
    }
    let outcome = match item.source.as_str() {
        "slack.command" => command(ctx, &item, attempt).await,
        "slack.interaction" => interaction(ctx, &item).await,
        "slack.event" => match item.kind.as_str() {
            "link_shared" => flows::unfurl::on_link_shared(ctx, &item.body, attempt).await,
            "app_uninstalled" | "tokens_revoked" => {
                flows::uninstall::on_slack_event(ctx, &item).await
            }
            _ => Outcome::Done,
        },
        _ => Outcome::Done,
    };
    if outcome != Outcome::Done {
        return outcome;
    }
    let effects: Vec<NewJob> = Vec::new();
    tracing::debug!(inbox = id, source = %item.source, kind = %item.kind, "inbox item processed");
    let now = ctx.clock.now_ms();
    let result = async {
        let mut tx = ctx.store.begin().await?;
        ctx.store.enqueue(&mut tx, &effects, now).await?;
        Store::mark_processed(&mut tx, id, now).await?;
        tx.commit().await
    }
    .await;
    match result {
        Ok(()) => Outcome::Done,
        Err(error) => Outcome::Retry(error.to_string()),
    }
}

async fn command(ctx: &JobContext, item: &InboxItem, attempt: i64) -> Outcome {
    let Ok(form) = serde_urlencoded::from_bytes::<SlashCommand>(&item.body) else {
        return Outcome::Fail("stored slash command no longer parses".into());
    };
    let call_button = form.command.is_none();
    let call_type = form.call_type.clone().unwrap_or_else(|| "video".into());
    let phone_number = form.phone_number.clone();
    let request = CommandRequest {
        request_key: item.dedupe_key.clone(),
        team_id: form.team_id,
        enterprise_id: form.enterprise_id,
        channel_id: form.channel_id,
        channel_name: form.channel_name,
        user_id: form.user_id,
        text: form.text,
        response_url: form.response_url,
        received_at: item.received_at,
    };
    if call_button {
        return flows::run_call_button(ctx, &request, &call_type, phone_number.as_deref(), attempt)
            .await;
    }
    flows::run_command(ctx, &request, attempt).await
}

async fn interaction(ctx: &JobContext, item: &InboxItem) -> Outcome {
    let Ok(form) = serde_urlencoded::from_bytes::<InteractionForm>(&item.body) else {
        return Outcome::Fail("stored interaction no longer parses".into());
    };
    let Ok(payload) = serde_json::from_str::<Value>(&form.payload) else {
        return Outcome::Fail("stored interaction payload no longer parses".into());
    };
    match payload["type"].as_str() {
        Some("block_actions")
            if payload["actions"][0]["action_id"]
                == zlack_domain::render::unfurl_action::CONNECT =>
        {
            flows::unfurl::on_connect_pressed(ctx, &payload).await
        }
        Some("block_actions") => flows::settings::on_interaction(ctx, &payload).await,
        _ => Outcome::Done,
    }
}

/// Carries out a command whose user just connected Zoom.
pub async fn resume(ctx: &JobContext, payload: &Value, attempt: i64) -> Outcome {
    match serde_json::from_value::<CommandRequest>(payload.clone()) {
        Ok(request) => flows::run_command(ctx, &request, attempt).await,
        Err(_) => Outcome::Fail("malformed resume payload".into()),
    }
}
