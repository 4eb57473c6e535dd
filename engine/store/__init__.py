"""Storage behind an interface: the `Store` protocol and its unit of work (protocol.py), the
records it hands back (records.py), and `SqliteStore`, the embedded implementation (sqlite.py,
its layout and upgrades in schema.py). Nothing outside this package speaks SQL or imports a
database driver."""
from __future__ import annotations

from pathlib import Path

from .protocol import Fired, Store, Timers, Transaction
from .records import Claim, Job, ListingRow, Mark, Todo
from .sqlite import SqliteStore
from .times import epoch, from_epoch

DATABASE_FILE = "infoview.db"


def open_store(home: Path) -> Store:
    """The store of a home (opened on first use)."""
    return SqliteStore(home / DATABASE_FILE)


__all__ = [
    "DATABASE_FILE",
    "Claim",
    "Fired",
    "Job",
    "ListingRow",
    "Mark",
    "SqliteStore",
    "Store",
    "Timers",
    "Todo",
    "Transaction",
    "epoch",
    "from_epoch",
    "open_store",
]
