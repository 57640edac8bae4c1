//! The calendar: `talkfeed build` on the sample site and on every corpus
//! site, read back with an independent parser (calcard, from the Stalwart
//! mail server), plus the properties every subscribed calendar needs.

use std::collections::BTreeMap;
use std::path::Path;

use calcard::icalendar::{ICalendar, ICalendarComponentType, ICalendarEntry, ICalendarProperty, ICalendarValue};
use talkfeed::emit::{self, Context, Dated};
use talkfeed::model::EventTime;
use talkfeed::publish;
use talkfeed::settings::Settings;

use crate::util;

/// One VEVENT as calcard read it: property name → values as text.
type Props = BTreeMap<String, Vec<String>>;

fn text(v: &ICalendarValue) -> String {
    match v {
        ICalendarValue::Text(t) => t.clone(),
        ICalendarValue::PartialDateTime(d) => {
            let date = format!("{:04}{:02}{:02}", d.year.unwrap(), d.month.unwrap(), d.day.unwrap());
            match d.hour {
                None => date,
                Some(h) => {
                    let utc = if d.tz_hour == Some(0) && d.tz_minute.unwrap_or(0) == 0 { "Z" } else { "" };
                    format!("{date}T{h:02}{:02}{:02}{utc}", d.minute.unwrap(), d.second.unwrap())
                }
            }
        }
        ICalendarValue::Uri(u) => format!("{u:?}"),
        ICalendarValue::Status(s) => format!("{s:?}").to_uppercase(),
        other => format!("{other:?}"),
    }
}

fn name(e: &ICalendarEntry) -> String {
    match &e.name {
        ICalendarProperty::Other(n) => n.to_uppercase(),
        n => format!("{n:?}").to_uppercase(),
    }
}

/// Parses `ics` with calcard; returns the VCALENDAR's own properties and the events.
/// A time with a TZID is given as calcard reads it, as the UTC instant
/// (`20240620T120000Z`), and its TZID under `DTSTART-TZID`.
pub fn parse(ics: &str) -> (Props, Vec<Props>) {
    let cal = ICalendar::parse(ics).unwrap_or_else(|e| panic!("calcard rejects the calendar: {e:?}\n{ics}"));
    let zones = cal.build_tz_resolver();
    let props = |c: &calcard::icalendar::ICalendarComponent| {
        let mut p = Props::new();
        for e in &c.entries {
            let key = name(e);
            match (e.tz_id(), e.values.first()) {
                (Some(tzid), Some(ICalendarValue::PartialDateTime(d))) => {
                    let tz = zones.resolve(tzid).unwrap_or_else(|| panic!("calcard knows no zone {tzid}"));
                    // The first of a local time that happens twice, as RFC 5545
                    // says (calcard's own reading refuses such a time).
                    let local = d.to_date_time().unwrap().date_time;
                    let at = chrono::TimeZone::from_local_datetime(&tz, &local)
                        .earliest()
                        .unwrap_or_else(|| panic!("{key}: no such local time in {tzid}"));
                    p.entry(key.clone()).or_default().push(at.to_utc().format("%Y%m%dT%H%M%SZ").to_string());
                    p.entry(format!("{key}-TZID")).or_default().push(tzid.to_string());
                }
                _ => p.entry(key).or_default().extend(e.values.iter().map(text)),
            }
        }
        p
    };
    let top = cal.components.iter().find(|c| c.component_type == ICalendarComponentType::VCalendar).map(props).unwrap();
    let events =
        cal.components.iter().filter(|c| c.component_type == ICalendarComponentType::VEvent).map(props).collect();
    (top, events)
}

fn one(p: &Props, key: &str) -> String {
    let v = p.get(key).unwrap_or_else(|| panic!("no {key} in {p:#?}"));
    assert_eq!(v.len(), 1, "{key}: {v:?}");
    v[0].clone()
}

/// What the event of `talk` must say, as calcard reads it.
fn expected(settings: &Settings, dated: &Dated<'_>) -> Vec<(&'static str, String)> {
    let talk = dated.talk();
    let (start, end) = match dated.when {
        EventTime::AllDay(r) => {
            (r.first().format("%Y%m%d").to_string(), r.last().succ_opt().unwrap().format("%Y%m%d").to_string())
        }
        EventTime::Timed(r) => {
            let end = r.end().map_or(r.start().to_utc() + settings.emit.default_duration, |e| e.to_utc());
            (r.start().to_utc().format("%Y%m%dT%H%M%SZ").to_string(), end.format("%Y%m%dT%H%M%SZ").to_string())
        }
    };
    let uid = talk.uid(settings.emit.base_url.as_ref().unwrap(), &settings.urls.default_language);
    vec![("UID", uid), ("DTSTART", start), ("DTEND", end), ("SUMMARY", talk.title.clone())]
}

