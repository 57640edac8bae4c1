//! Lenient where Hugo is lenient, strict where Hugo fails, and every
//! departure said: config files with a key written twice or a broken file
//! talkfeed does not read, a page that keeps the theme's example event name,
//! undated talks, pages left out that still carry broken dates
//! (`tests/fixtures/lenient`).

use std::path::Path;

use predicates::prelude::*;

use crate::util::{self, talkfeed};

fn build(site: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    talkfeed().arg("--site").arg(site).arg("--out").arg(out).args(extra).assert()
}

fn feed(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("feed.json")).unwrap()).unwrap()
}

fn summaries(out: &Path, file: &str) -> Vec<String> {
    let ics = std::fs::read_to_string(out.join(file)).unwrap();
    let mut s: Vec<String> = crate::calendar::parse(&ics).1.iter().map(|e| e["SUMMARY"][0].clone()).collect();
    s.sort();
    s
}

#[test]
fn a_site_hugo_builds_is_built_with_warnings_that_say_where() {
    let out = tempfile::tempdir().unwrap();
    let params = "tests/fixtures/lenient/config/_default/params.yaml:4:1: warning: `description` is written twice; the last value is used, as Hugo does";
    let menus = "tests/fixtures/lenient/config/_default/menus.yaml:4:4: warning: YAML syntax error in the site config";
    build(&util::fixture("lenient"), out.path(), &[])
        .code(0)
        .stderr(predicate::str::contains(params))
        .stderr(predicate::str::contains(menus))
        .stderr(predicate::str::contains("talkfeed does not read the `menus` settings, so this does not stop it"));
    assert_eq!(feed(out.path())["description"], "Talks and workshops", "the last value wins");
    // A key written twice in front matter: the last value, as Hugo 0.111.
    let twice =
        "content/talk/written-twice.md:5:1: warning: `event` is written twice; the last value is used, as Hugo does";
    talkfeed().args(["check", "--site"]).arg(util::fixture("lenient")).assert().stderr(predicate::str::contains(twice));
    let ics = std::fs::read_to_string(out.path().join("talks.ics")).unwrap();
    assert!(ics.contains("Event: Second event"), "{ics}");
}

#[test]
fn only_the_untouched_theme_example_is_left_out() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("lenient"), out.path(), &[]).success().stderr(predicate::str::contains(
        "example/index.md:1:1: warning: this page is the theme's example talk (its `title` and `event` are the example's); left out",
    ));
    // The page that kept only the example's event name is a talk.
    assert_eq!(summaries(out.path(), "talks.ics"), ["Scaling Rust at Acme", "Written twice"]);
    build(&util::fixture("lenient"), out.path(), &["--include-example"]).success();
    assert_eq!(summaries(out.path(), "talks.ics"), ["Example Talk", "Scaling Rust at Acme", "Written twice"]);

    // The same from talkfeed.toml.
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk/example")).unwrap();
    std::fs::copy(
        util::fixture("lenient/content/talk/example/index.md"),
        site.path().join("content/talk/example/index.md"),
    )
    .unwrap();
    std::fs::write(site.path().join("talkfeed.toml"), "include_example = true\nbase_url = \"https://x.example/\"\n")
        .unwrap();
    let out = site.path().join("out");
    build(site.path(), &out, &[]).success();
    assert_eq!(summaries(&out, "talks.ics"), ["Example Talk"]);
}

#[test]
fn an_undated_talk_is_in_no_calendar_and_blocks_nothing() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("lenient"), out.path(), &[])
        .success()
        .stderr(predicate::str::contains("5 talks, 2 in the calendar, 3 without a start date"))
        .stderr(predicate::str::contains(
            "undated.md:4:1: warning: the talk has no start date (`date` is empty); it is left out of the calendars, it goes into the feeds from its publish date",
        ))
        .stderr(predicate::str::contains(
            "undated-bare.md:4:1: warning: the talk has no start date (`date` is empty); it is left out of the calendars, without a publish date it is left out of the feeds too",
        ));
    // In the feeds when its publish date is known: `date: ""` and JSON `null`.
    let titles: Vec<String> =
        feed(out.path())["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().into()).collect();
    assert!(titles.contains(&"Date to be announced".into()) && titles.contains(&"Null date".into()), "{titles:?}");
    assert!(!titles.contains(&"Bare date".into()));
    let undated = feed(out.path())["items"].as_array().unwrap().iter().find(|i| i["title"] == "Null date").cloned();
    assert_eq!(undated.unwrap()["_talk"].get("start"), None);
    // Counted in check's summary too.
    talkfeed()
        .args(["check", "--site"])
        .arg(util::fixture("lenient"))
        .assert()
        .success()
        .stderr(predicate::str::contains("3 without a start date (in no calendar)"));
}

