//! The talk model: what talkfeed understood of each page, checked and typed.
//!
//! Emitters read this and nothing else. Types make wrong states impossible
//! where they can: an event is either a range of whole days ([`DayRange`],
//! inclusive) or a range of instants ([`TimeRange`], end after start), and
//! their constructors refuse empty or reversed ranges.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

/// Everything talkfeed read from a site.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The talks, in content-path order.
    pub talks: Vec<Talk>,
    /// The list pages (`_index.md`) of the talk sections.
    pub list_pages: Vec<ListPage>,
    /// Pages in talk sections that are not talks, with the reason.
    pub not_talks: Vec<NotATalkPage>,
    /// Pages of languages not read: disabled in the site config, or other
    /// than `--language`, with their language.
    pub set_aside: Vec<(PathBuf, String)>,
    /// Talk pages that have errors (their talks are missing from `talks`).
    pub failed: Vec<PathBuf>,
    /// List pages that have errors (their `cascade` is unknown).
    pub failed_list_pages: Vec<PathBuf>,
    /// The talk section folders found.
    pub section_folders: Vec<PathBuf>,
    /// Display names of author pages (`content/authors/<slug>/_index.md`
    /// `title`), by language, then slug.
    pub author_names: BTreeMap<String, BTreeMap<String, String>>,
}

impl Site {
    /// Moves every talk's Markdown body out, in the order of `talks`,
    /// leaving each empty: the body is the largest part of a talk, and once
    /// rendered (see [`crate::view::build`]) it is not needed again, so a
    /// build never holds it twice.
    pub fn take_bodies(&mut self) -> Vec<String> {
        self.talks.iter_mut().map(|t| std::mem::take(&mut t.body)).collect()
    }

    /// A copy of every talk's Markdown body, in the order of `talks`, for
    /// rendering while the site keeps its own.
    pub fn bodies(&self) -> Vec<String> {
        self.talks.iter().map(|t| t.body.clone()).collect()
    }
}

/// When a talk happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventTime {
    /// Whole days, as written in the front matter (no time zone applies).
    AllDay(DayRange),
    /// Instants, each with the UTC offset it was written in (or that the
    /// site time zone gave it).
    Timed(TimeRange),
}

impl EventTime {
    /// The instant the talk starts; an all-day talk at the start of its
    /// first day, UTC (for ordering talks, not for showing them).
    pub fn start_instant(&self) -> chrono::DateTime<chrono::Utc> {
        match self {
            EventTime::AllDay(r) => r.first().and_time(chrono::NaiveTime::MIN).and_utc(),
            EventTime::Timed(r) => r.start().to_utc(),
        }
    }

    /// The instant the talk is over: its end, else its start plus
    /// `default_duration`; an all-day talk at the end of its last day, UTC
    /// (the earliest zone's reading would be later: a talk stays "upcoming"
    /// a little long rather than vanishing early).
    pub fn end_instant(&self, default_duration: chrono::Duration) -> chrono::DateTime<chrono::Utc> {
        match self {
            EventTime::AllDay(r) => r.last().succ_opt().unwrap_or(r.last()).and_time(chrono::NaiveTime::MIN).and_utc(),
            EventTime::Timed(r) => r.end().map_or(r.start().to_utc() + default_duration, |e| e.to_utc()),
        }
    }

    /// The calendar date the talk starts on, as written.
    pub fn first_day(&self) -> NaiveDate {
        match self {
            EventTime::AllDay(r) => r.first(),
            EventTime::Timed(r) => r.start().date_naive(),
        }
    }
}

/// A range of whole days, `first` to `last` **inclusive** (a one-day talk
/// has `first == last`). Calendar formats that want an exclusive end (iCalendar
/// `DTEND;VALUE=DATE`) must add one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DayRange {
    first: NaiveDate,
    last: NaiveDate,
}

impl DayRange {
    /// The days `first..=last`; `None` if `last` is before `first`.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Option<DayRange> {
        (last >= first).then_some(DayRange { first, last })
    }

    /// One day.
    pub fn single(day: NaiveDate) -> DayRange {
        DayRange { first: day, last: day }
    }

    /// The first day.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last day (inclusive).
    pub fn last(&self) -> NaiveDate {
        self.last
    }
}

