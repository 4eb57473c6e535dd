"""The one path every change takes: `Engine.plan` creates, `Engine.fire` changes, `Engine.tick`
fires due timers, `Engine.import_logs` and `Engine.rebuild` write whole logs. Each reads what it
needs inside one unit of work of the store, decides once (the pure machine, then guards and
plugin checks), writes the event, the projection, the re-armed timers and the outbox jobs in that
same unit of work, and after commit tells plugins and dispatches the outbox.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from itertools import islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator, TypeGuard, cast

from . import machine, timers
from .clock import Clock
from .config import database_of
from .engine_people import PeopleWrites, PersonFiring
from .errors import InfoviewError, PluginFailed, Refused
from .host import PluginHost
from .model import Event, Interview, iso
from .people import PersonEvent
from .outbox import Outbox, job_params
from .projection import EDIT_EVENT, TIMER_EVENT, apply, replay_all
from .store import Fired, Store, Transaction, epoch, from_epoch, open_store
from .todos import ACTION, due_in_text, reminder_params
from .workflow import ActionCall, Transition, Workflow

if TYPE_CHECKING:
    from .edits import EditRequest
    from .registry import Registry

Log = list[Event] | list[PersonEvent]  # an interview's whole log, or a person's


@dataclass
class FireResult:
    interview: Interview
    event: Event
    jobs: list[int] = field(default_factory=list)
    person: str = ""  # which person a plan is with, and whether they are new (engine_people.py)


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
    """config.toml parsed, its core keys checked (engine/config.py); plugins read their tables."""
    from .config import read

    return read(home)


def _listed(value: Any) -> list[str]:
    return [] if not value else [value] if isinstance(value, str) else list(value)


class Engine(PeopleWrites):
    def __init__(self, home: Path, clock: Clock | None = None, host: PluginHost | None = None,
                 store: Store | None = None):
        self.home = home
        self.clock = clock or Clock()
        self.host = host or PluginHost().load()
        self.store = store if store is not None else open_store(home, database_of(home))
        self._digests_noted: set[str] = set()

    @cached_property
    def config(self) -> dict[str, Any]:
        return load_config(self.home)

    @cached_property
    def registry(self) -> "Registry":
        from .registry import Registry  # workflows and question sets load on first use

        return Registry(self.host, self.home)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.store, self.clock, lambda name: self.registry.actions.get(name),
                      lambda: self.registry.template_fields, self.home, lambda: self.config,
                      lambda name: self.registry.whose("action", name))

    # ---- reads ----

    def get(self, interview_id: int) -> Interview:
        return self.store.load(interview_id)

    def interviews(self, states: list[str] | None = None) -> list[Interview]:
        """All of them in memory: for the web board, the to-do page and the demo; what can stream
        reads `store.interviews`."""
        return list(self.store.interviews(states))

    def history(self, interview_id: int) -> list[Event]:
        self.store.load(interview_id)  # NotFound for an unknown id, not an empty list
        return list(self.store.events(interview_id))

    def change_marker(self) -> Any:
        return self.store.change_marker()

    # ---- the one write path ----

    def plan(self, data: dict[str, Any], workflow: str | None = None, *, source: str = "cli",
             dispatch: bool = True) -> FireResult:
        """Create an interview. `data` is validated input (engine/inputs.py's PlanInput.event_data())."""
        wf = self.registry.workflow(workflow or "informational-interview")
        data = {**data, "workflow": wf.name}
        data.setdefault("minutes", wf.default_minutes)
        from .fields import check_data  # here: its models cost a command that carries no data (confirm)

        check_data(data, "plan", plan=True)  # every way in keeps the same bounds (engine/fields.py)
        now = self.clock.now()
        with self.store.transaction() as tx:
            if data.get("referred_by") is not None:
                tx.load(data["referred_by"])  # NotFound names the bad id
            data["contact"] = dict(data["contact"])
            _, who = self.person_for_plan(tx, data, now)
            event = Event(tx.next_id(), 1, "plan", None, wf.initial, now, data, source)
            # Plugins check a plan as any other transition: from no state to the initial one,
            # shown the interview as it would be planned.
            view = machine.TransitionView(wf.name, "plan", None, wf.initial, data, now)
            reasons = self.host.check_transition(apply(None, event), view)
            if reasons:
                raise InfoviewError(f"cannot plan this interview: {'; '.join(reasons)}")
            interview, jobs = self._write(tx, wf, None, {}, event, ())
        result = self._after(interview, event, jobs, dispatch)
        result.person = who
        return result

    def fire(self, interview_id: int, event: str, data: dict[str, Any] | None = None, *,
             source: str = "cli", dispatch: bool = True) -> FireResult:
        data = data or {}
        if data:
            from .fields import check_data

            check_data(data, f"'{event}' on interview {interview_id}")
        with self.store.transaction() as tx:
            before = tx.load(interview_id)
            wf = self.registry.workflow(before.workflow)
            now = self.clock.now()
            t = self._decide(wf, before, event, data, now)
            new = Event(before.id, before.version + 1, event, before.state, t.to, now, data, source)
            interview, jobs = self._write(tx, wf, before, tx.fired_dues(interview_id), new, t.actions)
            for text in _listed(data.get("evaluation", {}).get("next_actions")):
                self._add_todo(tx, interview, text, due_in_text(text, self.zone), "evaluation", now)
        return self._after(interview, new, jobs, dispatch)

    # ---- deleting, to-dos ----

    def delete(self, interview_id: int) -> None:
        """Erase an interview with its events, timers, outbox jobs and to-dos. NotFound for an unknown id."""
        with self.store.transaction() as tx:
            tx.load(interview_id)
            tx.delete_interview(interview_id)

    def add_todo(self, text: str, due: datetime | None = None, interview_id: int | None = None, *,
                 source: str = "cli") -> int:
        """A new to-do; `source` (cli, web) is kept as its origin, as an event keeps its source."""
        with self.store.transaction() as tx:
            interview = tx.load(interview_id) if interview_id is not None else None
            return self._add_todo(tx, interview, text, due, source, self.clock.now())

    def _add_todo(self, tx: Transaction, interview: Interview | None, text: str, due: datetime | None, origin: str,
                  now: datetime) -> int:
        return tx.add_todo(None if interview is None else interview.id, text, due, origin, now)

    def close_todo(self, todo_id: int) -> bool:
        with self.store.transaction() as tx:
            return tx.close_todo(todo_id, self.clock.now())

    @cached_property
    def zone(self) -> str:
        """The zone you read times in: config.toml's `timezone`, else the system's."""
        from .config import your_zone

        return your_zone(self.config)

    def _remind_todos(self, limit: int = 1000) -> int:
        """Write one reminder job for each open to-do that has come due; how many were written."""
        if self.registry.actions.get(ACTION) is None:
            return 0  # no plugin sends them now: they stay due until one does
        written = 0
        for todo in self.store.todos_to_remind(epoch(self.clock.now()), limit):
            assert todo.due is not None
            with self.store.transaction() as tx:
                if not tx.take_reminder(todo.id):
                    continue  # another tick wrote it meanwhile
                interview = tx.load(todo.interview_id) if todo.interview_id is not None else None
                tx.enqueue(todo.interview_id or 0, 0, ACTION,
                           reminder_params(todo.text, todo.due, self.zone, interview),
                           f"todo:{todo.id}", self.clock.now())
                written += 1
        return written

    def edit(self, interview_id: int, request: "EditRequest", *, source: str = "cli",
             dispatch: bool = True) -> FireResult | None:
        """Correct an interview: an `edit` event holding only what differs, written like any
        other (timers re-armed, the calendar's SEQUENCE moved). None when nothing differs: no
        event. Refused in a state the workflow does not let you edit, or when the edit would
        leave the state's `requires` unmet."""
        from .edits import changes

        with self.store.transaction() as tx:
            before = tx.load(interview_id)
            wf = self.registry.workflow(before.workflow)
            data = changes(before, request)
            if not data:
                return None
            now = self.clock.now()
            state = wf.states.get(before.state)
            allowed = machine.allowed(wf, before.state)
            if state is None or not state.editable:
                why = "final state" if state is not None and state.final else "not editable"
                raise Refused(interview_id, before.state, EDIT_EVENT, [
                    f"workflow {wf.name} does not allow editing in state '{before.state}' ({why}); "
                    f"`editable: true` on the state allows it"], allowed)
            event = Event(before.id, before.version + 1, EDIT_EVENT, before.state, before.state, now, data, source)
            reasons = [f"state '{before.state}' requires {path}, which this edit would leave empty"
                       for path in state.requires if machine.unmet(EDIT_EVENT, (path,), apply(before, event), {})]
            reasons += self.host.check_transition(
                before, machine.TransitionView(wf.name, EDIT_EVENT, before.state, before.state, data, now))
            if reasons:
                raise Refused(interview_id, before.state, EDIT_EVENT, reasons, allowed)
            interview, jobs = self._write(tx, wf, before, tx.fired_dues(interview_id), event, ())
        return self._after(interview, event, jobs, dispatch)

    def _decide(self, wf: Workflow, interview: Interview, event: str, data: dict[str, Any],
                now: datetime) -> Transition:
        """The transition `event` takes, once the machine, its guards and every plugin agree; else Refused."""
        decision = machine.decide(wf, interview, event, data, now)
        reasons = list(decision.reasons)
        t = decision.transition
        if t is not None and not reasons:
            reasons = self._plugin_reasons(wf, interview, t, data, now)
        if reasons or t is None:
            raise Refused(interview.id, interview.state, event, reasons, machine.allowed(wf, interview.state))
        return t

    def _plugin_reasons(self, wf: Workflow, interview: Interview, t: Transition, data: dict[str, Any],
                        now: datetime) -> list[str]:
        view = machine.TransitionView(wf.name, t.event, t.source, t.to, data, now)
        reasons: list[str] = []
        for name in t.guards:
            try:
                reason = self.registry.guards[name].check(interview, view, now)
            except Exception as e:  # a plugin's guard: refuse, naming whose guard broke
                raise PluginFailed(f"{self.registry.whose('guard', name)} failed in guard '{name}' while checking "
                                   f"'{t.event}' on interview {interview.id}: {type(e).__name__}: {e}; "
                                   "nothing was changed") from e
            if reason:
                reasons.append(str(reason))
        reasons.extend(self.host.check_transition(interview, view))
        return reasons

    def _write(self, tx: Transaction, wf: Workflow, before: Interview | None, fired: Fired, event: Event,
               actions: tuple[ActionCall, ...], cause: str | None = None) -> tuple[Interview, list[int]]:
        """Project, re-arm timers, write the projection (naming the version it replaces), append
        the event, enqueue actions: all in the caller's unit of work. `fired` is what the
        interview's timers have fired for; `cause` is the jobs' origin in the outbox (default:
        the event). Each job keeps its templates rendered from the interview just projected:
        what it says is what was true when it was caused, however late it is sent."""
        cause = cause or f"event:{event.event}"
        if wf.name not in self._digests_noted:
            # Once per process and workflow: the file this data was written with (engine/workers.py).
            from .workers import digest_of

            item = self.registry.workflow_items.get(wf.name)
            if item is not None:
                tx.set_workflow_digests({wf.name: digest_of(item)})
            self._digests_noted.add(wf.name)
        interview = apply(before, event)
        tx.save(interview, before.version if before else None, timers.armed(wf, interview, fired, self.clock.now()))
        tx.append(event)
        if interview.person is not None:
            self._rearm_person(tx, interview.person)
        jobs = []
        for a in actions:
            params = job_params(self.registry.actions.get(a.name), a.params, a.raw, interview,
                                self.registry.template_fields, self.zone)
            jobs.append(tx.enqueue(interview.id, event.seq, a.name, params, cause, event.at))
        return interview, jobs

    def _after(self, interview: Interview, event: Event, jobs: list[int], dispatch: bool) -> FireResult:
        self.host.event_committed(event, interview)
        if dispatch and jobs:
            self.outbox.dispatch(jobs)
        return FireResult(interview, event, jobs)

    # ---- timers ----

    def tick(self, *, dispatch: bool = True, limit: int = 1000) -> list[Firing | PersonFiring]:
        """Fire every due timer once (keep-in-touch reminders after the interviews' own, so a
        follow-up that fires now counts), then run due outbox jobs. Safe beside other ticks and runs."""
        firings: list[Firing | PersonFiring] = []
        timers_due, jobs_due = self.store.anything_due(epoch(self.clock.now()))
        if timers_due:
            more = True
            while more:
                batch, more = self.store.due(epoch(self.clock.now()), limit)
                for interview_id, timer_id, due in batch:
                    firing = self._fire_timer(interview_id, timer_id, due)
                    if firing is not None:
                        firings.append(firing)
            for person_id, due in self.store.people_due(epoch(self.clock.now())):
                person_firing = self._fire_person_timer(person_id, due)
                if person_firing is not None:
                    firings.append(person_firing)
        reminded = self._remind_todos()
        if dispatch and (jobs_due or firings or reminded):
            self.outbox.dispatch()
        return firings

    def _fire_timer(self, interview_id: int, timer_id: str, due_epoch: int) -> Firing | None:
        """Decide once what becomes of the timer (fired, missed, or refused when the event it
        fires is not allowed), then write in one unit of work the firing with that outcome, the
        `timer` event saying the same, and the fired event if there is one."""
        with self.store.transaction() as tx:
            # Another worker is firing this interview's timers right now: it is theirs (its row
            # lock is the claim, and dies with a killed worker's connection).
            if not tx.claim_interview(interview_id):
                return None
            # Someone else may have fired or moved it since we looked: it must still be armed for
            # that time. The firing recorded below keeps it from being armed for that time again.
            if tx.armed_timers(interview_id).get(timer_id) != due_epoch:
                return None
            interview, fired = tx.load(interview_id), tx.fired_dues(interview_id)
            wf = self.registry.workflow(interview.workflow)
            timer = next((t for t in wf.timers if t.id == timer_id), None)
            now, due = self.clock.now(), from_epoch(due_epoch)
            if timer is None:  # the workflow file no longer has it
                tx.set_timers(interview_id, timers.armed(wf, interview, fired, now))
                return Firing(interview_id, timer_id, due, "skipped", "the workflow no longer declares this timer")
            seq = interview.version + 1
            outcome, detail, transition = "fired", "", None
            if timers.is_late(timer, due, now):
                outcome, detail = "missed", f"more than {timers.format_late(timer)} late"
            elif timer.fire:
                # The fired event follows the timer's record, which changes nothing but the version.
                recorded = apply(interview, Event(interview_id, seq, TIMER_EVENT, interview.state, interview.state,
                                                  now, {}, f"timer:{timer_id}"))
                try:
                    transition = self._decide(wf, recorded, timer.fire, {}, now)
                except Refused as e:
                    outcome, detail = "refused", "; ".join(e.reasons)
                except PluginFailed as e:  # a broken plugin refuses this one event, never the tick
                    outcome, detail = "refused", str(e)
            tx.record_firing(interview_id, timer_id, due_epoch, now, outcome)
            fired.setdefault(timer_id, set()).add(due_epoch)
            record = Event(interview_id, seq, TIMER_EVENT, interview.state, interview.state, now,
                           {"timer": timer_id, "due": iso(due), "outcome": outcome}, f"timer:{timer_id}")
            actions = timer.actions if outcome == "fired" else ()
            interview, jobs = self._write(tx, wf, interview, fired, record, actions, cause=f"timer:{timer_id}")
            last = record
            if transition is not None:
                assert timer.fire is not None
                last = Event(interview_id, seq + 1, timer.fire, interview.state, transition.to, now, {},
                             f"timer:{timer_id}")
                interview, more = self._write(tx, wf, interview, fired, last, transition.actions)
                jobs += more
        # Plugins hear of the firing's last event: the fired one, when the timer fires one.
        # Its jobs run with the tick's dispatch.
        self._after(interview, last, jobs, dispatch=False)
        return Firing(interview_id, timer_id, due, outcome, detail)

    def agenda(self, until: datetime) -> Iterator[tuple[Interview, str, datetime]]:
        """Every timer due by `until`, by due time, with its interview: loaded for its row and not
        kept (a load by id is cheaper than holding every interview the agenda names)."""
        rows, _ = self.store.due(epoch(until))
        for interview_id, timer_id, due in rows:
            yield self.store.load(interview_id), timer_id, from_epoch(due)

    # ---- whole logs ----

    def rebuild(self, batch: int = 500) -> int:
        """Rebuild every projection and timer from the event log; return how many interviews.

        In batches of `batch` interviews (by id), each its own short unit of work that reads the
        batch's logs and rewrites their projections: an event committed meanwhile is either in a
        batch's read or written, live, after it, so none is missed; the write lock is never held
        for more than one batch, and memory holds one batch. Ids only grow, so interviews planned
        meanwhile come in later batches."""
        done, after = 0, 0
        while True:
            ids = self.store.log_ids(after, batch)
            with self.store.transaction() as tx:
                if not ids:  # projections beyond the last log (none, unless written by hand); then people
                    tx.clear_projections(after + 1, None)
                    self._rebuild_people(tx)
                    return done
                first, last = after + 1, ids[-1]
                projections = replay_all(tx.events_between(first, last))
                tx.clear_projections(first, last)
                now, fired = self.clock.now(), tx.fired_dues_between(first, last)  # one query per batch
                for interview in projections.values():
                    wf = self.registry.workflows.get(interview.workflow)
                    armed = timers.armed(wf, interview, fired.get(interview.id, {}), now) if wf else {}
                    tx.save(interview, None, armed)
            done, after = done + len(projections), last

    def import_logs(self, logs: Iterable[Log], origin: str,
                    batch: int = 500) -> tuple[int, int]:
        """Put whole event logs (from an export) into this home in one unit of work: all of them
        or nothing. Each log is an interview's or a person's, in any order. An interview's log
        is replayed into its projection, its timer firings are recorded (a timer that fired
        before the export does not fire again), and its timers are armed; a person's log into
        their record. Refused when any id is taken. `logs` is consumed as it comes (a streamed
        file), `batch` logs at a time: memory holds one batch, the store's transaction the rest.
        Interviews without a person (an export made before people existed) get people as an
        upgraded home does, at the end, when the export's own people are all in. `origin` names
        the source in messages. Returns (interviews, events) written."""
        interviews = events = 0
        unlinked = array("q")   # (id, microseconds) pairs: an old export may have nothing but these
        # Interviews naming a person the file has not shown yet: (id, microseconds, person) triples.
        # People come first in an export, so this stays empty unless a person is missing (an
        # interview planned while the export ran) or the file lists people last.
        waiting = array("q")
        seen_people: set[int] = set()
        cadenced: list[int] = []  # people whose keep-in-touch time depends on interviews still to come
        with self.store.transaction() as tx:
            now = self.clock.now()
            first_person = tx.next_person_id()
            for chunk in _chunks(logs, batch):
                ids = [log[0].interview_id for log in chunk if _is_interview(log)]
                taken = tx.taken(ids)
                if taken:
                    shown = ", ".join(map(str, taken[:10])) + (" ..." if len(taken) > 10 else "")
                    raise InfoviewError(f"this home already has interview {shown}; nothing was imported "
                                        "(import into an empty home, e.g. --home NEWDIR)")
                if len(set(ids)) != len(ids):
                    raise InfoviewError(f"{origin}: an interview appears twice; nothing was imported")
                for log in chunk:
                    if _is_interview(log):
                        interview = self._import_log(tx, log[0].interview_id, log, origin, now)
                        if interview.person is None:
                            unlinked += array("q", (interview.id, _micros(max(log[-1].at, now))))
                        elif interview.person not in seen_people:
                            waiting += array("q", (interview.id, _micros(max(log[-1].at, now)), interview.person))
                        interviews += 1
                    else:
                        person_log = cast("list[PersonEvent]", log)
                        seen_people.add(person_log[0].person_id)
                        if self._import_person(tx, person_log, origin, first_person):
                            cadenced.append(person_log[0].person_id)
                    events += len(log)
            for person_id in cadenced:
                self._rearm_person(tx, person_id)
            # A person the file never showed would be a dangling id that a later person could take:
            # such interviews get a person from their contact, as interviews of old exports do.
            for n in range(0, len(waiting), 3):
                if waiting[n + 2] not in seen_people:
                    unlinked += array("q", (waiting[n], waiting[n + 1]))
            events += self.link_people(tx, ((tx.load(unlinked[n]), _from_micros(unlinked[n + 1]))
                                            for n in range(0, len(unlinked), 2)), "import")
        return interviews, events

    def _import_log(self, tx: Transaction, interview_id: int, events: list[Event], origin: str,
                    now: datetime) -> Interview:
        from .inputs import zone_of

        interview: Interview | None = None
        firings: dict[tuple[str, int], tuple[datetime, str]] = {}
        try:
            for event in events:
                tx.append(event)
                interview = apply(interview, event)
                if event.event == TIMER_EVENT:
                    due = epoch(datetime.fromisoformat(event.data["due"]))
                    firings[(event.data["timer"], due)] = (event.at, event.data.get("outcome", "fired"))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
            raise InfoviewError(f"{origin}: interview {interview_id}: its events do not replay "
                                f"({type(e).__name__}: {e}); nothing was imported") from None
        assert interview is not None
        wf = self.registry.workflows.get(interview.workflow)
        if wf is None:
            raise InfoviewError(f"{origin}: interview {interview_id} follows workflow '{interview.workflow}', "
                                "which this home does not have; add it first. Nothing was imported")
        zone_of(interview.timezone)  # an imported file is not trusted: a bad zone is refused here
        if interview.state not in wf.states:
            raise InfoviewError(f"{origin}: interview {interview_id} is in state '{interview.state}', which "
                                f"workflow '{wf.name}' does not have. Nothing was imported")
        fired: Fired = {}
        for (timer_id, due), (at, outcome) in firings.items():
            tx.record_firing(interview_id, timer_id, due, at, outcome)
            fired.setdefault(timer_id, set()).add(due)
        tx.save(interview, None, timers.armed(wf, interview, fired, now))
        return interview


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _is_interview(log: Log) -> TypeGuard[list[Event]]:
    return isinstance(log[0], Event)


def _chunks(items: Iterable[Log], size: int) -> Iterator[list[Log]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
