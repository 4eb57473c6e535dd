"""What the engine needs from storage: a `Store` with reads, and a `Transaction` (one unit of work)
with the operations every change is made of.

Every write goes through `with store.transaction() as tx:`; the block's operations commit
together when it ends, or none of them does when it raises. A transaction sees its own writes and
none of another writer's half-done ones; reading an interview inside one and then saving it is
safe against other processes because `save` names the version it replaces (a `Conflict` if that
is no longer the stored one) and `append` refuses a second event with the same (interview, seq).

No driver types appear here: times are aware datetimes or epoch seconds (int), documents are
plain dicts, ids are ints allocated inside the transaction. `SqliteStore` (sqlite.py) and `PostgresStore` (postgres.py)
are the implementations; tests/store/contract.py is the suite any implementation must pass.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol

from ..model import Event, Interview
from ..people import Person, PersonEvent
from .records import Claim, Job, ListingRow, Mark, Todo

# timer id -> due time (epoch seconds)
Timers = dict[str, int]
# timer id -> the due times (epoch seconds) it has fired for
Fired = dict[str, set[int]]


class Transaction(Protocol):
    """One unit of work. Obtained from `Store.transaction()`; valid only inside its `with` block."""

    # ---- interviews and their timers ----
    def load(self, interview_id: int) -> Interview:
        """The stored projection; NotFound for an unknown id. No other transaction writes the
        interview until this one ends (SQLite: the write lock; PostgreSQL: a row lock)."""
    def claim_interview(self, interview_id: int) -> bool:
        """Take the interview for this transaction unless another transaction holds it now
        (then False at once, without waiting): how timer workers share the due interviews."""
    def next_id(self) -> int:
        """An id no interview and no event uses yet (for `plan`)."""
    def taken(self, interview_ids: Iterable[int]) -> list[int]:
        """Which of these ids an interview or an event already uses, ascending (for import)."""
    def save(self, interview: Interview, replaces: int | None, timers: Timers) -> None:
        """Write the projection with its armed timers. `replaces` is the stored version this one
        replaces (None: a new interview); Conflict when that is not the stored version."""
    def set_timers(self, interview_id: int, timers: Timers) -> None:
        """Make the interview's armed timers exactly `timers`."""
    def armed_timers(self, interview_id: int) -> Timers:
        """The interview's armed timers ({} for an unknown id)."""
    def clear_projections(self, first: int | None = None, last: int | None = None) -> None:
        """Forget the projections and armed timers of interviews `first`..`last` (both included;
        None: no bound; with no `last`, every person's record too), for rebuild to write them anew from
        the log, and move the change marker."""
    def delete_interview(self, interview_id: int) -> None:
        """Erase the interview for good: its projection, timers, events, firings, outbox jobs (and
        the marks kept for them) and to-dos. Its id is never handed out again by `next_id`."""

    # ---- the log ----
    def append(self, event: Event) -> None:
        """Append to the log; Conflict when the interview already has an event with that seq."""
    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        """As `Store.events`, inside this transaction."""
    def events_between(self, first: int, last: int) -> Iterator[Event]:
        """The logs of interviews `first`..`last` (both included), by (interview id, seq), streamed."""

    # ---- people ----
    def load_person(self, person_id: int) -> Person:
        """The stored record; NotFound for an unknown id (or one merged into another)."""
    def next_person_id(self) -> int:
        """An id no person and no person event uses yet."""
    def save_person(self, person: Person, replaces: int | None, due: int | None) -> None:
        """Write the record and its keep-in-touch due time (epoch seconds, None: none). `replaces`
        is the stored version (None: a new person); Conflict when that is not the stored one."""
    def delete_person(self, person_id: int) -> None:
        """Drop the record (its log stays): a person merged into another."""
    def append_person_event(self, event: PersonEvent) -> None:
        """Append to the person's log; Conflict when it has an event with that seq already."""
    def person_events(self, person_id: int | None = None) -> Iterator[PersonEvent]:
        """As `Store.person_events`, inside this transaction."""
    def person_by_email(self, email: str) -> Person | None:
        """The person with this email, compared without regard to case."""
    def person_interviews(self, person_id: int) -> list[Interview]:
        """The interviews with this person, in id order."""

    # ---- erasing a person (the one change that rewrites history) ----
    def replace_event_data(self, interview_id: int, seq: int, data: dict[str, Any]) -> None:
        """Rewrite one interview event's data in place."""
    def replace_person_event_data(self, person_id: int, seq: int, data: dict[str, Any]) -> None:
        """Rewrite one person event's data in place."""
    def job_params(self) -> dict[int, dict[str, Any]]:
        """Every outbox job's params, by job id."""
    def replace_job_params(self, job_id: int, params: dict[str, Any]) -> None:
        """Rewrite one outbox job's params in place."""

    # ---- timer firings ----
    def fired_dues(self, interview_id: int) -> Fired:
        """The due times each of the interview's timers has fired (or been missed, refused) for."""
    def fired_dues_between(self, first: int, last: int) -> dict[int, Fired]:
        """`fired_dues` of interviews `first`..`last` (both included) in one query, by interview
        id (an interview with no firing is absent): a rebuild batch asks once, not per interview."""
    def record_firing(self, interview_id: int, timer_id: str, due: int, at: datetime, outcome: str) -> None:
        """Record what became of a timer due at `due`; Conflict if that firing is recorded already."""

    # ---- the outbox ----
    def enqueue(self, interview_id: int, seq: int, action: str, params: dict[str, Any], cause: str,
                now: datetime) -> int:
        """A new pending job, due at `now`; returns its id."""
    def claimable(self, job_id: int) -> Claim | None:
        """The job as a claim must judge it, or None when there is no such job (or another
        transaction is claiming it right now)."""
    def claim(self, job_id: int, by: str, lease: float) -> str:
        """Mark the job `sending`, held by `by` for `lease` seconds of the store's clock; returns
        the claim's fencing token, which `finish` must name."""
    def prune_jobs(self, done_before: datetime) -> int:
        """Delete the jobs done before `done_before`, with their marks; returns how many."""
    def finish(self, job_id: int, token: str, state: str, attempts: int, next_attempt: datetime,
               last_error: str | None, done_at: datetime | None) -> bool:
        """Record a claimed job's outcome and release the claim; False (nothing written) if the job
        is not `sending` under the claim `token` any more: someone took it over meanwhile."""

    # ---- to-dos ----
    def add_todo(self, interview_id: int | None, text: str, due: datetime | None, origin: str,
                 now: datetime) -> int:
        """A new open to-do (linked to an interview or not); returns its id."""
    def close_todo(self, todo_id: int, now: datetime) -> bool:
        """Mark an open to-do done; False when it was done already. NotFound for an unknown id."""
    def take_reminder(self, todo_id: int) -> bool:
        """Note that the to-do's reminder is being written; False when it was already (or the
        to-do is done or gone): a reminder is written once."""

    # ---- marks plugins keep per outbox job ----
    def marks(self, namespace: str, job_id: int) -> dict[str, Mark]:
        """The marks of one job in a plugin's namespace, by key."""
    def set_marks(self, namespace: str, job_id: int, marks: dict[str, Mark]) -> None:
        """Write (insert or replace) these marks."""
    def delete_marks(self, namespace: str, job_id: int, keys: Iterable[str]) -> None:
        """Forget these marks."""

    # ---- copying between stores (copying.py) ----
    def is_empty(self) -> bool:
        """No interview, event, outbox job, person or to-do is stored."""
    def import_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """Insert rows (as `Store.export_rows` gives them) into `table`, ids kept as they are."""

    # ---- the workflow files the data was written with ----
    def set_workflow_digests(self, digests: dict[str, str]) -> None:
        """Record these workflows' file digests (name -> digest), replacing earlier ones."""


