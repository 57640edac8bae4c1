//! The command line, as clap sees it. Nothing here is interpreted: the
//! arguments are mapped into [`crate::settings::Flags`], which
//! [`crate::settings::Settings::from_flags`] checks.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `talkfeed --version`: the version and the commit it was built from
/// (`TALKFEED_COMMIT`, set by build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("TALKFEED_COMMIT"), ")");

const EXIT_STATUS: &str = "\
EXIT STATUS:
  0  every talk is fine (warnings allowed, unless --deny-warnings); outputs written
  1  errors in the input (every problem is listed) or outputs could not be
     written; nothing was replaced
  2  usage error (bad flag or value, missing folder)
  3  --keep-going: outputs written without the talks that have errors";

/// Turns the talks of a Hugo site into a calendar and feeds.
///
/// talkfeed reads every talk page of an Academic / Wowchemy / Hugo Blox site
/// (content/talk/, talks/, event/, events/), whatever theme era its
/// front matter was written for, checks it, and writes an iCalendar people
/// subscribe to by URL, one .ics per talk, and RSS, Atom and JSON feeds. Run
/// it from the root of the site, or point --site or --content at it.
#[derive(Debug, Parser)]
#[command(name = "talkfeed", version = VERSION, after_help = EXIT_STATUS, max_term_width = 100)]
pub struct Cli {
    /// What to do. [default: build]
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Where the site is, how to read it, where to write.
    #[command(flatten)]
    pub site: SiteArgs,

    /// Output options.
    #[command(flatten)]
    pub messages: MessageArgs,
}

/// The subcommands.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Read every talk and write the calendars, feeds and page into --out (the default).
    ///
    /// Writes talks.ics (the calendar to subscribe to), upcoming.ics (only
    /// talks still to come), talks/NAME.ics (one per talk, for "add to
    /// calendar" links), rss.xml, atom.xml, feed.json and index.html (a page
    /// to subscribe from). Files are replaced atomically and only when their
    /// content changes. If any talk has an error, nothing is written and the
    /// previous files stay as they were.
    Build,
    /// Read every talk and report every problem; write nothing.
    ///
    /// Exits 0 when every talk is fine (warnings allowed), 1 on any error.
    Check,
    /// Print one line per talk, oldest first: when, title, event and flags.
    ///
    /// Every talk is listed; flags say which are left out (drafts, expired)
    /// or not in the feeds yet. With -v, each talk gets a second line with
    /// its file, the keys its start and end came from and its permalink, and
    /// the pages that are not talks are listed with the reason.
    List,
    /// Build, then serve --out on 127.0.0.1 to try subscriptions locally.
    ///
    /// Sends the Content-Types clients expect, ETag and Last-Modified with
    /// 304 Not Modified for conditional requests, and answers HEAD. With
    /// --watch, builds again whenever a file under the site changes.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1414)]
        port: u16,
        /// Build again when the content or the site config changes.
        #[arg(long)]
        watch: bool,
    },
    /// Create a talk page, like `hugo new`, with today's publishDate.
    ///
    /// PATH is the new page's folder under the content folder, e.g.
    /// talk/my-talk; its index.md gets every key a talk page uses, empty
    /// where only you know the value.
    New {
        /// The talk's folder under content/, e.g. talk/my-talk.
        path: String,
    },
    /// Print a completion script for SHELL to standard output.
    Completions {
        /// bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    #[command(hide = true)]
    Man,
}

/// Flags that say where the site is and how to read it.
#[derive(Debug, Clone, Default, Args)]
pub struct SiteArgs {
    /// The site's root folder (where hugo.toml or config.toml is).
    ///
    /// [default: ".", or the parent of --content]
    #[arg(long, value_name = "DIR", global = true)]
    pub site: Option<PathBuf>,

    /// The content folder, if it is not SITE/content.
    #[arg(long, value_name = "DIR", global = true)]
    pub content: Option<PathBuf>,

