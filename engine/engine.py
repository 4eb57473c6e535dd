"""The one path every change takes: `Engine.plan` creates, `Engine.fire` changes, `Engine.tick`
fires due timers. Each decides with the pure machine, then writes the event, the projection,
the re-armed timers and the outbox jobs in one SQLite transaction, then tells plugins and
dispatches the outbox after commit.
"""
from __future__ import annotations

import sqlite3
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import machine, timers
from .clock import Clock
from .workflow import ActionCall, Workflow
from .errors import InfoviewError, Refused
from .model import Event, Interview, iso
from .host import PluginHost
from .projection import TIMER_EVENT, apply
from .recent import Fired, Recent
from .store import Store, epoch, from_epoch

if TYPE_CHECKING:
    from .outbox import Outbox
    from .registry import Registry


@dataclass
class FireResult:
    interview: Interview
    event: Event
    jobs: list[int] = field(default_factory=list)


@dataclass
class Firing:
    """One timer that came due during a tick, and what became of it."""

    interview_id: int
    timer: str
    due: datetime
    outcome: str  # fired | missed | refused | skipped
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"interview": self.interview_id, "timer": self.timer, "due": iso(self.due),
                "outcome": self.outcome, "detail": self.detail}


def load_config(home: Path) -> dict[str, Any]:
    path = home / "config.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InfoviewError(f"{path}: {e}; fix or remove the file") from None


