"""Events -> projection. Pure: the same function serves `Engine.fire` and `infoview db rebuild`,
which is what makes a replayed log give identical projections."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from .model import Contact, Event, Interview, UTC

TIMER_EVENT = "timer"  # a timer that fired (or was missed): recorded in the log, changes no field


def create(event: Event) -> Interview:
    d = event.data
    return Interview(
        id=event.interview_id, workflow=d["workflow"], state=event.to_state, version=event.seq,
        contact=Contact(**d["contact"]), start=datetime.fromisoformat(d["start"]).astimezone(UTC),
        timezone=d["timezone"], minutes=d["minutes"], mode=d["mode"], where=d.get("where"),
        goals=list(d.get("goals", [])), created=event.at, updated=event.at, entered=event.at,
        referred_by=d.get("referred_by"), happened={event.event: event.at},
    )


def apply(interview: Interview | None, event: Event) -> Interview:
    if interview is None:
        return create(event)
    if event.event == TIMER_EVENT:
        return replace(interview, version=event.seq)
    d: dict[str, Any] = event.data
    changes: dict[str, Any] = {"version": event.seq, "updated": event.at, "state": event.to_state,
                               "happened": {**interview.happened, event.event: event.at}}
    moved = False
    if "start" in d:
        changes["start"] = datetime.fromisoformat(d["start"]).astimezone(UTC)
        moved = True
    for key in ("timezone", "minutes", "where", "mode"):
        if key in d:
            changes[key] = d[key]
            moved = True
    if "notes" in d:
        changes["notes"] = {**interview.notes, **d["notes"]}
    if "evaluation" in d:
        changes["evaluation"] = {**interview.evaluation, **d["evaluation"]}
    if "reason" in d:
        changes["reason"] = d["reason"]
    state_changed = event.to_state != interview.state
    if state_changed:
        changes["entered"] = event.at
    if state_changed or moved:
        changes["sequence"] = interview.sequence + 1
    return replace(interview, **changes)


def replay(events: list[Event]) -> Interview:
    interview: Interview | None = None
    for event in events:
        interview = apply(interview, event)
    assert interview is not None
    return interview
