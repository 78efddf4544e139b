//! `zlack rotate-key`: every stored secret re-sealed under a new
//! encryption key, in batches, resumable after an interruption.
//!
//! The current key is the configured one (ZLACK_ENCRYPTION_KEY, or on
//! SQLite the key file `<db>.key`). The new key comes from
//! `--new-key-file`, ZLACK_NEW_ENCRYPTION_KEY or
//! ZLACK_NEW_ENCRYPTION_KEY_FILE; on SQLite with a key file and none of
//! them, it is generated into `<db>.key.next` (and reused by a re-run).
//! With a key file, the new key replaces `<db>.key` once every value is
//! re-sealed, and the previous key is kept as `<db>.key.old`.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use crate::clock::{Clock as _, Millis, SystemClock};
use crate::config::{Config, DatabaseUrl, EncryptionKey};
use crate::vault::Vault;

/// Where `zlack rotate-key` takes the new key from.
#[derive(Debug, Args, Default)]
pub struct RotateKeyArgs {
    /// A file holding the new key (base64 of 32 bytes, as `zlack keygen`
    /// prints), readable by its owner only. Without it:
    /// ZLACK_NEW_ENCRYPTION_KEY, ZLACK_NEW_ENCRYPTION_KEY_FILE, or on
    /// SQLite with a key file, a key generated into `<db>.key.next`.
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,
}

/// How a rotation runs; tests make batches small and stop early.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Values re-sealed per transaction.
    pub batch: i64,
    /// Stop after this many batches, as an interruption would.
    pub stop_after_batches: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            batch: 500,
            stop_after_batches: None,
        }
    }
}

/// How a rotation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every value is sealed under the new key.
    Done {
        /// The new key's fingerprint.
        key_id: String,
        /// Values re-sealed by this run.
        resealed: u64,
    },
    /// Stopped by [`Settings::stop_after_batches`]; a re-run finishes.
    Stopped,
}

/// The lease a rotation holds, so two never run at once.
const LEASE: &str = "rotate-key";
const LEASE_MS: Millis = 10 * 60 * 1000;