/// A range of instants. `end`, when present, is after `start`; a talk whose
/// page gives no (usable) end has `None`, and each emitter decides what that
/// means for its format (a default duration in iCalendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TimeRange {
    start: DateTime<FixedOffset>,
    end: Option<DateTime<FixedOffset>>,
    zone: Zone,
}

/// The time zone a timed talk is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Zone {
    /// A named zone (IANA): the talk's offsets are the zone's at its
    /// times, and its local times read back to the same instants (a local
    /// time that happens twice reads as the first, as RFC 5545 says).
    Named {
        /// The zone.
        #[serde(serialize_with = "zone_name")]
        tz: Tz,
        /// Where it comes from.
        source: ZoneSource,
    },
    /// UTC. `instead_of` is the zone that would apply but cannot: the
    /// page's offset is not that zone's at the talk's time (a talk abroad,
    /// or a time written in UTC), or its local time names another instant.
    Utc {
        /// The zone that did not fit, and where it comes from.
        #[serde(serialize_with = "zone_name_of")]
        instead_of: Option<(Tz, ZoneSource)>,
    },
}

/// Where a talk's zone comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneSource {
    /// The page's `timezone` (or `time_zone`).
    Page,
    /// The site's `timeZone` (or `--timezone`).
    Site,
}

fn zone_name<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn zone_name_of<S: serde::Serializer>(z: &Option<(Tz, ZoneSource)>, s: S) -> Result<S::Ok, S::Error> {
    match z {
        Some((tz, _)) => s.serialize_some(tz.name()),
        None => s.serialize_none(),
    }
}

impl Zone {
    /// Whether `tz` is UTC under another name (`Etc/UTC`, `GMT`, …): times
    /// in it are written in UTC.
    pub fn is_utc(tz: Tz) -> bool {
        matches!(
            tz.name(),
            "UTC"
                | "Etc/UTC"
                | "Etc/UCT"
                | "UCT"
                | "Etc/Universal"
                | "Universal"
                | "Etc/Zulu"
                | "Zulu"
                | "GMT"
                | "Etc/GMT"
                | "Etc/GMT+0"
                | "Etc/GMT-0"
                | "Etc/GMT0"
                | "GMT+0"
                | "GMT-0"
                | "GMT0"
                | "Greenwich"
                | "Etc/Greenwich"
        )
    }

    /// Whether `at` can be written as a local time in `tz`: `tz` gives it
    /// its offset, and that local time means `at` and nothing else. A local
    /// time that happens twice (clocks going back) is not: RFC 5545 says a
    /// TZID time means the first, but ical.js (Thunderbird) reads the
    /// second, so such a time is written in UTC, which all read alike.
    pub fn reads_back(tz: Tz, at: DateTime<FixedOffset>) -> bool {
        use chrono::{LocalResult, Offset, TimeZone};
        let local = at.naive_local();
        tz.offset_from_utc_datetime(&at.naive_utc()).fix() == *at.offset()
            && matches!(tz.from_local_datetime(&local), LocalResult::Single(t) if t.fixed_offset() == at)
    }

    /// Why `at` cannot be written in `tz` ([`Zone::reads_back`] is false):
    /// `Europe/Berlin is at +02:00 then` or `2024-10-27 02:30 happens twice
    /// in Europe/Berlin`.
    pub fn why_not(tz: Tz, at: DateTime<FixedOffset>) -> String {
        use chrono::{Offset, TimeZone};
        let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
        if offset == *at.offset() {
            format!(
                "{} happens twice in {tz} (calendar apps differ on which one a local time means)",
                at.naive_local().format("%Y-%m-%d %H:%M")
            )
        } else {
            format!("{tz} is at {offset} then")
        }
    }

    /// The named zone, if the talk is written in one.
    pub fn tz(&self) -> Option<Tz> {
        match self {
            Zone::Named { tz, .. } => Some(*tz),
            Zone::Utc { .. } => None,
        }
    }
}

