//! Loading a site: discovery → front matter → cascade → talks, into a
//! [`Site`].
//!
//! [`load`] runs the whole input side once and returns a [`Site`] that the
//! emitters read; nothing after it opens a content file again. Every problem
//! becomes a diagnostic; a page with errors is counted in [`Site::failed`],
//! never silently dropped.

use std::collections::BTreeMap;
use std::path::PathBuf;

use globset::{Glob, GlobMatcher};
use rayon::prelude::*;

use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::discover::{self, PageFile, PageKind};
use crate::frontmatter::{self, Map, Value};
use crate::model::{Site, Talk};
use crate::normalize::{self, Outcome};

mod detect;

/// What loading reads: the options of the stages it runs, borrowed from
/// the settings ([`crate::settings::Settings::inputs`]).
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// Where the pages are.
    pub scope: &'a crate::discover::Scope,
    /// How they are read.
    pub rules: &'a normalize::Rules,
    /// How their permalinks are made.
    pub urls: &'a crate::permalink::UrlConfig,
    /// The Hugo config: its `cascade`.
    pub hugo: &'a crate::config::HugoConfig,
    /// The site's absolute URL, by which talks' generated uids are known.
    pub base_url: Option<&'a url::Url>,
    /// The languages written, whose speakers' names are read.
    pub languages: Vec<&'a str>,
}

/// Reads the site described by `inputs`.
pub fn load(inputs: &Inputs<'_>, diags: &mut Diagnostics) -> Site {
    load_with_progress(inputs, diags, &|_, _| {})
}

