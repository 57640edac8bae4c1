//! What talkfeed guarantees when things go wrong: all-or-nothing builds,
//! `--keep-going`, faults while writing, concurrent runs, hostile input.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::util::{self, talkfeed};

/// Every file under `dir` with its bytes and mtime.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap()))
        .collect()
}

fn build_sample(out: &Path) {
    talkfeed().args(["--base-url", "https://talks.example.org/", "--out"]).arg(out).assert().success();
}

#[test]
fn a_failing_build_leaves_every_previous_output_untouched() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    let before = snapshot(out.path());
    talkfeed()
        .args(["--site", "tests/fixtures/broken", "--base-url", "https://talks.example.org/", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("talkfeed: nothing written: 20 errors; the files in"));
    assert_eq!(snapshot(out.path()), before);
}

#[test]
fn keep_going_builds_from_the_good_talks_and_exits_3() {
    let out = tempfile::tempdir().unwrap();
    talkfeed()
        .args(["--site", "tests/fixtures/broken", "--base-url", "https://x.org/", "--keep-going", "--out"])
        .arg(out.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains("talkfeed: --keep-going: 20 pages left out because of errors: tests/fixtures/broken/content/talk/address-text.md,"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("feed.json")).unwrap()).unwrap();
    let titles: Vec<&str> = json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Ends before"), "{titles:?}");
    assert!(!titles.contains(&"Bad status"), "{titles:?}");
    assert!(!titles.contains(&"One"), "both talks of a duplicate uid are left out: {titles:?}");
}

#[test]
fn keep_going_still_stops_on_a_broken_config() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("content/talk/a.md"), "---\ntitle: A\nevent: E\ndate: 2024-01-01\n---\n").unwrap();
    std::fs::write(site.path().join("hugo.toml"), "title = \n").unwrap();
    let out = site.path().join("out");
    talkfeed()
        .args(["--base-url", "https://x.org/", "--keep-going", "--site"])
        .arg(site.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    assert!(!out.exists());
}

