//! Organization mode: a Slack workspace admin confirms that a connected
//! workspace switches to another Zoom account.
//!
//! The Zoom callback that found the switch ([`super::zoom_org`]) keeps the
//! new authorization in a one-time grant (sealed, ten minutes) and shows a
//! page naming the account connected now and the one it would switch to,
//! with a form that posts to `/zoom/oauth/switch`. The form carries a
//! token sealed by the vault (so it can be neither forged nor altered)
//! that names the Slack user who signed in, its deadline and a random
//! `state`; the browser holds a cookie, sealed too, `HttpOnly` and
//! `SameSite=Lax` (so another site's form post does not carry it), with
//! the same `state`, the same Slack user and the grant's secret. A post is
//! taken only with both, matching, in time, once; and the Slack user must
//! still be an admin when they confirm.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_LANGUAGE, CONTENT_SECURITY_POLICY, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::json;
use zlack_domain::i18n::Lang;
use zlack_domain::render::{AccountLabel, org_switch_page};

use super::AppState;
use super::cookies;
use super::error::AppError;
use super::extract::{browser_form, parse_form};
use super::flow_state::{self, ORG_SWITCH};
use super::headers::FORM_PAGE_CSP;
use super::pages::{self, PageKind, escape};
use crate::clock::Millis;
use crate::flows::organization::{self, Applied, Authorization};
use crate::slack::openid::SlackIdentity;
use crate::store::OrgConnection;

/// The grant kind of a switch waiting for a Slack admin's confirmation.
pub const SWITCH_KIND: &str = "zoom_org_switch";
/// The route the confirmation form posts to (under the Zoom flow's path).
pub const SWITCH_PATH: &str = "/zoom/oauth/switch";
/// The sealing context of the form's token.
const FORM_CONTEXT: &str = "org-switch-form";
/// A confirmation form is a few hundred bytes.
const MAX_FORM: usize = 4 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(SWITCH_PATH, post(confirm))
}

/// The Slack user who signed in, as the pending switch keeps them.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Who {
    team_id: String,
    user_id: String,
    enterprise_id: Option<String>,
}

impl Who {
    fn identity(&self) -> SlackIdentity {
        SlackIdentity {
            user_id: self.user_id.clone(),
            team_id: self.team_id.clone(),
            enterprise_id: self.enterprise_id.clone(),
        }
    }
}

/// A switch waiting for confirmation (the grant's sealed payload).
#[derive(Serialize, Deserialize)]
struct Pending {
    /// The install to switch.
    team: String,
    /// The account it was connected to when the page was shown.
    from: String,
    new: Authorization,
    who: Who,
}

/// What the form's hidden token holds.
#[derive(Serialize, Deserialize)]
struct FormToken {
    state: String,
    team: String,
    user: String,
    exp: Millis,
}

#[derive(Deserialize)]
struct SwitchForm {
    token: String,
    decision: String,
}

/// The page asking `who`, a Slack admin, whether the install `team`,
/// connected as `current`, switches to `new`'s account.
pub async fn offer(
    state: &AppState,
    lang: Lang,
    team: &str,
    current: &OrgConnection,
    new: Authorization,
    who: &SlackIdentity,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let vault = svc.store.vault();
    let now = svc.clock.now_ms();
    let exp = now + ORG_SWITCH.ttl_ms;
    let secret = crate::vault::random_token();
    let started = ORG_SWITCH.begin(
        vault,
        &svc.config.public_url,
        now,
        json!({ "switch": secret, "team": who.team_id, "user": who.user_id }),
    );
    let current_label = AccountLabel {
        account_id: &current.account_id,
        admin: current
            .admin_email
            .as_deref()
            .or(current.admin_id.as_deref())
            .unwrap_or_default(),
    };
    let new_admin = new
        .admin_email
        .clone()
        .unwrap_or_else(|| new.admin_id.clone());
    let texts = org_switch_page(
        &svc.texts,
        lang,
        current_label,
        AccountLabel {
            account_id: &new.account_id,
            admin: &new_admin,
        },
    );
    let pending = Pending {
        team: team.to_owned(),
        from: current.account_id.clone(),
        new,
        who: Who {
            team_id: who.team_id.clone(),
            user_id: who.user_id.clone(),
            enterprise_id: who.enterprise_id.clone(),
        },
    };
    let payload =
        serde_json::to_value(&pending).map_err(|e| AppError::Unavailable(e.to_string()))?;
    svc.store
        .put_grant(&secret, SWITCH_KIND, Some(&started.state), &payload, exp)
        .await?;
    let token = FormToken {
        state: started.state,
        team: who.team_id.clone(),
        user: who.user_id.clone(),
        exp,
    };
    let plain = serde_json::to_vec(&token).map_err(|e| AppError::Unavailable(e.to_string()))?;
    let token = URL_SAFE_NO_PAD.encode(vault.seal(&plain, FORM_CONTEXT));
    let main = format!(
        "<h1>{title}</h1><p>{intro}</p><ul><li>{current}</li><li>{proposed}</li></ul>\
         <p>{consequences}</p><form method=post action=\"{action}\">\
         <input type=hidden name=token value=\"{token}\">\
         <p><button type=submit name=decision value=switch>{switch}</button> \
         <button type=submit name=decision value=keep>{keep}</button></p></form>",
        title = escape(&texts.title),
        intro = escape(&texts.intro),
        current = escape(&texts.current),
        proposed = escape(&texts.proposed),
        consequences = escape(&texts.consequences),
        action = escape(&svc.config.public(SWITCH_PATH)),
        switch = escape(&texts.switch_button),
        keep = escape(&texts.keep_button),
    );
    let mut response = (
        StatusCode::OK,
        [
            (CONTENT_LANGUAGE, lang.code().to_owned()),
            (CONTENT_SECURITY_POLICY, FORM_PAGE_CSP.to_owned()),
        ],
        Html(pages::document(lang, &texts.title, &main)),
    )
        .into_response();
    if let Ok(value) = started.set_cookie.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let lang = pages::lang(&headers);
    let page = |status, kind| pages::respond(&state, lang, status, kind);
    // A post from a browser that was never shown the page is refused
    // before its body is read.
    if cookies::read(&headers, ORG_SWITCH.cookie).is_none_or(|c| c.is_empty()) {
        super::error::refused("organization switch without its cookie");
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    }
    let body = browser_form(&headers, body, MAX_FORM).await?;
    let form: SwitchForm = parse_form(&body)?;
    let response = match form.decision.as_str() {
        "switch" | "keep" => decide(&state, lang, &headers, &form).await?,
        _ => page(StatusCode::BAD_REQUEST, PageKind::StateInvalid),
    };
    Ok(flow_state::clear_on(
        response,
        &ORG_SWITCH,
        &state.svc.config.public_url,
    ))
}