/// Renders a site in memory and checks every calendar talk of every
/// language against calcard's reading.
fn round_trip(site_dir: &Path, content: Option<&Path>) -> usize {
    let mut args = util::args(site_dir, content);
    args.base_url = Some("https://example.org/".into());
    let (site, diags, settings) = util::load(args);
    assert_eq!(diags.errors(), 0, "{diags:#?}");
    let views = talkfeed::view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap();
    let all = util::render(&site, &settings);
    let editions = emit::editions(&site, &settings.emit);
    let mut total = 0;
    for edition in &editions {
        let ctx = Context::new(&site, &settings.emit, edition, &editions).unwrap();
        total += round_trip_edition(&ctx, &views, &settings, &util::edition_outputs(&all, &editions, edition));
    }
    total
}

fn round_trip_edition(
    ctx: &Context<'_>,
    views: &[talkfeed::view::TalkView<'_>],
    settings: &Settings,
    outputs: &[talkfeed::emit::OutputFile],
) -> usize {
    let talks = ctx.calendar_talks(views);
    let (_, events) = parse(std::str::from_utf8(&outputs[0].bytes).unwrap());
    assert_eq!(events.len(), talks.len());
    assert_eq!(outputs.len(), talks.len() + 7, "one file per talk, two calendars, three feeds, the page, the manifest");
    for (dated, event) in talks.iter().zip(&events) {
        let talk = dated.talk();
        for (key, want) in expected(settings, dated) {
            assert_eq!(one(event, key), want, "{key} of {}", talk.source.path.display());
        }
        assert_eq!(event.get("CATEGORIES").cloned().unwrap_or_default(), talk.tags, "{}", talk.source.path.display());
        // Timed talks in their own zone, where they have one.
        let zone = match dated.when {
            EventTime::Timed(r) => r.zone().tz().map(|tz| tz.name().to_string()),
            EventTime::AllDay(_) => None,
        };
        assert_eq!(event.get("DTSTART-TZID").map(|v| v[0].clone()), zone, "{}", talk.source.path.display());
        if let Some(location) = &talk.location {
            assert!(one(event, "LOCATION").starts_with(location.as_str()), "{}", talk.source.path.display());
        }
        let page = format!("https://example.org{}", talk.permalink);
        assert!(one(event, "DESCRIPTION").contains(&page), "{page}");
        assert!(!event.contains_key("TZID"));
    }
    // Every per-talk file holds the same event.
    for output in outputs.iter().filter(|o| o.path.starts_with("talks/")) {
        let (top, events) = parse(std::str::from_utf8(&output.bytes).unwrap());
        assert_eq!(events.len(), 1, "{}", output.path);
        assert!(!top.contains_key("NAME"), "a per-talk file must not create a calendar");
        assert!(talks.iter().any(|t| t.view.uid == one(&events[0], "UID")));
    }
    talks.len()
}

#[test]
fn the_sample_calendar_reads_back() {
    assert_eq!(round_trip(&util::root(), None), 7);
}

#[test]
fn every_corpus_calendar_reads_back() {
    let Some(corpus) = util::corpus() else { return };
    let mut total = 0;
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        let dir = entry.path();
        if dir.join("content").is_dir() {
            total += round_trip(&dir, None);
        }
    }
    total += round_trip(
        &corpus.join("natashamjaques__professional_website"),
        Some(&corpus.join("_extras/natashamjaques__professional_website@0413a821/content")),
    );
    // 241 talks, less the one draft.
    assert_eq!(total, 240);
}

fn build(args: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    util::talkfeed()
        .args(["build", "--base-url", "https://talks.example.org/", "--timezone", "Europe/Berlin", "--out"])
        .arg(out)
        .args(args)
        .assert()
}

