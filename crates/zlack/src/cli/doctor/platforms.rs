//! What Slack and Zoom think of zlack's credentials: every installed
//! workspace's bot token (`auth.test`), the Zoom app's client credentials
//! (and account, in server-to-server mode), and whether Zoom Whiteboard
//! answers for the newest connected user.

use sqlx::Row as _;

use super::Report;
use crate::config::{Config, Secret, ZoomEvents, ZoomMode};
use crate::services::Services;
use crate::slack::api::SlackError;
use crate::store::{Store, StoreError, TokenKind, TokenOwner};
use crate::zoom::oauth::{OAuthError, ZoomOAuth};
use std::time::Duration;

/// The refresh token the client-credentials probe turns in. Zoom checks
/// the client before the grant, so a good client gets "invalid grant" and
/// a bad one "invalid client".
const PROBE_REFRESH_TOKEN: &str = "zlack-doctor-probe";

/// The OAuth client for the configured Zoom app, when it is configured.
pub(super) fn zoom_oauth(config: &Config, http: &reqwest::Client) -> Option<ZoomOAuth> {
    match (&config.zoom.client_id, &config.zoom.client_secret) {
        (Some(id), Some(secret)) => Some(ZoomOAuth::new(
            http.clone(),
            &config.zoom.oauth_url,
            id,
            secret.clone(),
        )),
        _ => None,
    }
}

/// Every install, as (team id, name), by team id.
async fn installs(store: &Store) -> Result<Vec<(String, Option<String>)>, StoreError> {
    let mut tx = store.begin().await?;
    let rows = sqlx::query("SELECT team_id, team_name FROM workspaces ORDER BY team_id")
        .fetch_all(&mut *tx)
        .await?;
    tx.rollback().await?;
    rows.iter()
        .map(|row| Ok((row.try_get("team_id")?, row.try_get("team_name")?)))
        .collect()
}

/// `auth.test` with the bot token of every installed workspace.
pub(super) async fn check_slack_tokens(svc: Option<&Services>) -> Report {
    let mut report = Report::default();
    // Without a usable database the lines above already say why.
    let Some(svc) = svc else { return report };
    let installs = match installs(&svc.store).await {
        Ok(installs) => installs,
        Err(error) => {
            report.fail(
                &format!("cannot list the Slack installs: {error}"),
                "check ZLACK_DATABASE_URL and run `zlack migrate`",
            );
            return report;
        }
    };
    if installs.is_empty() {
        report.note(&format!(
            "no Slack workspace installed yet: open {} to add one",
            svc.config.public("slack/install")
        ));
        return report;
    }
    let mut checks = tokio::task::JoinSet::new();
    for (index, (team_id, name)) in installs.into_iter().enumerate() {
        let svc = svc.clone();
        checks.spawn(async move { (index, check_install(&svc, &team_id, name).await) });
    }
    let mut done = Vec::new();
    while let Some(joined) = checks.join_next().await {
        match joined {
            Ok(result) => done.push(result),
            Err(error) => report.fail(
                &format!("a Slack bot token check stopped: {error}"),
                "run `zlack doctor` again",
            ),
        }
    }
    done.sort_by_key(|(index, _)| *index);
    for (_, part) in done {
        report.absorb(part);
    }
    report
}

