//! A feed item's HTML: a short header with the facts a reader wants first
//! (when, event, where, speakers, links), then the body as the view
//! rendered it ([`TalkView::body_html`]).

use std::fmt::Write as _;

use super::escape::{escape, link_html};
use super::time::when_human;
use crate::view::{TalkView, Target};

/// The whole item content: the header of facts about `view`'s talk, then
/// `body` (its body's HTML, which the view gave up for this).
pub fn content(view: &TalkView<'_>, mut body: String) -> String {
    let mut html = String::with_capacity(512);
    header(&mut html, view);
    body.insert_str(0, &html);
    body
}

/// When, event, where, speakers and links, one paragraph each.
fn header(html: &mut String, view: &TalkView<'_>) {
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(html, "<p><strong>{label}:</strong> {value}</p>");
    };
    match &view.talk.when {
        Some(when) => line("When", &escape(&when_human(when))),
        None => line("When", "to be announced"),
    }
    // The event's name as written: the header shows it escaped, as text.
    match (&view.talk.event, &view.event_link) {
        (Some(e), Some(Target::Web(u))) => line("Event", &format!("<a href=\"{}\">{}</a>", escape(u), escape(e))),
        (Some(e), Some(Target::Text(u))) => line("Event", &format!("{} ({})", escape(e), escape(u))),
        (Some(e), None) => line("Event", &escape(e)),
        (None, Some(Target::Web(u))) => line("Event", &format!("<a href=\"{0}\">{0}</a>", escape(u))),
        (None, Some(Target::Text(u))) => line("Event", &escape(u)),
        (None, None) => {}
    }
    if let Some(place) = &view.place {
        line("Where", &escape(place));
    }
    let join: Vec<String> = view.join.iter().map(|j| link_html(&j.label, &j.target)).collect();
    if !join.is_empty() {
        line("Online", &join.join(" · "));
    }
    if !view.speakers.is_empty() {
        line("Speakers", &escape(&view.speakers.join(", ")));
    }
    let links: Vec<String> = view.links.iter().map(|l| link_html(&l.label, &l.target)).collect();
    if !links.is_empty() {
        line("Links", &links.join(" · "));
    }
}
