//! The soak: a long mixed open-loop load through the stub with Slack 429
//! and 5xx faults, `kill -9` and restart of a zlack process every few
//! minutes, on SQLite (one process) or PostgreSQL (two replicas sharing
//! one database, both serving traffic). At the end it checks that every
//! acknowledged request had each of its Slack effects exactly once, and
//! that memory and open files stayed flat.
//!
//! A request that got no `200` (its process was killed, or it was
//! refused) is sent again after a pause, to the next replica, as Slack and
//! Zoom redeliver; only acknowledged requests are owed their effects.

mod plan;
mod report;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::{Value, json};

use crate::apps::{self, App, AppKind, Launch};
use crate::load::{self, Signed};
use crate::scenario::{SLACK_SIGNING_SECRET, ZOOM_WEBHOOK_SECRET, zlack_env};
use crate::seed::{self, Database};
use crate::stub::{Faults, Stub};
use crate::{Backend, DbArgs};

pub use report::Sample;

#[derive(Debug, clap::Args)]
pub struct SoakArgs {
    /// Seconds of load.
    #[arg(long, default_value_t = 1800)]
    pub duration: u64,
    /// Requests per second, all kinds together.
    #[arg(long, default_value_t = 200)]
    pub rate: u32,
    /// Seconds between two `kill -9`s (0: none).
    #[arg(long, default_value_t = 180)]
    pub kill_every: u64,
    /// Share of Slack Web API calls answered 429 (`Retry-After: 1`).
    #[arg(long, default_value_t = 0.005)]
    pub faults_429: f64,
    /// Share of Slack Web API calls answered 500 or 503.
    #[arg(long, default_value_t = 0.01)]
    pub faults_5xx: f64,
    /// Share of Zoom webhooks and `link_shared` events delivered twice.
    #[arg(long, default_value_t = 0.1)]
    pub duplicates: f64,
    /// Every stub answer waits this long.
    #[arg(long, default_value_t = 100)]
    pub delay_ms: u64,
    /// Seconds without any new platform call after the load before the
    /// check (what has not happened by then counts as lost).
    #[arg(long, default_value_t = 60)]
    pub drain: u64,
    /// Seconds between two samples of memory and open files.
    #[arg(long, default_value_t = 5)]
    pub sample_every: u64,
    /// Seconds at the start left out of the flatness check.
    #[arg(long, default_value_t = 60)]
    pub warmup: u64,
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, default_value = "target/release/zlack")]
    pub zlack: PathBuf,
    /// Where to write samples.csv (and keep zlack's logs).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// One zlack process's life: from its start to its `kill -9` (or the
/// final stop), with its samples.
#[derive(Debug, Clone)]
pub struct Lifetime {
    pub replica: usize,
    pub pid: u32,
    pub started_s: f64,
    pub ended_s: Option<f64>,
    pub killed: bool,
    pub samples: Vec<Sample>,
}

/// The replicas: fixed ports, so a restarted process is found where the
/// killed one was.
struct Fleet {
    launch: Launch,
    dir: PathBuf,
    ports: Vec<u16>,
    apps: Vec<Option<App>>,
    /// Index into `lifetimes` of each replica's current process.
    current: Vec<usize>,
    lifetimes: Arc<Mutex<Vec<Lifetime>>>,
    t0: Instant,
}

impl Fleet {
    async fn start(&mut self, replica: usize) -> anyhow::Result<()> {
        let name = format!("zlack-{replica}");
        let app = App::start_on(&self.launch, &self.dir, None, self.ports[replica], &name).await?;
        let mut lifetimes = self.lifetimes.lock().expect("lifetimes");
        lifetimes.push(Lifetime {
            replica,
            pid: app.pid,
            started_s: self.t0.elapsed().as_secs_f64(),
            ended_s: None,
            killed: false,
            samples: Vec::new(),
        });
        self.current[replica] = lifetimes.len() - 1;
        drop(lifetimes);
        self.apps[replica] = Some(app);
        Ok(())
    }