async fn check_install(svc: &Services, team_id: &str, name: Option<String>) -> Report {
    let mut report = Report::default();
    let workspace = match &name {
        Some(name) if !name.is_empty() => format!("{name} ({team_id})"),
        _ => team_id.to_owned(),
    };
    let reinstall = format!(
        "reinstall zlack in that workspace: open {}",
        svc.config.public("slack/install")
    );
    let token = match svc
        .store
        .token(&TokenOwner::slack_team(team_id), TokenKind::SlackBot)
        .await
    {
        Ok(Some(stored)) => {
            // Read-only: doctor never renews a token (a renewal it abandoned
            // could leave the server with a rotated-away refresh token).
            let now = crate::clock::Clock::now_ms(&*svc.clock);
            if stored.expires_at.is_some_and(|at| at <= now + 60_000) {
                report.note(&format!(
                    "the bot token of Slack workspace {workspace} is due for renewal; the server renews it when it next needs it"
                ));
                return report;
            }
            stored.secret
        }
        Ok(None) => {
            report.fail(
                &format!("Slack workspace {workspace} has no bot token"),
                &reinstall,
            );
            return report;
        }
        Err(StoreError::Vault(_)) => {
            report.fail(
                &format!("the bot token of Slack workspace {workspace} cannot be opened"),
                "set ZLACK_ENCRYPTION_KEY to the key that sealed it, or reinstall zlack there",
            );
            return report;
        }
        Err(error) => {
            report.fail(
                &format!("cannot read the bot token of Slack workspace {workspace}: {error}"),
                "check ZLACK_DATABASE_URL",
            );
            return report;
        }
    };
    match svc.slack.auth_test_scopes(&token).await {
        Ok((_, granted)) => {
            report.ok(&format!(
                "Slack accepts the bot token of workspace {workspace}"
            ));
            check_scopes(&mut report, &workspace, granted.as_deref(), &reinstall);
        }
        Err(SlackError::RateLimited { wait, .. }) => report.note(&format!(
            "Slack rate-limited auth.test for workspace {workspace}; try again in {} s",
            wait.as_secs()
        )),
        Err(SlackError::Transient { why, .. }) => report.fail(
            &format!("Slack did not answer auth.test for workspace {workspace} ({why})"),
            "check that this machine reaches ZLACK_SLACK_API_URL",
        ),
        Err(refused) => report.fail(
            &format!(
                "Slack refused the bot token of workspace {workspace} ({})",
                refused.code().unwrap_or_default()
            ),
            &reinstall,
        ),
    }
    report
}

/// Whether the bot scopes Slack granted the workspace's install cover
/// what this version's manifest asks for: a version that needs a new
/// scope works only after a reinstall grants it.
fn check_scopes(report: &mut Report, workspace: &str, granted: Option<&[String]>, reinstall: &str) {
    let Some(granted) = granted else {
        report.note(&format!(
            "Slack did not say which bot scopes workspace {workspace} granted; compare them with `zlack manifest`"
        ));
        return;
    };
    let missing: Vec<&str> = crate::manifest::BOT_SCOPES
        .iter()
        .copied()
        .filter(|scope| !granted.iter().any(|g| g == scope))
        .collect();
    if missing.is_empty() {
        report.ok(&format!(
            "workspace {workspace} granted every bot scope this version needs"
        ));
    } else {
        report.fail(
            &format!(
                "workspace {workspace} did not grant the bot scope(s) {} this version needs",
                missing.join(", ")
            ),
            &format!("a reinstall is needed: {reinstall}"),
        );
    }
}

/// The Zoom app's client credentials: in server-to-server mode by asking
/// for an account token, else by a token request Zoom answers differently
/// for a bad client and for a bad grant.
pub(super) async fn check_zoom_credentials(config: &Config, http: &reqwest::Client) -> Report {
    let mut report = Report::default();
    // Missing keys already failed with the configuration.
    let Some(oauth) = zoom_oauth(config, http) else {
        return report;
    };
    let credentials_fix = "check ZLACK_ZOOM_CLIENT_ID and ZLACK_ZOOM_CLIENT_SECRET";
    let unreachable_fix = "check that this machine reaches ZLACK_ZOOM_OAUTH_URL";
    if config.zoom.mode == ZoomMode::ServerToServer {
        let Some(account) = &config.zoom.account_id else {
            return report;
        };
        match oauth.account_credentials(account).await {
            Ok(_) => report.ok(&format!(
                "Zoom grants a server-to-server token for account {account}"
            )),
            Err(OAuthError::InvalidClient) => report.fail(
                "Zoom refused the app's client credentials",
                &format!("{credentials_fix} (the Server-to-Server OAuth app's)"),
            ),
            Err(OAuthError::RateLimited(wait)) => report.note(&format!(
                "Zoom rate-limited the credentials check; try again in {} s",
                wait.as_secs()
            )),
            Err(OAuthError::Transient(why)) => report.fail(
                &format!("Zoom's OAuth endpoint did not answer ({why})"),
                unreachable_fix,
            ),
            Err(error) => report.fail(
                &format!("Zoom refused a server-to-server token for account {account} ({error})"),
                "check ZLACK_ZOOM_ACCOUNT_ID against the app's credentials page, and that the \
                 app is activated",
            ),
        }
        return report;
    }
    match oauth.refresh(&Secret::new(PROBE_REFRESH_TOKEN)).await {
        Ok(_) | Err(OAuthError::InvalidGrant) => {
            report.ok("Zoom accepts the app's client credentials")
        }
        Err(OAuthError::InvalidClient) => {
            report.fail("Zoom refused the app's client credentials", credentials_fix)
        }
        Err(OAuthError::RateLimited(wait)) => report.note(&format!(
            "Zoom rate-limited the credentials check; try again in {} s",
            wait.as_secs()
        )),
        Err(OAuthError::Transient(why)) => report.fail(
            &format!("Zoom's OAuth endpoint did not answer ({why})"),
            unreachable_fix,
        ),
        Err(OAuthError::Unexpected(why)) => report.note(&format!(
            "Zoom answered the credentials check unexpectedly ({why}); the client credentials \
             are not confirmed"
        )),
    }
    report
}

