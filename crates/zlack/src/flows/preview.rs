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
/// How long a refusal is kept: a link Zoom refuses is not asked again and
/// again by whoever requests it.
const REFUSAL_TTL: Duration = Duration::from_secs(60);
/// Bytes of previews kept in memory at most.
const CACHE_BYTES: usize = 32 * 1024 * 1024;
/// Previews fetched from Zoom at the same time, at most.
const FETCHES: usize = 4;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// One of the allowed image types.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

type Entry = Result<Image, Refusal>;

/// Previews (and refusals) fetched lately, by workspace, sharer and
/// board; one fetch per key at a time, and a few fetches in all.
pub struct Cache {
    entries: Mutex<HashMap<String, (Instant, Entry)>>,
    fetching: crate::services::KeyedLocks,
    fetches: tokio::sync::Semaphore,
}

impl Default for Cache {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            fetching: crate::services::KeyedLocks::default(),
            fetches: tokio::sync::Semaphore::new(FETCHES),
        }
    }
}

fn fresh(at: Instant, entry: &Entry) -> bool {
    let ttl = if entry.is_ok() {
        CACHE_TTL
    } else {
        REFUSAL_TTL
    };
    at.elapsed() < ttl
}

fn size(entry: &Entry) -> usize {
    entry.as_ref().map_or(0, |image| image.bytes.len())
}

impl Cache {
    fn get(&self, key: &str) -> Option<Entry> {
        let map = self.entries.lock().ok()?;
        let (at, entry) = map.get(key)?;
        fresh(*at, entry).then(|| entry.clone())
    }

    fn put(&self, key: String, entry: Entry) {
        // Zoom being busy is not worth remembering.
        if entry == Err(Refusal::Later) {
            return;
        }
        let Ok(mut map) = self.entries.lock() else {
            return;
        };
        map.retain(|_, (at, entry)| fresh(*at, entry));
        let mut total: usize = map.values().map(|(_, e)| size(e)).sum();
        while total + size(&entry) > CACHE_BYTES {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((_, gone)) = map.remove(&oldest) {
                total -= size(&gone);
            }
        }
        map.insert(key, (Instant::now(), entry));
    }

    fn forget(&self, key: &str) {
        if let Ok(mut map) = self.entries.lock() {
            map.remove(key);
        }
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
    if svc
        .store
        .whiteboard_deleted(&claims.w)
        .await
        .map_err(|_| Refusal::Later)?
    {
        svc.previews.forget(&key);
        return Err(Refusal::Unavailable);
    }
    if let Some(entry) = svc.previews.get(&key) {
        return entry;
    }
    let fetched = fetch_once(svc, &claims, &key).await;
    // The key's lock goes once nobody waits for it: the map stays small.
    svc.previews.fetching.release(&key);
    fetched
}

/// One fetch per board and sharer; the others wait for its result.
async fn fetch_once(svc: &Services, claims: &Claims, key: &str) -> Result<Image, Refusal> {
    let lock = svc.previews.fetching.get(key);
    let _one = lock.lock().await;
    if let Some(entry) = svc.previews.get(key) {
        return entry;
    }
    let _slot = svc
        .previews
        .fetches
        .acquire()
        .await
        .map_err(|_| Refusal::Later)?;
    let fetched = fetch(svc, claims).await;
    svc.previews.put(key.to_owned(), fetched.clone());
    fetched
}

async fn fetch(svc: &Services, claims: &Claims) -> Result<Image, Refusal> {
    let link = match svc
        .store
        .zoom_link(&claims.t.as_str().into(), &claims.u.as_str().into())
        .await
    {
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
    Ok(Image {
        content_type,
        bytes,
    })
}
