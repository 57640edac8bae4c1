//! Discovery: find the talk pages and section pages of a site.
//!
//! Follows Hugo's content model (Hugo's docs, `content-management/page-bundles.md`;
//! for users, docs/content.md "Which pages are talks"): a folder with an
//! `index.md` (or `index.markdown`, or an `index.html` with front matter) is
//! a leaf bundle, one page, and everything else in it is a resource; a
//! folder with `_index.md` is a section, whose `_index.md` is not a talk;
//! any other `.md` file is a page of its own. The walk is sorted, follows
//! symbolic links and stops at loops.
//!
//! Multilingual sites: each language's content folder (`languages.<lang>.contentDir`)
//! and file-name suffixes of configured languages (`index.fr.md`) give a
//! page's language. Every language's pages are found, as Hugo publishes
//! every language; pages of a disabled language (`disableLanguages`), and
//! with `--language` those of the other languages, are set aside and counted.
//! On a site that configures no languages, a folder `content/<xx>/` holding a
//! talk section is what Hugo makes of it: a section of the one language,
//! with `/xx/` in its paths.

mod names;
mod roots;
mod section;
mod walk;

use std::path::PathBuf;

use crate::config::Language;
use crate::diag::Diagnostics;

pub use names::is_page_name;
pub use roots::content_folders;
pub use walk::{ContentWalk, Walked, is_ignored};

/// Where discovery looks: the site's content folders and sections, and
/// which languages it reads. Made by `settings`.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The site root (language content folders are relative to it).
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
    /// `--language`: read only this language.
    pub only_language: Option<String>,
    /// The site's default content language.
    pub default_language: String,
    /// The largest file read, in bytes.
    pub max_file_size: u64,
}

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    /// `_index.md`: a section's list page.
    Section,
    /// `index.md` of a leaf bundle.
    Bundle,
    /// A single `.md` file.
    Single,
    /// An author page, `authors/<slug>/_index.md` (the theme's), whose
    /// `title` names a speaker.
    Author,
}

/// A content file that is (or may be) a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFile {
    /// The file on disk.
    pub path: PathBuf,
    /// Relative to its language's content folder, `/`-separated.
    pub content_path: String,
    /// The page's language.
    pub lang: String,
    /// `content_path` without the language suffix: the same for all
    /// translations of one page.
    pub translation_key: String,
    /// The top-level section (`talk`, `event`, …).
    pub section: String,
    /// The deepest section above the page: the top-level section, or a
    /// folder below it with an `_index.md` (`talk/2019`).
    pub branch: String,
    /// What kind of file it is.
    pub kind: PageKind,
    /// A leaf bundle's featured image file name (`featured.jpg`), if any.
    pub featured_image: Option<String>,
}

impl PageFile {
    /// Returns true if and only if the file is HTML (which is a page only
    /// when it has front matter).
    pub fn is_html(&self) -> bool {
        matches!(names::extension(&self.content_path), "html" | "htm")
    }
}

/// What discovery found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Section pages and talk pages of the languages read, sorted by
    /// content path, then language.
    pub pages: Vec<PageFile>,
    /// Pages of languages not read: disabled in the config, or other than
    /// `--language`.
    pub set_aside: Vec<PageFile>,
    /// The section folders that exist, for messages.
    pub section_folders: Vec<PathBuf>,
}

