"""Reads every iCalendar file in ONE process with Python's vobject, the
parser of Radicale and other Python calendar servers, the way a client that
subscribes to several sites does.

vobject keeps the first VTIMEZONE it reads for a TZID and applies it to every
later file (its `registerTzid`), so the calendars of two sites in one zone are
read right only if both define the zone the same way: talkfeed writes the same
VTIMEZONE for a zone in every file of every site. Every event must be read at
the instants Python's icalendar read it at (INSTANTS, from validate_ics.py),
which reads each file's own VTIMEZONE.

Usage: python validate_vobject.py INSTANTS FILE.ics...   Exits 1 on a difference.
"""

import datetime
import sys

import vobject

UTC = datetime.timezone.utc


def main():
    expected = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        path, uid, start, end = line.rstrip("\n").split("\t")
        expected[(path, uid)] = (start, end)
    events = zones = 0
    tzids = {}
    for path in sys.argv[2:]:
        text = open(path, encoding="utf-8", newline="").read()
        for cal in vobject.readComponents(text):
            for vtimezone in cal.contents.get("vtimezone", []):
                tzid = vtimezone.tzid.value
                # The same definition everywhere, byte for byte.
                begin = text.index(f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n")
                block = text[begin : text.index("END:VTIMEZONE", begin)]
                first = tzids.setdefault(tzid, (path, block))
                if first[1] != block:
                    print(f"{path}: VTIMEZONE {tzid} differs from the one in {first[0]}", file=sys.stderr)
                    sys.exit(1)
            for event in cal.contents.get("vevent", []):
                uid = event.uid.value
                start, end = event.dtstart.value, event.dtend.value
                if isinstance(start, datetime.datetime):
                    if {"TZID", "X-VOBJ-ORIGINAL-TZID"} & set(event.dtstart.params):
                        zones += 1
                    got = tuple(f"{t.astimezone(UTC):%Y%m%dT%H%M%SZ}" for t in (start, end))
                else:
                    got = tuple(f"{t:%Y%m%d}" for t in (start, end))
                want = expected.get((path, uid))
                if want is None:
                    print(f"{path}: {uid} is not among the events icalendar read", file=sys.stderr)
                    sys.exit(1)
                if got != want:
                    print(f"{path}: {uid}: vobject reads {got}, icalendar {want}", file=sys.stderr)
                    sys.exit(1)
                events += 1
    print(
        f"vobject: {len(sys.argv) - 2} files read in one process, "
        f"{events} events ({zones} with a TZID, {len(tzids)} zones) at the instants icalendar reads"
    )


if __name__ == "__main__":
    main()
