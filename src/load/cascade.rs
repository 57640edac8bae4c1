//! `cascade`: values a section page (or the site config) gives to every
//! page below it that does not set them, as Hugo applies them; and the
//! section pages that hold them.

use globset::{Glob, GlobMatcher};

use super::Inputs;
use super::page::{decode, read_page};
use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::discover::{Discovery, PageFile, PageKind};
use crate::frontmatter::{self, Map, Value};
use crate::model::Site;
use crate::normalize;

/// Reads the section pages of `discovery` into `site`'s list pages, and
/// returns the `cascade`s that apply to its talks (the site config's
/// first), nearest section first.
pub(super) fn section_pages(
    discovery: &Discovery,
    inputs: &Inputs<'_>,
    site: &mut Site,
    diags: &mut Diagnostics,
) -> Vec<Cascade> {
    let mut cascades: Vec<Cascade> = Vec::new();
    if let Some(v) = inputs.hugo.get("cascade") {
        match Cascade::parse(v, "", None) {
            Ok(c) => cascades.extend(c),
            Err(d) => diags.push(d.at_path(inputs.hugo.files.last().cloned().unwrap_or_default())),
        }
    }
    for file in discovery.pages.iter().filter(|p| p.kind == PageKind::Section) {
        let (map, cascade_at) = match read_front_matter(file, inputs.scope.max_file_size) {
            Ok(m) => m,
            Err(d) => {
                diags.push(d.at_path(&file.path));
                site.failed_list_pages.push(file.path.clone());
                continue;
            }
        };
        let dir = file.content_path.rsplit_once('/').map_or("", |(d, _)| d);
        if let Some(v) = map.get("cascade") {
            match Cascade::parse(v, dir, Some(&file.lang)) {
                Ok(c) => cascades.extend(c),
                Err(d) => {
                    diags.push(d.at_path(&file.path).at(cascade_at));
                    site.failed_list_pages.push(file.path.clone());
                    continue;
                }
            }
        }
        site.list_pages.push(normalize::list_page(file, &map, inputs.rules, inputs.urls));
    }
    // Nearest section first, so it wins over its ancestors.
    cascades.sort_by_key(|c| std::cmp::Reverse(c.dir.len()));
    cascades
}

/// The front matter of a section page as a map (empty without front
/// matter), and where its `cascade` is written.
fn read_front_matter(file: &PageFile, limit: u64) -> Result<(Map, Option<Position>), Diagnostic> {
    let text = read_page(&file.path, limit).and_then(decode)?;
    let split = frontmatter::split(&text)?;
    match split.front_matter {
        Some(raw) => frontmatter::parse(raw).map(|fm| {
            let at = fm.map.contains_key("cascade").then(|| fm.position_of(&["cascade"]));
            (fm.map, at)
        }),
        None => Ok((Map::new(), None)),
    }
}

/// The most `cascade` blocks one section page (or the site config) may have.
pub const MAX_CASCADE_BLOCKS: usize = 100;
/// The most keys one `cascade` block may have.
pub const MAX_CASCADE_KEYS: usize = 1000;
/// The most bytes of text one `cascade` block may hold: every page below
/// gets a copy, and every output of each (real cascades hold a few words).
pub const MAX_CASCADE_BYTES: usize = 64 * 1024;

/// A `cascade` block of a section page (or of the site config).
#[derive(Debug)]
pub(super) struct Cascade {
    /// The content folder it applies below (`talk`, `talk/2019`; "" for the site).
    dir: String,
    /// The language of the section page (`None` for the site config: all).
    lang: Option<String>,
    values: Map,
    target: Target,
}

#[derive(Debug, Default)]
struct Target {
    path: Option<GlobMatcher>,
    kind: Option<GlobMatcher>,
    lang: Option<GlobMatcher>,
}

