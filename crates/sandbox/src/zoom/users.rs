//! `/v2/users/…`.

use super::ZoomUser;
use super::layer::{Caller, ZoomError};
use super::state::{Data, Shared, Subject};
use crate::{http, ids};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v2/users/{userId}", get(get_user))
        .route("/v2/users/{userId}/token", get(get_token))
        .route("/v2/users/{userId}/permissions", get(get_permissions))
}

/// Resolves `me`, an id or an email to a user the caller may act on.
///
/// An account (S2S) token's `me` is the account's first admin. A user
/// token reaches other users of its account only when its user is an admin.
pub(crate) fn resolve(data: &Data, caller: &Subject, key: &str) -> Result<ZoomUser, ZoomError> {
    let not_found = || {
        ZoomError::api(
            StatusCode::NOT_FOUND,
            1001,
            &format!("User does not exist: {key}."),
        )
    };
    let user = match (key, caller) {
        ("me", Subject::User(id)) => data.users.get(id),
        ("me", Subject::Account(account)) => {
            let mut admins: Vec<&ZoomUser> = data
                .users
                .values()
                .filter(|u| {
                    &u.account_id == account && matches!(u.role.as_str(), "owner" | "admin")
                })
                .collect();
            admins.sort_by(|a, b| a.id.cmp(&b.id));
            admins.first().copied()
        }
        _ => data.user(key),
    }
    .ok_or_else(not_found)?;
    match caller {
        Subject::Account(account) if &user.account_id != account => Err(not_found()),
        Subject::User(id) if &user.id != id => {
            let me = data.users.get(id);
            let allowed =
                me.is_some_and(|me| acts_for_others(me) && me.account_id == user.account_id);
            if allowed {
                Ok(user.clone())
            } else {
                Err(ZoomError::api(
                    StatusCode::BAD_REQUEST,
                    200,
                    "No permission.",
                ))
            }
        }
        _ => Ok(user.clone()),
    }
}

/// What the default admin role may do, as Zoom's privilege strings.
const ADMIN_PRIVILEGES: &[&str] = &[
    "User:Read",
    "User:Edit",
    "Role:Read",
    "Group:Read",
    "Group:Edit",
    "AccountProfile:Read",
    "AccountSetting:Read",
    "AccountSetting:Edit",
    "Recording:Read",
    "Recording:Edit",
    "Dashboard:Read",
    "UsageReport:Read",
    "MarketPlace:Read",
    "MarketPlace:Edit",
    "Integration:Read",
    "Integration:Edit",
];

/// And what only the owner's role adds.
const OWNER_PRIVILEGES: &[&str] = &[
    "Role:Edit",
    "AccountProfile:Edit",
    "BillingSubscription:Read",
    "BillingSubscription:Edit",
    "BillingInformation:Read",
    "BillingInformation:Edit",
];

/// The user's role as `GET /users/{userId}` names it: `(role_id,
/// role_name)`. The three roles every account has answer with the ids of
/// Zoom's sample answers ("0" Owner, "1" Admin, "2" Member); a custom role
/// with a generated id and its free-text name.
fn role_of(user: &ZoomUser) -> (String, String) {
    match user.role.as_str() {
        "owner" => ("0".into(), "Owner".into()),
        "admin" => ("1".into(), "Admin".into()),
        "member" => ("2".into(), "Member".into()),
        custom => {
            let hash = custom.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            (format!("R{hash:016x}"), custom.to_owned())
        }
    }
}

/// The privileges of the user's role.
fn privileges_of(user: &ZoomUser) -> Vec<String> {
    if let Some(custom) = &user.privileges {
        return custom.clone();
    }
    let names: Vec<&str> = match user.role.as_str() {
        "owner" => ADMIN_PRIVILEGES
            .iter()
            .chain(OWNER_PRIVILEGES)
            .copied()
            .collect(),
        "admin" => ADMIN_PRIVILEGES.to_vec(),
        _ => Vec::new(),
    };
    names.into_iter().map(str::to_owned).collect()
}

/// Whether the user's token reaches other users of the account.
fn acts_for_others(user: &ZoomUser) -> bool {
    privileges_of(user)
        .iter()
        .any(|p| p == "User:Read" || p == "User:Edit")
}

fn user_json(user: &ZoomUser) -> Value {
    let (role_id, role_name) = role_of(user);
    let mut json = json!({
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "type": 2,
        "pmi": user.pmi,
        "use_pmi": false,
        "personal_meeting_url": user.personal_meeting_url,
        "timezone": user.timezone,
        "language": "en-US",
        "verified": 1,
        "account_id": user.account_id,
        "account_number": 10_000_001,
        "status": user.status,
        "role_name": role_name,
        "role_id": role_id,
        "dept": "",
        "created_at": "2024-01-01T00:00:00Z",
        "last_login_time": "2025-01-01T00:00:00Z",
    });
    if let Some(vanity) = &user.vanity_name {
        json["vanity_url"] = format!("https://zoom.us/my/{vanity}").into();
    }
    json
}

async fn get_user(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(key): Path<String>,
) -> Result<Response, ZoomError> {
    let user = resolve(&shared.data(), &caller, &key)?;
    Ok(http::json(StatusCode::OK, &user_json(&user)))
}

/// `GET /users/{userId}/permissions`: the privileges of the user's role.
async fn get_permissions(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(key): Path<String>,
) -> Result<Response, ZoomError> {
    let user = resolve(&shared.data(), &caller, &key)?;
    let body = json!({ "permissions": privileges_of(&user) });
    Ok(http::json(StatusCode::OK, &body))
}

/// `GET /users/{userId}/token?type=zak`: a fresh ZAK for starting meetings.
async fn get_token(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(key): Path<String>,
) -> Result<Response, ZoomError> {
    resolve(&shared.data(), &caller, &key)?;
    let zak = format!("eyJ{}", ids::random_alnum(60));
    Ok(http::json(StatusCode::OK, &json!({"token": zak})))
}
