//! The command line: what `talkfeed check` and `talkfeed list` print and
//! the exit codes they return.

use predicates::prelude::*;

use crate::util::talkfeed;

#[test]
fn list_shows_the_seed_talk() {
    talkfeed()
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("\n2019-10-05 all-day · Product Coaching · Product Camp 2019\n"));
}

#[test]
fn list_verbose_names_the_start_key() {
    talkfeed().args(["list", "-v"]).assert().success().stdout(predicate::str::contains(
        "2018-04-18 14:00 → 15:30 UTC · Graph Sampling for Product Analytics · Data Council Meetup\n    content/talk/graph-sampling.md · start: time_start, end: time_end · /talk/graph-sampling/\n",
    ));
}

#[test]
fn check_accepts_the_sample_content() {
    talkfeed()
        .arg("check")
        .assert()
        .code(0)
        .stderr("talkfeed: content: 8 talks, 7 in the calendar, 7 in the feeds, 1 draft left out (use --drafts); 0 errors, 0 warnings\n");
}

#[test]
fn drafts_flag_includes_drafts() {
    talkfeed().args(["check", "-D"]).assert().code(0).stderr(predicate::str::contains("8 in the calendar"));
}

#[test]
fn timezone_moves_times_without_offset() {
    talkfeed()
        .args(["list", "--timezone", "Europe/Berlin"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2018-04-18 14:00 → 15:30 +02:00 · Graph Sampling"));
}

#[test]
fn usage_errors_exit_2() {
    talkfeed()
        .args(["check", "--timezone", "Europe/Berln"])
        .assert()
        .code(2)
        .stderr("talkfeed: error: --timezone: unknown time zone 'Europe/Berln' — did you mean Europe/Berlin?\n");
    talkfeed()
        .args(["check", "--base-url", "/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an absolute URL"));
    talkfeed().args(["check", "--now", "tomorrow"]).assert().code(2);
    talkfeed()
        .args(["check", "--content", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    talkfeed().arg("frobnicate").assert().code(2);
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let site = crate::util::fixture("eras");
    talkfeed().args(["check", "--site"]).arg(&site).assert().code(0);
    talkfeed().args(["check", "--deny-warnings", "--site"]).arg(&site).assert().code(1);
}

#[test]
fn quiet_prints_only_errors() {
    let site = crate::util::fixture("eras");
    talkfeed().args(["check", "-q", "--site"]).arg(&site).assert().code(0).stderr("");
}

#[test]
fn help_documents_exit_status() {
    talkfeed().arg("--help").assert().success().stdout(predicate::str::contains("EXIT STATUS"));
}

#[test]
fn new_scaffolds_a_talk_that_check_accepts_and_never_overwrites() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("content")).unwrap();
    talkfeed()
        .args(["new", "talk/graph-sampling", "--timezone", "Europe/Berlin", "--site"])
        .arg(site.path())
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("content/talk/graph-sampling/index.md\n"));
    let page = std::fs::read_to_string(site.path().join("content/talk/graph-sampling/index.md")).unwrap();
    // The fixed clock of the tests is 2026-11-24 12:00 UTC: 13:00 in Berlin.
    assert!(page.contains("\ntitle: \"Graph sampling\"\n"), "{page}");
    assert!(page.contains("\ndate: 2026-11-24T10:00:00+01:00\n"), "{page}");
    assert!(page.contains("\npublishDate: 2026-11-24T13:00:00+01:00\n"), "{page}");
    talkfeed()
        .args(["list", "--site"])
        .arg(site.path())
        .assert()
        .code(0)
        .stdout("2026-11-24 10:00 +01:00 · Graph sampling\n");
    talkfeed()
        .args(["new", "talk/graph-sampling", "--site"])
        .arg(site.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists; nothing written"));
    talkfeed().args(["new", "talk/../../escape", "--site"]).arg(site.path()).assert().code(2);
    assert!(!site.path().join("escape").exists());
}

#[test]
fn completions_and_man_page_are_generated() {
    talkfeed()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_talkfeed()").and(predicate::str::contains("--publish-url")));
    talkfeed().args(["completions", "zsh"]).assert().success().stdout(predicate::str::contains("#compdef talkfeed"));
    talkfeed()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie").or(predicate::str::contains(".TH talkfeed")))
        .stdout(predicate::str::contains("\\-\\-keep\\-going"));
}

#[test]
fn color_always_colors_and_never_does_not() {
    let site = crate::util::fixture("eras");
    let esc = predicate::str::contains("\u{1b}[");
    talkfeed().args(["check", "--color", "always", "--site"]).arg(&site).assert().code(0).stderr(esc.clone());
    talkfeed().args(["check", "--color", "never", "--site"]).arg(&site).assert().code(0).stderr(esc.clone().not());
    // Not a terminal: auto means no color.
    talkfeed().args(["check", "--site"]).arg(&site).assert().code(0).stderr(esc.not());
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = talkfeed().arg("--version").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    let prefix = format!("talkfeed {} (commit ", env!("CARGO_PKG_VERSION"));
    let commit = out.strip_prefix(&prefix).and_then(|r| r.strip_suffix(")\n")).unwrap_or_else(|| panic!("{out:?}"));
    // What build.rs should have found: TALKFEED_COMMIT if set, else git's
    // HEAD in a checkout (build.rs reruns when HEAD moves, so the binary
    // cargo just built is HEAD's), else the packaged crate's or "unknown".
    let expected = std::env::var("TALKFEED_COMMIT")
        .ok()
        .filter(|c| c.len() >= 7 && c.chars().all(|c| c.is_ascii_hexdigit()))
        .or_else(|| {
            let root = crate::util::root();
            root.join(".git").exists().then(|| {
                let head =
                    std::process::Command::new("git").args(["rev-parse", "HEAD"]).current_dir(&root).output().unwrap();
                String::from_utf8(head.stdout).unwrap().trim().to_string()
            })
        });
    match expected {
        Some(full) => assert_eq!(commit, &full[..12.min(full.len())]),
        None => assert!(
            commit == "unknown" || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
            "not a commit: {commit:?}"
        ),
    }
    talkfeed().arg("-V").assert().success().stdout(out);
}

/// `--format github`: every diagnostic as a workflow annotation on
/// standard output (where the Actions runner reads them), the summary on
/// standard error as ever; for `check` and `build` alike.
#[test]
fn github_format_prints_workflow_annotations() {
    for command in ["check", "build"] {
        let out = tempfile::tempdir().unwrap();
        let output = crate::util::talkfeed()
            .args([command, "--format", "github", "--site", "tests/fixtures/broken", "--out"])
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stdout.contains("::error file=tests/fixtures/broken/content/talk/bad-day.md,line="),
            "{command}: {stdout}"
        );
        assert!(stdout.lines().all(|l| l.starts_with("::error ") || l.starts_with("::warning ")), "{stdout}");
        let annotations = stdout.lines().count();
        assert!(annotations > 10, "{stdout}");
        assert!(!stderr.contains("::error"), "{stderr}");
        if command == "check" {
            assert!(
                stderr.contains(&format!("{} errors", stdout.lines().filter(|l| l.starts_with("::error")).count())),
                "{stderr}"
            );
        }
    }
}
