//! Multilingual sites: one calendar and one set of feeds per language, the
//! default language's in the output folder, every other language's in a
//! folder of its name (`tests/fixtures/bilingual`: English, French, and a
//! disabled German).

use std::path::Path;

use predicates::prelude::*;

use crate::util::{self, talkfeed};

fn build(site: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    talkfeed().arg("--site").arg(site).arg("--out").arg(out).args(extra).assert()
}

fn read(out: &Path, name: &str) -> String {
    std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The events of a calendar: (UID, SUMMARY) as calcard reads them.
fn events(ics: &str) -> Vec<(String, String)> {
    crate::calendar::parse(ics).1.iter().map(|e| (e["UID"][0].clone(), e["SUMMARY"][0].clone())).collect()
}

fn titles(ics: &str) -> Vec<String> {
    let mut t: Vec<String> = events(ics).into_iter().map(|(_, s)| s).collect();
    t.sort();
    t
}

#[test]
fn every_language_gets_its_calendar_and_feeds() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("bilingual"), out.path(), &[])
        .success()
        .stderr(predicate::str::contains("for 2 languages (en in the folder itself, fr in fr/)"));
    let o = out.path();
    assert_eq!(titles(&read(o, "talks.ics")), ["Engines of analysis", "Notes on the engine"]);
    assert_eq!(titles(&read(o, "fr/talks.ics")), ["Les machines analytiques", "Notes sur la machine"]);
    for name in ["upcoming.ics", "rss.xml", "atom.xml", "feed.json", "index.html"] {
        assert!(o.join("fr").join(name).is_file(), "fr/{name}");
    }
    assert_eq!(std::fs::read_dir(o.join("fr/talks")).unwrap().count(), 2);
    // German is disabled in the site config: nothing of it.
    assert!(!o.join("de").exists());

    // The language's own permalinks, title, description and language tag.
    let fr: serde_json::Value = serde_json::from_str(&read(o, "fr/feed.json")).unwrap();
    assert_eq!(fr["language"], "fr-fr");
    assert_eq!(fr["title"], "Exposés · Ada Lovelace (français)");
    assert_eq!(fr["description"], "Les exposés d'Ada");
    assert_eq!(fr["home_page_url"], "https://bilingual.example/fr/talk/");
    assert_eq!(fr["feed_url"], "https://bilingual.example/fr/feed.json");
    let urls: Vec<&str> = fr["items"].as_array().unwrap().iter().map(|i| i["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["https://bilingual.example/fr/talk/paris/", "https://bilingual.example/fr/talk/lyon/"]);
    let en: serde_json::Value = serde_json::from_str(&read(o, "feed.json")).unwrap();
    assert_eq!((en["language"].as_str(), en["description"].as_str()), (Some("en-gb"), Some("Ada's talks")));
    assert!(read(o, "fr/rss.xml").contains("<language>fr-fr</language>"));
    assert!(read(o, "fr/atom.xml").contains(r#"xml:lang="fr-fr""#));
    assert!(read(o, "fr/talks.ics").contains("SOURCE;VALUE=URI:https://bilingual.example/fr/talks.ics"));
}

#[test]
fn translations_are_different_events_with_stable_uids() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("bilingual"), out.path(), &[]).success();
    let en = events(&read(out.path(), "talks.ics"));
    let fr = events(&read(out.path(), "fr/talks.ics"));
    let uid = |evs: &[(String, String)], title: &str| evs.iter().find(|(_, t)| t == title).unwrap().0.clone();
    let (en_lyon, fr_lyon) = (uid(&en, "Engines of analysis"), uid(&fr, "Les machines analytiques"));
    assert_ne!(en_lyon, fr_lyon, "a subscriber of both calendars sees two events");
    // The default language keeps the identity it always had: the UUID of
    // the base URL and the content path.
    let legacy = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"https://bilingual.example/talk/lyon.md");
    assert_eq!(en_lyon, legacy.to_string());
    // Feed ids follow the calendar's.
    let fr_feed: serde_json::Value = serde_json::from_str(&read(out.path(), "fr/feed.json")).unwrap();
    assert!(fr_feed["items"].as_array().unwrap().iter().any(|i| i["id"] == fr_lyon.as_str()));

    // --language fr: the French outputs alone, at the root, with the same UIDs.
    let only = tempfile::tempdir().unwrap();
    build(&util::fixture("bilingual"), only.path(), &["--language", "fr"]).success();
    assert_eq!(events(&read(only.path(), "talks.ics")), fr);
    assert!(!only.path().join("fr").exists());
    assert!(!read(only.path(), "index.html").contains("hreflang"), "no links to languages not written");
}

