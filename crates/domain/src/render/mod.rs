//! Block Kit payloads for every message the `/zoom` flows show, and the
//! strings of the browser pages.
//!
//! Meeting notices (end summary, recording, AI summary, and their host DM
//! wrapper) follow [`crate::delivery`] for where they may go.
//!
//! Each function returns a Slack message payload, `{"text": fallback,
//! "blocks": [...]}`, with `"response_type": "ephemeral"` where only the
//! user should see it. User-provided text is escaped for mrkdwn, so a topic
//! cannot mention `@channel` or inject links, and clipped so that every
//! block stays within Slack's limits ([`limits`]). Zoom start links, tokens
//! and passcodes appear only when an argument explicitly carries them.

mod account;
mod blocks;
mod config;
mod error;
mod format;
mod help;
pub mod home;
mod host_dm;
mod landing;
mod limitations;
mod meeting;
mod message;
mod mrkdwn;
mod organization;
mod page;
mod phone;
mod privacy;
mod recording;
mod schedule;
pub mod schedule_modal;
pub mod settings_modal;
mod status;
mod summary;
mod unfurl;

pub use account::{authorize_prompt, connected, logged_out, reconnect_dm, zoom_connected_dm};
pub use config::{
    WorkspaceSettings, config_card, recording_policy_action_id, recording_policy_of_action,
    whiteboard_detail_action_id, whiteboard_detail_of_action, with_workspace_settings,
    workspace_phone_action_id, workspace_phone_of_action,
};
pub use error::{ErrorKind, error};
pub use format::{format_date_time, format_duration};
pub use help::help;
pub use host_dm::{ConversationRef, HostDm, conversation_label, host_dm_notice};
pub use landing::{
    LandingBlock, LandingFact, LandingInputs, LandingLink, LandingMode, LandingPage,
    LandingSection, LandingSectionId, LandingStep, LandingTarget, MissingSetting, landing_page,
};
pub use limitations::{LIMITATIONS, LimitationsPage, limitations_page};
pub use meeting::{
    JoinCard, MeetingCard, default_topic, format_meeting_id, join_card, meeting_card,
};
pub use message::{Message, ResponseType};
pub use mrkdwn::escape_mrkdwn;
pub use organization::{AccountLabel, SwitchPage, org_switch_page, org_switched_dm};
pub use page::{PageKind, page};
pub use phone::{
    CallDirection, CallEnded, CallPageText, CallPrompt, CallRefusal, CallResult, MissedCall,
    NumberSource, PhoneParty, PhoneRecording, call_ended, call_page, call_page_expired,
    call_prompt, call_refusal, missed_call, phone_action, phone_recording,
};
pub use privacy::{
    Grant, NamedPurpose, PURPOSES, PrivacyBlock, PrivacyInputs, PrivacyPage, PrivacySection,
    described, privacy_page, purpose_key,
};
pub use recording::{AiSummaryNotice, RecordingNotice, ai_summary, recording_notice};
pub use schedule::{
    ScheduleReminder, ScheduledCard, schedule_conversation_refused, schedule_refused,
    schedule_reminder, schedule_time, schedule_usage, schedule_zone_unknown, scheduled_card,
};
pub use status::{status_allow_dm, status_enabled_dm, status_revoked_dm, with_status_pending};
pub use summary::{EndSummary, end_summary};
pub use unfurl::{
    MeetingStatus, WhiteboardRole, WhiteboardShare, WhiteboardView, meeting_unfurl,
    recording_unfurl, unfurl_action, whiteboard_connect, whiteboard_neutral, whiteboard_shared,
    whiteboard_unfurl,
};

/// Block Kit limits this module keeps to.
pub mod limits {
    /// Characters in a section's text and in the `text` fallback.
    pub const SECTION_TEXT: usize = 3000;
    /// Characters in a button's label.
    pub const BUTTON_TEXT: usize = 75;
    /// Characters in an `action_id` or a button `value`.
    pub const ACTION_ID: usize = 255;
    /// Blocks in one message.
    pub const BLOCKS: usize = 50;
    /// Characters of a user's text (an unknown word, a display name) quoted
    /// back in a message; long enough to recognise, short enough to read.
    pub const QUOTED_TEXT: usize = 100;
    /// Items in a list of a meeting notice (participants, recording files,
    /// next steps) before "and N more".
    pub const LIST_ITEMS: usize = 50;
}

/// The `action_id`s of the link buttons. Slack still sends a `block_actions`
/// payload when one is clicked; the server only has to acknowledge it.
/// The `/zoom config` buttons are [`crate::ConfigAction`]s.
pub mod action_id {
    /// "Join" on meeting and join cards.
    pub const MEETING_JOIN: &str = "meeting.join";
    /// "Authorize Zoom" in the authorization prompt.
    pub const ZOOM_AUTHORIZE: &str = "zoom.authorize";
    /// "Reconnect Zoom" in the DM sent when Zoom rejected the refresh token.
    pub const ZOOM_RECONNECT: &str = "zoom.reconnect";
    /// "Add to Slack" when the workspace has not installed the app.
    pub const SLACK_INSTALL: &str = "slack.install";
    /// "Add to calendar" on a scheduled meeting's card.
    pub const SCHEDULE_CALENDAR: &str = "schedule.calendar";
    /// "Open the recording" in the recording notice.
    pub const RECORDING_OPEN: &str = "recording.open";
    /// "Allow status updates" in the DM asking to set the Slack status.
    pub const STATUS_ALLOW: &str = "status.allow";
}
