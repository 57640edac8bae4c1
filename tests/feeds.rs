//! The feeds: RSS 2.0, Atom and JSON Feed 1.1 read back with an independent
//! parser (feed-rs), XML checked for well-formedness by a strict parser
//! (roxmltree), for the sample site and every corpus site.

use std::path::Path;

use talkfeed::emit::{self, Context, feed::Feed};

use crate::util;

fn render(site_dir: &Path, content: Option<&Path>) -> (Vec<talkfeed::emit::OutputFile>, usize) {
    let mut args = util::args(site_dir, content);
    args.base_url = Some("https://example.org/".into());
    let (site, diags, settings) = util::load(args);
    assert_eq!(diags.errors(), 0, "{diags:#?}");
    let all = util::render(&site, &settings);
    let editions = emit::editions(&site, &settings.emit);
    let mut items = 0;
    for edition in &editions {
        let ctx = Context::new(&site, &settings.emit, edition, &editions).unwrap();
        let feed = Feed::new(&ctx, talkfeed::view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap());
        check_feeds(&util::edition_outputs(&all, &editions, edition), &feed);
        items += feed.items.len();
    }
    (all, items)
}

fn output<'a>(outputs: &'a [talkfeed::emit::OutputFile], name: &str) -> &'a [u8] {
    &outputs.iter().find(|o| o.path == name).unwrap_or_else(|| panic!("no {name}")).bytes
}

