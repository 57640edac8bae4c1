//! Markdown to HTML, as Hugo's Goldmark renders it (its default
//! extensions), with shortcodes turned into Markdown first and every link
//! and image address passed through a resolver (which makes them absolute,
//! or refuses them). One parse gives both the HTML and the text of the
//! first paragraph.
//!
//! Raw HTML in the Markdown passes through, as Hugo passes it (the content
//! is the site owner's own); only its `href`/`src` values are resolved.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use super::shortcodes;

/// Markdown extensions Hugo's Goldmark enables by default.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

/// The most events of the first block read for its lead.
const LEAD_EVENTS: usize = 4096;

/// Markdown rendered once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The first paragraph as plain text (as [`super::to_plain`] writes
    /// it); empty when the text starts with something else.
    pub lead: String,
}

/// `markdown` as HTML, every link and image address given to `link`: its
/// answer is the address to write, or `None` for one that must not be a
/// link (`javascript:…`), whose link is then its text alone and whose image
/// is left out.
pub fn to_html(markdown: &str, link: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let source = shortcodes::expand(markdown);
    // The events stream from the parser to the HTML: only the first block's
    // are held, for the lead (and at most LEAD_EVENTS of them: a first
    // paragraph longer than that is no summary anyway). Holding all of them
    // took a gigabyte for an 8 MiB page of short Markdown items.
    let mut parser = Parser::new_ext(&source, options());
    let first = super::plain::first_block(&mut parser, LEAD_EVENTS);
    let lead = super::plain::lead(&first);
    let events = first.into_iter().chain(parser);
    // Whether each open link was kept, to drop the end of a dropped one.
    let mut open_links: Vec<bool> = Vec::new();
    let events = events.into_iter().filter_map(|event| match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => match link(&dest_url) {
            Some(u) => {
                open_links.push(true);
                Some(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(u), title, id }))
            }
            None => {
                open_links.push(false);
                None
            }
        },
        Event::End(TagEnd::Link) => open_links.pop().unwrap_or(true).then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest = link(&dest_url).unwrap_or_default();
            Some(Event::Start(Tag::Image { link_type, dest_url: CowStr::from(dest), title, id }))
        }
        Event::Html(html) => Some(Event::Html(CowStr::from(absolute_attributes(&html, link)))),
        Event::InlineHtml(html) => Some(Event::InlineHtml(CowStr::from(absolute_attributes(&html, link)))),
        other => Some(other),
    });
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    Rendered { html, lead }
}

/// Rewrites the values of `href` and `src` attributes in raw HTML with
/// `link` (the owner's raw HTML: a value `link` does not resolve stays as
/// written).
fn absolute_attributes(html: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
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
                        Some(u) => out.push_str(&escape(&u)),
                        None => out.push_str(value),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn abs(u: &str) -> Option<String> {
        if !crate::model::is_web_link(u) {
            return None;
        }
        Some(url::Url::parse("https://example.org/talk/x/").unwrap().join(u).map(String::from).unwrap_or(u.to_string()))
    }

    #[test]
    fn relative_links_and_images_become_absolute() {
        let html = to_html("[slides](slides.pdf) ![plot](img/p.png) [abs](https://a.org/x)", &abs).html;
        assert!(html.contains("href=\"https://example.org/talk/x/slides.pdf\""), "{html}");
        assert!(html.contains("src=\"https://example.org/talk/x/img/p.png\""), "{html}");
        assert!(html.contains("href=\"https://a.org/x\""), "{html}");
    }

    #[test]
    fn raw_html_attributes_too() {
        let html = to_html("<p><a href=\"a.pdf\">a</a> <img data-src=\"keep\" src='i.png'></p>", &abs).html;
        assert!(html.contains("href=\"https://example.org/talk/x/a.pdf\""), "{html}");
        assert!(html.contains("src='https://example.org/talk/x/i.png'"), "{html}");
        assert!(html.contains("data-src=\"keep\""), "{html}");
    }

    #[test]
    fn shortcodes_do_not_print_raw() {
        let html = to_html("{{< youtube abc >}}\n\n{{% callout note %}}Hi{{% /callout %}}", &abs).html;
        assert!(!html.contains("{{"), "{html}");
        assert!(html.contains("https://www.youtube.com/watch?v=abc"), "{html}");
        assert!(html.contains("Hi"), "{html}");
    }

    #[test]
    fn links_that_are_not_web_addresses_stay_text() {
        let html = to_html("[click](javascript:alert(1)) and [ok](a.pdf) ![i](data:image/png,x)", &abs).html;
        assert!(!html.contains("javascript") && !html.contains("data:"), "{html}");
        assert!(html.contains("click and <a href=\"https://example.org/talk/x/a.pdf\">ok</a>"), "{html}");
    }

    #[test]
    fn the_lead_is_the_first_paragraph_as_text() {
        let r = to_html("What is **Product Coaching**?\nA talk.\n\nMore.", &abs);
        assert_eq!(r.lead, "What is Product Coaching? A talk.");
        assert_eq!(to_html("# A heading\n\nText.", &abs).lead, "A heading");
    }
}
