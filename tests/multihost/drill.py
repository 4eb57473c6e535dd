"""The multi-host drill: `infoview run` workers on several hosts (network namespaces, netns.py)
share one PostgreSQL database on the hub while they are killed with SIGKILL at random (mid-tick
too) and one host's cable is cut for longer than an outbox lease.

The data: interviews of a small `drill` workflow, each with three timers (start - 3h, - 2h, - 1h),
each timer's action a notification whose title names the interview and the timer, so that the
hub's receiver counts each message by a unique id. The run moves through phases; in each one
every worker runs with the same `--now`, at which one more timer of every interview is due, and
the phase lasts until nothing due is left. A last phase, a day later and with no faults, lets
every retry and takeover finish.

Checked afterwards, inside the hub (psql) and from the receiver's file:
- every timer due fired exactly once (the store's firing records), none is still armed;
- every notification job is `done` and arrived exactly once, or `unsure` and arrived at most
  once; none arrived twice (doubled), none is done without arriving (lost), none is pending.

Used by test_drill.py (small counts, marked slow) and `python3 scripts/dev.py stress` (larger).
"""
from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hub import HubPostgres, HubReceiver, start_postgres
from netns import Hosts

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 12, 10, 15, 0, tzinfo=timezone.utc)
T0 = START - timedelta(days=1)
TIMERS = {"first": timedelta(hours=-3), "second": timedelta(hours=-2), "third": timedelta(hours=-1)}
PHASE_WAIT = 150.0   # seconds a phase may take before the drill fails (a generous bound)
STOP_WAIT = 15.0
# A silent worker is taken for dead after this (INFOVIEW_WORKER_STALE_SECONDS, 30 s by default):
# short in the drill, so that a cut-off host's outbox jobs are taken over within seconds.
STALE_SECONDS = 4

WORKFLOW = """\
name: drill
initial: planned
states:
  planned: {}
  cancelled: {final: true}
transitions:
  - {event: cancel, from: planned, to: cancelled}
timers:
""" + "".join(f"""  - id: {name}
    at: start - {-int(offset.total_seconds()) // 3600}h
    when: [planned]
    late: 30d
    do:
      - notify: {{tag: drill, title: "drill {{id}} {name}"}}
""" for name, offset in TIMERS.items())


@dataclass
class Figures:
    hosts: int = 0
    interviews: int = 0
    timers_due: int = 0
    timers_fired: int = 0
    notifications: int = 0
    received: int = 0
    delivered_once: int = 0
    unsure: int = 0
    unsure_arrived: int = 0
    pending: int = 0
    doubled: int = 0
    lost: int = 0
    kills: int = 0
    kills_mid_tick: int = 0
    sends_cut: int = 0
    partitions: int = 0
    partition_seconds: float = 0.0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.hosts} worker hosts, {self.interviews} interviews: timers due {self.timers_due}, fired "
                f"{self.timers_fired}; notifications {self.notifications}: delivered once {self.delivered_once}, "
                f"unsure {self.unsure} (of which arrived {self.unsure_arrived}), pending {self.pending}, doubled "
                f"{self.doubled}, lost {self.lost}; messages received {self.received}; kill -9 {self.kills} "
                f"({self.kills_mid_tick} mid-tick, {self.sends_cut} mid-send), partitions {self.partitions} "
                f"({self.partition_seconds:.0f}s each, a silent worker taken for dead after {STALE_SECONDS}s) [{self.seconds:.0f}s]")


def _env(url: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}
    return {**keep, "INFOVIEW_DATABASE": url, "INFOVIEW_WORKER_STALE_SECONDS": str(STALE_SECONDS)}


def _make_home(home: Path, receiver_url: str) -> Path:
    (home / "workflows").mkdir(parents=True, exist_ok=True)
    (home / "workflows" / "drill.yaml").write_text(WORKFLOW, encoding="utf-8")
    (home / "apprise.yml").write_text(f'urls:\n  - "{receiver_url}":\n      tag: drill\n', encoding="utf-8")
    return home


def _export(root: Path, interviews: int) -> Path:
    """The drill's interviews, planned by the engine in a SQLite home of their own (no network),
    exported as the JSON that `infoview import` loads into the shared database."""
    from infoview.cli.data import write_export_json
    from infoview.clock import Clock
    from infoview.engine import Engine
    from infoview.inputs import PlanInput

    home = _make_home(root / "planner", "json://localhost/unused")
    eng = Engine(home, Clock(fixed=T0))
    for i in range(interviews):
        data = PlanInput(name=f"Drill {i:04d}", company="Drill Co", start=START, timezone="UTC",
                         mode="video", where="https://meet.example.com/drill").event_data()
        eng.plan(data, "drill", dispatch=False)
    dump = root / "drill.json"
    with dump.open("w", encoding="utf-8") as out:
        write_export_json(eng, out)
    eng.store.close()
    return dump


