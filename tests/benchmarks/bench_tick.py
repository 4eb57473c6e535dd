"""Engine.tick over 100,000 interviews with 800,000 armed timers.

Data: 1,000 interviews planned and confirmed through the engine under `busy-interview`, a user
workflow file that is the shipped workflow with all 8 timers armed while `confirmed` (see
dataset.write_busy_workflow), starts 61 s apart; copied 100 times with SQL: 100,000 interviews,
800,000 armed timers, each exactly as the engine armed it (checked on a sample).

1. nothing due: Engine.tick() vs the bare indexed query that finds the due rows
   (SELECT ... FROM interviews WHERE next_due <= ? ORDER BY next_due LIMIT 1000), both finding none.
2. firing: ticks that fire 100 and 1,000 due timers (the clock moves to the next seeds'
   first timer each time, so every tick finds fresh due rows; dispatch on: each fired timer's
   `remind` job runs). Figure: time per fired timer at 1,000 vs at 100 (linear in what is
   due, not in what exists); the note gives the 1,000-tick against the bare query of 1,000 rows.
3. peak memory of a tick firing 1,000 timers over the same store, in a fresh process; again
   after every interview's log has grown by 10 events (memory must not follow history).
"""
from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import (BUSY_WORKFLOW, T0, check_copies, count, engine, lengthen_history, peak_rss, plan_data,  # noqa: E402
                     replicate, write_busy_workflow)
from figures import Figure, compare  # noqa: E402

SEEDS, COPIES = 1000, 100
SPACING = timedelta(seconds=61)
REPEATS = 5
IDLE_LOOPS = 200

MEMORY_SCRIPT = r"""
import time
from datetime import datetime
from pathlib import Path
from infoview.clock import Clock
from infoview.engine import Engine
eng = Engine(Path(sys.argv[1]), Clock(fixed=datetime.fromisoformat(sys.argv[2])))
eng.registry
ready = _hwm()
t0 = time.perf_counter()
fired = eng.tick()
_out = {"fired": len(fired), "ready_mib": ready, "seconds": time.perf_counter() - t0}
"""


def build(home: Path):
    write_busy_workflow(home)
    eng = engine(home, T0)
    start = T0 + timedelta(days=3)
    ids = [eng.plan(plan_data(i, start + i * SPACING), workflow=BUSY_WORKFLOW).interview.id for i in range(SEEDS)]
    for i in ids:
        eng.fire(i, "confirm")
    eng.store.close()
    replicate(home / "infoview.db", SEEDS, COPIES)
    return eng, start


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        eng, start = build(home)
        db = home / "infoview.db"
        assert count(db, "interviews") == SEEDS * COPIES
        armed = count(db, "interviews, json_each(interviews.timers)")  # every armed timer
        assert armed == SEEDS * COPIES * 8, armed
        check_copies(eng, [1, SEEDS + 1, SEEDS * COPIES // 2, SEEDS * COPIES])
        built = time.perf_counter() - t0

        # the first timers: each seed's `confirm` timer, start - 1d, 61 s apart, 100 copies each
        first = [int((start + i * SPACING - timedelta(days=1)).timestamp()) for i in range(SEEDS)]
        raw = sqlite3.connect(db)
        bare_sql = "SELECT id, timers FROM interviews WHERE next_due <= ? ORDER BY next_due LIMIT ?"

        # 1. nothing due
        from infoview.store import from_epoch

        eng.clock.set(from_epoch(first[0] - 60))
        assert eng.tick() == []

        def bare_none() -> None:
            for _ in range(IDLE_LOOPS):
                assert raw.execute(bare_sql, (first[0] - 60, 1000)).fetchall() == []

        def tick_none() -> None:
            for _ in range(IDLE_LOOPS):
                eng.tick()

        idle = compare(f"tick: nothing due of 800,000 timers vs bare due query (x{IDLE_LOOPS})", tick_none, bare_none,
                       target=3.0, kind="within", repeats=11)

        # 2. firing 100 and 1,000: seed k's confirm timers are 100 rows due at first[k]
        next_seed = 0
        t100, t1000, bare1000 = [], [], []
        for _ in range(REPEATS):
            for seeds, sink in ((1, t100), (10, t1000)):
                last = next_seed + seeds - 1
                eng.clock.set(from_epoch(first[last]))
                n = raw.execute("SELECT COUNT(*) FROM interviews, json_each(interviews.timers) WHERE json_each.value <= ?",
                                (first[last],)).fetchone()[0]
                assert n == seeds * COPIES, n
                b0 = time.perf_counter()
                rows = raw.execute(bare_sql, (first[last], 1000)).fetchall()
                b1 = time.perf_counter()
                assert len(rows) == seeds * COPIES
                if seeds == 10:
                    bare1000.append(b1 - b0)
                t = time.perf_counter()
                fired = eng.tick()
                sink.append(time.perf_counter() - t)
                assert len(fired) == seeds * COPIES and all(f.outcome == "fired" for f in fired), fired[:3]
                next_seed = last + 1
        m100, m1000, mbare = (statistics.median(x) for x in (t100, t1000, bare1000))
        spread = max(max(x) / min(x) for x in (t100, t1000))
        per = Figure("tick: per fired timer, 1,000 due vs 100 due", m1000 / 1000, m100 / 100, 1.5, "within", spread,
                     note=f"tick firing 1,000: {m1000 * 1e3:.0f} ms = {m1000 / mbare:,.0f}x the bare query of "
                          f"those rows ({mbare * 1e3:.2f} ms); firing 100: {m100 * 1e3:.0f} ms")

        # 3. peak memory of a tick firing 1,000, in a fresh process; again after 10x the history
        eng.store.close()
        mems = []
        for extra in (0, 10):
            if extra:
                lengthen_history(db, extra)
            next_seed += 10
            mem = peak_rss(MEMORY_SCRIPT, str(home), from_epoch(first[next_seed - 1]).isoformat())
            assert mem["fired"] == 1000, mem
            mems.append(mem)
        events = count(db, "events")
        idle.note = (f"peak RSS of a fresh process ticking 1,000 due over 100,000 interviews: "
                     f"{mems[0]['peak_mib']:.0f} MiB ({mems[0]['ready_mib']:.0f} MiB with the engine loaded, "
                     f"tick {mems[0]['seconds'] * 1e3:.0f} ms); with the log grown to {events:,} events: "
                     f"{mems[1]['peak_mib']:.0f} MiB; data built in {built:.0f} s")
        raw.close()
        return [idle, per]


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
