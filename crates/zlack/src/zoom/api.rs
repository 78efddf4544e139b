//! A thin Zoom REST client: Bearer auth, the shared HTTP client, and a
//! configurable API root (`https://api.zoom.us/v2`, or the grant's
//! `api_url` + `/v2` for data residency).

use std::fmt;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::{api_error, transport, unreadable};
use super::oauth::{optional_secret, secret};
use crate::config::Secret;

pub use super::error::ZoomError;

#[derive(Debug, Clone)]
pub struct ZoomApi {
    http: reqwest::Client,
    base: String,
}

impl ZoomApi {
    /// `api_base` is the REST root including `/v2`.
    pub fn new(http: reqwest::Client, api_base: &url::Url) -> Self {
        Self {
            http,
            base: api_base.as_str().trim_end_matches('/').to_owned(),
        }
    }

    /// The token's own user (`GET /users/me`). A user who cannot use Zoom
    /// any more (status `inactive`, or code 1001) is `AccountDeactivated`.
    pub async fn me(&self, token: &Secret) -> Result<ZoomUserInfo, ZoomError> {
        let request = self.request(Method::GET, "/users/me", token);
        let user: ZoomUserInfo = send(request, true).await?;
        if user.is_active() {
            Ok(user)
        } else {
            Err(ZoomError::AccountDeactivated)
        }
    }

    /// Another user by id or email (`GET /users/{userId}`), as found, whatever
    /// its status; an unknown user is `NotFound { code: 1001 }`.
    pub async fn user(
        &self,
        token: &Secret,
        user_id_or_email: &str,
    ) -> Result<ZoomUserInfo, ZoomError> {
        let path = format!("/users/{}", encode_segment(user_id_or_email));
        send(self.request(Method::GET, &path, token), false).await
    }

    /// `POST /users/{userId}/meetings`; `user_id` is `"me"` or an id. A
    /// deactivated or missing host is `AccountDeactivated`.
    pub async fn create_meeting(
        &self,
        token: &Secret,
        user_id: &str,
        req: &CreateMeeting,
    ) -> Result<CreatedMeeting, ZoomError> {
        let path = format!("/users/{}/meetings", encode_segment(user_id));
        send(self.request(Method::POST, &path, token).json(req), true).await
    }

    /// `GET /meetings/{meetingId}`: the latest instance of the meeting.
    pub async fn meeting(&self, token: &Secret, meeting_id: u64) -> Result<MeetingInfo, ZoomError> {
        let path = format!("/meetings/{meeting_id}");
        send(self.request(Method::GET, &path, token), false).await
    }

    fn request(&self, method: Method, path: &str, token: &Secret) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token.expose())
    }
}

/// Sends and sorts the answer; `must_exist` as in [`api_error`].
async fn send<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
    must_exist: bool,
) -> Result<T, ZoomError> {
    let response = request
        .send()
        .await
        .map_err(|e| ZoomError::Transient(transport(e)))?;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| ZoomError::Transient(transport(e)))?;
    if !status.is_success() {
        return Err(api_error(status, &headers, &bytes, must_exist));
    }
    serde_json::from_slice(&bytes).map_err(|e| ZoomError::Api {
        status: status.as_u16(),
        code: 0,
        message: unreadable(&e),
    })
}

/// A meeting UUID for a path: encoded twice when it starts with `/` or
/// contains `//` (Zoom would otherwise read it as path structure), once
/// otherwise.
pub fn encode_uuid(uuid: &str) -> String {
    let once = encode_segment(uuid);
    if uuid.starts_with('/') || uuid.contains("//") {
        encode_segment(&once)
    } else {
        once
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A Zoom user (`GET /users/{userId}`); unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "UserWire")]
pub struct ZoomUserInfo {
    pub id: String,
    pub email: String,
    /// Zoom's display name, or first and last name when it has none.
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub pmi: Option<u64>,
    pub personal_meeting_url: Option<String>,
    pub vanity_url: Option<String>,
    pub timezone: Option<String>,
    pub account_id: Option<String>,
    /// `active`, `inactive` (deactivated) or `pending`.
    pub status: Option<String>,
    pub role_name: Option<String>,
    pub language: Option<String>,
}

