//! The one outbound HTTP client every platform adapter shares.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Used when a 429 carries no usable `Retry-After`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The shared client. Its timeouts are short so a stuck platform cannot
/// hold a job or a request for long.
pub fn build() -> reqwest::Client {
    builder()
        .build()
        .expect("the HTTP client's settings are valid")
}

/// The shared client's settings, for a client that needs one more (such as
/// its own redirect policy).
pub fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(concat!("zlack/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .pool_idle_timeout(Duration::from_secs(60))
        // A burst of jobs opens as many connections as it runs requests at
        // once; only a few are worth keeping once it is over.
        .pool_max_idle_per_host(64)
}

/// `Retry-After` in seconds (the form Slack and Zoom use).
pub fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|secs| Duration::from_secs(secs.min(3600)))
        .unwrap_or(DEFAULT_RETRY_AFTER)
}
