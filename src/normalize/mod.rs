//! Normalisation: one page's front matter → a checked [`Talk`].
//!
//! Reads every key the theme has used in any era (docs/content.md, "Keys";
//! [`keys::KEYS`] is the list, and nothing else is read), accepts the loose
//! forms real sites write, and reports what it cannot accept as diagnostics
//! pointing at the key. A talk is read in steps, each in its module: pages
//! that are not talks ([`not_talk`]), the times and dates (`when`), the
//! links (`links`), the place (`place`, `online`).

pub mod dates;
mod fields;
pub mod keys;
mod links;
mod not_talk;
mod online;
mod place;
mod when;

use crate::diag::{DiagKind, Diagnostic};
use crate::discover::{PageFile, PageKind};
use crate::frontmatter::{FrontMatter, Map, Value};
pub use crate::model::NotATalk;
use crate::model::{Image, ListPage, PageDates, Source, Status, Talk, Zones};
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
    /// Where Hugo's page dates come from (`[frontmatter]`, `enableGitInfo`).
    pub dates: dates::DateRules,
}

/// What became of one page.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A talk.
    Talk(Box<Talk>),
    /// Not a talk, for the reason given.
    NotATalk(crate::model::NotATalkPage),
    /// The page has errors (reported as diagnostics).
    Failed,
}

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
    (file, times): (&PageFile, dates::FileDates),
    fm: Option<&FrontMatter<'_>>,
    map: &Map,
    body: &str,
    body_line: u32,
    rules: &Rules,
    urls: &permalink::UrlConfig,
) -> (Outcome, Vec<Diagnostic>) {
    let mut f = Fields::new(map, fm, &file.path);
    if let Some(page) = not_talk::left_out(&mut f, file, fm, body, (rules, times)) {
        return (Outcome::NotATalk(page), f.into_diags());
    }
    let title = f.text("title");
    if title.is_none() && f.get("title").is_none() {
        f.push(
            Diagnostic::error(DiagKind::WrongType, "the talk has no title").hint("add `title: …` to the front matter"),
            &[],
        );
    }
    let page = dates::PageSource::of(file, times);
    let (when, dates, filename_slug) = when::talk_time(&mut f, &file.lang, &page, rules);
    let about = About::read(&mut f);
    let web = links::read(&mut f);
    let place = place::read(&mut f, &web, &when, rules);
    // `:filename` gives the slug of a page that writes none, as in Hugo.
    let (slug, url) = (path_key(&mut f, "slug").or(filename_slug), path_key(&mut f, "url"));
    let parts = Parts { file, title, when, dates, about, web, place, slug, url, body, body_line };
    let outcome = match parts.assemble(&mut f, urls) {
        Some(t) if !f.has_errors() => {
            when::upcoming_without_publish_date(&mut f, &t, rules);
            changed_status_without_lastmod(&mut f, &t);
            Outcome::Talk(Box::new(t))
        }
        _ => Outcome::Failed,
    };
    (outcome, f.into_diags())
}

/// What a talk says about itself besides its time, place and links.
struct About {
    draft: bool,
    featured: bool,
    event: Option<String>,
    status: Status,
    uid: Option<String>,
    authors: Vec<String>,
    tags: Vec<String>,
    summary: Option<String>,
    image: Option<Image>,
    weight: Option<i64>,
}

impl About {
    fn read(f: &mut Fields) -> About {
        let featured = match f.first_of(&["featured", "selected"]) {
            Some((key, _)) => f.flag(key).unwrap_or(false),
            None => false,
        };
        let event = match f.first_of(&["event_name", "event"]) {
            Some((key, _)) => f.text(key),
            None => None,
        };
        let authors_key = if f.get("authors").is_some() { "authors" } else { "author" };
        let authors = f.text_list(authors_key);
        let tags = f.text_list("tags");
        // A tag, a speaker: each gets the talk in outputs of its own with
        // `--per-tag`/`--per-author`, and each item lists them all.
        for (key, list) in [(authors_key, &authors), ("tags", &tags)] {
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
        About {
            draft: f.flag("draft").unwrap_or(false),
            featured,
            event,
            status: read_status(f),
            uid: read_uid(f),
            authors,
            tags,
            summary: f.text("summary").or_else(|| f.text("abstract_short")),
            image: read_image(f),
            weight: f.integer("weight"),
        }
    }
}

/// Everything a talk is made of, read.
struct Parts<'a> {
    file: &'a PageFile,
    title: Option<String>,
    when: when::Start,
    dates: PageDates,
    about: About,
    web: links::Web,
    place: place::Place,
    slug: Option<String>,
    url: Option<String>,
    body: &'a str,
    body_line: u32,
}

impl Parts<'_> {
    /// The talk, unless the page has errors (or no usable start or title).
    fn assemble(self, f: &mut Fields, urls: &permalink::UrlConfig) -> Option<Talk> {
        let (time, start_key, end_key) = match self.when {
            when::Start::Dated(w) => (Some(w.time), w.start_key, w.end_key),
            when::Start::Undated(key) => (None, key, None),
            when::Start::Invalid => return None,
        };
        let title = self.title?;
        if f.has_errors() {
            return None;
        }
        let file = self.file;
        let url = PageUrl {
            content_path: &file.content_path,
            lang: &file.lang,
            is_bundle: file.kind == PageKind::Bundle,
            branch: &file.branch,
            slug: self.slug.as_deref(),
            url: self.url.as_deref(),
            title: &title,
            date: self.dates.date,
        };
        let permalink = permalink::page_permalink(&url, urls);
        let (about, web, place) = (self.about, self.web, self.place);
        Some(Talk {
            source: source_of(file),
            title,
            subtitle: f.text("subtitle"),
            when: time,
            start_key,
            end_key,
            event: about.event,
            event_url: web.event_url,
            location: place.location,
            address: place.address,
            attendance: place.attendance,
            join: place.join,
            summary: about.summary,
            abstract_text: f.text("abstract"),
            dates: self.dates,
            draft: about.draft,
            status: about.status,
            coordinates: place.coordinates,
            uid: about.uid,
            authors: about.authors,
            tags: about.tags,
            categories: f.text_list("categories"),
            links: web.links,
            attachments: web.attachments,
            slides: f.text("slides"),
            projects: f.text_list("projects"),
            featured: about.featured,
            image: about.image,
            slug: self.slug,
            url: self.url,
            aliases: f.text_list("aliases"),
            weight: about.weight,
            permalink,
            body: self.body.to_string(),
            body_line: self.body_line,
        })
    }
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
