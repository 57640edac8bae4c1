//! Never a silent zero: when the talk sections hold no talk, look for the
//! talks in the site's other sections.
//!
//! People rename `content/event/` (to `seminars/`, `presentations/`, …), and
//! a build that reads none of their talks would publish empty calendars, so
//! subscribers lose every talk without a word. When the site does not name
//! its talk sections (`--section`, `sections` in `talkfeed.toml`) and the
//! sections read hold no talk page in a language, the other sections of that
//! language are examined (docs/content.md, "Where talkfeed looks for talks"):
//!
//! * a section whose pages the site itself renders as the theme's events (a
//!   `[permalinks]` rule that puts them under `/talk/`, `/talks/`, `/event/`
//!   or `/events/`, an `_index.md` that cascades `type: event`, or pages that
//!   say `type: event` themselves) is read as a talk section, with a note;
//! * else a section whose pages carry the theme's event keys (`event`,
//!   `event_name`, `event_start`, `event_url`, `time_start`, `all_day`,
//!   `event_all_day`, or `location`/`address` beside a date) is an error that
//!   names it, how many pages look like talks, and how to read it;
//! * else the site has no talks, and says so in a note; its outputs are
//!   valid and empty.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::Inputs;
use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::discover::{self, Discovery, PageKind};
use crate::frontmatter::{self, Map, Value};
use crate::model::Site;

/// Sections found to hold the talks, to be read as talk sections.
pub(super) struct Found {
    /// Their names.
    pub(super) sections: Vec<String>,
    /// Their pages.
    pub(super) discovery: Discovery,
}

/// Keys only the theme's event pages have: any one of them with a value
/// makes a page look like a talk.
const EVENT_KEYS: [&str; 7] =
    ["event", "event_name", "event_start", "event_url", "time_start", "all_day", "event_all_day"];
/// Keys that make a page look like a talk beside a date.
const PLACE_KEYS: [&str; 2] = ["location", "address"];
/// The `type` (and permalink folder) of the theme's event pages, in every era.
const EVENT_TYPES: [&str; 4] = ["talk", "talks", "event", "events"];

/// Looks for the talks elsewhere when the sections read (`discovery`) gave
/// `site` no talk page in some language; see the module documentation.
pub(super) fn talks_elsewhere(
    inputs: &Inputs<'_>,
    site: &Site,
    discovery: &Discovery,
    diags: &mut Diagnostics,
) -> Option<Found> {
    let languages = languages_without_talks(inputs, site, discovery);
    if languages.is_empty() {
        return None;
    }
    let candidates = discover::other_sections(inputs.scope, &inputs.scope.sections);
    // Their problems are not this site's talks' problems: a section that is
    // read is walked again, with its diagnostics.
    let pages = discover::discover(inputs.scope, &candidates, &mut Diagnostics::new());
    let sections = evidence(inputs, &pages, &languages);
    let default_names = inputs.scope.sections.iter().map(|s| format!("{s}/")).collect::<Vec<_>>().join(", ");
    let read: Vec<String> = sections
        .iter()
        .filter(|(_, e)| e.pages > 0 && (e.typed || e.rule.is_some()))
        .map(|(name, _)| name.clone())
        .collect();
    if !read.is_empty() {
        for name in &read {
            let why = sections[name].rule.clone().unwrap_or_else(|| String::from("its pages say `type: event`"));
            diags.push(
                Diagnostic::note(
                    DiagKind::TalksElsewhere,
                    format!("{name}/ is read as a talk section: {default_names} hold no talk, and {why}"),
                )
                .at_path(folder(inputs, &pages, name))
                .hint(format!(
                    "to say so, set `sections = [\"{name}\"]` in talkfeed.toml (or pass --section {name}); talkfeed then reads only the sections named"
                )),
            );
        }
        let mut diags_of_read = Diagnostics::new();
        let discovery = discover::discover(inputs.scope, &read, &mut diags_of_read);
        diags.extend(diags_of_read);
        return Some(Found { sections: read, discovery });
    }
    let any = ask_about_lookalikes(&sections, &default_names, diags);
    if !any && site.talks.is_empty() && site.failed.is_empty() {
        diags.push(
            Diagnostic::note(
                DiagKind::TalksElsewhere,
                format!(
                    "no talks: {default_names} hold no talk page, and no other section has pages that look like talks; the calendars and feeds are empty"
                ),
            )
            .at_path(&inputs.scope.content_dir),
        );
    }
    None
}

