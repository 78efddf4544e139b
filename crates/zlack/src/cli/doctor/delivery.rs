//! How Slack reaches zlack: over Socket Mode when an app-level token is
//! set (checked with `apps.connections.open`, without connecting), else
//! at the request URLs.

use super::Report;
use crate::config::Config;
use crate::slack::socket_mode::{OpenError, open};

pub(super) async fn check_slack_delivery(config: &Config, http: &reqwest::Client) -> Report {
    let mut report = Report::default();
    let Some(token) = &config.slack.app_token else {
        report.ok(&format!(
            "Slack: request URLs ({}, /slack/events, /slack/interactions)",
            config.public("/slack/commands")
        ));
        return report;
    };
    // The one-time URL is dropped unused: Slack forgets it after a while.
    match open(http, &config.slack.api_url, token).await {
        Ok(_) => report.ok("Slack: Socket Mode (Slack accepts the app-level token)"),
        Err(OpenError::Refused(code)) => report.fail(
            &format!("Slack: Socket Mode, but Slack refused ZLACK_SLACK_APP_TOKEN ({code})"),
            "create an app-level token with scope connections:write under Basic Information, App-Level Tokens, and turn Socket Mode on",
        ),
        Err(OpenError::RateLimited(after)) => report.note(&format!(
            "Slack: Socket Mode; apps.connections.open is rate limited for {} s, so the token was not checked",
            after.as_secs()
        )),
        Err(error @ OpenError::Failed(_)) => report.fail(
            &format!("Slack: Socket Mode, but {error}"),
            "check that this machine reaches ZLACK_SLACK_API_URL",
        ),
    }
    report
}
