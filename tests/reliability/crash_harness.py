"""kill -9 the real CLI at random points during `fire`, `tick` (many due timers) and outbox
delivery to a local receiver, then check what a user would notice afterwards: every notification
the receiver counted once and recorded `done`, or counted at most once and left `unsure` for the
user, or not sent and still `pending`; never counted twice, never `done` without arriving.

Used by tests/reliability/test_crash.py (small counts) and `python3 scripts/dev.py stress`
(large counts). Everything is bounded: a fixed number of faults, a timeout on every process.
"""
from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from cli_support import start_infoview
from receivers import HttpReceiver
from support import T0, check_log_matches_projections, engine, integrity, plan_data

PROCESS_TIMEOUT = 60.0


class KillingReceiver(HttpReceiver):
    """A json:// receiver that, when armed, kill -9s a process the moment a message arrives:
    after recording it, before answering (the sender never learns it was delivered)."""

    def __init__(self) -> None:
        super().__init__()
        self.server.handle_error = lambda request, address: None  # the killed sender hung up: expected
        self.victim: int | None = None
        self.kill_at: int | None = None

    def arm(self, pid: int, after: int) -> None:
        with self._changed:
            self.victim, self.kill_at = pid, len(self._items) + after

    def add(self, item: Any) -> None:
        super().add(item)
        with self._changed:
            if self.victim is not None and self.kill_at is not None and len(self._items) >= self.kill_at:
                try:
                    os.kill(self.victim, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.victim = self.kill_at = None


@dataclass
class Figures:
    faults: int = 0
    killed: dict[str, int] = field(default_factory=lambda: collections.Counter())
    interviews: int = 0
    events: int = 0
    timers_fired: int = 0
    notifications: int = 0       # outbox jobs checked
    received: int = 0            # messages the receiver counted
    interrupted_sends: int = 0   # jobs found 'sending' by a killed process
    delivered_once: int = 0      # done, and counted exactly once
    unsure: int = 0              # left for the user to decide ...
    unsure_arrived: int = 0      # ... of which the receiver had counted once
    pending: int = 0             # not sent yet, counted 0 times
    doubled: int = 0             # counted twice or more: must stay 0
    lost: int = 0                # done but never counted: must stay 0

    def line(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.killed.items()))
        return (f"faults injected {self.faults} ({kinds}); interviews {self.interviews}, events {self.events}, "
                f"timers fired {self.timers_fired}; notifications {self.notifications}: delivered once "
                f"{self.delivered_once}, unsure {self.unsure} (of which arrived {self.unsure_arrived}), pending "
                f"{self.pending}, doubled {self.doubled}, lost {self.lost}; messages received {self.received}, "
                f"sends cut off by a kill {self.interrupted_sends}")


def cli(home: Path, now: str, *args: str, database: str | None = None) -> subprocess.Popen[str]:
    return start_infoview(home, *(("--database", database) if database else ()), *args, now=now)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=PROCESS_TIMEOUT)
    assert "Traceback" not in err, err
    return proc.returncode, err


def _store(db: Path, database: str | None) -> Any:
    from infoview.store import open_store

    return open_store(db.parent, database)


def _sending(db: Path, database: str | None = None) -> set[tuple[int, str]]:
    """(job, claimer) for every job a killed process left claimed: one interrupted send each."""
    store = _store(db, database)
    try:
        rows = store.export_rows({"outbox": ("id", "claimed_by", "state")})["outbox"]
        return {(r[0], r[1]) for r in rows if r[2] == "sending"}
    finally:
        store.close()


