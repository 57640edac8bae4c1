//! Permalinks as Hugo builds them (Hugo's `resources/page/permalinks.go`,
//! `common/paths/path.go` `Sanitize`, and the URL management docs; what
//! users see is in docs/content.md, "Permalinks"), so that every link
//! talkfeed writes resolves to the page Hugo published.
//!
//! A page's path mirrors its content path (`talk/x/index.md` → `/talk/x/`);
//! `slug` replaces the last segment; `url` replaces the whole path; a
//! `[permalinks]` pattern for the section (`/talk/:slug/`) replaces both,
//! where `:slug` is the slug or else the title. Paths are sanitised as Hugo's
//! `UnicodeSanitize` does, lower-cased unless `disablePathToLower`, given a
//! `/lang/` prefix on multilingual sites, and percent-encoded.

use chrono::{DateTime, Datelike, FixedOffset};

/// How Hugo turns content paths into URLs on this site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlConfig {
    /// `[permalinks]` patterns by top-level section (lower-cased).
    pub patterns: Vec<(String, String)>,
    /// Lower-case paths (unless `disablePathToLower`).
    pub lowercase: bool,
    /// `removePathAccents`.
    pub remove_accents: bool,
    /// `uglyURLs`: `/talk/x.html` instead of `/talk/x/`.
    pub ugly: bool,
    /// More than one language is configured: non-default languages get a `/lang/` prefix.
    pub multilingual: bool,
    /// `defaultContentLanguageInSubdir`: the default language gets one too.
    pub default_in_subdir: bool,
    /// The site's default content language.
    pub default_language: String,
    /// The path of the base URL without its trailing slash (`/blog` for
    /// `https://example.org/blog/`, else empty): Hugo puts it in front of
    /// every page path.
    pub base_path: String,
}

/// What a page's permalink depends on.
#[derive(Debug, Clone, Copy)]
pub struct PageUrl<'a> {
    /// Relative to the language's content folder (`talk/x/index.md`).
    pub content_path: &'a str,
    /// The page's language.
    pub lang: &'a str,
    /// A leaf bundle (`…/index.md`) rather than a single file.
    pub is_bundle: bool,
    /// The page's section: the deepest folder above it that is the
    /// top-level section or has an `_index.md` (`talk`, `talk/2019`).
    pub branch: &'a str,
    /// `slug`.
    pub slug: Option<&'a str>,
    /// `url`.
    pub url: Option<&'a str>,
    /// `title`.
    pub title: &'a str,
    /// Hugo's `.Date` (for `:year`, `:month`, … in patterns).
    pub date: Option<DateTime<FixedOffset>>,
}

/// The page's path on the site (`/talk/x/`), percent-encoded, without the base URL.
pub fn page_permalink(page: &PageUrl<'_>, urls: &UrlConfig) -> String {
    let segments: Vec<&str> = page.content_path.split('/').collect();
    let (dirs, file) = segments.split_at(segments.len().saturating_sub(1));
    let file = file.first().copied().unwrap_or("");
    // The page's own name: the bundle folder, or the file name without
    // extension and language suffix.
    let (parents, base_name) = if page.is_bundle && !dirs.is_empty() {
        (&dirs[..dirs.len() - 1], dirs[dirs.len() - 1])
    } else {
        // `v1.2-release.md` → `v1.2-release`; `lyon.fr.md` → `lyon`.
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let stem = stem.strip_suffix(&format!(".{}", page.lang)).unwrap_or(stem);
        (dirs, stem)
    };
    let section = segments.first().copied().unwrap_or("");

    let prefix = language_prefix(page.lang, urls);

    let path = if let Some(url) = page.url.map(str::trim).filter(|u| !u.is_empty()) {
        // `url` is taken as written. In a multilingual site a relative `url`
        // is relative to the language prefix, an absolute one is not.
        if url.starts_with('/') {
            return escape(&collapse_slashes(&format!("{}{url}", urls.base_path)));
        }
        format!("/{url}")
    } else if let Some(pattern) = urls.patterns.iter().find(|(s, _)| s.eq_ignore_ascii_case(section)).map(|(_, p)| p) {
        let expanded = expand(pattern, page, base_name, urls);
        let mut p = format!("/{}", expanded.trim_start_matches('/'));
        if !p.ends_with('/') && !urls.ugly {
            p.push('/');
        }
        p
    } else {
        let mut parts: Vec<String> = parents.iter().map(|s| sanitize(s, urls)).collect();
        // A slug with nothing a path can hold (`slug: 🎉`) leaves the name.
        let name = page
            .slug
            .map(|s| sanitize(s.trim().trim_matches('-'), urls))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| sanitize(base_name, urls));
        parts.push(name);
        let mut p = format!("/{}", parts.join("/"));
        if urls.ugly {
            p.push_str(".html");
        } else {
            p.push('/');
        }
        p
    };
    escape(&collapse_slashes(&format!("{prefix}{path}")))
}

