"""The board: a column per workflow state, a card per interview, its actions one click away."""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template, request

from .pages import back, change, engine, moved, page
from .views import actions, label, local


def columns(eng: Any) -> list[str]:
    """Every workflow's states in file order, each once."""
    seen: dict[str, None] = {}
    for wf in eng.registry.workflows.values():
        seen.update(dict.fromkeys(wf.states))
    return list(seen)


@page("/", "Board")
def board() -> str:
    from infoview.meanings import meaning_of, meanings_of
    from infoview.plugins.questions.report import overdue_items
    from infoview.store import epoch, from_epoch

    eng = engine()
    now = eng.clock.now()
    zone_name = eng.zone
    zone = ZoneInfo(zone_name)
    workflows = eng.registry.workflows
    meanings = meanings_of(workflows.values())
    cards: dict[str, list[dict[str, Any]]] = {state: [] for state in columns(eng)}
    upcoming: dict[int, str] = {}   # each interview's next reminder in the next two weeks
    rows, _ = eng.store.due(epoch(now + timedelta(days=14)))   # one read, by due time
    for interview_id, timer, due_at in rows:
        if due_at >= epoch(now) and interview_id not in upcoming:
            upcoming[interview_id] = f"next: {label(timer).lower()} reminder, {local(from_epoch(due_at), zone)}"
    allowed: dict[tuple[str, str], list[Any]] = {}   # the same for every interview of a workflow and state
    for i in eng.interviews():
        key = (i.workflow, i.state)
        if key not in allowed:
            wf = workflows.get(i.workflow)
            allowed[key] = actions(wf, i) if wf else []
        due = [d["message"] for d in overdue_items(i, now, meaning_of(i, meanings))]
        cards.setdefault(i.state, []).append({
            "i": i, "when": local(i.start, zone), "due": due, "next": upcoming.get(i.id), "actions": allowed[key],
        })
    return render_template("board.html", cards=cards, zone=zone_name)


@page("/interviews/<int:interview_id>/fire/<event>", methods=["POST"])
def fire(interview_id: int, event: str) -> Any:
    """One click: an event that takes no answers (confirm, hold, cancel, thanked...)."""
    from .forms import reason_of

    change(lambda: engine().fire(interview_id, event, reason_of(request.form), source="web"), moved)
    return back()
