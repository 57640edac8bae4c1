//! One view of each talk, built once: everything the output formats show
//! of it — its identity, absolute links, speakers, place, the plain text
//! and HTML of each text field — computed and rendered a single time, then
//! read by every emitter (the calendars, the three feeds, the page, the
//! tag and section outputs). Markdown is rendered here and nowhere else.

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use url::Url;

use crate::markup;
use crate::model::{EventTime, JoinKind, Site, Talk};
use crate::permalink;
use crate::permalink::UrlConfig;
use crate::publish::PublishPolicy;
use crate::publish::{self, Visibility};

/// The outputs need the site's absolute URL, and none was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the calendar needs the site's absolute URL: pass --base-url https://your.site/ (or set base_url in talkfeed.toml, or baseURL in the Hugo config)"
)]
pub struct NoBaseUrl;

/// What the views are made with: the options of the outputs they are for,
/// as far as a view reads them. Made from the settings
/// ([`crate::settings::Settings::view_inputs`]).
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// How permalinks are made.
    pub urls: &'a UrlConfig,
    /// The site's absolute URL, which every link needs.
    pub base_url: Option<&'a Url>,
    /// Which pages are published.
    pub publish: PublishPolicy,
    /// The length of a timed talk whose page gives no end.
    pub default_duration: chrono::Duration,
    /// Who `admin` (the theme's name for the site owner) is, by language:
    /// `--author`, else the site's title.
    pub owners: Vec<(&'a str, Option<&'a str>)>,
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

/// A link of the talk with its label (`Slides`, or a `links` entry's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// What people read.
    pub label: String,
    /// Where it goes.
    pub target: Target,
}

/// A link to join or watch a talk live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// What people read.
    pub label: String,
    /// Where it goes.
    pub target: Target,
    /// A meeting or a stream.
    pub kind: JoinKind,
}

/// A file a feed reader may download: a PDF or a video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    /// Absolute URL.
    pub url: String,
    /// MIME type (`application/pdf`, `video/mp4`, `text/html` for a video page).
    pub mime_type: String,
    /// Label (`PDF`, `Video`).
    pub title: String,
}

/// A tag of the talk, as Hugo names its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    /// As written on the page.
    pub name: String,
    /// Hugo's slug of it (`machine-learning`); tags with one slug are one tag.
    pub slug: String,
    /// The path of its page on the site (`/tags/machine-learning/`).
    pub page: String,
}

/// Everything the outputs show of one talk.
#[derive(Debug, Clone)]
pub struct TalkView<'a> {
    /// The talk.
    pub talk: &'a Talk,
    /// Its permanent identity ([`Talk::uid`]): the calendar's UID, the feeds' id.
    pub uid: String,
    /// The talk page's absolute URL.
    pub page_url: String,
    /// Where it appears.
    pub visibility: Visibility,
    /// The instant it starts (all-day talks at the start of their first
    /// day, UTC); `None` for an undated talk.
    pub start: Option<DateTime<Utc>>,
    /// The instant it is over: its end, else its start plus the default
    /// duration; an all-day talk at the end of its last day (UTC).
    pub end: Option<DateTime<Utc>>,
    /// `subtitle` as plain text.
    pub subtitle: Option<String>,
    /// `summary` as plain text.
    pub summary: Option<String>,
    /// `abstract` as plain text.
    pub abstract_text: Option<String>,
    /// The event's name as plain text (names may hold Markdown or HTML).
    pub event: Option<String>,
    /// The event's link.
    pub event_link: Option<Target>,
    /// `location` and the parts of `address` it does not name, in one line.
    pub place: Option<String>,
    /// The speakers as people read them.
    pub speakers: Vec<String>,
    /// The links to join or watch the talk live, absolute (see
    /// [`crate::model::JoinLink`]), each with its label: the page's name for
    /// it, else `Join online` or `Live stream`.
    pub join: Vec<Join>,
    /// The `url_*` attachments (PDF, slides, video, code, …), then `links`.
    pub links: Vec<Labelled>,
    /// The PDF and video links, for feed enclosures.
    pub enclosures: Vec<Enclosure>,
    /// The bundle's featured image, absolute.
    pub image: Option<String>,
    /// The body's Markdown as HTML (the abstract's when the body is empty),
    /// links and images absolute.
    pub body_html: String,
    /// A short plain text: the summary, else the abstract, else the body's
    /// first paragraph.
    pub lead: Option<String>,
    /// The tags, with their slugs and pages.
    pub tags: Vec<TagRef>,
    /// The speakers as taxonomy terms: named as [`TalkView::speakers`],
    /// with Hugo's slug of the `authors` entry and its page
    /// (`/authors/ana-lima/`).
    pub authors: Vec<TagRef>,
    /// The path of the talk's section's list page (`/talk/`).
    pub section_page: String,
}

impl TalkView<'_> {
    /// When the talk happens, if it has a start.
    pub fn when(&self) -> Option<EventTime> {
        self.talk.when
    }
}

