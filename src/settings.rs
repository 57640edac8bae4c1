//! Settings: the command line, `talkfeed.toml` and the Hugo config, merged
//! once into validated values. Precedence: flag > `talkfeed.toml` > Hugo
//! config > default. Library code takes `&Settings`, never the raw CLI.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use url::Url;

use crate::config::{HugoConfig, Language, TalkfeedToml};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
pub use crate::permalink::UrlConfig;

/// What the command line says about the site and the run, before it is
/// checked: every field is a flag of the same name (`--base-url` is
/// `base_url`), `None` or empty when not given. The command line maps its
/// arguments into this (see `cli::SiteArgs`); settings never see clap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// The site root.
    pub site: Option<PathBuf>,
    /// The content folder.
    pub content: Option<PathBuf>,
    /// The talk sections.
    pub sections: Vec<String>,
    /// Only this language.
    pub language: Option<String>,
    /// The zone for times without offset.
    pub timezone: Option<String>,
    /// The site's absolute URL.
    pub base_url: Option<String>,
    /// The title of calendar and feeds.
    pub title: Option<String>,
    /// The description of calendar and feeds.
    pub description: Option<String>,
    /// The author of the feeds.
    pub author: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include pages not published yet in the feeds.
    pub future: bool,
    /// Include expired pages.
    pub expired: bool,
    /// The current time, RFC 3339.
    pub now: Option<String>,
    /// Warnings are errors.
    pub deny_warnings: bool,
    /// A talk that cannot go into the calendars is an error.
    pub strict: bool,
    /// The largest file read (`8M`).
    pub max_file_size: Option<String>,
    /// Publish the theme's example talk.
    pub include_example: bool,
    /// Build without the talks that have errors.
    pub keep_going: bool,
    /// Seconds to wait for another run.
    pub lock_timeout: Option<u64>,
    /// Where build writes.
    pub out: Option<PathBuf>,
    /// The public URL of the output folder.
    pub publish_url: Option<String>,
    /// The length of a talk without an end.
    pub default_duration: Option<String>,
    /// At most this many talks in the feeds.
    pub feed_limit: Option<usize>,
    /// Outputs for every tag.
    pub per_tag: bool,
    /// Outputs for every section.
    pub per_section: bool,
    /// Outputs for every speaker.
    pub per_author: bool,
    /// How often clients fetch the calendar again.
    pub refresh: Option<String>,
}

/// The sections read when none are given: the theme's names in every era
/// (`talk` until 2020, `event` since, `events` since 2025) and `talks`,
/// the tailwind-era starters' name and what people rename `event/` to.
pub const DEFAULT_SECTIONS: [&str; 4] = ["talk", "talks", "event", "events"];

/// The folders talkfeed writes outputs into beside a language's own files
/// (per-talk calendars, tags, sections, speakers): no language may be
/// named so, since each language's outputs go into a folder of its name.
pub const OUTPUT_FOLDERS: [&str; 4] = ["talks", "tags", "sections", "authors"];

/// A problem with the command line itself (exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    /// What is wrong.
    pub message: String,
}

impl UsageError {
    fn new(message: impl Into<String>) -> UsageError {
        UsageError { message: message.into() }
    }
}

/// Which pages are published, as Hugo's `shouldBuild` decides (with the
/// `-D`/`-F`/`-E` flags and `--clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishPolicy {
    /// Include drafts.
    pub drafts: bool,
    /// Include pages whose publish date is after `now` in the feeds.
    pub future: bool,
    /// Include pages whose expiry date is before `now`.
    pub expired: bool,
    /// The current time.
    pub now: DateTime<Utc>,
}

