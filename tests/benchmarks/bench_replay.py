"""Replaying 100,000 events into projections vs the raw SQLite read of the same rows.

Data: 200 interviews driven through the engine, 10 events each (plan, confirm, reschedule,
confirm, hold, note, note, evaluate, thanked, followed_up), copied 50 times with SQL: 10,000
interviews, 100,000 events (see dataset.py; copies are checked against their own replay).

ours:     infoview.projection.replay_all(Store.events()): every event (ORDER BY interview_id, seq),
          each row parsed into an Event (the time, the JSON data), replayed into one projection
          per interview, all kept: what `Engine.rebuild()` does before it writes.
baseline: the bare `SELECT ... FROM events ORDER BY interview_id, seq` fetching every row.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import T0, check_copies, count, engine, plan_data, replicate  # noqa: E402
from figures import Figure, compare  # noqa: E402

SEEDS, COPIES = 200, 50


def build(home: Path):
    eng = engine(home, T0)
    start = T0 + timedelta(days=1)
    ids = [eng.plan(plan_data(i, start + timedelta(minutes=7 * i))).interview.id for i in range(SEEDS)]
    for i in ids:
        eng.fire(i, "confirm")
        eng.fire(i, "reschedule", {"start": (start + timedelta(minutes=7 * i + 60)).isoformat(), "reason": "moved"})
        eng.fire(i, "confirm")
    eng.clock.set(T0 + timedelta(days=4))
    for i in ids:
        eng.fire(i, "hold")
        eng.fire(i, "note", {"notes": {"learned": f"how team {i} works", "issues": ["hiring", "budget"]}})
        eng.fire(i, "note", {"notes": {"promises": "send my overview"}})
        eng.fire(i, "evaluate", {"evaluation": {"next_actions": ["write to the referral", "read the report"]}})
        eng.fire(i, "thanked")
        eng.fire(i, "followed_up")
    eng.store.close()
    replicate(home / "infoview.db", SEEDS, COPIES)
    return eng


def run() -> list[Figure]:
    from infoview.projection import replay_all

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        eng = build(home)
        db = home / "infoview.db"
        total = count(db, "events")
        assert total == SEEDS * COPIES * 10, total
        check_copies(eng, [1, SEEDS + 1, SEEDS * COPIES // 2, SEEDS * COPIES])
        store = eng.store
        raw = sqlite3.connect(db)

        def ours() -> None:
            out = replay_all(store.events())
            assert len(out) == SEEDS * COPIES

        def baseline() -> None:
            rows = raw.execute("SELECT interview_id, seq, event, from_state, to_state, at, data, source "
                               "FROM events ORDER BY interview_id, seq").fetchall()
            assert len(rows) == total

        ours(), baseline()
        fig = compare(f"replay: {total:,} events into projections vs raw SELECT", ours, baseline,
                      target=3.0, kind="within", repeats=5)
        fig.note = f"ours {total / fig.ours:,.0f} events/s"
        raw.close()
        store.close()
        return [fig]


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
