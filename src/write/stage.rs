//! Staging: an output is compared with the file already at its place, and
//! written to a temporary file beside it only when it differs; only the
//! commit ([`super::Transaction::commit`]) renames it into place. Nothing is
//! followed or opened that is not a regular file.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use super::{WriteError, WriteHook, err, refuse};

/// The prefix of temporary files (and of an old file's second name while it
/// is replaced): a killed run's are removed by the next one.
pub(super) const TEMP_PREFIX: &str = ".talkfeed-";

/// Opens a file without following a symbolic link at its name, and without
/// waiting on a named pipe.
pub(super) fn open_no_follow(path: &Path, options: &mut fs::OpenOptions) -> io::Result<fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What is at `path`, not following a link: a regular file (its metadata),
/// or nothing. Anything else (a link, a folder, a named pipe, a device) is
/// refused with an error that says what it is and that talkfeed `then`
/// (`"never writes through it"`): talkfeed neither follows nor replaces it.
pub(super) fn regular_or_absent(
    path: &Path,
    what: &'static str,
    then: &str,
) -> Result<Option<fs::Metadata>, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(Some(m)),
        Ok(m) => {
            let kind = if m.file_type().is_symlink() {
                "a symbolic link"
            } else if m.file_type().is_dir() {
                "a folder"
            } else {
                crate::files::FileKind::of(m.file_type()).map_or("not a regular file", |k| k.describe())
            };
            Err(refuse(
                what,
                path,
                format!("it is {kind}, where talkfeed expects a file of its own; {then}: remove it"),
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(err("cannot read", path)(e)),
    }
}

/// The file already at `target`, if there is one: only a regular file is
/// opened (without following a link, without waiting on a pipe).
pub(super) fn open_existing(target: &Path) -> Result<Option<fs::File>, WriteError> {
    if regular_or_absent(target, "cannot replace", "talkfeed never follows, reads or replaces it")?.is_none() {
        return Ok(None);
    }
    let file = open_no_follow(target, fs::OpenOptions::new().read(true)).map_err(err("cannot read", target))?;
    Ok(Some(file))
}

/// Returns true if and only if `target` exists with exactly `bytes`.
pub(super) fn same_bytes(target: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
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
pub(super) fn temp_file(target: &Path) -> Result<tempfile::NamedTempFile, WriteError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(parent)
        .map_err(err("cannot create a temporary file in", parent))?;
    set_readable(tmp.path(), target).map_err(err("cannot set permissions of", tmp.path()))?;
    Ok(tmp)
}

/// Compares what is written with an existing file.
pub(super) struct Compare {
    pub(super) existing: io::BufReader<fs::File>,
    pub(super) same: bool,
    pub(super) buf: Vec<u8>,
}

impl Compare {
    /// True if everything written equals the whole file.
    pub(super) fn finish(mut self) -> bool {
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
pub(super) struct Hooked<'a> {
    pub(super) file: &'a mut fs::File,
    pub(super) hook: &'a WriteHook,
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
pub(super) fn remove_leftovers(out_dir: &Path) -> Result<(), WriteError> {
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
