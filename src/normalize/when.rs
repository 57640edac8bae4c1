//! When a talk happens, whatever theme era its page was written for, and
//! the page dates Hugo uses to decide publication.
//!
//! The start key depends on the keys present (corpus README §3): a page with
//! `event_start` is Hugo Blox 2026 (`date` is the page date), a page with
//! `time_start` is Academic v2–v3 (`date` is the publish date), any other
//! page starts at `date`.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::Rules;
use super::dates::{PageSource, page_dates};
use super::fields::{DateField, Fields};
use crate::dates::{self, DateValue, LocalTimeNote};
use crate::diag::{DiagKind, Diagnostic};
use crate::model::{DayRange, EventTime, PageDates, StartKey, Talk, TimeRange, Zone, ZoneSource};

/// The event time and the keys it came from.
pub(crate) struct When {
    pub(crate) time: EventTime,
    pub(crate) start_key: StartKey,
    pub(crate) end_key: Option<&'static str>,
}

/// The keys of one era: end candidates and all-day candidates, first
/// present wins. The current theme's rule (Hugo Blox
/// `get_event_dates.html`: `.Params.event_end | default .Params.date_end`,
/// `.Params.event_all_day | default .Params.all_day`) applies to every page
/// that starts at `event_start` or `date`, half-migrated pages included;
/// v2-era pages end at `time_end`.
fn era_keys(start: StartKey) -> (&'static [&'static str], &'static [&'static str]) {
    const ALL_DAY: &[&str] = &["event_all_day", "all_day"];
    match start {
        StartKey::EventStart | StartKey::Date => (&["event_end", "date_end"], ALL_DAY),
        StartKey::TimeStart => (&["time_end"], ALL_DAY),
    }
}

/// The key that holds the talk's start: the first of `event_start`,
/// `time_start`, `date` that has a value.
pub(crate) fn start_key(f: &Fields) -> Option<StartKey> {
    [StartKey::EventStart, StartKey::TimeStart, StartKey::Date].into_iter().find(|k| f.get(k.key()).is_some())
}

/// The key that should hold the start of a page whose start keys are all
/// empty: the first of them written at all (`date: ""`), else `date`.
pub(crate) fn expected_start_key(f: &Fields) -> StartKey {
    [StartKey::EventStart, StartKey::TimeStart, StartKey::Date]
        .into_iter()
        .find(|k| f.map.contains_key(k.key()))
        .unwrap_or(StartKey::Date)
}

/// What a page says about when its talk happens.
pub(crate) enum Start {
    /// A start (and maybe an end).
    Dated(When),
    /// No start key has a value (absent, empty or null): Hugo publishes
    /// such a page undated.
    Undated(StartKey),
    /// A start key holds something that is not a date; an error was pushed.
    Invalid,
}

impl Start {
    /// The same start with a timed talk's times in `zone`, where they can
    /// be written there ([`TimeRange::in_zone`]).
    pub(crate) fn in_zone(self, zone: Tz, source: ZoneSource) -> Start {
        match self {
            Start::Dated(When { time: EventTime::Timed(r), start_key, end_key }) => {
                Start::Dated(When { time: EventTime::Timed(r.in_zone(zone, source)), start_key, end_key })
            }
            other => other,
        }
    }
}

/// Reads the talk's event time.
pub(crate) fn event_time(f: &mut Fields, tz: Tz) -> Start {
    let Some(start_key) = start_key(f) else { return Start::Undated(expected_start_key(f)) };
    let start = match f.date(start_key.key()) {
        DateField::Date(d) => d,
        DateField::Invalid(message) => {
            f.push(
                Diagnostic::error(DiagKind::InvalidDate, message)
                    .hint(format!("write it as {}", dates::ACCEPTED_FORMS)),
                &[start_key.key()],
            );
            return Start::Invalid;
        }
        // The start key was chosen because it has a value.
        DateField::Absent => return Start::Undated(start_key),
    };
    let (end_keys, all_day_keys) = era_keys(start_key);
    let Ok(end) = read_end(f, end_keys) else { return Start::Invalid };
    // A start without a time has no time to show: all day, whatever
    // `all_day` says (a zero-length event at midnight UTC would be wrong).
    if start.is_date_only() || read_all_day(f, all_day_keys) == Some(true) {
        return Start::Dated(all_day(f, (start_key, &start), end));
    }
    Start::Dated(timed(f, (start_key, &start), end, tz))
}

