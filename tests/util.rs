use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use talkfeed::diag::Diagnostics;
use talkfeed::load;
use talkfeed::model::Site;
use talkfeed::settings::Flags;
use talkfeed::settings::Settings;

/// The fixed "now" of the tests: after every talk in the corpus but the
/// parked 2030 ones.
pub const NOW: &str = "2026-11-24T12:00:00Z";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW).unwrap().with_timezone(&Utc)
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// `../shared/corpus`, or `None` with a printed reason when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} does not exist (CI and developers have ../shared beside the project)", dir.display());
        None
    }
}

/// The binary with a clean environment and a fixed clock.
pub fn talkfeed() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("talkfeed").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH").env_remove("TZ").arg("--now").arg(NOW).current_dir(root());
    cmd
}

/// Loads a site through the library.
pub fn load(args: Flags) -> (Site, Diagnostics, Settings) {
    let mut diags = Diagnostics::new();
    let settings = Settings::resolve(&args, None, now(), &mut diags).expect("valid settings");
    let site = load::load(&settings.inputs(), &mut diags);
    (site, diags, settings)
}

pub fn args(site: &Path, content: Option<&Path>) -> Flags {
    Flags { site: Some(site.to_path_buf()), content: content.map(Path::to_path_buf), ..Flags::default() }
}

/// The outputs of one language, with their paths in its folder (`fr/talks.ics`
/// → `talks.ics`), from the outputs of every language (`emit::render`).
pub fn edition_outputs(
    all: &[talkfeed::emit::OutputFile],
    editions: &[talkfeed::emit::Edition],
    edition: &talkfeed::emit::Edition,
) -> Vec<talkfeed::emit::OutputFile> {
    all.iter()
        .filter(|o| {
            let rest = o.path.strip_prefix(&edition.dir);
            rest.is_some_and(|r| !editions.iter().any(|e| !e.dir.is_empty() && r.starts_with(&e.dir)))
        })
        .map(|o| talkfeed::emit::OutputFile { path: o.path[edition.dir.len()..].to_string(), bytes: o.bytes.clone() })
        .collect()
}

/// Every output of `site`, every language, in memory: the views built,
/// then emitted (what `build` does, without the writer).
pub fn render(site: &Site, settings: &Settings) -> Vec<talkfeed::emit::OutputFile> {
    let views = talkfeed::view::make_views(site, site.bodies(), &settings.view_inputs()).expect("a base URL");
    talkfeed::emit::render(site, views, &settings.emit).expect("a base URL")
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
