//! Lookups and token methods: `users.*`, `conversations.*`, `auth.*`.

use super::ChannelKind;
use super::api::{Ctx, Reply, SlackError};
use super::chat::{dm_id, require};
use super::state::{Channel, TokenKind, User};
use crate::args::{self, Args};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn user_json(user: &User, enterprise_id: Option<&str>, include_locale: bool) -> Value {
    let handle = user.name.to_ascii_lowercase().replace(' ', ".");
    let mut profile = json!({
        "display_name": user.name,
        "real_name": user.name,
        "real_name_normalized": user.name,
        "phone": user.phone,
        "team": user.team_id,
    });
    if let Some(email) = &user.email {
        profile["email"] = email.clone().into();
    }
    let (text, emoji, expiration) = live_status(user);
    profile["status_text"] = text.into();
    profile["status_emoji"] = emoji.into();
    profile["status_expiration"] = expiration.into();
    let mut json = json!({
        "id": user.id,
        "team_id": user.team_id,
        "name": handle,
        "real_name": user.name,
        "deleted": false,
        "is_bot": false,
        "is_admin": user.is_admin,
        "is_owner": false,
        "is_primary_owner": false,
        "tz": user.tz,
        "tz_label": user.tz,
        "profile": profile,
    });
    if include_locale {
        json["locale"] = user.locale.clone().into();
    }
    if let Some(enterprise_id) = enterprise_id {
        json["enterprise_user"] = json!({
            "id": user.id,
            "enterprise_id": enterprise_id,
            "is_admin": user.is_org_admin,
            "is_owner": false,
            "teams": [user.team_id],
        });
    }
    json
}

/// A user's status as Slack shows it now: one whose expiration passed is
/// cleared.
pub(crate) fn live_status(user: &User) -> (String, String, i64) {
    let (text, emoji, expiration) = user.status.clone();
    if expiration != 0 && expiration <= crate::unix_now() {
        return (String::new(), String::new(), 0);
    }
    (text, emoji, expiration)
}

/// `users.profile.set` with a user token: the status fields of the
/// token's own user (`user` naming anyone else is refused, as for
/// non-admins). Bot tokens are refused, as Slack refuses them.
pub(crate) fn users_profile_set(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let (_, token) = ctx.auth();
    if token.kind != TokenKind::User {
        return Err(SlackError::new("not_allowed_token_type"));
    }
    if args::text(args, "user").is_some_and(|u| u != token.user_id) {
        return Err(SlackError::new("cannot_update_admin_user"));
    }
    let profile: Value = match args::text(args, "profile") {
        Some(text) => {
            serde_json::from_str(&text).map_err(|_| SlackError::new("invalid_profile"))?
        }
        None => return Err(SlackError::missing("profile")),
    };
    let text = profile["status_text"].as_str().unwrap_or_default();
    if text.chars().count() > 100 {
        return Err(SlackError::new("too_long"));
    }
    let emoji = profile["status_emoji"].as_str().unwrap_or_default();
    let expiration = profile["status_expiration"].as_i64().unwrap_or(0);
    let mut data = ctx.shared.data();
    let user = data
        .users
        .get_mut(&token.user_id)
        .ok_or_else(|| SlackError::new("user_not_found"))?;
    user.status = (text.to_owned(), emoji.to_owned(), expiration);
    let (text, emoji, expiration) = live_status(user);
    Ok(
        json!({"profile": {"status_text": text, "status_emoji": emoji, "status_expiration": expiration}}),
    )
}

/// The Enterprise Grid org of a user's workspace, if any.
fn enterprise_of(data: &super::state::Data, user: &User) -> Option<String> {
    data.workspaces
        .get(&user.team_id)
        .and_then(|w| w.enterprise_id.clone())
}

pub(crate) fn users_info(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["user"])?;
    let id = args::text(args, "user").unwrap_or_default();
    let data = ctx.shared.data();
    let user = data
        .users
        .get(&id)
        .ok_or_else(|| SlackError::new("user_not_found"))?;
    let enterprise = enterprise_of(&data, user);
    Ok(json!({"user": user_json(user, enterprise.as_deref(), args::flag(args, "include_locale"))}))
}

pub(crate) fn users_lookup_by_email(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["email"])?;
    let email = args::text(args, "email").unwrap_or_default();
    let (_, token) = ctx.auth();
    let data = ctx.shared.data();
    let user = data
        .users
        .values()
        .filter(|u| u.team_id == token.team_id)
        .find(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email))
        })
        .ok_or_else(|| SlackError::new("users_not_found"))?;
    let enterprise = enterprise_of(&data, user);
    Ok(json!({"user": user_json(user, enterprise.as_deref(), false)}))
}

