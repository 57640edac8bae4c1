//! Writing outputs: atomically, and only when their bytes change.
//!
//! Every output is compared with the file already there; only changed ones
//! are written, each to a temporary file in the target's folder (so the
//! rename cannot cross file systems), flushed to disk, then renamed over the
//! target. A reader sees the old file or the new one, never half of one, and
//! a scheduled run that changes nothing leaves every file and mtime alone.
//!
//! The set of outputs: every temporary file is written and flushed before the
//! first rename, so any failure while writing (full disk, permissions, a file
//! where a folder belongs) replaces nothing. The renames then follow each
//! other within microseconds; a kill in that window leaves some files new
//! and the others old, never a truncated one, and the next run completes the
//! new set, because it rewrites exactly the files whose bytes differ. Its
//! first step is to remove temporary files a killed run left behind.
//!
//! Concurrent runs (two cron jobs overlapping) take turns: a run holds an
//! exclusive lock on `.talkfeed.lock` in the output folder from before its
//! first comparison to after its last rename, so the second run compares
//! against the first run's finished files.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::emit::Output;

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Outputs written (new or changed), by path under the output folder.
    pub written: Vec<String>,
    /// Outputs whose file already had these bytes.
    pub unchanged: usize,
    /// Files removed because no output has their name any more.
    pub removed: Vec<String>,
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
}

fn err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError { what, path: path.to_path_buf(), source }
}

/// The name of the lock file in the output folder.
pub const LOCK_FILE: &str = ".talkfeed.lock";
/// The prefix of temporary files.
const TEMP_PREFIX: &str = ".talkfeed-";

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

/// Writes `outputs` under `out_dir` in one [`Transaction`], creating
/// folders as needed, and removes the [`Owned`] files it did not write.
pub fn write_all(out_dir: &Path, outputs: &[Output], owned: &[Owned<'_>]) -> Result<Report, WriteError> {
    let mut tx = Transaction::begin(out_dir)?;
    tx.put_many(outputs.iter().map(|o| (o.path.as_str(), o.bytes.as_slice())))?;
    tx.commit(owned)
}

/// The hook that puts bytes into a temporary file; tests replace it to
/// fail the way a full disk does.
pub type WriteHook = dyn Fn(&mut fs::File, &[u8]) -> io::Result<()> + Sync;

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
    staged: Vec<(tempfile::TempPath, PathBuf, String)>,
    wanted: BTreeSet<String>,
    report: Report,
}

impl Transaction {
    /// Starts a transaction on `out_dir`: creates it, takes the lock (waiting
    /// for a concurrent run to finish), removes a killed run's leftovers.
    pub fn begin(out_dir: &Path) -> Result<Transaction, WriteError> {
        Transaction::begin_with(out_dir, Box::new(|file: &mut fs::File, bytes: &[u8]| file.write_all(bytes)))
    }

    /// [`Transaction::begin`] with the hook that writes temporary files.
    pub fn begin_with(out_dir: &Path, hook: Box<WriteHook>) -> Result<Transaction, WriteError> {
        fs::create_dir_all(out_dir).map_err(err("cannot create the output folder", out_dir))?;
        let lock_path = out_dir.join(LOCK_FILE);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(err("cannot open the lock file", &lock_path))?;
        lock.lock().map_err(err("cannot lock", &lock_path))?;
        remove_leftovers(out_dir)?;
        Ok(Transaction {
            out_dir: out_dir.to_path_buf(),
            _lock: lock,
            hook,
            staged: Vec::new(),
            wanted: BTreeSet::new(),
            report: Report::default(),
        })
    }

