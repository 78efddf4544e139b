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
