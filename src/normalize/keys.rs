//! Every front-matter key a page is read by, in one list.
//!
//! A key is read in one place (the step of [`super`] named beside it) and
//! documented in one place (docs/content.md, "Keys"). Reading a key that is
//! not listed here is a bug caught by every debug build (`Fields::get`
//! asserts it), and a test checks that every key listed is documented; so
//! adding a key means adding it here, where it is read, and to the docs.
//!
//! Keys are lowercase: front matter keys are case-insensitive, as in Hugo.

/// The keys read from a page's front matter, with the step that reads them.
pub const KEYS: &[(&str, &str)] = &[
    // The talk itself (normalize).
    ("title", "normalize"),
    ("subtitle", "normalize"),
    ("summary", "normalize"),
    ("abstract_short", "normalize"),
    ("abstract", "normalize"),
    ("description", "normalize (section pages)"),
    ("draft", "normalize"),
    ("featured", "normalize"),
    ("selected", "normalize"),
    ("event", "normalize"),
    ("event_name", "normalize"),
    ("status", "normalize"),
    ("uid", "normalize"),
    ("authors", "normalize"),
    ("author", "normalize"),
    ("tags", "normalize"),
    ("categories", "normalize"),
    ("projects", "normalize"),
    ("aliases", "normalize"),
    ("slides", "normalize"),
    ("image", "normalize"),
    ("header", "normalize"),
    ("weight", "normalize"),
    ("slug", "normalize"),
    ("url", "normalize"),
    // When (normalize::when).
    ("event_start", "when"),
    ("time_start", "when"),
    ("date", "when"),
    ("event_end", "when"),
    ("date_end", "when"),
    ("time_end", "when"),
    ("event_all_day", "when"),
    ("all_day", "when"),
    ("timezone", "when"),
    ("time_zone", "when"),
    ("publishdate", "when"),
    ("pubdate", "when"),
    ("published", "when"),
    ("lastmod", "when"),
    ("modified", "when"),
    ("expirydate", "when"),
    ("unpublishdate", "when"),
    // Links (normalize::links); `url_*` too, see [`is_known`].
    ("event_url", "links"),
    ("links", "links"),
    // Place (normalize::place, normalize::online).
    ("location", "place"),
    ("address", "place"),
    ("coordinates", "place"),
    // Pages that are not talks (normalize::not_talk).
    ("headless", "not_talk"),
    ("widget", "not_talk"),
    ("type", "not_talk"),
    ("build", "not_talk"),
    ("publication_types", "not_talk"),
    ("publication", "not_talk"),
];

/// The prefix of the attachment keys (`url_pdf`, `url_slides`, any other).
pub const ATTACHMENT_PREFIX: &str = "url_";

/// Whether `key` (lowercase) is one of the keys a page is read by.
pub fn is_known(key: &str) -> bool {
    KEYS.iter().any(|(k, _)| *k == key) || (key.starts_with(ATTACHMENT_PREFIX) && key.len() > ATTACHMENT_PREFIX.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lowercase_and_listed_once() {
        for (i, (key, _)) in KEYS.iter().enumerate() {
            assert_eq!(*key, key.to_lowercase(), "{key} must be lowercase: front matter keys are");
            assert!(!KEYS[..i].iter().any(|(k, _)| k == key), "{key} is listed twice");
        }
        assert!(is_known("url_poster") && !is_known("url_") && !is_known("speaker"));
    }
}