impl TimeRange {
    /// A range from `start` to `end`, in UTC; `None` if `end` is not after
    /// `start`.
    pub fn new(start: DateTime<FixedOffset>, end: Option<DateTime<FixedOffset>>) -> Option<TimeRange> {
        match end {
            Some(e) if e <= start => None,
            _ => Some(TimeRange { start, end, zone: Zone::Utc { instead_of: None } }),
        }
    }

    /// The same range in `tz` (from `source`) when its times can be
    /// written there ([`Zone::reads_back`]), else in UTC, saying which zone
    /// did not fit. A zone that is UTC under another name is UTC.
    pub fn in_zone(self, tz: Tz, source: ZoneSource) -> TimeRange {
        let zone = if Zone::is_utc(tz) {
            Zone::Utc { instead_of: None }
        } else if [Some(self.start), self.end].into_iter().flatten().all(|t| Zone::reads_back(tz, t)) {
            Zone::Named { tz, source }
        } else {
            Zone::Utc { instead_of: Some((tz, source)) }
        };
        TimeRange { zone, ..self }
    }

    /// The start.
    pub fn start(&self) -> DateTime<FixedOffset> {
        self.start
    }

    /// The end, if the page gives one that is after the start.
    pub fn end(&self) -> Option<DateTime<FixedOffset>> {
        self.end
    }

    /// The zone the talk is shown in.
    pub fn zone(&self) -> Zone {
        self.zone
    }
}

/// Which front-matter key gave the talk's start. It depends on the theme
/// era the page was written for (see the README, "Theme eras").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartKey {
    /// Hugo Blox 2026 namespaced keys: `event_start` (`date` is the page date).
    EventStart,
    /// Academic v2–v3 (2017-10 → 2019-02): `time_start` (`date` is the publish date).
    TimeStart,
    /// Academic v1 and v4 → Wowchemy → Hugo Blox 2025: `date`.
    Date,
}

impl StartKey {
    /// The key as written in front matter.
    pub fn key(self) -> &'static str {
        match self {
            StartKey::EventStart => "event_start",
            StartKey::TimeStart => "time_start",
            StartKey::Date => "date",
        }
    }
}

/// Whether the talk takes place as announced (iCalendar `STATUS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Takes place (the default).
    #[default]
    Confirmed,
    /// Not certain yet.
    Tentative,
    /// Called off; kept so subscribers see the cancellation.
    Cancelled,
}

/// A postal address (`address:` map of the theme); every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Address {
    /// Street and number.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Region, state or province.
    pub region: Option<String>,
    /// Postal code (numbers are kept as written: `5000`).
    pub postcode: Option<String>,
    /// Country.
    pub country: Option<String>,
}

impl Address {
    /// Returns true if and only if no part is given.
    pub fn is_empty(&self) -> bool {
        self.parts().next().is_none()
    }

    /// The given parts in postal order: street, postcode, city, region, country.
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        [&self.street, &self.postcode, &self.city, &self.region, &self.country].into_iter().filter_map(|p| p.as_deref())
    }
}

/// A point on Earth, in degrees (WGS 84), as iCalendar's `GEO` wants it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coordinates {
    /// -90 (south) to 90 (north).
    pub latitude: f64,
    /// -180 (west) to 180 (east).
    pub longitude: f64,
}

/// How people attend a talk (see `normalize::online` for how it is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// At a place.
    InPerson,
    /// From afar only.
    Online,
    /// At a place and from afar.
    Hybrid,
}

/// What a join link leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinKind {
    /// A meeting to join, with sound and picture (Zoom, Meet, Teams, …).
    Meeting,
    /// A live stream to watch.
    Stream,
}

/// A link to join or watch a talk live (never its recording).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct JoinLink {
    /// The target, as written.
    pub url: String,
    /// Meeting or stream.
    pub kind: JoinKind,
    /// The link's name on the page, if it has one.
    pub label: Option<String>,
}

/// An entry of the theme's `links:` list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Link {
    /// The label (`name`), or for typed links (`type: slides`) the type's label.
    pub name: Option<String>,
    /// The target, as written (may be relative to the page).
    pub url: String,
    /// Typed links (`type: slides`, Hugo Blox) keep their type.
    pub kind: Option<String>,
    /// Icon name, for themes that show one.
    pub icon: Option<String>,
    /// Icon pack (`fab`, `fas`, …).
    pub icon_pack: Option<String>,
}

