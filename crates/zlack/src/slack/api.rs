//! A thin Slack Web API client: one shared HTTP client, a configurable base
//! URL, and errors sorted into "wait as told", "try again" and "give up".

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Map, Value};

use crate::config::Secret;
use crate::http_client::retry_after;

/// A failed Slack call, sorted once by what the caller should do. Every
/// variant names the method, so a dead letter says which call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlackError {
    /// HTTP 429 or `ratelimited`: calls in `scope` (the method, in the
    /// workspace when the client knows it) wait this long.
    #[error("slack {method}: rate limited for {wait:?}")]
    RateLimited {
        method: String,
        scope: String,
        wait: Duration,
    },
    /// The app may not post in that conversation (not a member, archived,
    /// restricted, gone): another place may still work.
    #[error("slack {method}: {code}")]
    NotHere { method: String, code: String },
    /// The app's own credentials or scopes failed: no other place helps.
    #[error("slack {method}: {code}")]
    AppAuth { method: String, code: String },
    /// 5xx, a network failure, or an error Slack documents as temporary.
    #[error("slack {method}: temporary failure: {why}")]
    Transient { method: String, why: String },
    /// Any other `ok: false` answer, such as `user_not_found`.
    #[error("slack {method}: {code}")]
    Other { method: String, code: String },
}

impl SlackError {
    /// Sorts Slack's error `code` for `method`.
    pub fn from_code(method: &str, code: &str) -> Self {
        let method = method.to_owned();
        let code_owned = code.to_owned();
        if TRANSIENT_CODES.contains(&code) {
            return Self::Transient {
                method,
                why: code_owned,
            };
        }
        if NOT_HERE_CODES.contains(&code) {
            return Self::NotHere {
                method,
                code: code_owned,
            };
        }
        if APP_AUTH_CODES.contains(&code) {
            return Self::AppAuth {
                method,
                code: code_owned,
            };
        }
        Self::Other {
            method,
            code: code_owned,
        }
    }

    /// Slack's error code, for the answers that carry one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::NotHere { code, .. } | Self::AppAuth { code, .. } | Self::Other { code, .. } => {
                Some(code)
            }
            Self::RateLimited { .. } | Self::Transient { .. } => None,
        }
    }

    /// The `trigger_id` given to `views.open` no longer opens anything
    /// (expired after its three seconds, used already, or never valid):
    /// the caller answers another way.
    pub fn is_stale_trigger(&self) -> bool {
        matches!(
            self.code(),
            Some("expired_trigger_id" | "exchanged_trigger_id" | "invalid_trigger_id")
        )
    }

    /// `views.update` was given a `hash` of a view changed since.
    pub fn is_stale_view(&self) -> bool {
        self.code() == Some("hash_conflict")
    }

    /// Slack refused for good (rather than "later").
    pub fn is_refusal(&self) -> bool {
        self.code().is_some()
    }

    /// The same error with its rate limit scoped to `team`.
    pub(crate) fn in_team(self, team: &str) -> Self {
        match self {
            Self::RateLimited { method, wait, .. } => Self::RateLimited {
                scope: format!("slack:{team}:{method}"),
                method,
                wait,
            },
            other => other,
        }
    }
}

/// Slack's refusals that a flow lets pass: a Call already gone, a notice
/// that cannot be edited, a user without the field asked for.
pub trait Refused<T> {
    /// `Ok(None)` when Slack refused for good (logged with `what`), the
    /// error when it may work later.
    fn unless_refused(self, what: &str) -> Result<Option<T>, SlackError>;
}

