//! Hostile files, folders and clients: no hang, no escape, no blow-up.
//! Every case here once made talkfeed hang, read without bound, or write
//! outside its output folder.

use std::path::Path;
use std::time::Duration;

use predicates::prelude::*;

use crate::util::talkfeed;

/// A site with one good talk.
fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("content/talk/good.md"), "---\ntitle: Good\nevent: E\ndate: 2024-01-01\n---\n")
        .unwrap();
    std::fs::write(site.path().join("talkfeed.toml"), "base_url = \"https://x.example/\"\n").unwrap();
    site
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

/// A named pipe wherever talkfeed reads: a page, a section page, a bundle's
/// `index.md`, an author page, `talkfeed.toml`, a Hugo config file. Nothing
/// blocks; each is named in a diagnostic.
#[cfg(unix)]
#[test]
fn named_pipes_never_block_and_are_each_reported() {
    let cases: [(&str, &str); 6] = [
        (
            "content/talk/pipe.md",
            "content/talk/pipe.md: error: it is a named pipe (FIFO), not a regular file; not read",
        ),
        (
            "content/talk/_index.md",
            "content/talk/_index.md: error: it is a named pipe (FIFO), not a regular file; not read",
        ),
        (
            "content/talk/bundle/index.md",
            "content/talk/bundle/index.md: error: it is a named pipe (FIFO), not a regular file; not read",
        ),
        (
            "content/authors/ada/_index.md",
            "content/authors/ada/_index.md: warning: it is a named pipe (FIFO), not a regular file; not read; the author's name is not read from it",
        ),
        (
            "config/_default/params.toml",
            "config/_default/params.toml: error: the site config cannot be read: it is a named pipe (FIFO)",
        ),
        ("hugo.toml", "hugo.toml: error: the site config cannot be read: it is a named pipe (FIFO)"),
    ];
    for (file, message) in cases {
        let site = site();
        mkfifo(&site.path().join(file));
        let out = talkfeed()
            .current_dir(site.path())
            .args(["check", "--site", "."])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{file}: {stderr}");
        let want = if message.contains(": warning:") { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(want), "{file}: {stderr}");
    }
    let site = site();
    mkfifo(&site.path().join("talkfeed.toml.tmp"));
    std::fs::remove_file(site.path().join("talkfeed.toml")).unwrap();
    mkfifo(&site.path().join("talkfeed.toml"));
    talkfeed()
        .current_dir(site.path())
        .args(["check", "--site", "."])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "talkfeed.toml: error: talkfeed.toml cannot be read: it is a named pipe (FIFO)",
        ));
}

/// A file over the limit is refused before it is read, with its size, the
/// limit and how to raise it: a sparse 3 GiB page costs nothing.
#[test]
fn large_files_are_refused_before_they_are_read() {
    let site = site();
    let page = site.path().join("content/talk/sparse.md");
    std::fs::File::create(&page).unwrap().set_len(3 << 30).unwrap();
    let big = site.path().join("content/talk/big.md");
    let text = format!("---\ntitle: Big\nevent: E\ndate: 2024-01-01\n---\n{}", "word ".repeat(2 << 20));
    std::fs::write(&big, &text).unwrap();
    let started = std::time::Instant::now();
    talkfeed()
        .current_dir(site.path())
        .args(["check", "--site", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "content/talk/sparse.md: error: it is 3 GiB, more than the limit of 8 MiB; not read",
        ))
        .stderr(predicate::str::contains("raise the limit with --max-file-size"))
        .stderr(predicate::str::contains("content/talk/big.md: error: it is 10.0 MiB, more than the limit of 8 MiB"));
    assert!(started.elapsed() < Duration::from_secs(20));
    // Raised, the large page is read.
    std::fs::remove_file(&page).unwrap();
    talkfeed().current_dir(site.path()).args(["check", "--site", ".", "--max-file-size", "16M"]).assert().code(0);
    std::fs::write(site.path().join("talkfeed.toml"), "base_url = \"https://x.example/\"\nmax_file_size = \"11M\"\n")
        .unwrap();
    talkfeed().current_dir(site.path()).args(["check", "--site", "."]).assert().code(0);
    // The limit applies to config files too.
    std::fs::write(site.path().join("hugo.toml"), format!("title = \"{}\"\n", "t".repeat(2048))).unwrap();
    talkfeed()
        .current_dir(site.path())
        .args(["check", "--site", ".", "--max-file-size", "1K"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "hugo.toml: error: the site config cannot be read: it is 2.0 KiB, more than the limit of 1 KiB",
        ));
}

