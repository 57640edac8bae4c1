#![no_main]
//! Front-matter splitting and parsing (YAML, TOML, JSON) never panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| talkfeed::fuzzing::front_matter(data));
