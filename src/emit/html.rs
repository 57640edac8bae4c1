//! A talk as HTML for feed readers: a short header with the facts a reader
//! wants first (when, event, where, speakers, links), then the body's
//! Markdown rendered with pulldown-cmark, shortcodes expanded and relative
//! links and images made absolute against the talk's page.
//!
//! Raw HTML in the Markdown passes through, as Hugo passes it (the content
//! is the site owner's own); only its relative `href`/`src` are made
//! absolute.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use super::{Context, Target, shortcodes, when_human};
use crate::model::Talk;

/// Markdown extensions Hugo's Goldmark enables by default.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST
}

/// `text` escaped for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

/// The talk's Markdown `markdown` as HTML, links resolved by `link`. A
/// Markdown link to what is not a web address (`[x](javascript:…)`) is its
/// text alone; an image of one is left out. Raw HTML passes through as
/// written (Hugo publishes it so), with its relative addresses resolved.
pub fn markdown_to_html(markdown: &str, link: &dyn Fn(&str) -> Target) -> String {
    let source = shortcodes::expand(markdown);
    // Whether each open link was kept, to drop the end of a dropped one.
    let mut open_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(&source, options()).filter_map(|event| match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => match link(&dest_url) {
            Target::Web(u) => {
                open_links.push(true);
                Some(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(u), title, id }))
            }
            Target::Text(_) => {
                open_links.push(false);
                None
            }
        },
        Event::End(TagEnd::Link) => open_links.pop().unwrap_or(true).then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest = link(&dest_url).href().unwrap_or_default().to_string();
            Some(Event::Start(Tag::Image { link_type, dest_url: CowStr::from(dest), title, id }))
        }
        Event::Html(html) => Some(Event::Html(CowStr::from(absolute_attributes(&html, link)))),
        Event::InlineHtml(html) => Some(Event::InlineHtml(CowStr::from(absolute_attributes(&html, link)))),
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Rewrites the values of `href` and `src` attributes in raw HTML with
/// `link` (the owner's raw HTML: a value that is not a web address stays as
/// written).
fn absolute_attributes(html: &str, link: &dyn Fn(&str) -> Target) -> String {
    // Lower-cased once (ASCII only, so offsets match): one pass, whatever
    // the number of attributes.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    // The next `href=` and `src=` at or after `at`, each searched for again
    // only once passed; `Some(None)`: there is none any more.
    let mut next: [Option<Option<usize>>; 2] = [None; 2];
    let names = ["href=", "src="];
    loop {
        for (slot, name) in next.iter_mut().zip(names) {
            if slot.is_none_or(|found| found.is_some_and(|i| i < at)) {
                *slot = Some(lower[at..].find(name).map(|i| at + i));
            }
        }
        let found = next.iter().zip(names).filter_map(|(i, n)| i.flatten().map(|i| (i, n.len()))).min();
        let Some((i, len)) = found else { break };
        // The attribute name must start a word (`data-src=` is not `src=`).
        let starts_word = i == 0 || html.as_bytes()[i - 1].is_ascii_whitespace();
        let value_start = i + len;
        let quote = html[value_start..].chars().next();
        match quote {
            Some(q @ ('"' | '\'')) if starts_word => match html[value_start + 1..].find(q) {
                Some(end) => {
                    let value = &html[value_start + 1..value_start + 1 + end];
                    out.push_str(&html[at..value_start + 1]);
                    match link(&decode_entities(value)) {
                        Target::Web(u) => out.push_str(&escape(&u)),
                        Target::Text(_) => out.push_str(value),
                    }
                    at = value_start + 1 + end;
                }
                None => break,
            },
            _ => {
                out.push_str(&html[at..value_start]);
                at = value_start;
            }
        }
    }
    out.push_str(&html[at..]);
    out
}

/// The few entities that occur in URLs written in HTML attributes.
fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
}

/// The whole item content: the header of facts, then the body.
pub fn content(ctx: &Context<'_>, talk: &Talk) -> String {
    let mut html = header(ctx, talk);
    let body = talk.body.trim();
    if !body.is_empty() {
        html.push_str(&markdown_to_html(body, &|url| ctx.link(talk, url)));
    } else if let Some(a) = &talk.abstract_text {
        html.push_str(&markdown_to_html(a, &|url| ctx.link(talk, url)));
    }
    html
}

