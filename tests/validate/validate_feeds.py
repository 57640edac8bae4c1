"""Checks RSS, Atom and JSON Feed files the way feed readers and validators
read them: Python's feedparser must parse RSS and Atom without `bozo` (its
flag for anything malformed), the three formats of one site must agree, the Atom
feed must satisfy RFC 4287's Schematron rules (the RELAX NG grammar is
checked separately with jing), and the JSON Feed must match the JSON Feed
1.1 schema in jsonfeed-1.1.schema.json.

Usage: python validate_feeds.py OUTPUT_DIR...   Exits 1 on the first problem.
"""

import json
import os
import sys
import xml.etree.ElementTree as ET

import feedparser
import jsonschema

SCHEMA = json.load(open(os.path.join(os.path.dirname(__file__), "jsonfeed-1.1.schema.json")))
ATOM = "{http://www.w3.org/2005/Atom}"


def fail(path, message):
    print(f"{path}: {message}", file=sys.stderr)
    sys.exit(1)


def check_dir(out):
    counts = {}
    ids = {}
    json_items = json.load(open(os.path.join(out, "feed.json"), encoding="utf-8"))
    for name in ("rss.xml", "atom.xml"):
        path = os.path.join(out, name)
        parsed = feedparser.parse(path)
        if parsed.bozo:
            fail(path, f"feedparser: {parsed.bozo_exception!r}")
        if not parsed.feed.get("title"):
            fail(path, "feed without a title")
        if name == "atom.xml" and not json_items["items"]:
            # A feed without talks: Atom holds the talk list page alone.
            if len(parsed.entries) != 1 or parsed.entries[0].id != json_items["home_page_url"]:
                fail(path, "an empty Atom feed must hold the talk list page")
            parsed.entries = []
        for epoch in ("1970-01-01", "1 Jan 1970"):
            if epoch in open(path, encoding="utf-8").read():
                fail(path, f"says {epoch}")
        for entry in parsed.entries:
            for key in ("id", "title", "link", "published_parsed"):
                if not entry.get(key):
                    fail(path, f"entry without {key}: {entry.get('id')}")
        counts[name] = len(parsed.entries)
        ids[name] = [e.id for e in parsed.entries]
    path = os.path.join(out, "feed.json")
    feed = json.load(open(path, encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).iter_errors(feed), key=str)
    if errors:
        fail(path, f"JSON Feed 1.1: {errors[0].message} at {list(errors[0].absolute_path)}")
    counts["feed.json"] = len(feed["items"])
    if len(set(counts.values())) != 1:
        fail(out, f"the feeds disagree on the number of items: {counts}")
    if ids["rss.xml"] != [i["id"] for i in feed["items"]]:
        fail(out, "RSS guids and JSON Feed ids differ")

    atom = os.path.join(out, "atom.xml")
    root = ET.parse(atom).getroot()
    entries = root.findall(f"{ATOM}entry")
    if root.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        fail(atom, "neither the feed nor every entry has an author (RFC 4287 4.1.1)")
    if not json_items["items"]:
        entries = []
    seen = set()
    for e in entries:
        key = (e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"))
        if key in seen:
            fail(atom, f"two entries with id and updated {key}")
        seen.add(key)
        if e.find(f"{ATOM}link[@rel='alternate']") is None and e.find(f"{ATOM}content") is None:
            fail(atom, f"entry {key[0]} has neither content nor an alternate link")
    return counts["rss.xml"]


if __name__ == "__main__":
    total = sum(check_dir(out) for out in sys.argv[1:])
    print(f"feedparser {feedparser.__version__}, jsonschema: {len(sys.argv) - 1} feed folders, {total} items in each format, all valid")
