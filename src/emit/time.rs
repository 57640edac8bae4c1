//! Times as the outputs write them: compact for listings, in words for
//! readers, RFC 3339 for machines.

use chrono::{DateTime, FixedOffset};

use crate::model::EventTime;

/// When a talk happens, compactly: `2019-10-05 all-day`,
/// `2024-06-20 14:45 → 16:00 +02:00`.
pub fn when_text(when: &EventTime) -> String {
    match when {
        EventTime::AllDay(r) if r.first() == r.last() => format!("{} all-day", r.first()),
        EventTime::AllDay(r) => format!("{} → {} all-day", r.first(), r.last()),
        EventTime::Timed(r) => {
            let s = r.start();
            let day_time = |t: &DateTime<FixedOffset>| t.format("%Y-%m-%d %H:%M").to_string();
            match r.end() {
                None => format!("{} {}", day_time(&s), offset(&s)),
                Some(e) if e.offset() == s.offset() && e.date_naive() == s.date_naive() => {
                    format!("{} → {} {}", day_time(&s), e.format("%H:%M"), offset(&s))
                }
                Some(e) if e.offset() == s.offset() => format!("{} → {} {}", day_time(&s), day_time(&e), offset(&s)),
                Some(e) => format!("{} {} → {} {}", day_time(&s), offset(&s), day_time(&e), offset(&e)),
            }
        }
    }
}

/// When a talk happens, for readers, in its own zone: `Saturday, 5 October
/// 2019, all day`, `Thursday, 18 September 2025, 14:00–14:45
/// (Europe/Berlin, UTC+02:00)`, or with the offset alone for a talk
/// written in UTC (`… (UTC-04:00)`).
pub fn when_human(when: &EventTime) -> String {
    const DAY: &str = "%A, %-d %B %Y";
    let zone = match when {
        EventTime::Timed(r) => r.zone().tz().map(|tz| format!("{tz}, ")),
        EventTime::AllDay(_) => None,
    };
    let utc = |t: &DateTime<FixedOffset>| match offset(t).as_str() {
        "UTC" => format!("{}UTC", zone.as_deref().unwrap_or("")),
        o => format!("{}UTC{o}", zone.as_deref().unwrap_or("")),
    };
    match when {
        EventTime::AllDay(r) if r.first() == r.last() => format!("{}, all day", r.first().format(DAY)),
        EventTime::AllDay(r) => format!("{} to {}, all day", r.first().format(DAY), r.last().format(DAY)),
        EventTime::Timed(r) => {
            let s = r.start();
            match r.end() {
                None => format!("{}, {} ({})", s.format(DAY), s.format("%H:%M"), utc(&s)),
                Some(e) if e.offset() == s.offset() && e.date_naive() == s.date_naive() => {
                    format!("{}, {}–{} ({})", s.format(DAY), s.format("%H:%M"), e.format("%H:%M"), utc(&s))
                }
                Some(e) => format!(
                    "{}, {} ({}) to {}, {} ({})",
                    s.format(DAY),
                    s.format("%H:%M"),
                    utc(&s),
                    e.format(DAY),
                    e.format("%H:%M"),
                    utc(&e)
                ),
            }
        }
    }
}

/// RFC 3339 with `Z` for UTC and no fraction unless there is one.
pub fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn offset(t: &DateTime<FixedOffset>) -> String {
    if t.offset().local_minus_utc() == 0 { String::from("UTC") } else { t.format("%:z").to_string() }
}

/// How long before a talk its reminders are, for people: `1 day and 30
/// minutes` for `--alarm 1d --alarm 30m`; `None` without reminders.
pub fn reminders_text(alarms: &[chrono::Duration]) -> Option<String> {
    let one = |d: &chrono::Duration| {
        let minutes = d.num_minutes();
        let (days, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        let unit = |n: i64, name: &str| match n {
            0 => None,
            1 => Some(format!("1 {name}")),
            n => Some(format!("{n} {name}s")),
        };
        [unit(days, "day"), unit(h, "hour"), unit(m, "minute")].into_iter().flatten().collect::<Vec<_>>().join(" ")
    };
    let texts: Vec<String> = alarms.iter().rev().map(one).collect();
    match texts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DayRange, TimeRange};

    #[test]
    fn when_text_forms() {
        let d = |s: &str| s.parse().unwrap();
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();

        assert_eq!(when_text(&EventTime::AllDay(DayRange::single(d("2019-10-05")))), "2019-10-05 all-day");
        assert_eq!(
            when_text(&EventTime::AllDay(DayRange::new(d("2020-10-05"), d("2020-10-09")).unwrap())),
            "2020-10-05 → 2020-10-09 all-day"
        );
        let r = |a: &str, b: Option<&str>| EventTime::Timed(TimeRange::new(t(a), b.map(t)).unwrap());
        assert_eq!(when_text(&r("2024-06-20T14:45:00+02:00", None)), "2024-06-20 14:45 +02:00");
        assert_eq!(
            when_text(&r("2024-06-20T14:45:00+02:00", Some("2024-06-20T16:00:00+02:00"))),
            "2024-06-20 14:45 → 16:00 +02:00"
        );
        assert_eq!(
            when_text(&r("2024-03-04T14:10:00Z", Some("2024-03-07T14:35:00Z"))),
            "2024-03-04 14:10 → 2024-03-07 14:35 UTC"
        );
        assert_eq!(
            when_text(&r("2024-03-04T14:10:00+01:00", Some("2024-03-07T14:35:00+02:00"))),
            "2024-03-04 14:10 +01:00 → 2024-03-07 14:35 +02:00"
        );
        assert_eq!(
            when_human(&EventTime::AllDay(DayRange::single(d("2019-10-05")))),
            "Saturday, 5 October 2019, all day"
        );
        assert_eq!(
            when_human(&r("2025-09-18T14:00:00+02:00", Some("2025-09-18T14:45:00+02:00"))),
            "Thursday, 18 September 2025, 14:00–14:45 (UTC+02:00)"
        );
    }

    #[test]
    fn a_talk_in_its_zone_names_it() {
        use crate::model::{TimeRange, ZoneSource};
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let range = TimeRange::new(t("2025-09-18T14:00:00+02:00"), Some(t("2025-09-18T14:45:00+02:00"))).unwrap();
        let zoned = EventTime::Timed(range.in_zone(chrono_tz::Europe::Berlin, ZoneSource::Site));
        assert_eq!(when_human(&zoned), "Thursday, 18 September 2025, 14:00–14:45 (Europe/Berlin, UTC+02:00)");
        let abroad = EventTime::Timed(range.in_zone(chrono_tz::America::New_York, ZoneSource::Site));
        assert_eq!(when_human(&abroad), "Thursday, 18 September 2025, 14:00–14:45 (UTC+02:00)");
    }

    #[test]
    fn reminders_read_as_people_say_them() {
        assert_eq!(super::reminders_text(&[]), None);
        assert_eq!(super::reminders_text(&[chrono::Duration::minutes(30)]).unwrap(), "30 minutes");
        assert_eq!(
            super::reminders_text(&[chrono::Duration::minutes(30), chrono::Duration::days(1)]).unwrap(),
            "1 day and 30 minutes"
        );
        assert_eq!(
            super::reminders_text(&[
                chrono::Duration::minutes(1),
                chrono::Duration::minutes(90),
                chrono::Duration::hours(36)
            ])
            .unwrap(),
            "1 day 12 hours, 1 hour 30 minutes and 1 minute"
        );
    }
}