/// `javascript:`, `data:` and `vbscript:` addresses, in any case, with
/// whitespace or entities, are never a link: text, with a warning naming
/// the key.
#[test]
fn script_addresses_never_become_links() {
    let site = site();
    std::fs::write(
        site.path().join("content/talk/evil.md"),
        "---\ntitle: Evil\nevent: Conf\ndate: 2024-01-01\nevent_url: \" JaVaScRiPt:alert(1)\"\nurl_slides: \"data:text/html,<script>alert(1)</script>\"\nurl_code: \"java\\tscript:alert(2)\"\nlinks:\n  - name: More\n    url: \"vbscript&#58;msgbox(1)\"\n  - name: Good\n    url: https://good.example/\n---\nSee [this](javascript:alert(3)).\n",
    )
    .unwrap();
    let out = site.path().join("out");
    talkfeed()
        .current_dir(site.path())
        .args(["--site", ".", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "`event_url` is a `javascript:` address, not a web address; it is shown as text, never as a link",
        ))
        .stderr(predicate::str::contains("`url_slides` is a `data:` address"))
        .stderr(predicate::str::contains("`url_code` is a `javascript:` address"))
        .stderr(predicate::str::contains("`links` is a `vbscript:` address"));
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(entry.path()).unwrap().to_ascii_lowercase();
        // As an attribute, escaped or not, in HTML or in the feeds' HTML.
        for bad in [
            "href=\"javascript",
            "href=\"data:",
            "href=\"vbscript",
            "href=&quot;javascript",
            "href=&quot;data:",
            "\"url\": \"data:",
            "\"external_url\": \" javascript",
        ] {
            assert!(!text.contains(bad), "{}: {bad}", entry.path().display());
        }
    }
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains(r#"<a href="https://good.example/">Good</a>"#));
    assert!(page.contains("Slides (data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)"), "shown as text");
}

/// A permalink pattern with `..` gives links inside the site, with a warning.
#[test]
fn dot_segments_in_permalink_patterns_are_resolved() {
    let site = site();
    std::fs::write(site.path().join("hugo.toml"), "[permalinks]\ntalk = \"/../../:slug/\"\n").unwrap();
    let out = site.path().join("out");
    talkfeed()
        .current_dir(site.path())
        .args(["--site", ".", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("the permalink pattern `/../../:slug/` has `.` or `..` segments"));
    let feed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("feed.json")).unwrap()).unwrap();
    assert_eq!(feed["items"][0]["url"], "https://x.example/good/");
}

/// Calendars hold years 0000 to 9999: a talk ending later is refused.
#[test]
fn a_talk_ending_after_9999_is_refused() {
    for (date, key) in [("9999-12-31", "date"), ("9999-12-31T23:30:00Z", "date")] {
        let site = site();
        std::fs::write(
            site.path().join("content/talk/last.md"),
            format!("---\ntitle: Last\nevent: E\ndate: {date}\n---\n"),
        )
        .unwrap();
        talkfeed()
            .current_dir(site.path())
            .args(["check", "--site", "."])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("error: the talk ends after the year 9999 (`{key}`)")));
    }
}

/// Tag folders can be copied to any file system: no name Windows refuses,
/// no two names that differ only in case.
#[test]
fn tag_folders_are_portable() {
    let site = site();
    std::fs::write(site.path().join("hugo.toml"), "disablePathToLower = true\n").unwrap();
    std::fs::write(
        site.path().join("content/talk/tags.md"),
        "---\ntitle: Tags\nevent: E\ndate: 2024-01-01\ntags: [con, AUX, lpt1.txt, Rust, rust]\n---\n",
    )
    .unwrap();
    let out = site.path().join("out");
    talkfeed().current_dir(site.path()).args(["--site", ".", "--per-tag", "--out"]).arg(&out).assert().success();
    let names: Vec<String> =
        std::fs::read_dir(out.join("tags")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let lower: std::collections::HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), 5, "two folders differ only in case: {names:?}");
    for n in &names {
        let stem = n.split('.').next().unwrap().to_lowercase();
        assert!(!["con", "aux", "lpt1", "nul", "prn"].contains(&stem.as_str()), "{n}");
    }
}

