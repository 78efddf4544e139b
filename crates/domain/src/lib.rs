//! Pure domain logic of zlack: no I/O, no async.
//!
//! - [`command`]: the `/zoom` grammar, from Slack's escaped `text` to a [`Command`].
//! - [`delivery`]: where a meeting notice may go in Slack.
//! - [`ids`]: the ids of Slack's, Zoom's and our own things, each its own type.
//! - [`i18n`]: English and Swedish messages (Fluent), chosen per Slack user.
//! - [`links`]: which Zoom links zlack unfurls.
//! - [`meeting`]: one Zoom meeting occurrence, folded from its webhooks into
//!   state and effects.
//! - [`phone`]: the target of `/zoom call` (Zoom Phone): a Slack user, a
//!   validated international number or an extension; and the phone
//!   webhooks folded into DMs about calls and recordings.
//! - [`render`]: the Block Kit payloads every `/zoom` flow shows, and the
//!   strings of the browser pages.
//! - [`schedule`]: the day, time, duration and topic of `/zoom schedule`.
//! - [`settings`]: a user's `/zoom config` choices and the buttons that change them.
//! - [`status`]: what Zoom's presence means for a user's Slack status.
//! - [`whiteboard`]: where a whiteboard unfurl shows the board's details.

pub mod command;
pub mod delivery;
pub mod i18n;
pub mod ids;
pub mod links;
pub mod meeting;
pub mod phone;
pub mod render;
pub mod schedule;
pub mod settings;
pub mod status;
pub mod whiteboard;

pub use command::{Command, JoinTarget, parse};
pub use i18n::{FluentArgValue, Lang, Texts};
pub use settings::{ConfigAction, LangSetting, UserSettings};
