//! Online and hybrid talks (docs/outputs.md, "Online and hybrid talks"):
//! `CONFERENCE` for the links to join or watch live, never for a
//! recording; `LOCATION` stays the place; `IMAGE` for a featured image; a
//! warning for an online talk still to come that has no link.

use std::collections::BTreeMap;

use crate::calendar::parse;
use crate::util;

#[test]
fn join_links_become_conference_and_recordings_do_not() {
    let out = tempfile::tempdir().unwrap();
    let output =
        util::talkfeed().arg("--site").arg(util::fixture("online")).arg("--out").arg(out.path()).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    // Only the online talk to come without a link is warned about.
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
    assert!(
        stderr.contains("online-no-link.md:4:1: warning: the talk is online (`location: Online`), but it has no link to join or watch it"),
        "{stderr}"
    );
    let ics = std::fs::read_to_string(out.path().join("talks.ics")).unwrap();
    let unfolded = ics.replace("\r\n ", "");
    let (_, events) = parse(&ics);
    let by_title: BTreeMap<&str, &BTreeMap<String, Vec<String>>> =
        events.iter().map(|e| (e["SUMMARY"][0].as_str(), e)).collect();
    let conference = |title: &str| by_title[title].get("CONFERENCE").cloned().unwrap_or_default();
    assert_eq!(conference("A talk on Zoom"), ["Location(\"https://us02web.zoom.us/j/123456789?pwd=abc\")"]);
    assert_eq!(conference("A hybrid talk with a live stream"), ["Location(\"https://www.youtube.com/live/abc123\")"]);
    assert_eq!(
        conference("A remote talk whose event is a Meet room"),
        ["Location(\"https://meet.google.com/abc-defg-hij\")"]
    );
    assert!(conference("An online talk without a link yet").is_empty());
    assert!(conference("A past virtual talk").is_empty());
    // The parameters, as written: a meeting has sound and picture.
    for line in [
        "CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join:https://us02web.zoom.us/j/123456789?pwd=abc",
        "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Live stream:https://www.youtube.com/live/abc123",
        "CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join online:https://meet.google.com/abc-defg-hij",
    ] {
        assert!(unfolded.contains(line), "{line}");
    }
    // LOCATION stays the room; the join link leads the notes.
    assert_eq!(by_title["A hybrid talk with a live stream"]["LOCATION"], ["Kalkscheune / livestream"]);
    assert!(by_title["A talk on Zoom"]["DESCRIPTION"][0].starts_with("Join: https://us02web.zoom.us/j/123456789"));
    assert!(
        unfolded.contains(
            "IMAGE;DISPLAY=BADGE;FMTTYPE=image/png;VALUE=URI:https://online.example/talk/with-image/featured.png"
        ),
        "{unfolded}"
    );
    // The JSON Feed says it too.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("feed.json")).unwrap()).unwrap();
    let item = json["items"].as_array().unwrap().iter().find(|i| i["title"] == "A talk on Zoom").unwrap();
    assert_eq!(item["_talk"]["attendance"], "online");
    assert_eq!(item["_talk"]["join"][0]["kind"], "meeting");
    let hybrid =
        json["items"].as_array().unwrap().iter().find(|i| i["title"] == "A hybrid talk with a live stream").unwrap();
    assert_eq!(hybrid["_talk"]["attendance"], "hybrid");
}
