//! The URLs: the site's base URL (flag, `talkfeed.toml`, Hugo's
//! `baseURL`), the public URL of the output folder, and the permalink rules.

use url::Url;

use super::paths::Paths;
use super::{DEFAULT_SECTIONS, Flags, UsageError};
use crate::config::{HugoConfig, Language};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::permalink::UrlConfig;

/// The site's absolute URL, and the output folder's public URL (the base
/// URL unless `--publish-url` says otherwise).
pub(super) fn base_and_publish(
    args: &Flags,
    file: &crate::config::TalkfeedToml,
    paths: &Paths,
    diags: &mut Diagnostics,
) -> Result<(Option<Url>, Option<Url>), UsageError> {
    let base_url = match (&args.base_url, &file.base_url) {
        (Some(u), _) => Some(parse_base_url(u).map_err(|m| UsageError::new(format!("--base-url: {m}")))?),
        (None, Some(u)) => parse_base_url(u)
            .map_err(|m| {
                diags.push(
                    Diagnostic::error(DiagKind::Config, format!("base_url: {m}"))
                        .at_path(paths.talkfeed_toml_path())
                        .key("base_url"),
                )
            })
            .ok(),
        (None, None) => paths.hugo.string("baseurl").and_then(|u| hugo_base_url(&u, &paths.hugo, diags)),
    };
    let publish_url = match args.publish_url.as_ref().or(file.publish_url.as_ref()) {
        Some(u) => Some(parse_base_url(u).map_err(|m| UsageError::new(format!("--publish-url: {m}")))?),
        None => base_url.clone(),
    };
    Ok((base_url, publish_url))
}

/// Hugo's `baseURL`, if it is absolute. Real configs say `/`, `''` or a
/// host without a scheme: fine for Hugo's relative links, not for a feed.
fn hugo_base_url(u: &str, hugo: &HugoConfig, diags: &mut Diagnostics) -> Option<Url> {
    match parse_base_url(u) {
        Ok(u) => Some(u),
        Err(m) => {
            let mut d = Diagnostic::warning(DiagKind::Config, format!("baseURL: {m}")).key("baseurl").hint(
                "calendars and feeds need absolute links: pass --base-url https://your.site/ or set base_url in talkfeed.toml",
            );
            if let Some(f) = hugo.files.first() {
                d = d.at_path(f);
            }
            diags.push(d);
            None
        }
    }
}

/// The permalink rules, from the Hugo config: every section's `[permalinks]`
/// pattern (a section found to hold talks under another name, by
/// `load::detect`, gets its own), with a warning for `.` and `..` in the
/// patterns of the sections read.
pub(super) fn url_config(
    hugo: &HugoConfig,
    sections: &[String],
    base_url: Option<&Url>,
    languages: &super::languages::Languages,
    diags: &mut Diagnostics,
) -> UrlConfig {
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
        dots_in_pattern(hugo, section, pattern, diags);
    }
    UrlConfig {
        patterns,
        lowercase: !hugo.flag("disablepathtolower"),
        remove_accents: hugo.flag("removepathaccents"),
        ugly: hugo.flag("uglyurls"),
        // Hugo leaves disabled languages out of its language list.
        multilingual: languages.all.iter().filter(|l: &&Language| !l.disabled).count() > 1,
        default_in_subdir: hugo.flag("defaultcontentlanguageinsubdir"),
        default_language: hugo.default_language(),
        base_path: base_url.map(|u| u.path().trim_end_matches('/').to_string()).unwrap_or_default(),
    }
}

/// A warning for `.` or `..` segments in `section`'s pattern.
fn dots_in_pattern(hugo: &HugoConfig, section: &str, pattern: &str, diags: &mut Diagnostics) {
    let dots = pattern.to_ascii_lowercase().replace("%2e", ".");
    if !dots.split('/').any(|s| s == "." || s == "..") {
        return;
    }
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
    fn base_urls_must_be_absolute_and_get_a_trailing_slash() {
        assert_eq!(parse_base_url("https://example.org").unwrap().as_str(), "https://example.org/");
        assert_eq!(parse_base_url("https://example.org/blog").unwrap().as_str(), "https://example.org/blog/");
        assert!(parse_base_url("/").is_err());
        assert!(parse_base_url("www.example.org").is_err());
        assert!(parse_base_url("").is_err());
        assert!(parse_base_url("ftp://example.org/").is_err());
    }
}
