//! Interactivity form bodies (`payload=` JSON), as `POST /slack/interactions` reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = zlack::fuzzing::slack_interaction(body);
});
