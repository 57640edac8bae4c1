//! Online and hybrid talks: how people attend a talk, and the links to join
//! or watch it live, from what the theme's pages already say (no theme has
//! a key for it).
//!
//! * A talk is online when its `location` says so: a word such as
//!   `online`, `virtual`, `remote`, `webinar`, `livestream`, or the name of
//!   a meeting service (`Zoom`, `Teams`); hybrid when the location also
//!   names a place (`Brisbane Convention Centre / Remote`,
//!   `Online & In-Person`), says `hybrid`, or the page has an address.
//! * A join link is a `links` entry whose name says so (`Join`, `Zoom`,
//!   `Webinar`, `Live stream`, `Watch live`), or any of the talk's links,
//!   `event_url` included, on a meeting or live-stream service (Zoom,
//!   Google Meet, Teams, Webex, Jitsi, Whereby, GoTo, YouTube Live,
//!   Twitch). `url_video` is the recording and never a join link; neither
//!   is a `links` entry named `Recording` or `Video`. A talk with a join
//!   link is online (hybrid with a place) whatever its location says.

use url::Url;

use super::Rules;
use super::fields::Fields;
use crate::diag::{DiagKind, Diagnostic};
use crate::model::{Attendance, JoinKind, JoinLink, Link};

/// Words in a `location` that mean people attend from afar.
const ONLINE_WORDS: &[&str] = &[
    "online",
    "virtual",
    "virtually",
    "remote",
    "remotely",
    "webinar",
    "livestream",
    "live stream",
    "live-stream",
    "zoom",
    "google meet",
    "microsoft teams",
    "teams",
    "webex",
    "jitsi",
];

/// Words that, beside an online word, name no place (`Virtual event`,
/// `Online via Zoom`, `Remote only`).
const FILLER: &[&str] =
    &["via", "on", "only", "event", "meeting", "talk", "session", "conference", "workshop", "seminar", "call", "the"];

/// Meeting services: a link there is joined, with sound and picture.
const MEETING_HOSTS: &[&str] = &[
    "zoom.us",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "meet.jit.si",
    "whereby.com",
    "gotomeeting.com",
    "gotomeet.me",
    "bluejeans.com",
];

/// Live-stream services (YouTube only on its `/live/` pages: other YouTube
/// links are recordings).
const STREAM_HOSTS: &[&str] = &["twitch.tv"];

/// Link names that say "join or watch live", and those that say "recording".
const JOIN_NAMES: &[&str] = &[
    "join",
    "zoom",
    "webinar",
    "meeting",
    "live stream",
    "livestream",
    "live-stream",
    "watch live",
    "stream",
    "dial-in",
];
const RECORDING_NAMES: &[&str] = &["recording", "video", "replay", "slides", "pdf", "code"];

/// How people attend the talk, from its `location`, whether it has an
/// address, and its join links; `None` when nothing says. The location is
/// read in parts (split at `/ & , | + ; ( )`, ` and `, ` or `): a part made
/// of online words (and words like `via` or `event`) is online, `hybrid`
/// is both, `in-person` is a place, and any other part names a place, so
/// `Remote Sensing Lab, Bonn` is a place.
pub(crate) fn attendance(location: Option<&str>, has_address: bool, join: &[JoinLink]) -> Option<Attendance> {
    let text = location.unwrap_or("").to_lowercase().replace(" and ", "/").replace(" or ", "/");
    let (mut online, mut place) = (!join.is_empty(), has_address);
    for part in text.split(['/', '&', ',', '|', '+', ';', '(', ')']) {
        let part = part.trim().trim_matches(|c: char| c.is_ascii_punctuation()).trim();
        if !part.chars().any(char::is_alphanumeric) {
            continue;
        }
        if contains_word(part, "hybrid") {
            (online, place) = (true, true);
        } else if part == "in-person" || part == "in person" {
            place = true;
        } else if ONLINE_WORDS.iter().any(|w| contains_word(part, w)) && {
            let rest = ONLINE_WORDS.iter().chain(FILLER).fold(part.to_string(), |rest, w| remove_word(&rest, w));
            !rest.chars().any(char::is_alphanumeric)
        } {
            online = true;
        } else {
            place = true;
        }
    }
    match (online, place) {
        (true, true) => Some(Attendance::Hybrid),
        (true, false) => Some(Attendance::Online),
        (false, true) => Some(Attendance::InPerson),
        (false, false) => None,
    }
}

