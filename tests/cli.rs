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
