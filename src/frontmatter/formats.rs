//! The three front-matter formats, each behind one function.
//!
//! Every parser returns a [`Value`] with lower-cased keys, or a
//! [`SyntaxError`] positioned in the file. YAML in particular sits behind
//! [`parse_yaml`] alone, so the YAML crate can be swapped in one place
//! (serde_yaml is archived; talkfeed uses its maintained fork serde_norway).

use super::value::{MapBuilder, RepeatedKey, Value, ValueSeed};
pub use super::yaml::parse_yaml;
use crate::diag::Position;

/// A syntax error in YAML, TOML or JSON, positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The parser's message, without source snippets.
    pub message: String,
    /// Where it happened, if the parser said.
    pub position: Option<Position>,
    /// For a key given twice, the key.
    pub duplicate_key: Option<String>,
}

/// A parsed document: its value and the keys written twice in one map.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The document's value (front matter is a map; the caller checks).
    pub value: Value,
    /// Keys written twice (exactly, or under different case); the last is kept.
    pub repeated: Vec<RepeatedKey>,
}

/// Parses TOML `text`, whose first line is line `first_line` of its file.
/// A key written twice is an error, as in Hugo (go-toml refuses it too).
pub fn parse_toml(text: &str, first_line: u32) -> Result<Parsed, SyntaxError> {
    match toml::from_str::<toml::Table>(text) {
        Ok(t) => {
            let mut b = MapBuilder::default();
            let value = b.convert_toml_table("", t);
            Ok(Parsed { value, repeated: b.repeated })
        }
        Err(e) => {
            let message = e.message().trim().to_string();
            // The toml crate says "duplicate key" and spans the key.
            let duplicate_key = (message == "duplicate key")
                .then(|| e.span().and_then(|s| text.get(s)).map(|k| k.trim().trim_matches('"').to_string()))
                .flatten();
            Err(SyntaxError {
                message,
                position: e.span().map(|s| Position::of_offset(text, s.start, first_line)),
                duplicate_key,
            })
        }
    }
}

/// Parses JSON `text`, whose first line is line `first_line` of its file.
/// A key written twice keeps the last value, as Hugo's JSON reader does.
pub fn parse_json(text: &str, first_line: u32) -> Result<Parsed, SyntaxError> {
    use serde::de::DeserializeSeed;
    let builder = std::cell::RefCell::new(MapBuilder::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let result =
        ValueSeed { builder: &builder, parent: String::new() }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(value) => Ok(Parsed { value, repeated: builder.into_inner().repeated }),
        Err(e) => {
            let message = without_position(e.to_string());
            let position = (e.line() > 0).then(|| {
                // serde_json counts columns in bytes; report characters.
                let line_text = text.lines().nth(e.line() - 1).unwrap_or("");
                let mut byte = e.column().saturating_sub(1).min(line_text.len());
                while !line_text.is_char_boundary(byte) {
                    byte -= 1;
                }
                Position {
                    line: first_line + e.line() as u32 - 1,
                    column: line_text[..byte].chars().count() as u32 + 1,
                }
            });
            Err(SyntaxError { message, position, duplicate_key: None })
        }
    }
}

/// serde_norway and serde_json end messages with " at line L column C";
/// talkfeed reports the position separately.
pub(super) fn without_position(message: String) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_duplicate_key_is_named() {
        let e = parse_toml("title = \"a\"\ndate = 2020-01-01\ntitle = \"b\"\n", 2).unwrap_err();
        assert_eq!(e.duplicate_key.as_deref(), Some("title"));
        assert_eq!(e.position, Some(Position { line: 4, column: 1 }));
    }

    #[test]
    fn toml_errors_are_positioned_in_the_file() {
        let e = parse_toml("a = 1\nb = [\n", 2).unwrap_err();
        assert_eq!(e.position.unwrap().line, 3);
        assert!(!e.message.contains('|'), "no snippet in the message: {}", e.message);
    }

    #[test]
    fn json_errors_are_positioned_in_the_file() {
        let e = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}", 1).unwrap_err();
        assert_eq!(e.position.unwrap().line, 3);
    }
}
