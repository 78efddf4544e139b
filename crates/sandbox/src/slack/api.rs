//! HTTP surface of the fake Slack: Web API methods, response URLs, and the
//! OAuth and Sign in with Slack authorize pages.

use super::state::{Data, Shared, Token};
use super::{calls, chat, lookup, oauth, openid, socket, views};
use crate::args::{self, Args};
use crate::fault::{self, Dialect};
use crate::http;
use crate::record::RecordedCall;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

/// Form arguments Slack accepts JSON-encoded.
const STRUCTURED: &[&str] = &[
    "blocks",
    "attachments",
    "users",
    "unfurls",
    "metadata",
    "view",
];

/// A Slack `{"ok":false}` answer.
#[derive(Debug)]
pub(crate) struct SlackError {
    error: String,
    detail: Option<String>,
}

impl SlackError {
    pub(crate) fn new(error: &str) -> Self {
        Self {
            error: error.to_owned(),
            detail: None,
        }
    }

    /// `invalid_arguments` with an explanation in `response_metadata.messages`.
    pub(crate) fn invalid(detail: &str) -> Self {
        Self {
            error: "invalid_arguments".to_owned(),
            detail: Some(format!("[ERROR] {detail}")),
        }
    }

    /// `invalid_arguments`, naming the missing field as Slack's
    /// `response_metadata.messages` does.
    pub(crate) fn missing(field: &str) -> Self {
        Self {
            error: "invalid_arguments".to_owned(),
            detail: Some(format!("[ERROR] missing required field: {field}")),
        }
    }
}

/// The object a method answers (without `ok`), or its error.
pub(crate) type Reply = Result<Value, SlackError>;

/// What a method handler sees besides its arguments.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Shared,
    /// The caller's token, for methods authenticated by token.
    pub(crate) token: Option<(String, Token)>,
    pub(crate) basic: Option<&'a (String, String)>,
}

impl Ctx<'_> {
    /// The authenticated token; only called by token-authenticated methods.
    pub(crate) fn auth(&self) -> (&str, &Token) {
        let (token, info) = self.token.as_ref().expect("method requires a token");
        (token, info)
    }
}

type Handler = fn(&Ctx<'_>, &Args) -> Reply;

/// How a method authenticates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    Token,
    Client,
    /// The app-level token (`xapp-…`) the test configured.
    App,
}

fn route(method: &str) -> Option<(Handler, Auth)> {
    let handler: Handler = match method {
        "oauth.v2.access" => return Some((oauth::access, Auth::Client)),
        "openid.connect.token" => return Some((openid::token, Auth::Client)),
        "apps.connections.open" => return Some((socket::open, Auth::App)),
        "openid.connect.userInfo" => openid::user_info,
        "chat.postMessage" => chat::post_message,
        "chat.postEphemeral" => chat::post_ephemeral,
        "chat.update" => chat::update,
        "chat.delete" => chat::delete,
        "chat.unfurl" => chat::unfurl,
        "chat.getPermalink" => chat::get_permalink,
        "calls.add" => calls::add,
        "calls.info" => calls::info,
        "calls.update" => calls::update,
        "calls.end" => calls::end,
        "calls.participants.add" => calls::participants_add,
        "calls.participants.remove" => calls::participants_remove,
        "users.info" => lookup::users_info,
        "users.lookupByEmail" => lookup::users_lookup_by_email,
        "conversations.info" => lookup::conversations_info,
        "conversations.members" => lookup::conversations_members,
        "conversations.open" => lookup::conversations_open,
        "auth.test" => lookup::auth_test,
        "auth.revoke" => lookup::auth_revoke,
        "views.open" => views::open,
        "views.publish" => views::publish,
        "views.update" => views::update,
        "users.profile.set" => lookup::users_profile_set,
        _ => return None,
    };
    Some((handler, Auth::Token))
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/{method}", get(web_api).post(web_api))
        .route("/response/{id}", post(response_url))
        .route("/oauth/v2/authorize", get(oauth::authorize))
        .route("/openid/connect/authorize", get(openid::authorize))
        .route("/link/", get(socket::link))
        .with_state(shared)
}

