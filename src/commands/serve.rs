//! `talkfeed serve`: builds, then serves the output folder over HTTP (see
//! [`crate::server`]); with `--watch`, builds again when the content or
//! the config changes.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{EXIT_OK, run_once};
use crate::cli::{Cli, Command};
use crate::diag::Diagnostics;
use crate::settings::Settings;

/// `talkfeed serve`: serves the output folder; with `watch`, builds again
/// when the content or the config changes.
pub(super) fn run(cli: &Cli, settings: &Settings, port: u16, watch: bool, err: &mut dyn Write) -> io::Result<u8> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let out_dir = std::fs::canonicalize(&settings.out_dir).unwrap_or_else(|_| settings.out_dir.clone());
    let mut watcher = None;
    if watch {
        let mut w = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // Reading the pages (access events) and our own writes to the
            // output folder are not changes to rebuild for.
            if let Ok(e) = event
                && matches!(
                    e.kind,
                    notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_)
                )
                && e.paths.iter().any(|p| !p.starts_with(&out_dir))
            {
                let _ = tx.send(());
            }
        })
        .map_err(io::Error::other)?;
        w.watch(&settings.scope.content_dir, notify::RecursiveMode::Recursive).map_err(io::Error::other)?;
        for file in settings.hugo.files.iter().map(PathBuf::as_path).chain([settings
            .scope
            .site_dir
            .join("talkfeed.toml")
            .as_path()])
        {
            if file.exists() {
                let _ = w.watch(file, notify::RecursiveMode::NonRecursive);
            }
        }
        watcher = Some(w);
    }
    let mut stdout = io::sink();
    let mut stderr = io::stderr();
    let mut rebuild = || {
        let mut diags = Diagnostics::new();
        if let Ok(s) = Settings::from_flags(&(&cli.site).into(), &mut diags) {
            let _ = run_once(cli, &Command::Build, s, diags, &mut stdout, &mut stderr);
        }
    };
    crate::server::serve(&settings.out_dir, port, watcher.as_ref().map(|_| rx), &mut rebuild, err)?;
    Ok(EXIT_OK)
}
