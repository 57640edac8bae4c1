//! `talkfeed completions SHELL`: the shell completion script.

use std::io::{self, Write};

use clap::CommandFactory;

use super::EXIT_OK;
use crate::cli::Cli;

/// Writes the completion script for `shell` to `out`.
pub(super) fn run(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<u8> {
    clap_complete::generate(shell, &mut Cli::command(), "talkfeed", out);
    Ok(EXIT_OK)
}
