// Checks RSS and Atom files with @rowanmanning/feed-parser (a Node feed
// parser tested against real-world feeds) and @extractus/feed-extractor
// (which tells RSS from Atom by sniffing: Atom needs an <entry>), and JSON
// Feed files with the platform's JSON parser: every item has an id, a
// title, a link and a publication date, and the three formats agree (an
// Atom feed without talks holds one entry, the talk list page).
//
// Usage: node validate_feeds.mjs OUTPUT_DIR...   Exits 1 on the first problem.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { parseFeed } = require("@rowanmanning/feed-parser");
const { extractFromXml } = await import("@extractus/feed-extractor");

let total = 0;
for (const out of process.argv.slice(2)) {
  const fail = (message) => {
    console.error(`${out}: ${message}`);
    process.exit(1);
  };
  const json = JSON.parse(readFileSync(join(out, "feed.json"), "utf8"));
  const counts = {};
  for (const name of ["rss.xml", "atom.xml"]) {
    const xml = readFileSync(join(out, name), "utf8");
    let feed;
    try {
      feed = parseFeed(xml);
    } catch (e) {
      fail(`${name}: ${e}`);
    }
    if (!feed.title) fail(`${name}: no title`);
    let items = feed.items;
    if (name === "atom.xml" && json.items.length === 0) {
      // The talk list page, there so that sniffing parsers see Atom.
      if (items.length !== 1 || items[0].id !== json.home_page_url) fail(`${name}: no talk list entry`);
      items = [];
    }
    for (const item of items) {
      if (!item.id || !item.title || !item.url || !item.published) fail(`${name}: incomplete item ${item.id}`);
    }
    counts[name] = items.length;
    let extracted;
    try {
      extracted = extractFromXml(xml);
    } catch (e) {
      fail(`${name}: @extractus/feed-extractor: ${e.message}`);
    }
    if (extracted.title !== feed.title) fail(`${name}: @extractus/feed-extractor reads the title ${extracted.title}`);
  }
  if (json.version !== "https://jsonfeed.org/version/1.1") fail("feed.json: not JSON Feed 1.1");
  for (const item of json.items) {
    if (!item.id || !item.url || Number.isNaN(Date.parse(item.date_published))) fail(`feed.json: incomplete item ${item.id}`);
  }
  counts["feed.json"] = json.items.length;
  if (new Set(Object.values(counts)).size !== 1) fail(`the feeds disagree: ${JSON.stringify(counts)}`);
  total += json.items.length;
}
console.log(`@rowanmanning/feed-parser, @extractus/feed-extractor: ${process.argv.length - 2} feed folders, ${total} items in each format, all valid`);
