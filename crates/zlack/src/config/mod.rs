//! Configuration: every `ZLACK_*` key from the environment or `zlack.toml`
//! (the environment wins), parsed once into typed, validated values.

mod http;
mod secret;
mod sources;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::time::Duration;

use base64::Engine as _;
pub use http::HttpTimeouts;
pub use secret::{Secret, mask_url_password};
pub use sources::Sources;
use url::Url;

/// Every key zlack reads, in the order the README documents them.
pub const KEYS: &[&str] = &[
    "ZLACK_LISTEN",
    "ZLACK_PUBLIC_URL",
    "ZLACK_DATABASE_URL",
    "ZLACK_ENCRYPTION_KEY",
    "ZLACK_SLACK_CLIENT_ID",
    "ZLACK_SLACK_CLIENT_SECRET",
    "ZLACK_SLACK_SIGNING_SECRET",
    "ZLACK_SLACK_API_URL",
    "ZLACK_SLACK_AUTHORIZE_URL",
    "ZLACK_SLACK_OPENID_AUTHORIZE_URL",
    "ZLACK_SLACK_APP_TOKEN",
    "ZLACK_ZOOM_CLIENT_ID",
    "ZLACK_ZOOM_CLIENT_SECRET",
    "ZLACK_ZOOM_WEBHOOK_SECRET",
    "ZLACK_ZOOM_API_URL",
    "ZLACK_ZOOM_OAUTH_URL",
    "ZLACK_ZOOM_MODE",
    "ZLACK_ZOOM_ACCOUNT_ID",
    "ZLACK_ZOOM_EVENTS",
    "ZLACK_ZOOM_WS_SUBSCRIPTION_ID",
    "ZLACK_ZOOM_WS_URL",
    "ZLACK_ZOOM_WS_HEARTBEAT_MS",
    "ZLACK_RECONCILE_INTERVAL_MS",
    "ZLACK_LOG",
    "ZLACK_LOG_FORMAT",
    "ZLACK_SLASH_COMMAND",
    "ZLACK_METRICS_LISTEN",
    "ZLACK_METRICS_TOKEN",
    "ZLACK_WORKER_CONCURRENCY",
    "ZLACK_WORKER_POLL_MS",
    "ZLACK_WORKER_LEASE_MS",
    "ZLACK_END_SUMMARY_DELAY_MS",
    "ZLACK_REMINDER_LEAD_MINUTES",
    "ZLACK_RETENTION_DAYS",
    "ZLACK_HTTP_HEADER_TIMEOUT_MS",
    "ZLACK_HTTP_BODY_TIMEOUT_MS",
];

/// A configuration value that is present but wrong. Displays as one line
/// naming the key; it never contains the value of a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    /// The `ZLACK_*` key at fault.
    pub key: String,
    /// What is wrong with the value, without the value itself.
    pub problem: String,
}

impl ConfigError {
    fn new(key: &str, problem: impl Into<String>) -> Self {
        Self {
            key: key.to_owned(),
            problem: problem.into(),
        }
    }
}

