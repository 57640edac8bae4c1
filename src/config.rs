//! Site configuration files: the Hugo config and talkfeed's own `talkfeed.toml`.
//!
//! Hugo reads the first of `hugo.{toml,yaml,yml,json}` and `config.{…}` in
//! the site root, then merges every file of `config/_default/` over it
//! (`hugo.*`/`config.*` at the top level, any other file under the key of
//! its name: `params.yaml` → `params`), then `config/production/` (the
//! environment of `hugo` builds). Keys are case-insensitive. talkfeed reads
//! only what it needs; everything else is ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::frontmatter::{self, Format, Map, Value};

/// The merged Hugo configuration of a site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HugoConfig {
    /// The files read, in merge order.
    pub files: Vec<PathBuf>,
    /// Their text, in the same order (for positions in messages: a file is
    /// read once).
    texts: Vec<String>,
    /// The merged keys (lower-cased).
    pub map: Map,
}

/// One language of a (possibly multilingual) site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The language key, lower-cased (`en`, `zh-hant`).
    pub code: String,
    /// Its content folder relative to the site, if it has its own (`content/en`).
    pub content_dir: Option<String>,
    /// Sort weight (Hugo orders languages by weight, then code).
    pub weight: i64,
    /// Per-language `title`.
    pub title: Option<String>,
    /// Per-language `timeZone`.
    pub time_zone: Option<String>,
    /// Per-language `languageCode`/`locale` (`en-us`).
    pub language_code: Option<String>,
    /// `languageName` (`Français`).
    pub name: Option<String>,
    /// `params.description` of the language (or a bare `description`, as
    /// older Hugo read unknown language keys as params).
    pub description: Option<String>,
    /// `params.author` of the language.
    pub author: Option<String>,
    /// Hugo builds nothing of it: listed in `disableLanguages`, or
    /// `disabled: true` under the language (Hugo ≥ 0.128).
    pub disabled: bool,
}

const ROOT_NAMES: [&str; 2] = ["hugo", "config"];
/// The files of `config/_default/` whose keys talkfeed reads (besides the
/// root files `hugo.*` and `config.*`); the others (`menus`, `markup`,
/// `publications`, …) configure what talkfeed does not write.
const READ_SECTIONS: [&str; 4] = ["params", "languages", "permalinks", "cascade"];
const EXTENSIONS: [(&str, Format); 4] =
    [("toml", Format::Toml), ("yaml", Format::Yaml), ("yml", Format::Yaml), ("json", Format::Json)];

