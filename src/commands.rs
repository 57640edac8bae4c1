//! The subcommands, writing to the streams they are given. The binary's
//! `main` only parses the command line, calls [`run`] and exits with the
//! status it returns.

use std::io::{self, Write};

use serde::Serialize;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::CommandFactory;

use crate::cli::{Cli, ColorChoice, Command, MessageFormat};
use crate::diag::{Diagnostics, Severity};
use crate::emit::{self, rfc3339, when_text};
use crate::model::{EventTime, Status, Talk};
use crate::publish::{self, Visibility};
use crate::settings::Settings;
use crate::site::{self, Site};
use crate::write;

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
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "talkfeed", out);
            return Ok(EXIT_OK);
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            return Ok(EXIT_OK);
        }
        _ => {}
    }
    let mut diags = Diagnostics::new();
    let settings = match Settings::from_cli(&cli.site, &mut diags) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "talkfeed: error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    match command {
        Command::New { path } => new_talk(&settings, &path, out, err),
        Command::Serve { port, watch } => {
            let code = run_once(cli, &Command::Build, settings.clone(), diags, out, err)?;
            // Without --watch nothing could fix the content while serving;
            // with it, the next save rebuilds, so keep serving what is there.
            if code != EXIT_OK && !watch {
                return Ok(code);
            }
            serve(cli, &settings, port, watch, err)
        }
        other => run_once(cli, &other, settings, diags, out, err),
    }
}

