//! PKCE (RFC 7636) for the Zoom authorization-code flow: the verifier stays
//! with us, only its SHA-256 travels in the authorize URL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::Secret;

/// A fresh verifier and the challenge derived from it.
#[derive(Debug, Clone)]
pub struct Pkce {
    /// Kept until the code exchange; 43 characters of base64url.
    pub verifier: Secret,
    /// `base64url(SHA-256(verifier))`, sent with `code_challenge_method=S256`.
    pub challenge: String,
}

impl Pkce {
    /// The only method we send; `plain` would put the verifier in the URL.
    pub const METHOD: &'static str = "S256";

    /// 32 random bytes, base64url without padding: 43 characters from the
    /// unreserved set, 256 bits of entropy.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let verifier = URL_SAFE_NO_PAD.encode(bytes);
        let challenge = Self::challenge_for(&verifier);
        Self {
            verifier: Secret::new(verifier),
            challenge,
        }
    }

    /// The S256 challenge of `verifier`.
    pub fn challenge_for(verifier: &str) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_matches_the_rfc_7636_example() {
        let challenge = Pkce::challenge_for("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn generated_verifiers_are_long_unreserved_and_distinct() {
        let a = Pkce::generate();
        let b = Pkce::generate();
        let verifier = a.verifier.expose();
        assert!((43..=128).contains(&verifier.len()));
        assert!(
            verifier
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        );
        assert_eq!(a.challenge, Pkce::challenge_for(verifier));
        assert_ne!(verifier, b.verifier.expose());
        assert!(!format!("{a:?}").contains(verifier));
    }
}
