//! One run: the stub, the app (and for zlack its database), the warm-up,
//! the measured load, and the wait for every card or effect.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use crate::apps::{self, App, AppKind, CpuSample, Launch};
use crate::load::{self, Sent, Signed};
use crate::report::{self, Effects};
use crate::seed::{self, Database};
use crate::stub::{Call, Stub};
use crate::{Backend, RunArgs, Scenario};

pub const SLACK_SIGNING_SECRET: &str = "bench-slack-signing-secret";
pub const ZOOM_WEBHOOK_SECRET: &str = "bench-zoom-webhook-secret";
/// Hard limit on waiting for the last cards, whatever `--drain` says.
const MAX_WAIT: Duration = Duration::from_secs(900);

pub async fn run(args: &RunArgs) -> anyhow::Result<Value> {
    if args.scenario == Scenario::Webhook && args.app != AppKind::Zlack {
        bail!("the webhook scenario is zlack's only");
    }
    let dir = std::env::temp_dir().join(format!(
        "zlack-e2e-{}-{}-{}",
        args.app.name(),
        args.scenario.name(),
        hex::encode(rand::random::<[u8; 4]>())
    ));
    std::fs::create_dir_all(&dir)?;
    let stub = Stub::start(Duration::from_millis(args.delay_ms)).await?;
    let db = match args.app {
        AppKind::Zlack => Some(
            Database::create(
                args.db.database,
                &dir,
                &args.db.postgres_url,
                args.template.as_deref(),
            )
            .await?,
        ),
        _ => None,
    };
    let result = run_with(args, &dir, &stub, db.as_ref()).await;
    if let Some(db) = &db {
        db.drop_database().await?;
    }
    if args.keep || result.is_err() {
        eprintln!("[e2e] kept {}", dir.display());
    } else {
        std::fs::remove_dir_all(&dir).ok();
    }
    result
}

async fn run_with(
    args: &RunArgs,
    dir: &Path,
    stub: &Stub,
    db: Option<&Database>,
) -> anyhow::Result<Value> {
    let mut announced = 0;
    if let Some(db) = db {
        seed::seed(&db.url).await?;
        if args.scenario == Scenario::Webhook {
            announced = (args.rate * (args.warmup + args.duration)) as usize;
            seed::announce(&db.url, announced).await?;
        }
    }
    let launch = launch(args, stub, db)?;
    let app = App::start(&launch, dir, args.server_cpus.as_deref()).await?;
    let measured = measure(args, stub, &app, announced).await;
    if measured.is_err() {
        eprintln!("[e2e] {} output:\n{}", args.app.name(), app.log_tail());
    }
    let stopped = app.stop().await;
    let mut result = measured?;
    stopped?;
    result["app"] = args.app.name().into();
    result["scenario"] = args.scenario.name().into();
    result["delay_ms"] = args.delay_ms.into();
    result["database"] = match (args.app, args.db.database) {
        (AppKind::Zlack, Backend::Sqlite) => "sqlite".into(),
        (AppKind::Zlack, Backend::Postgres) => "postgres".into(),
        _ => Value::Null,
    };
    result["template"] = json!(args.template);
    result["server_cpus"] = json!(args.server_cpus);
    result["server_env"] = json!(args.envs);
    Ok(result)
}

fn launch(args: &RunArgs, stub: &Stub, db: Option<&Database>) -> anyhow::Result<Launch> {
    let absolute = |p: &Path| std::fs::canonicalize(p).with_context(|| format!("{}", p.display()));
    let bolt_env = || {
        vec![
            ("SLACK_BOT_TOKEN".to_owned(), seed::BOT_TOKEN.to_owned()),
            (
                "SLACK_SIGNING_SECRET".to_owned(),
                SLACK_SIGNING_SECRET.to_owned(),
            ),
            ("SLACK_API_URL".to_owned(), stub.slack_api_url()),
            ("ZOOM_API_URL".to_owned(), stub.zoom_api_url()),
            (
                "ZOOM_ACCESS_TOKEN".to_owned(),
                seed::ZOOM_ACCESS_TOKEN.to_owned(),
            ),
        ]
    };
    Ok(match args.app {
        AppKind::Zlack => {
            let db = db.context("zlack needs a database")?;
            let mut envs = zlack_env(stub, &db.url);
            for extra in &args.envs {
                let (k, v) = extra
                    .split_once('=')
                    .with_context(|| format!("--env {extra}: expected KEY=VALUE"))?;
                envs.retain(|(key, _)| key != k);
                envs.push((k.to_owned(), v.to_owned()));
            }
            Launch {
                kind: AppKind::Zlack,
                program: absolute(&args.zlack)?,
                args: vec!["serve".into()],
                envs,
            }
        }
        AppKind::BoltPython => Launch {
            kind: AppKind::BoltPython,
            program: args.python.clone(),
            args: vec![absolute(&args.python_app)?.display().to_string()],
            envs: bolt_env(),
        },
        AppKind::BoltJs => Launch {
            kind: AppKind::BoltJs,
            program: args.node.clone(),
            args: vec![absolute(&args.node_app)?.display().to_string()],
            envs: bolt_env(),
        },
    })
}

