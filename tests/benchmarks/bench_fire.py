"""Persisted Engine.fire, reported against two floors (figures for information, not targets).

ours:     Engine.fire(id, event, data) with the shipped workflow, a real SQLite file in a temp
          dir, dispatch on, a fixed clock after the interviews' start: reschedule/confirm pairs
          round-robin over 200 interviews (neither event has actions). Each fire is one unit of
          work: read the interview and its firings, decide, plugin checks, write the projection
          with its re-armed timers (naming the version it replaces), append the event, commit,
          then the committed signal.
1. vs a raw INSERT+COMMIT: on the same file, a second connection with the store's PRAGMAS and
   one INSERT of an event row into a table shaped like `events` plus COMMIT per iteration.
2. vs the SQL floor of its own transaction: the same store operations a fire makes, through the
   store's public API, with the projections and events computed beforehand: what storing a
   change costs before any decision is made. Fire's ratio to it is the price of deciding.
"""
from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import T0, engine, plan_data  # noqa: E402
from figures import Figure, compare  # noqa: E402
from infoview.model import Event, Interview  # noqa: E402
from infoview.projection import apply  # noqa: E402
from infoview.store.sqlite import PRAGMAS  # noqa: E402

INTERVIEWS = 200
FIRES = 1000  # per timed run: 500 reschedule/confirm pairs


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        start = T0 + timedelta(days=2)
        eng = engine(home, T0)
        ids = [eng.plan(plan_data(i, start + timedelta(minutes=i))).interview.id for i in range(INTERVIEWS)]
        now = start + timedelta(days=1)
        eng.clock.set(now)  # after every start: `hold` would be allowed
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

        conn = sqlite3.connect(str(eng.store.location), isolation_level=None)
        for pragma in PRAGMAS:
            conn.execute(pragma)
        conn.execute("""CREATE TABLE raw_events (id INTEGER PRIMARY KEY, interview_id INTEGER NOT NULL,
            seq INTEGER NOT NULL, event TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, at TEXT NOT NULL,
            data TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (interview_id, seq))""")
        seq = [0]
        data = json.dumps({"start": times[0]}, separators=(",", ":"))
        at = now.isoformat()

        def raw_insert() -> None:
            for k in range(FIRES):
                seq[0] += 1
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO raw_events (interview_id, seq, event, from_state, to_state, at, data, source) "
                             "VALUES (?,?,?,?,?,?,?,?)", (k % INTERVIEWS, seq[0], "reschedule", "confirmed", "planned",
                                                          at, data, "cli"))
                conn.execute("COMMIT")

        # The floor: a fire's store operations alone. Each run's changes (the same
        # reschedule/confirm pairs, every projection computed) are prepared untimed from the
        # stored state, so the timed loop is nothing but the store's units of work.
        store = eng.store
        floor_timers = {"confirm-reminder": int((start - timedelta(days=1)).timestamp())}

        def prepare() -> list[tuple[int, int, Interview, Event]]:
            current = {i: store.load(i) for i in ids}
            t = times[turn[0] % 2]
            out = []
            for k in range(FIRES // 2):
                i = ids[k % INTERVIEWS]
                for name, to, d in (("reschedule", "planned", {"start": t}), ("confirm", "confirmed", {})):
                    before = current[i]
                    ev = Event(i, before.version + 1, name, before.state, to, now, d, "cli")
                    current[i] = apply(before, ev)
                    out.append((i, before.version, current[i], ev))
            return out

        def floor(changes: list[tuple[int, int, Interview, Event]]) -> None:
            for i, version, after, ev in changes:
                with store.transaction() as tx:
                    tx.load(i)
                    tx.fired_dues(i)
                    tx.save(after, version, floor_timers)
                    tx.append(ev)

        ours(), raw_insert()
        vs_insert = compare(f"fire: {FIRES} persisted Engine.fire vs raw INSERT+COMMIT", ours, raw_insert,
                            target=None, kind="at_least", repeats=5)
        vs_insert.note = f"ours {FIRES / vs_insert.ours:,.0f} fires/s, raw {FIRES / vs_insert.baseline:,.0f} commits/s"

        fire_runs, floor_runs = [], []
        for _ in range(5):  # interleaved, so that machine noise hits both alike
            changes = prepare()
            t0 = time.perf_counter()
            floor(changes)
            floor_runs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            ours()
            fire_runs.append(time.perf_counter() - t0)
        m_fire, m_floor = statistics.median(fire_runs), statistics.median(floor_runs)
        spread = max(max(x) / min(x) for x in (fire_runs, floor_runs))
        vs_floor = Figure(f"fire: {FIRES} Engine.fire vs the SQL floor of its own transaction", m_fire, m_floor,
                          None, "within", spread,
                          note=f"of a fire's {m_fire / FIRES * 1e6:.0f} us, {m_floor / FIRES * 1e6:.0f} us are the "
                               "store's unit of work (load, firings, save, append, commit); the rest is deciding")
        conn.close()
        store.close()
        return [vs_insert, vs_floor]


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
