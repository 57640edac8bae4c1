//! Schedules for conference apps (`--schedules`): the talks of one event,
//! as the c3voc `schedule.json` ([`json`]) and frab's `schedule.xml`
//! ([`xml`]), which Giggity, EventFahrplan, ConfClerk and recording
//! pipelines read.
//!
//! A meeting is the talks that name one event (`event_name`/`event`, case
//! and surrounding spaces aside) on consecutive days: a seminar held every
//! year is one schedule per year. Talks without an event are in no
//! schedule. Everything here is made from the talks alone, so a schedule's
//! bytes, its talks' `guid`s and `id`s do not change between builds.

mod json;
mod xml;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use chrono_tz::Tz;
use uuid::Uuid;

pub use json::write as write_json;
pub use xml::write as write_xml;

use super::{Context, Dated};
use crate::model::EventTime;
use crate::view::TalkView;

/// The folder of the schedules in a language's output folder.
pub const SCHEDULES_DIR: &str = "schedules";
/// The c3voc schedule of a meeting's folder.
pub const JSON_FILE: &str = "schedule.json";
/// The frab schedule of a meeting's folder.
pub const XML_FILE: &str = "schedule.xml";
/// The files of each meeting's folder.
pub const FILES: [&str; 2] = [JSON_FILE, XML_FILE];

/// How a server sends a schedule file (`None` for any other name).
pub fn media_type(name: &str) -> Option<&'static str> {
    match name {
        JSON_FILE => Some("application/json"),
        XML_FILE => Some("application/vnd.c3voc.schedule+xml"),
        _ => None,
    }
}

/// The room of talks whose page names no `location`.
pub const DEFAULT_ROOM: &str = "Talks";

/// A meeting that spans more days lists only the days with talks.
pub const LONGEST_LISTED_SPAN: i64 = 31;

/// Every slot lasts at most this long: the schemas' `HH:MM` has two digits
/// of hours in frab's XML.
const LONGEST_MINUTES: i64 = 99 * 60 + 59;

/// One event's talks on consecutive days.
#[derive(Debug)]
pub struct Meeting<'a> {
    /// Its folder under `schedules/` (`rse-workshop-2024`).
    pub slug: String,
    /// The schedule's acronym: the slug with `_` for `-`, as the schema
    /// wants it (`rse_workshop_2024`).
    pub acronym: String,
    /// The event's name as the first talk writes it.
    pub title: String,
    /// The event's page (the first talk's `event_url`), else the talk list.
    pub url: String,
    /// The zone its days begin and end in: the first timed talk's zone,
    /// else the site's.
    pub zone: Tz,
    /// Its first and last day, in `zone`.
    pub days: (NaiveDate, NaiveDate),
    /// Its rooms, by name.
    pub rooms: Vec<Room>,
    /// Its talks, by start, then slug.
    pub slots: Vec<Slot<'a>>,
}

/// A room of a meeting: a talk's `location`, or [`DEFAULT_ROOM`].
#[derive(Debug)]
pub struct Room {
    /// As the pages write it.
    pub name: String,
    /// Stable: a UUID of the schedule's and the room's names.
    pub guid: Uuid,
}

/// One talk in a schedule.
#[derive(Debug)]
pub struct Slot<'a> {
    /// The talk.
    pub view: &'a TalkView<'a>,
    /// The UUID of its calendar UID ([`talk_uuid`]).
    pub guid: Uuid,
    /// A number made from `guid`, unique in the schedule, at least 1000.
    pub id: u32,
    /// When it starts, in the meeting's zone (an all-day talk at the
    /// beginning of its first day).
    pub date: DateTime<FixedOffset>,
    /// How long it lasts in minutes (an all-day talk: its days), at most
    /// 99:59.
    pub minutes: i64,
    /// Its room's name.
    pub room: String,
    /// `ACRONYM-ID-TITLE`.
    pub slug: String,
}

