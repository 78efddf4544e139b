//! Organization mode: a Zoom admin authorizes the admin-managed Zoom app
//! once for the whole account (`/zoom/install?for=organization`), then
//! picks which installed Slack workspace it serves. From then on every
//! Slack user there is found by email, with the account's token.
//!
//! Someone without Zoom admin rights gets a page telling them to ask their
//! Zoom admin. Connecting a workspace that used personal mode keeps its
//! meeting history and settings; its users' personal Zoom tokens are
//! revoked at Zoom and deleted.

use axum::Router;
use axum::extract::State;
use axum::http::header::{CONTENT_LANGUAGE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::{Value, json};
use zlack_domain::i18n::Lang;

use super::AppState;
use super::cookies::{self, Callback};
use super::error::AppError;
use super::extract::parse_form;
use super::pages::{self, PageKind, escape};
use crate::config::Secret;
use crate::store::{StoreError, TokenKind, TokenOwner};
use crate::zoom::oauth::ZoomOAuth;

/// The grant kind of the one-time "choose a workspace" form.
const CHOOSE_KIND: &str = "zoom_org_choose";
const CHOOSE_COOKIE: &str = "zlack_zoom_org";
const CHOOSE_PATH: &str = "/zoom/org";
const CHOOSE_TTL_MS: i64 = 15 * 60 * 1000;

pub fn router() -> Router<AppState> {
    Router::new().route("/zoom/org/connect", post(connect))
}

/// Zoom's role names of people who may authorize an admin-managed app.
fn is_zoom_admin(role_name: Option<&str>) -> bool {
    role_name.is_some_and(|r| {
        let r = r.to_ascii_lowercase();
        r == "owner" || r == "admin" || r.contains("admin")
    })
}

/// Whether Zoom's answer at the callback says the user lacks admin rights.
pub fn denied_for_rights(query: &Callback) -> bool {
    let text = format!(
        "{} {}",
        query.error.as_deref().unwrap_or_default(),
        query.error_description.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    text.contains("admin") || text.contains("privilege") || text.contains("permission")
}

fn unavailable(e: StoreError) -> AppError {
    AppError::Unavailable(e.to_string())
}

/// The callback of an organization authorization: checks that a Zoom admin
/// authorized, stores the account's tokens and shows the workspace choice.
pub async fn finish(
    state: &AppState,
    lang: Lang,
    oauth: &ZoomOAuth,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let page = |status, kind| pages::respond(state, lang, status, kind);
    let tokens = match oauth
        .exchange_code(code, redirect_uri, &Secret::new(verifier))
        .await
    {
        Ok(tokens) => tokens,
        Err(error) => {
            tracing::warn!(%error, "Zoom refused the organization's authorization code");
            return Ok(page(StatusCode::BAD_GATEWAY, PageKind::ZoomError));
        }
    };
    let me = match svc.zoom.me(&tokens.access_token).await {
        Ok(me) => me,
        Err(error) => {
            tracing::warn!(%error, "reading the authorizing Zoom user failed");
            return Ok(page(StatusCode::BAD_GATEWAY, PageKind::ZoomError));
        }
    };
    let Some(account) = me.account_id.clone().filter(|a| !a.is_empty()) else {
        return Ok(page(StatusCode::BAD_GATEWAY, PageKind::ZoomError));
    };
    if !is_zoom_admin(me.role_name.as_deref()) {
        tracing::info!("a Zoom user without admin rights tried to install for the organization");
        if let Err(error) = oauth.revoke(&tokens.access_token).await {
            tracing::debug!(%error, "revoking the refused authorization failed");
        }
        return Ok(page(StatusCode::FORBIDDEN, PageKind::OrgNeedsAdmin));
    }
    let now = svc.clock.now_ms();
    let owner = TokenOwner::zoom_account(&account);
    let stored = async {
        let mut tx = svc.store.begin().await?;
        svc.store
            .put_token(
                &mut tx,
                &owner,
                TokenKind::ZoomAccess,
                &tokens.access_token,
                Some(tokens.expires_at(now)),
                now,
            )
            .await?;
        match &tokens.refresh_token {
            Some(refresh) => {
                svc.store
                    .put_token(&mut tx, &owner, TokenKind::ZoomRefresh, refresh, None, now)
                    .await?
            }
            None => {
                svc.store
                    .delete_tokens(&mut tx, &owner, &[TokenKind::ZoomRefresh])
                    .await?;
            }
        }
        svc.store
            .audit(
                &mut tx,
                now,
                &format!("zoom:{}", me.id),
                "install",
                &format!("zoom-account:{account}"),
                "organization",
            )
            .await?;
        tx.commit().await.map_err(StoreError::from)
    }
    .await;
    stored.map_err(unavailable)?;
    choose_page(state, lang, &account).await
}

/// "Connect to Slack workspace": every installed workspace, one to pick.
async fn choose_page(state: &AppState, lang: Lang, account: &str) -> Result<Response, AppError> {
    let svc = &state.svc;
    let t = |key: &str| svc.texts.get(lang, key, &[]);
    let workspaces = svc
        .store
        .installed_workspaces()
        .await
        .map_err(unavailable)?;
    let title = t("page-org-choose-title");
    if workspaces.is_empty() {
        let install = svc.config.public("/slack/install");
        let main = format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"{}\">{}</a></p>",
            escape(&title),
            escape(&t("page-org-choose-none")),
            escape(&install),
            escape(&t("page-org-add-to-slack")),
        );
        return Ok(html(lang, StatusCode::OK, &title, &main, None));
    }
    let token = cookies::random_token();
    let browser = cookies::random_token();
    svc.store
        .put_grant(
            &token,
            CHOOSE_KIND,
            Some(&browser),
            &json!({ "account": account }),
            svc.clock.now_ms() + CHOOSE_TTL_MS,
        )
        .await
        .map_err(unavailable)?;
    let options: String = workspaces
        .iter()
        .enumerate()
        .map(|(i, (team, name))| {
            let label = match name {
                Some(name) if !name.is_empty() => format!("{name} ({team})"),
                _ => team.clone(),
            };
            format!(
                "<li><input type=radio name=team_id id=team{i} value=\"{}\"{}> <label for=team{i}>{}</label></li>",
                escape(team),
                if i == 0 { " checked" } else { "" },
                escape(&label)
            )
        })
        .collect();
    let main = format!(
        "<h1>{title}</h1><p>{intro}</p>\
         <form method=post action=\"{action}\">\
         <input type=hidden name=token value=\"{token}\">\
         <fieldset><legend>{legend}</legend><ul>{options}</ul></fieldset>\
         <p><button type=submit>{button}</button></p></form>",
        title = escape(&title),
        intro = escape(&t("page-org-choose-body")),
        action = escape(&svc.config.public("/zoom/org/connect")),
        token = escape(&token),
        legend = escape(&t("page-org-choose-legend")),
        button = escape(&t("page-org-choose-button")),
    );
    let secure = svc.config.public_url.scheme() == "https";
    let cookie = cookies::set(
        CHOOSE_COOKIE,
        &browser,
        CHOOSE_PATH,
        CHOOSE_TTL_MS / 1000,
        secure,
    );
    Ok(html(lang, StatusCode::OK, &title, &main, Some(cookie)))
}

fn html(
    lang: Lang,
    status: StatusCode,
    title: &str,
    main: &str,
    cookie: Option<String>,
) -> Response {
    let mut response = (
        status,
        [(CONTENT_LANGUAGE, lang.code())],
        Html(pages::document(lang, title, main)),
    )
        .into_response();
    if let Some(value) = cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize)]
