//! Hugo's date rules (`[frontmatter]`, `enableGitInfo`): the page dates and
//! slugs talkfeed reads against those Hugo 0.111 itself gives the same
//! pages (Debian's `hugo`, installed by `.ci/run`), and the up-to-date
//! check, which cannot see file times or commits, rendering every time.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::hugo::hugo;
use crate::util;

/// Each page's `.Date`, `.PublishDate`, `.Lastmod` and `.ExpiryDate`
/// (`None`: Hugo's zero time), by permalink.
type Dates = BTreeMap<String, [Option<DateTime<FixedOffset>>; 4]>;

const LAYOUT: &str = r#"{{ $f := "2006-01-02T15:04:05Z07:00" }}{{ .Date.Format $f }}|{{ .PublishDate.Format $f }}|{{ .Lastmod.Format $f }}|{{ .ExpiryDate.Format $f }}"#;

/// A site of `pages` (path under content/talk/, text) with `config`.
fn site(config: &str, pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "baseURL = \"https://dates.example/\"\ntitle = \"Dates\"\ntimeZone = \"Europe/Berlin\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n{config}"
    );
    std::fs::write(dir.path().join("hugo.toml"), config).unwrap();
    for (path, text) in pages {
        let file = dir.path().join("content/talk").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let layouts = dir.path().join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    std::fs::write(layouts.join("single.html"), LAYOUT).unwrap();
    std::fs::write(layouts.join("list.html"), "").unwrap();
    dir
}

