"""SqliteStore keeps the store contract (tests/store/contract.py), and its SQLite specifics:
the queries an idle tick and the outbox run use an index, not a walk through the table."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, Iterator

import pytest
from contract import StoreContract, enqueue, plan
from infoview.store import SqliteStore, Store


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        s = SqliteStore(tmp_path / "infoview.db")
        yield s
        s.close()

    @pytest.fixture
    def open_copy(self) -> Callable[[Path], Store]:
        return SqliteStore


def _plans(conn: sqlite3.Connection) -> dict[str, str]:
    """The query plans of the store's own statements for a tick and the outbox."""
    from infoview.store.sqlite import _ANYTHING_DUE, _DUE_JOBS, _NEXT_WAKE

    queries = {"due jobs": (_DUE_JOBS, (5, 500)), "idle tick": (_ANYTHING_DUE, (5,)), "next wake": (_NEXT_WAKE, ())}
    return {name: " | ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args))
            for name, (sql, args) in queries.items()}


def test_the_idle_tick_and_the_outbox_search_indexes_even_with_a_long_history(tmp_path: Path) -> None:
    """A tick's cost follows what is due, not the outbox's history: no query of a tick walks a
    whole table, neither on a fresh file nor once SQLite has statistics (ANALYZE) that show
    almost every job done (without a hint telling it which index to use)."""
    db = tmp_path / "infoview.db"
    store = SqliteStore(db)
    a = plan(store, timers={"t": 100})
    for _ in range(3):
        enqueue(store, a)
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO outbox (interview_id, event_seq, action, params, cause, state, next_attempt, "
                         "created) VALUES (1, 1, 'remind', '{}', 'event:plan', ?, ?, 'x')",
                         [("done" if i % 100 else "pending", i) for i in range(20_000)])
        conn.execute("COMMIT")
        for stage in ("fresh", "analyzed"):
            for name, plan_text in _plans(conn).items():
                assert "SCAN outbox" not in plan_text and "SCAN interviews" not in plan_text, (stage, name, plan_text)
                assert "SCAN todos" not in plan_text, (stage, name, plan_text)   # next wake: the reminders' index
            conn.execute("ANALYZE")
    finally:
        conn.close()
