"""`PostgresStore`: the shared store, for several processes on several hosts (psycopg 3).

What SQLite made safe by letting one writer in at a time is made safe here explicitly:

- `transaction()` is a READ COMMITTED transaction. There is no store-wide write lock; instead
  `load` inside a transaction locks the interview's row (SELECT ... FOR UPDATE) until commit, so a
  read-then-write of one interview is alone, as the protocol promises, while other interviews are
  written in parallel. `save` still names the version it replaces. A lock waited on for longer
  than `lock_timeout`, a deadlock or a serialization failure is a `Conflict` (try again).
- ids: `next_id` and `taken` run under a transaction-scoped advisory lock, so two plans never
  pick the same id and a rolled-back plan leaves no gap (MAX+1 made safe by the lock, held to
  commit).
- the change marker is the sum of per-shard counters each append bumps in its own transaction:
  it moves exactly when such a transaction commits, in whatever order ids were handed out.
- reading the whole log inside a transaction (rebuild) holds off every writer until commit.
- timers: `claim_interview` locks a due interview with SKIP LOCKED; the row lock is the claim
  and dies with the connection of a killed worker.
- outbox claims: the lease is measured on the database's clock, each claim takes a new fencing
  token from a sequence, and `finish` names it, so a worker whose claim was taken over cannot
  record an outcome. A holder is gone when its lease is over or its heartbeat (`workers`) is older
  than HOLDER_STALE_SECONDS, whatever host it ran on (or, on its own host, when its pid is gone).
- people (postgres_people.py): a person's row is locked when loaded, person ids come from MAX+1
  under an advisory lock, and a look-up by email locks that email until commit.
- a commit that arms a timer or writes a job sends NOTIFY `infoview_wake`, which `infoview run`
  listens for (`waiter()`), polling still being the floor.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import Conflict, InfoviewError, NotFound, Unavailable
from ..model import Event, Interview
from .holders import HOLDER_STALE_SECONDS, pid_gone
from .pg_connect import connect, driver, redact
from .postgres_people import WHOLE_LOG_TABLES, PgPeopleReads, PgPeopleWrites
from .postgres_todos import DELETED_MAX, TO_REMIND, PgTodoReads, PgTodoWrites
from .postgres_schema import CHANGE_SHARDS, ID_LOCK, upgrade
from .protocol import Fired, Timers
from .records import Claim, Job, ListingRow, Mark
from .copying import EXPORT_BATCH, collect_batches
from .sqlite import BATCH, dumps
from .times import epoch, from_epoch

WAKE_CHANNEL = "infoview_wake"

_JOB_COLUMNS = "id, interview_id, event_seq, action, params, cause, state, attempts, next_attempt, last_error, created, done_at"
_EVENT_COLUMNS = "interview_id, seq, event, from_state, to_state, at, data, source"
_WAITING = "state IN ('pending', 'sending')"
EVENT_BATCH = 2000  # events per query when the whole log is read
_DIGEST_KEY = "workflow-digest:"


class PostgresStore(PgPeopleReads, PgTodoReads):
    def __init__(self, url: str):
        self.url = url
        self._conn: Any = None

    @property
    def location(self) -> str:
        return redact(self.url)

    @property
    def _db(self) -> Any:
        if self._conn is None or self._conn.closed:
            conn = connect(self.url)
            try:
                with _errors(self):
                    upgrade(conn, self.location)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]:
        with _errors(self):
            rows: list[tuple[Any, ...]] = self._db.execute(sql, args).fetchall()
            return rows

    @contextmanager
    def transaction(self) -> Iterator[PostgresTransaction]:
        conn = self._db
        with _errors(self):
            with conn.transaction():
                tx = PostgresTransaction(conn)
                yield tx
                if tx.wake:
                    conn.execute("SELECT pg_notify(%s, '')", (WAKE_CHANNEL,))

    # ---- interviews ----

    def load(self, interview_id: int) -> Interview:
        return _interview(self._rows("SELECT doc FROM interviews WHERE id=%s", (interview_id,)), interview_id)

    def interviews(self, states: list[str] | None = None, *, after: int = 0, limit: int | None = None,
                   starting_from: datetime | None = None) -> Iterator[Interview]:
        for row in self._in_states("doc", states, after, limit, starting_from):
            yield Interview.from_dict(json.loads(row[1]))

    def listing(self, states: list[str] | None = None, *, after: int = 0,
                limit: int | None = None) -> Iterator[ListingRow]:
        for row in self._in_states("state, doc::jsonb->>'start', doc::jsonb->>'timezone', "
                                   "doc::jsonb->'contact'->>'name', doc::jsonb->'contact'->>'company'",
                                   states, after, limit):
            yield ListingRow(*row)

    def _in_states(self, columns: str, states: list[str] | None, after: int, limit: int | None,
                   starting_from: datetime | None = None) -> Iterator[tuple[Any, ...]]:
        """Rows (id, *columns) in id order, read in pages by id (see `_paged`)."""
        where: list[str] = ["id > %s"]
        args: list[Any] = []
        if states:
            where.append("state = ANY(%s)")
            args.append(states)
        if starting_from is not None:
            where.append("start >= %s")  # the `interviews_start` index (layout 6)
            args.append(epoch(starting_from))
        return self._paged(f"SELECT id, {columns} FROM interviews WHERE {' AND '.join(where)}", args, after, limit)

    def _paged(self, sql: str, args: list[Any], after: int, limit: int | None) -> Iterator[tuple[Any, ...]]:
        """`sql` (its first column the id, its first condition `id > %s`) read BATCH rows at a time
        by id: no query stays open between pages, so the caller may write or take its time."""
        left = -1 if limit is None else limit
        while left != 0:
            take = BATCH if left < 0 else min(BATCH, left)
            rows = self._rows(sql + " ORDER BY id LIMIT %s", (after, *args, take))
            yield from rows
            if len(rows) < take:
                return
            after = rows[-1][0]
            left = left if left < 0 else left - len(rows)

    def referred_by(self, interview_id: int) -> list[int]:
        rows = self._rows("SELECT id FROM interviews WHERE doc::jsonb->'referred_by' = to_jsonb(%s::bigint) "
                          "ORDER BY id", (interview_id,))
        return [r[0] for r in rows]

    # ---- the log ----

    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        return _events(self, self._db, interview_id)

    def change_marker(self) -> int:
        """The sum of the change counters: every commit that appends bumps one of them."""
        return int(self._rows("SELECT sum(n) FROM changes")[0][0])

    def log_ids(self, after: int = 0, limit: int = 1000) -> list[int]:
        rows = self._rows("SELECT DISTINCT interview_id FROM events WHERE interview_id > %s "
                          "ORDER BY interview_id LIMIT %s", (after, limit))
        return [r[0] for r in rows]

    # ---- timers ----

    def due(self, until: int, limit: int | None = None) -> tuple[list[tuple[int, str, int]], bool]:
        rows = self._rows("SELECT id, timers FROM interviews WHERE next_due <= %s ORDER BY next_due, id LIMIT %s",
                          (until, limit))
        out = [(iid, tid, due) for iid, doc in rows for tid, due in json.loads(doc).items() if due <= until]
        out.sort(key=lambda r: (r[2], r[0]))
        return out, limit is not None and len(rows) >= limit

    def anything_due(self, now: int) -> tuple[bool, bool]:
        row = self._rows("SELECT EXISTS (SELECT 1 FROM interviews WHERE next_due <= %(n)s) "
                         "OR EXISTS (SELECT 1 FROM people WHERE next_due <= %(n)s), "
                         f"EXISTS (SELECT 1 FROM outbox WHERE {_WAITING} AND next_attempt <= %(n)s)", {"n": now})[0]
        return bool(row[0]), bool(row[1])

    def next_wake(self) -> int | None:
        wake: int | None = self._rows("SELECT LEAST((SELECT MIN(next_due) FROM interviews), "
                                      "(SELECT MIN(next_due) FROM people), "
                                      f"(SELECT MIN(due) FROM todos WHERE {TO_REMIND}), "
                                      f"(SELECT MIN(next_attempt) FROM outbox WHERE {_WAITING}))")[0][0]
        return wake

    # ---- the outbox ----

    def jobs(self, states: tuple[str, ...] = (), interview_id: int | None = None, *, after: int = 0,
             limit: int | None = None, done_since: datetime | None = None) -> Iterator[Job]:
        where: list[str] = ["id > %s"]
        args: list[Any] = []
        if states:
            where.append("state = ANY(%s)")
            args.append(list(states))
        if interview_id is not None:
            where.append("interview_id = %s")
            args.append(interview_id)
        if done_since is not None:
            # Each branch matches a partial index of layout 6 (jobs not done; done ones by when).
            where.append("(state <> 'done' OR (state = 'done' AND done_at >= %s))")
            args.append(done_since.isoformat())
        return map(_job, self._paged(f"SELECT {_JOB_COLUMNS} FROM outbox WHERE {' AND '.join(where)}", args,
                                     after, limit))

    def job(self, job_id: int) -> Job:
        rows = self._rows(f"SELECT {_JOB_COLUMNS} FROM outbox WHERE id=%s", (job_id,))
        if not rows:
            raise NotFound(f"no outbox job {job_id}; `infoview outbox` lists them")
        return _job(rows[0])

    def count_jobs(self, state: str) -> int:
        return int(self._rows("SELECT COUNT(*) FROM outbox WHERE state=%s", (state,))[0][0])

    def due_jobs(self, now: int, limit: int) -> list[int]:
        rows = self._rows(f"SELECT id FROM outbox WHERE {_WAITING} AND next_attempt <= %s ORDER BY id LIMIT %s",
                          (now, limit))
        return [r[0] for r in rows]

    def marks(self, namespace: str, job_id: int) -> dict[str, Mark]:
        return _marks(self._rows, namespace, job_id)

    # ---- workers ----

    def heartbeat(self, worker: str) -> None:
        """Record that `worker` is alive now (on the database's clock)."""
        self._rows("INSERT INTO workers (name, beat) VALUES (%s, now()) ON CONFLICT (name) DO UPDATE SET beat = now() "
                   "RETURNING 1", (worker,))

    def workflow_digests(self) -> dict[str, str]:
        rows = self._rows("SELECT key, value FROM meta WHERE key LIKE %s", (_DIGEST_KEY + "%",))
        return {key.removeprefix(_DIGEST_KEY): value for key, value in rows}

    def waiter(self) -> PgWaiter:
        return PgWaiter(self)

    # ---- maintenance ----

    def export_rows(self, tables: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[Any, ...]]]:
        return collect_batches(tables, self.export_batches(tables))

    def export_batches(self, tables: dict[str, tuple[str, ...]],
                       size: int = EXPORT_BATCH) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        conn = self._db
        with _errors(self):
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")  # one snapshot for every table
            try:
                for t, c in tables.items():
                    # A server-side cursor: the server hands out `size` rows per fetch, so the
                    # client never holds a whole table.
                    with conn.cursor(name=f"export_{t}") as cur:
                        cur.execute(f"SELECT {', '.join(c)} FROM {t} ORDER BY 1")
                        while rows := cur.fetchmany(size):
                            yield t, rows
            finally:
                if not conn.closed:
                    conn.execute("ROLLBACK")

    def compact(self) -> None:
        """VACUUM FULL writes each table holding personal data anew from its live rows, so no dead
        row version keeps erased text in the table files (the server's own write-ahead log and
        backups are the operator's: see docs/deploy.md)."""
        with _errors(self):
            self._db.execute("VACUUM FULL events, person_events, people, interviews, outbox, todos")

    def backup(self, target: Path) -> None:
        """A SQLite file with everything in it, read in one snapshot (REPEATABLE READ)."""
        from .copying import copy_store
        from .sqlite import SqliteStore

        if target.exists():
            raise InfoviewError(f"{target} exists; choose a new file name")
        copy = SqliteStore(target)
        try:
            copy_store(self, copy)
        except BaseException:
            copy.close()
            for leftover in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
            raise
        copy.close()


