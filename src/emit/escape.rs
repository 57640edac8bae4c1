//! HTML escaping, and links as HTML, for the page and the feed items.

use pulldown_cmark_escape::escape_html;

use crate::view::Target;

/// `text` escaped for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
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
