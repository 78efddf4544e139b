//! Organization mode: a Zoom admin authorizes the admin-managed Zoom app
//! once for the whole account. The Slack workspace it serves is the one
//! just installed: the page after "Add to Slack" holds a one-time link,
//! bound to that workspace, that starts the Zoom authorization. Whoever
//! opens it first signs in with Slack, and only the person who added zlack
//! to that workspace or one of its admins goes on to Zoom. So connecting
//! needs the Slack install (Slack's own OAuth), a Slack user entitled to
//! finish it, and a Zoom admin; nobody can point someone else's workspace
//! at their Zoom account, even with the link in hand.
//! From then on every Slack user there is found by email, with the
//! account's token.
//!
//! Someone without Zoom admin rights (by their role's privileges, see
//! [`crate::flows::zoom_admin`]) gets a page telling them to ask their Zoom
//! admin. Connecting a workspace that used personal mode keeps its links,
//! meeting history and settings; its users' personal Zoom tokens are
//! revoked at Zoom (best effort) and deleted.
//!
//! A workspace already connected to another Zoom account is not
//! re-pointed by a later "Add to Slack" and any Zoom admin: only its
//! connecting Zoom admin switches it at once, a Slack workspace admin
//! after confirming ([`super::zoom_org_switch`]), and anyone else is
//! refused with nothing changed ([`crate::flows::organization`]).

use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_SECURITY_POLICY};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};
use zlack_domain::i18n::Lang;

use super::AppState;
use super::cookies::Callback;
use super::error::AppError;
use super::pages::{self, PageKind, escape};
use crate::config::Secret;
use crate::flows::organization::{self, Applied, Authorization, Decision};
use crate::flows::zoom_admin::{self, Rights};
use crate::slack::openid::SlackIdentity;
use crate::store::StoreError;
use crate::zoom::oauth::ZoomOAuth;

/// The grant kind of the one-time "connect Zoom for this workspace" link.
pub const TEAM_KIND: &str = "zoom_org_team";
/// How long that link works after the Slack install.
const TEAM_TTL_MS: i64 = 60 * 60 * 1000;

/// What the organization link refers to.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OrgLink {
    /// The workspace (or Enterprise Grid org, for an org-wide install)
    /// just added to Slack.
    pub team: String,
    /// The Slack user who added it.
    #[serde(default)]
    pub installer: Option<String>,
}

/// The live organization link `team_ref`, without using it up.
pub async fn peek_link(state: &AppState, team_ref: &str) -> Result<Option<OrgLink>, StoreError> {
    if team_ref.is_empty() {
        return Ok(None);
    }
    let now = state.svc.clock.now_ms();
    let grant = state.svc.store.peek_grant(team_ref, TEAM_KIND, now).await?;
    Ok(grant.ok().and_then(|v| serde_json::from_value(v).ok()))
}

/// Whether `who`, signed in with Slack, may finish the organization link:
/// someone of its workspace who added zlack there, or an admin or owner of
/// the workspace (asked of Slack each time).
pub async fn may_finish(state: &AppState, link: &OrgLink, who: &SlackIdentity) -> bool {
    let in_workspace =
        who.team_id == link.team || who.enterprise_id.as_deref() == Some(link.team.as_str());
    if !in_workspace {
        return false;
    }
    if link.installer.as_deref() == Some(who.user_id.as_str()) {
        return true;
    }
    let svc = &state.svc;
    let enterprise = who.enterprise_id.as_deref();
    match crate::flows::credentials::slack_bot(svc, &who.team_id, enterprise).await {
        Ok((install, bot)) => {
            crate::flows::settings::is_settings_admin(svc, &install, &bot, &who.user_id).await
        }
        Err(_) => false,
    }
}

/// After Sign in with Slack: on to Zoom's authorization when `who` may
/// finish the organization link `team_ref`, else a page saying who may.
pub async fn after_sign_in(
    state: &AppState,
    lang: Lang,
    team_ref: &str,
    who: &SlackIdentity,
) -> Result<Response, AppError> {
    let page = |status, kind| pages::respond(state, lang, status, kind);
    if state.svc.config.zoom.mode != crate::config::ZoomMode::Organization {
        return Ok(page(StatusCode::NOT_FOUND, PageKind::OrgNotConfigured));
    }
    let Some(link) = peek_link(state, team_ref).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    if !may_finish(state, &link, who).await {
        tracing::info!(team = %link.team, user = %who.user_id, "the organization link was opened by someone who may not finish it");
        return Ok(page(StatusCode::FORBIDDEN, PageKind::OrgNotAllowed));
    }
    Ok(super::zoom_connect::authorize(state, |verifier| {
        json!({
            "org": true, "verifier": verifier, "team": team_ref,
            "user": who.user_id, "slack_team": who.team_id, "enterprise": who.enterprise_id,
        })
    }))
}

