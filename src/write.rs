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

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

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

fn err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError { what, path: path.to_path_buf(), source, replaced: 0 }
}

/// An error about `path` that is not the system's: a link, a pipe.
fn refuse(what: &'static str, path: &Path, why: impl Into<String>) -> WriteError {
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

/// The prefix of temporary files.
const TEMP_PREFIX: &str = ".talkfeed-";
/// The journal of a commit in progress, in the output folder.
pub const JOURNAL_FILE: &str = ".talkfeed-journal";
/// The lock file of earlier versions, in the output folder (removed).
const OLD_LOCK_FILE: &str = ".talkfeed.lock";

/// Files of the output folder that talkfeed owns: a run that does not
/// write one of them removes it (its talk, tag or section is gone). Files
/// it does not own are never touched, so `--out` can be a folder shared
/// with other files, such as Hugo's `static/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owned<'a> {
    /// Files with this extension in this folder: `Extension("talks", ".ics")`.
    Extension(&'a str, &'a str),
    /// Files with these names in every subfolder of this folder, and the
    /// subfolders (and the folder) once empty: `Names("tags", &["rss.xml"])`.
    Names(&'a str, &'a [&'a str]),
    /// Files with these names in this folder, and the folder once empty:
    /// `Files("fr", &["talks.ics"])`.
    Files(&'a str, &'a [&'a str]),
}

/// How a transaction waits for the lock.
pub struct LockWait<'a> {
    /// Give up after this long.
    pub timeout: Duration,
    /// Told once, when the lock is held by another run, who holds it.
    pub notify: &'a mut dyn FnMut(&str),
}

/// How long a run waits for another one by default: a build of 100,000
/// talks takes under a minute; ten is a stopped run, not a slow one.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(600);

/// Writes `outputs` under `out_dir` in one [`Transaction`], creating
/// folders as needed, and removes the [`Owned`] files it did not write.
pub fn write_all(out_dir: &Path, outputs: &[Output], owned: &[Owned<'_>]) -> Result<Report, WriteError> {
    let mut tx = Transaction::begin(out_dir)?;
    tx.put_many(outputs.iter().map(|o| (o.path.as_str(), o.bytes.as_slice())))?;
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

/// Where the lock of `out_dir` is: beside it, not in it (a static host
/// would publish it): `site/.talkfeed-out.lock` for `site/out`.
pub fn lock_path(out_dir: &Path) -> PathBuf {
    let name = out_dir.file_name().map_or_else(|| String::from("out"), |n| n.to_string_lossy().into_owned());
    let parent = out_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".talkfeed-{name}.lock"))
}

/// Where the stamp of the last successful build of `out_dir` is (see
/// [`crate::stamp`]): beside its lock, `site/.talkfeed-out.stamp`. A
/// transaction removes it before it changes anything in the folder.
pub fn stamp_path(out_dir: &Path) -> PathBuf {
    lock_path(out_dir).with_extension("stamp")
}

/// Opens a file for writing without following a symbolic link at its name.
fn open_no_follow(path: &Path, options: &mut fs::OpenOptions) -> io::Result<fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Takes the lock of `out_dir` (its canonical path), waiting for another
/// run as `wait` says.
fn take_lock(out_dir: &Path, wait: LockWait<'_>) -> Result<fs::File, WriteError> {
    let path = lock_path(out_dir);
    if fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(refuse(
            "cannot lock",
            &path,
            "it is not a regular file (a link?); talkfeed never follows a link there: remove it",
        ));
    }
    let mut lock = open_no_follow(&path, fs::OpenOptions::new().create(true).truncate(false).read(true).write(true))
        .map_err(err("cannot open the lock file", &path))?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) => {
                if !told {
                    let mut holder = String::new();
                    let _ = (&lock).read_to_string(&mut holder);
                    let holder = holder.trim();
                    let who = if holder.is_empty() { String::from("another talkfeed run") } else { holder.to_string() };
                    (wait.notify)(&format!(
                        "waiting for {who} to finish writing {} (the lock {}; at most {} s)",
                        out_dir.display(),
                        path.display(),
                        wait.timeout.as_secs()
                    ));
                    told = true;
                }
                if started.elapsed() >= wait.timeout {
                    return Err(refuse(
                        "cannot lock",
                        &path,
                        format!(
                            "another run has held it for {} s; if no talkfeed is running, the holder was stopped: remove the lock file",
                            wait.timeout.as_secs()
                        ),
                    ));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(fs::TryLockError::Error(e)) => return Err(err("cannot lock", &path)(e)),
        }
    }
    // Who holds it, for a run that has to wait.
    let _ = lock.set_len(0);
    let _ = writeln!(lock, "process {} (talkfeed {})", std::process::id(), env!("CARGO_PKG_VERSION"));
    Ok(lock)
}

impl Transaction {
    /// Starts a transaction on `out_dir`: creates it, takes the lock (waiting
    /// for a concurrent run to finish), completes an interrupted commit,
    /// removes a killed run's leftovers.
    pub fn begin(out_dir: &Path) -> Result<Transaction, WriteError> {
        Transaction::begin_waiting(out_dir, LockWait { timeout: DEFAULT_LOCK_TIMEOUT, notify: &mut |_| {} })
    }

    /// [`Transaction::begin`], waiting for the lock as `wait` says.
    pub fn begin_waiting(out_dir: &Path, wait: LockWait<'_>) -> Result<Transaction, WriteError> {
        Transaction::begin_with(out_dir, wait, Box::new(|file: &mut fs::File, bytes: &[u8]| file.write_all(bytes)))
    }

    /// [`Transaction::begin_waiting`] with the hook that writes temporary files.
    pub fn begin_with(out_dir: &Path, wait: LockWait<'_>, hook: Box<WriteHook>) -> Result<Transaction, WriteError> {
        fs::create_dir_all(out_dir).map_err(err("cannot create the output folder", out_dir))?;
        let lock = take_lock(out_dir, wait)?;
        // From here on the folder may change: the record of the last build
        // no longer describes it.
        let stamp = stamp_path(out_dir);
        match fs::remove_file(&stamp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err("cannot remove", &stamp)(e)),
            _ => {}
        }
        let report = Report { rolled_forward: roll_forward(out_dir)?, ..Report::default() };
        remove_leftovers(out_dir)?;
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
                if same_bytes(&target, bytes)? {
                    return Ok(None);
                }
                let mut tmp = temp_file(&target)?;
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

    /// Compares and stages one large output that `render` writes: rendered
    /// once against the file there (nothing is written if it is the same),
    /// and once more into a temporary file if it differs. Nothing of it is
    /// held in memory.
    pub fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.wanted.insert(path.to_string());
        let target = self.out_dir.join(path);
        self.prepare_folder(&target)?;
        if let Some(existing) = open_existing(&target)? {
            let compare =
                Compare { existing: io::BufReader::with_capacity(1 << 16, existing), same: true, buf: Vec::new() };
            // Serialisers write many small pieces: compare in large blocks.
            let mut buffered = io::BufWriter::with_capacity(1 << 16, compare);
            render(&mut buffered).map_err(err("cannot read", &target))?;
            let compare = buffered.into_inner().map_err(|e| err("cannot read", &target)(e.into_error()))?;
            if compare.finish() {
                self.report.unchanged += 1;
                return Ok(());
            }
        }
        let mut tmp = temp_file(&target)?;
        {
            let mut w = io::BufWriter::with_capacity(1 << 16, Hooked { file: tmp.as_file_mut(), hook: &self.hook });
            render(&mut w).map_err(err("cannot write", &target))?;
            w.flush().map_err(err("cannot write", &target))?;
        }
        self.staged.push(Staged { tmp: tmp.into_temp_path(), target, path: path.to_string() });
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
        // 1. Check every target before anything is replaced.
        for staged in &self.staged {
            match fs::symlink_metadata(&staged.target) {
                Ok(m) if m.file_type().is_file() => {}
                Ok(m) => {
                    let what = match crate::files::FileKind::of(m.file_type()) {
                        _ if m.file_type().is_symlink() => "a symbolic link",
                        Some(kind) => kind.describe(),
                        None => "not a regular file",
                    };
                    return Err(refuse(
                        "cannot replace",
                        &staged.target,
                        format!("it is {what}, where talkfeed writes a file: remove it"),
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(err("cannot read", &staged.target)(e)),
            }
        }
        let removals = self.stale(owned)?;
        sync(&self.out_dir, self.staged.iter().map(|s| s.tmp.as_ref()))?;

        // 2. The journal.
        let order = self.order(owned, last);
        let journal_path = self.out_dir.join(JOURNAL_FILE);
        let mut journal = String::new();
        for &i in &order {
            let s = &self.staged[i];
            let tmp = s.tmp.strip_prefix(&self.out_dir).unwrap_or(&s.tmp).to_string_lossy().into_owned();
            journal.push_str(&format!("rename\t{tmp}\t{}\n", s.path));
        }
        for rel in &removals {
            journal.push_str(&format!("remove\t{rel}\n"));
        }
        let need_journal = !journal.is_empty();
        if need_journal {
            let mut f = open_no_follow(&journal_path, fs::OpenOptions::new().create(true).truncate(true).write(true))
                .map_err(err("cannot write the journal", &journal_path))?;
            f.write_all(journal.as_bytes()).map_err(err("cannot write the journal", &journal_path))?;
            f.sync_all().map_err(err("cannot write the journal", &journal_path))?;
            sync_dir(&self.out_dir)?;
        }

        // 3. The renames, deepest first, the files readers start from last.
        let top = self.top_level(owned, last);
        // A rename over a file drops its last link, and some file systems
        // (ext4) free its blocks inside the call: 40 ms for a 165 MB feed.
        // A second link to each old top-level file keeps that out of the
        // window in which readers see some new files and some old; the
        // links go after the last rename (or with a killed run's leftovers).
        let aside = self.link_aside(order.iter().filter(|i| top.contains(i)).map(|&i| &self.staged[i].target));
        let mut first_top: Option<Instant> = None;
        let mut staged: Vec<Option<Staged>> = std::mem::take(&mut self.staged).into_iter().map(Some).collect();
        for (done, &i) in order.iter().enumerate() {
            if done == stop_after {
                self.staged = staged.into_iter().flatten().collect();
                return Ok(());
            }
            let s = staged[i].take().expect("each staged file is renamed once");
            if top.contains(&i) {
                first_top.get_or_insert_with(Instant::now);
            }
            let target = s.target.clone();
            s.tmp.persist(&target).map_err(|e| err("cannot replace", &target)(e.error))?;
            self.report.written.push(s.path);
        }
        if let Some(t) = first_top {
            self.report.top_level_window = t.elapsed();
        }
        for path in aside {
            fs::remove_file(&path).map_err(err("cannot remove", &path))?;
        }
        if order.len() == stop_after {
            return Ok(());
        }

        // 4. The removals, then the journal.
        for rel in &removals {
            let path = self.out_dir.join(rel);
            fs::remove_file(&path).map_err(err("cannot remove", &path))?;
            self.report.removed.push(rel.clone());
        }
        remove_empty_owned_dirs(&self.out_dir, owned);
        if need_journal {
            sync_dir(&self.out_dir)?;
            fs::remove_file(&journal_path).map_err(err("cannot remove", &journal_path))?;
        }
        self.report.removed.sort();
        self.report.written.sort();
        Ok(())
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
            let name = format!("{TEMP_PREFIX}old-{}-{n}", std::process::id());
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

    /// The `owned` files this run did not write, by path under the output
    /// folder, sorted. A link where an owned folder is is an error: its
    /// files are not talkfeed's to remove.
    fn stale(&self, owned: &[Owned<'_>]) -> Result<Vec<String>, WriteError> {
        let mut stale = Vec::new();
        for owned in owned {
            match *owned {
                Owned::Extension(dir, extension) => {
                    self.stale_in(dir, &|name| name.ends_with(extension), &mut stale)?
                }
                Owned::Files(dir, names) => self.stale_in(dir, &|name| names.contains(&name), &mut stale)?,
                Owned::Names(dir, names) => {
                    for sub in self.subfolders(dir)? {
                        self.stale_in(&format!("{dir}/{sub}"), &|name| names.contains(&name), &mut stale)?;
                    }
                }
            }
        }
        stale.sort();
        stale.dedup();
        Ok(stale)
    }

    /// The real folders in `dir` (none if it is absent).
    fn subfolders(&self, dir: &str) -> Result<Vec<String>, WriteError> {
        let Some(entries) = self.read_owned_dir(dir)? else { return Ok(Vec::new()) };
        let mut subs: Vec<String> =
            entries.into_iter().filter(|(_, t)| t.is_dir() || t.is_symlink()).map(|(n, _)| n).collect();
        subs.sort();
        Ok(subs)
    }

    fn stale_in(&self, dir: &str, owned: &dyn Fn(&str) -> bool, stale: &mut Vec<String>) -> Result<(), WriteError> {
        let Some(entries) = self.read_owned_dir(dir)? else { return Ok(()) };
        for (name, t) in entries {
            let rel = if dir.is_empty() { name.clone() } else { format!("{dir}/{name}") };
            if owned(&name) && !self.wanted.contains(&rel) {
                if !t.is_file() {
                    let path = self.out_dir.join(&rel);
                    return Err(refuse(
                        "cannot remove",
                        &path,
                        "it is not a regular file (a link?); talkfeed removes only its own files: remove it",
                    ));
                }
                stale.push(rel);
            }
        }
        Ok(())
    }

    /// The entries of an owned folder (`None` if it is absent), refusing a
    /// folder that is a link or whose path passes through one.
    fn read_owned_dir(&self, dir: &str) -> Result<Option<Vec<(String, fs::FileType)>>, WriteError> {
        let mut path = self.out_dir.clone();
        for part in dir.split('/').filter(|p| !p.is_empty()) {
            path.push(part);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refuse(
                        "cannot clean",
                        &path,
                        "it is a symbolic link; talkfeed never removes files through a link below the output folder: remove the link",
                    ));
                }
                Ok(_) => return Ok(None),
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(err("cannot read", &path)(e)),
            }
        }
        let entries = fs::read_dir(&path).map_err(err("cannot read", &path))?;
        Ok(Some(
            entries
                .filter_map(Result::ok)
                .filter_map(|e| Some((e.file_name().into_string().ok()?, e.file_type().ok()?)))
                .collect(),
        ))
    }
}

/// Removes the owned folders left empty (only succeeds when empty: other
/// files keep them), deepest first.
fn remove_empty_owned_dirs(out_dir: &Path, owned: &[Owned<'_>]) {
    for owned in owned {
        match *owned {
            Owned::Names(dir, _) => {
                if let Ok(entries) = fs::read_dir(out_dir.join(dir)) {
                    for e in entries.filter_map(Result::ok) {
                        if e.file_type().is_ok_and(|t| t.is_dir()) {
                            let _ = fs::remove_dir(e.path());
                        }
                    }
                }
                let _ = fs::remove_dir(out_dir.join(dir));
            }
            Owned::Extension(dir, _) => {
                let _ = fs::remove_dir(out_dir.join(dir));
            }
            Owned::Files(..) => {}
        }
    }
    // A language folder goes once its own folders have.
    for owned in owned {
        if let Owned::Files(dir, _) = *owned
            && !dir.is_empty()
        {
            let _ = fs::remove_dir(out_dir.join(dir));
        }
    }
}

/// Flushes `files` to disk: on Linux with one `syncfs` of the output
/// folder's file system (one call, whatever the number of files), else one
/// `fsync` per file, in parallel.
fn sync<'a>(out_dir: &Path, files: impl Iterator<Item = &'a Path>) -> Result<(), WriteError> {
    #[cfg(target_os = "linux")]
    {
        let _ = files;
        let dir = fs::File::open(out_dir).map_err(err("cannot open", out_dir))?;
        use std::os::fd::AsRawFd;
        // SAFETY: syncfs takes a valid open descriptor, which `dir` is.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(err("cannot flush to disk", out_dir)(io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = out_dir;
        let files: Vec<&Path> = files.collect();
        files
            .par_iter()
            .try_for_each(|f| fs::File::open(f).and_then(|f| f.sync_all()).map_err(err("cannot flush to disk", f)))
    }
}

/// Flushes a folder's entries (a rename or a new file in it) to disk.
fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    #[cfg(unix)]
    {
        fs::File::open(dir).and_then(|d| d.sync_all()).map_err(err("cannot flush to disk", dir))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Completes the commit an interrupted run journaled: its renames (of
/// files it had flushed) and removals. Returns how many steps it took.
fn roll_forward(out_dir: &Path) -> Result<usize, WriteError> {
    let journal_path = out_dir.join(JOURNAL_FILE);
    let journal = match crate::files::read_text(&journal_path, 1 << 30) {
        Ok(j) => j,
        Err(e) if e.is_not_found() => return Ok(0),
        Err(e) => return Err(refuse("cannot read the journal", &journal_path, e.to_string())),
    };
    // Paths come from a file talkfeed wrote; still, nothing may leave the folder.
    let inside = |rel: &str| {
        !rel.is_empty() && !rel.starts_with('/') && rel.split('/').all(|p| !p.is_empty() && p != "." && p != "..")
    };
    let mut done = 0;
    for line in journal.lines() {
        let mut parts = line.split('\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("rename"), Some(tmp), Some(target)) if inside(tmp) && inside(target) => {
                let (tmp, target) = (out_dir.join(tmp), out_dir.join(target));
                if fs::symlink_metadata(&tmp).is_ok_and(|m| m.file_type().is_file())
                    && !fs::symlink_metadata(&target).is_ok_and(|m| !m.file_type().is_file())
                {
                    fs::rename(&tmp, &target).map_err(err("cannot replace", &target))?;
                    done += 1;
                }
            }
            (Some("remove"), Some(rel), None) if inside(rel) => {
                let path = out_dir.join(rel);
                if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file()) {
                    fs::remove_file(&path).map_err(err("cannot remove", &path))?;
                    done += 1;
                }
            }
            _ => {}
        }
    }
    sync_dir(out_dir)?;
    fs::remove_file(&journal_path).map_err(err("cannot remove", &journal_path))?;
    Ok(done)
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Its path under the output folder, `/`-separated (`talks.ics`, `talks/x.ics`).
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Where outputs go: bytes by path under the output folder. The emitters
/// write only through a sink: the build's [`Transaction`], or [`Memory`]
/// for tests and fuzzing.
pub trait Sink {
    /// Why an output could not be taken.
    type Error;
    /// Takes many small outputs: `(path under the output folder, bytes)`.
    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), Self::Error>;
    /// Takes one large output that `render` writes (possibly more than once).
    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error>;
}

/// A sink that keeps every output in memory.
#[derive(Debug, Default)]
pub struct Memory(pub Vec<Output>);

impl Sink for Memory {
    type Error = std::convert::Infallible;

    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), Self::Error> {
        self.0.extend(outputs.into_iter().map(|(path, bytes)| Output { path, bytes }));
        Ok(())
    }

    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error> {
        let mut bytes = Vec::new();
        render(&mut bytes).expect("writing to memory cannot fail");
        self.0.push(Output { path: path.to_string(), bytes });
        Ok(())
    }
}

impl Sink for Transaction {
    type Error = WriteError;

    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), WriteError> {
        Transaction::put_many(self, outputs.iter().map(|(p, b)| (p.as_str(), b.as_slice())))
    }

    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        Transaction::put_stream(self, path, render)
    }
}

