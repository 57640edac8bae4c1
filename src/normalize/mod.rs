//! Normalisation: one page's front matter → a checked [`Talk`].
//!
//! Reads every key the theme has used in any era (README, "Front-matter
//! keys"), accepts the loose forms real sites write, and reports what it
//! cannot accept as diagnostics pointing at the key. Pages in a talk section
//! that are not talks (widget pages, publications, the theme's example talk,
//! `hugo new` stubs) are recognised and left out with a reason.

mod fields;
mod online;
mod when;

use crate::diag::{DiagKind, Diagnostic};
use crate::discover::{PageFile, PageKind};
use crate::frontmatter::{FrontMatter, Map, Value};
pub use crate::model::NotATalk;
use crate::model::Zones;
use crate::model::{
    Address, Attachment, Coordinates, Image, Link, ListPage, NotATalkPage, Source, Status, Talk, ZoneSource,
};
use crate::permalink::{self, PageUrl};
use crate::publish::PublishPolicy;
use fields::Fields;

/// How pages are read: the rules normalisation follows. Made by `settings`.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The zones dates without an offset are read in.
    pub zones: Zones,
    /// A talk page that cannot go into the calendars (no start date) is an
    /// error, not a warning.
    pub strict: bool,
    /// The theme's example talk is published like any talk.
    pub include_example: bool,
    /// The length of a timed talk whose page gives no end.
    pub default_duration: chrono::Duration,
    /// Which pages are published (for the warnings about when).
    pub publish: PublishPolicy,
}

/// What became of one page.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A talk.
    Talk(Box<Talk>),
    /// Not a talk, for the reason given.
    NotATalk(NotATalkPage),
    /// The page has errors (reported as diagnostics).
    Failed,
}

/// The title and event name of the theme's example talk page in every era
/// (every version in the HugoBlox/hugo-blox-builder, academic-kickstart
/// and starter-hugo-research-group histories). A page with both is the
/// example left in place; a real talk that kept only the example's event
/// name (`event: Academic Theme Conference`) is a talk.
const THEME_EXAMPLES: [(&str, &str); 6] = [
    ("Example Talk", "Academic Theme Conference"),
    ("Example Talk", "Hugo Academic Theme Conference"),
    ("Example Talk", "Wowchemy Conference"),
    ("Example Event", "Wowchemy Conference"),
    ("Example Talk", "Hugo Blox Builder Conference"),
    ("Create Beautiful Presentations with Markdown", "HugoBlox Showcase"),
];

/// Keys that say a page describes a talk; a page with none of them (or
/// only empty ones) and an empty body is a `hugo new` stub, which has just
/// `title`, `date`, `draft`, empty `tags`/`categories` and an empty `image`.
const TALK_KEYS: [&str; 26] = [
    "event",
    "event_name",
    "event_url",
    "location",
    "address",
    "time_start",
    "time_end",
    "event_start",
    "event_end",
    "date_end",
    "all_day",
    "event_all_day",
    "abstract",
    "abstract_short",
    "summary",
    "subtitle",
    "links",
    "slides",
    "authors",
    "author",
    "tags",
    "categories",
    "projects",
    "publishdate",
    "uid",
    "status",
];

/// The most tags (and the most speakers) one talk may have: each is a
/// group with outputs of its own that hold the talk, and each of the talk's
/// items lists them all, so their number multiplies (real talks have a
/// handful; 1,000 tags on one page would write a gigabyte).
pub const MAX_GROUPS_PER_TALK: usize = 100;

/// The source description of `file`.
pub fn source_of(file: &PageFile) -> Source {
    Source {
        path: file.path.clone(),
        content_path: file.content_path.clone(),
        key: file.translation_key.clone(),
        lang: file.lang.clone(),
        section: file.section.clone(),
        featured_image: file.featured_image.clone(),
    }
}

