//! The Hugo module (`hugo/`) in a real Hugo build (Debian's `hugo`,
//! 0.111, installed by `.ci/run`): a site whose layouts call the
//! `talkfeed-subscribe` shortcode and the `talkfeed/head.html` and
//! `talkfeed/add-to-calendar.html` partials, built after `talkfeed --out
//! static/talks --publish-url …` ran from its root with no other flag.
//! Every link they write leads to a file talkfeed wrote, and the Google
//! and Outlook links are the subscribe page's. Without talkfeed's output
//! the site still builds, with one warning.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util;

/// `hugo`, or `None` with the reason printed.
pub fn hugo() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("hugo")).find(|p| p.is_file()));
    if found.is_none() {
        println!("skipped: hugo is not installed (.ci/run installs Debian's hugo; apt-get install hugo)");
    }
    found
}

/// A Hugo site of `content`, whose layouts use the module.
fn site(content: &Path, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    util::copy_dir(content, &dir.path().join("content"));
    let theme = format!("themesDir = {:?}\ntheme = \"hugo\"\n", util::root().display().to_string());
    std::fs::write(dir.path().join("hugo.toml"), format!("{config}\n{theme}disableKinds = [\"taxonomy\", \"term\"]\n"))
        .unwrap();
    let layouts = dir.path().join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    std::fs::write(
        layouts.join("single.html"),
        r#"<!doctype html><html><head>{{ partial "talkfeed/head.html" . }}</head><body><h1>{{ .Title }}</h1>{{ .Content }}{{ partial "talkfeed/add-to-calendar.html" . }}</body></html>"#,
    )
    .unwrap();
    std::fs::write(
        layouts.join("list.html"),
        r#"<!doctype html><html><head>{{ partial "talkfeed/head.html" . }}</head><body>{{ .Content }}{{ range .Pages }}<div>{{ .Title }}{{ partial "talkfeed/add-to-calendar.html" (dict "page" . "class" "btn") }}</div>{{ end }}</body></html>"#,
    )
    .unwrap();
    dir
}

/// Runs Hugo in `site`; its log.
fn build_with_hugo(hugo: &Path, site: &Path) -> String {
    let output = Command::new(hugo).arg("--source").arg(site).output().unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{log}");
    log
}

/// `talkfeed` from the site's root, as docs/hugo.md says.
fn run_talkfeed(site: &Path) {
    run_talkfeed_with(site, &[]);
}

fn run_talkfeed_with(site: &Path, args: &[&str]) {
    util::talkfeed()
        .current_dir(site)
        .args(["--out", "static/talks", "--publish-url"])
        .arg(format!("{}talks/", base_url(site)))
        .args(args)
        .assert()
        .success();
}

fn base_url(site: &Path) -> String {
    let config = std::fs::read_to_string(site.join("hugo.toml")).unwrap();
    let line = config.lines().find(|l| l.starts_with("baseURL")).unwrap();
    line.split('"').nth(1).unwrap().to_string()
}

/// The `href`s of `html`'s elements whose class or rel says they are the
/// module's (`talkfeed-…` classes, `rel="alternate"`), HTML entities undone.
fn module_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let class = tag.split("class=\"").nth(1).and_then(|c| c.split('"').next()).unwrap_or("");
        let ours = class.split(' ').any(|c| c.starts_with("talkfeed-")) || tag.starts_with("link rel=\"alternate\"");
        if !ours {
            continue;
        }
        if let Some(href) = tag.split("href=\"").nth(1).and_then(|h| h.split('"').next()) {
            links.push(unescape(href));
        }
    }
    links
}

/// Every `href` of `html`, entities undone.
fn all_links(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).filter_map(|h| h.split('"').next()).map(unescape).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&#43;", "+").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The HTML pages Hugo wrote (not talkfeed's).
fn pages(public: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html") && !e.path().starts_with(public.join("talks")))
        .map(|e| (e.path().to_path_buf(), std::fs::read_to_string(e.path()).unwrap()))
        .collect()
}

