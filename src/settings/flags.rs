//! The command line, as settings see it.

use std::path::PathBuf;

/// What the command line says about the site and the run, before it is
/// checked: every field is a flag of the same name (`--base-url` is
/// `base_url`), `None` or empty when not given. The command line maps its
/// arguments into this (see `cli::SiteArgs`); settings never see clap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// The site root.
    pub site: Option<PathBuf>,
    /// The content folder.
    pub content: Option<PathBuf>,
    /// The talk sections.
    pub sections: Vec<String>,
    /// Only this language.
    pub language: Option<String>,
    /// The zone for times without offset.
    pub timezone: Option<String>,
    /// The site's absolute URL.
    pub base_url: Option<String>,
    /// The title of calendar and feeds.
    pub title: Option<String>,
    /// The description of calendar and feeds.
    pub description: Option<String>,
    /// The author of the feeds.
    pub author: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include pages not published yet in the feeds.
    pub future: bool,
    /// Include expired pages.
    pub expired: bool,
    /// The current time, RFC 3339.
    pub now: Option<String>,
    /// Warnings are errors.
    pub deny_warnings: bool,
    /// A talk that cannot go into the calendars is an error.
    pub strict: bool,
    /// The largest file read (`8M`).
    pub max_file_size: Option<String>,
    /// Publish the theme's example talk.
    pub include_example: bool,
    /// Build without the talks that have errors.
    pub keep_going: bool,
    /// Seconds to wait for another run.
    pub lock_timeout: Option<u64>,
    /// Where build writes.
    pub out: Option<PathBuf>,
    /// The public URL of the output folder.
    pub publish_url: Option<String>,
    /// The length of a talk without an end.
    pub default_duration: Option<String>,
    /// At most this many talks in the feeds.
    pub feed_limit: Option<usize>,
    /// Outputs for every tag.
    pub per_tag: bool,
    /// Outputs for every section.
    pub per_section: bool,
    /// Outputs for every speaker.
    pub per_author: bool,
    /// How often clients fetch the calendar again.
    pub refresh: Option<String>,
    /// How long before each talk the reminders calendars remind (`30m`).
    pub alarm: Vec<String>,
    /// Schedules for conference apps.
    pub schedules: bool,
}
