//! The `/zoom` flow end to end, zlack next to reference apps built on
//! Slack's own frameworks, against a Slack+Zoom stub that answers every
//! call after a fixed delay.
//!
//! `e2e run` starts the stub in this process and one app as a child
//! process on 127.0.0.1 (zlack with a fresh, seeded database; or a Bolt
//! app), sends one scenario's load and prints its figures as a
//! `BENCH_JSON {…}` line:
//!
//! - `burst`: N distinct signed `/zoom` commands over C keep-alive
//!   connections, each sent as soon as the previous answer came back;
//! - `sustained`: `/zoom` open loop at R per second for D seconds;
//! - `webhook` (zlack only): `meeting.participant_joined` open loop at R
//!   per second into announced meetings, each until its
//!   `calls.participants.add`.
//!
//! `e2e preload` builds a database with many finished rows (a template
//! for `run --template`), and `e2e explain` prints the plans of zlack's
//! hot queries on one. `e2e soak` runs a long mixed load with Slack faults
//! and `kill -9`s and checks every effect happened exactly once.
//! `bench/e2e.sh`, `bench/explain.sh` and `bench/soak.sh` drive these; see
//! docs/benchmarks.md.

mod apps;
mod explain;
mod load;
mod preload;
mod report;
mod rows;
mod scenario;
mod seed;
mod soak;
mod stub;

use std::path::PathBuf;

use anyhow::bail;
use clap::{Parser, Subcommand, ValueEnum};

use apps::AppKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// N commands over C connections, closed loop.
    Burst,
    /// Commands open loop at a fixed rate.
    Sustained,
    /// Zoom webhooks open loop; zlack only.
    Webhook,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Self::Burst => "burst",
            Self::Sustained => "sustained",
            Self::Webhook => "webhook",
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    about = "The /zoom flow end to end: zlack and Bolt reference apps against a delayed stub"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// One app, one scenario, one run.
    Run(Box<RunArgs>),
    /// Builds a preloaded template database.
    Preload(PreloadArgs),
    /// Prints the plans of zlack's hot queries on a preloaded database.
    Explain(PreloadArgs),
    /// Long mixed load with Slack faults and `kill -9`s; checks every
    /// effect happened exactly once and memory stayed flat.
    Soak(Box<soak::SoakArgs>),
}

/// Where a database lives.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// zlack's database.
    #[arg(long, value_enum, default_value = "sqlite")]
    pub database: Backend,
    /// PostgreSQL server (maintenance database) where throwaway databases
    /// are made.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pub postgres_url: String,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[arg(long, value_enum)]
    pub app: AppKind,
    #[arg(long, value_enum)]
    pub scenario: Scenario,
    /// Every stub answer waits this long.
    #[arg(long, default_value_t = 150)]
    pub delay_ms: u64,
    /// Commands in a burst.
    #[arg(long, default_value_t = 2000)]
    pub commands: usize,
    /// Keep-alive connections of a burst.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// Requests per second of the open-loop scenarios.
    #[arg(long, default_value_t = 200)]
    pub rate: u32,
    /// Measured seconds of the open-loop scenarios.
    #[arg(long, default_value_t = 60)]
    pub duration: u32,
    /// Commands sent (and their cards awaited) before the measured load;
    /// for `webhook`, seconds of unmeasured sending at the same rate.
    #[arg(long, default_value_t = 20)]
    pub warmup: u32,
    /// Seconds without a new card after which the rest count as lost.
    #[arg(long, default_value_t = 60)]
    pub drain: u64,
    #[command(flatten)]
    pub db: DbArgs,
    /// A preloaded database to copy (SQLite file or PostgreSQL database
    /// name, from `e2e preload`).
    #[arg(long)]
    pub template: Option<String>,
    /// Run the app under `taskset -c CPUS`.
    #[arg(long, value_name = "CPUS")]
    pub server_cpus: Option<String>,
    #[arg(long, default_value = "target/release/zlack")]
    pub zlack: PathBuf,
    /// Python of the Bolt for Python venv.
    #[arg(long, default_value = "python3")]
    pub python: PathBuf,
    #[arg(long, default_value = "bench/reference/bolt-python/app.py")]
    pub python_app: PathBuf,
    #[arg(long, default_value = "node")]
    pub node: PathBuf,
    /// The Bolt for JavaScript app, next to its installed node_modules.
    #[arg(long, default_value = "bench/reference/bolt-js/app.js")]
    pub node_app: PathBuf,
    /// Extra environment for `zlack serve`, KEY=VALUE; repeatable.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub envs: Vec<String>,
    /// Keep the run's directory (database, logs).
    #[arg(long)]
    pub keep: bool,
}