/// How Zoom's events reach zlack. With a WebSocket event subscription:
/// connects with a fresh server-to-server token, sends a heartbeat and
/// waits for its answer. Zoom serves one connection per subscription, so
/// while a running zlack holds the subscription's lease doctor says so and
/// does not connect: its connection would replace the server's.
pub(super) async fn check_zoom_events(
    config: &Config,
    http: &reqwest::Client,
    svc: Option<&Services>,
) -> Report {
    let mut report = Report::default();
    let ZoomEvents::WebSocket(ws) = &config.zoom.events else {
        report.ok("Zoom events: webhook (Zoom posts them to /zoom/webhook)");
        return report;
    };
    let what = format!("Zoom events: WebSocket subscription {}", ws.subscription_id);
    if let Some(svc) = svc {
        let lease = crate::zoom::websocket::lease_name(&ws.subscription_id);
        let now = crate::clock::Clock::now_ms(&*svc.clock);
        if let Ok(Some(_)) = svc.store.lease_holder(&lease, now).await {
            report.ok(&format!(
                "{what} is held by a running zlack (not probed: a second connection would \
                 replace its connection)"
            ));
            return report;
        }
    }
    // Missing keys already failed with the configuration.
    let (Some(oauth), Some(account)) = (zoom_oauth(config, http), &config.zoom.account_id) else {
        return report;
    };
    let token = match oauth.account_credentials(account).await {
        Ok(set) => set.access_token,
        Err(error) => {
            report.fail(
                &format!("{what}: no server-to-server token to connect with ({error})"),
                "fix the Zoom credentials first (see the credentials check)",
            );
            return report;
        }
    };
    let timeout = (ws.heartbeat * 2).clamp(Duration::from_secs(2), Duration::from_secs(10));
    match crate::zoom::websocket::probe(ws, &token, timeout).await {
        Ok(()) => report.ok(&format!("{what} answered a heartbeat")),
        Err(why) => report.fail(
            &format!("{what}: {why}"),
            "check ZLACK_ZOOM_WS_SUBSCRIPTION_ID against the app's event subscription (delivery \
             type WebSockets), that the app is activated, and that this machine reaches \
             ZLACK_ZOOM_WS_URL",
        ),
    }
    report
}

/// Whether Zoom Whiteboard is on for the accounts zlack serves, asked with
/// the newest connected user's token. Not a failure when it is off: links
/// then unfurl without details, and nobody sees an error.
pub(super) async fn check_whiteboards(svc: Option<&Services>) -> Report {
    use crate::zoom::error::ZoomError;
    let mut report = Report::default();
    let Some(svc) = svc else { return report };
    let link = match svc.store.newest_zoom_link().await {
        Ok(Some((team, user))) => svc
            .store
            .zoom_link(&team.into(), &user.into())
            .await
            .ok()
            .flatten(),
        _ => None,
    };
    let Some(link) = link else {
        report
            .note("no Zoom account connected yet: whiteboard availability is checked once one is");
        return report;
    };
    // Read-only: the stored token while it is valid, never a renewal.
    let owner = match svc.config.zoom.mode {
        ZoomMode::ServerToServer => {
            TokenOwner::zoom_account(svc.config.zoom.account_id.as_deref().unwrap_or_default())
        }
        _ => TokenOwner::zoom_user(&link.zoom_user_id),
    };
    let now = crate::clock::Clock::now_ms(&*svc.clock);
    let stored = svc
        .store
        .token(&owner, TokenKind::ZoomAccess)
        .await
        .ok()
        .flatten()
        .filter(|t| t.expires_at.is_none_or(|at| at > now + 60_000));
    match stored
        .map(|t| t.secret)
        .ok_or("no current access token; the server renews it when it next needs it")
    {
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
    report
}
