//! Extractors that check a request before any handler sees it: content
//! type (415), declared size (413), signature headers and timestamp (401,
//! before the body is read), size while reading (413), a body that does
//! not arrive in time (408), signature over the raw bytes (401). What they
//! yield is the verified raw body; parsing it is the handler's job (400).

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::AppState;
use super::error::AppError;
use super::serve::BodyError;
use crate::config::Secret;
use crate::signature::{self, SignatureError};

/// Largest body accepted from Slack or Zoom.
pub const MAX_BODY: usize = 1024 * 1024;

/// The media type a route accepts.
pub trait BodyKind: Send + Sync + 'static {
    /// The `Content-Type` required, parameters such as `charset` aside.
    const MEDIA_TYPE: &'static str;
}

/// `application/json`: Events API requests and Zoom webhooks.
pub struct JsonBody;
/// A form body: slash commands and interactivity.
pub struct FormBody;

impl BodyKind for JsonBody {
    const MEDIA_TYPE: &'static str = "application/json";
}

impl BodyKind for FormBody {
    const MEDIA_TYPE: &'static str = "application/x-www-form-urlencoded";
}

/// A request body whose Slack signature checked out.
pub struct VerifiedSlack<K> {
    /// The raw body, exactly as signed.
    pub body: Bytes,
    kind: PhantomData<K>,
}

/// A request body whose Zoom signature checked out.
pub struct VerifiedZoom<K> {
    /// The raw body, exactly as signed.
    pub body: Bytes,
    kind: PhantomData<K>,
}

impl<K: BodyKind> FromRequest<AppState> for VerifiedSlack<K> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let secret =
            state
                .svc
                .config
                .slack
                .signing_secret
                .as_ref()
                .ok_or(AppError::NotConfigured {
                    service: "Slack",
                    key: "ZLACK_SLACK_SIGNING_SECRET",
                })?;
        let body = verified_body::<K>(
            req,
            secret,
            ["x-slack-request-timestamp", "x-slack-signature"],
            state.svc.clock.now_secs(),
        )
        .await?;
        Ok(Self {
            body,
            kind: PhantomData,
        })
    }
}

/// The Zoom webhook secret, or the 503 that says it is not set.
pub fn zoom_webhook_secret(state: &AppState) -> Result<&Secret, AppError> {
    state
        .svc
        .config
        .zoom
        .webhook_secret
        .as_ref()
        .ok_or(AppError::NotConfigured {
            service: "Zoom",
            key: "ZLACK_ZOOM_WEBHOOK_SECRET",
        })
}

impl<K: BodyKind> FromRequest<AppState> for VerifiedZoom<K> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let secret = zoom_webhook_secret(state)?;
        let body = verified_body::<K>(
            req,
            secret,
            ["x-zm-request-timestamp", "x-zm-signature"],
            state.svc.clock.now_secs(),
        )
        .await?;
        Ok(Self {
            body,
            kind: PhantomData,
        })
    }
}

async fn verified_body<K: BodyKind>(
    req: Request,
    secret: &Secret,
    [ts_header, sig_header]: [&str; 2],
    now_secs: i64,
) -> Result<Bytes, AppError> {
    let (parts, body) = req.into_parts();
    check_media_type::<K>(&parts.headers)?;
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(AppError::PayloadTooLarge);
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    // Whatever needs no body is checked before a byte of it is read: a
    // request without a well-formed, current signature costs no memory.
    signature::check_headers(header(ts_header), header(sig_header), now_secs)
        .map_err(unauthorized)?;
    let body = read_limited(body, MAX_BODY).await?;
    signature::verify(
        secret.expose(),
        header(ts_header),
        header(sig_header),
        &body,
        now_secs,
    )
    .map_err(unauthorized)?;
    Ok(body)
}

/// Reads a body of at most `max` bytes: 413 beyond, 408 when it does not
/// arrive in time, 400 when it cannot be read.
pub async fn read_limited(body: axum::body::Body, max: usize) -> Result<Bytes, AppError> {
    Ok(Limited::new(body, max)
        .collect()
        .await
        .map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                AppError::PayloadTooLarge
            } else if caused_by_timeout(&*e) {
                AppError::RequestTimeout
            } else {
                AppError::BadRequest("request body could not be read".into())
            }
        })?
        .to_bytes())
}

/// A browser's form post of at most `max` bytes, after its media type and
/// declared size are checked.
pub async fn browser_form(
    headers: &HeaderMap,
    body: axum::body::Body,
    max: usize,
) -> Result<Bytes, AppError> {
    check_media_type::<FormBody>(headers)?;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(AppError::PayloadTooLarge);
    }
    read_limited(body, max).await
}

fn unauthorized(e: SignatureError) -> AppError {
    AppError::Unauthorized(match e {
        SignatureError::Missing => "signature missing",
        SignatureError::Malformed => "signature malformed",
        SignatureError::Stale => "signature timestamp outside the five-minute window",
        SignatureError::Mismatch => "signature does not match",
    })
}

/// Whether the server loop ended the body for arriving too slowly.
fn caused_by_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if matches!(e.downcast_ref::<BodyError>(), Some(BodyError::TimedOut)) {
            return true;
        }
        cause = e.source();
    }
    false
}

fn check_media_type<K: BodyKind>(headers: &HeaderMap) -> Result<(), AppError> {
    let given = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if given.as_deref() == Some(K::MEDIA_TYPE) {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(K::MEDIA_TYPE))
    }
}

/// Parses JSON into `T`, refusing other shapes and bad UTF-8 with a 400.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    std::str::from_utf8(body)
        .map_err(|_| AppError::BadRequest("body is not valid UTF-8".into()))?;
    serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("unexpected JSON: {}", e.classify_message())))
}

/// Parses a form body into `T`, refusing bad UTF-8 and missing fields with a 400.
pub fn parse_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    std::str::from_utf8(body)
        .map_err(|_| AppError::BadRequest("body is not valid UTF-8".into()))?;
    serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::BadRequest(format!("unexpected form: {e}")))
}

trait ClassifyMessage {
    fn classify_message(&self) -> &'static str;
}

impl ClassifyMessage for serde_json::Error {
    fn classify_message(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "not valid JSON"
            }
            serde_json::error::Category::Data => "fields missing or of the wrong type",
            serde_json::error::Category::Io => "could not be read",
        }
    }
}
