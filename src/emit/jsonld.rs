//! schema.org `Event` JSON-LD for the subscribe page: what search engines
//! read of the upcoming talks (name, times with their offset, place or
//! virtual location, attendance mode, status, performers, page).

use std::io;

use rayon::prelude::*;

use super::Dated;
use super::time::rfc3339;
use crate::model::{Attendance, EventTime, Status};

/// schema.org `Event`s of `talks` (the upcoming ones) as JSON-LD, for
/// search engines: name, times with their offset, place or virtual
/// location, attendance mode, status, performers, page.
pub fn write(w: &mut dyn io::Write, talks: &[&Dated<'_>], batch: usize) -> io::Result<()> {
    // One `@graph` object, written an event at a time.
    w.write_all(br#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":["#)?;
    for (i, chunk) in talks.chunks(batch).enumerate() {
        let events: Vec<String> = chunk.par_iter().map(|d| event(d)).collect();
        for (j, event) in events.iter().enumerate() {
            if i + j > 0 {
                w.write_all(b",")?;
            }
            // `<` escaped, so no text can end the script element.
            w.write_all(event.replace('<', "\\u003c").as_bytes())?;
        }
    }
    w.write_all(b"]}</script>\n")
}

/// One schema.org `Event`, as compact JSON.
fn event(d: &Dated<'_>) -> String {
    use serde_json::{Value, json};
    let view = d.view;
    let t = view.talk;
    let (start, end) = match d.when {
        EventTime::AllDay(r) => (r.first().to_string(), r.last().to_string()),
        EventTime::Timed(r) => (rfc3339(&r.start()), rfc3339(&d.end().with_timezone(r.start().offset()))),
    };
    let a = &t.address;
    let address = if a.is_empty() {
        view.place.clone().map(Value::from)
    } else {
        let mut postal = serde_json::Map::new();
        postal.insert("@type".into(), "PostalAddress".into());
        for (key, value) in [
            ("streetAddress", &a.street),
            ("addressLocality", &a.city),
            ("addressRegion", &a.region),
            ("postalCode", &a.postcode),
            ("addressCountry", &a.country),
        ] {
            if let Some(v) = value {
                postal.insert(key.into(), v.clone().into());
            }
        }
        Some(Value::Object(postal))
    };
    let place = view.place.as_ref().map(|p| {
        let mut place = json!({ "@type": "Place", "name": t.location.clone().unwrap_or_else(|| p.clone()) });
        if let Some(address) = &address {
            place["address"] = address.clone();
        }
        place
    });
    let online = json!({
        "@type": "VirtualLocation",
        "url": view.join.iter().find_map(|j| j.target.href()).unwrap_or(&view.page_url),
    });
    let (mode, location) = match t.attendance {
        Some(Attendance::Online) => ("OnlineEventAttendanceMode", Some(online)),
        Some(Attendance::Hybrid) => {
            ("MixedEventAttendanceMode", Some(Value::Array(place.into_iter().chain([online]).collect())))
        }
        _ => ("OfflineEventAttendanceMode", place),
    };
    let mut event = json!({
        "@type": "Event",
        "name": t.title,
        "url": view.page_url,
        "startDate": start,
        "endDate": end,
        "eventAttendanceMode": format!("https://schema.org/{mode}"),
        "eventStatus": match t.status {
            Status::Cancelled => "https://schema.org/EventCancelled",
            Status::Confirmed | Status::Tentative => "https://schema.org/EventScheduled",
        },
    });
    if let Some(location) = location {
        event["location"] = location;
    }
    if !view.speakers.is_empty() {
        event["performer"] = view.speakers.iter().map(|name| json!({ "@type": "Person", "name": name })).collect();
    }
    if let Some(lead) = &view.lead {
        event["description"] = lead.clone().into();
    }
    if let Some(image) = &view.image {
        event["image"] = image.clone().into();
    }
    if let Some(name) = &view.event {
        let mut parent = json!({ "@type": "Event", "name": name });
        if let Some(url) = view.event_link.as_ref().and_then(|l| l.href()) {
            parent["url"] = url.into();
        }
        event["superEvent"] = parent;
    }
    serde_json::to_string(&event).unwrap_or_default()
}
