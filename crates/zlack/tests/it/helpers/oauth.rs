//! One OAuth flow taken apart: start it, keep the cookie and `state` it
//! hands the browser, and call back with any of them left out or changed,
//! so a test can check that zlack refuses each kind of tampering.

use reqwest::StatusCode;
use reqwest::header::COOKIE;

use super::app::TestApp;
use super::browse::{self, Jar, location};

/// A flow stopped where zlack sends the browser to the provider.
#[derive(Debug, Clone)]
pub struct Started {
    /// What zlack answered the last request with (a redirect).
    pub status: StatusCode,
    /// The provider's authorize URL.
    pub location: String,
    /// The `Cookie` header of the browser by then; empty if none.
    pub cookie: String,
    /// The `state` parameter of `location`.
    pub state: String,
}

impl Started {
    fn read(response: &reqwest::Response, jar: &Jar) -> Self {
        let location = location(response)
            .unwrap_or_else(|| panic!("a redirect expected, got {}", response.status()));
        let state = browse::param(&location, "state").unwrap_or_default();
        Self {
            status: response.status(),
            location,
            cookie: jar.header().unwrap_or_default(),
            state,
        }
    }

    /// A query parameter of the authorize URL; panics if it is missing.
    pub fn param(&self, name: &str) -> String {
        browse::param(&self.location, name)
            .unwrap_or_else(|| panic!("no {name} in {}", self.location))
    }
}

impl TestApp {
    /// Opens `path` on zlack in a fresh browser, which redirects to a
    /// provider.
    pub async fn oauth_start(&self, path: &str) -> Started {
        let mut jar = Jar::default();
        let response = self
            .hop(&format!("{}{path}", self.base_url), &mut jar)
            .await;
        Started::read(&response, &jar)
    }

    /// Follows `link` in a fresh browser until zlack would send it to a URL
    /// that starts with `prefix`.
    pub async fn oauth_start_at(&self, link: &str, prefix: &str) -> Started {
        let mut jar = Jar::default();
        let response = self.follow_until(link, prefix, &mut jar).await;
        Started::read(&response, &jar)
    }

    /// GETs zlack's callback `path` with `query`, as a browser holding
    /// `cookie` (or none).
    pub async fn oauth_callback(
        &self,
        path: &str,
        query: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let query = serde_urlencoded::to_string(query).unwrap();
        let mut request = self
            .browser()
            .get(format!("{}{path}?{query}", self.base_url));
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    /// The status zlack answers the provider's redirect back to `path`
    /// with `code` and `state`, from a browser holding `cookie` (or none).
    pub async fn oauth_code_status(
        &self,
        path: &str,
        code: &str,
        state: &str,
        cookie: Option<&str>,
    ) -> u16 {
        let query = [("code", code), ("state", state)];
        self.oauth_callback(path, &query, cookie)
            .await
            .status()
            .as_u16()
    }

    /// Lets the provider approve `started` and follows its redirect back to
    /// zlack with the flow's cookie; returns zlack's answer.
    pub async fn oauth_finish(&self, started: &Started) -> reqwest::Response {
        let browser = self.browser();
        let at_provider = browser.get(&started.location).send().await.unwrap();
        assert_eq!(
            at_provider.status(),
            302,
            "the provider sends the browser back"
        );
        let back = location(&at_provider).expect("a redirect back to zlack");
        let mut request = browser.get(self.local(&back));
        if !started.cookie.is_empty() {
            request = request.header(COOKIE, &started.cookie);
        }
        request.send().await.unwrap()
    }
}
