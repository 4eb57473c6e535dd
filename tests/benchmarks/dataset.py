"""Shared set-up for the engine benchmarks: engines on temporary homes, and large stores built fast.

Large stores are built by running a few hundred interviews through the real engine ("seeds") and
then copying their rows with SQL in one transaction, each copy under new interview ids. Copies
are what the engine would have written for the same commands: event rows differ only in
`interview_id`, projection rows only in `id` and `$.id` (their armed timers are the same).
`check_copies()` proves it by rebuilding a sample of copies from their events.
"""
from __future__ import annotations

import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infoview.clock import Clock  # noqa: E402
from infoview.engine import Engine  # noqa: E402
from infoview.inputs import PlanInput  # noqa: E402

UTC = timezone.utc
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BUSY_WORKFLOW = "busy-interview"


def engine(home: Path, now: datetime = T0) -> Engine:
    return Engine(home, Clock(fixed=now))


def plan_data(i: int, start: datetime) -> dict[str, Any]:
    return PlanInput(name=f"Contact {i}", company=f"Company {i % 97}", title="Engineer",
                     email=f"c{i}@example.com", start=start, timezone="UTC", mode="video",
                     where="https://meet.example.com/abc", goals=["learn the field"]).event_data()


def write_busy_workflow(home: Path) -> None:
    """The shipped workflow renamed, with every one of its 8 timers armed while `confirmed`:
    a user's own workflow file (`<home>/workflows/`), so that 100,000 confirmed interviews
    arm 800,000 timers exactly as the engine would."""
    src = (ROOT / "workflows" / "informational-interview.yaml").read_text(encoding="utf-8")
    src = src.replace("name: informational-interview", f"name: {BUSY_WORKFLOW}", 1)
    lines = []
    for line in src.splitlines():
        if line.strip().startswith("when: [") and "confirmed" not in line:
            line = line.replace("when: [", "when: [confirmed, ", 1)
        lines.append(line)
    (home / "workflows").mkdir(parents=True, exist_ok=True)
    (home / "workflows" / f"{BUSY_WORKFLOW}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def replicate(db: Path, seeds: int, copies: int) -> None:
    """Copy interviews 1..seeds `copies - 1` more times (ids seeds+1 ...), in one transaction."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TEMP TABLE k (k INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO k VALUES (?)", [(k,) for k in range(1, copies)])
        off = f"k.k * {seeds}"
        conn.execute(f"""INSERT INTO events (interview_id, seq, event, from_state, to_state, at, data, source)
            SELECT e.interview_id + {off}, e.seq, e.event, e.from_state, e.to_state, e.at, e.data, e.source
            FROM k, events e WHERE e.interview_id <= {seeds} ORDER BY k.k, e.interview_id, e.seq""")
        conn.execute(f"""INSERT INTO interviews (id, workflow, state, version, start, doc, timers, next_due, person)
            SELECT i.id + {off}, i.workflow, i.state, i.version, i.start, json_set(i.doc, '$.id', i.id + {off}),
            i.timers, i.next_due, i.person FROM k, interviews i WHERE i.id <= {seeds} ORDER BY k.k, i.id""")
        conn.execute(f"""INSERT INTO firings (interview_id, timer_id, due, fired_at, outcome)
            SELECT f.interview_id + {off}, f.timer_id, f.due, f.fired_at, f.outcome FROM k, firings f
            WHERE f.interview_id <= {seeds}""")
        conn.execute("DROP TABLE k")
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # measurements start from a settled file
    finally:
        conn.close()


def lengthen_history(db: Path, extra: int) -> int:
    """Append `extra` timer records to every interview's log, as a timer the workflow no longer
    declares would leave them: the log grows, the projections only count the versions (a replay
    gives them exactly). Shows what memory does with history length. Returns the rows added."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TEMP TABLE k (k INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO k VALUES (?)", [(k,) for k in range(1, extra + 1)])
        added = conn.execute("""INSERT INTO events (interview_id, seq, event, from_state, to_state, at, data, source)
            SELECT i.id, i.version + k.k, 'timer', i.state, i.state, e.at,
                   json_object('timer', 'retired', 'due', e.at, 'outcome', 'skipped'), 'timer:retired'
            FROM interviews i JOIN events e ON e.interview_id = i.id AND e.seq = i.version, k
            ORDER BY i.id, k.k""").rowcount
        conn.execute(f"UPDATE interviews SET version = version + {extra}, doc = json_set(doc, '$.version', version + {extra})")
        conn.execute("DROP TABLE k")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return added
    finally:
        conn.close()


