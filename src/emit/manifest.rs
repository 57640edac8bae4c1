//! `talkfeed.json`: what talkfeed wrote, for the site's own templates (the
//! Hugo module in `hugo/`), so that a talk page can link its own calendar
//! file, whose name carries a hash, and a "Talks" page the calendar's
//! subscribe buttons, the same links the subscribe page has.
//!
//! The contract, version [`VERSION`] (docs/hugo.md, "The manifest"): a JSON
//! object with
//!
//! * `talkfeed`: `{"manifest": 1, "version": "0.1.0"}`;
//! * `language`: the edition's language key (`en`), and, in the output
//!   folder's own manifest only, `editions`: every other language's manifest
//!   by key, relative to this one (`{"fr": "fr/talkfeed.json"}`);
//! * `title`: the calendar's title;
//! * `subscribe`: `page`, `calendar`, `webcal`, `google`, `outlook` and
//!   `upcoming` (absolute URLs where the output folder's public URL is known);
//! * `feeds`: `rss`, `atom`, `json`;
//! * with `--alarm` only, `reminders`: `calendar`, `webcal` and `upcoming`
//!   of the calendars with reminders;
//! * with `--schedules` only, `schedules`: for each event, `title`,
//!   `start` and `end` (dates), `json` and `xml`;
//! * `talks`: by content path as Hugo's `.File.Path` gives it, `/`-separated
//!   (`talk/product-coaching/index.md`), for every talk in the calendar:
//!   `page` (its permalink), `ics`, `google`, `outlook`.
//!
//! Additions keep the version; a change to anything above raises it.

use std::io;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::formats::{self, Kind};
use super::links::{AddTalk, Subscribe};
use super::schedule::{self, Meeting};
use super::{Context, Dated};

/// The version of the contract the manifest follows.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Manifest<'a> {
    talkfeed: Meta,
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_map")]
    editions: Vec<(String, String)>,
    title: String,
    subscribe: SubscribeLinks,
    feeds: Feeds,
    #[serde(skip_serializing_if = "Option::is_none")]
    reminders: Option<ReminderLinks>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    schedules: Vec<ScheduleLinks>,
    talks: Talks<'a>,
}

#[derive(Serialize)]
struct ReminderLinks {
    calendar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    webcal: Option<String>,
    upcoming: String,
}

#[derive(Serialize)]
struct ScheduleLinks {
    title: String,
    start: String,
    end: String,
    json: String,
    xml: String,
}

#[derive(Serialize)]
struct Meta {
    manifest: u32,
    version: &'static str,
}

#[derive(Serialize)]
struct SubscribeLinks {
    page: String,
    calendar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    webcal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    google: Option<String>,
    outlook: String,
    upcoming: String,
}

#[derive(Serialize)]
struct Feeds {
    rss: String,
    atom: String,
    json: String,
}

/// The talks, made one at a time as they are written: at 100,000 talks
/// their links would take 70 MB at once.
struct Talks<'a>(Vec<&'a Dated<'a>>, &'a Context<'a>);

#[derive(Serialize)]
struct TalkLinks<'a> {
    page: &'a str,
    ics: String,
    google: String,
    outlook: String,
}

impl Serialize for Talks<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        // The links are made in parallel, a batch at a time, and written in order.
        for batch in self.0.chunks(super::page::BATCH) {
            let links: Vec<TalkLinks<'_>> = batch
                .par_iter()
                .map(|dated| {
                    let add = AddTalk::of(dated);
                    TalkLinks {
                        page: &dated.view.page_url,
                        ics: self.1.output_url(&add.ics).unwrap_or(add.ics),
                        google: add.google,
                        outlook: add.outlook,
                    }
                })
                .collect();
            for (dated, links) in batch.iter().zip(&links) {
                map.serialize_entry(&dated.talk().source.content_path, links)?;
            }
        }
        map.end()
    }
}

fn as_map<S: serde::Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// Writes the manifest of `ctx`'s edition, whose calendar holds `talks`.
pub fn write(
    ctx: &Context<'_>,
    talks: &[Dated<'_>],
    meetings: &[Meeting<'_>],
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let title = ctx.title();
    let subscribe = Subscribe::of(ctx, &title);
    let reminders = reminders(ctx, &title);
    let url = |file: &str| ctx.output_url(file).unwrap_or_else(|| file.to_string());
    // The output folder's own manifest leads to the others.
    let editions = if ctx.edition.dir.is_empty() {
        ctx.editions
            .iter()
            .filter(|e| !e.dir.is_empty())
            .map(|e| (e.lang.clone(), format!("{}{}", e.dir, formats::file(Kind::Manifest))))
            .collect()
    } else {
        Vec::new()
    };
    let mut by_path: Vec<&Dated<'_>> = talks.iter().collect();
    by_path.sort_by(|a, b| a.talk().source.content_path.cmp(&b.talk().source.content_path));
    let manifest = Manifest {
        talkfeed: Meta { manifest: VERSION, version: env!("CARGO_PKG_VERSION") },
        language: &ctx.edition.lang,
        editions,
        title,
        subscribe: SubscribeLinks {
            page: url(formats::file(Kind::Page)).trim_end_matches(formats::file(Kind::Page)).to_string(),
            calendar: subscribe.calendar,
            webcal: subscribe.webcal,
            google: subscribe.google,
            outlook: subscribe.outlook,
            upcoming: url(formats::file(Kind::Upcoming)),
        },
        feeds: Feeds {
            rss: url(formats::file(Kind::Rss)),
            atom: url(formats::file(Kind::Atom)),
            json: url(formats::file(Kind::JsonFeed)),
        },
        reminders,
        schedules: meetings.iter().map(|m| schedule_links(ctx, m)).collect(),
        talks: Talks(by_path, ctx),
    };
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &manifest)?;
    io::Write::write_all(&mut w, b"\n")?;
    io::Write::flush(&mut w)
}
/// The calendars with reminders, with `--alarm`.
fn reminders(ctx: &Context<'_>, title: &str) -> Option<ReminderLinks> {
    let (all, upcoming) = Subscribe::with_reminders(ctx, title)?;
    Some(ReminderLinks { calendar: all.calendar, webcal: all.webcal, upcoming: upcoming.calendar })
}

/// A meeting's schedule files.
fn schedule_links(ctx: &Context<'_>, m: &Meeting<'_>) -> ScheduleLinks {
    ScheduleLinks {
        title: m.title.clone(),
        start: m.days.0.to_string(),
        end: m.days.1.to_string(),
        json: m.url(ctx, schedule::JSON_FILE),
        xml: m.url(ctx, schedule::XML_FILE),
    }
}