#[test]
fn each_subscribe_page_links_to_the_others() {
    let out = tempfile::tempdir().unwrap();
    build(&util::fixture("bilingual"), out.path(), &[]).success();
    let en = read(out.path(), "index.html");
    let fr = read(out.path(), "fr/index.html");
    for page in [&en, &fr] {
        assert!(page.contains(r#"<link rel="alternate" hreflang="en-gb" href="https://bilingual.example/">"#));
        assert!(page.contains(r#"<link rel="alternate" hreflang="fr-fr" href="https://bilingual.example/fr/">"#));
    }
    assert!(en.contains(r#"<html lang="en-gb">"#) && fr.contains(r#"<html lang="fr-fr">"#));
    assert!(en.contains(r#"hreflang="fr-fr" lang="fr-fr">Français</a>"#), "{en}");
    assert!(fr.contains(r#"hreflang="en-gb" lang="en-gb">English</a>"#), "{fr}");
}

#[test]
fn check_and_list_report_each_language() {
    talkfeed()
        .args(["check", "--site"])
        .arg(util::fixture("bilingual"))
        .assert()
        .success()
        .stderr(predicate::str::contains("content (en): 2 talks, 2 in the calendar, 2 in the feeds"))
        .stderr(predicate::str::contains("content (fr): 2 talks, 2 in the calendar, 2 in the feeds"))
        .stderr(predicate::str::contains("4 talks in 2 languages, 1 page in a disabled language, not read"));
    let out = talkfeed().args(["list", "--site"]).arg(util::fixture("bilingual")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let langs: Vec<&str> = text.lines().map(|l| &l[..4]).collect();
    assert_eq!(langs, ["[en]", "[en]", "[fr]", "[fr]"], "{text}");
    talkfeed()
        .args(["list", "--language", "de", "--site"])
        .arg(util::fixture("bilingual"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the site's language 'de' is disabled"));
}

#[test]
fn a_language_without_talks_loses_its_folder() {
    let site = tempfile::tempdir().unwrap();
    util::copy_dir(&util::fixture("bilingual"), site.path());
    let out = site.path().join("out");
    build(site.path(), &out, &[]).success();
    std::fs::write(out.join("fr/notes.txt"), "mine").unwrap();
    std::fs::remove_file(site.path().join("content/talk/lyon.fr.md")).unwrap();
    std::fs::remove_dir_all(site.path().join("content/talk/paris")).unwrap();
    build(site.path(), &out, &[]).success();
    assert!(out.join("talks.ics").is_file());
    let left: Vec<String> = walkdir::WalkDir::new(out.join("fr"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["notes.txt"], "only what is not talkfeed's stays");
    std::fs::remove_file(out.join("fr/notes.txt")).unwrap();
    build(site.path(), &out, &[]).success();
    assert!(!out.join("fr").exists());
}

/// A language named like one of talkfeed's own output folders would put its
/// calendar where the per-tag (or per-talk) outputs are: an error.
#[test]
fn a_language_cannot_be_named_like_an_output_folder() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("content/talk/a.md"), "---\ntitle: A\nevent: E\ndate: 2024-01-01\n---\n").unwrap();
    std::fs::write(
        site.path().join("hugo.toml"),
        "baseURL = 'https://x.example/'\ndefaultContentLanguage = 'en'\n[languages.en]\n[languages.tags]\n[languages.talks]\n",
    )
    .unwrap();
    let output = crate::util::talkfeed().args(["check", "--site"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for code in ["tags", "talks"] {
        assert!(
            stderr.contains(&format!(
                "error: the language key `{code}` is the name of a folder of talkfeed's own outputs (`{code}/`)"
            )),
            "{stderr}"
        );
    }
}
