//! `zlack doctor`: one line per check, with the fix for each failure.
//!
//! The local checks (configuration, encryption key, database) run first.
//! The network checks (public URL, Slack bot tokens, Zoom credentials and
//! whiteboards, clock skew) then run side by side, each request bounded by
//! [`REQUEST_TIMEOUT`] and each check by [`CHECK_TIMEOUT`], so a host that
//! does not answer never makes doctor hang. No line carries a token or a
//! secret.

mod delivery;
mod network;
mod platforms;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{Config, DatabaseUrl};
use crate::services::Services;
use crate::store::Store;

/// How long one request to Slack, Zoom or the public URL may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one check may take in all, database work included.
const CHECK_TIMEOUT: Duration = Duration::from_secs(15);

/// The lines of one or more checks, and how many failed.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    failures: usize,
}

impl Report {
    fn ok(&mut self, what: &str) {
        self.lines.push(format!("ok    {what}"));
    }

    fn note(&mut self, what: &str) {
        self.lines.push(format!("note  {what}"));
    }

    fn fail(&mut self, what: &str, fix: &str) {
        self.failures += 1;
        self.lines.push(format!("FAIL  {what} — {fix}"));
    }

    /// Appends another check's lines after this one's.
    fn absorb(&mut self, other: Report) {
        self.lines.extend(other.lines);
        self.failures += other.failures;
    }

    /// Prints the lines gathered so far.
    fn print(&mut self) {
        for line in self.lines.drain(..) {
            println!("{line}");
        }
    }
}

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    let config = Arc::new(config);
    let mut report = Report::default();
    check_configuration(&config, &mut report);
    let key_known = check_key(&config, &mut report);
    report.print();
    let store = if key_known {
        match tokio::time::timeout(CHECK_TIMEOUT, check_database(&config, &mut report)).await {
            Ok(store) => store,
            Err(_) => {
                report.fail(
                    &format!(
                        "database did not answer within {} s",
                        CHECK_TIMEOUT.as_secs()
                    ),
                    "check ZLACK_DATABASE_URL and that the server runs",
                );
                None
            }
        }
    } else {
        None
    };
    report.print();

    let http = network::client();
    let svc = store.map(|store| services(&config, store, &http));
    let (public, delivery, slack, zoom, events, whiteboards, clock) = tokio::join!(
        bounded(
            "the ZLACK_PUBLIC_URL check",
            network::check_public_url(&config, &http)
        ),
        bounded(
            "the Socket Mode check",
            delivery::check_slack_delivery(&config, &http)
        ),
        bounded(
            "the Slack bot token check",
            platforms::check_slack_tokens(svc.as_ref())
        ),
        bounded(
            "the Zoom credentials check",
            platforms::check_zoom_credentials(&config, &http)
        ),
        bounded(
            "the Zoom events check",
            platforms::check_zoom_events(&config, &http, svc.as_ref())
        ),
        bounded(
            "the Zoom Whiteboard check",
            platforms::check_whiteboards(svc.as_ref())
        ),
        bounded("the clock check", network::check_clock(&config, &http)),
    );
    for part in [public, delivery, slack, zoom, events, whiteboards, clock] {
        report.absorb(part);
    }
    report.print();
    if let Some(svc) = svc {
        svc.store.close().await;
    }

    if report.failures == 0 {
        println!("all checks passed");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} check(s) failed", report.failures);
        Ok(ExitCode::FAILURE)
    }
}

/// Every key the chosen Zoom mode and the Slack app need.
fn check_configuration(config: &Config, report: &mut Report) {
    let mode = config.zoom.mode.as_str();
    report.ok(&format!("configuration parsed (Zoom mode: {mode})"));
    let missing = config.missing();
    if missing.is_empty() {
        report.ok(&format!("Slack and Zoom settings complete for {mode} mode"));
    }
    for (key, why) in missing {
        report.fail(&format!("{key} is not set"), &format!("set it: it {why}"));
    }
}

/// Whether an encryption key is there to open the database's tokens with.
fn check_key(config: &Config, report: &mut Report) -> bool {
    match (&config.encryption_key, &config.database) {
        (Some(_), _) => {
            report.ok("ZLACK_ENCRYPTION_KEY is set");
            true
        }
        (None, DatabaseUrl::Postgres { .. }) => {
            report.fail(
                "ZLACK_ENCRYPTION_KEY is not set",
                "PostgreSQL needs it: run `zlack keygen` and set the same key on every replica",
            );
            false
        }
        (None, DatabaseUrl::Sqlite { path }) => {
            let file = crate::app::key_file_path(path);
            if file.exists() {
                report.ok(&format!("encryption key file {}", file.display()));
                true
            } else {
                report.ok(&format!(
                    "no encryption key yet; `zlack serve` creates {}",
                    file.display()
                ));
                false
            }
        }
    }
}

