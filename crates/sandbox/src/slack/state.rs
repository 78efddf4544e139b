//! What the fake Slack knows: workspaces, tokens, users, channels, OAuth.

use super::{ChannelKind, OAuthGrant};
use crate::fault::Faults;
use crate::record::Recorder;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

/// Shared by the handlers and the [`super::FakeSlack`] handle.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) recorder: Recorder,
    pub(crate) faults: Faults,
    pub(crate) holds: std::sync::Arc<crate::hold::Holds>,
    pub(crate) socket: std::sync::Arc<super::socket::Hub>,
    data: Mutex<Data>,
}

impl Shared {
    pub(crate) fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().expect("fake Slack state lock")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    pub(crate) name: String,
    pub(crate) bot_user_id: String,
    pub(crate) bot_id: String,
    pub(crate) enterprise_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Bot,
    User,
    /// A Sign in with Slack token: good only for `openid.connect.userInfo`.
    SignIn,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) team_id: String,
    pub(crate) kind: TokenKind,
    /// The bot user for bot tokens, the authed user for user tokens.
    pub(crate) user_id: String,
    pub(crate) revoked: bool,
    pub(crate) expires_at: Option<Instant>,
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) team_id: String,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) locale: String,
    pub(crate) tz: String,
    /// A workspace admin (`is_admin`).
    pub(crate) is_admin: bool,
    /// An admin of the workspace's Enterprise Grid org
    /// (`enterprise_user.is_admin`).
    pub(crate) is_org_admin: bool,
    /// The phone field of the profile, as the user typed it.
    pub(crate) phone: String,
    /// The status: text, emoji, expiration (Unix seconds, 0 = never).
    pub(crate) status: (String, String, i64),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Channel {
    pub(crate) kind: ChannelKind,
    pub(crate) bot_is_member: bool,
    /// Shared with another organization (Slack Connect).
    pub(crate) ext_shared: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub(crate) grant: OAuthGrant,
    pub(crate) issued_at: Instant,
    /// Set when the code was handed out by the authorize page; access must
    /// then send the same value.
    pub(crate) redirect_uri: Option<String>,
}

/// A Sign in with Slack code, before `openid.connect.token` redeems it.
#[derive(Debug, Clone)]
pub(crate) struct SignInCode {
    pub(crate) team_id: String,
    pub(crate) user_id: String,
    /// As requested: `openid`, maybe `email` and `profile`.
    pub(crate) scope: String,
    pub(crate) nonce: Option<String>,
    pub(crate) redirect_uri: String,
    pub(crate) issued_at: Instant,
}

/// Mutable state behind one lock; no handler holds it across an await.
#[derive(Default)]
pub(crate) struct Data {
    pub(crate) workspaces: HashMap<String, Workspace>,
    pub(crate) tokens: HashMap<String, Token>,
    pub(crate) users: HashMap<String, User>,
    pub(crate) channels: HashMap<String, Channel>,
    /// Channel id → its human members, for `conversations.members`; a
    /// conversation without an entry counts every user as a member.
    pub(crate) members: HashMap<String, Vec<String>>,
    /// Response URL id → uses so far.
    pub(crate) response_urls: HashMap<String, u32>,
    pub(crate) client: Option<(String, String)>,
    pub(crate) codes: HashMap<String, Code>,
    /// Codes the authorize page hands out next, in issue order.
    pub(crate) authorize_queue: VecDeque<String>,
    /// Live refresh token → the grant it renews.
    pub(crate) refresh_tokens: HashMap<String, OAuthGrant>,
    /// Who the next Sign in with Slack signs in as: (team, user).
    pub(crate) next_sign_in: Option<(String, String)>,
    /// Sign in with Slack codes not yet redeemed.
    pub(crate) sign_in_codes: HashMap<String, SignInCode>,
    /// Scopes reported in `X-OAuth-Scopes` for a token, comma-separated;
    /// tokens without an entry get no such header.
    pub(crate) token_scopes: HashMap<String, String>,
    /// The scope each Sign in with Slack token was granted.
    pub(crate) sign_in_scopes: HashMap<String, String>,
    /// Calls API objects by id.
    pub(crate) calls: HashMap<String, Value>,
    /// Modals and Home tabs shown.
    pub(crate) views: super::views::Views,
    last_ts_micros: u64,
}

impl Data {
    /// A message timestamp like `"1700000000.000100"`, increasing on every call.
    pub(crate) fn next_ts(&mut self) -> String {
        let now = u64::try_from(crate::unix_now()).unwrap_or(0) * 1_000_000;
        self.last_ts_micros = now.max(self.last_ts_micros + 100);
        format!(
            "{}.{:06}",
            self.last_ts_micros / 1_000_000,
            self.last_ts_micros % 1_000_000
        )
    }

    /// Registers `token` as valid for `team_id`.
    pub(crate) fn add_token(&mut self, team_id: &str, token: &str, kind: TokenKind, user_id: &str) {
        let record = Token {
            team_id: team_id.to_owned(),
            kind,
            user_id: user_id.to_owned(),
            revoked: false,
            expires_at: None,
        };
        self.tokens.insert(token.to_owned(), record);
    }

    /// The workspace `team_id`, created with default names if unknown.
    pub(crate) fn workspace(&mut self, team_id: &str) -> &mut Workspace {
        self.workspaces
            .entry(team_id.to_owned())
            .or_insert_with(|| Workspace {
                name: format!("Team {team_id}"),
                bot_user_id: crate::BOT_USER_ID.to_owned(),
                bot_id: format!("B{team_id}BOT"),
                enterprise_id: None,
            })
    }
}
