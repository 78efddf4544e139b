//! `GET /v2/phone/users/{userId}`: a user's Zoom Phone profile.
//!
//! Errors follow Zoom's Phone API: an account without Zoom Phone answers
//! 403 "Zoom Phone has not been enabled for this account." (code 2031, as
//! seen in the wild; Zoom documents only the status and message), a user
//! without a Zoom Phone license 404 code 1001 "User does not exist".

use super::layer::{Caller, ZoomError};
use super::state::Shared;
use super::users::resolve;
use crate::{http, ids};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;

/// The code this fake gives "Zoom Phone has not been enabled".
pub(crate) const PHONE_DISABLED_CODE: i64 = 2031;

/// A user's Zoom Phone line.
#[derive(Debug, Clone)]
pub(crate) struct PhoneLine {
    pub(crate) phone_user_id: String,
    pub(crate) extension_id: String,
    /// Sent as a JSON number when it is all digits, as Zoom does.
    pub(crate) extension_number: Option<String>,
    /// Direct numbers, as given (E.164).
    pub(crate) numbers: Vec<String>,
    /// ISO 3166 alpha-2 of the emergency address.
    pub(crate) country: String,
}

impl PhoneLine {
    pub(crate) fn new(extension_number: Option<&str>, numbers: &[&str], country: &str) -> Self {
        Self {
            phone_user_id: ids::random_alnum(22),
            extension_id: ids::random_alnum(22),
            extension_number: extension_number.map(str::to_owned),
            numbers: numbers.iter().map(|n| (*n).to_owned()).collect(),
            country: country.to_owned(),
        }
    }
}

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new().route("/v2/phone/users/{userId}", get(get_phone_user))
}

fn profile_json(user_id: &str, email: &str, line: &PhoneLine) -> Value {
    let mut body = json!({
        "id": user_id,
        "phone_user_id": line.phone_user_id,
        "email": email,
        "extension_id": line.extension_id,
        "emergency_address": {
            "id": format!("ea-{}", line.phone_user_id),
            "address_line1": "55 Almaden Boulevard",
            "city": "San Jose",
            "country": line.country,
        },
        "calling_plans": [{"type": 200}],
        "cost_center": "",
        "department": "",
        "site_admin": false,
        "site_id": "site-main",
        "status": "activate",
        "policy": {},
    });
    if let Some(ext) = &line.extension_number {
        body["extension_number"] = match ext.parse::<u64>() {
            Ok(n) => n.into(),
            Err(_) => ext.as_str().into(),
        };
    }
    if !line.numbers.is_empty() {
        let numbers: Vec<Value> = line
            .numbers
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"id": format!("pn-{}-{i}", line.phone_user_id), "number": n}))
            .collect();
        body["phone_numbers"] = numbers.into();
    }
    body
}

/// `GET /phone/users/{userId}` with `me`, an id or an email; a member's
/// token reaches only its own user, an admin's or an account's any user of
/// the account (as `GET /users/{userId}`).
async fn get_phone_user(
    State(shared): State<Arc<Shared>>,
    Caller(caller): Caller,
    Path(key): Path<String>,
) -> Result<Response, ZoomError> {
    let data = shared.data();
    if data.phone_disabled {
        return Err(ZoomError::api(
            StatusCode::FORBIDDEN,
            PHONE_DISABLED_CODE,
            "Zoom Phone has not been enabled for this account.",
        ));
    }
    let user = resolve(&data, &caller, &key)?;
    let line = data.phone_lines.get(&user.id).ok_or_else(|| {
        ZoomError::api(
            StatusCode::NOT_FOUND,
            1001,
            &format!("User does not exist: {key}."),
        )
    })?;
    let body = profile_json(&user.id, &user.email, line);
    Ok(http::json(StatusCode::OK, &body))
}
