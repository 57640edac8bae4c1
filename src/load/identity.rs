//! What identifies a talk across the site: its permalink (two talks with
//! one are a warning: Hugo publishes one of the pages) and its `uid` (two
//! with one are an error: calendars would merge them).

use std::collections::BTreeMap;

use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::model::Talk;

/// Where the keys that identify a talk are written, for messages about
/// talks that share an identity.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct IdentityPositions {
    pub(super) uid: Option<Position>,
    pub(super) permalink: Option<Position>,
}

/// Checks that need all talks: shared permalinks (a warning: Hugo publishes
/// one of the pages) and shared explicit `uid`s (an error: calendars would
/// merge two talks).
pub(super) fn check_across_talks(
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
