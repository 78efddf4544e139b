//! Typing `/zoom` and clicking through OAuth, as a user would.

use serde_json::Value;

use super::app::{TEAM, TestApp};
use super::browse::Jar;

impl TestApp {
    /// A browser that does not follow redirects, so each step is visible.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Maps a link to zlack's public URL onto the test server.
    pub fn local(&self, url: &str) -> String {
        url.replace("https://zlack.test", &self.base_url)
    }

    /// `user` types `/zoom text` in `channel`; returns its response_url.
    pub async fn slash(&self, channel: &str, user: &str, text: &str) -> String {
        self.slash_with(channel, user, text, |_| {}).await
    }

    /// `user` types `/zoom config` in `channel`, and the request waits
    /// until its trigger expired: the settings come as the card, not the
    /// modal. Returns its response_url.
    pub async fn config_card(&self, channel: &str, user: &str) -> String {
        let slack = self.slack.clone();
        self.slash_with(channel, user, "config", move |trigger| {
            slack.expire_trigger(trigger);
        })
        .await
    }

    /// `user` types `/zoom text` in `channel`; `trigger` sees the command's
    /// `trigger_id` first (the fake Slack also learns it is `user`'s).
    /// Returns its response_url.
    pub async fn slash_with(
        &self,
        channel: &str,
        user: &str,
        text: &str,
        trigger: impl FnOnce(&str),
    ) -> String {
        let response_url = self.slack.new_response_url();
        let mut fields = sandbox::slash_command_fields(TEAM, channel, user, text, &response_url);
        // What Slack sends as `channel_name` for these conversations.
        let name = match channel {
            super::people::PRIVATE => Some("privategroup"),
            super::people::GROUP_DM => Some("mpdm-u0alice--u0sven--u0bo-1"),
            _ => None,
        };
        if let Some(name) = name {
            for (k, v) in fields.iter_mut() {
                if k == "channel_name" {
                    *v = name.to_owned();
                }
            }
        }
        if let Some((_, id)) = fields.iter().find(|(k, _)| k == "trigger_id") {
            self.slack.set_trigger_user(id, user);
            trigger(id);
        }
        let ack = self.post_command(&fields).await;
        assert_eq!(ack.status(), 200, "slash command acknowledged");
        response_url
    }

    /// Posts a slash command's `fields` to zlack as Slack would, signed at
    /// the app's (manual) time, so tests may move the clock.
    pub async fn post_command(&self, fields: impl serde::Serialize) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).unwrap().into_bytes();
        let now = sandbox::SignAs::Slack {
            timestamp: zlack::clock::Clock::now_secs(&*self.clock),
        };
        self.signer
            .raw(
                "/slack/commands",
                "application/x-www-form-urlencoded",
                body,
                now,
            )
            .await
    }

    /// What was posted to one response_url, in order.
    pub fn responses(&self, response_url: &str) -> Vec<Value> {
        let id = response_url.rsplit('/').next().unwrap();
        self.slack
            .calls_to("response_url")
            .into_iter()
            .filter(|c| c.args["_id"] == id)
            .map(|c| c.args)
            .collect()
    }

    /// The one answer on a response_url.
    pub fn only_response(&self, response_url: &str) -> Value {
        let mut all = self.responses(response_url);
        assert_eq!(all.len(), 1, "one answer expected: {all:#?}");
        all.remove(0)
    }

    /// Follows an "Authorize Zoom" link as Slack user `slack_user` of the
    /// test workspace: Sign in with Slack at the fake Slack, then the fake
    /// Zoom (as whoever `set_next_login` names), and back; returns the page
    /// zlack shows at the end.
    pub async fn authorize_zoom(&self, link: &str, slack_user: &str) -> reqwest::Response {
        self.slack.set_next_sign_in(TEAM, slack_user);
        let (page, hops) = self.follow(link, &mut Jar::default()).await;
        assert!(
            hops.iter().any(|h| h.ends_with("/slack/openid/callback")),
            "the link signs in with Slack first: {hops:?}"
        );
        page
    }

    /// Installs the app into the test workspace through Slack's OAuth.
    pub async fn install_via_oauth(&self, grant: sandbox::OAuthGrant) -> reqwest::Response {
        self.slack.issue_oauth_code("code-1", grant);
        let start = self.oauth_start("/slack/install").await;
        assert_eq!(start.status, 302);
        self.oauth_finish(&start).await
    }

    /// Links `user` to Zoom: `/zoom help` is free, so this types `/zoom`
    /// and follows the prompt, then runs the resumed command.
    pub async fn connect(&self, channel: &str, user: &str) -> String {
        self.zoom.set_next_login(super::people::zoom_id_of(user));
        let url = self.slash(channel, user, "").await;
        self.run_jobs().await;
        let prompt = self.only_response(&url);
        let page = self
            .authorize_zoom(&button_url(&prompt, "zoom.authorize"), user)
            .await;
        assert_eq!(page.status(), 200);
        self.run_jobs().await;
        url
    }
}

/// Whether a recorded `chat.postMessage` is the DM telling a Slack user
/// that a Zoom account was connected to them.
pub fn is_connected_dm(call: &sandbox::RecordedCall) -> bool {
    call.args["blocks"]
        .to_string()
        .contains("\"zoom-connected\"")
}

impl TestApp {
    /// Every `chat.postMessage` so far except the "Zoom account connected"
    /// DMs that connecting sends.
    pub fn posts(&self) -> Vec<sandbox::RecordedCall> {
        self.slack
            .calls_to("chat.postMessage")
            .into_iter()
            .filter(|c| !is_connected_dm(c))
            .collect()
    }
}

/// The URL of the button with `action_id` in a message.
pub fn button_url(message: &Value, action_id: &str) -> String {
    find_button(message, action_id)
        .and_then(|b| b["url"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("no {action_id} button in {message:#}"))
}

pub fn find_button<'a>(message: &'a Value, action_id: &str) -> Option<&'a Value> {
    fn walk<'a>(v: &'a Value, id: &str) -> Option<&'a Value> {
        match v {
            Value::Object(map) => {
                if map.get("action_id").and_then(Value::as_str) == Some(id) {
                    return Some(v);
                }
                map.values().find_map(|x| walk(x, id))
            }
            Value::Array(items) => items.iter().find_map(|x| walk(x, id)),
            _ => None,
        }
    }
    walk(message, action_id)
}
