//! The first step: the site's folder, `talkfeed.toml`, the size limit, the
//! Hugo config and the content folder.

use std::path::{Path, PathBuf};

use super::{Flags, UsageError};
use crate::config::{HugoConfig, TalkfeedToml};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};

/// The folders and config files of the site.
pub(super) struct Paths {
    /// The site root (config files are read from here).
    pub(super) site_dir: PathBuf,
    /// The content folder.
    pub(super) content_dir: PathBuf,
    /// The largest file read, in bytes.
    pub(super) max_file_size: u64,
    /// `talkfeed.toml`, or its defaults.
    pub(super) talkfeed_toml: TalkfeedToml,
    /// The merged Hugo config.
    pub(super) hugo: HugoConfig,
}

impl Paths {
    /// `talkfeed.toml`'s path, for messages.
    pub(super) fn talkfeed_toml_path(&self) -> PathBuf {
        crate::files::join(&self.site_dir, crate::config::TALKFEED_TOML)
    }
}

/// Resolves the site's folders and reads its config files.
pub(super) fn resolve(args: &Flags, diags: &mut Diagnostics) -> Result<Paths, UsageError> {
    let site_dir = match (&args.site, &args.content) {
        (Some(site), _) => site.clone(),
        (None, Some(content)) => parent_dir(content),
        (None, None) => PathBuf::from("."),
    };
    if !site_dir.is_dir() {
        return Err(UsageError::new(format!("the site folder {} does not exist", site_dir.display())));
    }
    let flag_limit = match &args.max_file_size {
        Some(text) => {
            Some(crate::files::parse_size(text).map_err(|m| UsageError::new(format!("--max-file-size: {m}")))?)
        }
        None => None,
    };
    let file = TalkfeedToml::load(&site_dir, flag_limit.unwrap_or(crate::files::DEFAULT_MAX_FILE_SIZE), diags);
    let max_file_size = match (flag_limit, &file.max_file_size) {
        (Some(l), _) => l,
        (None, Some(text)) => crate::files::parse_size(text).unwrap_or_else(|m| {
            diags.push(
                Diagnostic::error(DiagKind::Config, format!("max_file_size: {m}"))
                    .at_path(crate::files::join(&site_dir, crate::config::TALKFEED_TOML))
                    .key("max_file_size"),
            );
            crate::files::DEFAULT_MAX_FILE_SIZE
        }),
        (None, None) => crate::files::DEFAULT_MAX_FILE_SIZE,
    };
    let hugo = HugoConfig::load(&site_dir, max_file_size, diags);
    let content_dir = match &args.content {
        Some(c) => c.clone(),
        None => crate::files::join(&site_dir, &hugo.string("contentdir").unwrap_or_else(|| String::from("content"))),
    };
    if !content_dir.is_dir() {
        return Err(UsageError::new(format!(
            "the content folder {} does not exist (give the site with --site DIR or the content with --content DIR)",
            content_dir.display()
        )));
    }
    Ok(Paths { site_dir, content_dir, max_file_size, talkfeed_toml: file, hugo })
}

fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
