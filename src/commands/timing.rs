//! Where a run's time goes, phase by phase, for `-vv`: the profile that
//! docs/performance.md reports, measured the same way on any site, with
//! the peak memory at the end of each phase where the system tells it.

use std::io::{self, Write};
use std::time::{Duration, Instant};

/// The phases of one run, each with the time since the one before.
pub(super) struct Timing {
    started: Instant,
    last: Instant,
    phases: Vec<(&'static str, Duration, Option<u64>)>,
}

impl Timing {
    /// Starts timing at `started`.
    pub(super) fn new(started: Instant) -> Timing {
        Timing { started, last: started, phases: Vec::new() }
    }

    /// When the run started.
    pub(super) fn started(&self) -> Instant {
        self.started
    }

    /// Ends the phase `name` now.
    pub(super) fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last, peak_memory()));
        self.last = now;
    }

    /// One line, `talkfeed: time: read 0.41 s, views 0.12 s, …`.
    pub(super) fn write(&self, err: &mut dyn Write) -> io::Result<()> {
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|(name, d, peak)| match peak {
                Some(bytes) => format!("{name} {:.3} s (peak {} MB)", d.as_secs_f64(), bytes >> 20),
                None => format!("{name} {:.3} s", d.as_secs_f64()),
            })
            .collect();
        writeln!(err, "talkfeed: time: {}", phases.join(", "))
    }
}

/// The process's peak resident memory so far, in bytes.
#[cfg(unix)]
fn peak_memory() -> Option<u64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage fills the struct it is given and touches nothing else.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: getrusage succeeded, so the struct is filled.
    let kib = unsafe { usage.assume_init() }.ru_maxrss;
    // Linux and the BSDs count kibibytes, macOS bytes.
    let bytes = if cfg!(target_os = "macos") { kib as u64 } else { kib as u64 * 1024 };
    Some(bytes)
}

#[cfg(not(unix))]
fn peak_memory() -> Option<u64> {
    None
}
