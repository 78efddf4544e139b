//! How many connections, requests and body bytes the server takes on at
//! once, and how long a client may take.

use std::time::Duration;

use crate::config::Config;

/// The most connections served at once, whatever the open-file limit.
/// Slack and Zoom need a handful; a reverse proxy a few hundred.
pub const MAX_CONNECTIONS: usize = 1024;

/// The most requests handled at once.
pub const MAX_IN_FLIGHT: usize = 256;

/// How long a request waits for a place in flight before it gets 503.
pub const IN_FLIGHT_WAIT: Duration = Duration::from_secs(1);

/// The most bytes of request bodies held while they are being read.
pub const BODY_BUDGET: usize = 32 * 1024 * 1024;

/// The largest read buffer of a connection: request headers must fit.
pub const READ_BUFFER: usize = 32 * 1024;

/// The server's limits; [`Limits::from_config`] gives the ones `serve` uses.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Requests handled at once.
    pub max_in_flight: usize,
    /// From a connection's start, or its previous answer, to complete
    /// request headers; also how long an idle keep-alive connection stays.
    pub header_timeout: Duration,
    /// From a request's headers to the end of its body.
    pub body_timeout: Duration,
    /// Bytes of request bodies held while they are being read.
    pub body_budget: usize,
}

impl Limits {
    /// The configured timeouts, and a connection cap below this process's
    /// open-file limit.
    pub fn from_config(config: &Config) -> Self {
        let max_connections = connections_for(open_file_limit());
        Self {
            max_connections,
            max_in_flight: MAX_IN_FLIGHT.min(max_connections),
            header_timeout: config.http_timeouts.header,
            body_timeout: config.http_timeouts.body,
            body_budget: BODY_BUDGET,
        }
    }
}

/// What the server loop needs besides its router.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Connection, request and body limits.
    pub limits: Limits,
    /// Send `Strict-Transport-Security` with every answer: the public URL
    /// is HTTPS.
    pub hsts: bool,
}

impl Settings {
    /// The settings `zlack serve` runs with.
    pub fn from_config(config: &Config) -> Self {
        Self {
            limits: Limits::from_config(config),
            hsts: config.public_url.scheme() == "https",
        }
    }
}

/// The soft limit on open files, when there is one.
fn open_file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

/// Connections to allow under an open-file limit of `fds`: a quarter of
/// the limit (at least 64) stays for the database, outbound requests and
/// the process itself.
fn connections_for(fds: Option<u64>) -> usize {
    let Some(fds) = fds else {
        return MAX_CONNECTIONS;
    };
    let reserve = (fds / 4).max(64);
    let room = usize::try_from(fds.saturating_sub(reserve)).unwrap_or(MAX_CONNECTIONS);
    room.clamp(8, MAX_CONNECTIONS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_stay_below_the_open_file_limit() {
        assert_eq!(connections_for(Some(256)), 192);
        assert_eq!(connections_for(Some(1024)), 768);
        assert_eq!(connections_for(Some(100)), 36);
        assert_eq!(connections_for(Some(20)), 8);
        assert_eq!(connections_for(Some(1 << 20)), MAX_CONNECTIONS);
        assert_eq!(connections_for(None), MAX_CONNECTIONS);
    }
}