/// Normalises one talk page. `map` is the front matter with cascaded
/// values already merged in; `fm` is `None` for a page without front matter.
pub fn talk(
    file: &PageFile,
    fm: Option<&FrontMatter<'_>>,
    map: &Map,
    body: &str,
    body_line: u32,
    rules: &Rules,
    urls: &permalink::UrlConfig,
) -> (Outcome, Vec<Diagnostic>) {
    let source = source_of(file);
    if fm.is_none() && file.is_html() {
        let page = NotATalkPage { source, reason: NotATalk::HtmlWithoutFrontMatter, revised: None };
        return (Outcome::NotATalk(page), Vec::new());
    }
    let mut f = Fields::new(map, fm, &file.path);
    if fm.is_none() && map.is_empty() && body.trim().is_empty() {
        f.push(
            Diagnostic::warning(DiagKind::NotATalk, "the file is empty; left out")
                .hint("delete it, or give it front matter with a title and a date"),
            &[],
        );
        return (Outcome::NotATalk(NotATalkPage { source, reason: NotATalk::Stub, revised: None }), f.into_diags());
    }

    if let Some(reason) = not_a_talk(&f, body, rules) {
        let d = match reason {
            NotATalk::Widget | NotATalk::HtmlWithoutFrontMatter => None,
            NotATalk::Publication => Some(
                Diagnostic::warning(
                    DiagKind::NotATalk,
                    "this page is a publication (it has `publication_types`), not a talk; left out",
                )
                .hint("move it to content/publication/, or remove the publication keys if it is a talk"),
            ),
            NotATalk::ThemeExample => Some(
                Diagnostic::warning(
                    DiagKind::NotATalk,
                    format!(
                        "this page is the theme's example talk (its `title` and `{}` are the example's); left out",
                        if f.get("event_name").is_some() { "event_name" } else { "event" }
                    ),
                )
                .hint("delete it, or pass --include-example (include_example = true in talkfeed.toml) to publish it"),
            ),
            NotATalk::Stub => Some(
                Diagnostic::warning(
                    DiagKind::NotATalk,
                    "this page has no event details and no text (a `hugo new` stub?); left out",
                )
                .hint("add `event:`, `location:` or an abstract if it is a talk, or delete it"),
            ),
        };
        if let Some(d) = d {
            f.push(d, &[]);
        }
        // Left out, but not unchecked: a broken date is the same mistake,
        // with the same message, as on a talk (Hugo's templates fail on it).
        let tz = rules.zones.for_lang(&file.lang);
        let start_key = when::start_key(&f);
        let _ = when::event_time(&mut f, tz);
        let dates = when::page_dates(&mut f, tz, start_key);
        return (Outcome::NotATalk(NotATalkPage { source, reason, revised: dates.revised() }), f.into_diags());
    }

    let tz = rules.zones.for_lang(&file.lang);
    let title = f.text("title");
    if title.is_none() && f.get("title").is_none() {
        f.push(
            Diagnostic::error(DiagKind::WrongType, "the talk has no title").hint("add `title: …` to the front matter"),
            &[],
        );
    }
    let start_key = when::start_key(&f);
    // The talk's times are read in the zone the page names, else the
    // site's; the page dates (publication) always in the site's, as Hugo.
    let (zone, zone_source) = match when::read_zone(&mut f) {
        Some(page_zone) => (page_zone, ZoneSource::Page),
        None => (tz, ZoneSource::Site),
    };
    let when = when::event_time(&mut f, zone).in_zone(zone, zone_source);
    if let when::Start::Dated(w) = &when {
        when::zone_disagrees(&mut f, w);
    }
    let dates = when::page_dates(&mut f, tz, start_key);
    if let when::Start::Undated(key) = &when {
        undated(&mut f, *key, &dates, rules);
    }
    if let when::Start::Dated(w) = &when {
        beyond_year_9999(&mut f, w, rules.default_duration);
    }
    let draft = f.flag("draft").unwrap_or(false);
    let featured = match f.first_of(&["featured", "selected"]) {
        Some((key, _)) => f.flag(key).unwrap_or(false),
        None => false,
    };
    let event = match f.first_of(&["event_name", "event"]) {
        Some((key, _)) => f.text(key),
        None => None,
    };
    let status = read_status(&mut f);
    let coordinates = read_coordinates(&mut f);
    let uid = read_uid(&mut f);
    let authors = if f.get("authors").is_some() { f.text_list("authors") } else { f.text_list("author") };
    let tags = f.text_list("tags");
    // A tag, a speaker: each gets the talk in outputs of its own with
    // `--per-tag`/`--per-author`, and each item lists them all.
    for (key, list) in [(if f.get("authors").is_some() { "authors" } else { "author" }, &authors), ("tags", &tags)] {
        if list.len() > MAX_GROUPS_PER_TALK {
            f.push(
                Diagnostic::error(
                    DiagKind::InvalidValue,
                    format!("`{key}` has {} items, more than {MAX_GROUPS_PER_TALK}", list.len()),
                )
                .hint(format!(
                    "keep the ones that say what the talk is about: with --per-tag and --per-author each one gets the talk in outputs of its own (at most {MAX_GROUPS_PER_TALK})"
                )),
                &[key],
            );
        }
    }
    let summary = f.text("summary").or_else(|| f.text("abstract_short"));
    let address = read_address(&mut f);
    let links = read_links(&mut f);
    let attachments = read_attachments(&mut f);
    let event_url = f.text("event_url");
    // Only web addresses become links; say which values will be text.
    let targets = event_url.iter().map(|u| ("event_url".to_string(), u.as_str()));
    let targets = targets.chain(attachments.iter().map(|a| (format!("url_{}", a.kind), a.url.as_str())));
    let targets: Vec<(String, &str)> =
        targets.chain(links.iter().map(|l| ("links".to_string(), l.url.as_str()))).collect();
    for (key, target) in targets {
        if let Some(scheme) = crate::model::link_scheme(target).filter(|_| !crate::model::is_web_link(target)) {
            f.push(
                Diagnostic::warning(
                    DiagKind::InvalidValue,
                    format!(
                        "`{key}` is a `{scheme}:` address, not a web address; it is shown as text, never as a link"
                    ),
                )
                .hint("link to an http(s) page, or remove it"),
                &[key.as_str()],
            );
        }
    }
    let join = online::join_links(&links, event_url.as_deref());
    let location = f.text("location");
    let attendance = online::attendance(location.as_deref(), !address.is_empty(), &join);
    if let when::Start::Dated(w) = &when {
        online::no_join_link(&mut f, attendance, &join, w, rules);
    }
    let image = read_image(&mut f);
    let slug = path_key(&mut f, "slug");
    let url = path_key(&mut f, "url");
    let weight = f.integer("weight");

    let talk = (|| {
        let (time, start_key, end_key) = match when {
            when::Start::Dated(w) => (Some(w.time), w.start_key, w.end_key),
            when::Start::Undated(key) => (None, key, None),
            when::Start::Invalid => return None,
        };
        let title = title?;
        if f.has_errors() {
            return None;
        }
        let permalink = permalink::page_permalink(
            &PageUrl {
                content_path: &file.content_path,
                lang: &file.lang,
                is_bundle: file.kind == PageKind::Bundle,
                branch: &file.branch,
                slug: slug.as_deref(),
                url: url.as_deref(),
                title: &title,
                date: dates.date,
            },
            urls,
        );
        Some(Talk {
            source,
            title,
            subtitle: f.text("subtitle"),
            when: time,
            start_key,
            end_key,
            event,
            event_url,
            location,
            address,
            attendance,
            join,
            summary,
            abstract_text: f.text("abstract"),
            dates,
            draft,
            status,
            coordinates,
            uid,
            authors,
            tags,
            categories: f.text_list("categories"),
            links,
            attachments,
            slides: f.text("slides"),
            projects: f.text_list("projects"),
            featured,
            image,
            slug,
            url,
            aliases: f.text_list("aliases"),
            weight,
            permalink,
            body: body.to_string(),
            body_line,
        })
    })();

    let outcome = match talk {
        Some(t) if !f.has_errors() => {
            upcoming_without_publish_date(&mut f, &t, rules);
            changed_status_without_lastmod(&mut f, &t);
            Outcome::Talk(Box::new(t))
        }
        _ => Outcome::Failed,
    };
    (outcome, f.into_diags())
}

