//! YAML front matter, behind [`parse_yaml`]: the only place that uses the
//! YAML crate, so it can be swapped in one place. That crate is
//! `serde_norway`, the maintained fork of the archived `serde_yaml`
//! (RustSec's recommendation), imported under the name `serde_yaml`.
//!
//! It reads YAML 1.2 (`country: NO` stays text; `draft: no` is the text
//! "no", which the normalizer reads leniently). Its events are read
//! straight into [`Value`] rather than through `serde_yaml::Value`, which
//! refuses a key written twice: Hugo 0.111 (yaml.v2) keeps the last one, so
//! talkfeed does too and reports it. Merge keys (`<<: *defaults`) are
//! applied, as Hugo's YAML parsers do.

use serde::de::DeserializeSeed;

use super::formats::{Parsed, SyntaxError, without_position};
use super::value::{Map, MapBuilder, Value, ValueSeed};
use crate::diag::Position;

/// Parses YAML `text`, whose first line is line `first_line` of its file.
///
/// An empty document is `Value::Null`. A key written twice keeps its last
/// value and is listed in [`Parsed::repeated`].
pub fn parse_yaml(text: &str, first_line: u32) -> Result<Parsed, SyntaxError> {
    // libyaml's scanner takes quadratic time on deeply nested flow
    // collections (`[[[[…`) before serde_norway's own depth limit applies:
    // 100 000 levels take 20 s. Refuse them before parsing.
    if let Some(offset) = too_deep_flow(text, MAX_DEPTH) {
        return Err(SyntaxError {
            message: format!("lists and maps are nested more than {MAX_DEPTH} levels deep"),
            position: Some(Position::of_offset(text, offset, first_line)),
            duplicate_key: None,
        });
    }
    if text.trim().is_empty() {
        return Ok(Parsed { value: Value::Null, repeated: Vec::new() });
    }
    let builder = std::cell::RefCell::new(MapBuilder::default());
    // A file of several documents (`---` between them) is read as Hugo
    // reads it: the first document only.
    let Some(document) = serde_yaml::Deserializer::from_str(text).next() else {
        return Ok(Parsed { value: Value::Null, repeated: Vec::new() });
    };
    let parsed = ValueSeed { builder: &builder, parent: String::new() }.deserialize(document);
    match parsed {
        Ok(mut value) => {
            apply_merge(&mut value);
            Ok(Parsed { value, repeated: builder.into_inner().repeated })
        }
        Err(e) => {
            let message = without_position(e.to_string());
            let position =
                e.location().map(|l| Position { line: first_line + l.line() as u32 - 1, column: l.column() as u32 });
            Err(SyntaxError { message, position, duplicate_key: None })
        }
    }
}

