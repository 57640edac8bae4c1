//! Emitters: the checked talks → the bytes of each output file.
//!
//! Emitters only format: they read [`Talk`]s and [`Settings`], never files,
//! and never the clock (every time they write comes from the talks), so the
//! same input gives the same bytes. What all formats share lives here: the
//! talk's permanent identity, absolute links, the calendar/feed title, and
//! the per-talk file names.

pub mod ics;
mod text;

use std::collections::BTreeMap;

use url::Url;
use uuid::Uuid;

use crate::model::{EventTime, Talk};
use crate::publish;
use crate::settings::Settings;
use crate::site::Site;

pub use text::markdown_to_plain;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Its path under the output folder, `/`-separated (`talks.ics`, `talks/x.ics`).
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Why outputs cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// Calendars and feeds need absolute links.
    #[error(
        "the calendar needs the site's absolute URL: pass --base-url https://your.site/ (or set base_url in talkfeed.toml, or baseURL in the Hugo config)"
    )]
    NoBaseUrl,
}

/// What every emitter reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The run's settings.
    pub settings: &'a Settings,
    /// The site's absolute URL.
    pub base_url: &'a Url,
    /// Everything read from the site.
    pub site: &'a Site,
}

impl<'a> Context<'a> {
    /// A context for `site`; fails without a base URL.
    pub fn new(site: &'a Site, settings: &'a Settings) -> Result<Context<'a>, EmitError> {
        let base_url = settings.base_url.as_ref().ok_or(EmitError::NoBaseUrl)?;
        Ok(Context { settings, base_url, site })
    }

    /// The talk's permanent identity: its `uid` if the page gives one, else
    /// a UUID (version 5) of the base URL and the page's content path. It
    /// does not change when the title, the date or the slug change, differs
    /// between two sites that both have `talk/example/`, and differs between
    /// two pages that share a permalink. Used as iCalendar `UID` and as feed
    /// item id.
    pub fn uid(&self, talk: &Talk) -> String {
        match &talk.uid {
            Some(uid) => uid.clone(),
            None => {
                let name = format!("{}{}", self.base_url, talk.source.key);
                Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
            }
        }
    }

    /// The talk page's absolute URL.
    pub fn page_url(&self, talk: &Talk) -> String {
        absolute(self.base_url, &talk.permalink)
    }

    /// A link from the page (`url_slides: slides.pdf`) made absolute
    /// against the page's URL; absolute links stay as written.
    pub fn link(&self, talk: &Talk, link: &str) -> String {
        let page = self.page_url(talk);
        match Url::parse(&page) {
            Ok(page) => absolute(&page, link),
            Err(_) => link.to_string(),
        }
    }

    /// The event's link. Pages write hosts without a scheme
    /// (`esorics2022.compute.dtu.dk/`), which would otherwise resolve against
    /// the talk page; an event URL is never a page of the site, so such a
    /// value gets `https://`.
    pub fn event_link(&self, talk: &Talk, link: &str) -> String {
        let first = link.split('/').next().unwrap_or("");
        if Url::parse(link).is_err() && !link.starts_with(['/', '.', '#', '?']) && first.contains('.') {
            format!("https://{link}")
        } else {
            self.link(talk, link)
        }
    }

    /// The public URL of an output file (`talks.ics`), if known.
    pub fn output_url(&self, path: &str) -> Option<String> {
        self.settings.publish_url.as_ref().map(|u| absolute(u, path))
    }

    /// The title of the calendar and feeds: `--title` (or `title` in
    /// talkfeed.toml) if given, else the talk section's title followed by the
    /// site's (`Recent & Upcoming Talks · Martin`).
    pub fn title(&self) -> String {
        if let Some(t) = &self.settings.title {
            return t.clone();
        }
        let section = self.section().and_then(|s| s.title.clone()).unwrap_or_else(|| String::from("Talks"));
        match &self.settings.site_title {
            Some(site) if *site != section => format!("{section} · {site}"),
            _ => section,
        }
    }

    /// The description of the calendar and feeds: `--description` (or the
    /// site's `params.description`), else the talk section's description.
    pub fn description(&self) -> Option<String> {
        self.settings.description.clone().or_else(|| self.section().and_then(|s| s.description.clone()))
    }

    /// The URL of the talk list: the first talk section's page, else the site.
    pub fn home_url(&self) -> String {
        match self.section() {
            Some(s) => absolute(self.base_url, &s.permalink),
            None => self.base_url.to_string(),
        }
    }

    /// The section page that names the talks: the top-level `_index.md` of
    /// the first configured section that has one, in the chosen language if
    /// it exists there.
    fn section(&self) -> Option<&'a crate::model::SectionPage> {
        let top_level = |s: &&crate::model::SectionPage, name: &str| {
            s.source.key.strip_prefix(name).is_some_and(|rest| rest.starts_with("/_index."))
        };
        self.settings.sections.iter().find_map(|name| {
            let mut candidates = self.site.sections.iter().filter(|s| top_level(s, name));
            let all: Vec<_> = candidates.by_ref().collect();
            all.iter().find(|s| s.source.lang == self.settings.language).or(all.first()).copied()
        })
    }

    /// The talks that go into the calendar, in calendar order: by start,
    /// then by UID.
    pub fn calendar_talks(&self) -> Vec<&'a Talk> {
        let mut talks: Vec<(chrono::DateTime<chrono::Utc>, String, &Talk)> = self
            .site
            .talks
            .iter()
            .filter(|t| publish::visibility(t, &self.settings.publish).in_calendar)
            .map(|t| (start_instant(t), self.uid(t), t))
            .collect();
        talks.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        talks.into_iter().map(|(_, _, t)| t).collect()
    }
}

