//! The one walk of the content: what discovery and the up-to-date check
//! see of the content folders.

use std::path::{Path, PathBuf};

/// Names Hugo and talkfeed never read: hidden files, `#` and `~` backups.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// One step of a [`ContentWalk`].
pub enum Walked {
    /// A file or folder to look at (through a link that stays inside the
    /// content folder, too).
    Entry(walkdir::DirEntry),
    /// A symbolic link that leads out of the content folder: not followed.
    LeavesContent(walkdir::DirEntry),
    /// A link loop, a dangling link, an unreadable folder.
    Failed(walkdir::Error),
}

/// The content below a folder as talkfeed reads it, the same for discovery
/// and for the up-to-date check ([`crate::stamp`]): sorted by name;
/// hidden files, `#` and `~` backups skipped; symbolic links followed only
/// where they lead to a place inside the content folder (following one out
/// of it could read, and publish, any file of the machine, or walk the
/// whole disk), and a link loop reported once instead of followed forever.
pub struct ContentWalk {
    inner: walkdir::IntoIter,
    /// The content folder, its real path (`None` if it has none: then no
    /// link is followed).
    content: Option<PathBuf>,
}

impl ContentWalk {
    /// Walks `dir`, a folder inside the content folder `content`.
    pub fn new(dir: &Path, content: &Path) -> ContentWalk {
        let inner =
            walkdir::WalkDir::new(dir).follow_links(true).sort_by(|a, b| a.file_name().cmp(b.file_name())).into_iter();
        ContentWalk { inner, content: std::fs::canonicalize(content).ok() }
    }

    /// Does not descend into the folder just returned.
    pub fn skip_current_dir(&mut self) {
        self.inner.skip_current_dir();
    }
}

impl Iterator for ContentWalk {
    type Item = Walked;

    fn next(&mut self) -> Option<Walked> {
        loop {
            let entry = match self.inner.next()? {
                Ok(e) => e,
                Err(e) => return Some(Walked::Failed(e)),
            };
            if entry.path_is_symlink() {
                let inside = match (std::fs::canonicalize(entry.path()), &self.content) {
                    (Ok(target), Some(content)) => target.starts_with(content),
                    _ => false,
                };
                if !inside {
                    if entry.file_type().is_dir() {
                        self.inner.skip_current_dir();
                    }
                    return Some(Walked::LeavesContent(entry));
                }
            }
            if entry.depth() > 0 && is_ignored(&entry.file_name().to_string_lossy()) {
                if entry.file_type().is_dir() {
                    self.inner.skip_current_dir();
                }
                continue;
            }
            return Some(Walked::Entry(entry));
        }
    }
}
