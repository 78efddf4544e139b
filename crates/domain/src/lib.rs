//! Pure domain logic of zlack: no I/O, no async.
//!
//! - [`command`]: the `/zoom` grammar, from Slack's escaped `text` to a [`Command`].
//! - [`i18n`]: English and Swedish messages (Fluent), chosen per Slack user.
//! - [`render`]: the Block Kit payloads every `/zoom` flow shows, and the
//!   strings of the browser pages.
//! - [`settings`]: a user's `/zoom config` choices and the buttons that change them.

pub mod command;
pub mod i18n;
pub mod render;
pub mod settings;

pub use command::{Command, JoinTarget, parse};
pub use i18n::{FluentArgValue, Lang, Texts};
pub use settings::{ConfigAction, LangSetting, UserSettings};
