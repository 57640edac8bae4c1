//! Typed reads of front-matter keys, with diagnostics that point at the key.
//!
//! Real sites write values loosely (`title: 2019`, `authors: Martin`,
//! `postcode: 5000`, `draft: no`); these readers accept what an author
//! evidently meant and report what they cannot accept.

use std::path::Path;

use crate::dates::{self, DateError, DateValue};
use crate::diag::{DiagKind, Diagnostic, Position};
use crate::frontmatter::{FrontMatter, Map, Value};

/// A page's front matter, read key by key.
pub(crate) struct Fields<'a> {
    pub(crate) map: &'a Map,
    fm: Option<&'a FrontMatter<'a>>,
    path: &'a Path,
    pub(crate) diags: Vec<Diagnostic>,
    /// Problems past [`MAX_DIAGNOSTICS`]: counted, not positioned.
    suppressed: usize,
    /// Whether one of those is an error.
    suppressed_error: bool,
}

/// The most diagnostics one page gets one by one (each is positioned by a
/// search of the front matter; a list of 100,000 bad items must not take
/// 100,000 searches); the rest are counted in one more.
pub(crate) const MAX_DIAGNOSTICS: usize = 100;

/// What a date key holds.
pub(crate) enum DateField {
    /// Absent, null or empty.
    Absent,
    /// A date.
    Date(DateValue),
    /// Something that is not a date; the reason is ready for a message.
    Invalid(String),
}

