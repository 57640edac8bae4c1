//! The clock (`--now`, `SOURCE_DATE_EPOCH`) and the durations.

use chrono::{DateTime, Utc};

use super::{Flags, UsageError};
use crate::config::TalkfeedToml;

/// The current time of the run: `--now`, else `SOURCE_DATE_EPOCH`, else
/// the clock.
pub(super) fn now(
    args: &Flags,
    source_date_epoch: Option<String>,
    clock: DateTime<Utc>,
) -> Result<DateTime<Utc>, UsageError> {
    match (&args.now, source_date_epoch) {
        (Some(n), _) => DateTime::parse_from_rfc3339(n).map(|d| d.with_timezone(&Utc)).map_err(|e| {
            UsageError::new(format!("--now: '{n}' is not an RFC 3339 time ({e}); write e.g. 2026-01-31T12:00:00Z"))
        }),
        (None, Some(epoch)) if !epoch.trim().is_empty() => epoch
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| UsageError::new(format!("SOURCE_DATE_EPOCH: '{epoch}' is not a number of seconds"))),
        _ => Ok(clock),
    }
}

/// The length of a talk without an end, and how often clients should
/// fetch the calendar again.
pub(super) fn durations(args: &Flags, file: &TalkfeedToml) -> Result<(chrono::Duration, chrono::Duration), UsageError> {
    let duration = |flag: &Option<String>, file: &Option<String>, name: &str, default: i64| match flag
        .as_ref()
        .or(file.as_ref())
    {
        Some(text) => parse_duration(text).map_err(|m| UsageError::new(format!("--{name}: {m}"))),
        None => Ok(chrono::Duration::minutes(default)),
    };
    let default_duration = duration(&args.default_duration, &file.default_duration, "default-duration", 60)?;
    let refresh = duration(&args.refresh, &file.refresh, "refresh", 6 * 60)?;
    Ok((default_duration, refresh))
}

/// The `--alarm` durations (flags, else `talkfeed.toml`'s `alarms`),
/// shortest first, each once.
pub(super) fn alarms(args: &Flags, file: &TalkfeedToml) -> Result<Vec<chrono::Duration>, UsageError> {
    let given: &[String] = if args.alarm.is_empty() { file.alarms.as_deref().unwrap_or(&[]) } else { &args.alarm };
    let mut alarms = given
        .iter()
        .map(|text| parse_duration(text).map_err(|m| UsageError::new(format!("--alarm: {m}"))))
        .collect::<Result<Vec<_>, _>>()?;
    alarms.sort();
    alarms.dedup();
    Ok(alarms)
}

/// Parses a duration written `1d`, `1h`, `45m`, `1h30m`, `1d12h` (days,
/// hours, minutes, in that order) or as a number of minutes; it must be at
/// least one minute and at most a year.
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let t = text.trim().to_ascii_lowercase();
    let invalid = || format!("'{text}' is not a duration; write e.g. 45m, 1h, 1h30m or 1d");
    let minutes: i64 = if let Ok(m) = t.parse::<i64>() {
        m
    } else {
        let mut rest = t.as_str();
        let mut total: i64 = 0;
        for (unit, minutes) in [('d', 24 * 60), ('h', 60), ('m', 1)] {
            if let Some((n, after)) = rest.split_once(unit) {
                let n = n.parse::<i64>().map_err(|_| invalid())?;
                total = n.checked_mul(minutes).and_then(|n| total.checked_add(n)).ok_or_else(invalid)?;
                rest = after;
            }
        }
        if !rest.is_empty() || t.is_empty() {
            return Err(invalid());
        }
        total
    };
    if !(1..=60 * 24 * 366).contains(&minutes) {
        return Err(format!("'{text}' must be between one minute and a year"));
    }
    Ok(chrono::Duration::minutes(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h").unwrap(), chrono::Duration::minutes(60));
        assert_eq!(parse_duration("45m").unwrap(), chrono::Duration::minutes(45));
        assert_eq!(parse_duration("1h30m").unwrap(), chrono::Duration::minutes(90));
        assert_eq!(parse_duration("90").unwrap(), chrono::Duration::minutes(90));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_duration("1d").unwrap(), chrono::Duration::days(1));
        assert_eq!(parse_duration("1d12h").unwrap(), chrono::Duration::hours(36));
        assert_eq!(parse_duration("2D30M").unwrap(), chrono::Duration::minutes(2 * 1440 + 30));
        assert!(parse_duration("1h1d").is_err());
        assert!(parse_duration("1x").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("400d").is_err());
        assert!(parse_duration("-5m").is_err());
    }
}
