//! zlack: a self-hosted Zoom for Slack.
//!
//! Layers: [`config`]; platform adapters [`slack`] and [`zoom`] with the
//! shared [`signature`] check; [`store`] with the [`vault`]; the inbox
//! [`ingest`]er; what a [`job`] is, the [`flows`] that carry out requests
//! and jobs, and the [`worker`] that runs them; the [`http`] surface;
//! [`app`] wiring it together; [`cli`] on top.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod flows;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod http_client;
pub mod ingest;
pub mod job;
pub mod manifest;
pub mod services;
pub mod signature;
pub mod slack;
pub mod store;
pub mod telemetry;
pub mod vault;
pub mod worker;
pub mod zoom;