impl<'a> Fields<'a> {
    pub(crate) fn new(map: &'a Map, fm: Option<&'a FrontMatter<'a>>, path: &'a Path) -> Fields<'a> {
        Fields { map, fm, path, diags: Vec::new(), suppressed: 0, suppressed_error: false }
    }

    /// The value of `key` unless it is absent or empty.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        debug_assert!(super::keys::is_known(key), "`{key}` is read but not in normalize::keys::KEYS");
        self.map.get(key).filter(|v| !v.is_empty())
    }

    /// The first of `keys` that has a value, with its key.
    pub(crate) fn first_of(&self, keys: &[&'static str]) -> Option<(&'static str, &'a Value)> {
        keys.iter().find_map(|k| self.get(k).map(|v| (*k, v)))
    }

    /// Where `key_path` is written.
    pub(crate) fn position(&self, key_path: &[&str]) -> Option<Position> {
        self.fm.map(|fm| fm.position_of(key_path))
    }

    /// Builds a diagnostic about `key_path` in this file.
    pub(crate) fn diag(&self, d: Diagnostic, key_path: &[&str]) -> Diagnostic {
        let d = d.at_path(self.path).at(self.position(key_path));
        if key_path.is_empty() { d } else { d.key(key_path.join(".")) }
    }

    pub(crate) fn push(&mut self, d: Diagnostic, key_path: &[&str]) {
        if self.diags.len() >= MAX_DIAGNOSTICS {
            self.suppressed += 1;
            self.suppressed_error |= d.is_error();
            return;
        }
        let d = self.diag(d, key_path);
        self.diags.push(d);
    }

    /// Whether any problem pushed so far is an error.
    pub(crate) fn has_errors(&self) -> bool {
        self.suppressed_error || self.diags.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics, with one more that counts those not given one by one.
    pub(crate) fn into_diags(mut self) -> Vec<Diagnostic> {
        if self.suppressed > 0 {
            let message = format!("{} more problems in this page are not listed", self.suppressed);
            let d = if self.suppressed_error {
                Diagnostic::error(DiagKind::InvalidValue, message)
            } else {
                Diagnostic::warning(DiagKind::InvalidValue, message)
            };
            self.diags.push(d.at_path(self.path).hint("fix the ones listed, then run again"));
        }
        self.diags
    }

    /// `text` with its line breaks as `\n` (a CRLF file, or `\r\n` written
    /// in a quoted value, would otherwise reach the outputs as is) and
    /// without other control characters, which no output can carry (a NUL,
    /// a bell, an escape sequence); warns when it removes any.
    fn visible(&mut self, key_path: &[&str], text: String) -> String {
        let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
        if !text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n')) {
            return text;
        }
        self.push(
            Diagnostic::warning(
                DiagKind::InvalidValue,
                format!("`{}` contains control characters; they are removed", key_path.join(".")),
            )
            .hint("remove them from the page (often pasted from a PDF or a terminal)"),
            key_path,
        );
        text.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n')).collect()
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value, hint: &str) {
        self.push(
            Diagnostic::error(DiagKind::WrongType, format!("`{key}` must be {expected}, not {}", found.type_name()))
                .hint(hint),
            &[key],
        );
    }

    /// A text value. Numbers and booleans are taken as the text they are
    /// written as (`title: 2019`); lists and maps are an error.
    pub(crate) fn text(&mut self, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match v.scalar_text() {
            Some(s) => Some(self.visible(&[key], s).trim().to_string()).filter(|s| !s.is_empty()),
            None => {
                self.wrong_type(
                    key,
                    "text",
                    v,
                    "write a single value, e.g. `title: My talk`, quoted if it contains ': '",
                );
                None
            }
        }
    }

    /// A list of texts. A single text is a one-item list (`authors: Martin`);
    /// a single number is taken as its text, with a warning; empty items are dropped.
    pub(crate) fn text_list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.get(key) else { return Vec::new() };
        let items: Vec<&Value> = match v {
            Value::List(items) => items.iter().collect(),
            Value::String(_) => vec![v],
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                self.push(
                    Diagnostic::warning(
                        DiagKind::WrongType,
                        format!("`{key}` should be a list, not {}; read as a one-item list", v.type_name()),
                    )
                    .hint(format!("write `{key}: [\"…\"]`")),
                    &[key],
                );
                vec![v]
            }
            Value::Map(_) | Value::Null => {
                self.wrong_type(key, "a list", v, &format!("write `{key}: [a, b]` or one item per line as `- a`"));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.scalar_text() {
                Some(s) => {
                    let s = self.visible(&[key], s).trim().to_string();
                    if !s.is_empty() {
                        out.push(s);
                    }
                }
                None if item.is_empty() => {}
                None => {
                    self.push(
                        Diagnostic::error(
                            DiagKind::WrongType,
                            format!("`{key}` items must be text, not {}", item.type_name()),
                        )
                        .hint(format!("write `{key}: [a, b]`")),
                        &[key],
                    );
                }
            }
        }
        out
    }

    /// A boolean, read as Go's `strconv.ParseBool` (`true`, `1`, `t`, …) and
    /// as YAML 1.1 (`yes`, `no`, `on`, `off`): the author meant `draft: no`
    /// as false. Hugo before 0.152 read YAML that way too; Hugo since reads
    /// `no` as the text "no" (as every Hugo reads a quoted or TOML "no"),
    /// and what text means depends on the key (see [`HugoReadsText`]). A
    /// warning says so where that reading differs from talkfeed's: `draft:
    /// yes` (not a draft to Hugo today), `all_day: no` (true to the theme).
    pub(crate) fn flag(&mut self, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        let parsed = match v {
            Value::Bool(b) => Some(*b),
            Value::Int(0) => Some(false),
            Value::Int(1) => Some(true),
            Value::String(s) => match s.trim() {
                "true" | "True" | "TRUE" | "t" | "T" | "1" => Some(true),
                "false" | "False" | "FALSE" | "f" | "F" | "0" => Some(false),
                other => {
                    let lenient = match other.to_ascii_lowercase().as_str() {
                        "yes" | "y" | "on" => Some(true),
                        "no" | "n" | "off" => Some(false),
                        _ => None,
                    };
                    if let Some(b) = lenient {
                        let hugo = HugoReadsText::of(key);
                        if b != hugo.as_bool() {
                            self.push(
                                Diagnostic::warning(
                                    DiagKind::LenientBool,
                                    format!(
                                        "`{key}: {other}` read as `{key}: {b}`, but Hugo since 0.152 reads \"{other}\" as text, {}",
                                        hugo.meaning()
                                    ),
                                )
                                .hint(format!("write `{key}: {b}`")),
                                &[key],
                            );
                        }
                    }
                    lenient
                }
            },
            _ => None,
        };
        if parsed.is_none() {
            self.push(
                Diagnostic::error(DiagKind::WrongType, format!("`{key}` must be true or false, not {}", describe(v)))
                    .hint(format!("write `{key}: true` or `{key}: false`")),
                &[key],
            );
        }
        parsed
    }

    /// A date key: strings in any form Hugo reads, numbers as Unix seconds.
    pub(crate) fn date(&self, key: &str) -> DateField {
        match self.get(key) {
            Some(v) => date_field(key, v),
            None => DateField::Absent,
        }
    }

    /// A date under a key the site's `[frontmatter]` config names (any
    /// key: not only those of [`super::keys::KEYS`]).
    pub(crate) fn configured_date(&self, key: &str) -> DateField {
        match self.map.get(key).filter(|v| !v.is_empty()) {
            Some(v) => date_field(key, v),
            None => DateField::Absent,
        }
    }

    /// An integer (`weight`).
    pub(crate) fn integer(&mut self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        match v {
            Value::Int(i) => Some(*i),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            other => {
                self.wrong_type(key, "a whole number", other, &format!("write `{key}: 10`"));
                None
            }
        }
    }

    /// A map (`address`, `image`); other types are an error.
    pub(crate) fn map(&mut self, key: &str, hint: &str) -> Option<&'a Map> {
        let v = self.get(key)?;
        match v {
            Value::Map(m) => Some(m),
            other => {
                self.wrong_type(key, "a map", other, hint);
                None
            }
        }
    }

    /// A text value inside a map (`address.city`); numbers kept as written.
    pub(crate) fn text_in(&mut self, map: &Map, parent: &str, key: &str) -> Option<String> {
        let v = map.get(key).filter(|v| !v.is_empty())?;
        match v.scalar_text() {
            Some(s) => Some(self.visible(&[parent, key], s).trim().to_string()).filter(|s| !s.is_empty()),
            None => {
                self.push(
                    Diagnostic::error(
                        DiagKind::WrongType,
                        format!("`{parent}.{key}` must be text, not {}", v.type_name()),
                    ),
                    &[parent, key],
                );
                None
            }
        }
    }
}