/// Finds every page of `sections` (the talk sections, or sections that
/// may hold talks: see `load::detect`).
pub fn discover(scope: &Scope, sections: &[String], diags: &mut Diagnostics) -> Discovery {
    let known_langs = known_languages(scope);
    let mut found: Vec<PageFile> = Vec::new();
    let mut section_folders = Vec::new();
    let mut saw_symlink = false;
    for root in &roots::content_roots(scope) {
        for name in sections {
            let dir = root.dir.join(name);
            if dir.is_dir() {
                let section = section::Section { root, dir: &dir, name, known_langs: &known_langs };
                saw_symlink |= section.walk(&mut found, diags);
                section_folders.push(dir);
            }
        }
    }
    if saw_symlink {
        section::read_once(&mut found, diags);
    }
    let read = |lang: &str| {
        let disabled = scope.languages.iter().any(|l| l.code == lang && l.disabled);
        !disabled && scope.only_language.as_deref().is_none_or(|only| only == lang)
    };
    let (mut pages, set_aside): (Vec<PageFile>, Vec<PageFile>) = found.into_iter().partition(|p| read(&p.lang));
    pages.sort_by(|a, b| (&a.content_path, &a.lang).cmp(&(&b.content_path, &b.lang)));
    Discovery { pages, set_aside, section_folders }
}

/// Every configured language, disabled ones too: `x.fr.md` of a disabled
/// `fr` is a French page Hugo leaves out, not a page named `x.fr`.
fn known_languages(scope: &Scope) -> Vec<String> {
    let mut known: Vec<String> = scope.languages.iter().map(|l| l.code.clone()).collect();
    if !known.contains(&scope.default_language) {
        known.push(scope.default_language.clone());
    }
    known
}

/// The theme's author pages of every content folder (the main one too,
/// where every language has its own): for each `authors/<slug>/`, its
/// `_index.md` and its `index.md`, in that order (the first with a title
/// names the speaker), in the language of the folder they are in, found by
/// the same walk as the talks.
pub fn authors(scope: &Scope) -> Vec<PageFile> {
    let mut roots = roots::content_roots(scope);
    if !roots.iter().any(|r| r.dir == scope.content_dir) {
        roots.push(roots::Root {
            dir: scope.content_dir.clone(),
            lang: scope.default_language.clone(),
            prefix: String::new(),
        });
    }
    let mut out = Vec::new();
    for root in roots {
        let dir = root.dir.join("authors");
        if !dir.is_dir() {
            continue;
        }
        for step in walk::ContentWalk::new(&dir, &root.dir) {
            let walk::Walked::Entry(e) = step else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if e.depth() != 2 || !(name == "_index.md" || name == "index.md") {
                continue;
            }
            let slug = e.path().parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned());
            let Some(slug) = slug else { continue };
            out.push(PageFile {
                content_path: format!("{}authors/{slug}/{name}", root.prefix),
                translation_key: format!("authors/{slug}/{name}"),
                path: e.into_path(),
                lang: root.lang.clone(),
                section: String::from("authors"),
                branch: String::from("authors"),
                kind: PageKind::Author,
                featured_image: None,
            });
        }
    }
    out
}

