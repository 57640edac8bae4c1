//! The `talkfeed` binary: parse the command line, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = talkfeed::cli::Cli::parse();
    let code = talkfeed::commands::run(&cli, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    ExitCode::from(code)
}
