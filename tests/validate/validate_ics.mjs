// Checks iCalendar files with ical.js, Mozilla's parser (Thunderbird's):
// every file parses, every VEVENT becomes an event with a UID, a summary
// and an end after its start, and all-day events are whole days; a
// calendar without events holds a VTIMEZONE that ical.js can use. Times
// with a TZID are read with the file's own VTIMEZONE (ical.js does not
// know zones by name), and every event's start and end are written, as
// UTC instants, to INSTANTS.
//
// Usage: node validate_ics.mjs INSTANTS FILE.ics...   Exits 1 on the first problem.

import { readFileSync, writeFileSync } from "node:fs";
import ICAL from "ical.js";

const stamp = (time) =>
  time.isDate
    ? time.toString().replaceAll("-", "")
    : new Date(time.toUnixTime() * 1000).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
const lines = [];

let events = 0;
let zones = 0;
const [instants, ...paths] = process.argv.slice(2);
for (const path of paths) {
  const fail = (message) => {
    console.error(`${path}: ${message}`);
    process.exit(1);
  };
  let calendar;
  try {
    calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  } catch (e) {
    fail(`ical.js cannot parse it: ${e}`);
  }
  if (calendar.getAllSubcomponents().length === 0) fail("a calendar without any component");
  ICAL.TimezoneService.reset();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(zone);
    const offset = zone.utcOffset(ICAL.Time.fromDateTimeString("2024-07-01T12:00:00"));
    if (!Number.isFinite(offset)) fail(`VTIMEZONE ${zone.tzid}: no offset`);
    zones += 1;
  }
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (!event.uid) fail("event without UID");
    if (!event.summary) fail(`${event.uid}: no summary`);
    if (event.endDate.compare(event.startDate) <= 0) fail(`${event.uid}: ends before it starts`);
    if (event.startDate.isDate !== event.endDate.isDate) fail(`${event.uid}: mixed date and date-time`);
    for (const time of [event.startDate, event.endDate]) {
      const tzid = time.isDate ? null : time.zone.tzid;
      if (tzid !== null && tzid !== "UTC" && !ICAL.TimezoneService.has(tzid)) fail(`${event.uid}: ${tzid} without VTIMEZONE`);
    }
    lines.push(`${path}\t${event.uid}\t${stamp(event.startDate)}\t${stamp(event.endDate)}\n`);
    events += 1;
  }
}
writeFileSync(instants, lines.join(""));
console.log(`ical.js: ${paths.length} files, ${events} events, ${zones} time zones, all valid`);
