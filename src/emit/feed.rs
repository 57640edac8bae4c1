//! The feed view shared by RSS, Atom and JSON Feed: which talks, in which
//! order, and every value the three formats need, computed once.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use url::Url;
use uuid::Uuid;

use super::xml::xml_chars;
use super::{Context, html, markdown_to_plain};
use crate::model::Talk;
use crate::publish;

/// A feed: its own data and its items.
#[derive(Debug, Clone)]
pub struct Feed<'a> {
    /// The run's context.
    pub ctx: Context<'a>,
    /// Title.
    pub title: String,
    /// Description (the title when the site gives none).
    pub description: String,
    /// The page that lists the talks.
    pub home_url: String,
    /// The language tag (`en-us`).
    pub language: String,
    /// The feed's author: `--author`, else the site's title, else the feed title.
    pub author: String,
    /// The newest item update; for a feed without items, the newest
    /// revision of the content (see [`Context::content_revised`]); `None`
    /// when nothing in the content is dated.
    pub updated: Option<DateTime<FixedOffset>>,
    /// `generator`: talkfeed and its version.
    pub generator: String,
    /// The items, newest published first, ties by id, at most `--feed-limit`.
    pub items: Vec<Item<'a>>,
}

/// A file linked from an item that a reader may download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Absolute URL.
    pub url: String,
    /// MIME type (`application/pdf`, `video/mp4`, `text/html` for a video page).
    pub mime_type: String,
    /// Label (`PDF`, `Video`).
    pub title: String,
}

/// One talk as a feed item.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The talk.
    pub talk: &'a Talk,
    /// Permanent identity, the same as the calendar's UID.
    pub id: String,
    /// `id` as an IRI, for Atom: URLs as they are, UUIDs as `urn:uuid:`,
    /// any other text as the `urn:uuid:` of a UUID made from it.
    pub iri: String,
    /// The talk page.
    pub url: String,
    /// Title.
    pub title: String,
    /// Header of facts, then the body, as HTML.
    pub content_html: String,
    /// Plain text: `summary`, else the abstract, else the body's first paragraph.
    pub summary: Option<String>,
    /// `publishDate`, else the page date, else the start.
    pub published: DateTime<FixedOffset>,
    /// `lastmod` if later than `published`, else `published`.
    pub updated: DateTime<FixedOffset>,
    /// Speakers.
    pub authors: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The event page, absolute.
    pub event_url: Option<String>,
    /// Related links with labels (event, slides, video, PDF, code, links), absolute.
    pub related: Vec<(String, String)>,
    /// The bundle's featured image, absolute.
    pub image: Option<String>,
    /// PDF and video links as attachments.
    pub attachments: Vec<Attachment>,
}

