//! Connecting a Slack user's Zoom account: the prompt's one-time link
//! first signs the browser in with Slack ([`super::slack_signin`]); only
//! the Slack user the link was made for goes on to Zoom's OAuth, with PKCE
//! (S256) and a stateless, browser-bound `state`. The callback exchanges
//! the code, reads `/users/me`, links the accounts, and queues the command
//! the user typed so the meeting starts by itself.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use zlack_domain::i18n::Lang;

use super::AppState;
use super::cookies::Callback;
use super::error::AppError;
use super::flow_state::{self, ZOOM};
use super::pages::{self, PageKind};
use super::slack_signin::{self, Purpose};
use crate::config::{Secret, ZoomMode};
use crate::flows::connect::{self, Completed, PROMPT_KIND, Prompt, ZoomAccount};
use crate::slack::openid::SlackIdentity;
use crate::zoom::oauth::{ZoomOAuth, authorize_url};
use crate::zoom::pkce::Pkce;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/zoom/install", get(install))
        .route("/zoom/oauth/callback", get(callback))
}

fn oauth(state: &AppState) -> Result<&ZoomOAuth, AppError> {
    state
        .svc
        .zoom_oauth
        .as_ref()
        .ok_or(AppError::NotConfigured {
            service: "Zoom",
            key: "ZLACK_ZOOM_CLIENT_ID and ZLACK_ZOOM_CLIENT_SECRET",
        })
}

fn redirect_uri(state: &AppState) -> String {
    state.svc.config.public("/zoom/oauth/callback")
}

#[derive(Deserialize)]
struct Install {
    #[serde(rename = "ref")]
    reference: Option<String>,
    /// `organization`: a Zoom admin installs for the whole account.
    #[serde(rename = "for")]
    purpose: Option<String>,
    /// With `organization`: the one-time link of the workspace just added
    /// to Slack.
    team: Option<String>,
}

/// Opening a link: checks it is live (reading only), then Sign in with
/// Slack. Nothing is written, whoever opens it.
async fn install(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Install>,
) -> Result<Response, AppError> {
    oauth(&state)?;
    let lang = pages::lang(&headers);
    let page = |status, kind| pages::respond(&state, lang, status, kind);
    let mode = state.svc.config.zoom.mode;
    if query.purpose.as_deref() == Some("organization") {
        if mode != ZoomMode::Organization {
            return Ok(page(StatusCode::NOT_FOUND, PageKind::OrgNotConfigured));
        }
        // Only from the page after "Add to Slack": the workspace is bound.
        let team_ref = query.team.unwrap_or_default();
        let link = super::zoom_org::peek_link(&state, &team_ref).await?;
        let Some(link) = link else {
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::OrgStartFromSlack));
        };
        let purpose = Purpose::Organization { team_ref };
        return slack_signin::start(&state, purpose, Some(&link.team));
    }
    // The personal flow exists only in personal mode: a prompt from before
    // a switch cannot add personal tokens afterwards.
    let reference = query.reference.filter(|r| !r.is_empty());
    let (ZoomMode::Personal, Some(reference)) = (mode, reference) else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let Some(prompt) = peek_prompt(&state, &reference).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let team = prompt.team_id.clone();
    slack_signin::start(&state, Purpose::Prompt { reference }, Some(&team))
}

/// The live prompt behind `reference`, without using it up.
async fn peek_prompt(state: &AppState, reference: &str) -> Result<Option<Prompt>, AppError> {
    let now = state.svc.clock.now_ms();
    let grant = state
        .svc
        .store
        .peek_grant(reference, PROMPT_KIND, now)
        .await?;
    match grant {
        Ok(value) => Ok(serde_json::from_value(value).ok()),
        Err(refusal) => {
            tracing::debug!(?refusal, "Zoom install link refused");
            super::error::refused("authorize link invalid");
            Ok(None)
        }
    }
}

/// After Sign in with Slack: on to Zoom when `who` is the Slack user the
/// prompt `reference` was made for. Anyone else is refused and nothing
/// happens: no Zoom authorization, no link, the command does not run.
pub async fn after_sign_in(
    state: &AppState,
    lang: Lang,
    reference: &str,
    who: &SlackIdentity,
) -> Result<Response, AppError> {
    let page = |status, kind| pages::respond(state, lang, status, kind);
    if state.svc.config.zoom.mode != ZoomMode::Personal {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    }
    let Some(prompt) = peek_prompt(state, reference).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    if !prompt.is_for(who) {
        tracing::info!(
            team = %prompt.team_id,
            user = %prompt.slack_user_id,
            signed_in_team = %who.team_id,
            signed_in_user = %who.user_id,
            "a Zoom link was opened by another Slack user; nothing connected"
        );
        return Ok(page(StatusCode::FORBIDDEN, PageKind::SignedInAsSomeoneElse));
    }
    Ok(authorize(
        state,
        |verifier| json!({ "prompt": reference, "verifier": verifier, "user": who.user_id }),
    ))
}

