//! `zlack purge` and `zlack audit`: removing a workspace's or a Zoom user's
//! data by hand, and reading the audit log.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use crate::clock::SystemClock;
use crate::config::Config;
use crate::flows::uninstall::{self, Target};
use crate::services::Services;

/// What `zlack purge` removes: exactly one of the options.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PurgeArgs {
    /// A Slack workspace (`T…`): its install, tokens, links, settings,
    /// meetings and notices.
    #[arg(long, value_name = "TEAM_ID")]
    team: Option<String>,
    /// A Zoom user id: their tokens, links and what zlack learnt from Zoom.
    #[arg(long, value_name = "ZOOM_USER_ID")]
    zoom_user: Option<String>,
}

fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn purge(config: Config, args: PurgeArgs) -> anyhow::Result<ExitCode> {
    let target = match (args.team, args.zoom_user) {
        (Some(team), None) => Target::Team(team),
        (None, Some(user)) => Target::ZoomUser(user),
        _ => unreachable!("clap requires exactly one"),
    };
    let id = match &target {
        Target::Team(id) | Target::ZoomUser(id) | Target::ZoomAccount(id) => id,
    };
    if !plausible_id(id) {
        eprintln!("zlack: {id:?} is not a Slack team id or Zoom user id");
        return Ok(ExitCode::FAILURE);
    }
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let svc = Services::new(Arc::new(config), store.clone(), Arc::new(SystemClock));
    let purged = uninstall::purge(&svc, &target).await?;
    println!("removed: {}", purged.summary());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn audit(config: Config) -> anyhow::Result<ExitCode> {
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let mut after = 0;
    let mut any = false;
    loop {
        let page = store.audit_log(after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for entry in &page {
            any = true;
            let at = jiff::Timestamp::from_millisecond(entry.at)
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_else(|_| entry.at.to_string());
            println!(
                "{at}  {:<14} {:<28} {:<36} {}",
                entry.action, entry.actor, entry.subject, entry.detail
            );
        }
    }
    if !any {
        println!("the audit log is empty");
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