impl HugoConfig {
    /// Reads the Hugo configuration of the site in `site_dir`, no file
    /// larger than `limit`. A site without one is fine (talkfeed works on a
    /// bare `content/` folder); a file that does not parse is an error.
    pub fn load(site_dir: &Path, limit: u64, diags: &mut Diagnostics) -> HugoConfig {
        let mut config = HugoConfig::default();
        'root: for name in ROOT_NAMES {
            for (ext, format) in EXTENSIONS {
                let path = crate::files::join(site_dir, &format!("{name}.{ext}"));
                // Whatever it is (a named pipe too): reading it says.
                if path.exists() {
                    if let Some((map, text)) = read_map(&path, format, limit, diags) {
                        merge(&mut config.map, map);
                        config.files.push(path);
                        config.texts.push(text);
                    }
                    break 'root;
                }
            }
        }
        for env in ["_default", "production"] {
            let dir = crate::files::join(site_dir, "config").join(env);
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for path in files {
                let (Some(stem), Some(ext)) =
                    (path.file_stem().and_then(|s| s.to_str()), path.extension().and_then(|s| s.to_str()))
                else {
                    continue;
                };
                let Some(&(_, format)) = EXTENSIONS.iter().find(|(e, _)| *e == ext) else { continue };
                let stem_lower = stem.to_lowercase();
                let read = ROOT_NAMES.contains(&stem_lower.as_str()) || READ_SECTIONS.contains(&stem_lower.as_str());
                if !read {
                    // Not read, but still checked: a file Hugo would refuse
                    // is worth a word, never a failed calendar.
                    let mut file_diags = Diagnostics::new();
                    read_map(&path, format, limit, &mut file_diags);
                    for d in file_diags {
                        diags.push(if d.is_error() {
                            d.as_warning(&format!(
                                "talkfeed does not read the `{stem}` settings, so this does not stop it; fix it for Hugo"
                            ))
                        } else {
                            d
                        });
                    }
                    continue;
                }
                let Some((map, text)) = read_map(&path, format, limit, diags) else { continue };
                if ROOT_NAMES.contains(&stem) {
                    merge(&mut config.map, map);
                } else {
                    let mut wrapped = Map::new();
                    wrapped.insert(stem.to_lowercase(), Value::Map(map));
                    merge(&mut config.map, wrapped);
                }
                config.files.push(path);
                config.texts.push(text);
            }
        }
        config
    }

    /// The value at a dotted, lower-case path (`params.description`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        get_path(&self.map, path)
    }

    /// The file and position where the dotted key `path` is written (the
    /// last file that sets it wins, as in the merge).
    pub fn position_of(&self, path: &str) -> Option<(PathBuf, Position)> {
        let keys: Vec<&str> = path.split('.').collect();
        self.files.iter().zip(&self.texts).rev().find_map(|(file, text)| {
            let stem = file.file_stem()?.to_str()?.to_lowercase();
            let ext = file.extension()?.to_str()?;
            let format = EXTENSIONS.iter().find(|(e, _)| *e == ext).map(|(_, f)| *f)?;
            // `params.yaml` holds the keys under `params`.
            let rel: &[&str] = if ROOT_NAMES.contains(&stem.as_str()) {
                &keys
            } else if keys.first() == Some(&stem.as_str()) {
                &keys[1..]
            } else {
                return None;
            };
            frontmatter::locate::locate(format, text, rel).map(|p| (file.clone(), p))
        })
    }

    /// A non-empty string (or number) at `path`.
    pub fn string(&self, path: &str) -> Option<String> {
        self.get(path).filter(|v| !v.is_empty()).and_then(Value::scalar_text).map(|s| s.trim().to_string())
    }

    /// A boolean at `path` (`true`/`false`), default false.
    pub fn flag(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Value::Bool(true)))
    }

    /// `defaultContentLanguage`, lower-cased (Hugo's default: `en`).
    pub fn default_language(&self) -> String {
        self.string("defaultcontentlanguage").unwrap_or_else(|| String::from("en")).to_lowercase()
    }

    /// The configured languages, ordered by weight then code. Empty if the
    /// site configures none.
    pub fn languages(&self) -> Vec<Language> {
        let Some(Value::Map(langs)) = self.get("languages") else { return Vec::new() };
        let disabled: Vec<String> = match self.get("disablelanguages") {
            Some(Value::List(l)) => l.iter().filter_map(Value::scalar_text).map(|c| c.trim().to_lowercase()).collect(),
            Some(v) => v.scalar_text().map(|c| c.trim().to_lowercase()).into_iter().collect(),
            None => Vec::new(),
        };
        let mut out: Vec<Language> = langs
            .iter()
            .filter_map(|(code, v)| {
                let m = v.as_map()?;
                let s = |k: &str| {
                    get_path(m, k).filter(|v| !v.is_empty()).and_then(Value::scalar_text).map(|v| v.trim().to_string())
                };
                Some(Language {
                    code: code.to_lowercase(),
                    content_dir: s("contentdir").map(|d| d.trim_matches('/').to_string()),
                    weight: match m.get("weight") {
                        Some(Value::Int(w)) => *w,
                        _ => 0,
                    },
                    title: s("title"),
                    time_zone: s("timezone"),
                    language_code: s("languagecode").or_else(|| s("locale")),
                    name: s("languagename"),
                    description: s("params.description").or_else(|| s("description")),
                    author: s("params.author").or_else(|| s("author")),
                    disabled: disabled.contains(&code.to_lowercase())
                        || matches!(m.get("disabled"), Some(Value::Bool(true))),
                })
            })
            .collect();
        // Hugo sorts by weight, a weight of 0 last.
        out.sort_by_key(|l| (l.weight == 0, l.weight, l.code.clone()));
        out
    }

    /// The sections `[permalinks]` gives a rule (`permalinks.NAME` or
    /// `permalinks.page.NAME`), lower-cased.
    pub fn permalink_sections(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for key in ["permalinks", "permalinks.page"] {
            if let Some(Value::Map(m)) = self.get(key) {
                names.extend(m.iter().filter(|(_, v)| matches!(v, Value::String(_))).map(|(k, _)| k.to_lowercase()));
            }
        }
        names
    }

    /// The permalink pattern configured for `section`: `[permalinks] section = …`
    /// or the newer `[permalinks.page] section = …`.
    pub fn permalink_pattern(&self, section: &str) -> Option<String> {
        let section = section.to_lowercase();
        self.string(&format!("permalinks.page.{section}")).or_else(|| {
            match self.get(&format!("permalinks.{section}")) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            }
        })
    }
}

