//! Front matter: split a page into front matter and body, then parse the
//! front matter into a [`Map`] of lower-cased keys.
//!
//! Splitting follows Hugo's page lexer: a UTF-8 BOM and leading blank lines
//! are skipped; `---` opens YAML, `+++` opens TOML (each closed by the same
//! line), `{` opens JSON (closed by the matching brace); CRLF line endings
//! are accepted. A page that starts with anything else has no front matter
//! and is all body.

mod formats;
pub mod locate;
mod value;
mod yaml;

pub use formats::{Parsed, SyntaxError, parse_json, parse_toml, parse_yaml};
pub use value::{Map, RepeatedKey, Value};

use crate::diag::{DiagKind, Diagnostic, Position};

/// The format of a block of front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `---` … `---`
    Yaml,
    /// `+++` … `+++`
    Toml,
    /// `{` … `}`
    Json,
}

impl Format {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// Front matter as text, before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFrontMatter<'a> {
    /// Its format.
    pub format: Format,
    /// The text between the delimiters (for JSON, the object with its braces).
    pub text: &'a str,
    /// The 1-based file line on which `text` starts.
    pub first_line: u32,
}

/// A page split into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter, if the page has any.
    pub front_matter: Option<RawFrontMatter<'a>>,
    /// Everything after the front matter.
    pub body: &'a str,
    /// The 1-based file line on which `body` starts.
    pub body_line: u32,
}