/// What a boolean key written as text (`"no"`) is to Hugo since 0.152.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HugoReadsText {
    /// Hugo's own keys (`draft`) go through `cast.ToBool`, Go's
    /// `strconv.ParseBool`: text it does not know is false.
    False,
    /// The theme's keys (`all_day`, `featured`) are tested by its
    /// templates (`if .Params.all_day`), where any text is true.
    True,
}

impl HugoReadsText {
    fn of(key: &str) -> HugoReadsText {
        if key == "draft" { HugoReadsText::False } else { HugoReadsText::True }
    }

    fn as_bool(self) -> bool {
        self == HugoReadsText::True
    }

    fn meaning(self) -> &'static str {
        match self {
            HugoReadsText::False => "which is false to it: it publishes the page",
            HugoReadsText::True => "which the theme takes as true",
        }
    }
}

/// A value for a message: short scalars quoted, else the type.
fn describe(v: &Value) -> String {
    match v.scalar_text() {
        Some(s) if s.chars().count() <= 40 => format!("\"{s}\""),
        _ => v.type_name().to_string(),
    }
}

/// A date value: strings in any form Hugo reads, numbers as Unix seconds.
fn date_field(key: &str, v: &Value) -> DateField {
    match v {
        Value::String(s) => match dates::parse(s) {
            Ok(d) => DateField::Date(d),
            Err(DateError { reason }) => DateField::Invalid(format!("`{key}: {}` is not a date: {reason}", s.trim())),
        },
        Value::Int(secs) => match dates::from_unix_seconds(*secs) {
            Some(d) => DateField::Date(d),
            None => DateField::Invalid(format!("`{key}: {secs}` is out of range")),
        },
        other => DateField::Invalid(format!("`{key}` must be a date, not {}", other.type_name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::{parse, split};

    fn with<T>(yaml: &str, f: impl FnOnce(&mut Fields) -> T) -> (T, Vec<Diagnostic>) {
        let text = format!("---\n{yaml}---\n");
        let s = split(&text).unwrap();
        let fm = parse(s.front_matter.unwrap()).unwrap();
        let mut fields = Fields::new(&fm.map, Some(&fm), Path::new("t.md"));
        let out = f(&mut fields);
        (out, fields.diags)
    }

    #[test]
    fn text_accepts_numbers_and_rejects_lists() {
        assert_eq!(with("title: 2019\n", |f| f.text("title")).0.as_deref(), Some("2019"));
        assert_eq!(with("title: ' x '\n", |f| f.text("title")).0.as_deref(), Some("x"));
        assert_eq!(with("title: ''\n", |f| f.text("title")).0, None);
        let (v, d) = with("title: [a]\n", |f| f.text("title"));
        assert_eq!(v, None);
        assert_eq!(d[0].message, "`title` must be text, not a list");
        assert_eq!(d[0].line, Some(2));
    }

    #[test]
    fn lists_accept_a_single_string() {
        assert_eq!(with("authors: Martin\n", |f| f.text_list("authors")).0, ["Martin"]);
        assert_eq!(with("authors: [a, '', b]\n", |f| f.text_list("authors")).0, ["a", "b"]);
        let (v, d) = with("tags: 5\n", |f| f.text_list("tags"));
        assert_eq!(v, ["5"]);
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        let (_, d) = with("tags: {a: 1}\n", |f| f.text_list("tags"));
        assert!(d[0].is_error());
    }

    #[test]
    fn booleans_go_and_yaml11() {
        for (src, want) in
            [("true", true), ("True", true), ("'1'", true), ("1", true), ("false", false), ("'f'", false)]
        {
            let (v, d) = with(&format!("draft: {src}\n"), |f| f.flag("draft"));
            assert_eq!(v, Some(want), "{src}");
            assert!(d.is_empty(), "{src}");
        }
        // A warning where Hugo since 0.152 reads the text otherwise: the
        // theme takes any text as true, Hugo's `draft` takes it as false.
        for (key, src, want, warned) in [
            ("all_day", "no", false, true),
            ("all_day", "No", false, true),
            ("featured", "off", false, true),
            ("all_day", "yes", true, false),
            ("all_day", "'on'", true, false),
            ("draft", "yes", true, true),
            ("draft", "no", false, false),
            ("draft", "'off'", false, false),
        ] {
            let (v, d) = with(&format!("{key}: {src}\n"), |f| f.flag(key));
            assert_eq!(v, Some(want), "{key}: {src}");
            assert_eq!(
                d.iter().map(|d| d.kind).collect::<Vec<_>>(),
                if warned { vec![DiagKind::LenientBool] } else { vec![] },
                "{key}: {src}"
            );
        }
        let (v, d) = with("draft: maybe\n", |f| f.flag("draft"));
        assert_eq!(v, None);
        assert_eq!(d[0].message, "`draft` must be true or false, not \"maybe\"");
    }

    #[test]
    fn string_no_is_never_true() {
        let (v, _) = with("all_day: \"no\"\n", |f| f.flag("all_day"));
        assert_eq!(v, Some(false));
    }

    #[test]
    fn dates_strings_numbers_and_wrong_types() {
        assert!(matches!(with("date: 2019-10-05\n", |f| f.date("date")).0, DateField::Date(DateValue::Date(_))));
        assert!(matches!(with("date: ''\n", |f| f.date("date")).0, DateField::Absent));
        assert!(matches!(with("date: 0\n", |f| f.date("date")).0, DateField::Date(DateValue::Fixed(_))));
        let DateField::Invalid(m) = with("date: [1, 2]\n", |f| f.date("date")).0 else { panic!() };
        assert_eq!(m, "`date` must be a date, not a list");
    }
}
