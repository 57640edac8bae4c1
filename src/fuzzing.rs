//! Entry points for fuzzing (`fuzz/`) and for replaying the fuzz corpus in
//! `cargo test`: each takes arbitrary bytes and runs one part of talkfeed
//! the way a real run would. They must never panic; whatever they return
//! the callers check for validity.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};

use crate::diag::Diagnostics;
use crate::discover::{PageFile, PageKind};
use crate::emit;
use crate::emit::OutputFile;
use crate::load;
use crate::model::Site;
use crate::normalize::Outcome;
use crate::settings::Flags;
use crate::settings::Settings;
use crate::view;

/// Front matter: split a page and parse what it holds.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(crate::frontmatter::Split { front_matter: Some(raw), .. }) = crate::frontmatter::split(&text) else {
        return;
    };
    if let Ok(fm) = crate::frontmatter::parse(raw) {
        // Locating keys must cope with whatever the text is.
        for key in fm.map.keys() {
            fm.position_of(&[key.as_str()]);
        }
    }
}

/// Dates: parse a front-matter date and read it in a zone with DST.
pub fn date(data: &[u8]) {
    if let Ok(Ok(value)) = std::str::from_utf8(data).map(crate::dates::parse) {
        value.resolve(chrono_tz::Europe::Berlin);
        value.date_as_written();
    }
}

/// The settings fuzzing runs with: a fixed clock, a base URL, Berlin time.
pub fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let site = std::env::temp_dir().join(format!("talkfeed-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(site.join("content/talk")).expect("a temporary folder");
        let args = Flags {
            site: Some(site),
            base_url: Some(String::from("https://example.org/")),
            timezone: Some(String::from("Europe/Berlin")),
            // Tags name folders: let the fuzzer try to escape with one.
            per_tag: true,
            per_section: true,
            per_author: true,
            // Every opt-in output: reminders and the schedules.
            alarm: vec![String::from("30m"), String::from("1d")],
            schedules: true,
            ..Flags::default()
        };
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Settings::resolve(&args, None, now, &mut Diagnostics::new()).expect("valid settings")
    })
}

/// The whole pipeline for one file: its bytes as `content/talk/fuzz.md`,
/// read, checked and, if it is a talk, rendered into every output.
pub fn pipeline(data: &[u8]) -> Vec<OutputFile> {
    let settings = settings();
    let file = PageFile {
        path: PathBuf::from("content/talk/fuzz.md"),
        content_path: String::from("talk/fuzz.md"),
        lang: String::from("en"),
        translation_key: String::from("talk/fuzz.md"),
        section: String::from("talk"),
        branch: String::from("talk"),
        kind: PageKind::Single,
        featured_image: None,
    };
    let mut diags = Diagnostics::new();
    match load::talk_from_file_bytes(&file, data.to_vec(), &settings.inputs(), &mut diags) {
        Outcome::Talk(talk) => {
            let mut talk = *talk;
            // Drafts and unpublished talks are left out; render them anyway.
            talk.draft = false;
            talk.dates.expiry = None;
            talk.dates.publish = None;
            let mut site = Site { talks: vec![talk], ..Site::default() };
            let bodies = site.take_bodies();
            let views = view::make_views(&site, bodies, &settings.view_inputs()).expect("the settings have a base URL");
            emit::render(&site, views, &settings.emit).expect("the settings have a base URL")
        }
        Outcome::NotATalk(..) | Outcome::Failed => Vec::new(),
    }
}
