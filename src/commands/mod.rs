//! The subcommands, one file each, writing to the streams they are given.
//! The binary's `main` only parses the command line, calls [`run`] and
//! exits with the status it returns. Every command but `completions` and
//! `man` first maps the command line into [`Settings`].

mod build;
mod check;
mod completions;
mod list;
mod man;
mod new;
mod serve;
mod timing;

use std::io::{self, IsTerminal, Write};

use crate::cli::{Cli, ColorChoice, Command, MessageFormat};
use crate::diag::{Diagnostics, Severity};
use crate::load;
use crate::model::Site;
use crate::settings::Settings;
use crate::stamp::{self, Stamp};

/// Exit status: every talk is fine.
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one error in the input.
pub const EXIT_INPUT_ERROR: u8 = 1;
/// Exit status: usage error.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: `--keep-going` wrote outputs without some talks.
pub const EXIT_PARTIAL: u8 = 3;

/// Runs `cli`, writing results to `out` and messages to `err`; returns the exit status.
pub fn run(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match run_inner(cli, out, err) {
        Ok(code) => code,
        // A closed pipe (`talkfeed list | head`) is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "talkfeed: error: {e}");
            EXIT_USAGE
        }
    }
}

fn run_inner(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let command = cli.command.clone().unwrap_or(Command::Build);
    match &command {
        Command::Completions { shell } => return completions::run(*shell, out),
        Command::Man => return man::run(out),
        _ => {}
    }
    let mut diags = Diagnostics::new();
    let settings = match Settings::from_flags(&(&cli.site).into(), &mut diags) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "talkfeed: error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    match command {
        Command::New { path } => new::run(&settings, &path, out, err),
        Command::Serve { port, watch } => {
            let code = run_once(cli, &Command::Build, settings.clone(), diags, out, err)?;
            // Without --watch nothing could fix the content while serving;
            // with it, the next save rebuilds, so keep serving what is there.
            if code != EXIT_OK && !watch {
                return Ok(code);
            }
            serve::run(cli, &settings, port, watch, err)
        }
        other => run_once(cli, &other, settings, diags, out, err),
    }
}

/// One run of build, check or list.
pub(crate) fn run_once(
    cli: &Cli,
    command: &Command,
    settings: Settings,
    mut diags: Diagnostics,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let started = std::time::Instant::now();
    let mut timing = timing::Timing::new(started);
    let building = !matches!(command, Command::Check | Command::List);
    // The inputs of a build, for the up-to-date check and the next one's.
    let fingerprint =
        if building && diags.errors() == 0 { stamp::fingerprint(&settings, &(&cli.site).into()) } else { None };
    timing.mark("fingerprint");
    if let Some(fingerprint) = fingerprint
        && !cli.site.force
        && let Some(stamp) = Stamp::read(&settings.out_dir)
        && stamp.is_fresh(&settings.out_dir, fingerprint, settings.emit.publish.now)
        && let Some(code) = build::up_to_date(stamp, diags.clone(), &settings, cli, started, out, err)?
    {
        return Ok(code);
    }
    let before_load = diags.len();
    let site = load_site(cli, &settings, &mut diags);
    timing.mark("read");
    let to_stamp = fingerprint.map(|fingerprint| build::ToStamp {
        fingerprint,
        diagnostics: diags.iter().skip(before_load).cloned().collect(),
    });
    diags.sort();
    let failed = diags.errors() > 0 || (settings.deny_warnings && diags.warnings() > 0);

    match command {
        Command::Check => {
            report(&diags, cli, diagnostics_stream(cli, command, out, err))?;
            if cli.messages.format != MessageFormat::Json && !cli.messages.quiet {
                if cli.messages.verbose > 0 {
                    check::zones(&site, err)?;
                }
                check::summary(&site, &settings, &diags, err)?;
            }
        }
        Command::List => {
            report(&diags, cli, err)?;
            list::run(&site, &settings, cli, out)?;
        }
        _ => {
            report(&diags, cli, diagnostics_stream(cli, command, out, err))?;
            if !failed {
                return build::run(site, &settings, cli, timing, to_stamp, err);
            }
            if cli.site.keep_going
                && let Some(partial) = build::without_failing_talks(&site, &settings, &diags)
            {
                let left_out: Vec<String> = partial.left_out.iter().map(|p| p.display().to_string()).collect();
                writeln!(
                    err,
                    "talkfeed: --keep-going: {} left out because of errors: {}",
                    plural(left_out.len(), "page"),
                    left_out.join(", ")
                )?;
                // A partial build leaves no stamp: the next run tries all again.
                let code = build::run(partial.site, &settings, cli, timing, None, err)?;
                return Ok(if code == EXIT_OK { EXIT_PARTIAL } else { code });
            }
            writeln!(
                err,
                "talkfeed: nothing written: {}; the files in {} are unchanged",
                problems(&diags, &settings),
                settings.out_dir.display()
            )?;
            return Ok(EXIT_INPUT_ERROR);
        }
    }
    Ok(if failed { EXIT_INPUT_ERROR } else { EXIT_OK })
}

