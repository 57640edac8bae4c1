//! Dates as Hugo reads them from front matter.
//!
//! Hugo hands every front-matter date to `cast.ToTimeInDefaultLocationE`,
//! which tries a fixed list of Go layouts in order (spf13/cast
//! `internal/time.go`, called from Hugo's `common/htime/time.go`; for users,
//! docs/content.md "Dates and times"). [`parse`] accepts the same
//! forms, with Go's digit rules: a one-digit hour is fine (`T9:00:00Z`, Go's
//! `15` layout), a one-digit day or month is not (`2019-11-1`, Go's `02`).
//!
//! A parsed value keeps what was written ([`DateValue`]): a bare date stays a
//! date (an all-day talk has no time to invent), a time without offset stays
//! local until [`DateValue::resolve`] reads it in the site time zone, and an
//! offset is kept exactly as written (`+05:30`, `-00:00` → `+00:00`).

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// A front-matter date as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateValue {
    /// A calendar date without a time (`2019-10-05`, `05 Oct 2019`).
    Date(NaiveDate),
    /// A date and time without an offset, to be read in the site time zone.
    Local(NaiveDateTime),
    /// A date and time with the offset written in the value.
    Fixed(DateTime<FixedOffset>),
}

/// Why a value is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong with the value.
    pub reason: String,
}

/// A note about reading a local time in a zone with daylight-saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeNote {
    /// The local time does not exist (clocks jump over it); it was moved
    /// forward by the length of the gap, as Go and Hugo do.
    Gap,
    /// The local time happens twice (clocks fall back); the first was used.
    Fold,
}

/// The accepted forms, for hints.
pub const ACCEPTED_FORMS: &str = "2019-10-05, 2019-10-05T14:00:00, 2019-10-05T14:00:00+02:00 or 2019-10-05T12:00:00Z";

impl DateValue {
    /// The calendar date as written, in the value's own offset: the day an
    /// all-day talk is on. `2019-10-05T00:30:00+02:00` is 5 October.
    pub fn date_as_written(&self) -> NaiveDate {
        match self {
            DateValue::Date(d) => *d,
            DateValue::Local(dt) => dt.date(),
            DateValue::Fixed(dt) => dt.date_naive(),
        }
    }

    /// Returns true if and only if the value has no time of day.
    pub fn is_date_only(&self) -> bool {
        matches!(self, DateValue::Date(_))
    }

    /// The instant this value means, with the offset to show it in. A bare
    /// date is midnight and a local time is read in `tz` (Hugo's `timeZone`).
    pub fn resolve(&self, tz: Tz) -> (DateTime<FixedOffset>, Option<LocalTimeNote>) {
        match self {
            DateValue::Fixed(dt) => (*dt, None),
            DateValue::Local(dt) => resolve_local(*dt, tz),
            DateValue::Date(d) => resolve_local(d.and_time(NaiveTime::MIN), tz),
        }
    }
}

/// Reads `local` in `tz`. In a gap the offset before the gap is used, which
/// moves the time forward by the gap (02:30 on a spring-forward night in
/// Berlin becomes 03:30 CEST), as Go's `time.Date` does; in a fold the earlier
/// of the two instants is used.
pub fn resolve_local(local: NaiveDateTime, tz: Tz) -> (DateTime<FixedOffset>, Option<LocalTimeNote>) {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(dt) => (dt.fixed_offset(), None),
        LocalResult::Ambiguous(first, _) => (first.fixed_offset(), Some(LocalTimeNote::Fold)),
        LocalResult::None => {
            // The offset in force before the gap: that of the latest local
            // time before it, found an hour at a time (a gap is an hour, or
            // a whole day where a zone crossed the date line: Apia skipped
            // 30 December 2011, Kiritimati 31 December 1994).
            let offset = (1..=48)
                .find_map(|h| match tz.from_local_datetime(&(local - Duration::hours(h))) {
                    LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => Some(dt.offset().fix()),
                    LocalResult::None => None,
                })
                .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
            let utc = Utc.from_utc_datetime(&(local - Duration::seconds(offset.local_minus_utc().into())));
            (utc.with_timezone(&tz).fixed_offset(), Some(LocalTimeNote::Gap))
        }
    }
}