    /// Compares and stages many small outputs, in parallel.
    pub fn put_many<'a>(&mut self, outputs: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<(), WriteError> {
        let outputs: Vec<(&str, &[u8])> = outputs.into_iter().collect();
        let folders: BTreeSet<PathBuf> =
            outputs.iter().filter_map(|(p, _)| self.out_dir.join(p).parent().map(Path::to_path_buf)).collect();
        for folder in &folders {
            fs::create_dir_all(folder).map_err(err("cannot create the folder", folder))?;
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
                Some(tmp) => self.staged.push((tmp, out_dir.join(path), path.to_string())),
                None => self.report.unchanged += 1,
            }
        }
        Ok(())
    }

    /// Compares and stages one large output that `render` writes: rendered
    /// once against the file there (nothing is written if it is the same),
    /// and once more into a temporary file if it differs. Nothing of it is
    /// held in memory. Large outputs are flushed to disk before the commit.
    pub fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.wanted.insert(path.to_string());
        let target = self.out_dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(err("cannot create the folder", parent))?;
        }
        if let Ok(existing) = fs::File::open(&target) {
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
        tmp.as_file().sync_all().map_err(err("cannot write", tmp.path()))?;
        self.staged.push((tmp.into_temp_path(), target, path.to_string()));
        Ok(())
    }

    /// Renames every staged file into place, then removes the `owned`
    /// files this run did not write.
    pub fn commit(mut self, owned: &[Owned<'_>]) -> Result<Report, WriteError> {
        for (tmp, target, path) in std::mem::take(&mut self.staged) {
            tmp.persist(&target).map_err(|e| WriteError {
                what: "cannot replace",
                path: target.clone(),
                source: e.error,
            })?;
            self.report.written.push(path);
        }
        for owned in owned {
            match *owned {
                Owned::Extension(dir, extension) => {
                    self.remove_stale(dir, &|name| name.ends_with(extension))?;
                    // Only succeeds when empty: other files keep it.
                    let _ = fs::remove_dir(self.out_dir.join(dir));
                }
                Owned::Names(dir, names) => {
                    let Ok(entries) = fs::read_dir(self.out_dir.join(dir)) else { continue };
                    let mut subfolders: Vec<String> = entries
                        .filter_map(Result::ok)
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                        .filter_map(|e| e.file_name().into_string().ok())
                        .collect();
                    subfolders.sort();
                    for sub in subfolders {
                        let sub = format!("{dir}/{sub}");
                        self.remove_stale(&sub, &|name| names.contains(&name))?;
                        // Only succeeds when empty: other files keep it.
                        let _ = fs::remove_dir(self.out_dir.join(&sub));
                    }
                    let _ = fs::remove_dir(self.out_dir.join(dir));
                }
                Owned::Files(dir, names) => self.remove_stale(dir, &|name| names.contains(&name))?,
            }
        }
        // A language folder left with nothing of talkfeed's goes too (only
        // succeeds when empty: other files keep it).
        for owned in owned {
            if let Owned::Files(dir, _) = *owned {
                let _ = fs::remove_dir(self.out_dir.join(dir));
            }
        }
        self.report.removed.sort();
        self.report.written.sort();
        Ok(std::mem::take(&mut self.report))
    }
}

impl Transaction {
    /// Removes the files of `dir` that `owned` accepts and this run did not write.
    fn remove_stale(&mut self, dir: &str, owned: &dyn Fn(&str) -> bool) -> Result<(), WriteError> {
        let Ok(entries) = fs::read_dir(self.out_dir.join(dir)) else { return Ok(()) };
        let mut stale: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let rel = format!("{dir}/{name}");
                (owned(&name) && !self.wanted.contains(&rel)).then_some((rel, e.path()))
            })
            .collect();
        stale.sort();
        for (rel, path) in stale {
            fs::remove_file(&path).map_err(err("cannot remove", &path))?;
            self.report.removed.push(rel);
        }
        Ok(())
    }
}

impl crate::emit::Sink for Transaction {
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

/// Returns true if and only if `target` exists with exactly `bytes`.
fn same_bytes(target: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    match fs::read(target) {
        Ok(existing) => Ok(existing == bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(err("cannot read", target)(e)),
    }
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
        use io::Read;
        self.same && matches!(self.existing.read(&mut [0u8; 1]), Ok(0))
    }
}

impl Write for Compare {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        use io::Read;
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
    let permissions = match fs::metadata(target) {
        Ok(m) => m.permissions(),
        Err(_) => fs::Permissions::from_mode(0o644),
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
        let mut tx = Transaction::begin_with(dir.path(), full).unwrap();
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
        assert_eq!(tx.commit(&[]).unwrap().written, ["big.xml"]);
        let mtime = std::fs::metadata(dir.path().join("big.xml")).unwrap().modified().unwrap();
        let mut tx = Transaction::begin(dir.path()).unwrap();
        tx.put_stream("big.xml", &mut |w| (0..1000).try_for_each(|i| writeln!(w, "line {i}"))).unwrap();
        let r = tx.commit(&[]).unwrap();
        assert_eq!((r.written.len(), r.unchanged), (0, 1));
        assert_eq!(std::fs::metadata(dir.path().join("big.xml")).unwrap().modified().unwrap(), mtime);
        // One more line, or one less: a change.
        for n in [1001, 999] {
            let mut tx = Transaction::begin(dir.path()).unwrap();
            tx.put_stream("big.xml", &mut |w| (0..n).try_for_each(|i| writeln!(w, "line {i}"))).unwrap();
            assert_eq!(tx.commit(&[]).unwrap().written, ["big.xml"], "{n} lines");
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
