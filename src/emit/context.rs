//! What every emitter reads: the output options, the edition (language)
//! being written, the views of the talks, and the tag or section in scope,
//! with what these imply for all formats alike (the title, the list page,
//! which talks are in the calendar, when the content was last revised).

use chrono::{DateTime, FixedOffset, Utc};
use url::Url;

use super::groups::{self, Group, GroupKind};
use super::names;
use crate::emit::{Edition, NoBaseUrl, Options};
use crate::model::{EventTime, ListPage, Site, Talk};
use crate::view::TalkView;

/// What every emitter reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// How the outputs are made.
    pub options: &'a Options,
    /// The site's absolute URL.
    pub base_url: &'a Url,
    /// Everything read from the site (for its list pages and the revision
    /// dates of pages that are not talks).
    pub site: &'a Site,
    /// The language the outputs are for.
    pub edition: &'a Edition,
    /// Every language written in this run (this one included), for links
    /// between them.
    pub editions: &'a [Edition],
    /// The tag or section the outputs are for; `None` for the main ones.
    pub scope: Option<&'a Group>,
}

/// A talk with a start date, in a calendar: what a VEVENT is made of.
#[derive(Debug, Clone)]
pub struct Dated<'a> {
    /// Everything the outputs show of the talk.
    pub view: &'a TalkView<'a>,
    /// When it happens (the talk's own `when`, known to be there).
    pub when: EventTime,
    /// The name of its own calendar file, without `.ics` ([`names::file_name`]).
    pub file: String,
}

impl<'a> Dated<'a> {
    /// The talk.
    pub fn talk(&self) -> &'a Talk {
        self.view.talk
    }

    /// The instant it starts ([`TalkView::start`]).
    pub fn start(&self) -> DateTime<Utc> {
        self.when.start_instant()
    }

    /// The instant it is over ([`TalkView::end`]).
    pub fn end(&self) -> DateTime<Utc> {
        self.view.end.unwrap_or_else(|| self.start())
    }
}

impl<'a> Context<'a> {
    /// A context for the outputs of `edition` of `site`; fails without a
    /// base URL. `editions` are all the languages written in the run.
    pub fn new(
        site: &'a Site,
        options: &'a Options,
        edition: &'a Edition,
        editions: &'a [Edition],
    ) -> Result<Context<'a>, NoBaseUrl> {
        let base_url = options.require_base_url()?;
        Ok(Context { options, base_url, site, edition, editions, scope: None })
    }

    /// The same context for the outputs of one tag or section.
    pub fn scoped(&self, group: &'a Group) -> Context<'a> {
        Context { scope: Some(group), ..*self }
    }

    /// Whether `talk` is in scope: in the edition's language, and in the
    /// tag or section if there is one.
    pub fn includes(&self, talk: &Talk) -> bool {
        talk.source.lang == self.edition.lang && self.scope.is_none_or(|g| g.contains(talk))
    }

    /// The public URL of an output file (`talks.ics`), if known.
    pub fn output_url(&self, path: &str) -> Option<String> {
        let path = match self.scope {
            Some(g) => format!("{}/{path}", g.dir),
            None => path.to_string(),
        };
        self.edition.publish_url.as_ref().map(|u| u.join(&path).map(String::from).unwrap_or(path))
    }

    /// The title of the calendar and feeds: `--title` (or `title` in
    /// talkfeed.toml) if given, else the talk section's title followed by the
    /// site's (`Recent & Upcoming Talks · Martin`). A tag's or a speaker's
    /// outputs put its name in front (`Rust · Talks · Martin`); a section's
    /// are named as that section.
    pub fn title(&self) -> String {
        if let Some(g) = self.scope.filter(|g| matches!(g.kind, GroupKind::Tag | GroupKind::Author)) {
            return format!("{} · {}", g.name, Context { scope: None, ..*self }.title());
        }
        if let Some(t) = &self.options.title
            && self.scope.is_none()
        {
            return t.clone();
        }
        let section = self.list_page().and_then(|s| s.title.clone()).unwrap_or_else(|| String::from("Talks"));
        match &self.edition.site_title {
            Some(site) if *site != section => format!("{section} · {site}"),
            _ => section,
        }
    }

    /// The description of the calendar and feeds, as plain text:
    /// `--description` (or the site's `params.description`), else the talk
    /// section's description.
    pub fn description(&self) -> Option<String> {
        self.edition.description.clone().or_else(|| self.list_page().and_then(|s| s.description.clone()))
    }

    /// The URL of the talk list: the tag's or section's page for their
    /// outputs; else the first talk section's page, else the home page of
    /// the edition's language.
    pub fn home_url(&self) -> String {
        let origin = self.base_url.origin().ascii_serialization();
        if let Some(g) = self.scope {
            return format!("{origin}{}", g.page);
        }
        match self.list_page() {
            Some(s) => format!("{origin}{}", s.permalink),
            None => format!("{origin}{}", self.edition.home_path),
        }
    }

    /// The list page that names the talks: for a section's outputs its
    /// own; else the top-level `_index.md` of the first configured section
    /// that has one, in the edition's language.
    fn list_page(&self) -> Option<&'a ListPage> {
        match self.scope {
            Some(g) if g.kind == GroupKind::Section => self.section_list_page(&g.slug),
            _ => self.site.sections.iter().find_map(|name| self.section_list_page(name)),
        }
    }

    /// The top-level `_index.md` of `section` in the edition's language.
    pub fn section_list_page(&self, section: &str) -> Option<&'a ListPage> {
        self.site.list_pages.iter().find(|s| {
            s.source.lang == self.edition.lang
                && s.source.key.strip_prefix(section).is_some_and(|r| r.starts_with("/_index."))
        })
    }

    /// When the content of these outputs was last revised, as the pages
    /// say: the newest `lastmod` (else publish date, else date) of the
    /// talks in scope, drafts and future ones included, and for the main
    /// outputs of the edition's list pages and other pages in the talk
    /// sections too. Never the clock; `None` when nothing is dated.
    pub fn content_revised(&self) -> Option<DateTime<FixedOffset>> {
        let talks = self.site.talks.iter().filter(|t| self.includes(t)).filter_map(|t| t.dates.revised());
        let lang = &self.edition.lang;
        let (lists, others) = match self.scope {
            None => (
                self.site.list_pages.iter().filter(|s| s.source.lang == *lang).filter_map(|s| s.revised).max(),
                self.site.not_talks.iter().filter(|p| p.source.lang == *lang).filter_map(|p| p.revised).max(),
            ),
            Some(_) => (None, None),
        };
        talks.chain(lists).chain(others).max()
    }

    /// The talks of `views` that go into the calendar, in calendar order:
    /// by start, then by UID.
    pub fn calendar_talks<'v>(&self, views: &'v [TalkView<'v>]) -> Vec<Dated<'v>> {
        let mut talks: Vec<Dated<'v>> = views
            .iter()
            .filter(|v| self.includes(v.talk) && v.visibility.in_calendar)
            .filter_map(|view| Some(Dated { view, when: view.talk.when?, file: names::file_name(view.talk) }))
            .collect();
        talks.sort_by(|a, b| (a.start(), &a.view.uid).cmp(&(b.start(), &b.view.uid)));
        talks
    }

    /// The groups (tags, sections) the options ask for, of `talks`.
    pub fn groups(&self, talks: &[Dated<'_>]) -> Vec<Group> {
        groups::groups(self, talks)
    }
}
