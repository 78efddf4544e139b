//! A wrapper that keeps secret values out of `Debug` output and logs.

use std::fmt;

/// A secret string: a signing secret, client secret or token.
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable
/// through [`Secret::expose`], which makes every use easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The plain value, for the one place that must send or seal it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Hides the passwords of a connection URL (in the user part and in
/// `password`/`sslpassword` query parameters), for logs and `Debug`.
pub fn mask_url_password(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("redacted"));
    }
    if parsed.query().is_some() {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let hidden = matches!(k.as_ref(), "password" | "sslpassword");
                (
                    k.into_owned(),
                    if hidden {
                        "redacted".into()
                    } else {
                        v.into_owned()
                    },
                )
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("xoxb-very-secret");
        assert!(!format!("{secret:?}").contains("very-secret"));
        assert!(!format!("{secret}").contains("very-secret"));
        assert_eq!(secret.expose(), "xoxb-very-secret");
    }

    #[test]
    fn connection_url_passwords_are_masked() {
        let masked = mask_url_password("postgres://zlack:hunter2@db.internal:5432/zlack");
        assert!(!masked.contains("hunter2"));
        assert!(masked.contains("db.internal"));
        assert_eq!(mask_url_password("sqlite://zlack.db"), "sqlite://zlack.db");
        let query =
            mask_url_password("postgres://db/zlack?user=z&password=hunter2&sslpassword=pw2");
        assert!(
            !query.contains("hunter2") && !query.contains("pw2"),
            "{query}"
        );
        assert!(query.contains("user=z"));
    }
}
