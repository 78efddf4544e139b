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
                .filter(|u| &u.account_id == account && u.role == "admin")
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
                me.is_some_and(|me| me.role == "admin" && me.account_id == user.account_id);
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

fn user_json(user: &ZoomUser) -> Value {
    let (role_name, role_id) = if user.role == "admin" {
        ("Admin", "1")
    } else {
        ("Member", "2")
    };
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
