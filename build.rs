//! Sets `TALKFEED_COMMIT`, the commit `talkfeed --version` names, taken from
//! (first found):
//!
//! 1. the `TALKFEED_COMMIT` environment variable (the release workflow, or a
//!    build from a tarball that knows its commit);
//! 2. git, when this folder is the root of a git checkout (a `.git` folder,
//!    or a worktree's `.git` file); a folder merely *inside* some other
//!    repository (a crate unpacked under a home folder kept in git) is not
//!    asked, so it cannot name a commit of another project;
//! 3. `.cargo_vcs_info.json`, which `cargo package` writes into the crate, so
//!    `cargo install talkfeed` from crates.io names the commit it was
//!    published from;
//! 4. `unknown`.
//!
//! It reruns only when the variable, HEAD or the branch HEAD points to
//! changes, not on every build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=TALKFEED_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&dir);
    let commit =
        from_env().or_else(|| from_git(dir)).or_else(|| from_vcs_info(dir)).unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=TALKFEED_COMMIT={commit}");
}

/// A commit id as printed: hexadecimal, shortened to 12 digits.
fn short(id: &str) -> Option<String> {
    let id = id.trim();
    (id.len() >= 7 && id.chars().all(|c| c.is_ascii_hexdigit())).then(|| id.chars().take(12).collect())
}

fn from_env() -> Option<String> {
    short(&std::env::var("TALKFEED_COMMIT").ok()?)
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn from_git(dir: &Path) -> Option<String> {
    if !dir.join(".git").exists() {
        return None;
    }
    // Rerun when HEAD moves: HEAD itself (a branch switch), the branch's ref
    // file (a commit) and packed-refs (a ref packed by `git gc`). Only files
    // that exist: cargo reruns on every build for a missing one.
    let mut watch = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(git(dir, &["rev-parse", "--git-path", &branch]));
    }
    watch.push(git(dir, &["rev-parse", "--git-path", "packed-refs"]));
    for path in watch.into_iter().flatten() {
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    short(&git(dir, &["rev-parse", "HEAD"])?)
}

fn from_vcs_info(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    // {"git": {"sha1": "…"}, "path_in_vcs": ""}: no JSON parser needed for one string.
    let rest = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    short(&rest[..rest.find('"')?])
}
