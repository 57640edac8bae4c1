//! Every page of the real sites in ../shared/corpus, read by talkfeed and
//! compared with what Hugo 0.111 made of it (`_hugo_oracle/`): no errors,
//! the talk counts of the corpus README, and for every talk the same start,
//! end, permalink, draft flag and page dates as Hugo — under UTC and under
//! `timeZone = "America/New_York"`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use talkfeed::diag::Severity;
use talkfeed::model::{EventTime, StartKey, Talk};
use talkfeed::normalize::NotATalk;

use crate::util;

/// (site folder, talks, pages that are not talks): the "real talks" column
/// of the corpus README §2, with translations of one talk counted once.
const SITES: [(&str, usize, usize); 15] = [
    ("ALMIN-UNamur__almin-website", 18, 0),
    ("Aariq__my-website", 12, 0),
    ("BLUG__BLUG.github.io", 19, 0),
    ("EmilHvitfeldt__emilhvitfeldt.com", 17, 0),
    ("TiagoVentura__venturatiago.com", 0, 7),
    ("TiagoVentura__venturatiago.com@2021", 0, 3),
    ("aloy__aloy", 11, 0),
    ("chechiachang__chechiachang.github.io-src", 15, 0),
    // 12 talks in zh-hant, the default language, and 1 in English:
    // content/en/event/2023-09-26-devopsday is the English version of a
    // zh-hant page, and Hugo publishes both.
    ("chechiachang__chechiachang.github.io-src@2025", 13, 0),
    ("harrelfe__blogdown", 15, 0),
    ("natashamjaques__professional_website", 5, 0),
    ("nickseewald__website", 38, 0),
    ("plbaldoni__plbaldoni", 14, 0),
    ("tereom__tereom_site", 28, 1),
    ("thomwiggers__thomwiggers.nl", 29, 0),
];

const EXTRAS: &str = "_extras/natashamjaques__professional_website@0413a821";

struct Run {
    talks: Vec<Talk>,
    not_talks: Vec<NotATalk>,
    errors: Vec<String>,
}

fn run(site: &Path, content: &Path, timezone: Option<&str>) -> Run {
    let mut args = util::args(site, Some(content));
    args.timezone = timezone.map(String::from);
    let (site, diags, _) = util::load(args);
    Run {
        talks: site.talks,
        not_talks: site.not_talks.into_iter().map(|p| p.reason).collect(),
        errors: diags.iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect(),
    }
}

#[test]
fn every_site_reads_without_errors_and_with_the_right_counts() {
    let Some(corpus) = util::corpus() else { return };
    for (name, talks, not_talks) in SITES {
        let site = corpus.join(name);
        let r = run(&site, &site.join("content"), None);
        assert!(r.errors.is_empty(), "{name}: {:#?}", r.errors);
        assert_eq!(r.talks.len(), talks, "{name}: talks");
        assert_eq!(r.not_talks.len(), not_talks, "{name}: pages that are not talks");
    }
    // The 7 `index.html` event pages of natashamjaques, with that site's config.
    let r = run(&corpus.join("natashamjaques__professional_website"), &corpus.join(EXTRAS).join("content"), None);
    assert!(r.errors.is_empty(), "{:#?}", r.errors);
    assert_eq!(r.talks.len(), 7);
}

#[test]
fn pages_that_are_not_talks_are_recognised() {
    let Some(corpus) = util::corpus() else { return };
    let site = corpus.join("TiagoVentura__venturatiago.com");
    assert!(run(&site, &site.join("content"), None).not_talks.iter().all(|r| *r == NotATalk::Publication));
    let site = corpus.join("TiagoVentura__venturatiago.com@2021");
    let mut reasons = run(&site, &site.join("content"), None).not_talks;
    reasons.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(reasons, [NotATalk::Stub, NotATalk::Stub, NotATalk::ThemeExample]);
    // tereom's `talks/` folder is a widget page, in a default section.
    let site = corpus.join("tereom__tereom_site");
    let mut args = util::args(&site, None);
    args.sections = vec!["talks".into()];
    let (s, _, _) = util::load(args);
    assert_eq!(s.talks.len(), 0);
    assert_eq!(s.not_talks.iter().map(|p| p.reason).collect::<Vec<_>>(), [NotATalk::Widget]);
}

