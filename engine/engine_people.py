"""The Engine's writes to people: each in one unit of work of the store, as every change is.

Mixed into `Engine` (engine.py), whose `_write` and `_after` it uses for the interview events a
merge or a forget appends. A person's keep-in-touch due time is recomputed in the same unit of
work as every change of the person or of one of their interviews.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from . import forget, keepintouch
from .errors import Conflict, InfoviewError, NotFound, UsageError
from .model import Event, Interview, iso
from .people import Person, PersonEvent, apply_person, identity_key, replay_people
from .projection import PERSON_EVENT, replay
from .store import Transaction, epoch, from_epoch
from .workflow import ActionCall

if TYPE_CHECKING:
    from .clock import Clock
    from .host import PluginHost
    from .registry import Registry
    from .store import Fired, Store
    from .workflow import Workflow

# What the keep-in-touch reminder says, through the notify action like the workflow's reminders.
REMIND_TAG = "followups"
REMIND_TITLE = "Stay in touch with {name}: your last contact was {last:%Y-%m-%d}"


@dataclass
class PersonFiring:
    """A keep-in-touch reminder that came due during a tick, and what became of it."""

    person_id: int
    due: datetime
    outcome: str  # fired | missed | skipped
    detail: str = ""
    jobs: list[int] = field(default_factory=list)
    timer: str = keepintouch.TIMER_ID

    def to_dict(self) -> dict[str, Any]:
        return {"person": self.person_id, "timer": keepintouch.TIMER_ID, "due": iso(self.due),
                "outcome": self.outcome, "detail": self.detail}


class PeopleWrites:
    store: "Store"
    clock: "Clock"
    host: "PluginHost"

    if TYPE_CHECKING:
        @property
        def registry(self) -> "Registry": ...
        def _write(self, tx: Transaction, wf: "Workflow", before: Interview | None, fired: "Fired", event: Event,
                   actions: tuple[ActionCall, ...], cause: str | None = None) -> tuple[Interview, list[int]]: ...

    # ---- reads ----

    def person(self, person_id: int) -> Person:
        return self.store.person(person_id)

    # ---- the person record ----

    def _person_write(self, tx: Transaction, before: Person | None, event: PersonEvent) -> Person:
        """Append the person event, project it, save it with its keep-in-touch due time."""
        person = apply_person(before, event)
        tx.append_person_event(event)
        tx.save_person(person, before.version if before else None,
                       keepintouch.due(person, tx.person_interviews(person.id)))
        return person

    def _rearm_person(self, tx: Transaction, person_id: int) -> None:
        """After a change of one of their interviews: the latest contact may have moved."""
        try:
            person = tx.load_person(person_id)
        except NotFound:  # an interview imported without its person
            return
        if person.every is not None:
            tx.save_person(person, person.version, keepintouch.due(person, tx.person_interviews(person_id)))

    def person_for_plan(self, tx: Transaction, data: dict[str, Any], now: datetime) -> tuple[Person, str]:
        """The person a new interview is with, named in `data["person"]` on return: the one asked
        for (`--person`), else the one with the same email, else a new one. Says which."""
        contact = data["contact"]
        if data.get("person") is not None:
            person = tx.load_person(data["person"])
            if person.forgotten:
                raise InfoviewError(f"person {person.id} was forgotten; plan with their details as a new person")
            for key in ("name", "company", "title", "email"):
                if not contact.get(key):
                    contact[key] = getattr(person, key)
            return person, f"with person {person.id} ({person.name})"
        found = tx.person_by_email(contact["email"]) if contact.get("email") else None
        if found is not None and not found.forgotten:
            data["person"] = found.id
            return found, f"with person {found.id} ({found.name}), known by the email {contact['email']}"
        person = self._person_write(tx, None, PersonEvent(tx.next_person_id(), 1, "create", now, {
            "name": contact["name"], "email": contact.get("email"), "company": contact.get("company"),
            "title": contact.get("title")}))
        data["person"] = person.id
        return person, f"with new person {person.id} ({person.name})"

    def edit_person(self, person_id: int, changes: dict[str, Any], *, source: str = "cli") -> Person:
        """Change fields of the record; `changes` is validated input (engine/inputs.PersonEdit)."""
        if not changes:
            raise UsageError("nothing to change: give --name, --email, --company, --title, --how, --link, --note "
                             "or --every")
        with self.store.transaction() as tx:
            before = tx.load_person(person_id)
            if before.forgotten:
                raise InfoviewError(f"person {person_id} was forgotten; nothing to edit")
            if changes.get("email"):
                other = tx.person_by_email(changes["email"])
                if other is not None and other.id != person_id:
                    raise InfoviewError(f"person {other.id} ({other.name}) has the email {changes['email']}; "
                                        f"to make them one, run `infoview person merge {person_id} {other.id}`")
            event = PersonEvent(person_id, before.version + 1, "edit", self.clock.now(), changes, source)
            return self._person_write(tx, before, event)

    def log_contact(self, person_id: int, text: str, at: datetime, *, source: str = "cli") -> Person:
        with self.store.transaction() as tx:
            before = tx.load_person(person_id)
            if before.forgotten:
                raise InfoviewError(f"person {person_id} was forgotten; nothing to log")
            event = PersonEvent(person_id, before.version + 1, "log", self.clock.now(),
                                {"at": iso(at), "text": text}, source)
            return self._person_write(tx, before, event)

    # ---- merge ----

    def merge_people(self, keep: int, gone: int, *, source: str = "cli") -> tuple[Person, list[int]]:
        """`gone`'s interviews and history move to `keep`; `gone` is no more. Returns the kept
        person and the interviews that moved."""
        if keep == gone:
            raise UsageError(f"cannot merge person {keep} with itself")
        now = self.clock.now()
        moved: list[tuple[Interview, Event]] = []
        with self.store.transaction() as tx:
            a, b = tx.load_person(keep), tx.load_person(gone)
            if a.forgotten or b.forgotten:
                raise InfoviewError("a forgotten person cannot be merged")
            for interview in tx.person_interviews(gone):
                moved.append(self._relink(tx, interview, keep, now, source))
            self._person_write(tx, b, PersonEvent(gone, b.version + 1, "merged", now, {"into": keep}, source))
            tx.delete_person(gone)
            fill = {k: getattr(b, k) for k in ("email", "company", "title", "how", "every") if getattr(b, k) is not None
                    and getattr(a, k) is None}
            person = self._person_write(tx, a, PersonEvent(keep, a.version + 1, "merge", now, {
                "absorbed": gone, "links": b.links, "notes": b.notes, "contacts": b.contacts, "fill": fill}, source))
        for interview, event in moved:
            self.host.event_committed(event, interview)
        return person, [i.id for i, _ in moved]

    def link_people(self, tx: Transaction, interviews: Iterable[tuple[Interview, datetime]], source: str) -> int:
        """Give interviews that have no person one, as the upgrade to layout 4 does: the person
        with their email if there is one, else one per distinct email, else per name. Each comes
        with the time to record it at: never before the last event of its log, so that the log
        stays in time order (an import may run on a clock behind the export's). Returns the
        events written."""
        made: dict[str, int] = {}
        written = 0
        for interview, at in interviews:
            c = interview.contact
            key = identity_key(c.name, c.email)
            if key not in made:
                known = tx.person_by_email(c.email) if c.email else None
                if known is None or known.forgotten:
                    known = self._person_write(tx, None, PersonEvent(tx.next_person_id(), 1, "create", interview.created, {
                        "name": c.name, "email": c.email, "company": c.company, "title": c.title}, source))
                    written += 1
                made[key] = known.id
            self._relink(tx, interview, made[key], at, source)
            written += 1
        return written

    def _import_person(self, tx: Transaction, log: list[PersonEvent], origin: str, first_id: int) -> bool:
        """Store one person's log and record; True when they have a keep-in-touch cadence."""
        person_id = log[0].person_id
        if person_id < first_id:
            raise InfoviewError("this home already has people; nothing was imported "
                                "(import into an empty home, e.g. --home NEWDIR)")
        try:
            for person_event in log:
                tx.append_person_event(person_event)
        except Conflict:
            raise InfoviewError(f"{origin}: person {person_id}: it appears twice; nothing was imported") from None
        try:
            person = replay_people(log)[person_id]
        except (KeyError, TypeError, ValueError) as e:
            raise InfoviewError(f"{origin}: person {person_id}: its events do not replay ({type(e).__name__}: {e}); "
                                "nothing was imported") from None
        if person.gone:
            return False
        tx.save_person(person, None, keepintouch.due(person, tx.person_interviews(person_id)))
        return person.every is not None

    def _relink(self, tx: Transaction, before: Interview, person_id: int | None, now: datetime,
                source: str) -> tuple[Interview, Event]:
        wf = self.registry.workflow(before.workflow)
        event = Event(before.id, before.version + 1, PERSON_EVENT, before.state, before.state, now,
                      {"person": person_id}, source)
        interview, _ = self._write(tx, wf, before, tx.fired_dues(before.id), event, ())
        return interview, event

    # ---- forget ----

    def forget_person(self, person_id: int, *, source: str = "cli") -> tuple[int, int]:
        """Erase the person's personal data wherever it is stored (see forget.py); their record
        stays as an anonymous count. Returns (interviews erased, events rewritten)."""
        now = self.clock.now()
        rewritten = 0
        touched: list[tuple[Interview, Event]] = []
        with self.store.transaction() as tx:
            person = tx.load_person(person_id)
            if person.forgotten:
                raise InfoviewError(f"person {person_id} was forgotten already")
            own = tx.person_interviews(person_id)
            own_ids = {i.id for i in own}
            names: list[str | None] = [person.name, person.email]
            for i in own:
                names += [i.contact.name, i.contact.email]
            for logged in tx.person_events(person_id):
                names += [logged.data.get("name"), logged.data.get("email")]
            pattern = forget.needles(names)
            # Every interview event: their own lose their personal content, others each mention.
            changed_interviews: set[int] = set(own_ids)
            for e in list(tx.events()):
                new = forget.own_interview_event(e.data, pattern) if e.interview_id in own_ids \
                    else forget.scrub(e.data, pattern) if pattern else e.data
                if new != e.data:
                    tx.replace_event_data(e.interview_id, e.seq, new)
                    changed_interviews.add(e.interview_id)
                    rewritten += 1
            for pe in list(tx.person_events()):
                new = forget.own_person_event(pe.event, pe.data) if pe.person_id == person_id \
                    else forget.scrub(pe.data, pattern) if pattern else pe.data
                if new != pe.data:
                    tx.replace_person_event_data(pe.person_id, pe.seq, new)
                    rewritten += 1
            if pattern:
                for job_id, params in tx.job_params().items():
                    new_params = forget.scrub(params, pattern)
                    if new_params != params:
                        tx.replace_job_params(job_id, new_params)
            # Projections from the rewritten logs; each interview gets an event saying it changed
            # (so the calendar feed, which watches the log, renders it anew).
            for interview_id in sorted(changed_interviews):
                replayed = replay(tx.events(interview_id))  # the same version as stored: saved over it
                touched.append(self._relink(tx, replayed, replayed.person, now, source))
            others = replay_people(e for e in tx.person_events() if e.person_id != person_id)
            for other in others.values():
                if not other.gone:
                    tx.save_person(other, tx.load_person(other.id).version,
                                   keepintouch.due(other, tx.person_interviews(other.id)))
            mine = replay_people(tx.person_events(person_id))[person_id]
            self._person_write(tx, mine, PersonEvent(person_id, mine.version + 1, "forget", now, {}, source))
        for interview, event in touched:
            self.host.event_committed(event, interview)
        return len(own_ids), rewritten

    # ---- keep in touch ----

    def _fire_person_timer(self, person_id: int, due_epoch: int) -> PersonFiring | None:
        """As Engine._fire_timer for a person's keep-in-touch reminder: decided once, recorded
        as a `remind` event of the person, its notification written to the outbox."""
        with self.store.transaction() as tx:
            try:
                person = tx.load_person(person_id)
            except NotFound:
                return None
            interviews = tx.person_interviews(person_id)
            if keepintouch.due(person, interviews) != due_epoch:
                return None  # changed since it was read
            now, due = self.clock.now(), from_epoch(due_epoch)
            armed = {i.id: tx.armed_timers(i.id) for i in interviews}
            outcome, detail, jobs = "fired", "", []
            record = due
            if now - due > keepintouch.LATE:
                outcome, detail = "missed", "more than a week late"
                assert person.every is not None
                # After a long pause, resume the rhythm from the last occurrence already past.
                record = from_epoch(due_epoch + (int((now - due).total_seconds()) // person.every) * person.every)
            elif keepintouch.follow_up_pending(person, armed, now):
                outcome, detail = "skipped", "a follow-up reminder of theirs is due first"
            elif not interviews:
                outcome, detail = "skipped", "no conversation to remind about"
            else:
                jobs.append(self._remind(tx, person, interviews[-1], keepintouch.last_contact(person, interviews)))
            self._person_write(tx, person, PersonEvent(person_id, person.version + 1, "remind", now,
                                                       {"due": iso(record), "outcome": outcome},
                                                       f"timer:{keepintouch.TIMER_ID}"))
        return PersonFiring(person_id, due, outcome, detail, jobs)

    def _remind(self, tx: Transaction, person: Person, interview: Interview, last: datetime) -> int:
        """One notify job on their latest interview (the outbox's jobs belong to interviews)."""
        from .outbox import job_params

        name = person.name.replace("{", "{{").replace("}", "}}")  # literal text inside a template
        raw = {"tag": REMIND_TAG, "title": REMIND_TITLE.format(name=name, last=last.astimezone(interview.tz))}
        spec = self.registry.actions.get("notify")
        params: Any = spec.params.model_validate(raw) if spec is not None and spec.params is not None else raw
        return tx.enqueue(interview.id, interview.version, "notify",
                          job_params(spec, params, {"notify": raw}, interview, self.registry.template_fields),
                          f"timer:{keepintouch.TIMER_ID}", self.clock.now())

    def people_due(self, until: datetime) -> list[tuple[Person, datetime]]:
        return [(self.store.person(pid), from_epoch(due)) for pid, due in self.store.people_due(epoch(until))]

    # ---- whole logs ----

    def _rebuild_people(self, tx: Transaction) -> None:
        """Every person record from their logs, after the interviews were rebuilt."""
        self._save_people(tx, [tx.person_events()])

    def _save_people(self, tx: Transaction, logs: Iterable[Iterable[PersonEvent]]) -> None:
        """New records from these logs (after the interviews they have are saved)."""
        for log in logs:
            for person in replay_people(log).values():
                if not person.gone:
                    tx.save_person(person, None, keepintouch.due(person, tx.person_interviews(person.id)))
