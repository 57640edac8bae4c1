//! Schedules for conference apps (`--schedules`): the c3voc `schedule.json`
//! checked against the c3voc JSON Schema with the `jsonschema` crate, frab's
//! `schedule.xml` against the c3voc XSD with xmllint, both read back with
//! independent parsers (serde_json, roxmltree) and compared with the pages.
//! The schemas stay in ../shared (another licence): the checks that need
//! them say why they skip without it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util;

fn schemas() -> Option<PathBuf> {
    let dir = util::root().join("../shared/schemas/c3voc-schedule");
    if dir.join("schema.json").is_file() {
        Some(dir)
    } else {
        println!("skipped: {} does not exist (CI and developers have ../shared beside the project)", dir.display());
        None
    }
}

/// The c3voc JSON Schema as a validator (formats checked), where
/// ../shared has it.
pub fn validator() -> Option<jsonschema::Validator> {
    let dir = schemas()?;
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("schema.json")).unwrap()).unwrap();
    Some(jsonschema::options().should_validate_formats(true).build(&schema).unwrap())
}

fn build(site: &Path, out: &Path, extra: &[&str]) {
    util::talkfeed().arg("build").arg("--site").arg(site).arg("--out").arg(out).args(extra).assert().success();
}

/// Every schedule folder under `out/schedules`, by name: its JSON, read,
/// and its XML, checked to be well-formed (read it with `roxmltree` where
/// it is compared).
fn schedules(out: &Path) -> BTreeMap<String, (Value, String)> {
    let mut found = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(out.join("schedules")) else { return found };
    for entry in entries {
        let dir = entry.unwrap().path();
        let json: Value = serde_json::from_slice(&std::fs::read(dir.join("schedule.json")).unwrap()).unwrap();
        let xml = std::fs::read_to_string(dir.join("schedule.xml")).unwrap();
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        found.insert(dir.file_name().unwrap().to_string_lossy().into_owned(), (json, xml));
    }
    found
}

/// The talks of a schedule.json, by title: (date, start, duration, room, guid, id, slug).
fn json_talks(json: &Value) -> BTreeMap<String, Value> {
    let mut talks = BTreeMap::new();
    for day in json["schedule"]["conference"]["days"].as_array().unwrap() {
        for (room, events) in day["rooms"].as_object().unwrap() {
            for e in events.as_array().unwrap() {
                assert_eq!(e["room"].as_str(), Some(room.as_str()));
                assert!(e["date"].as_str().unwrap().starts_with(day["date"].as_str().unwrap()), "{e}");
                talks.insert(e["title"].as_str().unwrap().to_string(), e.clone());
            }
        }
    }
    talks
}