/// Unregistered conversations count as ones the bot is in: `D…` as a DM,
/// anything else as a public channel. Non-public ones the bot is not in are
/// invisible to it, as on Slack.
pub(crate) fn conversations_info(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel"])?;
    let id = args::text(args, "channel").unwrap_or_default();
    let default_kind = if id.starts_with('D') {
        ChannelKind::Im
    } else {
        ChannelKind::Public
    };
    let channel = ctx
        .shared
        .data()
        .channels
        .get(&id)
        .copied()
        .unwrap_or(Channel {
            kind: default_kind,
            bot_is_member: true,
            ext_shared: false,
        });
    if channel.kind != ChannelKind::Public && !channel.bot_is_member {
        return Err(SlackError::new("channel_not_found"));
    }
    let kind = channel.kind;
    Ok(json!({"channel": {
        "id": id,
        "name": id.to_ascii_lowercase(),
        "is_channel": matches!(kind, ChannelKind::Public | ChannelKind::Private),
        "is_group": false,
        "is_im": kind == ChannelKind::Im,
        "is_mpim": kind == ChannelKind::Mpim,
        "is_private": kind != ChannelKind::Public,
        "is_member": channel.bot_is_member,
        "is_archived": false,
        "is_ext_shared": channel.ext_shared,
        "is_shared": channel.ext_shared,
    }}))
}

/// The members of a conversation the bot can see, a page at a time
/// (`limit`, `cursor`); the bot itself is not listed. A conversation
/// without members set lists every user of the fake.
pub(crate) fn conversations_members(ctx: &Ctx<'_>, args: &Args) -> Reply {
    require(args, &["channel"])?;
    let id = args::text(args, "channel").unwrap_or_default();
    let data = ctx.shared.data();
    if let Some(channel) = data.channels.get(&id)
        && channel.kind != ChannelKind::Public
        && !channel.bot_is_member
    {
        return Err(SlackError::new("channel_not_found"));
    }
    let mut members: Vec<String> = match data.members.get(&id) {
        Some(members) => members.clone(),
        None => data.users.keys().cloned().collect(),
    };
    members.sort();
    let limit = args::text(args, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| (1..=1000).contains(l))
        .unwrap_or(100);
    let start = args::text(args, "cursor")
        .and_then(|c| c.strip_prefix("m:").and_then(|n| n.parse::<usize>().ok()))
        .unwrap_or(0);
    let page: Vec<String> = members.iter().skip(start).take(limit).cloned().collect();
    let next = if start + limit < members.len() {
        format!("m:{}", start + limit)
    } else {
        String::new()
    };
    Ok(json!({"members": page, "response_metadata": {"next_cursor": next}}))
}

/// A group DM id that depends only on its members.
fn mpim_id(users: &[String]) -> String {
    let mut sorted = users.to_vec();
    sorted.sort();
    let digest = Sha256::digest(sorted.join(",").as_bytes());
    format!("G{}", hex::encode_upper(&digest[..5]))
}

pub(crate) fn conversations_open(ctx: &Ctx<'_>, args: &Args) -> Reply {
    if let Some(channel) = args::text(args, "channel") {
        return Ok(json!({"no_op": true, "already_open": true, "channel": {"id": channel}}));
    }
    let users: Vec<String> = match args.get("users") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|u| u.as_str().map(str::to_owned))
            .collect(),
        _ => args::text(args, "users")
            .unwrap_or_default()
            .split(',')
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty())
            .collect(),
    };
    let (id, kind) = match users.as_slice() {
        [] => return Err(SlackError::missing("users")),
        [one] => (dm_id(one), ChannelKind::Im),
        many => (mpim_id(many), ChannelKind::Mpim),
    };
    let mut data = ctx.shared.data();
    let already_open = data.channels.contains_key(&id);
    data.channels.insert(
        id.clone(),
        Channel {
            kind,
            bot_is_member: true,
            ext_shared: false,
        },
    );
    Ok(json!({"no_op": already_open, "already_open": already_open, "channel": {"id": id}}))
}

pub(crate) fn auth_test(ctx: &Ctx<'_>, _args: &Args) -> Reply {
    let (_, token) = ctx.auth();
    let workspace = ctx.shared.data().workspace(&token.team_id).clone();
    let mut reply = json!({
        "url": format!("https://{}.slack.com/", token.team_id.to_ascii_lowercase()),
        "team": workspace.name,
        "user": if token.kind == TokenKind::Bot { "zlack" } else { "user" },
        "team_id": token.team_id,
        "user_id": token.user_id,
        "is_enterprise_install": false,
    });
    if token.kind == TokenKind::Bot {
        reply["bot_id"] = workspace.bot_id.into();
    }
    if let Some(enterprise_id) = workspace.enterprise_id {
        reply["enterprise_id"] = enterprise_id.into();
    }
    Ok(reply)
}

/// Revokes only the calling token (as with token rotation); `test=true`
/// leaves it alive.
pub(crate) fn auth_revoke(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let (token, _) = ctx.auth();
    if args::flag(args, "test") {
        return Ok(json!({"revoked": false}));
    }
    if let Some(info) = ctx.shared.data().tokens.get_mut(token) {
        info.revoked = true;
    }
    Ok(json!({"revoked": true}))
}
