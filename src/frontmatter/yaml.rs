//! YAML front matter, behind [`parse_yaml`]: the only place that uses the
//! YAML crate, so it can be swapped in one place. That crate is
//! `serde_norway`, the maintained fork of the archived `serde_yaml`
//! (RustSec's recommendation), imported under the name `serde_yaml`.
//!
//! It reads YAML 1.2 (`country: NO` stays text; `draft: no` is the text
//! "no", which the normalizer reads leniently) and refuses duplicate keys.
//! Merge keys (`<<: *defaults`) are applied, as Hugo's YAML parsers do.

use super::formats::{Parsed, SyntaxError, duplicate_key_in, without_position};
use super::value::{Map, MapBuilder, Value};
use crate::diag::Position;

/// Parses YAML `text`, whose first line is line `first_line` of its file.
///
/// An empty document is `Value::Null`. Duplicate keys are an error (as in
/// Hugo ≥ 0.152), with the position of the second occurrence when it can be
/// found; serde_norway itself reports the start of the map.
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
    match serde_yaml::from_str::<serde_yaml::Value>(text).and_then(|mut v| v.apply_merge().map(|()| v)) {
        Ok(v) => {
            let mut b = MapBuilder::default();
            let value = convert(&mut b, "", v);
            Ok(Parsed { value, collisions: b.collisions })
        }
        Err(e) => {
            let message = without_position(e.to_string());
            let mut position =
                e.location().map(|l| Position { line: first_line + l.line() as u32 - 1, column: l.column() as u32 });
            let duplicate_key = duplicate_key_in(&message);
            if let Some(key) = &duplicate_key
                && let Some(p) = super::locate::nth_yaml_key(text, key, 2)
            {
                position = Some(Position { line: first_line + p.line - 1, column: p.column });
            }
            Err(SyntaxError { message, position, duplicate_key })
        }
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

fn convert(b: &mut MapBuilder, parent: &str, v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::List(items.into_iter().map(|v| convert(b, parent, v)).collect()),
        Y::Mapping(m) => {
            let mut map = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    other => yaml_key_text(&other),
                };
                let child = MapBuilder::child(parent, &key);
                let value = convert(b, &child, v);
                b.insert(parent, &mut map, &key, value);
            }
            Value::Map(map)
        }
        // A tag (`!foo bar`) says nothing talkfeed uses; keep the value.
        Y::Tagged(t) => convert(b, parent, t.value),
    }
}

/// A non-string YAML key (`1:`, `true:`) as text, as Hugo's map keys are strings.
fn yaml_key_text(v: &serde_yaml::Value) -> String {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => String::from("null"),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        Y::String(s) => s.clone(),
        Y::Tagged(t) => yaml_key_text(&t.value),
        Y::Sequence(_) | Y::Mapping(_) => String::from("?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::CaseCollision;

    #[test]
    fn lower_cases_keys_and_records_collisions() {
        let y: serde_yaml::Value =
            serde_yaml::from_str("publishDate: a\npublishdate: b\nAddress:\n  City: X\n").unwrap();
        let mut b = MapBuilder::default();
        let v = convert(&mut b, "", y);
        let m = v.as_map().unwrap();
        assert!(m.contains_key("publishdate"));
        assert_eq!(m["address"].as_map().unwrap()["city"], Value::String("X".into()));
        assert_eq!(b.collisions, vec![CaseCollision { parent: String::new(), key: "publishdate".into() }]);
    }

    #[test]
    fn yaml_errors_are_positioned_in_the_file() {
        let e = parse_yaml("a: 1\nb: [1, 2\nc: 3\n", 2).unwrap_err();
        assert!(e.message.contains("did not find expected"), "{}", e.message);
        assert!(!e.message.contains(" at line "));
        assert_eq!(e.position.unwrap().line, 4);
    }

    #[test]
    fn yaml_duplicate_key_points_at_second_occurrence() {
        let e = parse_yaml("title: a\ndate: 2019-01-01\ntitle: b\n", 2).unwrap_err();
        assert_eq!(e.duplicate_key.as_deref(), Some("title"));
        assert_eq!(e.position, Some(Position { line: 4, column: 1 }));
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
        let p = parse_yaml("defaults: &d\n  event: Merged\n<<: *d\ntitle: x\n", 1).unwrap();
        assert_eq!(p.value.as_map().unwrap()["event"], Value::String("Merged".into()));
    }
}
