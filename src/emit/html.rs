//! A talk as HTML for feed readers: a short header with the facts a reader
//! wants first (when, event, where, speakers, links), then the body's
//! Markdown rendered with pulldown-cmark, shortcodes expanded and relative
//! links and images made absolute against the talk's page.
//!
//! Raw HTML in the Markdown passes through, as Hugo passes it (the content
//! is the site owner's own); only its relative `href`/`src` are made
//! absolute.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use pulldown_cmark_escape::escape_html;

use super::{Context, shortcodes, when_human};
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

/// The talk's Markdown `markdown` as HTML, links resolved by `link`.
pub fn markdown_to_html(markdown: &str, link: &dyn Fn(&str) -> String) -> String {
    let source = shortcodes::expand(markdown);
    let events = Parser::new_ext(&source, options()).map(|event| match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::from(link(&dest_url)), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::from(link(&dest_url)), title, id })
        }
        Event::Html(html) => Event::Html(CowStr::from(absolute_attributes(&html, link))),
        Event::InlineHtml(html) => Event::InlineHtml(CowStr::from(absolute_attributes(&html, link))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Rewrites the values of `href` and `src` attributes in raw HTML with `link`.
fn absolute_attributes(html: &str, link: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let lower = rest.to_ascii_lowercase();
        let found = ["href=", "src="].iter().filter_map(|a| lower.find(a).map(|i| (i, a.len()))).min();
        let Some((i, len)) = found else { break };
        // The attribute name must start a word (`data-src=` is not `src=`).
        let starts_word = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let value_start = i + len;
        let quote = rest[value_start..].chars().next();
        match quote {
            Some(q @ ('"' | '\'')) if starts_word => match rest[value_start + 1..].find(q) {
                Some(end) => {
                    let value = &rest[value_start + 1..value_start + 1 + end];
                    out.push_str(&rest[..value_start + 1]);
                    out.push_str(&escape(&link(&decode_entities(value))));
                    rest = &rest[value_start + 1 + end..];
                }
                None => break,
            },
            _ => {
                out.push_str(&rest[..value_start]);
                rest = &rest[value_start..];
            }
        }
    }
    out.push_str(rest);
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
    match (&talk.event, &talk.event_url) {
        (Some(e), Some(u)) => {
            line("Event", format!("<a href=\"{}\">{}</a>", escape(&ctx.event_link(talk, u)), escape(e)))
        }
        (Some(e), None) => line("Event", escape(e)),
        (None, Some(u)) => {
            let u = ctx.event_link(talk, u);
            line("Event", format!("<a href=\"{0}\">{0}</a>", escape(&u)))
        }
        (None, None) => {}
    }
    if let Some(place) = super::location_line(talk) {
        line("Where", escape(&place));
    }
    let speakers = ctx.speakers(talk);
    if !speakers.is_empty() {
        line("Speakers", escape(&speakers.join(", ")));
    }
    let links: Vec<String> = super::links(ctx, talk)
        .into_iter()
        .map(|(label, url)| format!("<a href=\"{}\">{}</a>", escape(&url), escape(&label)))
        .collect();
    if !links.is_empty() {
        line("Links", links.join(" · "));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abs(u: &str) -> String {
        url::Url::parse("https://example.org/talk/x/").unwrap().join(u).map(String::from).unwrap_or(u.to_string())
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
