//! Where configuration values come from: `zlack.toml` and the
//! environment, before they are parsed.

use std::collections::BTreeMap;
use std::path::Path;

use super::{ConfigError, KEYS};

/// Raw `ZLACK_*` values gathered from the file and the environment.
#[derive(Default, Clone)]
pub struct Sources {
    values: BTreeMap<String, String>,
}

impl Sources {
    /// Reads `file` (when it exists) and then the given environment, whose
    /// values replace the file's. Empty values count as unset.
    pub fn gather(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut values = BTreeMap::new();
        if let Some(path) = file.filter(|p| p.exists()) {
            values.extend(read_toml(path)?);
        }
        for (key, value) in env {
            // An empty variable does not hide the file's value.
            if KEYS.contains(&key.as_str()) && !value.trim().is_empty() {
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
    /// environment (for tests and the config fuzz target). Empty values
    /// count as unset.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let mut values = toml_values(text, "zlack.toml")?;
        values.retain(|_, v| !v.trim().is_empty());
        Ok(Self { values })
    }
}

fn read_toml(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let where_ = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new(&where_, format!("cannot be read: {e}")))?;
    toml_values(&text, &where_)
}

/// The `ZLACK_*` values of a TOML text; `where_` names it in errors.
fn toml_values(text: &str, where_: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ConfigError::new(where_, e.message().to_owned()))?;
    let mut out = BTreeMap::new();
    for (key, value) in table {
        if !KEYS.contains(&key.as_str()) {
            return Err(ConfigError::new(
                where_,
                format!("unknown key {key}; keys are the ZLACK_* names of the README"),
            ));
        }
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => return Err(ConfigError::new(&key, "must be a string or a number")),
        };
        out.insert(key, text);
    }
    Ok(out)
}

// Values include secrets: Debug names the keys only.
impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}
