"""`SqliteStore`: the embedded default. One file in the home, WAL mode, a busy timeout.

Writers take the write lock up front (BEGIN IMMEDIATE), so a transaction that reads an interview
and then writes it is alone between the two; `save` still names the version it replaces and the
log is UNIQUE(interview_id, seq), so two processes can never both apply an event to one version.

An interview's armed timers live in its own row (`timers`, a JSON object of timer id -> due
epoch) with the earliest due time in `next_due`, the one indexed column `tick` looks at: a change
rewrites one row and at most one index entry.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote

from ..errors import Conflict, InfoviewError, NotFound
from ..model import Event, Interview
from ..people import Person, PersonEvent, email_key
from .schema import VERSION, upgrade
from .copying import EXPORT_BATCH, collect_batches
from .protocol import Fired, Timers
from .holders import pid_gone
from .records import Claim, Job, ListingRow, Mark, Todo
from .times import epoch, from_epoch

BUSY_TIMEOUT_MS = 15_000
# Rows read per query by the methods that stream (interviews, listing, jobs).
BATCH = 500

# Every connection's settings (the benchmarks' raw baselines use the same).
PRAGMAS = (
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)

_JOB_COLUMNS = "id, interview_id, event_seq, action, params, cause, state, attempts, next_attempt, last_error, created, done_at"
_EVENT_COLUMNS = "interview_id, seq, event, from_state, to_state, at, data, source"
# The outbox's waiting jobs; the partial index `outbox_waiting` covers exactly these rows.
_WAITING = "state IN ('pending', 'sending')"
# What an idle tick costs, and when `run` wakes next: built once, not on every call.
_ANYTHING_DUE = ("SELECT EXISTS (SELECT 1 FROM interviews WHERE next_due <= ?1) "
                 "OR EXISTS (SELECT 1 FROM people WHERE next_due <= ?1), "
                 f"EXISTS (SELECT 1 FROM outbox WHERE {_WAITING} AND next_attempt <= ?1)")
_TO_REMIND = "done_at IS NULL AND reminded = 0 AND due IS NOT NULL"  # the partial index todos_to_remind
_NEXT_WAKE = ("SELECT MIN(d) FROM (SELECT MIN(next_due) d FROM interviews UNION ALL "
              "SELECT MIN(next_due) FROM people UNION ALL "
              f"SELECT MIN(next_attempt) FROM outbox WHERE {_WAITING} UNION ALL "
              f"SELECT MIN(due) FROM todos WHERE {_TO_REMIND})")
_DIGEST_KEY = "workflow-digest:"
_PERSON_EVENT_COLUMNS = "person_id, seq, event, at, data, source"
_TODO_COLUMNS = "id, interview_id, text, due, origin, created, done_at"
_DELETED_MAX = "deleted_max_id"  # meta: the highest interview id deleted
# Tables besides the core ones that hold rows of an interview: (table, column).
_DELETE_ALSO = (("todos", "interview_id"),)
_DUE_JOBS = f"SELECT id FROM outbox WHERE {_WAITING} AND next_attempt <= ? ORDER BY id LIMIT ?"


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys: a projection written live and the same one rebuilt from the
    log then give the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class SqliteStore:
    def __init__(self, path: Path):
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self.read_only = False  # set when the database or its folder cannot be written

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        if self.path.exists() and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
            return self._open_read_only()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                # Created readable by the user only: it holds contacts and notes.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as e:
            raise InfoviewError(f"{self.path}: cannot create the database: {e.strerror}; "
                                "choose a home you can write with --home") from None
        try:
            # check_same_thread=False: the feed server hands the engine to one worker thread.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
            for pragma in PRAGMAS:
                conn.execute(pragma)
            upgrade(conn, self.path, lambda: _immediate(conn))
        except sqlite3.DatabaseError as e:
            raise InfoviewError(f"{self.path}: cannot open the database: {e}") from None
        return conn

    def compact(self) -> None:
        """VACUUM writes the file anew from what is live (no free page keeps erased text), then
        the checkpoint moves it out of the WAL and truncates that."""
        try:
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as e:
            raise Conflict(f"the database is busy ({e}); run `infoview db compact` again when nothing else "
                           "is using it") from None
    def _open_read_only(self) -> sqlite3.Connection:
        """A home that cannot be written (a read-only folder, a backup copy to browse): reading
        commands work, changing ones are refused in one line (see `transaction`). `mode=ro`
        reads a WAL left behind; where SQLite cannot make its shared-memory file beside a
        read-only database, `immutable=1` reads the file as it is."""
        self.read_only = True
        where = "file:" + quote(str(self.path.resolve()))
        last: Exception | None = None
        for options in ("mode=ro", "immutable=1"):
            try:
                conn = sqlite3.connect(f"{where}?{options}", uri=True, isolation_level=None,
                                       timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as e:
                last = e
                continue
            if version != VERSION:
                conn.close()
                raise InfoviewError(f"{self.path}: this database has schema {version} and this infoview needs "
                                    f"{VERSION}; it cannot be upgraded while the home is read-only")
            return conn
        raise InfoviewError(f"{self.path}: cannot open the database read-only: {last}") from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[SqliteTransaction]:
        db = self._db
        if self.read_only:
            raise InfoviewError(f"{self.path.parent}: the home is read-only, and this command changes it; nothing "
                                "was changed (list, show, history, report, agenda and export still work)")
        try:
            with _immediate(db) as conn:
                yield SqliteTransaction(conn)
        except sqlite3.OperationalError as e:
            problem = _storage_problem(e)
            if problem is None:
                raise
            raise InfoviewError(f"{self.path}: {problem}; nothing was changed") from e

    # ---- interviews ----

    def load(self, interview_id: int) -> Interview:
        return _load(self._db, interview_id)

    def interviews(self, states: list[str] | None = None, *, after: int = 0, limit: int | None = None,
                   starting_from: datetime | None = None) -> Iterator[Interview]:
        for (doc,) in self._in_states("doc", states, after, limit, starting_from):
            yield Interview.from_dict(json.loads(doc))

    def listing(self, states: list[str] | None = None, *, after: int = 0,
                limit: int | None = None) -> Iterator[ListingRow]:
        # Picked out by SQLite: parsing every doc in Python took `list` longer.
        for row in self._in_states("json_extract(doc, '$.start'), json_extract(doc, '$.timezone'), "
                                   "json_extract(doc, '$.contact.name'), json_extract(doc, '$.contact.company')",
                                   states, after, limit):
            yield ListingRow(*row)

    def _in_states(self, columns: str, states: list[str] | None, after: int, limit: int | None,
                   starting_from: datetime | None = None) -> Iterator[tuple[Any, ...]]:
        """Rows (id, state, *columns after them for listings; `doc` alone otherwise) in id order,
        read BATCH at a time by id: no read stays open between batches, so a caller may write
        (the feed server) or take its time printing while it iterates."""
        with_id = not columns.startswith("doc")
        sql = f"SELECT id, state, {columns} FROM interviews WHERE id > ?"
        args: list[Any] = list(states or [])
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
        if starting_from is not None:
            sql += " AND start >= ?"  # the `interviews_start` index (layout 6)
            args.append(epoch(starting_from))
        sql += " ORDER BY id LIMIT ?"
        left = -1 if limit is None else limit
        while left != 0:
            take = BATCH if left < 0 else min(BATCH, left)
            rows = self._db.execute(sql, (after, *args, take)).fetchall()
            for row in rows:
                yield row if with_id else row[2:]
            if len(rows) < take:
                return
            after = rows[-1][0]
            left = left if left < 0 else left - len(rows)

    def referred_by(self, interview_id: int) -> list[int]:
        # The expression is the one `interviews_referred_by` indexes (layout 6). Named, because once
        # ANALYZE has run the index's statistics count every unreferred interview (NULL) as one value
        # and the planner would rather scan the whole table in id order (1 s at 100,000).
        rows = self._db.execute("SELECT id FROM interviews INDEXED BY interviews_referred_by "
                                "WHERE json_extract(doc, '$.referred_by') = ? ORDER BY id",
                                (interview_id,))
        return [r[0] for r in rows]

    # ---- people ----

    def person(self, person_id: int) -> Person:
        return _load_person(self._db, person_id)

    def people(self) -> list[Person]:
        return [Person.from_dict(json.loads(doc)) for (doc,) in self._db.execute("SELECT doc FROM people ORDER BY id")]

    def person_events(self, person_id: int | None = None) -> Iterator[PersonEvent]:
        return _person_events(self._db, person_id)

    def person_interviews(self, person_id: int) -> list[Interview]:
        return _person_interviews(self._db, person_id)

    def people_due(self, until: int) -> list[tuple[int, int]]:
        rows = self._db.execute("SELECT id, next_due FROM people WHERE next_due <= ? ORDER BY next_due, id", (until,))
        return [(r[0], r[1]) for r in rows]

    # ---- the log ----

    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        return _events(self._db, interview_id)

    def change_marker(self) -> tuple[int, str]:
        """(highest event id, how many times projections were rebuilt): two index look-ups, no count."""
        row = self._db.execute("SELECT (SELECT IFNULL(MAX(id), 0) FROM events), "
                               "(SELECT IFNULL(MAX(value), '0') FROM meta WHERE key = 'projections')").fetchone()
        return (row[0], row[1])

    def log_ids(self, after: int = 0, limit: int = 1000) -> list[int]:
        rows = self._db.execute("SELECT DISTINCT interview_id FROM events WHERE interview_id > ? "
                                "ORDER BY interview_id LIMIT ?", (after, limit))
        return [r[0] for r in rows]

    # ---- timers ----

    def due(self, until: int, limit: int | None = None) -> tuple[list[tuple[int, str, int]], bool]:
        rows = self._db.execute("SELECT id, timers FROM interviews WHERE next_due <= ? ORDER BY next_due, id LIMIT ?",
                                (until, -1 if limit is None else limit)).fetchall()  # -1: no limit
        out = [(iid, tid, due) for iid, doc in rows for tid, due in json.loads(doc).items() if due <= until]
        out.sort(key=lambda r: (r[2], r[0]))
        return out, limit is not None and len(rows) >= limit

    def anything_due(self, now: int) -> tuple[bool, bool]:
        row = self._db.execute(_ANYTHING_DUE, (now,)).fetchone()
        return bool(row[0]), bool(row[1])

    def next_wake(self) -> int | None:
        wake: int | None = self._db.execute(_NEXT_WAKE).fetchone()[0]
        return wake

    # ---- the outbox ----

    def jobs(self, states: tuple[str, ...] = (), interview_id: int | None = None, *, after: int = 0,
             limit: int | None = None, done_since: datetime | None = None) -> Iterator[Job]:
        where: list[str] = ["id > ?"]
        args: list[Any] = []
        if states:
            where.append(f"state IN ({','.join('?' * len(states))})")
            args.extend(states)
        if interview_id is not None:
            where.append("interview_id = ?")
            args.append(interview_id)
        sql = f"SELECT {_JOB_COLUMNS} FROM outbox WHERE {' AND '.join(where)}"
        if done_since is not None:
            # Each half is read through its own partial index of layout 6 (jobs not done; done
            # ones by when): what needs attention, without a pass over every job ever sent.
            done = sql.replace("FROM outbox", "FROM outbox INDEXED BY outbox_done")
            sql = f"{sql} AND state != 'done' UNION ALL {done} AND state = 'done' AND done_at >= ?"
            args = [*args, after, *args, done_since.isoformat()]
        sql += " ORDER BY id LIMIT ?"
        left = -1 if limit is None else limit
        while left != 0:
            take = BATCH if left < 0 else min(BATCH, left)
            rows = self._db.execute(sql, (after, *args, take)).fetchall()
            yield from map(_job, rows)
            if len(rows) < take:
                return
            after = rows[-1][0]
            left = left if left < 0 else left - len(rows)

    def job(self, job_id: int) -> Job:
        row = self._db.execute(f"SELECT {_JOB_COLUMNS} FROM outbox WHERE id=?", (job_id,)).fetchone()
        if row is None:
            raise NotFound(f"no outbox job {job_id}; `infoview outbox` lists them")
        return _job(row)

    def count_jobs(self, state: str) -> int:
        count: int = self._db.execute("SELECT COUNT(*) FROM outbox WHERE state=?", (state,)).fetchone()[0]
        return count

    def due_jobs(self, now: int, limit: int) -> list[int]:
        # The partial index holds only waiting jobs, so this reads what is waiting, not the
        # outbox's whole history; sorting those few by id is cheap.
        rows = self._db.execute(_DUE_JOBS, (now, limit))
        return [r[0] for r in rows]

    def marks(self, namespace: str, job_id: int) -> dict[str, Mark]:
        return _marks(self._db, namespace, job_id)

    # ---- workers ----

    def heartbeat(self, worker: str) -> None:
        """Nothing to record: on one machine a claim's holder is checked by its pid."""

    def workflow_digests(self) -> dict[str, str]:
        rows = self._db.execute("SELECT key, value FROM meta WHERE key LIKE ?", (_DIGEST_KEY + "%",))
        return {key.removeprefix(_DIGEST_KEY): value for key, value in rows}

    def waiter(self) -> None:
        return None  # processes sharing a file poll it

    # ---- to-dos ----

    def todos(self, *, done: bool = False, interview_id: int | None = None) -> list[Todo]:
        where, args = ([] if done else ["done_at IS NULL"]), []
        if interview_id is not None:
            where.append("interview_id = ?")
            args.append(interview_id)
        sql = f"SELECT {_TODO_COLUMNS} FROM todos" + (" WHERE " + " AND ".join(where) if where else "")
        return [_todo(r) for r in self._db.execute(sql + " ORDER BY due IS NULL, due, id", args)]

    def todos_to_remind(self, now: int, limit: int) -> list[Todo]:
        rows = self._db.execute(f"SELECT {_TODO_COLUMNS} FROM todos WHERE {_TO_REMIND} AND due <= ? "
                                "ORDER BY due, id LIMIT ?", (now, limit))
        return [_todo(r) for r in rows]

    # ---- maintenance ----

    def export_rows(self, tables: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[Any, ...]]]:
        return collect_batches(tables, self.export_batches(tables))

    def export_batches(self, tables: dict[str, tuple[str, ...]],
                       size: int = EXPORT_BATCH) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        conn = self._db
        # A read transaction: in WAL mode one snapshot for every table, and writers go on meanwhile
        # (a copy of a big home takes a while; a write lock would time them out).
        conn.execute("BEGIN")
        try:
            for t, c in tables.items():
                cur = conn.execute(f"SELECT {', '.join(c)} FROM {t} ORDER BY 1")
                while rows := cur.fetchmany(size):
                    yield t, rows
        finally:
            conn.execute("ROLLBACK")

    def backup(self, target: Path) -> None:
        """SQLite's online backup: a consistent copy while other processes may write. Written
        to a private temporary file beside `target` and linked into place only when complete,
        so a failure (a full disk, say) leaves no partial or empty file behind."""
        if target.exists():
            raise InfoviewError(f"{target} exists; choose a new file name")
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            dest = sqlite3.connect(partial)
            try:
                self._db.backup(dest)
            finally:
                dest.close()
            os.link(partial, target)  # never replaces a file made meanwhile
        except FileExistsError:
            raise InfoviewError(f"{target} exists; choose a new file name") from None
        except (OSError, sqlite3.Error) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise InfoviewError(f"{target}: cannot write the backup: {reason}; nothing was written") from None
        finally:
            for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-journal", "-wal", "-shm"))):
                leftover.unlink(missing_ok=True)


