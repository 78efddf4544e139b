//! A fake Slack Web API.

mod api;
mod calls;
mod chat;
mod lookup;
mod oauth;
mod openid;
mod socket;
mod socket_api;
mod state;
mod views;

pub use socket::SocketAck;
pub use views::ShownView;

use crate::fault::Fault;
use crate::ids;
use crate::record::RecordedCall;
use crate::server::{self, Server};
use state::{Channel, Code, Shared, TokenKind, User};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// What kind of conversation a channel id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A public channel: bots post there with `chat:write.public`.
    Public,
    /// A private channel: bots post only as members (`not_in_channel`).
    Private,
    /// A DM between people: invisible to non-member bots (`channel_not_found`).
    Im,
    /// A group DM: invisible to non-member bots (`channel_not_found`).
    Mpim,
}

/// What `oauth.v2.access` returns for a code; see [`FakeSlack::issue_oauth_code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthGrant {
    /// Workspace id (`T…`).
    pub team_id: String,
    /// Workspace name.
    pub team_name: String,
    /// The bot token (`xoxb-…`, or `xoxe.xoxb-…` with rotation).
    pub bot_token: String,
    /// The bot's user id.
    pub bot_user_id: String,
    /// Granted bot scopes, comma-separated.
    pub scope: String,
    /// The app id.
    pub app_id: String,
    /// The installing user.
    pub authed_user_id: String,
    /// Granted user scopes, comma-separated.
    pub authed_user_scope: String,
    /// A user token (`xoxp-…`), when user scopes were granted.
    pub authed_user_token: Option<String>,
    /// Enterprise Grid org as (id, name).
    pub enterprise: Option<(String, String)>,
    /// Whether the app was installed org-wide.
    pub is_enterprise_install: bool,
    /// Set with token rotation enabled.
    pub refresh_token: Option<String>,
    /// Access token lifetime in seconds, with token rotation.
    pub expires_in: Option<i64>,
}

impl OAuthGrant {
    /// A plain install of workspace `team_id` by `authed_user_id`, without
    /// token rotation.
    pub fn new(team_id: &str, bot_token: &str, authed_user_id: &str) -> Self {
        Self {
            team_id: team_id.to_owned(),
            team_name: format!("Team {team_id}"),
            bot_token: bot_token.to_owned(),
            bot_user_id: crate::BOT_USER_ID.to_owned(),
            scope: "commands,chat:write,chat:write.public,calls:write,calls:read,users:read,\
                    users:read.email,links:read,links:write,im:write"
                .to_owned(),
            app_id: crate::API_APP_ID.to_owned(),
            authed_user_id: authed_user_id.to_owned(),
            authed_user_scope: String::new(),
            authed_user_token: None,
            enterprise: None,
            is_enterprise_install: false,
            refresh_token: None,
            expires_in: None,
        }
    }

    /// Token rotation: the bot token expires after `expires_in` seconds and
    /// `refresh_token` renews it.
    pub fn with_rotation(mut self, refresh_token: &str, expires_in: i64) -> Self {
        self.refresh_token = Some(refresh_token.to_owned());
        self.expires_in = Some(expires_in);
        self
    }

    /// A user-scope-only authorization (no bot scopes asked): Slack's answer
    /// carries the user token in `authed_user` and no bot token.
    pub fn user_only(
        team_id: &str,
        authed_user_id: &str,
        user_token: &str,
        user_scope: &str,
    ) -> Self {
        Self {
            bot_token: String::new(),
            scope: String::new(),
            authed_user_scope: user_scope.to_owned(),
            authed_user_token: Some(user_token.to_owned()),
            ..Self::new(team_id, "", authed_user_id)
        }
    }

    /// The workspace belongs to an Enterprise Grid org.
    pub fn with_enterprise(mut self, enterprise_id: &str, enterprise_name: &str) -> Self {
        self.enterprise = Some((enterprise_id.to_owned(), enterprise_name.to_owned()));
        self
    }
}

