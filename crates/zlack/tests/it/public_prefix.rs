//! zlack behind a reverse proxy that serves it below a path prefix
//! (`https://zlack.test/zlack`) and strips the prefix before passing a
//! request on: every URL a browser sees carries the prefix, and so does
//! every cookie path, or the browser would not send the cookie back.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use sandbox::OAuthGrant;
use zlack::store::{TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::{TEAM, set};

const PUBLIC: &str = "https://zlack.test/zlack";

async fn spawn() -> TestApp {
    TestApp::spawn_with(|s| set(s, "ZLACK_PUBLIC_URL", format!("{PUBLIC}/"))).await
}

/// A browser that keeps each cookie with its `Path` and sends it only to
/// URLs below that path, as browsers do.
#[derive(Default)]
struct Browser {
    /// (name, value, path)
    cookies: Vec<(String, String, String)>,
    /// Every `Set-Cookie` zlack sent.
    set_cookies: Vec<String>,
}

impl Browser {
    /// GETs `url` as the browser sees it; requests for the public URL go
    /// through the "proxy", which strips the prefix.
    async fn get(&mut self, app: &TestApp, url: &str) -> reqwest::Response {
        let parsed = url::Url::parse(url).unwrap();
        let Some(rest) = url.strip_prefix(PUBLIC) else {
            assert!(
                !url.starts_with("https://zlack.test"),
                "{url} is outside the prefix"
            );
            return app.browser().get(url).send().await.unwrap();
        };
        let mut request = app.browser().get(format!("{}{rest}", app.base_url));
        let path = parsed.path();
        let sent: Vec<String> = self
            .cookies
            .iter()
            .filter(|(_, _, p)| {
                path == p || path.starts_with(&format!("{}/", p.trim_end_matches('/')))
            })
            .map(|(n, v, _)| format!("{n}={v}"))
            .collect();
        if !sent.is_empty() {
            request = request.header(COOKIE, sent.join("; "));
        }
        let response = request.send().await.unwrap();
        for header in response.headers().get_all(SET_COOKIE) {
            let text = header.to_str().unwrap().to_owned();
            let (name, value) = text.split(';').next().unwrap().split_once('=').unwrap();
            let cookie_path = text
                .split("; ")
                .find_map(|a| a.strip_prefix("Path="))
                .unwrap_or("/")
                .to_owned();
            self.cookies
                .retain(|(n, _, p)| !(n == name && *p == cookie_path));
            if !value.is_empty() && !text.contains("Max-Age=0") {
                self.cookies
                    .push((name.to_owned(), value.to_owned(), cookie_path));
            }
            self.set_cookies.push(text);
        }
        response
    }

    /// Opens `url` and follows redirects until a page.
    async fn follow(&mut self, app: &TestApp, url: &str) -> reqwest::Response {
        let mut next = url.to_owned();
        for _ in 0..10 {
            let response = self.get(app, &next).await;
            match response.headers().get(LOCATION) {
                Some(to) if response.status().is_redirection() => {
                    next = to.to_str().unwrap().to_owned();
                }
                _ => return response,
            }
        }
        panic!("more than ten redirects");
    }
}

#[tokio::test]
async fn an_install_behind_a_path_prefix_sets_its_cookie_on_the_prefixed_path_and_completes() {
    let app = spawn().await;
    app.slack
        .issue_oauth_code("code-1", OAuthGrant::new(TEAM, "xoxb-installed", "U0ADMIN"));
    let mut browser = Browser::default();
    let page = browser
        .follow(&app, &format!("{PUBLIC}/slack/install"))
        .await;
    assert_eq!(page.status(), 200, "{:?}", browser.set_cookies);
    assert!(
        browser.set_cookies[0].contains("Path=/zlack/slack/oauth;"),
        "{:?}",
        browser.set_cookies
    );
    let authorize = &app.slack.calls_to("oauth.v2.authorize")[0];
    assert_eq!(
        authorize.args["redirect_uri"],
        format!("{PUBLIC}/slack/oauth/callback")
    );
    let token = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap();
    assert!(token.is_some());
    app.stop().await;
}

#[tokio::test]
async fn the_landing_page_links_below_the_prefix() {
    let app = spawn().await;
    let mut browser = Browser::default();
    let page = browser.follow(&app, &format!("{PUBLIC}/")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/zlack/slack/install\""), "{html}");
    assert!(html.contains("href=\"/zlack/privacy\""), "{html}");
    assert!(!html.contains("href=\"/slack"), "{html}");
    assert!(!html.contains("href=\"/privacy"), "{html}");
    app.stop().await;
}