use chrono::Offset;

/// Parses a front-matter date string in any form Hugo accepts.
pub fn parse(text: &str) -> Result<DateValue, DateError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DateError { reason: String::from("the value is empty") });
    }
    let value = match parse_iso(s)? {
        Some(v) => v,
        None => match parse_named(s) {
            Some(v) => v,
            None => {
                let reason = match year_zero(s) {
                    Some(read) => format!(
                        "it has no year: Hugo reads it as {read} of year 0 (Go's Kitchen and Stamp layouts), which is no date for a talk"
                    ),
                    None => String::from("it is not in a date format Hugo reads"),
                };
                return Err(DateError { reason });
            }
        },
    };
    in_range(value)
}

/// What Hugo makes of a value in one of Go's layouts without a year, which
/// `cast` tries last: `time.Kitchen` (`3:04PM`) and `time.Stamp`
/// (`Jan _2 15:04:05`, with an optional fraction). Hugo 0.111 accepts them
/// and dates the page in year 0; `11:00PM` → "23:00 on 1 January".
fn year_zero(s: &str) -> Option<String> {
    // Kitchen: hour 1–12 (one or two digits), minutes, AM or PM in capitals.
    if let Some(time) = s.strip_suffix("PM").or_else(|| s.strip_suffix("AM"))
        && let Some((h, m)) = time.split_once(':')
        && (1..=2).contains(&h.len())
        && m.len() == 2
        && let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>())
        && (1..=12).contains(&h)
        && m < 60
    {
        let h = h % 12 + if s.ends_with("PM") { 12 } else { 0 };
        return Some(format!("{h:02}:{m:02} on 1 January"));
    }
    // Stamp: `Jan _2 15:04:05` (the day padded with a space), fractions allowed.
    let mut parts = s.split_whitespace();
    let (month, day, time) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let full = NaiveDate::parse_from_str(&format!("2000 {month} {day}"), "%Y %b %d").ok()?;
    let t = NaiveTime::parse_from_str(time, "%H:%M:%S%.f").ok()?;
    Some(format!("{} on {} {}", t.format("%H:%M:%S"), full.day(), full.format("%B")))
}

/// Years 1 to 9999: what calendars (RFC 5545 `date-fullyear`), feeds and
/// people can use. Year 0 is a typo, not a talk.
fn in_range(value: DateValue) -> Result<DateValue, DateError> {
    let year = value.date_as_written().year();
    if (1..=9999).contains(&year) {
        Ok(value)
    } else {
        Err(DateError { reason: format!("year {year} is outside 1 to 9999") })
    }
}

/// Unix seconds, which Hugo accepts for a number in a date key.
pub fn from_unix_seconds(secs: i64) -> Option<DateValue> {
    DateTime::from_timestamp(secs, 0).map(|dt| DateValue::Fixed(dt.fixed_offset())).and_then(|v| in_range(v).ok())
}

/// A cursor over ASCII digits and punctuation.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i < self.s.len() && self.i - start < max && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - start < min {
            self.i = start;
            return None;
        }
        std::str::from_utf8(&self.s[start..self.i]).ok()?.parse().ok()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
}

