// Reads iCalendar files with node-ical, the parser of many Node calendar
// apps and MagicMirror, which reads a TZID by the zone's name: every event's
// start and end, as UTC instants (all-day events as dates), go to INSTANTS
// for comparison with the other parsers. Run with TZ=UTC.
//
// Usage: node validate_node_ical.mjs INSTANTS FILE.ics...   Exits 1 on the first problem.

import { readFileSync, writeFileSync } from "node:fs";
import ical from "node-ical";

const day = (d) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`;
const stamp = (d) => (d.dateOnly ? day(d) : d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z"));
const [instants, ...paths] = process.argv.slice(2);
const lines = [];
let events = 0;
for (const path of paths) {
  let data;
  try {
    data = ical.sync.parseICS(readFileSync(path, "utf8"));
  } catch (e) {
    console.error(`${path}: node-ical cannot parse it: ${e}`);
    process.exit(1);
  }
  for (const item of Object.values(data)) {
    if (item.type !== "VEVENT") continue;
    if (!(item.start instanceof Date) || Number.isNaN(item.start.getTime())) {
      console.error(`${path}: ${item.uid}: no start`);
      process.exit(1);
    }
    lines.push(`${path}\t${item.uid}\t${stamp(item.start)}\t${stamp(item.end)}\n`);
    events += 1;
  }
}
writeFileSync(instants, lines.join(""));
console.log(`node-ical: ${paths.length} files, ${events} events read`);
