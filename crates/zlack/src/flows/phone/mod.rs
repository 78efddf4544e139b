//! Zoom Phone from Slack: `/zoom call`, the signed call page its button
//! opens, and the DMs about ended and missed calls and phone recordings.

mod call;
pub mod link;
mod notices;

pub use call::run as run_call;
pub use notices::{on_webhook, run_notice};
