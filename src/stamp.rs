//! The up-to-date check. A scheduled run usually finds nothing changed, and
//! reading the pages costs a fraction of parsing and rendering them. So a
//! successful build leaves a stamp beside the output folder (next to its
//! lock: `site/.talkfeed-out.stamp` for `site/out`), and the next build
//! renders nothing when all of these hold:
//!
//! * the same program (version, and a hash of the executable's bytes, so a
//!   rebuilt or patched binary never trusts an old stamp), the same working
//!   folder and the same flags, `--now` aside;
//! * the same settings, made of the flags and the config files as every
//!   run makes them (the config files' texts included), and the same bytes
//!   in every page file of every content folder, and the same names of all
//!   other files there (a bundle's image counts by its name), walked as
//!   discovery walks them (no link followed out of the content folder);
//! * a clock still between the same two instants at which some output
//!   would change by itself (a talk ends, reaches its publish or expiry
//!   date: [`crate::emit::clock_boundaries`]);
//! * an output folder exactly as the build left it: every file and folder
//!   in it with the same size, modification and change time, and inode.
//!
//! Anything else, or a stamp that cannot be read, means a full build. The
//! stamp is removed as soon as a build starts writing
//! ([`crate::write::Transaction`]), and written only after it committed,
//! while it still holds the lock, so a failed or killed run never leaves
//! one, and a run's stamp never describes another run's files. The messages of the build
//! are kept in it and shown again, so a run that skips the work reads like
//! one that did it.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::settings::{Flags, Settings};

/// The stamp's format; a stamp of another format is not read.
const FORMAT: u32 = 2;

/// What a build reports, kept to be reported again by a run that skips it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The diagnostics of reading the pages (not those of the config,
    /// which every run makes afresh).
    pub diagnostics: Vec<Diagnostic>,
    /// How many files the build wrote or found unchanged.
    pub outputs: usize,
    /// How many talks were read.
    pub talks: usize,
    /// How many of them are in a calendar.
    pub in_calendar: usize,
    /// How many have no start date.
    pub undated: usize,
    /// The languages written, with their folders (`("fr", "fr/")`).
    pub editions: Vec<(String, String)>,
}

/// The inputs of a build, as one value: equal fingerprints mean equal
/// settings, pages and program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint(u64, u64);

/// The identity of a file or folder in the output folder: any change to it
/// (written, replaced, touched, removed) changes one of these; the change
/// time too, which no one can set back (an edit in place whose size and
/// modification time were restored still changes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    path: String,
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

/// The record of the last successful build of an output folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stamp {
    format: u32,
    fingerprint: Fingerprint,
    /// The clock may be anywhere strictly between these (`None`: without
    /// bound on that side) and the outputs are the same.
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    entries: Vec<Entry>,
    /// What the build reported.
    pub record: Record,
}

/// The fingerprint of a build of `settings` from `flags`: the program,
/// the working folder, the flags (but `--now`), the settings they and the
/// config files make, and the content folders. `None` when the program
/// cannot be identified, or when the pages' dates come from what the
/// content's bytes do not show (`:fileModTime`, `:git` with
/// `enableGitInfo`): then no stamp is trusted and every build renders.
pub fn fingerprint(settings: &Settings, flags: &Flags) -> Option<Fingerprint> {
    let dates = &settings.rules.dates;
    if dates.reads_mod_time() || dates.reads_git() {
        return None;
    }
    let mut h = Hashes::default();
    h.add(&(env!("CARGO_PKG_VERSION"), program()?));
    h.add(&std::env::current_dir().ok());
    h.add(&format!("{:?}", Flags { now: None, ..flags.clone() }));
    // The config files count through what they say: the settings made of
    // them (their texts included), read once by the build's own guarded
    // reader. A file the build does not read (a named pipe, a huge or
    // endless file, a link to a system folder) is never opened here.
    let mut unclocked = settings.clone();
    unclocked.emit.publish.now = DateTime::UNIX_EPOCH;
    unclocked.rules.publish.now = DateTime::UNIX_EPOCH;
    h.add(&format!("{unclocked:?}"));
    let out_dir = fs::canonicalize(&settings.out_dir).ok();
    for root in crate::discover::content_folders(&settings.scope) {
        h.add(&root);
        let files = content_files(&root, out_dir.as_deref());
        // Every file, sorted; pages by their bytes, read in parallel.
        let hashes: Vec<u64> = files
            .par_iter()
            .map(|(path, page)| {
                let mut file = DefaultHasher::new();
                path.hash(&mut file);
                if *page {
                    crate::files::read(path, settings.scope.max_file_size).ok().hash(&mut file);
                }
                file.finish()
            })
            .collect();
        h.add(&hashes);
    }
    Some(h.finish())
}