impl Meeting<'_> {
    /// The path of its `file` in the language's output folder
    /// (`schedules/rse-workshop-2026/schedule.xml`).
    pub fn path(&self, file: &str) -> String {
        format!("{SCHEDULES_DIR}/{}/{file}", self.slug)
    }

    /// The address of its `file`: absolute where the output folder's
    /// public URL is known, else the path.
    pub fn url(&self, ctx: &Context<'_>, file: &str) -> String {
        let path = self.path(file);
        ctx.output_url(&path).unwrap_or(path)
    }

    /// The meeting's days, each with its index (from 1): every day from
    /// the first to the last, or, for a meeting longer than
    /// [`LONGEST_LISTED_SPAN`] days (a talk that lasts months), the days on
    /// which a talk starts.
    pub fn each_day(&self) -> Vec<(usize, NaiveDate)> {
        let days: Vec<NaiveDate> = if (self.days.1 - self.days.0).num_days() < LONGEST_LISTED_SPAN {
            self.days.0.iter_days().take_while(|d| *d <= self.days.1).collect()
        } else {
            self.slots.iter().map(|s| s.date.date_naive()).collect::<BTreeSet<_>>().into_iter().collect()
        };
        days.into_iter().enumerate().map(|(i, d)| (i + 1, d)).collect()
    }

    /// The instant `day` begins, or ends (its last minute), in the zone.
    pub fn day_bound(&self, day: NaiveDate, end: bool) -> String {
        let time = if end { day.and_hms_opt(23, 59, 0) } else { day.and_hms_opt(0, 0, 0) };
        local(self.zone, time.unwrap_or_default()).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// The slots of `day` in `room`.
    pub fn slots_of<'s>(&'s self, day: NaiveDate, room: &'s str) -> impl Iterator<Item = &'s Slot<'s>> {
        self.slots.iter().filter(move |s| s.date.date_naive() == day && s.room == room).map(|s| s as &Slot)
    }

    /// The rooms with talks on `day`.
    pub fn rooms_of(&self, day: NaiveDate) -> impl Iterator<Item = &Room> {
        self.rooms.iter().filter(move |r| self.slots_of(day, &r.name).next().is_some())
    }

    /// The zone's name where the schema's pattern allows it
    /// (`^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$`: `Europe/Berlin`,
    /// `America/New_York`, `UTC`; not `Etc/GMT+1`).
    pub fn zone_name(&self) -> Option<&'static str> {
        let name = self.zone.name();
        // An upper-case letter, then lower-case ones: all of them, or (the
        // pattern's second word) at least one.
        let word = |w: &str, whole: bool| {
            let b = w.as_bytes();
            let lower = b.iter().skip(1).take_while(|c| c.is_ascii_lowercase()).count();
            b.first().is_some_and(u8::is_ascii_uppercase) && lower > 0 && (!whole || lower + 1 == b.len())
        };
        let fits = name.ends_with("UTC") || name.split_once('/').is_some_and(|(a, b)| word(a, true) && word(b, false));
        fits.then_some(name)
    }

    /// A short hash of everything the schedule says, which changes when
    /// any of it does (the schema's `version`).
    pub fn version(&self) -> String {
        let mut text = format!("{}\n{}\n{:?}\n", self.title, self.url, self.days);
        for s in &self.slots {
            let v = s.view;
            text.push_str(&format!(
                "{}|{}|{}|{}|{}|{:?}|{:?}\n",
                s.guid, s.date, s.minutes, s.room, v.talk.title, v.subtitle, v.abstract_text
            ));
        }
        Uuid::new_v5(&Uuid::NAMESPACE_OID, text.as_bytes()).simple().to_string()[..12].to_string()
    }
}

/// The UUID of a talk's calendar UID: the UID itself when it is one (the
/// default UIDs are), else a name-based UUID of it. Never changes between
/// builds; the Atom id of a talk is the same UUID.
pub fn talk_uuid(uid: &str) -> Uuid {
    Uuid::parse_str(uid).unwrap_or_else(|_| Uuid::new_v5(&Uuid::NAMESPACE_OID, uid.as_bytes()))
}

/// The meetings of `talks` (the calendar's talks of one language).
pub fn meetings<'a>(ctx: &Context<'_>, talks: &'a [Dated<'a>]) -> Vec<Meeting<'a>> {
    let mut by_name: BTreeMap<String, Vec<&Dated>> = BTreeMap::new();
    for d in talks {
        if let Some(name) = d.view.event.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            by_name.entry(name.to_lowercase()).or_default().push(d);
        }
    }
    let mut runs: Vec<(Tz, Vec<&Dated>)> = Vec::new();
    for (_, mut list) in by_name {
        list.sort_by(|a, b| a.start().cmp(&b.start()).then_with(|| a.view.uid.cmp(&b.view.uid)));
        let zone = list.iter().find_map(|d| match d.when {
            EventTime::Timed(r) => r.zone().tz(),
            EventTime::AllDay(_) => None,
        });
        let zone = zone.unwrap_or(ctx.edition.time_zone);
        runs.extend(consecutive(zone, list).into_iter().map(|run| (zone, run)));
    }
    let slugs = slugs(&runs);
    runs.into_iter().zip(slugs).map(|((zone, run), slug)| meeting(ctx, zone, slug, run)).collect()
}

