//! `enableGitInfo`: the author date of the last commit that touched each
//! file, as Hugo's `:git` date handler reads it, from one pass of
//! `git log` over the repository (never one git process per page).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, Utc};

use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::normalize::dates::FileDates;

/// The author date of the last commit of every file of a repository.
#[derive(Debug, Default)]
pub struct GitDates {
    dates: HashMap<PathBuf, DateTime<FixedOffset>>,
}

impl GitDates {
    /// The history of the files under `dirs` (the content folders) in the
    /// repository the first is in; why not, when it is not in one or git
    /// cannot be run.
    pub fn read(dirs: &[PathBuf]) -> Result<GitDates, String> {
        let first = dirs.first().ok_or("no content folder")?;
        let top = git(first, &["rev-parse", "--show-toplevel"])?;
        // Canonical, as the pages' paths are looked up: git's names are
        // relative to it.
        let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
        let top = std::fs::canonicalize(&top).unwrap_or(top);
        let mut args: Vec<String> = ["-c", "core.quotepath=false", "log", "-z", "--name-only", "--no-merges"]
            .into_iter()
            .chain(["--no-renames", "--format=%x1e%aI", "--"])
            .map(String::from)
            .collect();
        // Only the content's history: a site in a large repository reads
        // no more than its pages' commits.
        args.extend(dirs.iter().filter_map(|d| std::fs::canonicalize(d).ok()).map(|d| d.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let log = git(&top, &args)?;
        Ok(GitDates { dates: parse_log(&top, &log) })
    }

    /// The date of `path`, if a commit touched it.
    pub fn of(&self, path: &Path) -> Option<DateTime<FixedOffset>> {
        let path = std::fs::canonicalize(path).ok()?;
        self.dates.get(&path).copied()
    }
}

/// `git` with `args` in `dir`: its output, or why it failed.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out =
        Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|e| format!("git cannot be run ({e})"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(why.lines().next().unwrap_or("git failed").trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| String::from("git's output is not UTF-8"))
}

/// `git log -z --name-only --format=%x1e%aI`: each commit is `RS date NUL
/// LF name NUL name NUL …`, newest first; a file's first date is its last.
fn parse_log(top: &Path, log: &str) -> HashMap<PathBuf, DateTime<FixedOffset>> {
    let mut dates = HashMap::new();
    for commit in log.split('\u{1e}').filter(|c| !c.is_empty()) {
        let mut fields = commit.split('\0');
        let Some(date) = fields.next().and_then(|d| DateTime::parse_from_rfc3339(d.trim()).ok()) else { continue };
        for name in fields.map(|n| n.trim_start_matches('\n')).filter(|n| !n.is_empty()) {
            dates.entry(top.join(name)).or_insert(date);
        }
    }
    dates
}

/// What Hugo's date handlers read of a page's file besides its text:
/// its modification time (`:fileModTime`) and last commit (`:git`), each
/// only when the site's date rules use it.
#[derive(Debug, Default)]
pub(super) struct FileTimes {
    git: Option<GitDates>,
    mod_time: bool,
}

impl FileTimes {
    /// What `inputs`' date rules need, with a warning when `enableGitInfo`
    /// is set outside a git repository.
    pub(super) fn new(inputs: &super::Inputs<'_>, diags: &mut Diagnostics) -> FileTimes {
        let rules = &inputs.rules.dates;
        let git = match rules.reads_git().then(|| GitDates::read(&crate::discover::content_folders(inputs.scope))) {
            Some(Ok(dates)) => Some(dates),
            Some(Err(why)) => {
                diags.push(not_a_repository(inputs, &why));
                None
            }
            None => None,
        };
        FileTimes { git, mod_time: rules.reads_mod_time() }
    }

    /// The times of the page at `path`.
    pub(super) fn of(&self, path: &Path) -> FileDates {
        let modified = match self.mod_time {
            true => {
                std::fs::metadata(path).and_then(|m| m.modified()).ok().map(|t| DateTime::<Utc>::from(t).fixed_offset())
            }
            false => None,
        };
        FileDates { modified, git_author: self.git.as_ref().and_then(|g| g.of(path)) }
    }
}

fn not_a_repository(inputs: &super::Inputs<'_>, why: &str) -> Diagnostic {
    let content = inputs.scope.content_dir.display();
    let d = Diagnostic::warning(
        DiagKind::Config,
        format!(
            "enableGitInfo is set, but the last commits of {content} cannot be read ({why}); lastmod comes from the front matter"
        ),
    )
    .hint("run talkfeed in the site's git clone (in CI, fetch the whole history: fetch-depth: 0), or remove enableGitInfo");
    match inputs.hugo.position_of("enablegitinfo") {
        Some((file, at)) => d.at_path(file).at(Some(at)),
        None => d.at_path(&inputs.scope.content_dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_file_wins() {
        let log = "\u{1e}2024-02-02T03:04:05+01:00\0\na b.md\0\u{1e}2024-01-02T03:04:05+01:00\0\na b.md\0c/ü.md\0";
        let dates = parse_log(Path::new("/nonexistent-repo"), log);
        assert_eq!(dates[Path::new("/nonexistent-repo/a b.md")].to_rfc3339(), "2024-02-02T03:04:05+01:00");
        assert_eq!(dates[Path::new("/nonexistent-repo/c/ü.md")].to_rfc3339(), "2024-01-02T03:04:05+01:00");
    }
}
