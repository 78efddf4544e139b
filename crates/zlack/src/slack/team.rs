//! The Slack Web API as one workspace's bot sees it: typed methods for
//! what zlack calls, each failure sorted once ([`SlackError`]) and each
//! rate limit scoped to the workspace and method, the scope the worker's
//! rate gate holds jobs back by.

use serde::Deserialize;
use serde_json::{Map, Value};
use zlack_domain::render::Message;

use super::api::{SlackApi, SlackError};
use crate::config::Secret;
use zlack_domain::ids::TeamId;

/// A Slack client for workspace `team` with its bot token; cheap to make.
#[derive(Clone, Copy)]
pub struct TeamSlack<'a> {
    api: &'a SlackApi,
    team: &'a TeamId,
    token: &'a Secret,
}

impl std::fmt::Debug for TeamSlack<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamSlack")
            .field("team", &self.team.as_str())
            .finish_non_exhaustive()
    }
}

impl SlackApi {
    /// The client of workspace `team`, calling with `token` (the bot token
    /// of the install serving it).
    pub fn team<'a>(&'a self, team: &'a TeamId, token: &'a Secret) -> TeamSlack<'a> {
        TeamSlack {
            api: self,
            team,
            token,
        }
    }
}

/// The rate-limit scope of `method` in workspace `team`.
pub fn rate_scope(team: &str, method: &str) -> String {
    format!("slack:{team}:{method}")
}

/// Where a posted message landed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Posted {
    /// The conversation (for a DM, the DM's own id).
    pub channel: Option<String>,
    /// The message's timestamp, its id for edits and threads.
    pub ts: Option<String>,
}

/// A Slack Call to register (`calls.add`). `Debug` leaves out the join
/// links, which may carry the passcode.
#[derive(Clone)]
pub struct NewCall<'a> {
    pub external_unique_id: &'a str,
    pub join_url: &'a str,
    pub desktop_app_join_url: Option<&'a str>,
    pub external_display_id: Option<String>,
    pub title: Option<&'a str>,
    pub created_by: &'a str,
    pub date_start: i64,
}

impl std::fmt::Debug for NewCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewCall")
            .field("external_unique_id", &self.external_unique_id)
            .field("external_display_id", &self.external_display_id)
            .finish_non_exhaustive()
    }
}

/// Adding or removing a Call's participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantChange {
    Add,
    Remove,
}

impl ParticipantChange {
    /// The Web API method.
    pub fn method(self) -> &'static str {
        match self {
            Self::Add => "calls.participants.add",
            Self::Remove => "calls.participants.remove",
        }
    }
}

/// What zlack reads of a Slack user (`users.info`, `users.lookupByEmail`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserInfo {
    pub id: String,
    pub name: Option<String>,
    pub real_name: Option<String>,
    pub deleted: bool,
    pub is_bot: bool,
    /// From another organization, met in a shared channel.
    pub is_stranger: bool,
    pub is_email_confirmed: Option<bool>,
    pub is_admin: bool,
    pub is_owner: bool,
    pub is_primary_owner: bool,
    pub locale: Option<String>,
    pub tz: Option<String>,
    pub profile: Profile,
    /// The user's roles in the Enterprise Grid org.
    pub enterprise_user: Option<EnterpriseUser>,
}

/// A Slack user's profile fields zlack reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub display_name: Option<String>,
    pub real_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A user's roles in an Enterprise Grid org.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EnterpriseUser {
    pub is_admin: bool,
    pub is_owner: bool,
    pub is_primary_owner: bool,
}

impl UserInfo {
    /// The name people know them by: display name, real name, then handle.
    pub fn best_name(&self) -> Option<&str> {
        [
            &self.profile.display_name,
            &self.profile.real_name,
            &self.real_name,
            &self.name,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .find(|s| !s.trim().is_empty())
    }

    /// An admin or owner of the workspace, or with `org_wide` of the org.
    pub fn is_settings_admin(&self, org_wide: bool) -> bool {
        if org_wide {
            return self
                .enterprise_user
                .as_ref()
                .is_some_and(|e| e.is_admin || e.is_owner || e.is_primary_owner);
        }
        self.is_admin || self.is_owner || self.is_primary_owner
    }

    /// A person who can be met: not a bot, not deactivated.
    pub fn is_active_person(&self) -> bool {
        !self.deleted && !self.is_bot
    }
}

/// A view Slack shows: its id and its hash (for `views.update`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenedView {
    pub id: Option<String>,
    pub hash: Option<String>,
}