/// `list` (sorted by start) cut where a day without a talk lies between
/// two talks.
fn consecutive<'a, 'b>(zone: Tz, list: Vec<&'b Dated<'a>>) -> Vec<Vec<&'b Dated<'a>>> {
    let mut runs: Vec<(NaiveDate, Vec<&Dated>)> = Vec::new();
    for d in list {
        let (first, last) = days(zone, d);
        match runs.last_mut() {
            Some((end, run)) if first <= end.succ_opt().unwrap_or(*end) => {
                *end = (*end).max(last);
                run.push(d);
            }
            _ => runs.push((last, vec![d])),
        }
    }
    runs.into_iter().map(|(_, run)| run).collect()
}

/// The first and last day of a talk in `zone`.
fn days(zone: Tz, d: &Dated<'_>) -> (NaiveDate, NaiveDate) {
    match d.when {
        EventTime::AllDay(r) => (r.first(), r.last()),
        EventTime::Timed(_) => {
            let first = d.start().with_timezone(&zone).date_naive();
            // A talk that ends at midnight ends on the day before.
            let end = d.end() - chrono::Duration::seconds(1);
            (first, end.with_timezone(&zone).date_naive().max(first))
        }
    }
}

/// Each run's folder name: the event's name and the year (unless the name
/// has it: `rustfest-berlin-2025`), with the month and day where two runs
/// would share it.
fn slugs(runs: &[(Tz, Vec<&Dated>)]) -> Vec<String> {
    let base = |(zone, run): &(Tz, Vec<&Dated>)| {
        let name = super::names::ascii_name(run[0].view.event.as_deref().unwrap_or_default(), "event");
        let first = days(*zone, run[0]).0;
        let year = format!("{:04}", first.year());
        match name.split(['-', '_']).any(|word| word == year) {
            true => (name, first),
            false => (format!("{name}-{year}"), first),
        }
    };
    let bases: Vec<(String, NaiveDate)> = runs.iter().map(base).collect();
    let dated: Vec<String> = unique_or(&bases, |(b, first)| format!("{b}-{}", first.format("%m%d")));
    // Names that reduce to the same letters (`Café` and `Cafe`, scripts
    // without ASCII letters) on the same day: a hash of the name too.
    let names = runs.iter().map(|(_, run)| run[0].view.event.as_deref().unwrap_or_default().to_lowercase());
    let with_names: Vec<(String, String)> = dated.into_iter().zip(names).collect();
    unique_or(&with_names, |(slug, name)| format!("{slug}-{}", super::names::safe_name(name, "event")))
}

/// The first of each pair, where no other pair has the same; `longer` of
/// the pair where others do.
fn unique_or<T>(pairs: &[(String, T)], longer: impl Fn(&(String, T)) -> String) -> Vec<String> {
    let mut seen = BTreeMap::<&str, usize>::new();
    for (name, _) in pairs {
        *seen.entry(name).or_default() += 1;
    }
    pairs.iter().map(|p| if seen[p.0.as_str()] > 1 { longer(p) } else { p.0.clone() }).collect()
}

fn meeting<'a>(ctx: &Context<'_>, zone: Tz, slug: String, run: Vec<&'a Dated<'a>>) -> Meeting<'a> {
    let acronym = slug.replace('-', "_");
    let first = run[0];
    let title = first.view.event.clone().unwrap_or_default();
    let url = first.view.event_link.as_ref().and_then(|t| t.href()).map_or_else(|| ctx.home_url(), str::to_string);
    let span = run.iter().map(|d| days(zone, d)).fold(days(zone, first), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    let mut ids = BTreeSet::new();
    let mut slots: Vec<Slot> = run.into_iter().map(|d| slot(zone, &acronym, d, &mut ids)).collect();
    slots.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.slug.cmp(&b.slug)));
    let names: BTreeSet<&str> = slots.iter().map(|s| s.room.as_str()).collect();
    let rooms = names
        .into_iter()
        .map(|name| Room {
            name: name.to_string(),
            guid: Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("{acronym}\u{0}{name}").as_bytes()),
        })
        .collect();
    Meeting { slug, acronym, title, url, zone, days: span, rooms, slots }
}