/// A fake Slack serving the Web API at `POST|GET /api/{method}`, response
/// URLs at `/response/{id}`, the OAuth page at `/oauth/v2/authorize` and
/// Sign in with Slack's at `/openid/connect/authorize`.
///
/// Order of checks: fault, unknown method, token, arguments. Missing
/// arguments answer `invalid_arguments` with the field named in
/// `response_metadata.messages`. Posting to a `U…` id lands in the app's DM
/// (`D…`); `chat.update` accepts any `ts`, since no messages are stored.
///
/// Faults are keyed by exact method name (`"chat.postMessage"`,
/// `"response_url"`). Clones share one server, which stops when the last
/// clone is dropped.
#[derive(Clone)]
pub struct FakeSlack {
    shared: Arc<Shared>,
    server: Arc<Server>,
    date_offset: Arc<AtomicI64>,
}

impl FakeSlack {
    /// Starts serving on `127.0.0.1` with a random port.
    pub async fn start() -> Self {
        let mut shared = None;
        let date_offset = Arc::new(AtomicI64::new(0));
        let server = server::start(|base_url| {
            let state = Arc::new(Shared::default());
            state.socket.set_base(&base_url);
            shared = Some(Arc::clone(&state));
            api::router(state).layer(axum::middleware::from_fn_with_state(
                Arc::clone(&date_offset),
                crate::http::stamp_date,
            ))
        })
        .await;
        let shared = shared.expect("router built with its state");
        Self {
            shared,
            server: Arc::new(server),
            date_offset,
        }
    }

    /// The `Date` header of every answer from now on is `secs` seconds off
    /// the real time (negative: behind), as from a platform whose clock
    /// disagrees with this machine's.
    pub fn set_clock_offset(&self, secs: i64) {
        self.date_offset.store(secs, Ordering::Relaxed);
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// Where the Web API methods live: base URL + `/api`.
    pub fn api_url(&self) -> String {
        format!("{}/api", self.base_url())
    }

    /// The OAuth v2 authorize page.
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/v2/authorize", self.base_url())
    }

    /// The Sign in with Slack (OpenID Connect) authorize page.
    pub fn openid_authorize_url(&self) -> String {
        format!("{}/openid/connect/authorize", self.base_url())
    }

    /// Who Sign in with Slack signs in as from now on, until changed:
    /// `user_id` of workspace `team_id`, approving at once. Without it the
    /// authorize page answers 400.
    pub fn set_next_sign_in(&self, team_id: &str, user_id: &str) {
        self.shared.data().next_sign_in = Some((team_id.to_owned(), user_id.to_owned()));
    }

    /// Makes `bot_token` a valid bot token of workspace `team_id`.
    pub fn add_workspace(&self, team_id: &str, bot_token: &str) {
        let mut data = self.shared.data();
        let bot_user_id = data.workspace(team_id).bot_user_id.clone();
        data.add_token(team_id, bot_token, TokenKind::Bot, &bot_user_id);
    }

    /// Answers every Web API call made with `token` with an
    /// `X-OAuth-Scopes: scopes` header, as Slack does.
    pub fn set_token_scopes(&self, token: &str, scopes: &str) {
        self.shared
            .data()
            .token_scopes
            .insert(token.to_owned(), scopes.to_owned());
    }

    /// Puts a workspace in an Enterprise Grid org: its users get an
    /// `enterprise_user` in `users.info`.
    pub fn set_enterprise(&self, team_id: &str, enterprise_id: &str) {
        let mut data = self.shared.data();
        data.workspace(team_id).enterprise_id = Some(enterprise_id.to_owned());
    }