def run(home: Path, receiver: KillingReceiver, *, faults: int, interviews: int, seed: int,
        database: str | None = None) -> Figures:
    """The drill on `home` (its SQLite file, or the PostgreSQL `database`)."""
    rnd = random.Random(seed)
    figures = Figures()
    home.mkdir(parents=True, exist_ok=True)
    (home / "apprise.yml").write_text(f'urls:\n  - "{receiver.url("crash")}":\n      tag: reminders, followups\n')
    # the shipped workflow, each message marked with its interview id, so the receiver's count
    # can be matched to outbox jobs
    shipped = (Path(__file__).resolve().parents[2] / "workflows" / "informational-interview.yaml").read_text()
    (home / "workflows").mkdir(exist_ok=True)
    (home / "workflows" / "crash-drill.yaml").write_text(
        shipped.replace("name: informational-interview", "name: crash-drill").replace('title: "', 'title: "#{id} '))
    db = home / "infoview.db"
    offsets = (timedelta(days=-1, minutes=10), timedelta(minutes=-55), timedelta(minutes=-5), timedelta(minutes=30),
               timedelta(minutes=40), timedelta(hours=4), timedelta(days=1, hours=1), timedelta(days=1, hours=3))
    state = {"round": -1, "stage": 0, "stages": []}

    def next_round() -> None:
        """A new batch of interviews starting after the last round's timers: more to fire and send."""
        state["round"] += 1
        start = T0 + timedelta(days=2 + 5 * state["round"])
        eng = engine(home, start - timedelta(days=1, hours=1), database)
        for i in range(interviews):
            eng.plan(plan_data(f"Person {state['round']}-{i:03d}", start + timedelta(minutes=i % 7), company="Crash Co"),
                     "crash-drill", dispatch=False)
        eng.store.close()
        # moments at which different timers of every interview come due: many per tick
        state["stages"], state["stage"] = [start + d for d in offsets], 0

    def advance() -> Any:
        if state["stage"] + 1 >= len(state["stages"]):
            next_round()
        else:
            state["stage"] += 1
        return state["stages"][state["stage"]]

    next_round()
    interrupted: set[tuple[int, str]] = set()
    for f in range(faults):
        kind = ("fire", "tick", "deliver")[f % 3]
        now = state["stages"][state["stage"]]
        if kind == "fire":
            target = state["round"] * interviews + rnd.randrange(1, interviews + 1)
            proc = cli(home, now.isoformat(), rnd.choice(["confirm", "hold", "cancel", "confirm"]), str(target),
                       database=database)
            try:  # a random point: start-up, reading, inside the transaction, after commit
                proc.wait(timeout=rnd.uniform(0.05, 0.6))
            except subprocess.TimeoutExpired:
                pass
        elif kind == "tick":
            now = advance()
            proc = cli(home, now.isoformat(), "tick", database=database)
            try:
                proc.wait(timeout=rnd.uniform(0.1, 0.8))
            except subprocess.TimeoutExpired:
                pass
        else:  # the next stage's timers come due; the receiver kills the tick mid-delivery
            now = advance()
            proc = cli(home, now.isoformat(), "tick", database=database)
            receiver.arm(proc.pid, after=rnd.randint(1, max(1, interviews // 3)))
            proc.wait(timeout=PROCESS_TIMEOUT)
        if proc.poll() is None:
            proc.kill()
            figures.killed[kind] += 1
        elif proc.returncode == -signal.SIGKILL:
            figures.killed[kind] += 1
        proc.communicate(timeout=PROCESS_TIMEOUT)
        receiver.arm(0, after=10**9)  # disarm
        figures.faults += 1
        interrupted |= _sending(db, database)
    # final ticks, nothing killed: every due timer fires, every due job is delivered
    final = state["stages"][-1]
    for _ in range(2):
        code, err = finish(cli(home, final.isoformat(), "tick", database=database))
        assert code == 0, err
    if database is None:
        assert integrity(db) == "ok"
    figures.interviews, figures.events = check_log_matches_projections(db, database)
    _check_timers(db, final, database)
    _check_notifications(home, receiver, figures, database)
    figures.interrupted_sends = len(interrupted)
    return figures


def _check_timers(db: Path, final: Any, database: str | None = None) -> None:
    store = _store(db, database)
    try:
        rows, _ = store.due(int(final.timestamp()))
        assert not rows, f"{len({r[0] for r in rows})} interviews with due timers left unfired after the final tick"
        found = store.export_rows({"firings": ("interview_id", "timer_id", "due")})["firings"]
        firings = collections.Counter((i, t, d) for i, t, d in found)
        logged = collections.Counter((e.interview_id, e.data["timer"]) for e in store.events() if e.event == "timer")
        per_timer = collections.Counter((i, t) for i, t, _ in firings)
        assert logged == per_timer, "timer events in the log differ from recorded firings"
        assert max(firings.values(), default=1) == 1
    finally:
        store.close()


def _check_notifications(home: Path, receiver: KillingReceiver, figures: Figures,
                         database: str | None = None) -> None:
    from infoview.templates import render

    eng = engine(home, database=database)
    received = collections.Counter(" ".join(p.json["title"].split()) for p in receiver.items)
    jobs = eng.outbox.jobs()
    expected: dict[str, list[Any]] = collections.defaultdict(list)
    for job in jobs:
        title = " ".join(render(job.params["notify"]["title"], eng.get(job.interview_id),
                                eng.registry.template_fields).split())
        expected[title].append(job)
    assert set(received) <= set(expected), f"messages no job explains: {set(received) - set(expected)}"
    doubled, lost, early = [], [], []
    for title, same in expected.items():
        assert len(same) == 1, f"two jobs render the same title {title!r}; the harness cannot tell them apart"
        job, n = same[0], received.get(title, 0)
        if n > 1:
            doubled.append(job.id)
        elif job.state == "done":
            figures.delivered_once += n
            lost += [job.id] if n == 0 else []
        elif job.state == "unsure":  # cut off mid-send: it may have arrived, the user decides
            assert "may or may not have arrived" in (job.last_error or ""), (job.id, job.last_error)
            figures.unsure += 1
            figures.unsure_arrived += n
        else:
            assert job.state == "pending", (job.id, job.state, job.last_error)
            figures.pending += 1
            early += [job.id] if n else []  # arrived although pending: its next send would double it
    figures.doubled, figures.lost = len(doubled), len(lost)
    assert not doubled, f"jobs delivered more than once (doubled): {doubled}"
    assert not lost, f"jobs recorded as delivered that the receiver never got (lost): {lost}"
    assert not early, f"jobs pending that arrived already: {early}"
    figures.notifications = len(jobs)
    figures.received = sum(received.values())
    # the log and the firings agree (checked above), so the log's fired timers are the firings'
    figures.timers_fired = sum(1 for e in eng.store.events() if e.event == "timer" and e.data.get("outcome") == "fired")
    eng.store.close()