impl Cascade {
    /// A `cascade` value is a map, or a list of maps, each with an optional
    /// `_target` (or `target`) restricting it by `path`, `kind` and `lang`
    /// globs. Every value of every block is copied into every page below,
    /// so their number is bounded: at most [`MAX_CASCADE_BLOCKS`] blocks of
    /// at most [`MAX_CASCADE_KEYS`] keys (real sites have one to three of a
    /// handful).
    fn parse(v: &Value, dir: &str, lang: Option<&str>) -> Result<Vec<Cascade>, Diagnostic> {
        let items: Vec<&Map> = match v {
            Value::Map(m) => vec![m],
            Value::List(l) => l.iter().filter_map(Value::as_map).collect(),
            _ => Vec::new(),
        };
        let too_many = |what: String| {
            Diagnostic::error(
                DiagKind::InvalidValue,
                format!("the `cascade` has {what}; its values would be copied into every page below"),
            )
            .key("cascade")
            .hint(format!("keep it to {MAX_CASCADE_BLOCKS} blocks of {MAX_CASCADE_KEYS} keys at most"))
        };
        if items.len() > MAX_CASCADE_BLOCKS {
            return Err(too_many(format!("{} blocks, more than {MAX_CASCADE_BLOCKS}", items.len())));
        }
        if let Some(big) = items.iter().find(|m| m.len() > MAX_CASCADE_KEYS) {
            return Err(too_many(format!("a block of {} keys, more than {MAX_CASCADE_KEYS}", big.len())));
        }
        let bytes = |m: &Map| m.iter().map(|(k, v)| k.len() + v.text_bytes()).sum::<usize>();
        if let Some(big) = items.iter().map(|m| bytes(m)).find(|b| *b > MAX_CASCADE_BYTES) {
            return Err(too_many(format!(
                "a block of {}, more than {}",
                crate::files::size_text(big as u64),
                crate::files::size_text(MAX_CASCADE_BYTES as u64)
            ))
            .hint(format!(
                "keep a cascade to short values (at most {}); long text belongs on the page itself",
                crate::files::size_text(MAX_CASCADE_BYTES as u64)
            )));
        }
        Ok(items
            .into_iter()
            .map(|m| {
                let mut values = m.clone();
                let target = values.remove("_target").or_else(|| values.remove("target"));
                let glob = |k: &str| {
                    target
                        .as_ref()
                        .and_then(Value::as_map)
                        .and_then(|t| t.get(k))
                        .and_then(Value::scalar_text)
                        .and_then(|g| Glob::new(&g).ok())
                        .map(|g| g.compile_matcher())
                };
                // Hugo ≥ 0.123 puts custom keys under `params`; they are
                // front-matter keys like any other here.
                if let Some(Value::Map(params)) = values.remove("params") {
                    for (k, v) in params {
                        values.entry(k).or_insert(v);
                    }
                }
                Cascade {
                    dir: dir.to_string(),
                    lang: lang.map(String::from),
                    values,
                    target: Target { path: glob("path"), kind: glob("kind"), lang: glob("lang") },
                }
            })
            .collect())
    }

    fn applies_to(&self, file: &PageFile) -> bool {
        let below =
            self.dir.is_empty() || file.content_path.strip_prefix(&self.dir).is_some_and(|rest| rest.starts_with('/'));
        let same_lang = self.lang.as_ref().is_none_or(|l| *l == file.lang);
        let t = &self.target;
        let page_path = {
            let p = file.content_path.rsplit_once('.').map_or(file.content_path.as_str(), |(p, _)| p);
            format!("/{}", p.strip_suffix("/index").unwrap_or(p))
        };
        below
            && same_lang
            && t.kind.as_ref().is_none_or(|g| g.is_match("page"))
            && t.lang.as_ref().is_none_or(|g| g.is_match(&file.lang))
            && t.path.as_ref().is_none_or(|g| g.is_match(&page_path) || g.is_match(format!("/{}", file.content_path)))
    }
}

/// Merges cascaded values into a page's front matter: the page's own keys
/// win, then the nearest section's cascade, then outer ones.
pub(super) fn apply_cascades(map: &mut Map, file: &PageFile, cascades: &[Cascade]) {
    for c in cascades.iter().filter(|c| c.applies_to(file)) {
        for (k, v) in &c.values {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}
