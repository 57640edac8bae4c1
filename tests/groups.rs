//! Per-tag and per-section outputs (`--per-tag`, `--per-section`), read
//! back with the independent parsers and compared with the main calendar
//! and feeds: a tag's outputs hold exactly the talks that carry the tag.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::calendar::parse;
use crate::util;

fn render(site_dir: &Path, content: Option<&Path>) -> Vec<talkfeed::emit::OutputFile> {
    let mut args = util::args(site_dir, content);
    args.base_url = Some("https://example.org/".into());
    args.per_tag = true;
    args.per_section = true;
    let (site, diags, settings) = util::load(args);
    assert_eq!(diags.errors(), 0, "{diags:#?}");
    util::render(&site, &settings)
}

fn text<'a>(outputs: &'a [talkfeed::emit::OutputFile], path: &str) -> &'a str {
    let o = outputs.iter().find(|o| o.path == path).unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&o.bytes).unwrap()
}

/// How people would compare two spellings of a tag: case and spacing aside.
fn same_tag(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
    norm(a) == norm(b)
}

/// The feed entries of `file` (under `dir`) as id → tags.
fn entries(outputs: &[talkfeed::emit::OutputFile], path: &str) -> BTreeMap<String, Vec<String>> {
    let feed = feed_rs::parser::parse(text(outputs, path).as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"));
    feed.entries.into_iter().map(|e| (e.id, e.categories.into_iter().map(|c| c.term).collect())).collect()
}

/// Tags Hugo gives one page: the same letters and digits, whatever the
/// case, spacing and punctuation (`R&D`, `rd`).
fn one_page(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    norm(a) == norm(b)
}

/// Checks every tag folder against the main outputs; returns how many tags
/// the calendar's talks carry in all.
fn check_tags(outputs: &[talkfeed::emit::OutputFile]) -> usize {
    let (_, main) = parse(text(outputs, "talks.ics"));
    let main: BTreeMap<String, Vec<String>> =
        main.iter().map(|e| (e["UID"][0].clone(), e.get("CATEGORIES").cloned().unwrap_or_default())).collect();
    let dirs: BTreeSet<&str> = outputs
        .iter()
        .filter_map(|o| o.path.strip_prefix("tags/").and_then(|p| p.strip_suffix("/talks.ics")))
        .collect();
    let mut groups = Vec::new();
    for dir in &dirs {
        assert!(!dir.starts_with('.') && !dir.contains(['/', '\\', '#', '%']), "unsafe folder {dir:?}");
        let (top, events) = parse(text(outputs, &format!("tags/{dir}/talks.ics")));
        let tag = top["NAME"][0].split(" · ").next().unwrap().to_string();
        assert!(
            top["SOURCE"][0].contains(&format!("/tags/{dir}/talks.ics")),
            "SOURCE names the tag's own calendar: {top:?}"
        );
        let members: BTreeSet<String> = events.iter().map(|e| e["UID"][0].clone()).collect();
        for (uid, tags) in &main {
            let has = tags.iter().any(|t| same_tag(t, &tag));
            if has {
                assert!(members.contains(uid), "{uid} has tag {tag} but is not in tags/{dir}/");
            }
        }
        for uid in &members {
            let tags = main.get(uid).unwrap_or_else(|| panic!("tags/{dir}/ has {uid}, the main calendar does not"));
            assert!(!tags.is_empty(), "{uid} in tags/{dir}/ without any tag");
        }
        for file in ["rss.xml", "atom.xml", "feed.json"] {
            let all = entries(outputs, file);
            let mine = entries(outputs, &format!("tags/{dir}/{file}"));
            let expected: BTreeSet<&String> =
                all.iter().filter(|(_, tags)| tags.iter().any(|t| same_tag(t, &tag))).map(|(id, _)| id).collect();
            let got: BTreeSet<&String> = mine.keys().collect();
            // Tags that differ only in punctuation Hugo drops (`R&D`, `RD`)
            // are one tag, so the tag's feed may hold more than `same_tag` finds.
            assert!(expected.is_subset(&got), "tags/{dir}/{file}: {expected:?} ⊄ {got:?}");
            assert!(got.iter().all(|id| all.contains_key(*id)), "tags/{dir}/{file} has entries the main feed lacks");
        }
        groups.push((tag, members));
    }
    // No tag is left without its group.
    let mut pairs = 0;
    for (uid, tags) in &main {
        for t in tags {
            assert!(
                groups.iter().any(|(name, members)| members.contains(uid) && one_page(name, t)),
                "{uid}: tag {t:?} has no group"
            );
            pairs += 1;
        }
    }
    pairs
}

#[test]
fn every_tag_of_the_sample_has_its_own_calendar_and_feeds() {
    let outputs = render(&util::root(), None);
    // 7 talks in the calendar carry 17 tags between them, 15 different ones.
    assert_eq!(check_tags(&outputs), 17);
    assert_eq!(outputs.iter().filter(|o| o.path.starts_with("tags/") && o.path.ends_with("/talks.ics")).count(), 15);
    // The sample's product-coaching talk carries "coaching" like two others.
    let (_, coaching) = parse(text(&outputs, "tags/coaching/talks.ics"));
    assert_eq!(coaching.len(), 3);
    // Sections: the sample has talk/ and event/.
    let (_, talk) = parse(text(&outputs, "sections/talk/talks.ics"));
    let (_, event) = parse(text(&outputs, "sections/event/talks.ics"));
    let (_, all) = parse(text(&outputs, "talks.ics"));
    assert_eq!(talk.len() + event.len(), all.len(), "every talk is in exactly one section");
    assert_eq!(event.len(), 1);
    // The page links to every group.
    let page = text(&outputs, "index.html");
    assert!(page.contains(r#"<a href="tags/coaching/rss.xml">RSS</a>"#), "{page}");
    assert!(page.contains(r#"href="webcal://example.org/sections/event/talks.ics""#), "{page}");
}

#[test]
fn every_corpus_site_gets_consistent_tag_outputs() {
    let Some(corpus) = util::corpus() else { return };
    let mut pairs = 0;
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        let dir = entry.path();
        if dir.join("content").is_dir() {
            pairs += check_tags(&render(&dir, None));
        }
    }
    assert!(pairs > 200, "only {pairs} tagged talks in the corpus");
}

#[test]
fn spellings_merge_hostile_tags_stay_inside_and_stale_groups_go() {
    let site = tempfile::tempdir().unwrap();
    let page = |name: &str, tags: &str| {
        let dir = site.path().join("content/talk").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.md"),
            format!("---\ntitle: {name}\ndate: 2026-01-0{}\ntags: {tags}\n---\n", name.len() % 9),
        )
        .unwrap();
    };
    page("a", r#"["Rust", "..", "C++", "../../escape"]"#);
    page("bb", r#"["rust", "c#"]"#);
    let out = site.path().join("out");
    let build = |extra: &[&str]| {
        util::talkfeed()
            .args(["--base-url", "https://example.org/", "--site"])
            .arg(site.path())
            .arg("--out")
            .arg(&out)
            .args(extra)
            .assert()
            .code(0)
    };
    build(&["--per-tag"]);
    let (_, rust) = parse(&std::fs::read_to_string(out.join("tags/rust/talks.ics")).unwrap());
    assert_eq!(rust.len(), 2, "Rust and rust are one tag, as in Hugo");
    let folders: Vec<String> =
        std::fs::read_dir(out.join("tags")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(folders.len(), 5, "{folders:?}");
    assert!(folders.iter().all(|f| !f.starts_with('.') && !f.contains(['+', '#'])), "{folders:?}");
    assert!(!site.path().join("escape").exists() && !out.join("escape").exists());

    // A file of someone else's in the folder is kept; ours go when the
    // groups are no longer asked for.
    std::fs::write(out.join("tags/rust/notes.txt"), "mine").unwrap();
    build(&[]).stderr(predicates::str::contains("removed"));
    assert!(out.join("tags/rust/notes.txt").exists());
    assert!(!out.join("tags/rust/talks.ics").exists());
    assert_eq!(std::fs::read_dir(out.join("tags")).unwrap().count(), 1, "only the folder with notes.txt remains");

    // Nothing changed: nothing is written.
    build(&["--per-tag"]);
    build(&["--per-tag"]).stderr(predicates::str::contains(" 0 files written"));
}

/// `--per-author`: a calendar and feeds per speaker in `authors/SLUG/`,
/// named from the author's page, holding exactly that speaker's talks; the
/// page lists them; a speaker's folder goes with the speaker's last talk.
#[test]
fn every_speaker_has_a_calendar_named_from_the_author_page() {
    let site = tempfile::tempdir().unwrap();
    util::copy_dir(&util::fixture("eras"), site.path());
    let out = site.path().join("out");
    let build = || {
        util::talkfeed()
            .args(["--per-author", "--base-url", "https://ada.example/", "--site"])
            .arg(site.path())
            .arg("--out")
            .arg(&out)
            .assert()
            .code(0);
    };
    build();
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let (_, main) = parse(&read("talks.ics"));
    let speakers = |e: &BTreeMap<String, Vec<String>>| -> Vec<String> {
        e["DESCRIPTION"][0]
            .lines()
            .find_map(|l| l.strip_prefix("Speakers: "))
            .map(|s| s.split(", ").map(String::from).collect())
            .unwrap_or_default()
    };
    let mut folders: Vec<String> = std::fs::read_dir(out.join("authors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert!(folders.contains(&"admin".to_string()), "{folders:?}");
    for folder in &folders {
        let (top, events) = parse(&read(&format!("authors/{folder}/talks.ics")));
        let name = top["NAME"][0].split(" · ").next().unwrap().to_string();
        if folder == "admin" {
            assert_eq!(name, "Ada Admin", "named from content/authors/admin/_index.md");
        }
        let mine: BTreeSet<&str> = events.iter().map(|e| e["UID"][0].as_str()).collect();
        let expected: BTreeSet<&str> =
            main.iter().filter(|e| speakers(e).contains(&name)).map(|e| e["UID"][0].as_str()).collect();
        assert_eq!(mine, expected, "{folder}");
        assert!(!mine.is_empty());
        let feed = feed_rs::parser::parse(read(&format!("authors/{folder}/atom.xml")).as_bytes()).unwrap();
        assert!(
            feed.entries.iter().all(|e| e.authors.iter().any(|a| a.name.as_deref() == Some(name.as_str()))),
            "{folder}"
        );
    }
    assert!(read("index.html").contains("<h2 id=\"by-speaker\">By speaker</h2>"));
    // Ada's talks lose their speaker: her folder goes, the others stay.
    for e in walkdir::WalkDir::new(site.path().join("content")).into_iter().flatten() {
        if e.file_type().is_file() && !e.path().starts_with(site.path().join("content/authors")) {
            let text = std::fs::read_to_string(e.path()).unwrap();
            std::fs::write(e.path(), text.replace("admin", "someone-else")).unwrap();
        }
    }
    build();
    assert!(!out.join("authors/admin").exists(), "a speaker without talks loses the folder");
    assert!(out.join("authors/someone-else/talks.ics").is_file());
}

/// Every format of the table (`emit::formats`) is written where the table
/// says: each one in the output folder, the per-group ones in every group's
/// folder, and nothing else but the per-talk calendars.
#[test]
fn every_format_of_the_table_is_written_where_it_says() {
    // With every option that adds a file: the reminders calendars.
    let mut args = util::args(&util::root(), None);
    args.base_url = Some("https://example.org/".into());
    (args.per_tag, args.per_section) = (true, true);
    args.alarm = vec!["30m".into()];
    let (site, _, settings) = util::load(args);
    let outputs = util::render(&site, &settings);
    let mut folders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for o in &outputs {
        let (dir, name) = o.path.rsplit_once('/').unwrap_or(("", &o.path));
        if dir == talkfeed::emit::formats::TALKS_DIR {
            assert!(name.ends_with(talkfeed::emit::formats::TALK_EXTENSION), "{}", o.path);
            continue;
        }
        folders.entry(dir).or_default().insert(name);
    }
    let edition: BTreeSet<&str> = talkfeed::emit::EDITION_FILES.into_iter().collect();
    let group: BTreeSet<&str> = talkfeed::emit::GROUP_FILES.into_iter().collect();
    assert_eq!(folders.remove(""), Some(edition));
    assert!(folders.len() > 3, "{folders:?}");
    for (dir, files) in folders {
        assert_eq!(files, group, "{dir}");
    }
}
