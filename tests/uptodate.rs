//! The up-to-date check (docs/performance.md, "A rebuild with nothing
//! changed"): a build renders nothing only when every input, the clock
//! window and the output folder are as the last build left them, and it
//! then reads like a build that rendered everything.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use crate::util;

const RENDERED_NOTHING: &str = "nothing rendered";

/// A copy of the `lenient` fixture (a site with warnings) and its output folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    util::copy_dir(&util::fixture("lenient"), dir.path());
    let out = dir.path().join("out");
    (dir, out)
}

/// Builds `site` into `out` with `-v` and `extra` flags; (exit code, stderr).
fn build(site: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let output = util::talkfeed()
        .arg("build")
        .arg("-v")
        .arg("--site")
        .arg(site)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    (output.status.code().unwrap(), String::from_utf8(output.stderr).unwrap())
}

/// Whether the last build rendered the outputs (or found them up to date).
fn rendered(stderr: &str) -> bool {
    !stderr.contains(RENDERED_NOTHING)
}

/// stderr without the run's duration and the `-v` lines that differ
/// between a build that rendered and one that did not.
fn messages(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.contains(RENDERED_NOTHING) && !l.contains("replaced within") && !l.starts_with("wrote "))
        .map(|l| match l.rfind(" (") {
            Some(i) if l.ends_with(" s)") => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_build_with_nothing_changed_renders_nothing_and_says_the_same() {
    let (site, out) = site();
    let (code, first) = build(site.path(), &out, &[]);
    assert_eq!(code, 0, "{first}");
    assert!(rendered(&first));
    assert!(first.contains("warning"), "the fixture has warnings: {first}");
    let written = files(&out);
    let (code, second) = build(site.path(), &out, &[]);
    assert_eq!(code, 0);
    assert!(!rendered(&second), "{second}");
    // The same warnings, and the summary of a build that found every file unchanged.
    let expected = messages(&first).replace(
        &format!("{} files written, 0 unchanged", written.len()),
        &format!("0 files written, {} unchanged", written.len()),
    );
    assert_eq!(messages(&second), expected);
    assert_eq!(files(&out), written);
    // The stamp is beside the folder, never in what gets published.
    assert!(site.path().join(".talkfeed-out.stamp").is_file());
    assert!(!files(&out).iter().any(|(p, _)| p.contains("stamp")));
    // --force renders, and changes nothing.
    let (_, forced) = build(site.path(), &out, &["--force"]);
    assert!(rendered(&forced));
    assert_eq!(files(&out), written);
}

#[test]
fn every_input_and_the_output_folder_count() {
    let (site, out) = site();
    let dir = site.path().to_path_buf();
    let page = dir.join("content/talk/written-twice.md");
    type Change<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let changes: Vec<Change> = vec![
        (
            "a page's bytes",
            Box::new(|| std::fs::write(&page, std::fs::read_to_string(&page).unwrap() + "\nMore.\n").unwrap()),
        ),
        (
            "a new page",
            Box::new(|| {
                std::fs::write(dir.join("content/talk/new.md"), "---\ntitle: New\nevent: E\ndate: 2024-05-01\n---\n")
                    .unwrap()
            }),
        ),
        (
            "an image in a bundle",
            Box::new(|| std::fs::write(dir.join("content/talk/example/featured.png"), "png").unwrap()),
        ),
        (
            "a config file",
            Box::new(|| {
                let config = dir.join("config/_default/hugo.yaml");
                let text = std::fs::read_to_string(&config).unwrap();
                std::fs::write(&config, text.replace("Lenient site", "Lenient site!")).unwrap();
            }),
        ),
        ("talkfeed.toml", Box::new(|| std::fs::write(dir.join("talkfeed.toml"), "refresh = \"2h\"\n").unwrap())),
        ("an output edited", Box::new(|| std::fs::write(out.join("talks.ics"), "edited").unwrap())),
        ("an output removed", Box::new(|| std::fs::remove_file(out.join("rss.xml")).unwrap())),
        ("a file dropped among the outputs", Box::new(|| std::fs::write(out.join("talks/stale.ics"), "x").unwrap())),
    ];
    assert_eq!(build(&dir, &out, &[]).0, 0);
    for (what, change) in changes {
        assert!(!rendered(&build(&dir, &out, &[]).1), "up to date before: {what}");
        change();
        let (code, stderr) = build(&dir, &out, &[]);
        assert_eq!(code, 0, "{what}: {stderr}");
        assert!(rendered(&stderr), "{what} must make the build render");
        // What it left is what a build into an empty folder makes.
        let fresh = dir.join("fresh");
        let _ = std::fs::remove_dir_all(&fresh);
        let _ = std::fs::remove_file(dir.join(".talkfeed-fresh.stamp"));
        assert_eq!(build(&dir, &fresh, &[]).0, 0);
        assert_eq!(files(&out), files(&fresh), "after {what}");
    }
    // A flag.
    assert!(rendered(&build(&dir, &out, &["--title", "Other"]).1));
    assert!(!rendered(&build(&dir, &out, &["--title", "Other"]).1));
    assert!(rendered(&build(&dir, &out, &[]).1));
}

#[test]
fn a_failed_build_keeps_the_stamp_that_still_describes_the_folder() {
    let (site, out) = site();
    let page = site.path().join("content/talk/written-twice.md");
    let good = std::fs::read(&page).unwrap();
    assert_eq!(build(site.path(), &out, &[]).0, 0);
    std::fs::write(&page, "---\ntitle: [unclosed\n---\n").unwrap();
    let (code, stderr) = build(site.path(), &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    // The page is back as it was: the outputs never changed, nothing to render.
    std::fs::write(&page, good).unwrap();
    assert!(!rendered(&build(site.path(), &out, &[]).1));
    // A stamp that cannot be read is no stamp.
    std::fs::write(site.path().join(".talkfeed-out.stamp"), "{not json").unwrap();
    let (code, stderr) = build(site.path(), &out, &[]);
    assert_eq!(code, 0);
    assert!(rendered(&stderr));
}

#[test]
fn a_transaction_removes_the_stamp_before_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let stamp = talkfeed::stamp::stamp_path(&out);
    assert_eq!(stamp, dir.path().join(".talkfeed-out.stamp"));
    std::fs::write(&stamp, "{}").unwrap();
    // What `build` asks of its transaction: forget the stamp under the lock.
    let forget = [stamp.clone()];
    let start = talkfeed::write::Start { forget: &forget, ..talkfeed::write::Start::default() };
    let tx = talkfeed::write::Transaction::begin_with(&out, start).unwrap();
    assert!(!stamp.exists(), "a run killed from here on must leave no stamp");
    drop(tx);
}

/// Between two of the instants `emit::clock_boundaries` gives, every output
/// is the same whatever the time: rendered at the start, the end and the
/// middle of each window, the bytes do not change.
#[test]
fn outputs_change_with_the_clock_only_at_the_boundaries() {
    let mut sites = vec![util::root(), util::fixture("lenient"), util::fixture("bilingual"), util::fixture("all-past")];
    if let Some(corpus) = util::corpus() {
        sites.extend(
            std::fs::read_dir(corpus).unwrap().flatten().map(|e| e.path()).filter(|p| p.join("content").is_dir()),
        );
    }
    let mut windows = 0;
    for dir in sites {
        let render_at = |now: DateTime<Utc>| {
            let mut args = util::args(&dir, None);
            args.base_url = Some("https://example.org/".into());
            args.per_tag = true;
            let mut diags = talkfeed::diag::Diagnostics::new();
            let settings = talkfeed::settings::Settings::resolve(&args, None, now, &mut diags).unwrap();
            let site = talkfeed::load::load(&settings.inputs(), &mut diags);
            let boundaries = talkfeed::emit::clock_boundaries(&site, &settings.emit);
            (util::render(&site, &settings), boundaries)
        };
        let (_, boundaries) = render_at(util::now());
        let Some(boundaries) = boundaries else { continue };
        // Every window around a talk of the site (and those before the first
        // and after the last), probed at both ends and in the middle.
        let second = Duration::seconds(1);
        let mut edges: Vec<DateTime<Utc>> = vec![boundaries.first().map_or(util::now(), |b| *b - Duration::days(400))];
        edges.extend(boundaries.iter().copied());
        edges.push(boundaries.last().map_or(util::now(), |b| *b + Duration::days(400)));
        for pair in edges.windows(2).step_by((edges.len() / 4).max(1)) {
            let (from, to) = (pair[0], pair[1]);
            if to - from < Duration::seconds(3) {
                continue;
            }
            let (bytes, _) = render_at(from + second);
            for probe in [from + (to - from) / 2, to - second] {
                assert!(
                    render_at(probe).0 == bytes,
                    "{}: outputs differ within ({from}, {to}) at {probe}",
                    dir.display()
                );
            }
            windows += 1;
        }
    }
    assert!(windows >= 10, "{windows} windows probed");
}

/// The up-to-date check reads no more than the build does (red team,
/// issue 18): a named pipe, an endless device and a link to a system folder
/// where config files could be, and a link to `/` in the content, neither
/// hang a run nor make it read without bound; twice, with a stamp between.
#[cfg(unix)]
#[test]
fn the_check_reads_only_what_the_build_reads() {
    let (site, out) = site();
    let s = site.path();
    let fifo = |p: &Path| {
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    };
    fifo(&s.join("hugo.toml.lock"));
    std::fs::create_dir_all(s.join("config/staging")).unwrap();
    fifo(&s.join("config/staging/params.toml"));
    std::os::unix::fs::symlink("/dev/zero", s.join("config.toml.orig")).unwrap();
    std::os::unix::fs::symlink("/usr/lib", s.join("config/_default/x")).unwrap();
    std::os::unix::fs::symlink("/", s.join("content/talk/root")).unwrap();
    for run in 0..2 {
        let output = util::talkfeed()
            .args(["build", "-v", "--site"])
            .arg(s)
            .arg("--out")
            .arg(&out)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(0), "run {run}: {stderr}");
        assert!(stderr.contains("root: warning: symbolic link that leads outside the content folder"), "{stderr}");
        assert_eq!(rendered(&stderr), run == 0, "run {run}: {stderr}");
    }
}

/// A binary of the same size and time is not the same program: a patched
/// one (its mtime restored, as `cp -p` and Nix do) renders again.
#[test]
fn a_patched_binary_of_the_same_size_and_time_is_not_trusted() {
    let (site, out) = site();
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("talkfeed");
    std::fs::copy(assert_cmd::cargo::cargo_bin("talkfeed"), &bin).unwrap();
    let run = |bin: &Path| {
        let output = std::process::Command::new(bin)
            .args(["--now", util::NOW, "build", "-v", "--site"])
            .arg(site.path())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stderr).unwrap()
    };
    assert!(rendered(&run(&bin)));
    assert!(!rendered(&run(&bin)), "the same binary: nothing to render");
    // Same length, one letter changed in the help text, the time put back.
    let modified = std::fs::metadata(&bin).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&bin).unwrap();
    let at = bytes.windows(15).position(|w| w == b"Turns the talks").expect("the help text");
    bytes[at + 14] = b'z';
    std::fs::write(&bin, &bytes).unwrap();
    std::fs::File::options().write(true).open(&bin).unwrap().set_modified(modified).unwrap();
    assert!(rendered(&run(&bin)), "a patched binary trusted an old stamp");
}

/// An output edited in place, its size and modification time restored, is
/// not as the build left it: the next build writes it again.
#[test]
fn an_output_edited_in_place_with_its_time_restored_is_rewritten() {
    use std::io::{Seek, Write};
    let (site, out) = site();
    let (code, first) = build(site.path(), &out, &[]);
    assert_eq!(code, 0, "{first}");
    let calendar = out.join("talks.ics");
    let before = std::fs::read(&calendar).unwrap();
    let modified = std::fs::metadata(&calendar).unwrap().modified().unwrap();
    // Nanosecond clocks: make sure the change time can differ.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut f = std::fs::File::options().write(true).open(&calendar).unwrap();
    f.seek(std::io::SeekFrom::Start(0)).unwrap();
    f.write_all(b"XEGIN").unwrap();
    f.set_modified(modified).unwrap();
    drop(f);
    let (_, second) = build(site.path(), &out, &[]);
    assert!(rendered(&second), "{second}");
    assert_eq!(std::fs::read(&calendar).unwrap(), before);
}
