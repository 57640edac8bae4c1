//! Hugo shortcodes in talk bodies (`{{< youtube abc >}}`, `{{% callout %}}…`)
//! turned into Markdown, so they read as something sensible in a feed or a
//! calendar instead of printing raw: videos and figures become links and
//! images, wrappers (callout, alert, …) leave their content, anything else
//! is dropped. Shortcodes can only be rendered by Hugo's templates; this is
//! the readable part of them.

/// One shortcode call.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Call<'a> {
    name: &'a str,
    closing: bool,
    args: Vec<(Option<&'a str>, String)>,
}

impl Call<'_> {
    /// A named argument, or else the positional one at `index`.
    fn arg(&self, name: &str, index: usize) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| *k == Some(name))
            .or_else(|| self.args.iter().filter(|(k, _)| k.is_none()).nth(index))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits `args` into `key="value"` and positional arguments, quoted with
/// `"…"` or `` `…` `` or bare.
fn parse_args(mut s: &str) -> Vec<(Option<&str>, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return out;
        }
        let mut key = None;
        if let Some(eq) = s.find('=') {
            let candidate = &s[..eq];
            if !candidate.is_empty() && candidate.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                key = Some(candidate);
                s = &s[eq + 1..];
            }
        }
        let (value, rest) = match s.chars().next() {
            Some(q @ ('"' | '`')) => match s[1..].find(q) {
                Some(end) => (s[1..1 + end].to_string(), &s[end + 2..]),
                None => (s[1..].to_string(), ""),
            },
            _ => {
                let end = s.find(char::is_whitespace).unwrap_or(s.len());
                (s[..end].to_string(), &s[end..])
            }
        };
        out.push((key, value));
        s = rest;
    }
}

/// Escapes text for use inside Markdown link text or image alt text.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']' | '(' | ')' | '*' | '_' | '`' | '<' | '>' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL inside a Markdown link destination.
fn md_url(s: &str) -> String {
    format!("<{}>", s.replace(['<', '>', '\n'], ""))
}

/// Replaces every shortcode in `markdown` with Markdown, in one pass:
/// once a closing `>}}` (or `%}}`) is not found, no later opener of that
/// kind looks for one again, so a body of unclosed `{{<` costs what plain
/// text of its size does.
pub fn expand(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    // Whether a `>}}` / `%}}` may still come.
    let (mut angle_may_close, mut percent_may_close) = (true, true);
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let trimmed = after.trim_start();
        let (close, may_close) = match trimmed.chars().next() {
            Some('<') => (">}}", &mut angle_may_close),
            Some('%') => ("%}}", &mut percent_may_close),
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
                continue;
            }
        };
        let end = if *may_close { after.find(close) } else { None };
        let Some(end) = end else {
            *may_close = false;
            out.push_str(&rest[..start + 2]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..start]);
        let inner = after[..end].trim_start()[1..].trim();
        // `{{</* x */>}}` is Hugo's escape for a literal shortcode.
        if let Some(literal) = inner.strip_prefix("/*").and_then(|s| s.strip_suffix("*/")) {
            let (open, shut) = if close == ">}}" { ("{{<", ">}}") } else { ("{{%", "%}}") };
            out.push_str(&format!("{open} {} {shut}", literal.trim()));
        } else {
            out.push_str(&to_markdown(&parse(inner)));
        }
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

fn parse(inner: &str) -> Call<'_> {
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r.trim_start()),
        None => (false, inner),
    };
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    Call { name: &inner[..name_end], closing, args: parse_args(&inner[name_end..]) }
}

fn to_markdown(call: &Call<'_>) -> String {
    if call.closing {
        return String::new();
    }
    match call.name {
        "youtube" => match call.arg("id", 0) {
            Some(id) => format!("[Video on YouTube]({})", md_url(&format!("https://www.youtube.com/watch?v={id}"))),
            None => String::new(),
        },
        "vimeo" => match call.arg("id", 0) {
            Some(id) => format!("[Video on Vimeo]({})", md_url(&format!("https://vimeo.com/{id}"))),
            None => String::new(),
        },
        "video" => match call.arg("src", 0) {
            Some(src) => format!("[Video]({})", md_url(src)),
            None => String::new(),
        },
        "figure" => {
            let Some(src) = call.arg("src", 0) else { return String::new() };
            let caption = call.arg("caption", usize::MAX).or(call.arg("title", usize::MAX));
            let alt = call.arg("alt", usize::MAX).or(caption).unwrap_or("");
            let mut md = format!("\n\n![{}]({})\n\n", md_text(alt), md_url(src));
            if let Some(c) = caption {
                md.push_str(&format!("{}\n\n", md_text(c)));
            }
            md
        }
        "gist" => match (call.arg("user", 0), call.arg("id", 1)) {
            (Some(user), Some(id)) => format!("[Gist]({})", md_url(&format!("https://gist.github.com/{user}/{id}"))),
            _ => String::new(),
        },
        "tweet" | "x" | "twitter" => match (call.arg("user", 0), call.arg("id", 1)) {
            (Some(user), Some(id)) => format!("[Post on X]({})", md_url(&format!("https://x.com/{user}/status/{id}"))),
            _ => String::new(),
        },
        // A link to another page: the path, made absolute with the page's URL later.
        "ref" | "relref" => call.arg("path", 0).map(|p| p.to_string()).unwrap_or_default(),
        // Wrappers (callout, alert, spoiler, …) keep their content; other
        // shortcodes produce nothing readable without Hugo.
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn videos_become_links() {
        assert_eq!(expand("{{< youtube abc123 >}}"), "[Video on YouTube](<https://www.youtube.com/watch?v=abc123>)");
        assert_eq!(expand("{{< youtube id=\"x\" >}}"), "[Video on YouTube](<https://www.youtube.com/watch?v=x>)");
        assert_eq!(expand("{{<vimeo 42>}}"), "[Video on Vimeo](<https://vimeo.com/42>)");
    }

    #[test]
    fn wrappers_keep_their_content() {
        assert_eq!(expand("{{% callout note %}}\nRead *this*.\n{{% /callout %}}"), "\nRead *this*.\n");
        assert_eq!(expand("a {{< alert >}}b{{< /alert >}} c"), "a b c");
    }

    #[test]
    fn figures_become_images() {
        assert_eq!(
            expand(r#"{{< figure src="plot.png" caption="A [plot]" >}}"#),
            "\n\n![A \\[plot\\]](<plot.png>)\n\nA \\[plot\\]\n\n"
        );
    }

    #[test]
    fn unknown_and_broken_shortcodes() {
        assert_eq!(expand("x {{< toc >}} y"), "x  y");
        assert_eq!(expand("{{ .Title }} and {{< unclosed"), "{{ .Title }} and {{< unclosed");
        assert_eq!(expand("{{</* youtube x */>}}"), "{{< youtube x >}}");
    }
}
