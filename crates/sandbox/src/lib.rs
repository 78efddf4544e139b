//! In-process fakes of the Slack Web API and of the Zoom API/OAuth, plus
//! helpers that send correctly signed Slack requests and Zoom webhooks.
//!
//! Both fakes serve on `127.0.0.1` with a random port, record every call
//! they receive ([`RecordedCall`]) and can be told to misbehave ([`Fault`]).
//! Waiting for calls uses wake-ups, never sleep polling.
//!
//! ```no_run
//! # async fn demo() {
//! use sandbox::{FakeSlack, Signer, slash_command_fields};
//! use std::time::Duration;
//!
//! let slack = FakeSlack::start().await;
//! slack.add_workspace("T1", "xoxb-1");
//! // …start zlack with `slack.api_url()` as its Slack Web API base…
//! let signer = Signer::new("http://127.0.0.1:8080", "signing-secret", "zoom-secret");
//! let fields = slash_command_fields("T1", "C1", "U1", "", &slack.new_response_url());
//! signer.slack_command(&fields).await;
//! let posted = slack.wait_for_calls("response_url", 1, Duration::from_secs(5)).await;
//! assert_eq!(posted[0].args["response_type"], "in_channel");
//! # }
//! ```

mod args;
mod fault;
mod hold;
mod http;
mod ids;
mod payloads;
mod record;
mod server;
mod sign;
mod signer;
mod slack;
mod time;
mod zoom;

pub use fault::Fault;
pub use hold::Gate;
pub use payloads::{
    API_APP_ID, BOT_USER_ID, ZOOM_ACCOUNT_ID, slack_event_callback, slash_command_fields,
    zoom_event, zoom_presence_event,
};
pub use record::RecordedCall;
pub use sign::{slack_signature, unix_now, zoom_encrypted_token, zoom_signature};
pub use signer::{SignAs, Signer};
pub use slack::{ChannelKind, FakeSlack, OAuthGrant, ShownView, SocketAck};
pub use zoom::{FakeZoom, PREVIEW_PNG, ZoomUser};