/// What differs between the outputs of the languages of a multilingual
/// site: each enabled language gets its own calendars and feeds, the
/// default language's at the root of the output folder, the others' in a
/// folder named after the language (`fr/`), as Hugo publishes the other
/// languages under `/fr/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// The language key, lower-cased (`fr`, `zh-hant`).
    pub lang: String,
    /// The folder of its outputs under the output folder: "" or `fr/`.
    pub dir: String,
    /// The language tag of the outputs (`languageCode`/`locale`, else the key).
    pub language_code: String,
    /// The language's name for people (`languageName`, else the key).
    pub language_name: String,
    /// The site's title in this language.
    pub site_title: Option<String>,
    /// Description of calendar and feeds, as plain text (it may be written
    /// in Markdown): `--description`, else the language's
    /// `params.description`, else the site's.
    pub description: Option<String>,
    /// Author of the feeds: `--author`, else the language's
    /// `params.author`, else the site's.
    pub author: Option<String>,
    /// The public URL of its output folder, with a trailing slash.
    pub publish_url: Option<Url>,
    /// The language's home page on the site (`/`, `/fr/`), as Hugo puts it.
    pub home_path: String,
    /// The zone of its times without an offset (and of an empty calendar).
    pub time_zone: Tz,
}

/// The outputs need the site's absolute URL, and none was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the calendar needs the site's absolute URL: pass --base-url https://your.site/ (or set base_url in talkfeed.toml, or baseURL in the Hugo config)"
)]
pub struct NoBaseUrl;

/// Everything a run needs to know, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site root (config files are read from here).
    pub site_dir: PathBuf,
    /// The content folder.
    pub content_dir: PathBuf,
    /// The sections that hold talks.
    pub sections: Vec<String>,
    /// Whether `sections` were named (by `--section` or `talkfeed.toml`);
    /// if not, talkfeed also looks for talks in other sections (see
    /// `load::detect`).
    pub sections_given: bool,
    /// The site's configured languages, disabled ones included (empty for a
    /// monolingual site without config).
    pub languages: Vec<Language>,
    /// `--language`: read and write only this language, at the root of the
    /// output folder.
    pub only_language: Option<String>,
    /// The zone for dates without offset.
    pub timezone: Tz,
    /// Zones of other languages that set their own `timeZone` in the Hugo
    /// config (only when no zone was given by flag or `talkfeed.toml`).
    pub language_timezones: Vec<(String, Tz)>,
    /// Where `build` writes.
    pub out_dir: PathBuf,
    /// The public URL of `out_dir`, with a trailing slash.
    pub publish_url: Option<Url>,
    /// Warnings count as errors.
    pub deny_warnings: bool,
    /// A talk page that cannot go into the calendars (no start date) is an
    /// error, not a warning.
    pub strict: bool,
    /// The theme's example talk is published like any talk.
    pub include_example: bool,
    /// The largest file read, in bytes.
    pub max_file_size: u64,
    /// How long a build waits for another run writing the same folder
    /// (`None`: the writer's default).
    pub lock_timeout: Option<std::time::Duration>,
    /// URL rules.
    pub urls: UrlConfig,
    /// The merged Hugo config (for `cascade` and the like).
    pub hugo: HugoConfig,
    /// What the outputs are made with.
    pub output: OutputOptions,
}

/// What the emitters read of the settings: how the outputs look, never
/// how the content is read.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// The absolute URL the site is published at, with a trailing slash.
    pub base_url: Option<Url>,
    /// Title of calendar and feeds, as given by flag or `talkfeed.toml`.
    pub title: Option<String>,
    /// The languages whose calendars and feeds can be written, default
    /// first: every enabled language, or only `--language`.
    pub editions: Vec<Edition>,
    /// Which pages are published.
    pub publish: PublishPolicy,
    /// The length of a timed talk whose page gives no end.
    pub default_duration: chrono::Duration,
    /// How often clients should fetch the calendar again.
    pub refresh: chrono::Duration,
    /// At most this many talks in the feeds (all when `None`).
    pub feed_limit: Option<usize>,
    /// Write a calendar and feeds for every tag.
    pub per_tag: bool,
    /// Write a calendar and feeds for every section.
    pub per_section: bool,
    /// Write a calendar and feeds for every speaker.
    pub per_author: bool,
}

impl OutputOptions {
    /// The site's absolute URL, which every output needs for its links.
    pub fn require_base_url(&self) -> Result<&Url, NoBaseUrl> {
        self.base_url.as_ref().ok_or(NoBaseUrl)
    }
}

impl Settings {
    /// Builds settings from the flags, reading `talkfeed.toml` and the
    /// Hugo config. Problems in config files are diagnostics (exit 1); bad
    /// flags are a [`UsageError`] (exit 2).
    pub fn from_flags(args: &Flags, diags: &mut Diagnostics) -> Result<Settings, UsageError> {
        Settings::resolve(args, std::env::var("SOURCE_DATE_EPOCH").ok(), Utc::now(), diags)
    }

