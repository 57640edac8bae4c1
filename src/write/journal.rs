//! The journal of a commit: the renames and removals, in order, written and
//! flushed before the first of them. A run killed in the middle leaves it;
//! the next run, first thing under the lock, completes what it lists (the
//! files it renames were flushed before it was written).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::stage::open_no_follow;
use super::{WriteError, err, refuse};

/// The journal of a commit in progress, in the output folder.
pub const JOURNAL_FILE: &str = ".talkfeed-journal";

/// Writes and flushes the journal of `renames` (temporary file, target, by
/// path under `out_dir`) and `removals`; nothing when there is neither.
/// Returns whether there is a journal to remove once the commit is done.
pub(super) fn write(out_dir: &Path, renames: &[(String, &str)], removals: &[String]) -> Result<bool, WriteError> {
    let mut journal = String::new();
    for (tmp, target) in renames {
        journal.push_str(&format!("rename\t{tmp}\t{target}\n"));
    }
    for rel in removals {
        journal.push_str(&format!("remove\t{rel}\n"));
    }
    if journal.is_empty() {
        return Ok(false);
    }
    let path = out_dir.join(JOURNAL_FILE);
    let mut f = open_no_follow(&path, fs::OpenOptions::new().create(true).truncate(true).write(true))
        .map_err(err("cannot write the journal", &path))?;
    f.write_all(journal.as_bytes()).map_err(err("cannot write the journal", &path))?;
    f.sync_all().map_err(err("cannot write the journal", &path))?;
    sync_dir(out_dir)?;
    Ok(true)
}

/// Removes the journal of a commit done, its renames and removals flushed.
pub(super) fn finish(out_dir: &Path) -> Result<(), WriteError> {
    sync_dir(out_dir)?;
    let path = out_dir.join(JOURNAL_FILE);
    fs::remove_file(&path).map_err(err("cannot remove", &path))
}

/// Completes the commit an interrupted run journaled: its renames (of
/// files it had flushed) and removals. Returns how many steps it took.
pub(super) fn roll_forward(out_dir: &Path) -> Result<usize, WriteError> {
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

/// Flushes `files` to disk: on Linux with one `syncfs` of the output
/// folder's file system (one call, whatever the number of files), else one
/// `fsync` per file, in parallel.
pub(super) fn sync<'a>(out_dir: &Path, files: impl Iterator<Item = &'a Path>) -> Result<(), WriteError> {
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
        use rayon::prelude::*;
        let _ = out_dir;
        let files: Vec<&Path> = files.collect();
        files
            .par_iter()
            .try_for_each(|f| fs::File::open(f).and_then(|f| f.sync_all()).map_err(err("cannot flush to disk", f)))
    }
}

/// Flushes a folder's entries (a rename or a new file in it) to disk.
pub(super) fn sync_dir(dir: &Path) -> Result<(), WriteError> {
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