#[test]
fn a_file_where_a_folder_belongs_is_an_error_and_replaces_nothing() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    std::fs::remove_dir_all(out.path().join("talks")).unwrap();
    std::fs::write(out.path().join("talks"), "in the way").unwrap();
    std::fs::write(out.path().join("talks.ics"), "old").unwrap();
    talkfeed()
        .args(["--base-url", "https://talks.example.org/", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot create the folder"));
    assert_eq!(std::fs::read_to_string(out.path().join("talks.ics")).unwrap(), "old");
}

#[test]
fn an_output_folder_that_cannot_be_made_is_an_error() {
    talkfeed()
        .args(["--base-url", "https://talks.example.org/", "--out", "/proc/talkfeed-cannot-be-here"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot create the output folder /proc/talkfeed-cannot-be-here"));
}

#[test]
fn no_talk_section_is_an_error_not_an_empty_calendar() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    let before = snapshot(out.path());
    talkfeed()
        .args(["--section", "talkz", "--base-url", "https://talks.example.org/", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: no talk section found: none of talkz/ exists"));
    assert_eq!(snapshot(out.path()), before);
}

#[test]
fn concurrent_builds_take_turns() {
    let out = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("talkfeed"))
                .current_dir(util::root())
                .args(["--now", util::NOW, "-q", "--base-url", "https://talks.example.org/", "--out"])
                .arg(out.path())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let alone = tempfile::tempdir().unwrap();
    build_sample(alone.path());
    let files = |d: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(d).into_iter().map(|(p, b, _)| (p.strip_prefix(d).unwrap().to_path_buf(), b)).collect()
    };
    assert_eq!(files(out.path()), files(alone.path()), "the same files as one run, and no temporary file");
}

/// The outputs of the hostile fixture read back with independent parsers:
/// nothing a page says breaks out of its place in any format.
#[test]
fn hostile_text_stays_in_its_place() {
    let out = tempfile::tempdir().unwrap();
    talkfeed()
        .args(["--site", "tests/fixtures/hostile", "--base-url", "https://x.org/", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).unwrap();
    let ics = read("talks.ics");
    assert_eq!(ics.matches("\r\nBEGIN:VEVENT\r\n").count(), 5, "one event per talk, none injected");
    let (_, events) = crate::calendar::parse(&ics);
    let evil = events.iter().find(|e| e["SUMMARY"][0].starts_with("Rust &")).unwrap();
    assert_eq!(evil["SUMMARY"][0], "Rust & <Go>: \"A\" vs 'B'\nBEGIN:VEVENT\nUID:evil\nEND:VEVENT");
    assert_eq!(evil["LOCATION"][0], "Room 1; Floor 2, \\ Building <3>");
    for name in ["rss.xml", "atom.xml"] {
        let text = read(name);
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")), "{name}: a script element");
    }
    let feed = feed_rs::parser::parse(read("atom.xml").as_bytes()).unwrap();
    let entry = feed.entries.iter().find(|e| e.title.as_ref().unwrap().content.starts_with("Rust &")).unwrap();
    assert_eq!(entry.title.as_ref().unwrap().content, "Rust & <Go>: \"A\" vs 'B'\nBEGIN:VEVENT\nUID:evil\nEND:VEVENT");
    // Per-talk files are named from content paths: nothing reserved, nothing outside out/.
    let names: Vec<String> = std::fs::read_dir(out.path().join("talks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 5);
    assert!(names.iter().all(|n| n.is_ascii() && n.ends_with(".ics") && n.starts_with("talk-")), "{names:?}");
    // Two calendars, three feeds, the page, the manifest, five per-talk
    // files; the lock is beside the folder, not in what gets published.
    assert_eq!(snapshot(out.path()).len(), 12, "nothing written anywhere else");
}

/// Inputs built to exhaust time or memory get a diagnostic, no panic.
#[test]
fn limits_of_hostile_input() {
    let site = tempfile::tempdir().unwrap();
    let talk = site.path().join("content/talk");
    std::fs::create_dir_all(&talk).unwrap();
    let mut bomb = String::from(
        "---\ntitle: Bomb\ndate: 2020-01-01\nevent: E\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ('b'..='j').zip('a'..='i') {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("---\n");
    let deep = |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close.repeat(100_000));
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("alias-bomb.md", bomb.into_bytes()),
        (
            "deep-yaml.md",
            format!("---\ntitle: D\ndate: 2020-01-01\nevent: E\nx: {}\n---\n", deep("[", "]")).into_bytes(),
        ),
        (
            "deep-toml.md",
            format!("+++\ntitle = \"D\"\ndate = 2020-01-01\nevent = \"E\"\nx = {}\n+++\n", deep("[", "]")).into_bytes(),
        ),
        (
            "deep-json.md",
            format!("{{\"title\": \"D\", \"date\": \"2020-01-01\", \"x\": {}}}\n", deep("[", "]")).into_bytes(),
        ),
        (
            "huge.md",
            format!(
                "---\ntitle: Huge\ndate: 2020-01-01\nevent: E\n---\n{}",
                "Some words of a long talk.\n".repeat(2_000_000)
            )
            .into_bytes(),
        ),
        (
            "long-line.md",
            format!("---\ntitle: Long\ndate: 2020-01-01\nevent: E\n---\n{}\n", "x".repeat(1 << 20)).into_bytes(),
        ),
        ("nul.md", b"---\ntitle: N\x00ul\ndate: 2020-01-01\nevent: E\n---\n".to_vec()),
        ("empty.md", Vec::new()),
        ("only-front-matter.md", b"---\ntitle: Only\ndate: 2020-01-01\nevent: E\n---".to_vec()),
        ("scalar.md", b"---\njust text\n---\n".to_vec()),
        ("year-zero.md", b"---\ntitle: Y\ndate: 0000-01-01\nevent: E\n---\n".to_vec()),
        ("bell.md", b"---\ntitle: \"Bell\\a ring\"\ndate: 2020-01-01\nevent: E\n---\n".to_vec()),
        ("slug-escape.md", b"---\ntitle: S\nslug: ../../etc/passwd\ndate: 2020-01-01\nevent: E\n---\n".to_vec()),
        ("url-escape.md", b"---\ntitle: U\nurl: /talk/../../x/\ndate: 2020-01-01\nevent: E\n---\n".to_vec()),
        ("url-full.md", b"---\ntitle: F\nurl: https://evil.example/x\ndate: 2020-01-01\nevent: E\n---\n".to_vec()),
        ("cancelled.md", b"---\ntitle: C\nstatus: cancelled\ndate: 2020-01-01\nevent: E\n---\n".to_vec()),
    ];
    for (name, bytes) in &files {
        std::fs::write(talk.join(name), bytes).unwrap();
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", talk.join("outside.md")).unwrap();
        std::os::unix::fs::symlink(talk.join("missing.md"), talk.join("dangling.md")).unwrap();
    }
    let output = talkfeed().current_dir(site.path()).args(["check", "--site", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    insta::assert_snapshot!(stderr);
}