class PostgresTransaction(PgPeopleWrites, PgTodoWrites):
    """The operations of one transaction on the store's connection."""

    def __init__(self, conn: Any):
        self._conn = conn
        self.wake = False  # something was armed or queued: tell the listening workers at commit
        self._bumped: set[int] = set()

    def _one(self, sql: str, args: Any = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._conn.execute(sql, args).fetchone()
        return row

    def load(self, interview_id: int) -> Interview:
        return _interview([r for r in [self._one("SELECT doc FROM interviews WHERE id=%s FOR UPDATE",
                                                 (interview_id,))] if r], interview_id)

    def claim_interview(self, interview_id: int) -> bool:
        return self._one("SELECT 1 FROM interviews WHERE id=%s FOR UPDATE SKIP LOCKED", (interview_id,)) is not None

    def next_id(self) -> int:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (ID_LOCK,))
        # A deleted interview's id stays used: a calendar that showed it must not see another under its UID.
        row = self._one("SELECT GREATEST((SELECT MAX(id) FROM interviews), (SELECT MAX(interview_id) FROM events), "
                        "(SELECT value::bigint FROM meta WHERE key = %s))", (DELETED_MAX,))
        return int((row[0] if row else None) or 0) + 1

    def taken(self, interview_ids: Iterable[int]) -> list[int]:
        ids = list(interview_ids)
        if not ids:
            return []
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (ID_LOCK,))
        rows = self._conn.execute("SELECT id FROM interviews WHERE id = ANY(%(i)s) "
                                  "UNION SELECT interview_id FROM events WHERE interview_id = ANY(%(i)s)",
                                  {"i": ids}).fetchall()
        return sorted(r[0] for r in rows)

    def save(self, interview: Interview, replaces: int | None, timers: Timers) -> None:
        doc = dumps(interview.to_dict())
        armed, next_due = dumps(timers), min(timers.values(), default=None)
        self.wake = self.wake or next_due is not None
        if replaces is None:
            # ON CONFLICT DO NOTHING rather than a savepoint around a failing INSERT: one round trip
            # instead of three (a rebuild writes every interview so), and the transaction stays usable.
            cur = self._conn.execute(
                "INSERT INTO interviews (id, workflow, state, version, start, doc, timers, next_due, person) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING",
                (interview.id, interview.workflow, interview.state, interview.version, epoch(interview.start), doc,
                 armed, next_due, interview.person))
            if cur.rowcount != 1:
                raise Conflict(f"interview {interview.id} exists already; try again")
            return
        cur = self._conn.execute("UPDATE interviews SET state=%s, version=%s, start=%s, doc=%s, timers=%s, "
                                 "next_due=%s, person=%s WHERE id=%s AND version=%s",
                                 (interview.state, interview.version, epoch(interview.start), doc, armed, next_due,
                                  interview.person, interview.id, replaces))
        if cur.rowcount != 1:
            raise Conflict(f"interview {interview.id} changed meanwhile; try again")

    def set_timers(self, interview_id: int, timers: Timers) -> None:
        next_due = min(timers.values(), default=None)
        self.wake = self.wake or next_due is not None
        self._conn.execute("UPDATE interviews SET timers=%s, next_due=%s WHERE id=%s",
                           (dumps(timers), next_due, interview_id))

    def armed_timers(self, interview_id: int) -> Timers:
        row = self._one("SELECT timers FROM interviews WHERE id=%s", (interview_id,))
        return json.loads(row[0]) if row else {}

    def clear_projections(self, first: int | None = None, last: int | None = None) -> None:
        self._conn.execute(f"LOCK TABLE {WHOLE_LOG_TABLES} IN EXCLUSIVE MODE")
        self._conn.execute("DELETE FROM interviews WHERE id BETWEEN %s AND %s",
                           (first if first is not None else -1, last if last is not None else 2 ** 62))
        if last is None:  # the end of a rebuild: the people are written anew after the interviews
            self._conn.execute("DELETE FROM people")
        self._bump(0)

    def events_between(self, first: int, last: int) -> Iterator[Event]:
        # One batch of a rebuild: no writer may slip in between reading these logs and rewriting
        # their projections (held to this batch's commit only). The same tables, in the same
        # statement, as clear_projections takes, so a batch never waits holding half of them.
        self._conn.execute(f"LOCK TABLE {WHOLE_LOG_TABLES} IN EXCLUSIVE MODE")
        rows = self._conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE interview_id BETWEEN %s AND %s "
                                  "ORDER BY interview_id, seq", (first, last)).fetchall()
        return map(_event, rows)

    def prune_jobs(self, done_before: datetime) -> int:
        old = "SELECT id FROM outbox WHERE state = 'done' AND done_at < %s"
        cutoff = done_before.isoformat()
        self._conn.execute(f"DELETE FROM marks WHERE job_id IN ({old})", (cutoff,))
        return int(self._conn.execute(f"DELETE FROM outbox WHERE id IN ({old})", (cutoff,)).rowcount)

    def _bump(self, interview_id: int) -> None:
        shard = interview_id % CHANGE_SHARDS
        if shard not in self._bumped:  # once per transaction is enough: it moves the sum at commit
            self._bumped.add(shard)
            self._conn.execute("UPDATE changes SET n = n + 1 WHERE shard=%s", (shard,))

    def append(self, event: Event) -> None:
        cur = self._conn.execute(f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) "
                                 "ON CONFLICT (interview_id, seq) DO NOTHING",  # as in save: no savepoint
                                 (event.interview_id, event.seq, event.event, event.from_state, event.to_state,
                                  event.at.isoformat(), dumps(event.data), event.source))
        if cur.rowcount != 1:
            raise Conflict(f"interview {event.interview_id} changed meanwhile; try again")
        self._bump(event.interview_id)

    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        if interview_id is None:
            # The whole log, read to rewrite projections from it: no writer may slip in between.
            self._conn.execute(f"LOCK TABLE {WHOLE_LOG_TABLES} IN EXCLUSIVE MODE")
        return _events(None, self._conn, interview_id)

    def fired_dues(self, interview_id: int) -> Fired:
        out: Fired = {}
        for timer_id, due in self._conn.execute("SELECT timer_id, due FROM firings WHERE interview_id=%s",
                                                (interview_id,)):
            out.setdefault(timer_id, set()).add(due)
        return out

    def fired_dues_between(self, first: int, last: int) -> dict[int, Fired]:
        out: dict[int, Fired] = {}
        for interview_id, timer_id, due in self._conn.execute(
                "SELECT interview_id, timer_id, due FROM firings WHERE interview_id BETWEEN %s AND %s", (first, last)):
            out.setdefault(interview_id, {}).setdefault(timer_id, set()).add(due)
        return out

    def record_firing(self, interview_id: int, timer_id: str, due: int, at: datetime, outcome: str) -> None:
        cur = self._conn.execute("INSERT INTO firings (interview_id, timer_id, due, fired_at, outcome) "
                                 "VALUES (%s,%s,%s,%s,%s) ON CONFLICT (interview_id, timer_id, due) DO NOTHING",
                                 (interview_id, timer_id, due, at.isoformat(), outcome))
        if cur.rowcount != 1:  # as in save: no savepoint
            raise Conflict(f"timer {timer_id} of interview {interview_id} has fired for that time already")

    def enqueue(self, interview_id: int, seq: int, action: str, params: dict[str, Any], cause: str,
                now: datetime) -> int:
        self.wake = True
        row = self._one("INSERT INTO outbox (interview_id, event_seq, action, params, cause, next_attempt, created) "
                        "VALUES (%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                        (interview_id, seq, action, dumps(params), cause, epoch(now), now.isoformat()))
        assert row is not None
        return int(row[0])

    def claimable(self, job_id: int) -> Claim | None:
        # SKIP LOCKED: a job another process is claiming or finishing right now is not claimable.
        row = self._one(
            f"SELECT {_JOB_COLUMNS}, claimed_by, claimed_until, "
            "state <> 'sending' OR claimed_until IS NULL OR claimed_until < extract(epoch FROM now()) "
            "OR NOT EXISTS (SELECT 1 FROM workers w WHERE w.name = outbox.claimed_by "
            "               AND w.beat > now() - make_interval(secs => %s)) "
            "FROM outbox WHERE id=%s FOR UPDATE SKIP LOCKED", (HOLDER_STALE_SECONDS, job_id))
        if row is None:
            return None
        # A holder on this very host that is gone is known at once, without waiting for its beat to age.
        return Claim(_job(row[:12]), row[12], row[13], bool(row[14]) or pid_gone(row[12]))

    def claim(self, job_id: int, by: str, lease: float) -> str:
        self._conn.execute("INSERT INTO workers (name, beat) VALUES (%s, now()) "
                           "ON CONFLICT (name) DO UPDATE SET beat = now()", (by,))
        row = self._one("UPDATE outbox SET state='sending', claimed_by=%s, claimed_until=extract(epoch FROM now()) + %s, "
                        "claim_token=nextval('outbox_claims') WHERE id=%s RETURNING claim_token", (by, lease, job_id))
        return str(row[0]) if row else ""

    def finish(self, job_id: int, token: str, state: str, attempts: int, next_attempt: datetime,
               last_error: str | None, done_at: datetime | None) -> bool:
        self.wake = self.wake or state == "pending"
        cur = self._conn.execute(
            "UPDATE outbox SET state=%s, attempts=%s, next_attempt=%s, last_error=%s, claimed_by=NULL, "
            "claimed_until=NULL, claim_token=NULL, done_at=%s WHERE id=%s AND state='sending' AND claim_token=%s",
            (state, attempts, epoch(next_attempt), last_error, done_at.isoformat() if done_at else None, job_id,
             int(token) if token.isdigit() else -1))
        return bool(cur.rowcount == 1)

    def marks(self, namespace: str, job_id: int) -> dict[str, Mark]:
        return _marks(lambda sql, args: self._conn.execute(sql, args).fetchall(), namespace, job_id)

    def set_marks(self, namespace: str, job_id: int, marks: dict[str, Mark]) -> None:
        if marks:
            self._conn.cursor().executemany(
                "INSERT INTO marks (namespace, job_id, key, state, by) VALUES (%s,%s,%s,%s,%s) "
                "ON CONFLICT (namespace, job_id, key) DO UPDATE SET state = EXCLUDED.state, by = EXCLUDED.by",
                [(namespace, job_id, key, m.state, m.by) for key, m in marks.items()])

    def delete_marks(self, namespace: str, job_id: int, keys: Iterable[str]) -> None:
        self._conn.execute("DELETE FROM marks WHERE namespace=%s AND job_id=%s AND key = ANY(%s)",
                           (namespace, job_id, list(keys)))

    def is_empty(self) -> bool:
        row = self._one("SELECT EXISTS (SELECT 1 FROM interviews) OR EXISTS (SELECT 1 FROM events) "
                        "OR EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM person_events) "
                        "OR EXISTS (SELECT 1 FROM todos)")
        return not (row and row[0])

    def import_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        keys = {"meta": "(key)", "interviews": "(id)", "people": "(id)"}
        with self._conn.cursor() as cur:
            if table in keys:  # rows that may be there already (the target's own meta): replaced
                update = (f" ON CONFLICT {keys[table]} DO UPDATE SET "
                          + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[1:]))
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                                f"VALUES ({', '.join(['%s'] * len(columns))})" + update, rows)
            else:  # the bulk of a copy (events, firings, outbox): COPY, several times faster than INSERTs
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        if table in ("events", "outbox", "todos"):  # later rows continue after the copied ids
            self._conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"GREATEST((SELECT MAX(id) FROM {table}), 1))")
        if table == "events":
            self._bump(0)
        self.wake = True

    def set_workflow_digests(self, digests: dict[str, str]) -> None:
        for name, digest in digests.items():
            self._conn.execute("INSERT INTO meta (key, value) VALUES (%s, %s) "
                               "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (_DIGEST_KEY + name, digest))


class PgWaiter:
    """A connection of its own that LISTENs for `infoview_wake`: `fileno()` becomes readable when
    another process armed a timer or queued a job; `drain()` reads what came. A dropped
    connection is opened again by `drain` (the caller then catches up with a full tick)."""

    def __init__(self, store: PostgresStore):
        self._store = store
        self._conn: Any = None
        self._open()

    def _open(self) -> None:
        self._conn = connect(self._store.url)
        self._conn.execute(f"LISTEN {WAKE_CHANNEL}")

    def fileno(self) -> int | None:
        """None while the connection is down (polling only, until `drain` makes it again)."""
        if self._conn is None or self._conn.closed:
            return None
        return int(self._conn.fileno())

    def drain(self) -> int:
        """How many wake-ups came (-1: the connection dropped and was opened again)."""
        try:
            if self._conn is None or self._conn.closed:
                raise driver().OperationalError("closed")
            return sum(1 for _ in self._conn.notifies(timeout=0))
        except driver().OperationalError:
            self.close()
            try:
                self._open()
            except InfoviewError:
                pass  # the server is away: polling goes on, and the next drain tries again
            return -1

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@contextmanager
def _errors(store: PostgresStore | None) -> Iterator[None]:
    """psycopg's errors as the store's: waits and deadlocks are a Conflict, a lost server one line."""
    psycopg = driver()
    try:
        yield
    except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected,
            psycopg.errors.SerializationFailure) as e:
        raise Conflict(f"the database is busy ({type(e).__name__}); another infoview is writing; try again") from None
    except psycopg.errors.ReadOnlySqlTransaction:
        where = store.location if store is not None else "the database"
        raise InfoviewError(f"{where} accepts no changes (a read-only server or standby, or a read-only "
                            "session), and this command changes it; nothing was changed") from None
    except psycopg.errors.DiskFull:
        where = store.location if store is not None else "the database"
        raise InfoviewError(f"the disk of the server of {where} is full; nothing was changed; free some space "
                            "there and try again") from None
    except psycopg.OperationalError as e:
        where = store.location if store is not None else "the database"
        if store is not None:
            store.close()
        raise Unavailable(f"lost the connection to {where}: {' '.join(str(e).split())}; try again") from None


