//! A talk as HTML for feed readers: a short header with the facts a reader
//! wants first (when, event, where, speakers, links), then the body as the
//! view rendered it ([`TalkView::body_html`]), and the HTML escaping that
//! the page and the feeds share.

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;

use super::time::when_human;
use crate::view::{TalkView, Target};

/// `text` escaped for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

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

/// A labelled link: `<a href="…">Slides</a>`, or for what is not a web
/// address its label and the address as text.
pub fn link_html(label: &str, target: &Target) -> String {
    match target {
        Target::Web(u) => format!("<a href=\"{}\">{}</a>", escape(u), escape(label)),
        Target::Text(u) => format!("{} ({})", escape(label), escape(u)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_that_are_not_web_addresses_stay_text() {
        assert_eq!(link_html("Slides", &Target::Text("javascript:x".into())), "Slides (javascript:x)");
        assert_eq!(
            link_html("A & B", &Target::Web("https://x.org/?a=1&b=2".into())),
            "<a href=\"https://x.org/?a=1&amp;b=2\">A &amp; B</a>"
        );
    }

    #[test]
    fn text_is_escaped_once() {
        assert_eq!(escape("Rust & <Go>: \"A\" vs 'B'"), "Rust &amp; &lt;Go&gt;: &quot;A&quot; vs &#39;B&#39;");
    }
}
