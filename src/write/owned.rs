//! The files of the output folder that talkfeed owns (see [`Owned`]): a
//! run removes those it did not write, and never a file it does not own, or
//! one reached through a link.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use super::{WriteError, err, refuse};

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

/// The output folder as one run sees it: what it wrote.
pub(super) struct Folder<'a> {
    pub(super) out_dir: &'a Path,
    pub(super) wanted: &'a BTreeSet<String>,
}

impl Folder<'_> {
    /// The `owned` files this run did not write, by path under the output
    /// folder, sorted. A link where an owned folder is is an error: its
    /// files are not talkfeed's to remove.
    pub(super) fn stale(&self, owned: &[Owned<'_>]) -> Result<Vec<String>, WriteError> {
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
        let mut path = self.out_dir.to_path_buf();
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
pub(super) fn remove_empty(out_dir: &Path, owned: &[Owned<'_>]) {
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
