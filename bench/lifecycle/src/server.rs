//! `zlack serve` as a child process on a loopback port, and the CPU time
//! counters (`/proc`) the report uses.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    pub base_url: String,
    pub pid: u32,
    log: PathBuf,
}

/// A port nobody listens on right now.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl Server {
    /// Starts `bin serve` in `dir` with exactly `envs` (plus `PATH` and the
    /// listen address), under `taskset -c cpus` when given, and returns
    /// once `/readyz` answers 200.
    pub async fn start(
        bin: &Path,
        dir: &Path,
        envs: &[(String, String)],
        cpus: Option<&str>,
    ) -> anyhow::Result<Self> {
        let port = free_port()?;
        let base_url = format!("http://127.0.0.1:{port}");
        let log = dir.join("server.log");
        let mut cmd = match cpus {
            Some(cpus) => {
                let mut cmd = Command::new("taskset");
                cmd.arg("-c").arg(cpus).arg(bin);
                cmd
            }
            None => Command::new(bin),
        };
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .env("ZLACK_LISTEN", format!("127.0.0.1:{port}"))
            .env("ZLACK_CONFIG", dir.join("zlack.toml"))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(dir.join("server.out"))?)
            .stderr(std::fs::File::create(&log)?)
            .kill_on_drop(true);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the server has a pid")?;
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "zlack exited ({status}) before it was ready:\n{}",
                    tail(&log)
                );
            }
            let ready = http
                .get(format!("{base_url}/readyz"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                break;
            }
            if Instant::now() > deadline {
                bail!("zlack was not ready within 60 s:\n{}", tail(&log));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self {
            child,
            base_url,
            pid,
            log,
        })
    }

    /// The end of the server's log, for error reports.
    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }

    /// SIGTERM, and SIGKILL if it has not exited within 30 s.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => {
                status?;
            }
            Err(_) => {
                self.child.start_kill()?;
                self.child.wait().await?;
                bail!("zlack did not exit within 30 s of SIGTERM");
            }
        }
        Ok(())
    }
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
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
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13
    // after the name.
    let field = |i: usize| -> u64 { fields.get(i).and_then(|f| f.parse().ok()).unwrap_or(0) };
    field(11) + field(12)
}

/// Busy CPU time of the whole machine (all CPUs, not idle or iowait), in
/// clock ticks.
pub fn machine_busy_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return 0;
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // user nice system idle iowait irq softirq steal
    [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| v.get(i).copied().unwrap_or(0))
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

/// CPU time of every PostgreSQL process on this machine (the database
/// server zlack may run on), in clock ticks.
pub fn postgres_ticks() -> u64 {
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

/// CPU use over a window, in cores: the server's, this harness's (the load
/// generator and both fakes), PostgreSQL's and everything else on the
/// machine.
#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    at: Instant,
    server: u64,
    harness: u64,
    postgres: u64,
    busy: u64,
}

/// Cores used over a window, by whom.
#[derive(Debug, Clone, Copy)]
pub struct CpuUse {
    pub server: f64,
    pub harness: f64,
    pub postgres: f64,
    pub other: f64,
}

impl CpuSample {
    pub fn take(server_pid: u32) -> Self {
        Self {
            at: Instant::now(),
            server: process_ticks(&server_pid.to_string()),
            harness: process_ticks("self"),
            postgres: postgres_ticks(),
            busy: machine_busy_ticks(),
        }
    }

    /// Cores used from `self` to `later`.
    pub fn cores_until(&self, later: &Self, hz: f64) -> CpuUse {
        let secs = later.at.duration_since(self.at).as_secs_f64().max(1e-9);
        let per = |a: u64, b: u64| b.saturating_sub(a) as f64 / hz / secs;
        let server = per(self.server, later.server);
        let harness = per(self.harness, later.harness);
        let postgres = per(self.postgres, later.postgres);
        let busy = per(self.busy, later.busy);
        CpuUse {
            server,
            harness,
            postgres,
            other: (busy - server - harness - postgres).max(0.0),
        }
    }
}
