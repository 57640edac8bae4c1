//! When a talk happens: a range of whole days or of instants, and the time
//! zone a timed talk is shown in. Constructors refuse empty or reversed
//! ranges, so an emitter never meets one.

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

/// When a talk happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventTime {
    /// Whole days, as written in the front matter (no time zone applies).
    AllDay(DayRange),
    /// Instants, each with the UTC offset it was written in (or that the
    /// site time zone gave it).
    Timed(TimeRange),
}

impl EventTime {
    /// The instant the talk starts; an all-day talk at the start of its
    /// first day, UTC (for ordering talks, not for showing them).
    pub fn start_instant(&self) -> chrono::DateTime<chrono::Utc> {
        match self {
            EventTime::AllDay(r) => r.first().and_time(chrono::NaiveTime::MIN).and_utc(),
            EventTime::Timed(r) => r.start().to_utc(),
        }
    }

    /// The instant the talk is over: its end, else its start plus
    /// `default_duration`; an all-day talk at the end of its last day, UTC
    /// (the earliest zone's reading would be later: a talk stays "upcoming"
    /// a little long rather than vanishing early).
    pub fn end_instant(&self, default_duration: chrono::Duration) -> chrono::DateTime<chrono::Utc> {
        match self {
            EventTime::AllDay(r) => r.last().succ_opt().unwrap_or(r.last()).and_time(chrono::NaiveTime::MIN).and_utc(),
            EventTime::Timed(r) => r.end().map_or(r.start().to_utc() + default_duration, |e| e.to_utc()),
        }
    }

    /// The calendar date the talk starts on, as written.
    pub fn first_day(&self) -> NaiveDate {
        match self {
            EventTime::AllDay(r) => r.first(),
            EventTime::Timed(r) => r.start().date_naive(),
        }
    }
}

/// A range of whole days, `first` to `last` **inclusive** (a one-day talk
/// has `first == last`). Calendar formats that want an exclusive end (iCalendar
/// `DTEND;VALUE=DATE`) must add one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DayRange {
    first: NaiveDate,
    last: NaiveDate,
}

impl DayRange {
    /// The days `first..=last`; `None` if `last` is before `first`.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Option<DayRange> {
        (last >= first).then_some(DayRange { first, last })
    }

    /// One day.
    pub fn single(day: NaiveDate) -> DayRange {
        DayRange { first: day, last: day }
    }

    /// The first day.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last day (inclusive).
    pub fn last(&self) -> NaiveDate {
        self.last
    }
}

/// A range of instants. `end`, when present, is after `start`; a talk whose
/// page gives no (usable) end has `None`, and each emitter decides what that
/// means for its format (a default duration in iCalendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TimeRange {
    start: DateTime<FixedOffset>,
    end: Option<DateTime<FixedOffset>>,
    zone: Zone,
}

/// The time zone a timed talk is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Zone {
    /// A named zone (IANA): the talk's offsets are the zone's at its
    /// times, and its local times read back to the same instants (a local
    /// time that happens twice reads as the first, as RFC 5545 says).
    Named {
        /// The zone.
        #[serde(serialize_with = "zone_name")]
        tz: Tz,
        /// Where it comes from.
        source: ZoneSource,
    },
    /// UTC. `instead_of` is the zone that would apply but cannot: the
    /// page's offset is not that zone's at the talk's time (a talk abroad,
    /// or a time written in UTC), or its local time names another instant.
    Utc {
        /// The zone that did not fit, and where it comes from.
        #[serde(serialize_with = "zone_name_of")]
        instead_of: Option<(Tz, ZoneSource)>,
    },
}

/// Where a talk's zone comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneSource {
    /// The page's `timezone` (or `time_zone`).
    Page,
    /// The site's `timeZone` (or `--timezone`).
    Site,
}

fn zone_name<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn zone_name_of<S: serde::Serializer>(z: &Option<(Tz, ZoneSource)>, s: S) -> Result<S::Ok, S::Error> {
    match z {
        Some((tz, _)) => s.serialize_some(tz.name()),
        None => s.serialize_none(),
    }
}

impl Zone {
    /// Whether `tz` is UTC under another name (`Etc/UTC`, `GMT`, …): times
    /// in it are written in UTC.
    pub fn is_utc(tz: Tz) -> bool {
        matches!(
            tz.name(),
            "UTC"
                | "Etc/UTC"
                | "Etc/UCT"
                | "UCT"
                | "Etc/Universal"
                | "Universal"
                | "Etc/Zulu"
                | "Zulu"
                | "GMT"
                | "Etc/GMT"
                | "Etc/GMT+0"
                | "Etc/GMT-0"
                | "Etc/GMT0"
                | "GMT+0"
                | "GMT-0"
                | "GMT0"
                | "Greenwich"
                | "Etc/Greenwich"
        )
    }

    /// Whether `at` can be written as a local time in `tz`: `tz` gives it
    /// its offset, and that local time means `at` and nothing else. A local
    /// time that happens twice (clocks going back) is not: RFC 5545 says a
    /// TZID time means the first, but ical.js (Thunderbird) reads the
    /// second, so such a time is written in UTC, which all read alike.
    pub fn reads_back(tz: Tz, at: DateTime<FixedOffset>) -> bool {
        use chrono::{LocalResult, Offset, TimeZone};
        let local = at.naive_local();
        tz.offset_from_utc_datetime(&at.naive_utc()).fix() == *at.offset()
            && matches!(tz.from_local_datetime(&local), LocalResult::Single(t) if t.fixed_offset() == at)
    }

