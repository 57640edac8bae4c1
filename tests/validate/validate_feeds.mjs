// Checks RSS and Atom files with @rowanmanning/feed-parser (a Node feed
// parser tested against real-world feeds) and JSON Feed files with the
// platform's JSON parser: every item has an id, a title, a link and a
// publication date, and the three formats agree.
//
// Usage: node validate_feeds.mjs OUTPUT_DIR...   Exits 1 on the first problem.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { parseFeed } = require("@rowanmanning/feed-parser");

let total = 0;
for (const out of process.argv.slice(2)) {
  const fail = (message) => {
    console.error(`${out}: ${message}`);
    process.exit(1);
  };
  const counts = {};
  for (const name of ["rss.xml", "atom.xml"]) {
    let feed;
    try {
      feed = parseFeed(readFileSync(join(out, name), "utf8"));
    } catch (e) {
      fail(`${name}: ${e}`);
    }
    if (!feed.title) fail(`${name}: no title`);
    for (const item of feed.items) {
      if (!item.id || !item.title || !item.url || !item.published) fail(`${name}: incomplete item ${item.id}`);
    }
    counts[name] = feed.items.length;
  }
  const json = JSON.parse(readFileSync(join(out, "feed.json"), "utf8"));
  if (json.version !== "https://jsonfeed.org/version/1.1") fail("feed.json: not JSON Feed 1.1");
  for (const item of json.items) {
    if (!item.id || !item.url || Number.isNaN(Date.parse(item.date_published))) fail(`feed.json: incomplete item ${item.id}`);
  }
  counts["feed.json"] = json.items.length;
  if (new Set(Object.values(counts)).size !== 1) fail(`the feeds disagree: ${JSON.stringify(counts)}`);
  total += json.items.length;
}
console.log(`@rowanmanning/feed-parser: ${process.argv.length - 2} feed folders, ${total} items in each format, all valid`);
