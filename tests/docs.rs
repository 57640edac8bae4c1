//! The documentation keeps up with the program: the README stays a front
//! door, every link between documents leads somewhere, and every flag and
//! `talkfeed.toml` key is documented.

use std::collections::HashSet;
use std::path::PathBuf;

use clap::CommandFactory;

use crate::util;

fn documents() -> Vec<PathBuf> {
    let mut docs = vec![util::root().join("README.md"), util::root().join("CHANGELOG.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(util::root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// GitHub's anchor of a heading: lower-case, spaces to `-`, punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> HashSet<String> {
    let mut in_code = false;
    text.lines()
        .filter(|l| {
            if l.starts_with("```") {
                in_code = !in_code;
            }
            !in_code
        })
        .filter_map(|l| l.strip_prefix('#'))
        .map(|h| anchor(h.trim_start_matches('#')))
        .collect()
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = std::fs::read_to_string(util::root().join("README.md")).unwrap();
    assert!(readme.len() < 10 * 1024, "README.md is {} bytes; reference belongs in docs/", readme.len());
    assert!(readme.contains("make test"), "the README gives the two commands");
}

#[test]
fn every_link_between_documents_leads_somewhere() {
    let link = regex_lite_links;
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        for target in link(&text) {
            if target.starts_with("http") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let path: PathBuf = if file.is_empty() { doc.clone() } else { doc.parent().unwrap().join(file) };
            assert!(path.exists(), "{}: the link {target} leads nowhere", doc.display());
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    anchors(&text).contains(fragment),
                    "{}: no heading #{fragment} in {}",
                    doc.display(),
                    path.display()
                );
            }
        }
    }
}

/// Markdown link targets `[text](target)` outside code blocks.
fn regex_lite_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_flag_and_settings_key_is_documented() {
    let usage = std::fs::read_to_string(util::root().join("docs/usage.md")).unwrap();
    let cli = talkfeed::cli::Cli::command();
    let mut flags: Vec<String> = cli.get_arguments().filter_map(|a| a.get_long().map(|l| format!("--{l}"))).collect();
    for sub in cli.get_subcommands() {
        flags.extend(sub.get_arguments().filter_map(|a| a.get_long().map(|l| format!("--{l}"))));
        if !sub.is_hide_set() {
            assert!(
                usage.contains(&format!("`{}", sub.get_name())),
                "the command {} is not in docs/usage.md",
                sub.get_name()
            );
        }
    }
    for flag in flags.iter().filter(|f| !["--help", "--version"].contains(&f.as_str())) {
        assert!(usage.contains(flag.as_str()), "{flag} is not in docs/usage.md");
    }
    // Every key of talkfeed.toml: the example there names them all, and an
    // unknown key is an error, so the example is also checked for typos.
    let example = usage.split("```toml").nth(1).and_then(|s| s.split("```").next()).expect("a talkfeed.toml example");
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content/talk")).unwrap();
    std::fs::write(site.path().join("talkfeed.toml"), example).unwrap();
    let mut diags = talkfeed::diag::Diagnostics::new();
    let file = talkfeed::config::TalkfeedToml::load(site.path(), 1 << 20, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let debug = format!("{file:?}");
    assert!(!debug.contains("None"), "a talkfeed.toml key is missing from the example: {debug}");
}

/// Every front-matter key a page is read by (the one list,
/// `normalize::keys::KEYS`, which debug builds enforce) is in the table of
/// keys of docs/content.md, written as Hugo writes it (`publishDate`).
#[test]
fn every_front_matter_key_is_documented() {
    let content = std::fs::read_to_string(util::root().join("docs/content.md")).unwrap();
    let table = content.split("### Keys").nth(1).and_then(|s| s.split("\n### ").next()).expect("a section Keys");
    let table = table.to_lowercase();
    for (key, _) in talkfeed::normalize::keys::KEYS {
        assert!(table.contains(&format!("`{key}`")), "the front-matter key `{key}` is not in docs/content.md, Keys");
    }
    assert!(table.contains(&format!("`{}pdf`", talkfeed::normalize::keys::ATTACHMENT_PREFIX)));
}

/// The top-level modules each file of `src/` (a module's folder as one)
/// names in code as `crate::…`, doc comments left aside.
fn module_imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = util::root().join("src");
    let mut modules = std::collections::BTreeMap::new();
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for file in walkdir::WalkDir::new(&path).into_iter().flatten().filter(|e| e.file_type().is_file()) {
                files.push((name.clone(), file.into_path()));
            }
        } else if name != "lib" && name != "main" {
            files.push((name, path));
        }
    }
    let names: HashSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    for (module, file) in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let used = modules.entry(module.clone()).or_insert_with(std::collections::BTreeSet::new);
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            // `crate::{a, b::c}` names several.
            let named: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                None => vec![rest],
            };
            for n in named {
                let n: String = n.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if names.contains(&n) && n != module {
                    used.insert(n);
                }
            }
        }
    }
    modules
}

/// docs/design.md: "An emitter never imports the content side", and the
/// modules import one another without a circle.
#[test]
fn the_modules_layer_as_design_md_says() {
    let imports = module_imports();
    let content_side = ["discover", "frontmatter", "markup", "normalize", "load", "config", "dates", "permalink"];
    let emit = &imports["emit"];
    for module in content_side {
        assert!(!emit.contains(module), "emit imports {module}: {emit:?}");
    }
    assert!(emit.contains("view") && emit.contains("model"), "the check reads the imports: {emit:?}");
    for low in ["model", "markup", "files", "diag", "dates", "permalink"] {
        for high in ["emit", "view", "load", "commands", "write"] {
            assert!(!imports[low].contains(high), "{low} imports {high}");
        }
    }
    // The table of docs/design.md is the tree: every module, with exactly
    // what it imports.
    let design = std::fs::read_to_string(util::root().join("docs/design.md")).unwrap();
    let section = design.split("## The modules, and the way data flows").nth(1).unwrap();
    let section = section.split("\n### ").next().unwrap();
    let mut rows = std::collections::BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let module = cells[0].trim_start_matches("| ").trim_matches('`').to_string();
        let uses: std::collections::BTreeSet<String> =
            cells[1].split(", ").filter(|c| *c != "—").map(|c| c.trim_matches('`').to_string()).collect();
        rows.insert(module, uses);
    }
    let modules: Vec<&String> = imports.keys().collect();
    assert_eq!(rows.keys().collect::<Vec<_>>(), modules, "docs/design.md lists other modules than src/ has");
    for (module, uses) in &imports {
        assert_eq!(&rows[module], uses, "docs/design.md: what `{module}` imports");
    }
    // No circle: take away modules that import nothing left, until none is left.
    let mut left = imports.clone();
    while !left.is_empty() {
        let leaves: Vec<String> = left
            .iter()
            .filter(|(_, uses)| uses.iter().all(|u| !left.contains_key(u)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(!leaves.is_empty(), "these modules import each other in a circle: {left:?}");
        for m in leaves {
            left.remove(&m);
        }
    }
}
