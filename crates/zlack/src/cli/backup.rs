//! `zlack backup PATH`: a consistent copy of a SQLite database, taken
//! while zlack serves, and of its key file.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use sqlx::{ConnectOptions as _, Connection as _, Executor as _};

use crate::config::{Config, DatabaseUrl};

/// Where `zlack backup` writes.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; must not exist. The key file, when the key comes
    /// from one, is copied beside it as PATH.key.
    pub path: PathBuf,
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Written {
    /// The copy of the database.
    pub database: PathBuf,
    /// The copy of the key file, when the key comes from one.
    pub key_file: Option<PathBuf>,
}

pub async fn run(config: Config, args: BackupArgs) -> anyhow::Result<ExitCode> {
    if !config.database.is_sqlite() {
        eprintln!(
            "zlack: backup copies SQLite databases; for PostgreSQL use pg_dump -Fc (see docs/operations.md, \"Backups and restore\")"
        );
        return Ok(ExitCode::FAILURE);
    }
    let written = backup(&config, &args.path).await?;
    println!("wrote {}", written.database.display());
    match &written.key_file {
        Some(key) => println!(
            "wrote {} (the encryption key: restoring needs it beside the database as <database>.key; keep it apart from the database copy)",
            key.display()
        ),
        None => println!(
            "the encryption key is not in the backup: restoring needs the same ZLACK_ENCRYPTION_KEY, keep it safe"
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Copies the SQLite database (with what its write-ahead log holds) to
/// `dest` with `VACUUM INTO`, and the key file to `dest.key` when the key
/// comes from one. Both are made readable by their owner only; neither
/// replaces an existing file.
pub async fn backup(config: &Config, dest: &Path) -> anyhow::Result<Written> {
    let DatabaseUrl::Sqlite { path: db } = &config.database else {
        anyhow::bail!("backup copies SQLite databases; for PostgreSQL use pg_dump -Fc");
    };
    if !db.exists() {
        anyhow::bail!("there is no database at {}", db.display());
    }
    if dest.exists() {
        anyhow::bail!("{} exists; backup does not replace files", dest.display());
    }
    let key_source = config
        .encryption_key
        .is_none()
        .then(|| crate::app::key_file_path(db));
    let key_dest = crate::app::key_file_path(dest);
    if key_source.is_some() && key_dest.exists() {
        anyhow::bail!(
            "{} exists; backup does not replace files",
            key_dest.display()
        );
    }
    // The key is read before the copy: a rotation that finishes in
    // between leaves a copy the key does not open, refused below.
    let key_text = match &key_source {
        Some(source) => Some(
            std::fs::read(source)
                .with_context(|| format!("reading key file {}", source.display()))?,
        ),
        None => None,
    };
    let key = match (&key_text, &config.encryption_key) {
        (Some(text), _) => crate::config::EncryptionKey::parse(&String::from_utf8_lossy(text))
            .context("the key file does not hold base64 of 32 bytes")?,
        (None, Some(key)) => key.clone(),
        (None, None) => anyhow::bail!("no encryption key is configured"),
    };
    let temp = temp_beside(dest)?;
    let copied = match vacuum_into(db, &temp).await {
        Ok(()) => opens_with(&temp, &key).await,
        Err(e) => Err(e),
    };
    let placed = copied.and_then(|()| place(&temp, dest));
    let _ = std::fs::remove_file(&temp);
    placed?;
    let key_file = match key_text {
        Some(text) => {
            let temp = temp_beside(&key_dest)?;
            let written = write_private(&temp, &text).and_then(|()| place(&temp, &key_dest));
            let _ = std::fs::remove_file(&temp);
            written?;
            Some(key_dest)
        }
        None => None,
    };
    Ok(Written {
        database: dest.to_owned(),
        key_file,
    })
}

/// A fresh name beside `path`, created empty and private.
fn temp_beside(path: &Path) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let mut temp = name.to_owned();
    temp.push(format!(".{}.tmp", std::process::id()));
    let temp = path.with_file_name(temp);
    let _ = std::fs::remove_file(&temp);
    write_private(&temp, b"")?;
    Ok(temp)
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// Links `temp` into place as `dest`, failing if `dest` exists.
fn place(temp: &Path, dest: &Path) -> anyhow::Result<()> {
    match std::fs::hard_link(temp, dest) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            anyhow::bail!("{} exists; backup does not replace files", dest.display())
        }
        Err(e) => Err(e).with_context(|| format!("writing {}", dest.display())),
    }
}

/// Refuses a copy its key cannot restore: one taken during a key rotation
/// (values under two keys, the new one not in the backup) or sealed with
/// another key.
async fn opens_with(copy: &Path, key: &crate::config::EncryptionKey) -> anyhow::Result<()> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(copy)
        .create_if_missing(false)
        .read_only(true)
        .disable_statement_logging();
    let mut conn = options
        .connect()
        .await
        .with_context(|| format!("opening the copy {}", copy.display()))?;
    let has_meta: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
    )
    .fetch_one(&mut conn)
    .await?;
    let rows: Vec<(String, String)> = if has_meta > 0 {
        sqlx::query_as("SELECT name, value FROM meta WHERE name IN ('key_rotation', 'key_check')")
            .fetch_all(&mut conn)
            .await?
    } else {
        Vec::new()
    };
    conn.close().await?;
    if let Some((_, to)) = rows.iter().find(|(name, _)| name == "key_rotation") {
        anyhow::bail!(
            "a key rotation to key {to} is unfinished, and a copy now would not open without its new key; run `zlack rotate-key` to finish it, then back up"
        );
    }
    let vault = crate::vault::Vault::new(key);
    if let Some((_, check)) = rows.iter().find(|(name, _)| name == "key_check")
        && let Some(found) = crate::store::key_check_mismatch(&vault, check)
    {
        anyhow::bail!(
            "the database's secrets are sealed with key {found}, not with key {} that the backup would keep; was the key rotated meanwhile? run backup again",
            vault.key_id()
        );
    }
    Ok(())
}

/// `VACUUM INTO` on a connection of its own: one read transaction, so a
/// consistent copy however much `serve` writes meanwhile.
async fn vacuum_into(db: &Path, temp: &Path) -> anyhow::Result<()> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(10))
        .disable_statement_logging();
    let mut conn = options
        .connect()
        .await
        .with_context(|| format!("opening {}", db.display()))?;
    let target = temp
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", temp.display()))?
        .replace('\'', "''");
    conn.execute(format!("VACUUM INTO '{target}'").as_str())
        .await
        .with_context(|| format!("copying {}", db.display()))?;
    conn.close().await?;
    std::fs::File::open(temp)?.sync_all()?;
    Ok(())
}