    /// Why `at` cannot be written in `tz` ([`Zone::reads_back`] is false):
    /// `Europe/Berlin is at +02:00 then` or `2024-10-27 02:30 happens twice
    /// in Europe/Berlin`.
    pub fn why_not(tz: Tz, at: DateTime<FixedOffset>) -> String {
        use chrono::{Offset, TimeZone};
        let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
        if offset == *at.offset() {
            format!(
                "{} happens twice in {tz} (calendar apps differ on which one a local time means)",
                at.naive_local().format("%Y-%m-%d %H:%M")
            )
        } else {
            format!("{tz} is at {offset} then")
        }
    }

    /// The named zone, if the talk is written in one.
    pub fn tz(&self) -> Option<Tz> {
        match self {
            Zone::Named { tz, .. } => Some(*tz),
            Zone::Utc { .. } => None,
        }
    }
}

impl TimeRange {
    /// A range from `start` to `end`, in UTC; `None` if `end` is not after
    /// `start`.
    pub fn new(start: DateTime<FixedOffset>, end: Option<DateTime<FixedOffset>>) -> Option<TimeRange> {
        match end {
            Some(e) if e <= start => None,
            _ => Some(TimeRange { start, end, zone: Zone::Utc { instead_of: None } }),
        }
    }

    /// The same range in `tz` (from `source`) when its times can be
    /// written there ([`Zone::reads_back`]), else in UTC, saying which zone
    /// did not fit. A zone that is UTC under another name is UTC.
    pub fn in_zone(self, tz: Tz, source: ZoneSource) -> TimeRange {
        let zone = if Zone::is_utc(tz) {
            Zone::Utc { instead_of: None }
        } else if [Some(self.start), self.end].into_iter().flatten().all(|t| Zone::reads_back(tz, t)) {
            Zone::Named { tz, source }
        } else {
            Zone::Utc { instead_of: Some((tz, source)) }
        };
        TimeRange { zone, ..self }
    }

    /// The start.
    pub fn start(&self) -> DateTime<FixedOffset> {
        self.start
    }

    /// The end, if the page gives one that is after the start.
    pub fn end(&self) -> Option<DateTime<FixedOffset>> {
        self.end
    }

    /// The zone the talk is shown in.
    pub fn zone(&self) -> Zone {
        self.zone
    }
}

/// The time zones dates without an offset are read in: the site's, and
/// each language's own where the Hugo config gives one (`languages.ja.
/// timeZone`). One value, resolved once from the flags, `talkfeed.toml`
/// and the Hugo config; every stage asks it the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zones {
    /// The site's zone (UTC when none is given).
    pub site: Tz,
    /// The languages with a zone of their own.
    pub languages: Vec<(String, Tz)>,
}

impl Zones {
    /// One zone for every language.
    pub fn only(site: Tz) -> Zones {
        Zones { site, languages: Vec::new() }
    }

    /// The zone of pages in `lang`.
    pub fn for_lang(&self, lang: &str) -> Tz {
        self.languages.iter().find(|(l, _)| l == lang).map_or(self.site, |(_, tz)| *tz)
    }
}

/// Parses an IANA time zone name; the error suggests the closest name.
pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    let name = name.trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    let lower = name.to_lowercase();
    let best = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| (strsim::levenshtein(&lower, &tz.name().to_lowercase()), tz.name()))
        .min();
    match best {
        Some((distance, suggestion)) if distance <= 3 => {
            Err(format!("unknown time zone '{name}' — did you mean {suggestion}?"))
        }
        _ => Err(format!("unknown time zone '{name}' (use an IANA name such as Europe/Berlin)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_typos_get_a_suggestion() {
        assert_eq!(parse_timezone("Europe/Berlin").unwrap(), chrono_tz::Europe::Berlin);
        assert_eq!(
            parse_timezone("Europe/Berln").unwrap_err(),
            "unknown time zone 'Europe/Berln' — did you mean Europe/Berlin?"
        );
        assert!(parse_timezone("Mars/Olympus_Mons_Base").unwrap_err().contains("IANA"));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn day_ranges_cannot_run_backwards() {
        assert!(DayRange::new(d("2019-10-05"), d("2019-10-04")).is_none());
        assert_eq!(DayRange::new(d("2019-10-05"), d("2019-10-05")), Some(DayRange::single(d("2019-10-05"))));
    }

    #[test]
    fn time_ranges_need_an_end_after_the_start() {
        let s = t("2019-10-05T10:00:00Z");
        assert!(TimeRange::new(s, Some(s)).is_none());
        assert!(TimeRange::new(s, Some(t("2019-10-05T09:00:00Z"))).is_none());
        // Instants, not wall clocks: 11:00+02:00 is before 10:00Z.
        assert!(TimeRange::new(s, Some(t("2019-10-05T11:00:00+02:00"))).is_none());
        assert!(TimeRange::new(s, None).is_some());
    }
}