/// The program: a hash of the executable's bytes, so a rebuilt or patched
/// binary never trusts a stamp, whatever its size and time say (Nix sets
/// every mtime to 1; `cp -p` keeps it).
fn program() -> Option<u64> {
    let bytes = crate::files::read(&std::env::current_exe().ok()?, 1 << 30).ok()?;
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

/// Every file below the content folder `root` as discovery walks it
/// ([`crate::discover::ContentWalk`]: no link followed out of the content,
/// loops not followed), the output folder `out_dir` left out; each with
/// whether it may be a page (whose bytes count, not only its name).
fn content_files(root: &Path, out_dir: Option<&Path>) -> Vec<(PathBuf, bool)> {
    use crate::discover::{ContentWalk, Walked};
    let mut files = Vec::new();
    let mut walk = ContentWalk::new(root, root);
    while let Some(step) = walk.next() {
        match step {
            Walked::Entry(e) => {
                if e.file_type().is_dir()
                    && out_dir.is_some_and(|o| fs::canonicalize(e.path()).ok().as_deref() == Some(o))
                {
                    walk.skip_current_dir();
                    continue;
                }
                let page = e.file_type().is_file() && crate::discover::is_page_name(&e.file_name().to_string_lossy());
                files.push((e.into_path(), page));
            }
            // A link out of the content, a loop, a dangling link: the build
            // reports it; its name counts.
            Walked::LeavesContent(e) => files.push((e.into_path(), false)),
            Walked::Failed(e) => files.push((e.path().map(Path::to_path_buf).unwrap_or_default(), false)),
        }
    }
    files
}

/// Where the stamp of the last successful build of `out_dir` is: beside
/// its lock, `site/.talkfeed-out.stamp` for `site/out` (not in the folder,
/// which gets published). A build's transaction removes it before it
/// changes anything in the folder ([`crate::write::Start::forget`]).
pub fn stamp_path(out_dir: &Path) -> PathBuf {
    crate::write::lock_path(out_dir).with_extension("stamp")
}

/// Two independent 64-bit hashes of everything added, in order.
#[derive(Default)]
struct Hashes(DefaultHasher, DefaultHasher);

impl Hashes {
    fn add<T: Hash + ?Sized>(&mut self, value: &T) {
        value.hash(&mut self.0);
        // The second sees every value after a different prefix.
        0xa5u8.hash(&mut self.1);
        value.hash(&mut self.1);
    }

    fn finish(self) -> Fingerprint {
        Fingerprint(self.0.finish(), self.1.finish())
    }
}

impl Stamp {
    /// The stamp of `out_dir`, if there is one that this version reads.
    pub fn read(out_dir: &Path) -> Option<Stamp> {
        let bytes = crate::files::read(&stamp_path(out_dir), 1 << 30).ok()?;
        let stamp: Stamp = serde_json::from_slice(&bytes).ok()?;
        (stamp.format == FORMAT).then_some(stamp)
    }

    /// Whether the outputs in `out_dir` are what a build with
    /// `fingerprint` at `now` would write: see the module documentation.
    pub fn is_fresh(&self, out_dir: &Path, fingerprint: Fingerprint, now: DateTime<Utc>) -> bool {
        self.fingerprint == fingerprint
            && self.after.is_none_or(|a| a < now)
            && self.before.is_none_or(|b| now < b)
            && entries(out_dir).is_ok_and(|e| e == self.entries)
    }

    /// The stamp of a build with `fingerprint` at `now` that just wrote
    /// `out_dir`, whose outputs change with the clock alone at `boundaries`
    /// (`None`: they follow the clock; the stamp then never holds).
    pub fn new(
        out_dir: &Path,
        fingerprint: Fingerprint,
        now: DateTime<Utc>,
        boundaries: Option<&[DateTime<Utc>]>,
        record: Record,
    ) -> io::Result<Stamp> {
        let (after, before) = match boundaries {
            // A boundary at `now` itself could go either way: no window.
            Some(b) if !b.contains(&now) => {
                (b.iter().rev().find(|t| **t < now).copied(), b.iter().find(|t| **t > now).copied())
            }
            _ => (Some(now), Some(now)),
        };
        Ok(Stamp { format: FORMAT, fingerprint, after, before, entries: entries(out_dir)?, record })
    }

    /// Writes the stamp beside `out_dir`, atomically.
    pub fn write(&self, out_dir: &Path) -> io::Result<()> {
        let path = stamp_path(out_dir);
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(io::BufWriter::new(tmp.as_file_mut()), self)?;
        tmp.as_file_mut().flush()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Every file and folder under `out_dir` (links not followed), sorted.
fn entries(out_dir: &Path) -> io::Result<Vec<Entry>> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(out_dir) {
        let e = e.map_err(io::Error::from)?;
        let m = e.path().symlink_metadata()?;
        let path = e.path().strip_prefix(out_dir).unwrap_or(e.path()).to_string_lossy().into_owned();
        let modified_ns = i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec());
        let changed_ns = i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec());
        let len = if m.is_dir() { 0 } else { m.len() };
        out.insert(path.clone(), Entry { path, len, modified_ns, changed_ns, inode: m.ino() });
    }
    Ok(out.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_window_lies_strictly_between_the_boundaries_around_now() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        fs::create_dir(&out).unwrap();
        let f = Fingerprint(1, 2);
        let record =
            Record { diagnostics: Vec::new(), outputs: 0, talks: 0, in_calendar: 0, undated: 0, editions: Vec::new() };
        let b = [t("2026-01-01T00:00:00Z"), t("2026-06-01T00:00:00Z")];
        let s = Stamp::new(&out, f, t("2026-03-01T00:00:00Z"), Some(&b), record.clone()).unwrap();
        assert!(s.is_fresh(&out, f, t("2026-01-01T00:00:01Z")));
        assert!(s.is_fresh(&out, f, t("2026-05-31T23:59:59Z")));
        assert!(!s.is_fresh(&out, f, t("2026-06-01T00:00:00Z")));
        assert!(!s.is_fresh(&out, f, t("2026-01-01T00:00:00Z")));
        assert!(!s.is_fresh(&out, Fingerprint(1, 3), t("2026-03-01T00:00:00Z")));
        // A boundary at the moment of the build, or outputs that follow the clock: never fresh.
        let s = Stamp::new(&out, f, b[0], Some(&b), record.clone()).unwrap();
        assert!(!s.is_fresh(&out, f, b[0]));
        let s = Stamp::new(&out, f, t("2026-03-01T00:00:00Z"), None, record.clone()).unwrap();
        assert!(!s.is_fresh(&out, f, t("2026-03-01T00:00:00Z")));
        // Any change to the folder: a file added.
        let s = Stamp::new(&out, f, t("2026-03-01T00:00:00Z"), Some(&[]), record).unwrap();
        assert!(s.is_fresh(&out, f, t("2090-01-01T00:00:00Z")));
        fs::write(out.join("x"), "x").unwrap();
        assert!(!s.is_fresh(&out, f, t("2026-03-01T00:00:00Z")));
    }
}
