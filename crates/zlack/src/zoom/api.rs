//! A thin Zoom REST client: Bearer auth, the shared HTTP client, and a
//! configurable API root (`https://api.zoom.us/v2`, or the grant's
//! `api_url` + `/v2` for data residency).

mod types;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::error::{api_error, transport, unreadable};
use crate::config::Secret;

pub use self::types::{
    CreateMeeting, CreatedMeeting, ListedMeeting, MeetingInfo, MeetingRecordings, MeetingSettings,
    MeetingType, PastInstance, PastMeeting, PhoneUser, WhiteboardInfo, ZoomUserInfo,
};
pub use super::error::ZoomError;
pub use zlack_domain::meeting::ApiParticipant;

/// Pages of past participants read at most (300 each).
pub const PARTICIPANT_PAGES: usize = 10;

/// The fields of `GET /meetings/{uuid}/meeting_summary` zlack shows.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MeetingSummary {
    /// `summary_title`.
    #[serde(default)]
    pub summary_title: Option<String>,
    /// `summary_overview`.
    #[serde(default)]
    pub summary_overview: Option<String>,
    /// `next_steps`.
    #[serde(default)]
    pub next_steps: Vec<String>,
}

/// A Zoom REST API client; cheap to clone.
#[derive(Debug, Clone)]
pub struct ZoomApi {
    http: reqwest::Client,
    base: String,
    /// The configured API origin, trusted for previews besides Zoom's own.
    api_origin: url::Origin,
    /// Fetches preview images: follows redirects only to trusted hosts.
    previews: reqwest::Client,
}

/// The largest preview image zlack serves.
pub const PREVIEW_MAX_BYTES: usize = 5 * 1024 * 1024;
/// The image types a preview may be.
pub const PREVIEW_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Whether a URL is on one of Zoom's own hosts (`zoom.us` and its
/// subdomains, over https) or at the configured API origin (scheme, host
/// and port).
fn trusted(url: &url::Url, api_origin: &url::Origin) -> bool {
    let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    let zoom = url.scheme() == "https"
        && url.port().is_none()
        && (host == "zoom.us" || host.ends_with(".zoom.us"));
    zoom || (api_origin.is_tuple() && url.origin() == *api_origin)
}

impl ZoomApi {
    /// `api_base` is the REST root including `/v2`.
    pub fn new(http: reqwest::Client, api_base: &url::Url) -> Self {
        let api_origin = api_base.origin();
        let policy_origin = api_origin.clone();
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() < 3 && trusted(attempt.url(), &policy_origin) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let previews = crate::http_client::builder()
            .redirect(policy)
            .build()
            .expect("the preview client's settings are valid");
        Self {
            http,
            base: api_base.as_str().trim_end_matches('/').to_owned(),
            api_origin,
            previews,
        }
    }

    /// `GET /whiteboards/{whiteboardId}`.
    pub async fn whiteboard(
        &self,
        token: &Secret,
        whiteboard_id: &str,
    ) -> Result<WhiteboardInfo, ZoomError> {
        let path = format!("/whiteboards/{}", encode_segment(whiteboard_id));
        send(self.request(Method::GET, &path, token), false).await
    }

    /// Whether the token's user may use Zoom Whiteboard: `GET /whiteboards`
    /// with one result. An account with whiteboards turned off is refused.
    pub async fn whiteboards_available(&self, token: &Secret) -> Result<(), ZoomError> {
        let request = self
            .request(Method::GET, "/whiteboards", token)
            .query(&[("page_size", "1")]);
        send::<serde_json::Value>(request, false).await.map(|_| ())
    }

