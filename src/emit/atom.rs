//! Atom (RFC 4287, `atom.xml`), with the `atom_syndication` crate.
//!
//! Every entry has the talk page as `alternate` link and the event, slides,
//! video and other links as `related`; speakers are its authors (the feed's
//! author covers entries without speakers, as RFC 4287 §4.1.1 requires).
//! Content is HTML, escaped once (`type="html"`). `updated` is always set
//! from the talks: left unset, the crate writes 1970.

use atom_syndication::{Category, Content, Entry, Feed as AtomFeed, Generator, Link, Person, Text, WriteConfig};

use std::io::{self, Write};

use super::feed::Feed;
use super::xml::WellFormed;

/// The file name in the output folder.
pub const FILE: &str = "atom.xml";

fn link(href: &str, rel: &str, mime_type: Option<&str>, title: Option<&str>) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime_type.map(String::from),
        title: title.map(String::from),
        ..Link::default()
    }
}

/// The Atom feed of `feed`. Entry contents are moved out of the feed, not
/// copied; give them back with [`give_back`].
pub fn feed_of(feed: &mut Feed<'_>) -> AtomFeed {
    let self_url = feed.self_url(FILE);
    let entries = feed
        .items
        .iter_mut()
        .map(|i| {
            let mut links = vec![link(&i.url, "alternate", Some("text/html"), None)];
            links.extend(i.related.iter().map(|(label, url)| link(url, "related", None, Some(label))));
            links.extend(i.attachments.iter().map(|a| link(&a.url, "enclosure", Some(&a.mime_type), Some(&a.title))));
            Entry {
                title: Text::plain(i.title.clone()),
                id: i.iri.clone(),
                updated: i.updated,
                published: Some(i.published),
                authors: i.authors.iter().map(|a| Person { name: a.clone(), ..Person::default() }).collect(),
                categories: i.tags.iter().map(|t| Category { term: t.clone(), ..Category::default() }).collect(),
                links,
                summary: i.summary.clone().map(Text::plain),
                content: Some(Content {
                    value: Some(std::mem::take(&mut i.content_html)),
                    content_type: Some(String::from("html")),
                    ..Content::default()
                }),
                ..Entry::default()
            }
        })
        .collect();
    let mut links = vec![link(&feed.home_url, "alternate", Some("text/html"), None)];
    if let Some(url) = &self_url {
        links.push(link(url, "self", Some("application/atom+xml"), None));
    }
    AtomFeed {
        title: Text::plain(feed.title.clone()),
        id: self_url.unwrap_or_else(|| feed.home_url.clone()),
        updated: feed.updated,
        authors: vec![Person { name: feed.author.clone(), ..Person::default() }],
        generator: Some(Generator {
            value: String::from("talkfeed"),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        links,
        subtitle: Some(Text::plain(feed.description.clone())),
        lang: Some(feed.language.clone()),
        entries,
        ..AtomFeed::default()
    }
}

/// Moves the entry contents [`feed_of`] took back into `feed`.
pub fn give_back(atom: AtomFeed, feed: &mut Feed<'_>) {
    for (item, entry) in feed.items.iter_mut().zip(atom.entries) {
        item.content_html = entry.content.and_then(|c| c.value).unwrap_or_default();
    }
}

/// Writes `atom`.
pub fn write(atom: &AtomFeed, w: &mut dyn Write) -> io::Result<()> {
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let w = atom.write_with_config(WellFormed::new(w), config).map_err(io::Error::other)?;
    w.finish()?.write_all(b"\n")
}

/// `feed` as Atom, in memory.
pub fn render(feed: &mut Feed<'_>) -> Vec<u8> {
    let atom = feed_of(feed);
    let mut out = Vec::new();
    write(&atom, &mut out).expect("writing to memory cannot fail");
    give_back(atom, feed);
    out
}
