"""The interviews this process changed last, kept so that its next change to one of them need not
read and parse the stored projection again (most of a fire's time outside SQLite, in `run`, the
feed server's process, a plugin firing in a loop, an import).

Never trusted blindly: a hit counts only when the stored version, read inside the writer's
transaction, is still the one kept (`get`), or when the write itself names that version and
changes nothing otherwise (`latest`, for `Engine.fire`), so a change made by another process
meanwhile is always seen.
"""
from __future__ import annotations

from .model import Interview

Fired = dict[str, set[int]]  # timer id -> due times (epoch seconds) it has fired for


class Recent:
    def __init__(self, size: int = 256):
        self.size = size
        self._kept: dict[int, tuple[Interview, Fired]] = {}

    def get(self, interview_id: int, version: int | None) -> tuple[Interview, Fired] | None:
        kept = self._kept.get(interview_id)
        return kept if kept is not None and kept[0].version == version else None

    def latest(self, interview_id: int) -> tuple[Interview, Fired] | None:
        """The kept copy without asking the store: for a writer whose write checks the version."""
        return self._kept.get(interview_id)

    def keep(self, interview: Interview, fired: Fired) -> None:
        self._kept.pop(interview.id, None)
        self._kept[interview.id] = (interview, fired)
        if len(self._kept) > self.size:
            del self._kept[next(iter(self._kept))]  # the one kept longest ago
