"""What pages show of an interview, computed once per request from the engine's reads."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from infoview import Interview


@dataclass(frozen=True)
class Action:
    event: str
    label: str
    form: str | None   # None: one click; "answers": the notes/evaluation form; "moves": a new time


def label(event: str) -> str:
    return event.replace("_", " ").capitalize()


def takes_answers(workflow: Any, event: str) -> bool:
    """An event that brings an interview into a state with questions somewhere (note, evaluate)
    takes answers from a form, even where it stays in its state (a second note); one that never
    moves an interview (thanked, followed up) is one click, whatever its state asks."""
    return any(t.event == event and t.to != t.source and any(t.answer_keys.values())
               for t in workflow.table.values())


def actions(workflow: Any, interview: Interview) -> list[Action]:
    """The events the workflow allows now, and how each is asked for."""
    out = []
    for event in workflow.allowed.get(interview.state, []):
        t = workflow.table[(interview.state, event)]
        form = "answers" if takes_answers(workflow, event) else "moves" if t.moves else None
        out.append(Action(event, label(event), form))
    return out


def local(when: datetime, zone: ZoneInfo) -> str:
    return f"{when.astimezone(zone):%a %d %b %Y, %H:%M}"


def contact_line(i: Interview) -> str:
    c = i.contact
    return c.name + (f", {c.title}" if c.title else "") + (f" at {c.company}" if c.company else "")
