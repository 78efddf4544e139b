//! What the fake Zoom knows: users, grants and tokens, meetings.

use super::ZoomUser;
use crate::fault::Faults;
use crate::ids;
use crate::record::Recorder;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Shared by the handlers and the [`super::FakeZoom`] handle.
pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) recorder: Recorder,
    pub(crate) faults: Faults,
    /// WebSocket event subscriptions and their connections.
    pub(crate) ws: super::ws::Hub,
    data: Mutex<Data>,
}

impl Shared {
    pub(crate) fn new(base_url: String) -> Self {
        Self {
            base_url,
            recorder: Recorder::default(),
            faults: Faults::default(),
            ws: super::ws::Hub::default(),
            data: Mutex::new(Data::default()),
        }
    }

    pub(crate) fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().expect("fake Zoom state lock")
    }
}

/// Whom a token acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A user who authorized the app.
    User(String),
    /// A whole account, through Server-to-Server OAuth.
    Account(String),
}

#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub(crate) user_id: String,
    pub(crate) redirect_uri: String,
    /// `(method, challenge)` when the authorize request used PKCE.
    pub(crate) challenge: Option<(String, String)>,
    pub(crate) issued_at: Instant,
}

#[derive(Debug)]
struct Access {
    grant: u64,
    expires_at: Instant,
}

/// One authorization: its tokens die together when it is revoked.
#[derive(Debug)]
struct Grant {
    subject: Subject,
    alive: bool,
}

/// Freshly issued tokens.
pub(crate) struct Issued {
    pub(crate) access_token: String,
    pub(crate) refresh_token: Option<String>,
    pub(crate) expires_in: i64,
}

/// Mutable state behind one lock; no handler holds it across an await.
pub(crate) struct Data {
    pub(crate) client: Option<(String, String)>,
    pub(crate) users: HashMap<String, ZoomUser>,
    pub(crate) next_login: Option<String>,
    pub(crate) access_ttl: i64,
    pub(crate) codes: HashMap<String, AuthCode>,
    grants: HashMap<u64, Grant>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, u64>,
    pub(crate) meetings: HashMap<String, Value>,
    /// Meeting UUID → key in `meetings`.
    pub(crate) meeting_uuids: HashMap<String, String>,
    pub(crate) past_participants: HashMap<String, Vec<Value>>,
    pub(crate) summaries: HashMap<String, Value>,
    /// Ended instances by UUID, as `GET /past_meetings/{uuid}` answers.
    pub(crate) past_meetings: HashMap<String, Value>,
    /// Meeting number → its ended instances (`uuid`, `start_time`), oldest first.
    pub(crate) past_instances: HashMap<String, Vec<Value>>,
    /// Cloud recordings by occurrence UUID.
    pub(crate) recordings: HashMap<String, Value>,
    pub(crate) token_grants: usize,
    pub(crate) whiteboards: HashMap<String, super::whiteboards::Whiteboard>,
    /// The account has Zoom Whiteboard turned off.
    pub(crate) whiteboards_disabled: bool,
    /// Zoom user id → the user's Zoom Phone line.
    pub(crate) phone_lines: HashMap<String, super::phone::PhoneLine>,
    /// The account has no Zoom Phone: the Phone API answers 403.
    pub(crate) phone_disabled: bool,
}

impl Default for Data {
    fn default() -> Self {
        Self {
            client: None,
            users: HashMap::new(),
            next_login: None,
            access_ttl: 3600,
            codes: HashMap::new(),
            grants: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            meetings: HashMap::new(),
            meeting_uuids: HashMap::new(),
            past_participants: HashMap::new(),
            summaries: HashMap::new(),
            past_meetings: HashMap::new(),
            past_instances: HashMap::new(),
            recordings: HashMap::new(),
            whiteboards: HashMap::new(),
            whiteboards_disabled: false,
            phone_lines: HashMap::new(),
            phone_disabled: false,
            token_grants: 0,
        }
    }
}

