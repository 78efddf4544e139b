//! The two Fluent bundles and message lookup.

use std::fmt::{self, Write as _};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::{FluentArgValue, Lang};

/// The embedded message files, one per area, read as one resource per
/// language; `include_str!` keeps the binary self-contained.
pub(crate) const EN_FTL: &str = concat!(
    include_str!("../../locales/en/zlack.ftl"),
    "\n",
    include_str!("../../locales/en/home.ftl"),
    "\n",
    include_str!("../../locales/en/schedule.ftl"),
    "\n",
    include_str!("../../locales/en/status.ftl"),
    "\n",
    include_str!("../../locales/en/limitations.ftl"),
);
pub(crate) const SV_FTL: &str = concat!(
    include_str!("../../locales/sv/zlack.ftl"),
    "\n",
    include_str!("../../locales/sv/home.ftl"),
    "\n",
    include_str!("../../locales/sv/schedule.ftl"),
    "\n",
    include_str!("../../locales/sv/status.ftl"),
    "\n",
    include_str!("../../locales/sv/limitations.ftl"),
);

// The concurrent bundle is `Send + Sync`, so one `Texts` can be shared by
// every request handler behind an `Arc`.
type Bundle = FluentBundle<FluentResource>;

/// The slash command the message files name, and [`Texts::new`] uses.
pub const DEFAULT_COMMAND: &str = "/zoom";

/// Both languages' messages, parsed once at startup.
pub struct Texts {
    en: Bundle,
    sv: Bundle,
    command: String,
}

impl Texts {
    /// Parses the embedded message files, naming the slash command `/zoom`.
    ///
    /// # Panics
    /// If an embedded `.ftl` file does not parse; the tests catch that.
    pub fn new() -> Texts {
        Texts::with_command(DEFAULT_COMMAND)
    }

    /// Parses the embedded message files, with every message naming the
    /// slash command `command` (such as `/meet`) where it names the command.
    ///
    /// # Panics
    /// If an embedded `.ftl` file does not parse; the tests catch that.
    pub fn with_command(command: &str) -> Texts {
        Texts {
            en: bundle(Lang::En, EN_FTL, command),
            sv: bundle(Lang::Sv, SV_FTL, command),
            command: command.to_owned(),
        }
    }

    /// The slash command, such as `/zoom`, for renderers that write it
    /// outside a message (usages in code spans).
    pub fn command(&self) -> &str {
        &self.command
    }

    /// Message `key` in `lang` with named arguments.
    ///
    /// A missing key or argument is a bug: it panics in debug builds and
    /// tests; in release the English text (or else the key name) is returned.
    pub fn get(&self, lang: Lang, key: &str, args: &[(&str, FluentArgValue)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            if cfg!(debug_assertions) {
                panic!("message {key:?} is missing in {}", lang.code());
            }
            return match lang {
                Lang::En => key.to_owned(),
                Lang::Sv => self.get(Lang::En, key, args),
            };
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let value = match *value {
                FluentArgValue::Str(s) => FluentValue::from(s),
                FluentArgValue::Num(n) => FluentValue::from(n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if cfg!(debug_assertions) && !errors.is_empty() {
            panic!("message {key:?} in {}: {errors:?}", lang.code());
        }
        text.into_owned()
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        match lang {
            Lang::En => &self.en,
            Lang::Sv => &self.sv,
        }
    }
}

impl Default for Texts {
    fn default() -> Self {
        Texts::new()
    }
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Texts")
            .field("command", &self.command)
            .finish_non_exhaustive()
    }
}

fn bundle(lang: Lang, source: &str, command: &str) -> Bundle {
    let langid: LanguageIdentifier = lang.code().parse().expect("a valid language code");
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{}/*.ftl: {errors:?}", lang.code()));
    let mut bundle = Bundle::new_concurrent(vec![langid]);
    // Slack shows Unicode isolation marks around arguments as junk.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{}/*.ftl: {errors:?}", lang.code()));
    if command != DEFAULT_COMMAND {
        let term = FluentResource::try_new(command_term(command))
            .unwrap_or_else(|(_, errors)| panic!("the -command term: {errors:?}"));
        bundle.add_resource_overriding(term);
    }
    bundle
}

/// The Fluent source of a `-command` term whose value is `command`, quoted
/// as a string literal so no character of it can be read as Fluent syntax.
fn command_term(command: &str) -> String {
    let mut literal = String::with_capacity(command.len());
    for c in command.chars() {
        match c {
            c if c.is_alphanumeric() || matches!(c, '/' | '-' | '_' | '.') => literal.push(c),
            c if u32::from(c) <= 0xFFFF => {
                let _ = write!(literal, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(literal, "\\U{:06X}", u32::from(c));
            }
        }
    }
    format!("-command = {{ \"{literal}\" }}\n")
}
