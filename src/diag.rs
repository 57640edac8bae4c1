//! Diagnostics: every problem talkfeed finds in a site, as a value.
//!
//! A [`Diagnostic`] names the file, the line and column where the source has
//! them, the front-matter key, what is wrong and, where one can be given, a
//! hint on how to fix it. Nothing in the library prints: stages collect
//! diagnostics into a [`Diagnostics`] list and the binary renders them, as
//! text ([`Diagnostic`]'s `Display`, rustc-style) or as JSON lines.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something talkfeed decided that the author may want to know, such
    /// as a section read because its pages are talks; nothing to fix, and
    /// never an error, whatever the flags.
    Note,
    /// The input is understood, but probably not what the author meant; a
    /// documented fallback was applied. `--deny-warnings` makes these fatal.
    Warning,
    /// The input cannot be used as written. The build fails.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// What kind of problem a diagnostic reports. Tests match on this rather
/// than on message text; the text itself is covered by snapshot tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagKind {
    /// A file or directory could not be read.
    Io,
    /// A file is not UTF-8 text.
    Encoding,
    /// A symbolic link loops or cannot be followed.
    Symlink,
    /// Front matter is opened but never closed.
    UnclosedFrontMatter,
    /// YAML, TOML or JSON syntax error in front matter or a config file.
    Syntax,
    /// Front matter (or a config file) is not a map of keys.
    NotAMap,
    /// The same key is given twice.
    DuplicateKey,
    /// A key holds a value of the wrong type (a list where a date belongs…).
    WrongType,
    /// A date or time that cannot be parsed or does not exist.
    InvalidDate,
    /// A boolean written as `yes`/`no`/`on`/`off`, read as the author meant.
    LenientBool,
    /// A value that is not one of the allowed ones.
    InvalidValue,
    /// The talk has no start date in any of the keys of any theme era.
    MissingStart,
    /// The end of a talk is before its start.
    EndNotAfterStart,
    /// A local time that falls in a daylight-saving gap or fold.
    AmbiguousLocalTime,
    /// A time zone name that is not in the IANA database.
    UnknownTimeZone,
    /// A malformed date that Hugo ignores, so talkfeed falls back as Hugo does.
    DateFallback,
    /// An upcoming talk whose page Hugo will not publish before it happens.
    UnpublishedUpcoming,
    /// A page in a talk section that is not a talk (publication, stub, theme example).
    NotATalk,
    /// No talk in the sections read, and another section's pages look like
    /// talks (or are read as talks, with a note).
    TalksElsewhere,
    /// Two talks share one permalink (Hugo publishes only one of them).
    DuplicatePermalink,
    /// Two talks share one explicit `uid`.
    DuplicateUid,
    /// A problem in the site configuration (Hugo config or `talkfeed.toml`).
    Config,
}

