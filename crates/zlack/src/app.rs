//! Startup: configuration in, a running server and worker out. Takes a
//! bound listener and a shutdown future, so tests run it on port 0.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::clock::{SharedClock, SystemClock};
use crate::config::{Config, DatabaseUrl, EncryptionKey};
use crate::http::{self, AppState};
use crate::ingest::Ingestor;
use crate::services::Services;
use crate::store::Store;
use crate::telemetry;
use crate::vault::{Vault, generate_key};
use crate::worker::Worker;

/// Options tests change; `serve` uses the defaults.
#[derive(Clone)]
pub struct Options {
    /// The time source; tests pin it with a manual clock.
    pub clock: SharedClock,
    /// Run the background worker. Tests that step the worker by hand turn
    /// it off.
    pub run_worker: bool,
    /// Socket Mode's timings, used when an app-level token is set.
    pub socket_mode: crate::slack::socket_mode::Settings,
    /// Called after every (re)connect of the Zoom WebSocket event
    /// subscription, when one is configured, besides the reconciliation
    /// request every reconnect makes (tests count reconnects with it).
    pub zoom_ws_connected: Option<crate::zoom::websocket::OnConnected>,
    /// How often the queue depths `/metrics` reports are read from the
    /// database; `None`: never in the background (tests read them with
    /// [`crate::http::refresh_queue_gauges`]).
    pub queue_gauges_every: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            run_worker: true,
            socket_mode: Default::default(),
            zoom_ws_connected: None,
            queue_gauges_every: Some(Duration::from_secs(15)),
        }
    }
}

/// A built server and worker, ready to [`run_until`](Self::run_until) a shutdown.
pub struct Application {
    listener: TcpListener,
    /// `ZLACK_METRICS_LISTEN`'s listener, serving `/metrics` alone.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    worker: Worker,
    ingest_task: tokio::task::JoinHandle<()>,
    options: Options,
    presence: ServerPresence,
}

/// The lease saying this server runs on the database, renewed while it
/// does and released at shutdown; a crashed server's runs out after
/// [`ServerPresence::TTL_MS`]. Real time, whatever clock the app uses:
/// other processes read it.
pub struct ServerPresence {
    name: String,
}

impl ServerPresence {
    /// How long a presence lasts without renewal.
    pub const TTL_MS: crate::clock::Millis = 60_000;

    async fn take(store: &Store) -> anyhow::Result<Self> {
        use crate::clock::Clock as _;
        let name = format!(
            "{}{}:{}",
            crate::store::SERVER_LEASE_PREFIX,
            std::process::id(),
            crate::vault::random_token()
        );
        store
            .try_lease(&name, &name, SystemClock.now_ms(), Self::TTL_MS)
            .await
            .context("recording that this server runs")?;
        Ok(Self { name })
    }

    async fn renew(&self, store: &Store) {
        use crate::clock::Clock as _;
        if let Err(error) = store
            .try_lease(&self.name, &self.name, SystemClock.now_ms(), Self::TTL_MS)
            .await
        {
            tracing::warn!(%error, "could not renew this server's presence lease");
        }
    }

    async fn release(&self, store: &Store) {
        if let Err(error) = store.release_lease(&self.name, &self.name).await {
            tracing::warn!(%error, "could not release this server's presence lease");
        }
    }
}

impl Application {
    /// Opens the database, applies migrations and prepares the server.
    pub async fn build(
        config: Config,
        listener: TcpListener,
        options: Options,
    ) -> anyhow::Result<Self> {
        // The phone-number metadata loads on first use (about 0.1 s):
        // load it now rather than in someone's `/zoom call`.
        tokio::task::spawn_blocking(|| {
            let _ = zlack_domain::phone::PhoneNumber::parse("+46812345678", None);
        });
        let metrics_listener = match config.metrics.listen {
            Some(addr) => Some(
                http::serve::bind(addr)
                    .with_context(|| format!("ZLACK_METRICS_LISTEN: cannot bind {addr}"))?,
            ),
            None => None,
        };
        let store = open_store(&config).await?;
        store
            .migrate()
            .await
            .context("applying database migrations")?;
        // Taken before the rotation check: a `zlack rotate-key` starting
        // now either sees this server or is seen by the check.
        let presence = ServerPresence::take(&store).await?;
        if let Err(error) = refuse_a_foreign_key(&store).await {
            presence.release(&store).await;
            return Err(error);
        }
        let sealed = store
            .seal_plaintext()
            .await
            .context("sealing emails and join links stored in plain text")?;
        if sealed > 0 {
            tracing::info!(
                sealed,
                "sealed emails and join links stored before they were sealed"
            );
        }
        let worker_config = config.worker.clone();
        let svc = Services::new(Arc::new(config), store.clone(), options.clock.clone());
        let worker = Worker::with_executor(
            svc.clone(),
            worker_config.concurrency,
            worker_config.lease.as_millis() as i64,
            Arc::new(crate::worker::Catalogue),
        );
        // Requests waiting to be acknowledged hold new jobs back.
        let (ingestor, ingest_task) =
            Ingestor::spawn(store, options.clock.clone(), worker.ack_pressure());
        let state = AppState {
            svc,
            ingestor,
            metrics: telemetry::metrics_handle(),
        };
        Ok(Self {
            listener,
            metrics_listener,
            state,
            worker,
            ingest_task,
            options,
            presence,
        })
    }