    /// [`Settings::from_flags`] with the environment and clock passed in, for tests.
    pub fn resolve(
        args: &Flags,
        source_date_epoch: Option<String>,
        clock: DateTime<Utc>,
        diags: &mut Diagnostics,
    ) -> Result<Settings, UsageError> {
        let site_dir = match (&args.site, &args.content) {
            (Some(site), _) => site.clone(),
            (None, Some(content)) => parent_dir(content),
            (None, None) => PathBuf::from("."),
        };
        if !site_dir.is_dir() {
            return Err(UsageError::new(format!("the site folder {} does not exist", site_dir.display())));
        }
        let flag_limit = match &args.max_file_size {
            Some(text) => {
                Some(crate::files::parse_size(text).map_err(|m| UsageError::new(format!("--max-file-size: {m}")))?)
            }
            None => None,
        };
        let file = TalkfeedToml::load(&site_dir, flag_limit.unwrap_or(crate::files::DEFAULT_MAX_FILE_SIZE), diags);
        let max_file_size = match (flag_limit, &file.max_file_size) {
            (Some(l), _) => l,
            (None, Some(text)) => crate::files::parse_size(text).unwrap_or_else(|m| {
                diags.push(
                    Diagnostic::error(DiagKind::Config, format!("max_file_size: {m}"))
                        .at_path(crate::files::join(&site_dir, crate::config::TALKFEED_TOML))
                        .key("max_file_size"),
                );
                crate::files::DEFAULT_MAX_FILE_SIZE
            }),
            (None, None) => crate::files::DEFAULT_MAX_FILE_SIZE,
        };
        let hugo = HugoConfig::load(&site_dir, max_file_size, diags);

        let content_dir = match &args.content {
            Some(c) => c.clone(),
            None => {
                crate::files::join(&site_dir, &hugo.string("contentdir").unwrap_or_else(|| String::from("content")))
            }
        };
        if !content_dir.is_dir() {
            return Err(UsageError::new(format!(
                "the content folder {} does not exist (give the site with --site DIR or the content with --content DIR)",
                content_dir.display()
            )));
        }

        let (sections, sections_given) = if !args.sections.is_empty() {
            (args.sections.clone(), true)
        } else if let Some(s) = file.sections.clone().filter(|s| !s.is_empty()) {
            (s, true)
        } else {
            (DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect(), false)
        };
        if let Some(bad) = sections.iter().find(|s| s.is_empty() || s.contains(['/', '\\']) || *s == "." || *s == "..")
        {
            return Err(UsageError::new(format!(
                "invalid section name '{bad}': give a folder name under content/, like 'talk'"
            )));
        }

        let mut languages = hugo.languages();
        // A language's outputs go into a folder named after it.
        languages.retain(|l| {
            let tag = l.code.len() <= 35
                && l.code.starts_with(|c: char| c.is_ascii_alphanumeric())
                && l.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let reserved = OUTPUT_FOLDERS.contains(&l.code.as_str());
            if !tag || reserved {
                let why = if reserved {
                    format!("is the name of a folder of talkfeed's own outputs (`{}/`)", l.code)
                } else {
                    String::from("is not a language tag")
                };
                let mut d = Diagnostic::error(
                    DiagKind::Config,
                    format!("the language key `{}` {why}; its calendar would need a folder of that name", l.code),
                )
                .key(format!("languages.{}", l.code))
                .hint("name languages by their tag, such as `fr` or `zh-hant`");
                if let Some(f) = hugo.files.first() {
                    d = d.at_path(f);
                }
                diags.push(d);
            }
            tag
        });
        let default_language = hugo.default_language();
        let only_language = args.language.clone().or(file.language.clone()).map(|l| l.trim().to_lowercase());
        if let Some(language) = &only_language {
            let known: Vec<&str> = languages.iter().filter(|l| !l.disabled).map(|l| l.code.as_str()).collect();
            if languages.iter().any(|l| l.code == *language && l.disabled) {
                return Err(UsageError::new(format!(
                    "the site's language '{language}' is disabled in its config (it has: {})",
                    known.join(", ")
                )));
            }
            let is_known =
                if languages.is_empty() { *language == default_language } else { known.contains(&language.as_str()) };
            if !is_known {
                let known = if languages.is_empty() { default_language.clone() } else { known.join(", ") };
                return Err(UsageError::new(format!("the site has no language '{language}' (it has: {known})")));
            }
        }
        let language = only_language.clone().unwrap_or_else(|| default_language.clone());
        let lang_config = languages.iter().find(|l| l.code == language);

        let timezone = match (&args.timezone, &file.timezone) {
            (Some(tz), _) => parse_timezone(tz).map_err(|m| UsageError::new(format!("--timezone: {m}")))?,
            (None, Some(tz)) => config_timezone(
                tz,
                &crate::files::join(&site_dir, crate::config::TALKFEED_TOML),
                None,
                "timezone",
                diags,
            ),
            (None, None) => match (lang_config.and_then(|l| l.time_zone.clone()), hugo.string("timezone")) {
                (Some(tz), _) => hugo_timezone(&tz, &hugo, &format!("languages.{language}.timezone"), &site_dir, diags),
                (None, Some(tz)) => hugo_timezone(&tz, &hugo, "timezone", &site_dir, diags),
                (None, None) => Tz::UTC,
            },
        };

        let language_timezones = if args.timezone.is_none() && file.timezone.is_none() {
            languages
                .iter()
                .filter(|l| l.code != language)
                .filter_map(|l| {
                    let key = format!("languages.{}.timezone", l.code);
                    Some((l.code.clone(), hugo_timezone(l.time_zone.as_deref()?, &hugo, &key, &site_dir, diags)))
                })
                .collect()
        } else {
            Vec::new()
        };

        let base_url = match (&args.base_url, &file.base_url) {
            (Some(u), _) => Some(parse_base_url(u).map_err(|m| UsageError::new(format!("--base-url: {m}")))?),
            (None, Some(u)) => match parse_base_url(u) {
                Ok(u) => Some(u),
                Err(m) => {
                    diags.push(
                        Diagnostic::error(DiagKind::Config, format!("base_url: {m}"))
                            .at_path(crate::files::join(&site_dir, crate::config::TALKFEED_TOML))
                            .key("base_url"),
                    );
                    None
                }
            },
            (None, None) => match hugo.string("baseurl") {
                Some(u) => match parse_base_url(&u) {
                    Ok(u) => Some(u),
                    Err(m) => {
                        // Real configs say `/`, `''` or a host without a scheme:
                        // fine for Hugo's relative links, not for a feed.
                        let mut d = Diagnostic::warning(DiagKind::Config, format!("baseURL: {m}"))
                            .key("baseurl")
                            .hint("calendars and feeds need absolute links: pass --base-url https://your.site/ or set base_url in talkfeed.toml");
                        if let Some(f) = hugo.files.first() {
                            d = d.at_path(f);
                        }
                        diags.push(d);
                        None
                    }
                },
                None => None,
            },
        };

        let now = match (&args.now, source_date_epoch) {
            (Some(n), _) => DateTime::parse_from_rfc3339(n).map(|d| d.with_timezone(&Utc)).map_err(|e| {
                UsageError::new(format!("--now: '{n}' is not an RFC 3339 time ({e}); write e.g. 2026-01-31T12:00:00Z"))
            })?,
            (None, Some(epoch)) if !epoch.trim().is_empty() => {
                epoch.trim().parse::<i64>().ok().and_then(|s| DateTime::from_timestamp(s, 0)).ok_or_else(|| {
                    UsageError::new(format!("SOURCE_DATE_EPOCH: '{epoch}' is not a number of seconds"))
                })?
            }
            _ => clock,
        };

        let title = args.title.clone().or(file.title.clone());
        let publish_url = match args.publish_url.as_ref().or(file.publish_url.as_ref()) {
            Some(u) => Some(parse_base_url(u).map_err(|m| UsageError::new(format!("--publish-url: {m}")))?),
            None => base_url.clone(),
        };
        let duration = |flag: &Option<String>, file: &Option<String>, name: &str, default: i64| match flag
            .as_ref()
            .or(file.as_ref())
        {
            Some(text) => parse_duration(text).map_err(|m| UsageError::new(format!("--{name}: {m}"))),
            None => Ok(chrono::Duration::minutes(default)),
        };
        let default_duration = duration(&args.default_duration, &file.default_duration, "default-duration", 60)?;
        let refresh = duration(&args.refresh, &file.refresh, "refresh", 6 * 60)?;

        // Every section's rule: a section found to hold talks under
        // another name (`load::detect`) gets its own.
        let mut pattern_sections: Vec<String> =
            DEFAULT_SECTIONS.iter().map(|s| s.to_string()).chain(sections.iter().cloned()).collect();
        pattern_sections.extend(hugo.permalink_sections());
        let mut patterns: Vec<(String, String)> = Vec::new();
        for s in pattern_sections {
            let s = s.to_lowercase();
            if !patterns.iter().any(|(known, _)| *known == s)
                && let Some(p) = hugo.permalink_pattern(&s)
            {
                patterns.push((s, p));
            }
        }
        let read = |s: &str| DEFAULT_SECTIONS.contains(&s) || sections.iter().any(|r| r.eq_ignore_ascii_case(s));
        for (section, pattern) in patterns.iter().filter(|(s, _)| read(s)) {
            let dots = pattern.to_ascii_lowercase().replace("%2e", ".");
            if dots.split('/').any(|s| s == "." || s == "..") {
                let key = format!("permalinks.{section}");
                let (path, at) = match hugo.position_of(&key) {
                    Some((p, at)) => (p, Some(at)),
                    None => (hugo.files.first().cloned().unwrap_or_default(), None),
                };
                diags.push(
                    Diagnostic::warning(
                        DiagKind::Config,
                        format!("the permalink pattern `{pattern}` has `.` or `..` segments; talkfeed resolves them, never above the site's root"),
                    )
                    .at_path(path)
                    .at(at)
                    .key(key)
                    .hint("write the pattern without `..`, e.g. `/talks/:slug/`"),
                );
            }
        }
        let urls = UrlConfig {
            patterns,
            lowercase: !hugo.flag("disablepathtolower"),
            remove_accents: hugo.flag("removepathaccents"),
            ugly: hugo.flag("uglyurls"),
            // Hugo leaves disabled languages out of its language list.
            multilingual: languages.iter().filter(|l| !l.disabled).count() > 1,
            default_in_subdir: hugo.flag("defaultcontentlanguageinsubdir"),
            default_language,
            base_path: base_url.as_ref().map(|u| u.path().trim_end_matches('/').to_string()).unwrap_or_default(),
        };
        let editions = editions(&EditionInputs {
            hugo: &hugo,
            languages: &languages,
            only: only_language.as_deref(),
            description: args.description.clone().or(file.description.clone()),
            author: args.author.clone().or(file.author.clone()),
            publish_url: publish_url.as_ref(),
            urls: &urls,
            zone: &|lang: &str| language_timezones.iter().find(|(l, _)| l == lang).map_or(timezone, |(_, tz)| *tz),
        });

        let output = OutputOptions {
            base_url,
            title,
            editions,
            publish: PublishPolicy {
                drafts: args.drafts || hugo.flag("builddrafts"),
                future: args.future || hugo.flag("buildfuture"),
                expired: args.expired || hugo.flag("buildexpired"),
                now,
            },
            default_duration,
            refresh,
            feed_limit: args.feed_limit.or(file.feed_limit),
            per_tag: args.per_tag || file.per_tag.unwrap_or(false),
            per_section: args.per_section || file.per_section.unwrap_or(false),
            per_author: args.per_author || file.per_author.unwrap_or(false),
        };
        Ok(Settings {
            site_dir,
            content_dir,
            sections,
            sections_given,
            languages,
            only_language,
            timezone,
            language_timezones,
            out_dir: args.out.clone().unwrap_or_else(|| PathBuf::from("out")),
            publish_url,
            deny_warnings: args.deny_warnings,
            strict: args.strict || file.strict.unwrap_or(false),
            include_example: args.include_example || file.include_example.unwrap_or(false),
            max_file_size,
            lock_timeout: args.lock_timeout.map(std::time::Duration::from_secs),
            urls,
            hugo,
            output,
        })
    }
}

