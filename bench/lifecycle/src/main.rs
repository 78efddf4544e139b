//! Zoom webhook → Slack effect latency of a real `zlack serve` process.
//!
//! Slack and Zoom are the in-process fakes of the `sandbox` crate; zlack
//! runs as a child process on a loopback port with a fresh database (SQLite
//! in a temp dir, or a throwaway PostgreSQL database) seeded with one
//! announced meeting per webhook. Signed webhooks go out open-loop at a
//! fixed rate; each is matched to the Slack call that carries it out, and
//! the time from sending the webhook to the fake Slack receiving that call
//! is the latency. Scenarios:
//!
//! - `joined`: `meeting.participant_joined` → `calls.participants.add`
//! - `recording`: `recording.completed` → `chat.postMessage` (the thread
//!   reply with the recording link)
//!
//! Each scenario gets its own server and database. Results go to stderr
//! for people and as one `BENCH_JSON {…}` line per scenario to stdout.
//! `bench/lifecycle.sh` runs this several times and prints medians; see
//! docs/benchmarks.md.

mod breakdown;
mod load;
mod report;
mod seed;
mod server;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::{Parser, ValueEnum};
use sandbox::{FakeSlack, FakeZoom};
use serde_json::{Value, json};
use zlack::config::EncryptionKey;

use seed::{Database, Target};
use server::Server;

const ZOOM_WEBHOOK_SECRET: &str = "bench-zoom-webhook-secret";
const SLACK_SIGNING_SECRET: &str = "bench-slack-signing-secret";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// `meeting.participant_joined` → `calls.participants.add`.
    Joined,
    /// `recording.completed` → `chat.postMessage` in the card's thread.
    Recording,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Self::Joined => "joined",
            Self::Recording => "recording",
        }
    }

    /// The Slack method whose arrival is the webhook's effect.
    pub fn method(self) -> &'static str {
        match self {
            Self::Joined => "calls.participants.add",
            Self::Recording => "chat.postMessage",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Zoom-webhook-to-Slack-effect latency of `zlack serve`, through the
/// in-process Slack and Zoom fakes.
#[derive(Debug, Parser)]
struct Args {
    /// The zlack binary to run (`zlack serve`).
    #[arg(long, default_value = "target/release/zlack")]
    zlack: PathBuf,
    /// Scenarios to run, in order, each on a fresh server and database.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "joined,recording"
    )]
    scenarios: Vec<Scenario>,
    /// Webhooks per second, sent open-loop.
    #[arg(long, default_value_t = 200)]
    rate: u32,
    /// Seconds of measured sending.
    #[arg(long, default_value_t = 20)]
    duration: u32,
    /// Seconds of sending before the measured part (same rate, not counted).
    #[arg(long, default_value_t = 3)]
    warmup: u32,
    /// Seconds to wait after the last webhook for effects still on the way;
    /// what has not arrived then counts as lost.
    #[arg(long, default_value_t = 30)]
    drain: u64,
    /// The database zlack runs on.
    #[arg(long, value_enum, default_value = "sqlite")]
    database: Backend,
    /// PostgreSQL server (maintenance database) where a uniquely named
    /// database is created for each run and dropped afterwards.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_url: String,
    /// Run zlack under `taskset -c CPUS` (e.g. `1`).
    #[arg(long, value_name = "CPUS")]
    server_cpus: Option<String>,
    /// Extra environment for `zlack serve`, e.g. `ZLACK_WORKER_POLL_MS=100`
    /// (diagnosis); repeatable.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    envs: Vec<String>,
    /// Keep each run's directory (database, server log).
    #[arg(long)]
    keep: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    if args.rate == 0 || args.duration == 0 {
        bail!("--rate and --duration must be positive");
    }
    if !args.zlack.is_file() {
        bail!(
            "no zlack binary at {} (cargo build --release -p zlack, or pass --zlack)",
            args.zlack.display()
        );
    }
    // The server runs in its own directory: make the path absolute.
    args.zlack = std::fs::canonicalize(&args.zlack)?;
    let hz = server::ticks_per_second();
    let mut failed = false;
    for &scenario in &args.scenarios {
        match run_scenario(&args, scenario, hz).await {
            Ok(result) => {
                eprintln!("[lifecycle] {}", headline(&result));
                println!("BENCH_JSON {result}");
            }
            Err(error) => {
                eprintln!("[lifecycle] {} failed: {error:#}", scenario.name());
                failed = true;
            }
        }
    }
    if failed {
        bail!("a scenario failed");
    }
    Ok(())
}

