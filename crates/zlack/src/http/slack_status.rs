//! Allowing status sync: the "Allow status updates" DM's link starts
//! Slack's OAuth v2 for the one user scope `users.profile:write` (no bot
//! scopes), with a random `state` bound to the browser
//! ([`super::flow_state::STATUS`]). The callback exchanges the code and
//! keeps the user token only when the Slack user who authorized is the one
//! the link was made for: Slack's own answer names them (`authed_user`),
//! so a forwarded link gives nobody else's status to its owner. A token
//! granted by anyone else is revoked at once and nothing is stored.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::cookies::Callback;
use super::error::AppError;
use super::flow_state::{self, STATUS};
use super::pages::{self, PageKind};
use crate::config::Secret;
use crate::flows::status::{self, PROMPT_KIND, StatusPrompt};
use crate::manifest::{STATUS_CALLBACK, STATUS_USER_SCOPE};
use zlack_domain::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/slack/status", get(start))
        .route(STATUS_CALLBACK, get(callback))
}

fn credentials(state: &AppState) -> Result<(&str, &Secret), AppError> {
    let slack = &state.svc.config.slack;
    match (slack.client_id.as_deref(), slack.client_secret.as_ref()) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => Err(AppError::NotConfigured {
            service: "Status sync",
            key: "ZLACK_SLACK_CLIENT_ID and ZLACK_SLACK_CLIENT_SECRET",
        }),
    }
}

#[derive(Deserialize)]
struct Start {
    #[serde(rename = "ref")]
    reference: Option<String>,
}

/// The live link behind `reference`, without using it up.
async fn peek(state: &AppState, reference: &str) -> Result<Option<StatusPrompt>, AppError> {
    let now = state.svc.clock.now_ms();
    match state
        .svc
        .store
        .peek_grant(reference, PROMPT_KIND, now)
        .await?
    {
        Ok(value) => Ok(serde_json::from_value(value).ok()),
        Err(refusal) => {
            tracing::debug!(?refusal, "status sync link refused");
            super::error::refused("status link invalid");
            Ok(None)
        }
    }
}

/// Opening the link: checks it is live (reading only), then Slack's
/// authorize page for the user scope. Nothing is written.
async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Start>,
) -> Result<Response, AppError> {
    let (client_id, _) = credentials(&state)?;
    let lang = pages::lang(&headers);
    let reference = query.reference.filter(|r| !r.is_empty());
    let prompt = match &reference {
        Some(reference) => peek(&state, reference).await?,
        None => None,
    };
    let (Some(reference), Some(prompt)) = (reference, prompt) else {
        return Ok(pages::respond(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            PageKind::StateInvalid,
        ));
    };
    let svc = &state.svc;
    let started = STATUS.begin(
        svc.store.vault(),
        &svc.config.public_url,
        svc.clock.now_ms(),
        serde_json::json!({ "ref": reference }),
    );
    let mut url = svc.config.slack.authorize_url.clone();
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("user_scope", STATUS_USER_SCOPE)
        .append_pair("redirect_uri", &svc.config.public(STATUS_CALLBACK))
        .append_pair("state", &started.state);
    if prompt.team_id.as_str().starts_with('T') {
        url.query_pairs_mut()
            .append_pair("team", prompt.team_id.as_str());
    }
    Ok(flow_state::redirect(url.as_str(), &[started.set_cookie]))
}

async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Callback>,
) -> Result<Response, AppError> {
    let (client_id, client_secret) = credentials(&state)?;
    let lang = pages::lang(&headers);
    let svc = &state.svc;
    let now = svc.clock.now_ms();
    let page = |status, kind| pages::respond(&state, lang, status, kind);
    let response = match STATUS.finish(svc.store.vault(), &headers, query.state.as_deref(), now) {
        Err(refusal) => {
            tracing::debug!(?refusal, "status sync callback refused");
            super::error::refused("OAuth state invalid");
            page(StatusCode::BAD_REQUEST, PageKind::StateInvalid)
        }
        Ok(_) if query.error.is_some() => page(StatusCode::BAD_REQUEST, PageKind::OAuthDenied),
        Ok(flow) => match (
            flow["ref"].as_str(),
            query.code.as_deref().filter(|c| !c.is_empty()),
        ) {
            (Some(reference), Some(code)) => {
                finish(&state, lang, client_id, client_secret, reference, code).await?
            }
            _ => page(StatusCode::BAD_REQUEST, PageKind::StateInvalid),
        },
    };
    Ok(flow_state::clear_on(
        response,
        &STATUS,
        &svc.config.public_url,
    ))
}

/// Exchanges the code; keeps the token only for the link's own user.
async fn finish(
    state: &AppState,
    lang: Lang,
    client_id: &str,
    client_secret: &Secret,
    reference: &str,
    code: &str,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let page = |status, kind| pages::respond(state, lang, status, kind);
    let Some(prompt) = peek(state, reference).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let redirect_uri = svc.config.public(STATUS_CALLBACK);
    let grant = match svc
        .slack
        .oauth_user_access(client_id, client_secret, code, &redirect_uri)
        .await
    {
        Ok(grant) => grant,
        Err(error) => {
            tracing::warn!(%error, "oauth.v2.access refused the status sync authorization");
            return Ok(page(StatusCode::BAD_GATEWAY, PageKind::SlackError));
        }
    };
    let drop_token = || async {
        let team = grant.team_id.clone().into();
        if let Err(error) = svc.slack.team(&team, &grant.access_token).revoke().await {
            tracing::warn!(%error, "revoking an unwanted user token failed");
        }
    };
    if !prompt.is_for(&grant) {
        tracing::info!(
            team = %prompt.team_id,
            user = %prompt.slack_user_id,
            authorized_team = %grant.team_id,
            authorized_user = %grant.user_id,
            "a status sync link was used by another Slack user; nothing stored"
        );
        drop_token().await;
        return Ok(page(StatusCode::FORBIDDEN, PageKind::StatusWrongUser));
    }
    if !grant
        .scope
        .split(',')
        .any(|scope| scope.trim() == STATUS_USER_SCOPE)
    {
        tracing::warn!("Slack granted a user token without users.profile:write");
        drop_token().await;
        return Ok(page(StatusCode::BAD_GATEWAY, PageKind::SlackError));
    }
    // The link is single-use: taken once Slack named the right user.
    let taken = svc
        .store
        .take_grant(reference, PROMPT_KIND, None, svc.clock.now_ms())
        .await?;
    let prompt = match taken.map(serde_json::from_value::<StatusPrompt>) {
        Ok(Ok(taken)) if taken.slack_user_id == prompt.slack_user_id => taken,
        _ => {
            drop_token().await;
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
    };
    if !status::authorized(svc, &prompt, &grant.access_token).await? {
        drop_token().await;
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    }
    tracing::info!(team = %prompt.team_id, user = %prompt.slack_user_id, "status sync allowed");
    Ok(page(StatusCode::OK, PageKind::StatusConnected))
}