    /// The bound address, with the real port when bound to port 0.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The `ZLACK_METRICS_LISTEN` listener's address, when there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .map(|l| l.local_addr().expect("a bound listener has an address"))
    }

    /// The database, for tests to inspect.
    pub fn store(&self) -> &Store {
        &self.state.svc.store
    }

    /// The worker, for tests that step it with [`Worker::run_once`].
    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// Serves until `shutdown` resolves; then stops claiming jobs, finishes
    /// in-flight requests and jobs, and returns.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let stop = CancellationToken::new();
        let worker_task = self.options.run_worker.then(|| {
            let poll = self.state.svc.config.worker.poll_interval;
            tokio::spawn(self.worker.clone().run(stop.clone(), poll))
        });
        let presence = Arc::new(self.presence);
        let upkeep = tokio::spawn({
            let metrics = self.state.metrics.clone();
            let store = self.state.svc.store.clone();
            let every = self.options.queue_gauges_every;
            let stop = stop.clone();
            let presence = presence.clone();
            async move {
                const TICK: Duration = Duration::from_secs(5);
                // Queue depths are read here, not per scrape: a scrape
                // never waits for the database.
                let mut since_gauges = every;
                loop {
                    if let Some(every) = every
                        && since_gauges.is_some_and(|since| since >= every)
                    {
                        tokio::select! {
                            () = http::refresh_queue_gauges(&store) => {}
                            () = stop.cancelled() => break,
                        }
                        since_gauges = Some(Duration::ZERO);
                    }
                    if tokio::time::timeout(TICK, stop.cancelled()).await.is_ok() {
                        break;
                    }
                    since_gauges = since_gauges.map(|since| since + TICK);
                    metrics.run_upkeep();
                    presence.renew(&store).await;
                }
            }
        });
        let socket_mode = crate::slack::socket_mode::spawn(
            &self.state.svc.config,
            self.state.ingestor.clone(),
            self.options.socket_mode.clone(),
            stop.clone(),
        );
        let zoom_ws = match &self.state.svc.config.zoom.events {
            crate::config::ZoomEvents::WebSocket(ws) => {
                // Zoom never delivers what happened while no connection was
                // open: every (re)connect asks for a reconciliation run
                // (requests close together share one).
                let svc = self.state.svc.clone();
                let also = self.options.zoom_ws_connected.clone();
                let on_connected: crate::zoom::websocket::OnConnected = Arc::new(move || {
                    let svc = svc.clone();
                    tokio::spawn(async move {
                        if let Err(error) =
                            crate::flows::reconcile::request(&svc, "websocket.connected").await
                        {
                            tracing::warn!(%error, "could not queue a reconciliation after reconnecting to Zoom");
                        }
                    });
                    if let Some(also) = &also {
                        also();
                    }
                });
                Some(crate::zoom::websocket::spawn(
                    self.state.svc.clone(),
                    self.state.ingestor.clone(),
                    ws.clone(),
                    on_connected,
                    stop.clone(),
                ))
            }
            crate::config::ZoomEvents::Webhook => None,
        };
        let store = self.state.svc.store.clone();
        let settings = http::serve::Settings::from_config(&self.state.svc.config);
        let metrics_server = self.metrics_listener.map(|listener| {
            let router = http::metrics_router(self.state.clone());
            let settings = settings.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                http::serve::serve(listener, router, settings, stop.cancelled_owned()).await;
            })
        });
        let router = http::router(self.state);
        let stopping = stop.clone();
        http::serve::serve(self.listener, router, settings, async move {
            shutdown.await;
            tracing::info!("shutting down: no new jobs, finishing requests in flight");
            stopping.cancel();
        })
        .await;
        stop.cancel();
        if let Some(task) = metrics_server {
            let _ = task.await;
        }
        // Envelopes already read are stored and acknowledged before the
        // inbox writer stops.
        if let Some(task) = socket_mode {
            let _ = task.await;
        }
        // Before the inbox writer: the client stores what it read, then
        // gives up its lease.
        if let Some(task) = zoom_ws {
            let _ = task.await;
        }
        if let Some(task) = worker_task {
            let _ = task.await;
        }
        let _ = self.ingest_task.await;
        let _ = upkeep.await;
        presence.release(&store).await;
        store.close().await;
        Ok(())
    }
}