/// What each candidate section's pages (in `languages`) show.
fn evidence(inputs: &Inputs<'_>, pages: &Discovery, languages: &[String]) -> BTreeMap<String, Evidence> {
    let mut sections: BTreeMap<String, Evidence> = BTreeMap::new();
    let looked_at: Vec<&discover::PageFile> =
        pages.pages.iter().filter(|p| p.kind != PageKind::Section && languages.contains(&p.lang)).collect();
    let looks: Vec<Option<Look>> = looked_at.par_iter().map(|p| look(&p.path, inputs.scope.max_file_size)).collect();
    for (page, look) in looked_at.iter().zip(looks) {
        let e = sections.entry(page.section.clone()).or_default();
        e.pages += 1;
        match look {
            Some(Look::Typed) => e.typed = true,
            Some(Look::Keys { key, position }) => {
                e.looks_like_talks += 1;
                e.first.get_or_insert((page.path.clone(), key, position));
            }
            None => {}
        }
    }
    for (name, e) in &mut sections {
        e.rule = section_rule(inputs, pages, name);
    }
    sections
}

/// An error for each section whose pages look like talks (talkfeed asks
/// rather than guesses); whether there was any.
fn ask_about_lookalikes(sections: &BTreeMap<String, Evidence>, default_names: &str, diags: &mut Diagnostics) -> bool {
    let mut any = false;
    for (name, e) in sections.iter().filter(|(_, e)| e.looks_like_talks > 0) {
        any = true;
        let Some((path, key, position)) = &e.first else { continue };
        let others = match e.looks_like_talks - 1 {
            0 => String::new(),
            1 => format!(", and 1 more page of {name}/ does too"),
            n => format!(", and {n} more pages of {name}/ do too"),
        };
        diags.push(
            Diagnostic::error(
                DiagKind::TalksElsewhere,
                format!(
                    "this page looks like a talk (it has `{key}`){others}, but talkfeed does not read {name}/: {default_names} hold no talk"
                ),
            )
            .at_path(path)
            .at(*position)
            .key(key.clone())
            .hint(format!(
                "to read them, pass --section {name} or set `sections = [\"{name}\"]` in talkfeed.toml (name every section that holds talks)"
            )),
        );
    }
    any
}

/// What one candidate section showed.
#[derive(Debug, Default)]
struct Evidence {
    /// Its pages in the languages without talks.
    pages: usize,
    /// How many of them carry the theme's event keys.
    looks_like_talks: usize,
    /// The first of those, with the key and where it is written.
    first: Option<(PathBuf, String, Option<Position>)>,
    /// Whether a page says `type: event` (or `talk`).
    typed: bool,
    /// The site's own rule that makes its pages the theme's events.
    rule: Option<String>,
}

/// What one page's front matter says.
enum Look {
    /// `type: event`: the site renders it as a talk.
    Typed,
    /// It carries `key`, one of the theme's event keys.
    Keys { key: String, position: Option<Position> },
}

/// The languages whose sections read hold no talk page: neither a talk nor
/// a talk page with errors (a page that is not a talk, such as the theme's
/// example, does not count).
fn languages_without_talks(inputs: &Inputs<'_>, site: &Site, discovery: &Discovery) -> Vec<String> {
    let lang_of: BTreeMap<&std::path::Path, &str> =
        discovery.pages.iter().map(|p| (p.path.as_path(), p.lang.as_str())).collect();
    inputs
        .languages
        .iter()
        .map(|l| l.to_string())
        .filter(|lang| {
            !site.talks.iter().any(|t| t.source.lang == *lang)
                && !site.failed.iter().any(|p| lang_of.get(p.as_path()) == Some(&lang.as_str()))
        })
        .collect()
}

