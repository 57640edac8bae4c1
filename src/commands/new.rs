//! `talkfeed new PATH`: starts a talk page with every key a talk uses.

use std::io::{self, Write};

use super::{EXIT_INPUT_ERROR, EXIT_OK, EXIT_USAGE};
use crate::emit::time::rfc3339;
use crate::settings::Settings;

/// `talkfeed new PATH`: a talk page with every key, today's publishDate.
pub(super) fn run(settings: &Settings, path: &str, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let path = path.trim_matches('/');
    if path.is_empty() || path.split(['/', '\\']).any(|s| s.is_empty() || s == "." || s == "..") {
        writeln!(err, "talkfeed: error: '{path}' is not a folder name under the content folder, like talk/my-talk")?;
        return Ok(EXIT_USAGE);
    }
    let folder = settings.scope.content_dir.join(path);
    let file = folder.join("index.md");
    let name = path.rsplit('/').next().unwrap_or(path).replace(['-', '_'], " ");
    let mut title: String = name.trim().to_string();
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let now = settings.emit.publish.now.with_timezone(&settings.rules.zones.site);
    // 10:00 local today, a placeholder the author edits; `earliest` because
    // a DST gap never falls at 10:00 but the type cannot know that.
    let start = now
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .and_then(|t| t.and_local_timezone(settings.rules.zones.site).earliest())
        .unwrap_or(now)
        .fixed_offset();
    let text = NEW_TALK
        // A JSON string is a YAML double-quoted scalar: any title is safe.
        .replace("{title}", &serde_json::to_string(&title).expect("a string serialises"))
        .replace("{date}", &rfc3339(&start))
        .replace("{publish}", &rfc3339(&chrono::SubsecRound::trunc_subsecs(now.fixed_offset(), 0)));
    std::fs::create_dir_all(&folder)?;
    // `create_new`: never overwrite, even a page made a moment ago.
    let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&file);
    let mut page = match created {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            writeln!(err, "talkfeed: error: {} already exists; nothing written", file.display())?;
            return Ok(EXIT_INPUT_ERROR);
        }
        Err(e) => return Err(e),
    };
    page.write_all(text.as_bytes())?;
    writeln!(out, "{}", file.display())?;
    Ok(EXIT_OK)
}

/// The page `talkfeed new` writes: every key a talk uses.
const NEW_TALK: &str = "---
title: {title}
event:
event_url:
location:
address:
  street:
  city:
  region:
  postcode:
  country:
summary:
abstract:

# When the talk starts and ends. A date alone (2026-05-17) is an all-day talk.
date: {date}
date_end:
all_day: false

# The page is published from this time on (Hugo leaves it out before).
publishDate: {publish}

authors: [admin]
tags: []
links:
url_slides:
url_video:
url_pdf:
url_code:
draft: false
---

What the talk is about.
";
