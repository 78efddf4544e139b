//! Logs (`tracing`, filtered by `ZLACK_LOG`, as text or JSON by
//! `ZLACK_LOG_FORMAT`) and the Prometheus recorder.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Logs to stderr; a second call (tests) keeps the first subscriber. In
/// JSON, each line is one object: `timestamp`, `level`, `fields` (with
/// `message`), `target` and the request `span` when there is one.
pub fn init_logging(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter)
        .unwrap_or_else(|_| EnvFilter::new("info"))
        // At trace level the WebSocket handshake logs its request line,
        // whose query holds Zoom's access token: never below debug.
        .add_directive(
            "tungstenite::handshake::client=debug"
                .parse()
                .expect("a valid directive"),
        )
        // PostgreSQL's notices ("relation ... already exists, skipping" on
        // every migrate) would add a line to a command's one-line error.
        .add_directive(
            "sqlx::postgres::notice=warn"
                .parse()
                .expect("a valid directive"),
        );
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_target(false)
            .try_init(),
        LogFormat::Json => builder
            .json()
            .with_ansi(false)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// Buckets of durations, in seconds.
const SECONDS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Buckets of small counts (events per inbox commit, writes per SQLite
/// group commit).
const COUNTS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// The process's metrics recorder. The `metrics` macros report to one
/// recorder per process, so every app in a process shares it. Every
/// histogram has explicit buckets: the exporter would render a summary
/// for one without.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)
                .expect("bucket list is not empty")
                .set_buckets_for_metric(Matcher::Full("zlack_inbox_batch_size".into()), COUNTS)
                .expect("bucket list is not empty")
                .set_buckets_for_metric(Matcher::Full("zlack_sqlite_group_members".into()), COUNTS)
                .expect("bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (embedding, tests);
            // then this handle still renders, just without our series.
            if metrics::set_global_recorder(recorder).is_ok() {
                describe();
            }
            handle
        })
        .clone()
}

/// Series that exist from the start: the build, and the process's own
/// (CPU, memory, open files, start time), refreshed by [`refresh_process`].
fn describe() {
    metrics::gauge!("zlack_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    process_collector().describe();
    refresh_process();
}

fn process_collector() -> &'static metrics_process::Collector {
    static COLLECTOR: OnceLock<metrics_process::Collector> = OnceLock::new();
    COLLECTOR.get_or_init(metrics_process::Collector::default)
}

/// Reads the process metrics (`process_cpu_seconds_total`,
/// `process_resident_memory_bytes`, `process_open_fds`, ...) from `/proc`.
/// Cheap: called before every scrape.
pub fn refresh_process() {
    process_collector().collect();
}
