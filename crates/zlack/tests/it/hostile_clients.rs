//! A real `zlack serve` under clients that hold connections open: more
//! half-sent requests than it has file descriptors, and request bodies
//! that stall. Health and a signed `/zoom` still answer (within generous
//! deadlines: nothing here measures speed), the stalled connections are
//! closed, and memory comes back.

use std::time::Duration;

use sandbox::slash_command_fields;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::app::{SLACK_SIGNING_SECRET, TEAM};
use crate::helpers::hostile::{
    addr, closed_within, half_sent, health, metric, metrics, setup, signed_command, stalled_body,
};
use crate::helpers::process::{Server, eventually};

/// Long enough for a loaded two-core machine; the point is "answers at all".
const DEADLINE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn half_sent_requests_beyond_the_file_limit_leave_health_and_commands_answering() {
    let s = setup(&[("ZLACK_HTTP_HEADER_TIMEOUT_MS", "3000")]).await;
    // 256 files: the server takes at most 192 connections.
    let server = Server::start_limited(s.dir.path(), &s.envs, &["--no-worker"], Some(256)).await;
    let addr = addr(&server);
    let files_before = server.open_files();

    let mut slow = Vec::new();
    for i in 0..400 {
        let head = format!("POST /slack/commands HTTP/1.1\r\nHost: zlack\r\nX-Slow-{i}: ");
        slow.push(half_sent(&addr, head.as_bytes()).await);
    }
    let (status, took) = tokio::time::timeout(DEADLINE, health(&server))
        .await
        .expect("/healthz answers during the flood");
    assert_eq!(status, 200);
    let command = tokio::time::timeout(DEADLINE, signed_command(&server))
        .await
        .expect("a signed /zoom answers during the flood");
    assert_eq!(command, 200);
    eprintln!("during 400 half-sent requests: /healthz answered in {took:?}");

    // Every half-sent request is closed: evicted for a newer connection,
    // or by the header timeout.
    let closing = slow.into_iter().map(|mut stream| {
        tokio::spawn(async move { closed_within(&mut stream, DEADLINE).await.is_some() })
    });
    for closed in closing {
        assert!(closed.await.unwrap(), "a half-sent request stayed open");
    }
    let text = metrics(&server).await;
    let evicted = metric(
        &text,
        r#"zlack_http_connections_closed_total{reason="evicted_waiting_for_headers"}"#,
    );
    let timed_out = metric(
        &text,
        r#"zlack_http_connections_closed_total{reason="header_timeout"}"#,
    );
    eprintln!("closed: {evicted} evicted, {timed_out} by the header timeout");
    assert!(timed_out >= 1.0, "{text}");
    assert!(evicted + timed_out >= 400.0, "{text}");
    eventually("the sockets to be released", DEADLINE, || async {
        server.open_files() <= files_before + 8
    })
    .await;
    assert!(server.terminate().await.success());
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout_and_big_headers_refused()
{
    let s = setup(&[("ZLACK_HTTP_HEADER_TIMEOUT_MS", "1000")]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let mut stream = half_sent(
        &addr(&server),
        b"GET /healthz HTTP/1.1\r\nHost: zlack\r\n\r\n",
    )
    .await;
    let got = closed_within(&mut stream, DEADLINE)
        .await
        .expect("the idle connection is closed");
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(got.ends_with("ok\n"), "answered first: {got}");

    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: zlack\r\nX-Big: {}\r\n\r\n",
        "a".repeat(40 * 1024)
    );
    let mut stream = half_sent(&addr(&server), big.as_bytes()).await;
    let got = closed_within(&mut stream, DEADLINE).await.unwrap();
    let got = String::from_utf8_lossy(&got);
    assert!(
        got.starts_with("HTTP/1.1 431"),
        "headers over 32 KiB: {got}"
    );
    assert!(server.terminate().await.success());
}

#[tokio::test]
async fn shutdown_finishes_a_request_in_flight_and_closes_idle_connections_at_once() {
    // A header timeout far past the 30 s `terminate` waits: an idle
    // connection left open would keep the process from exiting.
    let s = setup(&[("ZLACK_HTTP_HEADER_TIMEOUT_MS", "300000")]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let addr = addr(&server);
    let mut idle = half_sent(&addr, b"GET /healthz HTTP/1.1\r\nHost: zlack\r\n\r\n").await;
    let mut half_header = half_sent(&addr, b"GET /healthz HTTP/1.1\r\n").await;

    let fields = slash_command_fields(
        TEAM,
        "C0PUBLIC",
        "U0ALICE",
        "",
        "https://hooks.slack.test/c/1",
    );
    let body = serde_urlencoded::to_string(fields).unwrap();
    let ts = sandbox::unix_now();
    let head = format!(
        "POST /slack/commands HTTP/1.1\r\nHost: zlack\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {}\r\n\r\n",
        body.len(),
        sandbox::slack_signature(SLACK_SIGNING_SECRET, ts, body.as_bytes())
    );
    // `Expect: 100-continue`: the server asks for the body once it has
    // the headers and is reading it, so the request is in flight.
    let head = head.replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");
    let mut in_flight = half_sent(&addr, head.as_bytes()).await;
    let mut continue_line = [0u8; 25];
    in_flight.read_exact(&mut continue_line).await.unwrap();
    assert_eq!(&continue_line, b"HTTP/1.1 100 Continue\r\n\r\n");

    server.sigterm();
    eventually("the shutdown to begin", DEADLINE, || async {
        server
            .log_lines()
            .iter()
            .any(|l| l.contains("shutting down"))
    })
    .await;
    for stream in [&mut idle, &mut half_header] {
        closed_within(stream, DEADLINE)
            .await
            .expect("a connection waiting for a request is closed");
    }
    in_flight.write_all(body.as_bytes()).await.unwrap();
    let answer = closed_within(&mut in_flight, DEADLINE)
        .await
        .expect("the request in flight is answered, then its connection closed");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(server.exit().await.success());
    assert_eq!(
        s._db.store().await.inbox_count().await.unwrap(),
        1,
        "the command answered during shutdown was stored"
    );
}

#[tokio::test]
async fn stalled_bodies_are_refused_or_timed_out_and_their_memory_returned() {
    let s = setup(&[("ZLACK_HTTP_BODY_TIMEOUT_MS", "3000")]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let addr = addr(&server);
    for _ in 0..20 {
        assert_eq!(signed_command(&server).await, 200);
    }
    let before = server.rss_kib();

    // Unsigned: refused before a byte of the body is read. Signed with a
    // current timestamp and a well-formed wrong signature: read into the
    // shared budget, then closed by the body timeout or for newer ones.
    let flood = (0..600).map(|i| {
        let addr = addr.clone();
        tokio::spawn(async move {
            let mut stream = stalled_body(&addr, 600 * 1024, i % 2 == 1).await;
            closed_within(&mut stream, DEADLINE).await.is_some()
        })
    });
    let flood: Vec<_> = flood.collect();
    let mut peak = 0;
    let mut health_took = Duration::ZERO;
    while !flood.iter().all(|t| t.is_finished()) {
        peak = peak.max(server.rss_kib());
        let (status, took) = tokio::time::timeout(DEADLINE, health(&server))
            .await
            .expect("/healthz answers during the flood");
        assert_eq!(status, 200);
        health_took = health_took.max(took);
        assert_eq!(signed_command(&server).await, 200, "a signed /zoom answers");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for closed in flood {
        assert!(closed.await.unwrap(), "a stalled body stayed open");
    }
    let text = metrics(&server).await;
    let timed_out = metric(
        &text,
        r#"zlack_http_requests_total{route="/slack/commands",method="POST",status="408"}"#,
    );
    let refused = metric(
        &text,
        r#"zlack_http_requests_total{route="/slack/commands",method="POST",status="401"}"#,
    );
    assert!(refused >= 300.0, "{text}");
    assert!(timed_out >= 1.0, "{text}");

    // The allocator hands freed memory back within seconds (jemalloc's
    // background purge); the system allocator kept 30 MiB and more.
    let bound = before + 16 * 1024;
    let mut after = server.rss_kib();
    let closed_at = std::time::Instant::now();
    eventually("memory to be returned", DEADLINE, || {
        after = server.rss_kib();
        async move { after <= bound }
    })
    .await;
    eprintln!(
        "RSS before {before} KiB, peak during {peak} KiB, after {after} KiB ({:?} after the \
         last close); /healthz took at most {health_took:?}; {refused} refused, {timed_out} timed out",
        closed_at.elapsed()
    );
    assert!(server.terminate().await.success());
}