/// The views of every talk of `site`, built in parallel, in the site's
/// order, from `bodies`, the talks' Markdown bodies in the same order
/// ([`Site::take_bodies`], or [`Site::bodies`] to keep the site's own):
/// each is dropped as soon as it is rendered. The views need the site's
/// absolute URL for their links.
pub fn make_views<'a>(
    site: &'a Site,
    bodies: Vec<String>,
    inputs: &Inputs<'_>,
) -> Result<Vec<TalkView<'a>>, NoBaseUrl> {
    let base_url = inputs.base_url.ok_or(NoBaseUrl)?;
    assert_eq!(bodies.len(), site.talks.len(), "one body for each talk");
    let made = Made { inputs, base_url };
    Ok(site.talks.par_iter().zip(bodies).map(|(talk, body)| view(site, &made, talk, &body)).collect())
}

/// What the views are made with.
struct Made<'s> {
    inputs: &'s Inputs<'s>,
    base_url: &'s Url,
}

fn view<'a>(site: &Site, made: &Made<'_>, talk: &'a Talk, body: &str) -> TalkView<'a> {
    let (inputs, base_url) = (made.inputs, made.base_url);
    let page_url = format!("{}{}", base_url.origin().ascii_serialization(), talk.permalink);
    let page = Page { url: Url::parse(&page_url).ok() };
    let link = |raw: &str| page.link(raw);
    let text = Text::of(talk, body, &link);
    let lang = &talk.source.lang;
    let speakers = speakers(site, inputs, talk);
    TalkView {
        talk,
        uid: talk.uid(base_url, &inputs.urls.default_language),
        visibility: publish::visibility(talk, &inputs.publish),
        start: talk.when.as_ref().map(EventTime::start_instant),
        end: talk.when.map(|w| w.end_instant(inputs.default_duration)),
        subtitle: talk.subtitle.as_deref().map(markup::to_plain),
        summary: text.summary,
        abstract_text: text.abstract_text,
        event: talk.event.as_deref().map(markup::to_plain),
        event_link: talk.event_url.as_deref().map(|u| event_link(u, &link)),
        place: place(talk),
        join: join_links(talk, &link),
        links: labelled_links(talk, &link),
        enclosures: enclosures(talk, &link),
        image: talk.source.featured_image.as_deref().and_then(|f| link(f).href().map(String::from)),
        body_html: text.html,
        lead: text.lead,
        tags: terms("tags", talk.tags.iter().map(|t| (t, t.trim().to_string())), lang, inputs.urls),
        authors: terms("authors", talk.authors.iter().zip(speakers.iter().cloned()), lang, inputs.urls),
        speakers,
        section_page: section_page(site, talk, inputs.urls),
        page_url,
    }
}

/// The talk page, against which the page's relative links resolve.
struct Page {
    url: Option<Url>,
}

impl Page {
    /// A value of the page as a link: absolute when it is a web link (or a
    /// path), else text.
    fn link(&self, raw: &str) -> Target {
        if !crate::model::is_web_link(raw) {
            return Target::Text(raw.to_string());
        }
        Target::Web(match &self.url {
            Some(page) => page.join(raw).map(String::from).unwrap_or_else(|_| raw.to_string()),
            None => raw.to_string(),
        })
    }
}

/// The talk's texts, plain and rendered.
struct Text {
    summary: Option<String>,
    abstract_text: Option<String>,
    html: String,
    lead: Option<String>,
}

impl Text {
    /// The body's Markdown as HTML (the abstract's when the body is empty);
    /// the lead is the summary, else the abstract, else the body's first
    /// paragraph.
    fn of(talk: &Talk, body: &str, link: &dyn Fn(&str) -> Target) -> Text {
        let body = body.trim();
        let markdown = if body.is_empty() { talk.abstract_text.as_deref().unwrap_or("") } else { body };
        let rendered = markup::to_html(markdown, &|raw| link(raw).href().map(String::from));
        let summary = talk.summary.as_deref().map(markup::to_plain);
        let abstract_text = talk.abstract_text.as_deref().map(markup::to_plain);
        let lead = summary
            .clone()
            .or_else(|| abstract_text.clone())
            .or_else(|| (!body.is_empty()).then(|| rendered.lead.clone()))
            .filter(|s| !s.trim().is_empty());
        Text { summary, abstract_text, html: rendered.html, lead }
    }
}

/// The `url_*` attachments, then `links`, each with its label.
fn labelled_links(talk: &Talk, link: &dyn Fn(&str) -> Target) -> Vec<Labelled> {
    let attachments =
        talk.attachments.iter().map(|a| Labelled { label: attachment_label(&a.kind), target: link(&a.url) });
    let links = talk
        .links
        .iter()
        .map(|l| Labelled { label: l.name.clone().unwrap_or_else(|| String::from("Link")), target: link(&l.url) });
    attachments.chain(links).collect()
}