/// Checks that every module link of `site`'s pages leads to a file
/// talkfeed wrote (under `public/talks/`) or is one of the Google and
/// Outlook links of talkfeed's subscribe pages (one per language); returns
/// how many add-to-calendar blocks there are.
fn check_links(site: &Path) -> usize {
    let base = base_url(site);
    let public = site.join("public");
    let on_page: std::collections::BTreeSet<String> = walkdir::WalkDir::new(public.join("talks"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .flat_map(|e| all_links(&std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    let mut added = 0;
    for (path, html) in pages(&public) {
        added += html.matches("class=\"talkfeed-add\"").count();
        for link in module_links(&html) {
            let file = link
                .strip_prefix(&format!("{base}talks/"))
                .or_else(|| link.strip_prefix(&format!("webcal://{}talks/", base.trim_start_matches("https://"))));
            match file {
                Some(rel) => {
                    let target = public.join("talks").join(if rel.is_empty() { "index.html" } else { rel });
                    assert!(target.is_file(), "{}: {link} is no file talkfeed wrote", path.display());
                }
                None => {
                    assert!(on_page.contains(&link), "{}: {link} is not on talkfeed's subscribe pages", path.display())
                }
            }
        }
    }
    added
}

#[test]
fn the_module_links_what_talkfeed_wrote() {
    let Some(hugo) = hugo() else { return };
    let s = site(&util::root().join("content"), "baseURL = \"https://example.org/\"\ntitle = \"Talks\"");
    std::fs::write(s.path().join("content/subscribe.md"), "---\ntitle: Subscribe\n---\n{{< talkfeed-subscribe >}}\n")
        .unwrap();

    // Without talkfeed's output: the site builds, says so once, links nothing.
    let log = build_with_hugo(&hugo, s.path());
    assert_eq!(log.matches("talkfeed:").count(), 1, "{log}");
    assert!(log.contains("static/talks/talkfeed.json does not exist"), "{log}");
    for (path, html) in pages(&s.path().join("public")) {
        assert!(!html.contains("talkfeed-"), "{}", path.display());
    }

    run_talkfeed(s.path());
    std::fs::remove_dir_all(s.path().join("public")).unwrap();
    let log = build_with_hugo(&hugo, s.path());
    assert!(!log.contains("talkfeed:"), "{log}");
    let public = s.path().join("public");
    let added = check_links(s.path());
    // Each calendar talk's own page has its block, and the section list too.
    let calendar = std::fs::read_to_string(public.join("talks/talks.ics")).unwrap();
    let events = calendar.matches("BEGIN:VEVENT").count();
    let talk_pages = pages(&public)
        .iter()
        .filter(|(p, h)| {
            !p.ends_with("talk/index.html") && !p.ends_with("event/index.html") && h.contains("class=\"talkfeed-add\"")
        })
        .count();
    assert_eq!(talk_pages, events, "one add-to-calendar block per talk in the calendar");
    assert!(added > events, "{added}");
    // With the theme's button classes, on the list pages.
    let list = std::fs::read_to_string(public.join("talk/index.html")).unwrap();
    assert!(list.contains(r#"<a class="btn talkfeed-ics" href="https://example.org/talks/talks/"#), "{list}");
    // The subscribe shortcode: every button of talkfeed's own page.
    let shortcode = std::fs::read_to_string(public.join("subscribe/index.html")).unwrap();
    let buttons = module_links(&shortcode);
    assert!(buttons.iter().any(|l| l.starts_with("webcal://example.org/talks/talks.ics")), "{buttons:?}");
    assert!(buttons.iter().any(|l| l.starts_with("https://calendar.google.com/calendar/r?cid=")), "{buttons:?}");
    assert!(buttons.iter().any(|l| l.starts_with("https://outlook.live.com/calendar/0/addfromweb?")), "{buttons:?}");
    // Autodiscovery in every page's head.
    assert!(shortcode.contains(r#"<link rel="alternate" type="text/calendar""#), "{shortcode}");
}

#[test]
fn the_module_offers_reminders_and_schedules_where_talkfeed_wrote_them() {
    let Some(hugo) = hugo() else { return };
    let s = site(&util::root().join("content"), "baseURL = \"https://example.org/\"\ntitle = \"Talks\"");
    std::fs::write(s.path().join("content/subscribe.md"), "---\ntitle: Subscribe\n---\n{{< talkfeed-subscribe >}}\n")
        .unwrap();
    run_talkfeed_with(s.path(), &["--alarm", "30m", "--schedules"]);
    build_with_hugo(&hugo, s.path());
    // Every link leads to a file talkfeed wrote.
    check_links(s.path());
    let shortcode = std::fs::read_to_string(s.path().join("public/subscribe/index.html")).unwrap();
    let links = module_links(&shortcode);
    assert!(links.contains(&String::from("webcal://example.org/talks/talks-reminders.ics")), "{links:?}");
    assert!(links.contains(&String::from("https://example.org/talks/upcoming-reminders.ics")), "{links:?}");
    let schedules = std::fs::read_dir(s.path().join("static/talks/schedules")).unwrap().count();
    let xml = links.iter().filter(|l| l.ends_with("/schedule.xml")).count();
    assert!(schedules > 0 && xml == schedules, "{schedules} schedules, {links:?}");
}

#[test]
fn each_language_links_its_own_calendar() {
    let Some(hugo) = hugo() else { return };
    let fixture = util::fixture("bilingual");
    let s = site(&fixture.join("content"), "");
    let config = std::fs::read_to_string(fixture.join("hugo.toml")).unwrap();
    let theme = std::fs::read_to_string(s.path().join("hugo.toml")).unwrap();
    std::fs::write(s.path().join("hugo.toml"), format!("{theme}\n{config}")).unwrap();
    run_talkfeed(s.path());
    build_with_hugo(&hugo, s.path());
    let public = s.path().join("public");
    let fr = std::fs::read_to_string(public.join("fr/talk/paris/index.html")).unwrap();
    let links = module_links(&fr);
    assert!(links.iter().any(|l| l.starts_with("https://bilingual.example/talks/fr/talks/")), "{links:?}");
    assert!(links.iter().any(|l| l == "https://bilingual.example/talks/fr/talks.ics"), "{links:?}");
    let en = std::fs::read_to_string(public.join("talk/boston/index.html")).unwrap();
    assert!(module_links(&en).iter().any(|l| l == "https://bilingual.example/talks/talks.ics"), "{en}");
    check_links(s.path());
}
