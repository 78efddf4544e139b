//! The shapes Zoom's REST API sends and takes: users, meeting requests and
//! meetings, read leniently (ids as numbers or strings, unknown fields
//! ignored) and with secrets kept out of `Debug`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::Secret;
use crate::zoom::oauth::{optional_secret, secret};

/// A Zoom user (`GET /users/{userId}`); unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "UserWire")]
pub struct ZoomUserInfo {
    /// Zoom's user id.
    pub id: String,
    pub email: String,
    /// Zoom's display name, or first and last name when it has none.
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    /// The Personal Meeting ID.
    pub pmi: Option<u64>,
    /// The join link of the user's personal meeting room.
    pub personal_meeting_url: Option<String>,
    /// The user's personal link, when one is set.
    pub vanity_url: Option<String>,
    /// An IANA time zone, such as `America/New_York`.
    pub timezone: Option<String>,
    /// The Zoom account the user belongs to.
    pub account_id: Option<String>,
    /// `active`, `inactive` (deactivated) or `pending`.
    pub status: Option<String>,
    /// The user's role in the account, such as `Owner`: free text, a
    /// custom role's name is whatever an admin typed.
    pub role_name: Option<String>,
    /// The id of the user's role: `"0"` for the account owner's role; a
    /// custom role has a generated id.
    pub role_id: Option<String>,
    /// The user's language, such as `en-US`.
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
    #[serde(default, deserialize_with = "lenient_text")]
    role_id: Option<String>,
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
            role_id: w.role_id,
            language: w.language,
        }
    }
}

/// Sent as Zoom's numeric `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingType {
    /// Starts now; has no start time.
    Instant = 1,
    /// Starts at `start_time`.
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
    /// The meeting's title.
    pub topic: String,
    /// Instant or scheduled.
    #[serde(rename = "type")]
    pub kind: MeetingType,
    /// ISO 8601; a trailing `Z` means UTC, otherwise local to `timezone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Applies to a `start_time` without `Z`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Overrides of the host's defaults.
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

    /// A meeting scheduled at `start` (local to its zone, which Zoom is
    /// told) for `duration` minutes.
    pub fn scheduled(topic: &str, start: &jiff::Zoned, duration: u32) -> Self {
        let zone = start.time_zone().iana_name().map(str::to_owned);
        Self {
            topic: topic.to_owned(),
            kind: MeetingType::Scheduled,
            // Local time in a named zone; a zone without a name goes as UTC.
            start_time: Some(match zone {
                Some(_) => start.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
                None => start.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            }),
            duration: Some(duration),
            timezone: zone,
            settings: None,
        }
    }
}

/// Settings to override; `None` keeps the host's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MeetingSettings {
    /// Lets participants in before the host starts the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_before_host: Option<bool>,
    /// Holds participants in a waiting room until admitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_room: Option<bool>,
}

/// Zoom's answer to a create. `Debug` hides `start_url` and `password`.
#[derive(Clone, Deserialize)]
pub struct CreatedMeeting {
    /// The meeting number participants type in.
    #[serde(deserialize_with = "required_u64")]
    pub id: u64,
    /// Not in every create response (rivet 0.3.0 has none); each instance
    /// gets its own on `meeting.started`.
    #[serde(default)]
    pub uuid: Option<String>,
    /// The topic as Zoom saved it.
    #[serde(default)]
    pub topic: String,
    /// The link participants use.
    pub join_url: String,
    /// Starts the meeting as host (embeds the host's ZAK, valid about 2 h):
    /// never log it or post it anywhere but to the host.
    #[serde(deserialize_with = "secret")]
    pub start_url: Secret,
    /// The meeting passcode.
    #[serde(default)]
    pub password: Option<String>,
    /// The host's Zoom email.
    #[serde(default)]
    pub host_email: Option<String>,
    /// When the meeting starts, ISO 8601.
    #[serde(default)]
    pub start_time: Option<String>,
    /// The time zone of `start_time`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// How long a scheduled meeting lasts, in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
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

/// A meeting as `GET /users/{userId}/meetings` lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct ListedMeeting {
    /// The meeting number participants type in.
    #[serde(deserialize_with = "required_u64")]
    pub id: u64,
    /// The meeting's title.
    #[serde(default)]
    pub topic: String,
    /// 1 instant, 2 scheduled, 3/8 recurring, 4 PMI.
    #[serde(rename = "type", default)]
    pub kind: i64,
    /// When the meeting (or this occurrence) starts, ISO 8601 in UTC;
    /// absent for recurring meetings without a fixed time.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// The link participants use.
    #[serde(default)]
    pub join_url: Option<String>,
}

/// `GET /meetings/{meetingId}`. `Debug` hides `password` and `start_url`.
#[derive(Clone, Deserialize)]
pub struct MeetingInfo {
    /// The meeting number participants type in.
    #[serde(deserialize_with = "required_u64")]
    pub id: u64,
    /// This instance's UUID.
    #[serde(default)]
    pub uuid: Option<String>,
    /// The host's Zoom user id.
    #[serde(default)]
    pub host_id: Option<String>,
    /// The meeting's title.
    #[serde(default)]
    pub topic: String,
    /// 1 instant, 2 scheduled, 3/8 recurring, 4 PMI, 10 screen share.
    #[serde(rename = "type", default)]
    pub kind: i64,
    /// `waiting`, `started`, …
    #[serde(default)]
    pub status: Option<String>,
    /// When the meeting starts, ISO 8601.
    #[serde(default)]
    pub start_time: Option<String>,
    /// The time zone of `start_time`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// The link participants use.
    #[serde(default)]
    pub join_url: Option<String>,
    /// The meeting passcode.
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

/// What zlack reads of `GET /whiteboards/{whiteboardId}`. Zoom documents
/// `share_link`, `preview_link` and the `*_display_name` fields; the name
/// and time fields are read under the names Zoom's whiteboard objects use
/// elsewhere, and missing ones are left out of the unfurl.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WhiteboardInfo {
    /// The board's id.
    #[serde(default)]
    pub whiteboard_id: String,
    /// The board's name.
    #[serde(default)]
    pub name: String,
    /// Who owns (created) it.
    #[serde(default, alias = "owner_display_name")]
    pub created_by_display_name: Option<String>,
    /// Who changed it last.
    #[serde(default)]
    pub modified_by_display_name: Option<String>,
    /// When it was changed last, ISO 8601.
    #[serde(default, alias = "updated_at", alias = "modified_date")]
    pub modified_at: Option<String>,
    /// The link to open it.
    #[serde(default)]
    pub share_link: Option<String>,
    /// Where its preview image is, behind the user's token.
    #[serde(default)]
    pub preview_link: Option<String>,
    /// Who its share link opens for, when Zoom says.
    #[serde(default)]
    pub share_link_setting: Option<ShareLinkSetting>,
}

