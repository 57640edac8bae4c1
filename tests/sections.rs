//! Where the talks are: the default sections (`talk`, `talks`, `event`,
//! `events`), and never a silent zero when a site keeps its talks under
//! another name (docs/content.md, "Where talkfeed looks for talks").

use std::path::Path;

use predicates::prelude::*;
use talkfeed::diag::{DiagKind, Severity};

use crate::util::{self, talkfeed};

/// A site from `(path, text)` pairs.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const TALK: &str = "---\ntitle: A talk\nevent: Conf\nlocation: Lyon\ndate: 2026-05-04T10:00:00Z\n---\nText.\n";
const POST: &str = "---\ntitle: A post\ndate: 2026-05-04\n---\nText.\n";

fn build(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let out = dir.join("public-talks");
    talkfeed()
        .arg("--site")
        .arg(dir)
        .args(["--base-url", "https://example.org/", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
}

fn events_in(dir: &Path) -> usize {
    let ics = std::fs::read_to_string(dir.join("public-talks/talks.ics")).unwrap();
    let cal = calcard::icalendar::ICalendar::parse(&ics).unwrap_or_else(|e| panic!("{e:?}\n{ics}"));
    cal.components.iter().filter(|c| format!("{:?}", c.component_type) == "VEvent").count()
}

#[test]
fn talks_is_a_default_section() {
    // The tailwind-era starters' name, beside an empty `event/` (the site
    // that published empty calendars and said nothing).
    let d = site(&[("content/event/_index.md", "---\ntitle: Events\n---\n"), ("content/talks/a/index.md", TALK)]);
    build(d.path(), &[]).success().stderr(predicate::str::contains("note:").not());
    assert_eq!(events_in(d.path()), 1);
}

#[test]
fn a_renamed_section_with_event_keys_fails_and_says_how_to_read_it() {
    let d = site(&[
        ("content/seminars/a/index.md", TALK),
        ("content/seminars/b.md", TALK),
        ("content/seminars/c.md", POST),
        ("content/post/p.md", POST),
    ]);
    let before = d.path().join("public-talks");
    build(d.path(), &[])
        .code(1)
        .stderr(predicate::str::contains(
            "seminars/a/index.md:3:1: error: this page looks like a talk (it has `event`), and 1 more page of seminars/ does too, but talkfeed does not read seminars/: talk/, talks/, event/, events/ hold no talk",
        ))
        .stderr(predicate::str::contains(
            "hint: to read them, pass --section seminars or set `sections = [\"seminars\"]` in talkfeed.toml",
        ));
    assert!(!before.exists(), "nothing is written");
    // What the message says works, by flag and by talkfeed.toml; then
    // every page of the section is a talk, the one without event keys too.
    build(d.path(), &["--section", "seminars"]).success();
    assert_eq!(events_in(d.path()), 3);
    std::fs::write(d.path().join("talkfeed.toml"), "sections = [\"seminars\"]\n").unwrap();
    build(d.path(), &["--force"]).success().stderr(predicate::str::contains("error").not());
    assert_eq!(events_in(d.path()), 3);
}

#[test]
fn a_section_the_site_renders_as_events_is_read_with_a_note() {
    // By cascade…
    let d = site(&[
        ("content/seminars/_index.md", "---\ntitle: Seminars\ncascade:\n  type: event\n---\n"),
        ("content/seminars/a.md", "---\ntitle: Graphs\ndate: 2026-05-04T10:00:00Z\n---\nText.\n"),
        ("content/seminars/b.md", TALK),
        ("content/post/p.md", POST),
    ]);
    build(d.path(), &[]).success().stderr(predicate::str::contains(
        "seminars: note: seminars/ is read as a talk section: talk/, talks/, event/, events/ hold no talk, and its `_index.md` cascades `type: event` to its pages",
    ));
    assert_eq!(events_in(d.path()), 2);
    // The feeds are named after the section read.
    let rss = std::fs::read_to_string(d.path().join("public-talks/rss.xml")).unwrap();
    assert!(rss.contains("<title>Seminars</title>"), "{rss}");
    // …and by a permalink rule (the page itself has no event key).
    let d = site(&[
        ("hugo.toml", "[permalinks]\nseminars = '/talk/:slug/'\n"),
        ("content/seminars/a.md", "---\ntitle: Graphs\ndate: 2026-05-04T10:00:00Z\n---\nText.\n"),
    ]);
    build(d.path(), &[])
        .success()
        .stderr(predicate::str::contains("and `[permalinks]` publishes its pages under `/talk/:slug/`"));
    assert_eq!(events_in(d.path()), 1);
    let json = std::fs::read_to_string(d.path().join("public-talks/feed.json")).unwrap();
    assert!(json.contains("\"url\": \"https://example.org/talk/graphs/\""), "{json}");
}

#[test]
fn a_site_without_talks_builds_empty_valid_outputs() {
    let d = site(&[("content/post/p.md", POST), ("content/_index.md", "---\ntitle: Home\n---\n")]);
    build(d.path(), &["--deny-warnings"]).success().stderr(predicate::str::contains(
        "note: no talks: talk/, talks/, event/, events/ hold no talk page, and no other section has pages that look like talks; the calendars and feeds are empty",
    ));
    assert_eq!(events_in(d.path()), 0);
    for name in ["rss.xml", "atom.xml"] {
        let bytes = std::fs::read(d.path().join("public-talks").join(name)).unwrap();
        feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // A section named on purpose must exist: a typo is not an empty site.
    build(d.path(), &["--section", "talkz"]).code(1).stderr(predicate::str::contains("no talk section found"));
}

#[test]
fn talks_in_the_sections_read_stop_the_search() {
    // `post/` has an event key, but the site's talks are where they belong.
    let d = site(&[("content/talk/a.md", TALK), ("content/post/p.md", TALK)]);
    build(d.path(), &[]).success().stderr(predicate::str::contains("note:").not());
    assert_eq!(events_in(d.path()), 1);
    // The theme's example is no talk: the search goes on.
    let example = "---\ntitle: Example Talk\nevent: Wowchemy Conference\ndate: 2030-06-01T13:00:00Z\n---\n";
    let d = site(&[("content/event/example/index.md", example), ("content/seminars/a.md", TALK)]);
    build(d.path(), &[]).code(1).stderr(predicate::str::contains("talkfeed does not read seminars/"));
}

#[test]
fn each_language_is_looked_at_on_its_own() {
    // English talks where they belong; the French ones in a renamed section.
    let d = site(&[
        (
            "hugo.yaml",
            "defaultContentLanguage: en\nlanguages:\n  en:\n    contentDir: content/en\n  fr:\n    contentDir: content/fr\n",
        ),
        ("content/en/event/a/index.md", TALK),
        ("content/fr/seminaires/a/index.md", TALK),
    ]);
    let (_, diags, _) = util::load(util::args(d.path(), None));
    let found: Vec<_> = diags.iter().filter(|d| d.kind == DiagKind::TalksElsewhere).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].path.as_ref().unwrap().ends_with("content/fr/seminaires/a/index.md"), "{found:?}");
    // A language without talks anywhere is no problem.
    std::fs::remove_dir_all(d.path().join("content/fr/seminaires")).unwrap();
    std::fs::create_dir_all(d.path().join("content/fr/post")).unwrap();
    std::fs::write(d.path().join("content/fr/post/p.md"), POST).unwrap();
    let (site, diags, _) = util::load(util::args(d.path(), None));
    assert_eq!(site.talks.len(), 1);
    assert!(diags.is_empty(), "{diags:?}");
}
