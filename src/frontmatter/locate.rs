//! Finds where a key is written, for diagnostics about its value.
//!
//! None of the three parsers reports positions for values that parsed fine
//! (serde_norway has no spans at all), yet "`date_end` is before `date`"
//! should point at the line. This module scans the front-matter text for the
//! line that writes a key. It is a locator, not a parser: when it cannot
//! tell (an unusual layout), it returns `None` and the diagnostic falls back
//! to the file's first front-matter line.

use super::Format;
use crate::diag::Position;

/// The position of the key at `path` (lower-cased segments, outermost first)
/// in front matter `text` of `format`; positions are relative to `text`
/// (line 1 is its first line).
pub fn locate(format: Format, text: &str, path: &[&str]) -> Option<Position> {
    locate_in(format, text, path, false)
}

/// Like [`locate`], but the last of several lines that write the key at
/// `path` in the same map: the one whose value is used when a key is
/// written twice. (TOML refuses a key written twice, so there the first.)
pub fn locate_last(format: Format, text: &str, path: &[&str]) -> Option<Position> {
    locate_in(format, text, path, true)
}

fn locate_in(format: Format, text: &str, path: &[&str], last: bool) -> Option<Position> {
    if path.is_empty() {
        return None;
    }
    match format {
        Format::Yaml => locate_yaml(text, path, last),
        Format::Toml => locate_toml(text, path),
        Format::Json => locate_json(text, path, last),
    }
}

/// One physical line: 1-based number, indentation, text after indentation.
fn lines(text: &str) -> impl Iterator<Item = (u32, usize, &str)> {
    text.lines().enumerate().map(|(i, l)| {
        let trimmed = l.trim_start_matches([' ', '\t']);
        (i as u32 + 1, l.len() - trimmed.len(), trimmed)
    })
}

/// If `line` (indentation removed) writes `key` followed by `sep`, returns
/// the number of bytes before the key (a YAML `- ` list marker or a quote).
fn writes_key(line: &str, key: &str, sep: char) -> Option<usize> {
    let (prefix, rest) = match line.strip_prefix("- ") {
        Some(r) => {
            let r2 = r.trim_start();
            (2 + r.len() - r2.len(), r2)
        }
        None => (0, line),
    };
    let (quote, rest) = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let name = rest.get(..key.len())?;
    if !name.eq_ignore_ascii_case(key) && name.to_lowercase() != key {
        return None;
    }
    let mut after = &rest[key.len()..];
    if let Some(q) = quote {
        after = after.strip_prefix(q)?;
    }
    let after = after.trim_start_matches([' ', '\t']);
    if !after.starts_with(sep) {
        return None;
    }
    if sep == ':' {
        // `key:` must be followed by a space or the end: `a:b` is a scalar.
        match after[1..].chars().next() {
            None | Some(' ' | '\t' | '\r') => {}
            _ => return None,
        }
    }
    Some(prefix)
}

fn locate_yaml(text: &str, path: &[&str], last: bool) -> Option<Position> {
    let mut found: Option<Position> = None;
    let mut parent_indent: Option<usize> = None;
    let mut start_line = 0u32;
    for (depth, key) in path.iter().enumerate() {
        let keep_looking = last && depth + 1 == path.len();
        let mut hit = None;
        for (n, indent, line) in lines(text).skip(start_line as usize) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(pi) = parent_indent {
                if indent <= pi && !line.starts_with("- ") {
                    break;
                }
            } else if indent > 0 {
                continue;
            }
            if let Some(prefix) = writes_key(line, key, ':') {
                // Later keys of the same map are at the same indentation.
                if hit.is_none_or(|(_, i, p)| i + p == indent + prefix) {
                    hit = Some((n, indent, prefix));
                }
                if !keep_looking {
                    break;
                }
            }
        }
        let (n, indent, prefix) = hit?;
        found = Some(Position { line: n, column: (indent + prefix) as u32 + 1 });
        parent_indent = Some(indent + prefix);
        start_line = n;
    }
    found
}