/// Oracle entries by (lang, file).
fn oracle(path: &Path) -> BTreeMap<(String, String), Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    entries
        .into_iter()
        .map(|e| ((e["lang"].as_str().unwrap().to_string(), e["file"].as_str().unwrap().to_string()), e))
        .collect()
}

fn time(v: &Value) -> Option<DateTime<FixedOffset>> {
    let s = v.as_str()?;
    if s.starts_with("0001-01-01") {
        return None;
    }
    Some(DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("oracle time {s}: {e}")))
}

/// Same instant and same offset.
fn same(a: Option<DateTime<FixedOffset>>, b: Option<DateTime<FixedOffset>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b && a.offset() == b.offset(),
        (None, None) => true,
        _ => false,
    }
}

/// Compares every talk of one run with the oracle; returns the differences.
fn compare(talks: &[Talk], oracle: &BTreeMap<(String, String), Value>, block: Option<&str>) -> Vec<String> {
    let mut diffs = Vec::new();
    for t in talks {
        let key = (t.source.lang.clone(), t.source.content_path.clone());
        let Some(o) = oracle.get(&key) else {
            diffs.push(format!("{key:?}: not in the oracle"));
            continue;
        };
        let times = match block {
            Some(b) => &o[b],
            None => o,
        };
        let mut diff = |what: &str, ours: String, hugo: String| {
            diffs.push(format!("{}: {what}: talkfeed {ours}, Hugo {hugo}", t.source.path.display()))
        };

        if block.is_none() {
            if t.title != o["title"].as_str().unwrap().trim() {
                diff("title", t.title.clone(), o["title"].to_string());
            }
            if t.permalink != o["permalink"].as_str().unwrap() {
                diff("permalink", t.permalink.clone(), o["permalink"].to_string());
            }
            if t.draft != o["draft"].as_bool().unwrap() {
                diff("draft", t.draft.to_string(), o["draft"].to_string());
            }
        }
        for (ours, field) in [(t.dates.date, "date"), (t.dates.publish, "publishDate"), (t.dates.lastmod, "lastmod")] {
            if !same(ours, time(&times[field])) {
                diff(field, format!("{ours:?}"), times[field].to_string());
            }
        }

        // The era rule of the corpus README §8.
        let (start_field, end_fields): (&str, &[&str]) = match t.start_key {
            StartKey::EventStart => ("event_start_time", &["event_end_time", "date_end_time"]),
            StartKey::TimeStart => ("time_start_time", &["time_end_time"]),
            StartKey::Date => ("date", &["date_end_time"]),
        };
        let hugo_start = time(&times[start_field]);
        let hugo_end = end_fields.iter().find_map(|f| time(&times[*f]));
        let Some(hugo_start) = hugo_start else {
            diff("start", format!("{:?}", t.when), "none".into());
            continue;
        };
        match t.when {
            None => diff("start", "none".into(), hugo_start.to_rfc3339()),
            Some(EventTime::AllDay(r)) => {
                // All-day talks are on the date as written, in the value's own offset.
                if r.first() != hugo_start.date_naive() {
                    diff("first day", r.first().to_string(), hugo_start.to_rfc3339());
                }
                match (t.end_key, hugo_end) {
                    (Some(_), Some(e)) if r.last() != e.date_naive() => {
                        diff("last day", r.last().to_string(), e.to_rfc3339())
                    }
                    (Some(_), None) => diff("last day", r.last().to_string(), "none".into()),
                    // No end used: Hugo's end must be absent or before the start.
                    (None, Some(e)) if e.date_naive() >= hugo_start.date_naive() => {
                        diff("last day", "none".into(), e.to_rfc3339())
                    }
                    _ => {}
                }
            }
            Some(EventTime::Timed(r)) => {
                if !same(Some(r.start()), Some(hugo_start)) {
                    diff("start", r.start().to_rfc3339(), hugo_start.to_rfc3339());
                }
                match (r.end(), hugo_end) {
                    (Some(ours), Some(e)) => {
                        // A date-only end of a timed talk ends with that day.
                        let end_of_day = e.time() == chrono::NaiveTime::MIN && ours == e + chrono::Duration::days(1);
                        if !same(Some(ours), Some(e)) && !end_of_day {
                            diff("end", ours.to_rfc3339(), e.to_rfc3339());
                        }
                    }
                    (Some(ours), None) => diff("end", ours.to_rfc3339(), "none".into()),
                    (None, Some(e)) if e > hugo_start => diff("end", "none".into(), e.to_rfc3339()),
                    _ => {}
                }
            }
        }
    }
    diffs
}

