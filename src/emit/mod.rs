//! Emitters: the checked talks → the bytes of each output file.
//!
//! Emitters only format: they read [`Talk`]s and [`Settings`], never files,
//! and never the clock (every time they write comes from the talks), so the
//! same input gives the same bytes. What all formats share lives here: the
//! talk's permanent identity, absolute links, the calendar/feed title, and
//! the per-talk file names.

pub mod atom;
pub mod feed;
pub mod groups;
pub mod html;
pub mod ics;
pub mod jsonfeed;
pub mod page;
pub mod rss;
mod shortcodes;
mod text;
mod vtimezone;
mod xml;

use url::Url;
use uuid::Uuid;

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::model::{EventTime, Talk};
use crate::publish;
use crate::settings::{Edition, Settings};
use crate::site::Site;

pub use text::markdown_to_plain;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Its path under the output folder, `/`-separated (`talks.ics`, `talks/x.ics`).
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Why outputs cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// Calendars and feeds need absolute links.
    #[error(
        "the calendar needs the site's absolute URL: pass --base-url https://your.site/ (or set base_url in talkfeed.toml, or baseURL in the Hugo config)"
    )]
    NoBaseUrl,
}

/// What every emitter reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The run's settings.
    pub settings: &'a Settings,
    /// The site's absolute URL.
    pub base_url: &'a Url,
    /// Everything read from the site.
    pub site: &'a Site,
    /// The language the outputs are for.
    pub edition: &'a Edition,
    /// Every language written in this run (this one included), for links
    /// between them.
    pub editions: &'a [Edition],
    /// The tag or section the outputs are for; `None` for the main ones.
    pub scope: Option<&'a groups::Group>,
}

