#!/usr/bin/python3
"""Parses an iCalendar (RFC 5545) document from stdin with the icalendar package (Debian
python3-icalendar) and prints its events as JSON; exits 1 when it does not parse or breaks the
line rules (CRLF line endings, lines of at most 75 octets). Used by tests/api/appointments.test.mjs."""
import json
import sys

import icalendar

raw = sys.stdin.buffer.read()
problems = []
lines = raw.split(b"\r\n")
if lines[-1] != b"":
    problems.append("does not end with CRLF")
for i, line in enumerate(lines):
    if b"\n" in line or b"\r" in line:
        problems.append(f"line {i + 1}: bare CR or LF")
    if len(line) > 75:
        problems.append(f"line {i + 1}: {len(line)} octets")
try:
    cal = icalendar.Calendar.from_ical(raw)
except Exception as e:  # noqa: BLE001 - any parse failure is the answer
    print(json.dumps({"ok": False, "problems": problems + [f"parse: {e}"]}))
    sys.exit(1)
if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
    problems.append("VCALENDAR needs VERSION:2.0 and PRODID")
events = []
for ev in cal.walk("VEVENT"):
    for prop in ("UID", "DTSTAMP", "DTSTART"):
        if ev.get(prop) is None:
            problems.append(f"VEVENT without {prop}")
    start = ev.decoded("DTSTART")
    end = ev.decoded("DTEND")
    events.append({
        "uid": str(ev.get("UID")),
        "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": str(ev.get("STATUS")),
        "summary": str(ev.get("SUMMARY")),
        "utc": start.utcoffset() is not None and start.utcoffset().total_seconds() == 0,
    })
print(json.dumps({"ok": not problems, "problems": problems, "events": events}))
sys.exit(0 if not problems else 1)
