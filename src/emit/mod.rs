//! Emitters: the views of the talks → the bytes of each output file.
//!
//! Emitters only format: they read the model and the [`TalkView`]s built
//! from it, and the output options, never files, the content's parsers or
//! the clock (every time they write comes from the talks), so the same
//! input gives the same bytes. [`context`] holds what all formats share
//! (which talks, the title, the list page); [`names`] the output file
//! names; [`time`] how times are written; each format has its module.

pub mod atom;
pub mod context;
pub mod escape;
pub mod feed;
pub mod formats;
pub mod groups;
pub mod ics;
pub mod item_html;
pub mod jsonfeed;
mod jsonld;
pub mod links;
pub mod manifest;
pub mod names;
pub mod options;
pub mod page;
pub mod rss;
pub mod schedule;
pub mod sink;
pub mod time;
pub mod vtimezone;
mod xml;

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

pub use context::{Context, Dated};
pub use formats::{EDITION_FILES, GROUP_FILES, Kind};
pub use sink::{Memory, OutputFile, Sink};

use crate::model::Site;
use crate::publish;
use crate::view::TalkView;
pub use options::{Edition, NoBaseUrl, Options};

/// The languages of `site` that get outputs: the first of the options'
/// editions (the default language, or `--language`) always, so a site
/// without talks still has a calendar to subscribe to; every other
/// language when it has talks.
pub fn editions(site: &Site, options: &Options) -> Vec<Edition> {
    options
        .editions
        .iter()
        .enumerate()
        .filter(|(i, e)| *i == 0 || site.talks.iter().any(|t| t.source.lang == e.lang))
        .map(|(_, e)| e.clone())
        .collect()
}

/// The instants at which the outputs of `site` would change with the clock
/// alone, the content unchanged: when a talk is over (it leaves the
/// upcoming calendar and moves to the page's past talks), and when it
/// reaches its publish or expiry date ([`publish::clock_boundaries`]).
/// Between two of them every output is the same whatever the time. `None`
/// when an output follows the clock itself: a language with nothing dated
/// at all has the run's time in its Atom feed and the run's year in its
/// empty calendar.
pub fn clock_boundaries(site: &Site, options: &Options) -> Option<Vec<DateTime<Utc>>> {
    let editions = editions(site, options);
    for edition in &editions {
        let ctx = Context::new(site, options, edition, &editions).ok()?;
        ctx.content_revised()?;
    }
    let mut instants: Vec<DateTime<Utc>> = site
        .talks
        .iter()
        .flat_map(|t| publish::clock_boundaries(t).chain(t.when.map(|w| w.end_instant(options.default_duration))))
        .collect();
    instants.sort_unstable();
    instants.dedup();
    Some(instants)
}

/// A sink that puts everything in a folder of another sink.
struct Within<'s, S> {
    dir: &'s str,
    sink: &'s mut S,
}

impl<S: Sink> Sink for Within<'_, S> {
    type Error = S::Error;
    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), S::Error> {
        self.sink.put_many(outputs.into_iter().map(|(p, b)| (format!("{}{p}", self.dir), b)).collect())
    }
    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), S::Error> {
        self.sink.put_stream(&format!("{}{path}", self.dir), render)
    }
}

