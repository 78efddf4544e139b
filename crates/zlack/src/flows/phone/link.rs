//! The call page's links: `GET /call/{token}`, where the token is the
//! number, when the link was made and when it expires, sealed with the
//! vault (AES-256-GCM): nobody can forge one, and the number cannot be read
//! from the URL (proxy logs, browser history). The page builds its
//! `zoomphonecall:`, `tel:` and `callto:` links from the number alone,
//! parsed again, so the link can never send a browser anywhere else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zlack_domain::phone::PhoneNumber;

use crate::services::Services;
use crate::vault::VaultError;

/// The vault context of call links: a value sealed for anything else does
/// not open as one.
const CONTEXT: &str = "call-page:v2";
/// How long the button of a `/zoom call` answer works.
pub const PROMPT_TTL_SECS: i64 = 24 * 60 * 60;
/// How long "Call back" in a missed-call DM works.
pub const CALL_BACK_TTL_SECS: i64 = 7 * 24 * 60 * 60;
/// For how long after it was made the page opens Zoom Phone by itself.
/// Later (a link kept, or passed on) it waits for a press, so a link posted
/// somewhere does not dial for whoever opens it.
pub const AUTO_OPEN_SECS: i64 = 120;
/// Longest token accepted; real ones are far shorter.
pub const TOKEN_MAX: usize = 512;

#[derive(Serialize, Deserialize)]
struct Claims {
    /// The dial string: E.164 or an extension.
    n: String,
    /// Made, Unix seconds.
    i: i64,
    /// Expires, Unix seconds.
    e: i64,
}

/// Why a call link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a token zlack could have made.
    Malformed,
    /// Not made by this server (or under another key), or expired.
    Forbidden,
}

/// What a genuine, current call link says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLink {
    /// The number to call.
    pub number: PhoneNumber,
    /// Whether the page may open Zoom Phone without a press.
    pub auto_open: bool,
}

/// The call page URL for `number`, valid `ttl_secs`.
pub fn signed_url(svc: &Services, number: &PhoneNumber, ttl_secs: i64) -> String {
    let now = svc.clock.now_secs();
    let claims = Claims {
        n: number.dial_string().to_owned(),
        i: now,
        e: now + ttl_secs,
    };
    let sealed = svc
        .store
        .vault()
        .seal(&serde_json::to_vec(&claims).unwrap_or_default(), CONTEXT);
    svc.config
        .public(&format!("/call/{}", URL_SAFE_NO_PAD.encode(sealed)))
}

/// The number a call link names, when the link is genuine and current.
pub fn verify(svc: &Services, token: &str) -> Result<CallLink, Refusal> {
    if token.len() > TOKEN_MAX {
        return Err(Refusal::Malformed);
    }
    let sealed = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| Refusal::Malformed)?;
    let plain = match svc.store.vault().open(&sealed, CONTEXT) {
        Ok(plain) => plain,
        Err(VaultError::Malformed) => return Err(Refusal::Malformed),
        Err(VaultError::Tampered | VaultError::WrongKey { .. }) => return Err(Refusal::Forbidden),
    };
    let claims: Claims = serde_json::from_slice(&plain).map_err(|_| Refusal::Malformed)?;
    let now = svc.clock.now_secs();
    if claims.e < now {
        return Err(Refusal::Forbidden);
    }
    let number = PhoneNumber::from_dial_string(&claims.n).ok_or(Refusal::Malformed)?;
    Ok(CallLink {
        number,
        auto_open: now - claims.i <= AUTO_OPEN_SECS,
    })
}
