"""Set-up shared by the PostgreSQL benchmarks: a throwaway server (tests/pg_support.py, as the
tests start it), databases loaded with interviews through the real CLI, and worker processes run
side by side.

Interviews are planned by the engine itself on a database that is then the template each
measured run copies (`CREATE DATABASE ... TEMPLATE`), so every run starts from the same rows and
the copying is not timed.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
for folder in (TESTS, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

START = datetime(2026, 12, 10, 15, 0, tzinfo=timezone.utc)
T0 = START - timedelta(days=1)
DUE = START - timedelta(minutes=59)  # a `--now` at which every `start - 1h` timer is due
PROCESS_WAIT = 600.0


def unavailable() -> str | None:
    """Why the PostgreSQL benchmarks cannot run here, or None."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "PostgreSQL is missing (python3 scripts/dev.py bench installs it as root; Debian: apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
        from infoview.store import postgres  # noqa: F401
    except ImportError as e:
        return f"the PostgreSQL store cannot be loaded: {e}"
    return None


def with_server(prefix: str, body: Callable[[Any, Path], list[Any]]) -> list[Any]:
    """`body(server, folder)` on a throwaway PostgreSQL server and temporary folder, both gone
    after; no figures (and why, printed) when PostgreSQL cannot run here."""
    reason = unavailable()
    if reason:
        print(f"skipped: {reason}", flush=True)
        return []
    from pg_support import start_server

    server = start_server()
    try:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            return body(server, Path(tmp))
    finally:
        server.stop()


def workflow(name: str, do: str = "") -> str:
    """One timer, `ping`, at start - 1h: `do` its actions (a YAML flow list); without any, it
    fires the event `confirm` (planned -> confirmed), which is all a timer can do with no action."""
    action = f"do: {do}" if do else "fire: confirm"
    return (f"name: {name}\ninitial: planned\nstates:\n  planned: {{}}\n  confirmed: {{}}\n"
            f"transitions:\n  - {{event: confirm, from: planned, to: confirmed}}\ntimers:\n"
            f"  - id: ping\n    at: start - 1h\n    when: [planned]\n    late: 30d\n    {action}\n")


def make_home(home: Path, flow: str, apprise_url: str | None = None) -> Path:
    (home / "workflows").mkdir(parents=True, exist_ok=True)
    name = flow.split("\n", 1)[0].removeprefix("name: ")
    (home / "workflows" / f"{name}.yaml").write_text(flow, encoding="utf-8")
    if apprise_url:
        (home / "apprise.yml").write_text(f'urls:\n  - "{apprise_url}":\n      tag: bench\n', encoding="utf-8")
    return home


def plan_into(url: str, home: Path, name: str, count: int, *, fire_at: datetime | None = None) -> None:
    """`count` interviews of workflow `name` planned at T0 by the engine on the database `url`;
    with `fire_at`, their due timers then fired at that time without running the jobs they write."""
    from infoview.clock import Clock
    from infoview.engine import Engine
    from infoview.inputs import PlanInput
    from infoview.store.postgres import PostgresStore

    store = PostgresStore(url)
    try:
        eng = Engine(home, Clock(fixed=T0), store=store)
        for i in range(count):
            eng.plan(PlanInput(name=f"Bench {i:05d}", start=START, timezone="UTC").event_data(), name, dispatch=False)
        if fire_at is not None:
            fired = Engine(home, Clock(fixed=fire_at), store=store).tick(dispatch=False)
            assert len(fired) == count, (len(fired), count)
    finally:
        store.close()


def env(url: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}
    return {**keep, "INFOVIEW_DATABASE": url}


def cli(home: Path, url: str, now: datetime, *args: str | Path, prefix: tuple[str, ...] = ()) -> list[str]:
    return [*prefix, sys.executable, "-m", "infoview.cli", "--home", str(home), "--now", now.isoformat(),
            *map(str, args)]


def side_by_side(commands: list[list[str]], environment: dict[str, str], cwd: Path) -> float:
    """Start every command at once; seconds until the last one has finished (each must exit 0)."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, env=environment, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    errors = []
    for p in procs:
        _, err = p.communicate(timeout=PROCESS_WAIT)
        if p.returncode != 0:
            errors.append(err.strip()[-500:])
    took = time.perf_counter() - t0
    if errors:
        raise RuntimeError("a worker failed: " + " | ".join(errors))
    return took


def best_of(repeats: int, prepare: Callable[[], Any], measure: Callable[[Any], float]) -> tuple[float, float]:
    """Median and spread of `repeats` measurements, each after its own (untimed) `prepare()`."""
    import statistics

    times = [measure(prepare()) for _ in range(repeats)]
    return statistics.median(times), max(times) / max(min(times), 1e-12)


__all__ = ["DUE", "START", "T0", "best_of", "cli", "env", "make_home", "plan_into", "side_by_side",
           "unavailable", "workflow"]
