//! Pages in a talk section that are not talks: widget pages, publications
//! filed as talks, the theme's untouched example, `hugo new` stubs, HTML
//! without front matter, empty files. Each is left out with a reason (and
//! a warning, but for widget pages and HTML, which are meant that way);
//! its dates are still checked.

use super::dates::{FileDates, PageSource, page_dates};
use super::fields::Fields;
use super::keys::{ATTACHMENT_PREFIX, is_known};
use super::{Rules, source_of, when};
use crate::diag::{DiagKind, Diagnostic};
use crate::discover::PageFile;
use crate::frontmatter::{FrontMatter, Value};
use crate::model::{NotATalk, NotATalkPage};

/// The title and event name of the theme's example talk page in every era
/// (every version in the HugoBlox/hugo-blox-builder, academic-kickstart
/// and starter-hugo-research-group histories). A page with both is the
/// example left in place; a real talk that kept only the example's event
/// name (`event: Academic Theme Conference`) is a talk.
const THEME_EXAMPLES: [(&str, &str); 6] = [
    ("Example Talk", "Academic Theme Conference"),
    ("Example Talk", "Hugo Academic Theme Conference"),
    ("Example Talk", "Wowchemy Conference"),
    ("Example Event", "Wowchemy Conference"),
    ("Example Talk", "Hugo Blox Builder Conference"),
    ("Create Beautiful Presentations with Markdown", "HugoBlox Showcase"),
];

/// Keys that say a page describes a talk; a page with none of them (or
/// only empty ones) and an empty body is a `hugo new` stub, which has just
/// `title`, `date`, `draft`, empty `tags`/`categories` and an empty `image`.
const TALK_KEYS: [&str; 26] = [
    "event",
    "event_name",
    "event_url",
    "location",
    "address",
    "time_start",
    "time_end",
    "event_start",
    "event_end",
    "date_end",
    "all_day",
    "event_all_day",
    "abstract",
    "abstract_short",
    "summary",
    "subtitle",
    "links",
    "slides",
    "authors",
    "author",
    "tags",
    "categories",
    "projects",
    "publishdate",
    "uid",
    "status",
];

/// The page of `file`, left out, if it is not a talk; its problems are
/// pushed to `f`.
pub(super) fn left_out(
    f: &mut Fields,
    file: &PageFile,
    fm: Option<&FrontMatter<'_>>,
    body: &str,
    (rules, times): (&Rules, FileDates),
) -> Option<NotATalkPage> {
    let source = source_of(file);
    if fm.is_none() && file.is_html() {
        return Some(NotATalkPage { source, reason: NotATalk::HtmlWithoutFrontMatter, revised: None });
    }
    if fm.is_none() && f.map.is_empty() && body.trim().is_empty() {
        f.push(
            Diagnostic::warning(DiagKind::NotATalk, "the file is empty; left out")
                .hint("delete it, or give it front matter with a title and a date"),
            &[],
        );
        return Some(NotATalkPage { source, reason: NotATalk::Stub, revised: None });
    }
    let reason = not_a_talk(f, body, rules)?;
    if let Some(d) = why(f, reason) {
        f.push(d, &[]);
    }
    // Left out, but not unchecked: a broken date is the same mistake, with
    // the same message, as on a talk (Hugo's templates fail on it).
    let tz = rules.zones.for_lang(&file.lang);
    let start_key = when::start_key(f);
    let _ = when::event_time(f, tz);
    let (dates, _) = page_dates(f, tz, start_key, &PageSource::of(file, times), &rules.dates);
    Some(NotATalkPage { source, reason, revised: dates.revised() })
}

/// The warning that says why a page is left out (none for what is meant
/// that way: a widget page, HTML without front matter).
fn why(f: &Fields, reason: NotATalk) -> Option<Diagnostic> {
    match reason {
        NotATalk::Widget | NotATalk::HtmlWithoutFrontMatter => None,
        NotATalk::Publication => Some(
            Diagnostic::warning(
                DiagKind::NotATalk,
                "this page is a publication (it has `publication_types`), not a talk; left out",
            )
            .hint("move it to content/publication/, or remove the publication keys if it is a talk"),
        ),
        NotATalk::ThemeExample => Some(
            Diagnostic::warning(
                DiagKind::NotATalk,
                format!(
                    "this page is the theme's example talk (its `title` and `{}` are the example's); left out",
                    if f.get("event_name").is_some() { "event_name" } else { "event" }
                ),
            )
            .hint("delete it, or pass --include-example (include_example = true in talkfeed.toml) to publish it"),
        ),
        NotATalk::Stub => Some(
            Diagnostic::warning(
                DiagKind::NotATalk,
                "this page has no event details and no text (a `hugo new` stub?); left out",
            )
            .hint("add `event:`, `location:` or an abstract if it is a talk, or delete it"),
        ),
    }
}

fn not_a_talk(f: &Fields, body: &str, rules: &Rules) -> Option<NotATalk> {
    // Loosely, as for every boolean: `headless: yes`, `headless = "true"`.
    let is_true = |k: &str| match f.get(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(i)) => *i == 1,
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "t" | "1" | "yes" | "y" | "on")
        }
        _ => false,
    };
    let text = |k: &str| f.get(k).and_then(Value::scalar_text);
    let build_never = |k: &str| match f.get("build").and_then(Value::as_map).and_then(|m| m.get(k)) {
        Some(Value::String(s)) => s.eq_ignore_ascii_case("never"),
        Some(Value::Bool(b)) => !b,
        _ => false,
    };
    if is_true("headless")
        || f.get("widget").is_some()
        || text("type").is_some_and(|t| t == "widget_page")
        || (build_never("render") && build_never("list"))
    {
        return Some(NotATalk::Widget);
    }
    if f.get("publication_types").is_some() || f.get("publication").is_some() {
        return Some(NotATalk::Publication);
    }
    if !rules.include_example
        && let (Some(title), Some(event)) = (text("title"), text("event_name").or_else(|| text("event")))
        && THEME_EXAMPLES
            .iter()
            .any(|(t, e)| t.eq_ignore_ascii_case(title.trim()) && e.eq_ignore_ascii_case(event.trim()))
    {
        return Some(NotATalk::ThemeExample);
    }
    let has_event_key =
        TALK_KEYS.iter().any(|k| match f.get(k) {
            Some(Value::List(l)) => !l.is_empty(),
            Some(Value::Map(m)) => m.values().any(|v| !v.is_empty()),
            Some(_) => true,
            None => false,
        }) || f.map.keys().any(|k| k.starts_with(ATTACHMENT_PREFIX) && is_known(k) && f.get(k).is_some());
    if !has_event_key && body.trim().is_empty() {
        return Some(NotATalk::Stub);
    }
    None
}