class Engine:
    def __init__(self, home: Path, clock: Clock | None = None, host: PluginHost | None = None):
        self.home = home
        self.clock = clock or Clock()
        self.host = host or PluginHost().load()
        self.store = Store(home / "infoview.db")
        self._recent = Recent()

    @cached_property
    def config(self) -> dict[str, Any]:
        return load_config(self.home)

    @cached_property
    def registry(self) -> "Registry":
        from .registry import Registry

        return Registry(self.host, self.home)

    @cached_property
    def outbox(self) -> "Outbox":
        from .outbox import Outbox

        return Outbox(self)

    # ---- reads ----

    def get(self, interview_id: int) -> Interview:
        return self.store.load(interview_id)

    def interviews(self, states: list[str] | None = None) -> list[Interview]:
        return self.store.interviews(states)

    def history(self, interview_id: int) -> list[Event]:
        self.store.load(interview_id)  # NotFound for an unknown id, not an empty list
        return list(self.store.events(interview_id))

    def change_marker(self) -> tuple[int, int]:
        return self.store.change_marker()

    # ---- the one write path ----

    def plan(self, data: dict[str, Any], workflow: str | None = None, *, source: str = "cli",
             dispatch: bool = True) -> FireResult:
        """Create an interview. `data` is validated input (engine/inputs.py's PlanInput.event_data())."""
        wf = self.registry.workflow(workflow or "informational-interview")
        data = {**data, "workflow": wf.name}
        data.setdefault("minutes", wf.default_minutes)
        now = self.clock.now()
        with self.store.write() as conn:
            if data.get("referred_by") is not None:
                self.store.load(data["referred_by"], conn)  # NotFound names the bad id
            new_id = self.store.next_id(conn)
            event = Event(new_id, 1, "plan", None, wf.initial, now, data, source)
            interview, jobs = self._commit(conn, wf, None, {}, event, ())
        self._recent.keep(interview, {})
        return self._after(interview, event, jobs, dispatch)

    def fire(self, interview_id: int, event: str, data: dict[str, Any] | None = None, *,
             source: str = "cli", dispatch: bool = True) -> FireResult:
        data = data or {}
        with self.store.write() as conn:
            done = None
            kept = self._recent.latest(interview_id)
            if kept is not None:
                # Used unverified: its write names the version it replaces (Store.save, before
                # anything else is written), so a copy another process has outdated writes nothing.
                # Checked only when something went wrong, which saves every other fire a read:
                # if it was outdated, the answer (refused, say) was given on old facts.
                try:
                    done = self._fire_in(conn, *kept, event, data, source)
                except InfoviewError:
                    if self.store.version(interview_id, conn) == kept[0].version:
                        raise
            if done is None:  # nothing kept, or outdated: the stored interview
                kept = self._stored(conn, interview_id)
                done = self._fire_in(conn, *kept, event, data, source)
        new, interview, jobs = done
        self._recent.keep(interview, kept[1])
        return self._after(interview, new, jobs, dispatch)

    def _current(self, conn: sqlite3.Connection, interview_id: int) -> tuple[Interview, Fired]:
        """The interview as committed and the timers it has fired, inside the caller's transaction:
        the kept copy when the stored version confirms it."""
        kept = self._recent.get(interview_id, self.store.version(interview_id, conn))
        return kept if kept is not None else self._stored(conn, interview_id)

    def _stored(self, conn: sqlite3.Connection, interview_id: int) -> tuple[Interview, Fired]:
        return self.store.load(interview_id, conn), self.store.fired_dues(conn, interview_id)

    def _fire_in(self, conn: sqlite3.Connection, before: Interview, fired: Fired, event: str,
                 data: dict[str, Any], source: str) -> tuple[Event, Interview, list[int]]:
        wf = self.registry.workflow(before.workflow)
        now = self.clock.now()
        decision = machine.decide(wf, before, event, data, now)
        reasons = list(decision.reasons)
        t = decision.transition
        if t is not None and not reasons:
            reasons = self._plugin_reasons(wf, before, t, data, now)
        if reasons:
            raise Refused(before.id, before.state, event, reasons, machine.allowed(wf, before.state))
        assert t is not None
        new = Event(before.id, before.version + 1, event, before.state, t.to, now, data, source)
        interview, jobs = self._commit(conn, wf, before, fired, new, t.actions)
        return new, interview, jobs

    def _plugin_reasons(self, wf: Workflow, interview: Interview, t: Any, data: dict[str, Any],
                        now: datetime) -> list[str]:
        view = machine.TransitionView(wf.name, t.event, t.source, t.to, data, now)
        reasons: list[str] = []
        for name in t.guards:
            reason = self.registry.guards[name].check(interview, view, now)
            if reason:
                reasons.append(str(reason))
        reasons.extend(self.host.check_transition(interview, view))
        return reasons

    def _commit(self, conn: sqlite3.Connection, wf: Workflow, before: Interview | None, fired: Fired, event: Event,
                actions: tuple[ActionCall, ...], cause: str | None = None) -> tuple[Interview, list[int]]:
        """Project, re-arm timers, write the projection, append the event, enqueue actions: all
        inside the caller's transaction.
        `fired` is what the interview's timers have fired for; `cause` is what the outbox shows
        as the jobs' origin (default: the event)."""
        cause = cause or f"event:{event.event}"
        interview = apply(before, event)
        armed = timers.armed(wf, interview, fired, self.clock.now())
        # The projection first: its UPDATE names the version it replaces, so an outdated `before`
        # (see `fire`) fails here with nothing written yet.
        self.store.save(conn, interview, before.version if before else None, armed)
        self.store.append(conn, event)
        jobs = [self.store.enqueue(conn, interview.id, event.seq, a.name, a.raw, cause, event.at) for a in actions]
        return interview, jobs

    def rearm(self, conn: sqlite3.Connection, wf: Workflow, interview: Interview) -> None:
        """Re-compute the interview's timers in the caller's transaction (import, a timer its
        workflow no longer declares)."""
        self.store.set_timers(conn, interview.id, self._armed(conn, wf, interview))

    def _armed(self, conn: sqlite3.Connection, wf: Workflow, interview: Interview) -> dict[str, int]:
        """Its timers as stored firings leave them, for writers that have not got `fired` at hand."""
        return timers.armed(wf, interview, self.store.fired_dues(conn, interview.id), self.clock.now())

    def _after(self, interview: Interview, event: Event, jobs: list[int], dispatch: bool) -> FireResult:
        self.host.event_committed(event, interview)
        if dispatch and jobs:
            self.outbox.dispatch(jobs)
        return FireResult(interview, event, jobs)

    # ---- timers ----

    def tick(self, *, dispatch: bool = True, limit: int = 1000) -> list[Firing]:
        """Fire every due timer once, then run due outbox jobs. Safe beside other ticks and runs."""
        firings: list[Firing] = []
        timers_due, jobs_due = self.store.anything_due(epoch(self.clock.now()))
        while timers_due:
            batch, timers_due = self.store.due(epoch(self.clock.now()), limit)
            for interview_id, timer_id, due in batch:
                firing = self._fire_timer(interview_id, timer_id, due)
                if firing is not None:
                    firings.append(firing)
        if dispatch and (jobs_due or firings):
            self.outbox.dispatch()
        return firings

    def _fire_timer(self, interview_id: int, timer_id: str, due_epoch: int) -> Firing | None:
        jobs: list[int] = []
        committed: tuple[Event, Interview] | None = None
        with self.store.write() as conn:
            # Someone else may have fired or moved it since we looked: it must still be armed for
            # that time. The firing recorded below keeps it from being armed for that time again.
            if self.store.armed_timers(interview_id, conn).get(timer_id) != due_epoch:
                return None
            interview, _ = self._current(conn, interview_id)
            wf = self.registry.workflow(interview.workflow)
            timer = next((t for t in wf.timers if t.id == timer_id), None)
            now, due = self.clock.now(), from_epoch(due_epoch)
            if timer is None:  # the workflow file no longer has it
                self.rearm(conn, wf, interview)
                return Firing(interview_id, timer_id, due, "skipped", "the workflow no longer declares this timer")
            outcome, detail = ("missed", f"more than {timers.format_late(timer)} late") if timers.is_late(timer, due, now) \
                else ("fired", "")
            if outcome == "fired" and timer.fire:
                # Decide before recording, so the log says "refused" when the event is not allowed.
                decision = machine.decide(wf, interview, timer.fire, {}, now)
                reasons = decision.reasons or self._plugin_reasons(wf, interview, decision.transition, {}, now)
                if reasons:
                    outcome, detail = "refused", "; ".join(reasons)
            conn.execute("INSERT INTO firings (interview_id, timer_id, due, fired_at, outcome) VALUES (?,?,?,?,?)",
                         (interview_id, timer_id, due_epoch, now.isoformat(), outcome))
            fired = self.store.fired_dues(conn, interview_id)
            record = Event(interview_id, interview.version + 1, TIMER_EVENT, interview.state, interview.state, now,
                           {"timer": timer_id, "due": iso(due), "outcome": outcome}, f"timer:{timer_id}")
            actions = timer.actions if outcome == "fired" else ()
            interview, jobs = self._commit(conn, wf, interview, fired, record, actions, cause=f"timer:{timer_id}")
            committed = (record, interview)
            if outcome == "fired" and timer.fire:
                try:
                    changed, interview, more = self._fire_in(conn, interview, fired, timer.fire, {}, f"timer:{timer_id}")
                    jobs += more
                    committed = (changed, interview)
                except Refused as e:
                    outcome, detail = "refused", "; ".join(e.reasons)
                    conn.execute("UPDATE firings SET outcome='refused' WHERE interview_id=? AND timer_id=? AND due=?",
                                 (interview_id, timer_id, due_epoch))
        self._recent.keep(committed[1], fired)
        self._after(committed[1], committed[0], jobs, dispatch=False)
        return Firing(interview_id, timer_id, due, outcome, detail)

    def agenda(self, until: datetime) -> list[tuple[Interview, str, datetime]]:
        rows, _ = self.store.due(epoch(until))
        cache: dict[int, Interview] = {}
        out = []
        for interview_id, timer_id, due in rows:
            if interview_id not in cache:
                cache[interview_id] = self.store.load(interview_id)
            out.append((cache[interview_id], timer_id, from_epoch(due)))
        return out

    # ---- maintenance ----

    def rebuild(self) -> int:
        """Rebuild every projection and timer from the event log; return how many interviews."""
        from .projection import replay_all

        projections = replay_all(self.store.events())
        with self.store.write() as conn:
            conn.execute("DELETE FROM interviews")
            for interview in projections.values():
                wf = self.registry.workflows.get(interview.workflow)
                self.store.save(conn, interview, None, self._armed(conn, wf, interview) if wf else {})
        return len(projections)

