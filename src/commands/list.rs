//! `talkfeed list`: every talk, one per line (or one JSON object per line),
//! by language, oldest first, with what is left out of which output.

use std::io::{self, Write};

use serde::Serialize;

use super::languages_of;
use crate::cli::{Cli, MessageFormat};
use crate::emit::time::{rfc3339, when_text};
use crate::model::{EventTime, Site, Status, Talk};
use crate::publish::{self, Visibility};
use crate::settings::Settings;

/// One talk as `list --format json` prints it.
#[derive(Serialize)]
struct TalkLine<'a> {
    file: String,
    content_path: &'a str,
    lang: &'a str,
    title: &'a str,
    event: Option<&'a str>,
    location: Option<&'a str>,
    all_day: bool,
    start: Option<String>,
    end: Option<String>,
    start_key: &'static str,
    end_key: Option<&'static str>,
    /// The IANA time zone a timed talk is written in (none: UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    zone: Option<&'static str>,
    /// The calendar's UID of the talk, when the site's URL is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    uid: Option<String>,
    permalink: &'a str,
    status: Status,
    draft: bool,
    in_calendar: bool,
    in_feeds: bool,
    /// Hugo's `.PublishDate`, `.Date`, `.Lastmod` and `.ExpiryDate`, as
    /// the site's date rules (`[frontmatter]`) make them.
    publish_date: Option<String>,
    page_date: Option<String>,
    lastmod: Option<String>,
    expiry_date: Option<String>,
}

/// Prints the talks of `site`.
pub(super) fn run(site: &Site, settings: &Settings, cli: &Cli, w: &mut dyn Write) -> io::Result<()> {
    let mut talks: Vec<&Talk> = site.talks.iter().collect();
    // By language (the site's order), then oldest first; undated talks last.
    let langs = languages_of(site, settings);
    let multilingual = langs.len() > 1;
    let lang_order = |t: &Talk| langs.iter().position(|l| *l == t.source.lang);
    let start = |t: &Talk| t.when.as_ref().map(EventTime::start_instant);
    talks.sort_by(|a, b| {
        (lang_order(a), start(a).is_none(), start(a))
            .cmp(&(lang_order(b), start(b).is_none(), start(b)))
            .then_with(|| a.source.content_path.cmp(&b.source.content_path))
    });
    for t in talks {
        let v = publish::visibility(t, &settings.emit.publish);
        match cli.messages.format {
            MessageFormat::Json => {
                let line = json_line(t, &v, settings);
                writeln!(w, "{}", serde_json::to_string(&line).map_err(io::Error::other)?)?;
            }
            // Annotations are for diagnostics; the talks are listed for people.
            MessageFormat::Human | MessageFormat::Github => {
                writeln!(w, "{}", human_line(t, &v, multilingual))?;
                if cli.messages.verbose > 0 {
                    let mut keys = format!("start: {}", t.start_key.key());
                    if let Some(k) = t.end_key {
                        keys.push_str(&format!(", end: {k}"));
                    }
                    writeln!(w, "    {} · {keys} · {}", t.source.path.display(), t.permalink)?;
                }
            }
        }
    }
    if cli.messages.verbose > 0 && cli.messages.format == MessageFormat::Human {
        for page in &site.not_talks {
            writeln!(w, "not a talk ({}): {}", page.reason.describe(), page.source.path.display())?;
        }
        for (path, lang) in &site.set_aside {
            writeln!(w, "not read (language {lang}): {}", path.display())?;
        }
    }
    Ok(())
}

/// A talk as one JSON line.
fn json_line<'a>(t: &'a Talk, v: &Visibility, settings: &Settings) -> TalkLine<'a> {
    let (all_day, start, end) = match t.when {
        Some(EventTime::AllDay(r)) => (true, Some(r.first().to_string()), Some(r.last().to_string())),
        Some(EventTime::Timed(r)) => (false, Some(rfc3339(&r.start())), r.end().map(|e| rfc3339(&e))),
        None => (false, None, None),
    };
    let zone = match t.when {
        Some(EventTime::Timed(r)) => r.zone().tz().map(|tz| tz.name()),
        _ => None,
    };
    TalkLine {
        file: t.source.path.display().to_string(),
        content_path: &t.source.content_path,
        lang: &t.source.lang,
        title: &t.title,
        event: t.event.as_deref(),
        location: t.location.as_deref(),
        all_day,
        start,
        end,
        start_key: t.start_key.key(),
        end_key: t.end_key,
        zone,
        uid: settings.emit.base_url.as_ref().map(|b| t.uid(b, &settings.urls.default_language)),
        permalink: &t.permalink,
        status: t.status,
        draft: t.draft,
        in_calendar: v.in_calendar,
        in_feeds: v.in_feeds,
        publish_date: t.dates.publish.as_ref().map(rfc3339),
        page_date: t.dates.date.as_ref().map(rfc3339),
        lastmod: t.dates.lastmod.as_ref().map(rfc3339),
        expiry_date: t.dates.expiry.as_ref().map(rfc3339),
    }
}

/// A talk as people read it: when, title, event and what becomes of it.
fn human_line(t: &Talk, v: &Visibility, multilingual: bool) -> String {
    let when = t.when.as_ref().map_or_else(|| String::from("undated"), when_text);
    let mut line = format!("{when} · {}", t.title);
    if multilingual {
        line = format!("[{}] {line}", t.source.lang);
    }
    if let Some(e) = &t.event {
        line.push_str(&format!(" · {e}"));
    }
    let flags = flags(t, v);
    if !flags.is_empty() {
        line.push_str(&format!("  [{}]", flags.join(", ")));
    }
    line
}

fn flags(t: &Talk, v: &Visibility) -> Vec<String> {
    let mut f = Vec::new();
    if t.draft {
        f.push(if v.draft { "draft, left out".to_string() } else { "draft".to_string() });
    }
    if v.undated {
        f.push(if v.in_feeds { "no start date, feeds only" } else { "no start date, left out" }.to_string());
    }
    if v.expired {
        f.push("expired, left out".to_string());
    }
    if v.future
        && v.in_calendar
        && let Some(p) = t.dates.publish
    {
        f.push(format!("feeds from {}", p.date_naive()));
    }
    match t.status {
        Status::Confirmed => {}
        Status::Tentative => f.push("tentative".to_string()),
        Status::Cancelled => f.push("cancelled".to_string()),
    }
    f
}