impl<T> Refused<T> for Result<T, SlackError> {
    fn unless_refused(self, what: &str) -> Result<Option<T>, SlackError> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(e) if e.is_refusal() => {
                tracing::info!(code = e.code(), "{what}");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// Errors Slack documents as temporary on its side.
const TRANSIENT_CODES: &[&str] = &[
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
];

/// Answers that mean the app may not post in that conversation.
const NOT_HERE_CODES: &[&str] = &[
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "no_permission",
    "restricted_action",
    "restricted_action_read_only_channel",
    "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel",
    "cannot_reply_to_message",
    "team_access_not_granted",
];

/// Answers about the app's own token or scopes rather than the request.
const APP_AUTH_CODES: &[&str] = &[
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "missing_scope",
    "not_allowed_token_type",
];

/// A Slack Web API client; cheap to clone.
#[derive(Debug, Clone)]
pub struct SlackApi {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
}

impl SlackApi {
    /// Only Slack's own hosts get our answers: a `response_url` comes in
    /// a signed request, but zlack never posts to a host it was merely told.
    fn is_slack_hook(&self, url: &str) -> bool {
        let Ok(url) = url::Url::parse(url) else {
            return false;
        };
        let api_host = url::Url::parse(&self.base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        match url.host_str() {
            Some(host) if url.scheme() == "https" => {
                host == "hooks.slack.com" || Some(host) == api_host.as_deref()
            }
            Some(host) => Some(host) == api_host.as_deref(),
            None => false,
        }
    }

    /// A client for the Web API rooted at `base`, e.g. `https://slack.com/api`.
    pub fn new(http: reqwest::Client, base: &url::Url) -> Self {
        Self {
            http,
            base: base.as_str().trim_end_matches('/').to_owned(),
        }
    }

    /// Calls `method` form-encoded (every method accepts that; objects and
    /// arrays travel as JSON strings, as Slack documents).
    pub async fn call(
        &self,
        method: &str,
        token: &Secret,
        args: &Map<String, Value>,
    ) -> Result<Value, SlackError> {
        let form: Vec<(&str, String)> = args
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.as_str(), text)
            })
            .collect();
        let request = self
            .http
            .post(format!("{}/{method}", self.base))
            .bearer_auth(token.expose())
            .form(&form);
        send(request, method).await
    }
}

impl SlackApi {
    /// `auth.test` with `token`, and the scopes Slack says the token was
    /// granted (the `X-OAuth-Scopes` header of every Web API answer;
    /// `None` when the answer has none).
    pub async fn auth_test_scopes(
        &self,
        token: &Secret,
    ) -> Result<(Value, Option<Vec<String>>), SlackError> {
        let request = self
            .http
            .post(format!("{}/auth.test", self.base))
            .bearer_auth(token.expose());
        let (body, headers) = send_keeping_headers(request, "auth.test").await?;
        let scopes = headers
            .get("x-oauth-scopes")
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            });
        Ok((body, scopes))
    }
}

/// What `oauth.v2.access` returns that zlack keeps.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OAuthAccess {
    /// The bot token.
    pub access_token: crate::config::Secret,
    /// Present when token rotation is on.
    #[serde(default)]
    pub refresh_token: Option<crate::config::Secret>,
    /// Seconds the bot token lives, when token rotation is on.
    #[serde(default)]
    pub expires_in: Option<i64>,
    /// The app's bot user.
    #[serde(default)]
    pub bot_user_id: Option<String>,
    /// The scopes granted, comma-separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// The workspace; absent for an org-wide install.
    #[serde(default)]
    pub team: Option<NamedId>,
    /// The Enterprise Grid org, if any.
    #[serde(default)]
    pub enterprise: Option<NamedId>,
    /// An org-wide install, serving every workspace in the org.
    #[serde(default)]
    pub is_enterprise_install: bool,
    /// The user who installed the app.
    #[serde(default)]
    pub authed_user: Option<NamedId>,
}

/// A user token from a user-scope authorization (`authed_user`).
#[derive(Debug, Clone)]
pub struct UserGrant {
    /// The Slack user who authorized.
    pub user_id: String,
    /// Their workspace.
    pub team_id: String,
    /// Their Enterprise Grid org, if any.
    pub enterprise_id: Option<String>,
    /// The user scopes granted, comma-separated.
    pub scope: String,
    /// The user token (`xoxp-…`).
    pub access_token: crate::config::Secret,
}

/// An id and name, as Slack nests teams, orgs and users.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NamedId {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// The grant `oauth.v2.access` is asked for.
pub enum OAuthGrant<'a> {
    /// The code from an install's redirect; `redirect_uri` must match the
    /// one the install sent.
    Code {
        code: &'a str,
        redirect_uri: &'a str,
    },
    /// A refresh token, when token rotation is on.
    Refresh {
        refresh_token: &'a crate::config::Secret,
    },
}