/// The pending switch behind a valid form and cookie, used up.
async fn take(
    state: &AppState,
    headers: &HeaderMap,
    form: &SwitchForm,
) -> Result<Option<Pending>, AppError> {
    let svc = &state.svc;
    let vault = svc.store.vault();
    let now = svc.clock.now_ms();
    let token = URL_SAFE_NO_PAD
        .decode(form.token.as_bytes())
        .ok()
        .and_then(|sealed| vault.open(&sealed, FORM_CONTEXT).ok())
        .and_then(|plain| serde_json::from_slice::<FormToken>(&plain).ok());
    let Some(token) = token.filter(|t| t.exp > now) else {
        super::error::refused("organization switch form token invalid or expired");
        return Ok(None);
    };
    let flow = match ORG_SWITCH.finish(vault, headers, Some(&token.state), now) {
        Ok(flow) => flow,
        Err(refusal) => {
            tracing::info!(?refusal, "organization switch cookie refused");
            return Ok(None);
        }
    };
    if flow["user"].as_str() != Some(token.user.as_str())
        || flow["team"].as_str() != Some(token.team.as_str())
    {
        return Ok(None);
    }
    let secret = flow["switch"].as_str().unwrap_or_default();
    let taken = svc
        .store
        .take_grant(secret, SWITCH_KIND, Some(&token.state), now)
        .await?;
    let pending = match taken.map(serde_json::from_value::<Pending>) {
        Ok(Ok(pending)) => pending,
        Ok(Err(_)) => return Ok(None),
        Err(refusal) => {
            tracing::info!(?refusal, "organization switch already decided or expired");
            return Ok(None);
        }
    };
    let same = pending.who.user_id == token.user && pending.who.team_id == token.team;
    Ok(same.then_some(pending))
}

async fn decide(
    state: &AppState,
    lang: Lang,
    headers: &HeaderMap,
    form: &SwitchForm,
) -> Result<Response, AppError> {
    let svc = &state.svc;
    let page = |status, kind| pages::respond(state, lang, status, kind);
    let Some(pending) = take(state, headers, form).await? else {
        return Ok(page(StatusCode::BAD_REQUEST, PageKind::StateInvalid));
    };
    let who = pending.who.identity();
    let drop = || async {
        organization::drop_authorization(svc, &pending.new)
            .await
            .map_err(AppError::from)
    };
    if form.decision == "keep" {
        drop().await?;
        tracing::info!(team = %pending.team, "a Slack admin kept the workspace's Zoom account");
        return Ok(page(StatusCode::OK, PageKind::OrgSwitchKept));
    }
    // Asked of Slack again: whoever confirms must still be an admin.
    if !organization::is_slack_admin(svc, &who).await {
        drop().await?;
        organization::refused(svc, &pending.team, &pending.new, &who).await?;
        return Ok(page(StatusCode::FORBIDDEN, PageKind::OrgSwitchRefused));
    }
    let current = svc
        .store
        .organization(&pending.team.as_str().into())
        .await?;
    let applied = match current.as_ref() {
        Some(c) if c.account_id == pending.from => {
            organization::apply(svc, &pending.team, current.as_ref(), &pending.new, &who).await?
        }
        _ => Applied::Changed,
    };
    match applied {
        Applied::Switched | Applied::Connected => Ok(page(StatusCode::OK, PageKind::OrgSwitched)),
        Applied::Changed => {
            // Someone else connected or switched it meanwhile.
            drop().await?;
            Ok(page(StatusCode::CONFLICT, PageKind::StateInvalid))
        }
    }
}
