//! Time zones (docs/outputs.md, "Time zones"): each timed talk in its own
//! zone with a VTIMEZONE, UTC where no zone fits, DST gaps and folds, a
//! zone whose rules changed since; read back by calcard, and every
//! VTIMEZONE read by a small interpreter of its own here (not the code that
//! wrote it) at every event's time.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};

use crate::calendar::parse;
use crate::util;

fn build(site: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    util::talkfeed().arg("--site").arg(site).arg("--out").arg(out.path()).assert().success();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_talk_is_written_in_its_own_zone_or_in_utc() {
    let out = build(&util::fixture("zones"));
    let ics = read(&out.path().join("talks.ics"));
    let (top, events) = parse(&ics);
    assert_eq!(top["X-WR-TIMEZONE"], ["Europe/Berlin"]);
    let by_title: BTreeMap<String, &BTreeMap<String, Vec<String>>> =
        events.iter().map(|e| (e["SUMMARY"][0].clone(), e)).collect();
    // (title, TZID, start and end as calcard reads them, in UTC)
    let expected: [(&str, Option<&str>, &str, &str); 11] = [
        // 02:30 does not exist: moved to 03:30 CEST, as Hugo does.
        ("Spring forward in Berlin", Some("Europe/Berlin"), "20240331T013000Z", "20240331T020000Z"),
        // 02:30 happens twice: the page means the first (CEST), as Hugo
        // reads it; RFC 5545 would too, ical.js would not: UTC.
        ("Fall back in Berlin, the first 02:30", None, "20241027T003000Z", "20241027T023000Z"),
        ("Fall back in Berlin, the second 02:30", None, "20241027T013000Z", "20241027T023000Z"),
        ("Midnight that never was in São Paulo", Some("America/Sao_Paulo"), "20181104T033000Z", "20181104T040000Z"),
        ("The day São Paulo changed its clocks", Some("America/Sao_Paulo"), "20181104T043000Z", "20181104T053000Z"),
        ("The hour São Paulo lived twice", None, "20190217T013000Z", "20190217T031500Z"),
        // Moscow was at +04:00 from 2011 to 2014, +03:00 since.
        ("Moscow on permanent summer time", Some("Europe/Moscow"), "20130610T060000Z", "20130610T070000Z"),
        ("A talk in New York", None, "20240620T130000Z", "20240620T140000Z"),
        ("A zone that does not fit", None, "20240620T083000Z", "20240620T093000Z"),
        ("Kolkata keeps one offset", Some("Asia/Kolkata"), "20240620T083000Z", "20240620T093000Z"),
        ("A page in UTC", None, "20240620T140000Z", "20240620T150000Z"),
    ];
    for (title, tzid, start, end) in expected {
        let e = by_title.get(title).unwrap_or_else(|| panic!("no event {title}"));
        assert_eq!(e.get("DTSTART-TZID").map(|v| v[0].as_str()), tzid, "{title}");
        assert_eq!(e.get("DTEND-TZID").map(|v| v[0].as_str()), tzid, "{title}");
        assert_eq!(e["DTSTART"], [start], "{title}");
        assert_eq!(e["DTEND"], [end], "{title}");
    }
    let day = by_title["A whole day"];
    assert_eq!((day["DTSTART"][0].as_str(), day["DTEND"][0].as_str()), ("20240331", "20240401"));
    let in_events = ics.split("BEGIN:VEVENT").skip(1).flat_map(|e| e.lines());
    assert!(!ics.contains("DTSTART;VALUE=DATE-TIME") && !in_events.clone().any(floating), "no floating time");
    // A VTIMEZONE for each TZID used, and none for others.
    let tzids: Vec<&str> = ics.lines().filter_map(|l| l.strip_prefix("TZID:")).collect();
    assert_eq!(tzids, ["America/Sao_Paulo", "Asia/Kolkata", "Europe/Berlin", "Europe/Moscow"]);
    check_vtimezones(&ics);
}

/// A DTSTART or DTEND of an event with a time, no TZID and no `Z`.
fn floating(line: &str) -> bool {
    (line.starts_with("DTSTART:") || line.starts_with("DTEND:")) && line.contains('T') && !line.ends_with('Z')
}

#[test]
fn each_talk_s_own_file_carries_its_zone() {
    let out = build(&util::fixture("zones"));
    let mut zoned = 0;
    for e in std::fs::read_dir(out.path().join("talks")).unwrap().flatten() {
        let ics = read(&e.path());
        let (top, events) = parse(&ics);
        assert_eq!(events.len(), 1);
        assert!(!top.contains_key("X-WR-TIMEZONE"), "a file to import names no calendar zone");
        match events[0].get("DTSTART-TZID") {
            Some(tzid) => {
                assert!(ics.contains(&format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tzid[0])), "{}", e.path().display());
                assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 1);
                zoned += 1;
            }
            None => assert!(!ics.contains("VTIMEZONE"), "{}", e.path().display()),
        }
        check_vtimezones(&ics);
    }
    assert_eq!(zoned, 5);
}