def peak_rss(script: str, *args: str) -> dict[str, Any]:
    """Run `script` (Python source that leaves a dict in `_out`) in a fresh process and return
    that dict with the process's peak RSS in MiB as `peak_mib`. The script gets sys.argv[1:] =
    args, the project on sys.path and `_hwm()`, the peak so far in MiB.

    The peak is the kernel's VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over an
    exec from the forking parent, so a child of a big benchmark process would report its parent."""
    import json
    import subprocess

    prelude = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r})\n"
               "def _hwm():\n"
               "    for line in open('/proc/self/status'):\n"
               "        if line.startswith('VmHWM:'):\n"
               "            return int(line.split()[1]) / 1024\n"
               "    import resource; return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n")
    epilogue = "\n_out['peak_mib'] = _hwm()\nprint(json.dumps(_out))\n"
    out = subprocess.run([sys.executable, "-c", prelude + script + epilogue, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def check_copies(eng: Engine, ids: list[int]) -> None:
    """Each copied projection equals the one the engine's own replay of its events gives, and
    its timers are the ones the engine arms for it (read through the store's API)."""
    from infoview import timers
    from infoview.projection import replay

    for i in ids:
        interview = replay(eng.store.events(i))
        assert eng.store.load(i).to_dict() == interview.to_dict(), f"copy {i} differs from its replay"
        wf = eng.registry.workflow(interview.workflow)
        with eng.store.transaction() as tx:
            fired, have = tx.fired_dues(i), sorted(tx.armed_timers(i).items())
        want = sorted(timers.armed(wf, interview, fired, eng.clock.now()).items())
        assert want == have, f"copy {i}: timers {have} != {want}"


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


__all__ = ["BUSY_WORKFLOW", "REALISTIC_NOW", "T0", "build_realistic", "check_copies", "count", "engine", "lengthen_history", "peak_rss", "plan_data",
           "replicate", "write_busy_workflow"]


# ---- realistic homes for the scaling table ----

REALISTIC_SEEDS = 500
# "now" of a realistic home: most interviews lie in the past, a tenth ahead with timers armed.
REALISTIC_NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def _realistic_seeds(home: Path, seeds: int) -> None:
    """`seeds` interviews through the real engine, in time order, each with the history its kind
    leaves (5-8 events): 60% carried to follow-up (plan, confirm, a reminder timer, hold, note
    with a referral, evaluate, thanked), 15% noted only, 10% cancelled, 15% ahead of "now"
    (planned or confirmed, timers armed). Ticks along the way fire timers, which write outbox jobs.
    Delivery has no channel here (no apprise config), so jobs end `no-channel`; all but the newest
    few per hundred are then marked `done`, as a home whose channels work would have them."""
    eng = engine(home, REALISTIC_NOW)
    clock = eng.clock
    span = timedelta(days=300)
    for i in range(seeds):
        kind = i % 20
        ahead = kind >= 17
        start = (REALISTIC_NOW + timedelta(days=2 + i % 20, hours=i % 7) if ahead
                 else REALISTIC_NOW - span + span * i / seeds)
        clock.set(start - timedelta(days=7))
        iid = eng.plan(plan_data(i, start)).interview.id
        if kind == 16:
            clock.set(start - timedelta(days=3))
            eng.fire(iid, "cancel", {"reason": "they moved abroad"})
            continue
        if ahead:
            if kind == 19:
                clock.set(start - timedelta(days=1, hours=2))
                eng.fire(iid, "confirm")
            continue
        clock.set(start - timedelta(days=2))
        eng.fire(iid, "confirm")
        clock.set(start - timedelta(minutes=5))
        eng.tick()  # `prepare` missed or fired, `arrive` fired: timer events and outbox jobs
        clock.set(start + timedelta(minutes=30))
        eng.fire(iid, "hold")
        clock.set(start + timedelta(hours=1))
        eng.fire(iid, "note", {"notes": {"learned": [f"insight {i}"], "referrals": [f"Contact {i + 3} <c{i + 3}@example.com>"
                                                                                   if i % 3 else f"Someone Else {i}"]}})
        if kind >= 13:
            continue
        clock.set(start + timedelta(hours=5))
        eng.fire(iid, "thanked")
        clock.set(start + timedelta(days=1))
        eng.fire(iid, "evaluate", {"evaluation": {"next_actions": [f"write to contact {i + 1}"]}})
    clock.set(REALISTIC_NOW)
    eng.store.close()


def build_realistic(home: Path, interviews: int, seeds: int = REALISTIC_SEEDS) -> None:
    """A home of `interviews` interviews (a multiple of `seeds`) with realistic histories, armed
    timers and outbox jobs: seeds through the engine, then copies with SQL (`replicate`), outbox
    rows and their marks copied alike."""
    _realistic_seeds(home, seeds)
    db = home / "infoview.db"
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        # a few of every hundred jobs still wait for the user; the rest were delivered
        conn.execute("UPDATE outbox SET state='done', last_error=NULL, done_at=created WHERE id % 50 != 0")
        # waiting for a retry an hour after "now", as a job that failed once waits (backoff)
        conn.execute("UPDATE outbox SET state='pending', last_error=NULL, done_at=NULL, next_attempt=? "
                     "WHERE id % 100 = 0", (int(REALISTIC_NOW.timestamp()) + 3600,))
        conn.execute("COMMIT")
    finally:
        conn.close()
    copies = max(1, interviews // seeds)
    if copies > 1:
        replicate(db, seeds, copies)
        conn = sqlite3.connect(db, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TEMP TABLE k (k INTEGER PRIMARY KEY)")
            conn.executemany("INSERT INTO k VALUES (?)", [(k,) for k in range(1, copies)])
            seed_jobs = conn.execute("SELECT IFNULL(MAX(id), 0) FROM outbox").fetchone()[0]
            conn.execute(f"""INSERT INTO outbox (id, interview_id, event_seq, action, params, cause, state, attempts,
                next_attempt, last_error, created, done_at)
                SELECT o.id + k.k * {seed_jobs}, o.interview_id + k.k * {seeds}, o.event_seq, o.action, o.params,
                o.cause, o.state, o.attempts, o.next_attempt, o.last_error, o.created, o.done_at
                FROM k, outbox o WHERE o.id <= {seed_jobs} ORDER BY k.k, o.id""")
            conn.execute("DROP TABLE k")
            conn.execute("COMMIT")
            conn.execute("ANALYZE")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


if __name__ == "__main__":  # python3 tests/benchmarks/dataset.py HOME INTERVIEWS: build a realistic home
    build_realistic(Path(sys.argv[1]), int(sys.argv[2]))