class Worker:
    """`infoview run` on one host; kill -9 and start again at will."""

    def __init__(self, hosts: Hosts, host: str, home: Path, url: str, logs: Path):
        self.hosts, self.host, self.home, self.url, self.logs = hosts, host, home, url, logs
        self.proc: subprocess.Popen[Any] | None = None
        self.starts = 0

    def start(self, now: datetime) -> None:
        self.starts += 1
        log = (self.logs / f"{self.host}-{self.starts}.log").open("w")
        self.proc = self.hosts.popen(self.host, sys.executable, "-m", "infoview.cli", "--home", self.home,
                                     "--now", now.isoformat(), "run", "--interval", "1",
                                     stdout=log, stderr=subprocess.STDOUT, env=_env(self.url), cwd=self.home)
        log.close()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=STOP_WAIT)

    def stop(self) -> None:
        """Ask it to stop (SIGTERM ends the round it is in); kill it if it does not."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.kill()


def _outstanding(pg: HubPostgres, db: str, now: datetime) -> int:
    """Timers due and outbox jobs due but not finished at `now`, asked inside the hub."""
    at = int(now.timestamp())
    [[timers, jobs]] = pg.psql(f"SELECT (SELECT COUNT(*) FROM interviews WHERE next_due <= {at}), "
                               f"(SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending') "
                               f"AND next_attempt <= {at})", db)
    return int(timers) + int(jobs)


def _sending(pg: HubPostgres, db: str, worker: Worker) -> int:
    """Jobs a just-killed worker left `sending`: sends it was cut off in."""
    assert worker.proc is not None
    [[n]] = pg.psql(f"SELECT COUNT(*) FROM outbox WHERE state = 'sending' AND claimed_by LIKE '%:{worker.proc.pid}'", db)
    return int(n)


def _waiting(pg: HubPostgres, db: str) -> int:
    [[n]] = pg.psql("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')", db)
    return int(n)


def run(root: Path, *, hosts_count: int = 3, interviews: int = 120, kills_per_phase: int = 3,
        seed: int = 0) -> Figures:
    rnd = random.Random(seed)
    figures = Figures(hosts=hosts_count, interviews=interviews)
    started = time.monotonic()
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    dump = _export(root, interviews)
    with Hosts(workers=hosts_count) as hosts:
        pg = start_postgres(hosts)
        receiver = HubReceiver(hosts, root, lifetime=900)
        try:
            db = "drill"
            url = pg.create_database(db)
            hub_home = _make_home(root / "hub", receiver.url("drill"))
            imported = hosts.run(hosts.hub, sys.executable, "-m", "infoview.cli", "--home", hub_home, "--now",
                                 T0.isoformat(), "import", dump, env=_env(url), check=False, timeout=300)
            assert imported.returncode == 0, imported.stderr
            logs = root / "logs"
            logs.mkdir()
            workers = [Worker(hosts, host, _make_home(root / host, receiver.url("drill")), url, logs)
                       for host in hosts.workers]
            phases = sorted(START + offset + timedelta(minutes=1) for offset in TIMERS.values())
            cut_phase = rnd.randrange(len(phases))
            for number, now in enumerate(phases):
                _phase(pg, db, hosts, receiver, workers, now, rnd, figures, kills=kills_per_phase, cut=number == cut_phase,
                       expected=interviews)
            # settle: later clocks, no faults, until no job waits (a retry waits a minute or more)
            now = phases[-1]
            for _ in range(4):
                if not _waiting(pg, db):
                    break
                now += timedelta(days=1)
                _phase(pg, db, hosts, receiver, workers, now, rnd, figures, kills=0, cut=False, expected=0)
            _check(pg, db, receiver, figures)
        finally:
            receiver.stop()
            pg.stop()
    figures.seconds = time.monotonic() - started
    return figures


def _phase(pg: HubPostgres, db: str, hosts: Hosts, receiver: HubReceiver, workers: list[Worker], now: datetime,
           rnd: random.Random, figures: Figures, *, kills: int, cut: bool, expected: int) -> None:
    """All workers at `now` until nothing due is left; `kills` kill -9s at random moments (each
    victim started again at once); `cut`: one host's cable pulled for longer than a lease."""
    for w in workers:
        w.start(now)
    began = time.monotonic()
    # half the kills at a random moment, half the moment the receiver has taken a random number
    # of this phase's messages (so, likely, while a worker is sending)
    kill_at = sorted(rnd.uniform(0.3, 4.0) for _ in range(kills - kills // 2))
    received = len(receiver.messages())
    kill_on = sorted(received + rnd.randint(1, max(1, expected // 2)) for _ in range(kills // 2))
    victim = rnd.choice(workers) if cut else None
    cut_at, cut_for = rnd.uniform(0.5, 2.0), STALE_SECONDS * 2.5
    cut_state = "before" if victim else "never"
    try:
        while True:
            elapsed = time.monotonic() - began
            if elapsed > PHASE_WAIT:
                raise AssertionError(f"phase at {now:%H:%M}: {_outstanding(pg, db, now)} timers or jobs still due "
                                     f"after {PHASE_WAIT:.0f}s")
            if victim is not None and cut_state == "before" and elapsed >= cut_at:
                hosts.cut(victim.host)
                cut_state = "cut"
                figures.partitions += 1
            elif victim is not None and cut_state == "cut" and elapsed >= cut_at + cut_for:
                hosts.restore(victim.host)
                cut_state = "restored"
                figures.partition_seconds = cut_for
            if (kill_at and elapsed >= kill_at[0]) or (kill_on and len(receiver.messages()) >= kill_on[0]):
                (kill_at if kill_at and elapsed >= kill_at[0] else kill_on).pop(0)
                chosen = rnd.choice(workers)
                chosen.kill()
                figures.kills += 1
                figures.kills_mid_tick += _outstanding(pg, db, now) > 0
                figures.sends_cut += _sending(pg, db, chosen)
                chosen.start(now)
                continue
            if not kill_at and cut_state in ("never", "restored") and _outstanding(pg, db, now) == 0:
                return  # kills still waiting for messages are dropped: this phase has none left to send
            time.sleep(0.25)
    finally:
        if victim is not None and cut_state == "cut":
            hosts.restore(victim.host)
        for w in workers:
            w.stop()


def _check(pg: HubPostgres, db: str, receiver: HubReceiver, figures: Figures) -> None:
    firings = pg.psql("SELECT interview_id, timer_id, outcome FROM firings", db)
    per_timer = collections.Counter((i, t) for i, t, _ in firings)
    figures.timers_due = figures.interviews * len(TIMERS)
    figures.timers_fired = sum(1 for *_, outcome in firings if outcome == "fired")
    [[armed]] = pg.psql("SELECT COUNT(*) FROM interviews WHERE next_due IS NOT NULL", db)
    jobs = pg.psql("SELECT id, interview_id, cause, state, COALESCE(last_error, '') FROM outbox ORDER BY id", db)
    received = collections.Counter(json.loads(m["body"])["title"] for m in receiver.messages())
    figures.received = sum(received.values())
    figures.notifications = len(jobs)
    expected: set[str] = set()
    for _job_id, interview, cause, state, _error in jobs:
        title = f"drill {interview} {cause.removeprefix('timer:')}"
        expected.add(title)
        n = received.get(title, 0)
        if n > 1:
            figures.doubled += 1
        elif state == "done":
            figures.delivered_once += n
            figures.lost += n == 0
        elif state == "unsure":
            figures.unsure += 1
            figures.unsure_arrived += n
        else:
            figures.pending += 1
    problems = figures.problems
    if figures.timers_fired != figures.timers_due or set(per_timer.values()) != {1} or len(per_timer) != figures.timers_due:
        problems.append(f"timers: {figures.timers_due} due, {figures.timers_fired} fired, "
                        f"{sum(n > 1 for n in per_timer.values())} fired more than once")
    if int(armed):
        problems.append(f"{armed} interviews still have armed timers")
    if figures.notifications != figures.timers_due:
        problems.append(f"{figures.notifications} notification jobs for {figures.timers_due} fired timers")
    if unexplained := set(received) - expected:
        problems.append(f"messages no job explains: {sorted(unexplained)[:5]}")
    if figures.doubled or figures.lost or figures.pending:
        problems.append(f"doubled {figures.doubled}, lost {figures.lost}, pending {figures.pending}")


__all__ = ["Figures", "run"]