/// What [`editions`] needs.
struct EditionInputs<'a> {
    hugo: &'a HugoConfig,
    languages: &'a [Language],
    only: Option<&'a str>,
    description: Option<String>,
    author: Option<String>,
    publish_url: Option<&'a Url>,
    urls: &'a UrlConfig,
    zone: &'a dyn Fn(&str) -> Tz,
}

/// The editions of the site: the default language first, at the root of
/// the output folder, then every other enabled language in the site's
/// order, each in a folder of its name; with `--language`, only that one,
/// at the root. A language's keys fall back to the site's, as in Hugo,
/// except the language tag (a French edition is not `en-us`).
fn editions(i: &EditionInputs<'_>) -> Vec<Edition> {
    let default = &i.urls.default_language;
    let mut codes: Vec<&str> = i.languages.iter().filter(|l| !l.disabled).map(|l| l.code.as_str()).collect();
    if !codes.contains(&default.as_str()) {
        codes.insert(0, default);
    }
    codes.sort_by_key(|c| *c != default);
    if let Some(only) = i.only {
        codes.retain(|c| *c == only);
    }
    let site_author =
        || i.hugo.string("params.author").or_else(|| i.hugo.string("author.name")).or_else(|| i.hugo.string("author"));
    codes
        .into_iter()
        .map(|code| {
            let lang = i.languages.iter().find(|l| l.code == code);
            let is_default = code == default;
            let dir = if i.only.is_some() || is_default { String::new() } else { format!("{code}/") };
            let root_code = || i.hugo.string("languagecode").or_else(|| i.hugo.string("locale"));
            Edition {
                lang: code.to_string(),
                language_code: lang
                    .and_then(|l| l.language_code.clone())
                    .or_else(|| if is_default { root_code() } else { None })
                    .unwrap_or_else(|| code.to_string()),
                language_name: lang.and_then(|l| l.name.clone()).unwrap_or_else(|| code.to_string()),
                site_title: lang.and_then(|l| l.title.clone()).or_else(|| i.hugo.string("title")),
                description: i
                    .description
                    .clone()
                    .or_else(|| lang.and_then(|l| l.description.clone()))
                    .or_else(|| i.hugo.string("params.description"))
                    .map(|d| crate::markup::to_plain(&d)),
                author: i.author.clone().or_else(|| lang.and_then(|l| l.author.clone())).or_else(site_author),
                publish_url: i.publish_url.map(|u| u.join(&dir).unwrap_or_else(|_| u.clone())),
                home_path: crate::permalink::language_home(code, i.urls),
                time_zone: (i.zone)(code),
                dir,
            }
        })
        .collect()
}

