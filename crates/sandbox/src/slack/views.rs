//! `views.open`, `views.publish` and `views.update`: modals and App Home
//! tabs, checked the way Slack checks them, and kept for tests to read.

use super::api::{Ctx, Reply, SlackError};
use super::chat::require;
use crate::args::{self, Args};
use crate::ids;
use serde_json::{Map, Value, json};

/// Block types Slack accepts in views.
const VIEW_BLOCKS: &[&str] = &[
    "actions",
    "context",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "rich_text",
    "section",
    "video",
];

/// Most blocks a modal or Home tab holds.
const MAX_BLOCKS: usize = 100;
/// Longest modal title, submit and close text.
const MAX_MODAL_TEXT: usize = 24;
/// Longest `private_metadata`.
const MAX_PRIVATE_METADATA: usize = 3000;
/// Longest `callback_id`, `external_id` and `action_id`.
const MAX_ID: usize = 255;

/// A view Slack shows, as tests see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownView {
    /// Slack's view id, `V…`.
    pub id: String,
    /// The user it is shown to (for modals, the trigger's user when known).
    pub user_id: Option<String>,
    /// The view as the app sent it.
    pub view: Value,
    /// Changes on every update.
    pub hash: String,
}

/// What views Slack shows.
#[derive(Default)]
pub(crate) struct Views {
    /// Triggers already exchanged for a view.
    pub(crate) used_triggers: std::collections::HashSet<String>,
    /// Triggers tests made expire.
    pub(crate) expired_triggers: std::collections::HashSet<String>,
    /// Trigger → the user it came from, when tests said so.
    pub(crate) trigger_users: std::collections::HashMap<String, String>,
    /// Every modal opened, in order (updates replace in place).
    pub(crate) modals: Vec<ShownView>,
    /// Each user's Home tab, by user id.
    pub(crate) homes: std::collections::HashMap<String, ShownView>,
    /// How many times each user's Home was published.
    pub(crate) publishes: std::collections::HashMap<String, usize>,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A `plain_text` object of at most `max` characters, named `field`.
fn plain_text(view: &Value, field: &str, max: usize, required: bool) -> Result<(), SlackError> {
    let Some(value) = view.get(field) else {
        return if required {
            Err(SlackError::invalid(&format!(
                "missing required field: {field} [json-pointer:/view]"
            )))
        } else {
            Ok(())
        };
    };
    let text = value.get("text").and_then(Value::as_str).unwrap_or("");
    if value.get("type").and_then(Value::as_str) != Some("plain_text") {
        return Err(SlackError::invalid(&format!(
            "must be a plain_text object [json-pointer:/view/{field}]"
        )));
    }
    if text.is_empty() || chars(text) > max {
        return Err(SlackError::invalid(&format!(
            "must be between 1 and {max} characters [json-pointer:/view/{field}/text]"
        )));
    }
    Ok(())
}

/// Checks `view` as Slack does for a view of type `expected`.
pub(crate) fn check(view: &Value, expected: &str) -> Result<(), SlackError> {
    let Some(object) = view.as_object() else {
        return Err(SlackError::invalid("view must be a JSON object"));
    };
    let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != expected {
        return Err(SlackError::invalid(&format!(
            "must be '{expected}' [json-pointer:/view/type]"
        )));
    }
    let blocks = object
        .get("blocks")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            SlackError::invalid("missing required field: blocks [json-pointer:/view]")
        })?;
    if blocks.len() > MAX_BLOCKS {
        return Err(SlackError::invalid(&format!(
            "no more than {MAX_BLOCKS} items allowed [json-pointer:/view/blocks]"
        )));
    }
    let mut inputs = 0;
    let mut block_ids = std::collections::HashSet::new();
    for (i, block) in blocks.iter().enumerate() {
        let kind = block.get("type").and_then(Value::as_str).unwrap_or("");
        if !VIEW_BLOCKS.contains(&kind) {
            return Err(SlackError::invalid(&format!(
                "unsupported type: {kind} [json-pointer:/view/blocks/{i}/type]"
            )));
        }
        if kind == "input" {
            if expected == "home" {
                return Err(SlackError::invalid(&format!(
                    "input blocks are not allowed in home views [json-pointer:/view/blocks/{i}]"
                )));
            }
            inputs += 1;
            if block.get("label").is_none() || block.get("element").is_none() {
                return Err(SlackError::invalid(&format!(
                    "missing required field: label or element [json-pointer:/view/blocks/{i}]"
                )));
            }
        }
        if let Some(id) = block.get("block_id").and_then(Value::as_str)
            && (!block_ids.insert(id.to_owned()) || chars(id) > MAX_ID)
        {
            return Err(SlackError::invalid(&format!(
                "duplicate or too long block_id [json-pointer:/view/blocks/{i}/block_id]"
            )));
        }
        if kind == "section"
            && let Some(text) = block.pointer("/text/text").and_then(Value::as_str)
            && chars(text) > 3000
        {
            return Err(SlackError::invalid(&format!(
                "must be less than 3001 characters [json-pointer:/view/blocks/{i}/text/text]"
            )));
        }
    }
    if expected == "modal" {
        plain_text(view, "title", MAX_MODAL_TEXT, true)?;
        plain_text(view, "close", MAX_MODAL_TEXT, false)?;
        plain_text(view, "submit", MAX_MODAL_TEXT, inputs > 0)?;
    }
    for (field, max) in [
        ("private_metadata", MAX_PRIVATE_METADATA),
        ("callback_id", MAX_ID),
        ("external_id", MAX_ID),
    ] {
        if let Some(value) = object.get(field)
            && value.as_str().is_none_or(|s| chars(s) > max)
        {
            return Err(SlackError::invalid(&format!(
                "must be a string of at most {max} characters [json-pointer:/view/{field}]"
            )));
        }
    }
    Ok(())
}

