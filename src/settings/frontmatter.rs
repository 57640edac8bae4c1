//! Hugo's date rules: the `[frontmatter]` lists and `enableGitInfo`, in
//! whichever config file and format the site sets them.

use crate::config::HugoConfig;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::frontmatter::Value;
use crate::normalize::dates::{DateKind, DateRules};

/// The sources of each page date, as Hugo takes them from `hugo`.
pub(super) fn date_rules(hugo: &HugoConfig, diags: &mut Diagnostics) -> DateRules {
    let mut rules = DateRules { git_info: hugo.flag("enablegitinfo"), ..DateRules::default() };
    for kind in DateKind::ALL {
        let key = format!("frontmatter.{}", kind.config_key().to_lowercase());
        let list: Vec<String> = match hugo.get(&key) {
            None => continue,
            Some(Value::List(items)) => items.iter().filter_map(Value::scalar_text).collect(),
            // A string is a list split at spaces, as Hugo reads it.
            Some(other) => match other.scalar_text() {
                Some(text) => text.split_whitespace().map(str::to_string).collect(),
                None => {
                    diags.push(at(hugo, &key, not_a_list(kind)));
                    continue;
                }
            },
        };
        for handler in rules.set(kind, &list) {
            let message = format!(
                "[frontmatter] {} names `{handler}`, which is not a date handler; Hugo and talkfeed skip it",
                kind.config_key()
            );
            let hint =
                "the handlers are :default, :filename, :fileModTime and :git; a name without `:` is a front matter key";
            diags.push(at(hugo, &key, Diagnostic::warning(DiagKind::Config, message).hint(hint)));
        }
    }
    rules
}

fn not_a_list(kind: DateKind) -> Diagnostic {
    let key = kind.config_key();
    Diagnostic::warning(DiagKind::Config, format!("[frontmatter] {key} is not a list; Hugo's default is used"))
        .hint(format!("write it as a list: {key} = [\"{}\", \":default\"]", key.to_lowercase()))
}

/// `d` where `key` is written.
fn at(hugo: &HugoConfig, key: &str, d: Diagnostic) -> Diagnostic {
    match hugo.position_of(key) {
        Some((file, position)) => d.at_path(file).at(Some(position)),
        None => d,
    }
}