struct Choice {
    token: String,
    team_id: String,
}

/// The workspace choice: connects it to the account. A workspace that
/// used personal mode keeps its links, meetings and settings; its users'
/// personal Zoom tokens are revoked at Zoom and deleted.
async fn connect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    if body.len() > 4096 {
        return Err(AppError::PayloadTooLarge);
    }
    let lang = pages::lang(&headers);
    let svc = &state.svc;
    let page = |status, kind| pages::respond(&state, lang, status, kind);
    let choice: Choice = parse_form(&body)?;
    let browser = cookies::read(&headers, CHOOSE_COOKIE).unwrap_or_default();
    let now = svc.clock.now_ms();
    let taken = svc
        .store
        .take_grant(&choice.token, CHOOSE_KIND, Some(&browser), now)
        .await
        .map_err(unavailable)?;
    let Ok(grant) = taken else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let Some(account) = grant["account"].as_str().map(str::to_owned) else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let zoom_users = svc
        .store
        .zoom_users_in_team(&choice.team_id)
        .await
        .map_err(unavailable)?;
    // The personal refresh tokens, read before they are deleted, to revoke
    // them at Zoom once the switch is committed.
    let mut personal = Vec::new();
    for user in &zoom_users {
        let owner = TokenOwner::zoom_user(user);
        if let Ok(Some(token)) = svc.store.token(&owner, TokenKind::ZoomRefresh).await {
            personal.push(token.secret);
        }
    }
    let switched = async {
        let mut tx = svc.store.begin().await?;
        if !svc
            .store
            .connect_organization(&mut tx, &choice.team_id, &account)
            .await?
        {
            return Ok(false);
        }
        let mut deleted = 0;
        for user in &zoom_users {
            let owner = TokenOwner::zoom_user(user);
            deleted += svc.store.delete_tokens(&mut tx, &owner, &[]).await?;
        }
        svc.store
            .audit(
                &mut tx,
                now,
                "zoom-admin",
                "connect",
                &format!("team:{}", choice.team_id),
                &format!("zoom-account:{account} personal_tokens={deleted}"),
            )
            .await?;
        tx.commit().await?;
        Ok::<bool, StoreError>(true)
    }
    .await
    .map_err(unavailable)?;
    if !switched {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    }
    if let Some(oauth) = &svc.zoom_oauth {
        for token in &personal {
            if let Err(error) = oauth.revoke(token).await {
                tracing::warn!(%error, "revoking a personal Zoom authorization failed");
            }
        }
    }
    tracing::info!(team = %choice.team_id, revoked = personal.len(), "Zoom connected for the organization");
    let mut response = page(StatusCode::OK, PageKind::OrgConnected);
    if let Ok(value) = cookies::clear(CHOOSE_COOKIE, CHOOSE_PATH).parse() {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}

/// The state payload marking an organization authorization.
pub fn state_payload(verifier: &str) -> Value {
    json!({ "org": true, "verifier": verifier })
}
