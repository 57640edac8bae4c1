//! Hugo's page dates (`.Date`, `.PublishDate`, `.Lastmod`, `.ExpiryDate`)
//! as Hugo decides them: each from the first of a list of sources that has
//! a value, the lists set by the site's `[frontmatter]` config (Hugo's
//! defaults otherwise). A source is a front-matter key, or a handler:
//! `:filename` (a date at the start of the file's or bundle's name, which
//! also gives the slug), `:fileModTime` (the file's modification time) or
//! `:git` (the author date of the last commit that touched the file, with
//! `enableGitInfo`).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use chrono_tz::Tz;

use super::fields::{DateField, Fields};
use super::when::resolve;
use crate::dates;
use crate::diag::{DiagKind, Diagnostic};
use crate::model::{PageDates, StartKey};

/// Where Hugo takes a page date from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DateSource {
    /// A front-matter key, lowercase.
    Key(String),
    /// `:filename`.
    Filename,
    /// `:fileModTime`.
    FileModTime,
    /// `:git`.
    Git,
}

/// The sources of each page date, in order: Hugo's `[frontmatter]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateRules {
    /// `.Date`.
    pub date: Vec<DateSource>,
    /// `.PublishDate`.
    pub publish: Vec<DateSource>,
    /// `.Lastmod`.
    pub lastmod: Vec<DateSource>,
    /// `.ExpiryDate`.
    pub expiry: Vec<DateSource>,
    /// `enableGitInfo`: `:git` has values (without it, none, as in Hugo).
    pub git_info: bool,
}

/// The four page dates, by their `[frontmatter]` key (lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// `date`.
    Date,
    /// `publishDate`.
    Publish,
    /// `lastmod`.
    Lastmod,
    /// `expiryDate`.
    Expiry,
}

impl DateKind {
    /// All four, in the order Hugo's config lists them.
    pub const ALL: [DateKind; 4] = [DateKind::Date, DateKind::Publish, DateKind::Lastmod, DateKind::Expiry];

    /// The `[frontmatter]` key (`publishDate`).
    pub fn config_key(self) -> &'static str {
        match self {
            DateKind::Date => "date",
            DateKind::Publish => "publishDate",
            DateKind::Lastmod => "lastmod",
            DateKind::Expiry => "expiryDate",
        }
    }

    /// Hugo's default sources (`:default`), aliases expanded.
    fn defaults(self) -> &'static [&'static str] {
        match self {
            DateKind::Date => &["date", "publishdate", "pubdate", "published", "lastmod", "modified"],
            DateKind::Publish => &["publishdate", "pubdate", "published", "date"],
            DateKind::Lastmod => &[":git", "lastmod", "modified", "date", "publishdate", "pubdate", "published"],
            DateKind::Expiry => &["expirydate", "unpublishdate"],
        }
    }

    /// The keys that name another date: a value found there is a fallback,
    /// not this date as written.
    fn fallbacks(self) -> &'static [&'static str] {
        match self {
            DateKind::Date | DateKind::Expiry => &[],
            DateKind::Publish => &["date"],
            DateKind::Lastmod => &["date", "publishdate", "pubdate", "published"],
        }
    }
}

/// What a message about a bad value under `key` calls the date, and what
/// happens without it (with Hugo's default rules).
fn words(key: &str) -> (&'static str, &'static str) {
    match key {
        "date" => ("the page date", "falls back to publishDate"),
        "publishdate" | "pubdate" | "published" => ("the publish date", "falls back to date"),
        "lastmod" | "modified" => ("the last-modified date", "falls back to date"),
        "expirydate" | "unpublishdate" => ("the page", "never expires"),
        _ => ("the date", "is skipped"),
    }
}

impl Default for DateRules {
    fn default() -> DateRules {
        let mut rules = DateRules { date: vec![], publish: vec![], lastmod: vec![], expiry: vec![], git_info: false };
        for kind in DateKind::ALL {
            *rules.sources_mut(kind) = parse_list(kind, &[":default"]).0;
        }
        rules
    }
}

impl DateRules {
    /// The sources of `kind`.
    pub fn sources(&self, kind: DateKind) -> &[DateSource] {
        match kind {
            DateKind::Date => &self.date,
            DateKind::Publish => &self.publish,
            DateKind::Lastmod => &self.lastmod,
            DateKind::Expiry => &self.expiry,
        }
    }

    fn sources_mut(&mut self, kind: DateKind) -> &mut Vec<DateSource> {
        match kind {
            DateKind::Date => &mut self.date,
            DateKind::Publish => &mut self.publish,
            DateKind::Lastmod => &mut self.lastmod,
            DateKind::Expiry => &mut self.expiry,
        }
    }

