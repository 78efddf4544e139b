//! The Slack app manifest for this server, generated from the same
//! constants the code uses.
//!
//! The manifest is a typed value ([`Manifest`]) serialised with serde and
//! written out as block YAML by a small emitter that double-quotes every
//! string, so no value (a URL with `#` or `: `, a word like `yes`) can be
//! read back as anything else. Limits and keys follow Slack's manifest JSON
//! schema, `slackapi/manifest-schema` `schemas/manifest.schema.1.0.0.json`,
//! and <https://docs.slack.dev/reference/app-manifest>; the integration
//! test `tests/it/manifest.rs` checks the output against them.

use std::fmt::Write as _;

use serde::Serialize;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

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

/// User scopes: `openid`, for Sign in with Slack, which confirms who
/// opened a link that connects Zoom (its token is used once, for
/// `openid.connect.userInfo`, and then dropped); and
/// [`STATUS_USER_SCOPE`], asked only of the users who turn status sync on.
/// The install requests bot scopes alone.
pub const USER_SCOPES: &[&str] = &[crate::slack::openid::SCOPE, STATUS_USER_SCOPE];

/// The user scope status sync asks for, in its own authorization
/// (`user_scope`, no bot scopes): changing the user's status with
/// `users.profile.set`. Their current status is read with the bot's
/// `users.info`.
pub const STATUS_USER_SCOPE: &str = "users.profile:write";

/// Where Slack sends a browser back after a user allowed status sync.
pub const STATUS_CALLBACK: &str = "/slack/status/callback";

/// Where Slack sends a browser back after Sign in with Slack.
pub const SIGN_IN_CALLBACK: &str = "/slack/openid/callback";

/// The domains whose links Slack sends zlack to unfurl: `zoom.us` covers
/// every subdomain (`us05web.zoom.us`, `us05whiteboard.zoom.us`).
pub const UNFURL_DOMAINS: &[&str] = &["zoom.us"];

/// Granular Zoom scopes a user-managed (personal mode) Zoom app needs:
/// the user's own profile and personal meeting (`GET /users/me`),
/// creating meetings, reading a meeting to announce it with `/zoom join`,
/// who took part in a past meeting for the end summary
/// (`GET /past_meetings/{uuid}/participants`), a past meeting and the
/// ended instances of a meeting for reconciliation (`GET /past_meetings/{uuid}`,
/// `GET /past_meetings/{id}/instances`), the AI Companion summary
/// (`GET /meetings/{uuid}/meeting_summary`), the user's upcoming meetings
/// on their Home tab (`GET /users/me/meetings`), and the cloud recordings
/// whose `recording.completed` events bring the recording link; Zoom
/// Phone: the caller's and callee's line for `/zoom call`
/// (`GET /phone/users/me`), the call events behind the ended and missed
/// call DMs, and phone recordings; and the user's presence
/// (`user.presence_status_updated`) for status sync.
pub const ZOOM_SCOPES_PERSONAL: &[&str] = &[
    "user:read:user",
    "meeting:write:meeting",
    "meeting:read:meeting",
    "meeting:read:list_past_participants",
    "meeting:read:past_meeting",
    "meeting:read:list_past_instances",
    "meeting:read:summary",
    "meeting:read:list_meetings",
    "cloud_recording:read:list_recording_files",
    "whiteboard:read:whiteboard",
    "phone:read:user",
    "phone:read:call",
    "phone:read:call_recording",
    "user:read:presence_status",
];

/// The Zoom scopes of an account-level app (server-to-server, or
/// admin-managed in organization mode): the same abilities as
/// [`ZOOM_SCOPES_PERSONAL`], for every user of the account.
pub const ZOOM_SCOPES_ACCOUNT: &[&str] = &[
    "user:read:user:admin",
    "meeting:write:meeting:admin",
    "meeting:read:meeting:admin",
    "meeting:read:list_past_participants:admin",
    "meeting:read:past_meeting:admin",
    "meeting:read:list_past_instances:admin",
    "meeting:read:summary:admin",
    "meeting:read:list_meetings:admin",
    "cloud_recording:read:list_recording_files:admin",
    "whiteboard:read:whiteboard:admin",
    "phone:read:user:admin",
    "phone:read:call:admin",
    "phone:read:call_recording:admin",
    "user:read:presence_status:admin",
];

