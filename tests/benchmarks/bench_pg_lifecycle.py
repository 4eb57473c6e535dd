"""The lifecycle figures of bench_fire.py and bench_tick.py on PostgreSQL, each beside the same
work on SQLite measured in the same run (figures for information: how much a shared database
costs one process, not a target).

1. fire: Engine.fire reschedule/confirm pairs round-robin over 200 interviews of the shipped
   workflow (each one unit of work: read, decide, write projection, timers and event, commit).
2. over 100,000 interviews with 800,000 armed timers (bench_tick's data: 1,000 interviews
   planned and confirmed through the engine, copied 100 times with SQL; on PostgreSQL the 1,000
   are moved by `copy_store`, as `infoview db copy` does, and copied there with SQL):
   an idle tick (nothing due), and a tick firing 1,000 due timers.
"""
from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import BUSY_WORKFLOW, T0, engine, plan_data, replicate, write_busy_workflow  # noqa: E402
from figures import Figure, compare  # noqa: E402
from pg_bench_support import with_server  # noqa: E402

INTERVIEWS, FIRES = 200, 200
SEEDS, COPIES = 1000, int(os.environ.get("INFOVIEW_BENCH_PG_COPIES", "100"))
SPACING = timedelta(seconds=61)
IDLE_LOOPS = 50


def run() -> list[Figure]:
    return with_server("infoview-bench-pglife-", lambda server, tmp: [fire(server, tmp)] + ticks(server, tmp))


def _pg_engine(server: Any, home: Path, now: Any) -> Any:
    from infoview.clock import Clock
    from infoview.engine import Engine
    from infoview.store.postgres import PostgresStore

    return Engine(home, Clock(fixed=now), store=PostgresStore(server.fresh()))


def fire(server: Any, root: Path) -> Figure:
    start = T0 + timedelta(days=2)
    engines = [engine(root / "fire-sqlite", T0), _pg_engine(server, root / "fire-pg", T0)]
    loops = []
    for eng in engines:
        ids = [eng.plan(plan_data(i, start + timedelta(minutes=i))).interview.id for i in range(INTERVIEWS)]
        eng.clock.set(start + timedelta(days=1))
        for i in ids:
            eng.fire(i, "confirm")
        loops.append(_fires(eng, ids, [(start + timedelta(hours=h)).isoformat() for h in (5, 6)]))
    fig = compare(f"pg: Engine.fire vs the same on SQLite (x{FIRES})", loops[1], loops[0], target=None, kind="within",
                  repeats=5)
    fig.note = f"{FIRES / fig.ours:.0f} vs {FIRES / fig.baseline:.0f} fires/s"
    for eng in engines:
        eng.store.close()
    return fig


def _fires(eng: Any, ids: list[int], times: list[str]) -> Any:
    turn = [0]

    def loop() -> None:
        t = times[turn[0] % 2]
        turn[0] += 1
        for k in range(FIRES // 2):
            i = ids[k % len(ids)]
            eng.fire(i, "reschedule", {"start": t})
            eng.fire(i, "confirm")
    return loop


def ticks(server: Any, root: Path) -> list[Figure]:
    from infoview.store import SqliteStore, from_epoch
    from infoview.store.copying import copy_store

    home = root / "busy"
    write_busy_workflow(home)
    eng = engine(home, T0)
    start = T0 + timedelta(days=3)
    for i in range(SEEDS):
        eng.fire(eng.plan(plan_data(i, start + i * SPACING), workflow=BUSY_WORKFLOW).interview.id, "confirm")
    eng.store.close()
    pg = _pg_engine(server, home, T0)
    copy_store(SqliteStore(home / "infoview.db"), pg.store)
    pg.store.close()
    replicate(home / "infoview.db", SEEDS, COPIES)
    _replicate_pg(pg.store.url, SEEDS, COPIES)
    engines = {"sqlite": engine(home, T0), "pg": pg}
    total = SEEDS * COPIES
    for name, e in engines.items():
        assert sum(1 for _ in e.store.listing()) == total, name
    first = [int((start + i * SPACING - timedelta(days=1)).timestamp()) for i in range(SEEDS)]
    for e in engines.values():
        e.clock.set(from_epoch(first[0] - 60))
        assert e.tick() == []

    def idle(e: Any) -> Any:
        return lambda: [e.tick() for _ in range(IDLE_LOOPS)]

    out = [compare(f"pg: idle tick over {total:,} interviews vs SQLite (x{IDLE_LOOPS})", idle(engines["pg"]),
                   idle(engines["sqlite"]), target=None, kind="within", repeats=7)]
    # firing 1,000: seeds k..k+9's confirm timers, 100 copies each, the same on both
    turn = [0, 0]

    def firing(name: str, slot: int) -> Any:
        def tick() -> None:
            seed = 10 * turn[slot] + 9
            turn[slot] += 1
            engines[name].clock.set(from_epoch(first[seed]))
            fired = engines[name].tick()
            assert len(fired) == 10 * COPIES, (name, len(fired))
        return tick

    fig = compare(f"pg: tick firing {10 * COPIES:,} due over {total:,} vs SQLite", firing("pg", 0),
                  firing("sqlite", 1), target=None, kind="within", repeats=5)
    fig.note = f"{10 * COPIES / fig.ours:.0f} vs {10 * COPIES / fig.baseline:.0f} timers/s in one process"
    out.append(fig)
    for e in engines.values():
        e.store.close()
    return out


def _replicate_pg(url: str, seeds: int, copies: int) -> None:
    """dataset.replicate on PostgreSQL: interviews 1..seeds copied `copies - 1` more times."""
    import psycopg

    off = f"k * {seeds}"
    with psycopg.connect(url) as conn:
        conn.execute(f"""INSERT INTO events (interview_id, seq, event, from_state, to_state, at, data, source)
            SELECT e.interview_id + {off}, e.seq, e.event, e.from_state, e.to_state, e.at, e.data, e.source
            FROM generate_series(1, {copies - 1}) k, events e WHERE e.interview_id <= {seeds}
            ORDER BY k, e.interview_id, e.seq""")
        conn.execute(f"""INSERT INTO interviews (id, workflow, state, version, start, doc, timers, next_due)
            SELECT i.id + {off}, i.workflow, i.state, i.version, i.start,
                   jsonb_set(i.doc::jsonb, '{{id}}', to_jsonb(i.id + {off}))::text, i.timers, i.next_due
            FROM generate_series(1, {copies - 1}) k, interviews i WHERE i.id <= {seeds} ORDER BY k, i.id""")
        conn.execute(f"""INSERT INTO firings (interview_id, timer_id, due, fired_at, outcome)
            SELECT f.interview_id + {off}, f.timer_id, f.due, f.fired_at, f.outcome
            FROM generate_series(1, {copies - 1}) k, firings f WHERE f.interview_id <= {seeds}""")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


__all__ = ["run"]