    /// Sets the sources of `kind` from the config's list (`["lastmod",
    /// ":fileModTime"]`); returns the handlers Hugo does not have
    /// (`:filemodtime` is one, `:fileModTime` written in any case).
    pub fn set(&mut self, kind: DateKind, list: &[String]) -> Vec<String> {
        let list: Vec<&str> = list.iter().map(String::as_str).collect();
        let (sources, unknown) = parse_list(kind, &list);
        *self.sources_mut(kind) = sources;
        unknown
    }

    /// Whether a page's modification time is read.
    pub fn reads_mod_time(&self) -> bool {
        self.all().any(|s| *s == DateSource::FileModTime)
    }

    /// Whether the repository's history is read.
    pub fn reads_git(&self) -> bool {
        self.git_info && self.all().any(|s| *s == DateSource::Git)
    }

    fn all(&self) -> impl Iterator<Item = &DateSource> {
        DateKind::ALL.into_iter().flat_map(|k| self.sources(k))
    }
}

/// A config list as sources: `:default` expanded, a key followed by its
/// aliases (`publishdate` → `pubdate`, `published`), each once.
fn parse_list(kind: DateKind, list: &[&str]) -> (Vec<DateSource>, Vec<String>) {
    let mut sources = Vec::new();
    let mut unknown = Vec::new();
    let mut push = |s: DateSource| {
        if !sources.contains(&s) {
            sources.push(s);
        }
    };
    for item in list {
        let item = item.trim().to_lowercase();
        let expanded: Vec<String> =
            if item == ":default" { kind.defaults().iter().map(|s| s.to_string()).collect() } else { vec![item] };
        for item in expanded {
            match item.as_str() {
                ":filename" => push(DateSource::Filename),
                ":filemodtime" => push(DateSource::FileModTime),
                ":git" => push(DateSource::Git),
                other if other.starts_with(':') => unknown.push(other.to_string()),
                "" => {}
                key => {
                    push(DateSource::Key(key.to_string()));
                    for alias in aliases(key) {
                        push(DateSource::Key(alias.to_string()));
                    }
                }
            }
        }
    }
    (sources, unknown)
}

/// Hugo's aliases of a date key.
fn aliases(key: &str) -> &'static [&'static str] {
    match key {
        "publishdate" => &["pubdate", "published"],
        "lastmod" => &["modified"],
        "expirydate" => &["unpublishdate"],
        _ => &[],
    }
}

/// What Hugo knows of a page's file besides its text, for the handlers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileDates {
    /// Its modification time (read only for `:fileModTime`).
    pub modified: Option<DateTime<FixedOffset>>,
    /// The author date of the last commit that touched it (`:git`).
    pub git_author: Option<DateTime<FixedOffset>>,
}

/// A page's file, as the handlers see it.
pub(crate) struct PageSource<'a> {
    /// The file's name without its extension, or a bundle's folder name
    /// (Hugo's `ContentBaseName`).
    pub(crate) base_name: &'a str,
    /// Its times.
    pub(crate) times: FileDates,
}