/// Why a bearer token was refused; both are Zoom error 124.
pub(crate) const INVALID_TOKEN: &str = "Invalid access token.";
pub(crate) const EXPIRED_TOKEN: &str = "Access token is expired.";

impl Data {
    /// A user by id or (case-insensitive) email.
    pub(crate) fn user(&self, key: &str) -> Option<&ZoomUser> {
        self.users.get(key).or_else(|| {
            self.users
                .values()
                .find(|u| u.email.eq_ignore_ascii_case(key))
        })
    }

    /// Starts a new grant for `subject`.
    pub(crate) fn grant(&mut self, subject: Subject, with_refresh: bool) -> Issued {
        let id = ids::next();
        self.grants.insert(
            id,
            Grant {
                subject,
                alive: true,
            },
        );
        let refresh_token = with_refresh.then(|| self.new_refresh(id));
        self.issue(id, refresh_token)
    }

    /// Rotates `refresh_token`: it dies and a new pair is issued on its grant.
    pub(crate) fn rotate(&mut self, refresh_token: &str) -> Option<Issued> {
        let grant = self.refresh.remove(refresh_token)?;
        if !self.grants.get(&grant).is_some_and(|g| g.alive) {
            return None;
        }
        let next = self.new_refresh(grant);
        Some(self.issue(grant, Some(next)))
    }

    fn new_refresh(&mut self, grant: u64) -> String {
        let token = format!("zoom-rt-{}", ids::random_hex(40));
        self.refresh.insert(token.clone(), grant);
        token
    }

    fn issue(&mut self, grant: u64, refresh_token: Option<String>) -> Issued {
        let access_token = format!("zoom-at-{}", ids::random_hex(40));
        let ttl = Duration::from_secs(u64::try_from(self.access_ttl).unwrap_or(0));
        let access = Access {
            grant,
            expires_at: Instant::now() + ttl,
        };
        self.access.insert(access_token.clone(), access);
        Issued {
            access_token,
            refresh_token,
            expires_in: self.access_ttl,
        }
    }

    /// Whom a bearer token acts for, or Zoom's 401 message.
    pub(crate) fn authenticate(&self, token: Option<&str>) -> Result<Subject, &'static str> {
        let access = token
            .and_then(|t| self.access.get(t))
            .ok_or(INVALID_TOKEN)?;
        let grant = self
            .grants
            .get(&access.grant)
            .filter(|g| g.alive)
            .ok_or(INVALID_TOKEN)?;
        if access.expires_at <= Instant::now() {
            return Err(EXPIRED_TOKEN);
        }
        Ok(grant.subject.clone())
    }

    /// When the access token `token` expires.
    pub(crate) fn access_expiry(&self, token: &str) -> Option<Instant> {
        self.access.get(token).map(|a| a.expires_at)
    }

    /// Kills the grant `token` (access or refresh) belongs to.
    pub(crate) fn revoke(&mut self, token: &str) -> bool {
        let grant = self
            .access
            .get(token)
            .map(|a| a.grant)
            .or_else(|| self.refresh.get(token).copied());
        match grant.and_then(|id| self.grants.get_mut(&id)) {
            Some(grant) => {
                grant.alive = false;
                true
            }
            None => false,
        }
    }

    /// Kills every grant of `subject`, as re-authorizing does on Zoom.
    pub(crate) fn revoke_subject(&mut self, subject: &Subject) {
        for grant in self.grants.values_mut() {
            if &grant.subject == subject {
                grant.alive = false;
            }
        }
    }

    /// Refresh tokens of `subject` stop working; its access tokens live on.
    pub(crate) fn drop_refresh_tokens(&mut self, subject: &Subject) {
        let grants = &self.grants;
        self.refresh
            .retain(|_, id| grants.get(id).is_none_or(|g| &g.subject != subject));
    }

    /// Every access token issued so far stops working.
    pub(crate) fn expire_access_tokens(&mut self) {
        let now = Instant::now();
        for access in self.access.values_mut() {
            access.expires_at = access.expires_at.min(now);
        }
    }
}