/// The join links among `links` and `event_url`, in that order, without
/// repeats.
pub(crate) fn join_links(links: &[Link], event_url: Option<&str>) -> Vec<JoinLink> {
    let mut out: Vec<JoinLink> = Vec::new();
    for link in links {
        let name = link.name.as_deref().unwrap_or("").to_lowercase();
        let named_recording = RECORDING_NAMES.iter().any(|w| contains_word(&name, w)) && !name.contains("live");
        let by_name = !named_recording && JOIN_NAMES.iter().any(|w| contains_word(&name, w));
        let kind = service(&link.url).or_else(|| {
            by_name.then(|| {
                if ["stream", "watch"].iter().any(|w| name.contains(w)) { JoinKind::Stream } else { JoinKind::Meeting }
            })
        });
        if let Some(kind) = kind.filter(|_| !named_recording)
            && !out.iter().any(|j| j.url == link.url)
        {
            out.push(JoinLink { url: link.url.clone(), kind, label: link.name.clone() });
        }
    }
    if let Some(url) = event_url
        && let Some(kind) = service(url)
        && !out.iter().any(|j| j.url == url)
    {
        out.push(JoinLink { url: url.to_string(), kind, label: None });
    }
    out
}

/// The kind of service `url` is on, if it is a meeting or live-stream one.
fn service(url: &str) -> Option<JoinKind> {
    let parsed = Url::parse(url).or_else(|_| Url::parse(&format!("https://{url}"))).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let on = |hosts: &[&str]| hosts.iter().any(|h| host == *h || host.ends_with(&format!(".{h}")));
    if on(MEETING_HOSTS) {
        Some(JoinKind::Meeting)
    } else if on(STREAM_HOSTS) || (on(&["youtube.com"]) && parsed.path().starts_with("/live")) {
        Some(JoinKind::Stream)
    } else {
        None
    }
}

/// Whether `text` holds `word` with no letter or digit right before or after.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// `text` without the whole-word occurrences of `word`.
fn remove_word(text: &str, word: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (i, _) in text.match_indices(word) {
        if i < at {
            continue;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            out.push_str(&text[at..i]);
            out.push(' ');
            at = i + word.len();
        }
    }
    out.push_str(&text[at..]);
    out
}

/// An online or hybrid talk that has not ended needs a link to join it.
pub(super) fn no_join_link(
    f: &mut Fields,
    attendance: Option<Attendance>,
    join: &[JoinLink],
    w: &super::when::When,
    rules: &Rules,
) {
    let ended = w.time.end_instant(rules.default_duration) < rules.publish.now;
    if ended || !join.is_empty() || !matches!(attendance, Some(Attendance::Online | Attendance::Hybrid)) {
        return;
    }
    let location = f.text("location").unwrap_or_default();
    f.push(
        Diagnostic::warning(
            DiagKind::InvalidValue,
            format!("the talk is online (`location: {location}`), but it has no link to join or watch it"),
        )
        .hint("add a `links` entry named `Join` (or `Live stream`) with the meeting's URL; a Zoom, Meet or Teams link is found under any name"),
        &["location"],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(name: &str, url: &str) -> Link {
        Link { name: Some(name.into()), url: url.into(), kind: None, icon: None, icon_pack: None }
    }

    #[test]
    fn locations_as_the_corpus_writes_them() {
        use Attendance::*;
        for (location, want) in [
            ("Virtual", Some(Online)),
            ("Virtual.", Some(Online)),
            ("remote", Some(Online)),
            ("Webinar", Some(Online)),
            ("Online & In-Person", Some(Hybrid)),
            ("Brisbane Convention Centre / Remote", Some(Hybrid)),
            ("Hybrid", Some(Hybrid)),
            ("Berlin, Deutschland", Some(InPerson)),
            ("Remote Sensing Lab, Bonn", Some(InPerson)),
            ("Online via Zoom", Some(Online)),
            ("Virtual event", Some(Online)),
            ("Teamspace Berlin", Some(InPerson)),
            ("", None),
        ] {
            assert_eq!(attendance(Some(location), false, &[]), want, "{location}");
        }
        assert_eq!(attendance(Some("Online"), true, &[]), Some(Hybrid), "an address is a place");
        let zoom = join_links(&[link("Join", "https://zoom.us/j/1")], None);
        assert_eq!(attendance(None, false, &zoom), Some(Online));
        assert_eq!(attendance(Some("Room 1"), false, &zoom), Some(Hybrid));
    }

    #[test]
    fn join_links_by_service_or_name_never_recordings() {
        let links = [
            link("Recording", "https://www.youtube.com/watch?v=x"),
            link("Join the meeting", "https://example.org/room"),
            link("Slides", "https://meet.google.com/abc-defg-hij"),
            link("Live stream", "https://www.youtube.com/live/abc"),
            link("Watch", "https://twitch.tv/talks"),
        ];
        let join = join_links(&links, Some("https://us02web.zoom.us/j/123"));
        let got: Vec<(&str, JoinKind)> = join.iter().map(|j| (j.url.as_str(), j.kind)).collect();
        assert_eq!(
            got,
            [
                ("https://example.org/room", JoinKind::Meeting),
                ("https://www.youtube.com/live/abc", JoinKind::Stream),
                ("https://twitch.tv/talks", JoinKind::Stream),
                ("https://us02web.zoom.us/j/123", JoinKind::Meeting),
            ]
        );
        assert!(
            join_links(&[link("Video", "https://www.youtube.com/watch?v=x")], Some("https://conf.example.org/"))
                .is_empty()
        );
    }
}
