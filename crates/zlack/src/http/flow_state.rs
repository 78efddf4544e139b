//! Stateless OAuth `state` for every browser flow zlack starts: the Slack
//! install, Sign in with Slack and the Zoom authorization. Nothing is
//! stored. What the flow must remember (the PKCE verifier, the nonce, the
//! link it serves) is sealed by the vault into a short-lived cookie, beside
//! a random `state` that goes to the platform and must come back matching.
//! So starting a flow, which anyone may do, writes nothing to the
//! database, and a callback is accepted only in the browser that started
//! the flow, before its deadline.
//!
//! One-time use comes from the platforms and from the links themselves:
//! Slack and Zoom redeem an authorization code once, the cookie is cleared
//! when the flow ends, and what completes a connection (a prompt's link,
//! the organization link) is a one-time grant taken in the same step that
//! links.

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use subtle::ConstantTimeEq as _;
use url::Url;

use super::cookies;
use crate::clock::Millis;
use crate::vault::Vault;

/// One kind of browser flow: the cookie that carries its sealed state.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    /// The cookie's name; also names the sealing context, so one flow's
    /// cookie never opens as another's.
    pub cookie: &'static str,
    /// Sent only to the flow's callback (under the public URL's path).
    pub path: &'static str,
    /// How long the flow may take from start to callback.
    pub ttl_ms: Millis,
}

const TEN_MINUTES: Millis = 10 * 60 * 1000;

/// Adding zlack to a Slack workspace (OAuth v2).
pub const SLACK_INSTALL: Flow = Flow {
    cookie: "zlack_slack_state",
    path: "/slack/oauth",
    ttl_ms: TEN_MINUTES,
};

/// Sign in with Slack before a link may connect Zoom.
pub const SIGN_IN: Flow = Flow {
    cookie: "zlack_signin_state",
    path: "/slack/openid",
    ttl_ms: TEN_MINUTES,
};

/// Authorizing Zoom, after Sign in with Slack.
pub const ZOOM: Flow = Flow {
    cookie: "zlack_zoom_state",
    path: "/zoom/oauth",
    ttl_ms: TEN_MINUTES,
};

/// Allowing status sync: Slack's OAuth for the user scope
/// `users.profile:write` alone.
pub const STATUS: Flow = Flow {
    cookie: "zlack_status_state",
    path: "/slack/status",
    ttl_ms: TEN_MINUTES,
};

/// Confirming, as a Slack workspace admin, that an organization's
/// workspace switches to another Zoom account: from the page the Zoom
/// callback shows to the form's post.
pub const ORG_SWITCH: Flow = Flow {
    cookie: "zlack_org_switch",
    path: "/zoom/oauth/switch",
    ttl_ms: TEN_MINUTES,
};

/// Why a callback's `state` was refused. Users all see the same page;
/// logs and tests tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateRefusal {
    /// The callback carries no `state`.
    Missing,
    /// The browser has no cookie for this flow (another browser, or the
    /// flow already ended).
    NoCookie,
    /// The cookie did not open: forged, altered, another key or another
    /// flow's.
    Unreadable,
    /// The flow's deadline passed.
    Expired,
    /// The `state` is not the one this browser's flow sent.
    Mismatch,
}

/// A started flow: the `state` for the platform and the cookie to set.
pub struct Started {
    /// Random; sent to the platform, which sends it back.
    pub state: String,
    /// The `Set-Cookie` value binding the flow to this browser.
    pub set_cookie: String,
}

impl Flow {
    fn context(&self) -> String {
        format!("oauth-state:{}", self.cookie)
    }

    /// The cookie's path as browsers see it: under the public URL's path,
    /// which a reverse proxy may add (`https://example.com/zlack`).
    fn cookie_path(&self, public_url: &Url) -> String {
        format!("{}{}", public_url.path().trim_end_matches('/'), self.path)
    }

    /// Starts a flow carrying `data`. The cookie is `Secure` when the
    /// public URL is HTTPS.
    pub fn begin(&self, vault: &Vault, public_url: &Url, now: Millis, data: Value) -> Started {
        let state = crate::vault::random_token();
        let sealed = json!({ "state": state, "exp": now + self.ttl_ms, "data": data });
        let plain = serde_json::to_vec(&sealed).expect("JSON values serialise");
        let value = URL_SAFE_NO_PAD.encode(vault.seal(&plain, &self.context()));
        let set_cookie = cookies::set(
            self.cookie,
            &value,
            &self.cookie_path(public_url),
            self.ttl_ms / 1000,
            public_url.scheme() == "https",
        );
        Started { state, set_cookie }
    }

