//! English and Swedish messages, written in Fluent (`locales/{en,sv}/*.ftl`,
//! one file per area).
//!
//! Messages are plain text; the renderer escapes them for Slack's mrkdwn.

mod texts;

#[cfg(test)]
mod tests;

pub use texts::{DEFAULT_COMMAND, Texts};

/// A language zlack speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the default for every locale that is not Swedish.
    En,
    /// Swedish.
    Sv,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Sv];

    /// Slack user locale like "sv-SE", "en-US", "sv"; anything not Swedish → En.
    pub fn from_slack_locale(locale: &str) -> Lang {
        let primary = locale.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("sv") {
            Lang::Sv
        } else {
            Lang::En
        }
    }

    /// The language code: "en" or "sv".
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
}

/// A named argument of a message: Fluent needs only strings and numbers here.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FluentArgValue<'a> {
    /// Text, inserted as is.
    Str(&'a str),
    /// A number; Fluent picks plural forms from it.
    Num(i64),
}

impl<'a> From<&'a str> for FluentArgValue<'a> {
    fn from(value: &'a str) -> Self {
        FluentArgValue::Str(value)
    }
}

impl<'a> From<&'a String> for FluentArgValue<'a> {
    fn from(value: &'a String) -> Self {
        FluentArgValue::Str(value)
    }
}

impl From<i64> for FluentArgValue<'_> {
    fn from(value: i64) -> Self {
        FluentArgValue::Num(value)
    }
}