/// The file already at `target`, if there is one: only a regular file is
/// opened (without following a link, without waiting on a pipe).
fn open_existing(target: &Path) -> Result<Option<fs::File>, WriteError> {
    match fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_file() => {}
        Ok(m) => {
            let what = if m.file_type().is_symlink() {
                "a symbolic link"
            } else {
                crate::files::FileKind::of(m.file_type()).map_or("not a regular file", |k| k.describe())
            };
            return Err(refuse(
                "cannot replace",
                target,
                format!("it is {what}, where talkfeed writes a file; talkfeed never follows or reads it: remove it"),
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err("cannot read", target)(e)),
    }
    let file = open_no_follow(target, fs::OpenOptions::new().read(true)).map_err(err("cannot read", target))?;
    Ok(Some(file))
}

/// Returns true if and only if `target` exists with exactly `bytes`.
fn same_bytes(target: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    let Some(mut file) = open_existing(target)? else { return Ok(false) };
    let len = file.metadata().map_err(err("cannot read", target))?.len();
    if len != bytes.len() as u64 {
        return Ok(false);
    }
    let mut existing = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut existing).map_err(err("cannot read", target))?;
    Ok(existing == bytes)
}

/// A temporary file next to `target`, readable as `target` is (or as a new
/// file should be): a temporary file is private (0600), which a web server
/// could not read.
fn temp_file(target: &Path) -> Result<tempfile::NamedTempFile, WriteError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(parent)
        .map_err(err("cannot create a temporary file in", parent))?;
    set_readable(tmp.path(), target).map_err(err("cannot set permissions of", tmp.path()))?;
    Ok(tmp)
}

