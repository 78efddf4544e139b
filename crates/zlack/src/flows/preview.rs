//! Whiteboard preview images for unfurls. Slack fetches an unfurl's
//! `image_url` anonymously, and Zoom's previews need the user's token, so
//! zlack serves them at `GET /preview/{token}`: a signed, expiring token
//! naming the workspace, the Slack user who shared the link and the
//! whiteboard. zlack fetches the image from Zoom with that user's token,
//! only from Zoom's hosts, only images up to a size limit, and keeps it a
//! few minutes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::credentials;
use crate::services::Services;
use crate::store::LinkStatus;
use crate::zoom::error::ZoomError;

/// How long a preview link works: Slack fetches it when it shows the unfurl
/// and keeps its own copy.
pub const PREVIEW_TTL_SECS: i64 = 7 * 24 * 60 * 60;
/// How long a fetched preview is kept in memory.
const CACHE_TTL: Duration = Duration::from_secs(5 * 60);
/// Previews kept in memory at most.
const CACHE_ENTRIES: usize = 128;
/// The vault context of preview tokens.
const CONTEXT: &str = "preview";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Claims {
    /// The workspace.
    t: String,
    /// The Slack user who shared the link.
    u: String,
    /// The whiteboard.
    w: String,
    /// Expiry, Unix seconds.
    e: i64,
}

/// Why a preview is not served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a preview token at all.
    Malformed,
    /// A token zlack did not sign, or one that expired.
    Forbidden,
    /// The board or its preview cannot be had (any more).
    Unavailable,
    /// Zoom is busy or down: try later.
    Later,
}

/// A preview image.
#[derive(Debug, Clone)]
pub struct Image {
    /// One of the allowed image types.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Fetched previews by claims, with the time they were fetched.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<String, (Instant, Image)>>);

impl Cache {
    fn get(&self, key: &str) -> Option<Image> {
        let map = self.0.lock().ok()?;
        let (at, image) = map.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| image.clone())
    }

    fn put(&self, key: String, image: Image) {
        let Ok(mut map) = self.0.lock() else {
            return;
        };
        map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
        if map.len() >= CACHE_ENTRIES {
            let oldest = map
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                map.remove(&oldest);
            }
        }
        map.insert(key, (Instant::now(), image));
    }
}

/// The signed preview URL of a whiteboard shared by `slack_user_id`.
pub fn signed_url(
    svc: &Services,
    team_id: &str,
    slack_user_id: &str,
    whiteboard_id: &str,
) -> String {
    let claims = Claims {
        t: team_id.to_owned(),
        u: slack_user_id.to_owned(),
        w: whiteboard_id.to_owned(),
        e: svc.clock.now_secs() + PREVIEW_TTL_SECS,
    };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
    let tag = URL_SAFE_NO_PAD.encode(svc.store.vault().sign(CONTEXT, payload.as_bytes()));
    svc.config.public(&format!("/preview/{payload}.{tag}"))
}

fn verify(svc: &Services, token: &str) -> Result<Claims, Refusal> {
    let (payload, tag) = token.split_once('.').ok_or(Refusal::Malformed)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| Refusal::Malformed)?;
    if !svc.store.vault().verify(CONTEXT, payload.as_bytes(), &tag) {
        return Err(Refusal::Forbidden);
    }
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Refusal::Malformed)?;
    let claims: Claims = serde_json::from_slice(&json).map_err(|_| Refusal::Malformed)?;
    if claims.e < svc.clock.now_secs() {
        return Err(Refusal::Forbidden);
    }
    Ok(claims)
}

/// The preview a token names, from the cache or from Zoom.
pub async fn image(svc: &Services, token: &str) -> Result<Image, Refusal> {
    let claims = verify(svc, token)?;
    let key = format!("{}\n{}\n{}", claims.t, claims.u, claims.w);
    if let Some(image) = svc.previews.get(&key) {
        return Ok(image);
    }
    if svc
        .store
        .whiteboard_deleted(&claims.w)
        .await
        .map_err(|_| Refusal::Later)?
    {
        return Err(Refusal::Unavailable);
    }
    let link = match svc.store.zoom_link(&claims.t, &claims.u).await {
        Ok(Some(link)) if link.status == LinkStatus::Ok => link,
        Ok(_) => return Err(Refusal::Unavailable),
        Err(_) => return Err(Refusal::Later),
    };
    let token = credentials::zoom_token(svc, &link, None)
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let refused = |e: ZoomError| match e {
        e if e.is_retryable() => Refusal::Later,
        ZoomError::RateLimited { .. } => Refusal::Later,
        _ => Refusal::Unavailable,
    };
    let board = svc
        .zoom
        .whiteboard(&token, &claims.w)
        .await
        .map_err(refused)?;
    let link = board.preview_link.ok_or(Refusal::Unavailable)?;
    let (content_type, bytes) = svc.zoom.preview(&token, &link).await.map_err(|e| {
        tracing::info!(error = %e, "whiteboard preview not served");
        refused(e)
    })?;
    let image = Image {
        content_type,
        bytes,
    };
    svc.previews.put(key, image.clone());
    Ok(image)
}