impl SlackApi {
    /// Exchanges a code, or a refresh token when token rotation is on,
    /// authenticating with the app's client credentials (HTTP Basic).
    pub async fn oauth_access(
        &self,
        client_id: &str,
        client_secret: &crate::config::Secret,
        grant: OAuthGrant<'_>,
    ) -> Result<OAuthAccess, SlackError> {
        let form: Vec<(&str, &str)> = match &grant {
            OAuthGrant::Code { code, redirect_uri } => {
                vec![("code", code), ("redirect_uri", redirect_uri)]
            }
            OAuthGrant::Refresh { refresh_token } => {
                vec![
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token.expose()),
                ]
            }
        };
        let request = self
            .http
            .post(format!("{}/oauth.v2.access", self.base))
            .basic_auth(client_id, Some(client_secret.expose()))
            .form(&form);
        let body = send(request, "oauth.v2.access").await?;
        serde_json::from_value(body)
            .map_err(|_| SlackError::from_code("oauth.v2.access", "unexpected_oauth_response"))
    }

    /// Exchanges the code of a user-scope-only authorization (no bot
    /// scopes asked): the user token and who granted it.
    pub async fn oauth_user_access(
        &self,
        client_id: &str,
        client_secret: &crate::config::Secret,
        code: &str,
        redirect_uri: &str,
    ) -> Result<UserGrant, SlackError> {
        const METHOD: &str = "oauth.v2.access";
        let form = [("code", code), ("redirect_uri", redirect_uri)];
        let request = self
            .http
            .post(format!("{}/{METHOD}", self.base))
            .basic_auth(client_id, Some(client_secret.expose()))
            .form(&form);
        let body = send(request, METHOD).await?;
        let unexpected = || SlackError::from_code(METHOD, "unexpected_oauth_response");
        let user = &body["authed_user"];
        let token = user["access_token"].as_str().filter(|t| !t.is_empty());
        let (Some(user_id), Some(token), Some(team_id)) =
            (user["id"].as_str(), token, body["team"]["id"].as_str())
        else {
            return Err(unexpected());
        };
        Ok(UserGrant {
            user_id: user_id.to_owned(),
            team_id: team_id.to_owned(),
            enterprise_id: body["enterprise"]["id"].as_str().map(str::to_owned),
            scope: user["scope"].as_str().unwrap_or_default().to_owned(),
            access_token: crate::config::Secret::new(token),
        })
    }

    /// Posts a message to a `response_url` (slash command or interaction).
    /// `response_url`s live on Slack's hooks host, not the Web API base.
    pub async fn respond(
        &self,
        response_url: &crate::config::Secret,
        message: &Value,
    ) -> Result<(), SlackError> {
        const METHOD: &str = "response_url";
        if !self.is_slack_hook(response_url.expose()) {
            return Err(SlackError::from_code(METHOD, "response_url_not_slack"));
        }
        let response = self
            .http
            .post(response_url.expose())
            .json(message)
            .send()
            .await
            .map_err(|e| SlackError::Transient {
                method: METHOD.into(),
                why: e.without_url().to_string(),
            })?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(rate_limited(METHOD, retry_after(response.headers())));
        }
        if status.is_server_error() {
            return Err(SlackError::Transient {
                method: METHOD.into(),
                why: format!("HTTP {status}"),
            });
        }
        if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            return Err(SlackError::from_code(METHOD, "expired_url"));
        }
        if !status.is_success() {
            return Err(SlackError::from_code(
                METHOD,
                &format!("http_{}", status.as_u16()),
            ));
        }
        Ok(())
    }
}

/// Sends a Web API request for `method` and sorts the answer: 429 and
/// `ratelimited` wait as told, 5xx and Slack's own temporary codes retry,
/// anything else that is not `ok` is a refusal (including a 4xx without a
/// JSON body).
pub(super) async fn send(
    request: reqwest::RequestBuilder,
    method: &str,
) -> Result<Value, SlackError> {
    send_keeping_headers(request, method)
        .await
        .map(|(body, _)| body)
}

/// [`send`], with the answer's headers.
async fn send_keeping_headers(
    request: reqwest::RequestBuilder,
    method: &str,
) -> Result<(Value, reqwest::header::HeaderMap), SlackError> {
    let transient = |why: String| SlackError::Transient {
        method: method.to_owned(),
        why,
    };
    let response = request
        .send()
        .await
        .map_err(|e| transient(e.without_url().to_string()))?;
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(rate_limited(method, retry_after(response.headers())));
    }
    if status.is_server_error() {
        return Err(transient(format!("HTTP {status}")));
    }
    let headers = response.headers().clone();
    let body: Value = match response.json().await {
        Ok(body) => body,
        Err(_) if status.is_client_error() => {
            return Err(SlackError::from_code(
                method,
                &format!("http_{}", status.as_u16()),
            ));
        }
        Err(_) => {
            return Err(transient(format!(
                "HTTP {status} with a body that is not JSON"
            )));
        }
    };
    if body.get("ok").and_then(Value::as_bool) == Some(true) {
        return Ok((body, headers));
    }
    let code = body
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or("unknown_error");
    if code == "ratelimited" || code == "rate_limited" {
        return Err(rate_limited(method, Duration::from_secs(30)));
    }
    Err(SlackError::from_code(method, code))
}

/// A rate limit on `method`, not yet scoped to a workspace.
fn rate_limited(method: &str, wait: Duration) -> SlackError {
    SlackError::RateLimited {
        method: method.to_owned(),
        scope: format!("slack:{method}"),
        wait,
    }
}