pub async fn run(config: Config, args: RotateKeyArgs) -> anyhow::Result<ExitCode> {
    let new_key = new_key_from(&args, |name| std::env::var(name).ok())?;
    match rotate(&config, new_key, &Settings::default()).await? {
        Outcome::Done { key_id, resealed } => {
            println!(
                "re-sealed {resealed} values; every stored secret is sealed with key {key_id}"
            );
            if config.encryption_key.is_some() {
                println!(
                    "set ZLACK_ENCRYPTION_KEY to the new key on every zlack process before starting them; the old key no longer opens this database"
                );
            } else {
                println!(
                    "the key file now holds the new key; the previous key is kept beside it with the suffix .old"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Stopped => Ok(ExitCode::FAILURE),
    }
}

/// The new key as given: the flag, then the environment. `None` leaves
/// it to [`rotate`] (a generated `<db>.key.next` on SQLite).
pub fn new_key_from(
    args: &RotateKeyArgs,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Option<EncryptionKey>> {
    if let Some(path) = &args.new_key_file {
        return read_key_file(path, "--new-key-file").map(Some);
    }
    if let Some(text) = env("ZLACK_NEW_ENCRYPTION_KEY").filter(|t| !t.trim().is_empty()) {
        return EncryptionKey::parse(&text)
            .map(Some)
            .ok_or_else(|| anyhow::anyhow!("ZLACK_NEW_ENCRYPTION_KEY: not base64 of 32 bytes"));
    }
    if let Some(path) = env("ZLACK_NEW_ENCRYPTION_KEY_FILE").filter(|t| !t.trim().is_empty()) {
        return read_key_file(Path::new(&path), "ZLACK_NEW_ENCRYPTION_KEY_FILE").map(Some);
    }
    Ok(None)
}

fn read_key_file(path: &Path, name: &str) -> anyhow::Result<EncryptionKey> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)
        .with_context(|| format!("{name}: reading {}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        anyhow::bail!(
            "{name}: {} may be read by others (mode {:o}); run chmod 600 on it",
            path.display(),
            mode & 0o777
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{name}: reading {}", path.display()))?;
    EncryptionKey::parse(&text).ok_or_else(|| {
        anyhow::anyhow!(
            "{name}: {} does not hold base64 of 32 bytes",
            path.display()
        )
    })
}

/// `<db>.key.next`: the new key while a rotation of a key-file setup runs.
pub fn next_key_path(db: &Path) -> PathBuf {
    with_suffix(&crate::app::key_file_path(db), ".next")
}

/// `<db>.key.old`: the key a finished rotation replaced.
pub fn old_key_path(db: &Path) -> PathBuf {
    with_suffix(&crate::app::key_file_path(db), ".old")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Re-seals every stored secret under `new_key` (see the module docs for
/// where it comes from when `None`). Safe to interrupt and run again.
pub async fn rotate(
    config: &Config,
    new_key: Option<EncryptionKey>,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
    let current = crate::app::resolve_key(config)?;
    // With a key file, the new key waits in `<db>.key.next` until the
    // database is done, so an interrupted run finds it again.
    let key_file_db = match &config.database {
        DatabaseUrl::Sqlite { path } if config.encryption_key.is_none() => Some(path.clone()),
        _ => None,
    };
    let new_key = match (&key_file_db, new_key) {
        (Some(db), given) => next_key(&next_key_path(db), given)?,
        (None, Some(key)) => key,
        (None, None) => anyhow::bail!(
            "rotate-key: give the new key with --new-key-file, ZLACK_NEW_ENCRYPTION_KEY or ZLACK_NEW_ENCRYPTION_KEY_FILE (`zlack keygen` prints one)"
        ),
    };
    if new_key.0 == current.0 {
        anyhow::bail!(
            "rotate-key: the new key is the current key (to finish an unfinished rotation, keep the old key configured and give the new one again)"
        );
    }
    // Links handed out were signed with the current key's signing key (or
    // the one an earlier rotation stored, which opening the store loads):
    // it moves to the new key unchanged.
    let vault = Vault::new(&new_key)
        .with_previous(&current)
        .with_signing_key(Vault::new(&current).signing_key());
    let store = crate::app::open_store_with(config, vault).await?;
    let result = rotate_store(&store, &current, settings).await;
    store.close().await;
    let outcome = result?;
    if let (Outcome::Done { .. }, Some(db)) = (&outcome, &key_file_db) {
        install_key_file(db)?;
    }
    Ok(outcome)
}

async fn rotate_store(
    store: &crate::store::Store,
    current: &EncryptionKey,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
    let new_id = store.vault().key_id();
    let old_id = Vault::new(current).key_id();
    if !store.pending_migrations().await?.is_empty() {
        anyhow::bail!("rotate-key: the database has pending migrations; run `zlack migrate` first");
    }
    if let Some(to) = store.rotation_in_progress().await?
        && to != new_id
    {
        anyhow::bail!(
            "rotate-key: an unfinished rotation moves to key {to}, not to the given key {new_id}; run again with that key"
        );
    }
    if let crate::store::KeyCheck::Mismatch { found, .. } = store.check_key(false).await? {
        anyhow::bail!(
            "rotate-key: the database's secrets were sealed with key {found}, neither the current key {old_id} nor the new key {new_id}"
        );
    }
    let holder = format!(
        "rotate-key:{}:{}",
        std::process::id(),
        crate::vault::random_token()
    );
    let now = || SystemClock.now_ms();
    if !store.try_lease(LEASE, &holder, now(), LEASE_MS).await? {
        anyhow::bail!(
            "rotate-key: another `zlack rotate-key` is running on this database; let it finish (an interrupted one holds it back for up to {} minutes)",
            LEASE_MS / 60_000
        );
    }
    let result = async {
        refuse_beside_a_server(store, now()).await?;
        store.begin_rotation().await?;
        let mut resealed = 0;
        let mut batches = 0;
        loop {
            if settings.stop_after_batches == Some(batches) {
                return Ok(Outcome::Stopped);
            }
            if !store.try_lease(LEASE, &holder, now(), LEASE_MS).await? {
                anyhow::bail!("rotate-key: lost the rotation lease; run again to finish");
            }
            // A server that started after the first check (it refuses to
            // serve once the rotation is recorded, but may have checked
            // just before).
            refuse_beside_a_server(store, now()).await?;
            let n = store.reseal_batch(settings.batch).await?;
            if n == 0 {
                break;
            }
            resealed += n;
            batches += 1;
        }
        store
            .finish_rotation(
                now(),
                &format!("from key {old_id}; {resealed} values re-sealed by the last run"),
            )
            .await?;
        Ok(Outcome::Done {
            key_id: new_id.clone(),
            resealed,
        })
    }
    .await;
    store.release_lease(LEASE, &holder).await?;
    result
}

/// Refuses while a `zlack serve` runs on the database: it would seal new
/// values under the old key, or fail to open the new key's.
async fn refuse_beside_a_server(store: &crate::store::Store, now: Millis) -> anyhow::Result<()> {
    let servers = store.servers_running(now).await?;
    let claimed = store.jobs_claimed(now).await?;
    if servers > 0 || claimed > 0 {
        anyhow::bail!(
            "rotate-key: a `zlack serve` is running on this database; stop every one first (a server that crashed counts for up to {} seconds)",
            crate::app::ServerPresence::TTL_MS / 1000
        );
    }
    Ok(())
}

/// The key in `<db>.key.next`: the one there, or `given` (or a fresh one)
/// written there first. A different `given` than the one there is
/// refused: it belongs to an unfinished rotation.
fn next_key(path: &Path, given: Option<EncryptionKey>) -> anyhow::Result<EncryptionKey> {
    if path.exists() {
        let there = read_key_file(path, "rotate-key")?;
        if given.as_ref().is_some_and(|g| g.0 != there.0) {
            anyhow::bail!(
                "rotate-key: {} holds the new key of an unfinished rotation; run again without a new key to finish it",
                path.display()
            );
        }
        return Ok(there);
    }
    let key = given.unwrap_or_else(crate::vault::generate_key);
    let temp = with_suffix(path, &format!(".{}.tmp", std::process::id()));
    write_key(&temp, &key)?;
    std::fs::rename(&temp, path).with_context(|| format!("writing {}", path.display()))?;
    // Durable before any value is sealed under it: losing it after a
    // crash would leave those values sealed under a key nobody has.
    sync_dir(path)?;
    Ok(key)
}

/// Flushes the directory holding `path`, so a rename into it survives a
/// crash.
fn sync_dir(path: &Path) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))
}

fn write_key(path: &Path, key: &EncryptionKey) -> anyhow::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(format!("{}\n", key.to_base64()).as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// After the database is done: `<db>.key` is copied to `<db>.key.old`,
/// then `<db>.key.next` renamed over `<db>.key`. Interrupted in between,
/// a re-run finds the database done and does the same again.
fn install_key_file(db: &Path) -> anyhow::Result<()> {
    let key = crate::app::key_file_path(db);
    let next = next_key_path(db);
    let old = old_key_path(db);
    let current = std::fs::read(&key).with_context(|| format!("reading {}", key.display()))?;
    let temp = with_suffix(&old, &format!(".{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .with_context(|| format!("creating {}", temp.display()))?;
    file.write_all(&current)?;
    file.sync_all()?;
    std::fs::rename(&temp, &old).with_context(|| format!("writing {}", old.display()))?;
    std::fs::rename(&next, &key).with_context(|| format!("replacing {}", key.display()))?;
    sync_dir(&key)
}
