//! Links pasted into Slack: Zoom meeting, whiteboard and recording links
//! as the unfurl flow classifies them, and as `/zoom join` reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zlack_domain::links::{ZoomLink, classify};
use zlack_domain::{Command, JoinTarget};

fuzz_target!(|url: &str| {
    match classify(url) {
        Some(ZoomLink::Meeting { meeting_id }) => assert!(meeting_id >= 1_000_000),
        Some(ZoomLink::Whiteboard { whiteboard_id }) => assert!(!whiteboard_id.is_empty()),
        Some(ZoomLink::Recording { share_url }) => {
            // The share link names the recording without its passcode.
            assert!(share_url.starts_with("https://") && !share_url.contains('?'));
        }
        None => {}
    }
    if let Command::Join(JoinTarget::Url { url, .. }) = zlack_domain::parse(&format!("join {url}"))
    {
        assert!(url.starts_with("https://"));
    }
    let _ = zlack_domain::whiteboard::WhiteboardDetail::parse(url);
});
