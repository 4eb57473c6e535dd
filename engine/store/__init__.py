"""Storage behind an interface: the `Store` protocol and its unit of work (protocol.py), the
records it hands back (records.py), `SqliteStore`, the embedded default (sqlite.py, its layout
and upgrades in schema.py), and `PostgresStore`, the shared one (postgres.py, loaded only when a
home names a postgresql:// database). Nothing outside this package speaks SQL or imports a
database driver."""
from __future__ import annotations

from pathlib import Path

from .pg_connect import is_url, redact
from .protocol import Fired, Store, Timers, Transaction, Waiter
from .records import Claim, Job, ListingRow, Mark, Todo
from .sqlite import SqliteStore
from .times import epoch, from_epoch

DATABASE_FILE = "infoview.db"


def open_store(home: Path, database: str | None = None) -> Store:
    """The store of a home (opened on first use): the PostgreSQL database `database` names
    (a postgresql:// URL), else the SQLite file in the home."""
    if database:
        if not is_url(database):
            raise_bad_database(database)
        from .postgres import PostgresStore

        return PostgresStore(database)
    return SqliteStore(home / DATABASE_FILE)


def raise_bad_database(database: str) -> None:
    from ..errors import UsageError

    raise UsageError(f"database {redact(database)!r} is not a postgresql:// URL; "
                     "give postgresql://USER@HOST/NAME, or no database for the SQLite file in the home")


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
    "Waiter",
    "epoch",
    "from_epoch",
    "is_url",
    "open_store",
    "redact",
]