/// Starts Zoom's OAuth: PKCE, and a stateless `state` whose cookie holds
/// `payload` (made from the verifier). Writes nothing.
pub(super) fn authorize(state: &AppState, payload: impl FnOnce(&str) -> Value) -> Response {
    let svc = &state.svc;
    let pkce = Pkce::generate();
    let data = payload(pkce.verifier.expose());
    let started = ZOOM.begin(
        svc.store.vault(),
        &svc.config.public_url,
        svc.clock.now_ms(),
        data,
    );
    let client_id = svc.config.zoom.client_id.as_deref().unwrap_or_default();
    let location = authorize_url(
        &svc.config.zoom.oauth_url,
        client_id,
        &redirect_uri(state),
        &started.state,
        &pkce.challenge,
    );
    flow_state::redirect(&location, &[started.set_cookie])
}

async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Callback>,
) -> Result<Response, AppError> {
    let oauth = oauth(&state)?.clone();
    let svc = &state.svc;
    let lang = pages::lang(&headers);
    let page = |status, kind| pages::respond(&state, lang, status, kind);
    let now = svc.clock.now_ms();
    let flow = match ZOOM.finish(svc.store.vault(), &headers, query.state.as_deref(), now) {
        Ok(flow) => flow,
        Err(refusal) => {
            tracing::debug!(?refusal, "Zoom OAuth callback refused");
            super::error::refused("OAuth state invalid");
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
    };
    let organization = flow["org"].as_bool() == Some(true);
    let code = query.code.as_deref().filter(|c| !c.is_empty());
    let response = match (query.error.is_some(), code, flow["verifier"].as_str()) {
        (true, _, _) if organization && super::zoom_org::denied_for_rights(&query) => {
            page(StatusCode::FORBIDDEN, PageKind::OrgNeedsAdmin)
        }
        (true, _, _) => page(StatusCode::BAD_REQUEST, PageKind::OAuthDenied),
        (false, Some(code), Some(_)) if organization => {
            let redirect = redirect_uri(&state);
            super::zoom_org::finish(&state, lang, &oauth, code, &redirect, &flow).await?
        }
        (false, Some(code), Some(verifier)) => {
            connect_user(&state, lang, &oauth, code, verifier, &flow).await?
        }
        _ => page(StatusCode::BAD_REQUEST, PageKind::StateInvalid),
    };
    Ok(flow_state::clear_on(
        response,
        &ZOOM,
        &svc.config.public_url,
    ))
}

/// The personal flow's callback: exchanges the code, refuses a Zoom user
/// already linked to someone else in the workspace, then takes the
/// prompt's one-time link and links.
async fn connect_user(
    state: &AppState,
    lang: Lang,
    oauth: &ZoomOAuth,
    code: &str,
    verifier: &str,
    flow: &Value,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let page = |status, kind| pages::respond(state, lang, status, kind);
    let (Some(reference), Some(signed_in)) = (flow["prompt"].as_str(), flow["user"].as_str())
    else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let tokens = match oauth
        .exchange_code(code, &redirect_uri(state), &Secret::new(verifier))
        .await
    {
        Ok(tokens) => tokens,
        Err(error) => {
            tracing::warn!(%error, "Zoom refused the authorization code");
            return Ok(page(StatusCode::BAD_GATEWAY, PageKind::ZoomError));
        }
    };
    let me = match svc.zoom.me(&tokens.access_token).await {
        Ok(me) => me,
        Err(error) => {
            tracing::warn!(%error, "reading the new Zoom user failed");
            return Ok(page(StatusCode::BAD_GATEWAY, PageKind::ZoomError));
        }
    };
    let Some(prompt) = peek_prompt(state, reference).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    // Refused before the link is used up, so it works again once the other
    // Slack user disconnects. The new tokens are dropped, not revoked:
    // revoking would end the app's access for this Zoom user everywhere.
    if connect::taken_by_another(svc, &prompt.team_id, &me.id, &prompt.slack_user_id).await? {
        tracing::info!(team = %prompt.team_id, user = %prompt.slack_user_id, "the Zoom user is linked to another Slack user of the workspace; not linked");
        return Ok(page(StatusCode::CONFLICT, PageKind::ZoomAccountTaken));
    }
    // The prompt's link is single-use: taken only once Zoom has issued
    // tokens and named the user, so a Zoom hiccup leaves it usable.
    let now = svc.clock.now_ms();
    let taken = svc
        .store
        .take_grant(reference, PROMPT_KIND, None, now)
        .await?;
    let prompt = match taken.map(serde_json::from_value::<Prompt>) {
        Ok(Ok(prompt)) if prompt.slack_user_id == signed_in => prompt,
        Ok(_) => return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid)),
        Err(refusal) => {
            tracing::info!(?refusal, "Zoom install link already used");
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
    };
    let zoom = ZoomAccount {
        id: &me.id,
        email: Some(me.email.as_str()).filter(|e| !e.is_empty()),
        account_id: me.account_id.as_deref(),
    };
    match connect::complete(svc, &prompt, zoom, &tokens).await? {
        Completed::Linked => {}
        Completed::NotInstalled => {
            tracing::info!(
                "a Zoom authorization for a workspace that uninstalled zlack; nothing linked"
            );
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
        Completed::ZoomUserTaken => {
            return Ok(page(StatusCode::CONFLICT, PageKind::ZoomAccountTaken));
        }
    }
    crate::flows::remember_personal_room(svc, &me).await;
    tracing::info!(team = %prompt.team_id, user = %prompt.slack_user_id, "Slack user connected Zoom");
    Ok(page(StatusCode::OK, PageKind::Connected))
}