/// Normalises a list page (a section's `_index.md`).
pub fn list_page(file: &PageFile, map: &Map, rules: &Rules, urls: &permalink::UrlConfig) -> ListPage {
    let f = Fields::new(map, None, &file.path);
    let text = |k: &str| f.get(k).and_then(Value::scalar_text).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let dir = file.content_path.rsplit_once('/').map_or("", |(d, _)| d);
    // A section's own dates, where it gives them (Hugo ignores malformed ones).
    let tz = rules.zones.for_lang(&file.lang);
    let date = |k: &str| match f.date(k) {
        fields::DateField::Date(d) => Some(d.resolve(tz).0),
        _ => None,
    };
    ListPage {
        source: source_of(file),
        title: text("title"),
        description: text("description")
            .or_else(|| text("summary"))
            .or_else(|| text("subtitle"))
            .map(|d| crate::markup::to_plain(&d)),
        permalink: permalink::list_permalink(dir, &file.lang, urls),
        revised: date("lastmod").or_else(|| date("date")),
    }
}

fn not_a_talk(f: &Fields, body: &str, rules: &Rules) -> Option<NotATalk> {
    // Loosely, as for every boolean: `headless: yes`, `headless = "true"`.
    let is_true = |k: &str| match f.get(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(i)) => *i == 1,
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "t" | "1" | "yes" | "y" | "on")
        }
        _ => false,
    };
    let text = |k: &str| f.get(k).and_then(Value::scalar_text);
    let build_never = |k: &str| match f.get("build").and_then(Value::as_map).and_then(|m| m.get(k)) {
        Some(Value::String(s)) => s.eq_ignore_ascii_case("never"),
        Some(Value::Bool(b)) => !b,
        _ => false,
    };
    if is_true("headless")
        || f.get("widget").is_some()
        || text("type").is_some_and(|t| t == "widget_page")
        || (build_never("render") && build_never("list"))
    {
        return Some(NotATalk::Widget);
    }
    if f.get("publication_types").is_some() || f.get("publication").is_some() {
        return Some(NotATalk::Publication);
    }
    if !rules.include_example
        && let (Some(title), Some(event)) = (text("title"), text("event_name").or_else(|| text("event")))
        && THEME_EXAMPLES
            .iter()
            .any(|(t, e)| t.eq_ignore_ascii_case(title.trim()) && e.eq_ignore_ascii_case(event.trim()))
    {
        return Some(NotATalk::ThemeExample);
    }
    let has_event_key = TALK_KEYS.iter().any(|k| match f.get(k) {
        Some(Value::List(l)) => !l.is_empty(),
        Some(Value::Map(m)) => m.values().any(|v| !v.is_empty()),
        Some(_) => true,
        None => false,
    }) || f.map.keys().any(|k| k.starts_with("url_") && f.get(k).is_some());
    if !has_event_key && body.trim().is_empty() {
        return Some(NotATalk::Stub);
    }
    None
}