    /// A content section that holds talks; repeat for several.
    ///
    /// Without it, talkfeed reads talk/, talks/, event/ and events/, and
    /// where those hold no talk, looks for talks in the other sections.
    ///
    /// [default: talk, talks, event, events]
    #[arg(long = "section", value_name = "NAME", global = true)]
    pub sections: Vec<String>,

    /// The content language to read (for multilingual sites).
    ///
    /// [default: the site's defaultContentLanguage]
    #[arg(long, value_name = "LANG", global = true)]
    pub language: Option<String>,

    /// IANA time zone for dates written without an offset (Hugo's timeZone).
    ///
    /// [default: the site's timeZone, else UTC]
    #[arg(long, value_name = "ZONE", global = true)]
    pub timezone: Option<String>,

    /// Absolute URL the site is published at (Hugo's baseURL).
    #[arg(long, value_name = "URL", global = true)]
    pub base_url: Option<String>,

    /// Title of the calendar and feeds.
    ///
    /// [default: the talk section's title, then the site's title]
    #[arg(long, global = true)]
    pub title: Option<String>,

    /// Description of the calendar and feeds. [default: the site's params.description]
    #[arg(long, global = true)]
    pub description: Option<String>,

    /// Author of the feeds. [default: the site's params.author]
    #[arg(long, global = true)]
    pub author: Option<String>,

    /// Include drafts (Hugo's -D).
    #[arg(short = 'D', long, global = true)]
    pub drafts: bool,

    /// Include talks whose page is not published yet in the feeds (Hugo's -F).
    #[arg(short = 'F', long, global = true)]
    pub future: bool,

    /// Include talks whose page has expired (Hugo's -E).
    #[arg(short = 'E', long, global = true)]
    pub expired: bool,

    /// The current time, RFC 3339, for reproducible runs (like hugo --clock).
    ///
    /// [default: $SOURCE_DATE_EPOCH if set, else the clock]
    #[arg(long, value_name = "TIME", global = true)]
    pub now: Option<String>,

    /// Treat warnings as errors.
    #[arg(long, global = true)]
    pub deny_warnings: bool,

    /// Fail when a talk page cannot go into the calendars.
    ///
    /// A talk page without a start date is published by Hugo (undated) and
    /// left out of the calendars with a warning; with --strict it is an
    /// error, and the build fails.
    #[arg(long, global = true)]
    pub strict: bool,

    /// The largest file talkfeed reads, e.g. 8M, 500K or 1G.
    ///
    /// Pages, section and author pages and config files larger than this
    /// are an error that names them; nothing larger is read into memory.
    /// [default: 8M]
    #[arg(long, value_name = "SIZE", global = true)]
    pub max_file_size: Option<String>,

    /// Publish the theme's example talk too.
    ///
    /// A page whose title and event are those of the theme's example talk
    /// (the one `hugo new site` copies in) is left out with a warning.
    #[arg(long, global = true)]
    pub include_example: bool,

    /// Build from the talks that are fine, leaving out those with errors.
    ///
    /// The talks left out are listed, and talkfeed exits with status 3 so a
    /// scheduler still notices. Errors outside talk pages (config files,
    /// section pages) still stop the build.
    #[arg(long, global = true)]
    pub keep_going: bool,

    /// Render everything, even when nothing changed since the last build.
    ///
    /// A build whose content, config, flags and program are those of the
    /// last successful build, with no talk started, ended or published
    /// since, and whose output folder is as that build left it, renders
    /// nothing: it reports that build's messages again. This skips that
    /// check (files whose bytes are the same are still not rewritten).
    #[arg(long, global = true)]
    pub force: bool,

    /// How long build waits for another run writing the same --out, in
    /// seconds, before it gives up. [default: 600]
    #[arg(long, value_name = "SECONDS", global = true)]
    pub lock_timeout: Option<u64>,

    /// Where build writes its files. [default: out]
    #[arg(long, value_name = "DIR", global = true)]
    pub out: Option<PathBuf>,

    /// The public URL of the --out folder, for the calendar's own URL.
    ///
    /// [default: the base URL, as when --out is Hugo's static/ folder]
    #[arg(long, value_name = "URL", global = true)]
    pub publish_url: Option<String>,

