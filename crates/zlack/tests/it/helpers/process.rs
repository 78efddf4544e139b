//! zlack as a separate process, for what only a real process shows:
//! SIGKILL, SIGTERM, several replicas on one database, the CLI.

use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zlack")
}

/// A command with exactly `envs` (plus PATH), run in `dir`.
pub fn command(dir: &std::path::Path, envs: &[(String, String)], args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .args(args)
        .kill_on_drop(true);
    cmd
}

/// Runs a CLI command to completion: (status, stdout, stderr).
pub async fn run(
    dir: &std::path::Path,
    envs: &[(String, String)],
    args: &[&str],
) -> (ExitStatus, String, String) {
    let out = command(dir, envs, args).output().await.expect("run zlack");
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub struct Server {
    child: Child,
    pub base_url: String,
    /// Log lines up to and including the "serving" line.
    pub startup_log: Vec<String>,
    /// Every log line after the "serving" line, as it arrives.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `zlack serve` on a free port and returns once it serves.
    pub async fn start(dir: &std::path::Path, envs: &[(String, String)], extra: &[&str]) -> Self {
        Self::start_limited(dir, envs, extra, None).await
    }

    /// Like [`Server::start`], with at most `open_files` file descriptors
    /// (`ulimit -n` in a shell that then becomes zlack: same process id).
    pub async fn start_limited(
        dir: &std::path::Path,
        envs: &[(String, String)],
        extra: &[&str],
        open_files: Option<u64>,
    ) -> Self {
        let mut envs = envs.to_vec();
        envs.retain(|(k, _)| k != "ZLACK_LISTEN");
        envs.push(("ZLACK_LISTEN".into(), "127.0.0.1:0".into()));
        if !envs.iter().any(|(k, _)| k == "ZLACK_LOG") {
            envs.push(("ZLACK_LOG".into(), "info".into()));
        }
        let mut args = vec!["serve"];
        args.extend_from_slice(extra);
        let mut cmd = match open_files {
            None => command(dir, &envs, &args),
            Some(n) => {
                let script = format!("ulimit -n {n} && exec \"$0\" \"$@\"");
                let mut cmd = Command::new("sh");
                cmd.env_clear()
                    .env("PATH", std::env::var("PATH").unwrap_or_default())
                    .envs(envs.iter().map(|(k, v)| (k, v)))
                    .current_dir(dir)
                    .args(["-c", script.as_str(), bin()])
                    .args(&args)
                    .kill_on_drop(true);
                cmd
            }
        };
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn zlack serve");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut startup_log = Vec::new();
        let base_url = tokio::time::timeout(Duration::from_secs(60), async {
            while let Ok(Some(line)) = lines.next_line().await {
                startup_log.push(line.clone());
                if line.contains("zlack is serving") {
                    // Text (`listen=ADDR`) or JSON (`"fields":{"listen":ADDR}`).
                    let addr = match serde_json::from_str::<serde_json::Value>(&line) {
                        Ok(json) => json["fields"]["listen"]
                            .as_str()
                            .expect("serving line names the address")
                            .to_owned(),
                        Err(_) => line
                            .split_whitespace()
                            .find_map(|w| w.strip_prefix("listen="))
                            .expect("serving line names the address")
                            .to_owned(),
                    };
                    return format!("http://{addr}");
                }
            }
            panic!("zlack exited before serving:\n{}", startup_log.join("\n"));
        })
        .await
        .expect("zlack started within a minute");
        // Keep reading, so a full pipe never blocks the server's logging.
        let log = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn({
            let log = log.clone();
            async move {
                while let Ok(Some(line)) = lines.next_line().await {
                    log.lock().unwrap().push(line);
                }
            }
        });
        Self {
            child,
            base_url,
            startup_log,
            log,
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id().expect("running") as i32
    }

    /// The log lines written since the "serving" line.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The resident memory of the process, in KiB (`VmRSS`).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// How many files (sockets included) the process has open.
    pub fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .expect("read /proc/PID/fd")
            .count()
    }

    /// SIGKILL: no cleanup of any kind.
    pub async fn kill9(mut self) {
        self.child.start_kill().expect("kill");
        self.child.wait().await.expect("reap");
    }

    /// Sends SIGTERM without waiting for the exit.
    pub fn sigterm(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("send SIGTERM");
        assert!(status.success());
    }

    /// SIGTERM, then wait for the exit.
    pub async fn terminate(self) -> ExitStatus {
        self.sigterm();
        self.exit().await
    }

    /// Waits for the exit.
    pub async fn exit(mut self) -> ExitStatus {
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("zlack exits within 30 s")
            .expect("wait")
    }
}

/// Polls `check` until it holds (for state owned by another process).
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
