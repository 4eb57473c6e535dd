"""One interview of an export, checked before anything of it is stored: its shape and every bound
(engine/fields.py), and that its history is one the workflow could have produced: numbered 1, 2,
3 ... without gaps, planned first into the workflow's initial state, each event a transition the
workflow has from the state the one before left, each timer record leaving the state as it was,
and times that never go backwards.

`check_interview` takes one entry and gives its events, or raises naming the interview and the
event; `check_person` does the same for an entry of the export's people. The import command
calls them per record, as the file is read.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .errors import InfoviewError
from .fields import Id, Instant, Short, first_problem, problem_in_data
from .limits import MAX_NAME
from .model import Event
from .people import PersonEvent
from .projection import EDIT_EVENT, PERSON_EVENT, TIMER_EVENT
from .workflow import Workflow

MAX_EVENTS = 100_000  # per interview: far more than a real one gathers, few enough to check at once

Label = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_NAME)]


class ImportedEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    seq: Id
    event: Label
    source_state: Label | None = Field(alias="from")
    to: Label
    at: Instant
    data: dict[Short, Any]
    source: Short


class ImportedInterview(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: Id
    events: Annotated[list[ImportedEvent], Field(min_length=1, max_length=MAX_EVENTS)]


class ImportRefused(InfoviewError):
    """An entry of an import that cannot be stored as it is; nothing of the import is."""


def check_interview(entry: Any, workflows: Mapping[str, Workflow], origin: str, index: int) -> list[Event]:
    """The events of one export entry (the `index`th), or ImportRefused naming it and its event."""
    shown = repr(entry.get("id")) if isinstance(entry, dict) else ""
    label = f"{origin}: interview {shown[:40]}" if isinstance(entry, dict) else f"{origin}: entry {index}"
    try:
        record = ImportedInterview.model_validate(entry)
    except ValidationError as e:
        raise ImportRefused(f"{label}: {_where(e, entry)}; nothing was imported") from None
    label = f"{origin}: interview {record.id}"
    events = [Event(record.id, e.seq, e.event, e.source_state, e.to, datetime.fromisoformat(e.at), e.data, e.source)
              for e in record.events]
    problem = _history_problem(events, workflows)
    if problem:
        raise ImportRefused(f"{label}: {problem}; nothing was imported")
    return events


def _where(e: ValidationError, entry: Any) -> str:
    """The first problem, naming the event by its seq when it is inside one."""
    loc = e.errors()[0]["loc"]
    text = first_problem(e)
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        seq = _seq_of(entry, loc[1])
        text = text.split(": ", 1)[1] if ": " in text else text
        field = ".".join(str(p) for p in loc[2:]) or "event"
        return f"event {seq}: {field}: {text}"
    return text


def _seq_of(entry: Any, i: int) -> str:
    try:
        seq = entry["events"][i]["seq"]
        return f"#{seq}" if isinstance(seq, int) else f"at position {i + 1}"
    except (KeyError, TypeError, IndexError):
        return f"at position {i + 1}"


def _history_problem(events: list[Event], workflows: Mapping[str, Workflow]) -> str | None:
    first = events[0]
    if first.event != "plan" or first.from_state is not None:
        return "event #1: its first event must be 'plan' (from no state)"
    problem = problem_in_data(first.data, plan=True)
    if problem:
        return f"event #1 (plan): {problem}"
    wf = workflows.get(first.data["workflow"])
    if wf is None:
        return f"follows workflow '{first.data['workflow']}', which this home does not have; add it first"
    if first.to_state != wf.initial:
        return f"event #1 (plan): enters '{first.to_state}', but workflow '{wf.name}' starts in '{wf.initial}'"
    state, last = first.to_state, first
    for n, e in enumerate(events, start=1):
        what = f"event #{e.seq} ({e.event})"
        if e.seq != n:
            return f"{what}: events must be numbered 1, 2, 3 ... without gaps (expected #{n})"
        if e.at < last.at:
            return f"{what}: its time {e.at.isoformat()} is before the event before it ({last.at.isoformat()})"
        last = e
        if n == 1:
            continue
        problem = problem_in_data(e.data)
        if problem:
            return f"{what}: {problem}"
        if e.from_state != state:
            return f"{what}: starts from '{e.from_state}', but the interview was '{state}'"
        if e.event in (TIMER_EVENT, PERSON_EVENT, EDIT_EVENT):  # beside the workflow: the state stays
            if e.to_state != state:
                return f"{what}: a {e.event} record cannot change the state"
            continue
        t = wf.table.get((state, e.event))
        if t is None or t.to != e.to_state:
            return f"{what}: workflow '{wf.name}' has no '{e.event}' from '{state}' to '{e.to_state}'"
        state = e.to_state
    return None


def check_person(entry: Any, origin: str) -> list[PersonEvent]:
    """The events of one person of an export, or ImportRefused naming them. What the events say
    is checked when they are replayed (Engine.import_logs)."""
    try:
        person_id = entry["id"]
        if not isinstance(person_id, int) or isinstance(person_id, bool) or person_id < 1:
            raise ValueError(f"id must be a positive whole number, not {person_id!r}")
        events = []
        for e in entry["events"]:
            if not isinstance(e["data"], dict) or not all(isinstance(e[k], str) for k in ("event", "source")):
                raise ValueError("an event needs text event/source and a data mapping")
            at = datetime.fromisoformat(e["at"])
            if at.tzinfo is None:
                raise ValueError(f"event time {e['at']!r} has no offset")
            events.append(PersonEvent(person_id, e["seq"], e["event"], at, e["data"], e["source"]))
        if [e.seq for e in events] != list(range(1, len(events) + 1)) or events[0].event != "create":
            raise ValueError("its events must be numbered 1, 2, 3 ... from a 'create'")
    except (KeyError, TypeError, ValueError, IndexError) as e:
        what = f"person {repr(entry.get('id'))[:40]}" if isinstance(entry, dict) else "a person"
        detail = f"missing {e}" if isinstance(e, KeyError) else str(e) or type(e).__name__
        raise ImportRefused(f"{origin}: {what}: {detail}; nothing was imported") from None
    return events