/// Every setting zlack runs with, parsed and validated once at startup.
#[derive(Debug, Clone)]
pub struct Config {
    /// `ZLACK_LISTEN`: the address the HTTP server binds.
    pub listen: SocketAddr,
    /// `ZLACK_PUBLIC_URL`: where Slack, Zoom and browsers reach this server.
    pub public_url: Url,
    /// Whether `ZLACK_PUBLIC_URL` was left unset, so `public_url` is the
    /// local default.
    pub public_url_is_default: bool,
    /// `ZLACK_DATABASE_URL`.
    pub database: DatabaseUrl,
    /// `ZLACK_ENCRYPTION_KEY`; optional on SQLite, which then keeps a key file.
    pub encryption_key: Option<EncryptionKey>,
    /// The Slack app.
    pub slack: SlackConfig,
    /// The Zoom app.
    pub zoom: ZoomConfig,
    /// `ZLACK_LOG`: a tracing filter such as `info` or `zlack=debug`.
    pub log: String,
    /// `ZLACK_LOG_FORMAT`: human-readable lines or one JSON object per line.
    pub log_format: LogFormat,
    /// `ZLACK_SLASH_COMMAND`: the command zlack answers to, `/zoom` unless
    /// a pilot beside another app needs another name.
    pub slash_command: SlashCommand,
    /// `ZLACK_METRICS_LISTEN` and `ZLACK_METRICS_TOKEN`: who may read
    /// `/metrics`.
    pub metrics: MetricsAccess,
    /// `ZLACK_WORKER_CONCURRENCY` and `ZLACK_WORKER_POLL_MS`.
    pub worker: WorkerConfig,
    /// `ZLACK_END_SUMMARY_DELAY_MS`: how long the end summary waits after
    /// `meeting.ended` for Zoom's late participant webhooks.
    pub end_summary_delay: Duration,
    /// `ZLACK_REMINDER_LEAD_MINUTES`: how long before a scheduled meeting
    /// its reminder is posted; zero posts none.
    pub reminder_lead: Duration,
    /// `ZLACK_RETENTION_DAYS`: how long meeting data is kept.
    pub retention: Retention,
    /// How long a client may take to send a request.
    pub http_timeouts: HttpTimeouts,
}

/// How long zlack keeps meeting data (meetings with their occurrences and
/// notices, phone notices, whiteboard records, cached Slack profiles)
/// after its last change; a daily purge deletes what is older.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Whole days, 1 to 3650.
    pub days: u32,
}

impl Retention {
    /// The retention in milliseconds.
    pub fn as_millis(self) -> i64 {
        i64::from(self.days) * 24 * 60 * 60 * 1000
    }
}

/// The Slack app. Credentials are optional so zlack starts before they
/// are set; what needs one answers 503 until then.
#[derive(Debug, Clone)]
pub struct SlackConfig {
    /// `ZLACK_SLACK_CLIENT_ID`, for installs.
    pub client_id: Option<String>,
    /// `ZLACK_SLACK_CLIENT_SECRET`, for installs.
    pub client_secret: Option<Secret>,
    /// `ZLACK_SLACK_SIGNING_SECRET`: verifies requests from Slack.
    pub signing_secret: Option<Secret>,
    /// `ZLACK_SLACK_API_URL`: the Web API root, changed only for tests.
    pub api_url: Url,
    /// `ZLACK_SLACK_AUTHORIZE_URL`: where an install sends the browser.
    pub authorize_url: Url,
    /// `ZLACK_SLACK_OPENID_AUTHORIZE_URL`: where Sign in with Slack sends
    /// the browser before it may connect Zoom.
    pub openid_authorize_url: Url,
    /// `ZLACK_SLACK_APP_TOKEN`: an app-level token (`xapp-…`). When set,
    /// Slack delivers commands, events and interactions over Socket Mode
    /// instead of the request URLs.
    pub app_token: Option<Secret>,
}

/// The Zoom app; like [`SlackConfig`], its credentials may be missing
/// until the operator sets them.
#[derive(Debug, Clone)]
pub struct ZoomConfig {
    /// `ZLACK_ZOOM_CLIENT_ID`, for connecting users.
    pub client_id: Option<String>,
    /// `ZLACK_ZOOM_CLIENT_SECRET`, for connecting users.
    pub client_secret: Option<Secret>,
    /// `ZLACK_ZOOM_WEBHOOK_SECRET`: verifies webhooks from Zoom.
    pub webhook_secret: Option<Secret>,
    /// `ZLACK_ZOOM_API_URL`: the REST root including `/v2`.
    pub api_url: Url,
    /// `ZLACK_ZOOM_OAUTH_URL`: the host of Zoom's OAuth endpoints.
    pub oauth_url: Url,
    /// `ZLACK_ZOOM_MODE`.
    pub mode: ZoomMode,
    /// `ZLACK_ZOOM_ACCOUNT_ID`, needed in server-to-server mode.
    pub account_id: Option<String>,
    /// `ZLACK_ZOOM_EVENTS` and its WebSocket settings: how Zoom's events
    /// reach zlack.
    pub events: ZoomEvents,
    /// `ZLACK_RECONCILE_INTERVAL_MS`: how often zlack asks Zoom about the
    /// meetings it announced that have not finished, in case an event was
    /// never delivered.
    pub reconcile_interval: Duration,
}