/// Refuses to serve a database whose secrets another key sealed: nothing
/// stored would open, and every user would seem disconnected.
async fn refuse_a_foreign_key(store: &Store) -> anyhow::Result<()> {
    if let Some(to) = store
        .rotation_in_progress()
        .await
        .context("checking for an unfinished key rotation")?
    {
        anyhow::bail!(
            "ZLACK_ENCRYPTION_KEY: a key rotation to key {to} is unfinished; run `zlack rotate-key` again to finish it before serving"
        );
    }
    match store
        .check_key(true)
        .await
        .context("checking the encryption key against the database")?
    {
        crate::store::KeyCheck::Matches => Ok(()),
        crate::store::KeyCheck::Mismatch { found, configured } => anyhow::bail!(
            "ZLACK_ENCRYPTION_KEY: the database's secrets were sealed with key {found}, not with the configured key {configured}; start with the key the database was created with (on SQLite without ZLACK_ENCRYPTION_KEY, its key file)"
        ),
    }
}

/// Opens the database with the configured key. On SQLite without a key,
/// a key file beside the database is read, or made on first run.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let key = resolve_key(config)?;
    open_store_with(config, Vault::new(&key)).await
}

/// Opens the database with `vault`, taking the URL-signing key the
/// database keeps, if a key rotation stored one.
pub async fn open_store_with(config: &Config, vault: Vault) -> anyhow::Result<Store> {
    let mut store = match Store::connect(&config.database, vault).await {
        Ok(store) => store,
        // Already one line naming the key and the masked URL.
        Err(error @ crate::store::StoreError::Unreachable(_)) => return Err(error.into()),
        Err(error) => {
            return Err(anyhow::Error::new(error)
                .context(format!("opening database {:?}", config.database)));
        }
    };
    store
        .load_signing_key()
        .await
        .context("reading the URL-signing key from the database")?;
    Ok(store)
}

/// The configured key; on SQLite without one, the key file beside the
/// database, made on first run. Refuses to make a key for an existing
/// database, whose sealed values a new key could not open.
pub fn resolve_key(config: &Config) -> anyhow::Result<EncryptionKey> {
    if let Some(key) = &config.encryption_key {
        return Ok(key.clone());
    }
    match &config.database {
        DatabaseUrl::Postgres { .. } => anyhow::bail!(
            "ZLACK_ENCRYPTION_KEY: required with PostgreSQL (every replica needs the same key); `zlack keygen` prints one"
        ),
        DatabaseUrl::Sqlite { path } => {
            let file = key_file_path(path);
            if !file.exists() && path.exists() {
                // A new key cannot open what the old one sealed: refuse
                // rather than quietly make the stored tokens unreadable.
                anyhow::bail!(
                    "ZLACK_ENCRYPTION_KEY: {} exists but its key file {} is missing; restore the key file or set ZLACK_ENCRYPTION_KEY",
                    path.display(),
                    file.display()
                );
            }
            key_file(&file)
        }
    }
}

/// Where the key for the SQLite database at `db` is kept: `<db>.key`.
pub fn key_file_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

fn key_file(path: &Path) -> anyhow::Result<EncryptionKey> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    if path.exists() {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("reading key file {}", path.display()))?
            .permissions()
            .mode();
        // As ssh does with private keys: a key others may read is refused.
        if mode & 0o077 != 0 {
            anyhow::bail!(
                "ZLACK_ENCRYPTION_KEY: key file {} may be read by others (mode {:o}); run chmod 600 on it",
                path.display(),
                mode & 0o777
            );
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading key file {}", path.display()))?;
        return EncryptionKey::parse(&text).with_context(|| {
            format!(
                "key file {} does not hold base64 of 32 bytes",
                path.display()
            )
        });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::create_private_dir(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    let key = generate_key();
    // Written aside and linked into place, so the file is never seen
    // half-written, and a concurrent first run keeps the key that won.
    let temp = path.with_extension(format!("key.{}.tmp", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .with_context(|| format!("creating key file {}", temp.display()))?;
    file.write_all(format!("{}\n", key.to_base64()).as_bytes())?;
    file.sync_all()?;
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return key_file(path),
        Err(e) => return Err(e).with_context(|| format!("creating key file {}", path.display())),
    }
    let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    tracing::warn!(
        path = %shown.display(),
        "generated an encryption key for tokens at rest; back it up, or set ZLACK_ENCRYPTION_KEY"
    );
    Ok(key)
}
