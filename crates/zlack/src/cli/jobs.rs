//! `zlack jobs`: the dead-letter queue, for operators.

use std::process::ExitCode;

use clap::Subcommand;

use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::store::JobStatus;

#[derive(Debug, Default, Subcommand)]
pub enum JobsAction {
    /// List dead-lettered jobs (the default), or every recent job with --all.
    #[default]
    List,
    /// List every recent job, whatever its state.
    All,
    /// Put a dead-lettered job back in the queue with fresh attempts.
    Retry {
        /// The job's id, as `zlack jobs` lists it.
        #[arg(required_unless_present = "all")]
        id: Option<i64>,
        /// Retry every dead-lettered job.
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
}

pub async fn run(config: Config, action: JobsAction) -> anyhow::Result<ExitCode> {
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let code = match action {
        JobsAction::List => list(&store, Some(JobStatus::Dead)).await?,
        JobsAction::All => list(&store, None).await?,
        JobsAction::Retry { id, all } => {
            let target = if all { None } else { id };
            let n = store.retry_dead_jobs(target, SystemClock.now_ms()).await?;
            match (target, n) {
                (Some(id), 0) => {
                    eprintln!("zlack: job {id} is not dead-lettered (see `zlack jobs`)");
                    ExitCode::FAILURE
                }
                _ => {
                    println!("requeued {n} job(s)");
                    ExitCode::SUCCESS
                }
            }
        }
    };
    store.close().await;
    Ok(code)
}

async fn list(store: &crate::store::Store, status: Option<JobStatus>) -> anyhow::Result<ExitCode> {
    let rows = store.list_jobs(status, 500).await?;
    if rows.is_empty() {
        println!(
            "{}",
            if status.is_some() {
                "no dead-lettered jobs"
            } else {
                "no jobs"
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:>8}  {:<16} {:<7} {:>8}  {:<20}  last error",
        "id", "kind", "status", "attempts", "updated"
    );
    for row in rows {
        let updated = jiff::Timestamp::from_millisecond(row.updated_at)
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        println!(
            "{:>8}  {:<16} {:<7} {:>8}  {:<20}  {}",
            row.id,
            row.kind,
            row.status.as_str(),
            row.attempts,
            updated,
            row.last_error.unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