/// A link below the output folder is never followed: the build stops with
/// an error naming it, and nothing outside changes.
#[cfg(unix)]
#[test]
fn links_in_the_output_folder_stop_the_build_and_change_nothing_outside() {
    for link in ["talks", "tags"] {
        let site = site();
        let out = site.path().join("out");
        let elsewhere = site.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("precious.ics"), "keep").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join(link)).unwrap();
        talkfeed()
            .current_dir(site.path())
            .args(["--site", ".", "--out"])
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("out/{link}: it is a symbolic link")))
            // Said as it is: nothing was replaced, not "files already
            // replaced in this run stay".
            .stderr(predicate::str::contains("talkfeed: nothing was replaced: the files in"))
            .stderr(predicate::str::contains("already replaced").not());
        let names: Vec<String> =
            std::fs::read_dir(&elsewhere).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(names, ["precious.ics"], "{link}");
    }
}

/// A run that waits for another says for whom, and gives up after the
/// timeout with an error.
#[test]
fn a_run_waiting_for_the_lock_says_so_and_gives_up() {
    let site = site();
    let out = site.path().join("out");
    let held = talkfeed::write::Transaction::begin(&out).unwrap();
    let started = std::time::Instant::now();
    talkfeed()
        .current_dir(site.path())
        .args(["--site", ".", "--lock-timeout", "1", "--out"])
        .arg(&out)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("talkfeed: waiting for process {} (talkfeed", std::process::id())))
        .stderr(predicate::str::contains("another run has held it for 1 s"));
    assert!(started.elapsed() >= Duration::from_secs(1));
    drop(held);
    talkfeed().current_dir(site.path()).args(["--site", ".", "--out"]).arg(&out).assert().success();
    assert!(site.path().join(".talkfeed-out.lock").exists() && !out.join(".talkfeed.lock").exists());
}

/// `kill -9` at any moment of a build: every file is whole, no calendar or
/// page links to a file not there, and the next run completes the set.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_a_consistent_set_and_the_next_run_completes_it() {
    let site = tempfile::tempdir().unwrap();
    let talks = site.path().join("content/talk");
    std::fs::create_dir_all(&talks).unwrap();
    std::fs::write(site.path().join("talkfeed.toml"), "base_url = \"https://x.example/\"\nper_tag = true\n").unwrap();
    let write_talks = |version: &str| {
        for i in 0..1500 {
            std::fs::write(
                talks.join(format!("t{i}.md")),
                format!("---\ntitle: Talk {i} {version}\nevent: E\ndate: 2024-01-{:02}\ntags: [t{}]\n---\nBody {version}.\n", i % 28 + 1, i % 50),
            )
            .unwrap();
        }
    };
    let out = site.path().join("out");
    let build = || talkfeed().current_dir(site.path()).args(["--site", ".", "--out"]).arg(&out).output().unwrap();
    write_talks("a");
    let started = std::time::Instant::now();
    assert!(build().status.success());
    let full = started.elapsed();
    let mut completed_by_next_run = 0;
    for (round, fraction) in [0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 1.0].into_iter().enumerate() {
        write_talks(if round % 2 == 0 { "b" } else { "c" });
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("talkfeed"))
            .current_dir(site.path())
            .args(["--now", crate::util::NOW, "--site", ".", "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        consistent(&out);
        let next = build();
        assert!(next.status.success());
        if String::from_utf8_lossy(&next.stderr).contains("completed the outputs of an interrupted run first") {
            completed_by_next_run += 1;
        }
        consistent(&out);
        assert!(!out.join(".talkfeed-journal").exists());
    }
    println!("the next run rolled an interrupted commit forward {completed_by_next_run} times");
}

/// Every file is whole, and every file the pages and calendars of `out`
/// link to is there.
#[cfg(unix)]
fn consistent(out: &Path) {
    for e in walkdir::WalkDir::new(out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".talkfeed-") {
            continue; // a killed run's temporary file or journal
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        if name.ends_with(".ics") {
            assert!(text.ends_with("END:VCALENDAR\r\n"), "{} is cut short", e.path().display());
        } else if name.ends_with(".xml") {
            assert!(roxmltree::Document::parse(&text).is_ok(), "{} is cut short", e.path().display());
        } else if name.ends_with(".json") {
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{} is cut short", e.path().display());
        }
    }
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    for link in page.split("href=\"").skip(1).filter_map(|l| l.split('"').next()) {
        if link.starts_with("talks/") || link.starts_with("tags/") {
            assert!(out.join(link).is_file(), "index.html links to {link}, which is not there");
        }
    }
}

