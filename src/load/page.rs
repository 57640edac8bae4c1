//! One talk page, from its file to a [`normalize::Outcome`]: read within
//! the size limit, decoded, split, parsed, given the cascaded values, and
//! normalised.

use super::Inputs;
use super::cascade::{Cascade, apply_cascades};
use super::identity::IdentityPositions;
use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::discover::PageFile;
use crate::frontmatter;
use crate::normalize::dates::FileDates;
use crate::normalize::{self, Outcome};

pub(super) fn load_talk(
    (file, times): (&PageFile, FileDates),
    cascades: &[Cascade],
    inputs: &Inputs<'_>,
    diags: &mut Diagnostics,
) -> (Outcome, IdentityPositions) {
    match read_page(&file.path, inputs.scope.max_file_size) {
        Ok(bytes) => talk_from_bytes((file, times), bytes, cascades, inputs, diags),
        Err(d) => {
            diags.push(d.at_path(&file.path));
            (Outcome::Failed, IdentityPositions::default())
        }
    }
}

/// The bytes of a page, if it is a regular file within the size limit; a
/// page that cannot be read is an error (its talk would be lost).
pub(super) fn read_page(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
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
    talk_from_bytes((file, FileDates::default()), bytes, &[], inputs, diags).0
}

fn talk_from_bytes(
    (file, times): (&PageFile, FileDates),
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
        normalize::talk((file, times), fm.as_ref(), &map, split.body, split.body_line, inputs.rules, inputs.urls);
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
pub(super) fn decode(bytes: Vec<u8>) -> Result<String, Diagnostic> {
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
