//! The content folders of the site: each language's, found once for
//! discovery and for the up-to-date check.

use std::path::PathBuf;

use super::Scope;

/// A language's content root.
pub(super) struct Root {
    pub(super) dir: PathBuf,
    pub(super) lang: String,
    /// What Hugo puts in front of paths found here: `en/` for an
    /// unconfigured `content/en/`, which Hugo reads as a section.
    pub(super) prefix: String,
}

/// The content folders of the site's languages. Languages without a
/// folder of their own share the site's content folder (their pages are
/// told apart by file-name suffix). On a site without language folders, a
/// folder `content/<xx>/` that holds one of the talk sections is searched
/// too: Hugo publishes it as the section `xx` of the default language.
pub(super) fn content_roots(scope: &Scope) -> Vec<Root> {
    let default = &scope.default_language;
    let configured: Vec<Root> = scope
        .languages
        .iter()
        .filter_map(|l| {
            l.content_dir.as_ref().map(|d| Root {
                dir: crate::files::join(&scope.site_dir, d),
                lang: l.code.clone(),
                prefix: String::new(),
            })
        })
        .collect();
    let mut roots = Vec::new();
    if configured.len() < scope.languages.len() || configured.is_empty() {
        roots.push(Root { dir: scope.content_dir.clone(), lang: default.clone(), prefix: String::new() });
    }
    if configured.is_empty() {
        let mut subdirs: Vec<PathBuf> = std::fs::read_dir(&scope.content_dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        subdirs.sort();
        for dir in subdirs {
            let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(String::from) else { continue };
            if scope.sections.iter().any(|s| s.eq_ignore_ascii_case(&name)) || !looks_like_language(&name) {
                continue;
            }
            if scope.sections.iter().any(|s| dir.join(s).is_dir()) {
                roots.push(Root { dir, lang: default.clone(), prefix: format!("{name}/") });
            }
        }
    }
    roots.extend(configured);
    roots
}

/// `en`, `fr`, `zh-hant`, `pt-br`: a language tag, not a section like `post`.
pub(super) fn looks_like_language(name: &str) -> bool {
    let mut parts = name.split('-');
    let primary = parts.next().unwrap_or("");
    // Two letters (ISO 639-1): `old/` or `api/` are sections, not languages.
    primary.len() == 2
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The content folders of the site (each language's), each once and none
/// inside another: every folder whose files can change what talkfeed
/// writes, for the up-to-date check.
pub fn content_folders(scope: &Scope) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = content_roots(scope).into_iter().map(|r| r.dir).collect();
    dirs.push(scope.content_dir.clone());
    dirs.sort();
    dirs.dedup();
    let all = dirs.clone();
    dirs.retain(|d| !all.iter().any(|other| other != d && d.starts_with(other)));
    dirs
}
