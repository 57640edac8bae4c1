//! Reading input files that may not be what their names say.
//!
//! A content folder can hold a named pipe (opening it for reading waits for
//! a writer, forever), a device (`/dev/zero` never ends), a socket, or a
//! sparse file of gigabytes. Every file talkfeed reads — pages, section
//! pages, author pages, the Hugo config, `talkfeed.toml`, and the outputs
//! it compares against — goes through [`read`]: it opens without blocking,
//! checks on the open file (no race with a rename) that it is a regular
//! file, refuses one larger than the limit before reading it, and reads at
//! most the limit plus one byte in case the file grows meanwhile.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// `dir/rel`, without a leading `./` when `dir` is the working directory,
/// so messages name `content/talk/x.md` rather than `./content/talk/x.md`.
pub fn join(dir: &Path, rel: &str) -> PathBuf {
    if dir == Path::new(".") { PathBuf::from(rel) } else { dir.join(rel) }
}

/// The largest file talkfeed reads by default: 8 MiB. The largest page of
/// the real sites talkfeed is tested with is 634 KB (pandoc HTML); Hugo
/// itself sets no limit, but a page of hundreds of megabytes is a mistake
/// or an attack, and would take gigabytes of memory to render.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 << 20;

/// What a path is, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A folder.
    Directory,
    /// A named pipe (FIFO).
    NamedPipe,
    /// A socket.
    Socket,
    /// A character device (`/dev/zero`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// Something else.
    Other,
}

impl FileKind {
    /// The kind of `t`, or `None` for a regular file.
    pub fn of(t: fs::FileType) -> Option<FileKind> {
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(FileKind::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some(FileKind::NamedPipe);
            }
            if t.is_socket() {
                return Some(FileKind::Socket);
            }
            if t.is_char_device() {
                return Some(FileKind::CharDevice);
            }
            if t.is_block_device() {
                return Some(FileKind::BlockDevice);
            }
        }
        Some(FileKind::Other)
    }

    /// With an article, for messages: "a named pipe".
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Directory => "a folder",
            FileKind::NamedPipe => "a named pipe (FIFO)",
            FileKind::Socket => "a socket",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Other => "not a regular file",
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It is not a regular file; nothing was read from it.
    NotRegular(FileKind),
    /// It is larger than the limit; nothing (or only the limit) was read.
    TooLarge {
        /// Its size as far as known (the limit + 1 when it grew while read).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The system refused (not found, no permission, …).
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "it is {}, not a regular file; not read", kind.describe()),
            ReadError::TooLarge { size, limit } => {
                write!(f, "it is {}, more than the limit of {}; not read", size_text(*size), size_text(*limit))
            }
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl ReadError {
    /// How to fix it, for a diagnostic's hint.
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::NotRegular(_) => "replace it with a regular file, or remove it",
            ReadError::TooLarge { .. } => {
                "shorten the file, or raise the limit with --max-file-size (max_file_size in talkfeed.toml)"
            }
            ReadError::Io(_) => "fix the file's permissions",
        }
    }

    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// `8 MiB`, `512 KiB`, `12 bytes`.
pub fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    match bytes {
        b if b >= GIB && b % GIB == 0 => format!("{} GiB", b / GIB),
        b if b >= GIB => format!("{:.1} GiB", b as f64 / GIB as f64),
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b if b >= KIB && b % KIB == 0 => format!("{} KiB", b / KIB),
        b if b >= KIB => format!("{:.1} KiB", b as f64 / KIB as f64),
        b => format!("{b} bytes"),
    }
}

/// Parses a size written `8M`, `8MiB`, `500K`, `1G` or a number of bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let digits_end = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (number, unit) = lower.split_at(digits_end);
    let invalid = || format!("'{text}' is not a size; write e.g. 8M, 500K or 1G");
    let n: u64 = number.parse().map_err(|_| invalid())?;
    let factor: u64 = match unit.trim() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(invalid()),
    };
    let size = n.checked_mul(factor).ok_or_else(invalid)?;
    if size == 0 {
        return Err(format!("'{text}' must be more than nothing"));
    }
    Ok(size)
}

/// Opens `path` for reading without waiting (a named pipe opens at once
/// instead of waiting for a writer).
fn open(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads `path` if it is a regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path).map_err(|e| {
        // A socket cannot be opened at all (ENXIO): say what it is.
        match fs::metadata(path).ok().and_then(|m| FileKind::of(m.file_type())) {
            Some(kind) => ReadError::NotRegular(kind),
            None => ReadError::Io(e),
        }
    })?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = FileKind::of(metadata.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { size: metadata.len(), limit });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text (invalid sequences replaced): for files whose
/// exact bytes do not matter in messages, such as config files.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read(path, limit)?;
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_and_read_as_people_do() {
        assert_eq!(parse_size("8M").unwrap(), 8 << 20);
        assert_eq!(parse_size("512KiB").unwrap(), 512 << 10);
        assert_eq!(parse_size("1g").unwrap(), 1 << 30);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert!(parse_size("0").is_err() && parse_size("big").is_err() && parse_size("-1M").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(size_text(8 << 20), "8 MiB");
        assert_eq!(size_text(1536), "1.5 KiB");
        assert_eq!(size_text(3 << 30), "3 GiB");
    }

    #[test]
    fn reads_a_regular_file_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read(&path, 5).unwrap(), b"12345");
        assert!(matches!(read(&path, 4), Err(ReadError::TooLarge { size: 5, limit: 4 })));
        assert!(read(&dir.path().join("missing"), 5).unwrap_err().is_not_found());
        assert!(matches!(read(dir.path(), 5), Err(ReadError::NotRegular(FileKind::Directory))));
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe.md");
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid C string and mode.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        // No writer: a blocking open would wait forever.
        assert!(matches!(read(&path, 100), Err(ReadError::NotRegular(FileKind::NamedPipe))));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_sparse_giants_are_refused_without_reading() {
        assert!(matches!(read(Path::new("/dev/zero"), 100), Err(ReadError::NotRegular(FileKind::CharDevice))));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sparse.md");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(3 << 30).unwrap();
        let e = read(&path, DEFAULT_MAX_FILE_SIZE).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size, .. } if size == 3 << 30));
        assert_eq!(e.to_string(), "it is 3 GiB, more than the limit of 8 MiB; not read");
    }
}