/// What XML can carry of `s`.
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(*c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

/// Every item of `feed` must come back from each format with the same id,
/// title, link, dates and tags.
fn check_feeds(outputs: &[talkfeed::emit::OutputFile], feed: &Feed<'_>) {
    for name in ["rss.xml", "atom.xml"] {
        let text = std::str::from_utf8(output(outputs, name)).unwrap();
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
    }
    for (name, atom) in [("rss.xml", false), ("atom.xml", true), ("feed.json", false)] {
        let parsed = feed_rs::parser::parse(output(outputs, name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            parsed.title.as_ref().map(|t| t.content.trim().to_string()),
            Some(xml_text(&feed.title).trim().to_string()),
            "{name}"
        );
        if atom && feed.items.is_empty() {
            // An Atom feed without talks holds the talk list page.
            assert_eq!(parsed.entries.len(), 1, "{name}");
            assert_eq!(parsed.entries[0].id, feed.home_url);
            assert!(parsed.entries[0].links.iter().any(|l| l.href == feed.home_url));
            continue;
        }
        assert_eq!(parsed.entries.len(), feed.items.len(), "{name}");
        for (item, entry) in feed.items.iter().zip(&parsed.entries) {
            let talk = item.view.talk;
            let id = if atom { &item.iri } else { &item.view.uid };
            assert_eq!(&entry.id, id, "{name}");
            let title = if name == "feed.json" { talk.title.clone() } else { xml_text(&talk.title) };
            assert_eq!(entry.title.as_ref().map(|t| t.content.trim()), Some(title.trim()), "{name} {id}");
            let page = format!("https://example.org{}", talk.permalink);
            assert!(entry.links.iter().any(|l| l.href == page), "{name} {id}: {:?}", entry.links);
            assert_eq!(entry.published, Some(item.published.to_utc()), "{name} {id}");
            if name != "rss.xml" {
                assert_eq!(entry.updated, Some(item.updated.to_utc()), "{name} {id}");
            }
            let tags: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
            assert_eq!(tags, talk.tags.iter().map(String::as_str).collect::<Vec<_>>(), "{name} {id}");
            let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
            assert!(content.contains("<strong>When:</strong>"), "{name} {id}: no header in {content:?}");
        }
    }
}

#[test]
fn the_sample_feeds_read_back() {
    let (_, items) = render(&util::root(), None);
    assert_eq!(items, 7);
}

#[test]
fn every_corpus_feed_reads_back() {
    let Some(corpus) = util::corpus() else { return };
    let mut total = 0;
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        if entry.path().join("content").is_dir() {
            total += render(&entry.path(), None).1;
        }
    }
    total += render(
        &corpus.join("natashamjaques__professional_website"),
        Some(&corpus.join("_extras/natashamjaques__professional_website@0413a821/content")),
    )
    .1;
    // Every talk Hugo publishes at the test's "now": no drafts, no page with
    // a future publish date (the parked 2030 talk).
    assert_eq!(total, 239);
}

#[test]
fn build_writes_the_sample_feeds() {
    let out = tempfile::tempdir().unwrap();
    util::talkfeed()
        .args(["build", "--base-url", "https://talks.example.org/", "--timezone", "Europe/Berlin", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).unwrap();
    insta::assert_snapshot!("rss", read("rss.xml"));
    insta::assert_snapshot!("atom", read("atom.xml"));
    insta::assert_snapshot!("json_feed", read("feed.json"));
    let json: serde_json::Value = serde_json::from_str(&read("feed.json")).unwrap();
    let seed = json["items"].as_array().unwrap().iter().find(|i| i["title"] == "Product Coaching").unwrap();
    assert_eq!(seed["_talk"]["start"], "2019-10-05");
    assert_eq!(seed["_talk"]["all_day"], true);
}

#[test]
fn feed_limit_keeps_the_newest() {
    let out = tempfile::tempdir().unwrap();
    util::talkfeed()
        .args(["--base-url", "https://talks.example.org/", "--feed-limit", "2", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("feed.json")).unwrap()).unwrap();
    let titles: Vec<&str> = json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["The Next Ten Years of Product Coaching", "Product Coaching Community Meetup"]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn nasty() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("&".to_string()),
                Just("<".to_string()),
                Just(">".to_string()),
                Just("\"".to_string()),
                Just("'".to_string()),
                Just("]]>".to_string()),
                Just("\u{1}".to_string()),
                Just("\u{FFFE}".to_string()),
                Just("老".to_string()),
                Just("🎉".to_string()),
                Just("e\u{301}".to_string()),
                Just(" ".to_string()),
                "[a-zA-Z0-9*_#\\[\\]()`\n-]{1,12}",
            ],
            1..120,
        )
        .prop_map(|p| p.concat().trim().to_string())
        .prop_filter("something to show", |s| s.chars().any(|c| c.is_alphanumeric()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn any_title_and_body_survive_every_feed(title in nasty(), body in nasty()) {
            let (mut site, _, settings) = util::load({
                let mut a = util::args(&util::root(), None);
                a.base_url = Some("https://example.org/".into());
                a
            });
            let mut talk = site.talks.iter().find(|t| t.source.key == "talk/product-coaching/index.md").unwrap().clone();
            talk.title = title.clone();
            talk.body = body;
            site.talks = vec![talk];
            let outputs = util::render(&site, &settings);
            let editions = &settings.emit.editions;
            let ctx = Context::new(&site, &settings.emit, &editions[0], editions).unwrap();
            check_feeds(&outputs, &Feed::new(&ctx, talkfeed::view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap()));
            for name in ["rss.xml", "atom.xml", "feed.json"] {
                let parsed = feed_rs::parser::parse(output(&outputs, name)).unwrap();
                let got = parsed.entries[0].title.as_ref().unwrap().content.clone();
                let want = if name == "feed.json" { title.clone() } else { xml_text(&title) };
                prop_assert_eq!(got.trim(), want.trim(), "{}", name);
            }
        }
    }
}

#[test]
fn a_title_with_markup_characters_survives_every_format() {
    let (mut site, _, settings) = util::load({
        let mut a = util::args(&util::root(), None);
        a.base_url = Some("https://example.org/".into());
        a
    });
    let title = "Rust & <Go>: \"A\" vs 'B'";
    site.talks.retain(|t| t.source.key == "talk/product-coaching/index.md");
    site.talks[0].title = title.into();
    let outputs = util::render(&site, &settings);
    for name in ["rss.xml", "atom.xml", "feed.json"] {
        let parsed = feed_rs::parser::parse(output(&outputs, name)).unwrap();
        assert_eq!(parsed.entries[0].title.as_ref().unwrap().content, title, "{name}");
    }
    let rss = std::str::from_utf8(output(&outputs, "rss.xml")).unwrap();
    assert!(
        rss.contains("<title>Rust &amp; &lt;Go&gt;: &quot;A&quot; vs &apos;B&apos;</title>"),
        "escaped once: {rss}"
    );
}
