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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Language;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};

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
        matches!(extension(&self.content_path), "html" | "htm")
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

/// Content file extensions Hugo renders as pages (of those talk sites use).
const PAGE_EXTENSIONS: [&str; 5] = ["md", "markdown", "mdown", "html", "htm"];
/// Leaf-bundle index names, best first: Hugo prefers Markdown over HTML.
const INDEX_EXTENSIONS: [&str; 4] = ["md", "markdown", "mdown", "html"];
const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "webp", "gif", "avif"];

fn extension(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// Whether a file named `name` may be a page: its extension is one of the
/// content formats read (any other file counts only by its name).
pub fn is_page_name(name: &str) -> bool {
    PAGE_EXTENSIONS.contains(&extension(name).to_ascii_lowercase().as_str())
}

/// A language's content root.
struct Root {
    dir: PathBuf,
    lang: String,
    /// What Hugo puts in front of paths found here: `en/` for an
    /// unconfigured `content/en/`, which Hugo reads as a section.
    prefix: String,
}

/// Finds every page of `sections` (the talk sections, or sections that
/// may hold talks: see `load::detect`).
pub fn discover(scope: &Scope, sections: &[String], diags: &mut Diagnostics) -> Discovery {
    // Every configured language, disabled ones too: `x.fr.md` of a disabled
    // `fr` is a French page Hugo leaves out, not a page named `x.fr`.
    let mut known_langs: Vec<String> = scope.languages.iter().map(|l| l.code.clone()).collect();
    if !known_langs.contains(&scope.default_language) {
        known_langs.push(scope.default_language.clone());
    }
    let roots = content_roots(scope);

    let mut found: Vec<PageFile> = Vec::new();
    let mut section_folders = Vec::new();
    let mut saw_symlink = false;
    for root in &roots {
        for section in sections {
            let dir = root.dir.join(section);
            if dir.is_dir() {
                section_folders.push(dir.clone());
                walk_section(root, &dir, section, &known_langs, &mut found, &mut saw_symlink, diags);
            }
        }
    }

    // Through a symbolic link one file can be reached twice (a link to an
    // ancestor of the section is not a loop for the walk). Read it once.
    if saw_symlink {
        let mut seen: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
        found.retain(|page| {
            let Ok(real) = std::fs::canonicalize(&page.path) else { return true };
            match seen.get(&real) {
                Some(first) => {
                    diags.push(
                        Diagnostic::warning(
                            DiagKind::Symlink,
                            format!("this is {} again, reached through a symbolic link; read once", first.display()),
                        )
                        .at_path(&page.path),
                    );
                    false
                }
                None => {
                    seen.insert(real, page.path.clone());
                    true
                }
            }
        });
    }

    let read = |lang: &str| {
        let disabled = scope.languages.iter().any(|l| l.code == lang && l.disabled);
        !disabled && scope.only_language.as_deref().is_none_or(|only| only == lang)
    };
    let (mut pages, set_aside): (Vec<PageFile>, Vec<PageFile>) = found.into_iter().partition(|p| read(&p.lang));
    pages.sort_by(|a, b| (&a.content_path, &a.lang).cmp(&(&b.content_path, &b.lang)));
    Discovery { pages, set_aside, section_folders }
}

/// The top-level folders of every content root that are not among
/// `sections` (nor language folders, nor ignored names), sorted and
/// deduplicated: the other sections of the site, which may hold talks
/// under another name.
pub fn other_sections(scope: &Scope, sections: &[String]) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for root in content_roots(scope) {
        let Ok(entries) = std::fs::read_dir(&root.dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else { continue };
            // Through a link too, as the walk follows links inside the content.
            let is_dir = entry.path().is_dir();
            let read = sections.iter().any(|s| s.eq_ignore_ascii_case(&name));
            let language_root = scope.languages.iter().any(|l| l.code.eq_ignore_ascii_case(&name))
                || (scope.languages.is_empty() && looks_like_language(&name));
            if is_dir && !read && !language_root && !is_ignored(&name) {
                names.insert(name);
            }
        }
    }
    names.into_iter().collect()
}

