//! `talkfeed check`: reads every page and reports every problem, writing
//! nothing; the messages themselves are printed by [`super::run_once`],
//! the summary that follows them here.

use std::io::{self, Write};

use super::{languages_of, plural};
use crate::diag::Diagnostics;
use crate::model::{EventTime, Site, Talk, Zone, ZoneSource};
use crate::publish::{self, Visibility};
use crate::settings::Settings;

/// With `-v`, before the summary: the time zone each timed talk's times
/// are written in, and why.
pub(super) fn zones(site: &Site, w: &mut dyn Write) -> io::Result<()> {
    for talk in &site.talks {
        let Some(EventTime::Timed(range)) = talk.when else { continue };
        let zone = match range.zone() {
            Zone::Named { tz, source: ZoneSource::Site } => format!("{tz} (the site's time zone)"),
            Zone::Named { tz, source: ZoneSource::Page } => format!("{tz} (the page's `timezone`)"),
            Zone::Utc { instead_of: None } => String::from("UTC"),
            Zone::Utc { instead_of: Some((tz, source)) } => {
                // The start, or else the end, is what does not fit.
                let at = [Some(range.start()), range.end()]
                    .into_iter()
                    .flatten()
                    .find(|t| !Zone::reads_back(tz, *t))
                    .unwrap_or(range.start());
                let whose = match source {
                    ZoneSource::Site => "the site's time zone",
                    ZoneSource::Page => "the page's `timezone`",
                };
                format!(
                    "UTC, not {tz} ({whose}): {} is {}, and {}",
                    at.to_rfc3339(),
                    at.format("%:z"),
                    Zone::why_not(tz, at)
                )
            }
        };
        writeln!(w, "talkfeed: {}: times in {zone}", talk.source.path.display())?;
    }
    Ok(())
}

/// The summary after the messages: the talks of each language, what is
/// left out and why, the counts of errors and warnings.
pub(super) fn summary(site: &Site, settings: &Settings, diags: &Diagnostics, w: &mut dyn Write) -> io::Result<()> {
    let content = settings.scope.content_dir.display();
    let langs = languages_of(site, settings);
    let mut totals: Vec<String> = Vec::new();
    if langs.len() > 1 {
        for lang in &langs {
            let talks: Vec<&Talk> = site.talks.iter().filter(|t| t.source.lang == *lang).collect();
            writeln!(w, "talkfeed: {content} ({lang}): {}", talk_counts(&talks, settings).join(", "))?;
        }
        totals.push(format!("{} in {} languages", plural(site.talks.len(), "talk"), langs.len()));
    } else {
        totals.extend(talk_counts(&site.talks.iter().collect::<Vec<_>>(), settings));
    }
    if !site.not_talks.is_empty() {
        totals.push(format!("{} not a talk", plural(site.not_talks.len(), "page")));
    }
    if !site.set_aside.is_empty() {
        let why = if settings.scope.only_language.is_some() { "another language" } else { "a disabled language" };
        totals.push(format!("{} in {why}, not read", plural(site.set_aside.len(), "page")));
    }
    writeln!(
        w,
        "talkfeed: {content}: {}; {}, {}",
        totals.join(", "),
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning"),
    )
}

/// `12 talks`, `12 in the calendar, 11 in the feeds`, and what is left out.
fn talk_counts(talks: &[&Talk], settings: &Settings) -> Vec<String> {
    let vis: Vec<Visibility> = talks.iter().map(|t| publish::visibility(t, &settings.emit.publish)).collect();
    let mut parts = vec![plural(talks.len(), "talk")];
    let in_calendar = vis.iter().filter(|v| v.in_calendar).count();
    let in_feeds = vis.iter().filter(|v| v.in_feeds).count();
    parts.push(format!("{in_calendar} in the calendar, {in_feeds} in the feeds"));
    let undated = vis.iter().filter(|v| v.undated).count();
    if undated > 0 {
        parts.push(format!("{undated} without a start date (in no calendar)"));
    }
    let drafts = vis.iter().filter(|v| v.draft).count();
    if drafts > 0 {
        parts.push(format!("{} left out (use --drafts)", plural(drafts, "draft")));
    }
    let expired = vis.iter().filter(|v| v.expired).count();
    if expired > 0 {
        parts.push(format!("{expired} expired left out (use --expired)"));
    }
    parts
}
