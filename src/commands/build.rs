//! `talkfeed build` (the default command): renders every output and
//! replaces the output folder's files in one transaction (see
//! [`crate::write`]); with `--keep-going`, without the talks that fail.
//! When nothing changed since the last build ([`crate::stamp`]), it
//! reports that build's messages again and renders nothing.

use std::io::{self, Write};

use super::timing::Timing;
use super::{EXIT_INPUT_ERROR, EXIT_OK, EXIT_USAGE, plural};
use crate::cli::Cli;
use crate::diag::{Diagnostic, Diagnostics};
use crate::emit;
use crate::model::Site;
use crate::publish::{self, Visibility};
use crate::settings::Settings;
use crate::stamp::{Fingerprint, Record, Stamp};
use crate::view;
use crate::write;

/// What a full build needs to leave a stamp: the fingerprint of its inputs
/// and the diagnostics of reading the pages.
pub(super) struct ToStamp {
    pub(super) fingerprint: Fingerprint,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// The end of a build that found the outputs up to date: `stamp`'s
/// messages (with this run's own, `diags`, from the config) and the same
/// summary a build that rendered everything would print. `None` when the
/// messages fail the run (`--deny-warnings`): then a full build says so.
pub(super) fn up_to_date(
    stamp: Stamp,
    mut diags: Diagnostics,
    settings: &Settings,
    cli: &Cli,
    started: std::time::Instant,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Option<u8>> {
    let record = stamp.record;
    diags.extend(record.diagnostics.iter().cloned());
    diags.sort();
    if diags.errors() > 0 || (settings.deny_warnings && diags.warnings() > 0) {
        return Ok(None);
    }
    super::report(&diags, cli, super::diagnostics_stream(cli, &crate::cli::Command::Build, out, err))?;
    if cli.messages.verbose > 0 {
        writeln!(
            err,
            "talkfeed: nothing changed since the last build (the content, the config, the flags and the program are the same, and no talk started, ended or was published since): nothing rendered"
        )?;
    }
    if !cli.messages.quiet {
        summary(err, settings, (0, record.outputs, 0), &record, started)?;
    }
    Ok(Some(EXIT_OK))
}

/// The last line of a build: `(written, unchanged, removed)` files, then
/// the talks.
fn summary(
    err: &mut dyn Write,
    settings: &Settings,
    (written, unchanged, removed): (usize, usize, usize),
    record: &Record,
    started: std::time::Instant,
) -> io::Result<()> {
    let undated = if record.undated > 0 { format!(", {} without a start date", record.undated) } else { String::new() };
    let editions = &record.editions;
    let languages = if editions.len() > 1 {
        let list: Vec<String> = editions
            .iter()
            .map(|(lang, dir)| format!("{lang} in {}", if dir.is_empty() { "the folder itself" } else { dir }))
            .collect();
        format!(" for {} languages ({})", editions.len(), list.join(", "))
    } else {
        String::new()
    };
    writeln!(
        err,
        "talkfeed: {}: {} written, {unchanged} unchanged, {removed} removed{languages}; {}, {} in the {}{undated} ({:.2} s)",
        settings.out_dir.display(),
        plural(written, "file"),
        plural(record.talks, "talk"),
        record.in_calendar,
        if editions.len() > 1 { "calendars" } else { "calendar" },
        started.elapsed().as_secs_f64(),
    )
}

/// Renders and writes every output; with `to_stamp`, leaves a stamp for
/// the next run's up-to-date check.
pub(super) fn run(
    mut site: Site,
    settings: &Settings,
    cli: &Cli,
    mut timing: Timing,
    to_stamp: Option<ToStamp>,
    err: &mut dyn Write,
) -> io::Result<u8> {
    // The Markdown bodies go into the views, and no copy stays behind.
    let bodies = site.take_bodies();
    let site = &site;
    let views = match view::make_views(site, bodies, &settings.view_inputs()) {
        Ok(views) => views,
        Err(e) => {
            writeln!(err, "talkfeed: error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    timing.mark("views");
    let committed = match render_and_commit(site, views, settings, cli, &mut timing, err) {
        Ok(c) => c,
        Err(e) => {
            nothing_or_some_replaced(&e, settings, err)?;
            return Ok(EXIT_INPUT_ERROR);
        }
    };
    let report = &committed.report;
    tell_what_changed(report, settings, cli, err)?;
    let vis: Vec<Visibility> = site.talks.iter().map(|t| publish::visibility(t, &settings.emit.publish)).collect();
    let mut record = Record {
        diagnostics: Vec::new(),
        outputs: report.outputs,
        talks: site.talks.len(),
        in_calendar: vis.iter().filter(|v| v.in_calendar).count(),
        undated: vis.iter().filter(|v| v.undated).count(),
        editions: emit::editions(site, &settings.emit).iter().map(|e| (e.lang.clone(), e.dir.clone())).collect(),
    };
    let counts = (report.written.len(), report.unchanged, report.removed.len());
    if let Some(ToStamp { fingerprint, diagnostics }) = to_stamp {
        record.diagnostics = diagnostics;
        let boundaries = emit::clock_boundaries(site, &settings.emit);
        let now = settings.emit.publish.now;
        // Under the lock (`committed` holds it): the stamp describes this
        // run's files, never another run's. Without a stamp the next run
        // renders everything: no harm done.
        if let Err(e) = Stamp::new(&settings.out_dir, fingerprint, now, boundaries.as_deref(), record.clone())
            .and_then(|stamp| stamp.write(&settings.out_dir))
            && cli.messages.verbose > 0
        {
            writeln!(err, "talkfeed: could not leave a stamp for the next run ({e}); it will render everything")?;
        }
    }
    drop(committed);
    timing.mark("stamp");
    if cli.messages.verbose > 1 {
        timing.write(err)?;
    }
    if !cli.messages.quiet {
        summary(err, settings, counts, &record, timing.started())?;
    }
    Ok(EXIT_OK)
}

/// Emits every output into a transaction on the output folder and commits
/// it: the files talkfeed owns and no run wrote are removed.
fn render_and_commit(
    site: &Site,
    views: Vec<view::TalkView>,
    settings: &Settings,
    cli: &Cli,
    timing: &mut Timing,
    err: &mut dyn Write,
) -> Result<write::Committed, write::WriteError> {
    let folders = owned_folders(settings);
    let mut notify = |message: &str| {
        if !cli.messages.quiet {
            let _ = writeln!(err, "talkfeed: {message}");
        }
    };
    let timeout = settings.lock_timeout.unwrap_or(write::DEFAULT_LOCK_TIMEOUT);
    let forget = [crate::stamp::stamp_path(&settings.out_dir)];
    let start = write::Start { timeout, notify: &mut notify, forget: &forget };
    let mut tx = write::Transaction::begin_with(&settings.out_dir, start)?;
    emit::emit_all(site, views, &settings.emit, &mut tx).expect("the views were built, so there is a base URL")?;
    timing.mark("render and compare");
    let committed = tx.commit(&owned(&folders), &emit::EDITION_FILES);
    timing.mark("commit");
    committed
}

/// A failed commit: what went wrong, and whether any file was replaced.
fn nothing_or_some_replaced(e: &write::WriteError, settings: &Settings, err: &mut dyn Write) -> io::Result<()> {
    writeln!(err, "talkfeed: error: {e}")?;
    if e.replaced > 0 {
        writeln!(
            err,
            "talkfeed: the {} already replaced in this run stay; run again once the problem is fixed",
            plural(e.replaced, "file")
        )
    } else {
        writeln!(err, "talkfeed: nothing was replaced: the files in {} are unchanged", settings.out_dir.display())
    }
}

/// What the commit did, as `-v` tells it (and an interrupted run it
/// completed first, unless `-q`).
fn tell_what_changed(report: &write::Report, settings: &Settings, cli: &Cli, err: &mut dyn Write) -> io::Result<()> {
    if report.rolled_forward > 0 && !cli.messages.quiet {
        writeln!(
            err,
            "talkfeed: completed the outputs of an interrupted run first ({} files replaced or removed)",
            report.rolled_forward
        )?;
    }
    if cli.messages.verbose == 0 {
        return Ok(());
    }
    writeln!(
        err,
        "talkfeed: the calendars, feeds and pages were replaced within {:.3} ms of each other",
        report.top_level_window.as_secs_f64() * 1000.0
    )?;
    for path in &report.written {
        writeln!(err, "wrote {}", settings.out_dir.join(path).display())?;
    }
    for path in &report.removed {
        writeln!(err, "removed {} (its talk, tag or section is gone)", settings.out_dir.join(path).display())?;
    }
    Ok(())
}

/// The folders of one language whose files talkfeed owns: the edition's
/// own (`""` or `fr/`), its `talks/`, `tags/`, `sections/` and `authors/`.
struct Folders {
    edition: String,
    talks: String,
    tags: String,
    sections: String,
    authors: String,
    schedules: String,
}

/// The folders whose files talkfeed owns (removes when a run does not write
/// them), for the root and, unless `--language` writes one language only,
/// for the folder of every other language the site configures, disabled
/// ones included, so that a language left without talks (or disabled)
/// loses its outputs.
fn owned_folders(settings: &Settings) -> Vec<Folders> {
    let mut dirs = vec![String::new()];
    if settings.scope.only_language.is_none() {
        dirs.extend(
            settings
                .scope
                .languages
                .iter()
                .filter(|l| l.code != settings.urls.default_language)
                .map(|l| format!("{}/", l.code)),
        );
    }
    dirs.into_iter()
        .map(|d| Folders {
            talks: format!("{d}{}", emit::formats::TALKS_DIR),
            tags: format!("{d}{}", emit::groups::TAGS_DIR),
            sections: format!("{d}{}", emit::groups::SECTIONS_DIR),
            authors: format!("{d}{}", emit::groups::AUTHORS_DIR),
            schedules: format!("{d}{}", emit::schedule::SCHEDULES_DIR),
            edition: d,
        })
        .collect()
}

/// What talkfeed owns in `folders`, for the commit.
fn owned(folders: &[Folders]) -> Vec<write::Owned<'_>> {
    let mut owned = Vec::new();
    for f in folders {
        // Every language's own files, the output folder's too: those not
        // written this run (the reminders calendars without --alarm) go.
        owned.push(write::Owned::Files(f.edition.trim_end_matches('/'), &emit::EDITION_FILES));
        owned.push(write::Owned::Extension(&f.talks, emit::formats::TALK_EXTENSION));
        for groups in [&f.tags, &f.sections, &f.authors] {
            owned.push(write::Owned::Names(groups, &emit::GROUP_FILES));
        }
        owned.push(write::Owned::Names(&f.schedules, &emit::schedule::FILES));
    }
    owned
}

/// A site without the talks that have failing diagnostics.
pub(super) struct Partial {
    pub(super) site: Site,
    pub(super) left_out: Vec<std::path::PathBuf>,
}

/// The site without the talks that fail (errors, or warnings under
/// `--deny-warnings`), or `None` if something that is not a talk page fails
/// (a config file, a section page whose `cascade` is unknown, a missing
/// section): then no calendar can be trusted.
pub(super) fn without_failing_talks(site: &Site, settings: &Settings, diags: &Diagnostics) -> Option<Partial> {
    use std::collections::BTreeSet;
    let fails = |d: &&crate::diag::Diagnostic| d.is_error() || (settings.deny_warnings && d.is_warning());
    // Pages of the talk sections: talks, failed talks, and pages left out
    // as not talks (whose broken dates are errors too, but lose nothing).
    let talk_pages: BTreeSet<&std::path::Path> = site
        .talks
        .iter()
        .map(|t| t.source.path.as_path())
        .chain(site.failed.iter().map(|p| p.as_path()))
        .chain(site.not_talks.iter().map(|p| p.source.path.as_path()))
        .collect();
    let mut failing: BTreeSet<std::path::PathBuf> = BTreeSet::new();
    for d in diags.iter().filter(fails) {
        match &d.path {
            Some(p) if talk_pages.contains(p.as_path()) => {
                failing.insert(p.clone());
            }
            _ => return None,
        }
    }
    let mut partial = site.clone();
    partial.talks.retain(|t| !failing.contains(&t.source.path));
    Some(Partial { site: partial, left_out: failing.into_iter().collect() })
}

/// The emitters write into the build's transaction: wired here, where the
/// command brings the two together, so that neither knows the other.
impl emit::Sink for write::Transaction {
    type Error = write::WriteError;

    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), write::WriteError> {
        write::Transaction::put_many(self, outputs.iter().map(|(p, b)| (p.as_str(), b.as_slice())))
    }

    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), write::WriteError> {
        write::Transaction::put_stream(self, path, render)
    }
}