fn sites(corpus: &Path) -> Vec<(PathBuf, PathBuf, PathBuf)> {
    let mut out: Vec<(PathBuf, PathBuf, PathBuf)> = SITES
        .iter()
        .map(|(name, _, _)| {
            (
                corpus.join(name),
                corpus.join(name).join("content"),
                corpus.join("_hugo_oracle").join(format!("{name}.json")),
            )
        })
        .collect();
    out.push((
        corpus.join("natashamjaques__professional_website"),
        corpus.join(EXTRAS).join("content"),
        corpus.join("_hugo_oracle/_extras/natashamjaques__professional_website@0413a821.json"),
    ));
    out
}

#[test]
fn every_talk_matches_hugo() {
    let Some(corpus) = util::corpus() else { return };
    let mut diffs = Vec::new();
    let mut compared = 0;
    for (site, content, oracle_path) in sites(&corpus) {
        let oracle = oracle(&oracle_path);
        let r = run(&site, &content, None);
        compared += r.talks.len();
        diffs.extend(compare(&r.talks, &oracle, None));
    }
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    assert_eq!(compared, 241, "talks compared");
}

#[test]
fn every_talk_matches_hugo_in_new_york() {
    let Some(corpus) = util::corpus() else { return };
    let mut diffs = Vec::new();
    for (site, content, oracle_path) in sites(&corpus) {
        let oracle = oracle(&oracle_path);
        let r = run(&site, &content, Some("America/New_York"));
        diffs.extend(compare(&r.talks, &oracle, Some("with_timeZone_America_New_York")));
    }
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

/// The pages of the corpus that Hugo publishes in a talk section but that
/// are not talks, so no calendar holds them: the README's "real talks"
/// column leaves them out, and talkfeed says why for each.
const NOT_TALKS: [(&str, &str, NotATalk); 11] = [
    ("TiagoVentura__venturatiago.com", "talk/adjudication/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com", "talk/naf/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com", "talk/pwr/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com", "talk/trust/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com", "talk/truth_be_told/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com", "talk/voting_violence/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com", "talk/voting_violence_mex/index.md", NotATalk::Publication),
    ("TiagoVentura__venturatiago.com@2021", "talk/apsa_pwr.md", NotATalk::Stub),
    ("TiagoVentura__venturatiago.com@2021", "talk/apsa_violence.md", NotATalk::Stub),
    // The one departure from Hugo: the theme's example talk, untouched, left
    // in the site. Hugo publishes it; no calendar should announce it.
    ("TiagoVentura__venturatiago.com@2021", "talk/example/index.md", NotATalk::ThemeExample),
    // tereom's `talks/index.md` is the widget page that lists the talks
    // (README §4.1), in `talks/`, a default section.
    ("tereom__tereom_site", "talks/index.md", NotATalk::Widget),
];

/// Every page Hugo publishes (the oracle's pages, in every language, at the
/// tests' clock: no drafts, no future publish date, nothing expired) is in
/// a calendar talkfeed writes for that page's language, but the pages of
/// [`NOT_TALKS`], which talkfeed leaves out for the reason named there.
#[test]
fn every_talk_hugo_publishes_is_in_a_calendar() {
    let Some(corpus) = util::corpus() else { return };
    let now = util::now();
    let mut checked = 0;
    for (site_dir, content, oracle_path) in sites(&corpus) {
        let name = site_dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut args = util::args(&site_dir, Some(&content));
        args.base_url = Some("https://example.org/".into());
        let (site, diags, settings) = util::load(args);
        assert_eq!(diags.errors(), 0, "{name}");
        let views = talkfeed::view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap();
        let editions = talkfeed::emit::editions(&site, &settings.emit);
        let mut in_calendars = std::collections::BTreeSet::new();
        for edition in &editions {
            let ctx = talkfeed::emit::Context::new(&site, &settings.emit, edition, &editions).unwrap();
            for d in ctx.calendar_talks(&views) {
                in_calendars.insert((d.talk().source.lang.clone(), d.talk().source.content_path.clone()));
            }
        }
        let left_out: BTreeMap<(String, String), NotATalk> =
            site.not_talks.iter().map(|p| ((p.source.lang.clone(), p.source.content_path.clone()), p.reason)).collect();
        for ((lang, file), page) in oracle(&oracle_path) {
            let published = page["kind"] == "page"
                && page["draft"] == false
                && time(&page["publishDate"]).is_none_or(|p| p <= now)
                && time(&page["expiryDate"]).is_none_or(|e| e > now);
            // The extras oracle covers the site's `.md` pages too, which
            // the run over `_extras` alone does not read.
            let exists = content.join(&file).is_file() || content.join(&lang).join(&file).is_file();
            if !published || !exists {
                continue;
            }
            assert!(site.sections.iter().any(|s| file.starts_with(&format!("{s}/"))), "{name}: {file}");
            checked += 1;
            if in_calendars.contains(&(lang.clone(), file.clone())) {
                continue;
            }
            let named = NOT_TALKS.iter().find(|(s, f, _)| *s == name && *f == file).map(|(_, _, r)| *r);
            assert!(named.is_some(), "{name}: {lang} {file} is published by Hugo and in no calendar");
            assert_eq!(left_out.get(&(lang, file.clone())).copied(), named, "{name}: {file}");
        }
    }
    assert!(checked > 230, "only {checked} published pages checked");
}

#[test]
fn section_permalinks_match_hugo() {
    let Some(corpus) = util::corpus() else { return };
    for (site, content, oracle_path) in sites(&corpus) {
        let oracle = oracle(&oracle_path);
        let mut args = util::args(&site, Some(&content));
        args.drafts = true;
        let (s, _, _) = util::load(args);
        for section in &s.list_pages {
            let o = &oracle[&(section.source.lang.clone(), section.source.content_path.clone())];
            assert_eq!(section.permalink, o["permalink"].as_str().unwrap(), "{}", section.source.path.display());
            assert_eq!(section.title.as_deref().unwrap_or(""), o["title"].as_str().unwrap());
        }
    }
}

#[test]
fn the_seed_talk_is_all_day_on_the_fifth() {
    let Some(corpus) = util::corpus() else { return };
    let seed = corpus.join("../seed/product-coaching.md");
    let ours = util::root().join("content/talk/product-coaching/index.md");
    assert_eq!(
        std::fs::read(&seed).unwrap(),
        std::fs::read(&ours).unwrap(),
        "the sample's seed page is a byte-exact copy"
    );
    let (s, diags, _) = util::load(util::args(&util::root(), None));
    assert_eq!(diags.errors(), 0);
    let t = s.talks.iter().find(|t| t.source.content_path == "talk/product-coaching/index.md").unwrap();
    let Some(EventTime::AllDay(r)) = t.when else { panic!("{:?}", t.when) };
    assert_eq!(
        (r.first(), r.last()),
        (NaiveDate::from_ymd_opt(2019, 10, 5).unwrap(), NaiveDate::from_ymd_opt(2019, 10, 5).unwrap())
    );
}

#[test]
fn every_theme_example_page_reads_without_errors() {
    let Some(corpus) = util::corpus() else { return };
    // Each historical version of the theme's talk pages, as a one-page site.
    let mut checked = 0;
    for entry in walkdir(&corpus.join("_themes")) {
        let rel = entry.to_string_lossy().into_owned();
        if !rel.ends_with(".md") || rel.contains("archetypes") || !rel.contains("/content/") {
            continue;
        }
        let section_rel = rel.split("/content/").nth(1).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("content").join(section_rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
        let mut args = util::args(tmp.path(), None);
        args.sections = vec!["talk".into(), "event".into(), "events".into()];
        let (s, diags, _) = util::load(args);
        let errors: Vec<String> = diags.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
        // No theme example is exported as a talk.
        assert!(s.talks.is_empty(), "{rel}: {:?}", s.talks.iter().map(|t| &t.title).collect::<Vec<_>>());
        checked += 1;
    }
    assert!(checked > 50, "only {checked} theme pages found");
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    ::walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Drop-in use: `talkfeed` run from the root of each real site with no
/// site flags (only a scratch `--out` and the tests' clock) takes the base
/// URL from the site's config, writes a calendar and feeds for every
/// language, and every link of every feed is a page Hugo built; a site
/// whose config has no absolute base URL is told how to give one, and
/// builds with only `--base-url`.
#[test]
fn run_from_a_real_site_with_no_flags_links_to_hugos_pages() {
    let Some(corpus) = util::corpus() else { return };
    let mut built = 0;
    let mut languages = 0;
    let mut without_base_url = Vec::new();
    for (name, _, _) in SITES {
        let site = corpus.join(name);
        let out = tempfile::tempdir().unwrap();
        let run = util::talkfeed().current_dir(&site).arg("--out").arg(out.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        if !out.path().join("feed.json").exists() {
            assert_eq!(run.status.code(), Some(2), "{name}: {stderr}");
            assert!(stderr.contains("--base-url"), "{name}: {stderr}");
            without_base_url.push(name.to_string());
            let run = util::talkfeed()
                .current_dir(&site)
                .args(["--base-url", "https://example.org/", "--out"])
                .arg(out.path())
                .output()
                .unwrap();
            assert_eq!(run.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&run.stderr));
        } else {
            assert_eq!(run.status.code(), Some(0), "{name}: {stderr}");
        }
        let oracle = std::fs::read_to_string(corpus.join("_hugo_oracle").join(format!("{name}.json"))).unwrap();
        let pages: std::collections::HashSet<String> = serde_json::from_str::<Vec<Value>>(&oracle)
            .unwrap()
            .iter()
            .filter_map(|p| p["permalink"].as_str().map(String::from))
            .collect();
        // The outputs of every language: the folder itself and one per
        // other language.
        for feed in walkdir(out.path()).into_iter().filter(|p| p.ends_with("feed.json")) {
            let rel = feed.strip_prefix(out.path()).unwrap();
            assert!(rel.components().count() <= 2, "{name}: {}", rel.display());
            assert!(feed.with_file_name("talks.ics").is_file(), "{name}: {}", rel.display());
            languages += 1;
            let feed: Value = serde_json::from_str(&std::fs::read_to_string(&feed).unwrap()).unwrap();
            let home = feed["home_page_url"].as_str().unwrap();
            let origin = url::Url::parse(home).unwrap().origin().ascii_serialization();
            for item in feed["items"].as_array().unwrap() {
                let link = item["url"].as_str().unwrap();
                let path = link.strip_prefix(&origin).unwrap_or_else(|| panic!("{name}: {link} is not on {origin}"));
                assert!(pages.contains(path), "{name}: {link} is not a page Hugo built");
            }
        }
        built += 1;
    }
    // Both configs say `baseURL: '/'`; the others give an absolute one.
    assert_eq!(without_base_url, ["EmilHvitfeldt__emilhvitfeldt.com", "thomwiggers__thomwiggers.nl"]);
    assert_eq!(built, 15);
    // chechiachang@2025 is in two languages.
    assert_eq!(languages, 16);
}

/// Every warning `check` gives the corpus sites points at something to fix
/// (docs/troubleshooting.md says why each kind exists). A new kind, or more
/// of one, is noise until shown otherwise: this table changes only with
/// the page that shows it is worth reading.
#[test]
fn the_corpus_gets_only_warnings_worth_reading() {
    let Some(corpus) = util::corpus() else { return };
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for (site, content, _) in sites(&corpus) {
        let (_, diags, _) = util::load(util::args(&site, Some(&content)));
        for d in diags.iter().filter(|d| d.severity == Severity::Warning) {
            let kind = serde_json::to_value(d.kind).unwrap().as_str().unwrap().to_string();
            *by_kind.entry(kind).or_default() += 1;
        }
    }
    let expected: BTreeMap<String, usize> = [
        // baseURL `/` (EmilHvitfeldt, thomwiggers): a calendar needs --base-url.
        // enableGitInfo (chechiachang, both copies): the corpus keeps no
        // .git, so lastmod cannot come from the commits as in Hugo.
        ("config", 4),
        // A publish date Hugo cannot read (plbaldoni `2019-11-1T…`).
        ("date-fallback", 1),
        // Two pages, one URL: Hugo publishes one (thomwiggers, 3 pairs).
        ("duplicate-permalink", 6),
        // Ends before the start (typos: a wrong year, month or hour).
        ("end-not-after-start", 6),
        // `all_day: no`, `featured: no`, `selected: no`: true to the theme
        // under Hugo since 0.152 (EmilHvitfeldt, Aariq).
        ("lenient-bool", 36),
        // Publications filed as talks, stubs, the theme's example: pages
        // Hugo publishes that no calendar gets.
        ("not-a-talk", 10),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(by_kind, expected);
}
