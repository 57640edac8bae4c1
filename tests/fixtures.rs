//! Fixture sites: `eras` (one page per theme era plus the loose forms real
//! sites write) and `broken` (one problem per page, with the expected
//! diagnostics as a golden snapshot, so the messages themselves are tested).

use talkfeed::diag::DiagKind;
use talkfeed::model::{EventTime, StartKey};
use talkfeed::normalize::NotATalk;

use crate::util;

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn eras_are_read_with_the_right_start_keys() {
    let (site, diags, _) = util::load(util::args(&util::fixture("eras"), None));
    assert_eq!(diags.errors(), 0, "{diags:#?}");
    let by = |p: &str| site.talks.iter().find(|t| t.source.content_path == p).unwrap_or_else(|| panic!("{p}"));

    let v1 = by("talk/v1.md");
    assert_eq!(v1.start_key, StartKey::Date);
    assert!(matches!(v1.when, Some(EventTime::AllDay(_))), "a date-only start is all day");
    assert!(v1.featured, "`selected` is the old name of `featured`");
    assert_eq!(v1.attachments[0].url, "files/v1.pdf");

    let v2 = by("talk/v2.md");
    assert_eq!(v2.start_key, StartKey::TimeStart);
    assert_eq!(v2.end_key, Some("time_end"));
    let Some(EventTime::Timed(r)) = v2.when else { panic!() };
    assert_eq!(r.start().to_rfc3339(), "2018-02-10T13:00:00+00:00", "not the publish date 2018-01-05");
    assert_eq!(v2.image.as_ref().unwrap().filename.as_deref(), Some("headers/v2.png"));

    let v4 = by("talk/v4/index.md");
    assert_eq!(v4.address.postcode.as_deref(), Some("5000"), "numbers kept as written");
    assert_eq!(v4.address.region, None, "empty means absent");
    assert_eq!(v4.links[0].name.as_deref(), Some("Slides"), "typed links get their label");
    assert_eq!(v4.links[1].icon.as_deref(), Some("github"));
    assert_eq!(v4.event_url.as_deref(), Some("https://cascade.example.org/"), "cascade from _index.md");

    let kit = by("events/kit/index.md");
    assert_eq!(kit.start_key, StartKey::EventStart);
    assert_eq!(kit.event.as_deref(), Some("Kit Summit"));
    // `event_all_day: false` wins over `all_day: true`; a date-only end of a
    // timed talk is the end of that day, in the offset of the start.
    let Some(EventTime::Timed(r)) = kit.when else { panic!("{:?}", kit.when) };
    assert_eq!(r.start().to_rfc3339(), "2026-02-02T09:00:00+05:30");
    assert_eq!(r.end().unwrap().to_rfc3339(), "2026-02-03T00:00:00+05:30");

    let half = by("talk/half-migrated/index.md");
    assert_eq!(half.start_key, StartKey::Date);
    assert_eq!(half.end_key, Some("event_end"), "the current theme's rule: event_end, else date_end");

    assert!(site.talks.iter().any(|t| t.title == "Keynote on Rust"), "speakers and tags make a talk, not a stub");
    assert_eq!(
        site.not_talks.iter().map(|p| (p.source.content_path.as_str(), p.reason)).collect::<Vec<_>>(),
        [("talk/widget/index.md", NotATalk::Widget)]
    );

    let json = by("talk/json.md");
    assert_eq!(json.tags, ["json"], "keys are case-insensitive");
    let Some(EventTime::AllDay(r)) = json.when else { panic!() };
    assert_eq!((r.first().to_string(), r.last().to_string()), ("2020-05-01".into(), "2020-05-02".into()));
}

#[test]
fn loose_values_are_read_as_meant() {
    let (site, diags, _) = util::load(util::args(&util::fixture("eras"), None));
    let t = site.talks.iter().find(|t| t.source.content_path == "talk/loose/index.md").unwrap();
    assert_eq!(t.title, "2019");
    assert_eq!(t.authors, ["Martin"]);
    assert!(!t.draft);
    assert!(matches!(t.when, Some(EventTime::Timed(_))), "`all_day: no` is false, not a truthy string");
    assert_eq!(t.event.as_deref(), Some("Golang Taipei Gathering"), "`#` starts a YAML comment");
    assert_eq!(t.location, None);
    assert_eq!(t.summary, None);
    assert_eq!(t.tags, ["a", "b"]);
    assert!(t.address.is_empty(), "`<!-- address` is another key");
    assert_eq!(t.dates.publish.unwrap().to_rfc3339(), "2018-09-25T00:00:00+00:00");
    assert_eq!(t.body, "Body.\r\n");
    assert_eq!(t.body_line, 19);
    let lenient: Vec<_> =
        diags.iter().filter(|d| d.kind == DiagKind::LenientBool).map(|d| (d.key.clone().unwrap(), d.line)).collect();
    // `all_day: no` is true to the theme under Hugo since 0.152: worth a
    // warning. `draft: no` is false to every Hugo: nothing to say.
    assert_eq!(lenient, [("all_day".to_string(), Some(7))]);
}

#[test]
fn eras_list_as_json() {
    let out = stdout(util::talkfeed().args(["list", "--format", "json", "--site", "tests/fixtures/eras"]));
    insta::assert_snapshot!(out);
}

#[test]
fn broken_pages_give_these_diagnostics() {
    let out = util::talkfeed().args(["check", "--site", "tests/fixtures/broken"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stderr).unwrap());
}

#[test]
fn broken_pages_as_json_lines() {
    let out = util::talkfeed().args(["check", "--format", "json", "--site", "tests/fixtures/broken"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.len() > 20);
    for l in &lines {
        assert!(l["severity"] == "error" || l["severity"] == "warning");
        assert!(l["path"].as_str().unwrap().starts_with("tests/fixtures/broken/content/talk/"));
        assert!(l["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    for kind in [
        "unclosed-front-matter",
        "syntax",
        "not-a-map",
        "invalid-date",
        "missing-start",
        "duplicate-key",
        "duplicate-uid",
        "encoding",
        "ambiguous-local-time",
        "duplicate-permalink",
        "date-fallback",
        "unpublished-upcoming",
        "end-not-after-start",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
}

#[test]
fn speakers_are_named_from_the_authors_pages() {
    let out = tempfile::tempdir().unwrap();
    util::talkfeed()
        .args(["--base-url", "https://ada.example/", "--site"])
        .arg(util::fixture("eras"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let feed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("feed.json")).unwrap()).unwrap();
    let kit = feed["items"].as_array().unwrap().iter().find(|i| i["title"] == "A Hugo Blox 2026 talk").unwrap();
    // `admin` has content/authors/admin/_index.md titled Ada Admin; a
    // speaker without a page keeps the name as written.
    assert_eq!(kit["authors"], serde_json::json!([{ "name": "Ada Admin" }]));
    let calendar = std::fs::read_to_string(out.path().join("talks.ics")).unwrap();
    assert!(calendar.contains("Ada Admin"), "speakers are named in the event description");
}