/// The attachments a feed can enclose (PDF, video), absolute.
fn enclosures(talk: &Talk, link: &dyn Fn(&str) -> Target) -> Vec<Enclosure> {
    talk.attachments
        .iter()
        .filter_map(|a| {
            let url = link(&a.url).href()?.to_string();
            let mime_type = mime_type(&a.kind, &url)?;
            Some(Enclosure { url, mime_type, title: attachment_label(&a.kind) })
        })
        .collect()
}

/// The links to join or watch the talk, each with its label.
fn join_links(talk: &Talk, link: &dyn Fn(&str) -> Target) -> Vec<Join> {
    talk.join
        .iter()
        .map(|j| Join {
            label: j.label.clone().unwrap_or_else(|| {
                String::from(match j.kind {
                    JoinKind::Meeting => "Join online",
                    JoinKind::Stream => "Live stream",
                })
            }),
            target: event_link(&j.url, link),
            kind: j.kind,
        })
        .collect()
}

/// Taxonomy terms of `taxonomy`: each entry as written (for its slug and
/// page) with the name people read.
fn terms<'t>(
    taxonomy: &str,
    entries: impl Iterator<Item = (&'t String, String)>,
    lang: &str,
    urls: &permalink::UrlConfig,
) -> Vec<TagRef> {
    entries
        .map(|(key, name)| TagRef {
            name,
            slug: permalink::sanitize(key.trim(), urls),
            page: permalink::term_permalink(taxonomy, key.trim(), lang, urls),
        })
        .collect()
}

/// The path of the talk's section's list page: its `_index` page's
/// permalink, else the section's.
fn section_page(site: &Site, talk: &Talk, urls: &permalink::UrlConfig) -> String {
    let lang = &talk.source.lang;
    site.list_pages
        .iter()
        .find(|p| {
            p.source.lang == *lang
                && p.source.key.strip_prefix(&talk.source.section).is_some_and(|r| r.starts_with("/_index."))
        })
        .map(|p| p.permalink.clone())
        .unwrap_or_else(|| permalink::list_permalink(&talk.source.section, lang, urls))
}

/// The event's link. Pages write hosts without a scheme
/// (`esorics2022.compute.dtu.dk/`), which would otherwise resolve against
/// the talk page; an event URL is never a page of the site, so such a value
/// gets `https://`.
fn event_link(raw: &str, link: &dyn Fn(&str) -> Target) -> Target {
    let first = raw.split('/').next().unwrap_or("");
    if Url::parse(raw).is_err() && !raw.starts_with(['/', '.', '#', '?']) && first.contains('.') {
        Target::Web(format!("https://{raw}"))
    } else {
        link(raw)
    }
}

/// The talk's speakers as people read them: an author slug with an author
/// page (`content/authors/<slug>/`) becomes that page's title; `admin`, the
/// theme's name for the site owner, becomes `--author` (or the site title)
/// when it has no page; any other name stays as written.
fn speakers(site: &Site, inputs: &Inputs<'_>, talk: &Talk) -> Vec<String> {
    let names = site.author_names.get(&talk.source.lang);
    let owner = inputs.owners.iter().find(|(l, _)| *l == talk.source.lang).and_then(|(_, o)| *o);
    talk.authors
        .iter()
        .map(|a| match names.and_then(|n| n.get(a)) {
            Some(name) => name.clone(),
            None if a == "admin" => owner.map_or_else(|| a.clone(), String::from),
            None => a.clone(),
        })
        .collect()
}

/// The place of a talk in one line: `location`, then the parts of the
/// address it does not already name (`Kalkscheune, Johannisstraße 2, 10117 Berlin, Germany`).
fn place(talk: &Talk) -> Option<String> {
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

/// The MIME type of a PDF or video link; `None` for other kinds.
fn mime_type(kind: &str, url: &str) -> Option<String> {
    let path = Url::parse(url).map(|u| u.path().to_ascii_lowercase()).unwrap_or_default();
    let by_extension = [
        (".pdf", "application/pdf"),
        (".mp4", "video/mp4"),
        (".webm", "video/webm"),
        (".mov", "video/quicktime"),
        (".mp3", "audio/mpeg"),
    ]
    .into_iter()
    .find(|(ext, _)| path.ends_with(ext))
    .map(|(_, m)| m.to_string());
    match kind {
        "pdf" | "slides" | "poster" => by_extension.filter(|m| m == "application/pdf"),
        // A video link is usually a page (YouTube); say so rather than guess.
        "video" => Some(by_extension.unwrap_or_else(|| String::from("text/html"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_types() {
        assert_eq!(mime_type("pdf", "https://x.org/a.PDF").as_deref(), Some("application/pdf"));
        assert_eq!(mime_type("slides", "https://docs.google.com/presentation/d/x/edit"), None);
        assert_eq!(mime_type("video", "https://youtu.be/x").as_deref(), Some("text/html"));
        assert_eq!(mime_type("video", "https://x.org/v.mp4").as_deref(), Some("video/mp4"));
        assert_eq!(mime_type("code", "https://github.com/x"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(attachment_label("pdf"), "PDF");
        assert_eq!(attachment_label("poster_a0"), "Poster a0");
    }
}