impl Settings {
    /// The zone for dates without offset on pages in `lang`.
    pub fn timezone_for(&self, lang: &str) -> Tz {
        self.language_timezones.iter().find(|(l, _)| l == lang).map_or(self.timezone, |(_, tz)| *tz)
    }
}

fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn config_timezone(
    name: &str,
    file: &Path,
    position: Option<crate::diag::Position>,
    key: &str,
    diags: &mut Diagnostics,
) -> Tz {
    parse_timezone(name).unwrap_or_else(|m| {
        diags.push(
            Diagnostic::error(DiagKind::UnknownTimeZone, m)
                .at_path(file)
                .at(position)
                .key(key)
                .hint("use an IANA name such as Europe/Berlin or America/New_York"),
        );
        Tz::UTC
    })
}

/// Reads a time zone set in the Hugo config at the dotted `key`.
fn hugo_timezone(name: &str, hugo: &HugoConfig, key: &str, site_dir: &Path, diags: &mut Diagnostics) -> Tz {
    let (file, position) = match hugo.position_of(key) {
        Some((f, p)) => (f, Some(p)),
        None => (hugo.files.first().cloned().unwrap_or_else(|| site_dir.to_path_buf()), None),
    };
    config_timezone(name, &file, position, key, diags)
}

/// Parses an IANA time zone name; the error suggests the closest name.
pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    let name = name.trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    let lower = name.to_lowercase();
    let best = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| (strsim::levenshtein(&lower, &tz.name().to_lowercase()), tz.name()))
        .min();
    match best {
        Some((distance, suggestion)) if distance <= 3 => {
            Err(format!("unknown time zone '{name}' — did you mean {suggestion}?"))
        }
        _ => Err(format!("unknown time zone '{name}' (use an IANA name such as Europe/Berlin)")),
    }
}

