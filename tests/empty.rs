//! Empty and near-empty outputs: a site with no talks yet, a site whose
//! talks are all past (an empty `upcoming.ics`), a site with nothing dated.
//! Every calendar stays valid RFC 5545, no output says 1970, and an empty
//! Atom feed is still recognisable as Atom.

use std::path::Path;

use crate::util::{self, talkfeed};

fn build(site: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    talkfeed().arg("--site").arg(site).arg("--out").arg(out.path()).assert().success();
    out
}

fn read(out: &Path, name: &str) -> String {
    std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// No output of `out` mentions the Unix epoch.
fn no_epoch(out: &Path) {
    for e in walkdir::WalkDir::new(out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
        for epoch in ["1970-01-01", "19700101", "1 Jan 1970"] {
            assert!(!text.contains(epoch), "{} says {epoch}", e.path().display());
        }
    }
}

/// The components of an iCalendar file, by name, as calcard reads them.
fn components(ics: &str) -> Vec<String> {
    let cal = calcard::icalendar::ICalendar::parse(ics).unwrap_or_else(|e| panic!("{e:?}\n{ics}"));
    cal.components.iter().map(|c| format!("{:?}", c.component_type)).collect()
}

#[test]
fn a_site_without_talks_has_valid_calendars_and_feeds() {
    let out = build(&util::fixture("no-talks"));
    let o = out.path();
    for name in ["talks.ics", "upcoming.ics"] {
        let ics = read(o, name);
        // RFC 5545 §3.6: at least one component. The site's zone, as in
        // every file (its changes since 1970), no placeholder event.
        let parts = components(&ics);
        assert_eq!(parts[..2], ["VCalendar", "VTimezone"], "{ics}");
        assert!(parts[2..].iter().all(|p| p == "Standard" || p == "Daylight"), "{ics}");
        assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:America/Sao_Paulo\r\n"), "{ics}");
        assert!(!ics.contains("VEVENT"));
    }
    // The feeds' dates come from the content: the section page's lastmod.
    let rss = read(o, "rss.xml");
    assert!(rss.contains("<lastBuildDate>Mon, 3 Feb 2025 10:00:00 -0300</lastBuildDate>"), "{rss}");
    let atom = read(o, "atom.xml");
    assert!(atom.contains("<updated>2025-02-03T13:00:00Z</updated>"), "{atom}");
    // Recognisable as Atom by libraries that look for an entry: the talk
    // list page itself.
    let parsed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(parsed.entries[0].id, "https://none.example/talk/");
    let rss = feed_rs::parser::parse(rss.as_bytes()).unwrap();
    assert_eq!(rss.entries.len(), 0);
    let json: serde_json::Value = serde_json::from_str(&read(o, "feed.json")).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 0);
    no_epoch(o);
}

#[test]
fn a_site_of_past_talks_has_an_empty_but_valid_upcoming_calendar() {
    let out = build(&util::fixture("all-past"));
    let upcoming = read(out.path(), "upcoming.ics");
    assert!(!upcoming.contains("BEGIN:VEVENT"));
    // Berlin's zone, as in every file: from the change in force in 1970,
    // ending with its two yearly rules since 1996.
    assert_eq!(components(&upcoming)[..2], ["VCalendar", "VTimezone"]);
    assert!(
        upcoming.contains(
            "DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        ) && upcoming.contains(
            "DTSTART:19970330T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        ),
        "{upcoming}"
    );
    assert_eq!(crate::calendar::parse(&read(out.path(), "talks.ics")).1.len(), 1);
    no_epoch(out.path());
}

#[test]
fn a_site_with_nothing_dated_leaves_rss_undated_and_gives_atom_the_run_s_time() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("content/talk/_index.md"), "---\ntitle: Talks\n---\n").unwrap();
    std::fs::write(site.path().join("talkfeed.toml"), "base_url = \"https://x.example/\"\n").unwrap();
    let out = build(site.path());
    let rss = read(out.path(), "rss.xml");
    assert!(!rss.contains("lastBuildDate"), "{rss}");
    // Atom requires `updated`: the run's --now.
    assert!(read(out.path(), "atom.xml").contains(&format!("<updated>{}</updated>", util::NOW)));
    let ics = read(out.path(), "talks.ics");
    assert!(ics.contains("TZID:UTC\r\n"), "{ics}");
    no_epoch(out.path());
}
