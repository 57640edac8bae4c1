//! Writing outputs: atomically, as one set, only when their bytes change,
//! and never through a link.
//!
//! Every output is compared with the file already there; only changed ones
//! are written, each to a temporary file in the target's folder (so the
//! rename cannot cross file systems). A scheduled run that changes nothing
//! leaves every file and mtime alone.
//!
//! The commit (see [`Transaction::commit`]):
//!
//! 1. Nothing has been replaced yet: every new file is written, every
//!    target checked (a folder or a link where a file belongs is an error
//!    before the first rename), and everything is flushed to disk with one
//!    `syncfs` (one `fsync` per file where there is none).
//! 2. A journal listing the renames and removals, in order, is written and
//!    flushed (`.talkfeed-journal` in the output folder).
//! 3. The renames, deepest files first: per-talk calendars, tag and section
//!    folders, then each language's calendars, feeds and page, the output
//!    folder's own last, the page last of all. A reader never sees a
//!    calendar or page that links to a file not there yet; the files a
//!    reader starts from are replaced within microseconds of each other.
//! 4. The removals of files no talk produces any more, then the journal.
//!
//! A run killed in step 3 or 4 leaves the journal: the next run first
//! rolls the commit forward from it (its files were flushed in step 1),
//! then removes the temporary files any killed run left.
//!
//! Nothing below the output folder is followed: a symbolic link (or a
//! named pipe, or a device) where talkfeed writes, reads or removes is an
//! error naming it, never a way out of the folder. Concurrent runs take
//! turns on a lock beside the output folder (see [`lock_path`]); one that
//! waits says for which process, and gives up after a timeout.
//!
//! The parts: [`lock`] (the lock), [`stage`] (comparing and writing
//! temporary files, and the one check that a path is a regular file or
//! nothing), [`journal`] (the journal and the roll-forward), [`owned`] (the
//! files a run removes).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

mod journal;
mod lock;
mod owned;
mod stage;

pub use journal::JOURNAL_FILE;
pub use lock::{DEFAULT_LOCK_TIMEOUT, lock_path};
pub use owned::Owned;

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Outputs written (new or changed), by path under the output folder.
    pub written: Vec<String>,
    /// Every output of the run, written or unchanged.
    pub outputs: usize,
    /// Outputs whose file already had these bytes.
    pub unchanged: usize,
    /// Files removed because no output has their name any more.
    pub removed: Vec<String>,
    /// Renames and removals of an interrupted run completed first.
    pub rolled_forward: usize,
    /// From the first to the last rename of the files readers start from
    /// (the calendars, feeds and pages of each language).
    pub top_level_window: Duration,
}

/// A failed write, with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{what} {}: {source}", path.display())]
pub struct WriteError {
    /// What was being done.
    pub what: &'static str,
    /// The file or folder.
    pub path: PathBuf,
    /// The cause.
    pub source: io::Error,
    /// How many files of the output folder this run had already replaced
    /// or removed when it failed (they stay: the next run completes them).
    pub replaced: usize,
}

pub(crate) fn err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError { what, path: path.to_path_buf(), source, replaced: 0 }
}

/// An error about `path` that is not the system's: a link, a pipe.
pub(crate) fn refuse(what: &'static str, path: &Path, why: impl Into<String>) -> WriteError {
    WriteError { what, path: path.to_path_buf(), source: io::Error::other(why.into()), replaced: 0 }
}

/// A committed transaction: what it did, and the lock of the output folder,
/// held until this is dropped, so that what the caller records about the
/// folder (the stamp of [`crate::stamp`]) describes this run's files and
/// no other run's.
pub struct Committed {
    /// What the commit did.
    pub report: Report,
    _lock: fs::File,
}

/// The lock file of earlier versions, in the output folder (removed).
const OLD_LOCK_FILE: &str = ".talkfeed.lock";

/// How a transaction starts.
pub struct Start<'a> {
    /// Give up waiting for another run's lock after this long.
    pub timeout: Duration,
    /// Told once, when the lock is held by another run, who holds it.
    pub notify: &'a mut dyn FnMut(&str),
    /// Files that describe the folder as it is (the up-to-date stamp of
    /// [`crate::stamp`]): removed under the lock, before anything in the
    /// folder changes.
    pub forget: &'a [PathBuf],
}

impl Default for Start<'_> {
    fn default() -> Self {
        Start { timeout: DEFAULT_LOCK_TIMEOUT, notify: Box::leak(Box::new(|_: &str| {})), forget: &[] }
    }
}

