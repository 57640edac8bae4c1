//! The output formats, in one table: every file talkfeed writes in a
//! language's folder (and, for some, in each tag's, section's and
//! speaker's), with its media type and its name for people. The files the
//! writer owns and the order it replaces them in, the server's content
//! types, the subscribe page's links and the manifest's all come from
//! [`FORMATS`]; adding a format is a row here and its emitter (called from
//! [`super::emit`]).

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every talk of the calendar.
    Calendar,
    /// The talks still to come.
    Upcoming,
    /// Every talk of the calendar, with reminders (`--alarm`).
    CalendarWithReminders,
    /// The talks still to come, with reminders (`--alarm`).
    UpcomingWithReminders,
    /// RSS 2.0.
    Rss,
    /// Atom.
    Atom,
    /// JSON Feed 1.1.
    JsonFeed,
    /// The manifest for the site's own templates.
    Manifest,
    /// The subscribe page.
    Page,
}

/// One output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// What it is.
    pub kind: Kind,
    /// Its file name in a language's (or group's) folder.
    pub file: &'static str,
    /// How a server should send it.
    pub media_type: &'static str,
    /// Its name for people, in links (`RSS`).
    pub label: &'static str,
    /// Whether each tag, section and speaker folder has one too.
    pub per_group: bool,
    /// Whether it is a feed (or calendar) the subscribe page and the
    /// autodiscovery links offer.
    pub offered: bool,
    /// Whether it is a calendar with reminders, written only with
    /// `--alarm`.
    pub reminders: bool,
}

/// Every format, in the order the writer replaces them (the calendars
/// first, the page last: it links every other one).
pub const FORMATS: [Format; 9] = [
    format(Kind::Calendar, "talks.ics", "text/calendar; charset=utf-8", "iCalendar", true, true),
    format(
        Kind::Upcoming,
        "upcoming.ics",
        "text/calendar; charset=utf-8",
        "upcoming talks only (iCalendar)",
        false,
        true,
    ),
    with_reminders(format(
        Kind::CalendarWithReminders,
        "talks-reminders.ics",
        "text/calendar; charset=utf-8",
        "iCalendar with reminders",
        false,
        false,
    )),
    with_reminders(format(
        Kind::UpcomingWithReminders,
        "upcoming-reminders.ics",
        "text/calendar; charset=utf-8",
        "upcoming talks with reminders (iCalendar)",
        false,
        false,
    )),
    format(Kind::Rss, "rss.xml", "application/rss+xml", "RSS", true, true),
    format(Kind::Atom, "atom.xml", "application/atom+xml", "Atom", true, true),
    format(Kind::JsonFeed, "feed.json", "application/feed+json", "JSON Feed", true, true),
    format(Kind::Manifest, "talkfeed.json", "application/json", "manifest", false, false),
    format(Kind::Page, "index.html", "text/html; charset=utf-8", "subscribe page", false, false),
];

const fn format(
    kind: Kind,
    file: &'static str,
    media_type: &'static str,
    label: &'static str,
    per_group: bool,
    offered: bool,
) -> Format {
    Format { kind, file, media_type, label, per_group, offered, reminders: false }
}

const fn with_reminders(format: Format) -> Format {
    Format { reminders: true, ..format }
}

/// The folder of the per-talk calendars, and their extension.
pub const TALKS_DIR: &str = "talks";
/// The extension of a per-talk calendar (served as the calendars are).
pub const TALK_EXTENSION: &str = ".ics";

/// The folders of a language's outputs beside its own files: the
/// per-talk calendars, and the tags', sections' and speakers' folders. No
/// language may be named so: its outputs go into a folder of its name.
pub const OUTPUT_FOLDERS: [&str; 5] = [
    TALKS_DIR,
    super::groups::TAGS_DIR,
    super::groups::SECTIONS_DIR,
    super::groups::AUTHORS_DIR,
    super::schedule::SCHEDULES_DIR,
];

/// The files of one language's folder, in replacing order.
pub const EDITION_FILES: [&str; FORMATS.len()] = {
    let mut files = [""; FORMATS.len()];
    let mut i = 0;
    while i < FORMATS.len() {
        files[i] = FORMATS[i].file;
        i += 1;
    }
    files
};

const GROUP_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < FORMATS.len() {
        if FORMATS[i].per_group {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The files of each tag's, section's and speaker's folder.
pub const GROUP_FILES: [&str; GROUP_COUNT] = {
    let mut files = [""; GROUP_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < FORMATS.len() {
        if FORMATS[i].per_group {
            files[n] = FORMATS[i].file;
            n += 1;
        }
        i += 1;
    }
    files
};

/// The format of `kind`.
pub const fn of(kind: Kind) -> &'static Format {
    let mut i = 0;
    while i < FORMATS.len() {
        if FORMATS[i].kind as u8 == kind as u8 {
            return &FORMATS[i];
        }
        i += 1;
    }
    panic!("every kind has a row")
}

/// The file name of `kind`.
pub const fn file(kind: Kind) -> &'static str {
    of(kind).file
}

/// The media type of a file talkfeed writes, by its name (`None` for any
/// other file).
pub fn media_type(name: &str) -> Option<&'static str> {
    FORMATS
        .iter()
        .find(|f| f.file == name)
        .map(|f| f.media_type)
        .or_else(|| super::schedule::media_type(name))
        .or_else(|| name.ends_with(TALK_EXTENSION).then_some(of(Kind::Calendar).media_type))
}

/// The feeds offered beside the calendars (RSS, Atom, JSON Feed), in table
/// order.
pub fn feeds() -> impl Iterator<Item = &'static Format> {
    FORMATS.iter().filter(|f| f.offered && !f.is_calendar())
}

impl Format {
    /// Whether it is a calendar (`text/calendar`).
    pub fn is_calendar(&self) -> bool {
        bare_type(self) == "text/calendar"
    }
}

/// The media type without its parameters (`text/calendar`), as a link's
/// `type` gives it.
pub fn bare_type(format: &Format) -> &'static str {
    format.media_type.split(';').next().unwrap_or(format.media_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_follow_the_table() {
        assert_eq!(
            EDITION_FILES,
            [
                "talks.ics",
                "upcoming.ics",
                "talks-reminders.ics",
                "upcoming-reminders.ics",
                "rss.xml",
                "atom.xml",
                "feed.json",
                "talkfeed.json",
                "index.html"
            ]
        );
        assert_eq!(GROUP_FILES, ["talks.ics", "rss.xml", "atom.xml", "feed.json"]);
        assert_eq!(media_type("rss.xml"), Some("application/rss+xml"));
        assert_eq!(media_type("talk-a-1234abcd.ics"), Some("text/calendar; charset=utf-8"));
        assert_eq!(media_type("notes.txt"), None);
        assert_eq!(file(Kind::Page), "index.html");
        assert_eq!(media_type("upcoming-reminders.ics"), Some("text/calendar; charset=utf-8"));
        assert_eq!(media_type("schedule.xml"), Some("application/vnd.c3voc.schedule+xml"));
        let feeds: Vec<&str> = feeds().map(|f| f.file).collect();
        assert_eq!(feeds, ["rss.xml", "atom.xml", "feed.json"]);
        // The page is replaced last: it links every other file.
        assert_eq!(FORMATS.last().map(|f| f.kind), Some(Kind::Page));
    }
}