/// `slug` and `url` become part of a path on the site: `..` segments and
/// full URLs would make links leave it (Hugo refuses `url: https://…` too).
fn path_key(f: &mut Fields, key: &str) -> Option<String> {
    let value = f.text(key)?;
    if value.split(['/', '\\']).any(|segment| segment == "..") {
        f.push(
            Diagnostic::error(DiagKind::InvalidValue, format!("`{key}: {value}` leaves the site with `..`"))
                .hint(format!("write a {} inside the site, without `..`", if key == "url" { "path" } else { "name" })),
            &[key],
        );
        return None;
    }
    if value.contains("://") {
        f.push(
            Diagnostic::error(DiagKind::InvalidValue, format!("`{key}: {value}` is a full URL; Hugo wants a path"))
                .hint(format!("write only the path, e.g. `{key}: /talks/my-talk/`")),
            &[key],
        );
        return None;
    }
    Some(value)
}

/// `uid`: any printable text without spaces; it must survive every format
/// unchanged to keep the talk's identity.
fn read_uid(f: &mut Fields) -> Option<String> {
    let uid = f.text("uid")?;
    if uid.chars().any(char::is_whitespace) {
        f.push(
            Diagnostic::error(DiagKind::InvalidValue, format!("`uid: {uid}` contains spaces"))
                .hint("use letters, digits and punctuation, e.g. `uid: talk-2024-05@example.org`"),
            &["uid"],
        );
        return None;
    }
    Some(uid)
}