fn view_arg(args: &Args) -> Result<Value, SlackError> {
    require(args, &["view"])?;
    match args.get("view") {
        Some(Value::Object(_)) => Ok(args["view"].clone()),
        _ => Err(SlackError::new("invalid_arguments")),
    }
}

/// The view as Slack answers it: the app's view plus its id and hash.
fn answer(shown: &ShownView, team_id: &str) -> Value {
    let mut view: Map<String, Value> = shown.view.as_object().cloned().unwrap_or_default();
    view.insert("id".into(), shown.id.clone().into());
    view.insert("hash".into(), shown.hash.clone().into());
    view.insert("team_id".into(), team_id.into());
    view.entry("private_metadata").or_insert_with(|| "".into());
    view.entry("callback_id").or_insert_with(|| "".into());
    json!({ "view": view })
}

fn new_hash() -> String {
    format!("{}.{}", crate::unix_now(), ids::random_hex(8))
}

pub(crate) fn open(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["trigger_id"])?;
    let trigger = args::text(args, "trigger_id").unwrap_or_default();
    let view = view_arg(args)?;
    let (_, token) = ctx.auth();
    let team_id = token.team_id.clone();
    let mut data = ctx.shared.data();
    if data.views.expired_triggers.contains(&trigger) {
        return Err(SlackError::new("expired_trigger_id"));
    }
    if data.views.used_triggers.contains(&trigger) {
        return Err(SlackError::new("exchanged_trigger_id"));
    }
    check(&view, "modal")?;
    data.views.used_triggers.insert(trigger.clone());
    let shown = ShownView {
        id: format!("V{}", ids::random_hex(10).to_uppercase()),
        user_id: data.views.trigger_users.get(&trigger).cloned(),
        view,
        hash: new_hash(),
    };
    let reply = answer(&shown, &team_id);
    data.views.modals.push(shown);
    Ok(reply)
}

pub(crate) fn publish(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["user_id"])?;
    let user_id = args::text(args, "user_id").unwrap_or_default();
    let view = view_arg(args)?;
    check(&view, "home")?;
    let (_, token) = ctx.auth();
    let team_id = token.team_id.clone();
    let mut data = ctx.shared.data();
    // An org-wide install's token reaches the users of every workspace
    // of its Enterprise Grid org.
    let in_reach = |u: &super::state::User| {
        u.team_id == team_id
            || data
                .workspaces
                .get(&u.team_id)
                .and_then(|w| w.enterprise_id.as_deref())
                == Some(team_id.as_str())
    };
    if data.users.get(&user_id).is_some_and(|u| !in_reach(u)) {
        return Err(SlackError::new("user_not_found"));
    }
    let hash = args::text(args, "hash");
    let existing = data.views.homes.get(&user_id).cloned();
    if let (Some(hash), Some(existing)) = (&hash, &existing)
        && *hash != existing.hash
    {
        return Err(SlackError::new("hash_conflict"));
    }
    let shown = ShownView {
        id: existing.map_or_else(
            || format!("V{}", ids::random_hex(10).to_uppercase()),
            |e| e.id,
        ),
        user_id: Some(user_id.clone()),
        view,
        hash: new_hash(),
    };
    let reply = answer(&shown, &team_id);
    data.views.homes.insert(user_id.clone(), shown);
    *data.views.publishes.entry(user_id).or_default() += 1;
    Ok(reply)
}

pub(crate) fn update(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require_view_target(args)?;
    let view = view_arg(args)?;
    let (_, token) = ctx.auth();
    let team_id = token.team_id.clone();
    let view_id = args::text(args, "view_id");
    let external_id = args::text(args, "external_id");
    let hash = args::text(args, "hash");
    let mut data = ctx.shared.data();
    let views = &mut data.views;
    let found = views
        .modals
        .iter_mut()
        .chain(views.homes.values_mut())
        .find(|shown| {
            Some(&shown.id) == view_id.as_ref()
                || external_id.is_some()
                    && shown.view.get("external_id").and_then(Value::as_str)
                        == external_id.as_deref()
        })
        .ok_or_else(|| SlackError::new("not_found"))?;
    let kind = found
        .view
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("modal");
    check(&view, kind)?;
    if hash.is_some_and(|h| h != found.hash) {
        return Err(SlackError::new("hash_conflict"));
    }
    found.view = view;
    found.hash = new_hash();
    Ok(answer(found, &team_id))
}

fn require_view_target(args: &Args) -> Result<(), SlackError> {
    super::chat::require_any(args, &["view_id", "external_id"])
}