/// A whiteboard's share link settings.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShareLinkSetting {
    /// 0 invited people only, 1 and 3 the board's account, 2 anyone.
    #[serde(default)]
    pub share_scope: Option<i64>,
}

/// A user's Zoom Phone line, flattened from `GET /phone/users/{userId}`.
/// Every field may be missing; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "PhoneUserWire")]
pub struct PhoneUser {
    /// The extension, whether Zoom sent it as a number (as documented) or
    /// as a string.
    pub extension_number: Option<String>,
    /// Direct numbers, in E.164: a digits-only number (as in Zoom's own
    /// example, `14232058798`) gets its `+`.
    pub numbers: Vec<String>,
    /// The emergency address's country, ISO 3166 alpha-2, upper case.
    pub country: Option<String>,
    /// `activate`, or `deactivate` for a user taken off Zoom Phone (who
    /// can neither make nor receive calls).
    pub status: Option<String>,
}

impl PhoneUser {
    /// Whether the line can make calls; only `deactivate` says otherwise.
    pub fn is_active(&self) -> bool {
        self.status.as_deref() != Some("deactivate")
    }
}

#[derive(Deserialize)]
struct PhoneUserWire {
    #[serde(default, deserialize_with = "lenient_text")]
    extension_number: Option<String>,
    #[serde(default)]
    phone_numbers: Option<Vec<PhoneNumberWire>>,
    #[serde(default)]
    emergency_address: Option<EmergencyAddressWire>,
    #[serde(default, deserialize_with = "lenient_text")]
    status: Option<String>,
}

#[derive(Deserialize)]
struct PhoneNumberWire {
    #[serde(default, deserialize_with = "lenient_text")]
    number: Option<String>,
}

#[derive(Deserialize)]
struct EmergencyAddressWire {
    #[serde(default, deserialize_with = "lenient_text")]
    country: Option<String>,
}

impl From<PhoneUserWire> for PhoneUser {
    fn from(w: PhoneUserWire) -> Self {
        let mut numbers: Vec<String> = Vec::new();
        for raw in w.phone_numbers.into_iter().flatten() {
            let Some(number) = raw.number.map(|n| e164ish(&n)) else {
                continue;
            };
            if !numbers.contains(&number) {
                numbers.push(number);
            }
        }
        let country = w
            .emergency_address
            .and_then(|a| a.country)
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|c| c.to_ascii_uppercase());
        Self {
            extension_number: w.extension_number,
            numbers,
            country,
            status: w.status,
        }
    }
}

/// `+` before a digits-only number; anything else as sent.
fn e164ish(number: &str) -> String {
    if number.bytes().all(|b| b.is_ascii_digit()) {
        format!("+{number}")
    } else {
        number.to_owned()
    }
}

/// A string or a non-negative integer as trimmed text; empty strings and
/// anything else (negative numbers, objects, null) as `None`.
fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<NumberOrText>::deserialize(d)? {
        Some(NumberOrText::Number(n)) => Some(n.to_string()),
        Some(NumberOrText::Text(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(NumberOrText::Other(_)) | None => None,
    })
}

/// `GET /past_meetings/{uuid}`: one instance that ended.
#[derive(Debug, Clone, Deserialize)]
pub struct PastMeeting {
    /// The instance's UUID.
    #[serde(default)]
    pub uuid: String,
    /// The meeting number.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// The host's Zoom user id.
    #[serde(default)]
    pub host_id: Option<String>,
    /// When it started, ISO 8601 (UTC).
    #[serde(default)]
    pub start_time: Option<String>,
    /// When it ended, ISO 8601 (UTC).
    #[serde(default)]
    pub end_time: Option<String>,
    /// Minutes.
    #[serde(default)]
    pub duration: Option<i64>,
}

/// One entry of `GET /past_meetings/{meetingId}/instances`.
#[derive(Debug, Clone, Deserialize)]
pub struct PastInstance {
    /// The instance's UUID.
    #[serde(default)]
    pub uuid: String,
    /// When it started, ISO 8601 (UTC).
    #[serde(default)]
    pub start_time: Option<String>,
}

/// `GET /meetings/{uuid}/recordings`: an occurrence's cloud recording.
/// Kept as Zoom sent it, since it becomes the `object` of a
/// `recording.completed` event; `Debug` shows the file count only (the
/// body carries the passcode and links).
#[derive(Clone)]
pub struct MeetingRecordings(pub serde_json::Value);

impl fmt::Debug for MeetingRecordings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = self.0["recording_files"].as_array().map_or(0, Vec::len);
        f.debug_struct("MeetingRecordings")
            .field("recording_files", &files)
            .finish_non_exhaustive()
    }
}
