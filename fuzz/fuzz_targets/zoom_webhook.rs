//! Zoom webhook bodies, as `POST /zoom/webhook` and the meeting lifecycle read them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = zlack::fuzzing::zoom_webhook(body);
});