/// Compares what is written with an existing file.
struct Compare {
    existing: io::BufReader<fs::File>,
    same: bool,
    buf: Vec<u8>,
}

impl Compare {
    /// True if everything written equals the whole file.
    fn finish(mut self) -> bool {
        self.same && matches!(self.existing.read(&mut [0u8; 1]), Ok(0))
    }
}

impl Write for Compare {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.same {
            self.buf.resize(data.len(), 0);
            self.same = self.existing.read_exact(&mut self.buf).is_ok() && self.buf == data;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes through the transaction's hook.
struct Hooked<'a> {
    file: &'a mut fs::File,
    hook: &'a WriteHook,
}

impl Write for Hooked<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        (self.hook)(self.file, data)?;
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Removes the temporary files of runs that were killed before renaming
/// them, anywhere talkfeed writes under the output folder (`talks/`,
/// `tags/NAME/`, `fr/talks/`, `fr/tags/NAME/`, …). Only called with the lock
/// held, so no other run's files are touched. Symbolic links are not
/// followed: nothing outside the output folder is removed.
fn remove_leftovers(out_dir: &Path) -> Result<(), WriteError> {
    let walk = walkdir::WalkDir::new(out_dir).max_depth(4).follow_links(false);
    for entry in walk.into_iter().filter_map(Result::ok) {
        let is_leftover = entry.file_name().to_str().is_some_and(|n| n.starts_with(TEMP_PREFIX));
        if is_leftover && entry.file_type().is_file() {
            fs::remove_file(entry.path()).map_err(err("cannot remove", entry.path()))?;
        }
    }
    Ok(())
}

/// New files get the permissions of the file they replace, else rw-r--r--:
/// a temporary file is private (0600), which a web server could not read.
#[cfg(unix)]
fn set_readable(tmp: &Path, target: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_file() => m.permissions(),
        _ => fs::Permissions::from_mode(0o644),
    };
    fs::set_permissions(tmp, permissions)
}