class SqliteTransaction:
    """The operations of one BEGIN IMMEDIATE transaction on the store's connection."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def load(self, interview_id: int) -> Interview:
        return _load(self._conn, interview_id)

    def claim_interview(self, interview_id: int) -> bool:
        return True  # the transaction holds the write lock already: nobody else is firing

    def next_id(self) -> int:
        # A deleted interview's id stays used: a calendar that showed it must not see another under its UID.
        row = self._conn.execute("SELECT MAX(m) FROM (SELECT MAX(id) m FROM interviews "
                                 "UNION ALL SELECT MAX(interview_id) FROM events "
                                 f"UNION ALL SELECT CAST(value AS INTEGER) FROM meta WHERE key='{_DELETED_MAX}')"
                                 ).fetchone()
        return (row[0] or 0) + 1

    def taken(self, interview_ids: Iterable[int]) -> list[int]:
        ids = list(interview_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(f"SELECT id FROM interviews WHERE id IN ({marks}) "
                                  f"UNION SELECT interview_id FROM events WHERE interview_id IN ({marks})", [*ids, *ids])
        return sorted(r[0] for r in rows)

    def save(self, interview: Interview, replaces: int | None, timers: Timers) -> None:
        doc = dumps(interview.to_dict())
        armed, next_due = dumps(timers), min(timers.values(), default=None)
        if replaces is None:
            try:
                self._conn.execute("INSERT INTO interviews (id, workflow, state, version, start, doc, timers, next_due, "
                                   "person) VALUES (?,?,?,?,?,?,?,?,?)",
                                   (interview.id, interview.workflow, interview.state, interview.version,
                                    epoch(interview.start), doc, armed, next_due, interview.person))
            except sqlite3.IntegrityError:
                raise Conflict(f"interview {interview.id} exists already; try again") from None
            return
        cur = self._conn.execute("UPDATE interviews SET state=?, version=?, start=?, doc=?, timers=?, next_due=?, "
                                 "person=? WHERE id=? AND version=?",
                                 (interview.state, interview.version, epoch(interview.start), doc, armed, next_due,
                                  interview.person, interview.id, replaces))
        if cur.rowcount != 1:
            raise Conflict(f"interview {interview.id} changed meanwhile; try again")

    def set_timers(self, interview_id: int, timers: Timers) -> None:
        self._conn.execute("UPDATE interviews SET timers=?, next_due=? WHERE id=?",
                           (dumps(timers), min(timers.values(), default=None), interview_id))

    def armed_timers(self, interview_id: int) -> Timers:
        row = self._conn.execute("SELECT timers FROM interviews WHERE id=?", (interview_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def clear_projections(self, first: int | None = None, last: int | None = None) -> None:
        self._conn.execute("DELETE FROM interviews WHERE id BETWEEN ? AND ?",
                           (first if first is not None else -1, last if last is not None else 2 ** 62))
        if last is None:  # the end of a rebuild: the people are written anew after the interviews
            self._conn.execute("DELETE FROM people")
        self._conn.execute("INSERT INTO meta (key, value) VALUES ('projections', '1') ON CONFLICT (key) "
                           "DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def events_between(self, first: int, last: int) -> Iterator[Event]:
        return map(_event, self._conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE interview_id BETWEEN ? AND ? "
                                              "ORDER BY interview_id, seq", (first, last)))

    def prune_jobs(self, done_before: datetime) -> int:
        cutoff = done_before.isoformat()
        old = "SELECT id FROM outbox WHERE state = 'done' AND done_at < ?"
        self._conn.execute(f"DELETE FROM marks WHERE job_id IN ({old})", (cutoff,))
        return self._conn.execute(f"DELETE FROM outbox WHERE id IN ({old})", (cutoff,)).rowcount

    # ---- people ----

    def load_person(self, person_id: int) -> Person:
        return _load_person(self._conn, person_id)

    def next_person_id(self) -> int:
        row = self._conn.execute("SELECT MAX(m) FROM (SELECT MAX(id) m FROM people "
                                 "UNION ALL SELECT MAX(person_id) FROM person_events)").fetchone()
        return (row[0] or 0) + 1

    def save_person(self, person: Person, replaces: int | None, due: int | None) -> None:
        doc, email = dumps(person.to_dict()), email_key(person.email)
        if replaces is None:
            try:
                self._conn.execute("INSERT INTO people (id, version, email, doc, next_due) VALUES (?,?,?,?,?)",
                                   (person.id, person.version, email, doc, due))
            except sqlite3.IntegrityError:
                raise Conflict(f"person {person.id} exists already; try again") from None
            return
        cur = self._conn.execute("UPDATE people SET version=?, email=?, doc=?, next_due=? WHERE id=? AND version=?",
                                 (person.version, email, doc, due, person.id, replaces))
        if cur.rowcount != 1:
            raise Conflict(f"person {person.id} changed meanwhile; try again")

    def delete_person(self, person_id: int) -> None:
        self._conn.execute("DELETE FROM people WHERE id=?", (person_id,))

    def append_person_event(self, event: PersonEvent) -> None:
        try:
            self._conn.execute(f"INSERT INTO person_events ({_PERSON_EVENT_COLUMNS}) VALUES (?,?,?,?,?,?)",
                               (event.person_id, event.seq, event.event, event.at.isoformat(), dumps(event.data),
                                event.source))
        except sqlite3.IntegrityError:
            raise Conflict(f"person {event.person_id} changed meanwhile; try again") from None

    def person_events(self, person_id: int | None = None) -> Iterator[PersonEvent]:
        return _person_events(self._conn, person_id)

    def person_by_email(self, email: str) -> Person | None:
        row = self._conn.execute("SELECT doc FROM people WHERE email=? ORDER BY id LIMIT 1",
                                 (email_key(email),)).fetchone()
        return Person.from_dict(json.loads(row[0])) if row else None

    def person_interviews(self, person_id: int) -> list[Interview]:
        return _person_interviews(self._conn, person_id)

    def replace_event_data(self, interview_id: int, seq: int, data: dict[str, Any]) -> None:
        self._conn.execute("UPDATE events SET data=? WHERE interview_id=? AND seq=?", (dumps(data), interview_id, seq))

    def replace_person_event_data(self, person_id: int, seq: int, data: dict[str, Any]) -> None:
        self._conn.execute("UPDATE person_events SET data=? WHERE person_id=? AND seq=?",
                           (dumps(data), person_id, seq))

    def job_params(self) -> dict[int, dict[str, Any]]:
        return {r[0]: json.loads(r[1]) for r in self._conn.execute("SELECT id, params FROM outbox ORDER BY id")}

    def replace_job_params(self, job_id: int, params: dict[str, Any]) -> None:
        self._conn.execute("UPDATE outbox SET params=? WHERE id=?", (dumps(params), job_id))

    def delete_interview(self, interview_id: int) -> None:
        c = self._conn
        c.execute("DELETE FROM marks WHERE job_id IN (SELECT id FROM outbox WHERE interview_id=?)", (interview_id,))
        for table, column in (("outbox", "interview_id"), ("firings", "interview_id"), ("events", "interview_id"),
                              ("interviews", "id"), *_DELETE_ALSO):
            c.execute(f"DELETE FROM {table} WHERE {column}=?", (interview_id,))
        c.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                  "value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))", (_DELETED_MAX, interview_id))

    def append(self, event: Event) -> None:
        try:
            self._conn.execute(
                f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                (event.interview_id, event.seq, event.event, event.from_state, event.to_state,
                 event.at.isoformat(), dumps(event.data), event.source),
            )
        except sqlite3.IntegrityError:
            raise Conflict(f"interview {event.interview_id} changed meanwhile; try again") from None

    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        return _events(self._conn, interview_id)

    def fired_dues(self, interview_id: int) -> Fired:
        out: Fired = {}
        for timer_id, due in self._conn.execute("SELECT timer_id, due FROM firings WHERE interview_id=?",
                                                (interview_id,)):
            out.setdefault(timer_id, set()).add(due)
        return out

    def fired_dues_between(self, first: int, last: int) -> dict[int, Fired]:
        out: dict[int, Fired] = {}
        for interview_id, timer_id, due in self._conn.execute(
                "SELECT interview_id, timer_id, due FROM firings WHERE interview_id BETWEEN ? AND ?", (first, last)):
            out.setdefault(interview_id, {}).setdefault(timer_id, set()).add(due)
        return out

    def record_firing(self, interview_id: int, timer_id: str, due: int, at: datetime, outcome: str) -> None:
        try:
            self._conn.execute("INSERT INTO firings (interview_id, timer_id, due, fired_at, outcome) VALUES (?,?,?,?,?)",
                               (interview_id, timer_id, due, at.isoformat(), outcome))
        except sqlite3.IntegrityError:
            raise Conflict(f"timer {timer_id} of interview {interview_id} has fired for that time already") from None

    def enqueue(self, interview_id: int, seq: int, action: str, params: dict[str, Any], cause: str,
                now: datetime) -> int:
        cur = self._conn.execute(
            "INSERT INTO outbox (interview_id, event_seq, action, params, cause, next_attempt, created) "
            "VALUES (?,?,?,?,?,?,?)", (interview_id, seq, action, dumps(params), cause, epoch(now), now.isoformat()))
        return int(cur.lastrowid or 0)

    def claimable(self, job_id: int) -> Claim | None:
        row = self._conn.execute(f"SELECT {_JOB_COLUMNS}, claimed_by, claimed_until FROM outbox WHERE id=?",
                                 (job_id,)).fetchone()
        if row is None:
            return None
        job, by, until = _job(row[:12]), row[12], row[13]
        # One machine shares a SQLite file: a holder whose process is gone is known at once.
        free = job.state != "sending" or until is None or until < time.time() or pid_gone(by)
        return Claim(job, by, until, free)

    def claim(self, job_id: int, by: str, lease: float) -> str:
        until = time.time() + lease
        self._conn.execute("UPDATE outbox SET state='sending', claimed_by=?, claimed_until=? WHERE id=?",
                           (by, until, job_id))
        # The fencing token: who and until when. A takeover writes another one (a later time).
        return f"{by} {until!r}"

    def finish(self, job_id: int, token: str, state: str, attempts: int, next_attempt: datetime,
               last_error: str | None, done_at: datetime | None) -> bool:
        by, _, until = token.rpartition(" ")
        try:
            held_until = float(until)
        except ValueError:
            return False
        cur = self._conn.execute(
            "UPDATE outbox SET state=?, attempts=?, next_attempt=?, last_error=?, claimed_by=NULL, claimed_until=NULL,"
            " done_at=? WHERE id=? AND state='sending' AND claimed_by=? AND claimed_until=?",
            (state, attempts, epoch(next_attempt), last_error, done_at.isoformat() if done_at else None, job_id,
             by, held_until))
        return cur.rowcount == 1

    def marks(self, namespace: str, job_id: int) -> dict[str, Mark]:
        return _marks(self._conn, namespace, job_id)

    def add_todo(self, interview_id: int | None, text: str, due: datetime | None, origin: str,
                 now: datetime) -> int:
        cur = self._conn.execute("INSERT INTO todos (interview_id, text, due, origin, created) VALUES (?,?,?,?,?)",
                                 (interview_id, text, None if due is None else epoch(due), origin, now.isoformat()))
        return int(cur.lastrowid or 0)

    def close_todo(self, todo_id: int, now: datetime) -> bool:
        row = self._conn.execute("SELECT done_at FROM todos WHERE id=?", (todo_id,)).fetchone()
        if row is None:
            raise NotFound(f"no to-do {todo_id}; `infoview todo` lists the open ones")
        if row[0] is not None:
            return False
        self._conn.execute("UPDATE todos SET done_at=? WHERE id=?", (now.isoformat(), todo_id))
        return True

    def take_reminder(self, todo_id: int) -> bool:
        cur = self._conn.execute(f"UPDATE todos SET reminded=1 WHERE id=? AND {_TO_REMIND}", (todo_id,))
        return cur.rowcount == 1

    def set_marks(self, namespace: str, job_id: int, marks: dict[str, Mark]) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO marks (namespace, job_id, key, state, by) VALUES (?,?,?,?,?)",
                               [(namespace, job_id, key, m.state, m.by) for key, m in marks.items()])

    def delete_marks(self, namespace: str, job_id: int, keys: Iterable[str]) -> None:
        self._conn.executemany("DELETE FROM marks WHERE namespace=? AND job_id=? AND key=?",
                               [(namespace, job_id, key) for key in keys])

    def is_empty(self) -> bool:
        row = self._conn.execute("SELECT EXISTS (SELECT 1 FROM interviews) OR EXISTS (SELECT 1 FROM events) "
                                 "OR EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM person_events) "
                                 "OR EXISTS (SELECT 1 FROM todos)").fetchone()
        return not row[0]

    def import_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        self._conn.executemany(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
                               f"VALUES ({', '.join('?' * len(columns))})", rows)

    def set_workflow_digests(self, digests: dict[str, str]) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                               [(_DIGEST_KEY + name, digest) for name, digest in digests.items()])


def _storage_problem(e: sqlite3.OperationalError) -> str | None:
    """What a user can do about a write that failed for the storage's sake, or None."""
    text = str(e).lower()
    if "full" in text:
        return "the disk is full; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return "the database cannot be written (a read-only file or folder); check its permissions"
    if "disk i/o error" in text:  # what a write past a size limit, or a failing disk, gives
        return "the disk refused the write (full, or failing); free some space and try again"
    return None


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, the lock taken up front; rolled back on any exception."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise Conflict(f"the database is busy ({e}); another infoview is writing; try again") from None
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _load(conn: sqlite3.Connection, interview_id: int) -> Interview:
    row = conn.execute("SELECT doc FROM interviews WHERE id=?", (interview_id,)).fetchone()
    if row is None:
        raise NotFound(f"no interview {interview_id}; `infoview list` shows the ids")
    return Interview.from_dict(json.loads(row[0]))


