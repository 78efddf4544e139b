//! `calls.*` methods: the Call objects behind Slack's call blocks.

use super::api::{Ctx, Reply, SlackError};
use super::chat::require;
use super::state::TokenKind;
use crate::args::{self, Args};
use crate::{ids, unix_now};
use serde_json::{Map, Value, json};

/// Checks Slack's `users` format: an array of objects that each carry a
/// `slack_id` or an `external_id`.
fn users_arg(args: &Args) -> Result<Vec<Value>, SlackError> {
    let Some(list) = args.get("users").and_then(Value::as_array) else {
        return Err(SlackError::invalid("users must be a JSON array"));
    };
    let valid = list.iter().all(|u| {
        ["slack_id", "external_id"].iter().any(|k| {
            u.get(k)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        })
    });
    if valid {
        Ok(list.clone())
    } else {
        Err(SlackError::invalid(
            "each user needs a slack_id or an external_id",
        ))
    }
}

fn same_user(a: &Value, b: &Value) -> bool {
    ["slack_id", "external_id"]
        .iter()
        .any(|k| a.get(k).is_some_and(|v| Some(v) == b.get(k)))
}

fn with_call(ctx: &Ctx<'_>, args: &Args, change: impl FnOnce(&mut Map<String, Value>)) -> Reply {
    require(args, &["id"])?;
    let id = args::text(args, "id").unwrap_or_default();
    let mut data = ctx.shared.data();
    let call = data
        .calls
        .get_mut(&id)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| SlackError::new("invalid_call_id"))?;
    change(call);
    Ok(json!({"call": call.clone()}))
}

pub(crate) fn add(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["external_unique_id", "join_url"])?;
    let (_, token) = ctx.auth();
    // Only a user token lets Slack default the creator to the caller.
    if token.kind == TokenKind::Bot {
        require(args, &["created_by"])?;
    }
    let users = if args.contains_key("users") {
        users_arg(args)?
    } else {
        Vec::new()
    };
    let id = format!("R{:09X}", ids::next());
    let date_start = args::text(args, "date_start")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(unix_now);
    let mut call = Map::new();
    call.insert("id".into(), id.clone().into());
    call.insert("date_start".into(), date_start.into());
    for key in [
        "external_unique_id",
        "join_url",
        "desktop_app_join_url",
        "external_display_id",
        "title",
        "created_by",
    ] {
        if let Some(value) = args::text(args, key) {
            call.insert(key.into(), value.into());
        }
    }
    if token.kind == TokenKind::User && !call.contains_key("created_by") {
        call.insert("created_by".into(), token.user_id.clone().into());
    }
    call.insert("users".into(), Value::Array(users));
    let call = Value::Object(call);
    ctx.shared.data().calls.insert(id, call.clone());
    Ok(json!({"call": call}))
}

pub(crate) fn info(ctx: &Ctx<'_>, args: &Args) -> Reply {
    with_call(ctx, args, |_| {})
}

pub(crate) fn update(ctx: &Ctx<'_>, args: &Args) -> Reply {
    with_call(ctx, args, |call| {
        for key in ["title", "join_url", "desktop_app_join_url"] {
            if let Some(value) = args::text(args, key) {
                call.insert(key.into(), value.into());
            }
        }
    })
}

pub(crate) fn end(ctx: &Ctx<'_>, args: &Args) -> Reply {
    with_call(ctx, args, |call| {
        call.insert("date_end".into(), unix_now().into());
        if let Some(duration) = args::text(args, "duration").and_then(|d| d.parse::<i64>().ok()) {
            call.insert("duration".into(), duration.into());
        }
    })
    .map(|_| json!({}))
}

pub(crate) fn participants_add(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["id", "users"])?;
    let added = users_arg(args)?;
    with_call(ctx, args, |call| {
        let users = call.entry("users").or_insert_with(|| json!([]));
        if let Some(list) = users.as_array_mut() {
            for user in added {
                if !list.iter().any(|u| same_user(u, &user)) {
                    list.push(user);
                }
            }
        }
    })
    .map(|_| json!({}))
}

pub(crate) fn participants_remove(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["id", "users"])?;
    let removed = users_arg(args)?;
    with_call(ctx, args, |call| {
        if let Some(list) = call.get_mut("users").and_then(Value::as_array_mut) {
            list.retain(|u| !removed.iter().any(|r| same_user(u, r)));
        }
    })
    .map(|_| json!({}))
}