fn locate_toml(text: &str, path: &[&str]) -> Option<Position> {
    let (first, rest) = path.split_first()?;
    let mut table: Vec<String> = Vec::new();
    let mut parent_line: Option<Position> = None;
    // Lines inside a multi-line string are text, not keys.
    let mut in_string: Option<&str> = None;
    for (n, indent, line) in lines(text) {
        if let Some(delim) = in_string {
            if line.matches(delim).count() % 2 == 1 {
                in_string = None;
            }
            continue;
        }
        let opens = ["\"\"\"", "'''"].into_iter().find(|d| line.matches(d).count() % 2 == 1);
        if line.starts_with('[') {
            let name = line.trim_start_matches('[').split(']').next().unwrap_or("").trim();
            table = name.split('.').map(|s| s.trim().trim_matches('"').to_lowercase()).collect();
            if rest.len() == 1 && table.len() == 1 && table[0] == *first && parent_line.is_none() {
                parent_line = Some(Position { line: n, column: indent as u32 + 1 });
            }
            continue;
        }
        let at = Position { line: n, column: indent as u32 + 1 };
        if table.is_empty() {
            if rest.is_empty() && writes_key(line, first, '=').is_some() {
                return Some(at);
            }
            if let [second] = rest {
                // `address.city = …` or `address = { city = … }`
                if writes_key(line, &format!("{first}.{second}"), '=').is_some() {
                    return Some(at);
                }
                if writes_key(line, first, '=').is_some() {
                    parent_line = Some(at);
                }
            }
        } else if let [second] = rest
            && table.len() == 1
            && table[0] == *first
            && writes_key(line, second, '=').is_some()
        {
            return Some(at);
        }
        in_string = opens;
    }
    parent_line
}