/// Loads the site, with a progress bar when standard error is a terminal,
/// the run is not quiet and there are many pages.
fn load_site(cli: &Cli, settings: &Settings, diags: &mut Diagnostics) -> Site {
    let interactive = std::io::stderr().is_terminal() && !cli.messages.quiet;
    if !interactive {
        return load::load(&settings.inputs(), diags);
    }
    let bar = indicatif::ProgressBar::hidden();
    let site = load::load_with_progress(&settings.inputs(), diags, &|done, total| {
        // Short runs finish before a bar would help.
        if total >= 2000 && bar.is_hidden() {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template("reading talks {bar:40} {pos}/{len}")
                    .expect("a valid template"),
            );
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    site
}

fn problems(diags: &Diagnostics, settings: &Settings) -> String {
    if diags.errors() > 0 {
        plural(diags.errors(), "error")
    } else if settings.deny_warnings {
        format!("{} (--deny-warnings)", plural(diags.warnings(), "warning"))
    } else {
        String::from("errors")
    }
}

/// Prints the diagnostics: all of them, or only errors with `-q`.
pub(crate) fn report(diags: &Diagnostics, cli: &Cli, w: &mut dyn Write) -> io::Result<()> {
    let color = match cli.messages.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    for d in diags.iter().filter(|d| !cli.messages.quiet || d.severity == Severity::Error) {
        match cli.messages.format {
            MessageFormat::Human if color => writeln!(w, "{}", d.colored())?,
            MessageFormat::Human => writeln!(w, "{d}")?,
            MessageFormat::Json => writeln!(w, "{}", d.to_json_line())?,
            MessageFormat::Github => writeln!(w, "{}", d.to_github_annotation())?,
        }
    }
    Ok(())
}

/// Where `check` and `build` print the diagnostics: standard error for
/// people; standard output for a program (JSON for `check`, where it is
/// all the output; workflow commands always, which the Actions runner
/// reads there).
pub(crate) fn diagnostics_stream<'a>(
    cli: &Cli,
    command: &Command,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
) -> &'a mut dyn Write {
    match (cli.messages.format, command) {
        (MessageFormat::Github, Command::Check | Command::Build | Command::Serve { .. }) => out,
        (MessageFormat::Json, Command::Check) => out,
        _ => err,
    }
}

/// The languages of the talks read, in the site's order (default first).
pub(crate) fn languages_of(site: &Site, settings: &Settings) -> Vec<String> {
    let mut langs: Vec<String> = settings
        .emit
        .editions
        .iter()
        .map(|e| e.lang.clone())
        .filter(|l| site.talks.iter().any(|t| t.source.lang == *l))
        .collect();
    if langs.is_empty() {
        langs.extend(settings.emit.editions.first().map(|e| e.lang.clone()));
    }
    langs
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
