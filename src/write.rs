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

/// Writes `outputs` under `out_dir`, creating folders as needed. In each
/// folder named in `owned` (relative to `out_dir`), files with the given
/// extension that are not among the outputs are removed: they belong to
/// talks that no longer exist.
pub fn write_all(out_dir: &Path, outputs: &[Output], owned: &[(&str, &str)]) -> Result<Report, WriteError> {
    write_all_with(out_dir, outputs, owned, &mut |file, bytes| file.write_all(bytes))
}

/// [`write_all`] with the function that puts bytes into a temporary file
/// passed in, so tests can make it fail the way a full disk does.
pub fn write_all_with(
    out_dir: &Path,
    outputs: &[Output],
    owned: &[(&str, &str)],
    write: &mut dyn FnMut(&mut fs::File, &[u8]) -> io::Result<()>,
) -> Result<Report, WriteError> {
    fs::create_dir_all(out_dir).map_err(err("cannot create the output folder", out_dir))?;
    let lock_path = out_dir.join(LOCK_FILE);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(err("cannot open the lock file", &lock_path))?;
    lock.lock().map_err(err("cannot lock", &lock_path))?;
    remove_leftovers(out_dir, outputs, owned)?;
    let mut report = Report::default();
    // Staged files are closed (kept by path) so that thousands of changed
    // outputs do not run out of file handles.
    let mut staged: Vec<(tempfile::TempPath, PathBuf, &str)> = Vec::new();
    for output in outputs {
        let target = out_dir.join(&output.path);
        let parent = target.parent().unwrap_or(out_dir);
        fs::create_dir_all(parent).map_err(err("cannot create the folder", parent))?;
        match fs::read(&target) {
            Ok(existing) if existing == output.bytes => {
                report.unchanged += 1;
                continue;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(err("cannot read", &target)(e)),
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(parent)
            .map_err(err("cannot create a temporary file in", parent))?;
        write(tmp.as_file_mut(), &output.bytes).map_err(err("cannot write", tmp.path()))?;
        tmp.as_file().sync_all().map_err(err("cannot write", tmp.path()))?;
        set_readable(tmp.path(), &target).map_err(err("cannot set permissions of", tmp.path()))?;
        staged.push((tmp.into_temp_path(), target, &output.path));
    }
    for (tmp, target, path) in staged {
        tmp.persist(&target).map_err(|e| WriteError {
            what: "cannot replace",
            path: target.clone(),
            source: e.error,
        })?;
        report.written.push(path.to_string());
    }
    let wanted: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    for (dir, extension) in owned {
        let folder = out_dir.join(dir);
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        let mut stale: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let rel = format!("{dir}/{name}");
                (name.ends_with(extension) && !wanted.contains(rel.as_str())).then_some((rel, e.path()))
            })
            .collect();
        stale.sort();
        for (rel, path) in stale {
            fs::remove_file(&path).map_err(err("cannot remove", &path))?;
            report.removed.push(rel);
        }
    }
    Ok(report)
}

/// Removes the temporary files of runs that were killed before renaming
/// them. Only called with the lock held, so no other run's files are touched.
fn remove_leftovers(out_dir: &Path, outputs: &[Output], owned: &[(&str, &str)]) -> Result<(), WriteError> {
    let mut folders: BTreeSet<PathBuf> = outputs
        .iter()
        .filter_map(|o| out_dir.join(&o.path).parent().map(Path::to_path_buf))
        .chain(owned.iter().map(|(dir, _)| out_dir.join(dir)))
        .collect();
    folders.insert(out_dir.to_path_buf());
    for folder in folders {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let is_leftover = entry.file_name().to_str().is_some_and(|n| n.starts_with(TEMP_PREFIX));
            if is_leftover && entry.file_type().is_ok_and(|t| t.is_file()) {
                fs::remove_file(entry.path()).map_err(err("cannot remove", &entry.path()))?;
            }
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
        let r = write_all(dir.path(), &first, &[("talks", ".ics")]).unwrap();
        assert_eq!(r.written, ["a.ics", "talks/x.ics", "talks/y.ics"]);
        std::fs::write(dir.path().join("talks/notes.txt"), "mine").unwrap();
        let mtime = std::fs::metadata(dir.path().join("a.ics")).unwrap().modified().unwrap();

        let second = [out("a.ics", "A"), out("talks/x.ics", "X2")];
        let r = write_all(dir.path(), &second, &[("talks", ".ics")]).unwrap();
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
        write_all(dir.path(), &first, &[("talks", ".ics")]).unwrap();
        let second = [out("a.ics", "A2"), out("b.xml", "B2"), out("talks/c.ics", "C2")];
        let mut calls = 0;
        // The second file finds the disk full.
        let e = write_all_with(dir.path(), &second, &[("talks", ".ics")], &mut |file, bytes| {
            calls += 1;
            if calls == 2 {
                return Err(io::Error::from_raw_os_error(28));
            }
            file.write_all(bytes)
        })
        .unwrap_err();
        assert!(e.to_string().starts_with("cannot write"), "{e}");
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
    fn leftovers_of_a_killed_run_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("talks")).unwrap();
        std::fs::write(dir.path().join(".talkfeed-abc123"), "half").unwrap();
        std::fs::write(dir.path().join("talks/.talkfeed-def456"), "half").unwrap();
        write_all(dir.path(), &[out("a.ics", "A")], &[("talks", ".ics")]).unwrap();
        assert!(!dir.path().join(".talkfeed-abc123").exists());
        assert!(!dir.path().join("talks/.talkfeed-def456").exists());
    }

    #[test]
    fn concurrent_runs_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let d = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    let v = format!("run {}", i % 2);
                    write_all(&d, &[out("a.ics", &v), out("talks/b.ics", &v)], &[("talks", ".ics")]).unwrap()
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
