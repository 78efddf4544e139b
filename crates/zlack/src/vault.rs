//! Sealing of secrets at rest: tokens, and inbox and job bodies that may
//! carry `response_url`s or personal data. AES-256-GCM with a random nonce;
//! every sealed value names the key that sealed it, so a later key rotation
//! can tell old values from new ones.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::{EncryptionKey, Secret};

const VERSION: u8 = 1;
const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 12;
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;

/// Why a sealed value would not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// Too short, or not in the format this version writes.
    #[error("sealed value is malformed")]
    Malformed,
    /// Sealed under another key, as after a key change.
    #[error("sealed with key {found}, but the configured key is {expected}")]
    WrongKey { found: String, expected: String },
    /// Authentication failed: wrong context, or the bytes were changed.
    #[error("sealed value failed authentication (wrong key or tampered data)")]
    Tampered,
}

/// Seals and opens values under the configured encryption key.
#[derive(Clone)]
pub struct Vault {
    // Shared: every request clones the app state, and with it the vault.
    cipher: std::sync::Arc<Aes256Gcm>,
    key_id: [u8; KEY_ID_LEN],
    /// The key a rotation is replacing: opens what it sealed, seals
    /// nothing. Only `zlack rotate-key` sets it.
    previous: Option<std::sync::Arc<(Aes256Gcm, [u8; KEY_ID_LEN])>>,
    /// Signs URLs zlack hands out (and keys the email hashes): derived from
    /// the key, or, once a key rotation ran, the one the database keeps
    /// sealed, so links already handed out stay valid.
    mac_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault(key {})", self.key_id())
    }
}

impl Vault {
    /// A vault sealing under `key`.
    pub fn new(key: &EncryptionKey) -> Self {
        let mut mac_key = [0u8; 32];
        mac_key.copy_from_slice(&Sha256::digest(
            [b"zlack url signing v1:".as_slice(), &key.0].concat(),
        ));
        Self {
            cipher: std::sync::Arc::new(Aes256Gcm::new((&key.0).into())),
            key_id: key_id_of(key),
            previous: None,
            mac_key,
        }
    }

    /// This vault, also opening what `old` sealed (during a key rotation).
    pub fn with_previous(mut self, old: &EncryptionKey) -> Self {
        self.previous = Some(std::sync::Arc::new((
            Aes256Gcm::new((&old.0).into()),
            key_id_of(old),
        )));
        self
    }

    /// This vault, signing URLs with `mac_key` instead of the one derived
    /// from its key.
    pub fn with_signing_key(mut self, mac_key: [u8; 32]) -> Self {
        self.mac_key = mac_key;
        self
    }

    /// The key URLs are signed with (secret: store it sealed only).
    pub(crate) fn signing_key(&self) -> [u8; 32] {
        self.mac_key
    }

    /// The fingerprint of the previous key, during a rotation.
    pub fn previous_key_id(&self) -> Option<String> {
        self.previous.as_ref().map(|p| hex::encode(p.1))
    }

    fn mac(&self, context: &str, data: &[u8]) -> hmac::Hmac<Sha256> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key)
            .expect("HMAC takes any key length");
        mac.update(context.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac
    }

    /// An HMAC-SHA256 tag of `data` for `context` (such as `preview`), for
    /// URLs zlack signs and later checks with [`Vault::verify`].
    pub fn sign(&self, context: &str, data: &[u8]) -> [u8; 32] {
        use hmac::Mac;
        self.mac(context, data).finalize().into_bytes().into()
    }

    /// Whether `tag` is [`Vault::sign`]'s tag of `data` for `context`,
    /// compared in constant time.
    pub fn verify(&self, context: &str, data: &[u8], tag: &[u8]) -> bool {
        use hmac::Mac;
        self.mac(context, data).verify_slice(tag).is_ok()
    }

    /// A short public fingerprint of the key (not secret; derived by hash).
    pub fn key_id(&self) -> String {
        hex::encode(self.key_id)
    }

    /// Seals `plain`; `context` is authenticated but not stored, so a sealed
    /// value copied to another row (another context) fails to open.
    pub fn seal(&self, plain: &[u8], context: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&self.key_id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a value sealed under this key with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, VaultError> {
        if sealed.len() < HEADER_LEN + 16 || sealed[0] != VERSION {
            return Err(VaultError::Malformed);
        }
        let (key_id, rest) = sealed[1..].split_at(KEY_ID_LEN);
        let cipher = if key_id == self.key_id {
            &*self.cipher
        } else {
            match &self.previous {
                Some(previous) if key_id == previous.1 => &previous.0,
                _ => {
                    return Err(VaultError::WrongKey {
                        found: hex::encode(key_id),
                        expected: self.key_id(),
                    });
                }
            }
        };
        let (nonce, body) = rest.split_at(NONCE_LEN);
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Tampered)
    }

    /// [`Vault::seal`] for a [`Secret`].
    pub fn seal_secret(&self, secret: &Secret, context: &str) -> Vec<u8> {
        self.seal(secret.expose().as_bytes(), context)
    }

    /// Opens a value sealed by [`Vault::seal_secret`].
    pub fn open_secret(&self, sealed: &[u8], context: &str) -> Result<Secret, VaultError> {
        let plain = self.open(sealed, context)?;
        String::from_utf8(plain)
            .map(Secret::new)
            .map_err(|_| VaultError::Malformed)
    }

    /// Opens a value that must be UTF-8 text.
    pub fn open_string(&self, sealed: &[u8], context: &str) -> Result<String, VaultError> {
        String::from_utf8(self.open(sealed, context)?).map_err(|_| VaultError::Malformed)
    }
}

