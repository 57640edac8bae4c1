// Checks iCalendar files with ical.js, Mozilla's parser (Thunderbird's):
// every file parses, every VEVENT becomes an event with a UID, a summary
// and an end after its start, and all-day events are whole days; a
// calendar without events holds a VTIMEZONE that ical.js can use.
//
// Usage: node validate_ics.mjs FILE.ics...   Exits 1 on the first problem.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

let events = 0;
let zones = 0;
for (const path of process.argv.slice(2)) {
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
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
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
    if (!event.startDate.isDate && event.startDate.zone.tzid !== "UTC") fail(`${event.uid}: not UTC`);
    events += 1;
  }
}
console.log(`ical.js: ${process.argv.length - 2} files, ${events} events, ${zones} time zones, all valid`);