/// `zlack serve`'s settings against `stub`, on the database at `url`.
pub fn zlack_env(stub: &Stub, url: &str) -> Vec<(String, String)> {
    [
        ("ZLACK_DATABASE_URL", url.to_owned()),
        ("ZLACK_ENCRYPTION_KEY", seed::encryption_key().to_base64()),
        ("ZLACK_PUBLIC_URL", "http://127.0.0.1".to_owned()),
        (
            "ZLACK_SLACK_SIGNING_SECRET",
            SLACK_SIGNING_SECRET.to_owned(),
        ),
        ("ZLACK_SLACK_CLIENT_ID", "111.222".to_owned()),
        (
            "ZLACK_SLACK_CLIENT_SECRET",
            "bench-slack-client-secret".to_owned(),
        ),
        ("ZLACK_SLACK_API_URL", format!("{}/api", stub.base_url())),
        (
            "ZLACK_SLACK_AUTHORIZE_URL",
            format!("{}/oauth/v2/authorize", stub.base_url()),
        ),
        ("ZLACK_ZOOM_CLIENT_ID", "bench-zoom-client-id".to_owned()),
        (
            "ZLACK_ZOOM_CLIENT_SECRET",
            "bench-zoom-client-secret".to_owned(),
        ),
        ("ZLACK_ZOOM_WEBHOOK_SECRET", ZOOM_WEBHOOK_SECRET.to_owned()),
        ("ZLACK_ZOOM_API_URL", stub.zoom_api_url()),
        ("ZLACK_ZOOM_OAUTH_URL", stub.base_url()),
        ("ZLACK_LOG", "warn".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn measure(
    args: &RunArgs,
    stub: &Stub,
    app: &App,
    announced: usize,
) -> anyhow::Result<Value> {
    let hz = apps::ticks_per_second();
    let idle_rss = apps::memory_kib(app.pid, "VmRSS");
    let url = app.command_url();
    let drain = Duration::from_secs(args.drain);
    // The measured requests, their effects' keys, and (webhook) how many
    // leading ones are warm-up.
    type Matcher = Box<dyn Fn(&[Call]) -> Effects>;
    let (sent, matcher, measured, window): (Vec<Sent>, Matcher, _, _) = match args.scenario {
        Scenario::Burst | Scenario::Sustained => {
            warm_up(args, stub, &url).await?;
            stub.clear();
            let n = match args.scenario {
                Scenario::Burst => args.commands,
                _ => (args.rate * args.duration) as usize,
            };
            let channels: Vec<String> = (0..n).map(|k| load::channel('B', k)).collect();
            let bodies = channels
                .iter()
                .enumerate()
                .map(|(k, c)| load::command_body(c, &stub.response_url(k)))
                .collect();
            let cpu0 = CpuSample::take(app.pid);
            let sent = match args.scenario {
                Scenario::Burst => {
                    load::closed_loop(
                        &url,
                        SLACK_SIGNING_SECRET,
                        Signed::Slack,
                        bodies,
                        args.connections,
                    )
                    .await?
                }
                _ => {
                    load::open_loop(&url, SLACK_SIGNING_SECRET, Signed::Slack, bodies, args.rate)
                        .await?
                }
            };
            let matcher: Matcher = Box::new(move |calls| Effects::cards(calls, &channels));
            wait_for(stub, drain, &matcher).await;
            let cpu1 = CpuSample::take(app.pid);
            (sent, matcher, 0..n, (cpu0, cpu1))
        }
        Scenario::Webhook => {
            let warmup = (args.rate * args.warmup) as usize;
            let first_ts = seed::now_ms();
            let bodies = (0..announced)
                .map(|k| load::joined_body(k, first_ts + k as i64))
                .collect();
            let call_ids: Vec<String> = (0..announced).map(seed::call_id).collect();
            let members: Vec<String> = (0..announced)
                .map(|k| format!("U0BENCH{:03}", k % seed::MEMBERS))
                .collect();
            let cpu0 = CpuSample::take(app.pid);
            let webhook_url = format!("{}/zoom/webhook", app.base_url);
            let sent = load::open_loop(
                &webhook_url,
                ZOOM_WEBHOOK_SECRET,
                Signed::Zoom,
                bodies,
                args.rate,
            )
            .await?;
            let matcher: Matcher =
                Box::new(move |calls| Effects::participants(calls, &call_ids, &members));
            wait_for(stub, drain, &matcher).await;
            let cpu1 = CpuSample::take(app.pid);
            (sent, matcher, warmup..announced, (cpu0, cpu1))
        }
    };
    // Late duplicates, if any, come within moments.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calls = stub.calls();
    let effects = matcher(&calls);
    let mut result = report::figures(&sent, &effects, measured.clone());
    result["rss_idle_kib"] = apps::memory_kib(app.pid, "VmRSS").min(idle_rss).into();
    result["rss_peak_kib"] = apps::memory_kib(app.pid, "VmHWM").into();
    result["rss_after_kib"] = apps::memory_kib(app.pid, "VmRSS").into();
    result["cpu"] = window.0.cores_until(&window.1, hz);
    result["calls"] = json!(report::calls_per_request(&calls, sent.len()));
    result["rate"] = args.rate.into();
    result["duration_s"] = args.duration.into();
    result["connections"] = args.connections.into();
    result["warmup"] = args.warmup.into();
    result["ack_statuses"] = json!(statuses(&sent[measured]));
    Ok(result)
}

fn statuses(sent: &[Sent]) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for s in sent {
        let key = s.status.map_or("error".to_owned(), |c| c.to_string());
        *out.entry(key).or_default() += 1;
    }
    out
}

/// A few commands before the measured load, each awaited until its card
/// arrived: the first `users.info`, `auth.test` and connection set-ups,
/// and a JIT's first compilations, are not what the load measures.
async fn warm_up(args: &RunArgs, stub: &Stub, url: &str) -> anyhow::Result<()> {
    let n = args.warmup as usize;
    if n == 0 {
        return Ok(());
    }
    let channels: Vec<String> = (0..n).map(|k| load::channel('W', k)).collect();
    let bodies = channels
        .iter()
        .enumerate()
        .map(|(k, c)| load::command_body(c, &stub.response_url(1_000_000 + k)))
        .collect();
    let sent = load::closed_loop(url, SLACK_SIGNING_SECRET, Signed::Slack, bodies, 4).await?;
    if let Some(bad) = sent.iter().find(|s| s.status != Some(200)) {
        bail!("a warm-up command was answered {:?}", bad.status);
    }
    let matcher = |calls: &[Call]| Effects::cards(calls, &channels);
    let effects = wait_for(stub, Duration::from_secs(30), &matcher).await;
    if effects.done() < n {
        bail!("only {} of {n} warm-up cards arrived", effects.done());
    }
    Ok(())
}

/// Waits until every request has its effect, or nothing new arrived for
/// `drain`, or [`MAX_WAIT`] passed.
async fn wait_for(stub: &Stub, drain: Duration, effects: &dyn Fn(&[Call]) -> Effects) -> Effects {
    let started = Instant::now();
    let (mut last_count, mut last_progress) = (usize::MAX, Instant::now());
    loop {
        // Only re-match when the stub answered something new.
        let count = stub.call_count();
        if count != last_count {
            let found = effects(&stub.calls());
            if found.done() == found.arrivals.len() {
                return found;
            }
            last_count = count;
            last_progress = Instant::now();
        }
        if last_progress.elapsed() >= drain || started.elapsed() >= MAX_WAIT {
            return effects(&stub.calls());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
