//! Sign in with Slack (OpenID Connect): exchanging the code
//! (`openid.connect.token`), checking the ID token's claims, and asking
//! Slack who signed in (`openid.connect.userInfo`).
//!
//! The ID token's signature is not checked against Slack's published keys.
//! zlack receives the token straight from Slack's token endpoint, over TLS,
//! in exchange for a one-time code and the app's client secret; OpenID
//! Connect Core (3.1.3.7) lets that channel stand in for the signature.
//! Its claims are still checked (issuer, audience, expiry, issue time and
//! the nonce this browser's flow sent), and the identity must agree with
//! what `openid.connect.userInfo` answers for the fresh access token. So no
//! key set is fetched, cached or rotated.

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::Value;

use super::api::{SlackApi, SlackError, send};
use crate::config::Secret;

/// The `iss` of Slack's ID tokens.
pub const ISSUER: &str = "https://slack.com";
/// The scope Sign in with Slack asks for: only who you are, no profile
/// or email.
pub const SCOPE: &str = "openid";
const USER_ID: &str = "https://slack.com/user_id";
const TEAM_ID: &str = "https://slack.com/team_id";
const ENTERPRISE_ID: &str = "https://slack.com/enterprise_id";
/// How far Slack's clock may be from zlack's.
const LEEWAY_SECS: i64 = 300;

/// What `openid.connect.token` returns that zlack uses; neither is logged.
pub struct SignInTokens {
    /// A user token good for `openid.connect.userInfo`.
    pub access_token: Secret,
    /// The ID token (a JWT).
    pub id_token: Secret,
}

/// Who signed in with Slack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlackIdentity {
    /// The Slack user (`U…` or `W…`).
    pub user_id: String,
    /// The workspace they signed in to.
    pub team_id: String,
    /// Their Enterprise Grid org, if any.
    pub enterprise_id: Option<String>,
}

/// Why an ID token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    /// Not a JWT with a JSON object as its claims.
    #[error("the ID token is not a readable JWT")]
    Malformed,
    /// Issued by someone other than Slack.
    #[error("the ID token's issuer is not Slack")]
    Issuer,
    /// Issued to another app.
    #[error("the ID token was issued to another app")]
    Audience,
    /// Past its `exp`.
    #[error("the ID token has expired")]
    Expired,
    /// Its `iat` lies in the future.
    #[error("the ID token was issued in the future")]
    NotYetIssued,
    /// Not the nonce this flow sent.
    #[error("the ID token's nonce does not match")]
    Nonce,
    /// No Slack user or workspace in it.
    #[error("the ID token names no Slack user and workspace")]
    NoIdentity,
}

/// The identity in an ID token, once its claims pass every check.
pub fn verify_id_token(
    token: &str,
    client_id: &str,
    nonce: &str,
    now_secs: i64,
) -> Result<SlackIdentity, IdTokenError> {
    let claims = claims(token).ok_or(IdTokenError::Malformed)?;
    if claims["iss"].as_str() != Some(ISSUER) {
        return Err(IdTokenError::Issuer);
    }
    let audience_ok = match &claims["aud"] {
        Value::String(aud) => aud == client_id,
        Value::Array(auds) => auds.iter().any(|a| a.as_str() == Some(client_id)),
        _ => false,
    };
    if !audience_ok {
        return Err(IdTokenError::Audience);
    }
    match claims["exp"].as_i64() {
        Some(exp) if exp + LEEWAY_SECS > now_secs => {}
        _ => return Err(IdTokenError::Expired),
    }
    if claims["iat"]
        .as_i64()
        .is_some_and(|iat| iat > now_secs + LEEWAY_SECS)
    {
        return Err(IdTokenError::NotYetIssued);
    }
    if nonce.is_empty() || claims["nonce"].as_str() != Some(nonce) {
        return Err(IdTokenError::Nonce);
    }
    identity_of(&claims).ok_or(IdTokenError::NoIdentity)
}

/// The claims (the middle part) of a JWT, unverified.
fn claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| URL_SAFE.decode(payload))
        .ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(Value::is_object)
}

