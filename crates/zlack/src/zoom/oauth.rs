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
mod tests {
    use super::*;
    use crate::zoom::api::{ZoomApi, ZoomError};
    use reqwest::header::LOCATION;
    use sandbox::{FakeZoom, Fault, ZoomUser};

    const REDIRECT: &str = "https://zlack.test/zoom/oauth/callback?from=slack";

    struct Setup {
        zoom: FakeZoom,
        oauth: ZoomOAuth,
        api: ZoomApi,
    }

    async fn setup() -> Setup {
        let zoom = FakeZoom::start().await;
        zoom.set_client("client-1", "client-secret-1");
        zoom.add_user(ZoomUser::new("zu1", "ann@example.com", "Ann Example"));
        zoom.set_next_login("zu1");
        let base = url::Url::parse(&zoom.oauth_url()).unwrap();
        let http = crate::http_client::build();
        let secret = Secret::new("client-secret-1");
        let oauth = ZoomOAuth::new(http.clone(), &base, "client-1", secret);
        let api = ZoomApi::new(http, &url::Url::parse(&zoom.api_url()).unwrap());
        Setup { zoom, oauth, api }
    }

    /// Follows the authorize URL as a browser would, up to our callback.
    async fn approve(zoom: &FakeZoom, pkce: &Pkce, state: &str) -> String {
        let base = url::Url::parse(&zoom.oauth_url()).unwrap();
        let url = authorize_url(&base, "client-1", REDIRECT, state, &pkce.challenge);
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = browser.get(url).send().await.unwrap();
        let location = response.headers()[LOCATION].to_str().unwrap();
        let callback = url::Url::parse(location).unwrap();
        let arg = |key: &str| {
            callback
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        assert_eq!(arg("state").as_deref(), Some(state));
        assert_eq!(arg("from").as_deref(), Some("slack"));
        arg("code").expect("the callback carries a code")
    }

    async fn linked(s: &Setup) -> TokenSet {
        let pkce = Pkce::generate();
        let code = approve(&s.zoom, &pkce, "st").await;
        s.oauth
            .exchange_code(&code, REDIRECT, &pkce.verifier)
            .await
            .unwrap()
    }

    fn assert_clean(error: &OAuthError, secrets: &[&str]) {
        let text = format!("{error} {error:?}");
        for secret in secrets {
            assert!(!text.contains(secret), "{text} leaks {secret}");
        }
    }

    #[test]
    fn authorize_url_encodes_every_parameter() {
        let base = url::Url::parse("https://zoom.us/").unwrap();
        let url = authorize_url(&base, "id 1", "https://x.test/cb?a=1&b=2", "s/t+", "ch");
        assert_eq!(
            url,
            "https://zoom.us/oauth/authorize?response_type=code&client_id=id+1\
             &redirect_uri=https%3A%2F%2Fx.test%2Fcb%3Fa%3D1%26b%3D2&state=s%2Ft%2B\
             &code_challenge=ch&code_challenge_method=S256"
        );
    }

    #[tokio::test]
    async fn pkce_code_exchange_yields_tokens_that_work() {
        let s = setup().await;
        let pkce = Pkce::generate();
        let code = approve(&s.zoom, &pkce, "state-1").await;
        let tokens = s
            .oauth
            .exchange_code(&code, REDIRECT, &pkce.verifier)
            .await
            .unwrap();
        assert!(tokens.refresh_token.is_some());
        assert_eq!(tokens.expires_in, 3600);
        assert_eq!(tokens.expires_at(1_000), 3_601_000);
        assert!(tokens.scope.contains("meeting:write:meeting"));
        assert_eq!(tokens.api_url.as_deref(), Some(s.zoom.base_url().as_str()));
        let call = &s.zoom.calls_to("POST /oauth/token")[0];
        let client = ("client-1".to_owned(), "client-secret-1".to_owned());
        assert_eq!(call.basic, Some(client));
        assert_eq!(call.arg("code_verifier"), Some(pkce.verifier.expose()));
        assert_eq!(s.api.me(&tokens.access_token).await.unwrap().id, "zu1");

        let debug = format!("{tokens:?}");
        assert!(!debug.contains(tokens.access_token.expose()));
        let refresh = tokens.refresh_token.as_ref().unwrap();
        assert!(!debug.contains(refresh.expose()));
    }

    #[tokio::test]
    async fn wrong_verifier_or_reused_code_is_an_invalid_grant() {
        let s = setup().await;
        let pkce = Pkce::generate();
        let code = approve(&s.zoom, &pkce, "st").await;
        let wrong = Pkce::generate().verifier;
        let error = s
            .oauth
            .exchange_code(&code, REDIRECT, &wrong)
            .await
            .unwrap_err();
        assert_eq!(error, OAuthError::InvalidGrant);
        assert_clean(&error, &[&code, wrong.expose(), "client-secret-1"]);

        s.oauth
            .exchange_code(&code, REDIRECT, &pkce.verifier)
            .await
            .unwrap();
        let reused = s
            .oauth
            .exchange_code(&code, REDIRECT, &pkce.verifier)
            .await
            .unwrap_err();
        assert_eq!(reused, OAuthError::InvalidGrant);
    }

    #[tokio::test]
    async fn refresh_rotates_and_the_old_refresh_token_is_an_invalid_grant() {
        let s = setup().await;
        let first = linked(&s).await;
        let old = first.refresh_token.unwrap();
        let second = s.oauth.refresh(&old).await.unwrap();
        let new = second.refresh_token.clone().unwrap();
        assert_ne!(new, old);
        assert_eq!(s.zoom.token_grants(), 1);
        s.api.me(&second.access_token).await.unwrap();

        let error = s.oauth.refresh(&old).await.unwrap_err();
        assert_eq!(error, OAuthError::InvalidGrant);
        assert_clean(&error, &[old.expose()]);
        let third = s.oauth.refresh(&new).await.unwrap();

        s.zoom.revoke_refresh_tokens_of("zu1");
        let removed = s.oauth.refresh(&third.refresh_token.unwrap()).await;
        assert_eq!(removed.unwrap_err(), OAuthError::InvalidGrant);
    }

    #[tokio::test]
    async fn server_trouble_on_refresh_is_transient_not_a_dead_grant() {
        let s = setup().await;
        let refresh = linked(&s).await.refresh_token.unwrap();
        let fault = Fault::ServerError { status: 503 };
        s.zoom.fail_next("POST /oauth/token", fault, 1);
        let error = s.oauth.refresh(&refresh).await.unwrap_err();
        assert!(matches!(error, OAuthError::Transient(_)), "{error:?}");
        assert!(error.is_retryable());

        let limited = Fault::RateLimited {
            retry_after_secs: 12,
        };
        s.zoom.fail_next("POST /oauth/token", limited, 1);
        let error = s.oauth.refresh(&refresh).await.unwrap_err();
        assert_eq!(
            error,
            OAuthError::RateLimited(std::time::Duration::from_secs(12))
        );
        s.oauth.refresh(&refresh).await.unwrap();
    }

    #[tokio::test]
    async fn wrong_client_secret_is_invalid_client() {
        let s = setup().await;
        let base = url::Url::parse(&s.zoom.oauth_url()).unwrap();
        let http = crate::http_client::build();
        let wrong = ZoomOAuth::new(http, &base, "client-1", Secret::new("nope-secret"));
        let error = wrong.account_credentials("acc").await.unwrap_err();
        assert_eq!(error, OAuthError::InvalidClient);
        assert!(!format!("{wrong:?}").contains("nope-secret"));
    }

    #[tokio::test]
    async fn revoke_kills_the_grant_and_revoking_again_still_succeeds() {
        let s = setup().await;
        let tokens = linked(&s).await;
        s.oauth.revoke(&tokens.access_token).await.unwrap();
        let me = s.api.me(&tokens.access_token).await;
        assert_eq!(me.unwrap_err(), ZoomError::Unauthorized);
        let refresh = tokens.refresh_token.unwrap();
        assert_eq!(
            s.oauth.refresh(&refresh).await.unwrap_err(),
            OAuthError::InvalidGrant
        );
        s.oauth.revoke(&tokens.access_token).await.unwrap();
        s.oauth.revoke(&Secret::new("never-issued")).await.unwrap();
        let revokes = s.zoom.calls_to("POST /oauth/revoke");
        assert_eq!(revokes[0].arg("token"), Some(tokens.access_token.expose()));
        assert!(revokes[0].basic.is_some());
    }

    #[tokio::test]
    async fn account_credentials_grant_has_no_refresh_token() {
        let s = setup().await;
        let mut admin = ZoomUser::new("za1", "admin@example.com", "Ad Min");
        admin.role = "admin".to_owned();
        s.zoom.add_user(admin);
        let tokens = s
            .oauth
            .account_credentials(sandbox::ZOOM_ACCOUNT_ID)
            .await
            .unwrap();
        assert!(tokens.refresh_token.is_none());
        assert_eq!(s.api.me(&tokens.access_token).await.unwrap().id, "za1");
        let call = &s.zoom.calls_to("POST /oauth/token")[0];
        assert_eq!(call.arg("grant_type"), Some("account_credentials"));
        assert_eq!(call.arg("account_id"), Some(sandbox::ZOOM_ACCOUNT_ID));
    }
}