/// Splits `text` (a whole page) into front matter and body.
///
/// The only error is front matter that is opened but never closed; a JSON
/// object that does not parse is reported here too, since its end cannot be
/// found without parsing it.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    // Leading blank lines (and spaces) before the opening delimiter.
    let start = bom + (text_no_bom.len() - text_no_bom.trim_start().len());
    let rest = &text[start..];
    let open_line = text[..start].matches('\n').count() as u32 + 1;

    let no_front_matter = Split { front_matter: None, body: text_no_bom, body_line: 1 };
    let format = if is_delimiter_line(rest, "---") {
        Format::Yaml
    } else if is_delimiter_line(rest, "+++") {
        Format::Toml
    } else if rest.starts_with('{') {
        Format::Json
    } else {
        return Ok(no_front_matter);
    };

    if format == Format::Json {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
        return match stream.next() {
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                let body = &rest[end..];
                let body = body.strip_prefix("\r\n").or_else(|| body.strip_prefix('\n')).unwrap_or(body);
                Ok(Split {
                    front_matter: Some(RawFrontMatter { format, text: &rest[..end], first_line: open_line }),
                    body,
                    body_line: open_line + text[start..start + end].matches('\n').count() as u32 + 1,
                })
            }
            // Not valid JSON: parse it again for a positioned message.
            _ => Err(syntax_diagnostic(
                format,
                parse_json(rest, open_line).err().unwrap_or(SyntaxError {
                    message: String::from("front matter starting with '{' is not a JSON object"),
                    position: None,
                    duplicate_key: None,
                }),
            )),
        };
    }

    let delimiter = if format == Format::Yaml { "---" } else { "+++" };
    // The opening line ends at the first newline.
    let Some(nl) = rest.find('\n') else {
        return Err(unclosed(format, delimiter, open_line));
    };
    let fm_start = start + nl + 1;
    let mut offset = fm_start;
    for (line_no, line) in (open_line + 1..).zip(text[fm_start..].split_inclusive('\n')) {
        if line.trim_end() == delimiter {
            let body_start = offset + line.len();
            return Ok(Split {
                front_matter: Some(RawFrontMatter { format, text: &text[fm_start..offset], first_line: open_line + 1 }),
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(unclosed(format, delimiter, open_line))
}

/// Returns true if and only if `text` starts with a line that is `delim`
/// followed only by whitespace.
fn is_delimiter_line(text: &str, delim: &str) -> bool {
    match text.strip_prefix(delim) {
        Some(after) => after.split('\n').next().unwrap_or("").trim().is_empty(),
        None => false,
    }
}

fn unclosed(format: Format, delimiter: &str, line: u32) -> Diagnostic {
    Diagnostic::error(
        DiagKind::UnclosedFrontMatter,
        format!("{} front matter opened with '{delimiter}' at line {line} is never closed", format.name()),
    )
    .at(Some(Position { line, column: 1 }))
    .hint(format!("add a line with just '{delimiter}' after the last front-matter key"))
}

fn syntax_diagnostic(format: Format, e: SyntaxError) -> Diagnostic {
    // Limits against hostile input get hints of their own.
    let limit_hint = if e.message.contains("repetition limit") {
        Some("aliases (`*name`) here expand to a huge number of values (an alias bomb?); write the values out")
    } else if e.message.contains("recursion") || e.message.contains("nested more than") {
        Some("nest lists and maps less deeply")
    } else if e.message.contains("control characters") {
        Some("remove the invisible control character (a NUL, a bell, …), often pasted from a PDF or a terminal")
    } else {
        None
    };
    if let Some(hint) = limit_hint {
        return Diagnostic::error(DiagKind::Syntax, format!("{} front matter: {}", format.name(), e.message))
            .at(e.position)
            .hint(hint);
    }
    if let Some(key) = e.duplicate_key {
        // Only TOML refuses a key written twice; so does Hugo (go-toml).
        return Diagnostic::error(
            DiagKind::DuplicateKey,
            format!("`{key}` is written twice; TOML does not allow that, and Hugo refuses the page too"),
        )
        .at(e.position)
        .key(key.to_lowercase())
        .hint("remove the one you do not mean");
    }
    Diagnostic::error(DiagKind::Syntax, format!("{} syntax error in front matter: {}", format.name(), e.message))
        .at(e.position)
        .hint(match format {
            Format::Yaml => {
                "quote values that contain ': ' or start with a special character ('*', '&', '!', '[', '{', '#')"
            }
            Format::Toml => "TOML strings need quotes; dates may stay unquoted (date = 2019-10-05T10:00:00Z)",
            Format::Json => {
                "JSON needs double-quoted keys and strings, and commas between entries but not after the last"
            }
        })
}

/// Parsed front matter, with its text kept for locating keys.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter<'a> {
    /// The text it was parsed from.
    pub raw: RawFrontMatter<'a>,
    /// Its keys (lower-cased) and values.
    pub map: Map,
    /// Keys written twice in one map (the last value is kept).
    pub repeated: Vec<RepeatedKey>,
}

impl FrontMatter<'_> {
    /// Where the key at `path` (lower-cased, outermost first) is written in
    /// the file; the first front-matter line if it cannot be found.
    pub fn position_of(&self, path: &[&str]) -> Position {
        locate::locate(self.raw.format, self.raw.text, path)
            .map(|p| Position { line: p.line + self.raw.first_line - 1, column: p.column })
            .unwrap_or(Position { line: self.raw.first_line.saturating_sub(1).max(1), column: 1 })
    }

    /// Where the value of a key written twice is written: its last line.
    pub fn position_of_last(&self, path: &[&str]) -> Position {
        locate::locate_last(self.raw.format, self.raw.text, path)
            .map(|p| Position { line: p.line + self.raw.first_line - 1, column: p.column })
            .unwrap_or_else(|| self.position_of(path))
    }
}

/// The most keys written twice reported one by one in a file; the rest are
/// counted in one more warning (a file of 100,000 repeated keys would
/// otherwise take a search of the file for each).
pub const MAX_REPEATED_KEY_WARNINGS: usize = 20;

/// The warnings for the keys written twice in one file, positioned by
/// `locate` (the key path → where its last value is written).
pub fn repeated_key_warnings(
    repeated: &[RepeatedKey],
    locate: impl Fn(&[&str]) -> Option<Position>,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = repeated
        .iter()
        .take(MAX_REPEATED_KEY_WARNINGS)
        .map(|r| repeated_key_warning(r).at(locate(&r.segments())))
        .collect();
    if repeated.len() > MAX_REPEATED_KEY_WARNINGS {
        out.push(
            Diagnostic::warning(
                DiagKind::DuplicateKey,
                format!("{} more keys are written twice; the last value of each is used", repeated.len() - out.len()),
            )
            .hint("remove the ones you do not mean"),
        );
    }
    out
}

/// The warning for a key written twice in front matter or a config file:
/// what Hugo 0.111 does with it, and that talkfeed uses the last value.
fn repeated_key_warning(r: &RepeatedKey) -> Diagnostic {
    let key = r.path();
    let message = if r.is_exact() {
        format!("`{key}` is written twice; the last value is used, as Hugo does")
    } else {
        let spellings: Vec<String> = r.spellings.iter().map(|s| format!("`{s}`")).collect();
        format!(
            "`{key}` is written twice ({}; keys are case-insensitive); talkfeed uses the last value, Hugo picks one of them unpredictably",
            spellings.join(" and ")
        )
    };
    Diagnostic::warning(DiagKind::DuplicateKey, message).key(key).hint("remove the one you do not mean")
}

/// Parses `raw` into a map. Empty YAML or TOML front matter is an empty map;
/// a list or a scalar is an error.
pub fn parse(raw: RawFrontMatter<'_>) -> Result<FrontMatter<'_>, Diagnostic> {
    let parsed = match raw.format {
        Format::Yaml => parse_yaml(raw.text, raw.first_line),
        Format::Toml => parse_toml(raw.text, raw.first_line),
        Format::Json => parse_json(raw.text, raw.first_line),
    }
    .map_err(|e| syntax_diagnostic(raw.format, e))?;
    let map = match parsed.value {
        Value::Map(m) => m,
        Value::Null => Map::new(),
        other => {
            return Err(Diagnostic::error(
                DiagKind::NotAMap,
                format!("front matter is {}, not a map of keys", other.type_name()),
            )
            .at(Some(Position { line: raw.first_line, column: 1 }))
            .hint("write one `key: value` per line, e.g. `title: My talk`"));
        }
    };
    Ok(FrontMatter { raw, map, repeated: parsed.repeated })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> (Format, &str, u32, &str, u32) {
        let s = split(text).unwrap();
        let f = s.front_matter.unwrap();
        (f.format, f.text, f.first_line, s.body, s.body_line)
    }

    #[test]
    fn splits_yaml() {
        assert_eq!(fm("---\ntitle: x\n---\nbody\n"), (Format::Yaml, "title: x\n", 2, "body\n", 4));
    }

    #[test]
    fn splits_toml_with_crlf_bom_and_leading_blank_lines() {
        let t = "\u{feff}\r\n\r\n+++\r\ntitle = \"x\"\r\n+++\r\nbody";
        assert_eq!(fm(t), (Format::Toml, "title = \"x\"\r\n", 4, "body", 6));
    }

    #[test]
    fn splits_json() {
        let t = "{\n  \"title\": \"a } b\"\n}\nbody\n";
        assert_eq!(fm(t), (Format::Json, "{\n  \"title\": \"a } b\"\n}", 1, "body\n", 4));
    }

    #[test]
    fn closing_delimiter_may_have_trailing_spaces_and_no_newline() {
        assert_eq!(fm("---\na: 1\n---  ").3, "");
    }

    #[test]
    fn a_longer_dash_line_is_not_a_delimiter() {
        let s = split("----\na: 1\n").unwrap();
        assert!(s.front_matter.is_none());
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("title: Talks\n\ntext").unwrap();
        assert!(s.front_matter.is_none());
        assert_eq!(s.body, "title: Talks\n\ntext");
    }

    #[test]
    fn keys_after_the_closing_delimiter_are_body() {
        let s = split("+++\ntitle = \"G\"\n+++\nlocation = \"Room\"\n").unwrap();
        assert_eq!(s.body, "location = \"Room\"\n");
        let f = parse(s.front_matter.unwrap()).unwrap();
        assert!(!f.map.contains_key("location"));
    }

    #[test]
    fn errors_on_unclosed_front_matter() {
        let d = split("\n---\ntitle: x\n").unwrap_err();
        assert_eq!(d.kind, DiagKind::UnclosedFrontMatter);
        assert_eq!(d.line, Some(2));
        assert_eq!(d.message, "YAML front matter opened with '---' at line 2 is never closed");
    }

    #[test]
    fn errors_on_broken_json() {
        let d = split("{\n \"title\": \n}\n").unwrap_err();
        assert_eq!(d.kind, DiagKind::Syntax);
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn errors_on_a_list_instead_of_a_map() {
        let s = split("---\n- a\n- b\n---\n").unwrap();
        let d = parse(s.front_matter.unwrap()).unwrap_err();
        assert_eq!(d.kind, DiagKind::NotAMap);
        assert_eq!(d.message, "front matter is a list, not a map of keys");
    }

    #[test]
    fn empty_front_matter_is_an_empty_map() {
        let s = split("---\n---\nbody").unwrap();
        assert!(parse(s.front_matter.unwrap()).unwrap().map.is_empty());
        let s = split("+++\n+++\n").unwrap();
        assert!(parse(s.front_matter.unwrap()).unwrap().map.is_empty());
    }

    #[test]
    fn positions_map_to_file_lines() {
        let s = split("\n---\ntitle: x\ndate: y\n---\n").unwrap();
        let f = parse(s.front_matter.unwrap()).unwrap();
        assert_eq!(f.position_of(&["date"]), Position { line: 4, column: 1 });
    }
}
