"""People: the searchable list (`infoview people SEARCH`) and one person's timeline
(`infoview person ID`), from the same reads as the CLI (engine/personview.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, render_template, request

from infoview.errors import NotFound

from .pages import engine, page
from .views import local

MAX_SEARCH = 200


@page("/people", "People")
def people() -> str:
    from infoview.personview import listing

    search = request.args.get("q", "").strip()[:MAX_SEARCH]
    found = listing(engine().store, search or None)
    return render_template("people.html", people=found, q=search)


@page("/people/<int:person_id>")
def person(person_id: int) -> str:
    from infoview.personview import timeline

    eng = engine()
    try:
        doc = timeline(eng.store, person_id, eng.clock.now())
    except NotFound:
        abort(404)
    zone = ZoneInfo(eng.zone)

    def shown(at: str) -> str:
        return local(datetime.fromisoformat(at), zone)

    events = [{**e, "when": shown(e["at"])} for e in reversed(doc["timeline"])]   # newest first
    due = [{**f, "when": shown(f["due"])} for f in doc["follow_ups_due"]]
    todos: list[Any] = [t for i in doc["summary"]["conversations"] for t in eng.store.todos(interview_id=i)]
    return render_template("person.html", p=doc["person"], s=doc["summary"], doc=doc, events=events, due=due,
                           todos=todos, now=eng.clock.now(), zone=zone, zone_name=eng.zone)
