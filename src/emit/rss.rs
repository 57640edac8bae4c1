//! RSS 2.0 (`rss.xml`), with the `rss` crate.
//!
//! RSS's `author` must be an e-mail address, so speakers go into Dublin
//! Core `dc:creator`; the item's `guid` is the talk's permanent id with
//! `isPermaLink="false"`; `description` holds the plain-text summary and
//! `content:encoded` the full HTML. Dates are RFC 2822; `lastBuildDate` is
//! the newest item's update, never the clock, and left out (it is optional)
//! when nothing in the content is dated.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item};

use std::io::{self, Write};

use super::feed::Feed;
use super::formats::{self, Kind};
use super::xml::WellFormed;

/// The RSS channel of `feed`. Item contents are moved out of the feed, not
/// copied (for 100 000 talks they are hundreds of megabytes); give them
/// back with [`give_back`].
pub fn channel(feed: &mut Feed<'_>) -> Channel {
    let self_url = feed.self_url(formats::file(Kind::Rss));
    let items = feed
        .items
        .iter_mut()
        .map(|i| {
            let view = &i.view;
            Item {
                title: Some(view.talk.title.clone()),
                link: Some(view.page_url.clone()),
                description: Some(i.summary.clone().unwrap_or_else(|| view.talk.title.clone())),
                content: Some(std::mem::take(&mut i.content_html)),
                guid: Some(Guid { value: view.uid.clone(), permalink: false }),
                pub_date: Some(i.published.to_rfc2822()),
                categories: view.talk.tags.iter().map(|t| Category { name: t.clone(), domain: None }).collect(),
                dublin_core_ext: (!view.speakers.is_empty())
                    .then(|| DublinCoreExtension { creators: view.speakers.clone(), ..DublinCoreExtension::default() }),
                ..Item::default()
            }
        })
        .collect();
    Channel {
        title: feed.title.clone(),
        link: feed.home_url.clone(),
        description: feed.description.clone(),
        language: Some(feed.language.clone()),
        generator: Some(feed.generator.clone()),
        last_build_date: feed.updated.map(|u| u.to_rfc2822()),
        atom_ext: self_url.map(|href| AtomExtension {
            links: vec![Link {
                href,
                rel: String::from("self"),
                mime_type: Some(String::from("application/rss+xml")),
                ..Link::default()
            }],
        }),
        items,
        ..Channel::default()
    }
}

/// Moves the item contents [`channel`] took back into `feed`.
pub fn give_back(channel: Channel, feed: &mut Feed<'_>) {
    for (item, rss) in feed.items.iter_mut().zip(channel.items) {
        item.content_html = rss.content.unwrap_or_default();
    }
}

/// Writes `channel` as RSS 2.0.
pub fn write(channel: &Channel, w: &mut dyn Write) -> io::Result<()> {
    let w = channel.pretty_write_to(WellFormed::new(w), b' ', 2).map_err(io::Error::other)?;
    w.finish()?.write_all(b"\n")
}

/// `feed` as RSS 2.0, in memory.
pub fn render(feed: &mut Feed<'_>) -> Vec<u8> {
    let channel = channel(feed);
    let mut out = Vec::new();
    write(&channel, &mut out).expect("writing to memory cannot fail");
    give_back(channel, feed);
    out
}