/// JSON: scans the text once, tracking strings and object nesting; a
/// string followed by `:` is a key of the object it is in. `path[k]` is
/// looked for only inside the value of `path[k - 1]`.
fn locate_json(text: &str, path: &[&str], last: bool) -> Option<Position> {
    let bytes = text.as_bytes();
    let mut found: Option<Position> = None;
    let mut depth = 0usize; // open objects
    let mut level = 0usize; // path elements matched so far
    let mut parent: Option<Position> = None;
    let mut entered = false; // inside the value object of the last match
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                if level > 0 && depth == level + 1 {
                    entered = true;
                }
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if found.is_some() && depth < level + 1 {
                    return found;
                }
                if level > 0 && entered && depth < level + 1 {
                    return parent;
                }
            }
            b',' if found.is_none() && level > 0 && !entered && depth == level => return parent,
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let key = text.get(start + 1..i.min(text.len())).unwrap_or("");
                let after = text.get(i + 1..).unwrap_or("").trim_start();
                if after.starts_with(':') && depth == level + 1 && key.to_lowercase() == path[level] {
                    let at = Position::of_offset(text, start, 1);
                    if level + 1 == path.len() {
                        if !last {
                            return Some(at);
                        }
                        found = Some(at);
                        i += 1;
                        continue;
                    }
                    parent = Some(at);
                    level += 1;
                    entered = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found.or(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: u32, column: u32) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn yaml_top_level_and_nested_keys() {
        let t = "title: x\n# date: no\ndate: 2019\naddress:\n  street: a\n  city: b\ncity: top\n";
        assert_eq!(locate(Format::Yaml, t, &["date"]), p(3, 1));
        assert_eq!(locate(Format::Yaml, t, &["address", "city"]), p(6, 3));
        assert_eq!(locate(Format::Yaml, t, &["city"]), p(7, 1));
        assert_eq!(locate(Format::Yaml, t, &["nope"]), None);
    }

    #[test]
    fn yaml_keys_are_matched_case_insensitively_and_quoted() {
        let t = "publishDate: x\n'all_day': true\n";
        assert_eq!(locate(Format::Yaml, t, &["publishdate"]), p(1, 1));
        assert_eq!(locate(Format::Yaml, t, &["all_day"]), p(2, 1));
    }

    #[test]
    fn yaml_keys_inside_list_items() {
        let t = "links:\n- icon: x\n  url: https://a\n";
        assert_eq!(locate(Format::Yaml, t, &["links", "url"]), p(3, 3));
        assert_eq!(locate(Format::Yaml, t, &["links", "icon"]), p(2, 3));
    }

    #[test]
    fn yaml_prefix_of_a_longer_key_is_not_the_key() {
        let t = "date_end: x\ndate: y\n";
        assert_eq!(locate(Format::Yaml, t, &["date"]), p(2, 1));
    }

    #[test]
    fn toml_keys_top_level_and_in_tables() {
        let t = "title = \"x\"\ndate= 2019-01-01\n[header]\ntags = [\"a\"]\n[address]\n  city = \"b\"\n";
        assert_eq!(locate(Format::Toml, t, &["date"]), p(2, 1));
        // `tags` after `[header]` belongs to the table, not the top level.
        assert_eq!(locate(Format::Toml, t, &["tags"]), None);
        assert_eq!(locate(Format::Toml, t, &["address", "city"]), p(6, 3));
    }

    #[test]
    fn toml_keys_inside_multi_line_strings_are_text() {
        let t = "abstract = \"\"\"\ndate = is mentioned here\n\"\"\"\ntitle = \"x\"\ndate = \"bad\"\n";
        assert_eq!(locate(Format::Toml, t, &["date"]), p(5, 1));
    }

    #[test]
    fn json_nested_keys_are_not_top_level_keys() {
        let t = "{\n  \"image\": {\n    \"date\": \"nested\"\n  },\n  \"links\": [{\"url\": \"x\"}],\n  \"date\": \"bad\"\n}";
        assert_eq!(locate(Format::Json, t, &["date"]), p(6, 3));
        assert_eq!(locate(Format::Json, t, &["image", "date"]), p(3, 5));
        assert_eq!(locate(Format::Json, t, &["links", "url"]), p(5, 14));
        assert_eq!(locate(Format::Json, t, &["image", "nope"]), p(2, 3));
    }

    #[test]
    fn no_key_is_nowhere() {
        // Found by fuzzing: a diagnostic about the page as a whole asks for
        // the position of no key.
        assert_eq!(locate(Format::Json, "{}", &[]), None);
        assert_eq!(locate(Format::Yaml, "a: 1", &[]), None);
        assert_eq!(locate(Format::Toml, "a = 1", &[]), None);
    }

    #[test]
    fn json_keys() {
        let t = "{\n  \"title\": \"date\",\n  \"date\": \"2019\",\n  \"address\": {\"city\": \"x\"}\n}";
        assert_eq!(locate(Format::Json, t, &["date"]), p(3, 3));
        assert_eq!(locate(Format::Json, t, &["address", "city"]), p(4, 15));
    }

    #[test]
    fn the_last_of_a_key_written_twice() {
        let t = "a: 1\nb:\n  a: 2\n  a: 3\nA: 4\nc: 5\n";
        assert_eq!(locate_last(Format::Yaml, t, &["a"]), p(5, 1));
        assert_eq!(locate_last(Format::Yaml, t, &["b", "a"]), p(4, 3));
        assert_eq!(locate(Format::Yaml, t, &["b", "a"]), p(3, 3));
        let j = "{\n \"a\": 1,\n \"b\": {\"a\": 2, \"a\": 3},\n \"a\": 4\n}";
        assert_eq!(locate_last(Format::Json, j, &["a"]), p(4, 2));
        assert_eq!(locate_last(Format::Json, j, &["b", "a"]), p(3, 16));
        assert_eq!(locate(Format::Json, j, &["a"]), p(2, 2));
    }
}
