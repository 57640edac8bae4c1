"""Checks iCalendar files with Python's `icalendar`, the parser many
calendar tools build on: strict parse (no parse errors recorded on any
component), the properties RFC 5545 requires, sane event times, and the
physical form subscribed clients are strict about (CRLF, lines <= 75 octets).

Usage: python validate_ics.py FILE.ics...   Exits 1 on the first problem.
"""

import datetime
import sys

import icalendar


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
    for vtimezone in cal.walk("VTIMEZONE"):
        zone = vtimezone.to_tz()
        if zone.utcoffset(datetime.datetime(2024, 7, 1)) is None:
            fail(path, f"VTIMEZONE {vtimezone['TZID']} gives no offset")
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
            if start.tzinfo is None or start.utcoffset() != datetime.timedelta(0):
                fail(path, f"{uid}: timed start not in UTC")
            if "TZID" in event["DTSTART"].params:
                fail(path, f"{uid}: TZID without VTIMEZONE")
        elif type(end) is not type(start):
            fail(path, f"{uid}: all-day start with a timed end")
        if not end > start:
            fail(path, f"{uid}: DTEND {end} is not after DTSTART {start}")
        stamp = event.decoded("DTSTAMP")
        if stamp.utcoffset() != datetime.timedelta(0):
            fail(path, f"{uid}: DTSTAMP not in UTC")
    return len(events)


if __name__ == "__main__":
    total = sum(check(path) for path in sys.argv[1:])
    print(f"icalendar {icalendar.__version__}: {len(sys.argv) - 1} files, {total} events, all valid")