    /// A user for `users.info` and `users.lookupByEmail`.
    pub fn add_user(
        &self,
        team_id: &str,
        user_id: &str,
        name: &str,
        email: Option<&str>,
        locale: &str,
        tz: &str,
    ) {
        let user = User {
            team_id: team_id.to_owned(),
            id: user_id.to_owned(),
            name: name.to_owned(),
            email: email.map(str::to_owned),
            locale: locale.to_owned(),
            tz: tz.to_owned(),
            is_admin: false,
            is_org_admin: false,
            phone: String::new(),
            status: (String::new(), String::new(), 0),
        };
        self.shared.data().users.insert(user_id.to_owned(), user);
    }

    /// Sets the phone field of a user's profile (free text, as Slack keeps it).
    pub fn set_phone(&self, user_id: &str, phone: &str) {
        if let Some(user) = self.shared.data().users.get_mut(user_id) {
            user.phone = phone.to_owned();
        }
    }

    /// Sets a user's status as they would by hand in Slack: text, emoji
    /// and expiration (Unix seconds, 0 = never).
    pub fn set_status(&self, user_id: &str, text: &str, emoji: &str, expiration: i64) {
        if let Some(user) = self.shared.data().users.get_mut(user_id) {
            user.status = (text.to_owned(), emoji.to_owned(), expiration);
        }
    }

    /// A user's status now: text, emoji and expiration. A status whose
    /// expiration passed reads as cleared, as Slack clears it.
    pub fn status_of(&self, user_id: &str) -> (String, String, i64) {
        let data = self.shared.data();
        let user = data.users.get(user_id).expect("a user added with add_user");
        lookup::live_status(user)
    }

    /// Makes a user a workspace admin (`is_admin` in `users.info`), or not.
    pub fn set_admin(&self, user_id: &str, is_admin: bool) {
        if let Some(user) = self.shared.data().users.get_mut(user_id) {
            user.is_admin = is_admin;
        }
    }

    /// Makes a user an admin of their workspace's Enterprise Grid org
    /// (`enterprise_user.is_admin` in `users.info`), or not.
    pub fn set_org_admin(&self, user_id: &str, is_org_admin: bool) {
        if let Some(user) = self.shared.data().users.get_mut(user_id) {
            user.is_org_admin = is_org_admin;
        }
    }

    /// Shares a channel added with [`FakeSlack::add_channel`] with another
    /// organization (`is_ext_shared` in `conversations.info`).
    pub fn share_externally(&self, channel_id: &str) {
        if let Some(channel) = self.shared.data().channels.get_mut(channel_id) {
            channel.ext_shared = true;
        }
    }

    /// The human members of `channel_id` for `conversations.members`
    /// (by default every user counts as a member of every conversation).
    pub fn set_members(&self, channel_id: &str, users: &[&str]) {
        let users = users.iter().map(|u| (*u).to_owned()).collect();
        self.shared
            .data()
            .members
            .insert(channel_id.to_owned(), users);
    }

    /// A conversation for `conversations.info` and the posting rules.
    /// Unregistered channels behave as public channels the bot is in.
    pub fn add_channel(&self, channel_id: &str, kind: ChannelKind, bot_is_member: bool) {
        let channel = Channel {
            kind,
            bot_is_member,
            ext_shared: false,
        };
        self.shared
            .data()
            .channels
            .insert(channel_id.to_owned(), channel);
    }

    /// A fresh response URL (`{base}/response/{id}`), good for five uses.
    /// POSTs to it are recorded as method `"response_url"` with the JSON
    /// body as args plus `"_id"`.
    pub fn new_response_url(&self) -> String {
        let id = ids::random_hex(24);
        self.shared.data().response_urls.insert(id.clone(), 0);
        format!("{}/response/{id}", self.base_url())
    }

    /// The app's client credentials, checked by `oauth.v2.access`.
    pub fn set_oauth_client(&self, client_id: &str, client_secret: &str) {
        self.shared.data().client = Some((client_id.to_owned(), client_secret.to_owned()));
    }