    /// The flow's data, if this browser started it, `state` matches and
    /// the deadline has not passed.
    pub fn finish(
        &self,
        vault: &Vault,
        headers: &HeaderMap,
        state: Option<&str>,
        now: Millis,
    ) -> Result<Value, StateRefusal> {
        let state = state
            .filter(|s| !s.is_empty())
            .ok_or(StateRefusal::Missing)?;
        let cookie = cookies::read(headers, self.cookie)
            .filter(|c| !c.is_empty())
            .ok_or(StateRefusal::NoCookie)?;
        let sealed = URL_SAFE_NO_PAD
            .decode(cookie.as_bytes())
            .map_err(|_| StateRefusal::Unreadable)?;
        let plain = vault
            .open(&sealed, &self.context())
            .map_err(|_| StateRefusal::Unreadable)?;
        let mut opened: Value =
            serde_json::from_slice(&plain).map_err(|_| StateRefusal::Unreadable)?;
        let expected = opened["state"].as_str().unwrap_or_default();
        if !bool::from(expected.as_bytes().ct_eq(state.as_bytes())) {
            return Err(StateRefusal::Mismatch);
        }
        if opened["exp"].as_i64().is_none_or(|exp| exp <= now) {
            return Err(StateRefusal::Expired);
        }
        Ok(opened["data"].take())
    }

    /// The `Set-Cookie` value that ends the flow in this browser.
    pub fn clear(&self, public_url: &Url) -> String {
        cookies::clear(self.cookie, &self.cookie_path(public_url))
    }
}

/// A redirect to `location` that sets each of `set_cookies`.
pub fn redirect(location: &str, set_cookies: &[String]) -> Response {
    let mut response = (StatusCode::FOUND, [(LOCATION, location.to_owned())]).into_response();
    for cookie in set_cookies {
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Adds a `Set-Cookie` that ends `flow` in this browser.
pub fn clear_on(mut response: Response, flow: &Flow, public_url: &Url) -> Response {
    if let Ok(value) = flow.clear(public_url).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::http::header::COOKIE;

    use super::*;
    use crate::config::EncryptionKey;

    fn vault(byte: u8) -> Vault {
        Vault::new(&EncryptionKey([byte; 32]))
    }

    fn public(url: &str) -> Url {
        Url::parse(url).unwrap()
    }

    /// The request headers of a browser holding the cookie `set_cookie`.
    fn browser(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, pair.parse().unwrap());
        headers
    }

    #[test]
    fn the_starting_browser_gets_its_data_back_once_state_matches() {
        let v = vault(1);
        // Spaces and commas never occur in the cookie's base64, so finding
        // this text there would mean it went out unsealed.
        let secret = "kept, sealed and away";
        let started = SIGN_IN.begin(&v, &public("https://z.test"), 1_000, json!({"ref": secret}));
        assert!(started.set_cookie.contains("HttpOnly"));
        assert!(started.set_cookie.contains("Secure"));
        assert!(started.set_cookie.contains("SameSite=Lax"));
        assert!(started.set_cookie.contains("Path=/slack/openid"));
        assert!(!started.set_cookie.contains(secret), "the data is sealed");
        let headers = browser(&started.set_cookie);
        let data = SIGN_IN.finish(&v, &headers, Some(&started.state), 2_000);
        assert_eq!(data, Ok(json!({"ref": secret})));
    }

    #[test]
    fn missing_foreign_forged_expired_and_mismatched_states_are_refused() {
        let v = vault(1);
        let started = ZOOM.begin(&v, &public("http://localhost:8080"), 0, json!({}));
        assert!(!started.set_cookie.contains("Secure"));
        let headers = browser(&started.set_cookie);
        let state = Some(started.state.as_str());
        assert_eq!(
            ZOOM.finish(&v, &headers, None, 1),
            Err(StateRefusal::Missing)
        );
        assert_eq!(
            ZOOM.finish(&v, &HeaderMap::new(), state, 1),
            Err(StateRefusal::NoCookie)
        );
        assert_eq!(
            ZOOM.finish(&v, &headers, Some("another"), 1),
            Err(StateRefusal::Mismatch)
        );
        assert_eq!(
            ZOOM.finish(&v, &headers, state, ZOOM.ttl_ms),
            Err(StateRefusal::Expired)
        );
        assert_eq!(
            ZOOM.finish(&vault(2), &headers, state, 1),
            Err(StateRefusal::Unreadable),
            "another server key"
        );
        let forged = browser("zlack_zoom_state=bm90IHNlYWxlZA");
        assert_eq!(
            ZOOM.finish(&v, &forged, state, 1),
            Err(StateRefusal::Unreadable)
        );
    }

    #[test]
    fn behind_a_path_prefix_the_cookie_goes_to_the_prefixed_callback() {
        let prefixed = public("https://example.com/tools/zlack/");
        let started = ZOOM.begin(&vault(1), &prefixed, 0, json!({}));
        let path = "Path=/tools/zlack/zoom/oauth;";
        assert!(started.set_cookie.contains(path), "{}", started.set_cookie);
        assert!(ZOOM.clear(&prefixed).contains(path));
        let plain = SLACK_INSTALL.begin(&vault(1), &public("https://z.test"), 0, json!({}));
        assert!(plain.set_cookie.contains("Path=/slack/oauth;"));
    }

    #[test]
    fn one_flows_cookie_does_not_open_as_anothers() {
        let v = vault(1);
        let started = SIGN_IN.begin(&v, &public("http://localhost:8080"), 0, json!({}));
        let value = started.set_cookie.split(';').next().unwrap();
        let renamed = value.replacen(SIGN_IN.cookie, ZOOM.cookie, 1);
        assert_eq!(
            ZOOM.finish(&v, &browser(&renamed), Some(&started.state), 1),
            Err(StateRefusal::Unreadable)
        );
    }
}
