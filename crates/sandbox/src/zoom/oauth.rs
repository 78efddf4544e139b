//! Zoom OAuth: authorize, token (code, refresh with rotation, S2S) and revoke.
//!
//! Real Zoom reports a reused or revoked refresh token as error 4735
//! ("Invalid refresh token"); over HTTP that surfaces as the 400
//! `{"reason":"Invalid Token!","error":"invalid_grant"}` answered here.

use super::layer::{Params, ZoomError};
use super::state::{AuthCode, Data, Issued, Shared, Subject};
use crate::args::{self, Args};
use crate::{http, ids};
use axum::Router;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Zoom's authorization codes live five minutes.
const CODE_LIFETIME: Duration = Duration::from_secs(300);
/// The scopes every grant reports.
const SCOPES: &str = "meeting:write:meeting meeting:read:meeting meeting:read:list_past_participants \
                      meeting:read:past_meeting meeting:read:list_past_instances \
                      meeting:read:summary meeting:read:list_meetings user:read:user user:read:email \
                      user:read:zak user:read:presence_status";

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/oauth/authorize", get(authorize))
        .route("/oauth/token", post(token))
        .route("/oauth/revoke", post(revoke))
}

/// Approves at once as the user chosen with `set_next_login`.
async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let bad = |why: &str| (StatusCode::BAD_REQUEST, why.to_owned()).into_response();
    let get = |key: &str| q.get(key).filter(|v| !v.is_empty()).cloned();
    let mut data = shared.data();
    if get("response_type").as_deref() != Some("code") {
        return bad("response_type must be code");
    }
    if get("client_id").is_none() || data.client.as_ref().map(|c| &c.0) != get("client_id").as_ref()
    {
        return bad("Invalid client_id");
    }
    let Some(redirect_uri) = get("redirect_uri") else {
        return bad("redirect_uri is required");
    };
    let challenge = match (get("code_challenge"), get("code_challenge_method")) {
        (None, _) => None,
        (Some(c), None) => Some(("plain".to_owned(), c)),
        (Some(c), Some(m)) if m == "S256" || m == "plain" => Some((m, c)),
        (Some(_), Some(_)) => return bad("code_challenge_method must be S256 or plain"),
    };
    let Some(user_id) = data
        .next_login
        .clone()
        .filter(|id| data.users.contains_key(id))
    else {
        return bad("nobody is logged in: call FakeZoom::set_next_login with a known user");
    };
    let code = ids::random_alnum(32);
    let issued = AuthCode {
        user_id,
        redirect_uri: redirect_uri.clone(),
        challenge,
        issued_at: Instant::now(),
    };
    data.codes.insert(code.clone(), issued);
    let state = get("state").unwrap_or_default();
    let mut pairs = vec![("code", code.as_str())];
    if q.contains_key("state") {
        pairs.push(("state", state.as_str()));
    }
    http::redirect(&http::with_query(&redirect_uri, &pairs))
}

/// Token and revoke authenticate the app with HTTP Basic.
fn check_client(data: &Data, headers: &HeaderMap) -> Result<(), ZoomError> {
    if data.client.is_some() && http::basic(headers) == data.client {
        Ok(())
    } else {
        let reason = "Invalid client_id or client_secret";
        Err(ZoomError::oauth(
            StatusCode::UNAUTHORIZED,
            reason,
            "invalid_client",
        ))
    }
}

fn bad_request(reason: &str, error: &str) -> ZoomError {
    ZoomError::oauth(StatusCode::BAD_REQUEST, reason, error)
}

async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Extension(Params(args)): Extension<Params>,
) -> Result<Response, ZoomError> {
    let mut data = shared.data();
    check_client(&data, &headers)?;
    let issued = match args::text(&args, "grant_type").as_deref() {
        Some("authorization_code") => exchange_code(&mut data, &args)?,
        Some("refresh_token") => {
            let presented = args::text(&args, "refresh_token").unwrap_or_default();
            let rotated = data
                .rotate(&presented)
                .ok_or_else(|| bad_request("Invalid Token!", "invalid_grant"))?;
            data.token_grants += 1;
            rotated
        }
        Some("account_credentials") => {
            let account = args::text(&args, "account_id")
                .ok_or_else(|| bad_request("Missing account_id", "invalid_request"))?;
            data.grant(Subject::Account(account), false)
        }
        _ => {
            return Err(bad_request(
                "Unsupported grant type",
                "unsupported_grant_type",
            ));
        }
    };
    Ok(token_response(&shared.base_url, issued))
}

fn exchange_code(data: &mut Data, args: &Args) -> Result<Issued, ZoomError> {
    let invalid = |reason: &str| bad_request(reason, "invalid_request");
    let code_value = args::text(args, "code").unwrap_or_default();
    let code = data
        .codes
        .get(&code_value)
        .filter(|c| c.issued_at.elapsed() <= CODE_LIFETIME)
        .cloned()
        .ok_or_else(|| invalid(&format!("Invalid authorization code {code_value}")))?;
    if args::text(args, "redirect_uri").as_deref() != Some(code.redirect_uri.as_str()) {
        return Err(invalid("Redirect URI mismatch."));
    }
    if let Some((method, challenge)) = &code.challenge {
        let verifier = args::text(args, "code_verifier").unwrap_or_default();
        let derived = match method.as_str() {
            "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
            _ => verifier,
        };
        if derived != *challenge {
            return Err(invalid("Invalid code_verifier"));
        }
    }
    // Single use, and re-authorizing kills the user's earlier tokens.
    data.codes.remove(&code_value);
    let subject = Subject::User(code.user_id);
    data.revoke_subject(&subject);
    Ok(data.grant(subject, true))
}

fn token_response(api_url: &str, issued: Issued) -> Response {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "bearer",
        "expires_in": issued.expires_in,
        "scope": SCOPES,
        "api_url": api_url,
    });
    if let Some(refresh) = issued.refresh_token {
        body["refresh_token"] = refresh.into();
    }
    http::json(StatusCode::OK, &body)
}

/// Kills the grant of an access or refresh token. Unknown tokens get a 400.
async fn revoke(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Extension(Params(args)): Extension<Params>,
) -> Result<Response, ZoomError> {
    let mut data = shared.data();
    check_client(&data, &headers)?;
    let token = args::text(&args, "token").unwrap_or_default();
    if data.revoke(&token) {
        Ok(http::json(StatusCode::OK, &json!({"status": "success"})))
    } else {
        Err(bad_request("Invalid Token!", "invalid_request"))
    }
}
