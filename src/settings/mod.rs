//! Settings: the command line, `talkfeed.toml` and the Hugo config, merged
//! once into validated values. Precedence: flag > `talkfeed.toml` > Hugo
//! config > default.
//!
//! Each value is resolved by a step of its own, in the order they depend
//! on each other: the paths and config files ([`paths`]), the sections, the
//! languages ([`languages`]), the time zones ([`zones`]), the URLs
//! ([`urls`]), the clock and durations ([`clock`]). Each stage owns the
//! options it reads, defined beside it: what discovery searches
//! ([`crate::discover::Scope`]), how pages are read
//! ([`crate::normalize::Rules`]), the permalink rules
//! ([`crate::permalink::UrlConfig`]), what the outputs look like
//! ([`crate::emit::Options`], with the publishing policy of
//! [`crate::publish`]). Only the commands see the whole [`Settings`].

mod clock;
mod flags;
mod frontmatter;
mod languages;
mod paths;
mod urls;
mod zones;

use std::path::PathBuf;

use chrono::{DateTime, Utc};

pub use clock::parse_duration;
pub use flags::Flags;
pub use urls::parse_base_url;

use crate::config::HugoConfig;
use crate::diag::Diagnostics;
use crate::discover::Scope;
use crate::normalize::Rules;
use crate::permalink::UrlConfig;
use crate::publish::PublishPolicy;

/// The sections read when none are given: the theme's names in every era
/// (`talk` until 2020, `event` since, `events` since 2025) and `talks`,
/// the tailwind-era starters' name and what people rename `event/` to.
pub const DEFAULT_SECTIONS: [&str; 4] = ["talk", "talks", "event", "events"];

pub use crate::emit::formats::OUTPUT_FOLDERS;

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

/// Everything a run needs to know, validated: the options of each stage,
/// and what the commands themselves use.
#[derive(Debug, Clone)]
pub struct Settings {
    /// What discovery searches.
    pub scope: Scope,
    /// How pages are read.
    pub rules: Rules,
    /// How permalinks are made.
    pub urls: UrlConfig,
    /// What the outputs look like.
    pub emit: crate::emit::Options,
    /// The merged Hugo config (its `cascade`, its files for `serve --watch`).
    pub hugo: HugoConfig,
    /// Where `build` writes.
    pub out_dir: PathBuf,
    /// How long a build waits for another run writing the same folder
    /// (`None`: the writer's default).
    pub lock_timeout: Option<std::time::Duration>,
    /// Warnings count as errors.
    pub deny_warnings: bool,
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
        let paths = paths::resolve(args, diags)?;
        let file = &paths.talkfeed_toml;
        let (sections, sections_given) = sections(args, file)?;
        let languages = languages::resolve(&paths.hugo, args, file, diags)?;
        let zones = zones::resolve(args, file, &paths, &languages, diags)?;
        let (base_url, publish_url) = urls::base_and_publish(args, file, &paths, diags)?;
        let urls = urls::url_config(&paths.hugo, &sections, base_url.as_ref(), &languages, diags);
        let now = clock::now(args, source_date_epoch, clock)?;
        let (default_duration, refresh) = clock::durations(args, file)?;
        let publish = PublishPolicy {
            drafts: args.drafts || paths.hugo.flag("builddrafts"),
            future: args.future || paths.hugo.flag("buildfuture"),
            expired: args.expired || paths.hugo.flag("buildexpired"),
            now,
        };
        let editions = languages::editions(&languages::EditionInputs {
            hugo: &paths.hugo,
            languages: &languages,
            description: args.description.clone().or(file.description.clone()),
            author: args.author.clone().or(file.author.clone()),
            publish_url: publish_url.as_ref(),
            urls: &urls,
            zones: &zones,
        });
        let emit = crate::emit::Options {
            base_url,
            title: args.title.clone().or(file.title.clone()),
            editions,
            publish,
            default_duration,
            refresh,
            alarms: clock::alarms(args, file)?,
            feed_limit: args.feed_limit.or(file.feed_limit),
            per_tag: args.per_tag || file.per_tag.unwrap_or(false),
            per_section: args.per_section || file.per_section.unwrap_or(false),
            per_author: args.per_author || file.per_author.unwrap_or(false),
            schedules: args.schedules || file.schedules.unwrap_or(false),
        };
        let rules = Rules {
            zones,
            strict: args.strict || file.strict.unwrap_or(false),
            include_example: args.include_example || file.include_example.unwrap_or(false),
            default_duration,
            publish,
            dates: frontmatter::date_rules(&paths.hugo, diags),
        };
        let scope = Scope {
            site_dir: paths.site_dir,
            content_dir: paths.content_dir,
            sections,
            sections_given,
            languages: languages.all,
            only_language: languages.only,
            default_language: urls.default_language.clone(),
            max_file_size: paths.max_file_size,
        };
        Ok(Settings {
            scope,
            rules,
            urls,
            emit,
            hugo: paths.hugo,
            out_dir: args.out.clone().unwrap_or_else(|| PathBuf::from("out")),
            lock_timeout: args.lock_timeout.map(std::time::Duration::from_secs),
            deny_warnings: args.deny_warnings,
        })
    }
}