/// The end: the first of `keys` with a value, or `Err` (pushed) when it is
/// not a date.
fn read_end(f: &mut Fields, keys: &[&'static str]) -> Result<Option<(&'static str, DateValue)>, ()> {
    for key in keys {
        match f.date(key) {
            DateField::Absent => continue,
            DateField::Date(d) => return Ok(Some((key, d))),
            DateField::Invalid(message) => {
                f.push(
                    Diagnostic::error(DiagKind::InvalidDate, message)
                        .hint(format!("write it as {}, or remove it", dates::ACCEPTED_FORMS)),
                    &[key],
                );
                return Err(());
            }
        }
    }
    Ok(None)
}

/// Whether the talk is all day: the first of `keys` that is set decides.
/// `event_all_day: false` wins over `all_day: true`: Hugo's `default`
/// treats any boolean as set.
fn read_all_day(f: &mut Fields, keys: &[&'static str]) -> Option<bool> {
    let key = keys.iter().find(|key| f.get(key).is_some())?;
    f.flag(key)
}

/// An all-day talk: the dates as written, the end inclusive; an end before
/// the start is left out with a warning.
fn all_day(f: &mut Fields, (start_key, start): (StartKey, &DateValue), end: Option<(&'static str, DateValue)>) -> When {
    let first = start.date_as_written();
    let last = end.and_then(|(key, e)| {
        let last = e.date_as_written();
        if last >= first {
            return Some((key, last));
        }
        f.push(
            end_before_start(key, &e, start_key.key(), start)
                .hint("fix the end date, or remove it for a one-day event"),
            &[key],
        );
        None
    });
    let range = DayRange::new(first, last.map_or(first, |(_, d)| d)).unwrap_or(DayRange::single(first));
    When { time: EventTime::AllDay(range), start_key, end_key: last.map(|(k, _)| k) }
}

/// A timed talk: its times resolved in `tz` where they have no offset; an
/// end before the start is left out with a warning, one equal to it quietly.
fn timed(
    f: &mut Fields,
    (start_key, start): (StartKey, &DateValue),
    end: Option<(&'static str, DateValue)>,
    tz: Tz,
) -> When {
    let start_at = resolve(f, start, start_key.key(), tz);
    let end_at = end.map(|(key, e)| (key, timed_end(f, key, &e, start, tz)));
    let (end_key, end_time) = match end_at {
        // An end equal to the start is what `hugo new` writes for every
        // talk (and what a one-day talk's `date_end` often says): no end,
        // nothing to fix.
        Some((_, at)) if at == start_at => (None, None),
        Some((key, at)) if at < start_at => {
            // Shown as read (offsets applied, DST gaps moved): that is
            // what was compared.
            let d = Diagnostic::warning(
                DiagKind::EndNotAfterStart,
                format!(
                    "`{key}` {} is before `{}` {}; the talk is exported without an end",
                    at.to_rfc3339(),
                    start_key.key(),
                    start_at.to_rfc3339()
                ),
            )
            .hint("fix the end (a talk that ends after midnight ends on the next day), or remove it");
            f.push(d, &[key]);
            (None, None)
        }
        Some((key, at)) => (Some(key), Some(at)),
        None => (None, None),
    };
    let range = TimeRange::new(start_at, end_time).expect("end is after start");
    When { time: EventTime::Timed(range), start_key, end_key }
}

/// The end of a timed talk. A date-only end: the talk runs until that day
/// is over, in the start's own offset when it has one, else in `tz`.
fn timed_end(f: &mut Fields, key: &str, end: &DateValue, start: &DateValue, tz: Tz) -> DateTime<FixedOffset> {
    let DateValue::Date(d) = end else { return resolve(f, end, key, tz) };
    let next = d.succ_opt().unwrap_or(*d).and_time(NaiveTime::MIN);
    match start {
        DateValue::Fixed(s) => s.offset().from_local_datetime(&next).single().expect("fixed offsets are unambiguous"),
        _ => dates::resolve_local(next, tz).0,
    }
}

fn end_before_start(end_key: &str, end: &DateValue, start_key: &str, start: &DateValue) -> Diagnostic {
    Diagnostic::warning(
        DiagKind::EndNotAfterStart,
        format!(
            "`{end_key}` {} is before `{start_key}` {}; the talk is exported without an end",
            show(end),
            show(start)
        ),
    )
}

/// A date value as written, for messages.
fn show(v: &DateValue) -> String {
    match v {
        DateValue::Date(d) => d.to_string(),
        DateValue::Local(dt) => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
        DateValue::Fixed(dt) => dt.to_rfc3339(),
    }
}

/// Resolves `v` in `tz`, warning about daylight-saving gaps and folds.
pub(super) fn resolve(f: &mut Fields, v: &DateValue, key: &str, tz: Tz) -> DateTime<FixedOffset> {
    let (at, note) = v.resolve(tz);
    if let Some(note) = note {
        let what = match note {
            LocalTimeNote::Gap => format!("does not exist in {tz} (the clocks skip it); read as {}", at.to_rfc3339()),
            LocalTimeNote::Fold => {
                format!("happens twice in {tz} (the clocks go back); the first, {}, is used", at.to_rfc3339())
            }
        };
        f.push(
            Diagnostic::warning(DiagKind::AmbiguousLocalTime, format!("`{key}` {} {what}", show(v)))
                .hint(format!("write the time with its UTC offset, e.g. {}", at.to_rfc3339())),
            &[key],
        );
    }
    at
}

/// The zone the page names (`timezone:` or `time_zone:`), an IANA name.
pub(super) fn read_zone(f: &mut Fields) -> Option<Tz> {
    let (key, _) = f.first_of(&["timezone", "time_zone"])?;
    let name = f.text(key)?;
    match crate::model::parse_timezone(&name) {
        Ok(tz) => Some(tz),
        Err(message) => {
            f.push(
                Diagnostic::error(DiagKind::InvalidValue, format!("`{key}`: {message}"))
                    .hint("write the talk's IANA time zone, e.g. `timezone: Europe/Berlin`, or remove it"),
                &[key],
            );
            None
        }
    }
}

/// A page that names its zone but gives times with another offset is
/// written in UTC, never in a wrong zone: say so. (A talk whose offset is
/// not the site's zone is a talk abroad: nothing to say.)
pub(super) fn zone_disagrees(f: &mut Fields, w: &When) {
    let EventTime::Timed(range) = w.time else { return };
    if let Zone::Utc { instead_of: Some((tz, ZoneSource::Page)) } = range.zone() {
        let key = f.first_of(&["timezone", "time_zone"]).map_or("timezone", |(k, _)| k);
        f.push(
            Diagnostic::warning(
                DiagKind::InvalidValue,
                format!(
                    "`{key}: {tz}` does not fit the talk's time {}: {}, so the calendar gives the time in UTC",
                    range.start().to_rfc3339(),
                    Zone::why_not(tz, range.start()),
                ),
            )
            .hint(format!("write the time without an offset to mean {tz} local time, or fix the offset")),
            &[key],
        );
    }
}

/// The talk's time and its page's dates: its times read in the zone the
/// page names, else its language's; the page dates (publication) always in
/// the language's, as Hugo; with the warnings about each.
pub(super) fn talk_time(
    f: &mut Fields,
    lang: &str,
    page: &PageSource<'_>,
    rules: &Rules,
) -> (Start, PageDates, Option<String>) {
    let tz = rules.zones.for_lang(lang);
    let start_key = start_key(f);
    let (zone, zone_source) = match read_zone(f) {
        Some(page_zone) => (page_zone, ZoneSource::Page),
        None => (tz, ZoneSource::Site),
    };
    let when = event_time(f, zone).in_zone(zone, zone_source);
    if let Start::Dated(w) = &when {
        zone_disagrees(f, w);
    }
    let (dates, slug) = page_dates(f, tz, start_key, page, &rules.dates);
    match &when {
        Start::Undated(key) => undated(f, *key, &dates, rules),
        Start::Dated(w) => beyond_year_9999(f, w, rules.default_duration),
        Start::Invalid => {}
    }
    (when, dates, slug)
}

/// Calendars write years 0000 to 9999 (RFC 5545 `date-fullyear`), feeds
/// 0001 to 9999, all in UTC, and an exclusive end: a talk on 31 December
/// 9999 ends in year 10000, which no format can hold (chrono would write
/// `+100000101`), and one at 00:30 on 1 January of the year 1 at +01:00
/// starts in the year 0. An error on the key.
fn beyond_year_9999(f: &mut Fields, w: &When, default_duration: chrono::Duration) {
    use crate::model::EventTime;
    use chrono::Datelike;
    let (start_year, end_year) = match w.time {
        EventTime::AllDay(r) => (r.first().year(), r.last().succ_opt().map_or(i32::MAX, |d| d.year())),
        EventTime::Timed(r) => {
            let end = r.end().map(|e| e.to_utc()).or_else(|| r.start().to_utc().checked_add_signed(default_duration));
            (r.start().to_utc().year(), end.map_or(i32::MAX, |e| e.year()))
        }
    };
    if start_year < 1 {
        let key = w.start_key.key();
        f.push(
            Diagnostic::error(
                DiagKind::InvalidDate,
                format!("the talk starts before the year 1 in UTC (`{key}`), which calendars and feeds cannot hold"),
            )
            .hint("write the real date"),
            &[key],
        );
    }
    if end_year > 9999 {
        let key = w.end_key.unwrap_or(w.start_key.key());
        f.push(
            Diagnostic::error(
                DiagKind::InvalidDate,
                format!("the talk ends after the year 9999 (`{key}`), which calendars and feeds cannot hold"),
            )
            .hint("write the real date; the last day a talk can end on is 9999-12-30"),
            &[key],
        );
    }
}

/// A talk page without a start: Hugo publishes it undated, no calendar can
/// hold it, and one unfinished page must not stop every calendar from
/// updating. A warning (an error with `--strict`) that says where it goes.
fn undated(f: &mut Fields, key: crate::model::StartKey, dates: &crate::model::PageDates, rules: &Rules) {
    let key = key.key();
    let written = if f.map.contains_key(key) { format!("`{key}` is empty") } else { format!("there is no `{key}`") };
    let feeds = if dates.publish.is_some() {
        "it goes into the feeds from its publish date"
    } else {
        "without a publish date it is left out of the feeds too"
    };
    let message = format!("the talk has no start date ({written}); it is left out of the calendars, {feeds}");
    let hint = format!(
        "add `{key}: 2024-05-17T14:00:00+02:00` (or a date alone, `{key}: 2024-05-17`, for an all-day talk){}",
        if rules.strict { "" } else { "; --strict makes this an error" }
    );
    let d = if rules.strict {
        Diagnostic::error(DiagKind::MissingStart, message)
    } else {
        Diagnostic::warning(DiagKind::MissingStart, message)
    };
    let at: &[&str] = if f.map.contains_key(key) { &[key] } else { &[] };
    f.push(d.hint(hint), at);
}

/// Hugo falls back from `publishDate` to `date`, so an upcoming talk without
/// `publishDate` is "future" content: Hugo does not build its page until the
/// talk starts, and a feed item would link to nothing. The calendar keeps it;
/// the feeds wait, as Hugo does. Say so, since it surprises people.
pub(super) fn upcoming_without_publish_date(f: &mut Fields, talk: &Talk, rules: &Rules) {
    if talk.dates.written_publish.is_some() || talk.draft || rules.publish.future {
        return;
    }
    let Some(publish) = talk.dates.publish else { return };
    if publish > rules.publish.now {
        f.push(
            Diagnostic::warning(
                DiagKind::UnpublishedUpcoming,
                format!(
                    "the talk has no `publishDate`, so Hugo will not publish its page before {} (its `date`); the calendar lists it, the feeds wait until then",
                    publish.date_naive()
                ),
            )
            .hint("add `publishDate:` with today's date to publish the page now"),
            &["date"],
        );
    }
}