/// How Zoom's events reach zlack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoomEvents {
    /// Zoom posts them to `/zoom/webhook`.
    Webhook,
    /// zlack reads them from a WebSocket event subscription (server-to-server
    /// mode only).
    WebSocket(ZoomWebSocket),
}

/// A Zoom WebSocket event subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoomWebSocket {
    /// `ZLACK_ZOOM_WS_SUBSCRIPTION_ID`.
    pub subscription_id: String,
    /// `ZLACK_ZOOM_WS_URL`: `wss://ws.zoom.us/ws` unless a test says
    /// otherwise.
    pub url: Url,
    /// `ZLACK_ZOOM_WS_HEARTBEAT_MS`: how often a heartbeat is sent; a
    /// connection whose heartbeat goes unanswered for two intervals is
    /// replaced.
    pub heartbeat: Duration,
}

/// How the background worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Jobs one process runs at the same time. Jobs mostly wait on Slack
    /// and Zoom, so this is sized for waiting, not for cores.
    pub concurrency: usize,
    /// How long a job's claim holds without a heartbeat: a crashed
    /// process's jobs are taken over this long after it died.
    pub lease: Duration,
    /// How often an idle worker looks for jobs queued by other processes
    /// or due for a retry; jobs queued by this process wake it at once.
    pub poll_interval: Duration,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A Slack slash command name such as `/zoom`: a slash, then 1 to 31
/// lower-case letters, digits, `-` or `_` (Slack's rules for command names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCommand(String);

impl SlashCommand {
    /// Checks a command name; the error says what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let Some(name) = raw.strip_prefix('/') else {
            return Err("must start with a slash, as in /zoom".into());
        };
        let count = name.chars().count();
        let allowed = |c: char| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-' || c == '_';
        if !(1..=31).contains(&count) || !name.chars().all(allowed) {
            return Err(
                "must be a slash and 1 to 31 lower-case letters, digits, - or _, as in /zoom"
                    .into(),
            );
        }
        Ok(Self(raw.to_owned()))
    }

    /// The command with its slash, as Slack sends it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for SlashCommand {
    fn default() -> Self {
        Self("/zoom".into())
    }
}

impl fmt::Display for SlashCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccess {
    /// `ZLACK_METRICS_LISTEN`: a second address that serves `/metrics`
    /// alone; the main listener then does not serve it.
    pub listen: Option<SocketAddr>,
    /// `ZLACK_METRICS_TOKEN`: when set, `/metrics` answers only requests
    /// with `Authorization: Bearer <token>`.
    pub token: Option<Secret>,
}

/// How Slack users reach Zoom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomMode {
    /// Each user authorizes a user-managed OAuth app.
    Personal,
    /// A Zoom admin authorizes an admin-managed OAuth app once.
    Organization,
    /// Server-to-Server OAuth for the operator's own account.
    ServerToServer,
}

impl ZoomMode {
    /// The `ZLACK_ZOOM_MODE` value that selects this mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Organization => "organization",
            Self::ServerToServer => "server-to-server",
        }
    }
}

/// Where the database lives, chosen by URL scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://path`: a local file, made when missing.
    Sqlite { path: PathBuf },
    /// `postgres://…`; `Debug` masks its password.
    Postgres { url: String },
}

