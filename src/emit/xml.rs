//! What XML 1.0 cannot hold. `rss` and `atom_syndication` write control
//! characters and U+FFFE/U+FFFF as they are, which makes the document not
//! well-formed (and no escape can carry them: `&#1;` is forbidden too).
//! Every XML output passes through [`well_formed`], once, after writing.

/// Returns true if and only if XML 1.0 allows `c` in a document (`Char`, §2.2).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `xml` without the characters XML 1.0 forbids.
pub fn well_formed(xml: String) -> String {
    if xml.chars().all(allowed) { xml } else { xml.chars().filter(|c| allowed(*c)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_removed() {
        assert_eq!(well_formed("a\u{1}b\u{FFFE}c\u{FFFF}d\te\u{1F389}".into()), "abcd\te\u{1F389}");
    }
}
