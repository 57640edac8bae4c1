//! Staging: an output is compared with the file already at its place, and
//! written to a temporary file beside it only when it differs; only the
//! commit ([`super::Transaction::commit`]) renames it into place. Nothing is
//! followed or opened that is not a regular file.

use std::fs;
use std::io::{self, Read, Seek, Write};
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

/// Stages one streamed output in a single rendering: what is written is
/// compared with the file at `target` while it is the same, and from the
/// first byte that differs (or from the start, where there is no file)
/// goes into a temporary file, which gets the equal part copied from the
/// old file first. A changed feed is rendered once, not twice.
pub(super) struct Stream<'a> {
    target: &'a Path,
    hook: &'a WriteHook,
    /// The file there, while what was written equals its start.
    existing: Option<io::BufReader<fs::File>>,
    /// How many bytes equal the file's start.
    equal: u64,
    /// The temporary file, once the output differs.
    tmp: Option<tempfile::NamedTempFile>,
    buf: Vec<u8>,
    /// Why a write failed: the message names the file and what was done.
    failed: Option<WriteError>,
}

impl<'a> Stream<'a> {
    /// A stream for `target`, compared with the file there if there is one.
    pub(super) fn new(target: &'a Path, hook: &'a WriteHook) -> Result<Stream<'a>, WriteError> {
        let existing = open_existing(target)?.map(|f| io::BufReader::with_capacity(1 << 16, f));
        let tmp = if existing.is_none() { Some(temp_file(target)?) } else { None };
        Ok(Stream { target, hook, existing, equal: 0, tmp, buf: Vec::new(), failed: None })
    }

    /// The temporary file, `None` if the output equals the file there.
    pub(super) fn finish(mut self) -> Result<Option<tempfile::TempPath>, WriteError> {
        if let Some(existing) = &mut self.existing {
            match existing.read(&mut [0u8; 1]) {
                Ok(0) => return Ok(None),
                // The old file is longer: the output is its start only.
                Ok(_) => self.diverge().map_err(|e| self.error(e))?,
                Err(e) => return Err(err("cannot read", self.target)(e)),
            }
        }
        Ok(self.tmp.map(tempfile::NamedTempFile::into_temp_path))
    }

    /// The error a failed write left, or `e` about the target.
    pub(super) fn error(&mut self, e: io::Error) -> WriteError {
        self.failed.take().unwrap_or_else(|| err("cannot write", self.target)(e))
    }

    /// From here on, writes go to a temporary file that starts with the
    /// equal part of the old one.
    fn diverge(&mut self) -> io::Result<()> {
        let mut existing = self.existing.take().expect("diverging from an existing file").into_inner();
        let mut tmp = temp_file(self.target).map_err(|e| self.fail(e))?;
        existing.seek(io::SeekFrom::Start(0)).map_err(|e| self.fail(err("cannot read", self.target)(e)))?;
        let mut into = Hooked { file: tmp.as_file_mut(), hook: self.hook };
        io::copy(&mut existing.take(self.equal), &mut into)
            .map_err(|e| self.fail(err("cannot write", self.target)(e)))?;
        self.tmp = Some(tmp);
        Ok(())
    }

    /// Keeps `e` for [`Stream::error`] and gives the writer an error.
    fn fail(&mut self, e: WriteError) -> io::Error {
        let io = io::Error::new(e.source.kind(), e.source.to_string());
        self.failed = Some(e);
        io
    }
}

impl Write for Stream<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(existing) = &mut self.existing {
            self.buf.resize(data.len(), 0);
            match existing.read_exact(&mut self.buf) {
                Ok(()) if self.buf == data => {
                    self.equal += data.len() as u64;
                    return Ok(data.len());
                }
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {}
                Err(e) => return Err(self.fail(err("cannot read", self.target)(e))),
            }
            self.diverge()?;
        }
        let tmp = self.tmp.as_mut().expect("a stream that differs has a temporary file");
        (self.hook)(tmp.as_file_mut(), data).map_err(|e| self.fail(err("cannot write", self.target)(e)))?;
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