impl<'a> Context<'a> {
    /// A context for the outputs of `edition` of `site`; fails without a
    /// base URL. `editions` are all the languages written in the run.
    pub fn new(
        site: &'a Site,
        settings: &'a Settings,
        edition: &'a Edition,
        editions: &'a [Edition],
    ) -> Result<Context<'a>, EmitError> {
        let base_url = settings.base_url.as_ref().ok_or(EmitError::NoBaseUrl)?;
        Ok(Context { settings, base_url, site, edition, editions, scope: None })
    }

    /// The same context for the outputs of one tag or section.
    pub fn scoped(&self, group: &'a groups::Group) -> Context<'a> {
        Context { scope: Some(group), ..*self }
    }

    /// Whether `talk` is in scope: in the edition's language, and in the
    /// tag or section if there is one.
    pub fn includes(&self, talk: &Talk) -> bool {
        talk.source.lang == self.edition.lang && self.scope.is_none_or(|g| g.contains(talk))
    }

    /// The talk's permanent identity ([`Talk::uid`]).
    pub fn uid(&self, talk: &Talk) -> String {
        talk.uid(self.base_url, &self.settings.urls.default_language)
    }

    /// The talk's speakers as people read them: an author slug with an
    /// author page (`content/authors/<slug>/`) becomes that page's title;
    /// `admin`, the theme's name for the site owner, becomes `--author` (or
    /// the site title) when it has no page; any other name stays as written.
    pub fn speakers(&self, talk: &Talk) -> Vec<String> {
        let names = self.site.author_names.get(&talk.source.lang);
        talk.authors
            .iter()
            .map(|a| match names.and_then(|n| n.get(a)) {
                Some(name) => name.clone(),
                None if a == "admin" => {
                    self.edition.author.clone().or(self.edition.site_title.clone()).unwrap_or_else(|| a.clone())
                }
                None => a.clone(),
            })
            .collect()
    }

    /// The talk page's absolute URL: the site's origin and the permalink,
    /// which already holds the base URL's path. Appended, not resolved, so
    /// nothing a page writes can point the link at another host.
    pub fn page_url(&self, talk: &Talk) -> String {
        format!("{}{}", self.base_url.origin().ascii_serialization(), talk.permalink)
    }

    /// A link from the page (`url_slides: slides.pdf`) made absolute
    /// against the page's URL; absolute links stay as written. Only web
    /// addresses and relative paths are links ([`crate::model::is_web_link`]):
    /// `javascript:` and the like stay text.
    pub fn link(&self, talk: &Talk, link: &str) -> Target {
        if !crate::model::is_web_link(link) {
            return Target::Text(link.to_string());
        }
        let page = self.page_url(talk);
        Target::Web(match Url::parse(&page) {
            Ok(page) => absolute(&page, link),
            Err(_) => link.to_string(),
        })
    }

    /// The event's link. Pages write hosts without a scheme
    /// (`esorics2022.compute.dtu.dk/`), which would otherwise resolve against
    /// the talk page; an event URL is never a page of the site, so such a
    /// value gets `https://`.
    pub fn event_link(&self, talk: &Talk, link: &str) -> Target {
        let first = link.split('/').next().unwrap_or("");
        if Url::parse(link).is_err() && !link.starts_with(['/', '.', '#', '?']) && first.contains('.') {
            Target::Web(format!("https://{link}"))
        } else {
            self.link(talk, link)
        }
    }

    /// The public URL of an output file (`talks.ics`), if known.
    pub fn output_url(&self, path: &str) -> Option<String> {
        let path = match self.scope {
            Some(g) => format!("{}/{path}", g.dir),
            None => path.to_string(),
        };
        self.edition.publish_url.as_ref().map(|u| absolute(u, &path))
    }

    /// The title of the calendar and feeds: `--title` (or `title` in
    /// talkfeed.toml) if given, else the talk section's title followed by the
    /// site's (`Recent & Upcoming Talks · Martin`). A tag's outputs put the
    /// tag in front (`Rust · Talks · Martin`); a section's are named as
    /// that section.
    pub fn title(&self) -> String {
        if let Some(g) = self.scope.filter(|g| g.kind == groups::GroupKind::Tag) {
            return format!("{} · {}", g.name, Context { scope: None, ..*self }.title());
        }
        if let Some(t) = &self.settings.title
            && self.scope.is_none()
        {
            return t.clone();
        }
        let section = self.section().and_then(|s| s.title.clone()).unwrap_or_else(|| String::from("Talks"));
        match &self.edition.site_title {
            Some(site) if *site != section => format!("{section} · {site}"),
            _ => section,
        }
    }

    /// The description of the calendar and feeds: `--description` (or the
    /// site's `params.description`), else the talk section's description.
    pub fn description(&self) -> Option<String> {
        self.edition.description.clone().or_else(|| self.section().and_then(|s| s.description.clone()))
    }

    /// The URL of the talk list: the tag's or section's page for their
    /// outputs; else the first talk section's page, else the home page of
    /// the edition's language.
    pub fn home_url(&self) -> String {
        let origin = self.base_url.origin().ascii_serialization();
        if let Some(g) = self.scope {
            return format!("{origin}{}", g.page);
        }
        match self.section() {
            Some(s) => format!("{origin}{}", s.permalink),
            None => format!("{origin}{}", self.edition.home_path),
        }
    }

    /// The section page that names the talks: for a section's outputs its
    /// own; else the top-level `_index.md` of the first configured section
    /// that has one, in the edition's language.
    fn section(&self) -> Option<&'a crate::model::SectionPage> {
        match self.scope {
            Some(g) if g.kind == groups::GroupKind::Section => groups::section_page(self, &g.slug),
            _ => self.settings.sections.iter().find_map(|name| groups::section_page(self, name)),
        }
    }

    /// When the content of these outputs was last revised, as the pages
    /// say: the newest `lastmod` (else publish date, else date) of the
    /// talks in scope, drafts and future ones included, and for the main
    /// outputs of the edition's section pages and other pages in the talk
    /// sections too. Never the clock; `None` when nothing is dated.
    pub fn content_revised(&self) -> Option<DateTime<FixedOffset>> {
        let talks = self.site.talks.iter().filter(|t| self.includes(t)).filter_map(|t| t.dates.revised());
        let lang = &self.edition.lang;
        let (sections, others) = match self.scope {
            None => (
                self.site.sections.iter().filter(|s| s.source.lang == *lang).filter_map(|s| s.revised).max(),
                self.site.not_talks.iter().filter(|p| p.source.lang == *lang).filter_map(|p| p.revised).max(),
            ),
            Some(_) => (None, None),
        };
        talks.chain(sections).chain(others).max()
    }

    /// The talks that go into the calendar, in calendar order: by start,
    /// then by UID.
    pub fn calendar_talks(&self) -> Vec<Dated<'a>> {
        let mut talks: Vec<(chrono::DateTime<chrono::Utc>, String, Dated<'a>)> = self
            .site
            .talks
            .iter()
            .filter(|t| self.includes(t) && publish::visibility(t, &self.settings.publish).in_calendar)
            .filter_map(|talk| Some(Dated { talk, when: talk.when? }))
            .map(|d| (start_instant(&d.when), self.uid(d.talk), d))
            .collect();
        talks.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        talks.into_iter().map(|(_, _, d)| d).collect()
    }
}

