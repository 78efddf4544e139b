//! The people, channels and app credentials every test world starts with.

use sandbox::{ChannelKind, FakeSlack, FakeZoom, ZoomUser};

use super::app::{BOT_TOKEN, TEAM};

pub const ALICE: &str = "U0ALICE";
pub const SVEN: &str = "U0SVEN";
pub const ZOOM_ALICE: &str = "zu_alice";
pub const ZOOM_SVEN: &str = "zu_sven";
pub const PUBLIC: &str = "C0PUBLIC";
pub const PRIVATE: &str = "C0PRIVATE";
pub const DM: &str = "D0ALICESVEN";
pub const GROUP_DM: &str = "C0MPDM";
pub const SLACK_CLIENT_ID: &str = "111.222";
pub const SLACK_CLIENT_SECRET: &str = "slack-client-secret";
pub const ZOOM_CLIENT_ID: &str = "zoom-client-id";
pub const ZOOM_CLIENT_SECRET: &str = "zoom-client-secret";

pub fn populate(slack: &FakeSlack, zoom: &FakeZoom) {
    slack.add_workspace(TEAM, BOT_TOKEN);
    slack.set_oauth_client(SLACK_CLIENT_ID, SLACK_CLIENT_SECRET);
    slack.add_user(
        TEAM,
        ALICE,
        "Alice Andersson",
        Some("alice@example.com"),
        "en-US",
        "Europe/Stockholm",
    );
    slack.add_user(
        TEAM,
        SVEN,
        "Sven Svensson",
        Some("sven@example.com"),
        "sv-SE",
        "Europe/Stockholm",
    );
    slack.add_channel(PUBLIC, ChannelKind::Public, false);
    slack.add_channel(PRIVATE, ChannelKind::Private, false);
    slack.add_channel(DM, ChannelKind::Im, false);
    slack.add_channel(GROUP_DM, ChannelKind::Mpim, false);
    zoom.set_client(ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET);
    zoom.add_user(ZoomUser::new(
        ZOOM_ALICE,
        "alice@example.com",
        "Alice Andersson",
    ));
    zoom.add_user(ZoomUser::new(
        ZOOM_SVEN,
        "sven@example.com",
        "Sven Svensson",
    ));
}

/// The Zoom account each Slack person signs in with.
pub fn zoom_id_of(slack_user: &str) -> &'static str {
    match slack_user {
        SVEN => ZOOM_SVEN,
        _ => ZOOM_ALICE,
    }
}
