//! Zoom: what it sends us ([`inbound`]), and the clients of its OAuth
//! ([`oauth`]) and REST ([`api`]) endpoints, and the client of its
//! WebSocket event subscriptions ([`websocket`]).

pub mod api;
pub mod error;
pub mod events;
pub mod inbound;
pub mod oauth;
pub mod pkce;
pub mod websocket;
