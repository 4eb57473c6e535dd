"""What `infoview run` needs to share the work with other workers on other hosts: the digests of
the workflow files (a worker whose files differ from those the database was written with
refuses to run, naming the file), and a heartbeat that tells the other workers this one is alive,
so that the outbox jobs it holds are not taken over while it runs them."""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import InfoviewError
from .store.holders import HEARTBEAT_SECONDS

if TYPE_CHECKING:
    from .registry import Registry
    from .store import Store


def digest_of(item: Any) -> str:
    """A registered workflow's digest: of its file's bytes, or of its text."""
    data = item.read_bytes() if isinstance(item, Path) else str(item).encode()
    return hashlib.sha256(data).hexdigest()


def workflow_digests(registry: "Registry") -> dict[str, str]:
    return {name: digest_of(item) for name, item in registry.workflow_items.items()}


def check_workflows(store: "Store", registry: "Registry", *, adopt: bool = False) -> None:
    """Refuse (one line naming the file) when a workflow file here differs from the one the
    database was last written with; record the digests of workflows it has none of yet (all of
    them with `adopt`)."""
    mine = workflow_digests(registry)
    recorded = store.workflow_digests()
    if not adopt:
        for name, value in sorted(mine.items()):
            if recorded.get(name, value) != value:
                source = registry.workflows[name].source
                raise InfoviewError(f"{source}: workflow '{name}' differs from the one {store.location} was written "
                                    "with; give every host the same file, or start this worker with "
                                    "--adopt-workflows to make this file the one in force")
    new = {name: value for name, value in mine.items() if adopt or name not in recorded}
    if new:
        with store.transaction() as tx:
            tx.set_workflow_digests(new)


class Heartbeat:
    """`with Heartbeat(open_store, name):` beats every HEARTBEAT_SECONDS from a thread of its
    own, on a store (connection) of its own, until the block ends. A failed beat is tried again
    at the next one: the worker's claims stay its own as long as one gets through in time."""

    def __init__(self, open_store: Callable[[], "Store"], name: str, every: float = HEARTBEAT_SECONDS):
        self._open, self.name, self.every = open_store, name, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="infoview-heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _beat(self) -> None:
        store = self._open()
        try:
            while True:
                try:
                    store.heartbeat(self.name)
                except InfoviewError:
                    pass  # the database is away: the next beat tries again
                if self._stop.wait(self.every):
                    return
        finally:
            store.close()