/// Writes `outputs` (path under `out_dir`, bytes) in one [`Transaction`],
/// creating folders as needed, and removes the [`Owned`] files it did not
/// write.
pub fn write_all(out_dir: &Path, outputs: &[(String, Vec<u8>)], owned: &[Owned<'_>]) -> Result<Report, WriteError> {
    let mut tx = Transaction::begin(out_dir)?;
    tx.put_many(outputs.iter().map(|(p, b)| (p.as_str(), b.as_slice())))?;
    tx.commit(owned, &[]).map(|c| c.report)
}

/// The hook that puts bytes into a temporary file; tests replace it to
/// fail the way a full disk does.
pub type WriteHook = dyn Fn(&mut fs::File, &[u8]) -> io::Result<()> + Sync;

/// One staged output: its temporary file, its target, its path.
struct Staged {
    tmp: tempfile::TempPath,
    target: PathBuf,
    path: String,
}

/// One run's writes: outputs are compared with the files there and the
/// changed ones written to temporary files ("staged"); only
/// [`Transaction::commit`] renames them into place. Dropping a transaction
/// without committing removes its temporary files and replaces nothing.
pub struct Transaction {
    out_dir: PathBuf,
    _lock: fs::File,
    hook: Box<WriteHook>,
    // Staged files are closed (kept by path) so that thousands of changed
    // outputs do not run out of file handles.
    staged: Vec<Staged>,
    wanted: BTreeSet<String>,
    /// Folders under the output folder known to be real folders.
    checked_dirs: HashSet<PathBuf>,
    report: Report,
}

impl Transaction {
    /// Starts a transaction on `out_dir`: creates it, takes the lock (waiting
    /// for a concurrent run to finish), completes an interrupted commit,
    /// removes a killed run's leftovers.
    pub fn begin(out_dir: &Path) -> Result<Transaction, WriteError> {
        Transaction::begin_with(out_dir, Start::default())
    }

    /// [`Transaction::begin`], as `start` says.
    pub fn begin_with(out_dir: &Path, start: Start<'_>) -> Result<Transaction, WriteError> {
        Transaction::begin_hooked(out_dir, start, Box::new(|file: &mut fs::File, bytes: &[u8]| file.write_all(bytes)))
    }

    /// [`Transaction::begin_with`] with the hook that writes temporary files
    /// (tests fail it the way a full disk does).
    pub fn begin_hooked(out_dir: &Path, start: Start<'_>, hook: Box<WriteHook>) -> Result<Transaction, WriteError> {
        fs::create_dir_all(out_dir).map_err(err("cannot create the output folder", out_dir))?;
        let lock = lock::take_lock(out_dir, start.timeout, start.notify)?;
        // From here on the folder may change: a record of its last state no
        // longer describes it.
        for path in start.forget {
            match fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err("cannot remove", path)(e)),
                _ => {}
            }
        }
        let report = Report { rolled_forward: journal::roll_forward(out_dir)?, ..Report::default() };
        stage::remove_leftovers(out_dir)?;
        // Earlier versions locked inside the output folder.
        let old = out_dir.join(OLD_LOCK_FILE);
        if fs::symlink_metadata(&old).is_ok() {
            fs::remove_file(&old).map_err(err("cannot remove", &old))?;
        }
        Ok(Transaction {
            out_dir: out_dir.to_path_buf(),
            _lock: lock,
            hook,
            staged: Vec::new(),
            wanted: BTreeSet::new(),
            checked_dirs: HashSet::new(),
            report,
        })
    }

    /// Makes sure the folder of `target` exists and that nothing between
    /// the output folder and it is a symbolic link or not a folder.
    fn prepare_folder(&mut self, target: &Path) -> Result<(), WriteError> {
        let Some(parent) = target.parent() else { return Ok(()) };
        if self.checked_dirs.contains(parent) {
            return Ok(());
        }
        let rel = parent.strip_prefix(&self.out_dir).unwrap_or(Path::new(""));
        let mut dir = self.out_dir.clone();
        for part in rel.components() {
            dir.push(part);
            if self.checked_dirs.contains(&dir) {
                continue;
            }
            match fs::symlink_metadata(&dir) {
                Ok(m) if m.file_type().is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refuse(
                        "cannot write in",
                        &dir,
                        "it is a symbolic link; talkfeed never writes through a link below the output folder: remove the link",
                    ));
                }
                Ok(_) => {
                    return Err(refuse("cannot create the folder", &dir, "a file is in the way: remove it"));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    fs::create_dir(&dir).map_err(err("cannot create the folder", &dir))?;
                }
                Err(e) => return Err(err("cannot read", &dir)(e)),
            }
            self.checked_dirs.insert(dir.clone());
        }
        Ok(())
    }

    /// Compares and stages many small outputs, in parallel.
    pub fn put_many<'a>(&mut self, outputs: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<(), WriteError> {
        let outputs: Vec<(&str, &[u8])> = outputs.into_iter().collect();
        for (path, _) in &outputs {
            let target = self.out_dir.join(path);
            self.prepare_folder(&target)?;
        }
        let out_dir = &self.out_dir;
        let hook = &self.hook;
        let results: Vec<Result<Option<tempfile::TempPath>, WriteError>> = outputs
            .par_iter()
            .map(|(path, bytes)| {
                let target = out_dir.join(path);
                if stage::same_bytes(&target, bytes)? {
                    return Ok(None);
                }
                let mut tmp = stage::temp_file(&target)?;
                hook(tmp.as_file_mut(), bytes).map_err(err("cannot write", tmp.path()))?;
                Ok(Some(tmp.into_temp_path()))
            })
            .collect();
        for ((path, _), result) in outputs.iter().zip(results) {
            self.wanted.insert(path.to_string());
            match result? {
                Some(tmp) => self.staged.push(Staged { tmp, target: self.out_dir.join(path), path: path.to_string() }),
                None => self.report.unchanged += 1,
            }
        }
        Ok(())
    }

    /// Compares and stages one large output that `render` writes, rendered
    /// once: compared with the file there while it is the same, written to
    /// a temporary file from the first byte that differs
    /// ([`stage::Stream`]). Nothing of it is held in memory.
    pub fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.wanted.insert(path.to_string());
        let target = self.out_dir.join(path);
        self.prepare_folder(&target)?;
        // Serialisers write many small pieces: compare and write in large blocks.
        let mut w = io::BufWriter::with_capacity(1 << 16, stage::Stream::new(&target, &self.hook)?);
        let rendered = render(&mut w).and_then(|()| w.flush());
        // Flushed, or failed: what is left in the buffer is not wanted.
        let (mut stream, _) = w.into_parts();
        rendered.map_err(|e| stream.error(e))?;
        match stream.finish()? {
            Some(tmp) => self.staged.push(Staged { tmp, target, path: path.to_string() }),
            None => self.report.unchanged += 1,
        }
        Ok(())
    }

    /// Replaces the outputs as one set (see the module documentation):
    /// checks every target, flushes everything staged, journals the renames
    /// and removals, renames deepest first and the files named in `last`
    /// (the calendars, feeds and page of the output folder and of the
    /// `owned` [`Owned::Files`] folders) last, in that order, then removes
    /// the `owned` files this run did not write.
    pub fn commit(mut self, owned: &[Owned<'_>], last: &[&str]) -> Result<Committed, WriteError> {
        if let Err(mut e) = self.commit_steps(owned, last, usize::MAX) {
            e.replaced = self.report.written.len() + self.report.removed.len();
            return Err(e);
        }
        self.report.outputs = self.wanted.len();
        Ok(Committed { report: std::mem::take(&mut self.report), _lock: self._lock })
    }

    /// A commit that stops after `renames` renames, as a kill would: its
    /// temporary files and journal stay for the next run. For tests.
    #[doc(hidden)]
    pub fn commit_interrupted(mut self, owned: &[Owned<'_>], last: &[&str], renames: usize) -> Result<(), WriteError> {
        self.commit_steps(owned, last, renames)?;
        // Like a kill: nothing cleans up (the lock goes with the process,
        // here with `self`).
        for staged in std::mem::take(&mut self.staged) {
            let _ = staged.tmp.keep();
        }
        Ok(())
    }

    fn commit_steps(&mut self, owned: &[Owned<'_>], last: &[&str], stop_after: usize) -> Result<(), WriteError> {
        // 1. Check every target before anything is replaced; flush.
        for staged in &self.staged {
            stage::regular_or_absent(&staged.target, "cannot replace", "talkfeed never writes through it or over it")?;
        }
        let folder = owned::Folder { out_dir: &self.out_dir, wanted: &self.wanted };
        let removals = folder.stale(owned)?;
        journal::sync(&self.out_dir, self.staged.iter().map(|s| s.tmp.as_ref()))?;
        // 2. The journal.
        let order = self.order(owned, last);
        let renames: Vec<(String, &str)> = order
            .iter()
            .map(|&i| {
                let s = &self.staged[i];
                (s.tmp.strip_prefix(&self.out_dir).unwrap_or(&s.tmp).to_string_lossy().into_owned(), s.path.as_str())
            })
            .collect();
        let journaled = journal::write(&self.out_dir, &renames, &removals)?;
        // 3. The renames, deepest first, the files readers start from last.
        if !self.rename(owned, last, &order, stop_after)? {
            return Ok(());
        }
        // 4. The removals, then the journal.
        for rel in &removals {
            let path = self.out_dir.join(rel);
            fs::remove_file(&path).map_err(err("cannot remove", &path))?;
            self.report.removed.push(rel.clone());
        }
        owned::remove_empty(&self.out_dir, owned);
        if journaled {
            journal::finish(&self.out_dir)?;
        }
        self.report.removed.sort();
        self.report.written.sort();
        Ok(())
    }

    /// Renames the staged files in `order`, stopping after `stop_after`
    /// (like a kill: then `false`).
    fn rename(
        &mut self,
        owned: &[Owned<'_>],
        last: &[&str],
        order: &[usize],
        stop_after: usize,
    ) -> Result<bool, WriteError> {
        let top = self.top_level(owned, last);
        // A rename over a file drops its last link, and some file systems
        // (ext4) free its blocks inside the call: 40 ms for a 165 MB feed.
        // A second link to each old top-level file keeps that out of the
        // window in which readers see some new files and some old; the
        // links go after the last rename (or with a killed run's leftovers).
        let aside = self.link_aside(order.iter().filter(|i| top.contains(i)).map(|&i| &self.staged[i].target));
        let mut staged: Vec<Option<Staged>> = std::mem::take(&mut self.staged).into_iter().map(Some).collect();
        let (deep, tops): (Vec<usize>, Vec<usize>) = order.iter().partition(|i| !top.contains(i));
        for (done, &i) in deep.iter().enumerate() {
            if done == stop_after {
                self.staged = staged.into_iter().flatten().collect();
                return Ok(false);
            }
            let s = staged[i].take().expect("each staged file is renamed once");
            persist(s.tmp, &s.target)?;
            self.report.written.push(s.path);
        }
        // The top-level files: taken out first and renamed in a loop that
        // neither allocates nor frees, so that no allocator work (mimalloc
        // returning pages to the system: tens of milliseconds at 100,000
        // talks) lands between the first and the last rename.
        let tops: Vec<Staged> =
            tops.iter().map(|&i| staged[i].take().expect("each staged file is renamed once")).collect();
        let left = stop_after.saturating_sub(deep.len()).min(tops.len());
        self.report.written.reserve(tops.len());
        let started = Instant::now();
        let mut renamed = 0;
        let mut failed = None;
        for s in &tops[..left] {
            if let Err(e) = fs::rename(&s.tmp, &s.target) {
                failed = Some(err("cannot replace", &s.target)(e));
                break;
            }
            renamed += 1;
        }
        if !tops.is_empty() {
            self.report.top_level_window = started.elapsed();
        }
        let mut tops = tops.into_iter();
        for s in tops.by_ref().take(renamed) {
            // Renamed: the temporary name is gone, nothing to remove.
            let _ = s.tmp.keep();
            self.report.written.push(s.path);
        }
        if let Some(e) = failed {
            return Err(e);
        }
        if deep.len() + renamed < order.len() {
            self.staged = staged.into_iter().flatten().chain(tops).collect();
            return Ok(false);
        }
        for path in aside {
            fs::remove_file(&path).map_err(err("cannot remove", &path))?;
        }
        Ok(order.len() != stop_after)
    }

    /// Gives each of `targets` that exists a second name beside it (a hard
    /// link starting with [`TEMP_PREFIX`]); returns those names. Where the
    /// file system has no hard links, nothing: the renames only take longer.
    fn link_aside<'a>(&self, targets: impl Iterator<Item = &'a PathBuf>) -> Vec<PathBuf> {
        let mut aside = Vec::new();
        for (n, target) in targets.enumerate() {
            if !fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_file()) {
                continue;
            }
            let name = format!("{}old-{}-{n}", stage::TEMP_PREFIX, std::process::id());
            let link = target.with_file_name(name);
            if fs::hard_link(target, &link).is_ok() {
                aside.push(link);
            }
        }
        aside
    }

    /// The staged outputs readers start from: the files named in `last`
    /// directly in the output folder or in an [`Owned::Files`] folder.
    fn top_level(&self, owned: &[Owned<'_>], last: &[&str]) -> HashSet<usize> {
        let folders: Vec<&str> = std::iter::once("")
            .chain(owned.iter().filter_map(|o| if let Owned::Files(d, _) = o { Some(*d) } else { None }))
            .collect();
        self.staged
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let (dir, name) = s.path.rsplit_once('/').unwrap_or(("", s.path.as_str()));
                last.contains(&name) && folders.contains(&dir)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The rename order: every other file first, deepest first, then the
    /// top-level files, those of language folders before the output
    /// folder's own, each folder's in the order of `last`.
    fn order(&self, owned: &[Owned<'_>], last: &[&str]) -> Vec<usize> {
        let top = self.top_level(owned, last);
        let mut order: Vec<usize> = (0..self.staged.len()).collect();
        order.sort_by_key(|&i| {
            let path = &self.staged[i].path;
            let depth = path.matches('/').count();
            let name = path.rsplit('/').next().unwrap_or(path);
            let rank = last.iter().position(|l| *l == name).unwrap_or(0);
            (top.contains(&i), std::cmp::Reverse(depth), rank, path.clone())
        });
        order
    }
}

/// Renames a staged file over its target.
fn persist(tmp: tempfile::TempPath, target: &Path) -> Result<(), WriteError> {
    tmp.persist(target).map_err(|e| err("cannot replace", target)(e.error))
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::stage::TEMP_PREFIX;

    fn no_wait() -> Start<'static> {
        Start { timeout: Duration::from_secs(60), ..Start::default() }
    }

    #[cfg(unix)]
    #[test]
    fn links_below_the_output_folder_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("keep.ics"), "mine").unwrap();
        // A folder talkfeed writes into is a link: refused, nothing written there.
        std::os::unix::fs::symlink(&elsewhere, out.join("talks")).unwrap();
        let e = write_all(&out, &[out_("talks/x.ics", "X")], &[Owned::Extension("talks", ".ics")]).unwrap_err();
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
        // A folder talkfeed only cleans is a link: refused, nothing removed there.
        let e = write_all(&out, &[out_("a.ics", "A")], &[Owned::Extension("talks", ".ics")]).unwrap_err();
        assert!(e.to_string().contains("never removes files through a link"), "{e}");
        assert!(elsewhere.join("keep.ics").exists());
        std::fs::remove_file(out.join("talks")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("tags")).unwrap();
        assert!(write_all(&out, &[out_("a.ics", "A")], &[Owned::Names("tags", &["keep.ics"])]).is_err());
        assert!(elsewhere.join("keep.ics").exists());
        std::fs::remove_file(out.join("tags")).unwrap();
        // A file talkfeed writes is a link: refused, the target untouched.
        std::os::unix::fs::symlink(elsewhere.join("keep.ics"), out.join("a.ics")).unwrap();
        let e = write_all(&out, &[out_("a.ics", "new")], &[]).unwrap_err();
        assert!(e.to_string().contains("it is a symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(elsewhere.join("keep.ics")).unwrap(), "mine");
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_is_beside_the_folder_and_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site/out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(OLD_LOCK_FILE), "").unwrap();
        write_all(&out, &[out_("a.ics", "A")], &[]).unwrap();
        assert!(dir.path().join("site/.talkfeed-out.lock").is_file());
        assert!(!out.join(OLD_LOCK_FILE).exists(), "nothing of the lock in what gets published");
        let names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(names, ["a.ics"]);
        // A dangling link where the lock goes: refused, nothing created at its target.
        std::fs::remove_file(dir.path().join("site/.talkfeed-out.lock")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("victim"), dir.path().join("site/.talkfeed-out.lock")).unwrap();
        assert!(write_all(&out, &[out_("a.ics", "B")], &[]).is_err());
        assert!(!dir.path().join("victim").exists());
    }

    #[test]
    fn a_waiting_run_says_for_whom_and_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let held = Transaction::begin(dir.path()).unwrap();
        let mut told = Vec::new();
        let started = Instant::now();
        let mut notify = |m: &str| told.push(m.to_string());
        let wait = Start { timeout: Duration::from_millis(300), notify: &mut notify, forget: &[] };
        let e = Transaction::begin_with(dir.path(), wait).err().unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert!(e.to_string().contains("another run has held it for"), "{e}");
        assert_eq!(told.len(), 1);
        assert!(told[0].contains(&format!("waiting for process {}", std::process::id())), "{told:?}");
        drop(held);
        assert!(Transaction::begin_with(dir.path(), no_wait()).is_ok());
    }

    /// A commit stopped after any number of renames (a kill): a reader never
    /// sees a top-level file that links to a file not there yet, and the
    /// next run completes the set from the journal before anything else.
    #[test]
    fn an_interrupted_commit_is_consistent_and_rolled_forward() {
        let top: &[&str] = &["talks.ics", "index.html"];
        let owned = [Owned::Extension("talks", ".ics")];
        let outputs = |v: &str| {
            let mut o: Vec<(String, Vec<u8>)> = (0..5).map(|i| out_(&format!("talks/t{i}.ics"), v)).collect();
            o.push(out_("talks.ics", v));
            o.push(out_("index.html", v));
            o
        };
        for stop in 0..=7 {
            let dir = tempfile::tempdir().unwrap();
            write_all(dir.path(), &outputs("old"), &owned).unwrap();
            std::fs::write(dir.path().join("talks/gone.ics"), "old").unwrap();
            let mut tx = Transaction::begin(dir.path()).unwrap();
            tx.put_many(outputs("new").iter().map(|(p, b)| (p.as_str(), b.as_slice()))).unwrap();
            tx.commit_interrupted(&owned, top, stop).unwrap();
            let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
            let talks_new = (0..5).all(|i| read(&format!("talks/t{i}.ics")) == "new");
            if read("talks.ics") == "new" || read("index.html") == "new" {
                assert!(talks_new, "stop {stop}: a top-level file is new before the files it links to");
            }
            assert!(
                !(read("index.html") == "new" && read("talks.ics") == "old"),
                "stop {stop}: the page before the calendar"
            );
            assert!(dir.path().join(JOURNAL_FILE).exists());
            // The next run completes the set first, whatever it then writes.
            let tx = Transaction::begin(dir.path()).unwrap();
            assert_eq!(tx.report.rolled_forward, 7 - stop + 1, "stop {stop}");
            drop(tx);
            for o in outputs("new") {
                assert_eq!(read(&o.0), "new", "stop {stop}: {}", o.0);
            }
            assert!(!dir.path().join("talks/gone.ics").exists(), "stop {stop}: the removal was journaled too");
            assert!(!dir.path().join(JOURNAL_FILE).exists());
            let temporaries = walkdir::WalkDir::new(dir.path())
                .into_iter()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .count();
            assert_eq!(temporaries, 0, "stop {stop}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn old_top_level_files_keep_a_second_link_while_they_are_replaced() {
        use std::os::unix::fs::MetadataExt;
        let top: &[&str] = &["talks.ics", "index.html"];
        let owned = [Owned::Extension("talks", ".ics")];
        let outputs = |v: &str| vec![out_("talks/t.ics", v), out_("talks.ics", v), out_("index.html", v)];
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &outputs("old"), &owned).unwrap();
        let old_inode = std::fs::metadata(dir.path().join("talks.ics")).unwrap().ino();
        let mut tx = Transaction::begin(dir.path()).unwrap();
        tx.put_many(outputs("new").iter().map(|(p, b)| (p.as_str(), b.as_slice()))).unwrap();
        // Killed after the per-talk file, before the first top-level rename:
        // the old calendar has a second name, so replacing it frees nothing.
        tx.commit_interrupted(&owned, top, 1).unwrap();
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".talkfeed-old-"))
            .map(|e| e.metadata().unwrap().ino())
            .collect();
        assert!(aside.contains(&old_inode), "{aside:?}");
        assert_eq!(std::fs::metadata(dir.path().join("talks.ics")).unwrap().nlink(), 2);
        // The next run completes the commit and removes the second names.
        drop(Transaction::begin(dir.path()).unwrap());
        assert_eq!(std::fs::metadata(dir.path().join("talks.ics")).unwrap().nlink(), 1);
        assert_eq!(std::fs::read_to_string(dir.path().join("talks.ics")).unwrap(), "new");
        // A whole commit leaves none either.
        let report = write_all(dir.path(), &outputs("newer"), &owned).unwrap();
        assert_eq!(report.written.len(), 3);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(names.iter().all(|n| !n.to_string_lossy().starts_with(".talkfeed-")), "{names:?}");
    }

    #[test]
    fn the_lock_is_held_until_the_committed_run_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let mut tx = Transaction::begin(dir.path()).unwrap();
        tx.put_many([("a.ics", b"a".as_slice())]).unwrap();
        let committed = tx.commit(&[], &[]).unwrap();
        // What the run records now (its stamp) no other run can change.
        let wait = |t: u64| Start { timeout: Duration::from_millis(t), ..Start::default() };
        assert!(Transaction::begin_with(dir.path(), wait(0)).is_err());
        drop(committed);
        assert!(Transaction::begin_with(dir.path(), wait(0)).is_ok());
    }

    #[test]
    fn a_folder_where_a_file_belongs_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[out_("a.ics", "A"), out_("talks/x.ics", "X")], &[]).unwrap();
        std::fs::create_dir(dir.path().join("b.xml")).unwrap();
        let e = write_all(dir.path(), &[out_("a.ics", "A2"), out_("talks/x.ics", "X2"), out_("b.xml", "B")], &[])
            .unwrap_err();
        assert!(e.to_string().contains("b.xml"), "{e}");
        assert_eq!(std::fs::read_to_string(dir.path().join("a.ics")).unwrap(), "A");
        assert_eq!(std::fs::read_to_string(dir.path().join("talks/x.ics")).unwrap(), "X");
    }

    /// `out` was the name of this helper before links were tested.
    fn out_(path: &str, bytes: &str) -> (String, Vec<u8>) {
        (path.into(), bytes.as_bytes().to_vec())
    }

    fn out(path: &str, bytes: &str) -> (String, Vec<u8>) {
        (path.into(), bytes.as_bytes().to_vec())
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_owned_files() {
        let dir = tempfile::tempdir().unwrap();
        let first = [out("a.ics", "A"), out("talks/x.ics", "X"), out("talks/y.ics", "Y")];
        let r = write_all(dir.path(), &first, &[Owned::Extension("talks", ".ics")]).unwrap();
        assert_eq!(r.written, ["a.ics", "talks/x.ics", "talks/y.ics"]);
        std::fs::write(dir.path().join("talks/notes.txt"), "mine").unwrap();
        let mtime = std::fs::metadata(dir.path().join("a.ics")).unwrap().modified().unwrap();

        let second = [out("a.ics", "A"), out("talks/x.ics", "X2")];
        let r = write_all(dir.path(), &second, &[Owned::Extension("talks", ".ics")]).unwrap();
        assert_eq!(r.written, ["talks/x.ics"]);
        assert_eq!(r.unchanged, 1);
        assert_eq!(r.removed, ["talks/y.ics"]);
        assert_eq!(std::fs::read_to_string(dir.path().join("talks/x.ics")).unwrap(), "X2");
        assert_eq!(std::fs::metadata(dir.path().join("a.ics")).unwrap().modified().unwrap(), mtime);
        assert!(dir.path().join("talks/notes.txt").exists(), "only owned extensions are removed");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("talks"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".talkfeed-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_failed_write_replaces_nothing_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = [out("a.ics", "A"), out("b.xml", "B"), out("talks/c.ics", "C")];
        write_all(dir.path(), &first, &[Owned::Extension("talks", ".ics")]).unwrap();
        // The disk is full for anything written after the first file.
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let full = Box::new(move |file: &mut fs::File, bytes: &[u8]| {
            if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 1 {
                return Err(io::Error::from_raw_os_error(28));
            }
            file.write_all(bytes)
        });
        let mut tx = Transaction::begin_hooked(dir.path(), no_wait(), full).unwrap();
        tx.put_many([("a.ics", "A2".as_bytes())]).unwrap();
        let e = tx.put_stream("b.xml", &mut |w| w.write_all(b"B2")).unwrap_err();
        assert!(e.to_string().starts_with("cannot write"), "{e}");
        drop(tx);
        for (path, bytes) in [("a.ics", "A"), ("b.xml", "B"), ("talks/c.ics", "C")] {
            assert_eq!(std::fs::read_to_string(dir.path().join(path)).unwrap(), bytes, "{path} was replaced");
        }
        let leftovers = |d: &Path| {
            std::fs::read_dir(d)
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .count()
        };
        assert_eq!(leftovers(dir.path()) + leftovers(&dir.path().join("talks")), 0);
    }

    #[test]
    fn streamed_outputs_are_compared_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let mut tx = Transaction::begin(dir.path()).unwrap();
        tx.put_stream("big.xml", &mut |w| (0..1000).try_for_each(|i| writeln!(w, "line {i}"))).unwrap();
        assert_eq!(tx.commit(&[], &[]).unwrap().report.written, ["big.xml"]);
        let mtime = std::fs::metadata(dir.path().join("big.xml")).unwrap().modified().unwrap();
        let mut tx = Transaction::begin(dir.path()).unwrap();
        tx.put_stream("big.xml", &mut |w| (0..1000).try_for_each(|i| writeln!(w, "line {i}"))).unwrap();
        let r = tx.commit(&[], &[]).unwrap().report;
        assert_eq!((r.written.len(), r.unchanged), (0, 1));
        assert_eq!(std::fs::metadata(dir.path().join("big.xml")).unwrap().modified().unwrap(), mtime);
        // One more line, or one less: a change.
        for n in [1001, 999] {
            let mut tx = Transaction::begin(dir.path()).unwrap();
            tx.put_stream("big.xml", &mut |w| (0..n).try_for_each(|i| writeln!(w, "line {i}"))).unwrap();
            assert_eq!(tx.commit(&[], &[]).unwrap().report.written, ["big.xml"], "{n} lines");
        }
    }

    #[test]
    fn a_changed_stream_is_rendered_once_and_written_whole() {
        // Large enough that the comparison crosses many of its 64 KiB blocks.
        let old: Vec<u8> = (0..300_000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let changed_at = |at: usize, new: &[u8]| {
            let mut bytes = old[..at].to_vec();
            bytes.extend_from_slice(new);
            bytes
        };
        let cases = [
            ("the first byte", changed_at(0, b"X")),
            ("inside a block", changed_at(70_001, &old[70_002..])),
            ("at a block boundary", changed_at(1 << 16, b"changed\n")),
            ("one byte longer", changed_at(old.len(), b"!")),
            ("one byte shorter", old[..old.len() - 1].to_vec()),
            ("empty", Vec::new()),
        ];
        for (what, new) in cases {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("big.xml"), &old).unwrap();
            let mut tx = Transaction::begin(dir.path()).unwrap();
            let mut renders = 0;
            // Written in uneven pieces, as serialisers do.
            tx.put_stream("big.xml", &mut |w| {
                renders += 1;
                new.chunks(7919).try_for_each(|piece| w.write_all(piece))
            })
            .unwrap();
            assert_eq!(renders, 1, "{what}");
            assert_eq!(tx.commit(&[], &[]).unwrap().report.written, ["big.xml"], "{what}");
            assert!(std::fs::read(dir.path().join("big.xml")).unwrap() == new, "{what}: the new bytes, whole");
        }
    }

    #[test]
    fn a_disk_full_while_copying_the_equal_part_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let old = "same\n".repeat(50_000);
        std::fs::write(dir.path().join("big.xml"), &old).unwrap();
        let full = Box::new(|_: &mut fs::File, _: &[u8]| Err(io::Error::from_raw_os_error(28)));
        let mut tx = Transaction::begin_hooked(dir.path(), no_wait(), full).unwrap();
        let e = tx.put_stream("big.xml", &mut |w| write!(w, "{old}changed")).unwrap_err();
        assert!(e.to_string().starts_with("cannot write"), "{e}");
        drop(tx);
        assert_eq!(std::fs::read_to_string(dir.path().join("big.xml")).unwrap(), old);
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let leftovers = [
            ".talkfeed-abc123",
            "talks/.talkfeed-def456",
            "tags/rust/.talkfeed-1",
            "fr/talks/.talkfeed-2",
            "fr/tags/rust/.talkfeed-3",
        ];
        for l in leftovers {
            let path = dir.path().join(l);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "half").unwrap();
        }
        write_all(dir.path(), &[out("a.ics", "A")], &[Owned::Extension("talks", ".ics")]).unwrap();
        for l in leftovers {
            assert!(!dir.path().join(l).exists(), "{l}");
        }
    }

    #[test]
    fn concurrent_runs_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let d = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    let v = format!("run {}", i % 2);
                    write_all(&d, &[out("a.ics", &v), out("talks/b.ics", &v)], &[Owned::Extension("talks", ".ics")])
                        .unwrap()
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let a = std::fs::read_to_string(dir.path().join("a.ics")).unwrap();
        assert!(a == "run 0" || a == "run 1");
        let names: Vec<String> = std::fs::read_dir(dir.path().join("talks"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["b.ics"], "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[out("a.ics", "A")], &[]).unwrap();
        let mode = std::fs::metadata(dir.path().join("a.ics")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn a_file_where_a_folder_belongs_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("talks"), "not a folder").unwrap();
        let e = write_all(dir.path(), &[out("talks/x.ics", "X")], &[]).unwrap_err();
        assert!(e.to_string().contains("talks"), "{e}");
    }
}
