//! `schedule.json` in the c3voc schema (<https://c3voc.de/schedule/schema.json>),
//! as pretalx writes it.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Meeting, Slot, hours_minutes};
use crate::emit::Context;

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    generator: Generator,
    schedule: Schedule<'a>,
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Schedule<'a> {
    version: String,
    base_url: String,
    conference: Conference<'a>,
}

#[derive(Serialize)]
struct Conference<'a> {
    acronym: &'a str,
    title: &'a str,
    start: String,
    end: String,
    #[serde(rename = "daysCount")]
    days_count: usize,
    timeslot_duration: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone_name: Option<&'static str>,
    url: &'a str,
    rooms: Vec<Room<'a>>,
    days: Vec<Day<'a>>,
}

#[derive(Serialize)]
struct Room<'a> {
    name: &'a str,
    guid: String,
}

#[derive(Serialize)]
struct Day<'a> {
    index: usize,
    date: String,
    day_start: String,
    day_end: String,
    rooms: BTreeMap<&'a str, Vec<Event<'a>>>,
}

#[derive(Serialize)]
struct Event<'a> {
    guid: String,
    id: u32,
    date: String,
    start: String,
    duration: String,
    room: &'a str,
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    track: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    language: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: Option<&'a str>,
    persons: Vec<Person>,
    links: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct Person {
    name: String,
    guid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Link<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
    title: &'a str,
}

/// Writes `meeting`'s `schedule.json`.
pub fn write(ctx: &Context<'_>, meeting: &Meeting<'_>, w: &mut dyn Write) -> io::Result<()> {
    let days = meeting
        .each_day()
        .into_iter()
        .map(|(index, day)| Day {
            index,
            date: day.to_string(),
            day_start: meeting.day_bound(day, false),
            day_end: meeting.day_bound(day, true),
            rooms: meeting
                .rooms_of(day)
                .map(|r| (r.name.as_str(), meeting.slots_of(day, &r.name).map(|s| event(ctx, s)).collect()))
                .collect(),
        })
        .collect::<Vec<_>>();
    let document = Document {
        schema: "https://c3voc.de/schedule/schema.json",
        generator: Generator { name: "talkfeed", version: env!("CARGO_PKG_VERSION") },
        schedule: Schedule {
            version: meeting.version(),
            base_url: ctx.home_url(),
            conference: Conference {
                acronym: &meeting.acronym,
                title: &meeting.title,
                start: meeting.days.0.to_string(),
                end: meeting.days.1.to_string(),
                days_count: days.len(),
                timeslot_duration: "00:05",
                time_zone_name: meeting.zone_name(),
                url: &meeting.url,
                rooms: meeting.rooms.iter().map(|r| Room { name: &r.name, guid: r.guid.to_string() }).collect(),
                days,
            },
        },
    };
    serde_json::to_writer_pretty(&mut *w, &document)?;
    w.write_all(b"\n")
}

fn event<'a>(ctx: &'a Context<'_>, slot: &'a Slot<'a>) -> Event<'a> {
    let view = slot.view;
    Event {
        guid: slot.guid.to_string(),
        id: slot.id,
        date: slot.date.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        start: slot.date.format("%H:%M").to_string(),
        duration: hours_minutes(slot.minutes),
        room: &slot.room,
        slug: &slot.slug,
        url: &view.page_url,
        title: &view.talk.title,
        subtitle: view.subtitle.as_deref(),
        track: view.tags.first().map(|t| t.name.as_str()),
        kind: "talk",
        language: &ctx.edition.language_code,
        abstract_text: view.abstract_text.as_deref().or(view.summary.as_deref()),
        persons: super::persons(ctx, slot)
            .into_iter()
            .map(|(name, guid, url)| Person { name, guid: guid.to_string(), url })
            .collect(),
        links: super::links(slot).map(|(kind, url, title)| Link { kind, url, title }).collect(),
    }
}