/// A `url_*` key: `url_slides`, `url_video`, `url_pdf`, `url_code` or any other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Attachment {
    /// The part after `url_` (`slides`, `video`, `pdf`, `code`, `poster`, …).
    pub kind: String,
    /// The target, as written (may be relative to the page).
    pub url: String,
}

/// The `image:` map (featured image settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Image {
    /// Caption (Markdown).
    pub caption: Option<String>,
    /// Focal point (`Smart`, `Center`, …).
    pub focal_point: Option<String>,
    /// Image file, relative to the bundle or to `assets/media/`.
    pub filename: Option<String>,
}

/// A page's dates as Hugo resolves them (not the event dates): with Hugo's
/// fallbacks (`date` ← date, publishDate, lastmod; `publishDate` ← publishDate,
/// date; `lastmod` ← lastmod, date, publishDate), times without offset read
/// in the site time zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PageDates {
    /// Hugo's `.Date`.
    pub date: Option<DateTime<FixedOffset>>,
    /// Hugo's `.PublishDate`: the page is not published before it.
    pub publish: Option<DateTime<FixedOffset>>,
    /// Hugo's `.Lastmod`.
    pub lastmod: Option<DateTime<FixedOffset>>,
    /// Hugo's `.ExpiryDate`: the page is withdrawn after it.
    pub expiry: Option<DateTime<FixedOffset>>,
    /// `publishDate` as written on the page (no fallback).
    pub written_publish: Option<DateTime<FixedOffset>>,
    /// `lastmod` as written on the page (no fallback).
    pub written_lastmod: Option<DateTime<FixedOffset>>,
}

impl PageDates {
    /// When the page's information was last revised, as far as the page
    /// says: `lastmod`, else `publishDate`, else the page date. Hugo's own
    /// `.Lastmod` falls back to `date`, which on most talk pages is the
    /// talk's start, possibly in the future.
    pub fn revised(&self) -> Option<DateTime<FixedOffset>> {
        self.written_lastmod.or(self.written_publish).or(self.date)
    }
}

/// Where a talk or section page comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    /// The file as found on disk (joined onto the site path given on the
    /// command line), for messages.
    pub path: PathBuf,
    /// The file relative to its language's content folder, `/`-separated
    /// (`talk/product-coaching/index.md`).
    pub content_path: String,
    /// `content_path` without a language suffix (`talk/x/index.fr.md` →
    /// `talk/x/index.md`): the same for every translation of a page, so the
    /// talk's identity does not depend on the language read.
    pub key: String,
    /// The page's language (the site's default language unless the file
    /// name or folder says otherwise).
    pub lang: String,
    /// The top-level section it is in (`talk`, `event`), as discovery found it.
    pub section: String,
    /// For a leaf bundle, the name of its featured image (`featured.jpg`), if any.
    pub featured_image: Option<String>,
}