impl Settings {
    /// What making the views of the talks reads of these settings.
    pub fn view_inputs(&self) -> crate::view::Inputs<'_> {
        crate::view::Inputs {
            urls: &self.urls,
            base_url: self.emit.base_url.as_ref(),
            publish: self.emit.publish,
            default_duration: self.emit.default_duration,
            owners: self
                .emit
                .editions
                .iter()
                .map(|e| (e.lang.as_str(), e.author.as_deref().or(e.site_title.as_deref())))
                .collect(),
        }
    }

    /// What loading the site reads of these settings.
    pub fn inputs(&self) -> crate::load::Inputs<'_> {
        crate::load::Inputs {
            scope: &self.scope,
            rules: &self.rules,
            urls: &self.urls,
            hugo: &self.hugo,
            base_url: self.emit.base_url.as_ref(),
            languages: self.emit.editions.iter().map(|e| e.lang.as_str()).collect(),
        }
    }
}

/// The talk sections: named by flag or `talkfeed.toml` (then only they are
/// read), else the defaults; and whether they were named.
fn sections(args: &Flags, file: &crate::config::TalkfeedToml) -> Result<(Vec<String>, bool), UsageError> {
    let (sections, given) = if !args.sections.is_empty() {
        (args.sections.clone(), true)
    } else if let Some(s) = file.sections.clone().filter(|s| !s.is_empty()) {
        (s, true)
    } else {
        (DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect(), false)
    };
    if let Some(bad) = sections.iter().find(|s| s.is_empty() || s.contains(['/', '\\']) || *s == "." || *s == "..") {
        return Err(UsageError::new(format!(
            "invalid section name '{bad}': give a folder name under content/, like 'talk'"
        )));
    }
    Ok((sections, given))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

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
        assert_eq!(s.emit.title.as_deref(), Some("File"));
        assert_eq!(s.emit.editions[0].site_title.as_deref(), Some("Hugo"));
        assert_eq!(s.rules.zones.site, chrono_tz::Europe::Paris);
        assert_eq!(s.emit.base_url.as_ref().unwrap().as_str(), "https://hugo.example/");
        a.title = Some("Flag".into());
        a.timezone = Some("UTC".into());
        let s = Settings::resolve(&a, None, Utc::now(), &mut diags).unwrap();
        assert_eq!(s.emit.title.as_deref(), Some("Flag"));
        assert_eq!(s.rules.zones.site, chrono_tz::Tz::UTC);
        assert!(diags.is_empty());
    }

    #[test]
    fn a_base_url_sub_path_prefixes_every_page_path() {
        let d = site();
        std::fs::write(d.path().join("hugo.toml"), "baseURL = 'https://example.org/blog/'\nlanguageCode = 'en-gb'\n")
            .unwrap();
        let s = Settings::resolve(&args(d.path()), None, Utc::now(), &mut Diagnostics::new()).unwrap();
        assert_eq!(s.urls.base_path, "/blog");
        assert_eq!(s.emit.editions[0].language_code, "en-gb");
    }

    #[test]
    fn unusable_hugo_base_url_is_a_warning_and_a_bad_flag_a_usage_error() {
        let d = site();
        std::fs::write(d.path().join("config.toml"), "baseURL = \"/\"\n").unwrap();
        let mut diags = Diagnostics::new();
        let s = Settings::resolve(&args(d.path()), None, Utc::now(), &mut diags).unwrap();
        assert!(s.emit.base_url.is_none());
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
        assert_eq!(s.emit.publish.now.to_rfc3339(), "1970-01-02T00:00:00+00:00");
        let mut a = args(d.path());
        a.now = Some("2026-01-31T12:00:00+01:00".into());
        let s = Settings::resolve(&a, Some("86400".into()), Utc::now(), &mut diags).unwrap();
        assert_eq!(s.emit.publish.now.to_rfc3339(), "2026-01-31T11:00:00+00:00");
        a.now = Some("yesterday".into());
        assert!(Settings::resolve(&a, None, Utc::now(), &mut diags).is_err());
    }

    #[test]
    fn content_flag_makes_its_parent_the_site() {
        let d = site();
        std::fs::write(d.path().join("hugo.toml"), "title = \"T\"\n").unwrap();
        let a = Flags { content: Some(d.path().join("content")), ..Flags::default() };
        let s = Settings::resolve(&a, None, Utc::now(), &mut Diagnostics::new()).unwrap();
        assert_eq!(s.scope.site_dir, d.path());
        assert_eq!(s.emit.editions[0].site_title.as_deref(), Some("T"));
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
        assert_eq!(s.rules.zones.for_lang("en"), chrono_tz::Europe::Paris);
        assert_eq!(s.rules.zones.for_lang("ja"), chrono_tz::Asia::Tokyo);
        let mut a = args(d.path());
        a.timezone = Some("UTC".into());
        let s = Settings::resolve(&a, None, Utc::now(), &mut diags).unwrap();
        assert_eq!(s.rules.zones.for_lang("ja"), chrono_tz::Tz::UTC);
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
