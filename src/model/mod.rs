//! The talk model: what talkfeed understood of each page, checked and typed.
//!
//! Emitters read this and nothing else. Types make wrong states impossible
//! where they can: an event is either a range of whole days ([`DayRange`],
//! inclusive) or a range of instants ([`TimeRange`], end after start), and
//! their constructors refuse empty or reversed ranges.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

mod time;
pub use time::{DayRange, EventTime, TimeRange, Zone, ZoneSource, Zones, parse_timezone};

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
    /// The sections read: the talk sections, and any other section found
    /// to hold the talks (`load::detect`).
    pub sections: Vec<String>,
    /// Display names of author pages (`content/authors/<slug>/_index.md`
    /// `title`), by language, then slug.
    pub author_names: BTreeMap<String, BTreeMap<String, String>>,
}

impl Site {
    /// Moves every talk's Markdown body out, in the order of `talks`,
    /// leaving each empty: the body is the largest part of a talk, and once
    /// rendered (see [`crate::view::make_views`]) it is not needed again, so a
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