/// The Zoom scopes of the admin-managed app of organization mode: the
/// account-level ones, and the privileges of the Zoom admin who connects a
/// workspace (`GET /users/me/permissions`), which decide whether they may.
pub const ZOOM_SCOPES_ORGANIZATION: &[&str] = &[
    "user:read:user:admin",
    "user:read:list_permissions:admin",
    "meeting:write:meeting:admin",
    "meeting:read:meeting:admin",
    "meeting:read:list_past_participants:admin",
    "meeting:read:past_meeting:admin",
    "meeting:read:list_past_instances:admin",
    "meeting:read:summary:admin",
    "meeting:read:list_meetings:admin",
    "cloud_recording:read:list_recording_files:admin",
    "whiteboard:read:whiteboard:admin",
    "phone:read:user:admin",
    "phone:read:call:admin",
    "phone:read:call_recording:admin",
    "user:read:presence_status:admin",
];

/// The Zoom scopes the Zoom app needs in `mode`.
pub fn zoom_scopes(mode: crate::config::ZoomMode) -> &'static [&'static str] {
    match mode {
        crate::config::ZoomMode::Personal => ZOOM_SCOPES_PERSONAL,
        crate::config::ZoomMode::Organization => ZOOM_SCOPES_ORGANIZATION,
        crate::config::ZoomMode::ServerToServer => ZOOM_SCOPES_ACCOUNT,
    }
}

/// The Zoom webhook events zlack acts on (subscribe to these).
pub const ZOOM_EVENTS: &[&str] = &[
    "meeting.started",
    "meeting.participant_joined",
    "meeting.participant_left",
    "meeting.ended",
    "recording.completed",
    "recording.transcript_completed",
    "meeting.summary_completed",
    "meeting.updated",
    "meeting.deleted",
    "whiteboard.shared",
    "whiteboard.sharing_updated",
    "whiteboard.deleted",
    "phone.caller_ended",
    "phone.callee_ended",
    "phone.callee_missed",
    "phone.recording_completed",
    "user.presence_status_updated",
];

/// Events the code subscribes to: the uninstall events and
/// `app_home_opened` need no scope, `link_shared` needs `links:read`.
pub const BOT_EVENTS: &[&str] = &[
    "app_uninstalled",
    "tokens_revoked",
    "link_shared",
    "app_home_opened",
];

/// The bot scope the `/zoom` slash command needs.
pub const SLASH_COMMAND_SCOPE: &str = "commands";

/// The bot scopes each of [`BOT_EVENTS`] needs (Slack's event reference:
/// `link_shared` needs `links:read`, see `shared/reference/slack-platform.md`
/// §3; `app_uninstalled` and `tokens_revoked` need none, §8).
pub const BOT_EVENT_SCOPES: &[(&str, &[&str])] = &[
    ("app_uninstalled", &[]),
    ("tokens_revoked", &[]),
    ("link_shared", &["links:read"]),
    // Slack's event reference: no scope; it needs the bot user.
    ("app_home_opened", &[]),
];

