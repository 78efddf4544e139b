//! Installing zlack into a Slack workspace (OAuth v2): a `state` that is
//! random, ten minutes long and bound to the browser by a sealed cookie,
//! with nothing stored until Slack grants the install
//! ([`super::flow_state`]); the code, which Slack redeems once, exchanged
//! with `oauth.v2.access`; the bot token sealed per workspace, or per org
//! for org-wide Enterprise Grid installs.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;

use super::AppState;
use super::cookies::Callback;
use super::error::AppError;
use super::flow_state::{self, SLACK_INSTALL};
use super::pages::{self, PageKind};
use crate::manifest::BOT_SCOPES;
use crate::slack::api::OAuthGrant;
use crate::store::{TokenKind, TokenOwner, Workspace};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/slack/install", get(install))
        .route("/slack/oauth/callback", get(callback))
}

fn credentials(state: &AppState) -> Result<(&str, &crate::config::Secret), AppError> {
    let slack = &state.svc.config.slack;
    let id = slack.client_id.as_deref().ok_or(AppError::NotConfigured {
        service: "Slack install",
        key: "ZLACK_SLACK_CLIENT_ID",
    })?;
    let secret = slack
        .client_secret
        .as_ref()
        .ok_or(AppError::NotConfigured {
            service: "Slack install",
            key: "ZLACK_SLACK_CLIENT_SECRET",
        })?;
    Ok((id, secret))
}

fn redirect_uri(state: &AppState) -> String {
    state.svc.config.public("/slack/oauth/callback")
}

/// Sends the browser to Slack's install page. Anyone may open it, so it
/// writes nothing.
async fn install(State(state): State<AppState>) -> Result<Response, AppError> {
    let (client_id, _) = credentials(&state)?;
    let svc = &state.svc;
    let started = SLACK_INSTALL.begin(
        svc.store.vault(),
        &svc.config.public_url,
        svc.clock.now_ms(),
        serde_json::json!({}),
    );
    let mut url = svc.config.slack.authorize_url.clone();
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("scope", &BOT_SCOPES.join(","))
        .append_pair("redirect_uri", &redirect_uri(&state))
        .append_pair("state", &started.state);
    Ok(flow_state::redirect(url.as_str(), &[started.set_cookie]))
}

async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Callback>,
) -> Result<Response, AppError> {
    let (client_id, client_secret) = credentials(&state)?;
    let lang = pages::lang(&headers);
    let refuse = |kind| pages::respond(&state, lang, StatusCode::BAD_REQUEST, kind);
    let now = state.svc.clock.now_ms();
    let vault = state.svc.store.vault();
    if let Err(refusal) = SLACK_INSTALL.finish(vault, &headers, query.state.as_deref(), now) {
        tracing::debug!(?refusal, "Slack install callback refused");
        super::error::refused("OAuth state invalid");
        return Ok(refuse(PageKind::StateInvalid));
    }
    if query.error.is_some() {
        return Ok(refuse(PageKind::OAuthDenied));
    }
    let Some(code) = query.code.as_deref().filter(|c| !c.is_empty()) else {
        return Ok(refuse(PageKind::StateInvalid));
    };
    let redirect = redirect_uri(&state);
    let access = match state
        .svc
        .slack
        .oauth_access(
            client_id,
            client_secret,
            OAuthGrant::Code {
                code,
                redirect_uri: &redirect,
            },
        )
        .await
    {
        Ok(access) => access,
        Err(error) => {
            tracing::warn!(%error, "oauth.v2.access refused the install");
            return Ok(pages::respond(
                &state,
                lang,
                StatusCode::BAD_GATEWAY,
                PageKind::SlackError,
            ));
        }
    };
    let enterprise_id = access.enterprise.as_ref().map(|e| e.id.clone());
    let (team_id, team_name) = match (
        &access.team,
        &access.enterprise,
        access.is_enterprise_install,
    ) {
        (_, Some(org), true) => (org.id.clone(), org.name.clone()),
        (Some(team), _, _) => (team.id.clone(), team.name.clone()),
        _ => {
            return Ok(pages::respond(
                &state,
                lang,
                StatusCode::BAD_GATEWAY,
                PageKind::SlackError,
            ));
        }
    };
    let workspace = Workspace {
        team_id: team_id.clone().into(),
        enterprise_id: enterprise_id.map(Into::into),
        team_name,
        bot_user_id: access.bot_user_id.clone().unwrap_or_default().into(),
        is_enterprise_install: access.is_enterprise_install,
        installed_by: access
            .authed_user
            .as_ref()
            .map(|u| u.id.clone())
            .map(Into::into),
        installed_at: now,
    };
    let owner = TokenOwner::slack_team(&team_id);
    let expires_at = access.expires_in.map(|secs| now + secs * 1000);
    let saved: Result<(), crate::store::StoreError> = async {
        let mut tx = state.svc.store.begin().await?;
        state.svc.store.save_workspace(&mut tx, &workspace).await?;
        state
            .svc
            .store
            .put_token(
                &mut tx,
                &owner,
                TokenKind::SlackBot,
                &access.access_token,
                expires_at,
                now,
            )
            .await?;
        match &access.refresh_token {
            Some(refresh) => {
                state
                    .svc
                    .store
                    .put_token(
                        &mut tx,
                        &owner,
                        TokenKind::SlackBotRefresh,
                        refresh,
                        None,
                        now,
                    )
                    .await?
            }
            None => {
                state
                    .svc
                    .store
                    .delete_tokens(&mut tx, &owner, &[TokenKind::SlackBotRefresh])
                    .await?;
            }
        }
        let actor = match &workspace.installed_by {
            Some(user) => format!("slack:{team_id}:{user}"),
            None => "slack".to_owned(),
        };
        let detail = if workspace.is_enterprise_install {
            "org-wide"
        } else {
            ""
        };
        state
            .svc
            .store
            .audit(
                &mut tx,
                now,
                &actor,
                "install",
                &format!("team:{team_id}"),
                detail,
            )
            .await?;
        tx.commit().await
    }
    .await;
    saved?;
    tracing::info!(team = %team_id, org_wide = workspace.is_enterprise_install, "installed in Slack");
    let installer = workspace.installed_by.as_deref();
    let response = if state.svc.config.zoom.mode == crate::config::ZoomMode::Organization {
        super::zoom_org::installed_page(&state, lang, &team_id, installer).await?
    } else {
        pages::respond(&state, lang, StatusCode::OK, PageKind::SlackInstalled)
    };
    Ok(flow_state::clear_on(
        response,
        &SLACK_INSTALL,
        &state.svc.config.public_url,
    ))
}
