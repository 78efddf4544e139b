//! Connecting a Slack user's Zoom account: the prompt's one-time link
//! starts Zoom's OAuth with PKCE (S256) and a browser-bound `state`; the
//! callback exchanges the code, reads `/users/me`, links the accounts, and
//! queues the command the user typed so the meeting starts by itself.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::cookies::{self, Callback};
use super::error::AppError;
use super::pages::{self, PageKind};
use crate::config::Secret;
use crate::flows::connect::{self, PROMPT_KIND, Prompt};
use crate::zoom::oauth::{ZoomOAuth, authorize_url};
use crate::zoom::pkce::Pkce;

const COOKIE: &str = "zlack_zoom_state";
const COOKIE_PATH: &str = "/zoom/oauth";
const STATE_KIND: &str = "zoom_state";
const STATE_TTL_MS: i64 = 10 * 60 * 1000;

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

async fn install(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Install>,
) -> Result<Response, AppError> {
    oauth(&state)?;
    let lang = pages::lang(&headers);
    let now = state.svc.clock.now_ms();
    if query.purpose.as_deref() == Some("organization") {
        if state.svc.config.zoom.mode != crate::config::ZoomMode::Organization {
            return Ok(pages::respond(
                &state,
                lang,
                StatusCode::NOT_FOUND,
                PageKind::OrgNotConfigured,
            ));
        }
        // Only from the page after "Add to Slack": the workspace is bound.
        let team_ref = query.team.filter(|t| !t.is_empty()).unwrap_or_default();
        let bound = !team_ref.is_empty()
            && state
                .svc
                .store
                .peek_grant(&team_ref, super::zoom_org::TEAM_KIND, now)
                .await
                .map_err(unavailable)?
                .is_ok();
        if !bound {
            return Ok(pages::respond(
                &state,
                lang,
                StatusCode::BAD_REQUEST,
                PageKind::OrgStartFromSlack,
            ));
        }
        return authorize(
            &state,
            |verifier| super::zoom_org::state_payload(verifier, &team_ref),
            now,
        )
        .await;
    }
    // The personal flow exists only in personal mode: a prompt from before
    // a switch cannot add personal tokens afterwards.
    if state.svc.config.zoom.mode != crate::config::ZoomMode::Personal {
        return Ok(pages::respond(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            PageKind::StateInvalid,
        ));
    }
    let Some(reference) = query.reference.filter(|r| !r.is_empty()) else {
        return Ok(pages::respond(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            PageKind::StateInvalid,
        ));
    };
    let prompt = state
        .svc
        .store
        .peek_grant(&reference, PROMPT_KIND, now)
        .await
        .map_err(unavailable)?;
    if let Err(refusal) = prompt {
        tracing::debug!(?refusal, "Zoom install link refused");
        super::error::refused("authorize link invalid");
        return Ok(pages::respond(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            PageKind::StateInvalid,
        ));
    }
    authorize(
        &state,
        |verifier| json!({ "prompt": reference, "verifier": verifier }),
        now,
    )
    .await
}

/// Starts Zoom's OAuth: PKCE, a `state` grant holding `payload` (made from
/// the verifier), bound to this browser by a cookie.
async fn authorize(
    state: &AppState,
    payload: impl FnOnce(&str) -> serde_json::Value,
    now: i64,
) -> Result<Response, AppError> {
    let pkce = Pkce::generate();
    let oauth_state = cookies::random_token();
    let browser = cookies::random_token();
    let payload = payload(pkce.verifier.expose());
    state
        .svc
        .store
        .put_grant(
            &oauth_state,
            STATE_KIND,
            Some(&browser),
            &payload,
            now + STATE_TTL_MS,
        )
        .await
        .map_err(unavailable)?;
    let client_id = state
        .svc
        .config
        .zoom
        .client_id
        .as_deref()
        .unwrap_or_default();
    let location = authorize_url(
        &state.svc.config.zoom.oauth_url,
        client_id,
        &redirect_uri(state),
        &oauth_state,
        &pkce.challenge,
    );
    Ok(cookies::redirect_binding(
        &state.svc.config.public_url,
        &location,
        COOKIE,
        COOKIE_PATH,
        &browser,
        STATE_TTL_MS / 1000,
    ))
}

fn unavailable(e: crate::store::StoreError) -> AppError {
    AppError::Unavailable(e.to_string())
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
    let Some(oauth_state) = query.state.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let browser = cookies::read(&headers, COOKIE).unwrap_or_default();
    let taken = svc
        .store
        .take_grant(oauth_state, STATE_KIND, Some(&browser), now)
        .await
        .map_err(unavailable)?;
    let flow = match taken {
        Ok(flow) => flow,
        Err(refusal) => {
            tracing::debug!(?refusal, "Zoom OAuth callback refused");
            super::error::refused("OAuth state invalid");
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
    };
    let organization = flow["org"].as_bool() == Some(true);
    if query.error.is_some() {
        if organization && super::zoom_org::denied_for_rights(&query) {
            return Ok(page(StatusCode::FORBIDDEN, PageKind::OrgNeedsAdmin));
        }
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::OAuthDenied));
    }
    if organization {
        let (Some(code), Some(verifier)) = (
            query.code.as_deref().filter(|c| !c.is_empty()),
            flow["verifier"].as_str(),
        ) else {
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        };
        let team_ref = flow["team"].as_str().unwrap_or_default();
        let mut response = super::zoom_org::finish(
            &state,
            lang,
            &oauth,
            code,
            verifier,
            &redirect_uri(&state),
            team_ref,
        )
        .await?;
        if let Ok(value) = cookies::clear(COOKIE, COOKIE_PATH).parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
        return Ok(response);
    }
    let (Some(code), Some(reference), Some(verifier)) = (
        query.code.as_deref().filter(|c| !c.is_empty()),
        flow["prompt"].as_str(),
        flow["verifier"].as_str(),
    ) else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let tokens = match oauth
        .exchange_code(code, &redirect_uri(&state), &Secret::new(verifier))
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
    // The prompt's link is single-use: taken only once Zoom has issued
    // tokens and named the user, so a Zoom hiccup leaves it usable.
    let prompt = match svc
        .store
        .take_grant(reference, PROMPT_KIND, None, now)
        .await
        .map_err(unavailable)?
    {
        Ok(value) => match serde_json::from_value::<Prompt>(value) {
            Ok(prompt) => prompt,
            Err(_) => return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid)),
        },
        Err(refusal) => {
            tracing::info!(?refusal, "Zoom install link already used");
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
    };
    let linked = connect::complete(
        svc,
        &prompt,
        &me.id,
        Some(me.email.as_str()).filter(|e| !e.is_empty()),
        me.account_id.as_deref(),
        &tokens,
    )
    .await
    .map_err(unavailable)?;
    if !linked {
        tracing::info!(
            "a Zoom authorization for a workspace that uninstalled zlack; nothing linked"
        );
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    }
    crate::flows::remember_personal_room(svc, &me).await;
    tracing::info!(team = %prompt.team_id, user = %prompt.slack_user_id, "Slack user connected Zoom");
    let mut response = page(StatusCode::OK, PageKind::Connected);
    if let Ok(value) = cookies::clear(COOKIE, COOKIE_PATH).parse() {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}
