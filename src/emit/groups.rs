//! Per-tag and per-section outputs: the talks of one tag (`--per-tag`) or
//! one section (`--per-section`) as a calendar and feeds of their own, in
//! `tags/<slug>/` and `sections/<name>/` under the output folder.
//!
//! Tags are merged as Hugo merges them: two spellings with the same slug
//! (`Rust`, `rust`) are one tag, shown as first written.

use std::collections::{BTreeMap, HashSet};

use super::{Context, Dated};
use crate::model::Talk;
use crate::view::{TagRef, TalkView};

/// The folder of the per-tag outputs.
pub const TAGS_DIR: &str = "tags";
/// The folder of the per-section outputs.
pub const SECTIONS_DIR: &str = "sections";
/// The folder of the per-speaker outputs.
pub const AUTHORS_DIR: &str = "authors";

/// What a group collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// The talks with one tag.
    Tag,
    /// The talks of one top-level section (`talk/`, `event/`).
    Section,
    /// The talks of one speaker (an `authors` entry).
    Author,
}

/// The talks of one tag or section.
#[derive(Debug, Clone)]
pub struct Group {
    /// Tag or section.
    pub kind: GroupKind,
    /// As people read it: the tag as first written, or the section page's
    /// title (else the section's folder name).
    pub name: String,
    /// The tag's slug as Hugo makes it (`machine-learning`), or the
    /// section's folder name (`event`).
    pub slug: String,
    /// The folder of its outputs under the output folder (`tags/rust`).
    pub dir: String,
    /// The path of the page on the site that lists the same talks
    /// (`/tags/rust/`, `/event/`).
    pub page: String,
    members: HashSet<String>,
}

impl Group {
    /// Whether `talk` belongs to the group.
    pub fn contains(&self, talk: &Talk) -> bool {
        self.members.contains(&talk.source.key)
    }

    /// How many talks of the calendar it holds.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether it holds no talk (never, for a group [`groups`] made).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// The groups the options ask for, of the calendar's talks (`talks`):
/// tags first, then speakers, then sections, each sorted by folder name.
pub fn groups(ctx: &Context<'_>, talks: &[Dated<'_>]) -> Vec<Group> {
    let mut out = Vec::new();
    if ctx.options.per_tag {
        out.extend(taxonomy(talks, GroupKind::Tag, TAGS_DIR, |v| &v.tags));
    }
    if ctx.options.per_author {
        out.extend(taxonomy(talks, GroupKind::Author, AUTHORS_DIR, |v| &v.authors));
    }
    if ctx.options.per_section {
        let mut sections: BTreeMap<String, Group> = BTreeMap::new();
        for view in talks.iter().map(|d| d.view) {
            let section = &view.talk.source.section;
            let group = sections.entry(section.clone()).or_insert_with(|| Group {
                kind: GroupKind::Section,
                name: ctx.section_list_page(section).and_then(|p| p.title.clone()).unwrap_or_else(|| section.clone()),
                slug: section.clone(),
                dir: format!("{SECTIONS_DIR}/{}", folder(section)),
                page: view.section_page.clone(),
                members: HashSet::new(),
            });
            group.members.insert(view.talk.source.key.clone());
        }
        out.extend(sections.into_values());
    }
    out
}

/// The groups of one taxonomy (tags or speakers) of `talks`, one per slug
/// that `terms` gives a talk, in `dir`, sorted by slug.
fn taxonomy<'v>(
    talks: &[Dated<'v>],
    kind: GroupKind,
    dir: &str,
    terms: impl Fn(&'v TalkView<'v>) -> &'v [TagRef],
) -> impl Iterator<Item = Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for view in talks.iter().map(|d| d.view) {
        for term in terms(view) {
            let group = groups.entry(term.slug.clone()).or_insert_with(|| Group {
                kind,
                name: term.name.clone(),
                slug: term.slug.clone(),
                dir: format!("{dir}/{}", folder(&term.slug)),
                page: term.page.clone(),
                members: HashSet::new(),
            });
            group.members.insert(view.talk.source.key.clone());
        }
    }
    groups.into_values()
}

