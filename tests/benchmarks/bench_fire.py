"""Persisted Engine.fire vs a raw SQLite insert-and-commit loop on the same file.

ours:     Engine.fire(id, event, data) with the shipped workflow, a real SQLite file in a temp
          dir, dispatch on, a fixed clock after the interviews' start: reschedule/confirm pairs
          round-robin over 200 interviews (neither event has actions). Each fire is one
          transaction: reuse the interview this engine wrote last (its write names the stored
          version it replaces) or load it, decide, plugin checks, write the projection with its
          re-armed timers, append the event, commit, then the committed signal.
baseline: on the same file, a second connection with engine/store.py's PRAGMAS (WAL,
          synchronous=NORMAL, busy timeout) and one INSERT of an event row into a table shaped
          like `events` (same columns, same unique index) plus COMMIT per iteration.
The note adds how much of a fire is spent inside SQLite (timed around each statement in more
runs): the floor of the design's one transaction, which Python work can only add to.
"""
from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import T0, engine, plan_data  # noqa: E402
from figures import Figure, compare  # noqa: E402
from infoview.engine import Engine  # noqa: E402
from infoview.store import PRAGMAS  # noqa: E402

INTERVIEWS = 200
FIRES = 1000  # per timed run: 500 reschedule/confirm pairs


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        start = T0 + timedelta(days=2)
        eng = engine(home, T0)
        ids = [eng.plan(plan_data(i, start + timedelta(minutes=i))).interview.id for i in range(INTERVIEWS)]
        eng.clock.set(start + timedelta(days=1))  # after every start: `hold` would be allowed
        times = [(start + timedelta(hours=h)).isoformat() for h in (5, 6)]
        wf = eng.registry.workflow("informational-interview")
        assert not wf.table[("planned", "confirm")].actions and not wf.table[("confirmed", "reschedule")].actions
        for i in ids:
            eng.fire(i, "confirm")
        turn = [0]

        def ours() -> None:
            t = times[turn[0] % 2]
            turn[0] += 1
            for k in range(FIRES // 2):
                i = ids[k % INTERVIEWS]
                eng.fire(i, "reschedule", {"start": t})
                eng.fire(i, "confirm")

        conn = sqlite3.connect(eng.store.path, isolation_level=None)
        for pragma in PRAGMAS:
            conn.execute(pragma)
        conn.execute("""CREATE TABLE raw_events (id INTEGER PRIMARY KEY, interview_id INTEGER NOT NULL,
            seq INTEGER NOT NULL, event TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, at TEXT NOT NULL,
            data TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (interview_id, seq))""")
        seq = [0]
        data = json.dumps({"start": times[0]}, separators=(",", ":"))
        at = (start + timedelta(days=1)).isoformat()

        def baseline() -> None:
            for k in range(FIRES):
                seq[0] += 1
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO raw_events (interview_id, seq, event, from_state, to_state, at, data, source) "
                             "VALUES (?,?,?,?,?,?,?,?)", (k % INTERVIEWS, seq[0], "reschedule", "confirmed", "planned",
                                                          at, data, "cli"))
                conn.execute("COMMIT")

        ours(), baseline()
        fig = compare(f"fire: {FIRES} persisted Engine.fire vs raw INSERT+COMMIT", ours, baseline,
                      target=0.5, kind="at_least", repeats=5)
        sql = _time_in_sqlite(eng, ours)
        fig.note = (f"ours {FIRES / fig.ours:,.0f} fires/s, raw {FIRES / fig.baseline:,.0f} commits/s; "
                    f"of a fire's {fig.ours / FIRES * 1e6:.0f} us, {sql / FIRES * 1e6:.0f} us are in SQLite "
                    f"(that alone would be {fig.baseline / sql:.2f}x)")
        conn.close()
        eng.store.close()
        return [fig]


class _Timed:
    """The engine's connection, with the time spent inside SQLite summed (statements and commit)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.seconds = conn, 0.0

    def execute(self, *args: object) -> sqlite3.Cursor:
        t0 = time.perf_counter()
        try:
            return self.conn.execute(*args)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - t0


def _time_in_sqlite(eng: Engine, ours: Callable[[], None], repeats: int = 3) -> float:
    """Median over more runs of `ours` of the time spent in SQLite: the floor that the Python
    work of a fire can only add to."""
    spent = []
    for _ in range(repeats):
        timed = _Timed(eng.store.conn)
        eng.store._conn = timed  # type: ignore[assignment]
        try:
            ours()
        finally:
            eng.store._conn = timed.conn
        spent.append(timed.seconds)
    return statistics.median(spent)


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
