//! JSON Feed 1.1 (`feed.json`), with serde structs (field order is output
//! order; `version` first). Talk facts are also given machine-readably in
//! the `_talk` extension object, so a reader never parses HTML for a date.

use std::io::{self, Write};

use serde::Serialize;

use super::feed::Feed;
use super::formats::{self, Kind};
use super::time::rfc3339;
use crate::model::{Attendance, EventTime, JoinKind, Status};

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    description: &'a str,
    language: &'a str,
    authors: Vec<Author<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_url: Option<&'a str>,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<JsonAttachment<'a>>,
    _talk: TalkFacts<'a>,
}

#[derive(Serialize)]
struct JsonAttachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    title: &'a str,
}

/// `_talk`: the talk's facts.
#[derive(Serialize)]
struct TalkFacts<'a> {
    /// `2019-10-05` for all-day talks, else RFC 3339 with the written offset;
    /// none for a talk whose page gives no start yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    /// All-day: the last day, inclusive. Timed: the end, if the page gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    all_day: bool,
    /// The UTC offset the times are written in (`+02:00`); none for all-day talks.
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    /// The IANA time zone of a timed talk, where it has one (see
    /// docs/outputs.md, "Time zones").
    #[serde(skip_serializing_if = "Option::is_none")]
    zone: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a crate::model::Address>,
    /// `in_person`, `online` or `hybrid`, where the page says.
    #[serde(skip_serializing_if = "Option::is_none")]
    attendance: Option<Attendance>,
    /// The links to join or watch the talk live.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    join: Vec<JoinFact<'a>>,
    status: Status,
}

/// A link to join or watch the talk live.
#[derive(Serialize)]
struct JoinFact<'a> {
    url: &'a str,
    kind: JoinKind,
    label: &'a str,
}

/// Writes `feed` as JSON Feed 1.1.
pub fn write(feed: &Feed<'_>, w: &mut dyn Write) -> io::Result<()> {
    let items = feed
        .items
        .iter()
        .map(|i| {
            let view = &i.view;
            let t = view.talk;
            let (start, end, all_day, time_zone) = match t.when {
                Some(EventTime::AllDay(r)) => (Some(r.first().to_string()), Some(r.last().to_string()), true, None),
                Some(EventTime::Timed(r)) => (
                    Some(rfc3339(&r.start())),
                    r.end().map(|e| rfc3339(&e)),
                    false,
                    Some(r.start().format("%:z").to_string()),
                ),
                None => (None, None, false, None),
            };
            JsonItem {
                id: &view.uid,
                url: &view.page_url,
                external_url: i.event_url(),
                title: &t.title,
                content_html: &i.content_html,
                summary: i.summary.as_deref(),
                image: view.image.as_deref(),
                date_published: rfc3339(&i.published),
                date_modified: rfc3339(&i.updated),
                authors: view.speakers.iter().map(|a| Author { name: a }).collect(),
                tags: &t.tags,
                attachments: view
                    .enclosures
                    .iter()
                    .map(|a| JsonAttachment { url: &a.url, mime_type: &a.mime_type, title: &a.title })
                    .collect(),
                _talk: TalkFacts {
                    start,
                    end,
                    all_day,
                    time_zone,
                    zone: match t.when {
                        Some(EventTime::Timed(r)) => r.zone().tz().map(|tz| tz.name()),
                        _ => None,
                    },
                    event: t.event.as_deref(),
                    event_url: i.event_url(),
                    location: t.location.as_deref(),
                    address: (!t.address.is_empty()).then_some(&t.address),
                    attendance: t.attendance,
                    join: view
                        .join
                        .iter()
                        .filter_map(|j| Some(JoinFact { url: j.target.href()?, kind: j.kind, label: &j.label }))
                        .collect(),
                    status: t.status,
                },
            }
        })
        .collect();
    let json = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.home_url,
        feed_url: feed.self_url(formats::file(Kind::JsonFeed)),
        description: &feed.description,
        language: &feed.language,
        authors: vec![Author { name: &feed.author }],
        items,
    };
    serde_json::to_writer_pretty(&mut *w, &json)?;
    w.write_all(b"\n")
}

/// `feed` as JSON Feed 1.1, in memory.
pub fn render(feed: &Feed<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    write(feed, &mut out).expect("writing to memory cannot fail");
    out
}
