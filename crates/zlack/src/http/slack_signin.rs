//! Sign in with Slack (OpenID Connect) before any link connects Zoom.
//!
//! A link that completes a connection (the "Authorize Zoom" prompt, the
//! reconnect DM, the organization link after "Add to Slack") may be
//! forwarded, so holding it proves nothing. Opening it first sends the
//! browser to Slack's OpenID authorize page (scope `openid`, a `nonce`, the
//! link's workspace as `team` hint); Slack sends it back here with a code,
//! which `openid.connect.token` exchanges for an ID token naming the Slack
//! user and workspace, confirmed by `openid.connect.userInfo`. Only when
//! that user may finish the link does the browser go on to Zoom; anyone
//! else gets a page saying so, and nothing is stored or queued. It stays
//! redirects only: link → Slack → here → Zoom → zlack.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::cookies::Callback;
use super::error::AppError;
use super::flow_state::{self, SIGN_IN};
use super::pages::{self, PageKind};
use crate::config::Secret;
use crate::manifest::SIGN_IN_CALLBACK;
use crate::slack::openid::{self, SlackIdentity};

pub fn router() -> Router<AppState> {
    Router::new().route(SIGN_IN_CALLBACK, get(callback))
}

/// The link a sign-in serves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum Purpose {
    /// A prompt or reconnect link, `/zoom/install?ref=…`.
    Prompt {
        /// The link's one-time reference.
        reference: String,
    },
    /// The organization link from the page after "Add to Slack".
    Organization {
        /// The link's one-time reference.
        team_ref: String,
    },
}

/// What the sign-in cookie carries to the callback.
#[derive(Serialize, Deserialize)]
struct Pending {
    purpose: Purpose,
    nonce: String,
}

fn credentials(state: &AppState) -> Result<(&str, &Secret), AppError> {
    let slack = &state.svc.config.slack;
    let missing = AppError::NotConfigured {
        service: "Sign in with Slack",
        key: "ZLACK_SLACK_CLIENT_ID and ZLACK_SLACK_CLIENT_SECRET",
    };
    match (slack.client_id.as_deref(), slack.client_secret.as_ref()) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => Err(missing),
    }
}

/// Sends the browser to Sign in with Slack for `purpose`; `team` is the
/// workspace the link was made for, a hint for Slack's sign-in page.
/// Nothing is stored: the flow lives in a sealed cookie.
pub fn start(state: &AppState, purpose: Purpose, team: Option<&str>) -> Result<Response, AppError> {
    let (client_id, _) = credentials(state)?;
    let svc = &state.svc;
    let nonce = crate::vault::random_token();
    let pending = Pending {
        purpose,
        nonce: nonce.clone(),
    };
    let data = serde_json::to_value(&pending).map_err(|e| AppError::Unavailable(e.to_string()))?;
    let started = SIGN_IN.begin(
        svc.store.vault(),
        &svc.config.public_url,
        svc.clock.now_ms(),
        data,
    );
    let mut url = svc.config.slack.openid_authorize_url.clone();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("scope", openid::SCOPE)
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", &svc.config.public(SIGN_IN_CALLBACK))
        .append_pair("state", &started.state)
        .append_pair("nonce", &nonce);
    // Slack's hint names a workspace; an org-wide install's id (E…) is not one.
    if let Some(team) = team.filter(|t| t.starts_with('T')) {
        url.query_pairs_mut().append_pair("team", team);
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
    let page = |status, kind| pages::respond(&state, lang, status, kind);
    let svc = &state.svc;
    let now = svc.clock.now_ms();
    let opened = SIGN_IN.finish(svc.store.vault(), &headers, query.state.as_deref(), now);
    let pending = match opened.map(serde_json::from_value::<Pending>) {
        Ok(Ok(pending)) => pending,
        Ok(Err(_)) => return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid)),
        Err(refusal) => {
            tracing::info!(?refusal, "Sign in with Slack callback refused");
            return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
        }
    };
    let response = if query.error.is_some() {
        page(StatusCode::BAD_REQUEST, PageKind::OAuthDenied)
    } else if let Some(code) = query.code.as_deref().filter(|c| !c.is_empty()) {
        match identify(&state, client_id, client_secret, code, &pending.nonce).await {
            Ok(who) => proceed(&state, lang, &pending.purpose, &who).await?,
            Err(status) => page(status, PageKind::SignInFailed),
        }
    } else {
        page(StatusCode::BAD_REQUEST, PageKind::StateInvalid)
    };
    Ok(flow_state::clear_on(
        response,
        &SIGN_IN,
        &svc.config.public_url,
    ))
}

/// Who signed in: the code exchanged, the ID token's claims checked, and
/// the identity confirmed by `openid.connect.userInfo`. Err: the status of
/// the "could not sign you in" page.
async fn identify(
    state: &AppState,
    client_id: &str,
    client_secret: &Secret,
    code: &str,
    nonce: &str,
) -> Result<SlackIdentity, StatusCode> {
    let svc = &state.svc;
    let redirect_uri = svc.config.public(SIGN_IN_CALLBACK);
    let tokens = svc
        .slack
        .openid_token(client_id, client_secret, code, &redirect_uri)
        .await
        .map_err(|error| {
            tracing::warn!(%error, "openid.connect.token refused the sign-in");
            StatusCode::BAD_GATEWAY
        })?;
    let claimed = openid::verify_id_token(
        tokens.id_token.expose(),
        client_id,
        nonce,
        svc.clock.now_secs(),
    )
    .map_err(|error| {
        tracing::warn!(%error, "Slack's ID token was refused");
        StatusCode::BAD_REQUEST
    })?;
    let confirmed = svc
        .slack
        .openid_user_info(&tokens.access_token)
        .await
        .map_err(|error| {
            tracing::warn!(%error, "openid.connect.userInfo failed");
            StatusCode::BAD_GATEWAY
        })?;
    if confirmed.user_id != claimed.user_id || confirmed.team_id != claimed.team_id {
        tracing::warn!("Slack's ID token and userInfo name different users");
        return Err(StatusCode::BAD_REQUEST);
    }
    Ok(claimed)
}

/// On to Zoom when `who` may finish the link, else the page saying why.
async fn proceed(
    state: &AppState,
    lang: zlack_domain::i18n::Lang,
    purpose: &Purpose,
    who: &SlackIdentity,
) -> Result<Response, AppError> {
    match purpose {
        Purpose::Prompt { reference } => {
            super::zoom_connect::after_sign_in(state, lang, reference, who).await
        }
        Purpose::Organization { team_ref } => {
            super::zoom_org::after_sign_in(state, lang, team_ref, who).await
        }
    }
}
