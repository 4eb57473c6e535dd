"""The board: a column per workflow state, a card per interview, its actions one click away."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template, request

from .pages import back, change, engine, moved, page
from .views import actions, local


def columns(eng: Any) -> list[str]:
    """Every workflow's states in file order, each once."""
    seen: dict[str, None] = {}
    for wf in eng.registry.workflows.values():
        seen.update(dict.fromkeys(wf.states))
    return list(seen)


@page("/", "Board")
def board() -> str:
    from infoview.inputs import default_zone
    from infoview.meanings import meaning_of, meanings_of
    from infoview.plugins.questions.report import overdue_items

    eng = engine()
    now = eng.clock.now()
    zone_name = default_zone(eng.config)
    zone = ZoneInfo(zone_name)
    workflows = eng.registry.workflows
    meanings = meanings_of(workflows.values())
    cards: dict[str, list[dict[str, Any]]] = {state: [] for state in columns(eng)}
    for i in eng.interviews():
        wf = workflows.get(i.workflow)
        due = overdue_items(i, now, meaning_of(i, meanings))
        cards.setdefault(i.state, []).append({
            "i": i, "when": local(i.start, zone), "due": [d["message"] for d in due],
            "actions": actions(wf, i) if wf else [],
        })
    return render_template("board.html", cards=cards, zone=zone_name)


@page("/interviews/<int:interview_id>/fire/<event>", methods=["POST"])
def fire(interview_id: int, event: str) -> Any:
    """One click: an event that takes no answers (confirm, hold, cancel, thanked...)."""
    from .forms import reason_of

    change(lambda: engine().fire(interview_id, event, reason_of(request.form), source="web"), moved)
    return back()