/// [`load`], calling `progress(done, total)` as talk pages are read (from
/// several threads).
pub fn load_with_progress(
    inputs: &Inputs<'_>,
    diags: &mut Diagnostics,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Site {
    let discovery = discover::discover(inputs.scope, &inputs.scope.sections, diags);
    // Sections the site names must be there: a mistyped --section or a
    // half checkout would otherwise publish an empty calendar, and
    // subscribers would lose every talk.
    if inputs.scope.sections_given && discovery.section_folders.is_empty() {
        diags.push(
            Diagnostic::error(
                DiagKind::Io,
                format!(
                    "no talk section found: none of {} exists",
                    inputs.scope.sections.iter().map(|s| format!("{s}/")).collect::<Vec<_>>().join(", ")
                ),
            )
            .at_path(&inputs.scope.content_dir)
            .hint("name the folder that holds the talks with --section NAME"),
        );
    }
    let mut site = Site { sections: inputs.scope.sections.clone(), ..Site::default() };
    let mut positions = read_pages(&discovery, inputs, &mut site, diags, progress);
    // The sections read hold no talk, and the site did not say where its
    // talks are: never a silent zero.
    if !inputs.scope.sections_given
        && let Some(found) = detect::talks_elsewhere(inputs, &site, &discovery, diags)
    {
        site.sections.extend(found.sections);
        positions.extend(read_pages(&found.discovery, inputs, &mut site, diags, progress));
        // Content-path order, as if the sections had been read together.
        let mut talks: Vec<(Talk, IdentityPositions)> = site.talks.drain(..).zip(positions).collect();
        talks.sort_by(|(a, _), (b, _)| {
            (&a.source.content_path, &a.source.lang).cmp(&(&b.source.content_path, &b.source.lang))
        });
        (site.talks, positions) = talks.into_iter().unzip();
    }
    check_across_talks(&site.talks, &positions, inputs.base_url, &inputs.urls.default_language, diags);
    site.author_names = inputs.languages.iter().map(|l| (l.to_string(), author_names(inputs, l, diags))).collect();
    site
}

/// Reads the pages of `discovery` into `site`: the section pages first
/// (their `cascade` applies to the talks below them), then every talk page
/// in parallel. Returns where each new talk's identity keys are written.
fn read_pages(
    discovery: &discover::Discovery,
    inputs: &Inputs<'_>,
    site: &mut Site,
    diags: &mut Diagnostics,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<IdentityPositions> {
    site.set_aside.extend(discovery.set_aside.iter().map(|p| (p.path.clone(), p.lang.clone())));
    let cascades = section_pages(discovery, inputs, site, diags);
    // Pages are independent: read them in parallel, then collect their
    // outcomes and diagnostics in discovery order, so output does not
    // depend on scheduling.
    let total = discovery.pages.iter().filter(|p| p.kind != PageKind::Section).count();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let loaded: Vec<(Outcome, IdentityPositions, Diagnostics)> = discovery
        .pages
        .par_iter()
        .filter(|p| p.kind != PageKind::Section)
        .map(|file| {
            let mut page_diags = Diagnostics::new();
            let (outcome, positions) = load_talk(file, &cascades, inputs, &mut page_diags);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(256) || n == total {
                progress(n, total);
            }
            (outcome, positions, page_diags)
        })
        .collect();
    let talk_files = discovery.pages.iter().filter(|p| p.kind != PageKind::Section);
    let mut positions = Vec::new();
    for (file, (outcome, p, page_diags)) in talk_files.zip(loaded) {
        diags.extend(page_diags);
        match (outcome, p) {
            (Outcome::Talk(t), p) => {
                site.talks.push(*t);
                positions.push(p);
            }
            (Outcome::NotATalk(page), _) => site.not_talks.push(page),
            (Outcome::Failed, _) => site.failed.push(file.path.clone()),
        }
    }
    positions
}

/// Reads the section pages of `discovery` into `site`'s list pages, and
/// returns the `cascade`s that apply to its talks (the site config's
/// first), nearest section first.
fn section_pages(
    discovery: &discover::Discovery,
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

/// The longest author name read from an author page, in bytes.
pub const MAX_AUTHOR_NAME: usize = 256;

/// The theme's author pages: `authors/<slug>/_index.md` (or `index.md`) in
/// the content folder of `lang`, then the main content folder; the page's
/// `title` is the name shown for the slug in `authors:`.
fn author_names(inputs: &Inputs<'_>, lang: &str, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    let mut roots: Vec<PathBuf> = inputs
        .scope
        .languages
        .iter()
        .filter(|l| l.code == lang)
        .filter_map(|l| l.content_dir.as_ref().map(|d| crate::files::join(&inputs.scope.site_dir, d)))
        .collect();
    roots.push(inputs.scope.content_dir.clone());
    let mut names = BTreeMap::new();
    for root in roots {
        let Ok(entries) = std::fs::read_dir(root.join("authors")) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let slug = entry.file_name().to_string_lossy().into_owned();
            let title = ["_index.md", "index.md"].iter().find_map(|f| {
                let path = entry.path().join(f);
                let text = match crate::files::read_text(&path, inputs.scope.max_file_size) {
                    Ok(t) => t,
                    Err(e) if e.is_not_found() => return None,
                    Err(e) => {
                        // Only a name is lost: the speaker stays as written.
                        diags.push(
                            Diagnostic::warning(DiagKind::Io, format!("{e}; the author's name is not read from it"))
                                .at_path(&path)
                                .hint(e.hint()),
                        );
                        return None;
                    }
                };
                let raw = frontmatter::split(&text).ok()?.front_matter?;
                let fm = frontmatter::parse(raw).ok()?;
                let title = fm.map.get("title").and_then(Value::scalar_text).map(|t| t.trim().to_string());
                let title = title.filter(|t| !t.is_empty())?;
                // A name is shown wherever the speaker's talks are, in every
                // output of every one of them: a name, not a page of text.
                if title.len() > MAX_AUTHOR_NAME {
                    diags.push(
                        Diagnostic::warning(
                            DiagKind::InvalidValue,
                            format!(
                                "the author's `title` is {} bytes long, more than {MAX_AUTHOR_NAME}; the speaker is shown as `{slug}`",
                                title.len()
                            ),
                        )
                        .at_path(&path)
                        .at(Some(fm.position_of(&["title"])))
                        .key("title")
                        .hint("give the author page the person's name as its title"),
                    );
                    return None;
                }
                Some(title)
            });
            if let Some(title) = title {
                names.entry(slug).or_insert(title);
            }
        }
    }
    names
}

/// Where the keys that identify a talk are written, for messages about
/// talks that share an identity.
#[derive(Debug, Clone, Copy, Default)]
struct IdentityPositions {
    uid: Option<Position>,
    permalink: Option<Position>,
}

fn load_talk(
    file: &PageFile,
    cascades: &[Cascade],
    inputs: &Inputs<'_>,
    diags: &mut Diagnostics,
) -> (Outcome, IdentityPositions) {
    match read_page(&file.path, inputs.scope.max_file_size) {
        Ok(bytes) => talk_from_bytes(file, bytes, cascades, inputs, diags),
        Err(d) => {
            diags.push(d.at_path(&file.path));
            (Outcome::Failed, IdentityPositions::default())
        }
    }
}

/// The bytes of a page, if it is a regular file within the size limit; a
/// page that cannot be read is an error (its talk would be lost).
fn read_page(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    crate::files::read(path, limit).map_err(|e| {
        let hint = match e {
            crate::files::ReadError::Io(_) => "a talk in an unreadable file would be lost: fix its permissions",
            _ => e.hint(),
        };
        Diagnostic::error(DiagKind::Io, e.to_string()).hint(hint)
    })
}

/// One talk page from the bytes of its file, without cascades: the whole
/// input side for one page, for fuzzing.
pub fn talk_from_file_bytes(file: &PageFile, bytes: Vec<u8>, inputs: &Inputs<'_>, diags: &mut Diagnostics) -> Outcome {
    talk_from_bytes(file, bytes, &[], inputs, diags).0
}

fn talk_from_bytes(
    file: &PageFile,
    bytes: Vec<u8>,
    cascades: &[Cascade],
    inputs: &Inputs<'_>,
    diags: &mut Diagnostics,
) -> (Outcome, IdentityPositions) {
    let failed = (Outcome::Failed, IdentityPositions::default());
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d.at_path(&file.path));
            return failed;
        }
    };
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d.at_path(&file.path));
            return failed;
        }
    };
    let fm = match split.front_matter.map(frontmatter::parse).transpose() {
        Ok(fm) => fm,
        Err(d) => {
            diags.push(d.at_path(&file.path));
            return failed;
        }
    };
    if let Some(fm) = &fm {
        let warnings = frontmatter::repeated_key_warnings(&fm.repeated, |path| Some(fm.position_of_last(path)));
        diags.extend(warnings.into_iter().map(|d| d.at_path(&file.path)));
    }
    let mut map = fm.as_ref().map(|f| f.map.clone()).unwrap_or_default();
    apply_cascades(&mut map, file, cascades);
    let (outcome, page_diags) =
        normalize::talk(file, fm.as_ref(), &map, split.body, split.body_line, inputs.rules, inputs.urls);
    diags.extend(page_diags);
    let positions = match (&outcome, &fm) {
        (Outcome::Talk(t), Some(fm)) => IdentityPositions {
            uid: t.uid.as_ref().map(|_| fm.position_of(&["uid"])),
            permalink: Some(fm.position_of(&[if t.url.is_some() {
                "url"
            } else if t.slug.is_some() {
                "slug"
            } else {
                "title"
            }])),
        },
        _ => IdentityPositions::default(),
    };
    (outcome, positions)
}

