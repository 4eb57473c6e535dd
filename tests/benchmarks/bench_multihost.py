"""infoview across hosts: network namespaces as hosts (tests/multihost/netns.py), PostgreSQL on
the hub, workers reaching it over TCP on the test network (as root only; skipped otherwise).

1. timers across two hosts: TIMERS due timers fired by k `infoview tick` processes spread over two
   worker hosts (k = 1, 2, 4), against the bare claim-fire-commit SQL loop (pg_floor.py) run the
   same way; and k workers against one.
2. wake-up latency: a worker sleeps in `infoview run --interval 60` on one host; another host
   plans interviews whose timer is due at once. Each change reaches the sleeping worker through
   LISTEN/NOTIFY; the latency is from the plan's commit to the firing (both on this machine's
   clock, as the store recorded them). Median and p99 over SAMPLES changes, against the 60 s
   poll that would find them without a wake-up.
Set-up and every query run inside the hub or the worker hosts, never from the root namespace.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "multihost")]

from figures import Figure  # noqa: E402
from pg_bench_support import DUE, T0, make_home, unavailable, workflow  # noqa: E402

TIMERS = int(os.environ.get("INFOVIEW_BENCH_PG_TIMERS", "1000"))
SAMPLES = int(os.environ.get("INFOVIEW_BENCH_WAKE_SAMPLES", "20"))
WORKERS = (1, 2, 4)
REPEATS = 3
INTERVAL = 60


def run() -> list[Figure]:
    import netns

    reason = unavailable() or netns.available()
    if reason:
        print(f"skipped: {reason}", flush=True)
        return []
    from hub import start_postgres

    with tempfile.TemporaryDirectory(prefix="infoview-bench-hosts-") as tmp, netns.Hosts(workers=2) as hosts:
        root = Path(tmp)
        pg = start_postgres(hosts)
        try:
            return timers(hosts, pg, root) + [wake_up(hosts, pg, root)]
        finally:
            pg.stop()


def _env(url: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}, "INFOVIEW_DATABASE": url}


def _infoview(home: Path, now: datetime | None, *args: str) -> list[str]:
    return [sys.executable, "-m", "infoview.cli", "--home", str(home), *(["--now", now.isoformat()] if now else []),
            *args]


def _side_by_side(hosts: Any, commands: list[tuple[str, list[str]]], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    procs = [hosts.popen(host, *cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for host, cmd in commands]
    errors = [err for p in procs if (err := p.communicate(timeout=600)[1]) and p.returncode != 0]
    took = time.perf_counter() - t0
    assert not errors, errors
    return took


def timers(hosts: Any, pg: Any, root: Path) -> list[Figure]:
    home = make_home(root / "timers", workflow("bench-timers"))
    hub = hosts.hub
    url = pg.create_database("timers_src")
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from pg_bench_support import plan_into; "
              "from pathlib import Path; plan_into(sys.argv[2], Path(sys.argv[3]), 'bench-timers', int(sys.argv[4]))")
    hosts.run(hub, sys.executable, "-c", script, HERE, url, home, str(TIMERS), timeout=600)
    floor_url = pg.create_database("floor_src")
    hosts.run(hub, sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); import pg_floor; "
              f"pg_floor.prepare({floor_url!r}, {TIMERS})", timeout=600)
    spread = [hosts.workers[i % 2] for i in range(max(WORKERS))]
    copies = iter(range(10**6))

    def measure(template: str, k: int, command: Any) -> float:
        name = f"run{next(copies)}"
        pg.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        took = _side_by_side(hosts, [(spread[i], command(pg.url(name))) for i in range(k)], _env(pg.url(name)), home)
        [[fired, left]] = pg.psql(("SELECT COUNT(*), (SELECT COUNT(*) FROM interviews WHERE next_due IS NOT NULL) "
                                   "FROM firings") if template == "timers_src" else
                                  "SELECT COUNT(*), (SELECT COUNT(*) FROM floor_interviews WHERE next_due IS NOT NULL) "
                                  "FROM floor_firings", name)
        assert (int(fired), int(left)) == (TIMERS, 0), (template, k, fired, left)
        pg.psql(f'DROP DATABASE "{name}"')
        return took

    ours: dict[int, list[float]] = {k: [] for k in WORKERS}
    base: dict[int, list[float]] = {k: [] for k in WORKERS}
    for _ in range(REPEATS):
        for k in WORKERS:
            base[k].append(measure("floor_src", k, lambda u: [sys.executable, str(HERE / "pg_floor.py"), u]))
            ours[k].append(measure("timers_src", k, lambda u: _infoview(home, DUE, "tick")))
    med = {k: statistics.median(v) for k, v in ours.items()}
    bmed = {k: statistics.median(v) for k, v in base.items()}
    sp = {k: max(max(ours[k]) / min(ours[k]), max(base[k]) / min(base[k])) for k in WORKERS}
    out = [Figure(f"2 hosts, {k} worker{'s' * (k > 1)}: infoview timers vs bare SQL loop", med[k] / TIMERS,
                  bmed[k] / TIMERS, 2.0, "within", sp[k], f"{TIMERS / med[k]:.0f} vs {TIMERS / bmed[k]:.0f} timers/s")
           for k in WORKERS]
    out += [Figure(f"2 hosts: {k} infoview workers vs 1", med[k], med[1], None, "at_least", sp[k],
                   f"floor {k} vs 1: {bmed[1] / bmed[k]:.2f}x") for k in WORKERS[1:]]
    return out


def wake_up(hosts: Any, pg: Any, root: Path) -> Figure:
    url = pg.create_database("wake")
    sleeper_host, changer_host = hosts.workers
    sleeper_home = make_home(root / "sleeper", workflow("bench-wake"))
    changer_home = make_home(root / "changer", workflow("bench-wake"))
    env = _env(url)
    # the schema and the workflow digests first, so the worker starts on a ready database
    hosts.run(changer_host, *_infoview(changer_home, T0, "list"), env=env, cwd=changer_home)
    worker = hosts.popen(sleeper_host, *_infoview(sleeper_home, None, "run", "--interval", str(INTERVAL)),
                         env=env, cwd=sleeper_home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert worker.stderr is not None
        line = worker.stderr.readline()  # "infoview run: watching ..." once it is up
        assert "watching" in line, line
        time.sleep(1.0)  # let its first tick end, so that it is asleep when the changes come
        for i in range(SAMPLES):
            start = datetime.now(timezone.utc) + timedelta(hours=1) - timedelta(seconds=2)
            hosts.run(changer_host, *_infoview(changer_home, None, "plan", f"Wake {i}", "--at",
                                               start.strftime("%Y-%m-%dT%H:%M:%S"), "--tz", "UTC", "--workflow",
                                               "bench-wake"), env=env, cwd=changer_home)
            time.sleep(0.3)  # spaced out: each change finds the worker asleep again
        deadline = time.monotonic() + 60
        while int(pg.psql("SELECT COUNT(*) FROM firings", "wake")[0][0]) < SAMPLES and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    rows = pg.psql("SELECT e.at, f.fired_at FROM firings f JOIN events e ON e.interview_id = f.interview_id "
                   "AND e.seq = 1", "wake")
    assert len(rows) == SAMPLES, f"{len(rows)} of {SAMPLES} changes reached the sleeping worker within 60 s"
    lat = sorted((datetime.fromisoformat(f) - datetime.fromisoformat(a)).total_seconds() for a, f in rows)
    median, p99 = statistics.median(lat), lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
    return Figure("wake-up across hosts: median latency vs the 60 s poll", median, float(INTERVAL), None, "at_least",
                  p99 / max(lat[0], 1e-6), f"median {median * 1e3:.0f} ms, p99 {p99 * 1e3:.0f} ms, "
                  f"max {lat[-1] * 1e3:.0f} ms over {SAMPLES} changes")


__all__ = ["run"]
