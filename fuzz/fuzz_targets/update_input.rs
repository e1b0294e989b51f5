//! Arbitrary bytes through the update handler's input parsing: the JSON of an `Update`, the
//! callback decoders, the command parser and every text parser (no database involved).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    study_group_bot::telegram::fuzz::input(data);
});