fn read_status(f: &mut Fields) -> Status {
    let Some(s) = f.text("status") else { return Status::default() };
    match s.to_ascii_lowercase().as_str() {
        "confirmed" => Status::Confirmed,
        "tentative" => Status::Tentative,
        "cancelled" | "canceled" => Status::Cancelled,
        _ => {
            f.push(
                Diagnostic::error(DiagKind::InvalidValue, format!("`status: {s}` is not a talk status"))
                    .hint("write `status: confirmed`, `status: tentative` or `status: cancelled`"),
                &["status"],
            );
            Status::default()
        }
    }
}

/// `coordinates: {latitude: 52.52, longitude: 13.40}` (the name Wowchemy
/// uses for map coordinates); numbers or numeric text.
fn read_coordinates(f: &mut Fields) -> Option<Coordinates> {
    let m =
        f.map("coordinates", "write `coordinates:` with `latitude: 52.52` and `longitude: 13.40` on their own lines")?;
    let mut number = |key: &str, limit: f64| -> Option<f64> {
        let v = match m.get(key) {
            Some(Value::Int(i)) => Some(*i as f64),
            Some(Value::Float(x)) => Some(*x),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        match v {
            Some(x) if x.is_finite() && x.abs() <= limit => Some(x),
            _ => {
                f.push(
                    Diagnostic::error(
                        DiagKind::InvalidValue,
                        format!("`coordinates.{key}` must be a number from -{limit} to {limit}"),
                    )
                    .hint("write decimal degrees, e.g. `latitude: 52.52`, `longitude: 13.40`"),
                    &["coordinates", key],
                );
                None
            }
        }
    };
    let latitude = number("latitude", 90.0);
    let longitude = number("longitude", 180.0);
    Some(Coordinates { latitude: latitude?, longitude: longitude? })
}

fn read_address(f: &mut Fields) -> Address {
    let Some(m) = f.map("address", "write `address:` with `street`, `city`, `region`, `postcode` and `country` on their own lines; free text goes in `location`") else {
        return Address::default();
    };
    Address {
        street: f.text_in(m, "address", "street"),
        city: f.text_in(m, "address", "city"),
        region: f.text_in(m, "address", "region"),
        postcode: f.text_in(m, "address", "postcode"),
        country: f.text_in(m, "address", "country"),
    }
}

/// Labels of Hugo Blox typed links (`type: slides`), from the theme's `link_types.yaml`.
fn link_type_label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "pdf" => "PDF",
        "slides" => "Slides",
        "video" => "Video",
        "code" => "Code",
        "poster" => "Poster",
        "dataset" => "Dataset",
        "project" => "Project",
        "source" => "Source Document",
        "preprint" => "Preprint",
        "doi" => "DOI",
        "calendar" => "Calendar",
        _ => return None,
    })
}

