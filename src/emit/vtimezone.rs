//! VTIMEZONE components (RFC 5545 §3.6.5), from the same tz database the
//! rest of talkfeed reads times with (chrono-tz), so that a client converts
//! a calendar's times exactly as talkfeed did. (The `icalendar` crate cannot
//! write VTIMEZONE: its `src/lib.rs` leaves it as a TODO, see
//! docs/outputs.md, "The icalendar crate, and how talkfeed guards it".)
//!
//! chrono-tz does not list a zone's transitions, but it answers the offset
//! at any instant: the transitions in a range are found by stepping through
//! it a day at a time and narrowing each change down to the second. Each
//! becomes an observance of its own (`STANDARD` or `DAYLIGHT`, with the
//! onset in the local time before it); the first observance is the offset in
//! force at the start of the range.

use chrono::{DateTime, Duration, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// One offset of a zone from an instant on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observance {
    /// When it starts.
    onset: DateTime<Utc>,
    /// The offset before it.
    from: FixedOffset,
    /// Its offset.
    to: FixedOffset,
    /// Its abbreviation (`CEST`), if the database has one.
    name: Option<String>,
    /// Daylight-saving time.
    daylight: bool,
}

/// The offset of `tz` at `at`, with its name and whether it is DST.
fn offset_at(tz: Tz, at: DateTime<Utc>) -> (FixedOffset, Option<String>, bool) {
    let o = tz.offset_from_utc_datetime(&at.naive_utc());
    (o.fix(), o.abbreviation().map(String::from), !o.dst_offset().is_zero())
}

/// The observances of `tz` from `from` to `to`: the one in force at `from`,
/// then one per transition.
fn observances(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Observance> {
    let (offset, name, daylight) = offset_at(tz, from);
    let mut out = vec![Observance { onset: from, from: offset, to: offset, name: name.clone(), daylight }];
    let mut current = (offset, name, daylight);
    let mut at = from;
    while at < to {
        let next = (at + Duration::days(1)).min(to);
        let probe = offset_at(tz, next);
        if probe != current {
            // The change is in (at, next]: narrow it down to the second.
            let (mut before, mut after) = (at.timestamp(), next.timestamp());
            while after - before > 1 {
                let middle = before + (after - before) / 2;
                let t = DateTime::from_timestamp(middle, 0).unwrap_or(at);
                if offset_at(tz, t) == current {
                    before = middle;
                } else {
                    after = middle;
                }
            }
            let after = DateTime::from_timestamp(after, 0).unwrap_or(next);
            let (to_offset, name, daylight) = offset_at(tz, after);
            out.push(Observance { onset: after, from: current.0, to: to_offset, name: name.clone(), daylight });
            current = (to_offset, name, daylight);
            at = after;
        } else {
            at = next;
        }
    }
    out
}

/// `+0200`, `-0330`, `+005328` (RFC 5545 utc-offset).
fn utc_offset(o: FixedOffset) -> String {
    let secs = o.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{s:02}") }
}

/// The VTIMEZONE of `tz` for times from `from` to `to`, CRLF line endings,
/// unfolded (every line is short).
pub fn vtimezone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    for o in observances(tz, from, to) {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        // The onset is written in the local time before it.
        let onset = o.onset.with_timezone(&o.from).format("%Y%m%dT%H%M%S");
        out.push_str(&format!("BEGIN:{kind}\r\nDTSTART:{onset}\r\n"));
        out.push_str(&format!("TZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n", utc_offset(o.from), utc_offset(o.to)));
        if let Some(name) =
            o.name.filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || "+-".contains(c)))
        {
            out.push_str(&format!("TZNAME:{name}\r\n"));
        }
        out.push_str(&format!("END:{kind}\r\n"));
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
        let v = vtimezone(Tz::UTC, utc("2026-01-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"));
        assert_eq!(
            v,
            "BEGIN:VTIMEZONE\r\nTZID:UTC\r\nBEGIN:STANDARD\r\nDTSTART:20260101T000000\r\nTZOFFSETFROM:+0000\r\n\
             TZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn berlin_in_2019_changes_twice_at_the_right_local_times() {
        let o = observances(chrono_tz::Europe::Berlin, utc("2019-01-01T00:00:00Z"), utc("2020-01-01T00:00:00Z"));
        assert_eq!(o.len(), 3);
        // 31 March, 02:00 CET → 03:00 CEST; 27 October, 03:00 CEST → 02:00 CET.
        assert_eq!(o[1].onset, utc("2019-03-31T01:00:00Z"));
        assert!(o[1].daylight);
        assert_eq!(o[2].onset, utc("2019-10-27T01:00:00Z"));
        let v = vtimezone(chrono_tz::Europe::Berlin, utc("2019-01-01T00:00:00Z"), utc("2020-01-01T00:00:00Z"));
        assert!(
            v.contains(
                "BEGIN:DAYLIGHT\r\nDTSTART:20190331T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
            ),
            "{v}"
        );
        assert!(
            v.contains(
                "BEGIN:STANDARD\r\nDTSTART:20191027T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
            ),
            "{v}"
        );
    }

    #[test]
    fn offsets_with_seconds_and_half_hours() {
        assert_eq!(utc_offset(FixedOffset::east_opt(5 * 3600 + 1800).unwrap()), "+0530");
        assert_eq!(utc_offset(FixedOffset::west_opt(3 * 3600 + 1800).unwrap()), "-0330");
        assert_eq!(utc_offset(FixedOffset::east_opt(3208).unwrap()), "+005328");
    }
}