def _load_person(conn: sqlite3.Connection, person_id: int) -> Person:
    row = conn.execute("SELECT doc FROM people WHERE id=?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"no person {person_id}; `infoview people` shows the ids")
    return Person.from_dict(json.loads(row[0]))


def _person_interviews(conn: sqlite3.Connection, person_id: int) -> list[Interview]:
    rows = conn.execute("SELECT doc FROM interviews WHERE person=? ORDER BY id", (person_id,))
    return [Interview.from_dict(json.loads(doc)) for (doc,) in rows]


def _person_events(conn: sqlite3.Connection, person_id: int | None) -> Iterator[PersonEvent]:
    sql = f"SELECT {_PERSON_EVENT_COLUMNS} FROM person_events"
    rows = conn.execute(sql + " WHERE person_id=? ORDER BY seq", (person_id,)) if person_id is not None \
        else conn.execute(sql + " ORDER BY person_id, seq")
    return (PersonEvent(r[0], r[1], r[2], datetime.fromisoformat(r[3]), _data(r[4]), r[5]) for r in rows)


def _events(conn: sqlite3.Connection, interview_id: int | None) -> Iterator[Event]:
    """Parsed as they are consumed: the whole log never has to be in memory at once."""
    sql = f"SELECT {_EVENT_COLUMNS} FROM events"
    if interview_id is not None:
        return map(_event, conn.execute(sql + " WHERE interview_id=? ORDER BY seq", (interview_id,)))
    return map(_event, conn.execute(sql + " ORDER BY interview_id, seq"))


def _event(r: tuple[Any, ...]) -> Event:
    return Event(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), _data(r[6]), r[7])


def _data(text: str) -> dict[str, Any]:
    # Most events carry no data: their "{}" needs no parser (`db rebuild` and the replay
    # benchmark of 100,000 events are about 1.1x as fast for it).
    if text == "{}":
        return {}
    data: dict[str, Any] = json.loads(text)
    return data


def _job(row: tuple[Any, ...]) -> Job:
    return Job(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], row[7], from_epoch(row[8]),
               row[9], row[10], row[11])


def _todo(r: tuple[Any, ...]) -> Todo:
    return Todo(r[0], r[1], r[2], None if r[3] is None else from_epoch(r[3]), r[4], r[5], r[6])


def _marks(conn: sqlite3.Connection, namespace: str, job_id: int) -> dict[str, Mark]:
    rows = conn.execute("SELECT key, state, by FROM marks WHERE namespace=? AND job_id=?", (namespace, job_id))
    return {key: Mark(state, by) for key, state, by in rows}
