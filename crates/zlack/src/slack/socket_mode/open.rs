//! `apps.connections.open`: trades the app-level token for a one-time
//! WebSocket URL. Also the doctor's check of the token.

use std::time::Duration;

use rand::Rng;
use serde::Deserialize;
use url::Url;

use crate::config::Secret;
use crate::http_client;

/// Why no URL was handed out.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The token is wrong or of the wrong kind: retrying soon will not help.
    #[error(
        "{0}: Slack refused ZLACK_SLACK_APP_TOKEN; it must be an app-level token (xapp-…) with scope connections:write, from the app's Basic Information page"
    )]
    Refused(String),
    /// Slack asked us to slow down.
    #[error("apps.connections.open is rate limited; retrying after {0:?}")]
    RateLimited(Duration),
    /// Anything else: the network, a Slack outage, an unexpected answer.
    #[error("apps.connections.open failed: {0}")]
    Failed(String),
}

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Asks Slack for a WebSocket URL. The URL itself is a credential of
/// sorts: it is never logged.
pub async fn open(
    client: &reqwest::Client,
    api_url: &Url,
    token: &Secret,
) -> Result<Url, OpenError> {
    let endpoint = format!(
        "{}/apps.connections.open",
        api_url.as_str().trim_end_matches('/')
    );
    let response = client
        .post(endpoint)
        .bearer_auth(token.expose())
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .map_err(|e| OpenError::Failed(e.without_url().to_string()))?;
    if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(OpenError::RateLimited(http_client::retry_after(
            response.headers(),
        )));
    }
    let status = response.status();
    let answer: Answer = response
        .json()
        .await
        .map_err(|_| OpenError::Failed(format!("unreadable answer (HTTP {status})")))?;
    match (answer.ok, answer.url, answer.error) {
        (true, Some(url), _) => {
            Url::parse(&url).map_err(|_| OpenError::Failed("the answer's url is not a URL".into()))
        }
        (true, None, _) => Err(OpenError::Failed("the answer has no url".into())),
        (false, _, Some(error))
            if matches!(
                error.as_str(),
                "invalid_auth"
                    | "not_authed"
                    | "not_allowed_token_type"
                    | "token_revoked"
                    | "account_inactive"
                    | "missing_scope"
            ) =>
        {
            Err(OpenError::Refused(error))
        }
        (false, _, error) => Err(OpenError::Failed(
            error.unwrap_or_else(|| format!("HTTP {status}")),
        )),
    }
}

/// Delays between reconnection attempts: doubling from `base` up to
/// `cap`, each drawn from the upper half of its interval so replicas that
/// lost Slack together do not come back together.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    /// Starts at `base`, never above `cap`.
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            failures: 0,
        }
    }

    /// After a connection said `hello`: the next failure starts over.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// The wait before the next attempt; `floor` (a `Retry-After`) is
    /// never undercut.
    pub fn next(&mut self, floor: Option<Duration>) -> Duration {
        let doubled = self
            .base
            .checked_mul(1u32 << self.failures.min(16))
            .unwrap_or(self.cap)
            .min(self.cap);
        self.failures = self.failures.saturating_add(1);
        let half = doubled / 2;
        let jittered =
            half + Duration::from_millis(rand::thread_rng().gen_range(0..=half.as_millis() as u64));
        floor.map_or(jittered, |f| jittered.max(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_respects_the_floor() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(8));
        let delays: Vec<_> = (0..6).map(|_| backoff.next(None)).collect();
        for (i, delay) in delays.iter().enumerate() {
            let full = Duration::from_secs(1 << i.min(3));
            assert!(*delay >= full / 2 && *delay <= full, "{i}: {delay:?}");
        }
        assert!(backoff.next(Some(Duration::from_secs(60))) >= Duration::from_secs(60));
        backoff.reset();
        assert!(backoff.next(None) <= Duration::from_secs(1));
    }

    #[tokio::test]
    async fn open_sorts_slacks_answers() {
        let slack = sandbox::FakeSlack::start().await;
        slack.set_app_token("xapp-1-good");
        slack.add_workspace("T1", "xoxb-bot");
        let api = Url::parse(&slack.api_url()).unwrap();
        let open = |token: &'static str| try_open(&api, token);

        let url = open("xapp-1-good").await.expect("a URL");
        assert!(url.starts_with("ws://127.0.0.1:"), "{url}");
        let refused = |r: Result<String, OpenError>| match r {
            Err(OpenError::Refused(code)) => code,
            other => panic!("not refused: {other:?}"),
        };
        assert_eq!(refused(open("xapp-1-bad").await), "invalid_auth");
        assert_eq!(refused(open("xoxb-bot").await), "not_allowed_token_type");
        slack.fail_next(
            "apps.connections.open",
            sandbox::Fault::RateLimited {
                retry_after_secs: 7,
            },
            1,
        );
        match open("xapp-1-good").await {
            Err(OpenError::RateLimited(after)) => assert_eq!(after, Duration::from_secs(7)),
            other => panic!("not rate limited: {other:?}"),
        }
        slack.fail_next(
            "apps.connections.open",
            sandbox::Fault::ServerError { status: 503 },
            1,
        );
        assert!(matches!(
            open("xapp-1-good").await,
            Err(OpenError::Failed(_))
        ));
    }

    async fn try_open(api: &Url, token: &str) -> Result<String, OpenError> {
        let client = reqwest::Client::new();
        open(&client, api, &Secret::new(token))
            .await
            .map(String::from)
    }
}