fn get_path<'a>(map: &'a Map, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut v = map.get(parts.next()?)?;
    for p in parts {
        v = v.as_map()?.get(p)?;
    }
    Some(v)
}

/// Deep-merges `over` into `base`; `over` wins for everything but maps,
/// which are merged key by key.
fn merge(base: &mut Map, over: Map) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Map(b)), Value::Map(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Reads and parses one config file: its keys and its text.
fn read_map(path: &Path, format: Format, limit: u64, diags: &mut Diagnostics) -> Option<(Map, String)> {
    let text = match crate::files::read_text(path, limit) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error(DiagKind::Io, format!("the site config cannot be read: {e}"))
                    .at_path(path)
                    .hint(e.hint()),
            );
            return None;
        }
    };
    let map = parse_map(path, format, text.strip_prefix('\u{feff}').unwrap_or(&text), diags)?;
    Some((map, text))
}

fn parse_map(path: &Path, format: Format, text: &str, diags: &mut Diagnostics) -> Option<Map> {
    let parsed = match format {
        Format::Toml => frontmatter::parse_toml(text, 1),
        Format::Yaml => frontmatter::parse_yaml(text, 1),
        Format::Json => frontmatter::parse_json(text, 1),
    };
    if let Ok(p) = &parsed {
        // Hugo reads YAML and JSON config with a key written twice and keeps
        // the last value; so does talkfeed, and says where.
        let warnings = frontmatter::repeated_key_warnings(&p.repeated, |keys| {
            frontmatter::locate::locate_last(format, text, keys)
        });
        diags.extend(warnings.into_iter().map(|d| d.at_path(path)));
    }
    match parsed {
        Ok(p) => match p.value {
            Value::Map(m) => Some(m),
            Value::Null => Some(Map::new()),
            other => {
                diags.push(
                    Diagnostic::error(
                        DiagKind::NotAMap,
                        format!("the site config is {}, not a map of keys", other.type_name()),
                    )
                    .at_path(path),
                );
                None
            }
        },
        Err(e) => {
            let d = match &e.duplicate_key {
                Some(key) => Diagnostic::error(
                    DiagKind::DuplicateKey,
                    format!("`{key}` is written twice; TOML does not allow that, and Hugo refuses the file too"),
                )
                .key(key.to_lowercase())
                .hint("remove the one you do not mean"),
                None => Diagnostic::error(
                    DiagKind::Config,
                    format!("{} syntax error in the site config: {}", format.name(), e.message),
                ),
            };
            diags.push(d.at_path(path).at(e.position));
            None
        }
    }
}