class Waiter(Protocol):
    """Wake-ups from other processes: `fileno()` turns readable when one came; `drain()` reads
    them (how many; -1 when the connection dropped and was made again: catch up in full)."""

    def fileno(self) -> int | None: ...
    def drain(self) -> int: ...
    def close(self) -> None: ...


class Store(Protocol):
    """Storage for one home: reads here, every write through `transaction()`."""

    @property
    def location(self) -> str:
        """Where the data lives, for messages (a file path, a server)."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One unit of work, rolled back on any exception. Reading an interview in it and then
        writing it is safe against every other writer: SQLite takes the store's write lock up
        front; PostgreSQL locks each interview's row when the transaction loads it (and the whole
        log when it reads all of it). Conflict when another writer holds a lock for too long."""

    # ---- interviews ----
    def load(self, interview_id: int) -> Interview:
        """The stored projection; NotFound for an unknown id."""
    def interviews(self, states: list[str] | None = None, *, after: int = 0, limit: int | None = None,
                   starting_from: datetime | None = None) -> Iterator[Interview]:
        """The interviews (or those in `states`, or starting at or after `starting_from`) with ids
        above `after`, in id order, at most `limit`; streamed in bounded batches (memory does not
        grow with the home)."""
    def listing(self, states: list[str] | None = None, *, after: int = 0,
                limit: int | None = None) -> Iterator[ListingRow]:
        """What `infoview list` prints of each interview, selected and streamed as `interviews`."""
    def referred_by(self, interview_id: int) -> list[int]:
        """Ids of the interviews planned on a referral from this one, ascending."""

    # ---- people ----
    def person(self, person_id: int) -> Person:
        """The stored record; NotFound for an unknown id (or one merged into another)."""
    def people(self) -> list[Person]:
        """Every person (forgotten ones too), in id order."""
    def person_events(self, person_id: int | None = None) -> Iterator[PersonEvent]:
        """One person's log by seq, or every person's ordered by (person id, seq)."""
    def person_interviews(self, person_id: int) -> list[Interview]:
        """The interviews with this person, in id order."""
    def people_due(self, until: int) -> list[tuple[int, int]]:
        """(person id, due) of every keep-in-touch reminder due at or before `until`, by due time."""

    # ---- the log ----
    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        """One interview's log by seq, or every log ordered by (interview id, seq), streamed."""
    def change_marker(self) -> Any:
        """A value that differs after every commit that changed an interview or the log; cheap
        (no count of the home: a feed asks it on every poll)."""
    def log_ids(self, after: int = 0, limit: int = 1000) -> list[int]:
        """Up to `limit` ids above `after` that have a log, ascending (rebuild walks them in batches)."""

    # ---- timers ----
    def due(self, until: int, limit: int | None = None) -> tuple[list[tuple[int, str, int]], bool]:
        """(interview id, timer id, due) of every timer due at or before `until`, by due time;
        from at most `limit` interviews, and whether that limit cut the answer short."""
    def anything_due(self, now: int) -> tuple[bool, bool]:
        """(any timer or keep-in-touch reminder due, any outbox job due) at `now`: all an idle tick costs."""
    def next_wake(self) -> int | None:
        """When the next timer, keep-in-touch reminder or outbox job comes due (epoch seconds), if any."""

    # ---- the outbox ----
    def jobs(self, states: tuple[str, ...] = (), interview_id: int | None = None, *, after: int = 0,
             limit: int | None = None, done_since: datetime | None = None) -> Iterator[Job]:
        """Jobs with ids above `after` (those in `states`, of one interview; with `done_since`, only
        jobs not done and those done since then), oldest first, at most `limit`; streamed."""
    def job(self, job_id: int) -> Job:
        """One job; NotFound for an unknown id."""
    def count_jobs(self, state: str) -> int:
        """How many jobs are in `state`."""
    def due_jobs(self, now: int, limit: int) -> list[int]:
        """Ids of up to `limit` pending or sending jobs due at `now`, oldest first."""
    def marks(self, namespace: str, job_id: int) -> dict[str, Mark]:
        """As `Transaction.marks`, outside a transaction."""

    # ---- workers ----
    def heartbeat(self, worker: str) -> None:
        """Record that the worker named `worker` (as it names itself in claims) is alive now."""
    def workflow_digests(self) -> dict[str, str]:
        """The workflow file digests recorded by `Transaction.set_workflow_digests`, by name."""
    def waiter(self) -> "Waiter | None":
        """Something to wait on for changes by other processes, or None where polling is all."""

    # ---- to-dos ----
    def todos(self, *, done: bool = False, interview_id: int | None = None) -> list[Todo]:
        """The open to-dos (or, with done=True, every one), of one interview or all; those with a
        due date first, soonest first, then the others by id."""
    def todos_to_remind(self, now: int, limit: int) -> list[Todo]:
        """Open to-dos due at or before `now` (epoch seconds) whose reminder is not written yet."""

    # ---- maintenance ----
    def export_rows(self, tables: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of these tables (name -> columns), all read in one consistent snapshot."""
    def export_batches(self, tables: dict[str, tuple[str, ...]],
                       size: int = 2000) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:  # copying.EXPORT_BATCH
        """The same rows as `export_rows`, table by table in the order given, as (table, rows)
        batches of at most `size` read as they are consumed (one snapshot for all of them), so a
        copy of any size holds one batch in memory."""
    def backup(self, target: Path) -> None:
        """A consistent copy of everything into the new file `target` while others may write."""
    def compact(self) -> None:
        """After data was erased: rewrite the storage so that no copy of it stays behind (free
        pages, a write-ahead log). Slow on a large store; for rare changes such as a forget."""
    def close(self) -> None:
        """Release connections; the store opens them again on next use."""