impl<'a> Feed<'a> {
    /// Builds the feed of `ctx`'s site (or tag, or section).
    pub fn new(ctx: &Context<'a>) -> Feed<'a> {
        Feed::from_items(ctx, Feed::items(ctx))
    }

    /// Every item `ctx`'s feed may hold, in no order. Rendering each
    /// item's HTML is the costly part: in parallel.
    pub fn items(ctx: &Context<'a>) -> Vec<Item<'a>> {
        ctx.site
            .talks
            .par_iter()
            .filter(|t| ctx.includes(t) && publish::visibility(t, &ctx.settings.publish).in_feeds)
            .filter_map(|t| Item::new(ctx, t))
            .collect()
    }

    /// The feed of `ctx` from its items (all of them, from [`Feed::items`]
    /// or a subset of another feed's): sorted, cut to `--feed-limit`.
    pub fn from_items(ctx: &Context<'a>, mut items: Vec<Item<'a>>) -> Feed<'a> {
        let settings = ctx.settings;
        items.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
        if let Some(limit) = settings.feed_limit {
            items.truncate(limit);
        }
        let updated = items.iter().map(|i| i.updated).max().or_else(|| ctx.content_revised());
        let title = ctx.title();
        Feed {
            ctx: *ctx,
            description: ctx.description().map(|d| markdown_to_plain(&d)).unwrap_or_else(|| title.clone()),
            home_url: ctx.home_url(),
            language: ctx.edition.language_code.clone(),
            author: ctx.edition.author.clone().or(ctx.edition.site_title.clone()).unwrap_or_else(|| title.clone()),
            title,
            updated,
            generator: format!("talkfeed {}", env!("CARGO_PKG_VERSION")),
            items,
        }
    }

    /// The public URL of a feed file, if the output folder's URL is known.
    pub fn self_url(&self, file: &str) -> Option<String> {
        self.ctx.output_url(file)
    }
}

impl<'a> Item<'a> {
    /// The item of `talk`; `None` for a talk without any date (neither a
    /// publish date nor a start), which no feed item can be.
    fn new(ctx: &Context<'a>, talk: &'a Talk) -> Option<Item<'a>> {
        let id = ctx.uid(talk);
        let start = talk.when.as_ref().map(|w| super::start_instant(w).fixed_offset());
        let published = talk.dates.publish.or(start)?;
        let updated = talk.dates.written_lastmod.filter(|l| *l > published).unwrap_or(published);
        let summary = talk
            .summary
            .as_deref()
            .or(talk.abstract_text.as_deref())
            .map(markdown_to_plain)
            .or_else(|| markdown_to_plain(&talk.body).split("\n\n").next().map(str::to_string))
            .filter(|s| !s.trim().is_empty())
            .map(xml_chars);
        // Only web addresses: a `javascript:` value is text in the content.
        let event_url = talk.event_url.as_deref().and_then(|u| ctx.event_link(talk, u).href().map(String::from));
        let mut related: Vec<(String, String)> = Vec::new();
        if let Some(u) = &event_url {
            related.push((talk.event.clone().unwrap_or_else(|| String::from("Event")), u.clone()));
        }
        related.extend(super::links(ctx, talk).into_iter().filter_map(|(l, t)| Some((l, t.href()?.to_string()))));
        let attachments = talk
            .attachments
            .iter()
            .filter_map(|a| {
                let url = ctx.link(talk, &a.url).href()?.to_string();
                let mime_type = mime_type(&a.kind, &url)?;
                Some(Attachment { url, mime_type, title: super::attachment_label(&a.kind) })
            })
            .collect();
        Some(Item {
            talk,
            iri: iri(&id),
            id,
            url: ctx.page_url(talk),
            title: talk.title.clone(),
            content_html: xml_chars(html::content(ctx, talk)),
            summary,
            published,
            updated,
            authors: ctx.speakers(talk),
            tags: talk.tags.clone(),
            event_url,
            related,
            image: talk.source.featured_image.as_deref().and_then(|f| ctx.link(talk, f).href().map(String::from)),
            attachments,
        })
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

/// An Atom id must be an IRI.
fn iri(id: &str) -> String {
    if Url::parse(id).is_ok_and(|u| !u.cannot_be_a_base() || u.scheme() == "urn" || u.scheme() == "tag") {
        id.to_string()
    } else if let Ok(u) = Uuid::parse_str(id) {
        format!("urn:uuid:{u}")
    } else {
        format!("urn:uuid:{}", Uuid::new_v5(&Uuid::NAMESPACE_OID, id.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_iris() {
        assert_eq!(iri("9b0a7380-8410-5a41-a7fd-fbc0613ea065"), "urn:uuid:9b0a7380-8410-5a41-a7fd-fbc0613ea065");
        assert_eq!(iri("https://example.org/talk/1"), "https://example.org/talk/1");
        assert_eq!(iri("tag:example.org,2024:talk-1"), "tag:example.org,2024:talk-1");
        assert!(iri("talk-1@example.org").starts_with("urn:uuid:"));
        assert_eq!(iri("talk-1@example.org"), iri("talk-1@example.org"));
    }

    #[test]
    fn attachment_types() {
        assert_eq!(mime_type("pdf", "https://x.org/a.PDF").as_deref(), Some("application/pdf"));
        assert_eq!(mime_type("slides", "https://docs.google.com/presentation/d/x/edit"), None);
        assert_eq!(mime_type("video", "https://youtu.be/x").as_deref(), Some("text/html"));
        assert_eq!(mime_type("video", "https://x.org/v.mp4").as_deref(), Some("video/mp4"));
        assert_eq!(mime_type("code", "https://github.com/x"), None);
    }
}
