//! Micro-benchmarks of the hot paths (criterion): front-matter split and
//! parse, date parsing, Markdown rendering, and each emitter, on the sample
//! site's talks. Run with `cargo bench --bench hot_paths`.

use std::hint::black_box;
use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use talkfeed::diag::Diagnostics;
use talkfeed::emit::{self, Context, atom, feed::Feed, ics, jsonfeed, rss};
use talkfeed::model::Site;
use talkfeed::settings::Flags;
use talkfeed::settings::Settings;
use talkfeed::{dates, frontmatter, load, markup, view};

fn sample() -> (Site, Settings) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args =
        Flags { site: Some(root.to_path_buf()), base_url: Some("https://example.org/".into()), ..Flags::default() };
    let mut diags = Diagnostics::new();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
    let settings = Settings::resolve(&args, None, now, &mut diags).unwrap();
    // A hundred talks: the sample's, many times over.
    let mut site = load::load(&settings.inputs(), &mut diags);
    let talks = site.talks.clone();
    for i in 0..100 {
        for t in &talks {
            let mut t = t.clone();
            t.source.key = format!("{}-{i}", t.source.key);
            site.talks.push(t);
        }
    }
    (site, settings)
}

fn front_matter(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join("content/talk/product-coaching/index.md")).unwrap();
    let toml = std::fs::read_to_string(root.join("content/talk/graph-sampling.md")).unwrap();
    let json = std::fs::read_to_string(root.join("content/talk/product-metrics.md")).unwrap();
    for (name, text) in [("yaml", yaml), ("toml", toml), ("json", json)] {
        c.bench_function(&format!("split and parse {name} front matter"), |b| {
            b.iter(|| {
                let split = frontmatter::split(black_box(&text)).unwrap();
                frontmatter::parse(split.front_matter.unwrap()).unwrap().map.len()
            })
        });
    }
}

fn date_parsing(c: &mut Criterion) {
    let forms = ["2019-10-05", "2019-10-05T10:00:00Z", "2016-01-13T9:00:00+05:30", "Mon, 02 Jan 2006 15:04:05 -0700"];
    c.bench_function("parse four date forms", |b| {
        b.iter(|| forms.iter().filter(|f| dates::parse(black_box(f)).is_ok()).count())
    });
}

fn markdown(c: &mut Criterion) {
    let body = "## Heading\n\nSome **text** with [a link](slides.pdf) and `code`.\n\n* one\n* two\n\n".repeat(40);
    c.bench_function("render 4 KB of Markdown", |b| {
        b.iter(|| markup::to_html(black_box(&body), &|u| Some(u.to_string())).html.len())
    });
}

fn emitters(c: &mut Criterion) {
    let (site, settings) = sample();
    c.bench_function("views: 700 talks", |b| {
        b.iter(|| view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap().len())
    });
    let views = view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap();
    let editions = &settings.emit.editions;
    let ctx = Context::new(&site, &settings.emit, &editions[0], editions).unwrap();
    let talks = ctx.calendar_talks(&views);
    c.bench_function("ics: 700 events", |b| {
        b.iter(|| talks.iter().map(|t| ics::event(t, &[]).text.len()).sum::<usize>())
    });
    c.bench_function("feed items: 700", |b| b.iter(|| Feed::new(&ctx, views.clone()).items.len()));
    let mut feed = Feed::new(&ctx, views.clone());
    c.bench_function("rss: 700 items", |b| b.iter(|| rss::render(&mut feed).len()));
    c.bench_function("atom: 700 items", |b| b.iter(|| atom::render(feed.clone()).len()));
    c.bench_function("json feed: 700 items", |b| b.iter(|| jsonfeed::render(&feed).len()));
    c.bench_function("all outputs: 700 talks", |b| {
        b.iter(|| {
            emit::render(
                &site,
                view::make_views(&site, site.bodies(), &settings.view_inputs()).unwrap(),
                &settings.emit,
            )
            .unwrap()
            .len()
        })
    });
}

criterion_group!(benches, front_matter, date_parsing, markdown, emitters);
criterion_main!(benches);