/// One talk, as the emitters see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Talk {
    /// The page it comes from.
    pub source: Source,
    /// `title` (trimmed).
    pub title: String,
    /// `subtitle`.
    pub subtitle: Option<String>,
    /// When it happens; `None` for a talk page without a start date, which
    /// Hugo publishes undated and no calendar can hold (it may still be in
    /// the feeds).
    pub when: Option<EventTime>,
    /// The key that gave the start, or for an undated talk the key that
    /// should (era-dependent).
    pub start_key: StartKey,
    /// The key that gave the end, if an end was used.
    pub end_key: Option<&'static str>,
    /// `event` (`event_name` in Hugo Blox 2026).
    pub event: Option<String>,
    /// `event_url`, as written.
    pub event_url: Option<String>,
    /// `location` (free text).
    pub location: Option<String>,
    /// `address`.
    pub address: Address,
    /// How people attend it, where the page says (its location, its links).
    pub attendance: Option<Attendance>,
    /// The links to join or watch it live.
    pub join: Vec<JoinLink>,
    /// `summary` (or the v1 `abstract_short`).
    pub summary: Option<String>,
    /// `abstract`.
    pub abstract_text: Option<String>,
    /// Hugo's page dates.
    pub dates: PageDates,
    /// `draft`.
    pub draft: bool,
    /// `status` (talkfeed's key): confirmed, tentative or cancelled.
    pub status: Status,
    /// `coordinates` (`latitude`, `longitude`): where the talk is, if given.
    pub coordinates: Option<Coordinates>,
    /// `uid` (talkfeed's key): an explicit, permanent identity for calendars.
    pub uid: Option<String>,
    /// `authors` (or a single `author`), as written: names or author slugs.
    pub authors: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `categories`.
    pub categories: Vec<String>,
    /// `links`.
    pub links: Vec<Link>,
    /// `url_*` keys, in the order pdf, slides, video, code, then the rest by name.
    pub attachments: Vec<Attachment>,
    /// `slides`: the name of a Markdown slide deck in `content/slides/`.
    pub slides: Option<String>,
    /// `projects`.
    pub projects: Vec<String>,
    /// `featured` (`selected` before 2019).
    pub featured: bool,
    /// `image` (or the v1/v2 `header`).
    pub image: Option<Image>,
    /// `slug`.
    pub slug: Option<String>,
    /// `url`.
    pub url: Option<String>,
    /// `aliases`.
    pub aliases: Vec<String>,
    /// `weight`.
    pub weight: Option<i64>,
    /// The page's path on the site as Hugo builds it (`/talk/product-coaching/`),
    /// percent-encoded, without the base URL.
    pub permalink: String,
    /// The Markdown body, as written (empty once [`Site::take_bodies`] has
    /// moved it out for rendering).
    pub body: String,
    /// The file line on which the body starts.
    pub body_line: u32,
}

impl Talk {
    /// The talk's permanent identity: its `uid` if the page gives one, else
    /// a UUID (version 5) of the base URL and the page's content path
    /// (without language suffix), and for a page in another language than
    /// the site's default (`default_language`) that language too. It does
    /// not change when the title, the date or the slug change, differs
    /// between two sites that both have `talk/example/`, between two pages
    /// that share a permalink, and between the translations of one talk
    /// (a subscriber of two languages' calendars sees two events). It is
    /// the iCalendar `UID` and the feed item id.
    pub fn uid(&self, base_url: &url::Url, default_language: &str) -> String {
        match &self.uid {
            Some(uid) => uid.clone(),
            None => {
                let name = if self.source.lang == default_language {
                    format!("{base_url}{}", self.source.key)
                } else {
                    format!("{base_url}{}#lang={}", self.source.key, self.source.lang)
                };
                uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
            }
        }
    }
}

/// Why a page in a talk section is not a talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotATalk {
    /// A widget page or headless bundle (`headless: true`, `widget:`, `type: widget_page`).
    Widget,
    /// A publication (`publication_types`, `publication`) filed under talks.
    Publication,
    /// The theme's example talk, left in the site.
    ThemeExample,
    /// A page with no event information and no body: a `hugo new` stub.
    Stub,
    /// An HTML file without front matter (a resource, e.g. pandoc output).
    HtmlWithoutFrontMatter,
}

impl NotATalk {
    /// A short description, for listings.
    pub fn describe(self) -> &'static str {
        match self {
            NotATalk::Widget => "widget page",
            NotATalk::Publication => "publication",
            NotATalk::ThemeExample => "theme example",
            NotATalk::Stub => "stub without event details",
            NotATalk::HtmlWithoutFrontMatter => "HTML without front matter",
        }
    }
}

/// A page in a talk section that is not a talk: left out of every output,
/// reported with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotATalkPage {
    /// The page.
    pub source: Source,
    /// Why it is not a talk.
    pub reason: NotATalk,
    /// When it was last revised, as its dates say (it is content of the
    /// section too: a feed with no talks is as new as its newest page).
    pub revised: Option<DateTime<FixedOffset>>,
}