/// A folder name for a slug: the slug itself when it is plain (lower-case
/// letters, digits, `-`, `_`, inner `.`; in Unicode's composed form; not a
/// name Windows reserves), else named like the per-talk files
/// ([`super::names::safe_name`]), so no tag can name a hidden file, leave its
/// folder, hold characters that URLs and file systems treat specially
/// (`c++`, `c#`), or share a folder with another tag on a file system that
/// folds case or composes accents (macOS, Windows): `Rust` and `rust` under
/// `disablePathToLower` get two folders everywhere.
fn folder(slug: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let plain = |c: char| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-' || c == '_' || c == '.';
    let composed = slug.nfc().eq(slug.chars());
    // The same name after upper- and lower-casing (Windows compares names
    // upper-cased, macOS folds case): `ſtar`, `ςigma`, `µ` and `ıstanbul`
    // would share a folder with `star`, `σigma`, `μ` and `istanbul`.
    let stable = slug.to_uppercase().to_lowercase() == slug;
    if !slug.is_empty()
        && stable
        && slug.len() <= 100
        && !slug.starts_with('.')
        && !slug.ends_with('.')
        && composed
        && slug.chars().all(plain)
        && !reserved_on_windows(slug)
    {
        return slug.to_string();
    }
    super::names::safe_name(slug, "tag")
}

/// Names Windows will not create, with or without an extension (`con`,
/// `nul.txt`, `com1`, `lpt9.md`), in any case.
fn reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_slugs_are_their_own_folder_and_others_are_made_safe() {
        assert_eq!(folder("machine-learning"), "machine-learning");
        assert_eq!(folder("café"), "café");
        assert_eq!(folder("v1.2"), "v1.2");
        for hostile in ["..", ".hidden", "c++", "c#", "a/../../b", "a\\b", "", "%2e%2e"] {
            let f = folder(hostile);
            assert!(!f.starts_with('.') && !f.contains(['/', '\\', '#', '+', '%']) && !f.is_empty(), "{hostile} → {f}");
        }
        assert_ne!(folder("c++"), folder("c#"), "different tags never share a folder");
        assert_eq!(folder("c++"), "c-76516c8c");
    }

    #[test]
    fn folders_are_portable_to_every_file_system() {
        for reserved in ["con", "CON", "aux", "nul", "prn", "com1", "lpt1.txt", "Com9", "nul.tar.gz"] {
            let f = folder(reserved);
            assert!(!reserved_on_windows(&f) && f != reserved, "{reserved} → {f}");
        }
        assert_eq!(folder("com0"), "com0");
        assert_eq!(folder("console"), "console");
        // Names that differ only in case or in composition get their own folders.
        let (upper, lower) = (folder("Rust"), folder("rust"));
        assert_eq!(lower, "rust");
        assert_ne!(upper.to_lowercase(), lower);
        let (nfc, nfd) = (folder("caf\u{e9}"), folder("cafe\u{301}"));
        assert_eq!(nfc, "caf\u{e9}");
        assert_ne!(nfd, nfc);
        assert!(nfd.is_ascii());
        assert_ne!(folder("trailing."), "trailing.");
    }

    #[test]
    fn folders_stay_apart_when_case_is_folded_or_raised() {
        // Folded as macOS does (simple case folding, approximated by
        // lower(upper(x))), raised as Windows does.
        let fold = |s: &str| s.to_uppercase().to_lowercase();
        for (a, b) in [
            ("ſtar", "star"),
            ("ςigma", "σigma"),
            ("\u{b5}", "\u{3bc}"),
            ("ıstanbul", "istanbul"),
            ("straße", "strasse"),
        ] {
            let (fa, fb) = (folder(a), folder(b));
            assert_ne!(fold(&fa), fold(&fb), "{a} → {fa}, {b} → {fb}");
            assert_ne!(fa.to_uppercase(), fb.to_uppercase(), "{a} → {fa}, {b} → {fb}");
        }
        assert_eq!(folder("istanbul"), "istanbul");
        assert_eq!(folder("λόγος"), "λόγος", "a final sigma is stable");
    }
}