/// The RFC 3339 family: `2006-01-02`, then `T` or a space, `15:04:05`,
/// optional fraction, optional offset `Z`, `±07:00` or `±0700` (after an
/// optional space), optional zone abbreviation (`2006-01-02 15:04:05 -0700 MST`,
/// Go's `Time.String`). Returns `Ok(None)` if `s` is not of this shape at
/// all, `Err` if it is but names a day or time that does not exist.
fn parse_iso(s: &str) -> Result<Option<DateValue>, DateError> {
    let mut c = Cursor { s: s.as_bytes(), i: 0 };
    let Some((y, m, d)) = c.ymd() else { return Ok(None) };
    let date = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DateError { reason: format!("{y:04}-{m:02}-{d:02} is not a day of the calendar") })?;
    if c.done() {
        return Ok(Some(DateValue::Date(date)));
    }
    let sep = c.peek();
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return Ok(None);
    }
    let Some((h, min, sec)) = c.hms() else { return Ok(None) };
    let Some(nanos) = c.nanos() else { return Ok(None) };
    let time = NaiveTime::from_hms_nano_opt(h, min, sec, nanos)
        .ok_or_else(|| DateError { reason: format!("{h:02}:{min:02}:{sec:02} is not a time of day") })?;
    let local = date.and_time(time);
    if c.done() {
        return Ok(Some(DateValue::Local(local)));
    }
    if sep == Some(b' ') {
        c.eat(b' ');
    }
    let offset_secs = match c.offset()? {
        IsoOffset::Absent => None,
        IsoOffset::Seconds(secs) => Some(secs),
        IsoOffset::Malformed => return Ok(None),
    };
    // A zone abbreviation may follow a numeric offset (Go's `Time.String`
    // form), which decides. None of Hugo's layouts has an abbreviation
    // after an ISO time without an offset, so `10:00:00 PDT` is no date.
    let rest = s[c.i..].trim();
    Ok(match offset_secs {
        Some(secs) if rest.is_empty() || is_zone_abbreviation(rest) => {
            let offset = FixedOffset::east_opt(secs).expect("offset is within a day");
            let dt = offset.from_local_datetime(&local).single().expect("fixed offsets are unambiguous");
            Some(DateValue::Fixed(dt))
        }
        None if rest.is_empty() => Some(DateValue::Local(local)),
        _ => None,
    })
}

/// What follows an ISO time.
enum IsoOffset {
    /// Nothing that starts an offset.
    Absent,
    /// `Z`, `±07:00` or `±0700`, in seconds east of UTC.
    Seconds(i32),
    /// A sign not followed by an offset: not a date.
    Malformed,
}

/// The parts of an ISO date and time, each `None` when the text is not of
/// that shape (the cursor then stands somewhere inside it).
impl Cursor<'_> {
    /// `2006-01-02`.
    fn ymd(&mut self) -> Option<(i32, u32, u32)> {
        let y = self.digits(4, 4)? as i32;
        self.eat(b'-').then_some(())?;
        let m = self.digits(2, 2)?;
        self.eat(b'-').then_some(())?;
        Some((y, m, self.digits(2, 2)?))
    }

    /// `15:04:05`, the hour in one digit or two.
    fn hms(&mut self) -> Option<(u32, u32, u32)> {
        let h = self.digits(1, 2)?;
        self.eat(b':').then_some(())?;
        let min = self.digits(2, 2)?;
        self.eat(b':').then_some(())?;
        Some((h, min, self.digits(2, 2)?))
    }

    /// The nanoseconds of a fraction `.684` (or `,684`); 0 without one.
    fn nanos(&mut self) -> Option<u32> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(0);
        }
        let start = self.i;
        self.digits(1, 9)?;
        let frac = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        Some(format!("{frac:0<9}").parse().unwrap_or(0))
    }

    /// `Z`, `±07:00` or `±0700`; `Err` for hours or minutes out of range.
    fn offset(&mut self) -> Result<IsoOffset, DateError> {
        match self.peek() {
            Some(b'Z' | b'z') => {
                self.i += 1;
                Ok(IsoOffset::Seconds(0))
            }
            Some(sign @ (b'+' | b'-')) => {
                self.i += 1;
                let Some(oh) = self.digits(2, 2) else { return Ok(IsoOffset::Malformed) };
                self.eat(b':');
                let Some(om) = self.digits(2, 2) else { return Ok(IsoOffset::Malformed) };
                if oh > 23 || om > 59 {
                    return Err(DateError { reason: format!("{}{oh:02}:{om:02} is not a UTC offset", sign as char) });
                }
                let secs = (oh * 3600 + om * 60) as i32;
                Ok(IsoOffset::Seconds(if sign == b'-' { -secs } else { secs }))
            }
            _ => Ok(IsoOffset::Absent),
        }
    }
}