impl ZoomUserInfo {
    /// Whether the user may host; only `inactive` says otherwise.
    pub fn is_active(&self) -> bool {
        self.status.as_deref() != Some("inactive")
    }
}

#[derive(Deserialize)]
struct UserWire {
    id: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default, deserialize_with = "lenient_u64")]
    pmi: Option<u64>,
    #[serde(default)]
    personal_meeting_url: Option<String>,
    #[serde(default)]
    vanity_url: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    account_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    role_name: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

impl From<UserWire> for ZoomUserInfo {
    fn from(w: UserWire) -> Self {
        let display_name = w
            .display_name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| {
                format!("{} {}", w.first_name, w.last_name)
                    .trim()
                    .to_owned()
            });
        Self {
            id: w.id,
            email: w.email,
            display_name,
            first_name: w.first_name,
            last_name: w.last_name,
            pmi: w.pmi,
            personal_meeting_url: w.personal_meeting_url,
            vanity_url: w.vanity_url,
            timezone: w.timezone,
            account_id: w.account_id,
            status: w.status,
            role_name: w.role_name,
            language: w.language,
        }
    }
}

/// Sent as Zoom's numeric `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingType {
    Instant = 1,
    Scheduled = 2,
}

impl Serialize for MeetingType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(*self as u8)
    }
}

/// The body of `POST /users/{userId}/meetings`; `None` fields are left out
/// so Zoom's (or the user's) defaults apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateMeeting {
    pub topic: String,
    #[serde(rename = "type")]
    pub kind: MeetingType,
    /// ISO 8601; a trailing `Z` means UTC, otherwise local to `timezone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<MeetingSettings>,
}

impl CreateMeeting {
    /// An instant meeting with Zoom's default settings.
    pub fn instant(topic: &str) -> Self {
        Self {
            topic: topic.to_owned(),
            kind: MeetingType::Instant,
            start_time: None,
            duration: None,
            timezone: None,
            settings: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MeetingSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_before_host: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_room: Option<bool>,
}

/// Zoom's answer to a create. `Debug` hides `start_url` and `password`.
#[derive(Clone, Deserialize)]
pub struct CreatedMeeting {
    #[serde(deserialize_with = "required_u64")]
    pub id: u64,
    /// Not in every create response (rivet 0.3.0 has none); each instance
    /// gets its own on `meeting.started`.
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(default)]
    pub topic: String,
    pub join_url: String,
    /// Starts the meeting as host (embeds the host's ZAK, valid about 2 h):
    /// never log it or post it anywhere but to the host.
    #[serde(deserialize_with = "secret")]
    pub start_url: Secret,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub host_email: Option<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
}

impl fmt::Debug for CreatedMeeting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedMeeting")
            .field("id", &self.id)
            .field("uuid", &self.uuid)
            .field("topic", &self.topic)
            .field("join_url", &self.join_url)
            .field("start_url", &self.start_url)
            .field("password", &redacted(&self.password))
            .field("host_email", &self.host_email)
            .field("start_time", &self.start_time)
            .field("timezone", &self.timezone)
            .finish()
    }
}

/// `GET /meetings/{meetingId}`. `Debug` hides `password` and `start_url`.
#[derive(Clone, Deserialize)]
pub struct MeetingInfo {
    #[serde(deserialize_with = "required_u64")]
    pub id: u64,
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(default)]
    pub host_id: Option<String>,
    #[serde(default)]
    pub topic: String,
    /// 1 instant, 2 scheduled, 3/8 recurring, 4 PMI, 10 screen share.
    #[serde(rename = "type", default)]
    pub kind: i64,
    /// `waiting`, `started`, …
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub join_url: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// A fresh host start link (the one from the create expires).
    #[serde(default, deserialize_with = "optional_secret")]
    pub start_url: Option<Secret>,
}

