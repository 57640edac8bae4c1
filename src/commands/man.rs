//! `talkfeed man`: the manual page, in roff.

use std::io::{self, Write};

use clap::CommandFactory;

use super::EXIT_OK;
use crate::cli::Cli;

/// Writes the manual page to `out`.
pub(super) fn run(out: &mut dyn Write) -> io::Result<u8> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(EXIT_OK)
}