/// One problem, with everything needed to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem this is.
    pub kind: DiagKind,
    /// The file, as found on disk (relative to the working directory when the
    /// site was given as a relative path). `None` for problems of the run itself.
    pub path: Option<PathBuf>,
    /// 1-based line in `path`, where the source has one.
    pub line: Option<u32>,
    /// 1-based column (in characters) in `line`.
    pub column: Option<u32>,
    /// The front-matter or config key concerned, lower-cased, dotted for nested keys.
    pub key: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, where talkfeed can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error of `kind` with `message`; add context with the builder methods.
    pub fn error(kind: DiagKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, kind, message)
    }

    /// A new note of `kind` with `message`.
    pub fn note(kind: DiagKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Note, kind, message)
    }

    /// A new warning of `kind` with `message`.
    pub fn warning(kind: DiagKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, kind, message)
    }

    fn new(severity: Severity, kind: DiagKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            kind,
            path: None,
            line: None,
            column: None,
            key: None,
            message: message.into(),
            hint: None,
        }
    }

    /// The same problem as a warning, with `why` it does not stop the run
    /// added to the message.
    pub fn as_warning(mut self, why: &str) -> Diagnostic {
        self.severity = Severity::Warning;
        self.message = format!("{}; {why}", self.message);
        self
    }

    /// Sets the file.
    pub fn at_path(mut self, path: impl AsRef<Path>) -> Diagnostic {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Sets the line and column (both 1-based), when known.
    pub fn at(mut self, position: Option<Position>) -> Diagnostic {
        if let Some(p) = position {
            self.line = Some(p.line);
            self.column = Some(p.column);
        }
        self
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<String>) -> Diagnostic {
        self.key = Some(key.into());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Returns true if and only if this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Returns true if and only if this is a warning.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// The rendered text with the severity in color (ANSI): red errors,
    /// yellow warnings, for terminals.
    pub fn colored(&self) -> String {
        let plain = self.to_string();
        let (label, code) = match self.severity {
            Severity::Error => ("error:", "1;31"),
            Severity::Warning => ("warning:", "1;33"),
            Severity::Note => ("note:", "1;36"),
        };
        plain.replacen(label, &format!("\x1b[{code}m{label}\x1b[0m"), 1)
    }

    /// This diagnostic as a GitHub Actions workflow command (no trailing
    /// newline): `::warning file=F,line=L,col=C,title=talkfeed KIND::MESSAGE`,
    /// the hint on a line of its own; `::notice` for a note. Escaped as the
    /// runner unescapes them (`%`, CR and LF everywhere; `:` and `,` in
    /// properties too), so nothing a page says can end the command early.
    pub fn to_github_annotation(&self) -> String {
        fn data(s: &str) -> String {
            s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
        }
        fn property(s: &str) -> String {
            data(s).replace(':', "%3A").replace(',', "%2C")
        }
        let command = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(path) = &self.path {
            properties.push(format!("file={}", property(&path.display().to_string())));
            if let Some(line) = self.line {
                properties.push(format!("line={line}"));
                if let Some(column) = self.column {
                    properties.push(format!("col={column}"));
                }
            }
        }
        let kind = serde_json::to_value(self.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        properties.push(format!("title={}", property(&format!("talkfeed {kind}"))));
        let mut message = self.message.clone();
        if let Some(hint) = &self.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        format!("::{command} {}::{}", properties.join(","), data(&message))
    }

    /// This diagnostic as one line of JSON (no trailing newline).
    pub fn to_json_line(&self) -> String {
        // Serializing a struct of strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Rendered rustc-style:
///
/// ```text
/// content/talk/x/index.md:4:7: error: `date_end` 2019-10-04 is before `date` 2019-10-05
///   = hint: …
/// ```
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        write!(f, "{}: {}", self.severity, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Position {
    /// The position of byte `offset` in `text`, counting lines from `first_line`.
    /// Offsets past the end or inside a character are clamped.
    pub fn of_offset(text: &str, offset: usize, first_line: u32) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() as u32 + first_line;
        let column = before[line_start..].chars().count() as u32 + 1;
        Position { line, column }
    }
}

/// An ordered list of diagnostics, with the counts the exit code depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all diagnostics of `other`, keeping their order.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// The diagnostics in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.iter().filter(|d| d.is_warning()).count()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Returns true if and only if there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file, then line, then column, keeping run-level diagnostics
    /// (no file) first, so output does not depend on the order of work.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_line_column_and_hint() {
        let d = Diagnostic::error(DiagKind::InvalidDate, "`date` is not a date")
            .at_path("content/talk/x/index.md")
            .at(Some(Position { line: 4, column: 7 }))
            .hint("write 2019-10-05");
        assert_eq!(
            d.to_string(),
            "content/talk/x/index.md:4:7: error: `date` is not a date\n  = hint: write 2019-10-05"
        );
    }

    #[test]
    fn renders_without_position() {
        let d = Diagnostic::warning(DiagKind::Config, "no baseURL");
        assert_eq!(d.to_string(), "warning: no baseURL");
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "a: 1\nüé: x\n";
        let off = text.find('x').unwrap();
        assert_eq!(Position::of_offset(text, off, 10), Position { line: 11, column: 5 });
        assert_eq!(Position::of_offset(text, 0, 1), Position { line: 1, column: 1 });
        assert_eq!(Position::of_offset(text, 999, 1).line, 3);
    }

    #[test]
    fn github_annotations_are_escaped_workflow_commands() {
        let d = Diagnostic::warning(DiagKind::EndNotAfterStart, "`date_end` 100% before\r\n::error::x")
            .at_path("content/talk/a, b:c.md")
            .at(Some(Position { line: 4, column: 7 }))
            .hint("fix it");
        assert_eq!(
            d.to_github_annotation(),
            "::warning file=content/talk/a%2C b%3Ac.md,line=4,col=7,title=talkfeed end-not-after-start::`date_end` 100%25 before%0D%0A::error::x%0Ahint: fix it"
        );
        let d = Diagnostic::note(DiagKind::TalksElsewhere, "read");
        assert_eq!(d.to_github_annotation(), "::notice title=talkfeed talks-elsewhere::read");
    }

    #[test]
    fn json_line_has_kind_and_severity() {
        let d = Diagnostic::error(DiagKind::MissingStart, "no start").key("date");
        let v: serde_json::Value = serde_json::from_str(&d.to_json_line()).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["kind"], "missing-start");
        assert_eq!(v["key"], "date");
    }
}