def _interview(rows: list[tuple[Any, ...]], interview_id: int) -> Interview:
    if not rows:
        raise NotFound(f"no interview {interview_id}; `infoview list` shows the ids")
    return Interview.from_dict(json.loads(rows[0][0]))


def _events(store: PostgresStore | None, conn: Any, interview_id: int | None) -> Iterator[Event]:
    """One log in one query; every log in pages of EVENT_BATCH by (interview id, seq), each parsed
    as consumed: memory holds one page, whatever the size of the home."""
    if interview_id is None:
        return _every_event(store, conn)
    with _errors(store):
        rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE interview_id=%s ORDER BY seq",
                            (interview_id,)).fetchall()
    return map(_event, rows)


def _every_event(store: PostgresStore | None, conn: Any) -> Iterator[Event]:
    key: tuple[int, int] = (0, 0)
    while True:
        with _errors(store):
            rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE (interview_id, seq) > (%s, %s) "
                                "ORDER BY interview_id, seq LIMIT %s", (*key, EVENT_BATCH)).fetchall()
        yield from map(_event, rows)
        if len(rows) < EVENT_BATCH:
            return
        key = (rows[-1][0], rows[-1][1])


def _event(r: tuple[Any, ...]) -> Event:
    return Event(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), {} if r[6] == "{}" else json.loads(r[6]),
                 r[7])


def _job(row: tuple[Any, ...]) -> Job:
    return Job(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], row[7], from_epoch(row[8]),
               row[9], row[10], row[11])


def _marks(query: Any, namespace: str, job_id: int) -> dict[str, Mark]:
    rows = query("SELECT key, state, by FROM marks WHERE namespace=%s AND job_id=%s", (namespace, job_id))
    return {key: Mark(state, by) for key, state, by in rows}
