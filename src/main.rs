//! The `talkfeed` binary: parse the command line, run, exit.

use std::process::ExitCode;

use clap::Parser;

// One allocator everywhere (docs/design.md, "Releases"): musl's made the
// static Linux builds twice as slow as glibc ones, and mimalloc is faster
// than glibc's too (a full render 15% faster).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages, and zeroing them took a
    // third of a build's time; the process does not need them.
    #[cfg(target_os = "linux")]
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
