//! `zlack doctor`: one line per check, with the fix for each failure.

use std::process::ExitCode;

use crate::config::{Config, DatabaseUrl};

struct Report {
    failures: usize,
}

impl Report {
    fn ok(&self, what: &str) {
        println!("ok    {what}");
    }

    fn note(&self, what: &str) {
        println!("note  {what}");
    }

    fn fail(&mut self, what: &str, fix: &str) {
        self.failures += 1;
        println!("FAIL  {what} — {fix}");
    }
}

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    let config = std::sync::Arc::new(config);
    let mut report = Report { failures: 0 };
    report.ok(&format!(
        "configuration parsed (Zoom mode: {})",
        config.zoom.mode.as_str()
    ));
    for (key, why) in config.missing() {
        report.fail(&format!("{key} is not set"), &format!("set it: it {why}"));
    }
    let key_known = match (&config.encryption_key, &config.database) {
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
    };
    if key_known {
        check_database(&config, &mut report).await;
    }
    if key_known {
        check_whiteboards(config, &report).await;
    }
    if report.failures == 0 {
        println!("all checks passed");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} check(s) failed", report.failures);
        Ok(ExitCode::FAILURE)
    }
}

/// Whether Zoom Whiteboard is on for the accounts zlack serves, asked with
/// the newest connected user's token. Not a failure when it is off: links
/// then unfurl without details, and nobody sees an error.
async fn check_whiteboards(config: std::sync::Arc<Config>, report: &Report) {
    use crate::zoom::error::ZoomError;
    let Ok(store) = crate::app::open_store(&config).await else {
        return;
    };
    let link = match store.newest_zoom_link().await {
        Ok(Some((team, user))) => store.zoom_link(&team, &user).await.ok().flatten(),
        _ => None,
    };
    let Some(link) = link else {
        report
            .note("no Zoom account connected yet: whiteboard availability is checked once one is");
        store.close().await;
        return;
    };
    let clock: crate::clock::SharedClock = std::sync::Arc::new(crate::clock::SystemClock);
    let svc = crate::services::Services::new(config, store.clone(), clock);
    match crate::flows::credentials::zoom_token(&svc, &link, None).await {
        Err(e) => report.note(&format!(
            "cannot check Zoom Whiteboard with the newest connected user's token ({e})"
        )),
        Ok(token) => match svc.zoom.whiteboards_available(&token).await {
            Ok(()) => report.ok("Zoom Whiteboard answers for the newest connected user"),
            Err(ZoomError::Transient(e)) => {
                report.note(&format!("Zoom did not answer about whiteboards ({e})"))
            }
            Err(e) => report.note(&format!(
                "Zoom Whiteboard is not available to the newest connected user ({e}): \
                 whiteboard links unfurl without details and no whiteboard notices arrive; \
                 a Zoom admin can turn Whiteboard on for the account"
            )),
        },
    }
    store.close().await;
}

async fn check_database(config: &Config, report: &mut Report) {
    let store = match crate::app::open_store(config).await {
        Ok(store) => store,
        Err(error) => {
            report.fail(
                &format!("database unreachable: {error:#}"),
                "check ZLACK_DATABASE_URL and that the server runs",
            );
            return;
        }
    };
    match store.ping().await {
        Ok(()) => report.ok(&format!("database {:?} answers", config.database)),
        Err(error) => report.fail(
            &format!("database does not answer: {error}"),
            "check ZLACK_DATABASE_URL",
        ),
    }
    match store.pending_migrations().await {
        Ok(pending) if pending.is_empty() => report.ok("database schema is up to date"),
        Ok(pending) => report.fail(
            &format!("{} migration(s) pending", pending.len()),
            "run `zlack migrate`",
        ),
        Err(error) => report.fail(
            &format!("cannot read migrations: {error}"),
            "run `zlack migrate`",
        ),
    }
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
        Err(_) => report.ok("no tokens stored yet"),
    }
    store.close().await;
}
