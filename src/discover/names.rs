//! What a content file's name says: whether it may be a page, its
//! language suffix (`index.fr.md`), whether its folder is a leaf bundle, and
//! the bundle's featured image.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Content file extensions Hugo renders as pages (of those talk sites use).
const PAGE_EXTENSIONS: [&str; 5] = ["md", "markdown", "mdown", "html", "htm"];
/// Leaf-bundle index names, best first: Hugo prefers Markdown over HTML.
const INDEX_EXTENSIONS: [&str; 4] = ["md", "markdown", "mdown", "html"];
const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "webp", "gif", "avif"];

pub(super) fn extension(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// Whether a file named `name` may be a page: its extension is one of the
/// content formats read (any other file counts only by its name).
pub fn is_page_name(name: &str) -> bool {
    PAGE_EXTENSIONS.contains(&extension(name).to_ascii_lowercase().as_str())
}

/// Splits a content file name into (stem, language, extension):
/// `index.fr.md` → (`index`, Some(`fr`), `md`) when `fr` is a known language.
pub(super) fn split_name<'a>(name: &'a str, known_langs: &[String]) -> Option<(&'a str, Option<&'a str>, &'a str)> {
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

pub(super) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// If `dir` is a leaf bundle, its index file for each language (best
/// extension first), with the language from the file name.
pub(super) fn leaf_index(dir: &Path, known_langs: &[String]) -> Option<Vec<(PathBuf, Option<String>)>> {
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
pub(super) fn featured_image(dir: &Path) -> Option<String> {
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
