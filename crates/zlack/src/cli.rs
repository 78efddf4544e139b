//! The `zlack` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;

mod admin;
pub mod backup;
mod doctor;
mod jobs;
pub mod rotate_key;

/// The parsed command line: global options and one subcommand.
#[derive(Debug, Parser)]
#[command(
    name = "zlack",
    version,
    about = "Self-hosted Zoom for Slack",
    propagate_version = true
)]
pub struct Cli {
    /// Configuration file with ZLACK_* keys; the environment wins over it.
    #[arg(
        long,
        global = true,
        env = "ZLACK_CONFIG",
        default_value = "zlack.toml"
    )]
    pub config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP server and worker (applies pending migrations first).
    Serve {
        /// Serve HTTP only and leave jobs to other zlack processes on the
        /// same database (for separate web and worker replicas).
        #[arg(long)]
        no_worker: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Print the Slack app manifest (YAML) for ZLACK_PUBLIC_URL.
    Manifest,
    /// Print a fresh random ZLACK_ENCRYPTION_KEY.
    Keygen,
    /// Check configuration and reachability; print what is wrong and how to fix it.
    Doctor,
    /// List dead-lettered jobs, or put them back in the queue.
    Jobs {
        /// Lists dead-lettered jobs when omitted.
        #[command(subcommand)]
        action: Option<jobs::JobsAction>,
    },
    /// Delete everything zlack keeps about a Slack workspace or a Zoom
    /// user, in one transaction, and record it in the audit log.
    Purge(admin::PurgeArgs),
    /// Print the audit log: installs, uninstalls, links, unlinks, purges.
    Audit(admin::AuditArgs),
    /// Server-to-server mode: map a Slack user to a Zoom user by hand (for
    /// when their email addresses differ).
    MapUser(admin::MapUserArgs),
    /// Copy a SQLite database (and its key file) consistently while zlack
    /// serves; PostgreSQL is backed up with pg_dump.
    Backup(backup::BackupArgs),
    /// Re-seal every stored secret under a new encryption key (stop every
    /// `zlack serve` first).
    RotateKey(rotate_key::RotateKeyArgs),
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Keygen = cli.command {
        println!("{}", crate::vault::generate_key().to_base64());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env(Some(&cli.config)) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("zlack: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Command::Manifest = cli.command {
        // stderr, so stdout stays a manifest to paste or pipe.
        for warning in config.public_url_warnings() {
            eprintln!("zlack: warning: {warning}");
        }
        print!("{}", crate::manifest::manifest_yaml(&config));
        return ExitCode::SUCCESS;
    }
    crate::telemetry::init_logging(&config.log, config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("zlack: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { no_worker } => serve(config, !no_worker).await,
            Command::Migrate => migrate(config).await,
            Command::Doctor => doctor::run(config).await,
            Command::Jobs { action } => jobs::run(config, action.unwrap_or_default()).await,
            Command::Purge(args) => admin::purge(config, args).await,
            Command::Audit(args) => admin::audit(config, args).await,
            Command::MapUser(args) => admin::map_user(config, args).await,
            Command::Backup(args) => backup::run(config, args).await,
            Command::RotateKey(args) => rotate_key::run(config, args).await,
            Command::Keygen | Command::Manifest => {
                unreachable!("handled before the runtime starts")
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("zlack: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config, run_worker: bool) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    // Configuration problems first, before anything is bound or created.
    if config.encryption_key.is_none() && !config.database.is_sqlite() {
        crate::app::resolve_key(&config)?;
    }
    let listener = crate::http::serve::bind(config.listen)
        .with_context(|| format!("ZLACK_LISTEN: cannot bind {}", config.listen))?;
    let shutdown = shutdown_signal()?;
    let options = crate::app::Options {
        run_worker,
        ..Default::default()
    };
    let app = crate::app::Application::build(config.clone(), listener, options).await?;
    for (key, why) in config.missing() {
        tracing::warn!(key, why, "setting missing");
    }
    if config.metrics.listen.is_none()
        && config.metrics.token.is_none()
        && !is_loopback(&config.public_url)
    {
        tracing::warn!(
            "/metrics is public on ZLACK_PUBLIC_URL; set ZLACK_METRICS_TOKEN or ZLACK_METRICS_LISTEN to keep it private"
        );
    }
    tracing::info!(listen = %app.local_addr(), public_url = %config.public_url, database = ?config.database, "zlack is serving");
    app.run_until(shutdown).await?;
    Ok(ExitCode::SUCCESS)
}

/// Milliseconds since the epoch as RFC 3339 in UTC, for `--json` output.
fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

/// Whether `url` names this machine (`localhost` or a loopback address).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

async fn migrate(config: Config) -> anyhow::Result<ExitCode> {
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    println!("database {:?} is up to date", config.database);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed now, so a
/// signal that arrives before the server is polled still shuts it down.
pub fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}