#[derive(Debug, clap::Args)]
pub struct PreloadArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Rows to add to the growing tables.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: usize,
    /// SQLite: the file to write; PostgreSQL: the database to create.
    /// `explain` makes (and removes) a throwaway one when not given.
    #[arg(long)]
    pub to: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Run(args) => {
            let result = scenario::run(&args).await?;
            println!("BENCH_JSON {result}");
        }
        Command::Preload(args) => {
            let Some(to) = &args.to else {
                bail!("--to is needed: the SQLite file or PostgreSQL database to build");
            };
            let url = target_url(&args, to).await?;
            preload::preload(&url, args.rows).await?;
        }
        Command::Explain(args) => explain_on(&args).await?,
        Command::Soak(args) => {
            let result = soak::run(&args).await?;
            println!("BENCH_JSON {result}");
        }
    }
    Ok(())
}

/// The URL of `to`, creating the PostgreSQL database (a SQLite file is
/// created on connect; an old one is replaced).
async fn target_url(args: &PreloadArgs, to: &str) -> anyhow::Result<String> {
    match args.db.database {
        Backend::Sqlite => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{to}{suffix}"));
            }
            Ok(format!("sqlite://{to}"))
        }
        Backend::Postgres => {
            seed::drop_postgres(&args.db.postgres_url, to).await?;
            seed::create_postgres(&args.db.postgres_url, to, None).await?;
            seed::postgres_url(&args.db.postgres_url, to)
        }
    }
}

async fn explain_on(args: &PreloadArgs) -> anyhow::Result<()> {
    let (to, throwaway) = match (&args.to, args.db.database) {
        (Some(to), _) => (to.clone(), false),
        (None, Backend::Sqlite) => {
            let dir = std::env::temp_dir().join(format!(
                "zlack-explain-{}",
                hex::encode(rand::random::<[u8; 4]>())
            ));
            std::fs::create_dir_all(&dir)?;
            (dir.join("zlack.db").display().to_string(), true)
        }
        (None, Backend::Postgres) => (
            format!("zlack_explain_{}", hex::encode(rand::random::<[u8; 4]>())),
            true,
        ),
    };
    let url = if throwaway {
        let url = target_url(args, &to).await?;
        preload::preload(&url, args.rows).await?;
        url
    } else {
        match args.db.database {
            Backend::Sqlite => format!("sqlite://{to}"),
            Backend::Postgres => seed::postgres_url(&args.db.postgres_url, &to)?,
        }
    };
    let result = explain::explain(&url).await;
    if throwaway {
        match args.db.database {
            Backend::Sqlite => {
                if let Some(dir) = std::path::Path::new(&to).parent() {
                    std::fs::remove_dir_all(dir).ok();
                }
            }
            Backend::Postgres => seed::drop_postgres(&args.db.postgres_url, &to).await?,
        }
    }
    let scans = result?;
    if scans.is_empty() {
        println!("No hot statement reads a whole table.");
    } else {
        println!("Statements that read a whole table ({}):", scans.len());
        for name in scans {
            println!("- {name}");
        }
    }
    Ok(())
}
