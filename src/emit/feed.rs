//! The feed view shared by RSS, Atom and JSON Feed: which talks, in which
//! order, and every value the three formats need, computed once.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use url::Url;

use super::xml::xml_chars;
use super::{Context, item_html};
use crate::view::{TalkView, Target};

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

/// One talk as a feed item: its view, and what only feeds need of it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// Everything the outputs show of the talk; its `body_html` has moved
    /// into `content_html`.
    pub view: TalkView<'a>,
    /// The talk's id ([`TalkView::uid`]) as an IRI, for Atom: URLs as they
    /// are, UUIDs as `urn:uuid:`, any other text as the `urn:uuid:` of a
    /// UUID made from it.
    pub iri: String,
    /// The header of facts, then the body, as HTML.
    pub content_html: String,
    /// Plain text: `summary`, else the abstract, else the body's first paragraph.
    pub summary: Option<String>,
    /// `publishDate`, else the page date, else the start.
    pub published: DateTime<FixedOffset>,
    /// `lastmod` if later than `published`, else `published`.
    pub updated: DateTime<FixedOffset>,
}

impl<'a> Feed<'a> {
    /// The feed of `ctx`'s site (or tag, or section), of the talks of
    /// `views` in scope.
    pub fn new(ctx: &Context<'a>, views: Vec<TalkView<'a>>) -> Feed<'a> {
        Feed::from_items(ctx, Feed::items(ctx, views))
    }

    /// The items of the talks of `views` that `ctx`'s feeds may hold, in no
    /// order. Each takes its view, and the body's HTML with it: the largest
    /// part of a feed is moved into it, never copied.
    pub fn items(ctx: &Context<'a>, views: Vec<TalkView<'a>>) -> Vec<Item<'a>> {
        views.into_par_iter().filter(|v| ctx.includes(v.talk) && v.visibility.in_feeds).filter_map(Item::new).collect()
    }

    /// The feed of `ctx` from its items (all of them, from [`Feed::items`]
    /// or a subset of another feed's): sorted, cut to `--feed-limit`.
    pub fn from_items(ctx: &Context<'a>, mut items: Vec<Item<'a>>) -> Feed<'a> {
        items.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.view.uid.cmp(&b.view.uid)));
        if let Some(limit) = ctx.options.feed_limit {
            items.truncate(limit);
        }
        let updated = items.iter().map(|i| i.updated).max().or_else(|| ctx.content_revised());
        let title = ctx.title();
        Feed {
            ctx: *ctx,
            description: ctx.description().unwrap_or_else(|| title.clone()),
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
    /// The item of `view`'s talk; `None` for a talk without any date
    /// (neither a publish date nor a start), which no feed item can be.
    fn new(mut view: TalkView<'a>) -> Option<Item<'a>> {
        let talk = view.talk;
        let published = talk.dates.publish.or(view.start.map(|s| s.fixed_offset()))?;
        let updated = talk.dates.written_lastmod.filter(|l| *l > published).unwrap_or(published);
        let body = std::mem::take(&mut view.body_html);
        Some(Item {
            iri: iri(&view.uid),
            content_html: xml_chars(item_html::content(&view, body)),
            summary: view.lead.clone().map(xml_chars),
            published,
            updated,
            view,
        })
    }

    /// The event page, absolute, if it is a web address (a `javascript:`
    /// value is text in the content only).
    pub fn event_url(&self) -> Option<&str> {
        self.view.event_link.as_ref().and_then(Target::href)
    }

    /// Related links with labels (event, slides, video, PDF, code, links):
    /// the web addresses among them.
    pub fn related(&self) -> impl Iterator<Item = (&str, &str)> {
        let event = self.event_url().map(|u| (self.view.talk.event.as_deref().unwrap_or("Event"), u));
        event.into_iter().chain(self.view.links.iter().filter_map(|l| Some((l.label.as_str(), l.target.href()?))))
    }
}

/// An Atom id must be an IRI.
fn iri(id: &str) -> String {
    if Url::parse(id).is_ok_and(|u| !u.cannot_be_a_base() || u.scheme() == "urn" || u.scheme() == "tag") {
        id.to_string()
    } else {
        // The same UUID as the talk's guid in the schedules.
        format!("urn:uuid:{}", super::schedule::talk_uuid(id))
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
}
