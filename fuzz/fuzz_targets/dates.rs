#![no_main]
//! Date parsing and time-zone resolution never panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| talkfeed::fuzzing::date(data));
