//! OAuth v2: the authorize page and `oauth.v2.access`, with token rotation.

use super::OAuthGrant;
use super::api::{Ctx, Reply, SlackError};
use super::chat::require;
use super::state::{Code, Data, Shared, TokenKind};
use crate::args::{self, Args};
use crate::http;
use crate::ids;
use crate::record::RecordedCall;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Slack's authorization codes expire after ten minutes.
const CODE_LIFETIME: Duration = Duration::from_secs(600);
/// Lifetime of rotated access tokens when the grant names none.
const ROTATED_EXPIRES_IN: i64 = 43_200;

/// `GET /oauth/v2/authorize`: redirects to `redirect_uri` with the next code
/// queued by `issue_oauth_code`, as if the user approved at once.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let received_at = Instant::now();
    let args = args::parse(&headers, query.as_deref(), &[], &[]);
    let response = approve(&shared, &args);
    shared.recorder.push(RecordedCall {
        method: "oauth.v2.authorize".into(),
        args: Value::Object(args),
        bearer: None,
        basic: None,
        received_at,
        status: response.status().as_u16(),
        error: None,
    });
    response
}

fn approve(shared: &Shared, args: &Args) -> Response {
    let bad = |why: &str| (StatusCode::BAD_REQUEST, why.to_owned()).into_response();
    let mut data = shared.data();
    let client_id = args::text(args, "client_id");
    if client_id.is_none() || data.client.as_ref().map(|c| &c.0) != client_id.as_ref() {
        return bad("invalid_client_id");
    }
    let Some(redirect_uri) = args::text(args, "redirect_uri") else {
        return bad("the fake needs redirect_uri: it knows no configured redirect URL");
    };
    let Some(code) = data.authorize_queue.pop_front() else {
        return bad("no OAuth code queued: call FakeSlack::issue_oauth_code first");
    };
    if let Some(issued) = data.codes.get_mut(&code) {
        issued.redirect_uri = Some(redirect_uri.clone());
    }
    let state = args::text(args, "state").unwrap_or_default();
    http::redirect(&http::with_query(
        &redirect_uri,
        &[("code", &code), ("state", &state)],
    ))
}

/// `oauth.v2.access`: exchanges a code, or rotates a refresh token.
pub(crate) fn access(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let (id, secret) = match ctx.basic {
        Some((id, secret)) => (Some(id.clone()), Some(secret.clone())),
        None => (
            args::text(args, "client_id"),
            args::text(args, "client_secret"),
        ),
    };
    let mut data = ctx.shared.data();
    let Some((client_id, client_secret)) = data.client.clone() else {
        return Err(SlackError::new("invalid_client_id"));
    };
    if id.as_deref() != Some(client_id.as_str()) {
        return Err(SlackError::new("invalid_client_id"));
    }
    if secret.as_deref() != Some(client_secret.as_str()) {
        return Err(SlackError::new("bad_client_secret"));
    }
    match args::text(args, "grant_type").as_deref() {
        None | Some("authorization_code") => exchange_code(&mut data, args),
        Some("refresh_token") => rotate(&mut data, args),
        Some(_) => Err(SlackError::new("invalid_grant_type")),
    }
}

fn exchange_code(data: &mut Data, args: &Args) -> Reply {
    require(args, &["code"])?;
    let code = args::text(args, "code").unwrap_or_default();
    let Some(Code {
        grant,
        issued_at,
        redirect_uri,
    }) = data.codes.remove(&code)
    else {
        return Err(SlackError::new("invalid_code"));
    };
    if issued_at.elapsed() > CODE_LIFETIME {
        return Err(SlackError::new("invalid_code"));
    }
    if redirect_uri.is_some() && args::text(args, "redirect_uri") != redirect_uri {
        return Err(SlackError::new("bad_redirect_uri"));
    }
    install(data, &grant);
    Ok(grant_json(&grant, true))
}

/// Makes the grant's tokens valid, as completing the install does.
fn install(data: &mut Data, grant: &OAuthGrant) {
    if grant.bot_token.is_empty() {
        // A user-scope-only authorization: the workspace keeps its bot.
        if let Some(user_token) = &grant.authed_user_token {
            data.add_token(
                &grant.team_id,
                user_token,
                TokenKind::User,
                &grant.authed_user_id,
            );
        }
        return;
    }
    let workspace = data.workspace(&grant.team_id);
    workspace.name = grant.team_name.clone();
    workspace.bot_user_id = grant.bot_user_id.clone();
    workspace.enterprise_id = grant.enterprise.as_ref().map(|(id, _)| id.clone());
    data.add_token(
        &grant.team_id,
        &grant.bot_token,
        TokenKind::Bot,
        &grant.bot_user_id,
    );
    if let Some(expires_in) = grant.expires_in.filter(|_| grant.refresh_token.is_some()) {
        let lifetime = Duration::from_secs(u64::try_from(expires_in).unwrap_or(0));
        if let Some(token) = data.tokens.get_mut(&grant.bot_token) {
            token.expires_at = Some(Instant::now() + lifetime);
        }
    }
    if let Some(user_token) = &grant.authed_user_token {
        data.add_token(
            &grant.team_id,
            user_token,
            TokenKind::User,
            &grant.authed_user_id,
        );
    }
    if let Some(refresh) = &grant.refresh_token {
        data.refresh_tokens.insert(refresh.clone(), grant.clone());
    }
}

/// Refresh tokens are single use: the presented one dies at once.
fn rotate(data: &mut Data, args: &Args) -> Reply {
    require(args, &["refresh_token"])?;
    let presented = args::text(args, "refresh_token").unwrap_or_default();
    let mut grant = data
        .refresh_tokens
        .remove(&presented)
        .ok_or_else(|| SlackError::new("invalid_refresh_token"))?;
    grant.bot_token = format!("xoxe.xoxb-1-{}", ids::random_hex(32));
    grant.refresh_token = Some(format!("xoxe-1-{}", ids::random_hex(40)));
    grant.expires_in = Some(grant.expires_in.unwrap_or(ROTATED_EXPIRES_IN));
    grant.authed_user_token = None;
    install(data, &grant);
    Ok(grant_json(&grant, false))
}

fn grant_json(grant: &OAuthGrant, with_user: bool) -> Value {
    let mut authed_user = json!({"id": grant.authed_user_id});
    if with_user {
        authed_user["scope"] = grant.authed_user_scope.clone().into();
        if let Some(token) = &grant.authed_user_token {
            authed_user["access_token"] = token.clone().into();
            authed_user["token_type"] = "user".into();
        }
    }
    let enterprise = match &grant.enterprise {
        Some((id, name)) => json!({"id": id, "name": name}),
        None => Value::Null,
    };
    if grant.bot_token.is_empty() {
        return json!({
            "app_id": grant.app_id,
            "authed_user": authed_user,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": enterprise,
            "is_enterprise_install": grant.is_enterprise_install,
        });
    }
    let mut reply = json!({
        "app_id": grant.app_id,
        "authed_user": authed_user,
        "scope": grant.scope,
        "token_type": "bot",
        "access_token": grant.bot_token,
        "bot_user_id": grant.bot_user_id,
        "team": {"id": grant.team_id, "name": grant.team_name},
        "enterprise": enterprise,
        "is_enterprise_install": grant.is_enterprise_install,
    });
    if let (Some(refresh), Some(expires_in)) = (&grant.refresh_token, grant.expires_in) {
        reply["refresh_token"] = refresh.clone().into();
        reply["expires_in"] = expires_in.into();
    }
    reply
}