impl DatabaseUrl {
    /// Parses a `sqlite://` or `postgres://` URL; the error says what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if let Some(rest) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err("needs a file path, as in sqlite://zlack.db".into());
            }
            return Ok(Self::Sqlite { path: path.into() });
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Url::parse(raw).map_err(|_| "is not a valid postgres:// URL".to_owned())?;
            return Ok(Self::Postgres {
                url: raw.to_owned(),
            });
        }
        Err("must start with sqlite:// or postgres://".into())
    }

    /// Whether the database is a local SQLite file.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite { .. })
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite { path } => write!(f, "sqlite://{}", path.display()),
            Self::Postgres { url } => f.write_str(&mask_url_password(url)),
        }
    }
}

/// The 32-byte key that seals tokens at rest.
#[derive(Clone)]
pub struct EncryptionKey(pub [u8; 32]);

impl EncryptionKey {
    /// Reads base64 (standard or URL-safe, padded or not) of exactly 32 bytes.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE,
        ];
        let bytes = engines
            .iter()
            .find_map(|e| e.decode(text).ok())
            .or_else(|| {
                [
                    base64::engine::general_purpose::STANDARD_NO_PAD,
                    base64::engine::general_purpose::URL_SAFE_NO_PAD,
                ]
                .iter()
                .find_map(|e| e.decode(text).ok())
            })?;
        Some(Self(bytes.try_into().ok()?))
    }

    /// Standard base64, as `zlack keygen` prints it.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncryptionKey([redacted])")
    }
}

impl Config {
    /// Loads from `zlack.toml` (or `file`) and the process environment.
    pub fn from_env(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::parse(&Sources::gather(file, std::env::vars())?)
    }