/// A content file's bytes as UTF-8 text; UTF-16 and other encodings are
/// errors that say so.
fn decode(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(DiagKind::Encoding, "the file is UTF-16 text; talkfeed and Hugo read UTF-8")
            .at(Some(Position { line: 1, column: 1 }))
            .hint("save the file as UTF-8"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        Diagnostic::error(DiagKind::Encoding, format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[valid]))
            .at(Some(Position::of_offset(&prefix, valid, 1)))
            .hint("save the file as UTF-8")
    })
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
struct Cascade {
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
fn apply_cascades(map: &mut Map, file: &PageFile, cascades: &[Cascade]) {
    for c in cascades.iter().filter(|c| c.applies_to(file)) {
        for (k, v) in &c.values {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// Checks that need all talks: shared permalinks (a warning: Hugo publishes
/// one of the pages) and shared explicit `uid`s (an error: calendars would
/// merge two talks).
fn check_across_talks(
    talks: &[Talk],
    positions: &[IdentityPositions],
    base_url: Option<&url::Url>,
    default_language: &str,
    diags: &mut Diagnostics,
) {
    let mut by_permalink: BTreeMap<(&str, &str), Vec<(&Talk, IdentityPositions)>> = BTreeMap::new();
    // Explicit uids may repeat each other or a generated one (a page copied
    // with the uid of the page it replaces); generated ones are known once
    // the base URL is.
    let mut by_uid: BTreeMap<String, Vec<(&Talk, IdentityPositions)>> = BTreeMap::new();
    for (t, p) in talks.iter().zip(positions) {
        by_permalink.entry((&t.source.lang, &t.permalink)).or_default().push((t, *p));
        let uid = match base_url {
            Some(base) => Some(t.uid(base, default_language)),
            None => t.uid.clone(),
        };
        if let Some(uid) = uid {
            by_uid.entry(uid).or_default().push((t, *p));
        }
    }
    for ((_, permalink), group) in by_permalink.into_iter().filter(|(_, g)| g.len() > 1) {
        for (t, p) in &group {
            let others = others_than(&group, t);
            diags.push(
                Diagnostic::warning(
                    DiagKind::DuplicatePermalink,
                    format!(
                        "the permalink {permalink} is shared with {others}; Hugo publishes only one of these pages"
                    ),
                )
                .at_path(&t.source.path)
                .at(p.permalink)
                .hint("give one of them a `slug:` (or `url:`) of its own; both stay in the calendar"),
            );
        }
    }
    for (uid, group) in by_uid.into_iter().filter(|(_, g)| g.len() > 1) {
        for (t, p) in &group {
            let others = others_than(&group, t);
            diags.push(
                Diagnostic::error(DiagKind::DuplicateUid, format!("the talk's uid {uid} is also the uid of {others}"))
                    .at_path(&t.source.path)
                    .at(p.uid)
                    .key("uid")
                    .hint("every talk needs its own uid, each translation too; calendars would merge these talks"),
            );
        }
    }
}

/// The files of the talks in `group` other than `talk`, for messages.
fn others_than(group: &[(&Talk, IdentityPositions)], talk: &Talk) -> String {
    let others: Vec<String> = group
        .iter()
        .filter(|(o, _)| o.source.path != talk.source.path)
        .map(|(o, _)| o.source.path.display().to_string())
        .collect();
    others.join(", ")
}
