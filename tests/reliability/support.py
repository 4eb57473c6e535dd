"""Helpers shared by the reliability tests: an in-process Engine on a real SQLite file, table
snapshots, and worker processes that hammer one home."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cli_support import clean_env

UTC = timezone.utc
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

_HOST = None


def host() -> Any:
    """One loaded plugin host per test process (loading entry points is the slow part)."""
    global _HOST
    if _HOST is None:
        from infoview.host import PluginHost

        _HOST = PluginHost().load()
    return _HOST


def engine(home: Path, now: datetime = T0, database: str | None = None) -> Any:
    """An Engine on `home` (its SQLite file, or the PostgreSQL `database`)."""
    from infoview.clock import Clock
    from infoview.engine import Engine
    from infoview.store import open_store

    return Engine(home, Clock(fixed=now), host(), store=open_store(home, database))


def plan_data(name: str, start: datetime, tz: str = "Europe/Berlin", **extra: Any) -> dict[str, Any]:
    from infoview.inputs import PlanInput

    return PlanInput(name=name, start=start, timezone=tz, **extra).event_data()


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a change writes, read through a separate connection."""
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("events", "interviews", "firings", "outbox")}  # interviews hold their timers
    finally:
        conn.close()


def projections(db: Path) -> dict[int, dict[str, Any]]:
    conn = sqlite3.connect(db)
    try:
        return {i: json.loads(doc) for i, doc in conn.execute("SELECT id, doc FROM interviews")}
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def check_log_matches_projections(db: Path, database: str | None = None) -> tuple[int, int]:
    """No half-applied event: each interview's projection is the replay of its events, its
    version is its last seq, and seqs run 1..n without a gap. Returns (interviews, events).
    Reads the SQLite file `db`, or the PostgreSQL `database` when given."""
    from infoview.store import SqliteStore, open_store

    store = open_store(db.parent, database) if database else SqliteStore(db)
    try:
        from infoview.projection import replay

        events = list(store.events())
        by_id: dict[int, list[Any]] = {}
        for e in events:
            by_id.setdefault(e.interview_id, []).append(e)
        rows = {i.id: i for i in store.interviews()}
        assert set(rows) == set(by_id), (sorted(rows), sorted(by_id))
        for interview_id, evs in by_id.items():
            assert [e.seq for e in evs] == list(range(1, len(evs) + 1)), (interview_id, [e.seq for e in evs])
            stored = rows[interview_id]
            assert stored.version == evs[-1].seq
            assert replay(evs).to_dict() == stored.to_dict()
        return len(by_id), len(events)
    finally:
        store.close()



def start_worker(home: Path, seed: int, ops: int, interviews: int, nows: list[str],
                 database: str | None = None) -> subprocess.Popen[str]:
    """concurrency_worker.py as a process of its own: `ops` random commands on `home` (and the
    PostgreSQL `database`, when given), run in-process one after the other (a CLI start-up for
    each would make the hammering slow)."""
    worker = Path(__file__).with_name("concurrency_worker.py")
    env = clean_env(**({"INFOVIEW_DATABASE": database} if database else {}))
    return subprocess.Popen([sys.executable, str(worker), str(home), str(seed), str(ops), str(interviews), *nows],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
