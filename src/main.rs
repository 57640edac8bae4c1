//! The `talkfeed` binary: parse the command line, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = talkfeed::cli::Cli::parse();
    // Standard error is not locked for the whole run: `serve --watch`
    // rebuilds on a thread of its own, which reports there too.
    let code = talkfeed::commands::run(&cli, &mut std::io::stdout().lock(), &mut std::io::stderr());
    ExitCode::from(code)
}
