//! Logs in JSON, `/metrics` in the Prometheus text format, who may read
//! it, what a scrape costs, and readiness while draining.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use sandbox::slash_command_fields;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestApp;
use crate::helpers::app::{SLACK_SIGNING_SECRET, TEAM};
use crate::helpers::hostile::{closed_within, half_sent, setup};
use crate::helpers::process::Server;

/// Long enough for a loaded two-core machine; nothing here measures speed.
const DEADLINE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    let s = setup(&[("ZLACK_LOG_FORMAT", "json")]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let startup = server.startup_log.clone();
    assert!(server.terminate().await.success());
    let mut messages = Vec::new();
    for line in startup.iter().filter(|l| !l.trim().is_empty()) {
        let json: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"));
        assert!(json.is_object(), "{line}");
        assert!(json["timestamp"].is_string(), "{line}");
        assert!(
            ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].contains(&json["level"].as_str().unwrap()),
            "{line}"
        );
        messages.push(json["fields"]["message"].as_str().unwrap().to_owned());
    }
    assert!(
        messages.iter().any(|m| m == "zlack is serving"),
        "{messages:?}"
    );
    assert!(
        !startup.iter().any(|l| l.contains(SLACK_SIGNING_SECRET)),
        "no secret in the log"
    );
}

/// One metric family of a scrape.
#[derive(Debug, Default)]
struct Family {
    kind: String,
    /// Sample name (with its suffix), labels, value.
    samples: Vec<(String, String, f64)>,
}

/// Parses the Prometheus text format strictly: every sample belongs to
/// the family whose `# TYPE` came before it, one `# TYPE` per family, no
/// summaries or untyped series, `_total` only on counters, histograms
/// with `_bucket` (up to `+Inf`), `_sum` and `_count`, and no two
/// families that OpenMetrics would read as one (`x` and `x_total`).
fn parse_strictly(text: &str) -> BTreeMap<String, Family> {
    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram"].contains(&kind),
                "{name}: type {kind}"
            );
            assert!(!families.contains_key(name), "{name}: a second # TYPE line");
            if kind == "counter" {
                assert!(name.ends_with("_total"), "counter {name} without _total");
            } else {
                assert!(!name.ends_with("_total"), "{kind} {name} ends in _total");
            }
            families.insert(
                name.to_owned(),
                Family {
                    kind: kind.to_owned(),
                    ..Family::default()
                },
            );
            current = Some(name.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        assert!(!line.starts_with('#'), "unknown comment: {line}");
        let (series, value) = line.rsplit_once(' ').expect("sample and value");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("value not a number: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            Some((name, labels)) => (name, labels.strip_suffix('}').expect("labels end with }")),
            None => (series, ""),
        };
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':'),
            "bad name: {line}"
        );
        let family = current
            .as_ref()
            .unwrap_or_else(|| panic!("sample before any # TYPE: {line}"));
        let entry = families.get_mut(family).unwrap();
        let belongs = if entry.kind == "histogram" {
            ["_bucket", "_sum", "_count"]
                .iter()
                .any(|suffix| name.strip_suffix(suffix) == Some(family.as_str()))
        } else {
            name == family
        };
        assert!(belongs, "{name} is not of family {family}: {line}");
        entry
            .samples
            .push((name.to_owned(), labels.to_owned(), value));
    }
    let mut roots = BTreeSet::new();
    for (name, family) in &families {
        let root = name.strip_suffix("_total").unwrap_or(name);
        assert!(
            roots.insert(root.to_owned()),
            "{name} clashes with another family named {root}"
        );
        if family.kind == "histogram" {
            for suffix in ["_sum", "_count"] {
                assert!(
                    family
                        .samples
                        .iter()
                        .any(|(n, _, _)| *n == format!("{name}{suffix}")),
                    "{name} without {suffix}"
                );
            }
            assert!(
                family
                    .samples
                    .iter()
                    .any(|(n, l, _)| n.ends_with("_bucket") && l.contains("le=\"+Inf\"")),
                "{name} without a +Inf bucket"
            );
        }
        // Base units: seconds and bytes, never milli- or kilo-.
        for unit in ["_ms", "_milliseconds", "_kb", "_kib", "_mb", "_minutes"] {
            assert!(!name.contains(unit), "{name}: not in a base unit ({unit})");
        }
        for time_word in ["duration", "latency", "lag"] {
            if name.contains(time_word) {
                assert!(name.contains("_seconds"), "{name}: a time not in seconds");
            }
        }
    }
    families
}

fn kind<'a>(families: &'a BTreeMap<String, Family>, name: &str) -> &'a str {
    &families
        .get(name)
        .unwrap_or_else(|| panic!("no family {name} in {:?}", families.keys()))
        .kind
}