impl fmt::Debug for MeetingInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeetingInfo")
            .field("id", &self.id)
            .field("uuid", &self.uuid)
            .field("host_id", &self.host_id)
            .field("topic", &self.topic)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("start_time", &self.start_time)
            .field("timezone", &self.timezone)
            .field("duration", &self.duration)
            .field("join_url", &self.join_url)
            .field("password", &redacted(&self.password))
            .field("start_url", &self.start_url)
            .finish()
    }
}

fn redacted(value: &Option<String>) -> Option<&'static str> {
    value.as_ref().map(|_| "[redacted]")
}

/// Zoom sends ids as numbers, but some answers (and PMIs) as strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(u64),
    Text(String),
    Other(serde::de::IgnoredAny),
}

fn required_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match NumberOrText::deserialize(d)? {
        NumberOrText::Number(n) => Ok(n),
        NumberOrText::Text(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom("id is not a number")),
        NumberOrText::Other(_) => Err(serde::de::Error::custom("id is not a number")),
    }
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Option::<NumberOrText>::deserialize(d)? {
        Some(NumberOrText::Number(n)) => Some(n),
        Some(NumberOrText::Text(s)) => s.trim().parse().ok(),
        Some(NumberOrText::Other(_)) | None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zoom::oauth::ZoomOAuth;
    use sandbox::{FakeZoom, Fault, ZoomUser};
    use serde_json::{Value, json};
    use std::time::Duration;

    struct Setup {
        zoom: FakeZoom,
        api: ZoomApi,
        token: Secret,
    }

    /// A fake with user `zu1` and a user-level access token for it.
    async fn setup() -> Setup {
        let zoom = FakeZoom::start().await;
        zoom.set_client("client-1", "client-secret-1");
        let mut ann = ZoomUser::new("zu1", "ann@example.com", "Ann Example");
        ann.vanity_name = Some("ann".to_owned());
        zoom.add_user(ann);
        zoom.set_next_login("zu1");
        let http = crate::http_client::build();
        let oauth_base = url::Url::parse(&zoom.oauth_url()).unwrap();
        let secret = Secret::new("client-secret-1");
        let oauth = ZoomOAuth::new(http.clone(), &oauth_base, "client-1", secret);
        let pkce = crate::zoom::pkce::Pkce::generate();
        let authorize = crate::zoom::oauth::authorize_url(
            &oauth_base,
            "client-1",
            "https://zlack.test/cb",
            "st",
            &pkce.challenge,
        );
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = browser.get(authorize).send().await.unwrap();
        let location = response.headers()[reqwest::header::LOCATION]
            .to_str()
            .unwrap();
        let callback = url::Url::parse(location).unwrap();
        let code = callback
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        let tokens = oauth
            .exchange_code(&code, "https://zlack.test/cb", &pkce.verifier)
            .await
            .unwrap();
        let api = ZoomApi::new(http, &url::Url::parse(&zoom.api_url()).unwrap());
        Setup {
            zoom,
            api,
            token: tokens.access_token,
        }
    }

    fn full_request() -> CreateMeeting {
        CreateMeeting {
            topic: "Standup".to_owned(),
            kind: MeetingType::Scheduled,
            start_time: Some("2030-01-02T09:00:00Z".to_owned()),
            duration: Some(15),
            timezone: Some("Europe/Stockholm".to_owned()),
            settings: Some(MeetingSettings {
                join_before_host: Some(true),
                waiting_room: Some(false),
            }),
        }
    }

    #[test]
    fn uuids_are_encoded_twice_only_when_zoom_needs_it() {
        assert_eq!(
            encode_uuid("4444AAAiAAAAAiAiAiiAii=="),
            "4444AAAiAAAAAiAiAiiAii%3D%3D"
        );
        assert_eq!(encode_uuid("ab/c+d=="), "ab%2Fc%2Bd%3D%3D");
        assert_eq!(
            encode_uuid("/ajXp112QmuoKj4854875=="),
            "%252FajXp112QmuoKj4854875%253D%253D"
        );
        assert_eq!(encode_uuid("ab//cd"), "ab%252F%252Fcd");
    }

    #[test]
    fn users_without_a_display_name_get_first_and_last_name() {
        let body =
            json!({"id": "z", "first_name": "Ann", "last_name": "Lee", "pmi": "123", "extra": 1});
        let user: ZoomUserInfo = serde_json::from_value(body).unwrap();
        assert_eq!(user.display_name, "Ann Lee");
        assert_eq!(user.pmi, Some(123));
        assert!(user.is_active());
    }

    #[test]
    fn create_request_uses_zoom_field_names() {
        let body = serde_json::to_value(full_request()).unwrap();
        assert_eq!(body["type"], 2);
        assert_eq!(body["settings"]["join_before_host"], true);
        let bare = serde_json::to_value(CreateMeeting::instant("Now")).unwrap();
        assert_eq!(bare, json!({"topic": "Now", "type": 1}));
    }

    /// Collects the properties a schema node allows, through `allOf`.
    fn properties(schema: &Value) -> serde_json::Map<String, Value> {
        let mut out = schema
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(properties(part));
        }
        out
    }

    fn conforms(value: &Value, schema: &Value, path: &str) {
        let expected = schema.get("type").and_then(Value::as_str);
        let fits = match (expected, value) {
            (Some("integer"), v) => v.is_u64() || v.is_i64(),
            (Some("string"), v) => v.is_string(),
            (Some("boolean"), v) => v.is_boolean(),
            (Some("object"), v) => v.is_object(),
            _ => true,
        };
        assert!(fits, "{path} is not of type {expected:?}");
        if let Value::Object(fields) = value {
            let allowed = properties(schema);
            for (key, field) in fields {
                let inner = allowed
                    .get(key)
                    .unwrap_or_else(|| panic!("{path}.{key} is not in Zoom's schema"));
                conforms(field, inner, &format!("{path}.{key}"));
            }
        }
    }

    #[test]
    fn create_request_fields_exist_in_zoom_openapi_schema() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/specs/zoom/openapi_v2_create_meeting_request.schema.json"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            println!("note: {path} not found; schema check skipped");
            return;
        };
        let schema: Value = serde_json::from_str(&text).unwrap();
        let body = serde_json::to_value(full_request()).unwrap();
        conforms(&body, &schema, "body");
    }

    #[tokio::test]
    async fn me_describes_the_tokens_user() {
        let s = setup().await;
        let me = s.api.me(&s.token).await.unwrap();
        assert_eq!(me.id, "zu1");
        assert_eq!(me.email, "ann@example.com");
        assert_eq!(me.display_name, "Ann Example");
        assert!(me.pmi.is_some());
        assert_eq!(me.vanity_url.as_deref(), Some("https://zoom.us/my/ann"));
        assert_eq!(me.account_id.as_deref(), Some(sandbox::ZOOM_ACCOUNT_ID));
        assert_eq!(me.timezone.as_deref(), Some("UTC"));
        let call = &s.zoom.calls_to("GET /users/me")[0];
        assert_eq!(call.bearer.as_deref(), Some(s.token.expose()));
    }

    #[tokio::test]
    async fn user_lookups_distinguish_missing_from_forbidden() {
        let s = setup().await;
        s.zoom
            .add_user(ZoomUser::new("zu2", "bo+x@example.com", "Bo X"));
        let missing = s.api.user(&s.token, "nobody@example.com").await;
        assert_eq!(missing.unwrap_err(), ZoomError::NotFound { code: 1001 });
        let other = s.api.user(&s.token, "bo+x@example.com").await.unwrap_err();
        assert!(
            matches!(other, ZoomError::Forbidden { code: 200, .. }),
            "{other:?}"
        );
        assert_eq!(s.api.user(&s.token, "zu1").await.unwrap().id, "zu1");
    }

    #[tokio::test]
    async fn created_meeting_can_be_read_back() {
        let s = setup().await;
        let created = s
            .api
            .create_meeting(&s.token, "me", &full_request())
            .await
            .unwrap();
        assert_eq!(created.topic, "Standup");
        assert!(created.join_url.contains(&created.id.to_string()));
        assert!(created.start_url.expose().contains("zak="));
        assert_eq!(created.timezone.as_deref(), Some("Europe/Stockholm"));
        let debug = format!("{created:?}");
        assert!(!debug.contains("zak="), "{debug}");
        assert!(!debug.contains(created.password.as_deref().unwrap()));

        let sent = &s.zoom.calls_to("POST /users/me/meetings")[0];
        assert_eq!(sent.args["type"], 2);
        assert_eq!(sent.args["duration"], 15);
        assert_eq!(sent.args["settings"]["join_before_host"], true);

        let info = s.api.meeting(&s.token, created.id).await.unwrap();
        assert_eq!(info.id, created.id);
        assert_eq!(info.kind, 2);
        assert_eq!(info.uuid, created.uuid);
        assert_eq!(info.status.as_deref(), Some("waiting"));
        assert_eq!(info.duration, Some(15));
        assert!(!format!("{info:?}").contains("zak="));

        let missing = s.api.meeting(&s.token, 1).await.unwrap_err();
        assert_eq!(missing, ZoomError::NotFound { code: 3001 });
    }

    #[tokio::test]
    async fn deactivated_user_cannot_create_meetings() {
        let s = setup().await;
        let mut ann = ZoomUser::new("zu1", "ann@example.com", "Ann Example");
        ann.status = "inactive".to_owned();
        s.zoom.add_user(ann);
        let create = s
            .api
            .create_meeting(&s.token, "me", &CreateMeeting::instant("x"))
            .await;
        assert_eq!(create.unwrap_err(), ZoomError::AccountDeactivated);
        assert_eq!(
            s.api.me(&s.token).await.unwrap_err(),
            ZoomError::AccountDeactivated
        );
    }

    #[tokio::test]
    async fn expired_token_is_unauthorized() {
        let s = setup().await;
        s.zoom.expire_access_tokens();
        let error = s.api.me(&s.token).await.unwrap_err();
        assert_eq!(error, ZoomError::Unauthorized);
        assert!(!error.is_retryable());
    }

    #[tokio::test]
    async fn rate_limits_carry_retry_after_and_the_daily_flag() {
        let s = setup().await;
        let per_second = Fault::RateLimited {
            retry_after_secs: 7,
        };
        s.zoom
            .fail_next("POST /users/{userId}/meetings", per_second, 1);
        let req = CreateMeeting::instant("x");
        let error = s
            .api
            .create_meeting(&s.token, "me", &req)
            .await
            .unwrap_err();
        let ZoomError::RateLimited { retry_after, daily } = error else {
            panic!("expected a rate limit, got {error:?}");
        };
        assert!(retry_after >= Duration::from_secs(7));
        assert!(!daily);

        let message = "You have reached the maximum daily rate limit for this API. \
                       Refer to the response header for details on when you can make another request.";
        let daily_limit = Fault::ZoomError {
            status: 429,
            code: 429,
            message: message.to_owned(),
        };
        s.zoom.fail_next("POST /users/me/meetings", daily_limit, 1);
        let error = s
            .api
            .create_meeting(&s.token, "me", &req)
            .await
            .unwrap_err();
        assert!(
            matches!(error, ZoomError::RateLimited { daily: true, .. }),
            "{error:?}"
        );
        assert!(error.is_retryable());
    }

    #[tokio::test]
    async fn server_errors_and_dead_hosts_are_transient() {
        let s = setup().await;
        s.zoom
            .fail_next("GET /users/me", Fault::ServerError { status: 502 }, 1);
        let error = s.api.me(&s.token).await.unwrap_err();
        assert!(matches!(error, ZoomError::Transient(_)), "{error:?}");
        assert!(error.is_retryable());

        let closed = url::Url::parse("http://127.0.0.1:9/v2").unwrap();
        let offline = ZoomApi::new(crate::http_client::build(), &closed);
        let error = offline.me(&s.token).await.unwrap_err();
        assert!(matches!(error, ZoomError::Transient(_)), "{error:?}");
        let text = format!("{error} {error:?}");
        assert!(!text.contains("127.0.0.1") && !text.contains(s.token.expose()));
    }
}
