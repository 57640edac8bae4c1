//! iCalendar (RFC 5545, with RFC 7986 calendar properties): the calendar to
//! subscribe to (`talks.ics`) and one file per talk (`talks/NAME.ics`).
//!
//! Built with the `icalendar` crate (pinned to 0.17.17), whose traps are
//! each guarded here, in one place (and listed for users in docs/outputs.md,
//! "The icalendar crate, and how talkfeed guards it"):
//!
//! * `all_day()` writes a zero-length event: all-day talks are written with
//!   `starts(first)` / `ends(last + 1)`, DTEND exclusive.
//! * It adds `DTSTAMP:<now>` and a random `UID` to components without them:
//!   every event gets both, from the talk, never from the clock.
//! * Its folding can leave 76-octet lines: the output is unfolded and
//!   folded again by [`fold`] (≤ 75 octets, never inside a UTF-8 character).
//! * It does not escape `NAME` and passes carriage returns and control
//!   characters through: every text goes through [`clean`] first, and `NAME`
//!   is escaped here with [`escape_text`].
//! * It cannot write VTIMEZONE: [`super::vtimezone`] does, for every zone
//!   a calendar's events use (and for an empty calendar, the site's: RFC
//!   5545 wants one component at least). A timed talk is written in its
//!   own zone ([`crate::model::Zone`]) where that zone's database agrees,
//!   else in UTC.
//!
//! No `METHOD`: with a METHOD, RFC 5545 §3.8.7.2 makes DTSTAMP the time the
//! file was generated, which would change the file on every run. Without
//! one, DTSTAMP is "when the information was last revised", which talkfeed
//! knows from the page (`lastmod`), so unchanged talks give unchanged bytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property};

use super::{Context, Dated};
use crate::model::{EventTime, JoinKind, Status, Zone};
use crate::view::TalkView;

/// `-//talkfeed//talkfeed 0.1.0//EN`
fn prodid() -> String {
    format!("-//talkfeed//talkfeed {}//EN", env!("CARGO_PKG_VERSION"))
}

/// One talk's VEVENT, and the zone its times are written in.
#[derive(Debug, Clone)]
pub struct Event {
    /// The VEVENT, folded, CRLF line endings: the same text goes into the
    /// subscription calendars and into the talk's own file.
    pub text: String,
    /// The TZID of its times, with its start and end, for the VTIMEZONE a
    /// calendar holding it needs; `None` for UTC and all-day talks.
    pub zone: Option<(String, DateTime<Utc>, DateTime<Utc>)>,
    /// Its VALARMs (`--alarm`), folded, for the calendars with reminders
    /// only: empty without `--alarm`.
    pub alarms: String,
}

/// Whether a calendar's events carry their reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminders {
    /// The subscription calendars and the per-talk files: never a VALARM
    /// (subscribers resent alarms they did not set; Google and Outlook
    /// drop a publisher's alarms anyway).
    Without,
    /// `talks-reminders.ics` and `upcoming-reminders.ics`.
    With,
}

/// The VEVENT of one talk, and its VALARMs for `alarms` (how long before
/// its start each reminder is).
pub fn event(talk: &Dated<'_>, alarms: &[Duration]) -> Event {
    let mut long = Long::default();
    let zone = tzid(talk);
    let event = vevent(talk, zone.as_deref(), &mut long).to_string();
    // CONFERENCE's FEATURE is a list (`AUDIO,VIDEO`), which the crate would
    // quote into one value, and it cannot write a parameter without
    // quoting it: these lines are written here.
    let event = match event.strip_suffix("END:VEVENT\r\n") {
        Some(head) => format!("{head}{}{}END:VEVENT\r\n", conferences(talk.view), structured_location(talk.view)),
        None => event,
    };
    Event {
        text: long.fold(&event),
        zone: zone.map(|z| (z, talk.start(), talk.end())),
        alarms: valarms(&talk.view.talk.title, alarms),
    }
}

/// One `VALARM` per duration in `before`, shown with the talk's `title`,
/// that long before the start (RFC 5545 §3.6.6: `TRIGGER` relative to
/// `DTSTART`, which for an all-day talk is the beginning of its first day);
/// folded.
fn valarms(title: &str, before: &[Duration]) -> String {
    if before.is_empty() {
        return String::new();
    }
    let description = escape_text(&clean(title));
    let mut out = String::new();
    for d in before {
        out.push_str("BEGIN:VALARM\r\nACTION:DISPLAY\r\n");
        out.push_str(&format!("DESCRIPTION:{description}\r\nTRIGGER:-{}\r\nEND:VALARM\r\n", duration(*d)));
    }
    fold(&out)
}

