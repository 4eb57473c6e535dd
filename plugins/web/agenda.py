"""The agenda: conversations and reminders of the next 14 days, in your zone."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import render_template

from .pages import engine, page
from .views import contact_line, label, local

DAYS = 14


@page("/agenda", "Agenda")
def agenda() -> str:

    eng = engine()
    now = eng.clock.now()
    until = now + timedelta(days=DAYS)
    zone = ZoneInfo(eng.zone)
    rows = [{"at": start, "when": local(start, zone), "i": i, "what": "Conversation with " + contact_line(i)}
            for i in eng.store.interviews(starting_from=now) for start in [i.start] if start <= until]
    rows += [{"at": due, "when": local(due, zone), "i": i, "what": f"{label(timer)} reminder ({i.contact.name})"}
             for i, timer, due in eng.agenda(until) if due >= now]
    rows.sort(key=lambda r: (r["at"], r["i"].id))
    return render_template("agenda.html", rows=rows, days=DAYS, zone=zone.key)