/// Parses a duration written `1h`, `45m`, `1h30m` or as a number of
/// minutes; it must be at least one minute.
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let t = text.trim().to_ascii_lowercase();
    let invalid = || format!("'{text}' is not a duration; write e.g. 45m, 1h or 1h30m");
    let minutes: i64 = if let Ok(m) = t.parse::<i64>() {
        m
    } else {
        let (hours, rest) = match t.split_once('h') {
            Some((h, rest)) => (h.parse::<i64>().map_err(|_| invalid())?, rest),
            None => (0, t.as_str()),
        };
        let mins = match rest.strip_suffix('m') {
            Some(m) => m.parse::<i64>().map_err(|_| invalid())?,
            None if rest.is_empty() => 0,
            None => return Err(invalid()),
        };
        hours.checked_mul(60).and_then(|h| h.checked_add(mins)).ok_or_else(invalid)?
    };
    if !(1..=60 * 24 * 366).contains(&minutes) {
        return Err(format!("'{text}' must be between one minute and a year"));
    }
    Ok(chrono::Duration::minutes(minutes))
}

/// Parses an absolute http(s) base URL and makes sure it ends with a slash.
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    let text = text.trim();
    let url = Url::parse(text).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            format!("'{text}' is not an absolute URL (it needs a scheme and a host, like https://example.org/)")
        }
        e => format!("'{text}' is not a URL: {e}"),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("'{text}' is not an http(s) URL with a host"));
    }
    let mut url = url;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_typos_get_a_suggestion() {
        assert_eq!(parse_timezone("Europe/Berlin").unwrap(), chrono_tz::Europe::Berlin);
        assert_eq!(
            parse_timezone("Europe/Berln").unwrap_err(),
            "unknown time zone 'Europe/Berln' — did you mean Europe/Berlin?"
        );
        assert!(parse_timezone("Mars/Olympus_Mons_Base").unwrap_err().contains("IANA"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h").unwrap(), chrono::Duration::minutes(60));
        assert_eq!(parse_duration("45m").unwrap(), chrono::Duration::minutes(45));
        assert_eq!(parse_duration("1h30m").unwrap(), chrono::Duration::minutes(90));
        assert_eq!(parse_duration("90").unwrap(), chrono::Duration::minutes(90));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1d").is_err());
        assert!(parse_duration("-5m").is_err());
    }

    #[test]
    fn base_urls_must_be_absolute_and_get_a_trailing_slash() {
        assert_eq!(parse_base_url("https://example.org").unwrap().as_str(), "https://example.org/");
        assert_eq!(parse_base_url("https://example.org/blog").unwrap().as_str(), "https://example.org/blog/");
        assert!(parse_base_url("/").is_err());
        assert!(parse_base_url("www.example.org").is_err());
        assert!(parse_base_url("").is_err());
        assert!(parse_base_url("ftp://example.org/").is_err());
    }

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("content")).unwrap();
        d
    }

    fn args(site: &Path) -> Flags {
        Flags { site: Some(site.to_path_buf()), ..Flags::default() }
    }

    #[test]
    fn precedence_is_flag_then_talkfeed_toml_then_hugo() {
        let d = site();
        std::fs::write(
            d.path().join("hugo.toml"),
            "title = \"Hugo\"\ntimeZone = \"Europe/Paris\"\nbaseURL = \"https://hugo.example/\"\n",
        )
        .unwrap();
        std::fs::write(d.path().join("talkfeed.toml"), "title = \"File\"\n").unwrap();
        let mut diags = Diagnostics::new();
        let mut a = args(d.path());
        let s = Settings::resolve(&a, None, Utc::now(), &mut diags).unwrap();
        assert_eq!(s.output.title.as_deref(), Some("File"));
        assert_eq!(s.output.editions[0].site_title.as_deref(), Some("Hugo"));
        assert_eq!(s.timezone, chrono_tz::Europe::Paris);
        assert_eq!(s.output.base_url.as_ref().unwrap().as_str(), "https://hugo.example/");
        a.title = Some("Flag".into());
        a.timezone = Some("UTC".into());
        let s = Settings::resolve(&a, None, Utc::now(), &mut diags).unwrap();
        assert_eq!(s.output.title.as_deref(), Some("Flag"));
        assert_eq!(s.timezone, Tz::UTC);
        assert!(diags.is_empty());
    }

    #[test]
    fn a_base_url_sub_path_prefixes_every_page_path() {
        let d = site();
        std::fs::write(d.path().join("hugo.toml"), "baseURL = 'https://example.org/blog/'\nlanguageCode = 'en-gb'\n")
            .unwrap();
        let s = Settings::resolve(&args(d.path()), None, Utc::now(), &mut Diagnostics::new()).unwrap();
        assert_eq!(s.urls.base_path, "/blog");
        assert_eq!(s.output.editions[0].language_code, "en-gb");
    }

    #[test]
    fn unusable_hugo_base_url_is_a_warning_and_a_bad_flag_a_usage_error() {
        let d = site();
        std::fs::write(d.path().join("config.toml"), "baseURL = \"/\"\n").unwrap();
        let mut diags = Diagnostics::new();
        let s = Settings::resolve(&args(d.path()), None, Utc::now(), &mut diags).unwrap();
        assert!(s.output.base_url.is_none());
        assert_eq!(diags.warnings(), 1);
        let mut a = args(d.path());
        a.base_url = Some("example.org".into());
        assert!(Settings::resolve(&a, None, Utc::now(), &mut diags).is_err());
    }

    #[test]
    fn now_comes_from_the_flag_then_source_date_epoch() {
        let d = site();
        let mut diags = Diagnostics::new();
        let s = Settings::resolve(&args(d.path()), Some("86400".into()), Utc::now(), &mut diags).unwrap();
        assert_eq!(s.output.publish.now.to_rfc3339(), "1970-01-02T00:00:00+00:00");
        let mut a = args(d.path());
        a.now = Some("2026-01-31T12:00:00+01:00".into());
        let s = Settings::resolve(&a, Some("86400".into()), Utc::now(), &mut diags).unwrap();
        assert_eq!(s.output.publish.now.to_rfc3339(), "2026-01-31T11:00:00+00:00");
        a.now = Some("yesterday".into());
        assert!(Settings::resolve(&a, None, Utc::now(), &mut diags).is_err());
    }

    #[test]
    fn content_flag_makes_its_parent_the_site() {
        let d = site();
        std::fs::write(d.path().join("hugo.toml"), "title = \"T\"\n").unwrap();
        let a = Flags { content: Some(d.path().join("content")), ..Flags::default() };
        let s = Settings::resolve(&a, None, Utc::now(), &mut Diagnostics::new()).unwrap();
        assert_eq!(s.site_dir, d.path());
        assert_eq!(s.output.editions[0].site_title.as_deref(), Some("T"));
    }

    #[test]
    fn languages_may_have_their_own_zone_unless_one_is_given() {
        let d = site();
        std::fs::write(
            d.path().join("hugo.toml"),
            "timeZone = 'Europe/Paris'\n[languages.en]\n[languages.ja]\ntimeZone = 'Asia/Tokyo'\n",
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let s = Settings::resolve(&args(d.path()), None, Utc::now(), &mut diags).unwrap();
        assert_eq!(s.timezone_for("en"), chrono_tz::Europe::Paris);
        assert_eq!(s.timezone_for("ja"), chrono_tz::Asia::Tokyo);
        let mut a = args(d.path());
        a.timezone = Some("UTC".into());
        let s = Settings::resolve(&a, None, Utc::now(), &mut diags).unwrap();
        assert_eq!(s.timezone_for("ja"), Tz::UTC);
        assert!(diags.is_empty());
    }

    #[test]
    fn unknown_language_is_a_usage_error() {
        let d = site();
        std::fs::write(d.path().join("hugo.toml"), "[languages.en]\n[languages.fr]\n").unwrap();
        let mut a = args(d.path());
        a.language = Some("de".into());
        let e = Settings::resolve(&a, None, Utc::now(), &mut Diagnostics::new()).unwrap_err();
        assert_eq!(e.message, "the site has no language 'de' (it has: en, fr)");
    }
}
