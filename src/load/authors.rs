//! Speakers' names: the theme's author pages (`authors/<slug>/_index.md`),
//! found by discovery, whose `title` is the name shown for the slug in a
//! talk's `authors:`.

use std::collections::BTreeMap;

use super::Inputs;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::discover::PageFile;
use crate::frontmatter::{self, Value};

/// The longest author name read from an author page, in bytes.
pub const MAX_AUTHOR_NAME: usize = 256;

/// The speakers' names of `lang`, by slug: from the author pages of the
/// language's own content folder, then the main content folder's.
pub(super) fn names(
    inputs: &Inputs<'_>,
    pages: &[PageFile],
    lang: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let main = &inputs.scope.content_dir;
    let own = pages.iter().filter(|p| p.lang == lang);
    let shared = pages.iter().filter(|p| p.path.starts_with(main));
    let mut names = BTreeMap::new();
    for page in own.chain(shared) {
        let Some(slug) = page.path.parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned())
        else {
            continue;
        };
        if names.contains_key(&slug) {
            continue;
        }
        if let Some(title) = title(page, &slug, inputs.scope.max_file_size, diags) {
            names.insert(slug, title);
        }
    }
    names
}

/// The `title` of an author page, if it has a usable one.
fn title(page: &PageFile, slug: &str, limit: u64, diags: &mut Diagnostics) -> Option<String> {
    let path = &page.path;
    let text = match crate::files::read_text(path, limit) {
        Ok(t) => t,
        Err(e) if e.is_not_found() => return None,
        Err(e) => {
            // Only a name is lost: the speaker stays as written.
            diags.push(
                Diagnostic::warning(DiagKind::Io, format!("{e}; the author's name is not read from it"))
                    .at_path(path)
                    .hint(e.hint()),
            );
            return None;
        }
    };
    let raw = frontmatter::split(&text).ok()?.front_matter?;
    let fm = frontmatter::parse(raw).ok()?;
    let title = fm.map.get("title").and_then(Value::scalar_text).map(|t| t.trim().to_string());
    let title = title.filter(|t| !t.is_empty())?;
    // A name is shown wherever the speaker's talks are, in every output of
    // every one of them: a name, not a page of text.
    if title.len() > MAX_AUTHOR_NAME {
        diags.push(
            Diagnostic::warning(
                DiagKind::InvalidValue,
                format!(
                    "the author's `title` is {} bytes long, more than {MAX_AUTHOR_NAME}; the speaker is shown as `{slug}`",
                    title.len()
                ),
            )
            .at_path(path)
            .at(Some(fm.position_of(&["title"])))
            .key("title")
            .hint("give the author page the person's name as its title"),
        );
        return None;
    }
    Some(title)
}
