//! Zoom OAuth: the authorize URL, and the token and revoke endpoints (HTTP
//! Basic client auth, form bodies).

use serde::{Deserialize, Deserializer};

use super::error::{oauth_error, transport, unreadable};
use crate::clock::Millis;
use crate::config::Secret;

pub use super::error::OAuthError;
pub use super::pkce::Pkce;

/// `{oauth_base}/oauth/authorize?…` with PKCE (S256) and `state`.
pub fn authorize_url(
    oauth_base: &url::Url,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    code_challenge: &str,
) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state)
        .append_pair("code_challenge", code_challenge)
        .append_pair("code_challenge_method", Pkce::METHOD)
        .finish();
    format!("{}/oauth/authorize?{query}", trimmed(oauth_base))
}

/// What the token endpoint grants. `Debug` shows no token.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenSet {
    /// The Bearer token for API calls.
    #[serde(deserialize_with = "secret")]
    pub access_token: Secret,
    /// Absent for Server-to-Server grants. Zoom rotates it on every refresh:
    /// store the new one before using the new access token.
    #[serde(default, deserialize_with = "optional_secret")]
    pub refresh_token: Option<Secret>,
    /// Seconds the access token lives (3600 at Zoom).
    #[serde(default = "default_expires_in")]
    pub expires_in: i64,
    /// Space-separated scopes granted.
    #[serde(default)]
    pub scope: String,
    /// The API host for this grant (data residency), e.g.
    /// `https://api.zoom.us`, without `/v2`.
    #[serde(default)]
    pub api_url: Option<String>,
}

impl TokenSet {
    /// When the access token expires, for a grant received at `now`.
    pub fn expires_at(&self, now: Millis) -> Millis {
        now.saturating_add(self.expires_in.saturating_mul(1000))
    }
}

fn default_expires_in() -> i64 {
    3600
}

/// A client of Zoom's OAuth endpoints for one app.
#[derive(Debug, Clone)]
pub struct ZoomOAuth {
    http: reqwest::Client,
    base: String,
    client_id: String,
    client_secret: Secret,
}

impl ZoomOAuth {
    /// A client for the app `client_id`, with endpoints under `oauth_base`.
    pub fn new(
        http: reqwest::Client,
        oauth_base: &url::Url,
        client_id: &str,
        client_secret: Secret,
    ) -> Self {
        Self {
            http,
            base: trimmed(oauth_base).to_owned(),
            client_id: client_id.to_owned(),
            client_secret,
        }
    }

    /// Trades an authorization code (single use, 5 minutes) for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        verifier: &Secret,
    ) -> Result<TokenSet, OAuthError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
        ];
        self.token(&form, &[code, verifier.expose()]).await
    }

    /// New tokens for a refresh token, which dies in the process.
    /// `InvalidGrant` means the user must authorize again.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet, OAuthError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ];
        self.token(&form, &[refresh_token.expose()]).await
    }

    /// Server-to-Server OAuth for the operator's own account; no refresh
    /// token, ask again when the access token expires.
    pub async fn account_credentials(&self, account_id: &str) -> Result<TokenSet, OAuthError> {
        let form = [
            ("grant_type", "account_credentials"),
            ("account_id", account_id),
        ];
        self.token(&form, &[]).await
    }

    /// Revokes `token` (access or refresh; the whole grant dies, and Zoom
    /// uninstalls the app for that user). A token Zoom already considers
    /// invalid counts as success: the goal, a dead token, holds.
    pub async fn revoke(&self, token: &Secret) -> Result<(), OAuthError> {
        let response = self
            .http
            .post(format!("{}/oauth/revoke", self.base))
            .query(&[("token", token.expose())])
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .send()
            .await
            .map_err(|e| OAuthError::Transient(transport(e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| OAuthError::Transient(transport(e)))?;
        if status.is_success() {
            return Ok(());
        }
        match oauth_error(status, &headers, &body, &self.sent(&[token.expose()])) {
            OAuthError::InvalidGrant => Ok(()),
            other => Err(other),
        }
    }

    async fn token(&self, form: &[(&str, &str)], sent: &[&str]) -> Result<TokenSet, OAuthError> {
        let response = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .form(form)
            .send()
            .await
            .map_err(|e| OAuthError::Transient(transport(e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        // Losing a success body here loses a rotated refresh token; nothing
        // to do about that but report it as the transport failure it is.
        let body = response
            .bytes()
            .await
            .map_err(|e| OAuthError::Transient(transport(e)))?;
        if !status.is_success() {
            return Err(oauth_error(status, &headers, &body, &self.sent(sent)));
        }
        let tokens: TokenSet = serde_json::from_slice(&body)
            .map_err(|e| OAuthError::Unexpected(format!("token {}", unreadable(&e))))?;
        if tokens.access_token.expose().is_empty() {
            return Err(OAuthError::Unexpected("empty access_token".to_owned()));
        }
        Ok(tokens)
    }

    fn sent<'a>(&'a self, extra: &[&'a str]) -> Vec<&'a str> {
        let mut sent = extra.to_vec();
        sent.push(self.client_secret.expose());
        sent
    }
}

fn trimmed(base: &url::Url) -> &str {
    base.as_str().trim_end_matches('/')
}

pub(super) fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    String::deserialize(d).map(Secret::new)
}

pub(super) fn optional_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    let value = Option::<String>::deserialize(d)?;
    Ok(value.filter(|s| !s.is_empty()).map(Secret::new))
}

#[cfg(test)]
mod tests;