/// The scheme of a link target as a browser reads it (`javascript` for
/// ` JaVa\tScRiPt:alert(1)` or `javascript&#58;…`), lower-cased; `None`
/// for a relative target (`slides.pdf`, `/talk/x/`, `//host/x`).
pub fn link_scheme(target: &str) -> Option<String> {
    // Browsers drop tabs and newlines anywhere in a URL and trim spaces
    // and control characters around it; an HTML reader decodes entities.
    let cleaned: String = target.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.trim_matches(|c: char| c.is_control() || c == ' ');
    let decoded = decode_colon_entities(cleaned);
    let end = decoded.find([':', '/', '?', '#'])?;
    if !decoded[end..].starts_with(':') {
        return None;
    }
    let scheme = &decoded[..end];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// `&#58;`, `&#x3a;`, `&colon;` (any case, leading zeros, no `;`) → `:`.
fn decode_colon_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let lower = after.to_ascii_lowercase();
        let entity = if let Some(num) = lower.strip_prefix("#x") {
            let digits = num.len() - num.trim_start_matches(|c: char| c.is_ascii_hexdigit()).len();
            u32::from_str_radix(&num[..digits], 16).ok().filter(|n| *n == 58).map(|_| 2 + digits)
        } else if let Some(num) = lower.strip_prefix('#') {
            let digits = num.len() - num.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            num[..digits].parse::<u32>().ok().filter(|n| *n == 58).map(|_| 1 + digits)
        } else {
            lower.starts_with("colon").then_some(5)
        };
        match entity {
            Some(len) => {
                out.push(':');
                rest = after[len..].strip_prefix(';').unwrap_or(&after[len..]);
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a link target from a page may become a link: a web address
/// (`http`, `https`), an e-mail (`mailto`) or a relative path. Anything else
/// (`javascript:`, `data:`, `vbscript:`, `file:`) is shown as text only.
pub fn is_web_link(target: &str) -> bool {
    link_scheme(target).is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
}

/// A section's list page (`_index.md`, Hugo's branch bundle): not a talk,
/// but its title and description are the natural title of a feed of its
/// talks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListPage {
    /// The page it comes from.
    pub source: Source,
    /// `title`.
    pub title: Option<String>,
    /// `description`, else `summary`, else `subtitle`, as plain text (it
    /// may be written in Markdown).
    pub description: Option<String>,
    /// The section's path on the site (`/talk/`).
    pub permalink: String,
    /// Its own `lastmod`, else its `date`, if it gives one.
    pub revised: Option<DateTime<FixedOffset>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn day_ranges_cannot_run_backwards() {
        assert!(DayRange::new(d("2019-10-05"), d("2019-10-04")).is_none());
        assert_eq!(DayRange::new(d("2019-10-05"), d("2019-10-05")), Some(DayRange::single(d("2019-10-05"))));
    }

    #[test]
    fn time_ranges_need_an_end_after_the_start() {
        let s = t("2019-10-05T10:00:00Z");
        assert!(TimeRange::new(s, Some(s)).is_none());
        assert!(TimeRange::new(s, Some(t("2019-10-05T09:00:00Z"))).is_none());
        // Instants, not wall clocks: 11:00+02:00 is before 10:00Z.
        assert!(TimeRange::new(s, Some(t("2019-10-05T11:00:00+02:00"))).is_none());
        assert!(TimeRange::new(s, None).is_some());
    }

    #[test]
    fn only_web_addresses_and_relative_paths_are_links() {
        for ok in [
            "https://x.org/a",
            "HTTP://x.org",
            "mailto:a@b.org",
            "slides.pdf",
            "/talk/x/",
            "//cdn.x/a",
            "a?b:c",
            "#top",
        ] {
            assert!(is_web_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "javascript&#58;alert(1)",
            "javascript&#x3A;alert(1)",
            "javascript&#0000058alert(1)",
            "javascript&colon;alert(1)",
            "data:text/html,<script>",
            "VBScript:msgbox",
            "file:///etc/passwd",
        ] {
            assert!(!is_web_link(bad), "{bad:?}");
        }
        assert_eq!(link_scheme("javascript&#58;x").as_deref(), Some("javascript"));
    }

    #[test]
    fn address_parts_in_postal_order() {
        let a = Address { city: Some("Namur".into()), postcode: Some("5000".into()), ..Address::default() };
        assert_eq!(a.parts().collect::<Vec<_>>(), ["5000", "Namur"]);
        assert!(Address::default().is_empty());
    }
}