/// The top-level folders of every content root that are not among
/// `sections` (nor language folders, nor ignored names), sorted and
/// deduplicated: the other sections of the site, which may hold talks
/// under another name.
pub fn other_sections(scope: &Scope, sections: &[String]) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for root in roots::content_roots(scope) {
        let Ok(entries) = std::fs::read_dir(&root.dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else { continue };
            // Through a link too, as the walk follows links inside the content.
            let is_dir = entry.path().is_dir();
            let read = sections.iter().any(|s| s.eq_ignore_ascii_case(&name));
            let language_root = scope.languages.iter().any(|l| l.code.eq_ignore_ascii_case(&name))
                || (scope.languages.is_empty() && roots::looks_like_language(&name));
            if is_dir && !read && !language_root && !is_ignored(&name) {
                names.insert(name);
            }
        }
    }
    names.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::DiagKind;
    use std::path::Path;

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "---\ntitle: x\n---\n").unwrap();
        }
        dir
    }

    /// The scope of the site in `dir` (its Hugo config's languages), its
    /// `sections` read, only `language` if given.
    fn scope(dir: &Path, sections: &[&str], language: Option<&str>) -> Scope {
        let hugo = crate::config::HugoConfig::load(dir, crate::files::DEFAULT_MAX_FILE_SIZE, &mut Diagnostics::new());
        Scope {
            site_dir: dir.to_path_buf(),
            content_dir: dir.join("content"),
            sections: sections.iter().map(|s| s.to_string()).collect(),
            sections_given: false,
            languages: hugo.languages(),
            only_language: language.map(String::from),
            default_language: hugo.default_language(),
            max_file_size: crate::files::DEFAULT_MAX_FILE_SIZE,
        }
    }

    fn run(dir: &Path, language: Option<&str>) -> (Discovery, Diagnostics) {
        let scope = scope(dir, &["talk", "talks", "event", "events"], language);
        let mut diags = Diagnostics::new();
        (discover(&scope, &scope.sections, &mut diags), diags)
    }

    fn paths(d: &Discovery) -> Vec<(&str, PageKind)> {
        d.pages.iter().map(|p| (p.content_path.as_str(), p.kind)).collect()
    }

    #[test]
    fn bundles_singles_and_sections() {
        let d = site(&[
            "content/talk/_index.md",
            "content/talk/a/index.md",
            "content/talk/a/notes.md",
            "content/talk/a/sub/other.md",
            "content/talk/b.md",
            "content/talk/2019/c.md",
            "content/event/d/index.html",
            "content/post/e.md",
            "content/talk/.hidden.md",
            "content/talk/f/featured.png",
            "content/talk/f/index.md",
            "content/talk/f/index.html",
        ]);
        let (disc, diags) = run(d.path(), None);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            paths(&disc),
            [
                ("event/d/index.html", PageKind::Bundle),
                ("talk/2019/c.md", PageKind::Single),
                ("talk/_index.md", PageKind::Section),
                ("talk/a/index.md", PageKind::Bundle),
                ("talk/b.md", PageKind::Single),
                ("talk/f/index.md", PageKind::Bundle),
            ]
        );
        assert_eq!(disc.pages[5].featured_image.as_deref(), Some("featured.png"));
    }

    #[test]
    fn a_section_folder_with_index_md_is_one_page() {
        // tereom__tereom_site/content/talks/: a widget page and its resources.
        let d = site(&["content/talks/index.md", "content/talks/demo.md"]);
        let scope = scope(d.path(), &["talks"], None);
        let disc = discover(&scope, &scope.sections, &mut Diagnostics::new());
        assert_eq!(paths(&disc), [("talks/index.md", PageKind::Bundle)]);
    }

    #[test]
    fn every_language_is_read_and_language_sets_one_aside() {
        let d = site(&[
            "content/talk/lyon.md",
            "content/talk/lyon.fr.md",
            "content/talk/x/index.fr.md",
            "content/talk/x/index.md",
            "content/talk/y.de.md",
        ]);
        std::fs::write(
            d.path().join("hugo.toml"),
            "defaultContentLanguage = 'en'\ndisableLanguages = ['de']\n[languages.en]\n[languages.fr]\n[languages.de]\n",
        )
        .unwrap();
        let (disc, _) = run(d.path(), None);
        assert_eq!(
            disc.pages.iter().map(|p| (p.content_path.as_str(), p.lang.as_str())).collect::<Vec<_>>(),
            [
                ("talk/lyon.fr.md", "fr"),
                ("talk/lyon.md", "en"),
                ("talk/x/index.fr.md", "fr"),
                ("talk/x/index.md", "en")
            ]
        );
        // A disabled language's page is set aside, not read as `y.de`.
        assert_eq!(
            disc.set_aside.iter().map(|p| (p.content_path.as_str(), p.lang.as_str())).collect::<Vec<_>>(),
            [("talk/y.de.md", "de")]
        );
        let (disc, _) = run(d.path(), Some("fr"));
        assert_eq!(
            disc.pages.iter().map(|p| p.content_path.as_str()).collect::<Vec<_>>(),
            ["talk/lyon.fr.md", "talk/x/index.fr.md"]
        );
        assert_eq!(disc.set_aside.len(), 3);
        assert_eq!(disc.pages[0].translation_key, "talk/lyon.md");
    }

    #[test]
    fn language_folders_hold_each_language() {
        let d = site(&[
            "content/en/event/a/index.md",
            "content/zh-hant/event/a/index.md",
            "content/zh-hant/event/b/index.md",
        ]);
        std::fs::write(
            d.path().join("hugo.yaml"),
            "defaultContentLanguage: zh-Hant\nlanguages:\n  en:\n    contentDir: content/en\n  zh-Hant:\n    contentDir: content/zh-hant\n",
        )
        .unwrap();
        let (disc, _) = run(d.path(), None);
        assert_eq!(
            disc.pages.iter().map(|p| (p.content_path.as_str(), p.lang.as_str())).collect::<Vec<_>>(),
            [("event/a/index.md", "en"), ("event/a/index.md", "zh-hant"), ("event/b/index.md", "zh-hant")]
        );
        let (disc, _) = run(d.path(), Some("en"));
        assert_eq!(
            disc.pages.iter().map(|p| (p.content_path.as_str(), p.lang.as_str())).collect::<Vec<_>>(),
            [("event/a/index.md", "en")]
        );
    }

    #[test]
    fn unconfigured_language_folders_are_sections_as_in_hugo() {
        // Hugo 0.111 without languages: content/de/event/a/index.md is the
        // page /de/event/a/ of the one language.
        let d = site(&["content/de/event/a/index.md", "content/post/b.md"]);
        let (disc, _) = run(d.path(), None);
        assert_eq!(paths(&disc), [("de/event/a/index.md", PageKind::Bundle)]);
        assert_eq!(disc.pages[0].lang, "en");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_twice_through_a_link_is_read_once() {
        let d = site(&["content/talk/a.md"]);
        std::os::unix::fs::symlink(d.path().join("content"), d.path().join("content/talk/up")).unwrap();
        let (disc, diags) = run(d.path(), None);
        assert_eq!(paths(&disc), [("talk/a.md", PageKind::Single)]);
        assert_eq!(diags.iter().next().unwrap().kind, DiagKind::Symlink);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_content_folder_are_not_followed() {
        let d = site(&["content/talk/a.md", "elsewhere/secret.md", "elsewhere/dir/x.md"]);
        std::os::unix::fs::symlink(d.path().join("elsewhere/secret.md"), d.path().join("content/talk/secret.md"))
            .unwrap();
        std::os::unix::fs::symlink(d.path().join("elsewhere/dir"), d.path().join("content/talk/dir")).unwrap();
        std::os::unix::fs::symlink(d.path().join("content/talk/a.md"), d.path().join("content/talk/b.md")).unwrap();
        let (disc, diags) = run(d.path(), None);
        assert_eq!(paths(&disc), [("talk/a.md", PageKind::Single)], "b.md is a second way to a.md");
        let kinds: Vec<_> = diags.iter().map(|d| (d.kind, d.path.clone().unwrap())).collect();
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        assert!(kinds.iter().all(|(k, _)| *k == DiagKind::Symlink));
    }

    #[test]
    fn three_letter_folders_are_not_languages() {
        let d = site(&["content/talk/lyon.md", "content/old/talk/lyon.md"]);
        let (disc, _) = run(d.path(), None);
        assert_eq!(paths(&disc), [("talk/lyon.md", PageKind::Single)]);
        assert!(disc.set_aside.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed_forever() {
        let d = site(&["content/talk/a.md"]);
        std::os::unix::fs::symlink(d.path().join("content/talk"), d.path().join("content/talk/loop")).unwrap();
        let (disc, diags) = run(d.path(), None);
        assert_eq!(paths(&disc), [("talk/a.md", PageKind::Single)]);
        assert_eq!(diags.iter().next().unwrap().kind, DiagKind::Symlink);
    }
}
