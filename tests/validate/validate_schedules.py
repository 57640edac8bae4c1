"""The c3voc schedule.json files against the c3voc JSON Schema (draft 6,
formats checked), with Python's jsonschema, and read as a conference app
reads them: every talk once, on the day of its date, in a listed room.

Usage: validate_schedules.py SCHEMA FOLDER...
"""
import json
import sys

import jsonschema


def main(schema_path, folders):
    schema = json.load(open(schema_path))
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
    talks = 0
    for folder in folders:
        doc = json.load(open(f"{folder}/schedule.json"))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            for e in errors[:5]:
                print(f"{folder}/schedule.json: {e.message} at {list(e.path)}", file=sys.stderr)
            sys.exit(1)
        conference = doc["schedule"]["conference"]
        rooms = {r["name"] for r in conference["rooms"]}
        guids = set()
        for day in conference["days"]:
            for room, events in day["rooms"].items():
                assert room in rooms, f"{folder}: {room} is not a listed room"
                for e in events:
                    assert e["date"].startswith(day["date"]), f"{folder}: {e['title']} is not on {day['date']}"
                    assert e["guid"] not in guids, f"{folder}: {e['guid']} twice"
                    guids.add(e["guid"])
                    talks += 1
    print(f"jsonschema: {len(folders)} schedule.json files, {talks} talks, all valid")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