/// When, event, where, speakers and links, one paragraph each.
fn header(ctx: &Context<'_>, talk: &Talk) -> String {
    let mut html = String::new();
    let mut line = |label: &str, value: String| {
        html.push_str(&format!("<p><strong>{label}:</strong> {value}</p>\n"));
    };
    match &talk.when {
        Some(when) => line("When", escape(&when_human(when))),
        None => line("When", String::from("to be announced")),
    }
    let event_link = talk.event_url.as_deref().map(|u| ctx.event_link(talk, u));
    match (&talk.event, &event_link) {
        (Some(e), Some(Target::Web(u))) => line("Event", format!("<a href=\"{}\">{}</a>", escape(u), escape(e))),
        (Some(e), Some(Target::Text(u))) => line("Event", format!("{} ({})", escape(e), escape(u))),
        (Some(e), None) => line("Event", escape(e)),
        (None, Some(Target::Web(u))) => line("Event", format!("<a href=\"{0}\">{0}</a>", escape(u))),
        (None, Some(Target::Text(u))) => line("Event", escape(u)),
        (None, None) => {}
    }
    if let Some(place) = super::location_line(talk) {
        line("Where", escape(&place));
    }
    let speakers = ctx.speakers(talk);
    if !speakers.is_empty() {
        line("Speakers", escape(&speakers.join(", ")));
    }
    let links: Vec<String> = super::links(ctx, talk).iter().map(|(label, t)| link_html(label, t)).collect();
    if !links.is_empty() {
        line("Links", links.join(" · "));
    }
    html
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

    fn abs(u: &str) -> Target {
        if !crate::model::is_web_link(u) {
            return Target::Text(u.to_string());
        }
        Target::Web(
            url::Url::parse("https://example.org/talk/x/").unwrap().join(u).map(String::from).unwrap_or(u.to_string()),
        )
    }

    #[test]
    fn links_that_are_not_web_addresses_stay_text() {
        let html = markdown_to_html("[click](javascript:alert(1)) and [ok](a.pdf) ![i](data:image/png,x)", &abs);
        assert!(!html.contains("javascript") && !html.contains("data:"), "{html}");
        assert!(html.contains("click and <a href=\"https://example.org/talk/x/a.pdf\">ok</a>"), "{html}");
        assert_eq!(link_html("Slides", &Target::Text("javascript:x".into())), "Slides (javascript:x)");
    }

    #[test]
    fn relative_links_and_images_become_absolute() {
        let html = markdown_to_html("[slides](slides.pdf) ![plot](img/p.png) [abs](https://a.org/x)", &abs);
        assert!(html.contains("href=\"https://example.org/talk/x/slides.pdf\""), "{html}");
        assert!(html.contains("src=\"https://example.org/talk/x/img/p.png\""), "{html}");
        assert!(html.contains("href=\"https://a.org/x\""), "{html}");
    }

    #[test]
    fn raw_html_attributes_too() {
        let html = markdown_to_html("<p><a href=\"a.pdf\">a</a> <img data-src=\"keep\" src='i.png'></p>", &abs);
        assert!(html.contains("href=\"https://example.org/talk/x/a.pdf\""), "{html}");
        assert!(html.contains("src='https://example.org/talk/x/i.png'"), "{html}");
        assert!(html.contains("data-src=\"keep\""), "{html}");
    }

    #[test]
    fn shortcodes_do_not_print_raw() {
        let html = markdown_to_html("{{< youtube abc >}}\n\n{{% callout note %}}Hi{{% /callout %}}", &abs);
        assert!(!html.contains("{{"), "{html}");
        assert!(html.contains("https://www.youtube.com/watch?v=abc"), "{html}");
        assert!(html.contains("Hi"), "{html}");
    }

    #[test]
    fn text_is_escaped_once() {
        assert_eq!(escape("Rust & <Go>: \"A\" vs 'B'"), "Rust &amp; &lt;Go&gt;: &quot;A&quot; vs &#39;B&#39;");
    }
}
