"""Events -> projection. Pure: the same function serves `Engine.fire` and `infoview db rebuild`,
which is what makes a replayed log give identical projections."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Iterable

from .model import Contact, Entries, Entry, Event, Interview, UTC

TIMER_EVENT = "timer"  # a timer that fired (or was missed): recorded in the log, changes no field
# The interview now belongs to another person (a merge, or the upgrade that made people): changes
# that link alone, not the time of the last change nor the calendar's SEQUENCE.
PERSON_EVENT = "person"
EDIT_EVENT = "edit"    # a correction (engine/edits.py): allowed by the engine, not a workflow's transition


def create(event: Event) -> Interview:
    d = event.data
    return Interview(
        id=event.interview_id, workflow=d["workflow"], state=event.to_state, version=event.seq,
        contact=Contact(**d["contact"]), start=datetime.fromisoformat(d["start"]).astimezone(UTC),
        timezone=d["timezone"], minutes=d["minutes"], mode=d["mode"], where=d.get("where"),
        goals=list(d.get("goals", [])), created=event.at, updated=event.at, entered=event.at,
        referred_by=d.get("referred_by"), happened={event.event: event.at}, person=d.get("person"),
    )


def apply(interview: Interview | None, event: Event) -> Interview:
    """The projection after `event`, as a new Interview: the one given is left as it was."""
    if interview is None:
        return create(event)
    # the containers _apply_in_place changes, copied
    new = replace(interview, notes={k: list(v) for k, v in interview.notes.items()},
                  evaluation={k: list(v) for k, v in interview.evaluation.items()},
                  happened=dict(interview.happened), contact=replace(interview.contact))
    _apply_in_place(new, event)
    return new


def _apply_in_place(interview: Interview, event: Event) -> None:
    """Change `interview` (which the caller owns, dicts included) as `event` says: the one place
    that knows what each event does to a projection."""
    interview.version = event.seq
    if event.event == TIMER_EVENT:
        return
    if event.event == PERSON_EVENT:
        interview.person = event.data["person"]
        return
    at = event.at
    interview.updated = at
    interview.happened[event.event] = at
    moved = False
    d: dict[str, Any] = event.data
    if d:
        if "start" in d:
            interview.start = datetime.fromisoformat(d["start"]).astimezone(UTC)
            moved = True
        for key in ("timezone", "minutes", "where", "mode"):
            if key in d:
                setattr(interview, key, d[key])
                moved = True
        # A later note or evaluation adds to what is there: answers are never replaced by one.
        if "notes" in d:
            _add(interview.notes, d["notes"], at)
        if "evaluation" in d:
            _add(interview.evaluation, d["evaluation"], at)
        if "contact" in d:
            for key in ("name", "company", "title", "email"):  # only these: a log may come from an import
                if key in d["contact"]:
                    setattr(interview.contact, key, d["contact"][key])
        if "goals" in d:
            interview.goals = list(d["goals"])
        if "entries" in d:
            _correct(interview, d["entries"])
        if "reason" in d:
            interview.reason = d["reason"]
    if event.to_state != interview.state:
        interview.state = event.to_state
        interview.entered = at
        interview.sequence += 1
    elif moved or event.event == EDIT_EVENT:  # a calendar shows what an edit changes
        interview.sequence += 1


def _add(entries: Entries, answers: dict[str, Any], at: datetime) -> None:
    for key, value in answers.items():
        items = value if isinstance(value, list) else [value]
        entries.setdefault(key, []).extend(Entry(text, at) for text in items)


def _correct(interview: Interview, changes: list[dict[str, Any]]) -> None:
    """Replace (`text`) or remove (`text` null) entries, named by section, key and index: an
    edit's changes, in the order engine/edits.py wrote them (removals last, highest index first)."""
    for change in changes:
        entries: Entries = getattr(interview, change["section"])
        items = entries[change["key"]]
        if change["text"] is None:
            del items[change["index"]]
            if not items:
                del entries[change["key"]]
        else:
            items[change["index"]] = items[change["index"]]._replace(text=change["text"])


def replay(events: Iterable[Event]) -> Interview:
    """The same result as folding `apply` over the events, without a copy per event: the
    interview being built is private until returned, so each event changes it in place
    (a copy per event was most of the cost of replaying a large log)."""
    rest = iter(events)
    first = next(rest, None)
    assert first is not None, "no events to replay"
    interview = create(first)
    for event in rest:
        _apply_in_place(interview, event)
    return interview


def replay_all(events: Iterable[Event]) -> dict[int, Interview]:
    """Every interview's projection from a log ordered by (interview_id, seq), as `replay` gives:
    each interview is created by its first event and changed in place by the ones after it,
    without collecting each interview's events into a list first."""
    out: dict[int, Interview] = {}
    current: Interview | None = None
    for event in events:
        if current is not None and event.interview_id == current.id:
            _apply_in_place(current, event)
        else:
            current = out[event.interview_id] = create(event)
    return out