/// One line for people.
fn headline(r: &Value) -> String {
    let l = &r["latency"];
    format!(
        "{}: {} webhooks at {}/s; lost {}, duplicates {}, ack errors {}; \
         webhook→Slack p50 {} ms, p90 {} ms, p99 {} ms, max {} ms; ack p99 {} ms; \
         CPU cores: server {}, harness {}, PostgreSQL {}, other {}",
        r["scenario"].as_str().unwrap_or_default(),
        r["events"],
        r["achieved_rate"],
        r["lost"],
        r["duplicates"],
        r["ack_errors"],
        l["p50_ms"],
        l["p90_ms"],
        l["p99_ms"],
        l["max_ms"],
        r["ack"]["p99_ms"],
        r["cpu"]["server_cores"],
        r["cpu"]["harness_cores"],
        r["cpu"]["postgres_cores"],
        r["cpu"]["other_cores"],
    )
}

async fn run_scenario(args: &Args, scenario: Scenario, hz: f64) -> anyhow::Result<Value> {
    let dir = std::env::temp_dir().join(format!(
        "zlack-lifecycle-{}-{}",
        scenario.name(),
        hex::encode(rand::random::<[u8; 4]>())
    ));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(args, scenario, &dir, hz).await;
    if args.keep || result.is_err() {
        eprintln!("[lifecycle] kept {}", dir.display());
    } else {
        std::fs::remove_dir_all(&dir).ok();
    }
    result
}

async fn run_in(args: &Args, scenario: Scenario, dir: &Path, hz: f64) -> anyhow::Result<Value> {
    let slack = FakeSlack::start().await;
    let zoom = FakeZoom::start().await;
    seed::populate_slack(&slack);
    let warmup = (args.rate * args.warmup) as usize;
    let total = warmup + (args.rate * args.duration) as usize;
    if total >= 1_000_000 {
        bail!("at most 999,999 webhooks per scenario");
    }
    let db = Database::create(args.database, dir, &args.postgres_url).await?;
    let outcome = async {
        let key = EncryptionKey(rand::random());
        let started = Instant::now();
        let targets = seed::seed(&db.url, &key, &slack, total).await?;
        eprintln!(
            "[lifecycle] {}: seeded {total} announced meetings in {:.1} s",
            scenario.name(),
            started.elapsed().as_secs_f64()
        );
        slack.clear_calls();
        let envs = server_envs(args, &db, &key, &slack, &zoom)?;
        let server = Server::start(&args.zlack, dir, &envs, args.server_cpus.as_deref()).await?;
        let measured = measure(
            args, scenario, &server, &slack, &targets, warmup, hz, &db.url,
        )
        .await;
        if measured.is_err() {
            eprintln!("[lifecycle] server log:\n{}", server.log_tail());
        }
        let stopped = server.stop().await;
        let mut result = measured?;
        stopped?;
        result["database"] = json!(match args.database {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        });
        Ok::<Value, anyhow::Error>(result)
    }
    .await;
    let dropped = db.drop_database().await;
    let result = outcome?;
    dropped?;
    Ok(result)
}