#[tokio::test]
async fn metrics_follow_the_prometheus_text_format() {
    let app = TestApp::spawn().await;
    let hook = sandbox::zoom_event("meeting.started", 7, serde_json::json!({"uuid": "m1"}));
    assert_eq!(app.signer.zoom_webhook(&hook).await.status(), 200);
    app.run_jobs().await;
    app.refresh_gauges().await;
    let text = app.get("/metrics").await.text().await.unwrap();
    let families = parse_strictly(&text);
    assert_eq!(kind(&families, "zlack_job_queue_depth"), "gauge");
    assert_eq!(kind(&families, "zlack_jobs_total"), "counter");
    assert_eq!(kind(&families, "zlack_inbox_backlog"), "gauge");
    assert_eq!(kind(&families, "zlack_inbox_batch_size"), "histogram");
    assert_eq!(kind(&families, "zlack_inbox_commit_seconds"), "histogram");
    assert_eq!(
        kind(&families, "zlack_http_request_duration_seconds"),
        "histogram"
    );
    if families.contains_key("zlack_sqlite_group_members") {
        assert_eq!(kind(&families, "zlack_sqlite_group_members"), "histogram");
    }
    let build = &families["zlack_build_info"];
    assert_eq!(build.kind, "gauge");
    assert_eq!(
        build.samples,
        vec![(
            "zlack_build_info".to_owned(),
            format!("version=\"{}\"", env!("CARGO_PKG_VERSION")),
            1.0
        )]
    );
    assert_eq!(kind(&families, "process_cpu_seconds_total"), "counter");
    for gauge in [
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_max_fds",
        "process_start_time_seconds",
    ] {
        assert_eq!(kind(&families, gauge), "gauge", "{gauge}");
        assert!(families[gauge].samples[0].2 > 0.0, "{gauge}");
    }
    app.stop().await;
}

#[test]
fn the_strict_parser_refuses_what_prometheus_would_misread() {
    let clash = "# TYPE x_jobs gauge\nx_jobs{status=\"dead\"} 1\n\
                 # TYPE x_jobs_total counter\nx_jobs_total 3\n";
    let summary =
        "# TYPE x_size summary\nx_size{quantile=\"0.5\"} 1\nx_size_sum 1\nx_size_count 1\n";
    let gauge_total = "# TYPE x_total gauge\nx_total 1\n";
    for bad in [clash, summary, gauge_total] {
        assert!(
            std::panic::catch_unwind(|| parse_strictly(bad)).is_err(),
            "accepted:\n{bad}"
        );
    }
    parse_strictly(
        "# TYPE x_seconds histogram\nx_seconds_bucket{le=\"+Inf\"} 1\nx_seconds_sum 0.1\nx_seconds_count 1\n",
    );
}

async fn status(http: &reqwest::Client, url: &str, token: Option<&str>) -> u16 {
    let mut request = http.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().status().as_u16()
}

const TOKEN: &str = "scrape-token-0123456789";