    /// Parses and validates gathered values; unset keys take their defaults.
    pub fn parse(src: &Sources) -> Result<Self, ConfigError> {
        let listen = parse_with(src, "ZLACK_LISTEN", "127.0.0.1:8080", |v| {
            v.parse::<SocketAddr>()
                .map_err(|_| "must be an address and port such as 127.0.0.1:8080".into())
        })?;
        let public_url = parse_with(
            src,
            "ZLACK_PUBLIC_URL",
            "http://localhost:8080",
            parse_public_url,
        )?;
        let database = parse_with(src, "ZLACK_DATABASE_URL", "sqlite://zlack.db", |v| {
            DatabaseUrl::parse(v)
        })?;
        let encryption_key = match src.get("ZLACK_ENCRYPTION_KEY") {
            None => None,
            Some(v) => Some(EncryptionKey::parse(v).ok_or_else(|| {
                ConfigError::new(
                    "ZLACK_ENCRYPTION_KEY",
                    "must be base64 of 32 random bytes; `zlack keygen` prints one",
                )
            })?),
        };
        let slack = SlackConfig {
            client_id: plain(src, "ZLACK_SLACK_CLIENT_ID"),
            client_secret: secret(src, "ZLACK_SLACK_CLIENT_SECRET"),
            signing_secret: secret(src, "ZLACK_SLACK_SIGNING_SECRET"),
            api_url: url(src, "ZLACK_SLACK_API_URL", "https://slack.com/api")?,
            authorize_url: url(
                src,
                "ZLACK_SLACK_AUTHORIZE_URL",
                "https://slack.com/oauth/v2/authorize",
            )?,
            openid_authorize_url: url(
                src,
                "ZLACK_SLACK_OPENID_AUTHORIZE_URL",
                "https://slack.com/openid/connect/authorize",
            )?,
            app_token: match src.get("ZLACK_SLACK_APP_TOKEN") {
                None => None,
                Some(v) if v.starts_with("xapp-") => Some(Secret::new(v)),
                Some(_) => {
                    return Err(ConfigError::new(
                        "ZLACK_SLACK_APP_TOKEN",
                        "must be an app-level token starting with xapp- (Basic Information, \
                         App-Level Tokens, scope connections:write)",
                    ));
                }
            },
        };
        let mode = parse_with(src, "ZLACK_ZOOM_MODE", "personal", |v| {
            match v.to_ascii_lowercase().as_str() {
                "personal" => Ok(ZoomMode::Personal),
                "organization" => Ok(ZoomMode::Organization),
                "server-to-server" => Ok(ZoomMode::ServerToServer),
                _ => Err("must be personal, organization or server-to-server".into()),
            }
        })?;
        let zoom = ZoomConfig {
            client_id: plain(src, "ZLACK_ZOOM_CLIENT_ID"),
            client_secret: secret(src, "ZLACK_ZOOM_CLIENT_SECRET"),
            webhook_secret: secret(src, "ZLACK_ZOOM_WEBHOOK_SECRET"),
            api_url: url(src, "ZLACK_ZOOM_API_URL", "https://api.zoom.us/v2")?,
            oauth_url: url(src, "ZLACK_ZOOM_OAUTH_URL", "https://zoom.us")?,
            mode,
            account_id: plain(src, "ZLACK_ZOOM_ACCOUNT_ID"),
            events: zoom_events(src, mode)?,
            reconcile_interval: Duration::from_millis(parse_with(
                src,
                "ZLACK_RECONCILE_INTERVAL_MS",
                "300000",
                |v| match v.parse::<u64>() {
                    Ok(n) if (1_000..=86_400_000).contains(&n) => Ok(n),
                    _ => Err("must be milliseconds from 1000 to 86400000".into()),
                },
            )?),
        };
        let log = log_filter(src.get("ZLACK_LOG").unwrap_or("info"));
        tracing_subscriber::EnvFilter::try_new(&log).map_err(|_| {
            ConfigError::new(
                "ZLACK_LOG",
                "is not a valid filter such as info or zlack=debug",
            )
        })?;
        let log_format = parse_with(src, "ZLACK_LOG_FORMAT", "text", |v| {
            match v.to_ascii_lowercase().as_str() {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err("must be text or json".into()),
            }
        })?;
        let slash_command = parse_with(src, "ZLACK_SLASH_COMMAND", "/zoom", SlashCommand::parse)?;
        let metrics = MetricsAccess {
            listen: match src.get("ZLACK_METRICS_LISTEN") {
                None => None,
                Some(v) => Some(v.parse::<SocketAddr>().map_err(|_| {
                    ConfigError::new(
                        "ZLACK_METRICS_LISTEN",
                        "must be an address and port such as 127.0.0.1:9090",
                    )
                })?),
            },
            token: match src.get("ZLACK_METRICS_TOKEN") {
                None => None,
                Some(v) if v.len() >= 16 && !v.chars().any(char::is_whitespace) => {
                    Some(Secret::new(v))
                }
                Some(_) => {
                    return Err(ConfigError::new(
                        "ZLACK_METRICS_TOKEN",
                        "must be at least 16 characters without spaces; `zlack keygen` prints one",
                    ));
                }
            },
        };
        let concurrency = parse_with(src, "ZLACK_WORKER_CONCURRENCY", "1024", |v| {
            match v.parse::<usize>() {
                Ok(n) if (1..=8192).contains(&n) => Ok(n),
                _ => Err("must be a whole number from 1 to 8192".into()),
            }
        })?;
        let lease_ms = parse_with(src, "ZLACK_WORKER_LEASE_MS", "15000", |v| {
            match v.parse::<u64>() {
                Ok(n) if (2_000..=600_000).contains(&n) => Ok(n),
                _ => Err("must be milliseconds from 2000 to 600000".into()),
            }
        })?;
        let poll_ms = parse_with(src, "ZLACK_WORKER_POLL_MS", "1000", |v| {
            match v.parse::<u64>() {
                Ok(n) if (10..=60_000).contains(&n) => Ok(n),
                _ => Err("must be milliseconds from 10 to 60000".into()),
            }
        })?;
        let end_summary_ms = parse_with(src, "ZLACK_END_SUMMARY_DELAY_MS", "60000", |v| {
            match v.parse::<u64>() {
                Ok(n) if n <= 3_600_000 => Ok(n),
                _ => Err("must be milliseconds from 0 to 3600000".into()),
            }
        })?;
        let reminder_minutes = parse_with(src, "ZLACK_REMINDER_LEAD_MINUTES", "5", |v| match v
            .parse::<u64>()
        {
            Ok(n) if n <= 1_440 => Ok(n),
            _ => Err("must be a whole number of minutes from 0 (no reminders) to 1440".into()),
        })?;
        let retention_days = parse_with(src, "ZLACK_RETENTION_DAYS", "90", |v| {
            match v.parse::<u32>() {
                Ok(n) if (1..=3650).contains(&n) => Ok(n),
                _ => Err("must be a whole number of days from 1 to 3650".into()),
            }
        })?;
        Ok(Self {
            listen,
            public_url,
            public_url_is_default: src.get("ZLACK_PUBLIC_URL").is_none(),
            database,
            encryption_key,
            slack,
            zoom,
            log,
            log_format,
            slash_command,
            metrics,
            worker: WorkerConfig {
                concurrency,
                lease: Duration::from_millis(lease_ms),
                poll_interval: Duration::from_millis(poll_ms),
            },
            end_summary_delay: Duration::from_millis(end_summary_ms),
            reminder_lead: Duration::from_secs(reminder_minutes * 60),
            retention: Retention {
                days: retention_days,
            },
            http_timeouts: HttpTimeouts::parse(src)?,
        })
    }

