//! A Zoom admin's fresh authorization of the admin-managed app, kept
//! while it waits for a decision, and what happens to one that changes
//! nothing.

use serde::{Deserialize, Serialize, Serializer};

use crate::clock::Millis;
use crate::config::Secret;
use crate::services::Services;
use crate::store::StoreError;

/// A Zoom admin's fresh authorization of the admin-managed app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Authorization {
    /// Their Zoom account.
    pub account_id: String,
    /// Their Zoom user id.
    pub admin_id: String,
    /// Their email address, when Zoom gave one.
    pub admin_email: Option<String>,
    /// The account's new access token.
    #[serde(serialize_with = "expose")]
    pub access_token: Secret,
    /// Its refresh token.
    #[serde(serialize_with = "expose_optional")]
    pub refresh_token: Option<Secret>,
    /// When the access token expires.
    pub expires_at: Millis,
}

impl Authorization {
    /// How the account is named to people: its admin's email, else its id.
    pub fn label(&self) -> &str {
        self.admin_email.as_deref().unwrap_or(&self.account_id)
    }
}

fn expose<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose())
}

fn expose_optional<S: Serializer>(secret: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => s.serialize_some(secret.expose()),
        None => s.serialize_none(),
    }
}

/// Drops an authorization that changes nothing. Revoking it at Zoom ends
/// the app for its whole account (`app_deauthorized`), so that happens
/// only when no workspace uses that account; otherwise its tokens are
/// simply not kept. True when it was revoked.
pub async fn drop_authorization(svc: &Services, new: &Authorization) -> Result<bool, StoreError> {
    let used = svc
        .store
        .other_teams_on_account(None, &new.account_id, "")
        .await?;
    let token = new.refresh_token.as_ref().unwrap_or(&new.access_token);
    match &svc.zoom_oauth {
        Some(oauth) if used == 0 => match oauth.revoke(token).await {
            Ok(()) => Ok(true),
            Err(error) => {
                tracing::warn!(%error, "revoking a refused Zoom authorization failed");
                Ok(false)
            }
        },
        _ => Ok(false),
    }
}