/// The instant a talk starts; all-day talks at the start of their first day, UTC.
pub fn start_instant(t: &Talk) -> chrono::DateTime<chrono::Utc> {
    match t.when {
        EventTime::AllDay(r) => r.first().and_time(chrono::NaiveTime::MIN).and_utc(),
        EventTime::Timed(r) => r.start().to_utc(),
    }
}

/// `link` resolved against `base`; as written if it cannot be.
fn absolute(base: &Url, link: &str) -> String {
    base.join(link).map(String::from).unwrap_or_else(|_| link.to_string())
}

/// File names for per-talk files, one per talk and unique: the content
/// path (`talk/product-coaching/index.md` → `talk-product-coaching`),
/// reduced to lower-case ASCII letters, digits, `-` and `_`, so nothing a
/// page says can leave the output folder or trip a file system. Names that
/// still collide get a short, stable hash of their content path.
pub fn file_names(talks: &[&Talk]) -> Vec<String> {
    let bases: Vec<String> = talks.iter().map(|t| file_base(&t.source.key)).collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for b in &bases {
        *count.entry(b).or_default() += 1;
    }
    talks
        .iter()
        .zip(&bases)
        .map(|(t, b)| {
            if count[b.as_str()] > 1 {
                let hash = Uuid::new_v5(&Uuid::NAMESPACE_URL, t.source.key.as_bytes()).simple().to_string();
                format!("{b}-{}", &hash[..8])
            } else {
                b.clone()
            }
        })
        .collect()
}

fn file_base(key: &str) -> String {
    let without_ext = key.rsplit_once('.').map_or(key, |(stem, _)| stem);
    let path = without_ext.strip_suffix("/index").unwrap_or(without_ext);
    let mut name = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-').to_string();
    // Empty, or a name Windows reserves for devices.
    const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
    let reserved = RESERVED.contains(&name.as_str())
        || ((name.starts_with("com") || name.starts_with("lpt"))
            && name.len() == 4
            && name.as_bytes()[3].is_ascii_digit());
    if name.is_empty() || reserved { format!("talk-{name}").trim_end_matches('-').to_string() } else { name }
}

/// Renders every output of a build: the calendar and one calendar per talk.
pub fn render(site: &Site, settings: &Settings) -> Result<Vec<Output>, EmitError> {
    let ctx = Context::new(site, settings)?;
    let talks = ctx.calendar_talks();
    let mut outputs =
        vec![Output { path: String::from(ics::CALENDAR_FILE), bytes: ics::calendar(&ctx, &talks).into_bytes() }];
    for (talk, name) in talks.iter().zip(file_names(&talks)) {
        outputs.push(Output {
            path: format!("{}/{name}.ics", ics::TALKS_DIR),
            bytes: ics::single(&ctx, talk).into_bytes(),
        });
    }
    Ok(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_bases_are_safe() {
        assert_eq!(file_base("talk/product-coaching/index.md"), "talk-product-coaching");
        assert_eq!(file_base("talk/2019/Köln Talk.md"), "talk-2019-k-ln-talk");
        assert_eq!(file_base("talk/../../etc/passwd.md"), "talk-etc-passwd");
        assert_eq!(file_base("con.md"), "talk-con");
        assert_eq!(file_base("lpt1.md"), "talk-lpt1");
        assert_eq!(file_base("....md"), "talk");
    }
}
