//! Slack: what it sends us (typed at the boundary) and its Web API client.

pub mod api;
pub mod inbound;
pub mod openid;
pub mod socket_mode;
pub mod team;
pub mod to_inbox;
pub mod views;
