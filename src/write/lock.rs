//! The lock of an output folder: beside it, not in it (a static host would
//! publish it), opened without following a link. Concurrent runs take
//! turns; one that waits says for which process, and gives up after a
//! timeout.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::stage::{open_no_follow, regular_or_absent};
use super::{WriteError, err, refuse};

/// How long a run waits for another one by default: a build of 100,000
/// talks takes under a minute; ten is a stopped run, not a slow one.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(600);

/// Where the lock of `out_dir` is: beside it, not in it (a static host
/// would publish it): `site/.talkfeed-out.lock` for `site/out`.
pub fn lock_path(out_dir: &Path) -> PathBuf {
    let name = out_dir.file_name().map_or_else(|| String::from("out"), |n| n.to_string_lossy().into_owned());
    let parent = out_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".talkfeed-{name}.lock"))
}

/// Takes the lock of `out_dir`, waiting for another run up to `timeout`
/// and telling `notify`, once, who holds it.
pub(super) fn take_lock(
    out_dir: &Path,
    timeout: Duration,
    notify: &mut dyn FnMut(&str),
) -> Result<fs::File, WriteError> {
    let path = lock_path(out_dir);
    regular_or_absent(&path, "cannot lock", "talkfeed never follows a link there: remove it")?;
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
                    notify(&format!(
                        "waiting for {who} to finish writing {} (the lock {}; at most {} s)",
                        out_dir.display(),
                        path.display(),
                        timeout.as_secs()
                    ));
                    told = true;
                }
                if started.elapsed() >= timeout {
                    return Err(refuse(
                        "cannot lock",
                        &path,
                        format!(
                            "another run has held it for {} s; if no talkfeed is running, the holder was stopped: remove the lock file",
                            timeout.as_secs()
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