/// One run of build, check or list.
fn run_once(
    cli: &Cli,
    command: &Command,
    settings: Settings,
    mut diags: Diagnostics,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let started = std::time::Instant::now();
    let site = load_site(cli, &settings, &mut diags);
    diags.sort();
    let failed = diags.errors() > 0 || (settings.deny_warnings && diags.warnings() > 0);

    match command {
        Command::Check => {
            let stream: &mut dyn Write = if cli.output.format == MessageFormat::Json { out } else { err };
            report(&diags, cli, stream)?;
            if cli.output.format == MessageFormat::Human && !cli.output.quiet {
                summary(&site, &settings, &diags, err)?;
            }
        }
        Command::List => {
            report(&diags, cli, err)?;
            list(&site, &settings, cli, out)?;
        }
        _ => {
            report(&diags, cli, err)?;
            if !failed {
                return build(&site, &settings, cli, started, err);
            }
            if cli.site.keep_going
                && let Some(partial) = without_failing_talks(&site, &settings, &diags)
            {
                let left_out: Vec<String> = partial.left_out.iter().map(|p| p.display().to_string()).collect();
                writeln!(
                    err,
                    "talkfeed: --keep-going: {} left out because of errors: {}",
                    plural(left_out.len(), "page"),
                    left_out.join(", ")
                )?;
                let code = build(&partial.site, &settings, cli, started, err)?;
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
    let interactive = std::io::stderr().is_terminal() && !cli.output.quiet;
    if !interactive {
        return site::load(settings, diags);
    }
    let bar = indicatif::ProgressBar::hidden();
    let site = site::load_with_progress(settings, diags, &|done, total| {
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

/// `talkfeed new PATH`: a talk page with every key, today's publishDate.
fn new_talk(settings: &Settings, path: &str, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let path = path.trim_matches('/');
    if path.is_empty() || path.split(['/', '\\']).any(|s| s.is_empty() || s == "." || s == "..") {
        writeln!(err, "talkfeed: error: '{path}' is not a folder name under the content folder, like talk/my-talk")?;
        return Ok(EXIT_USAGE);
    }
    let folder = settings.content_dir.join(path);
    let file = folder.join("index.md");
    let name = path.rsplit('/').next().unwrap_or(path).replace(['-', '_'], " ");
    let mut title: String = name.trim().to_string();
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let now = settings.publish.now.with_timezone(&settings.timezone);
    // 10:00 local today, a placeholder the author edits; `earliest` because
    // a DST gap never falls at 10:00 but the type cannot know that.
    let start = now
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .and_then(|t| t.and_local_timezone(settings.timezone).earliest())
        .unwrap_or(now)
        .fixed_offset();
    let text = NEW_TALK
        // A JSON string is a YAML double-quoted scalar: any title is safe.
        .replace("{title}", &serde_json::to_string(&title).expect("a string serialises"))
        .replace("{date}", &emit::rfc3339(&start))
        .replace("{publish}", &emit::rfc3339(&chrono::SubsecRound::trunc_subsecs(now.fixed_offset(), 0)));
    std::fs::create_dir_all(&folder)?;
    // `create_new`: never overwrite, even a page made a moment ago.
    let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&file);
    let mut page = match created {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            writeln!(err, "talkfeed: error: {} already exists; nothing written", file.display())?;
            return Ok(EXIT_INPUT_ERROR);
        }
        Err(e) => return Err(e),
    };
    page.write_all(text.as_bytes())?;
    writeln!(out, "{}", file.display())?;
    Ok(EXIT_OK)
}

/// The page `talkfeed new` writes: every key a talk uses.
const NEW_TALK: &str = "---
title: {title}
event:
event_url:
location:
address:
  street:
  city:
  region:
  postcode:
  country:
summary:
abstract:

# When the talk starts and ends. A date alone (2026-05-17) is an all-day talk.
date: {date}
date_end:
all_day: false

# The page is published from this time on (Hugo leaves it out before).
publishDate: {publish}

authors: [admin]
tags: []
links:
url_slides:
url_video:
url_pdf:
url_code:
draft: false
---

What the talk is about.
";

/// `talkfeed serve`: serves the output folder; with `watch`, builds again
/// when the content or the config changes.
fn serve(cli: &Cli, settings: &Settings, port: u16, watch: bool, err: &mut dyn Write) -> io::Result<u8> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let out_dir = std::fs::canonicalize(&settings.out_dir).unwrap_or_else(|_| settings.out_dir.clone());
    let mut watcher = None;
    if watch {
        let mut w = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // Reading the pages (access events) and our own writes to the
            // output folder are not changes to rebuild for.
            if let Ok(e) = event
                && matches!(
                    e.kind,
                    notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_)
                )
                && e.paths.iter().any(|p| !p.starts_with(&out_dir))
            {
                let _ = tx.send(());
            }
        })
        .map_err(io::Error::other)?;
        w.watch(&settings.content_dir, notify::RecursiveMode::Recursive).map_err(io::Error::other)?;
        for file in
            settings.hugo.files.iter().map(PathBuf::as_path).chain([settings.site_dir.join("talkfeed.toml").as_path()])
        {
            if file.exists() {
                let _ = w.watch(file, notify::RecursiveMode::NonRecursive);
            }
        }
        watcher = Some(w);
    }
    let mut stdout = io::sink();
    let mut stderr = io::stderr();
    let mut rebuild = || {
        let mut diags = Diagnostics::new();
        if let Ok(s) = Settings::from_cli(&cli.site, &mut diags) {
            let _ = run_once(cli, &Command::Build, s, diags, &mut stdout, &mut stderr);
        }
    };
    crate::serve::serve(&settings.out_dir, port, watcher.as_ref().map(|_| rx), &mut rebuild, err)?;
    Ok(EXIT_OK)
}

