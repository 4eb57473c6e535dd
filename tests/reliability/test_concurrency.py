"""Many processes firing events and ticks on the same interviews at once: no lost update, no
duplicate timer firing, and a losing writer gets one clear line, never a traceback."""
from __future__ import annotations

import collections
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from infoview.store import open_store

from support import T0, check_log_matches_projections, engine, integrity, plan_data, start_worker

CLEAR = re.compile(r"^(interview \d+ is \w+: .+|.*changed meanwhile; try again|.*the database is busy.*"
                   r"|no notes given.*)$")


def hammer(home: Path, *, processes: int, ops: int, interviews: int, database: str | None = None) -> dict[str, int]:
    eng = engine(home, database=database)
    start = T0 + timedelta(days=10)
    for i in range(interviews):
        eng.plan(plan_data(f"Busy {i}", start), dispatch=False)
    eng.store.close()
    nows = [(start + d).isoformat() for d in (timedelta(days=-1), timedelta(hours=-1), timedelta(minutes=1),
                                              timedelta(hours=2), timedelta(days=1, hours=1))]
    procs = [start_worker(home, seed, ops, interviews, nows, database) for seed in range(processes)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
        results += [json.loads(line) for line in out.splitlines()]
    assert len(results) == processes * ops
    accepted: collections.Counter[tuple[int, str]] = collections.Counter()
    refused = busy = 0
    for r in results:
        assert "Traceback" not in r["stderr"] and "internal error" not in r["stderr"], r
        if r["code"] == 0:
            if r["args"][0] != "tick":
                accepted[(int(r["args"][1]), r["args"][0])] += 1
            continue
        line = r["stderr"].strip()
        assert "\n" not in line and CLEAR.match(line), r
        busy += "busy" in line or "meanwhile" in line
        refused += line.startswith("interview ")
    db = home / "infoview.db"
    if database is None:
        assert integrity(db) == "ok"
    _n_interviews, n_events = check_log_matches_projections(db, database)
    store = open_store(home, database)
    try:
        logged = collections.Counter((e.interview_id, e.event) for e in store.events()
                                     if e.source == "cli" and e.event != "plan")
        assert logged == accepted, "an accepted event is missing from the log, or applied twice"
        timer_events = sum(1 for e in store.events() if e.event == "timer")
        firings = len(store.export_rows({"firings": ("interview_id", "timer_id", "due")})["firings"])
    finally:
        store.close()
    assert timer_events == firings, "a timer fired twice (or a firing has no event)"
    return {"processes": processes, "commands": len(results), "accepted": sum(accepted.values()),
            "refused": refused, "busy": busy, "timer firings": firings, "events": n_events}


@pytest.mark.both_backends(slow_on_postgres=True)  # the quick PostgreSQL drill is below
def test_eight_processes_on_the_same_interviews(tmp_path, database):
    figures = hammer(tmp_path, processes=8, ops=12, interviews=5, database=database)
    print(figures)
    assert figures["accepted"] > 0 and figures["refused"] > 0 and figures["timer firings"] > 0


def test_three_processes_on_the_same_interviews_on_postgresql(tmp_path, pg_url):
    """The drill above, smaller (in the normal suite; the eight-process one on PostgreSQL is slow)."""
    figures = hammer(tmp_path, processes=3, ops=10, interviews=2, database=pg_url)
    print(figures)
    assert figures["accepted"] > 0 and figures["refused"] > 0 and figures["timer firings"] > 0