/// The content folders of the site's languages. Languages without a
/// folder of their own share the site's content folder (their pages are
/// told apart by file-name suffix). On a site without language folders, a
/// folder `content/<xx>/` that holds one of the talk sections is searched
/// too: Hugo publishes it as the section `xx` of the default language.
fn content_roots(scope: &Scope) -> Vec<Root> {
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
fn looks_like_language(name: &str) -> bool {
    let mut parts = name.split('-');
    let primary = parts.next().unwrap_or("");
    // Two letters (ISO 639-1): `old/` or `api/` are sections, not languages.
    primary.len() == 2
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Names Hugo and talkfeed never read: hidden files, `#` and `~` backups.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// Splits a content file name into (stem, language, extension):
/// `index.fr.md` → (`index`, Some(`fr`), `md`) when `fr` is a known language.
fn split_name<'a>(name: &'a str, known_langs: &[String]) -> Option<(&'a str, Option<&'a str>, &'a str)> {
    let (rest, ext) = name.rsplit_once('.')?;
    let ext_lower = ext.to_ascii_lowercase();
    if !PAGE_EXTENSIONS.contains(&ext_lower.as_str()) {
        return None;
    }
    if let Some((stem, lang)) = rest.rsplit_once('.')
        && known_langs.iter().any(|l| l.eq_ignore_ascii_case(lang))
    {
        return Some((stem, Some(lang), ext));
    }
    Some((rest, None, ext))
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn walk_section(
    root: &Root,
    branch: &Path,
    section: &str,
    known_langs: &[String],
    out: &mut Vec<PageFile>,
    saw_symlink: &mut bool,
    diags: &mut Diagnostics,
) {
    let page = |path: &Path, kind: PageKind, lang: Option<&str>, featured_image: Option<String>| {
        let content_path = format!("{}{}", root.prefix, relative(&root.dir, path));
        let lang = lang.map(str::to_lowercase).unwrap_or_else(|| root.lang.clone());
        // `index.fr.md` and `index.md` are versions of one page.
        let translation_key = match path.file_name().and_then(|n| n.to_str()).and_then(|n| split_name(n, known_langs)) {
            Some((stem, Some(_), ext)) => {
                let dir = content_path.rsplit_once('/').map_or("", |(d, _)| d);
                format!("{dir}/{stem}.{ext}")
            }
            _ => content_path.clone(),
        };
        PageFile {
            path: path.to_path_buf(),
            content_path,
            lang,
            translation_key,
            section: section.to_string(),
            branch: section.to_string(),
            kind,
            featured_image,
        }
    };
    let first_new = out.len();

    let mut walker = ContentWalk::new(branch, &root.dir);
    while let Some(step) = walker.next() {
        let entry = match step {
            Walked::Entry(e) => e,
            Walked::LeavesContent(e) => {
                *saw_symlink = true;
                // A link may only lead to another place inside the content:
                // following one out of it could publish any file of the machine.
                diags.push(
                    Diagnostic::warning(
                        DiagKind::Symlink,
                        "symbolic link that leads outside the content folder; not followed",
                    )
                    .at_path(e.path())
                    .hint("copy the file into the content folder, or link to a place inside it"),
                );
                continue;
            }
            Walked::Failed(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| branch.to_path_buf());
                let dangling = e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
                let d = if e.loop_ancestor().is_some() {
                    Diagnostic::warning(DiagKind::Symlink, "symbolic link loop; not followed again")
                        .hint("the folder links back to one of its parents; remove the link if it is a mistake")
                } else if dangling {
                    Diagnostic::error(DiagKind::Symlink, "symbolic link to a file that does not exist")
                        .hint("restore the file it points to, or remove the link")
                } else {
                    let io = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                    Diagnostic::error(DiagKind::Io, format!("cannot read: {io}"))
                        .hint("talks in an unreadable file or folder would be lost: fix its permissions")
                };
                diags.push(d.at_path(path));
                continue;
            }
        };
        if entry.path_is_symlink() {
            *saw_symlink = true;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_dir() {
            if let Some(index) = leaf_index(entry.path(), known_langs) {
                let featured = featured_image(entry.path());
                for (path, lang) in index {
                    out.push(page(&path, PageKind::Bundle, lang.as_deref(), featured.clone()));
                }
                // Everything else in a leaf bundle is a resource.
                walker.skip_current_dir();
            }
            continue;
        }
        let Some((stem, lang, _)) = split_name(&name, known_langs) else { continue };
        if let Some(kind) = crate::files::FileKind::of(entry.file_type()) {
            // A named pipe would block a reader, a device never ends: a page
            // that is not a regular file is reported, never opened.
            diags.push(
                Diagnostic::error(DiagKind::Io, format!("it is {}, not a regular file; not read", kind.describe()))
                    .at_path(entry.path())
                    .hint("replace it with a regular file, or remove it"),
            );
            continue;
        }
        if stem == "_index" {
            out.push(page(entry.path(), PageKind::Section, lang, None));
        } else if stem != "index" {
            out.push(page(entry.path(), PageKind::Single, lang, None));
        }
    }

    // A folder below the section is a section of its own only with an
    // `_index.md` (Hugo's branch bundles); `:sections` names those.
    let branches: std::collections::BTreeSet<String> = out[first_new..]
        .iter()
        .filter(|p| p.kind == PageKind::Section)
        .filter_map(|p| p.content_path.rsplit_once('/').map(|(dir, _)| dir.to_string()))
        .collect();
    for page in &mut out[first_new..] {
        let dir = page.content_path.rsplit_once('/').map_or("", |(d, _)| d);
        // A bundle's own folder is the page, not a section.
        let mut dir = if page.kind == PageKind::Bundle { dir.rsplit_once('/').map_or("", |(d, _)| d) } else { dir };
        while !dir.is_empty() && !branches.contains(dir) && dir.contains('/') {
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
        if !dir.is_empty() {
            page.branch = dir.to_string();
        }
    }
}

/// One step of a [`ContentWalk`].
pub enum Walked {
    /// A file or folder to look at (through a link that stays inside the
    /// content folder, too).
    Entry(walkdir::DirEntry),
    /// A symbolic link that leads out of the content folder: not followed.
    LeavesContent(walkdir::DirEntry),
    /// A link loop, a dangling link, an unreadable folder.
    Failed(walkdir::Error),
}

/// The content below a folder as talkfeed reads it, the same for discovery
/// and for the up-to-date check ([`crate::stamp`]): sorted by name;
/// hidden files, `#` and `~` backups skipped; symbolic links followed only
/// where they lead to a place inside the content folder (following one out
/// of it could read, and publish, any file of the machine, or walk the
/// whole disk), and a link loop reported once instead of followed forever.
pub struct ContentWalk {
    inner: walkdir::IntoIter,
    /// The content folder, its real path (`None` if it has none: then no
    /// link is followed).
    content: Option<PathBuf>,
}

impl ContentWalk {
    /// Walks `dir`, a folder inside the content folder `content`.
    pub fn new(dir: &Path, content: &Path) -> ContentWalk {
        let inner =
            walkdir::WalkDir::new(dir).follow_links(true).sort_by(|a, b| a.file_name().cmp(b.file_name())).into_iter();
        ContentWalk { inner, content: std::fs::canonicalize(content).ok() }
    }

    /// Does not descend into the folder just returned.
    pub fn skip_current_dir(&mut self) {
        self.inner.skip_current_dir();
    }
}

impl Iterator for ContentWalk {
    type Item = Walked;

    fn next(&mut self) -> Option<Walked> {
        loop {
            let entry = match self.inner.next()? {
                Ok(e) => e,
                Err(e) => return Some(Walked::Failed(e)),
            };
            if entry.path_is_symlink() {
                let inside = match (std::fs::canonicalize(entry.path()), &self.content) {
                    (Ok(target), Some(content)) => target.starts_with(content),
                    _ => false,
                };
                if !inside {
                    if entry.file_type().is_dir() {
                        self.inner.skip_current_dir();
                    }
                    return Some(Walked::LeavesContent(entry));
                }
            }
            if entry.depth() > 0 && is_ignored(&entry.file_name().to_string_lossy()) {
                if entry.file_type().is_dir() {
                    self.inner.skip_current_dir();
                }
                continue;
            }
            return Some(Walked::Entry(entry));
        }
    }
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

/// If `dir` is a leaf bundle, its index file for each language (best
/// extension first), with the language from the file name.
fn leaf_index(dir: &Path, known_langs: &[String]) -> Option<Vec<(PathBuf, Option<String>)>> {
    let mut best: BTreeMap<Option<String>, (usize, String)> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(("index", lang, ext)) = split_name(&name, known_langs) else { continue };
        let Some(rank) = INDEX_EXTENSIONS.iter().position(|e| e.eq_ignore_ascii_case(ext)) else { continue };
        // Anything but a folder: a named pipe or a device named `index.md`
        // still makes the folder a bundle, whose reading then reports it,
        // rather than the talk vanishing.
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => entry.path().is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => true,
        };
        if is_dir {
            continue;
        }
        let lang = lang.map(str::to_lowercase);
        match best.get(&lang) {
            Some((r, n)) if (*r, n.as_str()) <= (rank, name.as_str()) => {}
            _ => {
                best.insert(lang, (rank, name));
            }
        }
    }
    if best.is_empty() {
        return None;
    }
    Some(best.into_iter().map(|(lang, (_, name))| (dir.join(name), lang)).collect())
}

/// The bundle's featured image: the first image file named `featured*`,
/// as the theme looks it up.
fn featured_image(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let lower = n.to_lowercase();
            lower.starts_with("featured") && IMAGE_EXTENSIONS.contains(&extension(&lower))
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

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
