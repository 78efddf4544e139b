//! `chat.*` methods.

use super::ChannelKind;
use super::api::{Ctx, Reply, SlackError};
use super::state::{Data, TokenKind};
use crate::args::{self, Args};
use serde_json::{Map, Value, json};

/// Fails with `invalid_arguments` unless every field is present.
pub(crate) fn require(args: &Args, fields: &[&str]) -> Result<(), SlackError> {
    match fields.iter().find(|f| !args::present(args, f)) {
        Some(missing) => Err(SlackError::missing(missing)),
        None => Ok(()),
    }
}

/// Fails with `invalid_arguments` unless at least one field is present.
pub(crate) fn require_any(args: &Args, fields: &[&str]) -> Result<(), SlackError> {
    if fields.iter().any(|f| args::present(args, f)) {
        Ok(())
    } else {
        Err(SlackError::missing(&fields.join(" or ")))
    }
}

fn check_blocks(args: &Args) -> Result<(), SlackError> {
    let Some(blocks) = args.get("blocks") else {
        return Ok(());
    };
    let valid = blocks.as_array().is_some_and(|list| {
        list.iter()
            .all(|b| b.get("type").is_some_and(Value::is_string))
    });
    if valid {
        Ok(())
    } else {
        Err(SlackError::new("invalid_blocks"))
    }
}

/// The id of the app's DM with a user, stable per user.
pub(crate) fn dm_id(user_id: &str) -> String {
    format!("D{}", user_id.get(1..).unwrap_or_default())
}

/// Where a bot message to `channel` lands, or why it may not post there.
fn postable(data: &Data, channel: &str) -> Result<String, SlackError> {
    // A user id means the app's own DM with that user, which always works.
    if channel.starts_with('U') || channel.starts_with('W') {
        return Ok(dm_id(channel));
    }
    match data.channels.get(channel) {
        Some(c) if !c.bot_is_member => match c.kind {
            ChannelKind::Public => Ok(channel.to_owned()),
            ChannelKind::Private => Err(SlackError::new("not_in_channel")),
            ChannelKind::Im | ChannelKind::Mpim => Err(SlackError::new("channel_not_found")),
        },
        _ => Ok(channel.to_owned()),
    }
}

fn message(data: &mut Data, ctx: &Ctx<'_>, args: &Args, ts: &str) -> Value {
    let (_, token) = ctx.auth();
    let workspace = data.workspace(&token.team_id).clone();
    let mut message = Map::new();
    message.insert("type".into(), "message".into());
    message.insert(
        "text".into(),
        args::text(args, "text").unwrap_or_default().into(),
    );
    message.insert("user".into(), token.user_id.clone().into());
    if token.kind == TokenKind::Bot {
        message.insert("bot_id".into(), workspace.bot_id.into());
    }
    message.insert("ts".into(), ts.into());
    message.insert("team".into(), token.team_id.clone().into());
    for key in ["blocks", "attachments", "thread_ts", "metadata"] {
        if let Some(value) = args.get(key) {
            message.insert(key.into(), value.clone());
        }
    }
    Value::Object(message)
}

fn channel_arg(args: &Args) -> String {
    args::text(args, "channel").unwrap_or_default()
}

pub(crate) fn post_message(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel"])?;
    require_any(args, &["text", "blocks", "attachments"])?;
    check_blocks(args)?;
    let mut data = ctx.shared.data();
    let channel = postable(&data, &channel_arg(args))?;
    let ts = data.next_ts();
    let message = message(&mut data, ctx, args, &ts);
    Ok(json!({"channel": channel, "ts": ts, "message": message}))
}

pub(crate) fn post_ephemeral(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel", "user"])?;
    require_any(args, &["text", "blocks", "attachments"])?;
    check_blocks(args)?;
    let mut data = ctx.shared.data();
    postable(&data, &channel_arg(args))?;
    Ok(json!({"message_ts": data.next_ts()}))
}

/// Updates of unknown messages succeed: the fake keeps no message store.
pub(crate) fn update(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel", "ts"])?;
    check_blocks(args)?;
    let ts = args::text(args, "ts").unwrap_or_default();
    let mut data = ctx.shared.data();
    let message = message(&mut data, ctx, args, &ts);
    let text = args::text(args, "text").unwrap_or_default();
    Ok(json!({"channel": channel_arg(args), "ts": ts, "text": text, "message": message}))
}

pub(crate) fn delete(_ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel", "ts"])?;
    Ok(json!({"channel": channel_arg(args), "ts": args::text(args, "ts")}))
}

pub(crate) fn unfurl(_ctx: &Ctx<'_>, args: &Args) -> Reply {
    let by_message = args::present(args, "channel") && args::present(args, "ts");
    let by_event = args::present(args, "unfurl_id") && args::present(args, "source");
    if !by_message && !by_event {
        return Err(SlackError::missing(
            "channel and ts, or unfurl_id and source",
        ));
    }
    require(args, &["unfurls"])?;
    if !args.get("unfurls").is_some_and(Value::is_object) {
        return Err(SlackError::new("invalid_unfurls"));
    }
    Ok(json!({}))
}

pub(crate) fn get_permalink(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel", "message_ts"])?;
    let (_, token) = ctx.auth();
    let channel = channel_arg(args);
    let ts = args::text(args, "message_ts")
        .unwrap_or_default()
        .replace('.', "");
    let domain = token.team_id.to_ascii_lowercase();
    let permalink = format!("https://{domain}.slack.com/archives/{channel}/p{ts}");
    Ok(json!({"channel": channel, "permalink": permalink}))
}
