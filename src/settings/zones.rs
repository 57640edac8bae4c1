//! The time zones dates without an offset are read in: `--timezone`, else
//! `talkfeed.toml`'s `timezone`, else the Hugo config's (the language's
//! `timeZone`, then the site's), else UTC; with neither flag nor
//! `talkfeed.toml`, every other language with a `timeZone` of its own too.

use std::path::Path;

use chrono_tz::Tz;

use super::languages::Languages;
use super::paths::Paths;
use super::{Flags, UsageError};
use crate::config::{HugoConfig, TalkfeedToml};
use crate::diag::{DiagKind, Diagnostic, Diagnostics, Position};
use crate::model::{Zones, parse_timezone};

/// The zones of the site and of its languages.
pub(super) fn resolve(
    args: &Flags,
    file: &TalkfeedToml,
    paths: &Paths,
    languages: &Languages,
    diags: &mut Diagnostics,
) -> Result<Zones, UsageError> {
    let hugo = &paths.hugo;
    let language = &languages.read;
    let lang_config = languages.all.iter().find(|l| l.code == *language);
    let site = match (&args.timezone, &file.timezone) {
        (Some(tz), _) => parse_timezone(tz).map_err(|m| UsageError::new(format!("--timezone: {m}")))?,
        (None, Some(tz)) => config_timezone(tz, &paths.talkfeed_toml_path(), None, "timezone", diags),
        (None, None) => match (lang_config.and_then(|l| l.time_zone.clone()), hugo.string("timezone")) {
            (Some(tz), _) => {
                hugo_timezone(&tz, hugo, &format!("languages.{language}.timezone"), &paths.site_dir, diags)
            }
            (None, Some(tz)) => hugo_timezone(&tz, hugo, "timezone", &paths.site_dir, diags),
            (None, None) => Tz::UTC,
        },
    };
    if args.timezone.is_some() || file.timezone.is_some() {
        return Ok(Zones::only(site));
    }
    let own = languages
        .all
        .iter()
        .filter(|l| l.code != *language)
        .filter_map(|l| {
            let key = format!("languages.{}.timezone", l.code);
            Some((l.code.clone(), hugo_timezone(l.time_zone.as_deref()?, hugo, &key, &paths.site_dir, diags)))
        })
        .collect();
    Ok(Zones { site, languages: own })
}

fn config_timezone(name: &str, file: &Path, position: Option<Position>, key: &str, diags: &mut Diagnostics) -> Tz {
    parse_timezone(name).unwrap_or_else(|m| {
        diags.push(
            Diagnostic::error(DiagKind::UnknownTimeZone, m)
                .at_path(file)
                .at(position)
                .key(key)
                .hint("use an IANA name such as Europe/Berlin or America/New_York"),
        );
        Tz::UTC
    })
}

/// Reads a time zone set in the Hugo config at the dotted `key`.
fn hugo_timezone(name: &str, hugo: &HugoConfig, key: &str, site_dir: &Path, diags: &mut Diagnostics) -> Tz {
    let (file, position) = match hugo.position_of(key) {
        Some((f, p)) => (f, Some(p)),
        None => (hugo.files.first().cloned().unwrap_or_else(|| site_dir.to_path_buf()), None),
    };
    config_timezone(name, &file, position, key, diags)
}