/// Each page's four dates as Hugo gives them, by permalink (zero: none).
fn hugo_dates(hugo: &Path, site: &Path) -> Dates {
    let out = Command::new(hugo)
        .args(["--buildDrafts", "--buildFuture", "--buildExpired", "--source"])
        .arg(site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let public = site.join("public");
    let mut dates = BTreeMap::new();
    for entry in walkdir::WalkDir::new(public.join("talk")).into_iter().flatten() {
        if entry.file_name() != "index.html" || entry.path().parent() == Some(&public.join("talk")) {
            continue;
        }
        // Go's templates escape `+` in HTML.
        let text = std::fs::read_to_string(entry.path()).unwrap().replace("&#43;", "+");
        let parsed: Vec<Option<DateTime<FixedOffset>>> = text
            .trim()
            .split('|')
            .map(|d| DateTime::parse_from_rfc3339(d).ok().filter(|d| !d.to_rfc3339().starts_with("0001-01-01")))
            .collect();
        let rel = entry.path().parent().unwrap().strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/");
        dates.insert(format!("/{rel}/"), [parsed[0], parsed[1], parsed[2], parsed[3]]);
    }
    dates
}

/// Each talk's four dates as talkfeed lists them, by permalink; and what
/// it printed on stderr.
fn talkfeed_dates(site: &Path) -> (Dates, String) {
    let out = util::talkfeed()
        .args(["list", "--format", "json", "--drafts", "--future", "--expired", "--site"])
        .arg(site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut dates = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let talk: Value = serde_json::from_str(line).unwrap();
        let at = |key: &str| talk[key].as_str().map(|d| DateTime::parse_from_rfc3339(d).unwrap());
        dates.insert(
            talk["permalink"].as_str().unwrap().to_string(),
            [at("page_date"), at("publish_date"), at("lastmod"), at("expiry_date")],
        );
    }
    (dates, String::from_utf8_lossy(&out.stderr).into_owned())
}

const PAGES: &[(&str, &str)] = &[
    // `:filename` gives the date (and the slug) of a file and of a bundle.
    ("2024-05-17-from-the-name.md", "---\nevent: Dates\ntitle: From the name\nevent_start: 2024-05-17T10:00:00\n---\n"),
    ("2024-06-01-a-bundle/index.md", "---\nevent: Dates\ntitle: A bundle\ndate: 2024-06-03T10:00:00\n---\n"),
    // Aliases and fallbacks.
    (
        "aliases.md",
        "---\nevent: Dates\ntitle: Aliases\ndate: 2024-01-10T09:00:00\npubdate: 2023-12-01\nmodified: 2024-02-01T08:00:00Z\nunpublishdate: 2030-01-01\n---\n",
    ),
    (
        "publish-only.md",
        "---\nevent: Dates\ntitle: Publish only\npublishDate: 2023-11-05T12:00:00+01:00\ntime_start: 2024-03-01T10:00:00\n---\n",
    ),
    // A key of the site's own, named in [frontmatter].
    (
        "own-key.md",
        "---\nevent: Dates\ntitle: Own key\ndate: 2024-04-01T10:00:00\nannounced: 2024-02-14\nlastmod: 2024-04-02\n---\n",
    ),
    // A broken value is skipped as Hugo skips it: the next source decides.
    (
        "broken.md",
        "---\nevent: Dates\ntitle: Broken\ndate: 2024-07-01T10:00:00\nannounced: not a date\npublishDate: 2024-06-01\n---\n",
    ),
];

#[test]
fn frontmatter_rules_give_hugos_dates() {
    let Some(hugo) = hugo() else { return };
    let config = "[frontmatter]\ndate = [\":filename\", \":default\"]\npublishDate = [\"announced\", \":default\"]\nlastmod = [\"lastmod\", \":fileModTime\"]\nexpiryDate = [\":default\"]\n";
    let site = site(config, PAGES);
    // A fixed modification time for `:fileModTime` (publish-only.md has no lastmod).
    let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    for entry in
        walkdir::WalkDir::new(site.path().join("content")).into_iter().flatten().filter(|e| e.file_type().is_file())
    {
        std::fs::File::options().write(true).open(entry.path()).unwrap().set_modified(mtime).unwrap();
    }
    let expected = hugo_dates(&hugo, site.path());
    let (got, stderr) = talkfeed_dates(site.path());
    assert_eq!(expected.len(), PAGES.len(), "{expected:#?}");
    // The slugs of `:filename`: Hugo's permalinks are talkfeed's.
    assert!(expected.contains_key("/talk/from-the-name/") && expected.contains_key("/talk/a-bundle/"), "{expected:#?}");
    assert_eq!(got, expected, "talkfeed (left) and Hugo (right)\n{stderr}");
    // And something was read from each kind of source.
    assert_eq!(got["/talk/a-bundle/"][0].unwrap().to_rfc3339(), "2024-06-01T00:00:00+02:00");
    assert_eq!(got["/talk/own-key/"][1].unwrap().to_rfc3339(), "2024-02-14T00:00:00+01:00");
    assert_eq!(got["/talk/publish-only/"][2].unwrap().timestamp(), 1_700_000_000);
    assert_eq!(got["/talk/aliases/"][3].unwrap().to_rfc3339(), "2030-01-01T00:00:00+01:00");
    assert!(stderr.contains("`announced: not a date` is not a date"), "{stderr}");
}

#[test]
fn git_info_gives_the_last_commits_author_date() {
    let Some(hugo) = hugo() else { return };
    if Command::new("git").arg("--version").output().is_err() {
        println!("skipped: git is not installed");
        return;
    }
    let site = site("enableGitInfo = true\n", PAGES);
    let git = |args: &[&str], date: &str| {
        let out = Command::new("git")
            .current_dir(site.path())
            .args(["-c", "user.name=Ada", "-c", "user.email=ada@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"], "");
    git(&["add", "."], "");
    git(&["commit", "-qm", "first"], "2024-08-01T10:00:00+02:00");
    let aliases = site.path().join("content/talk/aliases.md");
    std::fs::write(&aliases, std::fs::read_to_string(&aliases).unwrap() + "Changed.\n").unwrap();
    git(&["commit", "-qam", "second"], "2024-09-15T18:30:00-04:00");
    // Not committed: no git date; the front matter's.
    std::fs::write(
        site.path().join("content/talk/new.md"),
        "---\nevent: Dates\ntitle: New\ndate: 2024-10-01\nlastmod: 2024-10-02\n---\n",
    )
    .unwrap();
    let expected = hugo_dates(&hugo, site.path());
    let (got, stderr) = talkfeed_dates(site.path());
    assert_eq!(got, expected, "talkfeed (left) and Hugo (right)\n{stderr}");
    assert_eq!(got["/talk/aliases/"][2].unwrap().to_rfc3339(), "2024-09-15T18:30:00-04:00");
    assert_eq!(got["/talk/broken/"][2].unwrap().to_rfc3339(), "2024-08-01T10:00:00+02:00");
    assert_eq!(got["/talk/new/"][2].unwrap().to_rfc3339(), "2024-10-02T00:00:00+02:00");
}

#[test]
fn git_info_outside_a_repository_is_a_warning_and_the_front_matters_dates() {
    let site = site("enableGitInfo = true\n[frontmatter]\nlastmod = [\":git\", \":modTime\", \"lastmod\"]\n", PAGES);
    let (got, stderr) = talkfeed_dates(site.path());
    assert!(stderr.contains("enableGitInfo is set, but the last commits of"), "{stderr}");
    // Each where it is written (list prints its messages as JSON lines).
    assert!(stderr.contains(r#"hugo.toml","line":5,"#), "{stderr}");
    assert!(stderr.contains(r#"hugo.toml","line":7,"#), "{stderr}");
    assert!(stderr.contains("[frontmatter] lastmod names `:modtime`, which is not a date handler"), "{stderr}");
    assert_eq!(got["/talk/own-key/"][2].unwrap().to_rfc3339(), "2024-04-02T00:00:00+02:00");
}

#[test]
fn with_file_times_every_build_renders() {
    let site = site("[frontmatter]\nlastmod = [\":fileModTime\"]\n", &PAGES[..1]);
    let page = site.path().join("content/talk/2024-05-17-from-the-name.md");
    let set = |secs: u64| {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        std::fs::File::options().write(true).open(&page).unwrap().set_modified(at).unwrap();
    };
    let out = site.path().join("out");
    let build = || {
        util::talkfeed()
            .args(["build", "--base-url", "https://dates.example/", "--site"])
            .arg(site.path())
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out.join("talks.ics")).unwrap()
    };
    set(1_700_000_000);
    let before = build();
    assert!(before.contains("LAST-MODIFIED:20231114T221320Z"), "{before}");
    // The bytes are the same, the time is not: the next build sees it.
    set(1_710_000_000);
    let after = build();
    assert!(after.contains("LAST-MODIFIED:20240309T160000Z"), "{after}");
}
