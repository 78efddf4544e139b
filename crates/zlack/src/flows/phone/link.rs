//! The call page's links: `GET /call/{token}`, where the token is a number
//! signed with a key derived from the encryption key and an expiry. The page
//! builds its `zoomphonecall:`, `tel:` and `callto:` links from the number
//! alone, re-validated, so the link can never send a browser anywhere else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zlack_domain::phone::PhoneNumber;

use crate::services::Services;

/// The HMAC context of call links.
const CONTEXT: &str = "call-page:v1";
/// How long the button of a `/zoom call` answer works.
pub const PROMPT_TTL_SECS: i64 = 24 * 60 * 60;
/// How long "Call back" in a missed-call DM works.
pub const CALL_BACK_TTL_SECS: i64 = 7 * 24 * 60 * 60;
/// Longest token accepted; real ones are far shorter.
pub const TOKEN_MAX: usize = 512;

#[derive(Serialize, Deserialize)]
struct Claims {
    /// The dial string: E.164 or an extension.
    n: String,
    /// Expiry, Unix seconds.
    e: i64,
}

/// Why a call link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a token zlack could have made.
    Malformed,
    /// Not signed by this server, or expired.
    Forbidden,
}

/// The signed call page URL for `number`, valid `ttl_secs`.
pub fn signed_url(svc: &Services, number: &PhoneNumber, ttl_secs: i64) -> String {
    let claims = Claims {
        n: number.dial_string().to_owned(),
        e: svc.clock.now_secs() + ttl_secs,
    };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
    let tag = URL_SAFE_NO_PAD.encode(svc.store.vault().sign(CONTEXT, payload.as_bytes()));
    svc.config.public(&format!("/call/{payload}.{tag}"))
}

/// The number a call link names, when the link is genuine and current.
pub fn verify(svc: &Services, token: &str) -> Result<PhoneNumber, Refusal> {
    if token.len() > TOKEN_MAX {
        return Err(Refusal::Malformed);
    }
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
    PhoneNumber::from_dial_string(&claims.n).ok_or(Refusal::Malformed)
}