    /// Settings still needed before each part works, as (key, why) pairs.
    pub fn missing(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let s = &self.slack;
        // Socket Mode needs no signature: the connection itself is
        // authenticated by the app-level token.
        if s.signing_secret.is_none() && s.app_token.is_none() {
            out.push(("ZLACK_SLACK_SIGNING_SECRET", "verifies requests from Slack"));
        }
        if s.client_id.is_none() {
            out.push((
                "ZLACK_SLACK_CLIENT_ID",
                "installs zlack into a Slack workspace",
            ));
        }
        if s.client_secret.is_none() {
            out.push((
                "ZLACK_SLACK_CLIENT_SECRET",
                "installs zlack into a Slack workspace",
            ));
        }
        let z = &self.zoom;
        if z.webhook_secret.is_none() && z.events == ZoomEvents::Webhook {
            out.push(("ZLACK_ZOOM_WEBHOOK_SECRET", "verifies webhooks from Zoom"));
        }
        if z.client_id.is_none() {
            out.push(("ZLACK_ZOOM_CLIENT_ID", "connects Slack users to Zoom"));
        }
        if z.client_secret.is_none() {
            out.push(("ZLACK_ZOOM_CLIENT_SECRET", "connects Slack users to Zoom"));
        }
        if z.mode == ZoomMode::ServerToServer && z.account_id.is_none() {
            out.push((
                "ZLACK_ZOOM_ACCOUNT_ID",
                "names the account for server-to-server mode",
            ));
        }
        out
    }

    /// What is wrong with `ZLACK_PUBLIC_URL` for a Slack app manifest,
    /// one line each: Slack reaches neither localhost nor plain http.
    pub fn public_url_warnings(&self) -> Vec<String> {
        if self.public_url_is_default {
            return vec![format!(
                "ZLACK_PUBLIC_URL is not set; the manifest uses the default {}, which Slack \
                 cannot reach",
                self.public_url
            )];
        }
        if self.public_url.scheme() != "https" {
            return vec![
                "ZLACK_PUBLIC_URL is not https; Slack needs https:// request and redirect URLs"
                    .to_owned(),
            ];
        }
        Vec::new()
    }

    /// The path browsers see before zlack's own routes: empty, or a prefix
    /// such as `/zlack` when a reverse proxy serves zlack below one.
    pub fn public_prefix(&self) -> &str {
        self.public_url.path().trim_end_matches('/')
    }

