"""Read an iCalendar feed on stdin with vobject and print its events as JSON (UTC times).

Run as a subprocess, one feed per process: vobject keeps the first VTIMEZONE it saw for a TZID
in a process-wide map, so parsing two feeds in one process would read the second with the
first one's rules.
"""
from __future__ import annotations

import json
import sys
from datetime import timezone

import vobject


def main() -> None:
    cal = vobject.readOne(sys.stdin.read())
    events = []
    for ev in getattr(cal, "vevent_list", []):
        start, end = ev.dtstart.value, ev.dtend.value
        events.append({
            "uid": ev.uid.value,
            "status": ev.status.value,
            "sequence": int(ev.sequence.value),
            "start": start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tz": str(start.tzinfo),
        })
    json.dump({"events": events}, sys.stdout)


if __name__ == "__main__":
    main()