/// Settings for `zlack serve`: the fakes as Slack and Zoom, the seeded
/// database and key, and the `--env` extras on top.
fn server_envs(
    args: &Args,
    db: &Database,
    key: &EncryptionKey,
    slack: &FakeSlack,
    zoom: &FakeZoom,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut envs: Vec<(String, String)> = [
        ("ZLACK_DATABASE_URL", db.url.clone()),
        ("ZLACK_ENCRYPTION_KEY", key.to_base64()),
        ("ZLACK_PUBLIC_URL", "http://127.0.0.1".into()),
        ("ZLACK_SLACK_SIGNING_SECRET", SLACK_SIGNING_SECRET.into()),
        ("ZLACK_SLACK_CLIENT_ID", "111.222".into()),
        (
            "ZLACK_SLACK_CLIENT_SECRET",
            "bench-slack-client-secret".into(),
        ),
        ("ZLACK_SLACK_API_URL", slack.api_url()),
        ("ZLACK_SLACK_AUTHORIZE_URL", slack.authorize_url()),
        ("ZLACK_ZOOM_CLIENT_ID", "bench-zoom-client-id".into()),
        (
            "ZLACK_ZOOM_CLIENT_SECRET",
            "bench-zoom-client-secret".into(),
        ),
        ("ZLACK_ZOOM_WEBHOOK_SECRET", ZOOM_WEBHOOK_SECRET.into()),
        ("ZLACK_ZOOM_API_URL", zoom.api_url()),
        ("ZLACK_ZOOM_OAUTH_URL", zoom.oauth_url()),
        ("ZLACK_LOG", "warn".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for extra in &args.envs {
        let (k, v) = extra
            .split_once('=')
            .with_context(|| format!("--env {extra}: expected KEY=VALUE"))?;
        envs.retain(|(key, _)| key != k);
        envs.push((k.to_owned(), v.to_owned()));
    }
    Ok(envs)
}

/// Sends the webhooks, waits for their effects and works out the figures.
#[allow(clippy::too_many_arguments)]
async fn measure(
    args: &Args,
    scenario: Scenario,
    server: &Server,
    slack: &FakeSlack,
    targets: &[Target],
    warmup: usize,
    hz: f64,
    database_url: &str,
) -> anyhow::Result<Value> {
    let total = targets.len();
    let first_ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let bodies: Vec<Vec<u8>> = targets
        .iter()
        .enumerate()
        .map(|(k, t)| load::body(scenario, k, t, first_ts + k as i64))
        .collect();
    eprintln!(
        "[lifecycle] {}: sending {total} webhooks at {}/s ({} s warm-up, {} s measured)",
        scenario.name(),
        args.rate,
        args.warmup,
        args.duration
    );
    let clock = breakdown::WallClock::now();
    let sending = load::send_open_loop(
        &server.base_url,
        ZOOM_WEBHOOK_SECRET,
        bodies,
        args.rate,
        warmup,
        server.pid,
    )
    .await?;
    // Wait until every webhook has its effect, or the drain time is up.
    let deadline = Instant::now() + Duration::from_secs(args.drain);
    loop {
        let calls = slack.calls_to(scenario.method());
        let effects = report::match_effects(scenario, targets, &calls);
        if effects.arrivals.iter().all(|a| !a.is_empty()) || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Late duplicates, if any, would come within moments.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calls = slack.calls();
    let effects = report::match_effects(scenario, targets, &calls);
    let mut result = report::summarize(&sending.sent, &effects, warmup..total);
    let warmup_lost = effects.arrivals[..warmup]
        .iter()
        .filter(|a| a.is_empty())
        .count();
    let cpu = sending.window.0.cores_until(&sending.window.1, hz);
    let cores = |v: f64| (v * 1000.0).round() / 1000.0;
    let metrics = reqwest::Client::new()
        .get(format!("{}/metrics", server.base_url))
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .text()
        .await?;
    result["scenario"] = scenario.name().into();
    result["effect"] = scenario.method().into();
    result["rate"] = args.rate.into();
    result["warmup_s"] = args.warmup.into();
    result["duration_s"] = args.duration.into();
    result["warmup_lost"] = warmup_lost.into();
    result["cpu"] = json!({
        "server_cores": cores(cpu.server),
        "harness_cores": cores(cpu.harness),
        "postgres_cores": cores(cpu.postgres),
        "other_cores": cores(cpu.other),
    });
    result["server_cpus"] = json!(args.server_cpus);
    result["server_env"] = json!(args.envs);
    result["jobs"] = json!(report::job_outcomes(&metrics));
    result["slack_calls"] = json!(report::slack_calls(&calls));
    result["stages"] = breakdown::stages(
        database_url,
        scenario,
        first_ts,
        clock,
        &sending.sent,
        &effects,
        warmup..total,
    )
    .await
    .context("reading the stage timestamps from the database")?;
    Ok(result)
}
