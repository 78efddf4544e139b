//! Slash command form bodies, as `POST /slack/commands` and the worker read them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = zlack::fuzzing::slack_command(body);
});