/// talkfeed's own settings file, `talkfeed.toml` in the site root. Every key
/// is optional and has the same meaning as the command-line flag of the same
/// name (with `-` written `_`); flags win over the file, the file wins over
/// the Hugo config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkfeedToml {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--title`.
    pub title: Option<String>,
    /// `--description`.
    pub description: Option<String>,
    /// `--author`.
    pub author: Option<String>,
    /// `--language`.
    pub language: Option<String>,
    /// `--timezone`.
    pub timezone: Option<String>,
    /// `--section` (a list).
    pub sections: Option<Vec<String>>,
    /// `--publish-url`.
    pub publish_url: Option<String>,
    /// `--default-duration` (`"1h"`, `"45m"`).
    pub default_duration: Option<String>,
    /// `--refresh` (`"6h"`).
    pub refresh: Option<String>,
    /// `--alarm`, each (`["1d", "30m"]`).
    pub alarms: Option<Vec<String>>,
    /// `--schedules`.
    pub schedules: Option<bool>,
    /// `--feed-limit`.
    pub feed_limit: Option<usize>,
    /// `--per-tag`.
    pub per_tag: Option<bool>,
    /// `--per-section`.
    pub per_section: Option<bool>,
    /// `--per-author`.
    pub per_author: Option<bool>,
    /// `--strict`.
    pub strict: Option<bool>,
    /// `--include-example`.
    pub include_example: Option<bool>,
    /// `--max-file-size` (`"8M"`).
    pub max_file_size: Option<String>,
}

/// The name of talkfeed's settings file.
pub const TALKFEED_TOML: &str = "talkfeed.toml";

