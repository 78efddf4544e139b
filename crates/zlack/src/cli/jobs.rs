//! `zlack jobs`: the dead-letter queue, for operators.

use std::process::ExitCode;

use clap::Subcommand;

use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::store::JobStatus;

#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// List dead-lettered jobs (the default), or every recent job with --all.
    List(ListArgs),
    /// List every recent job, whatever its state (`list --all`).
    All(JsonArg),
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

impl Default for JobsAction {
    fn default() -> Self {
        Self::List(ListArgs::default())
    }
}

/// `zlack jobs list`'s options.
#[derive(Debug, Default, clap::Args)]
pub struct ListArgs {
    /// Every recent job (the newest 500), not only dead-lettered ones.
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    json: JsonArg,
}

/// `--json`.
#[derive(Debug, Default, clap::Args)]
pub struct JsonArg {
    /// Print one JSON array of objects with the fields `id`, `kind`,
    /// `status`, `attempts`, `run_at` and `updated_at` (RFC 3339, UTC) and
    /// `last_error` (null when none).
    #[arg(long)]
    json: bool,
}

pub async fn run(config: Config, action: JobsAction) -> anyhow::Result<ExitCode> {
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let code = match action {
        JobsAction::List(args) => {
            let status = (!args.all).then_some(JobStatus::Dead);
            list(&store, status, args.json.json).await?
        }
        JobsAction::All(json) => list(&store, None, json.json).await?,
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

async fn list(
    store: &crate::store::Store,
    status: Option<JobStatus>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let rows = store.list_jobs(status, 500).await?;
    if json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|row| {
                serde_json::json!({
                    "id": row.id,
                    "kind": row.kind,
                    "status": row.status.as_str(),
                    "attempts": row.attempts,
                    "run_at": crate::cli::rfc3339(row.run_at),
                    "updated_at": crate::cli::rfc3339(row.updated_at),
                    "last_error": row.last_error,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
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
