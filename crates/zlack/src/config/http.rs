//! `ZLACK_HTTP_HEADER_TIMEOUT_MS` and `ZLACK_HTTP_BODY_TIMEOUT_MS`: how long
//! a client may take to send a request. The defaults suit Slack and Zoom,
//! which send a whole request in milliseconds; tests shorten them so that
//! a slow client's connection is seen closed without a long wait.

use std::time::Duration;

use super::{ConfigError, Sources, parse_with};

/// How long a client may take over each part of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpTimeouts {
    /// `ZLACK_HTTP_HEADER_TIMEOUT_MS`: from the end of the previous request
    /// (or the connection's start) to a complete set of request headers;
    /// an idle keep-alive connection is closed after the same time.
    pub header: Duration,
    /// `ZLACK_HTTP_BODY_TIMEOUT_MS`: from the request's headers to the end
    /// of its body.
    pub body: Duration,
}

impl HttpTimeouts {
    pub(super) fn parse(src: &Sources) -> Result<Self, ConfigError> {
        let ms = |key, default| {
            parse_with(src, key, default, |v| match v.parse::<u64>() {
                Ok(n) if (100..=300_000).contains(&n) => Ok(Duration::from_millis(n)),
                _ => Err("must be milliseconds from 100 to 300000".into()),
            })
        };
        Ok(Self {
            header: ms("ZLACK_HTTP_HEADER_TIMEOUT_MS", "10000")?,
            body: ms("ZLACK_HTTP_BODY_TIMEOUT_MS", "10000")?,
        })
    }
}