fn slot<'a>(zone: Tz, acronym: &str, d: &'a Dated<'a>, ids: &mut BTreeSet<u32>) -> Slot<'a> {
    let view = d.view;
    let guid = talk_uuid(&view.uid);
    // A number from the UUID, moved on where two talks' collide.
    let mut id = (guid.as_u128() % (i32::MAX as u128 - 1000)) as u32 + 1000;
    while !ids.insert(id) {
        id = if id >= i32::MAX as u32 { 1000 } else { id + 1 };
    }
    let (date, minutes) = match d.when {
        EventTime::AllDay(r) => {
            let days = (r.last() - r.first()).num_days() + 1;
            (local(zone, r.first().and_hms_opt(0, 0, 0).unwrap_or_default()), days * 24 * 60)
        }
        EventTime::Timed(_) => {
            let start = d.start().with_timezone(&zone).fixed_offset();
            (start, (d.end() - d.start()).num_minutes().max(0))
        }
    };
    let room = view.talk.location.as_deref().map(str::trim).filter(|l| !l.is_empty()).unwrap_or(DEFAULT_ROOM);
    let title = super::names::ascii_name(&view.talk.title, "talk");
    Slot {
        view,
        guid,
        id,
        date,
        minutes: minutes.min(LONGEST_MINUTES),
        room: room.to_string(),
        slug: format!("{acronym}-{id}-{}", slug_end(&title)),
    }
}

/// The title's part of a slug: it must end in a letter or digit (the
/// c3voc pattern `^[a-z0-9_-]+[a-z0-9]$`).
fn slug_end(title: &str) -> &str {
    match title.trim_end_matches(['-', '_']) {
        "" => "talk",
        t => t,
    }
}

/// `time` in `zone`: the earlier of a time that happens twice, the time
/// after a gap for one that does not happen.
fn local(zone: Tz, time: chrono::NaiveDateTime) -> DateTime<FixedOffset> {
    (0..=3)
        .find_map(|h| zone.from_local_datetime(&(time + chrono::Duration::hours(h))).earliest())
        .map(|t| t.fixed_offset())
        .unwrap_or_else(|| zone.from_utc_datetime(&time).fixed_offset())
}

/// `H:MM` of `minutes`, hours two digits at least (`00:45`, `01:30`).
pub fn hours_minutes(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// What kind of link the schema has for a talk link labelled `label`.
pub fn link_type(label: &str) -> &'static str {
    match label.to_lowercase().as_str() {
        "slides" => "slides",
        "pdf" | "paper" | "preprint" | "poster" => "paper",
        "video" | "recording" | "stream" | "audio" | "podcast" => "media",
        "blog" | "blog post" => "blog",
        "article" => "article",
        _ => "web",
    }
}

/// A talk's links the schema can carry: web addresses, with their type and
/// label.
pub fn links<'s>(slot: &'s Slot<'_>) -> impl Iterator<Item = (&'static str, &'s str, &'s str)> {
    slot.view.links.iter().filter_map(|l| Some((link_type(&l.label), l.target.href()?, l.label.as_str())))
}

/// A talk's speakers: names, and the absolute address of their page
/// where the site has one.
pub fn persons(ctx: &Context<'_>, slot: &Slot<'_>) -> Vec<(String, Uuid, Option<String>)> {
    let origin = ctx.options.base_url.as_ref().map(|u| u.origin().ascii_serialization());
    let view = slot.view;
    if view.authors.is_empty() {
        return view
            .speakers
            .iter()
            .map(|n| (n.clone(), Uuid::new_v5(&Uuid::NAMESPACE_OID, n.as_bytes()), None))
            .collect();
    }
    view.authors
        .iter()
        .map(|a| {
            let url = origin.as_ref().map(|o| format!("{o}{}", a.page));
            let guid = Uuid::new_v5(&Uuid::NAMESPACE_URL, url.as_deref().unwrap_or(&a.name).as_bytes());
            (a.name.clone(), guid, url)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_link_types() {
        assert_eq!(hours_minutes(45), "00:45");
        assert_eq!(hours_minutes(LONGEST_MINUTES), "99:59");
        assert_eq!(link_type("Slides"), "slides");
        assert_eq!(link_type("PDF"), "paper");
        assert_eq!(link_type("Video"), "media");
        assert_eq!(link_type("Code"), "web");
    }

    #[test]
    fn slugs_end_in_a_letter_or_digit() {
        assert_eq!(slug_end("j_l-b-z-u-_"), "j_l-b-z-u");
        assert_eq!(slug_end("__"), "talk");
        assert_eq!(slug_end("a1"), "a1");
    }

    #[test]
    fn a_uuid_uid_is_its_own_guid() {
        let uid = "9b0a7380-8410-5a41-a7fd-fbc0613ea065";
        assert_eq!(talk_uuid(uid).to_string(), uid);
        assert_eq!(talk_uuid("talk-1@example.org"), talk_uuid("talk-1@example.org"));
        assert_ne!(talk_uuid("talk-1@example.org"), talk_uuid("talk-2@example.org"));
    }
}
