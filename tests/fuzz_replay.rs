//! The fuzz corpus (`fuzz/corpus/<target>/`: seeds and every crash
//! reproducer found so far) replayed through the same entry points the
//! fuzz targets use, on stable Rust, in every `make test`.

use std::path::Path;

use crate::util;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = util::root().join("fuzz/corpus").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

#[test]
fn front_matter_corpus() {
    for (_, data) in inputs("front_matter") {
        talkfeed::fuzzing::front_matter(&data);
    }
}

#[test]
fn dates_corpus() {
    for (_, data) in inputs("dates") {
        talkfeed::fuzzing::date(&data);
    }
}

#[test]
fn pipeline_corpus() {
    let mut rendered = 0;
    for (name, data) in inputs("pipeline") {
        let outputs = talkfeed::fuzzing::pipeline(&data);
        rendered += usize::from(!outputs.is_empty());
        let outputs_paths: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
        for output in outputs {
            let text = std::str::from_utf8(&output.bytes).unwrap();
            let at = || format!("{name} → {}", output.path);
            let inside = output.path.split('/').all(|s| !s.is_empty() && !s.starts_with('.') && !s.contains('\\'));
            assert!(inside, "{}", at());
            match Path::new(&output.path).extension().and_then(|e| e.to_str()) {
                _ if output.path.starts_with("schedules/") => check_schedule(&output.path, text, at),
                Some("ics") => {
                    assert!(text.split_terminator("\r\n").all(|l| l.len() <= 75), "{}", at());
                    let events = crate::calendar::parse(text).1.len();
                    // A talk file holds its talk; the calendars hold it if it
                    // has a start (and upcoming.ics if it is still to come),
                    // else only a VTIMEZONE.
                    let calendar = !output.path.starts_with("talks/");
                    assert!(events == 1 || (calendar && events == 0), "{}", at());
                    if events == 0 {
                        assert!(text.contains("BEGIN:VTIMEZONE\r\n"), "{}", at());
                    }
                }
                Some("html") => assert!(text.starts_with("<!doctype html>") && text.ends_with("</html>\n"), "{}", at()),
                _ if output.path.ends_with("talkfeed.json") => {
                    let talks = check_manifest(text, &outputs_paths).unwrap_or_else(|e| panic!("{}: {e}", at()));
                    assert!(talks <= 1, "{}", at());
                }
                Some("xml") => {
                    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{}: {e}", at()));
                    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", at()));
                }
                _ => {
                    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", at()));
                }
            }
        }
    }
    assert!(rendered > 10, "the seeds should include talks ({rendered} rendered)");
}

/// A schedule for conference apps: well-formed frab XML, or c3voc JSON
/// that the c3voc schema accepts (where ../shared has it).
fn check_schedule(path: &str, text: &str, at: impl Fn() -> String) {
    static SCHEMA: std::sync::OnceLock<Option<jsonschema::Validator>> = std::sync::OnceLock::new();
    if path.ends_with(".xml") {
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{}: {e}", at()));
        assert!(doc.root_element().has_tag_name("schedule"), "{}", at());
        return;
    }
    let json: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", at()));
    let schema = SCHEMA.get_or_init(crate::schedules::validator);
    match schema {
        Some(v) => {
            let errors: Vec<String> = v.iter_errors(&json).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", at());
        }
        None => assert!(json["schedule"]["conference"].is_object(), "{}", at()),
    }
}

/// The manifest for Hugo (`talkfeed.json`, contract version 1): JSON, its
/// version, and every talk's own calendar among `paths` (the outputs).
fn check_manifest(text: &str, paths: &[String]) -> Result<usize, String> {
    let m: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if m["talkfeed"]["manifest"] != 1 {
        return Err(format!("not version 1: {}", m["talkfeed"]));
    }
    let talks = m["talks"].as_object().ok_or("no talks")?;
    for (path, links) in talks {
        let ics = links["ics"].as_str().ok_or("no ics")?;
        let file = ics.strip_prefix("https://example.org/").ok_or_else(|| format!("{path}: {ics}"))?;
        if !paths.iter().any(|p| p == file) {
            return Err(format!("{path}: {file} is not an output"));
        }
    }
    Ok(talks.len())
}

mod generated_talks {
    use proptest::prelude::*;