/// Emits every output of `ctx`'s edition into `sink`, in the edition's
/// folder, from `views` (the views of the edition's talks): the calendars,
/// one calendar per talk, the page and the three feeds. Events and feed
/// items are rendered in parallel, each once; the large files are
/// streamed, never held whole in memory, and the views are handed on to
/// the feeds, their HTML moved rather than copied.
pub fn emit<S: Sink>(ctx: &Context<'_>, views: Vec<TalkView<'_>>, sink: &mut S) -> Result<(), S::Error> {
    let sink = &mut Within { dir: &ctx.edition.dir, sink };
    let talks = ctx.calendar_talks(&views);
    let events: Vec<ics::Event> = talks.par_iter().map(|t| ics::event(t, &ctx.options.alarms)).collect();
    let zones = ics::Vtimezones::new(&events);
    let all: Vec<&ics::Event> = events.iter().collect();
    let title = ctx.title();
    // A calendar of what is still to come, for subscribers who do not want
    // years of past talks (some phones slow down with thousands of events).
    let now = ctx.options.publish.now;
    let upcoming: Vec<&ics::Event> =
        talks.iter().zip(&events).filter(|(d, _)| d.end() >= now).map(|(_, e)| e).collect();
    let upcoming_title = format!("{title} (upcoming)");
    for format in formats::FORMATS.iter().filter(|f| f.is_calendar()) {
        let (name, events) = match format.kind {
            Kind::Upcoming | Kind::UpcomingWithReminders => (&upcoming_title, &upcoming),
            _ => (&title, &all),
        };
        let reminders = match format.reminders {
            true if ctx.options.alarms.is_empty() => continue,
            true => ics::Reminders::With,
            false => ics::Reminders::Without,
        };
        sink.put_stream(format.file, &mut |w| {
            ics::write_calendar(ctx, &zones, (format.file, name), events, reminders, w)
        })?;
    }
    let groups = ctx.groups(&talks);
    let meetings = if ctx.options.schedules { schedule::meetings(ctx, &talks) } else { Vec::new() };
    sink.put_stream(formats::file(Kind::Page), &mut |w| page::write(ctx, &talks, (&groups, &meetings), w))?;
    sink.put_stream(formats::file(Kind::Manifest), &mut |w| manifest::write(ctx, &talks, &meetings, w))?;
    for g in &groups {
        let scoped = ctx.scoped(g);
        let events: Vec<&ics::Event> =
            talks.iter().zip(&events).filter(|(d, _)| g.contains(d.talk())).map(|(_, e)| e).collect();
        let title = scoped.title();
        let path = format!("{}/{}", g.dir, formats::file(Kind::Calendar));
        sink.put_stream(&path, &mut |w| {
            let file = formats::file(Kind::Calendar);
            ics::write_calendar(&scoped, &zones, (file, &title), &events, ics::Reminders::Without, w)
        })?;
    }
    write_schedules(ctx, &meetings, sink)?;
    drop(meetings);
    drop(all);
    drop(upcoming);
    // The per-talk calendars, a batch at a time: all at once, they would
    // double the memory the events take.
    for (talks, events) in talks.chunks(SINGLES_BATCH).zip(events.chunks(SINGLES_BATCH)) {
        let singles: Vec<(String, Vec<u8>)> = talks
            .par_iter()
            .zip(events)
            .map(|(d, e)| (format!("{}/{}.ics", formats::TALKS_DIR, d.file), ics::single(&zones, e)))
            .collect();
        sink.put_many(singles)?;
    }
    drop(events);
    drop(talks);

    if groups.is_empty() {
        return write_feeds(feed::Feed::new(ctx, views), "", sink);
    }
    // Each item is rendered once and copied into the feeds of its groups.
    let items = feed::Feed::items(ctx, views);
    for g in &groups {
        let scoped = ctx.scoped(g);
        let mine = items.iter().filter(|i| g.contains(i.view.talk)).cloned().collect();
        write_feeds(feed::Feed::from_items(&scoped, mine), &format!("{}/", g.dir), sink)?;
    }
    write_feeds(feed::Feed::from_items(ctx, items), "", sink)
}

/// Writes each meeting's schedules, in `schedules/SLUG/`.
fn write_schedules<S: Sink>(
    ctx: &Context<'_>,
    meetings: &[schedule::Meeting<'_>],
    sink: &mut S,
) -> Result<(), S::Error> {
    for m in meetings {
        sink.put_stream(&m.path(schedule::JSON_FILE), &mut |w| schedule::write_json(ctx, m, w))?;
        sink.put_stream(&m.path(schedule::XML_FILE), &mut |w| schedule::write_xml(ctx, m, w))?;
    }
    Ok(())
}

/// Writes the three feeds of `feed` into the folder `dir` (`""` or
/// `tags/rust/`), Atom last: it takes what is left of the feed.
fn write_feeds<S: Sink>(mut feed: feed::Feed<'_>, dir: &str, sink: &mut S) -> Result<(), S::Error> {
    sink.put_stream(&format!("{dir}{}", formats::file(Kind::JsonFeed)), &mut |w| jsonfeed::write(&feed, w))?;
    let channel = rss::channel(&mut feed);
    sink.put_stream(&format!("{dir}{}", formats::file(Kind::Rss)), &mut |w| rss::write(&channel, w))?;
    rss::give_back(channel, &mut feed);
    let atom = atom::feed_of(feed);
    sink.put_stream(&format!("{dir}{}", formats::file(Kind::Atom)), &mut |w| atom::write(&atom, w))
}

/// How many per-talk calendars are handed to the sink at a time.
const SINGLES_BATCH: usize = 4096;

/// Emits every output of every edition of `site` into `sink`, from
/// `views` (the views of all its talks, see [`crate::view::make_views`]), which
/// each edition takes its own of.
pub fn emit_all<S: Sink>(
    site: &Site,
    mut views: Vec<TalkView<'_>>,
    options: &Options,
    sink: &mut S,
) -> Result<Result<(), S::Error>, NoBaseUrl> {
    let editions = editions(site, options);
    for edition in &editions {
        let ctx = Context::new(site, options, edition, &editions)?;
        let mine: Vec<TalkView<'_>> = views.extract_if(.., |v| v.talk.source.lang == edition.lang).collect();
        if let Err(e) = emit(&ctx, mine, sink) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// Renders every output of `site`, every edition, in memory (for tests and
/// fuzzing; `build` streams into its transaction instead).
pub fn render(site: &Site, views: Vec<TalkView<'_>>, options: &Options) -> Result<Vec<OutputFile>, NoBaseUrl> {
    let mut memory = Memory::default();
    let Ok(()) = emit_all(site, views, options, &mut memory)?;
    Ok(memory.0)
}
