//! Zoom: what it sends us. The REST and OAuth clients arrive with the
//! features that use them.

pub mod inbound;
