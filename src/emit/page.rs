//! `index.html`: a page to subscribe from. Static and complete without
//! JavaScript (no fonts, scripts or styles from elsewhere): the site title,
//! subscribe buttons for each kind of calendar app, the feeds (with
//! autodiscovery links), then upcoming talks and past talks, each with an
//! "add to calendar" link to its own `.ics`. A few lines of inline script
//! show times in the reader's zone and copy the calendar address.

use std::fmt::Write as _;
use std::io;

use rayon::prelude::*;

use super::escape::{escape, link_html};
use super::formats::{self, Kind};
use super::groups::{Group, GroupKind};
use super::schedule::{self, Meeting};
use super::time::{rfc3339, when_human};
use super::{Context, Dated, links};
use crate::model::{EventTime, Status};

/// The address of `edition`'s page: absolute when the output folder's
/// public URL is known, else relative to this edition's folder.
fn edition_url(ctx: &Context<'_>, edition: &crate::emit::Edition) -> String {
    match &edition.publish_url {
        Some(u) => u.to_string(),
        None => {
            let up = "../".repeat(ctx.edition.dir.matches('/').count());
            format!("{up}{}{}", edition.dir, formats::file(Kind::Page))
        }
    }
}

/// Writes the page for `talks` (the calendar's talks, in calendar order),
/// with links to the calendar and feeds of each of `groups`, to `w`. The
/// lists of talks are streamed a batch at a time: a site of 100,000 talks
/// makes a page of about 240 MB, which is never held whole in memory.
pub fn write(
    ctx: &Context<'_>,
    talks: &[Dated<'_>],
    (groups, meetings): (&[Group], &[Meeting<'_>]),
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let title = ctx.title();
    let description = ctx.description();
    let now = ctx.options.publish.now;
    // A talk stays "upcoming" until it is over: an all-day talk until the
    // end of its last day in UTC (the earliest zone's reading would be
    // later; a talk stays a little long rather than vanishing early).
    let (mut upcoming, mut past): (Vec<&Dated>, Vec<&Dated>) = talks.iter().partition(|t| t.end() >= now);
    upcoming.sort_by_key(|t| t.start());
    past.sort_by_key(|t| std::cmp::Reverse(t.start()));

    let mut h = String::with_capacity(8192);
    head(&mut h, ctx, &title, description.as_deref());
    header(&mut h, ctx, &title, description.as_deref());
    h.push_str("<main>\n");
    subscribe(&mut h, ctx, &title);
    for (kind, id, heading) in [
        (GroupKind::Tag, "by-tag", "By tag"),
        (GroupKind::Author, "by-speaker", "By speaker"),
        (GroupKind::Section, "by-section", "By section"),
    ] {
        let of_kind: Vec<&Group> = groups.iter().filter(|g| g.kind == kind).collect();
        if !of_kind.is_empty() {
            by_group(&mut h, ctx, id, heading, &of_kind);
        }
    }
    if !meetings.is_empty() {
        schedules(&mut h, ctx, meetings);
    }
    w.write_all(h.as_bytes())?;
    talk_list(w, "upcoming", "Upcoming talks", &upcoming, "No upcoming talks yet.")?;
    talk_list(w, "past", "Past talks", &past, "No past talks.")?;
    write!(
        w,
        "</main>\n<footer><p>Made with talkfeed {}. Times are those of each talk's own time zone; with JavaScript, yours follows where it differs.</p></footer>\n",
        env!("CARGO_PKG_VERSION")
    )?;
    if !upcoming.is_empty() {
        super::jsonld::write(w, &upcoming, BATCH)?;
    }
    w.write_all(SCRIPT.as_bytes())?;
    w.write_all(b"</body>\n</html>\n")
}

/// The document's start and `<head>`: title, description, the feeds'
/// autodiscovery links and the same page in the site's other languages.
fn head(h: &mut String, ctx: &Context<'_>, title: &str, description: Option<&str>) {
    let lang = escape(&ctx.edition.language_code);
    let t = escape(title);
    let _ = write!(
        h,
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
"#
    );
    if let Some(d) = description {
        let _ = writeln!(h, r#"<meta name="description" content="{}">"#, escape(d));
    }
    for f in formats::feeds().chain([formats::of(Kind::Calendar)]) {
        let (kind, label, file) = (formats::bare_type(f), f.label, f.file);
        let _ = writeln!(h, r#"<link rel="alternate" type="{kind}" title="{t} ({label})" href="{file}">"#);
    }
    // The same page in the site's other languages (every one, this one
    // included, as search engines want it).
    if ctx.editions.len() > 1 {
        for e in ctx.editions {
            let _ = writeln!(
                h,
                r#"<link rel="alternate" hreflang="{}" href="{}">"#,
                escape(&e.language_code),
                escape(&edition_url(ctx, e))
            );
        }
    }
    h.push_str(STYLE);
    h.push_str("</head>\n");
}

/// The page's `<header>`: its title, description and other languages.
fn header(h: &mut String, ctx: &Context<'_>, title: &str, description: Option<&str>) {
    let _ = write!(h, "<body>\n<header>\n<h1>{}</h1>\n", escape(title));
    if let Some(d) = description {
        let _ = writeln!(h, "<p>{}</p>", escape(d));
    }
    let others: Vec<String> = ctx
        .editions
        .iter()
        .filter(|e| e.lang != ctx.edition.lang)
        .map(|e| {
            let code = escape(&e.language_code);
            format!(
                r#"<a href="{}" hreflang="{code}" lang="{code}">{}</a>"#,
                escape(&edition_url(ctx, e)),
                escape(&e.language_name)
            )
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(h, "<nav aria-label=\"Languages\"><p>Also in: {}</p></nav>", others.join(" · "));
    }
    h.push_str("</header>\n");
}

/// How many talks of a list are rendered (in parallel) before they are
/// written out.
pub(super) const BATCH: usize = 4096;

fn subscribe(h: &mut String, ctx: &Context<'_>, title: &str) {
    h.push_str("<section aria-labelledby=\"subscribe\">\n<h2 id=\"subscribe\">Subscribe</h2>\n");
    let links = links::Subscribe::of(ctx, title);
    let calendar = &links.calendar;
    h.push_str("<p>Subscribe once and new talks appear in your calendar by themselves.</p>\n<ul class=\"buttons\">\n");
    if let (Some(webcal), Some(google)) = (&links.webcal, &links.google) {
        let _ = writeln!(
            h,
            r#"<li><a class="button" href="{}">Apple Calendar, Outlook, Thunderbird</a></li>"#,
            escape(webcal)
        );
        let _ = writeln!(h, r#"<li><a class="button" href="{}">Google Calendar</a></li>"#, escape(google));
    }
    let _ = writeln!(h, r#"<li><a class="button" href="{}">Outlook.com</a></li>"#, escape(&links.outlook));
    h.push_str("</ul>\n");
    let _ = writeln!(
        h,
        r#"<p class="copy"><label for="calendar-url">Calendar address for other apps:</label>
<input id="calendar-url" type="url" readonly value="{}">
<button type="button" data-copy="calendar-url">Copy</button></p>"#,
        escape(calendar)
    );
    let offered: Vec<String> = formats::feeds()
        .chain([formats::of(Kind::Upcoming)])
        .map(|f| format!(r#"<a href="{}">{}</a>"#, f.file, f.label))
        .collect();
    let _ = writeln!(h, "<p>Feeds: {}</p>", offered.join(" · "));
    with_reminders(h, ctx, title);
    h.push_str("</section>\n");
}

/// With `--alarm`: the calendars with reminders, offered apart (whoever
/// subscribes to the main calendar gets no alarms they did not set).
fn with_reminders(h: &mut String, ctx: &Context<'_>, title: &str) {
    let (Some(before), Some((all, upcoming))) =
        (super::time::reminders_text(&ctx.options.alarms), links::Subscribe::with_reminders(ctx, title))
    else {
        return;
    };
    let subscribe = |s: &links::Subscribe| escape(s.webcal.as_deref().unwrap_or(&s.calendar));
    let _ = writeln!(
        h,
        r#"<p class="reminders">With reminders ({} before each talk): <a href="{}">subscribe</a> (<a href="{}">address</a>) · <a href="{}">upcoming talks only</a> (<a href="{}">address</a>)</p>"#,
        escape(&before),
        subscribe(&all),
        escape(&all.calendar),
        subscribe(&upcoming),
        escape(&upcoming.calendar),
    );
}

/// The schedules for conference apps (`--schedules`), each event with its
/// dates and both files.
fn schedules(h: &mut String, ctx: &Context<'_>, meetings: &[Meeting<'_>]) {
    h.push_str("<section aria-labelledby=\"schedules\">\n<h2 id=\"schedules\">Schedules for conference apps</h2>\n");
    h.push_str("<p>For Giggity, EventFahrplan, ConfClerk and other apps that read frab or c3voc schedules.</p>\n<ul class=\"groups\">\n");
    for m in meetings {
        let dates = match m.days {
            (first, last) if first == last => first.to_string(),
            (first, last) => format!("{first} to {last}"),
        };
        let href = |file: &str| escape(&m.url(ctx, file));
        let count = if m.slots.len() == 1 { String::from("1 talk") } else { format!("{} talks", m.slots.len()) };
        let _ = writeln!(
            h,
            r#"<li><strong>{}</strong> ({dates}, {count}): <a href="{}">schedule.xml</a> (frab) · <a href="{}">schedule.json</a> (c3voc)</li>"#,
            escape(&m.title),
            href(schedule::XML_FILE),
            href(schedule::JSON_FILE),
        );
    }
    h.push_str("</ul>\n</section>\n");
}

/// A list of groups, each with its calendar and feeds.
fn by_group(h: &mut String, ctx: &Context<'_>, id: &str, heading: &str, groups: &[&Group]) {
    let _ = write!(h, "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n<ul class=\"groups\">\n");
    for g in groups {
        let dir = escape(&g.dir);
        let calendar = ctx.scoped(g).output_url(formats::file(Kind::Calendar));
        let subscribe = calendar
            .as_deref()
            .and_then(links::webcal)
            .unwrap_or_else(|| format!("{}/{}", g.dir, formats::file(Kind::Calendar)));
        let count = if g.len() == 1 { String::from("1 talk") } else { format!("{} talks", g.len()) };
        let feeds: Vec<String> = formats::feeds()
            .filter(|f| f.per_group)
            .map(|f| format!(r#"<a href="{dir}/{}">{}</a>"#, f.file, f.label))
            .collect();
        let _ = writeln!(
            h,
            r#"<li><strong>{}</strong> ({count}): <a href="{}" aria-label="Subscribe to {0}">Subscribe</a> · {}</li>"#,
            escape(&g.name),
            escape(&subscribe),
            feeds.join(" · "),
        );
    }
    h.push_str("</ul>\n</section>\n");
}

/// A section of the page listing `talks`, or saying `empty`.
fn talk_list(w: &mut dyn io::Write, id: &str, heading: &str, talks: &[&Dated<'_>], empty: &str) -> io::Result<()> {
    write!(w, "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n")?;
    if talks.is_empty() {
        writeln!(w, "<p>{empty}</p>")?;
    } else {
        w.write_all(b"<ol class=\"talks\">\n")?;
        // Large sites list tens of thousands of talks: render a batch in
        // parallel, in chunks so the pieces stay few, and write it in order.
        for batch in talks.chunks(BATCH) {
            let pieces: Vec<String> = batch
                .par_chunks(256)
                .map(|chunk| {
                    let mut piece = String::with_capacity(chunk.len() * 2560);
                    for t in chunk {
                        talk(&mut piece, t);
                    }
                    piece
                })
                .collect();
            for piece in pieces {
                w.write_all(piece.as_bytes())?;
            }
        }
        w.write_all(b"</ol>\n")?;
    }
    w.write_all(b"</section>\n")
}

fn talk(h: &mut String, dated: &Dated<'_>) {
    let view = dated.view;
    let t = view.talk;
    // An h-event (microformats2): name, URL, start, end, location, summary.
    let class = if t.status == Status::Cancelled { "talk h-event cancelled" } else { "talk h-event" };
    let _ = writeln!(
        h,
        "<li class=\"{class}\">\n<h3><a class=\"p-name u-url\" href=\"{}\">{}</a></h3>",
        escape(&view.page_url),
        escape(&t.title)
    );
    let (start, end, all_day, offset) = match dated.when {
        EventTime::AllDay(r) => (r.first().to_string(), r.last().to_string(), true, 0),
        EventTime::Timed(r) => {
            let end = dated.end().with_timezone(r.start().offset());
            (rfc3339(&r.start()), rfc3339(&end), false, r.start().offset().local_minus_utc() / 60)
        }
    };
    let status = match t.status {
        Status::Cancelled => " <strong>Cancelled.</strong>",
        Status::Tentative => " <em>To be confirmed.</em>",
        Status::Confirmed => "",
    };
    let _ = writeln!(
        h,
        "<p class=\"when\"><time class=\"dt-start\" datetime=\"{start}\" data-end=\"{end}\" data-all-day=\"{all_day}\" data-offset=\"{offset}\">{}</time><data class=\"dt-end\" value=\"{end}\"></data>{status}</p>",
        escape(&when_human(&dated.when))
    );
    match (&t.event, &view.event_link) {
        (Some(e), Some(link)) => {
            let _ = writeln!(h, "<p class=\"event\">{}</p>", link_html(e, link));
        }
        (Some(e), None) => {
            let _ = writeln!(h, "<p class=\"event\">{}</p>", escape(e));
        }
        _ => {}
    }
    if let Some(place) = &view.place {
        let _ = writeln!(h, "<p class=\"where p-location\">{}</p>", escape(place));
    }
    if let Some(lead) = &view.lead {
        let _ = writeln!(h, "<p class=\"summary p-summary\">{}</p>", escape(lead));
    }
    let mut items: Vec<String> = view.join.iter().map(|j| link_html(&j.label, &j.target)).collect();
    items.extend(
        view.links
            .iter()
            .filter(|l| !view.join.iter().any(|j| j.target == l.target))
            .map(|l| link_html(&l.label, &l.target)),
    );
    let title = escape(&t.title);
    let add = links::AddTalk::of(dated);
    items.push(format!("<a href=\"{}\" download>Add to calendar</a>", escape(&add.ics)));
    items.push(format!(
        "<a href=\"{}\" aria-label=\"Add {title} to Google Calendar\">Google Calendar</a>",
        escape(&add.google)
    ));
    items.push(format!(
        "<a href=\"{}\" aria-label=\"Add {title} to Outlook.com\">Outlook.com</a>",
        escape(&add.outlook)
    ));
    let _ = writeln!(h, "<p class=\"links\">{}</p>\n</li>", items.join(" · "));
}

const STYLE: &str = r#"<style>
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #55555a; --accent: #0b57d0; --line: #d5d5da; }
@media (prefers-color-scheme: dark) { :root { --fg: #f2f2f5; --bg: #141416; --muted: #b4b4bb; --accent: #8ab4ff; --line: #3a3a40; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 48rem; padding: 1.5rem 1rem 3rem; font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
h1 { font-size: 1.8rem; margin: 0 0 .5rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); } h3 { margin: 0; font-size: 1.1rem; }
.buttons { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.button { display: inline-block; padding: .5rem .9rem; border: 2px solid var(--accent); border-radius: .4rem; text-decoration: none; font-weight: 600; }
.copy input { width: 100%; max-width: 30rem; padding: .4rem; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: .3rem; }
.copy button { padding: .4rem .8rem; font: inherit; }
.talks { list-style: none; padding: 0; } .talk { padding: 1rem 0; border-bottom: 1px solid var(--line); }
.talk p { margin: .2rem 0; } .when, .where { color: var(--muted); } .cancelled h3 { text-decoration: line-through; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; }
</style>
"#;

const SCRIPT: &str = r#"<script>
// The reader's own time beside the talk's, where their clock differs from
// the talk's at that moment; the page is complete without this.
for (const t of document.querySelectorAll("time[data-all-day=false]")) {
  const start = new Date(t.dateTime);
  if (isNaN(start) || -start.getTimezoneOffset() === Number(t.dataset.offset)) continue;
  const day = { weekday: "long", year: "numeric", month: "long", day: "numeric" };
  const hour = { hour: "2-digit", minute: "2-digit" };
  let text = start.toLocaleDateString(undefined, day) + ", " + start.toLocaleTimeString(undefined, hour);
  const end = t.dataset.end ? new Date(t.dataset.end) : null;
  if (end && !isNaN(end)) text += (end.toDateString() === start.toDateString() ? "–" + end.toLocaleTimeString(undefined, hour) : " to " + end.toLocaleString(undefined, { ...day, ...hour }));
  const yours = document.createElement("p");
  yours.className = "when yours";
  yours.textContent = "In your time zone: " + text + " (" + Intl.DateTimeFormat().resolvedOptions().timeZone + ")";
  t.parentElement.after(yours);
}
for (const b of document.querySelectorAll("button[data-copy]")) {
  b.addEventListener("click", async () => {
    const input = document.getElementById(b.dataset.copy);
    input.select();
    try { await navigator.clipboard.writeText(input.value); b.textContent = "Copied"; } catch { b.textContent = "Select and copy"; }
  });
}
</script>
"#;
