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
        Target::Team(id)
        | Target::ZoomUser(id)
        | Target::ZoomAccount(id)
        | Target::ZoomUserTokens(id) => id,
    };
    let team_like = |id: &str| {
        id.len() >= 3
            && id.starts_with(['T', 'E'])
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    let fits = match &target {
        Target::Team(id) => team_like(id),
        _ => plausible_id(id),
    };
    if !fits {
        eprintln!("zlack: {id:?} is not a Slack team id (T… or E…) or Zoom user id");
        return Ok(ExitCode::FAILURE);
    }
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let svc = Services::new(Arc::new(config), store.clone(), Arc::new(SystemClock));
    let purged = uninstall::purge(&svc, &target).await;
    store.close().await;
    match purged? {
        Some(purged) => {
            println!("removed: {}", purged.summary());
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let what = match &target {
                Target::Team(_) => "Slack workspace",
                _ => "Zoom user",
            };
            eprintln!("zlack: no {what} {id} is known; nothing removed");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `zlack audit`'s options.
#[derive(Debug, Default, Args)]
pub struct AuditArgs {
    /// Print one JSON array of objects with the fields `id`, `at` (RFC
    /// 3339, UTC), `actor`, `action`, `subject` and `detail`.
    #[arg(long)]
    json: bool,
}

pub async fn audit(config: Config, args: AuditArgs) -> anyhow::Result<ExitCode> {
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let mut after = 0;
    let mut entries = Vec::new();
    loop {
        let page = store.audit_log(after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        entries.extend(page);
    }
    store.close().await;
    if args.json {
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|entry| {
                serde_json::json!({
                    "id": entry.id,
                    "at": crate::cli::rfc3339(entry.at),
                    "actor": entry.actor,
                    "action": entry.action,
                    "subject": entry.subject,
                    "detail": entry.detail,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    for entry in &entries {
        let at = jiff::Timestamp::from_millisecond(entry.at)
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_else(|_| entry.at.to_string());
        println!(
            "{at}  {:<14} {:<28} {:<36} {}",
            entry.action, entry.actor, entry.subject, entry.detail
        );
    }
    if entries.is_empty() {
        println!("the audit log is empty");
    }
    Ok(ExitCode::SUCCESS)
}

/// Who `zlack map-user` maps to whom.
#[derive(Debug, Args)]
pub struct MapUserArgs {
    /// The Slack workspace (`T…`).
    #[arg(long, value_name = "TEAM_ID")]
    team: String,
    /// The Slack user (`U…` or `W…`).
    #[arg(long, value_name = "SLACK_USER_ID")]
    slack_user: String,
    /// Their Zoom user: an id or an email address of the account's users.
    #[arg(long, value_name = "ZOOM_USER_ID_OR_EMAIL")]
    zoom_user: String,
}

/// `zlack map-user`: in server-to-server mode, links a Slack user to a Zoom
/// user of the account by hand, for when their emails differ. The mapping
/// stays until unlinked, purged or deauthorized; email matching never
/// replaces it.
pub async fn map_user(config: Config, args: MapUserArgs) -> anyhow::Result<ExitCode> {
    use crate::config::ZoomMode;
    if config.zoom.mode == ZoomMode::Personal {
        eprintln!(
            "zlack: map-user is for ZLACK_ZOOM_MODE=server-to-server or organization; in {} mode each user connects their own Zoom account with {}",
            config.zoom.mode.as_str(),
            config.slash_command
        );
        return Ok(ExitCode::FAILURE);
    }
    let zoom_ok = args
        .zoom_user
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.@+".contains(&b));
    if !plausible_id(&args.team)
        || !plausible_id(&args.slack_user)
        || args.zoom_user.is_empty()
        || args.zoom_user.len() > 254
        || !zoom_ok
    {
        eprintln!(
            "zlack: --team, --slack-user and --zoom-user must be Slack ids and a Zoom user id or email"
        );
        return Ok(ExitCode::FAILURE);
    }
    let store = crate::app::open_store(&config).await?;
    store.migrate().await?;
    let svc = Services::new(Arc::new(config), store.clone(), Arc::new(SystemClock));
    let code = match crate::flows::mapping::lookup(&svc, &args.team, &args.zoom_user).await {
        Ok(Some(user)) => {
            let now = crate::clock::Clock::now_ms(&SystemClock);
            let link = crate::store::ZoomLink {
                team_id: args.team.clone().into(),
                slack_user_id: args.slack_user.clone().into(),
                zoom_user_id: user.id.clone().into(),
                zoom_email: Some(user.email.clone()),
                zoom_account_id: user.account_id.clone().map(Into::into),
                status: crate::store::LinkStatus::Ok,
                linked_at: now,
            };
            let mut tx = store.begin().await?;
            store.save_zoom_link(&mut tx, &link).await?;
            store
                .audit(
                    &mut tx,
                    now,
                    "operator",
                    "link",
                    &format!("zoom-user:{}", user.id),
                    &format!("slack-user:{}:{} by map-user", args.team, args.slack_user),
                )
                .await?;
            tx.commit().await?;
            println!(
                "mapped {} in {} to Zoom user {} ({})",
                args.slack_user, args.team, user.id, user.email
            );
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!("zlack: the Zoom account has no user {:?}", args.zoom_user);
            ExitCode::FAILURE
        }
        Err(crate::flows::mapping::Unmapped::Tell(kind)) => {
            eprintln!("zlack: cannot ask Zoom: {kind:?} (run zlack doctor)");
            ExitCode::FAILURE
        }
        Err(crate::flows::mapping::Unmapped::Later(why)) => {
            eprintln!("zlack: Zoom is unavailable, try again: {why}");
            ExitCode::FAILURE
        }
    };
    store.close().await;
    Ok(code)
}