/// Renders and writes every output.
fn build(
    site: &Site,
    settings: &Settings,
    cli: &Cli,
    started: std::time::Instant,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let editions = emit::editions(site, settings);
    let contexts: Result<Vec<emit::Context>, emit::EmitError> =
        editions.iter().map(|e| emit::Context::new(site, settings, e, &editions)).collect();
    let contexts = match contexts {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "talkfeed: error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    let folders = owned_folders(settings);
    let mut owned = Vec::new();
    for (dir, talks, tags, sections) in &folders {
        if !dir.is_empty() {
            owned.push(write::Owned::Files(dir.trim_end_matches('/'), emit::EDITION_FILES));
        }
        owned.push(write::Owned::Extension(talks, ".ics"));
        owned.push(write::Owned::Names(tags, emit::groups::FILES));
        owned.push(write::Owned::Names(sections, emit::groups::FILES));
    }
    let mut notify = |message: &str| {
        if !cli.output.quiet {
            let _ = writeln!(err, "talkfeed: {message}");
        }
    };
    let wait = write::LockWait { timeout: settings.lock_timeout, notify: &mut notify };
    let written = write::Transaction::begin_waiting(&settings.out_dir, wait).and_then(|mut tx| {
        for ctx in &contexts {
            emit::emit(ctx, &mut tx)?;
        }
        tx.commit(&owned, emit::EDITION_FILES)
    });
    let report = match written {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "talkfeed: error: {e}")?;
            writeln!(err, "talkfeed: files already replaced in this run stay; run again once the problem is fixed")?;
            return Ok(EXIT_INPUT_ERROR);
        }
    };
    if report.rolled_forward > 0 && !cli.output.quiet {
        writeln!(
            err,
            "talkfeed: completed the outputs of an interrupted run first ({} files replaced or removed)",
            report.rolled_forward
        )?;
    }
    if cli.output.verbose > 0 {
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
    }
    if !cli.output.quiet {
        let vis: Vec<Visibility> = site.talks.iter().map(|t| publish::visibility(t, &settings.publish)).collect();
        let in_calendar = vis.iter().filter(|v| v.in_calendar).count();
        let undated = vis.iter().filter(|v| v.undated).count();
        let undated = if undated > 0 { format!(", {undated} without a start date") } else { String::new() };
        let languages = if editions.len() > 1 {
            let list: Vec<String> = editions
                .iter()
                .map(|e| format!("{} in {}", e.lang, if e.dir.is_empty() { "the folder itself" } else { &e.dir }))
                .collect();
            format!(" for {} languages ({})", editions.len(), list.join(", "))
        } else {
            String::new()
        };
        writeln!(
            err,
            "talkfeed: {}: {} written, {} unchanged, {} removed{languages}; {}, {in_calendar} in the {}{undated} ({:.2} s)",
            settings.out_dir.display(),
            plural(report.written.len(), "file"),
            report.unchanged,
            report.removed.len(),
            plural(site.talks.len(), "talk"),
            if editions.len() > 1 { "calendars" } else { "calendar" },
            started.elapsed().as_secs_f64(),
        )?;
    }
    Ok(EXIT_OK)
}

/// The folders whose files talkfeed owns (removes when a run does not write
/// them): `(edition folder, its talks/, tags/, sections/)` for the root and,
/// unless `--language` writes one language only, for the folder of every
/// other language the site configures, disabled ones included, so that a
/// language left without talks (or disabled) loses its outputs.
fn owned_folders(settings: &Settings) -> Vec<(String, String, String, String)> {
    let mut dirs = vec![String::new()];
    if settings.only_language.is_none() {
        dirs.extend(
            settings
                .languages
                .iter()
                .filter(|l| l.code != settings.urls.default_language)
                .map(|l| format!("{}/", l.code)),
        );
    }
    dirs.into_iter()
        .map(|d| {
            let talks = format!("{d}{}", emit::ics::TALKS_DIR);
            let tags = format!("{d}{}", emit::groups::TAGS_DIR);
            let sections = format!("{d}{}", emit::groups::SECTIONS_DIR);
            (d, talks, tags, sections)
        })
        .collect()
}

/// A site without the talks that have failing diagnostics.
struct Partial {
    site: Site,
    left_out: Vec<std::path::PathBuf>,
}

