"""infoview on PostgreSQL: timer and outbox throughput with 1, 2 and 4 workers, against the floor.

Server: a throwaway PostgreSQL (tests/pg_support.py, as the tests start it: unix socket, fsync
off). Each measured run gets its own copy of a template database, made before the clock starts.

1. timers: TIMERS interviews, each with one timer due; k `infoview tick` processes side by side
   until all are fired (each timer fired once: checked). The floor is pg_floor.py, a bare
   claim-fire-commit loop in SQL (SKIP LOCKED claim, firing + event rows, disarm, commit) run by
   k processes on the same server over the same number of rows. Figures: infoview's time per
   timer within 2x of the floor's at the same k; and k workers against one (reported).
2. outbox: JOBS notification jobs already written (their timers fired without dispatch); k
   `infoview tick` processes deliver them to a json:// receiver on 127.0.0.1 (each message
   received once: checked). Figure: k workers against one (reported), jobs per second in the note.
Both include each worker process's start-up (about what one `infoview tick` from cron costs).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import Figure  # noqa: E402
from pg_bench_support import (DUE, best_of, cli, env, make_home, plan_into, side_by_side,  # noqa: E402
                              with_server, workflow)
from pg_support import TEMPLATE  # noqa: E402  (tests/ is on the path once pg_bench_support is imported)

TIMERS = int(os.environ.get("INFOVIEW_BENCH_PG_TIMERS", "1000"))
JOBS = int(os.environ.get("INFOVIEW_BENCH_PG_JOBS", "300"))
WORKERS = (1, 2, 4)
REPEATS = 3


def run() -> list[Figure]:
    return with_server("infoview-bench-pg-", lambda server, root: timers(server, root) + outbox(server, root))


def _copy(server: Any, template: str) -> str:
    return str(server.fresh(template))


def timers(server: Any, root: Path) -> list[Figure]:
    import pg_floor

    home = make_home(root / "timers", workflow("bench-timers"))
    src = server.url("bench_timers")
    server.admin(f'CREATE DATABASE "bench_timers" TEMPLATE "{TEMPLATE}"')
    plan_into(src, home, "bench-timers", TIMERS)
    server.admin('CREATE DATABASE "bench_floor" TEMPLATE template0')
    pg_floor.prepare(server.url("bench_floor"), TIMERS)

    def infoview(k: int) -> tuple[float, float]:
        def measure(url: str) -> float:
            took = side_by_side([cli(home, url, DUE, "tick") for _ in range(k)], env(url), home)
            _check_fired(url)
            server.drop(url)
            return took
        return best_of(REPEATS, lambda: _copy(server, "bench_timers"), measure)

    def floor(k: int) -> tuple[float, float]:
        def measure(url: str) -> float:
            took = side_by_side([[sys.executable, str(HERE / "pg_floor.py"), url] for _ in range(k)], os.environ.copy(),
                                home)
            assert pg_floor.fired(url) == (TIMERS, 0), pg_floor.fired(url)
            server.drop(url)
            return took
        return best_of(REPEATS, lambda: _copy(server, "bench_floor"), measure)

    ours = {k: infoview(k) for k in WORKERS}
    base = {k: floor(k) for k in WORKERS}
    out = []
    for k in WORKERS:
        (o, os_), (b, bs) = ours[k], base[k]
        out.append(Figure(f"pg timers, {k} worker{'s' * (k > 1)}: infoview vs bare SQL loop", o / TIMERS, b / TIMERS,
                          2.0, "within", max(os_, bs), f"{TIMERS / o:.0f} vs {TIMERS / b:.0f} timers/s"))
    for k in WORKERS[1:]:
        out.append(Figure(f"pg timers: {k} infoview workers vs 1", ours[k][0], ours[1][0], None, "at_least",
                          max(ours[k][1], ours[1][1]), f"floor {k} vs 1: {base[1][0] / base[k][0]:.2f}x"))
    return out


def outbox(server: Any, root: Path) -> list[Figure]:
    from receivers import HttpReceiver

    receiver = HttpReceiver().start()
    try:
        flow = workflow("bench-outbox", '[{notify: {tag: bench, title: "bench {id}"}}]')
        home = make_home(root / "outbox", flow, receiver.url("bench"))
        server.admin(f'CREATE DATABASE "bench_outbox" TEMPLATE "{TEMPLATE}"')
        plan_into(server.url("bench_outbox"), home, "bench-outbox", JOBS, fire_at=DUE)

        def measure(k: int) -> tuple[float, float]:
            def one(url: str) -> float:
                before = len(receiver.items)
                took = side_by_side([cli(home, url, DUE, "tick") for _ in range(k)], env(url), home)
                titles = [p.json["title"] for p in receiver.items[before:]]
                assert len(titles) == len(set(titles)) == JOBS, (len(titles), len(set(titles)))
                server.drop(url)
                return took
            return best_of(REPEATS, lambda: _copy(server, "bench_outbox"), one)

        times = {k: measure(k) for k in WORKERS}
    finally:
        receiver.stop()
    return [Figure(f"pg outbox: {k} workers vs 1", times[k][0], times[1][0], None, "at_least",
                   max(times[k][1], times[1][1]),
                   f"{JOBS / times[k][0]:.0f} vs {JOBS / times[1][0]:.0f} jobs delivered/s")
            for k in WORKERS]


def _check_fired(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT interview_id), "
                           "(SELECT COUNT(*) FROM interviews WHERE next_due IS NOT NULL) FROM firings").fetchone()
    assert row == (TIMERS, TIMERS, 0), f"fired {row}, expected each of {TIMERS} timers once"


__all__ = ["run"]
