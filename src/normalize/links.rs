//! A talk's links: `event_url`, the `links` list (named or typed), and the
//! `url_*` attachments; and a warning for each that is not a web address,
//! which is shown as text, never as a link.

use super::fields::Fields;
use super::keys::{ATTACHMENT_PREFIX, is_known};
use crate::diag::{DiagKind, Diagnostic};
use crate::frontmatter::Value;
use crate::model::{Attachment, Link};

/// The links a page gives.
pub(super) struct Web {
    pub(super) event_url: Option<String>,
    pub(super) links: Vec<Link>,
    pub(super) attachments: Vec<Attachment>,
}

/// Reads the page's links; warns about every one that is not a web address.
pub(super) fn read(f: &mut Fields) -> Web {
    let links = read_links(f);
    let attachments = read_attachments(f);
    let event_url = f.text("event_url");
    let targets = event_url.iter().map(|u| ("event_url".to_string(), u.as_str()));
    let targets = targets.chain(attachments.iter().map(|a| (format!("{ATTACHMENT_PREFIX}{}", a.kind), a.url.as_str())));
    let targets: Vec<(String, &str)> =
        targets.chain(links.iter().map(|l| ("links".to_string(), l.url.as_str()))).collect();
    for (key, target) in targets {
        if let Some(scheme) = crate::model::link_scheme(target).filter(|_| !crate::model::is_web_link(target)) {
            f.push(
                Diagnostic::warning(
                    DiagKind::InvalidValue,
                    format!(
                        "`{key}` is a `{scheme}:` address, not a web address; it is shown as text, never as a link"
                    ),
                )
                .hint("link to an http(s) page, or remove it"),
                &[key.as_str()],
            );
        }
    }
    Web { event_url, links, attachments }
}

/// Labels of Hugo Blox typed links (`type: slides`), from the theme's `link_types.yaml`.
fn link_type_label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "pdf" => "PDF",
        "slides" => "Slides",
        "video" => "Video",
        "code" => "Code",
        "poster" => "Poster",
        "dataset" => "Dataset",
        "project" => "Project",
        "source" => "Source Document",
        "preprint" => "Preprint",
        "doi" => "DOI",
        "calendar" => "Calendar",
        _ => return None,
    })
}

fn read_links(f: &mut Fields) -> Vec<Link> {
    let Some(v) = f.get("links") else { return Vec::new() };
    let Value::List(items) = v else {
        f.push(
            Diagnostic::error(DiagKind::WrongType, format!("`links` must be a list, not {}", v.type_name()))
                .hint("write each link as `- name: Slides` with `url: https://…` below it"),
            &["links"],
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Map(m) = item else {
            if !item.is_empty() {
                f.push(
                    Diagnostic::error(
                        DiagKind::WrongType,
                        format!("`links` items must be maps with `name` and `url`, not {}", item.type_name()),
                    ),
                    &["links"],
                );
            }
            continue;
        };
        let Some(url) = f.text_in(m, "links", "url") else {
            // `url: ""` is the starters' placeholder (`- name: Slides`,
            // `url: ""`), which the theme renders as nothing: left out
            // quietly, as on the site. No `url` at all is a mistake.
            if !m.contains_key("url") {
                f.push(
                    Diagnostic::warning(DiagKind::InvalidValue, "a `links` entry has no `url`; left out")
                        .hint("give it `url: https://…`"),
                    &["links"],
                );
            }
            continue;
        };
        let kind = f.text_in(m, "links", "type");
        let name = f
            .text_in(m, "links", "name")
            .or_else(|| kind.as_deref().and_then(link_type_label).map(String::from))
            .or_else(|| kind.clone());
        out.push(Link {
            name,
            url,
            kind,
            icon: f.text_in(m, "links", "icon"),
            icon_pack: f.text_in(m, "links", "icon_pack"),
        });
    }
    out
}

fn read_attachments(f: &mut Fields) -> Vec<Attachment> {
    const ORDER: [&str; 4] = ["pdf", "slides", "video", "code"];
    let keys: Vec<String> = f.map.keys().filter(|k| k.starts_with(ATTACHMENT_PREFIX) && is_known(k)).cloned().collect();
    let mut out: Vec<Attachment> = keys
        .iter()
        .filter_map(|k| f.text(k).map(|url| Attachment { kind: k[ATTACHMENT_PREFIX.len()..].to_string(), url }))
        .collect();
    out.sort_by_key(|a| (ORDER.iter().position(|o| *o == a.kind).unwrap_or(ORDER.len()), a.kind.clone()));
    out
}
