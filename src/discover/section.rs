//! The pages of one section folder: leaf bundles, single pages and section
//! pages, as Hugo's content model has them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::names::{featured_image, leaf_index, relative, split_name};
use super::roots::Root;
use super::walk::{ContentWalk, Walked};
use super::{PageFile, PageKind};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};

/// A section folder of one content root, being walked.
pub(super) struct Section<'a> {
    pub(super) root: &'a Root,
    /// The section's folder.
    pub(super) dir: &'a Path,
    /// Its name (`talk`).
    pub(super) name: &'a str,
    /// Every configured language (`x.fr.md` is French only for a known `fr`).
    pub(super) known_langs: &'a [String],
}

impl Section<'_> {
    /// Adds the section's pages to `out`; returns whether a symbolic link
    /// was followed (then a file may have been reached twice).
    pub(super) fn walk(&self, out: &mut Vec<PageFile>, diags: &mut Diagnostics) -> bool {
        let first_new = out.len();
        let mut saw_symlink = false;
        let mut walker = ContentWalk::new(self.dir, &self.root.dir);
        while let Some(step) = walker.next() {
            let entry = match step {
                Walked::Entry(e) => e,
                Walked::LeavesContent(e) => {
                    saw_symlink = true;
                    diags.push(leaves_content(e.path()));
                    continue;
                }
                Walked::Failed(e) => {
                    diags.push(self.unreadable(&e));
                    continue;
                }
            };
            saw_symlink |= entry.path_is_symlink();
            if entry.file_type().is_dir() {
                if let Some(index) = leaf_index(entry.path(), self.known_langs) {
                    let featured = featured_image(entry.path());
                    for (path, lang) in index {
                        out.push(self.page(&path, PageKind::Bundle, lang.as_deref(), featured.clone()));
                    }
                    // Everything else in a leaf bundle is a resource.
                    walker.skip_current_dir();
                }
                continue;
            }
            self.file(&entry, out, diags);
        }
        set_branches(&mut out[first_new..]);
        saw_symlink
    }

    /// A file outside a leaf bundle: a section page, a single page, or
    /// nothing (a resource, an `index.md` handled as a bundle).
    fn file(&self, entry: &walkdir::DirEntry, out: &mut Vec<PageFile>, diags: &mut Diagnostics) {
        let name = entry.file_name().to_string_lossy();
        let Some((stem, lang, _)) = split_name(&name, self.known_langs) else { return };
        if let Some(kind) = crate::files::FileKind::of(entry.file_type()) {
            // A named pipe would block a reader, a device never ends: a page
            // that is not a regular file is reported, never opened.
            diags.push(
                Diagnostic::error(DiagKind::Io, format!("it is {}, not a regular file; not read", kind.describe()))
                    .at_path(entry.path())
                    .hint("replace it with a regular file, or remove it"),
            );
            return;
        }
        if stem == "_index" {
            out.push(self.page(entry.path(), PageKind::Section, lang, None));
        } else if stem != "index" {
            out.push(self.page(entry.path(), PageKind::Single, lang, None));
        }
    }

    /// The page at `path`, of `kind`, in the language its name gives or
    /// the root's.
    fn page(&self, path: &Path, kind: PageKind, lang: Option<&str>, featured_image: Option<String>) -> PageFile {
        let root = self.root;
        let content_path = format!("{}{}", root.prefix, relative(&root.dir, path));
        let lang = lang.map(str::to_lowercase).unwrap_or_else(|| root.lang.clone());
        // `index.fr.md` and `index.md` are versions of one page.
        let split = path.file_name().and_then(|n| n.to_str()).and_then(|n| split_name(n, self.known_langs));
        let translation_key = match split {
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
            section: self.name.to_string(),
            branch: self.name.to_string(),
            kind,
            featured_image,
        }
    }

    /// The diagnostic of what the walk could not read: a link loop (reported
    /// once, not followed again), a link to nothing, an unreadable folder.
    fn unreadable(&self, e: &walkdir::Error) -> Diagnostic {
        let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| self.dir.to_path_buf());
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
        d.at_path(path)
    }
}

/// A link may only lead to another place inside the content: following one
/// out of it could publish any file of the machine.
fn leaves_content(path: &Path) -> Diagnostic {
    Diagnostic::warning(DiagKind::Symlink, "symbolic link that leads outside the content folder; not followed")
        .at_path(path)
        .hint("copy the file into the content folder, or link to a place inside it")
}

/// Sets each page's branch: a folder below the section is a section of its
/// own only with an `_index.md` (Hugo's branch bundles); `:sections` names
/// those.
fn set_branches(pages: &mut [PageFile]) {
    let branches: BTreeSet<String> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Section)
        .filter_map(|p| p.content_path.rsplit_once('/').map(|(dir, _)| dir.to_string()))
        .collect();
    for page in pages {
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

/// Through a symbolic link one file can be reached twice (a link to an
/// ancestor of the section is not a loop for the walk): keeps the first,
/// with a warning about the others.
pub(super) fn read_once(found: &mut Vec<PageFile>, diags: &mut Diagnostics) {
    let mut seen: std::collections::BTreeMap<PathBuf, PathBuf> = std::collections::BTreeMap::new();
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