    /// Makes `code` exchangeable (once, for ten minutes) for `grant`, and
    /// queues it for the authorize page, which hands out codes in issue order.
    pub fn issue_oauth_code(&self, code: &str, grant: OAuthGrant) {
        let mut data = self.shared.data();
        let issued = Code {
            grant,
            issued_at: Instant::now(),
            redirect_uri: None,
        };
        data.codes.insert(code.to_owned(), issued);
        data.authorize_queue.push_back(code.to_owned());
    }

    /// Makes `token` answer `token_revoked` from now on.
    pub fn revoke_token(&self, token: &str) {
        if let Some(info) = self.shared.data().tokens.get_mut(token) {
            info.revoked = true;
        }
    }

    /// Makes `token` answer `token_expired` from now on.
    pub fn expire_token(&self, token: &str) {
        if let Some(info) = self.shared.data().tokens.get_mut(token) {
            info.expires_at = Some(Instant::now());
        }
    }

    /// The next `times` calls to `method` get `fault`.
    pub fn fail_next(&self, method: &str, fault: Fault, times: usize) {
        self.shared.faults.add_times(method, fault, times);
    }

    /// Holds every Web API call made with `bearer` (a workspace's bot
    /// token, say) until the returned gate is opened or dropped.
    pub fn hold_bearer(&self, bearer: &str) -> crate::Gate {
        self.shared.holds.hold(bearer)
    }

    /// Every call to `method` within the next `duration` gets `fault`.
    pub fn fail_for(&self, method: &str, fault: Fault, duration: Duration) {
        self.shared.faults.add_for(method, fault, duration);
    }

    /// Makes `trigger_id` answer `expired_trigger_id` in `views.open`, as
    /// Slack does once its three seconds are over.
    pub fn expire_trigger(&self, trigger_id: &str) {
        let mut data = self.shared.data();
        data.views.expired_triggers.insert(trigger_id.to_owned());
    }

    /// Says which user `trigger_id` came from, so the modal it opens is
    /// known as theirs ([`FakeSlack::modals_of`]).
    pub fn set_trigger_user(&self, trigger_id: &str, user_id: &str) {
        let mut data = self.shared.data();
        data.views
            .trigger_users
            .insert(trigger_id.to_owned(), user_id.to_owned());
    }

    /// Every modal opened so far, in order, as last updated.
    pub fn modals(&self) -> Vec<ShownView> {
        self.shared.data().views.modals.clone()
    }

    /// The modals opened with a trigger of `user_id`.
    pub fn modals_of(&self, user_id: &str) -> Vec<ShownView> {
        self.modals()
            .into_iter()
            .filter(|m| m.user_id.as_deref() == Some(user_id))
            .collect()
    }

    /// `user_id`'s App Home tab as last published.
    pub fn home_view(&self, user_id: &str) -> Option<ShownView> {
        self.shared.data().views.homes.get(user_id).cloned()
    }

    /// How many times `user_id`'s App Home tab was published.
    pub fn home_publishes(&self, user_id: &str) -> usize {
        let data = self.shared.data();
        data.views.publishes.get(user_id).copied().unwrap_or(0)
    }

    /// Checks `view` as `views.open` (`kind` `modal`) or `views.publish`
    /// (`home`) would: the reason it is refused, if it is.
    pub fn check_view(view: &serde_json::Value, kind: &str) -> Result<(), String> {
        views::check(view, kind).map_err(|e| format!("{e:?}"))
    }

    /// Every call received so far, in arrival order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.shared.recorder.all()
    }

    /// The calls to `method` (exact name).
    pub fn calls_to(&self, method: &str) -> Vec<RecordedCall> {
        self.shared.recorder.matching(|m| m == method)
    }

    /// Forgets the calls received so far.
    pub fn clear_calls(&self) {
        self.shared.recorder.clear();
    }

    /// Waits until at least `n` calls to `method` arrived and returns all of
    /// them; panics after `timeout`.
    pub async fn wait_for_calls(
        &self,
        method: &str,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedCall> {
        let recorder = &self.shared.recorder;
        recorder.wait_for(method, |m| m == method, n, timeout).await
    }
}
