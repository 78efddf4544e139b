//! Sign in with Slack (OpenID Connect): the authorize page,
//! `openid.connect.token` and `openid.connect.userInfo`, in Slack's wire
//! format.
//!
//! The ID token is a real JWT. Slack signs its tokens RS256 with the keys
//! at `/openid/connect/keys`; the fake signs HS256 with the app's client
//! secret (OpenID Connect's symmetric signing), which a test can check
//! without an RSA key pair.

use super::api::{Ctx, Reply, SlackError};
use super::chat::require;
use super::state::{Data, Shared, SignInCode, TokenKind};
use crate::args::{self, Args};
use crate::record::RecordedCall;
use crate::{http, ids};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Slack's authorization codes expire after ten minutes.
const CODE_LIFETIME: Duration = Duration::from_secs(600);
/// How long the fake's ID tokens are valid, in seconds.
const ID_TOKEN_LIFETIME: i64 = 3600;
/// The `iss` of every ID token.
pub const ISSUER: &str = "https://slack.com";

/// `GET /openid/connect/authorize`: signs in the user chosen with
/// `FakeSlack::set_next_sign_in` and redirects to `redirect_uri` with a
/// code and the `state`, as if they approved at once. Recorded as method
/// `"openid.connect.authorize"`.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let received_at = Instant::now();
    let args = args::parse(&headers, query.as_deref(), &[], &[]);
    let response = approve(&mut shared.data(), &args);
    shared.recorder.push(RecordedCall {
        method: "openid.connect.authorize".into(),
        args: Value::Object(args),
        bearer: None,
        basic: None,
        received_at,
        status: response.status().as_u16(),
        error: None,
    });
    response
}

fn approve(data: &mut Data, args: &Args) -> Response {
    let bad = |why: &str| (StatusCode::BAD_REQUEST, why.to_owned()).into_response();
    if args::text(args, "response_type").as_deref() != Some("code") {
        return bad("response_type must be code");
    }
    let client_id = args::text(args, "client_id");
    if client_id.is_none() || data.client.as_ref().map(|c| &c.0) != client_id.as_ref() {
        return bad("invalid_client_id");
    }
    let scope = args::text(args, "scope").unwrap_or_default();
    if !scope.split([' ', ',']).any(|s| s == "openid") {
        return bad("invalid_scope: Sign in with Slack needs openid");
    }
    let Some(redirect_uri) = args::text(args, "redirect_uri") else {
        return bad("the fake needs redirect_uri: it knows no configured redirect URL");
    };
    let Some((team_id, user_id)) = data.next_sign_in.clone() else {
        return bad("nobody is signed in: call FakeSlack::set_next_sign_in first");
    };
    let code = format!("oidc-{}", ids::random_alnum(24));
    let issued = SignInCode {
        team_id,
        user_id,
        scope,
        nonce: args::text(args, "nonce"),
        redirect_uri: redirect_uri.clone(),
        issued_at: Instant::now(),
    };
    data.sign_in_codes.insert(code.clone(), issued);
    let state = args::text(args, "state").unwrap_or_default();
    http::redirect(&http::with_query(
        &redirect_uri,
        &[("code", &code), ("state", &state)],
    ))
}

/// `openid.connect.token`: exchanges a code, once, for a user token and an
/// ID token. The client authenticates with form fields or HTTP Basic.
pub(crate) fn token(ctx: &Ctx<'_>, args: &Args) -> Reply {
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
    if !matches!(
        args::text(args, "grant_type").as_deref(),
        None | Some("authorization_code")
    ) {
        return Err(SlackError::new("invalid_grant_type"));
    }
    require(args, &["code"])?;
    let code = args::text(args, "code").unwrap_or_default();
    let issued = data
        .sign_in_codes
        .remove(&code)
        .filter(|c| c.issued_at.elapsed() <= CODE_LIFETIME)
        .ok_or_else(|| SlackError::new("invalid_code"))?;
    if args::text(args, "redirect_uri").as_deref() != Some(issued.redirect_uri.as_str()) {
        return Err(SlackError::new("bad_redirect_uri"));
    }
    let access_token = format!("xoxp-{}", ids::random_hex(32));
    data.add_token(
        &issued.team_id,
        &access_token,
        TokenKind::SignIn,
        &issued.user_id,
    );
    data.sign_in_scopes
        .insert(access_token.clone(), issued.scope.clone());
    let claims = id_claims(&data, &issued, &client_id);
    Ok(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "id_token": jwt(&claims, &client_secret),
    }))
}

/// The identity claims of `user_id` in `team_id`, as ID tokens and
/// `openid.connect.userInfo` both carry them, for the granted `scope`.
fn identity(data: &Data, team_id: &str, user_id: &str, scope: &str) -> Value {
    let mut claims = json!({
        "sub": user_id,
        "https://slack.com/user_id": user_id,
        "https://slack.com/team_id": team_id,
    });
    let workspace = data.workspaces.get(team_id);
    if let Some(enterprise) = workspace.and_then(|w| w.enterprise_id.as_deref()) {
        claims["https://slack.com/enterprise_id"] = enterprise.into();
    }
    let user = data.users.get(user_id);
    let scopes: Vec<&str> = scope.split([' ', ',']).collect();
    if let (true, Some(email)) = (
        scopes.contains(&"email"),
        user.and_then(|u| u.email.as_deref()),
    ) {
        claims["email"] = email.into();
        claims["email_verified"] = true.into();
    }
    if let (true, Some(user)) = (scopes.contains(&"profile"), user) {
        claims["name"] = user.name.clone().into();
        claims["locale"] = user.locale.clone().into();
        if let Some(workspace) = workspace {
            claims["https://slack.com/team_name"] = workspace.name.clone().into();
        }
    }
    claims
}

fn id_claims(data: &Data, issued: &SignInCode, client_id: &str) -> Value {
    let now = crate::unix_now();
    let mut claims = identity(data, &issued.team_id, &issued.user_id, &issued.scope);
    claims["iss"] = ISSUER.into();
    claims["aud"] = client_id.into();
    claims["iat"] = now.into();
    claims["auth_time"] = now.into();
    claims["exp"] = (now + ID_TOKEN_LIFETIME).into();
    if let Some(nonce) = &issued.nonce {
        claims["nonce"] = nonce.clone().into();
    }
    claims
}

/// A compact JWS: HS256 over `claims` with `key`.
fn jwt(claims: &Value, key: &str) -> String {
    let header = json!({"typ": "JWT", "alg": "HS256", "kid": "sandbox"});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// `openid.connect.userInfo`: who the Sign in with Slack token belongs to.
/// Other tokens are refused.
pub(crate) fn user_info(ctx: &Ctx<'_>, _args: &Args) -> Reply {
    let (token, info) = ctx.auth();
    if info.kind != TokenKind::SignIn {
        return Err(SlackError::new("not_allowed_token_type"));
    }
    let data = ctx.shared.data();
    let scope = data.sign_in_scopes.get(token).cloned().unwrap_or_default();
    Ok(identity(&data, &info.team_id, &info.user_id, &scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_token_is_a_jwt_signed_with_the_key() {
        let token = jwt(&json!({"sub": "U1"}), "secret");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["sub"], "U1");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        assert!(
            mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
                .is_ok()
        );
    }
}