fn read_links(f: &mut Fields) -> Vec<Link> {
    let Some(v) = f.get("links") else { return Vec::new() };
    let Value::List(items) = v else {
        f.push(
            Diagnostic::error(DiagKind::WrongType, format!("`links` must be a list, not {}", v.type_name()))
                .hint("write each link as `- name: Slides` with `url: https://…` below it"),
            &["links"],
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Map(m) = item else {
            if !item.is_empty() {
                f.push(
                    Diagnostic::error(
                        DiagKind::WrongType,
                        format!("`links` items must be maps with `name` and `url`, not {}", item.type_name()),
                    ),
                    &["links"],
                );
            }
            continue;
        };
        let Some(url) = f.text_in(m, "links", "url") else {
            // `url: ""` is the starters' placeholder (`- name: Slides`,
            // `url: ""`), which the theme renders as nothing: left out
            // quietly, as on the site. No `url` at all is a mistake.
            if !m.contains_key("url") {
                f.push(
                    Diagnostic::warning(DiagKind::InvalidValue, "a `links` entry has no `url`; left out")
                        .hint("give it `url: https://…`"),
                    &["links"],
                );
            }
            continue;
        };
        let kind = f.text_in(m, "links", "type");
        let name = f
            .text_in(m, "links", "name")
            .or_else(|| kind.as_deref().and_then(link_type_label).map(String::from))
            .or_else(|| kind.clone());
        out.push(Link {
            name,
            url,
            kind,
            icon: f.text_in(m, "links", "icon"),
            icon_pack: f.text_in(m, "links", "icon_pack"),
        });
    }
    out
}

fn read_attachments(f: &mut Fields) -> Vec<Attachment> {
    const ORDER: [&str; 4] = ["pdf", "slides", "video", "code"];
    let keys: Vec<String> = f.map.keys().filter(|k| k.starts_with("url_") && k.len() > 4).cloned().collect();
    let mut out: Vec<Attachment> = keys
        .iter()
        .filter_map(|k| f.text(k).map(|url| Attachment { kind: k["url_".len()..].to_string(), url }))
        .collect();
    out.sort_by_key(|a| (ORDER.iter().position(|o| *o == a.kind).unwrap_or(ORDER.len()), a.kind.clone()));
    out
}

fn read_image(f: &mut Fields) -> Option<Image> {
    let hint = "write `image:` with `caption`, `focal_point` and `filename` on their own lines";
    if let Some(m) = f.map("image", hint) {
        let image = Image {
            caption: f.text_in(m, "image", "caption"),
            focal_point: f.text_in(m, "image", "focal_point"),
            filename: f.text_in(m, "image", "filename"),
        };
        return (image != Image::default()).then_some(image);
    }
    // Academic v1–v3 wrote `[header] image = "…" caption = "…"`.
    let m = f.map("header", hint)?;
    let image = Image {
        caption: f.text_in(m, "header", "caption"),
        focal_point: None,
        filename: f.text_in(m, "header", "image"),
    };
    (image != Image::default()).then_some(image)
}

/// A cancelled talk is a change subscribers must see. Clients that keep
/// the newer of two versions of an event compare their DTSTAMP, which
/// talkfeed takes from `lastmod`; without it the cancellation may not
/// replace the version a calendar already has.
fn changed_status_without_lastmod(f: &mut Fields, talk: &Talk) {
    if talk.status == Status::Cancelled && talk.dates.written_lastmod.is_none() {
        f.push(
            Diagnostic::warning(
                DiagKind::InvalidValue,
                "the talk is cancelled but has no `lastmod`; calendars may keep the version they already have",
            )
            .hint("add `lastmod:` with the date of the change"),
            &["status"],
        );
    }
}

/// Calendars write years 0000 to 9999 (RFC 5545 `date-fullyear`), feeds
/// 0001 to 9999, all in UTC, and an exclusive end: a talk on 31 December
/// 9999 ends in year 10000, which no format can hold (chrono would write
/// `+100000101`), and one at 00:30 on 1 January of the year 1 at +01:00
/// starts in the year 0. An error on the key.
fn beyond_year_9999(f: &mut Fields, w: &when::When, default_duration: chrono::Duration) {
    use crate::model::EventTime;
    use chrono::Datelike;
    let (start_year, end_year) = match w.time {
        EventTime::AllDay(r) => (r.first().year(), r.last().succ_opt().map_or(i32::MAX, |d| d.year())),
        EventTime::Timed(r) => {
            let end = r.end().map(|e| e.to_utc()).or_else(|| r.start().to_utc().checked_add_signed(default_duration));
            (r.start().to_utc().year(), end.map_or(i32::MAX, |e| e.year()))
        }
    };
    if start_year < 1 {
        let key = w.start_key.key();
        f.push(
            Diagnostic::error(
                DiagKind::InvalidDate,
                format!("the talk starts before the year 1 in UTC (`{key}`), which calendars and feeds cannot hold"),
            )
            .hint("write the real date"),
            &[key],
        );
    }
    if end_year > 9999 {
        let key = w.end_key.unwrap_or(w.start_key.key());
        f.push(
            Diagnostic::error(
                DiagKind::InvalidDate,
                format!("the talk ends after the year 9999 (`{key}`), which calendars and feeds cannot hold"),
            )
            .hint("write the real date; the last day a talk can end on is 9999-12-30"),
            &[key],
        );
    }
}

/// A talk page without a start: Hugo publishes it undated, no calendar can
/// hold it, and one unfinished page must not stop every calendar from
/// updating. A warning (an error with `--strict`) that says where it goes.
fn undated(f: &mut Fields, key: crate::model::StartKey, dates: &crate::model::PageDates, rules: &Rules) {
    let key = key.key();
    let written = if f.map.contains_key(key) { format!("`{key}` is empty") } else { format!("there is no `{key}`") };
    let feeds = if dates.publish.is_some() {
        "it goes into the feeds from its publish date"
    } else {
        "without a publish date it is left out of the feeds too"
    };
    let message = format!("the talk has no start date ({written}); it is left out of the calendars, {feeds}");
    let hint = format!(
        "add `{key}: 2024-05-17T14:00:00+02:00` (or a date alone, `{key}: 2024-05-17`, for an all-day talk){}",
        if rules.strict { "" } else { "; --strict makes this an error" }
    );
    let d = if rules.strict {
        Diagnostic::error(DiagKind::MissingStart, message)
    } else {
        Diagnostic::warning(DiagKind::MissingStart, message)
    };
    let at: &[&str] = if f.map.contains_key(key) { &[key] } else { &[] };
    f.push(d.hint(hint), at);
}

/// Hugo falls back from `publishDate` to `date`, so an upcoming talk without
/// `publishDate` is "future" content: Hugo does not build its page until the
/// talk starts, and a feed item would link to nothing. The calendar keeps it;
/// the feeds wait, as Hugo does. Say so, since it surprises people.
fn upcoming_without_publish_date(f: &mut Fields, talk: &Talk, rules: &Rules) {
    if talk.dates.written_publish.is_some() || talk.draft || rules.publish.future {
        return;
    }
    let Some(publish) = talk.dates.publish else { return };
    if publish > rules.publish.now {
        f.push(
            Diagnostic::warning(
                DiagKind::UnpublishedUpcoming,
                format!(
                    "the talk has no `publishDate`, so Hugo will not publish its page before {} (its `date`); the calendar lists it, the feeds wait until then",
                    publish.date_naive()
                ),
            )
            .hint("add `publishDate:` with today's date to publish the page now"),
            &["date"],
        );
    }
}