#[test]
fn the_vtimezones_follow_the_rules_of_each_era() {
    let out = build(&util::fixture("zones"));
    let ics = read(&out.path().join("talks.ics"));
    let zone = |tzid: &str| -> String {
        let start = ics.find(&format!("BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n")).unwrap();
        let end = start + ics[start..].find("END:VTIMEZONE").unwrap();
        ics[start..end].to_string()
    };
    // Berlin since 1996: the last Sundays of March and October, as rules.
    let berlin = zone("Europe/Berlin");
    assert!(berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"), "{berlin}");
    assert!(berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"), "{berlin}");
    // São Paulo gave up summer time in 2019: its rules end, its last
    // changes are listed.
    let sao_paulo = zone("America/Sao_Paulo");
    assert!(sao_paulo.lines().filter(|l| l.starts_with("RRULE:")).all(|l| l.contains(";UNTIL=")), "{sao_paulo}");
    assert!(sao_paulo.contains("DTSTART:20181104T000000\r\nTZOFFSETFROM:-0300\r\nTZOFFSETTO:-0200"), "{sao_paulo}");
    assert!(sao_paulo.contains("DTSTART:20190217T000000\r\nTZOFFSETFROM:-0200\r\nTZOFFSETTO:-0300"), "{sao_paulo}");
    // Moscow around 2013 was at +04:00, whatever it is now; the span runs
    // on to 2037, so the return to +03:00 in October 2014 is in it too.
    let moscow = zone("Europe/Moscow");
    assert!(moscow.contains("DTSTART:20110327T020000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0400"), "{moscow}");
    assert!(moscow.contains("DTSTART:20141026T020000\r\nTZOFFSETFROM:+0400\r\nTZOFFSETTO:+0300"), "{moscow}");
    assert!(moscow.ends_with("END:STANDARD\r\n"), "nothing after 2014: {moscow}");
    // The same zone, the same bytes, whatever the talks: the span is fixed.
    assert_eq!(berlin, zone_of_a_site_with_one_talk("Europe/Berlin", "2019-06-01T10:00:00+02:00"));
}

/// The VTIMEZONE of `tzid` in the calendar of a site with one talk at `at`.
fn zone_of_a_site_with_one_talk(tzid: &str, at: &str) -> String {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("hugo.toml"), format!("baseURL = 'https://example.org/'\ntimeZone = '{tzid}'\n"))
        .unwrap();
    std::fs::write(site.path().join("content/talk/a.md"), format!("---\ntitle: A\nevent: E\ndate: {at}\n---\n"))
        .unwrap();
    let ics = read(&build(site.path()).path().join("talks.ics"));
    let start = ics.find(&format!("BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n")).unwrap();
    let end = start + ics[start..].find("END:VTIMEZONE").unwrap();
    ics[start..end].to_string()
}

#[test]
fn check_says_which_zone_each_talk_got_and_why() {
    let output = util::talkfeed().args(["check", "-v", "--site"]).arg(util::fixture("zones")).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    for line in [
        "spring-gap.md: times in Europe/Berlin (the site's time zone)",
        "kolkata.md: times in Asia/Kolkata (the page's `timezone`)",
        "abroad.md: times in UTC, not Europe/Berlin (the site's time zone): 2024-06-20T09:00:00-04:00 is -04:00, and Europe/Berlin is at +02:00 then",
        "fall-second.md: times in UTC, not Europe/Berlin (the site's time zone): 2024-10-27T02:30:00+01:00 is +01:00, and 2024-10-27 02:30 happens twice in Europe/Berlin (calendar apps differ on which one a local time means)",
        "fall-first.md: times in UTC, not Europe/Berlin (the site's time zone): 2024-10-27T02:30:00+02:00 is +02:00, and 2024-10-27 02:30 happens twice in Europe/Berlin",
        "utc-page.md: times in UTC",
        "page-zone-conflict.md:4:1: warning: `timezone: Europe/Berlin` does not fit the talk's time 2024-06-20T14:00:00+05:30: Europe/Berlin is at +02:00 then, so the calendar gives the time in UTC",
    ] {
        assert!(stderr.contains(line), "missing {line:?} in\n{stderr}");
    }
    // An unknown zone is an error that names it, with a suggestion.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/talk")).unwrap();
    std::fs::write(
        dir.path().join("content/talk/x.md"),
        "---\ntitle: X\nevent: E\ntimezone: Europe/Berln\ndate: 2024-01-01T10:00:00\n---\n",
    )
    .unwrap();
    let output = util::talkfeed().args(["check", "--site"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("x.md:4:1: error: `timezone`: unknown time zone 'Europe/Berln' — did you mean Europe/Berlin?"),
        "{stderr}"
    );
}

/// Every event with a TZID in `ics`: the VTIMEZONE of its zone, read here,
/// gives its local start and end the offsets that make them the instants
/// calcard reads (by the zone's name, from its own database).
fn check_vtimezones(ics: &str) {
    let unfolded = ics.replace("\r\n ", "");
    let (_, events) = parse(ics);
    let zones = vtimezones(&unfolded);
    let blocks: Vec<&str> = unfolded.split("BEGIN:VEVENT\r\n").skip(1).collect();
    assert_eq!(blocks.len(), events.len());
    for (e, block) in events.iter().zip(blocks) {
        for key in ["DTSTART", "DTEND"] {
            let Some(tzid) = e.get(&format!("{key}-TZID")) else { continue };
            let line = block.lines().find(|l| l.starts_with(&format!("{key};TZID={}:", tzid[0]))).unwrap();
            let at = NaiveDateTime::parse_from_str(line.rsplit(':').next().unwrap(), "%Y%m%dT%H%M%S").unwrap();
            let offset = zones[&tzid[0]].offset_at_local(at);
            let utc = (at - Duration::seconds(offset.into())).and_utc();
            assert_eq!(utc.format("%Y%m%dT%H%M%SZ").to_string(), e[key][0], "{line}: the VTIMEZONE says {offset} s");
        }
    }
}

/// One observance: its onsets (local time before it), the offsets around it.
struct Observance {
    onsets: Vec<NaiveDateTime>,
    from: i32,
    to: i32,
}

struct VTimezone(Vec<Observance>);

impl VTimezone {
    /// The offset in force at `local`: that of the latest onset before it
    /// (an onset is in the local time before the change); the first of a
    /// local time that happens twice.
    fn offset_at_local(&self, local: NaiveDateTime) -> i32 {
        let mut latest: Option<(DateTime<Utc>, i32)> = None;
        for o in &self.0 {
            for onset in &o.onsets {
                let at = (*onset - Duration::seconds(o.from.into())).and_utc();
                // Compare instants: `local` read with the offset before.
                if (local - Duration::seconds(o.from.into())).and_utc() >= at && latest.is_none_or(|(t, _)| at > t) {
                    latest = Some((at, o.to));
                }
            }
        }
        latest.expect("an observance before the time").1
    }
}

fn vtimezones(ics: &str) -> BTreeMap<String, VTimezone> {
    let mut out = BTreeMap::new();
    for block in ics.split("BEGIN:VTIMEZONE\r\n").skip(1) {
        let block = &block[..block.find("END:VTIMEZONE").unwrap()];
        let tzid = block.lines().find_map(|l| l.strip_prefix("TZID:")).unwrap().to_string();
        let mut observances = Vec::new();
        for part in block.split("BEGIN:").skip(1) {
            let get = |k: &str| part.lines().find_map(|l| l.strip_prefix(k)).map(str::to_string);
            let offset = |s: String| -> i32 {
                let sign = if s.starts_with('-') { -1 } else { 1 };
                let d: Vec<i32> =
                    s.as_bytes()[1..].chunks(2).map(|c| std::str::from_utf8(c).unwrap().parse().unwrap()).collect();
                sign * (d[0] * 3600 + d[1] * 60 + d.get(2).copied().unwrap_or(0))
            };
            let start = NaiveDateTime::parse_from_str(&get("DTSTART:").unwrap(), "%Y%m%dT%H%M%S").unwrap();
            let from = offset(get("TZOFFSETFROM:").unwrap());
            let onsets = match get("RRULE:") {
                None => vec![start],
                Some(rule) => yearly(start, &rule, from),
            };
            observances.push(Observance { onsets, from, to: offset(get("TZOFFSETTO:").unwrap()) });
        }
        out.insert(tzid, VTimezone(observances));
    }
    out
}

/// The onsets of `FREQ=YEARLY;BYMONTH=m;BYDAY=nDD[;UNTIL=…Z]` from `start`
/// (local times, `from` the offset before them), to the `UNTIL` instant or
/// the year 2100.
fn yearly(start: NaiveDateTime, rule: &str, from: i32) -> Vec<NaiveDateTime> {
    let part = |k: &str| rule.split(';').find_map(|p| p.strip_prefix(k)).map(str::to_string);
    assert_eq!(part("FREQ=").unwrap(), "YEARLY");
    let month: u32 = part("BYMONTH=").unwrap().parse().unwrap();
    let byday = part("BYDAY=").unwrap();
    let (n, day) = byday.split_at(byday.len() - 2);
    let n: i32 = n.parse().unwrap();
    let weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].iter().position(|d| *d == day).unwrap();
    let weekday = Weekday::try_from(weekday as u8).unwrap();
    let until = part("UNTIL=").map(|u| {
        assert!(u.ends_with('Z'), "UNTIL in a VTIMEZONE is UTC (RFC 5545 3.8.5.3): {u}");
        NaiveDateTime::parse_from_str(&u, "%Y%m%dT%H%M%SZ").unwrap().and_utc()
    });
    (start.year()..2100)
        .map(|y| {
            let date = if n > 0 {
                NaiveDate::from_weekday_of_month_opt(y, month, weekday, n as u8).unwrap()
            } else {
                let mut d = NaiveDate::from_ymd_opt(y, month + 1, 1)
                    .unwrap_or(NaiveDate::from_ymd_opt(y + 1, 1, 1).unwrap())
                    .pred_opt()
                    .unwrap();
                while d.weekday() != weekday {
                    d = d.pred_opt().unwrap();
                }
                d
            };
            date.and_time(start.time())
        })
        .take_while(|local| until.is_none_or(|u| (*local - Duration::seconds(from.into())).and_utc() <= u))
        .collect()
}

/// Every zone of the tz database, as its VTIMEZONE says, read by the small
/// interpreter above: the offset at every sampled instant from 1970 to 2037
/// (every 3 days and 7 hours, and a second before and after each change)
/// is the database's. This is what the rules, their `UNTIL`s and the
/// observance in force at the start must add up to.
#[test]
fn every_zone_s_vtimezone_reads_back_as_the_database_says() {
    let zones = talkfeed::emit::vtimezone::zones();
    let mut checked = 0;
    for name in jiff::tz::db().available() {
        let name = name.as_str();
        let Some(v) = zones.vtimezone(name, None) else { continue };
        let tz = jiff::tz::TimeZone::get(name).unwrap();
        let vtz = &vtimezones(&v)[name];
        // Changes as instants, sorted: (instant, offset after).
        let mut changes: Vec<(i64, i32)> = vtz
            .0
            .iter()
            .flat_map(|o| {
                o.onsets.iter().map(|t| ((*t - Duration::seconds(o.from.into())).and_utc().timestamp(), o.to))
            })
            .collect();
        changes.sort();
        let offset_at = |t: i64| changes[..changes.partition_point(|(at, _)| *at <= t)].last().map(|(_, o)| *o);
        let (start, end) = (0i64, 2_145_916_800i64); // 1970-01-01, 2038-01-01
        let mut samples: Vec<i64> =
            (0..).map(|i| start + i * (3 * 86_400 + 7 * 3600)).take_while(|t| *t < end).collect();
        for t in tz.following(jiff::Timestamp::UNIX_EPOCH).take_while(|t| t.timestamp().as_second() < end) {
            let at = t.timestamp().as_second();
            samples.extend([at - 1, at, at + 1]);
        }
        for t in samples {
            let want = tz.to_offset(jiff::Timestamp::from_second(t).unwrap()).seconds();
            assert_eq!(offset_at(t), Some(want), "{name} at {}:\n{v}", DateTime::from_timestamp(t, 0).unwrap());
        }
        checked += 1;
    }
    assert!(checked > 400, "{checked}");
}

#[test]
fn every_corpus_calendar_s_zones_read_back() {
    let Some(corpus) = util::corpus() else { return };
    let mut checked = 0;
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        if !entry.path().join("content").is_dir() {
            continue;
        }
        for timezone in ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"] {
            let out = tempfile::tempdir().unwrap();
            util::talkfeed()
                .args(["--site"])
                .arg(entry.path())
                .args(["--base-url", "https://example.org/", "--timezone", timezone, "--out"])
                .arg(out.path())
                .assert()
                .success();
            check_vtimezones(&read(&out.path().join("talks.ics")));
            checked += 1;
        }
    }
    assert!(checked > 10);
}