/// What Hugo puts in front of every path of a language: the base URL's
/// path, then `/fr` for a language other than the default on a multilingual
/// site (and for the default too with `defaultContentLanguageInSubdir`).
fn language_prefix(lang: &str, urls: &UrlConfig) -> String {
    if urls.multilingual && (lang != urls.default_language || urls.default_in_subdir) {
        format!("{}/{}", urls.base_path, lang.to_lowercase())
    } else {
        urls.base_path.clone()
    }
}

/// The home page of a language on the site: `/`, `/fr/` (`/blog/fr/` under
/// a base URL with a path).
pub fn language_home(lang: &str, urls: &UrlConfig) -> String {
    escape(&format!("{}/", language_prefix(lang, urls)))
}

/// `//x//y/` → `/x/y/`: a path that starts with two slashes would name
/// another host when joined onto a URL.
/// Also resolves `.` and `..` segments, as a browser would, never above
/// the root: a `[permalinks]` pattern `/../../:slug/` gives `/x/`, not a
/// path with `..` in every link.
fn collapse_slashes(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase().replace("%2e", ".");
    let trailing = path.ends_with('/') || last == "." || last == "..";
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        // `%2e` is a dot to a browser resolving the path.
        let dots = segment.to_ascii_lowercase().replace("%2e", ".");
        match dots.as_str() {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len());
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if trailing || segments.is_empty() {
        out.push('/');
    }
    out
}

/// A section's list path (`/talk/`, or `/en/event/` on a multilingual site).
pub fn list_permalink(dir: &str, lang: &str, urls: &UrlConfig) -> String {
    let prefix = language_prefix(lang, urls);
    let parts: Vec<String> = dir.split('/').filter(|s| !s.is_empty()).map(|s| sanitize(s, urls)).collect();
    escape(&format!("{prefix}/{}/", parts.join("/")))
}

/// A taxonomy term's page path (`/tags/machine-learning/`): the term
/// sanitised as Hugo names term pages, or the taxonomy's `[permalinks]`
/// pattern with `:slug` and `:title` standing for it.
pub fn term_permalink(taxonomy: &str, term: &str, lang: &str, urls: &UrlConfig) -> String {
    let prefix = language_prefix(lang, urls);
    let slug = sanitize(term, urls);
    let path = match urls.patterns.iter().find(|(s, _)| s.eq_ignore_ascii_case(taxonomy)) {
        Some((_, pattern)) => {
            let p = pattern.replace(":slug", &slug).replace(":title", &slug);
            format!("/{}/", p.trim_matches('/'))
        }
        None => format!("/{}/{slug}/", sanitize(taxonomy, urls)),
    };
    escape(&collapse_slashes(&format!("{prefix}{path}")))
}

