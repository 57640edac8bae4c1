//! Loading a site: discovery → front matter → cascade → talks, into a
//! [`Site`].
//!
//! [`load`] runs the whole input side once and returns a [`Site`] that the
//! emitters read; nothing after it opens a content file again. Every problem
//! becomes a diagnostic; a page with errors is counted in [`Site::failed`],
//! never silently dropped.

use rayon::prelude::*;

use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::discover::{self, PageKind};
use crate::model::{Site, Talk};
use crate::normalize::{self, Outcome};

mod authors;
mod cascade;
mod detect;
mod git;
mod identity;
mod page;

pub use authors::MAX_AUTHOR_NAME;
pub use cascade::{MAX_CASCADE_BLOCKS, MAX_CASCADE_BYTES, MAX_CASCADE_KEYS};
pub use page::talk_from_file_bytes;

use identity::IdentityPositions;

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
    let times = git::FileTimes::new(inputs, diags);
    let mut positions = read_pages(&discovery, (inputs, &times), &mut site, diags, progress);
    // The sections read hold no talk, and the site did not say where its
    // talks are: never a silent zero.
    if !inputs.scope.sections_given
        && let Some(found) = detect::talks_elsewhere(inputs, &site, &discovery, diags)
    {
        site.sections.extend(found.sections);
        positions.extend(read_pages(&found.discovery, (inputs, &times), &mut site, diags, progress));
        // Content-path order, as if the sections had been read together.
        let mut talks: Vec<(Talk, IdentityPositions)> = site.talks.drain(..).zip(positions).collect();
        talks.sort_by(|(a, _), (b, _)| {
            (&a.source.content_path, &a.source.lang).cmp(&(&b.source.content_path, &b.source.lang))
        });
        (site.talks, positions) = talks.into_iter().unzip();
    }
    identity::check_across_talks(&site.talks, &positions, inputs.base_url, &inputs.urls.default_language, diags);
    let author_pages = discover::authors(inputs.scope);
    site.author_names =
        inputs.languages.iter().map(|l| (l.to_string(), authors::names(inputs, &author_pages, l, diags))).collect();
    site
}

/// Reads the pages of `discovery` into `site`: the section pages first
/// (their `cascade` applies to the talks below them), then every talk page
/// in parallel. Returns where each new talk's identity keys are written.
fn read_pages(
    discovery: &discover::Discovery,
    (inputs, times): (&Inputs<'_>, &git::FileTimes),
    site: &mut Site,
    diags: &mut Diagnostics,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<IdentityPositions> {
    site.set_aside.extend(discovery.set_aside.iter().map(|p| (p.path.clone(), p.lang.clone())));
    let cascades = cascade::section_pages(discovery, inputs, site, diags);
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
            let file_dates = times.of(&file.path);
            let (outcome, positions) = page::load_talk((file, file_dates), &cascades, inputs, &mut page_diags);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(256) || n == total {
                progress(n, total);
            }
            (outcome, positions, page_diags)
        })
        .collect();
    let talk_files = discovery.pages.iter().filter(|p| p.kind != PageKind::Section);
    // Room for every talk at once: a vector that doubles as it grows holds
    // its old and new copies together (at 100,000 talks, 200 MB more).
    let talks = loaded.iter().filter(|(o, _, _)| matches!(o, Outcome::Talk(_))).count();
    site.talks.reserve_exact(talks);
    let mut positions = Vec::with_capacity(talks);
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