impl OpenedView {
    fn of(body: &Value) -> Self {
        Self {
            id: body["view"]["id"].as_str().map(str::to_owned),
            hash: body["view"]["hash"].as_str().map(str::to_owned),
        }
    }
}

/// What zlack reads of a conversation (`conversations.info`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConversationInfo {
    pub is_im: bool,
    pub is_mpim: bool,
    pub is_private: bool,
    pub is_shared: bool,
    pub is_ext_shared: bool,
    pub is_pending_ext_shared: bool,
}

impl TeamSlack<'_> {
    /// The workspace this client works for.
    pub fn team_id(&self) -> &TeamId {
        self.team
    }

    /// The bot token it calls with.
    pub fn token(&self) -> &Secret {
        self.token
    }

    /// Calls `method` with `args`, its rate limit scoped to the workspace.
    pub async fn call(&self, method: &str, args: &Map<String, Value>) -> Result<Value, SlackError> {
        self.api
            .call(method, self.token, args)
            .await
            .map_err(|e| e.in_team(self.team))
    }

    /// Posts `message` (`text`, `blocks`, …) in `channel`, in `thread_ts`'s
    /// thread when given. A user id as `channel` posts in the app's DM.
    pub async fn post_message(
        &self,
        channel: &str,
        thread_ts: Option<&str>,
        message: &Message,
    ) -> Result<Posted, SlackError> {
        let mut args = message.fields();
        args.insert("channel".into(), channel.into());
        if let Some(ts) = thread_ts {
            args.insert("thread_ts".into(), ts.into());
        }
        let body = self.call("chat.postMessage", &args).await?;
        Ok(Posted {
            channel: body["channel"].as_str().map(str::to_owned),
            ts: body["ts"].as_str().map(str::to_owned),
        })
    }

    /// Shows `message` to `user` alone in `channel`.
    pub async fn post_ephemeral(
        &self,
        channel: &str,
        user: &str,
        message: &Message,
    ) -> Result<(), SlackError> {
        let mut args = message.fields();
        args.insert("channel".into(), channel.into());
        args.insert("user".into(), user.into());
        self.call("chat.postEphemeral", &args).await.map(drop)
    }

    /// Replaces the message `ts` in `channel` with `message`.
    pub async fn update(
        &self,
        channel: &str,
        ts: &str,
        message: &Message,
    ) -> Result<(), SlackError> {
        let mut args = message.fields();
        args.insert("channel".into(), channel.into());
        args.insert("ts".into(), ts.into());
        self.call("chat.update", &args).await.map(drop)
    }

    /// Registers a Call; its id.
    pub async fn calls_add(&self, call: &NewCall<'_>) -> Result<String, SlackError> {
        let mut args = Map::new();
        args.insert("external_unique_id".into(), call.external_unique_id.into());
        args.insert("join_url".into(), call.join_url.into());
        if let Some(url) = call.desktop_app_join_url {
            args.insert("desktop_app_join_url".into(), url.into());
        }
        if let Some(id) = &call.external_display_id {
            args.insert("external_display_id".into(), id.clone().into());
        }
        if let Some(title) = call.title {
            args.insert("title".into(), title.into());
        }
        args.insert("created_by".into(), call.created_by.into());
        args.insert("date_start".into(), call.date_start.into());
        let body = self.call("calls.add", &args).await?;
        Ok(body["call"]["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Adds or removes `users` (Calls API user objects) of Call `call_id`.
    pub async fn calls_participants(
        &self,
        change: ParticipantChange,
        call_id: &str,
        users: &[Value],
    ) -> Result<(), SlackError> {
        let mut args = Map::new();
        args.insert("id".into(), call_id.into());
        args.insert(
            "users".into(),
            Value::from(users.to_vec()).to_string().into(),
        );
        self.call(change.method(), &args).await.map(drop)
    }

    /// Ends Call `call_id` after `duration_secs`.
    pub async fn calls_end(&self, call_id: &str, duration_secs: i64) -> Result<(), SlackError> {
        let mut args = Map::new();
        args.insert("id".into(), call_id.into());
        args.insert("duration".into(), duration_secs.into());
        self.call("calls.end", &args).await.map(drop)
    }

    /// The user `user`, with their locale when `include_locale`.
    pub async fn users_info(
        &self,
        user: &str,
        include_locale: bool,
    ) -> Result<UserInfo, SlackError> {
        let mut args = Map::new();
        args.insert("user".into(), user.into());
        if include_locale {
            args.insert("include_locale".into(), true.into());
        }
        let body = self.call("users.info", &args).await?;
        user_of("users.info", body)
    }

    /// The user whose email is `email`.
    pub async fn lookup_by_email(&self, email: &str) -> Result<UserInfo, SlackError> {
        let mut args = Map::new();
        args.insert("email".into(), email.into());
        let body = self.call("users.lookupByEmail", &args).await?;
        user_of("users.lookupByEmail", body)
    }

    /// The conversation `channel`.
    pub async fn conversations_info(&self, channel: &str) -> Result<ConversationInfo, SlackError> {
        let mut args = Map::new();
        args.insert("channel".into(), channel.into());
        let body = self.call("conversations.info", &args).await?;
        serde_json::from_value(body["channel"].clone())
            .map_err(|_| SlackError::from_code("conversations.info", "unexpected_response"))
    }

    /// Whether `user` is a member of `channel`, reading its members a page
    /// at a time (`conversations.members`); an error when the bot may not
    /// read them (Slack's refusal, such as `channel_not_found`).
    pub async fn is_member(&self, channel: &str, user: &str) -> Result<bool, SlackError> {
        /// Pages read at most: 200 000 members.
        const PAGES: usize = 200;
        let mut cursor = String::new();
        for _ in 0..PAGES {
            let mut args = Map::new();
            args.insert("channel".into(), channel.into());
            args.insert("limit".into(), 1000.into());
            if !cursor.is_empty() {
                args.insert("cursor".into(), cursor.clone().into());
            }
            let body = self.call("conversations.members", &args).await?;
            let members = body["members"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            if members.iter().any(|m| m.as_str() == Some(user)) {
                return Ok(true);
            }
            cursor = body["response_metadata"]["next_cursor"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if cursor.is_empty() {
                return Ok(false);
            }
        }
        Ok(false)
    }

    /// Unfurls links: `target` names the message (`channel` and `ts`) or
    /// the composer (`unfurl_id` and `source`); `unfurls` maps each URL to
    /// its attachment.
    pub async fn unfurl(
        &self,
        target: &[(&str, &str)],
        unfurls: &Map<String, Value>,
    ) -> Result<(), SlackError> {
        let mut args = Map::new();
        for (key, value) in target {
            args.insert((*key).into(), (*value).into());
        }
        args.insert(
            "unfurls".into(),
            Value::Object(unfurls.clone()).to_string().into(),
        );
        self.call("chat.unfurl", &args).await.map(drop)
    }

    /// Opens `view` (a modal) for the user whose interaction gave
    /// `trigger_id`; Slack accepts each trigger once, for three seconds
    /// (see [`SlackError::is_stale_trigger`]).
    pub async fn views_open(
        &self,
        trigger_id: &str,
        view: &Value,
    ) -> Result<OpenedView, SlackError> {
        let mut args = Map::new();
        args.insert("trigger_id".into(), trigger_id.into());
        args.insert("view".into(), view.to_string().into());
        let body = self.call("views.open", &args).await?;
        Ok(OpenedView::of(&body))
    }

    /// Publishes `view` (of type `home`) as `user_id`'s App Home tab.
    pub async fn views_publish(
        &self,
        user_id: &str,
        view: &Value,
    ) -> Result<OpenedView, SlackError> {
        let mut args = Map::new();
        args.insert("user_id".into(), user_id.into());
        args.insert("view".into(), view.to_string().into());
        let body = self.call("views.publish", &args).await?;
        Ok(OpenedView::of(&body))
    }

    /// Replaces the open view `view_id` with `view`; with `hash` (from the
    /// view as last seen) only when nobody changed it since.
    pub async fn views_update(
        &self,
        view_id: &str,
        hash: Option<&str>,
        view: &Value,
    ) -> Result<OpenedView, SlackError> {
        let mut args = Map::new();
        args.insert("view_id".into(), view_id.into());
        if let Some(hash) = hash {
            args.insert("hash".into(), hash.into());
        }
        args.insert("view".into(), view.to_string().into());
        let body = self.call("views.update", &args).await?;
        Ok(OpenedView::of(&body))
    }

    /// The Slack status of `user` (`users.info`, whose profile carries
    /// it; the bot's `users:read` suffices, so the user token needs no
    /// read scope).
    pub async fn user_status(&self, user: &str) -> Result<crate::store::SlackStatus, SlackError> {
        let mut args = Map::new();
        args.insert("user".into(), user.into());
        let body = self.call("users.info", &args).await?;
        let profile = &body["user"]["profile"];
        Ok(crate::store::SlackStatus {
            text: profile["status_text"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            emoji: profile["status_emoji"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            expiration: profile["status_expiration"].as_i64().unwrap_or(0),
        })
    }

    /// Sets the status of the user whose token this client calls with
    /// (`users.profile.set`, a user token with `users.profile:write`);
    /// nothing else of the profile changes.
    pub async fn set_own_status(
        &self,
        status: &crate::store::SlackStatus,
    ) -> Result<(), SlackError> {
        let profile = serde_json::json!({
            "status_text": status.text,
            "status_emoji": status.emoji,
            "status_expiration": status.expiration,
        });
        let mut args = Map::new();
        args.insert("profile".into(), profile.to_string().into());
        self.call("users.profile.set", &args).await.map(drop)
    }

    /// The Enterprise Grid org of the token this client calls with
    /// (`auth.test`'s `enterprise_id`), if it has one.
    pub async fn enterprise_id(&self) -> Result<Option<String>, SlackError> {
        let body = self.call("auth.test", &Map::new()).await?;
        Ok(body["enterprise_id"]
            .as_str()
            .filter(|e| !e.is_empty())
            .map(str::to_owned))
    }

    /// Revokes the token this client calls with (`auth.revoke`).
    pub async fn revoke(&self) -> Result<(), SlackError> {
        self.call("auth.revoke", &Map::new()).await.map(drop)
    }

    /// Posts `payload` (such as [`Message::for_response_url`]) to a
    /// `response_url`, its rate limit scoped to the workspace.
    pub async fn respond(&self, response_url: &Secret, payload: &Value) -> Result<(), SlackError> {
        self.api
            .respond(response_url, payload)
            .await
            .map_err(|e| e.in_team(self.team))
    }
}

fn user_of(method: &str, mut body: Value) -> Result<UserInfo, SlackError> {
    serde_json::from_value(body["user"].take())
        .map_err(|_| SlackError::from_code(method, "unexpected_response"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_error_codes_are_sorted_once() {
        for code in ["not_in_channel", "is_archived", "team_access_not_granted"] {
            assert!(matches!(
                SlackError::from_code("chat.postMessage", code),
                SlackError::NotHere { .. }
            ));
        }
        for code in ["invalid_auth", "token_revoked", "missing_scope"] {
            assert!(matches!(
                SlackError::from_code("chat.postMessage", code),
                SlackError::AppAuth { .. }
            ));
        }
        assert!(matches!(
            SlackError::from_code("users.info", "internal_error"),
            SlackError::Transient { .. }
        ));
        for code in [
            "expired_trigger_id",
            "exchanged_trigger_id",
            "invalid_trigger_id",
        ] {
            let error = SlackError::from_code("views.open", code);
            assert!(error.is_stale_trigger() && error.is_refusal(), "{code}");
        }
        assert!(!SlackError::from_code("views.open", "invalid_arguments").is_stale_trigger());
        let other = SlackError::from_code("users.info", "user_not_found");
        assert_eq!(other.code(), Some("user_not_found"));
        assert_eq!(other.to_string(), "slack users.info: user_not_found");
    }

    #[test]
    fn rate_limits_are_scoped_to_the_workspace_and_method() {
        let error = SlackError::RateLimited {
            method: "chat.postMessage".into(),
            scope: "slack:chat.postMessage".into(),
            wait: std::time::Duration::from_secs(3),
        }
        .in_team("T1");
        let SlackError::RateLimited { scope, .. } = error else {
            unreachable!()
        };
        assert_eq!(scope, rate_scope("T1", "chat.postMessage"));
    }

    #[test]
    fn users_are_read_leniently() {
        let user: UserInfo = serde_json::from_value(serde_json::json!({
            "id": "U1", "name": "ada", "profile": {"display_name": " ", "real_name": "Ada L"},
            "enterprise_user": {"is_admin": true}
        }))
        .unwrap();
        assert_eq!(user.best_name(), Some("Ada L"));
        assert!(user.is_settings_admin(true));
        assert!(!user.is_settings_admin(false));
    }
}
