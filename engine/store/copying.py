"""Moving everything a store holds into another, empty one (`infoview db copy`, and a
PostgreSQL store's `backup` into a SQLite file): read in one consistent snapshot, written in one
transaction of the target, so the target ends with all of it or with nothing. Rows move in
batches of EXPORT_BATCH (`Store.export_batches`), so memory holds one batch, not the home.

TABLES names what is copied, with the columns both backends share (the SQLite layout's); a new
table in a later layout joins this list.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from ..errors import InfoviewError

if TYPE_CHECKING:
    from .protocol import Store

TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "events": ("id", "interview_id", "seq", "event", "from_state", "to_state", "at", "data", "source"),
    "interviews": ("id", "workflow", "state", "version", "start", "doc", "timers", "next_due", "person"),
    "firings": ("interview_id", "timer_id", "due", "fired_at", "outcome"),
    "outbox": ("id", "interview_id", "event_seq", "action", "params", "cause", "state", "attempts", "next_attempt",
               "last_error", "claimed_by", "claimed_until", "created", "done_at"),
    "marks": ("namespace", "job_id", "key", "state", "by"),
    "people": ("id", "version", "email", "doc", "next_due"),
    "person_events": ("person_id", "seq", "event", "at", "data", "source"),
    "todos": ("id", "interview_id", "text", "due", "origin", "created", "done_at", "reminded"),
}
# meta rows that describe the database itself, not the data: never copied.
OWN_META = ("layout",)
EXPORT_BATCH = 2000  # rows per batch a copy reads and writes


def collect_batches(tables: dict[str, tuple[str, ...]],
                    batches: Iterable[tuple[str, list[tuple[Any, ...]]]]) -> dict[str, list[tuple[Any, ...]]]:
    """`Store.export_rows` from `Store.export_batches`: every table's rows in one list."""
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables}
    for table, rows in batches:
        out[table].extend(rows)
    return out


def copy_store(source: "Store", target: "Store") -> dict[str, int]:
    """Copy every row of TABLES from `source` into `target`, which must hold no interview, event,
    outbox job, person or to-do; returns how many rows of each table were copied."""
    counts = dict.fromkeys(TABLES, 0)
    with target.transaction() as tx:
        if not tx.is_empty():
            raise InfoviewError(f"{target.location} already holds interviews, events, outbox jobs, people or to-dos; "
                                "copy into an empty database. Nothing was copied")
        for table, rows in source.export_batches(TABLES):
            if table == "meta":
                rows = [r for r in rows if r[0] not in OWN_META]
            tx.import_rows(table, TABLES[table], rows)
            counts[table] += len(rows)
    return counts