async fn web_api(
    State(shared): State<Arc<Shared>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let received_at = Instant::now();
    let args = args::parse(&headers, query.as_deref(), &body, STRUCTURED);
    let bearer = http::bearer(&headers);
    let basic = http::basic(&headers);
    let response = answer(&shared, &method, &args, bearer.as_deref(), basic.as_ref()).await;
    let (mut parts, body) = response.into_parts();
    let scopes = bearer
        .as_ref()
        .and_then(|token| shared.data().token_scopes.get(token).cloned());
    if let Some(value) = scopes.and_then(|s| axum::http::HeaderValue::from_str(&s).ok()) {
        parts.headers.insert("x-oauth-scopes", value);
    }
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let error = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned));
    shared.recorder.push(RecordedCall {
        method,
        args: Value::Object(args),
        bearer,
        basic,
        received_at,
        status: parts.status.as_u16(),
        error,
    });
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn answer(
    shared: &Shared,
    method: &str,
    args: &Args,
    bearer: Option<&str>,
    basic: Option<&(String, String)>,
) -> Response {
    shared.holds.wait(bearer).await;
    let fault = shared.faults.take(|key| key == method);
    let lost = match fault {
        Some(crate::Fault::AnswerLost { status }) => Some(status),
        _ => None,
    };
    if let Some(response) = fault::apply(fault, Dialect::Slack).await {
        return response;
    }
    let answer = answer_normally(shared, method, args, bearer, basic);
    match lost {
        Some(status) => http::json(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
            &json!({"ok": false, "error": "fatal_error"}),
        ),
        None => answer,
    }
}

/// What Slack does with a call and answers, when no fault is in the way.
fn answer_normally(
    shared: &Shared,
    method: &str,
    args: &Args,
    bearer: Option<&str>,
    basic: Option<&(String, String)>,
) -> Response {
    let Some((handler, auth)) = route(method) else {
        return render(Err(SlackError::new("unknown_method")));
    };
    let mut ctx = Ctx {
        shared,
        token: None,
        basic,
    };
    if auth == Auth::App
        && let Err(error) = socket::authenticate(shared, bearer)
    {
        return render(Err(error));
    }
    if auth == Auth::Token {
        let token = bearer
            .map(str::to_owned)
            .or_else(|| args::text(args, "token"));
        match authenticate(&shared.data(), token) {
            Ok(authed) => ctx.token = Some(authed),
            Err(error) => return render(Err(error)),
        }
    }
    render(handler(&ctx, args))
}

fn authenticate(data: &Data, token: Option<String>) -> Result<(String, Token), SlackError> {
    let token = token.ok_or_else(|| SlackError::new("not_authed"))?;
    let info = data
        .tokens
        .get(&token)
        .ok_or_else(|| SlackError::new("invalid_auth"))?;
    if info.revoked {
        return Err(SlackError::new("token_revoked"));
    }
    if info.expires_at.is_some_and(|at| at <= Instant::now()) {
        return Err(SlackError::new("token_expired"));
    }
    let info = info.clone();
    Ok((token, info))
}

/// Every Web API answer is HTTP 200 JSON, errors included.
fn render(reply: Reply) -> Response {
    let body = match reply {
        Ok(Value::Object(mut fields)) => {
            fields.insert("ok".into(), Value::Bool(true));
            Value::Object(fields)
        }
        Ok(_) => json!({"ok": true}),
        Err(SlackError { error, detail }) => match detail {
            Some(detail) => json!({
                "ok": false,
                "error": error,
                "response_metadata": {"messages": [detail]}
            }),
            None => json!({"ok": false, "error": error}),
        },
    };
    http::json(StatusCode::OK, &body)
}

/// Uses Slack allows per response URL.
const RESPONSE_URL_USES: u32 = 5;

async fn response_url(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received_at = Instant::now();
    // Slack reads the body as JSON whatever the declared content type.
    let mut args = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => map,
        _ => Args::from_iter([("_raw".to_owned(), String::from_utf8_lossy(&body).into())]),
    };
    args.insert("_id".into(), Value::String(id.clone()));
    let fault = shared.faults.take(|key| key == "response_url");
    let response = match fault::apply(fault, Dialect::Slack).await {
        Some(response) => response,
        None => use_response_url(&shared, &id, &args),
    };
    shared.recorder.push(RecordedCall {
        method: "response_url".into(),
        args: Value::Object(args),
        bearer: http::bearer(&headers),
        basic: None,
        received_at,
        status: response.status().as_u16(),
        error: None,
    });
    response
}

fn use_response_url(shared: &Shared, id: &str, args: &Args) -> Response {
    let mut data = shared.data();
    let Some(uses) = data.response_urls.get_mut(id) else {
        return (StatusCode::NOT_FOUND, "expired_url").into_response();
    };
    if *uses >= RESPONSE_URL_USES {
        return (StatusCode::NOT_FOUND, "used_url").into_response();
    }
    if args.contains_key("_raw") {
        return (StatusCode::BAD_REQUEST, "invalid_payload").into_response();
    }
    // The Call button's answers carry the URL Slack opens for the caller.
    if let Some("call" | "audio") = args.get("response_type").and_then(Value::as_str) {
        let url = args.get("call_initiation_url").and_then(Value::as_str);
        if !url.is_some_and(|u| u.starts_with("https://")) {
            return (StatusCode::BAD_REQUEST, "invalid_payload").into_response();
        }
    }
    *uses += 1;
    http::json(StatusCode::OK, &json!({"ok": true}))
}