const END_VEVENT: &str = "END:VEVENT\r\n";

/// RFC 7986 `CONFERENCE` lines, unfolded, for the talk's join links that
/// are web addresses: a meeting has sound and picture, a stream picture.
fn conferences(view: &TalkView<'_>) -> String {
    let mut out = String::new();
    for join in &view.join {
        let Some(url) = join.target.href() else { continue };
        let feature = match join.kind {
            JoinKind::Meeting => "AUDIO,VIDEO",
            JoinKind::Stream => "VIDEO",
        };
        out.push_str(&format!("CONFERENCE;VALUE=URI;FEATURE={feature};LABEL={}:{url}\r\n", param_value(&join.label)));
    }
    out
}

/// Apple's `X-APPLE-STRUCTURED-LOCATION`, with which Apple Calendar shows
/// a map of the place: the talk's coordinates as a `geo:` URI, titled with
/// the `LOCATION` text, with the address where the page gives one. Only
/// when the talk has both coordinates and a place: Apple Calendar shows
/// the title as the place's name.
fn structured_location(view: &TalkView<'_>) -> String {
    let (Some(c), Some(place)) = (view.talk.coordinates, &view.place) else { return String::new() };
    let a = &view.talk.address;
    let city = [a.postcode.as_deref(), a.city.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let address: Vec<&str> = [a.street.as_deref(), Some(city.as_str()), a.region.as_deref(), a.country.as_deref()]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    let address = match address.is_empty() {
        true => String::new(),
        false => format!(";X-ADDRESS={}", param_value(&address.join(", "))),
    };
    format!(
        "X-APPLE-STRUCTURED-LOCATION;VALUE=URI{address};X-TITLE={}:geo:{},{}\r\n",
        param_value(place),
        c.latitude,
        c.longitude
    )
}

/// A parameter value (RFC 5545 §3.1): no control characters or double
/// quotes, quoted when it holds `:`, `;` or `,`.
fn param_value(text: &str) -> String {
    let text: String = clean(text).chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if text.contains([':', ';', ',']) { format!("\"{text}\"") } else { text }
}

/// The zone a timed talk's times are written in: its own (see
/// [`crate::model::Zone`]) when its end, the default duration's included,
/// can be written there too and the database the VTIMEZONE comes from
/// agrees ([`super::vtimezone::Zones::agrees`]); else `None`, UTC, never a
/// wrong zone.
fn tzid(talk: &Dated<'_>) -> Option<String> {
    let EventTime::Timed(range) = talk.when else { return None };
    let tz = range.zone().tz()?;
    let end = talk.end().with_timezone(&tz).fixed_offset();
    (Zone::reads_back(tz, end) && super::vtimezone::zones().agrees(tz.name(), &[range.start(), end]))
        .then(|| tz.name().to_string())
}

/// Writes the subscription calendar `file` (its name in the output folder,
/// for `SOURCE`) named `name`, holding `events` (from [`event`]) in the
/// order given, with their VALARMs or without, after the VTIMEZONE of every
/// zone they use.
pub fn write_calendar(
    ctx: &Context<'_>,
    zones: &Vtimezones,
    (file, name): (&str, &str),
    events: &[&Event],
    reminders: Reminders,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut cal = header();
    let mut long = Long::default();
    let name = clean(name);
    // NAME is RFC 7986 TEXT, which the crate leaves unescaped.
    cal.append_property(Property::new("NAME", long.raw(escape_text(&name))));
    cal.append_property(Property::new("X-WR-CALNAME", long.text(name)));
    if let Some(description) = ctx.description() {
        let description = clean(&description);
        cal.append_property(Property::new("DESCRIPTION", long.text(description.clone())));
        cal.append_property(Property::new("X-WR-CALDESC", long.text(description)));
    }
    cal.append_property(Property::new("URL", long.raw(ctx.home_url())));
    if let Some(source) = ctx.output_url(file) {
        cal.append_property(Property::new("SOURCE", long.raw(source)).add_parameter("VALUE", "URI").done());
    }
    let refresh = duration(ctx.options.refresh);
    cal.append_property(Property::new("REFRESH-INTERVAL", &refresh).add_parameter("VALUE", "DURATION").done());
    cal.append_property(Property::new("X-PUBLISHED-TTL", &refresh));
    // Google Calendar shows a subscribed calendar in this zone.
    cal.append_property(Property::new("X-WR-TIMEZONE", ctx.edition.time_zone.name()));
    if events.is_empty() {
        // RFC 5545 §3.6: a calendar holds at least one component. Never a
        // placeholder event: the zone of the site, which clients ignore
        // while no event uses it.
        let zone = match zones.0.get(ctx.edition.time_zone.name()) {
            Some(zone) => zone.clone(),
            None => empty_calendar_zone(ctx),
        };
        return write_around(&cal, &long, std::iter::once(zone.as_str()), w);
    }
    let used = zones.used_by(events.iter().copied());
    let texts = events.iter().flat_map(|e| match (reminders, e.text.strip_suffix(END_VEVENT)) {
        (Reminders::With, Some(head)) => [head, e.alarms.as_str(), END_VEVENT],
        _ => [e.text.as_str(), "", ""],
    });
    write_around(&cal, &long, used.chain(texts), w)
}

/// The VTIMEZONE of every zone an edition's events use, each made once: the
/// same in every file (see [`super::vtimezone`]), but where a talk falls
/// outside the span every zone covers, and then the same in every file of
/// the build.
#[derive(Debug, Default)]
pub struct Vtimezones(BTreeMap<String, String>);

impl Vtimezones {
    /// The VTIMEZONEs of the zones `events` use, by TZID.
    pub fn new(events: &[Event]) -> Vtimezones {
        let mut ranges: BTreeMap<&str, (DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
        for (tzid, start, end) in events.iter().filter_map(|e| e.zone.as_ref()) {
            let range = ranges.entry(tzid).or_insert((*start, *end));
            range.0 = range.0.min(*start);
            range.1 = range.1.max(*end);
        }
        let zones = super::vtimezone::zones();
        Vtimezones(
            ranges
                .into_iter()
                .filter_map(|(tzid, range)| Some((tzid.to_string(), zones.vtimezone(tzid, Some(range))?)))
                .collect(),
        )
    }

    /// The VTIMEZONEs `events` use, each once, in TZID order.
    fn used_by<'a>(&'a self, events: impl Iterator<Item = &'a Event>) -> impl Iterator<Item = &'a str> {
        let tzids: std::collections::BTreeSet<&str> =
            events.filter_map(|e| e.zone.as_ref()).map(|(tzid, _, _)| tzid.as_str()).collect();
        tzids.into_iter().filter_map(|tzid| self.0.get(tzid)).map(String::as_str)
    }
}

/// The VTIMEZONE of an empty calendar: the site's time zone (UTC when it
/// has none), the same as in every other file.
fn empty_calendar_zone(ctx: &Context<'_>) -> String {
    let zones = super::vtimezone::zones();
    zones.vtimezone(ctx.edition.time_zone.name(), None).or_else(|| zones.vtimezone("UTC", None)).unwrap_or_default()
}

/// A calendar with one event (from [`event`]) and its VTIMEZONE, for "add
/// to calendar" links. It has no name and no refresh interval: clients add
/// the event to a calendar of the reader's choice instead of creating a new
/// one.
pub fn single(zones: &Vtimezones, event: &Event) -> Vec<u8> {
    let used: Vec<&str> = zones.used_by(std::iter::once(event)).collect();
    let mut out = Vec::with_capacity(event.text.len() + used.iter().map(|z| z.len()).sum::<usize>() + 120);
    let parts = used.into_iter().chain(std::iter::once(event.text.as_str()));
    write_around(&header(), &Long::default(), parts, &mut out).expect("writing to memory cannot fail");
    out
}

/// Writes `cal`'s own lines (its long values from `long`), then `events`,
/// then its end.
fn write_around<'a>(
    cal: &Calendar,
    long: &Long,
    events: impl Iterator<Item = &'a str>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let head = long.fold(&cal.to_string());
    w.write_all(head.strip_suffix(END).unwrap_or(&head).as_bytes())?;
    for e in events {
        w.write_all(e.as_bytes())?;
    }
    w.write_all(END.as_bytes())
}

const END: &str = "END:VCALENDAR\r\n";

fn header() -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", prodid()));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal
}

