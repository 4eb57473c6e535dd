"""Marks an action keeps per outbox job, in the home's store: small records (key -> state, and
who wrote it) that say how far a run got, so a run after a crash can tell what the cut-off run
did. Each `set` or `delete` commits on its own before returning, so a mark written just before a
side effect survives the process being killed during it. The notify plugin keeps one mark per
channel ("started" before sending, "delivered" once the channel took the message)."""
from __future__ import annotations

import os
import socket
from typing import Iterable

from .store import Mark, Store


def _me() -> str:
    """This process, as marks name their writer: asked each time, since a process may fork."""
    return f"{socket.gethostname()}:{os.getpid()}"


class JobMarks:
    """The marks of one outbox job in one namespace (the action's name)."""

    def __init__(self, store: Store, namespace: str, job_id: int):
        self._store, self.namespace, self.job_id = store, namespace, job_id

    def get(self) -> dict[str, Mark]:
        """Every mark of this job, by key."""
        return self._store.marks(self.namespace, self.job_id)

    def set(self, keys: Iterable[str], state: str) -> None:
        """Commit `state` for these keys, written by this process (host:pid)."""
        marks = {key: Mark(state, _me()) for key in keys}
        if marks:
            with self._store.transaction() as tx:
                tx.set_marks(self.namespace, self.job_id, marks)

    def update(self, states: dict[str, str], forget: Iterable[str] = ()) -> None:
        """Commit new states for some keys (keeping who wrote each) and forget others, at once."""
        forget = list(forget)
        if not states and not forget:
            return
        with self._store.transaction() as tx:
            have = tx.marks(self.namespace, self.job_id)
            tx.set_marks(self.namespace, self.job_id,
                         {key: Mark(state, have[key].by if key in have else _me()) for key, state in states.items()})
            tx.delete_marks(self.namespace, self.job_id, forget)