/// The fingerprint of `key`: the first bytes of its SHA-256.
pub fn key_id_of(key: &EncryptionKey) -> [u8; KEY_ID_LEN] {
    let digest = Sha256::digest(key.0);
    let mut key_id = [0u8; KEY_ID_LEN];
    key_id.copy_from_slice(&digest[..KEY_ID_LEN]);
    key_id
}

/// The key id stored beside a sealed value, read without opening it.
pub fn sealed_key_id(sealed: &[u8]) -> Option<String> {
    (sealed.len() > KEY_ID_LEN && sealed[0] == VERSION)
        .then(|| hex::encode(&sealed[1..=KEY_ID_LEN]))
}

/// A fresh random key, for `zlack keygen` and first runs on SQLite.
pub fn generate_key() -> EncryptionKey {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    EncryptionKey(key)
}

/// A fresh random token (256 bits), URL- and cookie-safe: OAuth states,
/// nonces and one-time links.
pub fn random_token() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(byte: u8) -> Vault {
        Vault::new(&EncryptionKey([byte; 32]))
    }

    #[test]
    fn sealed_values_open_with_the_same_key_and_context() {
        let v = vault(1);
        let sealed = v.seal(b"xoxb-123", "token:slack:T1:bot");
        assert!(!sealed.windows(8).any(|w| w == b"xoxb-123"));
        assert_eq!(v.open(&sealed, "token:slack:T1:bot").unwrap(), b"xoxb-123");
        assert_eq!(sealed_key_id(&sealed), Some(v.key_id()));
    }

    #[test]
    fn another_context_another_key_or_a_flipped_bit_refuse_to_open() {
        let v = vault(1);
        let mut sealed = v.seal(b"secret", "a");
        assert_eq!(v.open(&sealed, "b"), Err(VaultError::Tampered));
        assert!(matches!(
            vault(2).open(&sealed, "a"),
            Err(VaultError::WrongKey { .. })
        ));
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert_eq!(v.open(&sealed, "a"), Err(VaultError::Tampered));
        assert_eq!(v.open(&[1, 2, 3], "a"), Err(VaultError::Malformed));
    }

    #[test]
    fn a_rotating_vault_opens_both_keys_and_seals_under_the_new_one() {
        let (old, new) = (vault(1), vault(2));
        let rotating = vault(2).with_previous(&EncryptionKey([1; 32]));
        let before = old.seal(b"v", "c");
        assert_eq!(rotating.open(&before, "c").unwrap(), b"v");
        let after = rotating.seal(b"v", "c");
        assert_eq!(sealed_key_id(&after), Some(new.key_id()));
        assert!(old.open(&after, "c").is_err());
        assert!(rotating.open(&vault(3).seal(b"v", "c"), "c").is_err());
        assert_eq!(rotating.previous_key_id(), Some(old.key_id()));
    }

    #[test]
    fn a_kept_signing_key_verifies_tags_made_before_a_rotation() {
        let old = vault(1);
        let tag = old.sign("preview", b"data");
        let rotated = vault(2).with_signing_key(old.signing_key());
        assert!(rotated.verify("preview", b"data", &tag));
        assert!(!vault(2).verify("preview", b"data", &tag));
    }

    #[test]
    fn two_seals_of_one_value_differ() {
        let v = vault(3);
        assert_ne!(v.seal(b"same", "c"), v.seal(b"same", "c"));
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