#[tokio::test]
async fn metrics_are_on_the_main_listener_when_neither_is_set() {
    let app = TestApp::spawn().await;
    assert!(app.metrics_url.is_none());
    let main = format!("{}/metrics", app.base_url);
    assert_eq!(status(&app.http, &main, None).await, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_metrics_listener_serves_metrics_alone_and_the_main_one_not_at_all() {
    let app = TestApp::spawn_with(|pairs| {
        pairs.push(("ZLACK_METRICS_LISTEN".into(), "127.0.0.1:0".into()));
    })
    .await;
    let other = app.metrics_url.clone().expect("a metrics listener");
    assert_ne!(other, app.base_url);
    assert_eq!(
        status(&app.http, &format!("{}/metrics", app.base_url), None).await,
        404
    );
    assert_eq!(
        status(&app.http, &format!("{}/healthz", app.base_url), None).await,
        200
    );
    let response = app
        .http
        .get(format!("{other}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("zlack_build_info"));
    for path in ["/", "/healthz", "/slack/install"] {
        assert_eq!(
            status(&app.http, &format!("{other}{path}"), None).await,
            404,
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_metrics_token_is_required_when_set() {
    let app = TestApp::spawn_with(|pairs| {
        pairs.push(("ZLACK_METRICS_TOKEN".into(), TOKEN.into()));
    })
    .await;
    let url = format!("{}/metrics", app.base_url);
    assert_eq!(status(&app.http, &url, None).await, 401);
    assert_eq!(status(&app.http, &url, Some("wrong")).await, 401);
    assert_eq!(
        status(&app.http, &url, Some(&format!("{TOKEN}x"))).await,
        401
    );
    let basic = app
        .http
        .get(&url)
        .basic_auth("zlack", Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
    assert_eq!(basic.headers()["www-authenticate"], "Bearer");
    assert!(!basic.text().await.unwrap().contains("zlack_"));
    assert_eq!(status(&app.http, &url, Some(TOKEN)).await, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_metrics_listener_with_a_token_needs_both() {
    let app = TestApp::spawn_with(|pairs| {
        pairs.push(("ZLACK_METRICS_LISTEN".into(), "127.0.0.1:0".into()));
        pairs.push(("ZLACK_METRICS_TOKEN".into(), TOKEN.into()));
    })
    .await;
    let other = format!("{}/metrics", app.metrics_url.clone().unwrap());
    let main = format!("{}/metrics", app.base_url);
    assert_eq!(status(&app.http, &main, Some(TOKEN)).await, 404);
    assert_eq!(status(&app.http, &other, None).await, 401);
    assert_eq!(status(&app.http, &other, Some("nope")).await, 401);
    assert_eq!(status(&app.http, &other, Some(TOKEN)).await, 200);
    app.stop().await;
}

/// The value of the sample `series` (name and labels as rendered).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn a_scrape_reads_no_database() {
    let app = TestApp::spawn().await;
    let hook = sandbox::zoom_event("meeting.started", 7, serde_json::json!({"uuid": "m1"}));
    assert_eq!(app.signer.zoom_webhook(&hook).await.status(), 200);
    app.refresh_gauges().await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(sample(&text, "zlack_inbox_backlog"), Some(1.0), "{text}");
    // The database changes; a scrape shows what the refresher read last.
    app.run_jobs().await;
    assert_eq!(app.store.inbox_backlog().await.unwrap(), 0);
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(sample(&text, "zlack_inbox_backlog"), Some(1.0), "{text}");
    app.refresh_gauges().await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(sample(&text, "zlack_inbox_backlog"), Some(0.0), "{text}");
    // With the database gone, scrapes still answer from what was read.
    app.store.close().await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert_eq!(
        sample(&text, r#"zlack_job_queue_depth{status="dead"}"#),
        Some(0.0),
        "{text}"
    );
    assert_eq!(app.get("/readyz").await.status(), 503);
}

#[tokio::test]
async fn readyz_says_draining_while_a_request_in_flight_finishes() {
    let mut app = TestApp::spawn().await;
    let addr = app.base_url.trim_start_matches("http://").to_owned();
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
         X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {}\r\n\
         Expect: 100-continue\r\n\r\n",
        body.len(),
        sandbox::slack_signature(SLACK_SIGNING_SECRET, ts, body.as_bytes())
    );
    // The server asks for the body once it reads it: the request is in flight.
    let mut in_flight = half_sent(&addr, head.as_bytes()).await;
    let mut continue_line = [0u8; 25];
    in_flight.read_exact(&mut continue_line).await.unwrap();
    assert_eq!(&continue_line, b"HTTP/1.1 100 Continue\r\n\r\n");

    // A new connection for each probe, as a load balancer's.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let readyz = format!("{}/readyz", app.base_url);
    assert_eq!(status(&fresh, &readyz, None).await, 200);
    app.begin_shutdown();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    let answer = loop {
        let response = fresh.get(&readyz).send().await.unwrap();
        if response.status() == 503 {
            break response.text().await.unwrap();
        }
        assert!(tokio::time::Instant::now() < deadline, "never draining");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(answer, "draining\n");
    assert_eq!(
        status(&fresh, &format!("{}/healthz", app.base_url), None).await,
        200
    );
    assert_eq!(
        status(&fresh, &format!("{}/", app.base_url), None).await,
        503
    );

    in_flight.write_all(body.as_bytes()).await.unwrap();
    let answer = closed_within(&mut in_flight, DEADLINE)
        .await
        .expect("the request in flight is answered, then its connection closed");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    app.stop().await;
    assert!(
        tokio::net::TcpStream::connect(&addr).await.is_err(),
        "the listener is closed once the app has stopped"
    );
}

#[tokio::test]
async fn public_metrics_on_a_public_url_are_warned_about_at_startup() {
    let warning = "/metrics is public";
    let s = setup(&[("ZLACK_PUBLIC_URL", "https://zlack.example.com")]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let log = server.startup_log.join("\n");
    assert!(server.terminate().await.success());
    assert!(log.contains(warning), "{log}");
    for extra in [
        ("ZLACK_METRICS_TOKEN", TOKEN),
        ("ZLACK_PUBLIC_URL", "http://localhost:8080"),
    ] {
        let mut envs = s.envs.clone();
        envs.retain(|(k, _)| k != extra.0);
        envs.push((extra.0.into(), extra.1.into()));
        let server = Server::start(s.dir.path(), &envs, &["--no-worker"]).await;
        let log = server.startup_log.join("\n");
        assert!(server.terminate().await.success());
        assert!(!log.contains(warning), "{extra:?}: {log}");
    }
}
