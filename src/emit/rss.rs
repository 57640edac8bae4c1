//! RSS 2.0 (`rss.xml`), with the `rss` crate.
//!
//! RSS's `author` must be an e-mail address, so speakers go into Dublin
//! Core `dc:creator`; the item's `guid` is the talk's permanent id with
//! `isPermaLink="false"`; `description` holds the plain-text summary and
//! `content:encoded` the full HTML. Dates are RFC 2822; `lastBuildDate` is
//! the newest item's update, never the clock.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item};

use super::feed::Feed;
use super::xml;

/// The file name in the output folder.
pub const FILE: &str = "rss.xml";

/// Renders `feed` as RSS 2.0.
pub fn render(feed: &Feed<'_>) -> String {
    let items = feed
        .items
        .iter()
        .map(|i| Item {
            title: Some(i.title.clone()),
            link: Some(i.url.clone()),
            description: Some(i.summary.clone().unwrap_or_else(|| i.title.clone())),
            content: Some(i.content_html.clone()),
            guid: Some(Guid { value: i.id.clone(), permalink: false }),
            pub_date: Some(i.published.to_rfc2822()),
            categories: i.tags.iter().map(|t| Category { name: t.clone(), domain: None }).collect(),
            dublin_core_ext: (!i.authors.is_empty())
                .then(|| DublinCoreExtension { creators: i.authors.clone(), ..DublinCoreExtension::default() }),
            ..Item::default()
        })
        .collect();
    let channel = Channel {
        title: feed.title.clone(),
        link: feed.home_url.clone(),
        description: feed.description.clone(),
        language: Some(feed.language.clone()),
        generator: Some(feed.generator.clone()),
        last_build_date: Some(feed.updated.to_rfc2822()),
        atom_ext: feed.self_url(FILE).map(|href| AtomExtension {
            links: vec![Link {
                href,
                rel: String::from("self"),
                mime_type: Some(String::from("application/rss+xml")),
                ..Link::default()
            }],
        }),
        items,
        ..Channel::default()
    };
    let bytes = channel.pretty_write_to(Vec::new(), b' ', 2).expect("writing to memory cannot fail");
    let text = String::from_utf8(bytes).expect("the rss crate writes UTF-8");
    xml::well_formed(text) + "\n"
}