    /// The public URL joined with `path`, for links and manifests.
    pub fn public(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.public_url.as_str().trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

/// `ZLACK_ZOOM_EVENTS` with the settings `websocket` needs.
fn zoom_events(src: &Sources, mode: ZoomMode) -> Result<ZoomEvents, ConfigError> {
    let websocket = parse_with(src, "ZLACK_ZOOM_EVENTS", "webhook", |v| {
        match v.to_ascii_lowercase().as_str() {
            "webhook" => Ok(false),
            "websocket" => Ok(true),
            _ => Err("must be webhook or websocket".into()),
        }
    })?;
    if !websocket {
        return Ok(ZoomEvents::Webhook);
    }
    if mode != ZoomMode::ServerToServer {
        return Err(ConfigError::new(
            "ZLACK_ZOOM_EVENTS",
            "websocket needs ZLACK_ZOOM_MODE=server-to-server: Zoom serves event \
             subscriptions over WebSockets to Server-to-Server OAuth apps",
        ));
    }
    let subscription_id = plain(src, "ZLACK_ZOOM_WS_SUBSCRIPTION_ID").ok_or_else(|| {
        ConfigError::new(
            "ZLACK_ZOOM_WS_SUBSCRIPTION_ID",
            "is needed with ZLACK_ZOOM_EVENTS=websocket (the event subscription's id)",
        )
    })?;
    let url = parse_with(
        src,
        "ZLACK_ZOOM_WS_URL",
        "wss://ws.zoom.us/ws",
        |v| match Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "ws" | "wss") && u.has_host() => Ok(u),
            _ => Err("must be a ws:// or wss:// URL".into()),
        },
    )?;
    let heartbeat_ms = parse_with(src, "ZLACK_ZOOM_WS_HEARTBEAT_MS", "30000", |v| {
        match v.parse::<u64>() {
            Ok(n) if (100..=60_000).contains(&n) => Ok(n),
            _ => Err("must be milliseconds from 100 to 60000".into()),
        }
    })?;
    Ok(ZoomEvents::WebSocket(ZoomWebSocket {
        subscription_id,
        url,
        heartbeat: Duration::from_millis(heartbeat_ms),
    }))
}

/// `ZLACK_LOG` with each comma-separated directive trimmed.
/// tracing-subscriber 0.3 reads a directive's characters from its trimmed
/// text but cuts the untrimmed one at their positions, so white space
/// before a directive (`info, zlack=debug`) names the wrong target, and
/// panics when a multi-byte character follows.
fn log_filter(raw: &str) -> String {
    raw.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

fn plain(src: &Sources, key: &str) -> Option<String> {
    src.get(key).map(str::to_owned)
}

fn secret(src: &Sources, key: &str) -> Option<Secret> {
    src.get(key).map(Secret::new)
}

fn url(src: &Sources, key: &str, default: &str) -> Result<Url, ConfigError> {
    parse_with(src, key, default, |v| match Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(u),
        _ => Err("must be an http:// or https:// URL".into()),
    })
}

/// `ZLACK_PUBLIC_URL`: an http(s) URL, perhaps with a path prefix, but
/// without credentials, query or fragment, which no link built on it could
/// keep. Never echoes the value: it might hold a password.
fn parse_public_url(raw: &str) -> Result<Url, String> {
    let url = match Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => u,
        _ => return Err("must be an http:// or https:// URL".into()),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold a user name or password".into());
    }
    if url.query().is_some() {
        return Err("must not have a query (?…)".into());
    }
    if url.fragment().is_some() {
        return Err("must not have a fragment (#…)".into());
    }
    Ok(url)
}

fn parse_with<T>(
    src: &Sources,
    key: &str,
    default: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    parse(src.get(key).unwrap_or(default)).map_err(|problem| ConfigError::new(key, problem))
}

#[cfg(test)]
mod tests;

/// The packaged `/etc/zlack/zlack.toml` against [`KEYS`].
#[cfg(test)]
mod sample_file;