/// YAML merge keys: `<<: *a` (or `<<: [*a, *b]`) adds the keys of the
/// merged maps that the map does not set itself; earlier maps in the list
/// win over later ones. Applied everywhere in the tree, as
/// `serde_yaml::Value::apply_merge` does.
fn apply_merge(value: &mut Value) {
    match value {
        Value::Map(map) => {
            if let Some(merged) = map.remove("<<") {
                let sources: Vec<Map> = match merged {
                    Value::Map(m) => vec![m],
                    Value::List(items) => items
                        .into_iter()
                        .filter_map(|v| match v {
                            Value::Map(m) => Some(m),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                for source in sources {
                    for (k, v) in source {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            map.values_mut().for_each(apply_merge);
        }
        Value::List(items) => items.iter_mut().for_each(apply_merge),
        _ => {}
    }
}

/// The nesting depth serde's parsers accept.
const MAX_DEPTH: usize = 128;

/// The offset at which flow collections (`[`, `{`) outside quoted scalars
/// and comments nest deeper than `limit`, if they do.
fn too_deep_flow(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if comment {
            comment = c != '\n';
        } else if let Some(q) = quote {
            if c == '\\' && q == '"' {
                chars.next();
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                '"' | '\'' if matches!(previous, ' ' | '\t' | '\n' | '[' | '{' | ',' | ':') => quote = Some(c),
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(i);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_keys_and_records_case_collisions() {
        let p = parse_yaml("publishDate: a\npublishdate: b\nAddress:\n  City: X\n", 1).unwrap();
        let m = p.value.as_map().unwrap();
        assert_eq!(m["publishdate"], Value::String("b".into()));
        assert_eq!(m["address"].as_map().unwrap()["city"], Value::String("X".into()));
        assert_eq!(p.repeated.len(), 1);
        assert_eq!(p.repeated[0].spellings, ["publishDate", "publishdate"]);
        assert!(!p.repeated[0].is_exact());
    }

    #[test]
    fn a_key_written_twice_keeps_the_last_value_as_hugo_does() {
        // Hugo 0.111 (yaml.v2) builds such a page with the last value.
        let p = parse_yaml("title: a\nevent: first\nevent: second\n", 1).unwrap();
        assert_eq!(p.value.as_map().unwrap()["event"], Value::String("second".into()));
        assert!(p.repeated[0].is_exact());
        assert_eq!(p.repeated[0].path(), "event");
    }

    #[test]
    fn only_the_first_of_several_documents_is_read() {
        let p = parse_yaml("title: one\n---\ntitle: two\nbroken: [\n", 1);
        assert_eq!(p.unwrap().value.as_map().unwrap()["title"], Value::String("one".into()));
    }

    #[test]
    fn tags_non_string_keys_and_empty_documents() {
        let p = parse_yaml("a: !custom 5\n1: one\ntrue: yes\nb: !!str 7\n", 1).unwrap();
        let m = p.value.as_map().unwrap();
        assert_eq!(m["a"], Value::Int(5));
        assert_eq!(m["1"], Value::String("one".into()));
        assert_eq!(m["true"], Value::String("yes".into()));
        assert_eq!(m["b"], Value::String("7".into()));
        assert_eq!(parse_yaml("# only a comment\n", 1).unwrap().value, Value::Null);
        assert_eq!(parse_yaml("", 1).unwrap().value, Value::Null);
        assert!(parse_yaml("? [a, b]\n: c\n", 1).is_err(), "a list as a key");
    }

    #[test]
    fn yaml_errors_are_positioned_in_the_file() {
        let e = parse_yaml("a: 1\nb: [1, 2\nc: 3\n", 2).unwrap_err();
        assert!(e.message.contains("did not find expected"), "{}", e.message);
        assert!(!e.message.contains(" at line "));
        assert_eq!(e.position.unwrap().line, 4);
    }

    #[test]
    fn yaml_accepts_a_tab_after_the_colon() {
        // plbaldoni__plbaldoni writes `title: <TAB>Efficient…`; Hugo accepts it.
        let p = parse_yaml("title: \tEfficient\n", 2).unwrap();
        assert_eq!(p.value.as_map().unwrap()["title"], Value::String("Efficient".into()));
    }

    #[test]
    fn deep_flow_nesting_is_refused_quickly() {
        let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse_yaml(&deep, 2).unwrap_err();
        assert!(e.message.contains("nested more than 128 levels"), "{}", e.message);
        assert_eq!(e.position.unwrap().line, 2);
        assert!(started.elapsed().as_secs() < 5);
        // Brackets in quoted text and comments do not count.
        let text = format!("t: \"{}\"\n# {}\nu: [[a]]\n", "[".repeat(300), "{".repeat(300));
        assert!(parse_yaml(&text, 1).is_ok());
    }

    #[test]
    fn merge_keys_are_applied() {
        let p = parse_yaml("defaults: &d\n  event: Merged\n  title: no\n<<: *d\ntitle: x\n", 1).unwrap();
        let m = p.value.as_map().unwrap();
        assert_eq!(m["event"], Value::String("Merged".into()));
        assert_eq!(m["title"], Value::String("x".into()), "the map's own keys win");
        assert!(!m.contains_key("<<"));
        let p = parse_yaml("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n", 1).unwrap();
        let c = p.value.as_map().unwrap()["c"].as_map().unwrap();
        assert_eq!((c["x"].clone(), c["y"].clone()), (Value::Int(1), Value::Int(2)), "earlier maps win");
    }
}
