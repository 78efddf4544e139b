//! Whether the Zoom user who just authorized the admin-managed app may
//! connect Zoom for their whole account, from what Zoom says of their
//! role's privileges rather than of its name (a custom role may be called
//! anything, "admin" included).
//!
//! - The account owner may: their role's id is `"0"` (`role_id` of
//!   `GET /users/me`). Zoom's reference names the owner, admin and member
//!   roles every account has; the id `"0"` for the owner's comes from
//!   Zoom's sample answers and from tools built on the API, not from
//!   Zoom's prose, so a missing or other id simply falls through to:
//! - anyone whose role grants the privileges this needs, as
//!   `GET /users/me/permissions` lists them (strings from Zoom's
//!   "Privileges and Role Management" reference): managing the account's
//!   Marketplace apps (`MarketPlace:Edit`), which is what connecting the
//!   whole account to an outside service is, and reading its users
//!   (`User:Read`, or `User:Edit`, which includes it), which is how zlack
//!   finds everyone by email.
//!
//! Zoom itself also refuses the admin-level scopes to someone whose role
//! lacks them; zlack still recognises that refusal at the callback.

use crate::config::Secret;
use crate::services::Services;
use crate::zoom::api::ZoomUserInfo;

/// The `role_id` of the account owner's role.
pub const OWNER_ROLE_ID: &str = "0";
/// Managing the account's Marketplace apps.
pub const MANAGE_APPS: &str = "MarketPlace:Edit";
/// Reading the account's users; editing them includes reading.
pub const READ_USERS: [&str; 2] = ["User:Read", "User:Edit"];

/// What Zoom said of the user's rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rights {
    /// They may connect Zoom for the whole account.
    Admin,
    /// They may not.
    NotAdmin,
    /// Zoom did not say (an error, or a grant without the scope to ask).
    Unknown(String),
}

/// Whether a role with these privileges may connect the whole account.
/// Zoom's spelling of privilege names varies in case, so case is ignored.
pub fn may_connect_account(privileges: &[String]) -> bool {
    let has = |name: &str| privileges.iter().any(|p| p.eq_ignore_ascii_case(name));
    has(MANAGE_APPS) && READ_USERS.iter().any(|p| has(p))
}

/// The rights of `me`, who holds `token`.
pub async fn rights(svc: &Services, token: &Secret, me: &ZoomUserInfo) -> Rights {
    if me.role_id.as_deref() == Some(OWNER_ROLE_ID) {
        return Rights::Admin;
    }
    match svc.zoom.permissions(token, "me").await {
        Ok(privileges) if may_connect_account(&privileges) => Rights::Admin,
        Ok(_) => Rights::NotAdmin,
        Err(error) => Rights::Unknown(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn managing_apps_and_reading_users_are_both_needed() {
        assert!(may_connect_account(&list(&[
            "MarketPlace:Edit",
            "User:Read"
        ])));
        assert!(may_connect_account(&list(&[
            "User:Edit",
            "Marketplace:Edit"
        ])));
        assert!(!may_connect_account(&list(&["MarketPlace:Edit"])));
        assert!(!may_connect_account(&list(&[
            "User:Edit",
            "MarketPlace:Read"
        ])));
        assert!(!may_connect_account(&[]));
    }

    #[test]
    fn a_role_name_alone_counts_for_nothing() {
        assert!(!may_connect_account(&list(&["Admin", "Owner", "admin"])));
    }
}
