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