#[test]
fn strict_makes_an_undated_talk_an_error() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("lenient"), out.path(), &["--strict"])
        .code(1)
        .stderr(predicate::str::contains("undated.md:4:1: error: the talk has no start date"));
    assert!(!out.path().join("talks.ics").exists(), "nothing written");
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("content/talk/a.md"), "---\ntitle: A\nevent: E\ndate: ''\n---\n").unwrap();
    std::fs::write(site.path().join("talkfeed.toml"), "strict = true\nbase_url = \"https://x.example/\"\n").unwrap();
    talkfeed().args(["check", "--site"]).arg(site.path()).assert().code(1);
    std::fs::write(site.path().join("talkfeed.toml"), "base_url = \"https://x.example/\"\n").unwrap();
    talkfeed().args(["check", "--site"]).arg(site.path()).assert().code(0);
}

#[test]
fn a_left_out_page_still_reports_its_broken_dates() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    // A `hugo new` stub (no event keys, no body) and the untouched example.
    std::fs::write(site.path().join("content/talk/stub.md"), "---\ntitle: Stub\ndate: 2019-13-45\n---\n").unwrap();
    std::fs::write(
        site.path().join("content/talk/example.md"),
        "---\ntitle: Example Talk\nevent: Academic Theme Conference\ndate: 2030-06-01\npublishDate: 2017-1-01\nevent_start: soon\n---\n",
    )
    .unwrap();
    let out = talkfeed().args(["check", "--format", "json", "--site"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let found = |file: &str, key: &str| {
        lines
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(file) && l["key"] == key)
            .map(|l| (l["severity"].as_str().unwrap().to_string(), l["kind"].as_str().unwrap().to_string()))
    };
    assert_eq!(found("stub.md", "date"), Some(("error".into(), "invalid-date".into())), "{lines:#?}");
    // The example's start is `event_start` (Hugo Blox 2026), broken; its
    // publishDate falls back as on any talk.
    assert_eq!(found("example.md", "event_start"), Some(("error".into(), "invalid-date".into())));
    assert_eq!(found("example.md", "publishdate"), Some(("warning".into(), "date-fallback".into())));
}

/// What needs no fixing gets no warning (docs/troubleshooting.md): the
/// starters' placeholder link, an end equal to the start, `draft: no`. What
/// does still warns: a link without any `url`, an end before the start.
#[test]
fn placeholders_and_hugo_new_defaults_are_quiet() {
    let site = tempfile::tempdir().unwrap();
    let talk = |name: &str, extra: &str| {
        let path = site.path().join("content/talk").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            path,
            format!("---\ntitle: {name}\nevent: Conf\ndate: 2026-05-04T10:00:00Z\ndraft: no\n{extra}---\nText.\n"),
        )
        .unwrap();
    };
    talk(
        "quiet.md",
        "date_end: 2026-05-04T10:00:00Z\nlinks:\n  - name: Slides\n    url: \"\"\n  - name: Video\n    url:\n",
    );
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &["--base-url", "https://example.org/", "--deny-warnings"])
        .success()
        .stderr(predicate::str::contains("warning").not());
    let ics = std::fs::read_to_string(out.path().join("talks.ics")).unwrap();
    assert!(ics.contains("DTEND:20260504T110000Z"), "no end: the default hour\n{ics}");
    talk("loud.md", "date_end: 2026-05-04T09:00:00Z\nlinks:\n  - name: Slides\n    icon: file\n");
    talkfeed()
        .args(["check", "--site"])
        .arg(site.path())
        .assert()
        .stderr(predicate::str::contains("loud.md:6:1: warning: `date_end` 2026-05-04T09:00:00+00:00 is before"))
        .stderr(predicate::str::contains("loud.md:7:1: warning: a `links` entry has no `url`; left out"))
        .stderr(predicate::str::contains("quiet.md").not());
}