/// Reachable, migrated, and every stored token opens with the key. The
/// store comes back for the checks that read installs and tokens, when
/// its schema is current.
async fn check_database(config: &Config, report: &mut Report) -> Option<Store> {
    let store = match crate::app::open_store(config).await {
        Ok(store) => store,
        Err(error) => {
            report.fail(
                &format!("database unreachable: {error:#}"),
                "check ZLACK_DATABASE_URL and that the server runs",
            );
            return None;
        }
    };
    if let DatabaseUrl::Sqlite { path } = &config.database
        && let Some(note) = readable_by_others(path)
    {
        report.note(&note);
    }
    match store.ping().await {
        Ok(()) => report.ok(&format!("database {:?} answers", config.database)),
        Err(error) => {
            report.fail(
                &format!("database does not answer: {error}"),
                "check ZLACK_DATABASE_URL",
            );
            store.close().await;
            return None;
        }
    }
    let current = match store.pending_migrations().await {
        Ok(pending) if pending.is_empty() => {
            report.ok("database schema is up to date");
            true
        }
        Ok(pending) => {
            report.fail(
                &format!("{} migration(s) pending", pending.len()),
                "run `zlack migrate`",
            );
            false
        }
        Err(error) => {
            report.fail(
                &format!("cannot read migrations: {error}"),
                "run `zlack migrate`",
            );
            false
        }
    };
    match store.token_health().await {
        Ok(health) if health.unreadable == 0 => report.ok(&format!(
            "{} stored token(s) open with the configured key",
            health.total
        )),
        Ok(health) => report.fail(
            &format!(
                "{} of {} stored token(s) cannot be opened (sealed with key {})",
                health.unreadable,
                health.total,
                health
                    .foreign_key_ids
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "set ZLACK_ENCRYPTION_KEY to the key that sealed them",
        ),
        // Before the first migration there is no tokens table yet; the
        // migration check above already says so.
        Err(_) if !current => report.note("stored tokens not checked: the schema is not current"),
        Err(error) => report.fail(
            &format!("cannot read the stored tokens: {error}"),
            "check ZLACK_DATABASE_URL and that the database answers",
        ),
    }
    if current {
        if let Ok(Some(to)) = store.rotation_in_progress().await {
            report.fail(
                &format!(
                    "a key rotation to key {to} is unfinished; `zlack serve` refuses to start"
                ),
                "run `zlack rotate-key` again to finish it",
            );
        }
        match store.check_key(false).await {
            Ok(crate::store::KeyCheck::Matches) => {}
            Ok(crate::store::KeyCheck::Mismatch { found, configured }) => report.fail(
                &format!(
                    "the database's secrets were sealed with key {found}, not with the configured key {configured}; `zlack serve` refuses to start"
                ),
                "set ZLACK_ENCRYPTION_KEY to the key the database was created with",
            ),
            Err(error) => report.fail(
                &format!("cannot check the encryption key against the database: {error}"),
                "set ZLACK_ENCRYPTION_KEY to the key the database was created with",
            ),
        }
        Some(store)
    } else {
        report.note("Slack tokens and Zoom Whiteboard are checked once the schema is up to date");
        store.close().await;
        None
    }
}

/// The services the checks use, with doctor's short-timeout HTTP client
/// in place of the server's.
fn services(config: &Arc<Config>, store: Store, http: &reqwest::Client) -> Services {
    let clock: crate::clock::SharedClock = Arc::new(crate::clock::SystemClock);
    let mut svc = Services::new(Arc::clone(config), store, clock);
    svc.slack = crate::slack::api::SlackApi::new(http.clone(), &config.slack.api_url);
    svc.zoom = crate::zoom::api::ZoomApi::new(http.clone(), &config.zoom.api_url);
    svc.zoom_oauth = platforms::zoom_oauth(config, http);
    svc
}

/// Runs a check, failing it when it takes longer than [`CHECK_TIMEOUT`].
async fn bounded(what: &str, check: impl std::future::Future<Output = Report>) -> Report {
    match tokio::time::timeout(CHECK_TIMEOUT, check).await {
        Ok(report) => report,
        Err(_) => {
            let mut report = Report::default();
            report.fail(
                &format!("{what} did not finish within {} s", CHECK_TIMEOUT.as_secs()),
                "check this machine's network connection to Slack and Zoom, and the database",
            );
            report
        }
    }
}

/// A note when the SQLite file may be read by other users: zlack makes it
/// 0600 but leaves the mode of an existing file alone.
fn readable_by_others(path: &std::path::Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "database file {} may be read by others (mode {mode:o}); chmod 600 it",
            path.display()
        )
    })
}

#[cfg(test)]
mod file_mode_tests {
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn a_database_file_others_may_read_is_noted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zlack.db");
        std::fs::write(&path, "").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let note = super::readable_by_others(&path).unwrap();
        assert!(note.contains("mode 644"), "{note}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(super::readable_by_others(&path), None);
    }
}
