#![no_main]
//! One file's bytes through the whole pipeline: no panic, and every output
//! is valid — calendar lines CRLF and at most 75 octets, a talk's own file
//! with its event, the calendars with it or (an undated or past talk) with
//! a VTIMEZONE only, feeds well-formed XML and JSON, the page a whole
//! document, every path inside the output folder.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for output in talkfeed::fuzzing::pipeline(data) {
        // Every path stays inside the output folder and is not hidden.
        assert!(
            output.path.split('/').all(|s| !s.is_empty() && !s.starts_with('.') && !s.contains('\\')),
            "{}",
            output.path
        );
        let text = std::str::from_utf8(&output.bytes).expect("outputs are UTF-8");
        if output.path.ends_with(".ics") {
            assert!(text.ends_with("END:VCALENDAR\r\n"));
            let events = text.matches("\r\nBEGIN:VEVENT\r\n").count();
            let calendar = !output.path.starts_with("talks/");
            assert!(events == 1 || (calendar && events == 0 && text.contains("\r\nBEGIN:VTIMEZONE\r\n")));
            for line in text.split_terminator("\r\n") {
                assert!(line.len() <= 75 && !line.contains(['\r', '\n']), "{line:?}");
            }
        } else if output.path.ends_with(".xml") {
            roxmltree::Document::parse(text).expect("well-formed XML");
        } else if output.path.ends_with(".html") {
            assert!(text.starts_with("<!doctype html>") && text.ends_with("</html>\n"));
        } else {
            serde_json::from_str::<serde_json::Value>(text).expect("valid JSON");
        }
    }
});