/// The page after "Add to Slack" in organization mode: installed, and
/// "Connect Zoom for the organization" for this workspace. `installer` is
/// who added zlack (Slack's `authed_user`), who may finish the link.
pub async fn installed_page(
    state: &AppState,
    lang: Lang,
    team_id: &str,
    installer: Option<&str>,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let token = crate::vault::random_token();
    svc.store
        .put_grant(
            &token,
            TEAM_KIND,
            None,
            &json!({ "team": team_id, "installer": installer }),
            svc.clock.now_ms() + TEAM_TTL_MS,
        )
        .await?;
    let (title, body) = zlack_domain::render::page(&svc.texts, lang, PageKind::SlackInstalled);
    let t = |key: &str| svc.texts.get(lang, key, &[]);
    let link = svc
        .config
        .public(&format!("/zoom/install?for=organization&team={token}"));
    let main = format!(
        "<h1>{}</h1><p>{}</p><h2>{}</h2><p>{}</p><p><a href=\"{}\">{}</a></p>",
        escape(&title),
        escape(&body),
        escape(&t("page-org-next-title")),
        escape(&t("page-org-next-body")),
        escape(&link),
        escape(&t("page-org-connect-link")),
    );
    Ok((
        StatusCode::OK,
        [
            (CONTENT_LANGUAGE, lang.code().to_owned()),
            (CACHE_CONTROL, "no-store".to_owned()),
            (
                CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'".to_owned(),
            ),
        ],
        Html(pages::document(lang, &title, &main)),
    )
        .into_response())
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

/// The callback of an organization authorization: checks that a Zoom
/// admin authorized, then connects the workspace the link was made for,
/// or, when it is connected to another account already, switches it (its
/// connecting Zoom admin), asks for confirmation (a Slack admin) or
/// refuses (anyone else). `flow` is what the Zoom flow's cookie carried.
pub async fn finish(
    state: &AppState,
    lang: Lang,
    oauth: &ZoomOAuth,
    code: &str,
    redirect_uri: &str,
    flow: &Value,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let page = |status, kind| pages::respond(state, lang, status, kind);
    let (Some(verifier), Some(team_ref), Some(who)) = (
        flow["verifier"].as_str(),
        flow["team"].as_str(),
        signed_in(flow),
    ) else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
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
    match zoom_admin::rights(svc, &tokens.access_token, &me).await {
        Rights::Admin => {}
        Rights::NotAdmin => {
            // The grant is simply dropped (it expires within the hour):
            // revoking it would make Zoom send app_deauthorized.
            tracing::info!(
                "a Zoom user without admin rights tried to install for the organization"
            );
            return Ok(page(StatusCode::FORBIDDEN, PageKind::OrgNeedsAdmin));
        }
        Rights::Unknown(error) => {
            tracing::warn!(%error, "Zoom did not tell the authorizing user's privileges (does the app have the scope user:read:list_permissions:admin?)");
            return Ok(page(StatusCode::BAD_GATEWAY, PageKind::ZoomError));
        }
    }
    let Some(link) = peek_link(state, team_ref).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let now = svc.clock.now_ms();
    let new = Authorization {
        account_id: account,
        admin_id: me.id.clone(),
        admin_email: Some(me.email.clone()).filter(|e| !e.is_empty()),
        expires_at: tokens.expires_at(now),
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
    };
    let team = link.team;
    let current = svc.store.organization(&team.as_str().into()).await?;
    let decision = organization::decide(svc, current.as_ref(), &new, &who).await;
    if decision == Decision::Refuse {
        organization::refused(svc, &team, &new, &who).await?;
        organization::drop_authorization(svc, &new).await?;
        return Ok(page(StatusCode::FORBIDDEN, PageKind::OrgSwitchRefused));
    }
    // The link is one-time: taken only now that a Zoom admin authorized
    // and what follows is allowed.
    if svc
        .store
        .take_grant(team_ref, TEAM_KIND, None, now)
        .await?
        .is_err()
    {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    }
    if let (Decision::Confirm, Some(current)) = (decision, current.as_ref()) {
        return super::zoom_org_switch::offer(state, lang, &team, current, new, &who).await;
    }
    let applied = organization::apply(svc, &team, current.as_ref(), &new, &who).await?;
    Ok(match applied {
        Applied::Connected => {
            tracing::info!(%team, "Zoom connected for the organization");
            page(StatusCode::OK, PageKind::OrgConnected)
        }
        Applied::Switched => page(StatusCode::OK, PageKind::OrgSwitched),
        Applied::Changed => {
            // Uninstalled, or connected by someone else, meanwhile.
            organization::drop_authorization(svc, &new).await?;
            page(StatusCode::BAD_REQUEST, PageKind::StateInvalid)
        }
    })
}

/// The Slack user the Zoom flow's cookie names: who signed in with Slack
/// before the browser went on to Zoom.
fn signed_in(flow: &Value) -> Option<SlackIdentity> {
    Some(SlackIdentity {
        user_id: flow["user"].as_str()?.to_owned(),
        team_id: flow["slack_team"].as_str()?.to_owned(),
        enterprise_id: flow["enterprise"].as_str().map(str::to_owned),
    })
}