/// Expands the tokens of a `[permalinks]` pattern.
fn expand(pattern: &str, page: &PageUrl<'_>, base_name: &str, urls: &UrlConfig) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '[' || c == ']'))
            .unwrap_or(after.len());
        let token = &after[..len];
        let slug = page.slug.map(|s| s.trim().trim_matches('-')).filter(|s| !s.is_empty());
        let date = page.date;
        let value = match token {
            "year" => date.map(|d| format!("{:04}", d.year())),
            "month" => date.map(|d| format!("{:02}", d.month())),
            "monthname" => date.map(|d| month_name(d.month()).to_string()),
            "day" => date.map(|d| format!("{:02}", d.day())),
            "weekday" => date.map(|d| d.weekday().num_days_from_sunday().to_string()),
            "weekdayname" => date.map(|d| d.weekday().to_string()),
            "yearday" => date.map(|d| d.ordinal().to_string()),
            "section" => page.branch.split('/').next().map(String::from),
            "sections" => Some(page.branch.to_string()),
            "title" => Some(urlize(page.title, urls)),
            "slug" => Some(urlize(slug.unwrap_or(page.title), urls)),
            "filename" | "contentbasename" => Some(urlize(base_name, urls)),
            "slugorfilename" | "slugorcontentbasename" => Some(urlize(slug.unwrap_or(base_name), urls)),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&v),
            None => {
                out.push(':');
                out.push_str(token);
            }
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    if urls.lowercase { out.to_lowercase() } else { out }
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// Hugo's `urlize`: sanitise and lower-case (unless `disablePathToLower`).
pub fn urlize(text: &str, urls: &UrlConfig) -> String {
    sanitize(text, urls)
}

/// Hugo's `MakePathSanitized`: keep letters, digits, marks, `. / \ _ # + ~ - @`
/// and valid `%XX` escapes; a run of whitespace becomes one `-`; drop the rest;
/// then lower-case unless `disablePathToLower`.
pub fn sanitize(text: &str, urls: &UrlConfig) -> String {
    let text = if urls.remove_accents { remove_accents(text) } else { text.to_string() };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut prepend_hyphen = false;
    let mut was_hyphen = false;
    for (i, &c) in chars.iter().enumerate() {
        let allowed = matches!(c, '.' | '/' | '\\' | '_' | '#' | '+' | '~' | '-' | '@')
            || c.is_alphanumeric()
            || is_mark(c)
            || (c == '%'
                && chars.get(i + 1).is_some_and(char::is_ascii_hexdigit)
                && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit));
        if allowed {
            was_hyphen = c == '-';
            if prepend_hyphen {
                if !was_hyphen {
                    out.push('-');
                }
                prepend_hyphen = false;
            }
            out.push(c);
        } else if !out.is_empty() && !was_hyphen && c.is_whitespace() {
            prepend_hyphen = true;
        }
    }
    if urls.lowercase { out.to_lowercase() } else { out }
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Hugo's `removePathAccents`: decompose (NFD), drop the combining marks,
/// recompose (NFC), so `é` becomes `e`.
fn remove_accents(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd().filter(|c| !is_mark(*c)).nfc().collect()
}

/// Percent-encodes a path as Go's `url.URL.EscapedPath` does, keeping valid
/// `%XX` escapes (Hugo's sanitiser keeps them) and `/`.
pub fn escape(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let keep = b.is_ascii_alphanumeric() || b"-._~/$&+,:;=@!*'()".contains(&b);
        if keep {
            out.push(b as char);
        } else if b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        {
            out.push('%');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod path_tests {
    use super::collapse_slashes;

    #[test]
    fn dot_segments_are_resolved_never_above_the_root() {
        assert_eq!(collapse_slashes("//x//y/"), "/x/y/");
        assert_eq!(collapse_slashes("/../../x/"), "/x/");
        assert_eq!(collapse_slashes("/talk/./a/../b"), "/talk/b");
        assert_eq!(collapse_slashes("/.."), "/");
        assert_eq!(collapse_slashes("/a/.."), "/");
        assert_eq!(collapse_slashes("/a..b/"), "/a..b/");
        assert_eq!(collapse_slashes("/x/%2e%2E/%2e/y/"), "/y/");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> UrlConfig {
        UrlConfig {
            patterns: vec![],
            lowercase: true,
            remove_accents: false,
            ugly: false,
            multilingual: false,
            default_in_subdir: false,
            default_language: "en".into(),
            base_path: String::new(),
        }
    }

    fn page<'a>(content_path: &'a str, title: &'a str) -> PageUrl<'a> {
        PageUrl {
            content_path,
            lang: "en",
            is_bundle: content_path.ends_with("/index.md"),
            branch: content_path.split('/').next().unwrap(),
            slug: None,
            url: None,
            title,
            date: DateTime::parse_from_rfc3339("2019-10-05T10:00:00Z").ok(),
        }
    }

    #[test]
    fn default_paths_mirror_the_content_path() {
        assert_eq!(page_permalink(&page("talk/product-coaching/index.md", "T"), &urls()), "/talk/product-coaching/");
        assert_eq!(page_permalink(&page("talk/Tufts-GSC.md", "T"), &urls()), "/talk/tufts-gsc/");
        assert_eq!(page_permalink(&page("talk/2019/c.md", "T"), &urls()), "/talk/2019/c/");
        let mut fr = page("talk/lyon.fr.md", "T");
        fr.lang = "fr";
        assert_eq!(page_permalink(&fr, &urls()), "/talk/lyon/");
        assert_eq!(page_permalink(&page("talk/köln 2019.md", "T"), &urls()), "/talk/k%C3%B6ln-2019/");
        assert_eq!(page_permalink(&page("talk/v1.2-release.md", "T"), &urls()), "/talk/v1.2-release/");
    }

    #[test]
    fn the_base_url_path_comes_first() {
        let mut u = urls();
        u.base_path = "/blog".into();
        assert_eq!(page_permalink(&page("talk/x/index.md", "T"), &u), "/blog/talk/x/");
        assert_eq!(list_permalink("talk", "en", &u), "/blog/talk/");
    }

    #[test]
    fn slug_replaces_the_last_segment() {
        let mut p = page("events/2017-04-ansible.md", "T");
        p.slug = Some("blug-30-mars-2017-ansible");
        assert_eq!(page_permalink(&p, &urls()), "/events/blug-30-mars-2017-ansible/");
    }

    #[test]
    fn nothing_a_page_writes_makes_a_protocol_relative_path() {
        let mut p = page("talk/x/index.md", "T");
        p.url = Some("//evil.org/x");
        assert_eq!(page_permalink(&p, &urls()), "/evil.org/x");
        p.url = None;
        p.slug = Some("🎉");
        assert_eq!(page_permalink(&p, &urls()), "/talk/x/");
    }

    #[test]
    fn url_replaces_the_path() {
        let mut p = page("talk/x/index.md", "T");
        p.url = Some("/talks/special/");
        assert_eq!(page_permalink(&p, &urls()), "/talks/special/");
        p.url = Some("talks/special/");
        assert_eq!(page_permalink(&p, &urls()), "/talks/special/");
    }

    #[test]
    fn patterns_use_slug_else_the_urlized_title() {
        let mut u = urls();
        u.patterns = vec![("event".into(), "/talks/:slug".into())];
        let mut p = page(
            "event/cmstatistics2025/index.md",
            "How to Ask the Right Question: Choosing Estimands for Policy Research",
        );
        assert_eq!(
            page_permalink(&p, &u),
            "/talks/how-to-ask-the-right-question-choosing-estimands-for-policy-research/"
        );
        p.slug = Some("chibeAnalytics2025");
        assert_eq!(page_permalink(&p, &u), "/talks/chibeanalytics2025/");
        u.patterns = vec![("event".into(), "/:year/:month/:filename/".into())];
        assert_eq!(page_permalink(&p, &u), "/2019/10/cmstatistics2025/");
        // `:sections` names real sections only: a folder without
        // `_index.md` is not one.
        u.patterns = vec![("talk".into(), "/:sections/:year/:slug".into())];
        let mut p = page("talk/2019/x.md", "X");
        assert_eq!(page_permalink(&p, &u), "/talk/2019/x/");
        p.branch = "talk/2019";
        assert_eq!(page_permalink(&p, &u), "/talk/2019/2019/x/");
    }

    #[test]
    fn multilingual_prefix_and_cjk_titles() {
        let mut u = urls();
        u.multilingual = true;
        u.default_language = "zh-hant".into();
        u.default_in_subdir = true;
        u.patterns = vec![("event".into(), "/talk/:slug/".into())];
        let mut p = page("event/a/index.md", "雲 Vault");
        p.lang = "zh-hant";
        assert_eq!(page_permalink(&p, &u), "/zh-hant/talk/%E9%9B%B2-vault/");
        assert_eq!(list_permalink("event", "en", &u), "/en/event/");
    }

    #[test]
    fn sanitize_like_hugo() {
        let u = urls();
        assert_eq!(sanitize("Rust & Go: 2019!", &u), "rust-go-2019");
        assert_eq!(sanitize("a - b", &u), "a-b");
        assert_eq!(sanitize("C++ #1 100%", &u), "c++-#1-100");
        assert_eq!(sanitize("%E9x", &u), "%e9x");
        let mut u = urls();
        u.remove_accents = true;
        assert_eq!(sanitize("Café Köln", &u), "cafe-koln");
    }

    #[test]
    fn escape_keeps_existing_escapes() {
        assert_eq!(escape("/a b/%E9/é#"), "/a%20b/%E9/%C3%A9%23");
    }
}