/// The Slack user and workspace named by ID token claims or a userInfo
/// answer, which use the same names.
fn identity_of(claims: &Value) -> Option<SlackIdentity> {
    let text = |key: &str| {
        claims[key]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(SlackIdentity {
        user_id: text(USER_ID)?,
        team_id: text(TEAM_ID)?,
        enterprise_id: text(ENTERPRISE_ID),
    })
}

impl SlackApi {
    /// Exchanges a Sign in with Slack code (`openid.connect.token`, with
    /// the client credentials as form fields).
    pub async fn openid_token(
        &self,
        client_id: &str,
        client_secret: &Secret,
        code: &str,
        redirect_uri: &str,
    ) -> Result<SignInTokens, SlackError> {
        let form = [
            ("client_id", client_id),
            ("client_secret", client_secret.expose()),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("grant_type", "authorization_code"),
        ];
        let request = self
            .http
            .post(format!("{}/openid.connect.token", self.base))
            .form(&form);
        let body = send(request, "openid.connect.token").await?;
        let text = |key: &str| {
            body[key]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(Secret::new)
                .ok_or_else(|| {
                    SlackError::from_code("openid.connect.token", "unexpected_openid_response")
                })
        };
        Ok(SignInTokens {
            access_token: text("access_token")?,
            id_token: text("id_token")?,
        })
    }

    /// Who the Sign in with Slack `token` belongs to
    /// (`openid.connect.userInfo`).
    pub async fn openid_user_info(&self, token: &Secret) -> Result<SlackIdentity, SlackError> {
        let request = self
            .http
            .post(format!("{}/openid.connect.userInfo", self.base))
            .bearer_auth(token.expose());
        let body = send(request, "openid.connect.userInfo").await?;
        identity_of(&body).ok_or_else(|| {
            SlackError::from_code("openid.connect.userInfo", "unexpected_openid_response")
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn jwt(claims: &Value) -> String {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!(
            "{}.{}.c2ln",
            part(&json!({"alg": "RS256", "typ": "JWT"})),
            part(claims)
        )
    }

    fn good() -> Value {
        json!({
            "iss": "https://slack.com", "sub": "U1", "aud": "111.222",
            "exp": NOW + 60, "iat": NOW - 1, "auth_time": NOW - 1, "nonce": "n-1",
            "https://slack.com/user_id": "U1", "https://slack.com/team_id": "T1",
        })
    }

    fn verify(claims: &Value) -> Result<SlackIdentity, IdTokenError> {
        verify_id_token(&jwt(claims), "111.222", "n-1", NOW)
    }

    #[test]
    fn a_good_id_token_names_the_user_and_workspace() {
        let who = verify(&good()).unwrap();
        assert_eq!(
            who,
            SlackIdentity {
                user_id: "U1".into(),
                team_id: "T1".into(),
                enterprise_id: None
            }
        );
        let mut grid = good();
        grid["https://slack.com/enterprise_id"] = "E1".into();
        grid["aud"] = json!(["other", "111.222"]);
        assert_eq!(verify(&grid).unwrap().enterprise_id.as_deref(), Some("E1"));
    }

    #[test]
    fn every_failed_check_is_refused() {
        let with = |key: &str, value: Value| {
            let mut c = good();
            c[key] = value;
            verify(&c)
        };
        assert_eq!(
            with("iss", "https://evil.example".into()),
            Err(IdTokenError::Issuer)
        );
        assert_eq!(with("aud", "999.999".into()), Err(IdTokenError::Audience));
        assert_eq!(
            with("exp", (NOW - LEEWAY_SECS - 1).into()),
            Err(IdTokenError::Expired)
        );
        assert_eq!(with("exp", Value::Null), Err(IdTokenError::Expired));
        assert_eq!(
            with("iat", (NOW + LEEWAY_SECS + 1).into()),
            Err(IdTokenError::NotYetIssued)
        );
        assert_eq!(with("nonce", "n-2".into()), Err(IdTokenError::Nonce));
        assert_eq!(with("nonce", Value::Null), Err(IdTokenError::Nonce));
        assert_eq!(
            with("https://slack.com/team_id", "".into()),
            Err(IdTokenError::NoIdentity)
        );
        assert_eq!(
            verify_id_token(&jwt(&good()), "111.222", "", NOW),
            Err(IdTokenError::Nonce),
            "a flow without a nonce accepts none"
        );
    }

    #[test]
    fn what_is_not_a_jwt_is_malformed() {
        for token in ["", "a.b", "a.b.c.d", "a.!!!.c", "a.bnVsbA.c"] {
            assert_eq!(
                verify_id_token(token, "111.222", "n-1", NOW),
                Err(IdTokenError::Malformed),
                "{token}"
            );
        }
    }
}