#[test]
fn a_workshop_becomes_schedules_that_conference_apps_read() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("workshop"), out.path(), &["--schedules"]);
    let found = schedules(out.path());
    // One per event and run of days: the workshop twice (2026, 2027; "RSE
    // workshop" is the same event), the night in New York; the talk
    // without an event is in none.
    assert_eq!(found.keys().collect::<Vec<_>>(), ["night-of-code-2026", "rse-workshop-2026", "rse-workshop-2027"]);
    let (json, xml) = &found["rse-workshop-2026"];
    let conference = &json["schedule"]["conference"];
    assert_eq!(conference["acronym"], "rse_workshop_2026");
    assert_eq!(conference["title"], "RSE Workshop");
    assert_eq!((conference["start"].as_str(), conference["end"].as_str()), (Some("2026-06-11"), Some("2026-06-12")));
    assert_eq!(conference["daysCount"], 2);
    assert_eq!(conference["time_zone_name"], "Europe/Amsterdam");
    assert_eq!(conference["url"], "https://rse.example/workshop/");
    let rooms: Vec<&str> =
        conference["rooms"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(rooms, ["Main hall", "Room 2", "Talks"]);

    let talks = json_talks(json);
    assert_eq!(talks.len(), 4, "{talks:#?}");
    let keynote = &talks["Keynote: Ten years of research software"];
    assert_eq!(keynote["date"], "2026-06-11T09:00:00+02:00");
    assert_eq!((keynote["start"].as_str(), keynote["duration"].as_str()), (Some("09:00"), Some("01:00")));
    assert_eq!(keynote["subtitle"], "Where we came from");
    assert_eq!(keynote["abstract"], "What a decade of research software engineering taught us.");
    assert_eq!(keynote["url"], "https://rse.example/event/keynote/");
    assert_eq!(keynote["persons"][0]["name"], "Ana Lima");
    assert_eq!(
        keynote["links"][0],
        serde_json::json!({"type": "slides", "url": "https://rse.example/slides/keynote.pdf", "title": "Slides"})
    );
    assert_eq!(keynote["links"][1]["type"], "media");
    // The guid is the calendar event's UID (a UUID).
    let ics = std::fs::read_to_string(out.path().join("talks.ics")).unwrap().replace("\r\n ", "");
    assert!(ics.contains(&format!("UID:{}\r\n", keynote["guid"].as_str().unwrap())), "{ics}");
    // No end: the default hour. No location: the one room named "Talks".
    let packaging = &talks["Packaging & <publishing> \"Python\" tools"];
    assert_eq!((packaging["duration"].as_str(), packaging["room"].as_str()), (Some("01:00"), Some("Talks")));
    // All day: from the beginning of the day, for the whole day.
    let hackathon = &talks["Hackathon"];
    assert_eq!(hackathon["date"], "2026-06-12T00:00:00+02:00");
    assert_eq!(hackathon["duration"], "24:00");

    // The XML says the same.
    let xml = roxmltree::Document::parse(xml).unwrap();
    let events: Vec<roxmltree::Node> = xml.descendants().filter(|n| n.has_tag_name("event")).collect();
    assert_eq!(events.len(), talks.len());
    for e in events {
        let child = |name: &str| e.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).unwrap_or("");
        let j = &talks[child("title")];
        assert_eq!(e.attribute("guid"), j["guid"].as_str());
        assert_eq!(e.attribute("id").map(|i| i.parse::<u64>().unwrap()), j["id"].as_u64());
        for key in ["date", "start", "duration", "room", "slug", "url"] {
            assert_eq!(Some(child(key)), j[key].as_str(), "{key}");
        }
        assert_eq!(e.parent().unwrap().attribute("name"), j["room"].as_str());
    }

    // The night in New York: its own zone's days, split at its midnight.
    let (night, _) = &found["night-of-code-2026"];
    assert_eq!(night["schedule"]["conference"]["time_zone_name"], "America/New_York");
    let demo = &json_talks(night)["Late-night demo in New York"];
    assert_eq!((demo["date"].as_str(), demo["duration"].as_str()), (Some("2026-06-20T23:30:00-04:00"), Some("01:00")));

    // The manifest for the site's templates lists them, with the same files.
    let manifest: Value = serde_json::from_slice(&std::fs::read(out.path().join("talkfeed.json")).unwrap()).unwrap();
    let listed: Vec<&str> =
        manifest["schedules"].as_array().unwrap().iter().map(|s| s["xml"].as_str().unwrap()).collect();
    assert_eq!(listed.len(), 3);
    for url in listed {
        let path = url.strip_prefix("https://rse.example/").unwrap();
        assert!(out.path().join(path).is_file(), "{url}");
    }
    assert_eq!(manifest["schedules"][1]["start"], "2026-06-11");
    // The subscribe page lists them.
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        page.contains(r#"<a href="https://rse.example/schedules/rse-workshop-2026/schedule.xml">schedule.xml</a>"#),
        "{page}"
    );
}

#[test]
fn every_schedule_matches_the_c3voc_schemas() {
    let Some(dir) = schemas() else { return };
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("workshop"), &out.path().join("workshop"), &["--schedules"]);
    build(&util::root(), &out.path().join("sample"), &["--schedules", "--base-url", "https://talks.example.org/"]);
    let validator = validator().unwrap();
    // The schema accepts pretalx's own export and refuses a broken one, so
    // it checks something.
    let pretalx: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pretalx-democon.json")).unwrap()).unwrap();
    assert!(validator.is_valid(&pretalx));
    let mut files = Vec::new();
    for site in ["workshop", "sample"] {
        for entry in std::fs::read_dir(out.path().join(site).join("schedules")).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    assert!(files.len() >= 8, "{files:?}");
    for folder in &files {
        let json: Value = serde_json::from_slice(&std::fs::read(folder.join("schedule.json")).unwrap()).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&json).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", folder.display());
        let mut broken = json.clone();
        broken["schedule"]["conference"]["acronym"] = "Not An Acronym".into();
        assert!(!validator.is_valid(&broken));
    }
    let xmllint = std::process::Command::new("xmllint").arg("--version").output();
    if xmllint.is_err() {
        println!(
            "skipped: the XML half needs xmllint (Debian: apt-get install libxml2-utils; make validate installs it)"
        );
        return;
    }
    for folder in &files {
        let run = std::process::Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(dir.join("schedule.xml.xsd"))
            .arg(folder.join("schedule.xml"))
            .output()
            .unwrap();
        assert!(run.status.success(), "{}: {}", folder.display(), String::from_utf8_lossy(&run.stderr));
    }
}

