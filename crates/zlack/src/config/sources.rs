//! Where configuration values come from: `zlack.toml`, systemd credentials
//! and the environment, before they are parsed.
//!
//! Precedence, highest first: the environment (`NAME` or `NAME_FILE`), a
//! credential named `NAME` in `$CREDENTIALS_DIRECTORY`, then `zlack.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ConfigError, KEYS};

/// The keys whose value may instead be read from a file named by
/// `NAME_FILE`, or from a systemd credential named `NAME`: the secrets, and
/// the database URL, which may hold a password.
pub const FILE_KEYS: &[&str] = &[
    "ZLACK_DATABASE_URL",
    "ZLACK_ENCRYPTION_KEY",
    "ZLACK_SLACK_CLIENT_SECRET",
    "ZLACK_SLACK_SIGNING_SECRET",
    "ZLACK_SLACK_APP_TOKEN",
    "ZLACK_ZOOM_CLIENT_SECRET",
    "ZLACK_ZOOM_WEBHOOK_SECRET",
    "ZLACK_METRICS_TOKEN",
];

/// Raw `ZLACK_*` values gathered from the file, credentials and the
/// environment.
#[derive(Default, Clone)]
pub struct Sources {
    values: BTreeMap<String, String>,
}

impl Sources {
    /// Reads `file` (when it exists), the systemd credentials of
    /// `$CREDENTIALS_DIRECTORY` (taken from `env`) and then `env` itself.
    /// Empty values count as unset.
    pub fn gather(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = env.into_iter().collect();
        let credentials = env
            .iter()
            .find(|(k, v)| k == "CREDENTIALS_DIRECTORY" && !v.is_empty())
            .map(|(_, v)| PathBuf::from(v));
        Self::gather_with(file, env, credentials.as_deref())
    }

    /// As [`Sources::gather`], with the credentials directory given
    /// rather than read from `env`.
    pub fn gather_with(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        credentials: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let mut values = BTreeMap::new();
        if let Some(path) = file.filter(|p| p.exists()) {
            let mut from_file = read_toml(path)?;
            resolve_files(&mut from_file)?;
            values.extend(from_file);
        }
        // Here too, an empty value (an empty file) hides nothing.
        if let Some(dir) = credentials {
            values.extend(
                read_credentials(dir)?
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty()),
            );
        }
        // An empty variable does not hide the file's value.
        let mut from_env: BTreeMap<String, String> = env
            .into_iter()
            .filter(|(k, v)| is_key(k) && !v.trim().is_empty())
            .collect();
        resolve_files(&mut from_env)?;
        for (key, value) in from_env {
            if !value.is_empty() {
                values.insert(key, value);
            }
        }
        values.retain(|_, v| !v.trim().is_empty());
        Ok(Self { values })
    }

    /// Values from the given pairs alone, without file or environment (for
    /// tests). Empty values count as unset.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let values = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Self { values }
    }

    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.trim())
    }

    /// Values from the text of a `zlack.toml` alone, without the
    /// environment (for tests and the config fuzz target). Files named by
    /// `*_file` keys are not read. Empty values count as unset.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let mut values = toml_values(text, "zlack.toml")?;
        values.retain(|_, v| !v.trim().is_empty());
        Ok(Self { values })
    }
}

/// Whether `key` is a `ZLACK_*` key or the `_FILE` form of one.
fn is_key(key: &str) -> bool {
    KEYS.contains(&key)
        || key
            .strip_suffix("_FILE")
            .is_some_and(|name| FILE_KEYS.contains(&name))
}

/// Replaces each `NAME_FILE` of one source by `NAME` with the file's
/// content; both in one source is an error.
fn resolve_files(values: &mut BTreeMap<String, String>) -> Result<(), ConfigError> {
    for name in FILE_KEYS {
        let file_key = format!("{name}_FILE");
        let Some(path) = values.remove(&file_key) else {
            continue;
        };
        if path.trim().is_empty() {
            continue;
        }
        if values.get(*name).is_some_and(|v| !v.trim().is_empty()) {
            return Err(ConfigError::new(
                &file_key,
                format!("set together with {name}; set only one of them"),
            ));
        }
        let path = path.trim();
        let value = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new(&file_key, format!("cannot read {path}: {e}")))?;
        values.insert((*name).to_owned(), value.trim().to_owned());
    }
    Ok(())
}

/// The systemd credentials in `dir` named like a key of [`FILE_KEYS`].
fn read_credentials(dir: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut out = BTreeMap::new();
    for name in FILE_KEYS {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(value) => {
                out.insert((*name).to_owned(), value.trim().to_owned());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ConfigError::new(
                    name,
                    format!("cannot read credential {}: {e}", path.display()),
                ));
            }
        }
    }
    Ok(out)
}

fn read_toml(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let where_ = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new(&where_, format!("cannot be read: {e}")))?;
    toml_values(&text, &where_)
}

/// The key a `zlack.toml` key stands for: a `ZLACK_*` name as it is, or
/// its lower-case form without `zlack_` (`listen` for `ZLACK_LISTEN`).
fn toml_key(key: &str) -> Option<String> {
    if is_key(key) {
        return Some(key.to_owned());
    }
    let upper = format!("ZLACK_{}", key.to_ascii_uppercase());
    (key == key.to_ascii_lowercase() && !key.starts_with("zlack_") && is_key(&upper))
        .then_some(upper)
}

/// The `ZLACK_*` values of a TOML text; `where_` names it in errors.
fn toml_values(text: &str, where_: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ConfigError::new(where_, e.message().to_owned()))?;
    let mut out = BTreeMap::new();
    for (given, value) in table {
        let Some(key) = toml_key(&given) else {
            return Err(ConfigError::new(
                where_,
                format!(
                    "unknown key {given}; keys are the ZLACK_* names of the README, \
                     or the same in lower case without zlack_ (listen for ZLACK_LISTEN)"
                ),
            ));
        };
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => return Err(ConfigError::new(&key, "must be a string or a number")),
        };
        if out.insert(key.clone(), text).is_some() {
            return Err(ConfigError::new(
                where_,
                format!("{key} is given twice, in upper and in lower case; keep one"),
            ));
        }
    }
    Ok(out)
}

// Values include secrets: Debug names the keys only.
impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

#[cfg(test)]
mod tests;
