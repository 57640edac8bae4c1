//! Names of output files and folders made from what pages say: reduced to
//! lower-case ASCII letters, digits, `-` and `_`, with a short hash, so
//! nothing a page writes can leave the output folder, name a hidden or
//! reserved file, or make two outputs share a name.

use uuid::Uuid;

use crate::model::Talk;

/// The per-talk file name of a talk, without `.ics`: its content path
/// (`talk/product-coaching/index.md` → `talk-product-coaching`) reduced to
/// lower-case ASCII letters, digits, `-` and `_` (so nothing a page says can
/// leave the output folder or trip a file system), cut to 100 characters,
/// and a short hash of the content path (so two pages never share a name,
/// whatever their paths reduce to, and a talk's name never depends on the
/// other pages): `talk-product-coaching-7c1e04aa`.
pub fn file_name(talk: &Talk) -> String {
    format!("{}-{}", file_base(&talk.source.key), short_hash(&talk.source.key))
}

/// A file or folder name made from any `text`: reduced as [`file_name`]
/// reduces content paths (`fallback` when nothing is left), then a short
/// hash of `text`: `c-76516c8c` for `c++`.
pub(crate) fn safe_name(text: &str, fallback: &str) -> String {
    format!("{}-{}", ascii_name(text, fallback), short_hash(text))
}

fn short_hash(text: &str) -> String {
    let hash = Uuid::new_v5(&Uuid::NAMESPACE_URL, text.as_bytes()).simple().to_string();
    hash[..8].to_string()
}

fn file_base(key: &str) -> String {
    let without_ext = key.rsplit_once('.').map_or(key, |(stem, _)| stem);
    ascii_name(without_ext.strip_suffix("/index").unwrap_or(without_ext), "talk")
}

/// Lower-case ASCII letters, digits and `_`, any other run as one `-`, at
/// most 100 characters; `fallback` when nothing is left.
pub(crate) fn ascii_name(path: &str, fallback: &str) -> String {
    let mut name = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let mut name = name.trim_matches('-').to_string();
    name.truncate(100);
    let name = name.trim_end_matches('-');
    if name.is_empty() { fallback.to_string() } else { name.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_bases_are_safe() {
        assert_eq!(file_base("talk/product-coaching/index.md"), "talk-product-coaching");
        assert_eq!(file_base("talk/2019/Köln Talk.md"), "talk-2019-k-ln-talk");
        assert_eq!(file_base("talk/../../etc/passwd.md"), "talk-etc-passwd");
        assert_eq!(file_base("....md"), "talk");
        assert_eq!(file_base(&format!("talk/{}/{}/index.md", "b".repeat(125), "b".repeat(125))).len(), 100);
    }
}
