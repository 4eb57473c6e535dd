"""People on PostgreSQL (layout 4): the `Store` reads and `Transaction` writes of person records,
their logs and keep-in-touch due times, and the in-place rewrites a forget makes. Mixed into
PostgresStore and PostgresTransaction (postgres.py).

As for interviews, what SQLite's single writer made safe is made safe explicitly: `load_person`
locks the person's row until commit, person ids come from MAX+1 under a transaction-scoped
advisory lock, and a look-up by email takes a lock on that email, so two plans naming one new
email wait for each other and make one person, not two.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..errors import Conflict, NotFound
from ..model import Interview
from ..people import Person, PersonEvent, email_key
from .postgres_schema import PERSON_EMAIL_LOCK, PERSON_ID_LOCK
from .sqlite import dumps

_PERSON_EVENT_COLUMNS = "person_id, seq, event, at, data, source"
# Every table a whole-log read or a rebuild must hold still: in one statement, one order.
WHOLE_LOG_TABLES = "interviews, events, people, person_events"

Rows = Callable[[str, Any], list[tuple[Any, ...]]]


class PgPeopleReads:
    """The Store's reads of people; `_rows(sql, args)` runs one query on the store's connection."""

    if TYPE_CHECKING:  # provided by PostgresStore
        def _rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]: ...

    def person(self, person_id: int) -> Person:
        return _person(self._rows("SELECT doc FROM people WHERE id=%s", (person_id,)), person_id)

    def people(self) -> list[Person]:
        return [Person.from_dict(json.loads(doc)) for (doc,) in self._rows("SELECT doc FROM people ORDER BY id")]

    def person_events(self, person_id: int | None = None) -> Iterator[PersonEvent]:
        return _person_events(self._rows, person_id)

    def person_interviews(self, person_id: int) -> list[Interview]:
        return _person_interviews(self._rows, person_id)

    def people_due(self, until: int) -> list[tuple[int, int]]:
        rows = self._rows("SELECT id, next_due FROM people WHERE next_due <= %s ORDER BY next_due, id", (until,))
        return [(r[0], r[1]) for r in rows]


class PgPeopleWrites:
    """The Transaction's operations on people; `_conn` is the transaction's connection."""

    _conn: Any
    wake: bool

    if TYPE_CHECKING:  # provided by PostgresTransaction
        def _bump(self, interview_id: int) -> None: ...

    def _fetch(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._conn.execute(sql, args).fetchall()
        return rows

    def load_person(self, person_id: int) -> Person:
        return _person(self._fetch("SELECT doc FROM people WHERE id=%s FOR UPDATE", (person_id,)), person_id)

    def next_person_id(self) -> int:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (PERSON_ID_LOCK,))
        row = self._fetch("SELECT GREATEST((SELECT MAX(id) FROM people), (SELECT MAX(person_id) FROM person_events))")
        return int(row[0][0] or 0) + 1

    def save_person(self, person: Person, replaces: int | None, due: int | None) -> None:
        doc, email = dumps(person.to_dict()), email_key(person.email)
        self.wake = self.wake or due is not None
        if replaces is None:
            # ON CONFLICT DO NOTHING, not a savepoint around a failing INSERT: one round trip, not three.
            cur = self._conn.execute("INSERT INTO people (id, version, email, doc, next_due) VALUES (%s,%s,%s,%s,%s) "
                                     "ON CONFLICT (id) DO NOTHING", (person.id, person.version, email, doc, due))
            if cur.rowcount != 1:
                raise Conflict(f"person {person.id} exists already; try again")
            return
        cur = self._conn.execute("UPDATE people SET version=%s, email=%s, doc=%s, next_due=%s WHERE id=%s AND version=%s",
                                 (person.version, email, doc, due, person.id, replaces))
        if cur.rowcount != 1:
            raise Conflict(f"person {person.id} changed meanwhile; try again")

    def delete_person(self, person_id: int) -> None:
        self._conn.execute("DELETE FROM people WHERE id=%s", (person_id,))

    def append_person_event(self, event: PersonEvent) -> None:
        cur = self._conn.execute(f"INSERT INTO person_events ({_PERSON_EVENT_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s) "
                                 "ON CONFLICT (person_id, seq) DO NOTHING",
                                 (event.person_id, event.seq, event.event, event.at.isoformat(), dumps(event.data),
                                  event.source))
        if cur.rowcount != 1:
            raise Conflict(f"person {event.person_id} changed meanwhile; try again")

    def person_events(self, person_id: int | None = None) -> Iterator[PersonEvent]:
        if person_id is None:
            # Every log, read to rewrite records from it (rebuild, forget): no writer may slip in between.
            self._conn.execute(f"LOCK TABLE {WHOLE_LOG_TABLES} IN EXCLUSIVE MODE")
        return _person_events(self._fetch, person_id)

    def person_by_email(self, email: str) -> Person | None:
        key = email_key(email)
        self._conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (PERSON_EMAIL_LOCK, key))
        rows = self._fetch("SELECT doc FROM people WHERE email=%s ORDER BY id LIMIT 1", (key,))
        return Person.from_dict(json.loads(rows[0][0])) if rows else None

    def person_interviews(self, person_id: int) -> list[Interview]:
        return _person_interviews(self._fetch, person_id)

    # ---- erasing a person ----

    def replace_event_data(self, interview_id: int, seq: int, data: dict[str, Any]) -> None:
        self._conn.execute("UPDATE events SET data=%s WHERE interview_id=%s AND seq=%s",
                           (dumps(data), interview_id, seq))
        self._bump(interview_id)

    def replace_person_event_data(self, person_id: int, seq: int, data: dict[str, Any]) -> None:
        self._conn.execute("UPDATE person_events SET data=%s WHERE person_id=%s AND seq=%s",
                           (dumps(data), person_id, seq))

    def job_params(self) -> dict[int, dict[str, Any]]:
        return {r[0]: json.loads(r[1]) for r in self._fetch("SELECT id, params FROM outbox ORDER BY id")}

    def replace_job_params(self, job_id: int, params: dict[str, Any]) -> None:
        self._conn.execute("UPDATE outbox SET params=%s WHERE id=%s", (dumps(params), job_id))


def _person(rows: list[tuple[Any, ...]], person_id: int) -> Person:
    if not rows:
        raise NotFound(f"no person {person_id}; `infoview people` shows the ids")
    return Person.from_dict(json.loads(rows[0][0]))


def _person_interviews(rows: Rows, person_id: int) -> list[Interview]:
    found = rows("SELECT doc FROM interviews WHERE person=%s ORDER BY id", (person_id,))
    return [Interview.from_dict(json.loads(doc)) for (doc,) in found]


def _person_events(rows: Rows, person_id: int | None) -> Iterator[PersonEvent]:
    sql = f"SELECT {_PERSON_EVENT_COLUMNS} FROM person_events"
    found = rows(sql + " WHERE person_id=%s ORDER BY seq", (person_id,)) if person_id is not None \
        else rows(sql + " ORDER BY person_id, seq", ())
    return (PersonEvent(r[0], r[1], r[2], datetime.fromisoformat(r[3]), {} if r[4] == "{}" else json.loads(r[4]), r[5])
            for r in found)
