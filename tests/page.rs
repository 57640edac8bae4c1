//! The subscribe page of a site larger than one batch of the page's
//! streaming writer (4,096 talks): every talk listed once, in order, and
//! the JSON-LD one valid `@graph` holding every upcoming talk.

use crate::util;

#[test]
fn a_large_site_lists_every_talk_and_one_whole_json_ld_graph() {
    const TALKS: usize = 4100;
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("content/talk");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..TALKS {
        // Ten days apart from 2027 on: all upcoming at the tests' clock.
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap() + chrono::Days::new(i as u64 * 10);
        let text = format!("---\ntitle: \"Talk {i:04} <b>\"\ndate: {start}T10:00:00Z\npublishDate: 2020-01-01\n---\n");
        std::fs::write(dir.join(format!("talk-{i:04}.md")), text).unwrap();
    }
    let out = site.path().join("out");
    util::talkfeed()
        .args(["--base-url", "https://ada.example/", "--site"])
        .arg(site.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let titles: Vec<&str> = html.split("\">Talk ").skip(1).map(|rest| &rest[..4]).collect();
    let expected: Vec<String> = (0..TALKS).map(|i| format!("{i:04}")).collect();
    assert_eq!(titles, expected, "each talk once, soonest first");
    let start = html.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(ld["@context"], "https://schema.org");
    let graph = ld["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), TALKS);
    assert_eq!(graph[4096]["name"], "Talk 4096 <b>", "`<` written as \\u003c reads back");
    assert!(!html[start..end].contains('<'), "nothing can end the script element");
}