/// The VEVENT of one talk, built with the crate; timed talks in `tzid`, or
/// UTC.
fn vevent(dated: &Dated<'_>, tzid: Option<&str>, long: &mut Long) -> icalendar::Event {
    let view = dated.view;
    let talk = view.talk;
    let mut e = icalendar::Event::new();
    e.uid(&long.text(clean(&view.uid)));
    e.timestamp(revised(dated));
    if let Some(lastmod) = talk.dates.written_lastmod {
        e.last_modified(lastmod.to_utc());
    }
    match dated.when {
        EventTime::AllDay(r) => {
            e.starts(r.first());
            e.ends(r.last().succ_opt().unwrap_or(r.last()));
        }
        EventTime::Timed(_) => {
            // Exchange refuses events with neither DTEND nor DURATION: a
            // talk without an end lasts the default duration (in the view).
            let at = |t: DateTime<Utc>| match tzid.and_then(|name| name.parse::<chrono_tz::Tz>().ok()) {
                Some(tz) => CalendarDateTime::WithTimezone {
                    date_time: t.with_timezone(&tz).naive_local(),
                    tzid: tz.name().to_string(),
                },
                None => CalendarDateTime::Utc(t),
            };
            e.starts(at(dated.start()));
            e.ends(at(dated.end()));
        }
    }
    e.summary(&long.text(clean(&talk.title)));
    e.description(&long.text(clean(&description(view))));
    if let Some(place) = &view.place {
        e.location(&long.text(clean(place)));
    }
    e.url(&long.raw(view.page_url.clone()));
    if let Some(image) = &view.image {
        // RFC 7986: an image to show with the event.
        let mut property = Property::new("IMAGE", long.raw(image.clone()));
        property.add_parameter("VALUE", "URI").add_parameter("DISPLAY", "BADGE");
        if let Some(mime) = image_type(image) {
            property.add_parameter("FMTTYPE", mime);
        }
        e.append_property(property);
    }
    let tags: Vec<String> = talk.tags.iter().map(|t| clean(t)).collect();
    if tags.iter().map(String::len).sum::<usize>() > LONG_VALUE {
        // The crate escapes each item and joins them with commas; so do we.
        let joined: Vec<String> = tags.iter().map(|t| escape_text(t)).collect();
        e.add_property("CATEGORIES", long.raw(joined.join(",")));
    } else if !tags.is_empty() {
        e.categories(tags);
    }
    e.status(match talk.status {
        Status::Confirmed => EventStatus::Confirmed,
        Status::Tentative => EventStatus::Tentative,
        Status::Cancelled => EventStatus::Cancelled,
    });
    if let Some(c) = talk.coordinates {
        e.add_property("GEO", format!("{};{}", c.latitude, c.longitude));
    }
    e.done()
}

