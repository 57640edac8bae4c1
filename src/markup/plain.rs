//! Markdown as plain text, for formats without markup (iCalendar
//! `DESCRIPTION`, feed summaries).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Renders Markdown as plain text: paragraphs separated by a blank line,
/// list items on their own lines with `- `, a link's target after its text,
/// raw HTML left out, shortcodes as [`super::shortcodes::expand`] reads them.
pub fn to_plain(markdown: &str) -> String {
    let source = super::shortcodes::expand(markdown);
    events_to_plain(Parser::new(&source))
}

/// The events of the first block of `events` (taken from it: the rest
/// stays), at most `limit` of them.
pub(super) fn first_block<'a>(events: &mut impl Iterator<Item = Event<'a>>, limit: usize) -> Vec<Event<'a>> {
    let mut depth = 0usize;
    let mut first = Vec::new();
    while first.len() < limit {
        let Some(e) = events.next() else { break };
        match &e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let ends = depth == 0 && matches!(e, Event::End(_) | Event::Rule);
        first.push(e);
        if ends {
            break;
        }
    }
    first
}

/// The first block of already parsed `events` as plain text (the text of
/// [`to_plain`] up to its first blank line).
pub(super) fn lead(events: &[Event<'_>]) -> String {
    let mut events = events.iter().cloned();
    let first = first_block(&mut events, usize::MAX);
    let text = events_to_plain(first.into_iter());
    text.split("\n\n").next().unwrap_or("").to_string()
}

fn events_to_plain<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    let mut link_targets: Vec<String> = Vec::new();
    let mut link_text_start: Vec<usize> = Vec::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                out.push_str("\n\n")
            }
            Event::End(TagEnd::List(_)) => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_targets.push(dest_url.to_string());
                link_text_start.push(out.len());
            }
            Event::End(TagEnd::Link) => {
                if let (Some(url), Some(start)) = (link_targets.pop(), link_text_start.pop())
                    && out[start..] != *url
                    && !url.is_empty()
                {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::Rule => out.push_str("\n\n"),
            _ => {}
        }
    }
    // Collapse the blank lines block ends leave behind.
    let mut text = String::with_capacity(out.len());
    let mut blank_run = 0;
    for line in out.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_links() {
        let md = "What is **Product Coaching**?\nA talk.\n\n* one\n* [two](https://x.org/)\n\nSee <https://a.org/>.";
        assert_eq!(
            to_plain(md),
            "What is Product Coaching? A talk.\n\n- one\n- two (https://x.org/)\n\nSee https://a.org/."
        );
    }

    #[test]
    fn shortcodes_and_html_are_dropped() {
        let md = "{{< youtube abc >}}\n\nText {{% alert note %}}inside{{% /alert %}} <b>bold</b> {{ not a shortcode }}";
        assert_eq!(
            to_plain(md),
            "Video on YouTube (https://www.youtube.com/watch?v=abc)\n\nText inside bold {{ not a shortcode }}"
        );
    }
}
