//! Atom (RFC 4287, `atom.xml`), with the `atom_syndication` crate.
//!
//! Every entry has the talk page as `alternate` link and the event, slides,
//! video and other links as `related`; speakers are its authors (the feed's
//! author covers entries without speakers, as RFC 4287 §4.1.1 requires).
//! Content is HTML, escaped once (`type="html"`). `updated` is always set
//! from the talks: left unset, the crate writes 1970. Times are written in
//! UTC (`Z`).

use atom_syndication::{Category, Content, Entry, Feed as AtomFeed, Generator, Link, Person, Text, WriteConfig};

use std::io::{self, Write};

use super::feed::Feed;
use super::formats::{self, Kind};
use super::xml::{WellFormed, ZuluTimes};

fn link(href: &str, rel: &str, mime_type: Option<&str>, title: Option<&str>) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime_type.map(String::from),
        title: title.map(String::from),
        ..Link::default()
    }
}

/// The Atom feed of `feed`, which it takes: Atom is the last of the three
/// formats written, so its entries take the items' strings rather than
/// copy them (for 100 000 talks they are hundreds of megabytes).
pub fn feed_of(feed: Feed<'_>) -> AtomFeed {
    let self_url = feed.self_url(formats::file(Kind::Atom));
    // Atom requires `updated`; a site with nothing dated at all gets the
    // run's time (`--now`), the one case where the clock reaches a feed.
    let updated = utc(feed.updated.unwrap_or_else(|| feed.ctx.options.publish.now.fixed_offset()));
    let mut links = vec![link(&feed.home_url, "alternate", Some("text/html"), None)];
    if let Some(url) = &self_url {
        links.push(link(url, "self", Some("application/atom+xml"), None));
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(feed.items.len().max(1));
    if feed.items.is_empty() {
        entries.push(list_entry(&feed, updated));
    }
    let Feed { title, description, author, language, home_url, items, .. } = feed;
    entries.extend(items.into_iter().map(|i| {
        let mut links = vec![link(&i.view.page_url, "alternate", Some("text/html"), None)];
        links.extend(i.related().map(|(label, url)| link(url, "related", None, Some(label))));
        links.extend(i.view.enclosures.iter().map(|a| link(&a.url, "enclosure", Some(&a.mime_type), Some(&a.title))));
        let view = i.view;
        Entry {
            title: Text::plain(view.talk.title.clone()),
            id: i.iri,
            updated: utc(i.updated),
            published: Some(utc(i.published)),
            authors: view.speakers.into_iter().map(|name| Person { name, ..Person::default() }).collect(),
            categories: view.talk.tags.iter().map(|t| Category { term: t.clone(), ..Category::default() }).collect(),
            links,
            summary: i.summary.map(Text::plain),
            content: Some(Content {
                value: Some(i.content_html),
                content_type: Some(String::from("html")),
                ..Content::default()
            }),
            ..Entry::default()
        }
    }));
    AtomFeed {
        title: Text::plain(title),
        id: self_url.unwrap_or(home_url),
        updated,
        authors: vec![Person { name: author, ..Person::default() }],
        generator: Some(Generator {
            value: String::from("talkfeed"),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        links,
        subtitle: Some(Text::plain(description)),
        lang: Some(language),
        entries,
        ..AtomFeed::default()
    }
}

/// The entry of a feed that has no talk: the talk list page itself, which
/// the site publishes. An Atom feed without entries is valid, but some
/// libraries recognise Atom only by an `<entry>` (@extractus/feed-extractor
/// rejects one without as "Unrecognized feed format"). Its id is the list
/// page's URL, which no talk has, and it goes once a talk is there.
fn list_entry(feed: &Feed<'_>, updated: chrono::DateTime<chrono::FixedOffset>) -> Entry {
    Entry {
        title: Text::plain(feed.title.clone()),
        id: feed.home_url.clone(),
        updated,
        // Readers that show an entry's date read `published` (ROME, Perl's XML::Feed).
        published: Some(updated),
        links: vec![link(&feed.home_url, "alternate", Some("text/html"), None)],
        summary: Some(Text::plain(String::from("No talk is announced yet; new talks appear in this feed."))),
        ..Entry::default()
    }
}

/// `t` at offset zero (written `Z` by [`ZuluTimes`]): some readers ignore
/// an offset and would show times hours off.
fn utc(t: chrono::DateTime<chrono::FixedOffset>) -> chrono::DateTime<chrono::FixedOffset> {
    t.to_utc().fixed_offset()
}

/// Writes `atom`.
pub fn write(atom: &AtomFeed, w: &mut dyn Write) -> io::Result<()> {
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let w = atom.write_with_config(WellFormed::new(ZuluTimes::new(w)), config).map_err(io::Error::other)?;
    w.finish()?.finish()?.write_all(b"\n")
}

/// `feed` as Atom, in memory.
pub fn render(feed: Feed<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    write(&feed_of(feed), &mut out).expect("writing to memory cannot fail");
    out
}
