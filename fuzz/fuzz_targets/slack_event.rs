//! Events API bodies, as `POST /slack/events` reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = zlack::fuzzing::slack_event(body);
});
