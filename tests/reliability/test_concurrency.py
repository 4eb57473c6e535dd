"""Many processes firing events and ticks on the same interviews at once: no lost update, no
duplicate timer firing, and a losing writer gets one clear line, never a traceback."""
from __future__ import annotations

import collections
import json
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from support import T0, check_log_matches_projections, engine, integrity, plan_data, start_worker

CLEAR = re.compile(r"^(interview \d+ is \w+: .+|.*changed meanwhile; try again|.*the database is busy.*"
                   r"|no notes given.*)$")


def hammer(home: Path, *, processes: int, ops: int, interviews: int) -> dict[str, int]:
    eng = engine(home)
    start = T0 + timedelta(days=10)
    for i in range(interviews):
        eng.plan(plan_data(f"Busy {i}", start), dispatch=False)
    eng.store.close()
    nows = [(start + d).isoformat() for d in (timedelta(days=-1), timedelta(hours=-1), timedelta(minutes=1),
                                              timedelta(hours=2), timedelta(days=1, hours=1))]
    procs = [start_worker(home, seed, ops, interviews, nows) for seed in range(processes)]
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
    assert integrity(db) == "ok"
    _n_interviews, n_events = check_log_matches_projections(db)
    conn = sqlite3.connect(db)
    logged = collections.Counter((i, e) for i, e in conn.execute(
        "SELECT interview_id, event FROM events WHERE source='cli' AND event != 'plan'"))
    assert logged == accepted, "an accepted event is missing from the log, or applied twice"
    timer_events = conn.execute("SELECT COUNT(*) FROM events WHERE event='timer'").fetchone()[0]
    firings = conn.execute("SELECT COUNT(*) FROM firings").fetchone()[0]
    assert timer_events == firings, "a timer fired twice (or a firing has no event)"
    conn.close()
    return {"processes": processes, "commands": len(results), "accepted": sum(accepted.values()),
            "refused": refused, "busy": busy, "timer firings": firings, "events": n_events}


def test_eight_processes_on_the_same_interviews(tmp_path):
    figures = hammer(tmp_path, processes=8, ops=12, interviews=3)
    print(figures)
    assert figures["accepted"] > 0 and figures["refused"] > 0 and figures["timer firings"] > 0