/// Reads a page's front matter for the theme's event keys; a page that
/// cannot be read or parsed shows nothing (it is not a talk page of the
/// site's, and has no message here).
fn look(path: &std::path::Path, limit: u64) -> Option<Look> {
    let bytes = crate::files::read(path, limit).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let raw = frontmatter::split(&text).ok()?.front_matter?;
    let fm = frontmatter::parse(raw).ok()?;
    let has = |k: &str| fm.map.get(k).is_some_and(|v| !v.is_empty());
    if fm.map.get("type").and_then(Value::scalar_text).is_some_and(|t| is_event_type(&t)) {
        return Some(Look::Typed);
    }
    let dated = ["date", "event_start", "time_start"].iter().any(|k| has(k));
    let key = EVENT_KEYS.iter().find(|k| has(k)).or_else(|| PLACE_KEYS.iter().find(|k| dated && has(k)))?;
    Some(Look::Keys { key: key.to_string(), position: Some(fm.position_of(&[key])) })
}

fn is_event_type(t: &str) -> bool {
    EVENT_TYPES.iter().any(|e| e.eq_ignore_ascii_case(t.trim()))
}

/// The site's rule, if any, that makes the pages of `section` the theme's
/// events: a `[permalinks]` pattern under a talk folder, or a cascaded
/// `type: event` in its `_index.md`.
fn section_rule(inputs: &Inputs<'_>, pages: &Discovery, section: &str) -> Option<String> {
    if let Some((_, pattern)) = inputs.urls.patterns.iter().find(|(s, _)| s.eq_ignore_ascii_case(section)) {
        let first = pattern.trim_start_matches('/').split('/').next().unwrap_or("");
        if is_event_type(first) {
            return Some(format!("`[permalinks]` publishes its pages under `{pattern}`"));
        }
    }
    let index = pages.pages.iter().filter(|p| {
        p.kind == PageKind::Section && p.content_path.strip_prefix(section).is_some_and(|r| r.starts_with("/_index."))
    });
    for page in index {
        let Ok(bytes) = crate::files::read(&page.path, inputs.scope.max_file_size) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let Some(raw) = frontmatter::split(&text).ok().and_then(|s| s.front_matter) else { continue };
        let Ok(fm) = frontmatter::parse(raw) else { continue };
        if cascades_event_type(fm.map.get("cascade")) {
            return Some(String::from("its `_index.md` cascades `type: event` to its pages"));
        }
    }
    None
}

/// Whether a `cascade` (a map, or a list of maps) sets an event `type`.
fn cascades_event_type(cascade: Option<&Value>) -> bool {
    let sets = |m: &Map| {
        m.get("type").and_then(Value::scalar_text).is_some_and(|t| is_event_type(&t))
            || m.get("params")
                .and_then(Value::as_map)
                .and_then(|p| p.get("type"))
                .and_then(Value::scalar_text)
                .is_some_and(|t| is_event_type(&t))
    };
    match cascade {
        Some(Value::Map(m)) => sets(m),
        Some(Value::List(items)) => items.iter().filter_map(Value::as_map).any(sets),
        _ => false,
    }
}

/// The folder of `section`, for messages: where its first page is.
fn folder(inputs: &Inputs<'_>, pages: &Discovery, section: &str) -> PathBuf {
    let first = pages.pages.iter().find(|p| p.section == section);
    first
        .and_then(|p| p.path.ancestors().nth(p.content_path.split('/').count() - 1).map(|root| root.to_path_buf()))
        .unwrap_or_else(|| inputs.scope.content_dir.join(section))
}