    fn end(&mut self, replica: usize, killed: bool) {
        let mut lifetimes = self.lifetimes.lock().expect("lifetimes");
        if let Some(l) = lifetimes.get_mut(self.current[replica]) {
            l.ended_s = Some(self.t0.elapsed().as_secs_f64());
            l.killed = killed;
        }
    }

    /// `kill -9` of one replica, then a new process on its port.
    async fn kill_and_restart(&mut self, replica: usize) -> anyhow::Result<f64> {
        if let Some(app) = self.apps[replica].take() {
            app.kill().await?;
        }
        self.end(replica, true);
        let started = Instant::now();
        self.start(replica).await?;
        Ok(started.elapsed().as_secs_f64())
    }

    /// Pids of the running processes with their lifetime index.
    fn running(&self) -> Vec<(u32, usize)> {
        self.apps
            .iter()
            .zip(&self.current)
            .filter_map(|(app, &l)| app.as_ref().map(|a| (a.pid, l)))
            .collect()
    }

    async fn stop_all(&mut self) -> anyhow::Result<()> {
        for replica in 0..self.apps.len() {
            if let Some(app) = self.apps[replica].take() {
                self.end(replica, false);
                app.stop().await?;
            }
        }
        Ok(())
    }
}

/// What happened to one item.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    pub acked: bool,
    pub attempts: u32,
}

pub async fn run(args: &SoakArgs) -> anyhow::Result<Value> {
    let dir = match &args.out {
        Some(out) => {
            let dir = out.join("run");
            std::fs::create_dir_all(&dir)?;
            std::fs::canonicalize(&dir)?
        }
        None => {
            let dir = std::env::temp_dir().join(format!(
                "zlack-soak-{}",
                hex::encode(rand::random::<[u8; 4]>())
            ));
            std::fs::create_dir_all(&dir)?;
            dir
        }
    };
    let faults = Faults {
        rate_limited: args.faults_429,
        server_error: args.faults_5xx,
        retry_after_secs: 1,
    };
    let stub = Stub::start_with(Duration::from_millis(args.delay_ms), faults, true).await?;
    let db = Database::create(args.db.database, &dir, &args.db.postgres_url, None).await?;
    let result = run_with(args, &dir, &stub, &db).await;
    db.drop_database().await?;
    if args.out.is_none() && result.is_ok() {
        std::fs::remove_dir_all(&dir).ok();
    } else {
        eprintln!("[soak] zlack logs in {}", dir.display());
    }
    result
}

fn log(t0: Instant, what: &str) {
    eprintln!("[soak {:>7.1}s] {what}", t0.elapsed().as_secs_f64());
}