#[cfg(not(unix))]
fn set_readable(_: &Path, _: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_wait() -> LockWait<'static> {
        LockWait { timeout: Duration::from_secs(60), notify: Box::leak(Box::new(|_: &str| {})) }
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
        let wait = LockWait { timeout: Duration::from_millis(300), notify: &mut notify };
        let e = Transaction::begin_waiting(dir.path(), wait).err().unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert!(e.to_string().contains("another run has held it for"), "{e}");
        assert_eq!(told.len(), 1);
        assert!(told[0].contains(&format!("waiting for process {}", std::process::id())), "{told:?}");
        drop(held);
        assert!(Transaction::begin_waiting(dir.path(), no_wait()).is_ok());
    }

    /// A commit stopped after any number of renames (a kill): a reader never
    /// sees a top-level file that links to a file not there yet, and the
    /// next run completes the set from the journal before anything else.
    #[test]
    fn an_interrupted_commit_is_consistent_and_rolled_forward() {
        let top: &[&str] = &["talks.ics", "index.html"];
        let owned = [Owned::Extension("talks", ".ics")];
        let outputs = |v: &str| {
            let mut o: Vec<Output> = (0..5).map(|i| out_(&format!("talks/t{i}.ics"), v)).collect();
            o.push(out_("talks.ics", v));
            o.push(out_("index.html", v));
            o
        };
        for stop in 0..=7 {
            let dir = tempfile::tempdir().unwrap();
            write_all(dir.path(), &outputs("old"), &owned).unwrap();
            std::fs::write(dir.path().join("talks/gone.ics"), "old").unwrap();
            let mut tx = Transaction::begin(dir.path()).unwrap();
            tx.put_many(outputs("new").iter().map(|o| (o.path.as_str(), o.bytes.as_slice()))).unwrap();
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
                assert_eq!(read(&o.path), "new", "stop {stop}: {}", o.path);
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
        tx.put_many(outputs("new").iter().map(|o| (o.path.as_str(), o.bytes.as_slice()))).unwrap();
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
        let wait = |t: u64| LockWait { timeout: Duration::from_millis(t), notify: Box::leak(Box::new(|_: &str| {})) };
        assert!(Transaction::begin_waiting(dir.path(), wait(0)).is_err());
        drop(committed);
        assert!(Transaction::begin_waiting(dir.path(), wait(0)).is_ok());
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
    fn out_(path: &str, bytes: &str) -> Output {
        Output { path: path.into(), bytes: bytes.as_bytes().to_vec() }
    }

    fn out(path: &str, bytes: &str) -> Output {
        Output { path: path.into(), bytes: bytes.as_bytes().to_vec() }
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
        let mut tx = Transaction::begin_with(dir.path(), no_wait(), full).unwrap();
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
