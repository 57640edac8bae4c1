//! The emitters' options: what the outputs look like, for each language.

use chrono_tz::Tz;
use url::Url;

use crate::publish::PublishPolicy;

pub use crate::view::NoBaseUrl;

/// What differs between the outputs of the languages of a multilingual
/// site: each enabled language gets its own calendars and feeds, the
/// default language's at the root of the output folder, the others' in a
/// folder named after the language (`fr/`), as Hugo publishes the other
/// languages under `/fr/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// The language key, lower-cased (`fr`, `zh-hant`).
    pub lang: String,
    /// The folder of its outputs under the output folder: "" or `fr/`.
    pub dir: String,
    /// The language tag of the outputs (`languageCode`/`locale`, else the key).
    pub language_code: String,
    /// The language's name for people (`languageName`, else the key).
    pub language_name: String,
    /// The site's title in this language.
    pub site_title: Option<String>,
    /// Description of calendar and feeds, as plain text (it may be written
    /// in Markdown): `--description`, else the language's
    /// `params.description`, else the site's.
    pub description: Option<String>,
    /// Author of the feeds: `--author`, else the language's
    /// `params.author`, else the site's.
    pub author: Option<String>,
    /// The public URL of its output folder, with a trailing slash.
    pub publish_url: Option<Url>,
    /// The language's home page on the site (`/`, `/fr/`), as Hugo puts it.
    pub home_path: String,
    /// The zone of its times without an offset (and of an empty calendar).
    pub time_zone: Tz,
}

/// What the emitters read: how the outputs look, never how the content is
/// read. Made by `settings`; owned here, beside the emitters.
#[derive(Debug, Clone)]
pub struct Options {
    /// The absolute URL the site is published at, with a trailing slash.
    pub base_url: Option<Url>,
    /// Title of calendar and feeds, as given by flag or `talkfeed.toml`.
    pub title: Option<String>,
    /// The languages whose calendars and feeds can be written, default
    /// first: every enabled language, or only `--language`.
    pub editions: Vec<Edition>,
    /// Which pages are published.
    pub publish: PublishPolicy,
    /// The length of a timed talk whose page gives no end.
    pub default_duration: chrono::Duration,
    /// How often clients should fetch the calendar again.
    pub refresh: chrono::Duration,
    /// How long before each talk the reminders calendars remind, shortest
    /// first; none: no reminders calendars.
    pub alarms: Vec<chrono::Duration>,
    /// At most this many talks in the feeds (all when `None`).
    pub feed_limit: Option<usize>,
    /// Write a calendar and feeds for every tag.
    pub per_tag: bool,
    /// Write a calendar and feeds for every section.
    pub per_section: bool,
    /// Write a calendar and feeds for every speaker.
    pub per_author: bool,
    /// Write a schedule for conference apps for every event.
    pub schedules: bool,
}

impl Options {
    /// The site's absolute URL, which every output needs for its links.
    pub fn require_base_url(&self) -> Result<&Url, NoBaseUrl> {
        self.base_url.as_ref().ok_or(NoBaseUrl)
    }
}