    /// Length of a timed talk whose page gives no end, e.g. 45m or 1h30m.
    ///
    /// [default: 1h]
    #[arg(long, value_name = "DURATION", global = true)]
    pub default_duration: Option<String>,

    /// Put only the N newest talks into the feeds. [default: all]
    #[arg(long, value_name = "N", global = true)]
    pub feed_limit: Option<usize>,

    /// Also write a calendar and feeds for every tag, in tags/SLUG/.
    #[arg(long, global = true)]
    pub per_tag: bool,

    /// Also write a calendar and feeds for every section, in sections/NAME/.
    #[arg(long, global = true)]
    pub per_section: bool,

    /// Also write a calendar and feeds for every speaker, in authors/NAME/.
    ///
    /// Named from the author's page (content/authors/NAME/_index.md) when
    /// there is one, as the theme shows speakers.
    #[arg(long, global = true)]
    pub per_author: bool,

    /// How often calendar clients should fetch the calendar again, e.g. 6h.
    ///
    /// [default: 6h]
    #[arg(long, value_name = "DURATION", global = true)]
    pub refresh: Option<String>,

    /// Also write calendars with a reminder this long before each talk.
    ///
    /// Writes talks-reminders.ics and upcoming-reminders.ics beside the
    /// calendars, which never carry reminders themselves, and offers them on
    /// the subscribe page. Repeat for more reminders: --alarm 1d --alarm 30m.
    /// An all-day talk is reminded this long before its first day begins.
    #[arg(long, value_name = "DURATION", global = true)]
    pub alarm: Vec<String>,

    /// Also write a schedule for conference apps for every event.
    ///
    /// For each event that has talks (by event_name or event, on
    /// consecutive days), schedules/SLUG/schedule.json (c3voc) and
    /// schedules/SLUG/schedule.xml (frab), which Giggity, EventFahrplan and
    /// ConfClerk read; listed on the subscribe page.
    #[arg(long, global = true)]
    pub schedules: bool,
}

/// The command line's flags, as the settings take them: the CLI maps its
/// arguments into settings, never the reverse.
impl From<&SiteArgs> for crate::settings::Flags {
    fn from(a: &SiteArgs) -> crate::settings::Flags {
        crate::settings::Flags {
            site: a.site.clone(),
            content: a.content.clone(),
            sections: a.sections.clone(),
            language: a.language.clone(),
            timezone: a.timezone.clone(),
            base_url: a.base_url.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            author: a.author.clone(),
            drafts: a.drafts,
            future: a.future,
            expired: a.expired,
            now: a.now.clone(),
            deny_warnings: a.deny_warnings,
            strict: a.strict,
            max_file_size: a.max_file_size.clone(),
            include_example: a.include_example,
            keep_going: a.keep_going,
            lock_timeout: a.lock_timeout,
            out: a.out.clone(),
            publish_url: a.publish_url.clone(),
            default_duration: a.default_duration.clone(),
            feed_limit: a.feed_limit,
            per_tag: a.per_tag,
            per_author: a.per_author,
            per_section: a.per_section,
            refresh: a.refresh.clone(),
            alarm: a.alarm.clone(),
            schedules: a.schedules,
        }
    }
}

/// How talkfeed reports.
#[derive(Debug, Clone, Default, Args)]
pub struct MessageArgs {
    /// Print more: repeat for more detail.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// How to print diagnostics (and, for list, talks).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, global = true)]
    pub format: MessageFormat,

    /// When to color messages: auto means when standard error is a
    /// terminal and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// When to color messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard error is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The output format of diagnostics and listings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Text for people.
    #[default]
    Human,
    /// One JSON object per line, for CI and scripts.
    Json,
    /// GitHub Actions workflow commands (`::warning file=…,line=…::…`), so
    /// a pull request shows each problem on its line; on standard output.
    Github,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_go_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["talkfeed", "check", "--content", "x", "-D", "--section", "a", "--section", "b"])
                .unwrap();
        assert_eq!(cli.command, Some(Command::Check));
        assert!(cli.site.drafts);
        assert_eq!(cli.site.sections, ["a", "b"]);
    }
}
