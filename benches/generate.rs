//! Writes a deterministic synthetic Hugo site of N talks, for `make bench`:
//!
//!     cargo run --release --example generate -- DIR N [SEED]
//!
//! The talks cover every front-matter form talkfeed reads (YAML, TOML,
//! JSON; the `date`, `time_start` and `event_start` eras; all-day and timed
//! talks; bundles, single pages and year folders), Unicode text, long
//! abstracts and Markdown bodies of 0.5 to 10 KB (about 4.3 KB a talk on
//! average, the shape of the corpus Hugo was measured on).

use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: a seeded, portable sequence; nothing here needs more.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "talk",
    "coaching",
    "product",
    "rust",
    "calendar",
    "data",
    "science",
    "teams",
    "graphs",
    "model",
    "software",
    "research",
    "systems",
    "learning",
    "design",
    "cloud",
    "privacy",
    "Köln",
    "Zürich",
    "café",
    "naïve",
    "東京",
    "データ",
    "🎉",
    "résumé",
    "señal",
    "Ωmega",
    "average",
    "quality",
    "migration",
    "incidents",
    "evidence",
];

fn words(rng: &mut Rng, n: u64) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn title(rng: &mut Rng) -> String {
    let n = 3 + rng.below(6);
    let mut t = words(rng, n);
    if let Some(first) = t.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    t
}

/// Markdown of about `bytes` bytes: headings, paragraphs, lists, links, code.
fn body(rng: &mut Rng, bytes: usize) -> String {
    let mut s = String::new();
    while s.len() < bytes {
        match rng.below(6) {
            0 => {
                let _ = writeln!(s, "## {}\n", title(rng));
            }
            1 => {
                for _ in 0..3 + rng.below(4) {
                    let _ = writeln!(
                        s,
                        "* {} [link](https://example.org/{}) *{}*",
                        words(rng, 6),
                        rng.below(1000),
                        words(rng, 2)
                    );
                }
                s.push('\n');
            }
            2 => {
                let _ = writeln!(s, "```rust\nfn main() {{ println!(\"{}\"); }}\n```\n", words(rng, 3));
            }
            _ => {
                let n = 30 + rng.below(60);
                let _ = writeln!(
                    s,
                    "{} **{}** `{}` {}.\n",
                    words(rng, n / 2),
                    words(rng, 2),
                    words(rng, 1),
                    words(rng, n / 2)
                );
            }
        }
    }
    s
}

fn date(rng: &mut Rng) -> (u64, u64, u64, u64, u64) {
    (2015 + rng.below(14), 1 + rng.below(12), 1 + rng.below(28), 8 + rng.below(10), rng.below(4) * 15)
}

fn talk(rng: &mut Rng) -> String {
    let (y, mo, d, h, mi) = date(rng);
    let title = title(rng);
    let event = format!("{} {}", title.split(' ').next().unwrap_or("Conf"), 2000 + y % 100);
    let n = 40 + rng.below(120);
    let abstract_text = words(rng, n);
    let body_len = 500 + (rng.below(9500) * rng.below(9500) / 9500) as usize;
    let body = body(rng, body_len);
    let tags: Vec<&str> = (0..1 + rng.below(5)).map(|_| rng.pick(WORDS)).collect();
    let all_day = rng.below(10) == 0;
    let duration = 30 + rng.below(5) * 15;
    let (eh, emi) = (h + (mi + duration) / 60, (mi + duration) % 60);
    let draft = rng.below(50) == 0;
    match rng.below(20) {
        // TOML, Academic v2: time_start is the talk, date the publish date.
        0..=2 => {
            let tags = tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
            format!(
                "+++\ntitle = \"{title}\"\ndate = {y:04}-{mo:02}-01T00:00:00\ntime_start = {y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00\ntime_end = {y:04}-{mo:02}-{d:02}T{eh:02}:{emi:02}:00\nevent = \"{event}\"\nlocation = \"Room {}\"\nabstract = \"\"\"\n{abstract_text}\"\"\"\ntags = [{tags}]\nauthors = [\"Martin\"]\ndraft = {draft}\n+++\n\n{body}",
                rng.below(500)
            )
        }
        // JSON.
        3 => format!(
            "{{\n  \"title\": \"{title}\",\n  \"date\": \"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+01:00\",\n  \"date_end\": \"{y:04}-{mo:02}-{d:02}T{eh:02}:{emi:02}:00+01:00\",\n  \"event\": \"{event}\",\n  \"summary\": \"{}\",\n  \"tags\": [{}]\n}}\n\n{body}",
            words(rng, 12),
            tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
        ),
        // YAML, Hugo Blox 2026 keys.
        4..=7 => format!(
            "---\ntitle: \"{title}\"\ndate: {y:04}-01-01T10:00:00+01:00\nevent_name: {event}\nevent_url: https://example.org/events/{}\nevent_start: {y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+01:00\nevent_end: {y:04}-{mo:02}-{d:02}T{eh:02}:{emi:02}:00+01:00\nevent_all_day: {all_day}\nlocation: {}\nsummary: {}\nabstract: \"{abstract_text}\"\nauthors: [admin]\ntags: [{}]\ndraft: {draft}\n---\n\n{body}",
            rng.below(10_000),
            rng.pick(WORDS),
            words(rng, 14),
            tags.join(", ")
        ),
        // YAML, the common v4/v5 page, sometimes all-day with a date only.
        _ => {
            let start = if all_day {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("\"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z\"")
            };
            format!(
                "---\ntitle: \"{title}\"\nevent: {event}\nevent_url: https://example.org/{}/\nlocation: {}, {}\naddress:\n  street: {} Street {}\n  city: {}\n  postcode: \"{}\"\n  country: Germany\nsummary: {}\nabstract: \"{abstract_text}\"\ndate: {start}\ndate_end: \"{y:04}-{mo:02}-{d:02}T{eh:02}:{emi:02}:00Z\"\nall_day: {all_day}\npublishDate: \"{y:04}-01-01T00:00:00Z\"\nauthors: [Martin, Ana Lima]\ntags: [{}]\nfeatured: false\nlinks:\n- name: Recording\n  url: https://video.example.org/{}\nurl_slides: slides.pdf\nurl_code: https://github.com/example/{}\ndraft: {draft}\n---\n\n{body}",
                rng.below(10_000),
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.below(200),
                rng.pick(WORDS),
                10_000 + rng.below(89_999),
                words(rng, 12),
                tags.join(", "),
                rng.below(100_000),
                rng.below(100_000),
            )
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse::<u64>().ok())) else {
        eprintln!("usage: generate DIR N [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42u64);
    let mut rng = Rng(seed.max(1));
    let content = Path::new(dir).join("content");
    let mut bytes = 0usize;
    for i in 0..n {
        let year = 2015 + i % 14;
        let text = talk(&mut rng);
        bytes += text.len();
        // Half leaf bundles, half single pages, in year folders.
        let path = if i % 2 == 0 {
            content.join(format!("talk/{year}/talk-{i:06}/index.md"))
        } else {
            content.join(format!("event/{year}/talk-{i:06}.md"))
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    std::fs::create_dir_all(content.join("talk")).unwrap();
    std::fs::write(
        content.join("talk/_index.md"),
        "---\ntitle: Talks\ndescription: Synthetic talks for benchmarks.\n---\n",
    )
    .unwrap();
    println!("{n} talks, {bytes} bytes ({} bytes a talk) in {}", bytes / n.max(1) as usize, content.display());
}