async fn run_with(
    args: &SoakArgs,
    dir: &Path,
    stub: &Stub,
    db: &Database,
) -> anyhow::Result<Value> {
    let duration = Duration::from_secs(args.duration);
    let plan = plan::plan(args.rate, duration, args.duplicates);
    seed::seed(&db.url).await?;
    seed::announce(&db.url, plan.meetings).await?;
    let replicas = match args.db.database {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    };
    let mut envs = zlack_env(stub, &db.url);
    // The end summary goes out soon after the end, not a minute later.
    envs.push(("ZLACK_END_SUMMARY_DELAY_MS".into(), "5000".into()));
    let launch = Launch {
        kind: AppKind::Zlack,
        program: std::fs::canonicalize(&args.zlack)
            .with_context(|| format!("{}", args.zlack.display()))?,
        args: vec!["serve".into()],
        envs,
    };
    let t0 = Instant::now();
    let lifetimes = Arc::new(Mutex::new(Vec::new()));
    let mut fleet = Fleet {
        launch,
        dir: dir.to_owned(),
        ports: (0..replicas)
            .map(|_| apps::free_port())
            .collect::<anyhow::Result<_>>()?,
        apps: (0..replicas).map(|_| None).collect(),
        current: vec![0; replicas],
        lifetimes: Arc::clone(&lifetimes),
        t0,
    };
    for r in 0..replicas {
        fleet.start(r).await?;
    }
    let urls: Arc<Vec<String>> = Arc::new(
        fleet
            .ports
            .iter()
            .map(|p| format!("http://127.0.0.1:{p}"))
            .collect(),
    );
    let fleet = Arc::new(tokio::sync::Mutex::new(fleet));
    log(
        t0,
        &format!(
            "{} zlack process(es) up; {} requests over {} s, {} meetings announced",
            replicas,
            plan.items.len(),
            args.duration,
            plan.meetings
        ),
    );

    // Samples of every running process.
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (fleet, lifetimes, sampling) = (
            Arc::clone(&fleet),
            Arc::clone(&lifetimes),
            Arc::clone(&sampling),
        );
        let every = Duration::from_secs(args.sample_every.max(1));
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                let running = fleet.lock().await.running();
                let t = t0.elapsed().as_secs_f64();
                for (pid, l) in running {
                    let sample = Sample {
                        t,
                        rss_kib: apps::memory_kib(pid, "VmRSS"),
                        fds: open_files(pid),
                    };
                    if let Some(life) = lifetimes.lock().expect("lifetimes").get_mut(l) {
                        life.samples.push(sample);
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    };

    // Kills, one replica at a time in turn, until the last request is
    // scheduled.
    let killing = Arc::new(std::sync::atomic::AtomicBool::new(args.kill_every > 0));
    let killer = {
        let (fleet, killing) = (Arc::clone(&fleet), Arc::clone(&killing));
        let every = Duration::from_secs(args.kill_every.max(1));
        tokio::spawn(async move {
            let mut kills: Vec<Value> = Vec::new();
            let mut next = t0 + every;
            let mut replica = 0;
            while killing.load(Ordering::Relaxed) {
                if Instant::now() < next {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
                let at = t0.elapsed().as_secs_f64();
                let secs = fleet.lock().await.kill_and_restart(replica).await;
                let secs = match secs {
                    Ok(secs) => secs,
                    Err(e) => {
                        log(t0, &format!("restart of replica {replica} failed: {e:#}"));
                        return Err(e);
                    }
                };
                log(
                    t0,
                    &format!("kill -9 of replica {replica}; back in {secs:.2} s"),
                );
                kills.push(json!({"at_s": report::round1(at), "replica": replica, "restart_s": report::round2(secs)}));
                replica = (replica + 1) % replicas;
                next += every;
            }
            Ok(kills)
        })
    };

    // The load, open loop.
    let outcomes = send_all(&plan.items, stub, &urls, t0, args.duration, &killing).await?;
    let load_end_s = t0.elapsed().as_secs_f64();
    let kills = killer.await??;
    log(t0, "load sent; draining");
    drain(stub, Duration::from_secs(args.drain), t0).await;
    let drained_s = t0.elapsed().as_secs_f64();
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    fleet.lock().await.stop_all().await?;
    let lifetimes = lifetimes.lock().expect("lifetimes").clone();
    if let Some(out) = &args.out {
        report::write_samples(&out.join("samples.csv"), &lifetimes)?;
    }
    let tally = stub.tally();
    let kill_times: Vec<f64> = lifetimes
        .iter()
        .filter(|l| l.killed)
        .filter_map(|l| l.ended_s)
        .collect();
    let mut result = report::check(&plan.items, &outcomes, &tally, t0, &kill_times);
    result["processes"] = report::processes(&lifetimes);
    result["flat"] = report::flatness(&lifetimes, replicas, args.warmup as f64, load_end_s);
    let kill_count = lifetimes.iter().filter(|l| l.killed).count();
    result["kills"] = kill_count.into();
    if !kills.is_empty() {
        result["kill_times"] = json!(kills);
    }
    result["faults_injected"] = json!({"429": tally.injected_429, "5xx": tally.injected_5xx});
    result["slack_calls"] = json!(
        tally
            .methods
            .iter()
            .collect::<std::collections::BTreeMap<_, _>>()
    );
    result["settings"] = json!({
        "database": match args.db.database { Backend::Sqlite => "sqlite", Backend::Postgres => "postgres" },
        "replicas": replicas,
        "duration_s": args.duration, "rate": args.rate, "kill_every_s": args.kill_every,
        "faults_429": args.faults_429, "faults_5xx": args.faults_5xx,
        "duplicates": args.duplicates, "delay_ms": args.delay_ms, "drain_s": args.drain,
    });
    result["load_s"] = report::round1(load_end_s);
    result["drained_s"] = report::round1(drained_s);
    Ok(result)
}

/// Open files of a process: entries of `/proc/PID/fd`.
fn open_files(pid: u32) -> u64 {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count() as u64)
}

/// Pause before the `n`th new attempt at one request.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * u64::from(attempt.min(6)))
}

