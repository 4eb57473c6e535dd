"""Plain records the store hands back besides interviews and events: outbox jobs, a job as a
claim sees it, a plugin's mark, and the row `infoview list` prints."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from ..model import iso


@dataclass
class Job:
    """One outbox job as stored."""

    id: int
    interview_id: int
    event_seq: int
    action: str
    params: dict[str, Any]
    cause: str
    state: str
    attempts: int
    next_attempt: datetime
    last_error: str | None
    created: str
    done_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of `outbox --json` entries."""
        return {
            "id": self.id, "interview": self.interview_id, "event_seq": self.event_seq, "action": self.action,
            "cause": self.cause, "state": self.state, "attempts": self.attempts,
            "next_attempt": iso(self.next_attempt) if self.state in ("pending", "sending") else None,
            "last_error": self.last_error, "created": self.created, "done_at": self.done_at,
        }


@dataclass
class Claim:
    """A job as a claim finds it: who holds it (`host:pid`) and until when (epoch seconds of
    the store's clock), when it is being run; `free`: nobody alive holds it (it is not being
    sent, or its holder's lease is over, or the store knows the holder is gone)."""

    job: Job
    claimed_by: str | None
    claimed_until: float | None
    free: bool


class Mark(NamedTuple):
    """What a plugin recorded about one key of one outbox job (e.g. a notify channel)."""

    state: str
    by: str  # who wrote it (host:pid); empty when unknown


class ListingRow(NamedTuple):
    """What `infoview list` prints of one interview."""

    id: int
    state: str
    start: str
    timezone: str
    name: str
    company: str | None


@dataclass
class Todo:
    """One to-do: from an evaluation's next actions or `infoview todo add`."""

    id: int
    interview_id: int | None
    text: str
    due: datetime | None
    origin: str          # evaluation | cli
    created: str
    done_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of `todo --json` entries (documented in the README)."""
        return {"id": self.id, "interview": self.interview_id, "text": self.text, "due": iso(self.due),
                "origin": self.origin, "created": self.created, "done_at": self.done_at}