    /// A talk page with generated values; strings are written as JSON
    /// strings, which YAML reads as double-quoted scalars.
    fn page() -> impl Strategy<Value = (String, String)> {
        let text = "[ -~éü老🎉<>&\"'\\\\;,:\\[\\]{}#*\t]{1,60}";
        (
            text,
            proptest::option::of(text),
            proptest::option::of(text),
            proptest::collection::vec("[a-z0-9 ,;<>&]{1,12}", 0..4),
            (1990i32..2040, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60),
            proptest::option::of(0i64..5000),
            any::<bool>(),
        )
            .prop_filter("a visible title", |(title, ..)| !title.trim().is_empty())
            .prop_map(|(title, event, location, tags, (y, mo, d, h, mi), minutes, all_day)| {
                let json = |s: &str| serde_json::to_string(s).unwrap();
                let start = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+02:00");
                let mut page = format!("---\ntitle: {}\ndate: \"{start}\"\nall_day: {all_day}\n", json(&title));
                if let Some(m) = minutes {
                    let end = chrono::DateTime::parse_from_rfc3339(&start).unwrap() + chrono::Duration::minutes(m + 1);
                    page.push_str(&format!("date_end: \"{}\"\n", end.to_rfc3339()));
                }
                page.push_str(&format!("event: {}\n", json(event.as_deref().unwrap_or("E"))));
                if let Some(l) = location {
                    page.push_str(&format!("location: {}\n", json(&l)));
                }
                page.push_str(&format!(
                    "tags: {}\n---\nBody with <b>html</b> & *markdown*.\n",
                    serde_json::to_string(&tags).unwrap()
                ));
                (page, title)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any talk gives valid outputs, and every output holds that talk.
        #[test]
        fn every_output_of_any_talk_is_valid_and_holds_it((page, title) in page()) {
            let outputs = talkfeed::fuzzing::pipeline(page.as_bytes());
            // Ten main outputs (with the reminders calendars), a schedule's
            // two files when the talk names an event, then four per tag and
            // four for the section.
            let grouped = |p: &str| p.starts_with("tags/") || p.starts_with("sections/") || p.starts_with("schedules/");
            let main = outputs.iter().filter(|o| !grouped(&o.path)).count();
            prop_assert_eq!(main, 10, "{}", page);
            let schedules = outputs.iter().filter(|o| o.path.starts_with("schedules/")).count();
            prop_assert!(schedules == 0 || schedules == 2);
            let paths: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
            prop_assert_eq!((outputs.len() - main - schedules) % 4, 0);
            prop_assert!(outputs.iter().any(|o| o.path == "sections/talk/feed.json"));
            let title = title.trim();
            for output in &outputs {
                let text = std::str::from_utf8(&output.bytes).unwrap();
                if output.path.starts_with("schedules/") {
                    super::check_schedule(&output.path, text, || output.path.clone());
                    if output.path.ends_with(".xml") {
                        let doc = roxmltree::Document::parse(text).unwrap();
                        let titles: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("event"))
                            .filter_map(|e| e.children().find(|c| c.has_tag_name("title"))?.text()).collect();
                        prop_assert_eq!(titles, vec![title]);
                    } else {
                        let json: serde_json::Value = serde_json::from_str(text).unwrap();
                        let day = &json["schedule"]["conference"]["days"][0]["rooms"];
                        let talk = day.as_object().unwrap().values().next().unwrap();
                        prop_assert_eq!(talk[0]["title"].as_str(), Some(title));
                    }
                } else if output.path.starts_with("upcoming") {
                    prop_assert!(crate::calendar::parse(text).1.len() <= 1);
                } else if output.path.ends_with(".ics") {
                    prop_assert!(text.split_terminator("\r\n").all(|l| l.len() <= 75));
                    let (_, events) = crate::calendar::parse(text);
                    prop_assert_eq!(events.len(), 1);
                    prop_assert_eq!(events[0]["SUMMARY"][0].as_str(), title);
                } else if output.path.ends_with(".html") {
                    let escaped = talkfeed::emit::escape::escape(title);
                    prop_assert!(text.contains(&escaped), "{}", output.path);
                } else if output.path == "talkfeed.json" {
                    prop_assert_eq!(super::check_manifest(text, &paths), Ok(1));
                } else {
                    if output.path.ends_with(".xml") {
                        prop_assert!(roxmltree::Document::parse(text).is_ok(), "{}", text);
                    }
                    let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
                    prop_assert_eq!(feed.entries.len(), 1);
                    let got = feed.entries[0].title.as_ref().unwrap().content.clone();
                    prop_assert_eq!(got.trim(), title, "{}", output.path);
                }
            }
        }
    }
}