impl TalkfeedToml {
    /// Reads `talkfeed.toml` from `site_dir`, if it is at most `limit`
    /// bytes; absent is the same as empty.
    pub fn load(site_dir: &Path, limit: u64, diags: &mut Diagnostics) -> TalkfeedToml {
        let path = crate::files::join(site_dir, TALKFEED_TOML);
        let text = match crate::files::read_text(&path, limit) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return TalkfeedToml::default(),
            Err(e) => {
                diags.push(
                    Diagnostic::error(DiagKind::Io, format!("{TALKFEED_TOML} cannot be read: {e}"))
                        .at_path(&path)
                        .hint(e.hint()),
                );
                return TalkfeedToml::default();
            }
        };
        match toml::from_str::<TalkfeedToml>(&text) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::error(DiagKind::Config, format!("invalid {TALKFEED_TOML}: {}", e.message().trim()))
                        .at_path(&path)
                        .at(e.span().map(|s| Position::of_offset(&text, s.start, 1)))
                        .hint("known keys: base_url, title, description, author, language, timezone, sections, publish_url, default_duration, refresh, alarms, feed_limit, per_tag, per_section, per_author, schedules, strict, include_example, max_file_size"),
                );
                TalkfeedToml::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn config_dir_wins_over_the_root_file_and_keys_are_case_insensitive() {
        let d = site(&[
            ("config.toml", "baseurl = \"http://example.org/\"\ntitle = \"Root\"\n"),
            (
                "config/_default/config.yaml",
                "baseURL: https://natashamjaques.github.io/\npermalinks:\n  event: /talk/:slug/\n",
            ),
            ("config/_default/params.yaml", "description: Hello\n"),
        ]);
        let mut diags = Diagnostics::new();
        let c = HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        assert!(diags.is_empty());
        assert_eq!(c.string("baseurl").as_deref(), Some("https://natashamjaques.github.io/"));
        assert_eq!(c.string("title").as_deref(), Some("Root"));
        assert_eq!(c.string("params.description").as_deref(), Some("Hello"));
        assert_eq!(c.permalink_pattern("event").as_deref(), Some("/talk/:slug/"));
        assert_eq!(c.files.len(), 3);
        let (file, pos) = c.position_of("params.description").unwrap();
        assert!(file.ends_with("params.yaml"));
        assert_eq!(pos, Position { line: 1, column: 1 });
        assert_eq!(c.position_of("permalinks.event").unwrap().1, Position { line: 3, column: 3 });
    }

    #[test]
    fn hugo_toml_is_read_before_config_toml() {
        let d = site(&[("hugo.toml", "title = \"H\"\n"), ("config.toml", "title = \"C\"\n")]);
        let c = HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut Diagnostics::new());
        assert_eq!(c.string("title").as_deref(), Some("H"));
    }

    #[test]
    fn languages_are_sorted_and_lower_cased() {
        let d = site(&[(
            "config/_default/languages.yaml",
            "en:\n  contentDir: content/en\n  weight: 2\nzh-Hant:\n  contentDir: content/zh-hant\n  weight: 1\n",
        )]);
        let c = HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut Diagnostics::new());
        let langs = c.languages();
        assert_eq!(langs.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["zh-hant", "en"]);
        assert_eq!(langs[1].content_dir.as_deref(), Some("content/en"));
    }

    #[test]
    fn permalinks_page_form() {
        let d = site(&[("hugo.toml", "[permalinks.page]\ntalk = '/talks/:year/:slug/'\n")]);
        let c = HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut Diagnostics::new());
        assert_eq!(c.permalink_pattern("talk").as_deref(), Some("/talks/:year/:slug/"));
    }

    #[test]
    fn errors_on_a_broken_config_file() {
        let d = site(&[("hugo.toml", "title = \n")]);
        let mut diags = Diagnostics::new();
        HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        let e = diags.iter().next().unwrap();
        assert_eq!(e.kind, DiagKind::Config);
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn a_yaml_key_written_twice_is_a_warning_and_the_last_wins() {
        // As Hugo 0.111 builds such a site: `description: second`.
        let d = site(&[
            ("config/_default/params.yaml", "description: first\nauthor: A\ndescription: second\n"),
            ("hugo.yaml", "title: T\n"),
        ]);
        let mut diags = Diagnostics::new();
        let c = HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        assert_eq!(c.string("params.description").as_deref(), Some("second"));
        let w: Vec<_> = diags.iter().collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(
            (w[0].severity, w[0].kind, w[0].line, w[0].column),
            (Severity::Warning, DiagKind::DuplicateKey, Some(3), Some(1))
        );
        assert!(w[0].path.as_ref().unwrap().ends_with("params.yaml"));
        assert_eq!(w[0].message, "`description` is written twice; the last value is used, as Hugo does");
    }

    #[test]
    fn a_toml_key_written_twice_is_an_error_as_in_hugo() {
        // Hugo 0.111: "toml: key title is already defined".
        let d = site(&[("config/_default/params.toml", "title = \"x\"\ntitle = \"y\"\n")]);
        let mut diags = Diagnostics::new();
        HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        let e = diags.iter().next().unwrap();
        assert_eq!((e.severity, e.kind, e.line), (Severity::Error, DiagKind::DuplicateKey, Some(2)));
    }

    #[test]
    fn a_broken_file_talkfeed_does_not_read_is_a_warning() {
        let d = site(&[
            ("config/_default/menus.yaml", "main:\n  - name: x\n   url: y\n"),
            ("config/_default/params.yaml", "description: D\n"),
        ]);
        let mut diags = Diagnostics::new();
        let c = HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        let w = diags.iter().next().unwrap();
        assert_eq!(w.severity, Severity::Warning, "{w}");
        assert!(w.message.contains("talkfeed does not read the `menus` settings"), "{w}");
        assert_eq!(w.line, Some(3));
        assert_eq!(c.string("params.description").as_deref(), Some("D"));
        assert!(c.get("menus").is_none());
        // The same mistake in a file talkfeed reads stops it.
        let d = site(&[("config/_default/params.yaml", "main:\n  - name: x\n   url: y\n")]);
        let mut diags = Diagnostics::new();
        HugoConfig::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        assert_eq!(diags.errors(), 1);
    }

    #[test]
    fn talkfeed_toml_rejects_unknown_keys_with_a_hint() {
        let d = site(&[("talkfeed.toml", "base_url = \"https://x.org/\"\ntimezon = \"UTC\"\n")]);
        let mut diags = Diagnostics::new();
        TalkfeedToml::load(d.path(), crate::files::DEFAULT_MAX_FILE_SIZE, &mut diags);
        let e = diags.iter().next().unwrap();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("timezon"), "{}", e.message);
    }
}