fn is_zone_abbreviation(s: &str) -> bool {
    (1..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_utc_name(s: &str) -> bool {
    matches!(s, "UTC" | "GMT" | "Z")
}

/// The named-month layouts of Go's `time` package that Hugo tries.
fn parse_named(s: &str) -> Option<DateValue> {
    // Layouts with a numeric offset.
    for layout in [
        "%a, %d %b %Y %H:%M:%S %z", // RFC1123Z
        "%d %b %y %H:%M %z",        // RFC822Z
        "%a %b %d %H:%M:%S %z %Y",  // RubyDate
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, layout) {
            return Some(DateValue::Fixed(dt));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%d %b %Y") {
        return Some(DateValue::Date(d));
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%a %b %e %H:%M:%S %Y") {
        return Some(DateValue::Local(dt)); // ANSIC
    }
    // Layouts with a zone abbreviation: RFC1123, RFC822, RFC850 (last token),
    // UnixDate (fifth token).
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let with_abbr = |abbr: &str, rest: &str, layout: &str| -> Option<DateValue> {
        if !is_zone_abbreviation(abbr) {
            return None;
        }
        let local = NaiveDateTime::parse_from_str(rest, layout).ok()?;
        Some(if is_utc_name(abbr) {
            DateValue::Fixed(Utc.from_utc_datetime(&local).fixed_offset())
        } else {
            DateValue::Local(local)
        })
    };
    if let Some((abbr, head)) = tokens.split_last() {
        let rest = head.join(" ");
        for layout in ["%a, %d %b %Y %H:%M:%S", "%d %b %y %H:%M", "%A, %d-%b-%y %H:%M:%S"] {
            if let Some(v) = with_abbr(abbr, &rest, layout) {
                return Some(v);
            }
        }
    }
    if tokens.len() == 6 {
        let rest = [tokens[0], tokens[1], tokens[2], tokens[3], tokens[5]].join(" ");
        if let Some(v) = with_abbr(tokens[4], &rest, "%a %b %e %H:%M:%S %Y") {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> DateValue {
        DateValue::Fixed(DateTime::parse_from_rfc3339(s).unwrap())
    }
    fn local(s: &str) -> DateValue {
        DateValue::Local(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap())
    }
    fn date(s: &str) -> DateValue {
        DateValue::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(parse("2019-10-05T10:00:00Z").unwrap(), fixed("2019-10-05T10:00:00Z"));
        assert_eq!(parse("2023-02-23T18:00:00+02:00").unwrap(), fixed("2023-02-23T18:00:00+02:00"));
        assert_eq!(parse("2022-12-11T11:30:00+05:30").unwrap(), fixed("2022-12-11T11:30:00+05:30"));
        assert_eq!(parse("2019-12-16T16:35:00-00:00").unwrap(), fixed("2019-12-16T16:35:00Z"));
        assert_eq!(parse("2021-08-17T15:08:17.684Z").unwrap(), fixed("2021-08-17T15:08:17.684Z"));
        assert_eq!(parse("2019-10-05t10:00:00z").unwrap(), fixed("2019-10-05T10:00:00Z"));
    }

    #[test]
    fn offsets_are_kept_as_written() {
        let DateValue::Fixed(dt) = parse("2022-12-11T11:30:00+05:30").unwrap() else { panic!() };
        assert_eq!(dt.offset().local_minus_utc(), 5 * 3600 + 1800);
        assert_eq!(dt.to_rfc3339(), "2022-12-11T11:30:00+05:30");
    }

    #[test]
    fn one_digit_hours_are_accepted() {
        assert_eq!(parse("2016-01-13T9:00:00Z").unwrap(), fixed("2016-01-13T09:00:00Z"));
        assert_eq!(parse("2018-08-11T9:00:00+08:00").unwrap(), fixed("2018-08-11T09:00:00+08:00"));
    }

    #[test]
    fn one_digit_days_and_months_are_not() {
        // plbaldoni__plbaldoni jsm2017: Hugo ignores this publishDate.
        assert!(parse("2019-11-1T10:35:00Z").is_err());
        assert!(parse("2019-1-10").is_err());
        assert!(parse("2022-11").is_err());
    }

    #[test]
    fn dates_and_local_times() {
        assert_eq!(parse("2019-10-05").unwrap(), date("2019-10-05"));
        assert_eq!(parse(" 2019-10-05 ").unwrap(), date("2019-10-05"));
        assert_eq!(parse("2020-01-30T15:00:00").unwrap(), local("2020-01-30T15:00:00"));
        assert_eq!(parse("2020-01-30 15:00:00").unwrap(), local("2020-01-30T15:00:00"));
        assert_eq!(parse("02 Jan 2006").unwrap(), date("2006-01-02"));
    }

    #[test]
    fn space_separated_offsets() {
        assert_eq!(parse("2006-01-02 15:04:05 -0700").unwrap(), fixed("2006-01-02T15:04:05-07:00"));
        assert_eq!(parse("2006-01-02 15:04:05 -07:00").unwrap(), fixed("2006-01-02T15:04:05-07:00"));
        assert_eq!(parse("2006-01-02 15:04:05Z").unwrap(), fixed("2006-01-02T15:04:05Z"));
        assert_eq!(parse("2006-01-02T15:04:05-0700").unwrap(), fixed("2006-01-02T15:04:05-07:00"));
        assert_eq!(
            parse("2006-01-02 15:04:05.999999999 -0700 MST").unwrap(),
            fixed("2006-01-02T15:04:05.999999999-07:00")
        );
    }

    #[test]
    fn rfc1123_and_friends() {
        assert_eq!(parse("Mon, 02 Jan 2006 15:04:05 -0700").unwrap(), fixed("2006-01-02T15:04:05-07:00"));
        assert_eq!(parse("Mon, 02 Jan 2006 15:04:05 GMT").unwrap(), fixed("2006-01-02T15:04:05Z"));
        assert_eq!(parse("Mon, 02 Jan 2006 15:04:05 MST").unwrap(), local("2006-01-02T15:04:05"));
        assert_eq!(parse("02 Jan 06 15:04 -0700").unwrap(), fixed("2006-01-02T15:04:00-07:00"));
        assert_eq!(parse("Monday, 02-Jan-06 15:04:05 UTC").unwrap(), fixed("2006-01-02T15:04:05Z"));
        assert_eq!(parse("Mon Jan  2 15:04:05 2006").unwrap(), local("2006-01-02T15:04:05"));
        assert_eq!(parse("Mon Jan  2 15:04:05 UTC 2006").unwrap(), fixed("2006-01-02T15:04:05Z"));
        assert_eq!(parse("Mon Jan 02 15:04:05 -0700 2006").unwrap(), fixed("2006-01-02T15:04:05-07:00"));
    }

    #[test]
    fn impossible_days_and_times_say_why() {
        assert_eq!(parse("2019-02-30").unwrap_err().reason, "2019-02-30 is not a day of the calendar");
        assert_eq!(parse("2019-02-10T24:61:00Z").unwrap_err().reason, "24:61:00 is not a time of day");
        assert!(parse("99999-01-01").is_err());
        assert_eq!(parse("0000-01-01").unwrap_err().reason, "year 0 is outside 1 to 9999");
        assert!(parse("").is_err());
        assert!(parse("next tuesday").is_err());
        assert!(parse("2019-10-05T10:00").is_err());
        assert!(parse("2019-10-05T10:00:00 PDT").is_err(), "Hugo has no such layout");
    }

    #[test]
    fn times_without_a_year_say_what_hugo_makes_of_them() {
        // Hugo 0.111: `date: 11:00PM` → 0000-01-01 23:00:00 UTC.
        let e = parse("11:00PM").unwrap_err().reason;
        assert_eq!(
            e,
            "it has no year: Hugo reads it as 23:00 on 1 January of year 0 (Go's Kitchen and Stamp layouts), which is no date for a talk"
        );
        assert!(parse("12:30AM").unwrap_err().reason.contains("00:30 on 1 January"));
        // Hugo 0.111: `date: Jan  2 15:04:05` → 0000-01-02 15:04:05 UTC.
        assert!(parse("Jan  2 15:04:05").unwrap_err().reason.contains("15:04:05 on 2 January of year 0"));
        assert!(parse("Oct 15 09:30:00.123").unwrap_err().reason.contains("09:30:00 on 15 October"));
        assert_eq!(parse("13:00PM").unwrap_err().reason, "it is not in a date format Hugo reads");
        assert_eq!(parse("11:00pm").unwrap_err().reason, "it is not in a date format Hugo reads");
    }

    #[test]
    fn calendar_date_as_written_ignores_utc() {
        assert_eq!(
            parse("2019-10-05T00:30:00+02:00").unwrap().date_as_written(),
            NaiveDate::from_ymd_opt(2019, 10, 5).unwrap()
        );
        assert_eq!(
            parse("2019-10-05T23:30:00-07:00").unwrap().date_as_written(),
            NaiveDate::from_ymd_opt(2019, 10, 5).unwrap()
        );
    }

    #[test]
    fn local_times_are_read_in_the_site_zone() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let (dt, note) = local("2021-05-20T18:00:00").resolve(tz);
        assert_eq!(dt.to_rfc3339(), "2021-05-20T18:00:00-04:00");
        assert_eq!(note, None);
        let (dt, _) = date("2018-12-05").resolve(tz);
        assert_eq!(dt.to_rfc3339(), "2018-12-05T00:00:00-05:00");
        let (dt, _) = fixed("2019-10-05T10:00:00Z").resolve(tz);
        assert_eq!(dt.to_rfc3339(), "2019-10-05T10:00:00+00:00");
    }

    #[test]
    fn dst_gap_moves_forward_and_fold_takes_the_first() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let (dt, note) = local("2019-03-31T02:30:00").resolve(tz);
        assert_eq!(dt.to_rfc3339(), "2019-03-31T03:30:00+02:00");
        assert_eq!(note, Some(LocalTimeNote::Gap));
        let (dt, note) = local("2019-10-27T02:30:00").resolve(tz);
        assert_eq!(dt.to_rfc3339(), "2019-10-27T02:30:00+02:00");
        assert_eq!(note, Some(LocalTimeNote::Fold));
    }

    #[test]
    fn a_whole_day_gap_moves_forward_by_the_day() {
        // Apia skipped 30 December 2011 (-10:00 to +14:00), Kiritimati
        // 31 December 1994 (-10:00 to +14:00): forward by the gap, as in Go,
        // not to its end.
        for (zone, time, read) in [
            ("Pacific/Apia", "2011-12-30T10:00:00", "2011-12-31T10:00:00+14:00"),
            ("Pacific/Kiritimati", "1994-12-31T12:00:00", "1995-01-01T12:00:00+14:00"),
        ] {
            let tz: Tz = zone.parse().unwrap();
            let (dt, note) = local(time).resolve(tz);
            assert_eq!((dt.to_rfc3339(), note), (read.to_string(), Some(LocalTimeNote::Gap)), "{zone}");
        }
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(from_unix_seconds(0).unwrap(), fixed("1970-01-01T00:00:00Z"));
    }
}