impl<'a> PageSource<'a> {
    /// The page of `file`, with its `times`.
    pub(crate) fn of(file: &'a crate::discover::PageFile, times: FileDates) -> PageSource<'a> {
        // Translations share a base name (`talk.fr.md` is `talk`); a
        // bundle's is its folder's.
        let key = file.translation_key.as_str();
        let name = match file.kind {
            crate::discover::PageKind::Bundle => key.rsplit_once('/').map_or(key, |(dir, _)| dir),
            _ => key,
        };
        let name = name.rsplit('/').next().unwrap_or(name);
        let base_name = match name.rsplit_once('.') {
            Some((stem, _)) if file.kind != crate::discover::PageKind::Bundle => stem,
            _ => name,
        };
        PageSource { base_name, times }
    }
}

/// The date and slug `:filename` reads from a name starting with a date
/// (`2024-05-17-my-talk`: 17 May 2024, `my-talk`), at midnight in `tz`.
pub(crate) fn date_from_name(name: &str, tz: Tz) -> Option<(DateTime<FixedOffset>, String)> {
    let day = NaiveDate::parse_from_str(name.get(..10)?, "%Y-%m-%d").ok()?;
    let at = (0..=3)
        .find_map(|h| tz.from_local_datetime(&day.and_hms_opt(h, 0, 0)?).earliest())
        .map(|t| t.fixed_offset())?;
    let slug = name[10..].trim_matches([' ', '-', '_']).to_string();
    Some((at, slug))
}

/// Hugo's page dates of a page, with the slug `:filename` gives when it is
/// the source that decided a date. A malformed value is skipped as Hugo
/// skips it, with a warning; `date` is reported here only when it is not
/// the event start (then [`super::when::event_time`] reports it as an
/// error).
pub(crate) fn page_dates(
    f: &mut Fields,
    tz: Tz,
    start_key: Option<StartKey>,
    page: &PageSource<'_>,
    rules: &DateRules,
) -> (PageDates, Option<String>) {
    let mut slug = None;
    let mut found = [None; 4];
    let mut written = [None; 4];
    // Each key is read (and its problems told) once, whichever lists name it.
    let mut read: Vec<(&str, Option<DateTime<FixedOffset>>)> = Vec::new();
    for (i, kind) in DateKind::ALL.into_iter().enumerate() {
        for source in rules.sources(kind) {
            let value = match source {
                DateSource::Key(key) => match read.iter().find(|(k, _)| k == key) {
                    Some((_, value)) => *value,
                    None => {
                        let value = key_date(f, key, tz, start_key);
                        read.push((key, value));
                        value
                    }
                },
                DateSource::Filename => date_from_name(page.base_name, tz).map(|(at, s)| {
                    slug.get_or_insert(s);
                    at
                }),
                DateSource::FileModTime => page.times.modified,
                DateSource::Git => page.times.git_author.filter(|_| rules.git_info),
            };
            if let Some(at) = value {
                found[i] = Some(at);
                let fallback = matches!(source, DateSource::Key(k) if kind.fallbacks().contains(&k.as_str()));
                written[i] = (!fallback).then_some(at);
                break;
            }
        }
    }
    let [date, publish, lastmod, expiry] = found;
    let dates = PageDates { date, publish, lastmod, expiry, written_publish: written[1], written_lastmod: written[2] };
    // Hugo keeps a slug the page writes, even an empty one.
    (dates, slug.filter(|s| !s.is_empty() && !f.map.contains_key("slug")))
}

/// The date under `key` for `kind`, if it is one Hugo reads; a warning for
/// one it cannot.
fn key_date(f: &mut Fields, key: &str, tz: Tz, start_key: Option<StartKey>) -> Option<DateTime<FixedOffset>> {
    let (what, fallback) = words(key);
    // The start key's own problems are reported by `event_time`.
    let is_start = key == "date" && start_key == Some(StartKey::Date);
    match f.configured_date(key) {
        DateField::Date(d) if is_start => Some(d.resolve(tz).0),
        DateField::Date(d) => {
            let at = resolve(f, &d, key, tz);
            // Every output writes times in UTC, in years 1 to 9999:
            // `9999-12-31T23:00:00-12:00` is in the year 10000 there.
            let year = at.to_utc().year();
            if !(1..=9999).contains(&year) {
                f.push(
                    Diagnostic::warning(
                        DiagKind::DateFallback,
                        format!(
                            "`{key}` {} is in the year {year} in UTC, which calendars and feeds cannot hold; {what} {fallback}",
                            at.to_rfc3339()
                        ),
                    )
                    .hint("write the real date"),
                    &[key],
                );
                return None;
            }
            Some(at)
        }
        DateField::Absent => None,
        DateField::Invalid(message) => {
            if !is_start {
                f.push(
                    Diagnostic::warning(DiagKind::DateFallback, format!("{message}; {what} {fallback}, as in Hugo"))
                        .hint(format!("write it as {}", dates::ACCEPTED_FORMS)),
                    &[key],
                );
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_hugos() {
        let rules = DateRules::default();
        let keys = |s: &[DateSource]| -> Vec<String> {
            s.iter()
                .map(|s| match s {
                    DateSource::Key(k) => k.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(keys(&rules.date), ["date", "publishdate", "pubdate", "published", "lastmod", "modified"]);
        assert_eq!(keys(&rules.lastmod), ["Git", "lastmod", "modified", "date", "publishdate", "pubdate", "published"]);
        assert!(!rules.reads_git(), "without enableGitInfo");
    }

    #[test]
    fn config_lists_expand_and_name_unknown_handlers() {
        let mut rules = DateRules::default();
        let unknown = rules.set(DateKind::Date, &[":fileName".into(), "publishDate".into(), ":foo".into()]);
        assert_eq!(unknown, [":foo"]);
        assert_eq!(
            rules.date,
            [
                DateSource::Filename,
                DateSource::Key("publishdate".into()),
                DateSource::Key("pubdate".into()),
                DateSource::Key("published".into())
            ]
        );
        rules.set(DateKind::Lastmod, &["lastmod".into(), ":default".into()]);
        assert_eq!(rules.lastmod[0], DateSource::Key("lastmod".into()));
        assert_eq!(rules.lastmod[2], DateSource::Git);
    }

    #[test]
    fn names_give_a_date_and_a_slug() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let (at, slug) = date_from_name("2024-05-17-my-talk", tz).unwrap();
        assert_eq!(at.to_rfc3339(), "2024-05-17T00:00:00+02:00");
        assert_eq!(slug, "my-talk");
        assert_eq!(date_from_name("2024-05-17", tz).unwrap().1, "");
        assert!(date_from_name("2024-13-01-x", tz).is_none());
        assert!(date_from_name("talk", tz).is_none());
        assert!(date_from_name("2024-05-1é", tz).is_none());
    }
}
