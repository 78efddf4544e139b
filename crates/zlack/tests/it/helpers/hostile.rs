//! Clients that misbehave on purpose, over plain TCP on loopback: requests
//! that stop halfway, bodies that stall, and a real `zlack serve` to send
//! them to.

use std::time::Duration;

use sandbox::{FakeSlack, FakeZoom, Signer, slash_command_fields};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::app::{BOT_TOKEN, SLACK_SIGNING_SECRET, TEAM, ZOOM_WEBHOOK_SECRET, settings};
use super::db::TestDb;
use super::process::Server;

/// A database, the fakes and the settings for a `zlack serve`.
pub struct Setup {
    pub _db: TestDb,
    pub _slack: FakeSlack,
    pub _zoom: FakeZoom,
    pub envs: Vec<(String, String)>,
    pub dir: tempfile::TempDir,
}

/// The usual settings with `extra` added or replaced.
pub async fn setup(extra: &[(&str, &str)]) -> Setup {
    let db = TestDb::new().await;
    db.store().await;
    let slack = FakeSlack::start().await;
    let zoom = FakeZoom::start().await;
    slack.add_workspace(TEAM, BOT_TOKEN);
    let mut envs = settings(&db, &slack, &zoom);
    for (key, value) in extra {
        envs.retain(|(k, _)| k != key);
        envs.push(((*key).to_owned(), (*value).to_owned()));
    }
    Setup {
        _db: db,
        _slack: slack,
        _zoom: zoom,
        envs,
        dir: tempfile::tempdir().unwrap(),
    }
}

/// `host:port` of a server.
pub fn addr(server: &Server) -> String {
    server.base_url.trim_start_matches("http://").to_owned()
}

/// A signer for `server`.
pub fn signer(server: &Server) -> Signer {
    Signer::new(&server.base_url, SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET)
}

/// Sends a signed `/zoom` and returns its status.
pub async fn signed_command(server: &Server) -> u16 {
    let fields = slash_command_fields(
        TEAM,
        "C0PUBLIC",
        "U0ALICE",
        "",
        "https://hooks.slack.test/commands/1",
    );
    signer(server)
        .slack_command(&fields)
        .await
        .status()
        .as_u16()
}

/// Opens a connection and sends `bytes`, then nothing more.
pub async fn half_sent(addr: &str, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("send");
    stream
}

/// Reads until the server closes the connection (or resets it), and
/// returns what it sent; `None` if it is still open after `within`.
pub async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| got)
}

/// A POST to `/slack/commands` that declares a 1 MiB body, sends
/// `sent` bytes of it and stalls; `signature` adds Slack's headers with
/// the current time and a well-formed signature that is not the right one.
pub async fn stalled_body(addr: &str, sent: usize, signature: bool) -> TcpStream {
    let mut head = String::from(
        "POST /slack/commands HTTP/1.1\r\nHost: zlack\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048576\r\n",
    );
    if signature {
        head.push_str(&format!(
            "X-Slack-Request-Timestamp: {}\r\nX-Slack-Signature: v0={}\r\n",
            sandbox::unix_now(),
            "0".repeat(64)
        ));
    }
    head.push_str("\r\n");
    let mut stream = half_sent(addr, head.as_bytes()).await;
    let body = vec![b'a'; sent];
    // A server that refused without reading lets the write fail or block.
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.write_all(&body)).await;
    stream
}

/// Polls `/healthz` on a new connection; its status and how long it took.
pub async fn health(server: &Server) -> (u16, Duration) {
    let started = std::time::Instant::now();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let status = client
        .get(format!("{}/healthz", server.base_url))
        .send()
        .await
        .expect("healthz answers")
        .status()
        .as_u16();
    (status, started.elapsed())
}

/// The value of the metric line starting with `series`, or 0.
pub fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

/// The metrics page of `server`.
pub async fn metrics(server: &Server) -> String {
    reqwest::get(format!("{}/metrics", server.base_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
