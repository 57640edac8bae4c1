"""Checks iCalendar files with Python's `icalendar`, the parser many
calendar tools build on: strict parse (no parse errors recorded on any
component), the properties RFC 5545 requires, sane event times, and the
physical form subscribed clients are strict about (CRLF, lines <= 75 octets).

Every time with a TZID is read three ways, which must agree: with Python's
`zoneinfo` by the zone's name (an independent tz implementation and copy of
the database), with the file's own VTIMEZONE (read by dateutil, not by
name), and as the page says (`talkfeed list --format json`, in
`SITE.talks.jsonl` beside the site's output folder, matched by UID).

Writes every event's start and end as UTC instants to INSTANTS, for
comparison with the other parsers.

Usage: python validate_ics.py INSTANTS FILE.ics...   Exits 1 on the first problem.
"""

import datetime
import json
import os
import sys
import zoneinfo

import icalendar

UTC = datetime.timezone.utc
pages = {}


def page_times(path):
    """The talks of the site whose output `path` is in, by UID."""
    parts = path.split(os.sep)
    root = os.sep.join(parts[: parts.index("out") + 2])
    if root not in pages:
        pages[root] = {}
        listing = root + ".talks.jsonl"
        if os.path.exists(listing):
            for line in open(listing, encoding="utf-8"):
                talk = json.loads(line)
                if talk.get("uid"):
                    pages[root][talk["uid"]] = talk
    return pages[root]


def instant(text):
    return datetime.datetime.fromisoformat(text).astimezone(UTC)


def fail(path, message):
    print(f"{path}: {message}", file=sys.stderr)
    sys.exit(1)


def check(path):
    data = open(path, "rb").read()
    if not data.endswith(b"\r\n"):
        fail(path, "does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if len(line) > 75:
            fail(path, f"line {number} is {len(line)} octets")
        if b"\n" in line or b"\r" in line:
            fail(path, f"line {number} has a bare CR or LF")
    if b"19700101" in data or b"1970-01-01" in data:
        fail(path, "says 1970")
    cal = icalendar.Calendar.from_ical(data)
    for component in cal.walk():
        if component.errors:
            fail(path, f"{component.name}: {component.errors}")
    # RFC 5545 3.6: at least one component; a calendar without events holds
    # the site's VTIMEZONE, which must be a zone Python can use.
    if not cal.subcomponents:
        fail(path, "a calendar without any component")
    own = {}
    for vtimezone in cal.walk("VTIMEZONE"):
        zone = vtimezone.to_tz()
        if zone.utcoffset(datetime.datetime(2024, 7, 1)) is None:
            fail(path, f"VTIMEZONE {vtimezone['TZID']} gives no offset")
        own[str(vtimezone["TZID"])] = vtimezone.to_tz(lookup_tzid=False)
    for key in ("VERSION", "PRODID"):
        if key not in cal:
            fail(path, f"VCALENDAR without {key}")
    if "METHOD" in cal:
        fail(path, "METHOD would make DTSTAMP the generation time")
    uids = set()
    events = cal.walk("VEVENT")
    for event in events:
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if key not in event:
                fail(path, f"VEVENT without {key}: {event.get('UID')}")
        uid = str(event["UID"])
        if uid in uids:
            fail(path, f"UID {uid} twice")
        uids.add(uid)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if isinstance(start, datetime.datetime):
            times = []
            for key in ("DTSTART", "DTEND"):
                value, tzid = event.decoded(key), event[key].params.get("TZID")
                if tzid is None:
                    if value.tzinfo is None or value.utcoffset() != datetime.timedelta(0):
                        fail(path, f"{uid}: {key} is neither UTC nor in a zone")
                    times.append(value)
                    continue
                if tzid not in own:
                    fail(path, f"{uid}: TZID {tzid} without VTIMEZONE")
                local = value.replace(tzinfo=None)
                by_name = local.replace(tzinfo=zoneinfo.ZoneInfo(tzid), fold=0).astimezone(UTC)
                by_vtimezone = local.replace(tzinfo=own[tzid], fold=0).astimezone(UTC)
                if by_name != by_vtimezone:
                    fail(path, f"{uid}: {key} {local} {tzid} is {by_name} by zoneinfo, {by_vtimezone} by the VTIMEZONE")
                times.append(by_name)
                zoned[0] += 1
            start, end = times
            talk = page_times(path).get(uid)
            if talk and talk.get("start") and instant(talk["start"]) != start:
                fail(path, f"{uid}: starts {start}, the page says {talk['start']}")
            if talk and talk.get("end") and instant(talk["end"]) != end:
                fail(path, f"{uid}: ends {end}, the page says {talk['end']}")
            if talk:
                checked[0] += 1
            instants.write(f"{path}\t{uid}\t{start.astimezone(UTC):%Y%m%dT%H%M%SZ}\t{end.astimezone(UTC):%Y%m%dT%H%M%SZ}\n")
        elif type(end) is not type(start):
            fail(path, f"{uid}: all-day start with a timed end")
        else:
            instants.write(f"{path}\t{uid}\t{start:%Y%m%d}\t{end:%Y%m%d}\n")
        if not end > start:
            fail(path, f"{uid}: DTEND {end} is not after DTSTART {start}")
        stamp = event.decoded("DTSTAMP")
        if stamp.utcoffset() != datetime.timedelta(0):
            fail(path, f"{uid}: DTSTAMP not in UTC")
    return len(events)


if __name__ == "__main__":
    zoned, checked = [0], [0]
    with open(sys.argv[1], "w", encoding="utf-8") as instants:
        total = sum(check(path) for path in sys.argv[2:])
    print(
        f"icalendar {icalendar.__version__}: {len(sys.argv) - 2} files, {total} events, all valid; "
        f"{zoned[0]} times with a TZID read alike by zoneinfo and by their VTIMEZONE; "
        f"{checked[0]} timed events at the instants their pages give"
    )