/// What one page or one cascade can multiply is bounded, with a message
/// that says so: a thousand tags on one page (each a folder of four files,
/// each listing every tag), a cascaded text of a megabyte (a copy in every
/// page below), a megabyte author name (on every talk of the speaker).
#[test]
fn small_inputs_cannot_multiply_into_large_outputs() {
    let site = site();
    let tags: Vec<String> = (0..1000).map(|i| format!("t{i}")).collect();
    let page = format!("---\ntitle: Tags\nevent: E\ndate: 2024-01-01\ntags: [{}]\n---\n", tags.join(", "));
    std::fs::write(site.path().join("content/talk/tags.md"), page).unwrap();
    talkfeed()
        .args(["--per-tag", "--site"])
        .arg(site.path())
        .arg("--out")
        .arg(site.path().join("out"))
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("tags.md:5:1: error: `tags` has 1000 items, more than 100"));
    std::fs::remove_file(site.path().join("content/talk/tags.md")).unwrap();

    let abstract_text = "a".repeat(1_300_000);
    std::fs::write(
        site.path().join("content/talk/_index.md"),
        format!("---\ntitle: Talks\ncascade:\n  abstract: {abstract_text}\n---\n"),
    )
    .unwrap();
    talkfeed()
        .args(["check", "--site"])
        .arg(site.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "_index.md:3:1: error: the `cascade` has a block of 1.2 MiB, more than 64 KiB; its values would be copied into every page below",
        ));
    std::fs::remove_file(site.path().join("content/talk/_index.md")).unwrap();

    std::fs::create_dir_all(site.path().join("content/authors/ada")).unwrap();
    std::fs::write(
        site.path().join("content/authors/ada/_index.md"),
        format!("---\ntitle: {}\n---\n", "A".repeat(1_000_000)),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/talk/ada.md"),
        "---\ntitle: Ada's\nevent: E\ndate: 2024-01-01\nauthors: [ada]\n---\n",
    )
    .unwrap();
    let out = site.path().join("out");
    talkfeed()
        .args(["--site"])
        .arg(site.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "ada/_index.md:2:1: warning: the author's `title` is 1000000 bytes long, more than 256; the speaker is shown as `ada`",
        ));
    let json = std::fs::read_to_string(out.join("feed.json")).unwrap();
    assert!(json.contains("\"name\": \"ada\""), "{json}");
    assert!(json.len() < 100_000, "{}", json.len());
}

/// Every date that reaches an output is in the years 1 to 9999 in UTC:
/// `lastmod: 9999-12-31T23:00:00-12:00` (year 10000 there) is set aside with
/// a warning, as an unreadable one is; a talk starting in the year 0 there
/// is an error.
#[test]
fn no_output_holds_a_year_outside_1_to_9999() {
    let site = site();
    let page = site.path().join("content/talk/good.md");
    std::fs::write(&page, "---\ntitle: Good\nevent: E\ndate: 2024-01-01\nlastmod: 9999-12-31T23:00:00-12:00\n---\n")
        .unwrap();
    let out = site.path().join("out");
    talkfeed().arg("--site").arg(site.path()).arg("--out").arg(&out).assert().success().stderr(
        predicate::str::contains(
            "good.md:5:1: warning: `lastmod` 9999-12-31T23:00:00-12:00 is in the year 10000 in UTC, which calendars and feeds cannot hold; the last-modified date falls back to date",
        ),
    );
    for e in walkdir::WalkDir::new(&out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(e.path()).unwrap();
        assert!(!text.contains("+1000") && !text.contains("10000-"), "{}", e.path().display());
    }
    std::fs::write(&page, "---\ntitle: Good\nevent: E\ndate: 0001-01-01T00:30:00+01:00\n---\n").unwrap();
    talkfeed().args(["check", "--site"]).arg(site.path()).assert().code(1).stderr(predicate::str::contains(
        "good.md:4:1: error: the talk starts before the year 1 in UTC (`date`), which calendars and feeds cannot hold",
    ));
}
