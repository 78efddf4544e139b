//! The Slack app manifest for this server, generated from the same
//! constants the code uses.

use crate::config::Config;

/// Bot scopes the code uses: the slash command; posting cards and DMs
/// (`chat:write`), in public channels without joining them
/// (`chat:write.public`); Slack Calls (`calls:write`); the user's name,
/// locale and time zone, and the phone number in their profile for
/// `/zoom call @user` (`users:read`); showing a Zoom participant as the
/// Slack user with the same email in the live Call (`users:read.email`);
/// hearing of pasted Zoom links and unfurling them (`links:read`,
/// `links:write`), and whether the conversation a whiteboard was pasted in
/// is private and unshared (`channels:read`, `groups:read`), which decides
/// what its unfurl may show.
pub const BOT_SCOPES: &[&str] = &[
    "commands",
    "chat:write",
    "chat:write.public",
    "calls:write",
    "users:read",
    "users:read.email",
    "links:read",
    "links:write",
    "channels:read",
    "groups:read",
];

/// The domains whose links Slack sends zlack to unfurl: `zoom.us` covers
/// every subdomain (`us05web.zoom.us`, `us05whiteboard.zoom.us`).
pub const UNFURL_DOMAINS: &[&str] = &["zoom.us"];

/// Granular Zoom scopes a user-managed (personal mode) Zoom app needs:
/// the user's own profile and personal meeting (`GET /users/me`),
/// creating meetings, reading a meeting to announce it with `/zoom join`,
/// who took part in a past meeting for the end summary
/// (`GET /past_meetings/{uuid}/participants`), the AI Companion summary
/// (`GET /meetings/{uuid}/meeting_summary`), and the cloud recordings
/// whose `recording.completed` events bring the recording link; Zoom
/// Phone: the caller's and callee's line for `/zoom call`
/// (`GET /phone/users/me`), the call events behind the ended and missed
/// call DMs, and phone recordings.
pub const ZOOM_SCOPES_PERSONAL: &[&str] = &[
    "user:read:user",
    "meeting:write:meeting",
    "meeting:read:meeting",
    "meeting:read:list_past_participants",
    "meeting:read:summary",
    "cloud_recording:read:list_recording_files",
    "whiteboard:read:whiteboard",
    "phone:read:user",
    "phone:read:call",
    "phone:read:call_recording",
];

/// The Zoom webhook events zlack acts on (subscribe to these).
pub const ZOOM_EVENTS: &[&str] = &[
    "meeting.started",
    "meeting.participant_joined",
    "meeting.participant_left",
    "meeting.ended",
    "recording.completed",
    "recording.transcript_completed",
    "meeting.summary_completed",
    "whiteboard.shared",
    "whiteboard.sharing_updated",
    "whiteboard.deleted",
    "phone.caller_ended",
    "phone.callee_ended",
    "phone.callee_missed",
    "phone.recording_completed",
];

/// Events the code subscribes to: the uninstall events need no scope,
/// `link_shared` needs `links:read`.
pub const BOT_EVENTS: &[&str] = &["app_uninstalled", "tokens_revoked", "link_shared"];

/// The manifest as YAML, for Slack's "create an app from a manifest".
pub fn manifest_yaml(config: &Config) -> String {
    let list = |items: &[&str], indent: &str| {
        items
            .iter()
            .map(|i| format!("{indent}- {}\n", quote(i)))
            .collect::<String>()
    };
    format!(
        "_metadata:\n  major_version: 1\n  minor_version: 1\n\
display_information:\n  name: zlack\n  description: Start and join Zoom meetings from Slack with /zoom.\n  background_color: \"#0b5cff\"\n\
features:\n  bot_user:\n    display_name: zlack\n    always_online: true\n  unfurl_domains:\n{domains}  slash_commands:\n\
    - command: /zoom\n      url: {commands}\n      description: Start or join a Zoom meeting\n      usage_hint: \"[meeting <topic> | join <id> | join me | config | logout | help]\"\n      should_escape: true\n\
oauth_config:\n  redirect_urls:\n    - {redirect}\n  scopes:\n    bot:\n{scopes}\
settings:\n  event_subscriptions:\n    request_url: {events}\n    bot_events:\n{events_list}\
  interactivity:\n    is_enabled: true\n    request_url: {interactions}\n  org_deploy_enabled: true\n  socket_mode_enabled: false\n  token_rotation_enabled: false\n",
        commands = quote(&config.public("/slack/commands")),
        redirect = quote(&config.public("/slack/oauth/callback")),
        events = quote(&config.public("/slack/events")),
        interactions = quote(&config.public("/slack/interactions")),
        scopes = list(BOT_SCOPES, "      "),
        events_list = list(BOT_EVENTS, "      "),
        domains = list(UNFURL_DOMAINS, "    "),
    )
}

/// A YAML double-quoted scalar.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sources;

    #[test]
    fn urls_point_at_the_public_url() {
        let config = Config::parse(&Sources::from_pairs([(
            "ZLACK_PUBLIC_URL",
            "https://zlack.example.com/",
        )]))
        .unwrap();
        let yaml = manifest_yaml(&config);
        assert!(yaml.contains("url: \"https://zlack.example.com/slack/commands\""));
        assert!(yaml.contains("request_url: \"https://zlack.example.com/slack/events\""));
        assert!(yaml.contains("- \"https://zlack.example.com/slack/oauth/callback\""));
        for scope in BOT_SCOPES {
            assert!(yaml.contains(&format!("- \"{scope}\"")));
        }
    }

    #[test]
    fn unfurl_domains_and_link_events_are_in_the_manifest() {
        let config = Config::parse(&Sources::default()).unwrap();
        let yaml = manifest_yaml(&config);
        assert!(
            yaml.contains("  unfurl_domains:\n    - \"zoom.us\"\n  slash_commands:"),
            "{yaml}"
        );
        assert!(yaml.contains("      - \"link_shared\"\n"));
        for scope in ["links:read", "links:write"] {
            assert!(yaml.contains(&format!("      - \"{scope}\"\n")));
        }
        // Slack allows five unfurl domains, hosts only.
        assert!(UNFURL_DOMAINS.len() <= 5);
        assert!(UNFURL_DOMAINS.iter().all(|d| !d.contains(['/', ':'])));
    }
}
