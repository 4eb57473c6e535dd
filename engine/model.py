"""The records: an interview's projection and the events it is built from.

Plain dataclasses and a named tuple, not pydantic: these are built on every fire and every
replay, so they stay cheap. Input from users and plugins is validated by pydantic models at the
edges instead (engine/inputs.py, engine/definition.py).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterator, NamedTuple
from zoneinfo import ZoneInfo

UTC = timezone.utc

Answer = str | list[str]


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def iso(when: datetime | None) -> str | None:
    """ISO 8601 with offset, seconds precision: the one format for times in JSON and the store.

    Remembered: every fire writes its interview's whole projection, whose times (created, the
    `happened` entries, ...) are mostly the ones it wrote last time, and formatting them was a
    tenth of a fire. The key holds the zone and `fold` because datetimes in one zone compare by
    wall time: 01:30 before and after a clock goes back are equal but print different offsets."""
    if when is None:
        return None
    key = (when, when.tzinfo, when.fold)
    text = _ISO.get(key)
    if text is None:
        if len(_ISO) >= _ISO_SIZE:
            _ISO.clear()  # bounded; a fresh start costs one formatting per time
        text = _ISO[key] = when.isoformat(timespec="seconds")
    return text


_ISO: dict[tuple[datetime, Any, int], str] = {}
_ISO_SIZE = 4096


@dataclass(slots=True)
class Contact:
    name: str
    company: str | None = None
    title: str | None = None
    email: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "company": self.company, "title": self.title, "email": self.email}


@dataclass(slots=True)
class Interview:
    """The current state of one interview: a projection of its event log (see engine/projection.py)."""

    id: int
    workflow: str
    state: str
    version: int                      # seq of the last event applied
    contact: Contact
    start: datetime                   # aware, UTC
    timezone: str                     # IANA name the interview is shown in
    minutes: int
    mode: str                         # video | phone | in-person
    where: str | None
    goals: list[str]
    created: datetime
    updated: datetime                 # time of the last change (calendar LAST-MODIFIED)
    entered: datetime                 # when the current state was entered (timer anchor)
    sequence: int = 0                 # calendar SEQUENCE: +1 on every move or state change
    notes: dict[str, Answer] = field(default_factory=dict)
    evaluation: dict[str, Answer] = field(default_factory=dict)
    referred_by: int | None = None
    happened: dict[str, datetime] = field(default_factory=dict)   # event name -> last time it happened
    reason: str | None = None         # the last cancel/reschedule reason given

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.tz)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.tz)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of `show --json` (documented in the README)."""
        return {
            "id": self.id,
            "workflow": self.workflow,
            "state": self.state,
            "version": self.version,
            "contact": self.contact.to_dict(),
            "start": iso(self.local_start),
            "end": iso(self.local_end),
            "timezone": self.timezone,
            "minutes": self.minutes,
            "mode": self.mode,
            "where": self.where,
            "goals": list(self.goals),
            "notes": dict(self.notes),
            "evaluation": dict(self.evaluation),
            "referred_by": self.referred_by,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "entered": iso(self.entered),
            "sequence": self.sequence,
            "happened": {k: iso(v) for k, v in self.happened.items()},
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Interview":
        return cls(
            id=d["id"], workflow=d["workflow"], state=d["state"], version=d["version"],
            contact=Contact(**d["contact"]),
            start=datetime.fromisoformat(d["start"]).astimezone(UTC),
            timezone=d["timezone"], minutes=d["minutes"], mode=d["mode"], where=d["where"],
            goals=list(d["goals"]), notes=dict(d["notes"]), evaluation=dict(d["evaluation"]),
            referred_by=d.get("referred_by"),
            created=datetime.fromisoformat(d["created"]), updated=datetime.fromisoformat(d["updated"]),
            entered=datetime.fromisoformat(d["entered"]), sequence=d.get("sequence", 0),
            happened={k: datetime.fromisoformat(v) for k, v in d.get("happened", {}).items()},
            reason=d.get("reason"),
        )


class Event(NamedTuple):
    """One entry of an interview's event log. `seq` is unique per interview and starts at 1.

    A named tuple rather than a frozen dataclass: as immutable, but built 2.5x as fast (a frozen
    dataclass sets each field through object.__setattr__), and replay builds one per stored event."""

    interview_id: int
    seq: int
    event: str
    from_state: str | None
    to_state: str
    at: datetime
    data: dict[str, Any]
    source: str = "cli"

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of one `history --json` entry."""
        return {
            "seq": self.seq,
            "event": self.event,
            "from": self.from_state,
            "to": self.to_state,
            "at": iso(self.at),
            "data": self.data,
            "source": self.source,
        }


@contextmanager
def bulk() -> Iterator[None]:
    """Build many records with the cyclic garbage collector paused.

    Records form no reference cycles, so a collection while thousands are built finds nothing,
    yet each full one walks every live object: with GC running, reading and replaying 100,000
    events took 1.7x as long. Restores the collector's previous state (nesting is safe)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            _promote()
            gc.enable()


def _promote() -> None:
    """Move every tracked object into the oldest generation, where the records just built belong.

    Left young, the first allocation after gc.enable() would start a collection that walks all
    of them once (80 ms of a 500 ms replay of 100,000 events) to find nothing. freeze+unfreeze
    does the move in constant time and resets the young count; skipped when something else
    (a pre-forking host) froze objects, since unfreeze would release those too."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
