//! Writing outputs: atomically, and only when their bytes change.
//!
//! Every output is compared with the file already there; only changed ones
//! are written, each to a temporary file in the target's folder (so the
//! rename cannot cross file systems), flushed to disk, then renamed over the
//! target. A reader sees the old file or the new one, never half of one, and
//! a scheduled run that changes nothing leaves every file and mtime alone.
//! All temporary files are written before the first rename, so a failure
//! while writing replaces nothing.

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

/// Writes `outputs` under `out_dir`, creating folders as needed. In each
/// folder named in `owned` (relative to `out_dir`), files with the given
/// extension that are not among the outputs are removed: they belong to
/// talks that no longer exist.
pub fn write_all(out_dir: &Path, outputs: &[Output], owned: &[(&str, &str)]) -> Result<Report, WriteError> {
    let mut report = Report::default();
    let mut staged: Vec<(tempfile::NamedTempFile, PathBuf, &str)> = Vec::new();
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
            .prefix(".talkfeed-")
            .tempfile_in(parent)
            .map_err(err("cannot create a temporary file in", parent))?;
        tmp.write_all(&output.bytes).map_err(err("cannot write", tmp.path()))?;
        tmp.as_file().sync_all().map_err(err("cannot write", tmp.path()))?;
        set_readable(&tmp, &target).map_err(err("cannot set permissions of", tmp.path()))?;
        staged.push((tmp, target, &output.path));
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

/// New files get the permissions of the file they replace, else rw-r--r--:
/// a temporary file is private (0600), which a web server could not read.
#[cfg(unix)]
fn set_readable(tmp: &tempfile::NamedTempFile, target: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match fs::metadata(target) {
        Ok(m) => m.permissions(),
        Err(_) => fs::Permissions::from_mode(0o644),
    };
    fs::set_permissions(tmp.path(), permissions)
}

#[cfg(not(unix))]
fn set_readable(_: &tempfile::NamedTempFile, _: &Path) -> io::Result<()> {
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
