//! `schedule.xml` in frab's format (the c3voc `schedule.xml.xsd`), with
//! the same content as [`super::json`].

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::{Meeting, Slot, hours_minutes};
use crate::emit::Context;
use crate::emit::xml::WellFormed;

/// Writes `meeting`'s `schedule.xml`.
pub fn write(ctx: &Context<'_>, meeting: &Meeting<'_>, w: &mut dyn Write) -> io::Result<()> {
    let mut out = WellFormed::new(w);
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    let mut x = Writer::new_with_indent(&mut out, b' ', 2);
    x.create_element("schedule").write_inner_content(|x| {
        x.create_element("generator")
            .with_attributes([("name", "talkfeed"), ("version", env!("CARGO_PKG_VERSION"))])
            .write_empty()?;
        text(x, "version", &meeting.version())?;
        x.create_element("conference").write_inner_content(|x| conference(ctx, meeting, x))?;
        for (index, day) in meeting.each_day() {
            let (date, start, end) = (day.to_string(), meeting.day_bound(day, false), meeting.day_bound(day, true));
            x.create_element("day")
                .with_attributes([
                    ("index", index.to_string().as_str()),
                    ("date", &date),
                    ("start", &start),
                    ("end", &end),
                ])
                .write_inner_content(|x| {
                    for room in meeting.rooms_of(day) {
                        let guid = room.guid.to_string();
                        x.create_element("room")
                            .with_attributes([("name", room.name.as_str()), ("guid", &guid)])
                            .write_inner_content(|x| {
                                meeting.slots_of(day, &room.name).try_for_each(|s| event(ctx, s, x))
                            })?;
                    }
                    Ok(())
                })?;
        }
        Ok(())
    })?;
    out.write_all(b"\n")?;
    out.finish().map(|_| ())
}

type Xml<'w, 'o> = Writer<&'w mut WellFormed<&'o mut dyn Write>>;

fn text(x: &mut Xml<'_, '_>, name: &str, value: &str) -> io::Result<()> {
    x.create_element(name).write_text_content(BytesText::new(value)).map(|_| ())
}

fn conference(ctx: &Context<'_>, meeting: &Meeting<'_>, x: &mut Xml<'_, '_>) -> io::Result<()> {
    text(x, "acronym", &meeting.acronym)?;
    text(x, "title", &meeting.title)?;
    text(x, "start", &meeting.days.0.to_string())?;
    text(x, "end", &meeting.days.1.to_string())?;
    text(x, "days", &meeting.each_day().len().to_string())?;
    text(x, "timeslot_duration", "00:05")?;
    text(x, "base_url", &ctx.home_url())?;
    if meeting.url.starts_with("http://") || meeting.url.starts_with("https://") {
        text(x, "url", &meeting.url)?;
    }
    if let Some(zone) = meeting.zone_name() {
        text(x, "time_zone_name", zone)?;
    }
    Ok(())
}

fn event(ctx: &Context<'_>, slot: &Slot<'_>, x: &mut Xml<'_, '_>) -> io::Result<()> {
    let view = slot.view;
    let (guid, id) = (slot.guid.to_string(), slot.id.to_string());
    x.create_element("event").with_attributes([("guid", guid.as_str()), ("id", &id)]).write_inner_content(|x| {
        text(x, "room", &slot.room)?;
        text(x, "title", &view.talk.title)?;
        if let Some(subtitle) = &view.subtitle {
            text(x, "subtitle", subtitle)?;
        }
        text(x, "type", "talk")?;
        text(x, "date", &slot.date.format("%Y-%m-%dT%H:%M:%S%:z").to_string())?;
        text(x, "start", &slot.date.format("%H:%M").to_string())?;
        text(x, "duration", &hours_minutes(slot.minutes))?;
        text(x, "abstract", view.abstract_text.as_deref().or(view.summary.as_deref()).unwrap_or(""))?;
        text(x, "slug", &slot.slug)?;
        text(x, "track", view.tags.first().map_or("", |t| t.name.as_str()))?;
        text(x, "language", &ctx.edition.language_code)?;
        let persons = super::persons(ctx, slot);
        if !persons.is_empty() {
            x.create_element("persons").write_inner_content(|x| {
                for (name, guid, _) in persons {
                    let guid = guid.to_string();
                    let person = x.create_element("person").with_attribute(("guid", guid.as_str()));
                    person.write_text_content(BytesText::new(&name))?;
                }
                Ok(())
            })?;
        }
        if super::links(slot).next().is_some() {
            x.create_element("links").write_inner_content(|x| {
                for (kind, href, label) in super::links(slot) {
                    let link = x.create_element("link").with_attributes([("href", href), ("type", kind)]);
                    link.write_text_content(BytesText::new(label))?;
                }
                Ok(())
            })?;
        }
        text(x, "url", &view.page_url)
    })?;
    Ok(())
}