    /// A whiteboard's preview image from its `preview_link`, with the
    /// user's token: only from Zoom's hosts (or the configured API host),
    /// only an image, at most [`PREVIEW_MAX_BYTES`]. Returns the content
    /// type and the bytes.
    pub async fn preview(
        &self,
        token: &Secret,
        link: &str,
    ) -> Result<(String, Vec<u8>), ZoomError> {
        let refuse = |why: &str| ZoomError::Api {
            status: 502,
            code: 0,
            message: format!("preview refused: {why}"),
        };
        let url = url::Url::parse(link).map_err(|_| refuse("not a URL"))?;
        if !trusted(&url, &self.api_origin) {
            return Err(refuse("not a Zoom host"));
        }
        let mut response = self
            .previews
            .get(url)
            .bearer_auth(token.expose())
            .send()
            .await
            .map_err(|e| ZoomError::Transient(transport(e)))?;
        let status = response.status();
        if !status.is_success() {
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            return Err(api_error(status, &headers, &body, false));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        if !PREVIEW_TYPES.contains(&content_type.as_str()) {
            return Err(refuse("not an image"));
        }
        if response
            .content_length()
            .is_some_and(|n| n > PREVIEW_MAX_BYTES as u64)
        {
            return Err(refuse("too large"));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ZoomError::Transient(transport(e)))?
        {
            if bytes.len() + chunk.len() > PREVIEW_MAX_BYTES {
                return Err(refuse("too large"));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((content_type, bytes))
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

    /// The privileges of `user_id`'s role (`"me"` for the token's own
    /// user), from `GET /users/{userId}/permissions`: strings such as
    /// `User:Read` or `MarketPlace:Edit`, as in Zoom's list of role
    /// privileges.
    pub async fn permissions(
        &self,
        token: &Secret,
        user_id: &str,
    ) -> Result<Vec<String>, ZoomError> {
        #[derive(serde::Deserialize)]
        struct Permissions {
            #[serde(default)]
            permissions: Vec<String>,
        }
        let path = format!("/users/{}/permissions", encode_segment(user_id));
        let answer: Permissions = send(self.request(Method::GET, &path, token), false).await?;
        Ok(answer.permissions)
    }

    /// The Zoom Phone line of `user_id` (`"me"`, an id or an email) from
    /// `GET /phone/users/{userId}` (scope `phone:read:user`, or
    /// `phone:read:user:admin` for other users). A user without Zoom Phone,
    /// an account without it, and a line taken off Zoom Phone are all
    /// [`ZoomError::PhoneUnavailable`].
    pub async fn phone_user(&self, token: &Secret, user_id: &str) -> Result<PhoneUser, ZoomError> {
        let path = format!("/phone/users/{}", encode_segment(user_id));
        let user: PhoneUser = send(self.request(Method::GET, &path, token), false)
            .await
            .map_err(phone_error)?;
        if user.is_active() {
            Ok(user)
        } else {
            Err(ZoomError::PhoneUnavailable { code: 0 })
        }
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

    /// The meetings of `user_id` (`"me"` or an id) not over yet, the live
    /// ones included (`GET /users/{userId}/meetings?type=upcoming`), soonest
    /// first: one page of at most `limit`.
    pub async fn upcoming_meetings(
        &self,
        token: &Secret,
        user_id: &str,
        limit: u32,
    ) -> Result<Vec<ListedMeeting>, ZoomError> {
        #[derive(serde::Deserialize)]
        struct Page {
            #[serde(default)]
            meetings: Vec<ListedMeeting>,
        }
        let path = format!(
            "/users/{}/meetings?type=upcoming&page_size={}",
            encode_segment(user_id),
            limit.clamp(1, 300)
        );
        let page: Page = send(self.request(Method::GET, &path, token), true).await?;
        Ok(page.meetings)
    }

    /// `GET /meetings/{meetingId}`: the latest instance of the meeting.
    pub async fn meeting(&self, token: &Secret, meeting_id: u64) -> Result<MeetingInfo, ZoomError> {
        let path = format!("/meetings/{meeting_id}");
        send(self.request(Method::GET, &path, token), false).await
    }

    /// Everyone who took part in a past occurrence
    /// (`GET /past_meetings/{uuid}/participants`), every page up to
    /// [`PARTICIPANT_PAGES`] pages of 300.
    pub async fn past_participants(
        &self,
        token: &Secret,
        uuid: &str,
    ) -> Result<Vec<ApiParticipant>, ZoomError> {
        #[derive(serde::Deserialize)]
        struct Page {
            #[serde(default)]
            participants: Vec<ApiParticipant>,
            #[serde(default)]
            next_page_token: Option<String>,
        }
        let path = format!("/past_meetings/{}/participants", encode_uuid(uuid));
        let mut all = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..PARTICIPANT_PAGES {
            let mut query = vec![("page_size", "300".to_owned())];
            if let Some(token) = &next {
                query.push(("next_page_token", token.clone()));
            }
            let page: Page =
                send(self.request(Method::GET, &path, token).query(&query), false).await?;
            all.extend(page.participants);
            next = page.next_page_token.filter(|t| !t.is_empty());
            if next.is_none() {
                break;
            }
        }
        Ok(all)
    }

    /// The AI Companion summary of an occurrence
    /// (`GET /meetings/{uuid}/meeting_summary`).
    pub async fn meeting_summary(
        &self,
        token: &Secret,
        uuid: &str,
    ) -> Result<MeetingSummary, ZoomError> {
        let path = format!("/meetings/{}/meeting_summary", encode_uuid(uuid));
        send(self.request(Method::GET, &path, token), false).await
    }

    /// An instance that ended (`GET /past_meetings/{uuid}`): its start,
    /// end and host. A live or unknown instance is `NotFound`.
    pub async fn past_meeting(&self, token: &Secret, uuid: &str) -> Result<PastMeeting, ZoomError> {
        let path = format!("/past_meetings/{}", encode_uuid(uuid));
        send(self.request(Method::GET, &path, token), false).await
    }

    /// The instances of a meeting number that ended
    /// (`GET /past_meetings/{meetingId}/instances`), as Zoom lists them.
    pub async fn past_instances(
        &self,
        token: &Secret,
        meeting_id: i64,
    ) -> Result<Vec<PastInstance>, ZoomError> {
        #[derive(serde::Deserialize)]
        struct Instances {
            #[serde(default)]
            meetings: Vec<PastInstance>,
        }
        let path = format!("/past_meetings/{meeting_id}/instances");
        let answer: Instances = send(self.request(Method::GET, &path, token), false).await?;
        Ok(answer.meetings)
    }

    /// An occurrence's cloud recording (`GET /meetings/{uuid}/recordings`):
    /// `share_url`, `password`, `recording_play_passcode` and
    /// `recording_files`, as Zoom sent them. No recording is `NotFound`
    /// (code 3301).
    pub async fn recordings(
        &self,
        token: &Secret,
        uuid: &str,
    ) -> Result<MeetingRecordings, ZoomError> {
        let path = format!("/meetings/{}/recordings", encode_uuid(uuid));
        send(self.request(Method::GET, &path, token), false)
            .await
            .map(MeetingRecordings)
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

/// Zoom codes for "Zoom Phone has not been enabled for this account": 2031
/// is seen in the wild, 2013 reported; Zoom documents only the 403 and the
/// message.
const PHONE_OFF_CODES: &[i64] = &[2013, 2031];

/// A Phone API error, with Zoom's ways of saying "no Zoom Phone here" made
/// [`ZoomError::PhoneUnavailable`]: 404 code 1001 "User does not exist" or
/// 2001 "Account does not exist", 400 code 300 "Invalid user id", and "Zoom
/// Phone has not been enabled for this account" (403, whatever the code).
fn phone_error(error: ZoomError) -> ZoomError {
    let phone_off = |code: i64, message: &str| {
        PHONE_OFF_CODES.contains(&code)
            || message
                .to_ascii_lowercase()
                .contains("phone has not been enabled")
    };
    match error {
        // 1001 "User does not exist", 2001 "Account does not exist": the
        // Phone system does not know the user or their account.
        ZoomError::NotFound {
            code: code @ (1001 | 2001),
        } => ZoomError::PhoneUnavailable { code },
        // 300 "Invalid user id", documented for users Zoom Phone lacks.
        ZoomError::Api {
            status: 400,
            code: 300,
            ..
        } => ZoomError::PhoneUnavailable { code: 300 },
        ZoomError::Forbidden { code, message } | ZoomError::Api { code, message, .. }
            if phone_off(code, &message) =>
        {
            ZoomError::PhoneUnavailable { code }
        }
        other => other,
    }
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod trust_tests {
    use super::trusted;

    #[test]
    fn previews_come_only_from_zoom_or_the_configured_api() {
        let api = url::Url::parse("http://127.0.0.1:4001/v2")
            .unwrap()
            .origin();
        let ok = |u: &str| trusted(&url::Url::parse(u).unwrap(), &api);
        assert!(ok("https://us05whiteboard.zoom.us/preview/x.png"));
        assert!(ok("https://zoom.us/x"));
        assert!(ok("http://127.0.0.1:4001/wb/preview/x"));
        assert!(!ok("http://127.0.0.1:4002/wb/preview/x"), "another port");
        assert!(!ok("http://us05whiteboard.zoom.us/x"), "not https");
        assert!(!ok("https://zoom.us.evil.example/x"));
        assert!(!ok("https://evilzoom.us/x"));
        assert!(!ok("https://zoom.us:8443/x"));
    }
}
