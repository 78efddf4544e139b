//! A browser without a browser: follows redirects hop by hop through zlack
//! and the fakes, keeping the cookies zlack sets, so a test can walk a
//! whole OAuth chain (link → Sign in with Slack → zlack → Zoom → zlack)
//! and look at every hop.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use super::app::TestApp;

/// Cookies a browser holds: name and value, in the order set.
#[derive(Debug, Default, Clone)]
pub struct Jar(pub Vec<(String, String)>);

impl Jar {
    /// Takes in every `Set-Cookie` of `response`; an empty value or
    /// `Max-Age=0` removes the cookie.
    pub fn absorb(&mut self, response: &reqwest::Response) {
        for header in response.headers().get_all(SET_COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            let Some((name, value)) = text.split(';').next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() && !text.contains("Max-Age=0") {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    /// The `Cookie` header for a request, if any cookie is held.
    pub fn header(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| {
            self.0
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

/// Where a response redirects to.
pub fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A query parameter of `url`.
pub fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl TestApp {
    /// One GET as a browser holding `jar`; keeps what it sets.
    pub async fn hop(&self, url: &str, jar: &mut Jar) -> reqwest::Response {
        let mut request = self.browser().get(self.local(url));
        if let Some(cookies) = jar.header() {
            request = request.header(COOKIE, cookies);
        }
        let response = request.send().await.expect("GET");
        jar.absorb(&response);
        response
    }

    /// Opens `url` and follows every redirect until a page; returns it
    /// with the URLs visited on the way (without query strings).
    pub async fn follow(&self, url: &str, jar: &mut Jar) -> (reqwest::Response, Vec<String>) {
        let mut hops = Vec::new();
        let mut next = url.to_owned();
        for _ in 0..10 {
            hops.push(next.split('?').next().unwrap_or_default().to_owned());
            let response = self.hop(&next, jar).await;
            match location(&response) {
                Some(to) if response.status().is_redirection() => next = to,
                _ => return (response, hops),
            }
        }
        panic!("more than ten redirects: {hops:?}");
    }

    /// Opens `url` and follows redirects until one would go to a URL that
    /// starts with `prefix`; returns that redirect without following it.
    pub async fn follow_until(&self, url: &str, prefix: &str, jar: &mut Jar) -> reqwest::Response {
        let mut next = url.to_owned();
        for _ in 0..10 {
            let response = self.hop(&next, jar).await;
            match location(&response) {
                Some(to) if to.starts_with(prefix) => return response,
                Some(to) if response.status().is_redirection() => next = to,
                _ => panic!(
                    "{next} answered {} before reaching {prefix}",
                    response.status()
                ),
            }
        }
        panic!("more than ten redirects before {prefix}");
    }
}