/// The site without the talks that fail (errors, or warnings under
/// `--deny-warnings`), or `None` if something that is not a talk page fails
/// (a config file, a section page whose `cascade` is unknown, a missing
/// section): then no calendar can be trusted.
fn without_failing_talks(site: &Site, settings: &Settings, diags: &Diagnostics) -> Option<Partial> {
    use std::collections::BTreeSet;
    let fails = |d: &&crate::diag::Diagnostic| d.is_error() || settings.deny_warnings;
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
fn report(diags: &Diagnostics, cli: &Cli, w: &mut dyn Write) -> io::Result<()> {
    let color = match cli.output.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    for d in diags.iter().filter(|d| !cli.output.quiet || d.severity == Severity::Error) {
        match cli.output.format {
            MessageFormat::Human if color => writeln!(w, "{}", d.colored())?,
            MessageFormat::Human => writeln!(w, "{d}")?,
            MessageFormat::Json => writeln!(w, "{}", d.to_json_line())?,
        }
    }
    Ok(())
}

fn summary(site: &Site, settings: &Settings, diags: &Diagnostics, w: &mut dyn Write) -> io::Result<()> {
    let content = settings.content_dir.display();
    let langs = languages_of(site, settings);
    let mut totals: Vec<String> = Vec::new();
    if langs.len() > 1 {
        for lang in &langs {
            let talks: Vec<&Talk> = site.talks.iter().filter(|t| t.source.lang == *lang).collect();
            writeln!(w, "talkfeed: {content} ({lang}): {}", talk_counts(&talks, settings).join(", "))?;
        }
        totals.push(format!("{} in {} languages", plural(site.talks.len(), "talk"), langs.len()));
    } else {
        totals.extend(talk_counts(&site.talks.iter().collect::<Vec<_>>(), settings));
    }
    if !site.not_talks.is_empty() {
        totals.push(format!("{} not a talk", plural(site.not_talks.len(), "page")));
    }
    if !site.set_aside.is_empty() {
        let why = if settings.only_language.is_some() { "another language" } else { "a disabled language" };
        totals.push(format!("{} in {why}, not read", plural(site.set_aside.len(), "page")));
    }
    writeln!(
        w,
        "talkfeed: {content}: {}; {}, {}",
        totals.join(", "),
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning"),
    )
}

/// The languages of the talks read, in the site's order (default first).
fn languages_of(site: &Site, settings: &Settings) -> Vec<String> {
    let mut langs: Vec<String> = settings
        .editions
        .iter()
        .map(|e| e.lang.clone())
        .filter(|l| site.talks.iter().any(|t| t.source.lang == *l))
        .collect();
    if langs.is_empty() {
        langs.extend(settings.editions.first().map(|e| e.lang.clone()));
    }
    langs
}

/// `12 talks`, `12 in the calendar, 11 in the feeds`, and what is left out.
fn talk_counts(talks: &[&Talk], settings: &Settings) -> Vec<String> {
    let vis: Vec<Visibility> = talks.iter().map(|t| publish::visibility(t, &settings.publish)).collect();
    let mut parts = vec![plural(talks.len(), "talk")];
    let in_calendar = vis.iter().filter(|v| v.in_calendar).count();
    let in_feeds = vis.iter().filter(|v| v.in_feeds).count();
    parts.push(format!("{in_calendar} in the calendar, {in_feeds} in the feeds"));
    let undated = vis.iter().filter(|v| v.undated).count();
    if undated > 0 {
        parts.push(format!("{undated} without a start date (in no calendar)"));
    }
    let drafts = vis.iter().filter(|v| v.draft).count();
    if drafts > 0 {
        parts.push(format!("{} left out (use --drafts)", plural(drafts, "draft")));
    }
    let expired = vis.iter().filter(|v| v.expired).count();
    if expired > 0 {
        parts.push(format!("{expired} expired left out (use --expired)"));
    }
    parts
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// One talk as `list --format json` prints it.
#[derive(Serialize)]
struct TalkLine<'a> {
    file: String,
    content_path: &'a str,
    lang: &'a str,
    title: &'a str,
    event: Option<&'a str>,
    location: Option<&'a str>,
    all_day: bool,
    start: Option<String>,
    end: Option<String>,
    start_key: &'static str,
    end_key: Option<&'static str>,
    permalink: &'a str,
    status: Status,
    draft: bool,
    in_calendar: bool,
    in_feeds: bool,
    publish_date: Option<String>,
}

fn list(site: &Site, settings: &Settings, cli: &Cli, w: &mut dyn Write) -> io::Result<()> {
    let mut talks: Vec<&Talk> = site.talks.iter().collect();
    // By language (the site's order), then oldest first; undated talks last.
    let langs = languages_of(site, settings);
    let multilingual = langs.len() > 1;
    let lang_order = |t: &Talk| langs.iter().position(|l| *l == t.source.lang);
    let start = |t: &Talk| t.when.as_ref().map(emit::start_instant);
    talks.sort_by(|a, b| {
        (lang_order(a), start(a).is_none(), start(a))
            .cmp(&(lang_order(b), start(b).is_none(), start(b)))
            .then_with(|| a.source.content_path.cmp(&b.source.content_path))
    });
    for t in talks {
        let v = publish::visibility(t, &settings.publish);
        match cli.output.format {
            MessageFormat::Json => {
                let (all_day, start, end) = match t.when {
                    Some(EventTime::AllDay(r)) => (true, Some(r.first().to_string()), Some(r.last().to_string())),
                    Some(EventTime::Timed(r)) => (false, Some(rfc3339(&r.start())), r.end().map(|e| rfc3339(&e))),
                    None => (false, None, None),
                };
                let line = TalkLine {
                    file: t.source.path.display().to_string(),
                    content_path: &t.source.content_path,
                    lang: &t.source.lang,
                    title: &t.title,
                    event: t.event.as_deref(),
                    location: t.location.as_deref(),
                    all_day,
                    start,
                    end,
                    start_key: t.start_key.key(),
                    end_key: t.end_key,
                    permalink: &t.permalink,
                    status: t.status,
                    draft: t.draft,
                    in_calendar: v.in_calendar,
                    in_feeds: v.in_feeds,
                    publish_date: t.dates.publish.as_ref().map(rfc3339),
                };
                writeln!(w, "{}", serde_json::to_string(&line).map_err(io::Error::other)?)?;
            }
            MessageFormat::Human => {
                let when = t.when.as_ref().map_or_else(|| String::from("undated"), when_text);
                let mut line = format!("{when} · {}", t.title);
                if multilingual {
                    line = format!("[{}] {line}", t.source.lang);
                }
                if let Some(e) = &t.event {
                    line.push_str(&format!(" · {e}"));
                }
                let flags = flags(t, &v);
                if !flags.is_empty() {
                    line.push_str(&format!("  [{}]", flags.join(", ")));
                }
                writeln!(w, "{line}")?;
                if cli.output.verbose > 0 {
                    let mut keys = format!("start: {}", t.start_key.key());
                    if let Some(k) = t.end_key {
                        keys.push_str(&format!(", end: {k}"));
                    }
                    writeln!(w, "    {} · {keys} · {}", t.source.path.display(), t.permalink)?;
                }
            }
        }
    }
    if cli.output.verbose > 0 && cli.output.format == MessageFormat::Human {
        for page in &site.not_talks {
            writeln!(w, "not a talk ({}): {}", page.reason.describe(), page.source.path.display())?;
        }
        for (path, lang) in &site.set_aside {
            writeln!(w, "not read (language {lang}): {}", path.display())?;
        }
    }
    Ok(())
}

fn flags(t: &Talk, v: &Visibility) -> Vec<String> {
    let mut f = Vec::new();
    if t.draft {
        f.push(if v.draft { "draft, left out".to_string() } else { "draft".to_string() });
    }
    if v.undated {
        f.push(if v.in_feeds { "no start date, feeds only" } else { "no start date, left out" }.to_string());
    }
    if v.expired {
        f.push("expired, left out".to_string());
    }
    if v.future
        && v.in_calendar
        && let Some(p) = t.dates.publish
    {
        f.push(format!("feeds from {}", p.date_naive()));
    }
    match t.status {
        Status::Confirmed => {}
        Status::Tentative => f.push("tentative".to_string()),
        Status::Cancelled => f.push("cancelled".to_string()),
    }
    f
}
