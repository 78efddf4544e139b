//! Reachability of the public URL, and this machine's clock against the
//! `Date` headers of Slack and Zoom.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::DATE;

use super::{REQUEST_TIMEOUT, Report};
use crate::config::{Config, mask_url_password};

/// Skew above which a note says to synchronize the clock.
const SKEW_NOTE_SECS: i64 = 5;
/// Skew above which the check fails: well inside the five minutes after
/// which signed requests from Slack and webhooks from Zoom are refused.
const SKEW_FAIL_SECS: i64 = 60;

/// The HTTP client of every doctor check: zlack's, with short timeouts.
pub(super) fn client() -> reqwest::Client {
    crate::http_client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("the doctor's HTTP client settings are valid")
}

/// Why a request got no answer, without its URL: the innermost cause,
/// such as "Connection refused (os error 111)".
pub(super) fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return format!("no answer within {} s", REQUEST_TIMEOUT.as_secs());
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if std::ptr::addr_eq(cause, error) {
        "the request failed".to_owned()
    } else {
        cause.to_string()
    }
}

/// `GET {ZLACK_PUBLIC_URL}/healthz` answers zlack's `ok`.
pub(super) async fn check_public_url(config: &Config, http: &reqwest::Client) -> Report {
    let mut report = Report::default();
    let public = mask_url_password(config.public_url.as_str());
    let public = public.trim_end_matches('/');
    let url = config.public("healthz");
    match http.get(&url).send().await {
        Err(error) => report.fail(
            &format!(
                "ZLACK_PUBLIC_URL {public} is not reachable from this machine ({})",
                describe(&error)
            ),
            "start `zlack serve`, or check that ZLACK_PUBLIC_URL points at it",
        ),
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            if status.is_success() && body.trim() == "ok" {
                report.ok(&format!(
                    "ZLACK_PUBLIC_URL {public} answers as zlack from this machine"
                ));
            } else {
                report.fail(
                    &format!(
                        "{public}/healthz answered HTTP {} but not as zlack",
                        status.as_u16()
                    ),
                    "check that ZLACK_PUBLIC_URL, and any proxy in front, leads to `zlack serve`",
                );
            }
        }
    }
    let local = matches!(
        config.public_url.host_str(),
        Some("localhost" | "127.0.0.1" | "[::1]")
    );
    if config.public_url.scheme() != "https" && !local {
        report
            .note("ZLACK_PUBLIC_URL is not https: Slack and Zoom send requests only to https URLs");
    }
    report
}

/// This machine's clock against the `Date` headers of the Slack Web API
/// and the Zoom REST API (the configured bases; neither request needs
/// credentials).
pub(super) async fn check_clock(config: &Config, http: &reqwest::Client) -> Report {
    let slack_base = config.slack.api_url.as_str().trim_end_matches('/');
    let zoom_base = config.zoom.api_url.as_str().trim_end_matches('/');
    let (slack, zoom) = tokio::join!(
        skew(http.post(format!("{slack_base}/api.test"))),
        skew(http.get(format!("{zoom_base}/users/me"))),
    );
    let mut report = Report::default();
    for (platform, key, base, result) in [
        ("Slack", "ZLACK_SLACK_API_URL", slack_base, slack),
        ("Zoom", "ZLACK_ZOOM_API_URL", zoom_base, zoom),
    ] {
        judge_skew(&mut report, platform, key, base, result);
    }
    report
}

fn judge_skew(
    report: &mut Report,
    platform: &str,
    key: &str,
    base: &str,
    result: Result<Option<i64>, String>,
) {
    let base = mask_url_password(base);
    let skew = match result {
        Err(why) => {
            report.fail(
                &format!(
                    "{platform} at {base} is not reachable from this machine ({why}), \
                     so the clock was not compared"
                ),
                &format!(
                    "check this machine's network, DNS and proxy towards {platform}, and {key}"
                ),
            );
            return;
        }
        Ok(None) => {
            report.note(&format!(
                "{platform} sent no readable Date header: the clock was not compared"
            ));
            return;
        }
        Ok(Some(skew)) => skew,
    };
    let apart = skew.unsigned_abs();
    let direction = if skew > 0 { "ahead of" } else { "behind" };
    if apart > SKEW_FAIL_SECS.unsigned_abs() {
        report.fail(
            &format!("this machine's clock is {apart} s {direction} {platform}'s"),
            "synchronize it with NTP (e.g. `timedatectl set-ntp true`): requests from Slack \
             and webhooks from Zoom signed more than 5 minutes away from this clock are refused",
        );
    } else if apart > SKEW_NOTE_SECS.unsigned_abs() {
        report.note(&format!(
            "this machine's clock is {apart} s {direction} {platform}'s: keep it synchronized \
             with NTP, since signed requests more than 5 minutes off are refused"
        ));
    } else {
        report.ok(&format!(
            "this machine's clock agrees with {platform}'s (within {SKEW_NOTE_SECS} s)"
        ));
    }
}

/// Seconds this machine's clock is ahead of the server's `Date` (negative:
/// behind); `None` when the answer has no readable `Date`.
async fn skew(request: reqwest::RequestBuilder) -> Result<Option<i64>, String> {
    let sent = SystemTime::now();
    let response = request.send().await.map_err(|e| describe(&e))?;
    let received = SystemTime::now();
    let Some(date) = response
        .headers()
        .get(DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
    else {
        return Ok(None);
    };
    // The server stamped its Date somewhere between sending and receiving;
    // its clock reads whole seconds, so its mean reading is half a second on.
    let took = received.duration_since(sent).unwrap_or_default();
    let local = unix_secs_f64(sent) + took.as_secs_f64() / 2.0;
    let remote = date as f64 + 0.5;
    Ok(Some((local - remote).round() as i64))
}

fn unix_secs_f64(at: SystemTime) -> f64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(since) => since.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// Unix seconds of an HTTP date such as `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_http_date(text: &str) -> Option<i64> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    PARSER
        .parse_timestamp(text.trim())
        .ok()
        .map(|t| t.as_second())
}

#[cfg(test)]
mod tests {
    use super::{Report, judge_skew, parse_http_date};

    #[test]
    fn reads_http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn skew_is_ok_then_a_note_then_a_failure() {
        for (skew, start, failures) in [
            (0, "ok    ", 0),
            (-5, "ok    ", 0),
            (6, "note  ", 0),
            (-60, "note  ", 0),
            (61, "FAIL  ", 1),
            (-3600, "FAIL  ", 1),
        ] {
            let mut report = Report::default();
            judge_skew(&mut report, "Slack", "K", "http://x", Ok(Some(skew)));
            assert!(
                report.lines[0].starts_with(start),
                "{skew}: {:?}",
                report.lines
            );
            assert_eq!(report.failures, failures, "{skew}");
        }
        let mut report = Report::default();
        judge_skew(
            &mut report,
            "Zoom",
            "ZLACK_ZOOM_API_URL",
            "http://x",
            Ok(Some(-90)),
        );
        assert!(
            report.lines[0].contains("90 s behind Zoom's"),
            "{:?}",
            report.lines
        );
    }
}