/// Where a link from a page goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A web address (absolute), to be a link.
    Web(String),
    /// Anything else (`javascript:…`), to be shown as text only.
    Text(String),
}

impl Target {
    /// The address, if it may be a link.
    pub fn href(&self) -> Option<&str> {
        match self {
            Target::Web(u) => Some(u),
            Target::Text(_) => None,
        }
    }

    /// The address as text, link or not.
    pub fn text(&self) -> &str {
        match self {
            Target::Web(u) | Target::Text(u) => u,
        }
    }
}

/// A talk with a start date: what a calendar can hold.
#[derive(Debug, Clone, Copy)]
pub struct Dated<'a> {
    /// The talk.
    pub talk: &'a Talk,
    /// When it happens (the talk's own `when`, known to be there).
    pub when: EventTime,
}

/// The instant a talk starts; all-day talks at the start of their first day, UTC.
pub fn start_instant(when: &EventTime) -> chrono::DateTime<chrono::Utc> {
    match when {
        EventTime::AllDay(r) => r.first().and_time(chrono::NaiveTime::MIN).and_utc(),
        EventTime::Timed(r) => r.start().to_utc(),
    }
}

/// When a talk happens, compactly: `2019-10-05 all-day`,
/// `2024-06-20 14:45 → 16:00 +02:00`.
pub fn when_text(when: &EventTime) -> String {
    match when {
        EventTime::AllDay(r) if r.first() == r.last() => format!("{} all-day", r.first()),
        EventTime::AllDay(r) => format!("{} → {} all-day", r.first(), r.last()),
        EventTime::Timed(r) => {
            let s = r.start();
            let day_time = |t: &DateTime<FixedOffset>| t.format("%Y-%m-%d %H:%M").to_string();
            match r.end() {
                None => format!("{} {}", day_time(&s), offset(&s)),
                Some(e) if e.offset() == s.offset() && e.date_naive() == s.date_naive() => {
                    format!("{} → {} {}", day_time(&s), e.format("%H:%M"), offset(&s))
                }
                Some(e) if e.offset() == s.offset() => format!("{} → {} {}", day_time(&s), day_time(&e), offset(&s)),
                Some(e) => format!("{} {} → {} {}", day_time(&s), offset(&s), day_time(&e), offset(&e)),
            }
        }
    }
}

/// When a talk happens, for readers: `Saturday, 5 October 2019, all day`,
/// `Thursday, 18 September 2025, 14:00–14:45 (UTC+02:00)`.
pub fn when_human(when: &EventTime) -> String {
    const DAY: &str = "%A, %-d %B %Y";
    let utc = |t: &DateTime<FixedOffset>| match offset(t).as_str() {
        "UTC" => String::from("UTC"),
        o => format!("UTC{o}"),
    };
    match when {
        EventTime::AllDay(r) if r.first() == r.last() => format!("{}, all day", r.first().format(DAY)),
        EventTime::AllDay(r) => format!("{} to {}, all day", r.first().format(DAY), r.last().format(DAY)),
        EventTime::Timed(r) => {
            let s = r.start();
            match r.end() {
                None => format!("{}, {} ({})", s.format(DAY), s.format("%H:%M"), utc(&s)),
                Some(e) if e.offset() == s.offset() && e.date_naive() == s.date_naive() => {
                    format!("{}, {}–{} ({})", s.format(DAY), s.format("%H:%M"), e.format("%H:%M"), utc(&s))
                }
                Some(e) => format!(
                    "{}, {} ({}) to {}, {} ({})",
                    s.format(DAY),
                    s.format("%H:%M"),
                    utc(&s),
                    e.format(DAY),
                    e.format("%H:%M"),
                    utc(&e)
                ),
            }
        }
    }
}