/// Every Slack Web API method zlack calls with the bot token, and the bot
/// scopes it needs the way zlack calls it. A test finds the methods in the
/// source and checks this table names exactly those, and that every scope
/// here is in [`BOT_SCOPES`].
///
/// Scopes are the `security` scopes of each method in Slack's Web API
/// OpenAPI document (`shared/specs/slack/slack_web_openapi_v2_without_examples.json`,
/// slackapi/slack-api-specs), which lists `calls.*` and `chat.unfurl` too.
/// That document predates granular bot scopes: its `chat:write:bot` is
/// today's bot scope `chat:write` (`shared/reference/slack-platform.md` §7).
/// `oauth.v2.access` and `openid.connect.token` take the client
/// credentials, not a token, and need no scope; `openid.connect.userInfo`
/// takes Sign in with Slack's own token (scope `openid`, [`USER_SCOPES`]),
/// never the bot token.
pub const SLACK_METHOD_SCOPES: &[(&str, &[&str])] = &[
    // OpenAPI: none; `zlack doctor` checks the bot token with it.
    ("auth.test", &[]),
    // Socket Mode: called with the app-level token, whose scope
    // `connections:write` is granted with the token, not by the install.
    ("apps.connections.open", &[]),
    // OpenAPI: none; called with the app's client credentials, to install
    // and to refresh a rotating bot token.
    ("oauth.v2.access", &[]),
    // OpenAPI: calls:write for add, end and both participants methods
    // (slack-platform.md §6 agrees).
    ("calls.add", &["calls:write"]),
    ("calls.end", &["calls:write"]),
    ("calls.participants.add", &["calls:write"]),
    ("calls.participants.remove", &["calls:write"]),
    // OpenAPI: chat:write:bot, i.e. chat:write.
    ("chat.postEphemeral", &["chat:write"]),
    // OpenAPI: chat:write:bot; zlack also posts in public channels the bot
    // has not joined, which needs chat:write.public (slack-platform.md §7).
    ("chat.postMessage", &["chat:write", "chat:write.public"]),
    // OpenAPI: links:write (slack-platform.md §3 agrees).
    ("chat.unfurl", &["links:write"]),
    // OpenAPI: chat:write:bot, i.e. chat:write.
    ("chat.update", &["chat:write"]),
    // OpenAPI: channels:read, groups:read, im:read or mpim:read, by the
    // conversation's type. zlack asks only about channels: DMs are decided
    // without asking, and a group DM it may not read counts as a wide
    // audience, the safe side (flows/unfurl.rs `wide_audience`).
    ("conversations.info", &["channels:read", "groups:read"]),
    // OpenAPI: channels:read, groups:read, im:read or mpim:read, by the
    // conversation's type. A schedule modal announces only in a channel
    // whose members include the user who submitted it; DMs and group DMs,
    // whose members the bot may not read, are refused there.
    ("conversations.members", &["channels:read", "groups:read"]),
    // OpenAPI: users:read.
    ("users.info", &["users:read"]),
    // OpenAPI: users.profile:write. Called with the user token of a user
    // who turned status sync on, never the bot token: its scope is the
    // user scope STATUS_USER_SCOPE, so no bot scope is listed.
    ("users.profile.set", &[]),
    // OpenAPI: none. Revokes a status sync user token when the user turns
    // it off or disconnects.
    ("auth.revoke", &[]),
    // OpenAPI: users:read.email.
    ("users.lookupByEmail", &["users:read.email"]),
    // OpenAPI: none for each (a modal needs a trigger, the Home tab the
    // bot user and `features.app_home`).
    ("views.open", &[]),
    ("views.publish", &[]),
    ("views.update", &[]),
];

/// The app's name in Slack (schema: 1–35 characters).
pub const APP_NAME: &str = "zlack";
/// The short description for slash command `command` (schema: 1–140
/// characters).
pub fn description(command: &str) -> String {
    format!("Start and join Zoom meetings from Slack with {command}.")
}
/// The long description for slash command `command` (schema: 175–4000
/// characters; Slack's manifest reference says at least 174).
pub fn long_description(command: &str) -> String {
    format!("Type {command}{LONG_DESCRIPTION_REST}")
}
/// The long description after "Type /zoom".
const LONG_DESCRIPTION_REST: &str = " in any Slack conversation to start an instant Zoom \
meeting, shown as a native Slack Call that follows who is in it, to announce a meeting that is \
already running, or to call someone with Zoom Phone. When the meeting ends, zlack posts its \
summary, the recording link and the Zoom AI Companion summary in the meeting card's thread. \
Zoom links pasted in Slack unfurl with only what the person who pasted them may see at Zoom. \
zlack is self-hosted: the Slack and Zoom tokens stay on your own server, encrypted.";
/// The app's background colour (schema: `#rgb` or `#rrggbb`).
pub const BACKGROUND_COLOR: &str = "#0b5cff";
/// The bot user's display name (schema: 1–80 characters; Slack's manifest
/// reference allows lowercase letters, digits, `-`, `_` and `.`).
pub const BOT_DISPLAY_NAME: &str = "zlack";
/// The slash command's description (schema: 1–2000 characters).
pub const COMMAND_DESCRIPTION: &str = "Start or join a Zoom meeting";
/// The slash command's usage hint (schema: 1–1000 characters).
pub const COMMAND_USAGE_HINT: &str = "[meeting <topic> | join <ID or link> | join me | schedule <when> <topic> | call @someone | config | logout | help]";