/// vobject, the parser of Radicale and other Python servers, keeps the
/// first definition of a TZID it reads and applies it to every later file:
/// every file of a build must define a zone the same way, the empty ones
/// and the per-talk ones too.
#[test]
fn every_file_defines_a_zone_the_same_way() {
    let out = build(&util::fixture("zones"));
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut files = 0;
    for e in walkdir::WalkDir::new(out.path()).into_iter().flatten() {
        if e.path().extension().is_none_or(|x| x != "ics") {
            continue;
        }
        files += 1;
        let ics = read(e.path());
        let file = e.path().strip_prefix(out.path()).unwrap().display().to_string();
        for block in ics.split("BEGIN:VTIMEZONE\r\n").skip(1) {
            let block = &block[..block.find("END:VTIMEZONE").unwrap()];
            let tzid = block.lines().next().unwrap().strip_prefix("TZID:").unwrap().to_string();
            let (first, text) = seen.entry(tzid.clone()).or_insert_with(|| (file.clone(), block.to_string()));
            assert_eq!(text, block, "{tzid} in {first} and in {file}");
        }
    }
    assert!(files > 10, "{files}");
    assert!(seen.contains_key("America/Sao_Paulo") && seen.contains_key("Europe/Berlin"), "{seen:?}");
}