/// RFC 3339 with `Z` for UTC and no fraction unless there is one.
pub fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn offset(t: &DateTime<FixedOffset>) -> String {
    if t.offset().local_minus_utc() == 0 { String::from("UTC") } else { t.format("%:z").to_string() }
}

/// The place of a talk in one line: `location`, then the parts of the
/// address it does not already name (`Kalkscheune, Johannisstraße 2, 10117 Berlin, Germany`).
pub fn location_line(talk: &Talk) -> Option<String> {
    let mut parts: Vec<String> = talk.location.iter().cloned().collect();
    let a = &talk.address;
    let city = match (&a.postcode, &a.city) {
        (Some(p), Some(c)) => Some(format!("{p} {c}")),
        (p, c) => p.clone().or(c.clone()),
    };
    for part in [a.street.clone(), city, a.region.clone(), a.country.clone()].into_iter().flatten() {
        let known = parts.iter().any(|p| p.to_lowercase().contains(&part.to_lowercase()));
        if !known {
            parts.push(part);
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The talk's links with their labels, absolute: the `url_*` attachments
/// (PDF, slides, video, code, …) then the `links` list.
pub fn links(ctx: &Context<'_>, talk: &Talk) -> Vec<(String, Target)> {
    let mut out: Vec<(String, Target)> =
        talk.attachments.iter().map(|a| (attachment_label(&a.kind), ctx.link(talk, &a.url))).collect();
    out.extend(
        talk.links.iter().map(|l| (l.name.clone().unwrap_or_else(|| String::from("Link")), ctx.link(talk, &l.url))),
    );
    out
}

/// `PDF`, `Slides`, `Video`, `Code`, else the key with its first letter
/// capitalised (`url_poster` → `Poster`).
pub fn attachment_label(kind: &str) -> String {
    match kind {
        "pdf" => String::from("PDF"),
        "slides" => String::from("Slides"),
        "video" => String::from("Video"),
        "code" => String::from("Code"),
        other => {
            let text = other.replace('_', " ");
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// `link` resolved against `base`; as written if it cannot be.
fn absolute(base: &Url, link: &str) -> String {
    base.join(link).map(String::from).unwrap_or_else(|_| link.to_string())
}

/// The per-talk file name of a talk, without `.ics`: its content path
/// (`talk/product-coaching/index.md` → `talk-product-coaching`) reduced to
/// lower-case ASCII letters, digits, `-` and `_` (so nothing a page says can
/// leave the output folder or trip a file system), cut to 100 characters,
/// and a short hash of the content path (so two pages never share a name,
/// whatever their paths reduce to, and a talk's name never depends on the
/// other pages): `talk-product-coaching-7c1e04aa`.
pub fn file_name(talk: &Talk) -> String {
    format!("{}-{}", file_base(&talk.source.key), short_hash(&talk.source.key))
}

/// A file or folder name made from any `text`: reduced as [`file_name`]
/// reduces content paths (`fallback` when nothing is left), then a short
/// hash of `text`: `c-76516c8c` for `c++`.
pub(crate) fn safe_name(text: &str, fallback: &str) -> String {
    format!("{}-{}", ascii_name(text, fallback), short_hash(text))
}

fn short_hash(text: &str) -> String {
    let hash = Uuid::new_v5(&Uuid::NAMESPACE_URL, text.as_bytes()).simple().to_string();
    hash[..8].to_string()
}

fn file_base(key: &str) -> String {
    let without_ext = key.rsplit_once('.').map_or(key, |(stem, _)| stem);
    ascii_name(without_ext.strip_suffix("/index").unwrap_or(without_ext), "talk")
}

/// Lower-case ASCII letters, digits and `_`, any other run as one `-`, at
/// most 100 characters; `fallback` when nothing is left.
fn ascii_name(path: &str, fallback: &str) -> String {
    let mut name = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let mut name = name.trim_matches('-').to_string();
    name.truncate(100);
    let name = name.trim_end_matches('-');
    if name.is_empty() { fallback.to_string() } else { name.to_string() }
}

/// Where outputs go. Emitting writes only through a sink: the build's
/// [`crate::write::Transaction`], or [`Memory`] for tests and fuzzing.
pub trait Sink {
    /// Why an output could not be taken.
    type Error;
    /// Takes many small outputs: `(path under the output folder, bytes)`.
    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), Self::Error>;
    /// Takes one large output that `render` writes (possibly more than once).
    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error>;
}

/// The files of one edition's folder (the output folder, or `fr/` in it).
pub const EDITION_FILES: &[&str] =
    &[ics::CALENDAR_FILE, ics::UPCOMING_FILE, rss::FILE, atom::FILE, jsonfeed::FILE, page::FILE];

/// The languages of `site` that get outputs: the first of the settings'
/// editions (the default language, or `--language`) always, so a site
/// without talks still has a calendar to subscribe to; every other
/// language when it has talks.
pub fn editions(site: &Site, settings: &Settings) -> Vec<Edition> {
    settings
        .editions
        .iter()
        .enumerate()
        .filter(|(i, e)| *i == 0 || site.talks.iter().any(|t| t.source.lang == e.lang))
        .map(|(_, e)| e.clone())
        .collect()
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
/// folder: the calendars, one calendar per talk, the page and the three
/// feeds. Events and feed items are rendered in parallel, each once; the
/// large files are streamed, never held whole in memory.
pub fn emit<S: Sink>(ctx: &Context<'_>, sink: &mut S) -> Result<(), S::Error> {
    let sink = &mut Within { dir: &ctx.edition.dir, sink };
    let talks = ctx.calendar_talks();
    let events: Vec<String> = talks.par_iter().map(|d| ics::event(ctx, d)).collect();
    let all: Vec<&str> = events.iter().map(String::as_str).collect();
    let title = ctx.title();
    sink.put_stream(ics::CALENDAR_FILE, &mut |w| ics::write_calendar(ctx, ics::CALENDAR_FILE, &title, &all, w))?;
    // A calendar of what is still to come, for subscribers who do not want
    // years of past talks (some phones slow down with thousands of events).
    let now = ctx.settings.publish.now;
    let upcoming: Vec<&str> =
        talks.iter().zip(&events).filter(|(d, _)| page::ends(ctx, d) >= now).map(|(_, e)| e.as_str()).collect();
    let upcoming_title = format!("{title} (upcoming)");
    sink.put_stream(ics::UPCOMING_FILE, &mut |w| {
        ics::write_calendar(ctx, ics::UPCOMING_FILE, &upcoming_title, &upcoming, w)
    })?;
    let groups = groups::groups(ctx, &talks);
    let index = page::render(ctx, &talks, &groups);
    sink.put_stream(page::FILE, &mut |w| w.write_all(index.as_bytes()))?;
    drop(index);
    for g in &groups {
        let scoped = ctx.scoped(g);
        let events: Vec<&str> =
            talks.iter().zip(&events).filter(|(d, _)| g.contains(d.talk)).map(|(_, e)| e.as_str()).collect();
        let title = scoped.title();
        let path = format!("{}/{}", g.dir, ics::CALENDAR_FILE);
        sink.put_stream(&path, &mut |w| ics::write_calendar(&scoped, ics::CALENDAR_FILE, &title, &events, w))?;
    }
    let singles: Vec<(String, Vec<u8>)> = talks
        .par_iter()
        .zip(&events)
        .map(|(d, e)| (format!("{}/{}.ics", ics::TALKS_DIR, file_name(d.talk)), ics::single(e)))
        .collect();
    drop(all);
    drop(upcoming);
    drop(events);
    sink.put_many(singles)?;

    if groups.is_empty() {
        return write_feeds(&mut feed::Feed::new(ctx), "", sink);
    }
    // Each item is rendered once and copied into the feeds of its groups.
    let items = feed::Feed::items(ctx);
    for g in &groups {
        let scoped = ctx.scoped(g);
        let mine = items.iter().filter(|i| g.contains(i.talk)).cloned().collect();
        write_feeds(&mut feed::Feed::from_items(&scoped, mine), &format!("{}/", g.dir), sink)?;
    }
    write_feeds(&mut feed::Feed::from_items(ctx, items), "", sink)
}

/// Writes the three feeds of `feed` into the folder `dir` (`""` or `tags/rust/`).
fn write_feeds<S: Sink>(feed: &mut feed::Feed<'_>, dir: &str, sink: &mut S) -> Result<(), S::Error> {
    sink.put_stream(&format!("{dir}{}", jsonfeed::FILE), &mut |w| jsonfeed::write(feed, w))?;
    let channel = rss::channel(feed);
    sink.put_stream(&format!("{dir}{}", rss::FILE), &mut |w| rss::write(&channel, w))?;
    rss::give_back(channel, feed);
    let atom = atom::feed_of(feed);
    sink.put_stream(&format!("{dir}{}", atom::FILE), &mut |w| atom::write(&atom, w))
}

/// A sink that keeps every output in memory.
#[derive(Debug, Default)]
pub struct Memory(pub Vec<Output>);

impl Sink for Memory {
    type Error = std::convert::Infallible;

    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), Self::Error> {
        self.0.extend(outputs.into_iter().map(|(path, bytes)| Output { path, bytes }));
        Ok(())
    }

    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error> {
        let mut bytes = Vec::new();
        render(&mut bytes).expect("writing to memory cannot fail");
        self.0.push(Output { path: path.to_string(), bytes });
        Ok(())
    }
}

/// Renders every output of `site`, every edition, in memory (for tests and
/// fuzzing; `build` streams into its transaction instead).
pub fn render(site: &Site, settings: &Settings) -> Result<Vec<Output>, EmitError> {
    let editions = editions(site, settings);
    let mut memory = Memory::default();
    for edition in &editions {
        let ctx = Context::new(site, settings, edition, &editions)?;
        let Ok(()) = emit(&ctx, &mut memory);
    }
    Ok(memory.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_text_forms() {
        use crate::model::{DayRange, TimeRange};
        let d = |s: &str| s.parse().unwrap();
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(when_text(&EventTime::AllDay(DayRange::single(d("2019-10-05")))), "2019-10-05 all-day");
        assert_eq!(
            when_text(&EventTime::AllDay(DayRange::new(d("2020-10-05"), d("2020-10-09")).unwrap())),
            "2020-10-05 → 2020-10-09 all-day"
        );
        let r = |a: &str, b: Option<&str>| EventTime::Timed(TimeRange::new(t(a), b.map(t)).unwrap());
        assert_eq!(when_text(&r("2024-06-20T14:45:00+02:00", None)), "2024-06-20 14:45 +02:00");
        assert_eq!(
            when_text(&r("2024-06-20T14:45:00+02:00", Some("2024-06-20T16:00:00+02:00"))),
            "2024-06-20 14:45 → 16:00 +02:00"
        );
        assert_eq!(
            when_text(&r("2024-03-04T14:10:00Z", Some("2024-03-07T14:35:00Z"))),
            "2024-03-04 14:10 → 2024-03-07 14:35 UTC"
        );
        assert_eq!(
            when_text(&r("2024-03-04T14:10:00+01:00", Some("2024-03-07T14:35:00+02:00"))),
            "2024-03-04 14:10 +01:00 → 2024-03-07 14:35 +02:00"
        );
        assert_eq!(
            when_human(&EventTime::AllDay(DayRange::single(d("2019-10-05")))),
            "Saturday, 5 October 2019, all day"
        );
        assert_eq!(
            when_human(&r("2025-09-18T14:00:00+02:00", Some("2025-09-18T14:45:00+02:00"))),
            "Thursday, 18 September 2025, 14:00–14:45 (UTC+02:00)"
        );
    }

    #[test]
    fn file_bases_are_safe() {
        assert_eq!(file_base("talk/product-coaching/index.md"), "talk-product-coaching");
        assert_eq!(file_base("talk/2019/Köln Talk.md"), "talk-2019-k-ln-talk");
        assert_eq!(file_base("talk/../../etc/passwd.md"), "talk-etc-passwd");
        assert_eq!(file_base("....md"), "talk");
        assert_eq!(file_base(&format!("talk/{}/{}/index.md", "b".repeat(125), "b".repeat(125))).len(), 100);
    }
}