/// A Slack app manifest (`_metadata.major_version` 1): the parts zlack
/// sets, in the order Slack's reference lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    #[serde(rename = "_metadata")]
    pub metadata: Metadata,
    pub display_information: DisplayInformation,
    pub features: Features,
    pub oauth_config: OAuthConfig,
    pub settings: Settings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub major_version: u32,
    pub minor_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayInformation {
    pub name: String,
    pub description: String,
    pub long_description: String,
    pub background_color: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Features {
    pub app_home: AppHome,
    pub bot_user: BotUser,
    pub slash_commands: Vec<SlashCommand>,
    pub unfurl_domains: Vec<String>,
}

/// The App Home's tabs: Home (published per user) and Messages (the
/// app's DMs, which users read but do not write in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppHome {
    pub home_tab_enabled: bool,
    pub messages_tab_enabled: bool,
    pub messages_tab_read_only_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BotUser {
    pub display_name: String,
    pub always_online: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlashCommand {
    pub command: String,
    /// Absent in Socket Mode, where commands come over the WebSocket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub description: String,
    pub usage_hint: String,
    /// On, so user and channel mentions arrive as `<@U…>` and `<#C…>`.
    pub should_escape: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OAuthConfig {
    pub redirect_urls: Vec<String>,
    pub scopes: Scopes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scopes {
    pub bot: Vec<String>,
    pub user: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub event_subscriptions: EventSubscriptions,
    pub interactivity: Interactivity,
    pub org_deploy_enabled: bool,
    pub socket_mode_enabled: bool,
    pub token_rotation_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventSubscriptions {
    /// Absent in Socket Mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_url: Option<String>,
    pub bot_events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interactivity {
    pub is_enabled: bool,
    /// Absent in Socket Mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_url: Option<String>,
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Manifest {
    /// The manifest for this server's `ZLACK_PUBLIC_URL`. With an
    /// app-level token, Slack uses Socket Mode and gets no request URLs;
    /// the OAuth redirects stay, since browsers still come back to zlack.
    pub fn for_config(config: &Config) -> Self {
        let socket_mode = config.slack.app_token.is_some();
        let command = config.slash_command.as_str();
        let request_url = |path: &str| (!socket_mode).then(|| config.public(path));
        Self {
            metadata: Metadata {
                major_version: 1,
                minor_version: 1,
            },
            display_information: DisplayInformation {
                name: APP_NAME.into(),
                description: description(command),
                long_description: long_description(command),
                background_color: BACKGROUND_COLOR.into(),
            },
            features: Features {
                app_home: AppHome {
                    home_tab_enabled: true,
                    messages_tab_enabled: true,
                    messages_tab_read_only_enabled: true,
                },
                bot_user: BotUser {
                    display_name: BOT_DISPLAY_NAME.into(),
                    always_online: true,
                },
                slash_commands: vec![SlashCommand {
                    // `ZLACK_SLASH_COMMAND` (schema: 2–32 characters,
                    // starting with `/`, which its parsing ensures).
                    command: command.into(),
                    url: request_url("/slack/commands"),
                    description: COMMAND_DESCRIPTION.into(),
                    usage_hint: COMMAND_USAGE_HINT.into(),
                    should_escape: true,
                }],
                unfurl_domains: owned(UNFURL_DOMAINS),
            },
            oauth_config: OAuthConfig {
                // The install's callback, Sign in with Slack's, then status
                // sync's.
                redirect_urls: vec![
                    config.public("/slack/oauth/callback"),
                    config.public(SIGN_IN_CALLBACK),
                    config.public(STATUS_CALLBACK),
                ],
                scopes: Scopes {
                    bot: owned(BOT_SCOPES),
                    user: owned(USER_SCOPES),
                },
            },
            settings: Settings {
                event_subscriptions: EventSubscriptions {
                    request_url: request_url("/slack/events"),
                    bot_events: owned(BOT_EVENTS),
                },
                interactivity: Interactivity {
                    is_enabled: true,
                    request_url: request_url("/slack/interactions"),
                },
                // One install may serve a whole Enterprise Grid org.
                org_deploy_enabled: true,
                socket_mode_enabled: socket_mode,
                // zlack renews rotating tokens, but rotation cannot be
                // turned off again once on: the operator's choice.
                token_rotation_enabled: false,
            },
        }
    }
}

/// The manifest as YAML, for Slack's "create an app from a manifest".
pub fn manifest_yaml(config: &Config) -> String {
    to_yaml(&Manifest::for_config(config))
}

/// `value` as block YAML: fields in serde's order, every string
/// double-quoted, numbers and booleans plain.
pub fn to_yaml<T: Serialize>(value: &T) -> String {
    // Through JSON text, which keeps the fields' order, into a tree that
    // keeps it too (`serde_json::Value` would sort the keys).
    let json = serde_json::to_string(value).expect("a manifest serialises to JSON");
    let node: Node = serde_json::from_str(&json).expect("JSON just written reads back");
    let mut out = String::new();
    match &node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Node::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
    out
}

/// A YAML value, with a map's keys in their order.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        // YAML 1.2's float forms; `{:?}` keeps the `.0` of whole numbers.
        Ok(Node::Number(if v.is_nan() {
            ".nan".into()
        } else if v.is_infinite() {
            if v > 0.0 { ".inf" } else { "-.inf" }.into()
        } else {
            format!("{v:?}")
        }))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A scalar, or an empty collection in flow style.
fn scalar_text(node: &Node) -> String {
    match node {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.clone(),
        Node::Str(s) => quote(s),
        Node::Seq(_) => "[]".into(),
        Node::Map(_) => "{}".into(),
    }
}

fn is_block(node: &Node) -> bool {
    match node {
        Node::Seq(items) => !items.is_empty(),
        Node::Map(entries) => !entries.is_empty(),
        _ => false,
    }
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    let pad = " ".repeat(indent);
    for (key, value) in entries {
        let key = yaml_key(key);
        match value {
            Node::Map(inner) if !inner.is_empty() => {
                let _ = writeln!(out, "{pad}{key}:");
                write_map(out, inner, indent + 2);
            }
            Node::Seq(items) if !items.is_empty() => {
                let _ = writeln!(out, "{pad}{key}:");
                write_seq(out, items, indent + 2);
            }
            scalar => {
                let _ = writeln!(out, "{pad}{key}: {}", scalar_text(scalar));
            }
        }
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        if !is_block(item) {
            let _ = writeln!(out, "{pad}- {}", scalar_text(item));
            continue;
        }
        // A nested collection starts on the dash's line: its first line,
        // written two columns further in, gets `- ` in place of the spaces.
        let mut inner = String::new();
        match item {
            Node::Map(entries) => write_map(&mut inner, entries, indent + 2),
            Node::Seq(nested) => write_seq(&mut inner, nested, indent + 2),
            _ => unreachable!("only collections are blocks"),
        }
        let _ = write!(out, "{pad}- {}", &inner[indent + 2..]);
    }
}

/// A mapping key: plain when it is a simple identifier that no YAML
/// version reads as a boolean or null, else double-quoted.
fn yaml_key(key: &str) -> String {
    const SPECIAL: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    let simple = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !SPECIAL.contains(&key.to_ascii_lowercase().as_str());
    if simple { key.to_owned() } else { quote(key) }
}

/// A YAML double-quoted scalar: `"` and `\` escaped, and every character
/// YAML does not allow raw in a document or could read as a line break
/// (controls, DEL, C1 controls with NEL, U+2028/2029, the BOM, U+FFFE/FFFF)
/// written as an escape, so the text reads back exactly.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            '\u{A0}'..='\u{2027}' | '\u{202A}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' => {
                out.push(c)
            }
            '\u{FF00}'..='\u{FFFD}' | '\u{10000}'.. => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::{Value, json};

    use super::*;
    use crate::config::Sources;

    fn config(public_url: &str) -> Config {
        Config::parse(&Sources::from_pairs([("ZLACK_PUBLIC_URL", public_url)])).unwrap()
    }

    fn parse(yaml: &str) -> Value {
        serde_norway::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    #[test]
    fn the_yaml_reads_back_as_the_manifest() {
        for url in ["https://zlack.example.com/", "http://localhost:8080"] {
            let config = config(url);
            let manifest = Manifest::for_config(&config);
            assert_eq!(
                parse(&manifest_yaml(&config)),
                serde_json::to_value(&manifest).unwrap()
            );
        }
    }

    #[test]
    fn urls_point_at_the_public_url() {
        let m = parse(&manifest_yaml(&config("https://zlack.example.com/")));
        assert_eq!(
            m["features"]["slash_commands"][0]["url"],
            "https://zlack.example.com/slack/commands"
        );
        assert_eq!(
            m["settings"]["event_subscriptions"]["request_url"],
            "https://zlack.example.com/slack/events"
        );
        assert_eq!(
            m["settings"]["interactivity"]["request_url"],
            "https://zlack.example.com/slack/interactions"
        );
        assert_eq!(
            m["oauth_config"]["redirect_urls"],
            json!([
                "https://zlack.example.com/slack/oauth/callback",
                "https://zlack.example.com/slack/openid/callback",
                "https://zlack.example.com/slack/status/callback"
            ])
        );
        assert_eq!(m["oauth_config"]["scopes"]["bot"], json!(BOT_SCOPES));
        assert_eq!(
            m["oauth_config"]["scopes"]["user"],
            json!(["openid", "users.profile:write"])
        );
    }

    #[test]
    fn with_an_app_token_the_manifest_turns_on_socket_mode_and_drops_request_urls() {
        let config = Config::parse(&Sources::from_pairs([
            ("ZLACK_PUBLIC_URL", "https://zlack.example.com"),
            ("ZLACK_SLACK_APP_TOKEN", "xapp-1-A1-1-abc"),
        ]))
        .unwrap();
        let m = parse(&manifest_yaml(&config));
        assert_eq!(m["settings"]["socket_mode_enabled"], true);
        assert!(m["features"]["slash_commands"][0].get("url").is_none());
        assert_eq!(m["features"]["slash_commands"][0]["command"], "/zoom");
        assert!(
            m["settings"]["event_subscriptions"]
                .get("request_url")
                .is_none()
        );
        assert!(
            !m["settings"]["event_subscriptions"]["bot_events"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert!(m["settings"]["interactivity"].get("request_url").is_none());
        assert_eq!(m["settings"]["interactivity"]["is_enabled"], true);
        assert_eq!(
            m["oauth_config"]["redirect_urls"][0],
            "https://zlack.example.com/slack/oauth/callback"
        );
        assert!(!manifest_yaml(&config).contains("xapp-"));
    }

    #[test]
    fn the_manifest_names_the_configured_slash_command() {
        let config = Config::parse(&Sources::from_pairs([
            ("ZLACK_PUBLIC_URL", "https://zlack.example.com"),
            ("ZLACK_SLASH_COMMAND", "/meet"),
        ]))
        .unwrap();
        let manifest = Manifest::for_config(&config);
        assert!(!manifest_yaml(&config).contains("/zoom"));
        let named = format!(
            "display_information:\n{}features.slash_commands:\n{}",
            to_yaml(&manifest.display_information),
            to_yaml(&manifest.features.slash_commands)
        );
        insta::assert_snapshot!(named);
    }

    #[test]
    fn the_manifest_has_every_part_slack_needs() {
        let m = parse(&manifest_yaml(&config("https://zlack.example.com")));
        assert_eq!(
            m["_metadata"],
            json!({"major_version": 1, "minor_version": 1})
        );
        assert_eq!(m["display_information"]["name"], APP_NAME);
        assert_eq!(
            m["features"]["bot_user"],
            json!({"display_name": BOT_DISPLAY_NAME, "always_online": true})
        );
        assert_eq!(
            m["features"]["app_home"],
            json!({
                "home_tab_enabled": true,
                "messages_tab_enabled": true,
                "messages_tab_read_only_enabled": true
            })
        );
        let command = &m["features"]["slash_commands"][0];
        assert_eq!(command["command"], "/zoom");
        assert_eq!(command["should_escape"], true);
        assert_eq!(m["features"]["unfurl_domains"], json!(UNFURL_DOMAINS));
        assert_eq!(
            m["settings"]["event_subscriptions"]["bot_events"],
            json!(BOT_EVENTS)
        );
        let settings = &m["settings"];
        assert_eq!(settings["interactivity"]["is_enabled"], true);
        assert_eq!(settings["org_deploy_enabled"], true);
        assert_eq!(settings["socket_mode_enabled"], false);
        assert_eq!(settings["token_rotation_enabled"], false);
    }

    #[test]
    fn unfurl_domains_and_link_events_are_in_the_manifest() {
        let m = parse(&manifest_yaml(&config("http://localhost:8080")));
        let events = m["settings"]["event_subscriptions"]["bot_events"]
            .as_array()
            .unwrap();
        assert!(events.contains(&json!("link_shared")));
        let scopes = m["oauth_config"]["scopes"]["bot"].as_array().unwrap();
        for scope in ["links:read", "links:write"] {
            assert!(scopes.contains(&json!(scope)));
        }
        // Slack allows five unfurl domains, hosts only.
        assert!(UNFURL_DOMAINS.len() <= 5);
        assert!(UNFURL_DOMAINS.iter().all(|d| !d.contains(['/', ':'])));
    }

    #[test]
    fn every_requested_scope_has_a_use_and_every_use_is_requested() {
        let used: BTreeSet<&str> = SLACK_METHOD_SCOPES
            .iter()
            .chain(BOT_EVENT_SCOPES)
            .flat_map(|(_, scopes)| scopes.iter().copied())
            .chain([SLASH_COMMAND_SCOPE])
            .collect();
        let requested: BTreeSet<&str> = BOT_SCOPES.iter().copied().collect();
        assert_eq!(requested.len(), BOT_SCOPES.len(), "no scope twice");
        assert_eq!(used, requested);
        let events: Vec<&str> = BOT_EVENT_SCOPES.iter().map(|(e, _)| *e).collect();
        assert_eq!(events, BOT_EVENTS);
    }

    #[test]
    fn strings_that_yaml_would_misread_are_quoted() {
        let nasty = [
            "",
            "yes",
            "no",
            "on",
            "null",
            "~",
            "true",
            "1.5",
            "0x1F",
            "012",
            "- item",
            "? key",
            "a: b",
            "a #b",
            "#comment",
            "&anchor",
            "*alias",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "|",
            ">",
            "{a: 1}",
            "[1, 2]",
            "'single'",
            "\"double\"",
            "back\\slash",
            "line\nbreak",
            "tab\there",
            "cr\rlf",
            " leading and trailing ",
            "nel\u{85}ls\u{2028}ps\u{2029}end",
            "bom\u{FEFF}del\u{7F}c1\u{9B}nul\u{0}bell\u{7}",
            "non\u{FFFE}chars\u{FFFF}",
            "åäö ✓ 😀 日本",
            "https://example.com/a?b=c#d",
            "---",
            "...",
        ];
        let value = json!({
            "list": &nasty[..],
            "map": nasty.iter().map(|s| (s.to_string(), json!(s))).collect::<serde_json::Map<_, _>>(),
            "nested": [[], {}, [1, -2, 3.5], [["deep"]], [{"a": {"b": [true, false, null]}}]],
            "numbers": [0, u64::MAX, i64::MIN],
        });
        let yaml = to_yaml(&value);
        assert_eq!(parse(&yaml), value, "{yaml}");
    }

    #[test]
    fn keys_stay_in_the_order_serde_gives() {
        let yaml = manifest_yaml(&config("http://localhost:8080"));
        let top: Vec<&str> = yaml
            .lines()
            .filter(|l| !l.starts_with(' '))
            .map(|l| l.trim_end_matches(':'))
            .collect();
        assert_eq!(
            top,
            [
                "_metadata",
                "display_information",
                "features",
                "oauth_config",
                "settings"
            ]
        );
        assert!(
            yaml.contains("display_information:\n  name: \"zlack\"\n"),
            "{yaml}"
        );
    }
}