/// The MIME type of an image, by its extension.
fn image_type(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    [
        (".jpg", "image/jpeg"),
        (".jpeg", "image/jpeg"),
        (".png", "image/png"),
        (".webp", "image/webp"),
        (".gif", "image/gif"),
        (".avif", "image/avif"),
    ]
    .into_iter()
    .find(|(ext, _)| path.ends_with(ext))
    .map(|(_, m)| m)
}

/// DTSTAMP: when the talk's information was last revised, as the page says
/// (`lastmod`, else `publishDate`, else the page date, which on most pages is
/// the talk's start), else the start. Nothing else is known without the
/// clock; pages that change a talk should set `lastmod` (talkfeed warns for
/// cancelled and tentative talks without it).
fn revised(dated: &Dated<'_>) -> DateTime<Utc> {
    dated.talk().dates.revised().map(|d| d.to_utc()).unwrap_or_else(|| dated.start())
}

/// `PT6H`, `PT1H30M`, `PT45M`, `P1D`, `P1DT12H` (RFC 5545 §3.3.6).
fn duration(d: Duration) -> String {
    let minutes = d.num_minutes().max(1);
    let (days, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let days = if days > 0 { format!("{days}D") } else { String::new() };
    match (h, m) {
        (0, 0) => format!("P{days}"),
        (0, m) => format!("P{days}T{m}M"),
        (h, 0) => format!("P{days}T{h}H"),
        (h, m) => format!("P{days}T{h}H{m}M"),
    }
}

/// The plain-text description: summary and abstract, then what a reader
/// needs to find the talk: event, speakers, links, the page.
fn description(view: &TalkView<'_>) -> String {
    let mut blocks: Vec<&str> = Vec::new();
    blocks.extend(view.subtitle.as_deref());
    blocks.extend(view.summary.as_deref());
    if view.abstract_text != view.summary {
        blocks.extend(view.abstract_text.as_deref());
    }
    let mut facts: Vec<String> = Vec::new();
    // Join links first: Apple and Google find a meeting link in the notes.
    for join in &view.join {
        facts.push(format!("{}: {}", join.label, join.target.text()));
    }
    match (&view.event, &view.event_link) {
        (Some(e), Some(u)) => facts.push(format!("Event: {e} ({})", u.text())),
        (Some(e), None) => facts.push(format!("Event: {e}")),
        (None, Some(u)) => facts.push(format!("Event: {}", u.text())),
        (None, None) => {}
    }
    if !view.speakers.is_empty() {
        facts.push(format!("Speakers: {}", view.speakers.join(", ")));
    }
    for link in view.links.iter().filter(|l| !view.join.iter().any(|j| j.target == l.target)) {
        facts.push(format!("{}: {}", link.label, link.target.text()));
    }
    facts.push(format!("Page: {}", view.page_url));
    let facts = facts.join("\n");
    blocks.push(&facts);
    blocks.join("\n\n")
}

/// Values longer than this go around the crate's line folding, which takes
/// time quadratic in a line's length (`icalendar` 0.17.17 `fold_line` calls
/// `chars().nth()` for every fold: a 2 MB title took seconds). The crate gets
/// a placeholder, and [`Long::fold`] puts the value, escaped as the crate
/// would, into the crate's output, which [`fold`] then folds once, in one
/// pass. No value passes through the crate's folding at all.
const LONG_VALUE: usize = 1024;

/// The long values of one component, behind placeholders (`\u{1}N\u{1}`:
/// every text is [`clean`]ed of control characters, so no value can hold
/// one).
#[derive(Debug, Default)]
struct Long {
    values: Vec<String>,
}

impl Long {
    /// `text` for a TEXT property, which the crate escapes: as it is when
    /// short, else a placeholder for it escaped here.
    fn text(&mut self, text: String) -> String {
        if text.len() <= LONG_VALUE { text } else { self.placeholder(escape_text(&text)) }
    }

    /// `value` for a property the crate writes as it is (a URI, or text
    /// escaped already).
    fn raw(&mut self, value: String) -> String {
        if value.len() <= LONG_VALUE { value } else { self.placeholder(value) }
    }

    fn placeholder(&mut self, value: String) -> String {
        let p = format!("\u{1}{}\u{1}", self.values.len());
        self.values.push(value);
        p
    }

    /// The crate's output `ics` with the values in place, folded once.
    fn fold(&self, ics: &str) -> String {
        if self.values.is_empty() {
            return fold(ics);
        }
        let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
        let mut out = String::with_capacity(unfolded.len() + self.values.iter().map(String::len).sum::<usize>());
        let mut parts = unfolded.split('\u{1}');
        out.push_str(parts.next().unwrap_or(""));
        while let (Some(index), Some(after)) = (parts.next(), parts.next()) {
            match index.parse::<usize>().ok().and_then(|i| self.values.get(i)) {
                Some(value) => out.push_str(value),
                None => out.push_str(index),
            }
            out.push_str(after);
        }
        fold(&out)
    }
}

/// Text as a TEXT value may carry it: line endings as `\n` (CRLF and CR
/// would end the content line), other control characters removed (RFC 5545
/// TSAFE-CHAR excludes them), surrounding whitespace trimmed. Tabs stay.
pub fn clean(text: &str) -> String {
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    text.trim().to_string()
}

/// RFC 5545 §3.3.11 TEXT escaping: `\` `;` `,` and newlines. Only for
/// properties the crate does not escape itself (`NAME`).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Folds every content line of `ics` to at most 75 octets (RFC 5545 §3.1):
/// the first physical line holds 75, each continuation a space and 74, no
/// fold splits a UTF-8 character, and where it can a continuation does not
/// start with whitespace. Existing folds are undone first,
/// so this is the one place that decides where lines break. Lines end in CRLF.
pub fn fold(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 70 * 3);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut room = 75;
        while rest.len() > room {
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            // Unfolding removes exactly one space, but lenient readers strip
            // all leading whitespace of a continuation line: do not start
            // one with a space or tab if a fold a few characters earlier
            // avoids it.
            let mut earlier = cut;
            while earlier > room / 2 && rest[earlier..].starts_with([' ', '\t']) {
                earlier -= 1;
                while !rest.is_char_boundary(earlier) {
                    earlier -= 1;
                }
            }
            if !rest[earlier..].starts_with([' ', '\t']) {
                cut = earlier;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            room = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    #[test]
    fn folds_at_75_octets_including_the_crate_s_76_octet_case() {
        for len in [74, 75, 76, 149, 150, 151, 224, 225] {
            let line = format!("DESCRIPTION:{}", "x".repeat(len - 12));
            let folded = fold(&format!("{line}\r\n"));
            assert!(folded.split("\r\n").all(|l| l.len() <= 75), "{len}: {folded:?}");
            assert_eq!(unfold(&folded), format!("{line}\r\n"));
        }
    }

    #[test]
    fn continuation_lines_do_not_start_with_whitespace() {
        let line = format!("SUMMARY:{} tail{}", "x".repeat(67), "y".repeat(100));
        assert_eq!(line.as_bytes()[75], b' ');
        let folded = fold(&format!("{line}\r\n"));
        assert!(folded.split("\r\n ").skip(1).all(|c| !c.starts_with(' ')), "{folded:?}");
        assert_eq!(unfold(&folded), format!("{line}\r\n"));
    }

    #[test]
    fn long_values_go_around_the_crate_and_read_the_same() {
        // Every kind of value just below and above the threshold: the same
        // text comes back from the crate's path and from the one around it.
        for len in [LONG_VALUE - 3, LONG_VALUE + 3, 40 * LONG_VALUE] {
            let text = "a;b,c\\d\ne é 老 ".repeat(len / 15 + 1)[..].chars().take(len).collect::<String>();
            let mut long = Long::default();
            let mut event = icalendar::Event::new();
            event.uid("u").timestamp(chrono::DateTime::UNIX_EPOCH).summary(&long.text(text.clone()));
            event.url(&long.raw(format!("https://x.org/{}", "p".repeat(len))));
            let ics = long.fold(&event.done().to_string());
            assert!(ics.split("\r\n").all(|l| l.len() <= 75));
            let unfolded = ics.replace("\r\n ", "");
            let summary = unfolded.lines().find_map(|l| l.strip_prefix("SUMMARY:")).unwrap();
            assert_eq!(summary, escape_text(&text), "{len}");
            assert!(unfolded.contains(&format!("URL:https://x.org/{}", "p".repeat(len))));
            assert!(!ics.contains('\u{1}'));
        }
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
    }

    #[test]
    fn cleans_line_endings_and_controls() {
        assert_eq!(clean("a\r\nb\rc\u{0}d\u{7f}e\tf\u{85}"), "a\nb\ncde\tf");
        assert_eq!(clean("\u{1} x \r\n"), "x");
    }

    #[test]
    fn durations_are_rfc5545() {
        assert_eq!(duration(Duration::hours(6)), "PT6H");
        assert_eq!(duration(Duration::minutes(90)), "PT1H30M");
        assert_eq!(duration(Duration::minutes(45)), "PT45M");
        assert_eq!(duration(Duration::days(1)), "P1D");
        assert_eq!(duration(Duration::hours(36)), "P1DT12H");
        assert_eq!(duration(Duration::minutes(2 * 1440 + 5)), "P2DT5M");
    }

    proptest! {
        #[test]
        fn every_physical_line_is_at_most_75_octets_and_unfolds_back(
            lines in proptest::collection::vec("[a-zé老🎉 ;,:\\\\]{0,400}", 1..5)
        ) {
            let ics: String = lines.iter().map(|l| format!("X:{l}\r\n")).collect();
            let folded = fold(&ics);
            for physical in folded.split_terminator("\r\n") {
                prop_assert!(physical.len() <= 75, "{} octets: {:?}", physical.len(), physical);
            }
            prop_assert!(folded.ends_with("\r\n"));
            prop_assert!(!folded.replace("\r\n", "").contains(['\r', '\n']));

            prop_assert_eq!(unfold(&folded), ics);
        }
    }
}