#[test]
fn build_writes_the_sample_calendar() {
    let out = tempfile::tempdir().unwrap();
    build(&[], out.path())
        .success()
        .stderr(predicates::str::contains("14 files written, 0 unchanged, 0 removed; 8 talks, 7 in the calendar"));
    let ics = std::fs::read_to_string(out.path().join("talks.ics")).unwrap();
    insta::assert_snapshot!(ics.replace("\r\n", "\n"));
    // The seed talk: all day on 5 October 2019, DTEND exclusive.
    let file = |prefix: &str| {
        let dir = out.path().join("talks");
        let name = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with(prefix))
            .unwrap();
        std::fs::read_to_string(dir.join(name)).unwrap()
    };
    let seed = file("talk-product-coaching-");
    assert!(seed.contains("\r\nDTSTART;VALUE=DATE:20191005\r\n"), "{seed}");
    assert!(seed.contains("\r\nDTEND;VALUE=DATE:20191006\r\n"), "{seed}");
    // The three-day workshop: 23 to 25 March inclusive.
    let ws = file("talk-kubecon-workshop-");
    assert!(ws.contains("\r\nDTSTART;VALUE=DATE:20260323\r\nLAST") || ws.contains("DTSTART;VALUE=DATE:20260323"));
    assert!(ws.contains("DTEND;VALUE=DATE:20260326\r\n"), "{ws}");
}

#[test]
fn every_line_is_crlf_and_at_most_75_octets() {
    let out = tempfile::tempdir().unwrap();
    build(&[], out.path()).success();
    let ics = walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"));
    for entry in ics {
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{}: {line:?}", entry.path().display());
            assert!(!line.contains(['\r', '\n']));
        }
    }
}

#[test]
fn a_second_run_rewrites_nothing_and_removed_talks_disappear() {
    let site = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(util::root().join("content")).into_iter().flatten() {
        let rel = entry.path().strip_prefix(util::root()).unwrap();
        let target = site.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let out = site.path().join("out");
    let run = || {
        util::talkfeed()
            .args(["--site"])
            .arg(site.path())
            .args(["--base-url", "https://talks.example.org/", "--out"])
            .arg(&out)
            .assert()
            .success()
    };
    run();
    let before: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap()))
        .collect();
    run().stderr(predicates::str::contains("0 files written, 14 unchanged, 0 removed"));
    for (path, bytes, mtime) in &before {
        assert_eq!(&std::fs::read(path).unwrap(), bytes);
        assert_eq!(&std::fs::metadata(path).unwrap().modified().unwrap(), mtime, "{}", path.display());
    }
    std::fs::remove_dir_all(site.path().join("content/talk/rust-at-scale")).unwrap();
    run().stderr(predicates::str::contains("6 files written, 7 unchanged, 1 removed"));
    let names: Vec<String> =
        std::fs::read_dir(out.join("talks")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 6);
    assert!(!names.iter().any(|n| n.starts_with("talk-rust-at-scale-")), "{names:?}");
}

