//! The `talkfeed` binary: parse the command line, run, exit.

use std::process::ExitCode;

use clap::Parser;

// The static Linux builds link musl, whose allocator made a build twice as
// slow as with glibc's (docs/design.md, "Releases"); mimalloc brings them
// close.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages, and zeroing them took a
    // third of a build's time; the process does not need them.
    #[cfg(all(target_env = "musl", target_os = "linux"))]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integer arguments.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = talkfeed::cli::Cli::parse();
    // Standard error is not locked for the whole run: `serve --watch`
    // rebuilds on a thread of its own, which reports there too.
    let code = talkfeed::commands::run(&cli, &mut std::io::stdout().lock(), &mut std::io::stderr());
    ExitCode::from(code)
}
