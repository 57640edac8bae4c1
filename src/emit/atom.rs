//! Atom (RFC 4287, `atom.xml`), with the `atom_syndication` crate.
//!
//! Every entry has the talk page as `alternate` link and the event, slides,
//! video and other links as `related`; speakers are its authors (the feed's
//! author covers entries without speakers, as RFC 4287 §4.1.1 requires).
//! Content is HTML, escaped once (`type="html"`). `updated` is always set
//! from the talks: left unset, the crate writes 1970.

use atom_syndication::{Category, Content, Entry, Feed as AtomFeed, Generator, Link, Person, Text, WriteConfig};

use super::feed::Feed;
use super::xml;

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

/// Renders `feed` as Atom.
pub fn render(feed: &Feed<'_>) -> String {
    let entries = feed
        .items
        .iter()
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
                    value: Some(i.content_html.clone()),
                    content_type: Some(String::from("html")),
                    ..Content::default()
                }),
                ..Entry::default()
            }
        })
        .collect();
    let self_url = feed.self_url(FILE);
    let mut links = vec![link(&feed.home_url, "alternate", Some("text/html"), None)];
    if let Some(url) = &self_url {
        links.push(link(url, "self", Some("application/atom+xml"), None));
    }
    let atom = AtomFeed {
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
    };
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let bytes = atom.write_with_config(Vec::new(), config).expect("writing to memory cannot fail");
    let text = String::from_utf8(bytes).expect("atom_syndication writes UTF-8");
    xml::well_formed(text) + "\n"
}