#[test]
fn errors_write_nothing() {
    let out = tempfile::tempdir().unwrap();
    util::talkfeed()
        .args(["build", "--site", "tests/fixtures/broken", "--base-url", "https://x.org/", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("nothing written"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn build_without_a_base_url_says_how_to_give_one() {
    let out = tempfile::tempdir().unwrap();
    util::talkfeed()
        .args(["build", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--base-url"));
}

#[test]
fn uids_do_not_depend_on_title_date_or_language_suffix() {
    let (site, _, settings) = util::load({
        let mut a = util::args(&util::fixture("eras"), None);
        a.base_url = Some("https://example.org/".into());
        a
    });
    let base = settings.emit.base_url.as_ref().unwrap();
    let uid_of = |t: &talkfeed::model::Talk| t.uid(base, &settings.urls.default_language);
    let mut t = site.talks[0].clone();
    let uid = uid_of(&t);
    t.title = "Another title".into();
    t.permalink = "/elsewhere/".into();
    assert_eq!(uid_of(&t), uid);
    t.source.key = "talk/other.md".into();
    assert_ne!(uid_of(&t), uid, "another page, another UID");
    t.uid = Some("fixed@example.org".into());
    assert_eq!(uid_of(&t), "fixed@example.org");
    // Visible in the calendar only when not a draft.
    assert!(publish::visibility(&t, &settings.emit.publish).in_calendar);
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use talkfeed::emit::ics::clean;

    /// Text with everything iCalendar must escape or fold: `, ; \`, line
    /// endings of every kind, control characters, accents, combining marks,
    /// CJK, emoji.
    fn nasty() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just(",".to_string()),
                Just(";".to_string()),
                Just("\\".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just("\n".to_string()),
                Just(":".to_string()),
                Just("\"".to_string()),
                Just("\u{1}".to_string()),
                Just("e\u{301}".to_string()),
                Just("老".to_string()),
                Just("🎉".to_string()),
                Just(" ".to_string()),
                "[a-zA-Z0-9]{1,12}",
            ],
            1..400,
        )
        // As the model holds text: trimmed, and something left to show.
        .prop_map(|parts| parts.concat().trim().to_string())
        .prop_filter("visible text", |s| !clean(s).is_empty())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_text_survives_the_calendar(title in nasty(), location in nasty(), tag in nasty(), name in nasty()) {
            let (mut site, _, mut settings) = util::load({
                let mut a = util::args(&util::root(), None);
                a.base_url = Some("https://example.org/".into());
                a
            });
            settings.emit.title = Some(name.clone());
            let mut talk = site.talks.iter().find(|t| t.source.key == "talk/product-coaching/index.md").unwrap().clone();
            talk.title = title.clone();
            talk.location = Some(location.clone());
            talk.tags = vec![tag.clone(), "plain".into()];
            talk.uid = Some(format!("uid-{title}"));
            site.talks = vec![talk];
            let outputs = util::render(&site, &settings);
            let ics = std::str::from_utf8(&outputs[0].bytes).unwrap();
            for line in ics.split_terminator("\r\n") {
                prop_assert!(line.len() <= 75);
            }
            prop_assert!(ics.ends_with("\r\n"));
            let (top, events) = parse(ics);
            prop_assert_eq!(one(&top, "NAME"), clean(&name));
            prop_assert_eq!(one(&top, "X-WR-CALNAME"), clean(&name));
            prop_assert_eq!(events.len(), 1);
            prop_assert_eq!(one(&events[0], "SUMMARY"), clean(&title));
            prop_assert_eq!(one(&events[0], "UID"), clean(&format!("uid-{title}")));
            prop_assert!(one(&events[0], "LOCATION").starts_with(&clean(&location)));
            // calcard's reader of list values (CATEGORIES) squeezes runs of
            // spaces in an item that holds escapes ("a\\, b  c" gives
            // "a, b c"); SUMMARY shows the same text keeps them. Compare
            // categories with runs of spaces squeezed.
            let squeeze = |s: &str| s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            let categories: Vec<String> = events[0]["CATEGORIES"].iter().map(|c| squeeze(c)).collect();
            prop_assert_eq!(categories, vec![squeeze(&clean(&tag)), "plain".to_string()]);
        }
    }
}

/// The sample talk, alone, with `coordinates`, a `location` and an
/// `address` as given; its calendar as text, unfolded.
fn sample_talk_calendar(edit: impl FnOnce(&mut talkfeed::model::Talk)) -> String {
    let (mut site, _, settings) = util::load({
        let mut a = util::args(&util::root(), None);
        a.base_url = Some("https://example.org/".into());
        a
    });
    let mut talk = site.talks.iter().find(|t| t.source.key == "talk/product-coaching/index.md").unwrap().clone();
    edit(&mut talk);
    site.talks = vec![talk];
    let outputs = util::render(&site, &settings);
    let ics = String::from_utf8(outputs[0].bytes.clone()).unwrap();
    parse(&ics);
    ics.replace("\r\n ", "")
}

#[test]
fn coordinates_give_apple_calendar_a_map_pin() {
    let ics = sample_talk_calendar(|talk| {
        talk.coordinates = Some(talkfeed::model::Coordinates { latitude: 52.52, longitude: 13.405 });
        talk.location = Some("Hall A; Humboldt Forum".into());
        talk.address = talkfeed::model::Address {
            street: Some("Schloßplatz 1".into()),
            postcode: Some("10178".into()),
            city: Some("Berlin".into()),
            region: None,
            country: Some("Germany".into()),
        };
    });
    let line = ics.lines().find(|l| l.starts_with("X-APPLE-STRUCTURED-LOCATION")).expect("a structured location");
    assert_eq!(
        line,
        "X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=\"Schloßplatz 1, 10178 Berlin, Germany\";\
         X-TITLE=\"Hall A; Humboldt Forum, Schloßplatz 1, 10178 Berlin, Germany\":geo:52.52,13.405"
    );
    // X-TITLE is the LOCATION text.
    let location = ics.lines().find(|l| l.starts_with("LOCATION:")).unwrap();
    assert_eq!(location, "LOCATION:Hall A\\; Humboldt Forum\\, Schloßplatz 1\\, 10178 Berlin\\, Germany");
    assert!(ics.contains("\r\nGEO:52.52;13.405\r\n"));

    // Without coordinates there is nothing to pin; without a place no title.
    let ics = sample_talk_calendar(|talk| talk.coordinates = None);
    assert!(!ics.contains("X-APPLE-STRUCTURED-LOCATION"), "{ics}");
    let ics = sample_talk_calendar(|talk| {
        talk.coordinates = Some(talkfeed::model::Coordinates { latitude: -33.9, longitude: 18.4 });
        talk.location = None;
        talk.address = talkfeed::model::Address::default();
    });
    assert!(!ics.contains("X-APPLE-STRUCTURED-LOCATION"), "{ics}");
    // A place without an address: the title alone.
    let ics = sample_talk_calendar(|talk| {
        talk.coordinates = Some(talkfeed::model::Coordinates { latitude: -33.9, longitude: 18.4 });
        talk.location = Some("Cape Town".into());
        talk.address = talkfeed::model::Address::default();
    });
    assert!(ics.contains("\r\nX-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=Cape Town:geo:-33.9,18.4\r\n"), "{ics}");
}

#[test]
fn alarms_make_calendars_with_reminders_and_leave_the_main_ones_alone() {
    let out = tempfile::tempdir().unwrap();
    build(&[], out.path()).success();
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).unwrap();
    let (plain, plain_upcoming) = (read("talks.ics"), read("upcoming.ics"));
    assert!(!out.path().join("talks-reminders.ics").exists());

    build(&["--alarm", "30m", "--alarm", "1d", "--alarm", "30"], out.path()).success();
    // The main calendars and the per-talk files never carry a VALARM.
    assert_eq!(read("talks.ics"), plain);
    assert_eq!(read("upcoming.ics"), plain_upcoming);
    for entry in std::fs::read_dir(out.path().join("talks")).unwrap() {
        assert!(!std::fs::read_to_string(entry.unwrap().path()).unwrap().contains("VALARM"));
    }
    for (with, main, without) in
        [("talks-reminders.ics", "talks.ics", &plain), ("upcoming-reminders.ics", "upcoming.ics", &plain_upcoming)]
    {
        let ics = read(with);
        let cal = ICalendar::parse(&ics).unwrap_or_else(|e| panic!("calcard rejects {with}: {e:?}"));
        let alarms = cal.components.iter().filter(|c| c.component_type == ICalendarComponentType::VAlarm).count();
        let (_, events) = parse(&ics);
        assert!(!events.is_empty());
        // Two reminders per event (30m given twice is one), a day and half
        // an hour before, shown with the title, at the end of the event.
        assert_eq!(alarms, 2 * events.len(), "{with}");
        let unfolded = ics.replace("\r\n ", "");
        for event in unfolded.split("BEGIN:VEVENT").skip(1) {
            let summary = event.lines().find_map(|l| l.strip_prefix("SUMMARY:")).unwrap();
            let valarm = |trigger: &str| {
                format!(
                    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:{summary}\r\nTRIGGER:-{trigger}\r\nEND:VALARM\r\n"
                )
            };
            assert!(event.contains(&format!("{}{}END:VEVENT\r\n", valarm("PT30M"), valarm("P1D"))), "{event}");
        }
        // Else the same calendar as the main one (its own SOURCE aside).
        let mut stripped = String::new();
        let mut rest = unfolded.as_str();
        while let Some(start) = rest.find("BEGIN:VALARM\r\n") {
            stripped.push_str(&rest[..start]);
            let end = rest[start..].find("END:VALARM\r\n").unwrap() + start + "END:VALARM\r\n".len();
            rest = &rest[end..];
        }
        stripped.push_str(rest);
        let stripped = stripped.replace(&format!("/{with}\r\n"), &format!("/{main}\r\n"));
        assert_eq!(stripped, without.replace("\r\n ", ""), "{with}");
    }
    let manifest: serde_json::Value = serde_json::from_str(&read("talkfeed.json")).unwrap();
    assert_eq!(manifest["reminders"]["webcal"], "webcal://talks.example.org/talks-reminders.ics");
    assert_eq!(manifest["reminders"]["upcoming"], "https://talks.example.org/upcoming-reminders.ics");
    let page = read("index.html");
    assert!(page.contains("With reminders (1 day and 30 minutes before each talk)"), "{page}");
    for href in [
        "webcal://talks.example.org/talks-reminders.ics",
        "https://talks.example.org/talks-reminders.ics",
        "webcal://talks.example.org/upcoming-reminders.ics",
    ] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}");
    }

    // Without --alarm again, the reminders calendars go and the page no
    // longer offers them.
    build(&[], out.path()).success();
    assert!(!out.path().join("talks-reminders.ics").exists());
    assert!(!out.path().join("upcoming-reminders.ics").exists());
    assert!(!read("index.html").contains("reminders"));
    assert!(!read("talkfeed.json").contains("reminders"));
}

#[test]
fn a_bad_alarm_is_a_usage_error_that_says_how_to_write_one() {
    let out = tempfile::tempdir().unwrap();
    build(&["--alarm", "soon"], out.path())
        .failure()
        .stderr(predicates::str::contains("--alarm: 'soon' is not a duration; write e.g. 45m, 1h, 1h30m or 1d"));
}
