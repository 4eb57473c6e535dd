"""The SQLite store: the event log (the truth), projections with their armed timers, firings,
the outbox.

One file, WAL mode, a busy timeout. Writers take the write lock up front (BEGIN IMMEDIATE), read
the interview inside the transaction and append under UNIQUE(interview_id, seq), so two
processes can never both apply an event to the same version.

An interview's armed timers live in its own row (`timers`, a JSON object of timer id -> due
epoch) with the earliest due time in `next_due`, the one indexed column `tick` looks at. A
change then rewrites one row and at most one index entry; rows per timer in a table of their
own, each with its due-time index entry, had made re-arming most of the cost of every fire.
"""
from __future__ import annotations

import json
import json.scanner
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import Conflict, InfoviewError, NotFound
from .model import Event, Interview, UTC

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 15_000

# Every connection's settings (the benchmarks' raw baselines use the same).
PRAGMAS = (
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (interview_id, seq)
);
CREATE TABLE IF NOT EXISTS interviews (
    id INTEGER PRIMARY KEY,
    workflow TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    start INTEGER NOT NULL,
    doc TEXT NOT NULL,
    timers TEXT NOT NULL DEFAULT '{}',
    next_due INTEGER
);
CREATE INDEX IF NOT EXISTS interviews_next_due ON interviews (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS firings (
    interview_id INTEGER NOT NULL,
    timer_id TEXT NOT NULL,
    due INTEGER NOT NULL,
    fired_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (interview_id, timer_id, due)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL,
    event_seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    params TEXT NOT NULL,
    cause TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    last_error TEXT,
    claimed_by TEXT,
    claimed_until REAL,
    created TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt);
"""

# Schema 1 kept armed timers in a table of their own; move them into their interviews' rows.
MIGRATE_1_TO_2 = """
ALTER TABLE interviews ADD COLUMN timers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE interviews ADD COLUMN next_due INTEGER;
UPDATE interviews SET
    timers = (SELECT json_group_object(timer_id, due) FROM timers t WHERE t.interview_id = interviews.id),
    next_due = (SELECT MIN(due) FROM timers t WHERE t.interview_id = interviews.id)
WHERE id IN (SELECT interview_id FROM timers);
DROP TABLE timers;
CREATE INDEX interviews_next_due ON interviews (next_due) WHERE next_due IS NOT NULL;
"""


def epoch(when: datetime) -> int:
    return int(when.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _encoder(*, sort_keys: bool) -> Callable[[Any], str]:
    """A compact JSON encoder built once: json.dumps with options builds a new one on every call,
    and JSONEncoder.encode wraps the C encoder in Python that cost a microsecond per write. The
    C encoder is used directly where this Python has one (CPython), with JSONEncoder's rules."""
    slow = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    if c_make_encoder is None:
        return slow.encode
    fast = c_make_encoder(None, slow.default, encode_basestring, None, ":", ",", sort_keys, False, True)
    return lambda value: "".join(fast(value, 0))


# Keys sorted: a projection written live and the same one rebuilt from the log (whose event data
# was stored sorted) then give the same text, answer notes included.
_dumps = _encoder(sort_keys=True)


class Store:
    def __init__(self, path: Path):
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Created readable by the user only: it holds contacts and notes.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
            for pragma in PRAGMAS:
                conn.execute(pragma)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                # executescript commits first, so the schema goes in its own explicit transaction.
                conn.executescript(f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
            elif version == 1:
                _migrate(conn)
            elif version > SCHEMA_VERSION:
                raise InfoviewError(f"{self.path} was written by a newer infoview (schema {version}); upgrade infoview")
        except sqlite3.DatabaseError as e:
            raise InfoviewError(f"{self.path}: cannot open the database: {e}") from None
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def write(self) -> "_Immediate":
        """One write transaction, the lock taken up front. Rolled back on any exception."""
        return _Immediate(self.conn)

    # ---- reads ----

    def load(self, interview_id: int, conn: sqlite3.Connection | None = None) -> Interview:
        row = (conn or self.conn).execute("SELECT doc FROM interviews WHERE id=?", (interview_id,)).fetchone()
        if row is None:
            raise NotFound(f"no interview {interview_id}; `infoview list` shows the ids")
        return Interview.from_dict(json.loads(row[0]))

    def interviews(self, states: list[str] | None = None) -> list[Interview]:
        return [Interview.from_dict(json.loads(doc)) for (doc,) in self._in_states("doc", states)]

    def listing(self, states: list[str] | None = None) -> list[tuple[int, str, str, str, str, str | None]]:
        """(id, state, start, timezone, contact name, company) of each interview, in id order: what
        `infoview list` prints, picked out by SQLite; parsing every doc in Python took longer."""
        return self._in_states("id, state, json_extract(doc, '$.start'), json_extract(doc, '$.timezone'), "
                               "json_extract(doc, '$.contact.name'), json_extract(doc, '$.contact.company')",
                               states).fetchall()

    def _in_states(self, columns: str, states: list[str] | None) -> sqlite3.Cursor:
        sql = f"SELECT {columns} FROM interviews"
        if states:
            return self.conn.execute(f"{sql} WHERE state IN ({','.join('?' * len(states))}) ORDER BY id", states)
        return self.conn.execute(f"{sql} ORDER BY id")

    def version(self, interview_id: int, conn: sqlite3.Connection | None = None) -> int | None:
        row = (conn or self.conn).execute("SELECT version FROM interviews WHERE id=?", (interview_id,)).fetchone()
        return row[0] if row else None

    def armed_timers(self, interview_id: int, conn: sqlite3.Connection | None = None) -> dict[str, int]:
        """The interview's armed timers: timer id -> due (epoch seconds)."""
        row = (conn or self.conn).execute("SELECT timers FROM interviews WHERE id=?", (interview_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def due(self, until: int, limit: int | None = None) -> tuple[list[tuple[int, str, int]], bool]:
        """(interview id, timer id, due) of every timer due at or before `until`, by due time; from
        at most `limit` interviews, and whether that limit cut the answer short."""
        rows = self.conn.execute("SELECT id, timers FROM interviews WHERE next_due <= ? ORDER BY next_due, id LIMIT ?",
                                 (until, -1 if limit is None else limit)).fetchall()  # -1: no limit
        out = [(iid, tid, due) for iid, doc in rows for tid, due in json.loads(doc).items() if due <= until]
        out.sort(key=lambda r: (r[2], r[0]))
        return out, limit is not None and len(rows) >= limit

    def anything_due(self, now: int) -> tuple[bool, bool]:
        """(any timer due, any outbox job due) at `now`, in one statement: most ticks find nothing,
        and then this is all they cost."""
        row = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM interviews WHERE next_due <= ?1), EXISTS (SELECT 1 FROM outbox INDEXED BY "
            "outbox_due WHERE state IN ('pending', 'sending') AND next_attempt <= ?1)", (now,)).fetchone()
        return bool(row[0]), bool(row[1])

    def next_wake(self) -> int | None:
        """When the next timer or outbox job comes due (epoch seconds), if any."""
        return self.conn.execute(
            "SELECT MIN(d) FROM (SELECT MIN(next_due) d FROM interviews UNION ALL "
            "SELECT MIN(next_attempt) FROM outbox WHERE state IN ('pending', 'sending'))").fetchone()[0]

    def referred_by(self, interview_id: int) -> list[int]:
        """Ids of the interviews planned on a referral from this one."""
        rows = self.conn.execute("SELECT id FROM interviews WHERE json_extract(doc, '$.referred_by') = ? ORDER BY id",
                                 (interview_id,))
        return [r[0] for r in rows]

    def events(self, interview_id: int | None = None) -> Iterator[Event]:
        """One interview's log, or every log ordered by (interview_id, seq), each row parsed as it
        is consumed: a replay folds each event in while it is still in the CPU cache (1.3x as fast
        as over a list of 100,000), and the whole log never has to be in memory at once."""
        sql = "SELECT interview_id, seq, event, from_state, to_state, at, data, source FROM events"
        if interview_id is not None:
            return map(_event, self.conn.execute(sql + " WHERE interview_id=? ORDER BY seq", (interview_id,)))
        return map(_event, self.conn.execute(sql + " ORDER BY interview_id, seq"))

    def change_marker(self) -> tuple[int, int]:
        """Differs after any committed event: (highest event id, number of interviews)."""
        row = self.conn.execute("SELECT (SELECT IFNULL(MAX(id), 0) FROM events), (SELECT COUNT(*) FROM interviews)").fetchone()
        return (row[0], row[1])

    # ---- writes (inside `write()`) ----

    def next_id(self, conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT MAX(m) FROM (SELECT MAX(id) m FROM interviews UNION ALL SELECT MAX(interview_id) FROM events)").fetchone()
        return (row[0] or 0) + 1

    def append(self, conn: sqlite3.Connection, event: Event) -> None:
        try:
            conn.execute(
                "INSERT INTO events (interview_id, seq, event, from_state, to_state, at, data, source) VALUES (?,?,?,?,?,?,?,?)",
                (event.interview_id, event.seq, event.event, event.from_state, event.to_state,
                 event.at.isoformat(), _dumps(event.data), event.source),
            )
        except sqlite3.IntegrityError:
            raise Conflict(f"interview {event.interview_id} changed meanwhile; try again") from None

    def save(self, conn: sqlite3.Connection, interview: Interview, previous_version: int | None,
             timers: dict[str, int]) -> None:
        """Write the projection and its armed timers (timer id -> due epoch) in one row."""
        doc = _dumps(interview.to_dict())
        armed, next_due = _dumps(timers), min(timers.values(), default=None)
        if previous_version is None:
            conn.execute("INSERT INTO interviews (id, workflow, state, version, start, doc, timers, next_due) "
                         "VALUES (?,?,?,?,?,?,?,?)", (interview.id, interview.workflow, interview.state,
                                                      interview.version, epoch(interview.start), doc, armed, next_due))
            return
        cur = conn.execute("UPDATE interviews SET state=?, version=?, start=?, doc=?, timers=?, next_due=? "
                           "WHERE id=? AND version=?", (interview.state, interview.version, epoch(interview.start),
                                                        doc, armed, next_due, interview.id, previous_version))
        if cur.rowcount != 1:
            raise Conflict(f"interview {interview.id} changed meanwhile; try again")

    def fired_dues(self, conn: sqlite3.Connection, interview_id: int) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for timer_id, due in conn.execute("SELECT timer_id, due FROM firings WHERE interview_id=?", (interview_id,)):
            out.setdefault(timer_id, set()).add(due)
        return out

    def set_timers(self, conn: sqlite3.Connection, interview_id: int, timers: dict[str, int]) -> None:
        """Make the interview's armed timers exactly `timers` (timer id -> due epoch)."""
        conn.execute("UPDATE interviews SET timers=?, next_due=? WHERE id=?",
                     (_dumps(timers), min(timers.values(), default=None), interview_id))

    def enqueue(self, conn: sqlite3.Connection, interview_id: int, seq: int, action: str, params: dict[str, Any],
                cause: str, now: datetime) -> int:
        cur = conn.execute(
            "INSERT INTO outbox (interview_id, event_seq, action, params, cause, next_attempt, created) VALUES (?,?,?,?,?,?,?)",
            (interview_id, seq, action, _dumps(params), cause, epoch(now), now.isoformat()),
        )
        return int(cur.lastrowid or 0)


_scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]


def _loads(text: str) -> Any:
    """json.loads for what `_dumps` wrote (compact, no surrounding blanks), without json.loads'
    per-call overhead; anything else goes through json.loads."""
    if text == "{}":
        return {}  # most events carry no data
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        end = -1
    return value if end == len(text) else json.loads(text)


def _event(r: tuple[Any, ...]) -> Event:
    return Event(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), _loads(r[6]), r[7])


def _migrate(conn: sqlite3.Connection) -> None:
    with _Immediate(conn):
        if conn.execute("PRAGMA user_version").fetchone()[0] == 1:  # not done meanwhile by another process
            for statement in MIGRATE_1_TO_2.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


class _Immediate:
    """`with _Immediate(conn) as conn:` runs the block in one BEGIN IMMEDIATE transaction.

    A class rather than a @contextmanager generator: it wraps every write, and the generator's
    machinery cost a fire a microsecond and a half."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise Conflict(f"the database is busy ({e}); another infoview is writing; try again") from None
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
