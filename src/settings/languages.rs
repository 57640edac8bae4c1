//! The site's languages: which exist (the Hugo config's, each a valid key),
//! which one `--language` reads, and the edition each gets.

use url::Url;

use super::{Flags, OUTPUT_FOLDERS, UsageError};
use crate::config::{HugoConfig, Language, TalkfeedToml};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::emit::Edition;
use crate::model::Zones;
use crate::permalink::UrlConfig;

/// The site's languages.
pub(super) struct Languages {
    /// Every configured language, disabled ones included (empty for a
    /// monolingual site without config).
    pub(super) all: Vec<Language>,
    /// `--language`: read and write only this one.
    pub(super) only: Option<String>,
    /// The language read when no `--language` is given: the default.
    pub(super) read: String,
}

/// The languages of the Hugo config, each key a language tag that names no
/// folder of talkfeed's own outputs, and the one `--language` asks for.
pub(super) fn resolve(
    hugo: &HugoConfig,
    args: &Flags,
    file: &TalkfeedToml,
    diags: &mut Diagnostics,
) -> Result<Languages, UsageError> {
    let mut all = hugo.languages();
    // A language's outputs go into a folder named after it.
    all.retain(|l| {
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
    let default = hugo.default_language();
    let only = args.language.clone().or(file.language.clone()).map(|l| l.trim().to_lowercase());
    if let Some(language) = &only {
        check_known(language, &all, &default)?;
    }
    let read = only.clone().unwrap_or(default);
    Ok(Languages { all, only, read })
}

/// `--language` must name an enabled language of the site.
fn check_known(language: &str, all: &[Language], default: &str) -> Result<(), UsageError> {
    let known: Vec<&str> = all.iter().filter(|l| !l.disabled).map(|l| l.code.as_str()).collect();
    if all.iter().any(|l| l.code == language && l.disabled) {
        return Err(UsageError::new(format!(
            "the site's language '{language}' is disabled in its config (it has: {})",
            known.join(", ")
        )));
    }
    let is_known = if all.is_empty() { language == default } else { known.contains(&language) };
    if !is_known {
        let known = if all.is_empty() { default.to_string() } else { known.join(", ") };
        return Err(UsageError::new(format!("the site has no language '{language}' (it has: {known})")));
    }
    Ok(())
}

/// What [`editions`] needs.
pub(super) struct EditionInputs<'a> {
    pub(super) hugo: &'a HugoConfig,
    pub(super) languages: &'a Languages,
    pub(super) description: Option<String>,
    pub(super) author: Option<String>,
    pub(super) publish_url: Option<&'a Url>,
    pub(super) urls: &'a UrlConfig,
    pub(super) zones: &'a Zones,
}

/// The editions of the site: the default language first, at the root of
/// the output folder, then every other enabled language in the site's
/// order, each in a folder of its name; with `--language`, only that one,
/// at the root. A language's keys fall back to the site's, as in Hugo,
/// except the language tag (a French edition is not `en-us`).
pub(super) fn editions(i: &EditionInputs<'_>) -> Vec<Edition> {
    let default = &i.urls.default_language;
    let only = i.languages.only.as_deref();
    let mut codes: Vec<&str> = i.languages.all.iter().filter(|l| !l.disabled).map(|l| l.code.as_str()).collect();
    if !codes.contains(&default.as_str()) {
        codes.insert(0, default);
    }
    codes.sort_by_key(|c| *c != default);
    if let Some(only) = only {
        codes.retain(|c| *c == only);
    }
    codes
        .into_iter()
        .map(|code| {
            let dir = if only.is_some() || code == default { String::new() } else { format!("{code}/") };
            edition(i, code, dir)
        })
        .collect()
}

/// The edition of the language `code`, written in the folder `dir`.
fn edition(i: &EditionInputs<'_>, code: &str, dir: String) -> Edition {
    let lang = i.languages.all.iter().find(|l| l.code == code);
    let is_default = code == i.urls.default_language;
    let root_code = || i.hugo.string("languagecode").or_else(|| i.hugo.string("locale"));
    let site_author =
        || i.hugo.string("params.author").or_else(|| i.hugo.string("author.name")).or_else(|| i.hugo.string("author"));
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
        time_zone: i.zones.for_lang(code),
        dir,
    }
}