#[test]
fn guids_and_ids_do_not_change_when_other_talks_do() {
    let site = tempfile::tempdir().unwrap();
    util::copy_dir(&util::fixture("workshop"), site.path());
    let out = site.path().join("out");
    build(site.path(), &out, &["--schedules"]);
    let before = json_talks(&schedules(&out)["rse-workshop-2026"].0);
    // Another talk moves to the other room, one is added, and one renamed.
    let testing = site.path().join("content/event/testing.md");
    let text = std::fs::read_to_string(&testing).unwrap();
    std::fs::write(&testing, text.replace("Room 2", "Main hall")).unwrap();
    let packaging = site.path().join("content/event/packaging.md");
    let text = std::fs::read_to_string(&packaging).unwrap();
    std::fs::write(&packaging, text.replace("title: Packaging", "title: Shipping")).unwrap();
    std::fs::write(
        site.path().join("content/event/lightning.md"),
        "---\ntitle: Lightning talks\nevent: RSE Workshop\ndate: 2026-06-11T17:00:00+02:00\n---\n",
    )
    .unwrap();
    build(site.path(), &out, &["--schedules"]);
    let (json, _) = &schedules(&out)["rse-workshop-2026"];
    let after = json_talks(json);
    assert_eq!(after.len(), 5);
    for (title, talk) in &before {
        let title = title.replace("Packaging", "Shipping");
        for key in ["guid", "id"] {
            assert_eq!(after[&title][key], talk[key], "{title}: {key}");
        }
    }
    let ids: BTreeSet<u64> = after.values().map(|t| t["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), 5, "ids are unique");
}

#[test]
fn schedules_are_opt_in_and_go_when_turned_off() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("workshop"), out.path(), &["--per-tag"]);
    assert!(!out.path().join("schedules").exists());
    build(&util::fixture("workshop"), out.path(), &["--schedules", "--per-tag", "--per-author"]);
    assert_eq!(schedules(out.path()).len(), 3);
    // Tags and speakers are not events: their folders hold no schedules.
    for group in ["tags", "authors"] {
        for entry in walkdir::WalkDir::new(out.path().join(group)) {
            assert!(!entry.unwrap().path().ends_with("schedule.json"));
        }
    }
    build(&util::fixture("workshop"), out.path(), &[]);
    assert!(!out.path().join("schedules").exists());
    assert!(!std::fs::read_to_string(out.path().join("index.html")).unwrap().contains("Schedules for conference apps"));
}

#[test]
fn events_whose_names_reduce_alike_get_folders_of_their_own_and_long_ones_stay_small() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("hugo.toml"), "baseURL = \"https://x.example/\"\ntitle = \"X\"\n").unwrap();
    let talk = site.path().join("content/talk");
    std::fs::create_dir_all(&talk).unwrap();
    let page = |name: &str, event: &str, date: &str, end: &str| {
        let text = format!("---\ntitle: {name}\nevent: {event}\ndate: {date}\ndate_end: {end}\nall_day: true\n---\n");
        std::fs::write(talk.join(format!("{name}.md")), text).unwrap();
    };
    // No ASCII letter in either name, the same day.
    page("a", "研讨会", "2026-03-01", "2026-03-01");
    page("b", "工作坊", "2026-03-01", "2026-03-01");
    // `Café` and `Cafe` are two events of one ASCII name.
    page("c", "Café", "2026-04-01", "2026-04-01");
    page("d", "Cafe", "2026-04-01", "2026-04-01");
    // A talk of ten years: the days with talks, not 3,653 empty ones.
    page("e", "Long run", "2020-01-01", "2029-12-31");
    let out = site.path().join("out");
    build(site.path(), &out, &["--schedules"]);
    let found = schedules(&out);
    assert_eq!(found.len(), 5, "{:?}", found.keys().collect::<Vec<_>>());
    let titles: BTreeSet<String> =
        found.values().map(|(json, _)| json["schedule"]["conference"]["title"].as_str().unwrap().to_string()).collect();
    assert_eq!(titles.len(), 5);
    let (long, _) = &found["long-run-2020"];
    assert_eq!(long["schedule"]["conference"]["end"], "2029-12-31");
    assert_eq!(long["schedule"]["conference"]["daysCount"], 1);
    assert_eq!(json_talks(long)["e"]["duration"], "99:59");
}