/// Attempts at one request before it counts as never acknowledged.
const MAX_ATTEMPTS: u32 = 30;

/// Sends every item at its time, each one until it is acknowledged (or
/// [`MAX_ATTEMPTS`]), and returns what happened to each.
async fn send_all(
    items: &[plan::Item],
    stub: &Stub,
    urls: &Arc<Vec<String>>,
    t0: Instant,
    duration_s: u64,
    killing: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<Vec<Outcome>> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(256)
        .build()?;
    let base_ts = seed::now_ms();
    let next_replica = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mut outcomes = vec![Outcome::default(); items.len()];
    let mut last_log = 0;
    for (index, item) in items.iter().enumerate() {
        tokio::time::sleep_until((start + item.at).into()).await;
        let secs = item.at.as_secs();
        if secs >= last_log + 60 {
            last_log = secs;
            log(
                t0,
                &format!("sending: {secs}/{duration_s} s, {index} requests"),
            );
        }
        let body = plan::body(item, stub, base_ts);
        let (path, signer) = plan::path_and_signer(item.kind);
        let secret = match signer {
            Signed::Slack | Signed::SlackJson => SLACK_SIGNING_SECRET,
            Signed::Zoom => ZOOM_WEBHOOK_SECRET,
        };
        let (client, urls, next_replica) =
            (client.clone(), Arc::clone(urls), Arc::clone(&next_replica));
        let event = item.kind == plan::Kind::Link;
        let duplicate = item.duplicate;
        tasks.spawn(async move {
            let mut outcome = Outcome::default();
            while outcome.attempts < MAX_ATTEMPTS {
                if outcome.attempts > 0 {
                    tokio::time::sleep(backoff(outcome.attempts)).await;
                }
                outcome.attempts += 1;
                let r = next_replica.fetch_add(1, Ordering::Relaxed) % urls.len();
                let url = format!("{}{path}", urls[r]);
                let mut request = load::request(&client, &url, secret, signer, body.clone());
                // Slack marks a redelivered event.
                let retry = outcome.attempts - 1 + u32::from(duplicate);
                if event && retry > 0 {
                    request = request
                        .header("x-slack-retry-num", retry.to_string())
                        .header("x-slack-retry-reason", "http_error");
                }
                if let Ok(response) = request.send().await {
                    let ok = response.status().as_u16() == 200;
                    let _ = response.bytes().await;
                    if ok {
                        outcome.acked = true;
                        break;
                    }
                }
            }
            (index, outcome)
        });
        // Reap finished requests as we go, to keep the set small.
        while let Some(done) = tasks.try_join_next() {
            let (index, outcome) = done?;
            outcomes[index] = outcome;
        }
    }
    // Everything is scheduled: no more kills while the retries finish.
    killing.store(false, Ordering::Relaxed);
    log(t0, "every request scheduled; waiting for the last acks");
    while let Some(done) = tasks.join_next().await {
        let (index, outcome) = done?;
        outcomes[index] = outcome;
    }
    Ok(outcomes)
}

/// Waits until the stub answered nothing new for `quiet`.
async fn drain(stub: &Stub, quiet: Duration, t0: Instant) {
    let (mut last, mut since) = (stub.answered(), Instant::now());
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = stub.answered();
        if now != last {
            last = now;
            since = Instant::now();
        } else if since.elapsed() >= quiet {
            log(t0, &format!("nothing new for {} s", quiet.as_secs()));
            return;
        }
    }
}
