//! The servers under test as child processes on loopback ports: zlack, and
//! the Bolt reference apps; and what `/proc` tells about them.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::ValueEnum;
use tokio::process::{Child, Command};

/// Which app serves `/zoom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AppKind {
    /// `zlack serve`.
    Zlack,
    /// bench/reference/bolt-python (AsyncApp on uvicorn).
    BoltPython,
    /// bench/reference/bolt-js (Bolt's HTTP receiver).
    BoltJs,
}

impl AppKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Zlack => "zlack",
            Self::BoltPython => "bolt-python",
            Self::BoltJs => "bolt-js",
        }
    }

    /// Where Slack sends slash commands.
    pub fn command_path(self) -> &'static str {
        match self {
            Self::Zlack => "/slack/commands",
            Self::BoltPython | Self::BoltJs => "/slack/events",
        }
    }
}

/// How to start one app: program, arguments and environment.
pub struct Launch {
    pub kind: AppKind,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub envs: Vec<(String, String)>,
}

/// A running app.
pub struct App {
    child: Child,
    pub kind: AppKind,
    pub base_url: String,
    pub pid: u32,
    log: PathBuf,
}

/// A port nobody listens on right now.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl App {
    /// Starts the app in `dir` (its log goes there), under `taskset -c
    /// cpus` when given, and returns once it answers HTTP.
    pub async fn start(launch: &Launch, dir: &Path, cpus: Option<&str>) -> anyhow::Result<Self> {
        Self::start_on(launch, dir, cpus, free_port()?, launch.kind.name()).await
    }

    /// Like [`App::start`], on a given port, its output appended to
    /// `name.log` and `name.err` (a restarted app keeps its port and logs).
    pub async fn start_on(
        launch: &Launch,
        dir: &Path,
        cpus: Option<&str>,
        port: u16,
        name: &str,
    ) -> anyhow::Result<Self> {
        let base_url = format!("http://127.0.0.1:{port}");
        let log = dir.join(format!("{name}.log"));
        let append = |path: &Path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
        };
        let mut cmd = match cpus {
            Some(cpus) => {
                let mut cmd = Command::new("taskset");
                cmd.arg("-c").arg(cpus).arg(&launch.program);
                cmd
            }
            None => Command::new(&launch.program),
        };
        cmd.args(&launch.args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", dir)
            .envs(launch.envs.iter().map(|(k, v)| (k, v)))
            .env("PORT", port.to_string())
            .env("ZLACK_LISTEN", format!("127.0.0.1:{port}"))
            .env("ZLACK_CONFIG", dir.join("zlack.toml"))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(append(&log)?)
            .stderr(append(&dir.join(format!("{name}.err")))?)
            .kill_on_drop(true);
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {}", launch.program.display()))?;
        let pid = child.id().context("the app has a pid")?;
        // zlack says when its database is ready; the Bolt apps are ready
        // once they answer anything.
        let probe = match launch.kind {
            AppKind::Zlack => format!("{base_url}/readyz"),
            _ => format!("{base_url}/"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut app = Self {
            child,
            kind: launch.kind,
            base_url,
            pid,
            log,
        };
        loop {
            if let Some(status) = app.child.try_wait()? {
                bail!(
                    "{} exited ({status}) before it was ready:\n{}",
                    launch.kind.name(),
                    app.log_tail()
                );
            }
            let answer = http
                .get(&probe)
                .timeout(Duration::from_secs(2))
                .send()
                .await;
            let ready = match (launch.kind, answer) {
                (AppKind::Zlack, Ok(r)) => r.status() == 200,
                (_, Ok(_)) => true,
                (_, Err(_)) => false,
            };
            if ready {
                return Ok(app);
            }
            if Instant::now() > deadline {
                bail!(
                    "{} was not ready within 60 s:\n{}",
                    launch.kind.name(),
                    app.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Where slash commands go.
    pub fn command_url(&self) -> String {
        format!("{}{}", self.base_url, self.kind.command_path())
    }

    /// The end of the app's output, for error reports.
    pub fn log_tail(&self) -> String {
        let mut text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let err = self.log.with_extension("err");
        text.push_str(&std::fs::read_to_string(err).unwrap_or_default());
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// SIGKILL (`kill -9`), and waits for the process to be gone.
    pub async fn kill(mut self) -> anyhow::Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }

    /// SIGTERM, and SIGKILL if it has not exited within 30 s.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        if tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .is_err()
        {
            self.child.start_kill()?;
            self.child.wait().await?;
            bail!("{} did not exit within 30 s of SIGTERM", self.kind.name());
        }
        Ok(())
    }
}

/// A `/proc/PID/status` value in KiB (`VmRSS`, `VmHWM`), summed over the
/// process and its children (a launcher's children, if any).
pub fn memory_kib(pid: u32, field: &str) -> u64 {
    let mut total = 0;
    let mut todo = vec![pid.to_string()];
    while let Some(pid) = todo.pop() {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        total += status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        todo.extend(children.split_whitespace().map(str::to_owned));
    }
    total
}

/// User plus system CPU time of a process, in clock ticks.
pub fn process_ticks(pid: &str) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // The command name may hold spaces: count fields after its ')'.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| -> u64 { fields.get(i).and_then(|f| f.parse().ok()).unwrap_or(0) };
    field(11) + field(12)
}

/// Busy CPU time of the whole machine (not idle or iowait), in clock ticks.
fn machine_busy_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return 0;
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| v.get(i).copied().unwrap_or(0))
        .sum()
}

/// CPU time of every PostgreSQL process on the machine, in clock ticks.
fn postgres_ticks() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|pid| process_ticks(&pid))
        .sum()
}

/// Clock ticks per second (`getconf CLK_TCK`), 100 when unknown.
pub fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU counters at one moment: the app's, this harness's (load and stub),
/// PostgreSQL's and the whole machine's.
#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    at: Instant,
    app: u64,
    harness: u64,
    postgres: u64,
    busy: u64,
}

impl CpuSample {
    pub fn take(app_pid: u32) -> Self {
        Self {
            at: Instant::now(),
            app: process_ticks(&app_pid.to_string()),
            harness: process_ticks("self"),
            postgres: postgres_ticks(),
            busy: machine_busy_ticks(),
        }
    }

    /// Cores used from `self` to `later`, as JSON: app, harness,
    /// PostgreSQL and everything else ("other": noise on a shared machine).
    pub fn cores_until(&self, later: &Self, hz: f64) -> serde_json::Value {
        let secs = later.at.duration_since(self.at).as_secs_f64().max(1e-9);
        let per = |a: u64, b: u64| b.saturating_sub(a) as f64 / hz / secs;
        let app = per(self.app, later.app);
        let harness = per(self.harness, later.harness);
        let postgres = per(self.postgres, later.postgres);
        let other = (per(self.busy, later.busy) - app - harness - postgres).max(0.0);
        let r = |v: f64| (v * 1000.0).round() / 1000.0;
        serde_json::json!({
            "app_cores": r(app), "harness_cores": r(harness),
            "postgres_cores": r(postgres), "other_cores": r(other),
        })
    }
}
