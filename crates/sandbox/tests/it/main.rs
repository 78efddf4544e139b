//! Tests of the sandbox itself: signatures, the fake Slack, the fake Zoom.

mod signing;
mod slack;
mod zoom;

use std::time::Duration;

/// Generous bound for waits that normally finish in milliseconds.
pub const WAIT: Duration = Duration::from_secs(5);

/// A client that does not follow redirects, so tests can read `Location`.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("build a reqwest client")
}

/// The query parameters of a URL.
pub fn query_of(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    serde_urlencoded::from_str(query).expect("query string parses")
}

/// One query parameter of a URL.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    query_of(url)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}
