//! Pages in a real browser: runs a scenario from `tests/browser/scenarios`
//! in headless Chromium through `tests/browser/run.mjs` (Playwright with the
//! system's `/usr/bin/chromium`; nothing is downloaded).
//!
//! Without Chromium, node or `tests/browser/node_modules`, browser tests are
//! skipped unless `ZLACK_BROWSER_TESTS=required` (as `scripts/test.sh` sets),
//! which makes them fail instead. `ZLACK_CHROMIUM` names another browser.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(60);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium() -> PathBuf {
    std::env::var_os("ZLACK_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into())
}

/// What is missing to run browser tests, if anything.
async fn missing(root: &Path) -> Option<String> {
    let chromium = chromium();
    if !chromium.exists() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    let node = tokio::process::Command::new("node")
        .arg("--version")
        .output()
        .await;
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("no `node` on PATH".into());
    }
    let playwright = root.join("tests/browser/node_modules/playwright-core");
    if !playwright.exists() {
        return Some(format!("no {}", playwright.display()));
    }
    None
}

/// Runs `tests/browser/scenarios/{scenario}.mjs` with `args` and returns
/// the driver's report: `observations` (what the scenario returned),
/// `pages` (every document loaded, with its audit) and `navigations` (every
/// main-frame response, redirects included).
///
/// `None` means the browser is unavailable and not required: the caller
/// returns early. Panics when the scenario or a page check fails.
pub async fn run_scenario(scenario: &str, args: Value) -> Option<Value> {
    let root = workspace_root();
    let required = std::env::var("ZLACK_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if let Some(what) = missing(&root).await {
        assert!(
            !required,
            "ZLACK_BROWSER_TESTS=required but {what}: install Debian's `chromium` and \
             run `npm ci` in tests/browser (scripts/test.sh does both)"
        );
        eprintln!(
            "skipping browser scenario {scenario}: {what}. Run scripts/test.sh, or install \
             `chromium` and run `npm ci` in tests/browser; ZLACK_BROWSER_TESTS=required \
             turns this skip into a failure"
        );
        return None;
    }
    let child = tokio::process::Command::new("node")
        .arg(root.join("tests/browser/run.mjs"))
        .arg(root.join(format!("tests/browser/scenarios/{scenario}.mjs")))
        .arg(args.to_string())
        .env("ZLACK_CHROMIUM", chromium())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start node");
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("browser scenario {scenario} took over {TIMEOUT:?}"))
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Option<Value> = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| serde_json::from_str(l).ok());
    match report {
        Some(report) if output.status.success() && report["ok"] == true => Some(report),
        Some(report) => panic!(
            "browser scenario {scenario} failed: {}\nlast URL: {}\npages: {:#}\nstderr:\n{stderr}",
            report["error"].as_str().unwrap_or("(no error)"),
            report["url"],
            report["pages"],
        ),
        None => panic!(
            "browser scenario {scenario} printed no report ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
            output.status
        ),
    }
}
